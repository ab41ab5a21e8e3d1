"""Shared pieces of the ``convert`` writers: how a field is written, handler shapes."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from cfgguard.convert.tree import Out, Value
from cfgguard.convert.view import Item, Read, expand
from cfgguard.derived.batch_steps import devices, optimizer_batch
from cfgguard.derived.context import Context
from cfgguard.derived.targets import known_names
from cfgguard.dialects import BY_NAME
from cfgguard.dialects.fields import Key, Layout, key_for, layout_for
from cfgguard.helpers.yamltext import Scalar
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass

PRECISION_FLAGS = {"bf16": ("bf16", True), "fp16": ("fp16", True), "fp32": ("bf16", False)}
Handler = Callable[[Out, str, Item, Read], None]


def optimizer_name(item: Item, src: Read) -> str | None:
    """A transformers ``OptimizerNames`` value for the source's optimizer."""
    if BY_NAME[src.dialect].writing.hf_optimizer_names and isinstance(item.raw, str):
        return item.raw
    return {"adamw": "adamw_torch", "adamw_8bit": "adamw_8bit"}.get(str(item.value))


def names(value: object) -> list[Scalar]:
    """A tuple of module names as a list to write (empty for anything else)."""
    return list[Scalar](expand(value, None) or [])


# Split projections a model may fuse into one Linear (Phi-3: qkv_proj, gate_up_proj).
FUSED = (("qkv_proj", ("q_proj", "k_proj", "v_proj")), ("gate_up_proj", ("gate_proj", "up_proj")))


def model_names(names: list[str], model: ModelFacts | None) -> tuple[list[str], str]:
    """The names in the model's own modules (L006's knowledge), and what that changed.

    torchtune adapts q, k and v apart on every model; a model that fuses them (Phi-3)
    has only ``qkv_proj`` for PEFT, so q and v become qkv_proj (k is adapted too). A name
    the model lacks and no fusion explains stays: the source has the same problem."""
    if model is None:
        return names, ""
    known = known_names(model)
    fusions = {p: f for f, parts in FUSED if f in known for p in parts if p not in known}
    notes = [
        f"{model.id} fuses {', '.join(parts)} into {fused}, so it adapts"
        f" {', '.join(p for p in parts if p not in names)} too"
        for fused, parts in FUSED
        if any(fusions.get(p) == fused for p in names) and not set(parts) <= set(names)
    ]
    fitted = [fusions.get(n, n) for n in names]
    return list(dict.fromkeys(fitted)), "; ".join(notes)


WHOLE = frozenset(
    {"lora_rank", "lora_alpha", "micro_batch_size", "gradient_accumulation_steps", "max_steps",
     "max_seq_len", "group_size", "devices", "dataset_size", "eval_steps", "warmup_steps"}
)  # fmt: skip


def written(name: str, item: Item) -> Scalar:
    """The value to write: the model id as given, whole numbers as ints."""
    if name == "base_model":
        return str(item.raw)
    value = item.value
    if name in WHOLE and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def put_names(out: Out, name: str, path: str, value: Value, note: str) -> None:
    """Targets as written, or through a fusion of the model's (``model_names``' note)."""
    if note:
        out.approximate(name, path, value, note)
    else:
        out.put(name, path, value)


def source_context(src: Read) -> Context | None:
    """The source as ``check``'s rules see it, for the figures they derive (batch_steps)."""
    if src.reader is None:
        return None
    return Context(
        path="", dialect=src.dialect, config=src.config, model=src.model, reader=src.reader
    )


@dataclass(frozen=True, slots=True)
class GrpoShape:
    micro: int  # completions per device per pass
    accumulation: int
    exact: bool  # the source's own micro batch and accumulation
    note: str


def grpo_shape(src: Read) -> GrpoShape | None:
    """A GRPO batch a TRL-backed target accepts: the source's prompts per update (as
    ``check`` counts them, verl's mini-batch included) on its devices, in whole groups.

    axolotl needs micro x accumulation divisible by num_generations on any number of
    GPUs (axolotl 0.20.0 validation.py:1025), TRL the same times the world size (trl
    1.16.0 grpo_config.py:1098-1135): whole groups per device satisfy both."""
    method, group = src.view.get("method"), src.view.get("group_size")
    micro = src.view.get("micro_batch_size")
    if method is None or method.value != "grpo":
        return None
    if group is None or not isinstance(group.value, int) or group.value < 1:
        return None
    if micro is None or not isinstance(micro.value, int) or micro.value < 1:
        return None
    ctx = source_context(src)
    batch = optimizer_batch(ctx) if ctx is not None else None
    if ctx is None or batch is None:
        return None
    n = group.value
    per_device = max(1, math.ceil(batch.value * n / devices(ctx).n))
    size = min(micro.value, per_device)
    step = n // math.gcd(size, n)  # accumulations that make size x accumulation whole groups
    accumulation = math.ceil(math.ceil(per_device / size) / step) * step
    accum = src.view.get("gradient_accumulation_steps")
    given = accum.value if accum is not None and isinstance(accum.value, int) else 1
    note = (
        f"{size} x {accumulation} = {size * accumulation} completions per device per update,"
        f" whole groups of {n} ({batch.note})"
    )
    return GrpoShape(size, accumulation, (size, accumulation) == (micro.value, given), note)


def grpo_batch(key: str, accum_key: str, plain: Handler) -> Handler:
    """``micro_batch_size`` or ``gradient_accumulation_steps`` (at ``key``): GRPO's shape
    from ``grpo_shape``, anything else as ``plain`` writes it."""

    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        shape = grpo_shape(src)
        if shape is None:
            plain(out, name, item, src)
            return
        value = shape.micro if name == "micro_batch_size" else shape.accumulation
        if shape.exact:
            out.put(name, key, value)
        else:
            out.approximate(name, key, value, shape.note)
        out.tree.put(accum_key, shape.accumulation)  # also where the source has none (verl)

    return handle


def simple(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        del src
        out.put(name, key, written(name, item))

    return handle


def simple_writers(fields: Iterable[Key]) -> dict[str, Handler]:
    """A ``simple`` writer per field a dialect reads from one key (``Dialect.fields``)."""
    return {key.field: simple(key.path) for key in fields}


def layout_writers(layouts: tuple[Layout, ...]) -> dict[str, Handler]:
    """A writer per field some trainer of the format reads from one key (``Dialect.layouts``):
    to that key in the layout of the trainer the run's method needs."""

    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        method = src.view.get("method")
        layout = layout_for(layouts, str(method.value) if method is not None else None)
        path = key_for(layout.keys, name)
        if path is None:
            out.skip(name, f"no key in {layout.title}")
        else:
            out.put(name, path, written(name, item))

    return {key.field: handle for layout in layouts for key in layout.keys}


def optimizer(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        got = optimizer_name(item, src)
        if got is None:
            out.skip(name, f"no transformers optimizer name for {item.raw}")
        else:
            out.put(name, key, got)

    return handle


def precision(out: Out, name: str, item: Item, src: Read) -> None:
    flag = PRECISION_FLAGS.get(str(item.value))
    if item.value == "auto":
        source = BY_NAME[src.dialect].title
        out.approximate(name, "bf16", True, f"{source}'s auto (bf16 where the GPU has it) as bf16")
    elif flag is None:
        out.skip(name, f"no {out.dialect} spelling of precision '{item.value}'")
    else:
        out.put(name, flag[0], flag[1])
