"""A value the framework's own loader reads differently than it is written.

## What it does
Reports a scalar whose type, after the framework's loader and its later conversions,
is not what the author wrote:

- **Exponents without a dot** (`5e-4`, `1e5`, `2.0e5`): PyYAML's YAML 1.1 float needs a
  dot and a signed exponent, so axolotl and TRL (which read with `yaml.safe_load`) get
  the *string* `'5e-4'`. Reported only where nothing converts it later:
  - axolotl converts every field typed float (`learning_rate` explicitly), but not the
    values inside free-form dict fields (`lr_scheduler_kwargs`, `optim_args`,
    `model_config`, `model_kwargs`, `trl.generation_kwargs`, `deepspeed`...): `error`;
  - TRL's `TrlParser` converts top-level fields through argparse, but not values inside
    dict or list fields: `error`. At the top level the file still breaks under
    `HfArgumentParser.parse_yaml_file`, the old alignment-handbook's loader: `error` when
    the file is in that format (`dataset_mixer`), else `info` (the entry point is not
    known from the file);
  - LLaMA-Factory reads with OmegaConf since 0.9.4, where `5e-4` is a float; 0.9.3 and
    older used `yaml.safe_load` and failed: `info` (portability);
  - torchtune and verl read with OmegaConf: a float, no finding.
- **Exponents for integer fields** (`max_steps: 1e3`): the string `'1e3'` is no integer
  to axolotl's pydantic (a ValidationError) nor to argparse under `TrlParser` ("invalid
  int value"): `error`. Under OmegaConf (LLaMA-Factory, torchtune) it becomes the float
  1000.0 and nothing converts it back to int (`range()` and friends then fail): `warning`
  (not traced). verl's typed merge may convert it: no finding.
- **Quoted numbers** (`learning_rate: "5e-4"`) for a numeric field: LLaMA-Factory passes
  YAML values to its dataclasses unconverted and torchtune passes them to the component
  (`torch.optim.AdamW(lr="5e-4")`): `error`. verl converts them only in sections merged
  into a typed dataclass (`actor_rollout_ref.model`), not in `_target_` sections or
  plain ones: `warning`. axolotl's pydantic converts them (no finding); TRL as for an
  unquoted top-level value.
- **`yes`/`no`/`on`/`off`** for a text field: YAML 1.1 booleans. `save_strategy: no`
  becomes `False`: axolotl refuses a boolean for a string field, transformers'
  `IntervalStrategy(False)` raises in TRL and LLaMA-Factory: `error` for axolotl and for
  the choice fields of TRL and LLaMA-Factory, `warning` elsewhere.
- **A list or mapping for a one-value field** (`base_model: [a, b]`,
  `learning_rate: [1]`): a field the key list types as a number or a boolean (maybe also
  text), or the model or output path. Other text fields are left alone: a list often
  works there in practice (PEFT's `target_modules`). axolotl's pydantic model refuses
  it (ValidationError); TRL, LLaMA-Factory, torchtune and verl hand it on as it is, and
  the model loader or the optimizer fails on it (`AdamW(lr=[1])`: a TypeError):
  `error`. No fix (which value was meant?).

A field's type comes from the dialect's key list (`knowledge/keys.py`); keys the list
does not know are left to K001. The plain format is not checked (no framework reads it).

## Why is this bad?
The value reaches the trainer as the wrong type: the run stops at startup (a validation
error, an argparse exit), or later in the optimizer or scheduler with a type error, or
the option silently takes another meaning.

Severity `error`: each case is a documented loader fact (the string reaches a float
field, or a YAML 1.1 boolean/sexagesimal reading) that stops the run or silently changes
the option's meaning, for the releases the dialect notes pin.

## Example
```yaml
# axolotl
lr_scheduler_kwargs:
  min_lr: 1e-6          # stays the string '1e-6'
save_strategy: no       # the boolean False: ValidationError
```
Use instead:
```yaml
lr_scheduler_kwargs:
  min_lr: 1.0e-6
save_strategy: "no"
```

## Fix
Rewrites the scalar as its author meant it, in a spelling every loader reads the same
way: `5e-4` -> `5.0e-4` (PyYAML's float pattern needs the dot and a signed exponent),
`1e3` -> `1000` for integer fields, `"5e-4"` -> `5.0e-4` (quotes removed),
`save_strategy: no` -> `save_strategy: "no"`. Safe: the value is the one written.

## Source
Loader facts: axolotl.md section 2 and pitfalls 2-3, trl.md section 2 (2a, 2b),
llamafactory.md section 2, torchtune.md section 2, verl.md section 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from cfgguard.findings import Fix, Severity
from cfgguard.fix.build import fix, replace
from cfgguard.knowledge.keys import key_sections, key_types
from cfgguard.records import dataclass
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.yaml.nodes import Mapping, Node, Scalar
from cfgguard.yaml.scalars import looks_numeric, resolve

SOURCE = "Loader facts (shared/reference/dialects/*.md section 2)"
_BOOL_WORDS = frozenset({"yes", "no", "on", "off"})
_NUMBER = re.compile(r"^([-+]?)([0-9][0-9_]*)(\.[0-9_]*)?([eE])([-+]?)([0-9]+)$")
_SKIP = frozenset({"env", "defaults", "hydra"})


@dataclass(frozen=True, slots=True)
class Kind:
    """A key's type, merged over the key list's rows for it."""

    json_types: frozenset[str]
    allowed: tuple[str, ...]

    @property
    def numeric(self) -> bool:
        return bool(self.json_types & {"number", "integer"})

    @property
    def integer(self) -> bool:
        return "integer" in self.json_types and "number" not in self.json_types

    @property
    def text(self) -> bool:
        return "string" in self.json_types and "boolean" not in self.json_types

    @property
    def container(self) -> bool:
        return bool(self.json_types & {"object", "array"})


@dataclass(frozen=True, slots=True)
class Slot:
    path: str  # the key path of the value (a list item: its list's path)
    node: Scalar
    kind: Kind | None  # None: inside a free-form dict or list
    container: str | None = None  # the free-form dict or list field holding it


@cache
def _kind(dialect: str, path: str) -> Kind | None:
    """The type the key list gives a key path (built per key a file uses), or None."""
    found = key_types(dialect).get(path)
    return Kind(*found) if found and found[0] else None


def _free(node: Node, path: str, container: str) -> Iterator[Slot]:
    if isinstance(node, Scalar):
        yield Slot(path, node, None, container)
    elif isinstance(node, Mapping):
        for key, value in node.entries():
            yield from _free(value, f"{path}.{key.value}", container)
    else:
        for item in node.items:
            yield from _free(item, path, container)


def _walk(mapping: Mapping, prefix: str, dialect: str) -> Iterator[Slot]:
    sections = key_sections(dialect)
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        if not prefix and key.value in _SKIP:
            continue
        kind = _kind(dialect, path)
        if isinstance(value, Scalar):
            if kind is not None:
                yield Slot(path, value, kind)
        elif isinstance(value, Mapping):
            if path in sections:
                yield from _walk(value, f"{path}.", dialect)
            elif kind is not None and kind.container:
                yield from _free(value, path, path)
        elif f"{path}[]" in sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{path}[].", dialect)
        elif kind is not None and kind.container:
            yield from _free(value, path, path)


def dotted(text: str) -> str:
    """``5e-4`` -> ``5.0e-4``, ``1e5`` -> ``1.0e+5``: a float under YAML 1.1 too."""
    m = _NUMBER.match(text.strip())
    if m is None:
        return text
    sign, whole, frac, e, exp_sign, digits = m.groups()
    return f"{sign}{whole}{frac if frac and len(frac) > 1 else '.0'}{e}{exp_sign or '+'}{digits}"


def _rewrite(node: Scalar, text: str) -> Fix | None:
    """Safe: the new spelling is the value the author wrote, read the same way by every
    loader (``5.0e-4`` for ``5e-4``, ``1000`` for ``1e3``, ``"no"`` for ``no``)."""
    if text == node.value and node.style == "":
        return None
    return fix("safe", f"write {text}", replace(node, text))


def _as_int(text: str) -> str:
    value = float(text.replace("_", ""))
    return str(int(value)) if value == int(value) else fmt(value)


def _numeric_string(node: Scalar) -> bool:
    """Plain text a person reads as a number but YAML 1.1 (PyYAML) reads as a string."""
    return node.plain and isinstance(resolve(node, "yaml11"), str) and looks_numeric(node.value)


def _exponent(node: Scalar) -> bool:
    # finite only: `1e400` is a float infinity, with no integer to suggest
    return _NUMBER.match(node.value.strip()) is not None and looks_numeric(node.value)


def _bool_word(node: Scalar) -> bool:
    return node.plain and node.value.lower() in _BOOL_WORDS


def _quoted_number(node: Scalar) -> bool:
    return node.style in ("'", '"') and node.tag is None and looks_numeric(node.value.strip())


# -- per dialect ------------------------------------------------------------------


def _where(slot: Slot) -> str:
    return f"{slot.path}: {slot.node.value}"


def _unconverted(slot: Slot, effect: str, notes: str) -> Report:
    """A YAML 1.1 text number inside a container the framework never converts.

    ``effect`` names the container as ``{container}``."""
    node = slot.node
    return Report(
        node,
        f"{_where(slot)} stays the string '{node.value}': PyYAML reads a number without a"
        f" dot and a signed exponent as text, and {effect.format(container=slot.container)};"
        f" write {dotted(node.value)} ({notes})",
        severity=Severity.ERROR,
        fix=_rewrite(node, dotted(node.value)),
    )


def _axolotl(slot: Slot) -> Report | None:
    node, kind = slot.node, slot.kind
    if kind is None:
        if not _numeric_string(node):
            return None
        return _unconverted(
            slot,
            "axolotl does not convert values inside the free-form dict {container}",
            "axolotl.md section 2",
        )
    if kind.integer and _numeric_string(node):
        return Report(
            node,
            f"{_where(slot)} is the string '{node.value}' to PyYAML and {slot.path} is an"
            f" integer field, which pydantic cannot parse from that text: axolotl refuses the"
            f" config; write {_as_int(node.value)} (axolotl.md section 2)",
            severity=Severity.ERROR,
            fix=_rewrite(node, _as_int(node.value)),
        )
    if kind.text and _bool_word(node):
        return _boolean(
            slot,
            "axolotl refuses a boolean for a text field (ValidationError)",
            Severity.ERROR,
            "axolotl.md section 2, pitfall 3",
        )
    return None


def _old_handbook(ctx: Context) -> bool:
    return ctx.reader.root.get("dataset_mixer") is not None


def _trl(ctx: Context, slot: Slot) -> Report | None:
    node, kind = slot.node, slot.kind
    if kind is None:
        if not _numeric_string(node):
            return None
        return _unconverted(
            slot,
            "TrlParser passes values inside {container} through unconverted",
            "trl.md section 2a",
        )
    if kind.integer and (_numeric_string(node) or _quoted_number(node)):
        text = node.value.strip()
        try:
            int(text)
        except ValueError:
            return Report(
                node,
                f"{_where(slot)} is the string '{text}' to PyYAML and {slot.path} is an"
                f" integer field: argparse's int() rejects it and TrlParser exits ('invalid"
                f" int value'); write {_as_int(text)} (trl.md section 2a)",
                severity=Severity.ERROR,
                fix=_rewrite(node, _as_int(text)),
            )
    if kind.numeric and (_numeric_string(node) or _quoted_number(node)):
        old = _old_handbook(ctx)
        written = f'"{node.value}"' if node.style else node.value
        fixed = dotted(node.value)  # unquoted without a dot it would still be text
        what = (
            "this file is in the old alignment-handbook format (dataset_mixer), whose"
            if old
            else "TrlParser converts it, but"
        )
        return Report(
            node,
            f"{slot.path}: {written} is the string '{node.value}' to PyYAML; {what}"
            f" HfArgumentParser.parse_yaml_file passes the string on and the optimizer or"
            f" trainer fails; write {fixed} (trl.md section 2b)",
            severity=Severity.ERROR if old else Severity.INFO,
            fix=_rewrite(node, fixed),
        )
    if kind.text and _bool_word(node):
        if kind.allowed:
            effect = "transformers raises on it ('False is not a valid IntervalStrategy')"
            return _boolean(slot, effect, Severity.ERROR, "trl.md section 2a")
        return _boolean(
            slot, "TrlParser passes the boolean on", Severity.WARNING, "trl.md section 2a"
        )
    return None


def _llamafactory(slot: Slot) -> Report | None:
    node, kind = slot.node, slot.kind
    if kind is None:
        return None  # OmegaConf reads numbers inside dicts as numbers
    if kind.numeric and "string" not in kind.json_types and _quoted_number(node):
        return _quoted(
            slot,
            "LLaMA-Factory passes YAML values to its dataclasses unconverted",
            Severity.ERROR,
            "llamafactory.md section 2",
        )
    if kind.integer and node.plain and _exponent(node):
        return _float_for_int(slot, "llamafactory.md section 2")
    if kind.numeric and _numeric_string(node):
        return Report(
            node,
            f"{_where(slot)} is a float for LLaMA-Factory 0.9.4 and later (OmegaConf), but the"
            f" string '{node.value}' for 0.9.3 and older (yaml.safe_load), where training"
            f" fails; write {dotted(node.value)} to work on both (llamafactory.md section 2)",
            severity=Severity.INFO,
            fix=_rewrite(node, dotted(node.value)),
        )
    if kind.text and _bool_word(node):
        if kind.allowed:
            effect = "transformers raises on it ('False is not a valid IntervalStrategy')"
            return _boolean(slot, effect, Severity.ERROR, "llamafactory.md section 2")
        return _boolean(
            slot,
            "LLaMA-Factory passes the boolean on",
            Severity.WARNING,
            "llamafactory.md section 2",
        )
    return None


def _omegaconf(ctx: Context, slot: Slot) -> Report | None:
    """torchtune and verl: OmegaConf reads exponents as floats; nothing converts types."""
    node, kind = slot.node, slot.kind
    if kind is None:
        return None
    notes = f"{ctx.dialect}.md section 2"
    if kind.numeric and "string" not in kind.json_types and _quoted_number(node):
        if ctx.dialect == "torchtune":
            return _quoted(
                slot,
                "torchtune passes it unconverted to the recipe or component",
                Severity.ERROR,
                notes,
            )
        if not slot.path.startswith("actor_rollout_ref.model."):
            effect = (
                "verl converts it only in sections merged into a typed dataclass, not in"
                " _target_ or plain sections"
            )
            return _quoted(slot, effect, Severity.WARNING, notes)
    if ctx.dialect == "torchtune" and kind.integer and node.plain and _exponent(node):
        return _float_for_int(slot, notes)
    if kind.text and _bool_word(node):
        return _boolean(slot, f"{ctx.dialect} passes the boolean on", Severity.WARNING, notes)
    return None


def _quoted(slot: Slot, effect: str, severity: Severity, notes: str) -> Report:
    node = slot.node
    return Report(
        node,
        f"{slot.path}: \"{node.value}\" is quoted, so it stays the string '{node.value}':"
        f" {effect}; remove the quotes ({notes})",
        severity=severity,
        fix=_rewrite(node, node.value.strip()),
    )


def _float_for_int(slot: Slot, notes: str) -> Report:
    node = slot.node
    value = float(node.value.replace("_", ""))
    return Report(
        node,
        f"{_where(slot)} is read as the float {fmt(value)}, and {slot.path} is an integer"
        f" field that nothing converts back (range() and friends fail on a float); write"
        f" {_as_int(node.value)} ({notes})",
        severity=Severity.WARNING,
        fix=_rewrite(node, _as_int(node.value)),
    )


def _boolean(slot: Slot, effect: str, severity: Severity, notes: str) -> Report:
    node = slot.node
    value = node.value.lower() in ("yes", "on")
    return Report(
        node,
        f"{_where(slot)} is the boolean {value} under YAML 1.1, not the text '{node.value}':"
        f' {effect}; quote it: "{node.value}" ({notes})',
        severity=severity,
        fix=_rewrite(node, f'"{node.value}"'),
    )


_EXPECTS = {
    "string": "text",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}
_HANDS_ON = {
    "axolotl": "axolotl's pydantic model refuses the config (ValidationError)",
    "trl": "TRL hands it on as it is and the model loader or trainer fails on it",
    "llamafactory": "LLaMA-Factory hands it on to its dataclasses unconverted, and they fail on it",
    "torchtune": "torchtune hands it on unconverted to the recipe or component, which fails on it",
    "verl": "verl hands it on to its config classes or components, which fail on it",
}


def _shapes(mapping: Mapping, prefix: str, dialect: str) -> Iterator[tuple[str, Node, Kind]]:
    """Lists and mappings under keys the key list types as one value (text, number...)."""
    sections = key_sections(dialect)
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        if isinstance(value, Scalar) or (not prefix and key.value in _SKIP):
            continue
        if isinstance(value, Mapping) and path in sections:
            yield from _shapes(value, f"{path}.", dialect)
        elif not isinstance(value, Mapping) and f"{path}[]" in sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _shapes(item, f"{path}[].", dialect)
        elif path not in sections:
            kind = _kind(dialect, path)
            if kind is not None and _one_value(path, kind):
                yield path, value, kind


# text fields that name one model or directory (elsewhere a list for a text field is often
# fine in practice: the key lists type PEFT's target_modules as text, it takes a list)
_ONE_TEXT = frozenset(
    {"base_model", "base_model_config", "model_name_or_path", "tokenizer_name_or_path",
     "output_dir", "model.path", "actor_rollout_ref.model.path", "model.partial_pretrain"}
)  # fmt: skip


def _one_value(path: str, kind: Kind) -> bool:
    if kind.container:
        return False
    return bool(kind.json_types & {"number", "integer", "boolean"}) or path in _ONE_TEXT


def _wrong_shape(ctx: Context, path: str, node: Node, kind: Kind) -> Report:
    shape = "a mapping" if isinstance(node, Mapping) else "a list"
    wanted = " or ".join(_EXPECTS.get(t, t) for t in sorted(kind.json_types - {"null"}))
    return Report(
        node,
        f"{path} is {shape}, but it takes one value ({wanted}): {_HANDS_ON[ctx.dialect]};"
        " write the one value meant",
        severity=Severity.ERROR,
    )


def check(ctx: Context) -> Iterator[Report]:
    if ctx.dialect == "plain":
        return
    for path, node, kind in _shapes(ctx.reader.root, "", ctx.dialect):
        yield _wrong_shape(ctx, path, node, kind)
    seen: set[int] = set()
    for slot in _walk(ctx.reader.root, "", ctx.dialect):
        if id(slot.node) in seen:
            continue  # an aliased node: report it once
        seen.add(id(slot.node))
        if ctx.dialect == "axolotl":
            report = _axolotl(slot)
        elif ctx.dialect == "trl":
            report = _trl(ctx, slot)
        elif ctx.dialect == "llamafactory":
            report = _llamafactory(slot)
        else:
            report = _omegaconf(ctx, slot)
        if report is not None:
            yield report


RULE = Rule("Y003", "loader-surprise", Severity.ERROR, SOURCE, __doc__ or "", check, fixable=True)
