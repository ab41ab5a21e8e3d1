"""Shared pieces of the ``convert`` writers: how a field is written, handler shapes."""

from __future__ import annotations

from collections.abc import Callable

from cfgguard.convert.tree import Out
from cfgguard.convert.view import Item, Read, expand
from cfgguard.helpers.yamltext import Scalar

HF_SOURCES = frozenset({"axolotl", "trl", "llamafactory"})  # optimizer names are HF's
PRECISION_FLAGS = {"bf16": ("bf16", True), "fp16": ("fp16", True), "fp32": ("bf16", False)}
Handler = Callable[[Out, str, Item, Read], None]


def optimizer_name(item: Item, src: Read) -> str | None:
    """A transformers ``OptimizerNames`` value for the source's optimizer."""
    if src.dialect in HF_SOURCES and isinstance(item.raw, str):
        return item.raw
    return {"adamw": "adamw_torch", "adamw_8bit": "adamw_8bit"}.get(str(item.value))


def names(value: object) -> list[Scalar]:
    """A tuple of module names as a list to write (empty for anything else)."""
    return list[Scalar](expand(value, None) or [])


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


def simple(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        del src
        out.put(name, key, written(name, item))

    return handle


def optimizer(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        got = optimizer_name(item, src)
        if got is None:
            out.skip(name, f"no transformers optimizer name for {item.raw}")
        else:
            out.put(name, key, got)

    return handle


def precision(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    flag = PRECISION_FLAGS.get(str(item.value))
    if item.value == "auto":
        out.approximate(name, "bf16", True, "axolotl's auto (bf16 where the GPU has it) as bf16")
    elif flag is None:
        out.skip(name, f"no {out.dialect} spelling of precision '{item.value}'")
    else:
        out.put(name, flag[0], flag[1])
