"""``convert --to trl``: canonical fields onto TRL's keys (its ``TrainingArguments``
writers are shared with LLaMA-Factory: ``cfgguard.convert.training_arguments``)."""

from __future__ import annotations

from cfgguard.convert.base import (
    Handler,
    model_names,
    names,
    put_names,
    simple,
    written,
)
from cfgguard.convert.training_arguments import TRAINING_ARGUMENTS
from cfgguard.convert.tree import Out, Refused
from cfgguard.convert.view import Item, Read, expand
from cfgguard.helpers.yamltext import Scalar


def _trl_method(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value not in ("sft", "dpo", "grpo"):
        raise Refused(f"cfgguard writes TRL configs for sft, dpo and grpo, not {item.value}")
    out.mapped.append(name)  # TRL picks the trainer by subcommand; keys imply it


def _trl_adapter(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value == "full":
        out.mapped.append(name)
    elif item.value in ("lora", "qlora"):
        out.put(name, "use_peft", True)
        if item.value == "qlora":
            out.put(name, "load_in_4bit", True)
    else:
        out.skip(name, f"adapter '{item.value}'")


def _trl_targets(out: Out, name: str, item: Item, src: Read) -> None:
    value = item.value
    listed, note = model_names(expand(value, src.model) or [], src.model)
    if isinstance(value, str) and value.startswith("regex:"):
        out.put(name, "lora_target_modules", value.removeprefix("regex:"))
    elif value == "all-linear":
        out.put(name, "lora_target_modules", "all-linear")
    elif len(listed) > 1:
        put_names(out, name, "lora_target_modules", list[Scalar](listed), note)
    else:
        out.skip(name, "TRL reads a one-item list as a regex")


def _trl_seq(out: Out, name: str, item: Item, src: Read) -> None:
    method = src.view.get("method")
    if method is not None and method.value == "grpo":
        out.skip(name, "TRL GRPO has prompt and completion lengths, no total")
    else:
        out.put(name, "max_length", written(name, item))


# (the fields TRL reads from one key are written there: field_map.py)
WRITERS: dict[str, Handler] = {
    **TRAINING_ARGUMENTS,
    "method": _trl_method,
    "adapter": _trl_adapter,
    "target_modules": _trl_targets,
    "modules_to_save": lambda out, n, i, s: out.put(n, "lora_modules_to_save", names(i.value)),
    "learning_rate": simple("learning_rate"),
    "max_seq_len": _trl_seq,
    "dpo_beta": simple("beta"),
}


def placeholders(out: Out, src: Read) -> None:
    del src
    out.placeholder("dataset_name", "replace/with-your-dataset", "not converted")
    out.placeholder("output_dir", "outputs/converted")
