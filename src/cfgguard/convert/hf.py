"""``convert`` writers for axolotl and TRL (the key mapping of ``cfgguard.dialects``).

Each writer maps canonical fields onto the dialect's keys and says why a field has no
key. LLaMA-Factory's reuses TRL's (both are transformers ``TrainingArguments``).
"""

from __future__ import annotations

from cfgguard.convert.base import (
    Handler,
    grpo_batch,
    model_names,
    names,
    optimizer,
    precision,
    put_names,
    simple,
    written,
)
from cfgguard.convert.tree import Out, Refused
from cfgguard.convert.view import Item, Read, expand, union_extra
from cfgguard.helpers.yamltext import Scalar

# -- axolotl -----------------------------------------------------------------------


def _ax_method(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    method = str(item.value)
    if method == "sft":
        out.mapped.append(name)
    elif method in ("dpo", "grpo", "kto", "orpo", "simpo"):
        out.put(name, "rl", method)
    elif method == "rm":
        out.put(name, "reward_model", True)
    else:
        raise Refused(
            f"axolotl has no {method} trainer (axolotl 0.21.0 utils/schemas/enums.py:31 RLType)"
        )


def _ax_adapter(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value == "full":
        out.mapped.append(name)
    elif item.value in ("lora", "qlora"):
        out.put(name, "adapter", str(item.value))
        if item.value == "qlora":
            out.put(name, "load_in_4bit", True)
    else:
        out.skip(name, f"adapter '{item.value}'")


def _ax_targets(out: Out, name: str, item: Item, src: Read) -> None:
    value = item.value
    if isinstance(value, str) and value.startswith("regex:"):
        out.put(name, "lora_target_modules", value.removeprefix("regex:"))
    elif value == "all-linear":
        out.put(name, "lora_target_linear", True)
    elif (listed := expand(value, None)) is None and (extra := union_extra(value)) is not None:
        out.put(name, "lora_target_linear", True)
        fitted, note = model_names(extra, src.model)
        put_names(out, name, "lora_target_modules", list[Scalar](fitted), note)
    else:
        fitted, note = model_names(listed or [], src.model)
        put_names(out, name, "lora_target_modules", list[Scalar](fitted), note)


def _ax_beta(out: Out, name: str, item: Item, src: Read) -> None:
    method = src.view.get("method")
    key = "orpo_alpha" if method is not None and method.value == "orpo" else "trl.beta"
    out.put(name, key, written(name, item))


# (the fields axolotl reads from one key are written there: dialects/axolotl.py _KEYS)
AXOLOTL: dict[str, Handler] = {
    "method": _ax_method,
    "adapter": _ax_adapter,
    "target_modules": _ax_targets,
    "modules_to_save": lambda out, n, i, s: out.put(n, "lora_modules_to_save", names(i.value)),
    "optimizer": optimizer("optimizer"),
    "micro_batch_size": grpo_batch(
        "micro_batch_size", "gradient_accumulation_steps", simple("micro_batch_size")
    ),
    "gradient_accumulation_steps": grpo_batch(
        "gradient_accumulation_steps",
        "gradient_accumulation_steps",
        simple("gradient_accumulation_steps"),
    ),
    "dpo_beta": _ax_beta,
    "precision": lambda out, n, i, s: (
        out.put(n, "bf16", "auto") if i.value == "auto" else precision(out, n, i, s)
    ),
    "use_dora": lambda out, n, i, s: out.approximate(
        n, "peft_use_dora", written(n, i), "peft_use_dora; cfgguard's axolotl reading drops it"
    ),
}


def axolotl_placeholders(out: Out, src: Read) -> None:
    del src
    out.placeholder("datasets", ["replace: axolotl datasets (path, type)"], "not converted")
    out.placeholder("output_dir", "./outputs/converted")


# -- TRL ---------------------------------------------------------------------------


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


def _trl_warmup(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    out.put(name, "warmup_steps", written(name, item))  # a float below 1 is a ratio (TF 5)


def _hf_steps(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if isinstance(item.value, float) and not item.value.is_integer():
        out.skip(name, "a fractional warmup_steps is a ratio in transformers 5")
    else:
        out.put(name, "warmup_steps", written(name, item))


def _trl_seq(out: Out, name: str, item: Item, src: Read) -> None:
    method = src.view.get("method")
    if method is not None and method.value == "grpo":
        out.skip(name, "TRL GRPO has prompt and completion lengths, no total")
    else:
        out.put(name, "max_length", written(name, item))


def _eval(key: str) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        del src
        out.put(name, key, written(name, item))
        out.put(name, "eval_strategy", "steps")

    return handle


# (the fields TRL reads from one key are written there: dialects/trl.py _KEYS)
TRL: dict[str, Handler] = {
    "method": _trl_method,
    "adapter": _trl_adapter,
    "target_modules": _trl_targets,
    "modules_to_save": lambda out, n, i, s: out.put(n, "lora_modules_to_save", names(i.value)),
    "learning_rate": simple("learning_rate"),
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
    "max_seq_len": _trl_seq,
    "dpo_beta": simple("beta"),
    "group_size": simple("num_generations"),
    "temperature": simple("temperature"),
    "precision": precision,
}


def trl_placeholders(out: Out, src: Read) -> None:
    del src
    out.placeholder("dataset_name", "replace/with-your-dataset", "not converted")
    out.placeholder("output_dir", "outputs/converted")
