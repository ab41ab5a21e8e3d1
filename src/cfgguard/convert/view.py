"""The canonical config as plain values, normalised so that dialects can be compared.

``convert`` writes from this view and its round-trip tests compare views. Normalising
only removes differences of spelling, never of meaning:

* warmup: a ``warmup_steps`` below 1 in TRL/LLaMA-Factory is a ratio (transformers 5), so
  it is read as ``warmup_ratio``; a zero warmup beside a set one is dropped.
* targets: a sorted tuple of module names (torchtune's ``apply_lora_to_output: true``
  adds the model's output layer), or ``all-linear``, or ``regex:<pattern>``.
* optimizer: the family (``adamw``, ``adamw_8bit``, ``sgd``...): torchtune and verl name
  the class (``AdamW``), the Hugging Face dialects the implementation
  (``adamw_torch_fused``); both are AdamW.
* precision: ``bf16``/``fp16``/``fp32``/``auto`` (torchtune ``bf16``, verl ``bfloat16``).
"""

from __future__ import annotations

from typing import cast

from cfgguard.canonical import Canonical, Targets
from cfgguard.check import Options, analyse
from cfgguard.dialects import BY_NAME
from cfgguard.dialects.base import Reader
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass
from cfgguard.source import Source

PRECISION = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32", "fp64": "fp64"}


@dataclass(frozen=True, slots=True)
class Item:
    value: object
    origin: str  # "file", "default", "derived"
    key: str  # where the source dialect keeps it
    raw: object = None  # the value before normalising (an optimizer's own name)


View = dict[str, Item]


def optimizer_family(name: str) -> str:
    lowered = name.lower().rsplit(".", 1)[-1]
    for bits in ("8bit", "4bit"):
        if "adam" in lowered and bits in lowered:
            return f"adamw_{bits}"
    if "adam" in lowered:
        return "adamw"
    return lowered


def targets_value(targets: Targets, model: ModelFacts | None) -> str | tuple[str, ...]:
    """``regex:<p>``, ``all-linear``, ``("all-linear", *extras)`` or sorted names.

    With the model known, a list naming every projection is ``all-linear`` (plus what
    else it names): ``[q_proj, ..., down_proj, lm_head]`` and axolotl's
    ``lora_target_linear: true`` + ``[lm_head]`` are the same targets."""
    if targets.regex is not None:
        return f"regex:{targets.regex}"
    names = set(targets.names)
    if targets.output:
        names.add(model.head_module if model else "lm_head")
    if model is None:
        listed = tuple(sorted(names))
        return ("all-linear", *listed) if targets.all_linear else listed
    linear = set(model.modules.linear)
    if targets.all_linear:
        names |= linear
    if "qkv_proj" in linear and {"q_proj", "k_proj", "v_proj"} <= names:
        names = (names - {"q_proj", "k_proj", "v_proj"}) | {"qkv_proj"}
    if names and linear <= names:
        extra = tuple(sorted(names - linear))
        return ("all-linear", *extra) if extra else "all-linear"
    return tuple(sorted(names))


def _strings(value: object) -> list[str] | None:
    if not isinstance(value, tuple):
        return None
    items = cast(tuple[object, ...], value)
    return [str(v) for v in items]


def union_extra(value: object) -> list[str] | None:
    """The names beside ``all-linear`` in a union (``("all-linear", "lm_head")``)."""
    items = _strings(value)
    return items[1:] if items and items[0] == "all-linear" else None


def expand(value: object, model: ModelFacts | None) -> list[str] | None:
    """Explicit module names for a normalised target value (None: a regex or unknown)."""
    extra = union_extra(value)
    if value == "all-linear" or extra is not None:
        return None if model is None else [*model.modules.linear, *(extra or [])]
    return _strings(value)


def model_name(model_id: str) -> str:
    """``meta-llama/Llama-3.1-8B-Instruct`` and ``/tmp/Llama-3.1-8B-Instruct/`` -> one name.

    torchtune names a checkpoint directory, the others a hub id: the last path part is
    what both keep (and it tells an Instruct model from its base)."""
    return model_id.strip().rstrip("/").replace("\\", "/").rsplit("/", 1)[-1].lower()


def _normal(name: str, value: object, model: ModelFacts | None) -> object:
    if name == "base_model" and isinstance(value, str):
        return model_name(value)
    if name == "target_modules" and isinstance(value, Targets):
        return targets_value(value, model)
    if name == "optimizer" and isinstance(value, str):
        return optimizer_family(value)
    if name == "precision" and isinstance(value, str):
        return PRECISION.get(value, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if isinstance(value, float) or name in _FLOATS else value
    return value


_FLOATS = frozenset(
    {"learning_rate", "lora_alpha", "lora_dropout", "warmup_ratio", "warmup_steps",
     "adam_beta1", "adam_beta2", "adam_epsilon", "weight_decay", "max_grad_norm",
     "num_epochs", "eval_steps", "dpo_beta", "temperature"}
)  # fmt: skip


def view_of(config: Canonical, dialect: str, model: ModelFacts | None) -> View:
    out: View = {}
    for name, f in config.items():
        if name in ("apply_lora_to_mlp", "apply_lora_to_output", "lora_attn_modules_ignored"):
            continue  # folded into target_modules
        out[name] = Item(_normal(name, f.value, model), f.origin, f.key, f.value)
    steps = out.get("warmup_steps")
    fraction = steps is not None and isinstance(steps.value, float) and 0 < steps.value < 1
    # transformers reads a warmup_steps below 1 as a ratio (TrainingArguments, TF 5)
    ratio_steps = BY_NAME[dialect].traits.warmup == "training_arguments"
    if ratio_steps and steps is not None and fraction:
        out["warmup_ratio"] = Item(steps.value, steps.origin, steps.key, steps.value)
        del out["warmup_steps"]
    ratio, steps = out.get("warmup_ratio"), out.get("warmup_steps")
    if ratio is not None and steps is not None:
        if steps.value == 0:
            del out["warmup_steps"]
        elif ratio.value == 0:
            del out["warmup_ratio"]
    return out


@dataclass(frozen=True, slots=True)
class Read:
    dialect: str
    config: Canonical
    model: ModelFacts | None
    view: View
    reader: Reader | None = None  # the source document: figures as ``check`` derives them


def read_view(source: Source, dialect: str | None = None) -> Read | None:
    """The first document's view (None: not a config cfgguard recognises)."""
    problems, analyses = analyse(source, Options(dialect=dialect))
    if any(p.kind == "syntax" for p in problems):
        return None
    for a in analyses:
        if a.config is not None and a.detection is not None:
            name = a.detection.dialect.name
            return Read(name, a.config, a.model, view_of(a.config, name, a.model), a.reader)
    return None
