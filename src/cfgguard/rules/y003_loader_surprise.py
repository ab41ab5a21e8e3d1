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
  the fields of TRL and LLaMA-Factory with a closed value list, `warning` elsewhere.
- **A list or mapping for a one-value field** (`base_model: [a, b]`,
  `learning_rate: [1]`): a field typed as a number (maybe also text), the model or
  output path, or, for axolotl, a boolean. Other text fields are left alone: a list
  often works there in practice (PEFT's `target_modules`), and the other loaders test a
  boolean's truth, which a list passes. axolotl's pydantic model refuses it
  (ValidationError); TRL, LLaMA-Factory, torchtune and verl hand it on as it is, and the
  model loader or the optimizer fails on it (`AdamW(lr=[1])`: a TypeError): `error`. No
  fix (which value was meant?).

A field's type is the one its framework declares at the newest release the repository
allows (the same key data K001 judges keys with: the annotation of the dataclass or
pydantic field, verl's trainer-config default, torchtune's recipe reads); where that
data gives none (torchtune reads most keys untyped, and a component's arguments are the
component's), the type the dialect itself reads the value as (`optimizer.lr`: a number).
Keys the data does not know are left to K001. The plain format is not checked (no
framework reads it).

## Why is this bad?
The value reaches the trainer as the wrong type: the run stops at startup (a validation
error, an argparse exit), or later in the optimizer or scheduler with a type error, or
the option silently takes another meaning.

Severity `error`: the loader's own code (cited below) hands the string or boolean on to
a field that cannot take it, which stops the run or silently changes the option.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
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
- YAML 1.1 scalars: PyYAML 6.0.2 `yaml/resolver.py:170` (`yes`/`no`/`on`/`off` are
  booleans) and `:177` (a float needs a dot, its exponent a sign). OmegaConf 2.3.0
  `omegaconf/_utils.py:154` (`get_yaml_loader` adds floats without a dot or sign).
- axolotl 0.21.0: `axolotl/cli/config.py:248` (`yaml.safe_load`),
  `axolotl/utils/config/__init__.py:604` (the pydantic `AxolotlInputConfig`),
  `axolotl/utils/schemas/training.py:320` (`learning_rate` converted from text);
  pydantic 2.11's conversion table (lax mode: text to float yes, `'1e3'` to int no, a
  boolean or a list to str no).
- TRL 1.16.0: `trl/scripts/utils.py:327` (`yaml.safe_load`) and `:378` (each value
  becomes an argparse default); CPython 3.11 `Lib/argparse.py:2134` (only a default that
  is a string is converted with the option's type).
- transformers 5.24.0: `transformers/hf_argparser.py:426` (`parse_yaml_file` reads with
  `yaml.safe_load`) and `:380` (the dataclass gets the values unconverted),
  `transformers/training_args.py:1558` (`IntervalStrategy(self.eval_strategy)`);
  alignment-handbook `c8f5bdf` `src/alignment/configs.py:95` (`H4ArgumentParser.parse`
  calls `parse_yaml_file`).
- LLaMA-Factory: 0.9.3 `llamafactory/hparams/parser.py:65` (`yaml.safe_load`), 0.9.4
  `:75` (`OmegaConf.load`) and `:90` (`HfArgumentParser.parse_dict`: no conversion).
- torchtune 0.6.1: `torchtune/config/_parse.py:58` (`OmegaConf.load`),
  `torchtune/config/_instantiate.py:22` (the component is called with the values as
  loaded).
- verl 0.9.1: `verl/utils/config.py:50` (a `_target_` section is instantiated as
  written) and `:60-62` (a section merged into its dataclass is converted),
  `verl/workers/rollout/vllm_rollout/vllm_async_server.py:1099` (the model section).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.dialects.traits import Loader
from cfgguard.edits.build import fix, replace
from cfgguard.edits.numbers import EXPONENT, dotted
from cfgguard.findings import Fix, Severity
from cfgguard.records import dataclass
from cfgguard.rules._types import Kind, Types
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.yaml.nodes import Mapping, Node, Scalar
from cfgguard.yaml.scalars import looks_numeric, resolve

SOURCE = (
    "PyYAML 6.0.2 yaml/resolver.py:170,177 (YAML 1.1 booleans and floats); OmegaConf 2.3.0"
    " omegaconf/_utils.py:154; each framework's loader (cfgguard rule Y003)"
)
_PYYAML = "PyYAML 6.0.2 yaml/resolver.py:177 (a float needs a dot and a signed exponent)"
_BOOLEANS = "PyYAML 6.0.2 yaml/resolver.py:170 (yes/no/on/off are booleans)"
_HF_YAML = (
    "transformers 5.24.0 transformers/hf_argparser.py:426 (parse_yaml_file: yaml.safe_load),"
    " :380 (values unconverted); alignment-handbook c8f5bdf src/alignment/configs.py:95"
)
_ENUM = "transformers 5.24.0 transformers/training_args.py:1558-1563 (its Enum fields converted)"
_OMEGACONF_FLOAT = "OmegaConf 2.3.0 omegaconf/_utils.py:154 (floats without a dot)"
_BOOL_WORDS = frozenset({"yes", "no", "on", "off"})
_SKIP = frozenset({"env", "defaults", "hydra"})


# not frozen: one per scalar of every document, and a frozen record's __init__ costs
# three times as much (each field set past the frozen __setattr__)
@dataclass(slots=True)
class Slot:
    path: str  # the key path of the value (a list item: its list's path)
    node: Scalar
    kind: Kind | None
    container: str | None = None  # the free-form dict or list field holding it

    # Written out: a generated one would make a one-file run parse Python source for it
    def __init__(
        self, path: str, node: Scalar, kind: Kind | None, container: str | None = None
    ) -> None:
        self.path = path
        self.node = node
        self.kind = kind
        self.container = container


def _free(node: Node, path: str, container: str, types: Types) -> Iterator[Slot]:
    if isinstance(node, Scalar):
        yield Slot(path, node, types.read(path), container)
    elif isinstance(node, Mapping):
        for key, value in node.entries():
            yield from _free(value, f"{path}.{key.value}", container, types)
    else:
        for item in node.items:
            yield from _free(item, path, container, types)


def _walk(mapping: Mapping, prefix: str, types: Types) -> Iterator[Slot]:
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        if not prefix and key.value in _SKIP:
            continue
        kind = types.of(path)
        if isinstance(value, Scalar):
            if kind is not None:
                yield Slot(path, value, kind)
        elif isinstance(value, Mapping):
            if path in types.sections:
                yield from _walk(value, f"{path}.", types)
            elif (kind is not None and kind.container) or types.free_form(path):
                yield from _free(value, path, path, types)
        elif f"{path}[]" in types.sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _walk(item, f"{path}[].", types)
        elif kind is not None and kind.container:
            yield from _free(value, path, path, types)


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
    return EXPONENT.match(node.value.strip()) is not None and looks_numeric(node.value)


def _bool_word(node: Scalar) -> bool:
    return node.plain and node.value.lower() in _BOOL_WORDS


def _quoted_number(node: Scalar) -> bool:
    return node.style in ("'", '"') and node.tag is None and looks_numeric(node.value.strip())


# -- per loader -------------------------------------------------------------------


def _join(*sources: str) -> str:
    return "; ".join(s for s in sources if s)


def _where(slot: Slot) -> str:
    return f"{slot.path}: {slot.node.value}"


def _unconverted(slot: Slot, effect: str, source: str) -> Report:
    """A YAML 1.1 text number inside a container the framework never converts.

    ``effect`` names the container as ``{container}``."""
    node = slot.node
    return Report(
        node,
        f"{_where(slot)} stays the string '{node.value}': PyYAML reads a number without a"
        f" dot and a signed exponent as text, and {effect.format(container=slot.container)};"
        f" write {dotted(node.value)}",
        source=f"{_PYYAML}; {source}",
        severity=Severity.ERROR,
        fix=_rewrite(node, dotted(node.value)),
    )


def _pydantic(slot: Slot, loads: str) -> Report | None:
    node, kind = slot.node, slot.kind
    if slot.container is not None:
        if not _numeric_string(node):
            return None
        effect = "axolotl does not convert values inside the free-form dict {container}"
        return _unconverted(slot, effect, loads)
    if kind is None:
        return None
    if kind.integer and _numeric_string(node):
        return Report(
            node,
            f"{_where(slot)} is the string '{node.value}' to PyYAML and {slot.path} is an"
            f" integer field, which pydantic cannot parse from that text: axolotl refuses the"
            f" config; write {_as_int(node.value)}",
            source=f"{_PYYAML}; {loads}",
            severity=Severity.ERROR,
            fix=_rewrite(node, _as_int(node.value)),
        )
    if kind.text and _bool_word(node):
        effect = "axolotl refuses a boolean for a text field (ValidationError)"
        return _boolean(slot, effect, Severity.ERROR, loads)
    return None


def _old_handbook(ctx: Context) -> bool:
    return ctx.reader.root.get("dataset_mixer") is not None


def _argparse(ctx: Context, slot: Slot, loads: str) -> Report | None:
    node, kind = slot.node, slot.kind
    if slot.container is not None:
        if not _numeric_string(node):
            return None
        effect = "TrlParser passes values inside {container} through unconverted"
        return _unconverted(slot, effect, loads)
    if kind is None:
        return None
    if kind.integer and (_numeric_string(node) or _quoted_number(node)):
        text = node.value.strip()
        try:
            int(text)
        except ValueError:
            return Report(
                node,
                f"{_where(slot)} is the string '{text}' to PyYAML and {slot.path} is an"
                f" integer field: argparse's int() rejects it and TrlParser exits ('invalid"
                f" int value'); write {_as_int(text)}",
                source=f"{_PYYAML}; {loads}",
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
            f" trainer fails; write {fixed}",
            source=f"{_PYYAML}; {_HF_YAML}",
            severity=Severity.ERROR if old else Severity.INFO,
            fix=_rewrite(node, fixed),
        )
    if kind.text and _bool_word(node):
        if kind.choices:
            effect, source = _not_a_choice(kind)
            return _boolean(slot, effect, Severity.ERROR, _join(loads, source))
        return _boolean(slot, "TrlParser passes the boolean on", Severity.WARNING, loads)
    return None


def _not_a_choice(kind: Kind) -> tuple[str, str]:
    """What becomes of a boolean for a field with a closed value list, and the source."""
    if kind.enum and kind.package == "transformers":
        return f"transformers raises on it ('False is not a valid {kind.enum}')", _ENUM
    shown = ", ".join(kind.choices[:4]) + (", ..." if len(kind.choices) > 4 else "")
    return f"it is none of the values the field takes ({shown})", ""


def _parse_dict(slot: Slot, loads: str) -> Report | None:
    node, kind = slot.node, slot.kind
    if kind is None or slot.container is not None:
        return None  # OmegaConf reads numbers inside dicts as numbers
    if kind.numeric and "string" not in kind.json_types and _quoted_number(node):
        effect = "LLaMA-Factory passes YAML values to its dataclasses unconverted"
        return _quoted(slot, effect, Severity.ERROR, loads)
    if kind.integer and node.plain and _exponent(node):
        return _float_for_int(slot, loads)
    if kind.numeric and _numeric_string(node):
        return Report(
            node,
            f"{_where(slot)} is a float for LLaMA-Factory 0.9.4 and later (OmegaConf), but the"
            f" string '{node.value}' for 0.9.3 and older (yaml.safe_load), where training"
            f" fails; write {dotted(node.value)} to work on both",
            source=f"{_PYYAML}; {loads}",
            severity=Severity.INFO,
            fix=_rewrite(node, dotted(node.value)),
        )
    if kind.text and _bool_word(node):
        if kind.choices:
            effect, source = _not_a_choice(kind)
            return _boolean(slot, effect, Severity.ERROR, _join(loads, source))
        effect = "LLaMA-Factory passes the boolean on"
        return _boolean(slot, effect, Severity.WARNING, loads)
    return None


def _omegaconf(slot: Slot, loader: Loader) -> Report | None:
    """torchtune and verl: OmegaConf reads exponents as floats; nothing converts types."""
    node, kind = slot.node, slot.kind
    if kind is None:
        return None
    source, as_loaded = loader.source, loader.conversion == "components"
    if kind.numeric and "string" not in kind.json_types and _quoted_number(node):
        if as_loaded:
            effect = "torchtune passes it unconverted to the recipe or component"
            return _quoted(slot, effect, Severity.ERROR, source)
        if not slot.path.startswith(loader.converted):
            effect = (
                "verl converts it only in sections merged into a typed dataclass, not in"
                " _target_ or plain sections"
            )
            return _quoted(slot, effect, Severity.WARNING, source)
    if as_loaded and kind.integer and node.plain and _exponent(node):
        return _float_for_int(slot, source)
    if kind.text and _bool_word(node):
        return _boolean(slot, f"{loader.who} passes the boolean on", Severity.WARNING, source)
    return None


def _convert(ctx: Context, slot: Slot, loader: Loader) -> Report | None:
    """What the loader's conversion makes of one scalar."""
    if loader.conversion == "pydantic":
        return _pydantic(slot, loader.source)
    if loader.conversion == "argparse_defaults":
        return _argparse(ctx, slot, loader.source)
    if loader.conversion == "parse_dict":
        return _parse_dict(slot, loader.source)
    return _omegaconf(slot, loader)


def _quoted(slot: Slot, effect: str, severity: Severity, source: str) -> Report:
    node = slot.node
    return Report(
        node,
        f"{slot.path}: \"{node.value}\" is quoted, so it stays the string '{node.value}':"
        f" {effect}; remove the quotes",
        source=source,
        severity=severity,
        fix=_rewrite(node, node.value.strip()),
    )


def _float_for_int(slot: Slot, source: str) -> Report:
    node = slot.node
    value = float(node.value.replace("_", ""))
    return Report(
        node,
        f"{_where(slot)} is read as the float {fmt(value)}, and {slot.path} is an integer"
        f" field that nothing converts back (range() and friends fail on a float); write"
        f" {_as_int(node.value)}",
        source=f"{_OMEGACONF_FLOAT}; {source}",
        severity=Severity.WARNING,
        fix=_rewrite(node, _as_int(node.value)),
    )


def _boolean(slot: Slot, effect: str, severity: Severity, source: str) -> Report:
    node = slot.node
    value = node.value.lower() in ("yes", "on")
    return Report(
        node,
        f"{_where(slot)} is the boolean {value} under YAML 1.1, not the text '{node.value}':"
        f' {effect}; quote it: "{node.value}"',
        source=f"{_BOOLEANS}; {source}",
        severity=severity,
        fix=_rewrite(node, f'"{node.value}"'),
    )


# -- a list or a mapping for one value ------------------------------------------------

_EXPECTS = {
    "string": "text",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}


def _shapes(mapping: Mapping, prefix: str, types: Types) -> Iterator[tuple[str, Node, Kind]]:
    """Lists and mappings under keys typed as one value (text, number...)."""
    for key, value in mapping.entries():
        path = f"{prefix}{key.value}"
        if isinstance(value, Scalar) or (not prefix and key.value in _SKIP):
            continue
        if isinstance(value, Mapping) and path in types.sections:
            yield from _shapes(value, f"{path}.", types)
        elif not isinstance(value, Mapping) and f"{path}[]" in types.sections:
            for item in value.items:
                if isinstance(item, Mapping):
                    yield from _shapes(item, f"{path}[].", types)
        elif path not in types.sections:
            kind = types.declared(path)
            if kind is not None:
                yield path, value, kind


# text fields that name one model or directory (elsewhere a list for a text field is often
# fine in practice: PEFT's target_modules is typed as text in some releases, it takes a list)
_ONE_TEXT = frozenset(
    {"base_model", "base_model_config", "model_name_or_path", "tokenizer_name_or_path",
     "output_dir", "model.path", "actor_rollout_ref.model.path", "model.partial_pretrain"}
)  # fmt: skip


def _one_value(path: str, kind: Kind, loader: Loader) -> bool:
    if kind.container:
        return False
    wanted = {"number", "integer"} | ({"boolean"} if loader.checks_booleans else set[str]())
    return bool(kind.json_types & wanted) or path in _ONE_TEXT


def _wrong_shape(path: str, node: Node, kind: Kind, loader: Loader) -> Report:
    shape = "a mapping" if isinstance(node, Mapping) else "a list"
    wanted = " or ".join(_EXPECTS.get(t, t) for t in sorted(kind.json_types - {"null"}))
    return Report(
        node,
        f"{path} is {shape}, but it takes one value ({wanted}): {loader.hands_on};"
        " write the one value meant",
        source=loader.source,
        severity=Severity.ERROR,
    )


def check(ctx: Context) -> Iterator[Report]:
    loader = ctx.traits.loader
    if loader is None:
        return  # plain: no framework reads it
    types = Types(ctx.keys(), ctx.config)
    for path, node, kind in _shapes(ctx.reader.root, "", types):
        if _one_value(path, kind, loader):
            yield _wrong_shape(path, node, kind, loader)
    seen: set[int] = set()
    for slot in _walk(ctx.reader.root, "", types):
        if id(slot.node) in seen:
            continue  # an aliased node: report it once
        seen.add(id(slot.node))
        report = _convert(ctx, slot, loader)
        if report is not None:
            yield report


RULE = Rule("Y003", "loader-surprise", Severity.ERROR, SOURCE, __doc__ or "", check, fixable=True)
