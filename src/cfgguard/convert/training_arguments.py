"""``convert`` writers for the transformers ``TrainingArguments`` fields TRL and
LLaMA-Factory write alike (both hand them to ``TrainingArguments``)."""

from __future__ import annotations

from cfgguard.convert.base import (
    Handler,
    grpo_batch,
    optimizer,
    precision,
    simple,
    written,
)
from cfgguard.convert.tree import Out
from cfgguard.convert.view import Item, Read


def _trl_warmup(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    out.put(name, "warmup_steps", written(name, item))  # a float below 1 is a ratio (TF 5)


def _hf_steps(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if isinstance(item.value, float) and not item.value.is_integer():
        out.skip(name, "a fractional warmup_steps is a ratio in transformers 5")
    else:
        out.put(name, "warmup_steps", written(name, item))


def _eval(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        del src
        out.put(name, key, written(name, item))
        out.put(name, "eval_strategy", "steps")

    return handle


# the TrainingArguments fields written another way than to the key they are read from
TRAINING_ARGUMENTS: dict[str, Handler] = {
    "warmup_ratio": _trl_warmup,
    "warmup_steps": _hf_steps,
    "optimizer": optimizer("optim"),
    "micro_batch_size": grpo_batch(
        "per_device_train_batch_size",
        "gradient_accumulation_steps",
        simple("per_device_train_batch_size"),
    ),
    "gradient_accumulation_steps": grpo_batch(
        "gradient_accumulation_steps",
        "gradient_accumulation_steps",
        simple("gradient_accumulation_steps"),
    ),
    "eval_steps": _eval("eval_steps"),
    "group_size": simple("num_generations"),
    "temperature": simple("temperature"),
    "precision": precision,
}
