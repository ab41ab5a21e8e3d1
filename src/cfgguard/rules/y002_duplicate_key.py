"""Duplicate key in a mapping.

## What it does
Reports the second occurrence of a key in the same mapping, naming the line of the first.

## Why is this bad?
PyYAML (axolotl, TRL, alignment-handbook) silently keeps the *last* value, so the
trainer runs with a value the author may not have meant; OmegaConf (torchtune, verl,
LLaMA-Factory >= 0.9.4) refuses the file ("found duplicate key").

Severity is `error`, except where nothing changes: under a PyYAML loader (axolotl, TRL,
the plain format) a repeated key with the *same* value as written is `info`, since the
last value is the first. OmegaConf dialects refuse the file whatever the values.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
learning_rate: 2.0e-4
# ... forty lines later
learning_rate: 2.0e-5
```

## Fix
Delete the occurrence you did not mean. No autofix: only the author knows which one.

## Source
- PyYAML 6.0.3 `lib/yaml/constructor.py:132-144` (`construct_mapping` assigns each key in
  turn: the last value wins), the loader of axolotl 0.21.0 `src/axolotl/cli/config.py:248`
  and trl 1.16.0 `trl/scripts/utils.py:327` (`yaml.safe_load`).
- omegaconf 2.3.0 `omegaconf/_utils.py:136-147` (`OmegaConfLoader` raises "found
  duplicate key"), the loader of torchtune 0.6.1 `torchtune/config/_parse.py:58`, verl
  through hydra-core 1.3.2 `hydra/_internal/core_plugins/file_config_source.py:31`, and
  llamafactory 0.9.5 `src/llamafactory/hparams/parser.py:92` (from 0.9.4).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.rules.base import Rule
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

# loaders that keep the last value instead of refusing the file
LAST_WINS = frozenset({"yaml11"})


def _mappings(node: Node | None) -> Iterator[Mapping]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            yield current
            stack.extend(value for _, value in current.pairs)
        elif isinstance(current, Sequence):
            stack.extend(current.items)


def severity(text: str, root: Node | None, profile: str, key_index: int) -> Severity | None:
    """``info`` for a repeat of a key's same written value under a last-wins loader."""
    if profile not in LAST_WINS:
        return None
    for mapping in _mappings(root):
        for i, (key, value) in enumerate(mapping.pairs):
            if not isinstance(key, Scalar) or key.start.index != key_index:
                continue
            first = next(
                (v for k, v in mapping.pairs[:i] if isinstance(k, Scalar) and k.value == key.value),
                None,
            )
            if first is not None and _written(text, first) == _written(text, value):
                return Severity.INFO
            return None
    return None


def _written(text: str, node: Node) -> str:
    return text[node.start.index : node.end.index].strip()


RULE = Rule(
    "Y002",
    "duplicate-key",
    Severity.ERROR,
    "PyYAML 6.0.3 constructor.py:144 (last wins); omegaconf 2.3.0 _utils.py:147 (refused)",
    __doc__ or "",
)
