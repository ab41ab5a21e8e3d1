"""``convert --to plain``: the quick reference's Common Configurations format.

The format has one batch (``batch_size``, the whole batch of a step), steps but no
epochs, and a warmup ratio but no step count, so a split batch and warmup steps are
written through a conversion (approximated).
"""

from __future__ import annotations

from cfgguard.convert.base import (
    Handler,
    model_names,
    put_names,
    source_context,
)
from cfgguard.convert.tree import Out, Refused, whole
from cfgguard.convert.view import Item, Read, expand
from cfgguard.derived.batch_steps import optimizer_batch
from cfgguard.helpers.yamltext import Scalar


def _method(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value not in ("sft", "dpo", "grpo"):
        raise Refused(f"the plain format describes sft, dpo and grpo, not {item.value}")
    out.mapped.append(name)  # beta means DPO, group_size GRPO, else SFT


def _adapter(out: Out, name: str, item: Item, src: Read) -> None:
    if item.value == "full":
        out.mapped.append(name)
    elif item.value == "lora" and "lora_rank" in src.view:
        out.mapped.append(name)  # lora_rank means LoRA
    else:
        out.skip(name, f"'{item.value}' has no key (lora_rank alone means LoRA)")


def _targets(out: Out, name: str, item: Item, src: Read) -> None:
    listed = expand(item.value, src.model)
    if item.value == "all-linear":
        out.put(name, "target_modules", "all-linear")
    elif listed:
        fitted, note = model_names(listed, src.model)
        put_names(out, name, "target_modules", list[Scalar](fitted), note)
    else:
        out.skip(name, "target_modules takes names or all-linear")


def _batch(out: Out, name: str, item: Item, src: Read) -> None:
    """The batch of one update as ``check`` counts it (GRPO: prompts, verl: its mini-batch)."""
    ctx = source_context(src)
    figure = optimizer_batch(ctx) if ctx is not None else None
    if figure is None:
        out.skip(name, "the batch of one update is not known here")
        return
    total = max(1, round(figure.value))
    accum = src.view.get("gradient_accumulation_steps")
    if total == item.value:
        out.put(name, "batch_size", total)
        if accum is not None:
            out.mapped.append("gradient_accumulation_steps")
        return
    out.approximate(name, "batch_size", total, f"batch_size is the whole batch: {figure.note}")
    if accum is not None:
        out.approx.append(("gradient_accumulation_steps", "folded into batch_size"))


def _optimizer(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    out.put(name, "optimizer", str(item.value))


def _betas(out: Out, name: str, item: Item, src: Read) -> None:
    del item
    b1, b2 = src.view.get("adam_beta1"), src.view.get("adam_beta2")
    pair = [whole(b1.value if b1 else 0.9), whole(b2.value if b2 else 0.999)]
    if b1 is not None and b2 is not None:
        out.put("adam_beta1", "betas", pair)
        out.mapped.append("adam_beta2")
    elif name not in out.mapped:
        out.approximate(name, "betas", pair, "betas is a pair: the other one is AdamW's default")


def _warmup_steps(out: Out, name: str, item: Item, src: Read) -> None:
    steps = src.view.get("max_steps")
    if steps is None or not isinstance(item.value, float) or not steps.value:
        out.skip(name, "the format has a warmup ratio, no step count")
        return
    ratio = round(item.value / float(str(steps.value)), 4)
    out.approximate(name, "warmup_ratio", ratio, f"{item.value:g} steps of {steps.value}")


# (the fields the format holds in one key are written there: field_map.py FIELDS)
WRITERS: dict[str, Handler] = {
    "method": _method,
    "adapter": _adapter,
    "target_modules": _targets,
    "micro_batch_size": _batch,
    "optimizer": _optimizer,
    "adam_beta1": _betas,
    "adam_beta2": _betas,
    "warmup_steps": _warmup_steps,
}


def placeholders(out: Out, src: Read) -> None:
    del out, src
