"""Dataset field keys the dataset's `type` never reads (axolotl).

## What it does
For each axolotl SFT dataset (`datasets:` and `test_datasets:` items) whose `type` is
`completion` or `chat_template`, checks that the column it is told to read is named with
the key that loader reads:

| `type` | reads | default column |
|---|---|---|
| `completion` | `field` | `text` |
| `chat_template` | `field_messages` | `messages` |

and reports a dataset that names its column only with another loader's key
(`field_prompt`, `field_completion`, `field_instruction`, `field_output`, ... for
`completion`; `field`, `field_instruction`, ... for `chat_template`). Preference datasets
(`rl:` set) use other loaders and are not checked.

## Why is this bad?
The loader never sees the key: `type: completion` reads `sample[field]` with `field`
defaulting to `text`, so a dataset described with `field_prompt` / `field_completion`
fails to load with a `KeyError: 'text'`, or, if a `text` column exists, trains on that
column instead of the one named. `chat_template` reads `field_messages` (default
`messages`) and raises "Messages is null" when that column is missing. Severity `error`:
the run breaks, or silently trains on something else.

## Example
Checked as: `cfgguard check --dialect axolotl` (also fires K001).
```yaml
datasets:
  - path: my-org/my-set
    type: completion
    field_completion: story   # read by KTO's user_defined loader only
```
Use instead:
```yaml
datasets:
  - path: my-org/my-set
    type: completion
    field: story
```

## Fix
When the dataset names exactly one foreign field key, renames it to the key the loader
reads (`field_completion: story` -> `field: story`), keeping its value. Unsafe: it changes
which column trains (apply with `--unsafe-fixes`). No fix when several foreign keys are
given (`field_prompt` and `field_completion`: a prompt/completion pair is not a
`completion` dataset; use a user-defined `type:` mapping or `input_output`).

## Source
axolotl 0.21.0 `src/axolotl/prompt_strategies/completion.py:16` (`_field = "text"`),
`:37` (`prompt[self.field]`), `:88-89` (only `ds_cfg["field"]` is read);
`src/axolotl/prompt_strategies/chat_template.py:52` (`field_messages = "messages"`),
`:1229-1232` ("Messages is null. Please check `field_messages`."), `:1397` (the key
read); `src/axolotl/prompt_strategies/kto/user_defined.py:12-14` and
`dpo/user_defined.py:12` (where `field_prompt` / `field_completion` are read).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.edits.build import fix, quote_like, replace
from cfgguard.findings import Fix, Severity
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence

SOURCE = "axolotl 0.21.0 prompt_strategies (completion.py:88-89, chat_template.py:1397)"
# type -> (the key its loader reads, the column read when the key is absent)
READS = {"completion": ("field", "text"), "chat_template": ("field_messages", "messages")}
# keys that name a column for some other loader (user-defined, DPO/KTO, completion)
COLUMN_KEYS = (
    "field",
    "field_prompt",
    "field_completion",
    "field_instruction",
    "field_input",
    "field_output",
    "field_messages",
    "field_text",
)


def _rename(key: Scalar, to: str) -> Fix:
    return fix("unsafe", f"rename {key.value} -> {to}", replace(key, quote_like(key, to)))


def _check_item(item: Mapping) -> Iterator[Report]:
    found = item.get("type")
    if found is None or not isinstance(found[1], Scalar):
        return
    kind = found[1].value.strip()
    if kind not in READS:
        return
    reads, default = READS[kind]
    if item.get(reads) is not None:
        return
    foreign = [(k, v) for k, v in item.entries() if k.value in COLUMN_KEYS and k.value != reads]
    if not foreign:
        return
    key, value = foreign[0]
    names = ", ".join(k.value for k, _ in foreign)
    column = value.value if isinstance(value, Scalar) else "?"
    yield Report(
        key,
        f"type: {kind} reads its column from `{reads}` (default '{default}'), never from"
        f" {names}: the loader reads '{default}', so loading fails with KeyError '{default}'"
        f" or trains on that column instead of '{column}' ({SOURCE})",
        fix=_rename(key, reads) if len(foreign) == 1 else None,
    )


def check(ctx: Context) -> Iterator[Report]:
    if ctx.dialect != "axolotl" or ctx.reader.value("rl"):
        return
    for section in ("datasets", "test_datasets"):
        entry = ctx.reader.entry(section)
        if entry is None or not isinstance(entry.value, Sequence):
            continue
        for item in entry.value.items:
            if isinstance(item, Mapping):
                yield from _check_item(item)


RULE = Rule("I001", "dataset-type-fields", Severity.ERROR, SOURCE, __doc__ or "", check, True)
