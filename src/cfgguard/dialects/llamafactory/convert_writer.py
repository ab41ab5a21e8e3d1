"""``convert --to llamafactory``: TRL's ``TrainingArguments`` keys plus LLaMA-Factory's
own (``stage``, ``finetuning_type``, ``lora_target``, ``cutoff_len``, ``pref_beta``)."""

from __future__ import annotations

from cfgguard.convert.base import Handler, model_names, names, put_names, simple
from cfgguard.convert.training_arguments import TRAINING_ARGUMENTS
from cfgguard.convert.tree import Out, Refused
from cfgguard.convert.view import Item, Read, expand
from cfgguard.dialects.llamafactory.init_writer import template


def _lf_method(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    stage = {"sft": "sft", "dpo": "dpo", "kto": "kto", "rm": "rm", "ppo": "ppo", "pretrain": "pt"}
    method = str(item.value)
    if method in stage:
        out.put(name, "stage", stage[method])
    elif method in ("orpo", "simpo"):
        out.put(name, "stage", "dpo")
        out.put(name, "pref_loss", method)
    else:
        raise Refused(
            f"LLaMA-Factory has no {method} trainer"
            " (llamafactory 0.9.5 hparams/finetuning_args.py:460, stage)"
        )
    out.put(name, "do_train", True)


def _lf_adapter(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value in ("lora", "qlora", "full"):
        out.put(name, "finetuning_type", "full" if item.value == "full" else "lora")
        if item.value == "qlora":
            out.put(name, "quantization_bit", 4)
    else:
        out.skip(name, f"adapter '{item.value}'")


def _lf_targets(out: Out, name: str, item: Item, src: Read) -> None:
    value = item.value
    listed = expand(value, src.model)
    if value == "all-linear":
        out.put(name, "lora_target", "all")
    elif listed:
        fitted, note = model_names(listed, src.model)
        put_names(out, name, "lora_target", ",".join(fitted), note)
    else:
        out.skip(name, "lora_target takes names or 'all', no regex")


# the TrainingArguments fields written their own way, as TRL writes them (the rest are
# written to the keys LLaMA-Factory reads them from: field_map.py)
WRITERS: dict[str, Handler] = {
    **TRAINING_ARGUMENTS,
    "method": _lf_method,
    "adapter": _lf_adapter,
    "lora_alpha": simple("lora_alpha"),  # read with its 2 x lora_rank default
    "target_modules": _lf_targets,
    "modules_to_save": lambda out, n, i, s: out.put(
        n, "additional_target", ",".join(str(v) for v in names(i.value))
    ),
}
del WRITERS["group_size"], WRITERS["temperature"]


def placeholders(out: Out, src: Read) -> None:
    out.placeholder("dataset", "replace_with_your_dataset", "a name in data/dataset_info.json")
    if src.model is not None:
        name, why = template(src.model.family)
        out.placeholder("template", name, why)
    else:
        out.placeholder("template", "default", "replace: the model's chat template")
    out.placeholder("output_dir", "saves/converted")
