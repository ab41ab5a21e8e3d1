"""``convert --to axolotl``: canonical fields onto axolotl's keys, and why a field has
none (the fields axolotl reads from one key are written there by field_map.py)."""

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


# (the fields axolotl reads from one key are written there: field_map.py)
WRITERS: dict[str, Handler] = {
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


def placeholders(out: Out, src: Read) -> None:
    del src
    out.placeholder("datasets", ["replace: axolotl datasets (path, type)"], "not converted")
    out.placeholder("output_dir", "./outputs/converted")
