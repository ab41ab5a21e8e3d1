"""``convert --to torchtune``: a recipe config around the run's hyperparameters.

The model becomes torchtune's builder for it (none: the conversion is refused) and a
checkpoint directory named after it; the targets become torchtune's switches
(``lora_attn_modules``, ``apply_lora_to_mlp``, ``apply_lora_to_output``). Structure a
recipe requires (tokenizer, checkpointer, dataset, logger) is written as placeholders.
"""

from __future__ import annotations

from cfgguard.convert.base import Handler, simple, written
from cfgguard.convert.tree import Out, Refused, Tree, whole
from cfgguard.convert.view import Item, Read, expand
from cfgguard.dialects.torchtune.builders import Builder, find, shipped
from cfgguard.dialects.torchtune.init_writer import DATASETS
from cfgguard.helpers.yamltext import Scalar
from cfgguard.knowledge.models import resolve

ATTN = {"q_proj": "q_proj", "k_proj": "k_proj", "v_proj": "v_proj", "o_proj": "output_proj"}
LOSSES = {
    "sft": "torchtune.modules.loss.LinearCrossEntropyLoss",
    "dpo": "torchtune.rlhf.loss.DPOLoss",
    "simpo": "torchtune.rlhf.loss.SimPOLoss",
    "grpo": "torchtune.dev.grpo.loss.GRPOSimpleLoss",
}
ORDER = (
    "output_dir", "model", "tokenizer", "checkpointer", "ref_checkpointer",
    "resume_from_checkpoint", "dataset", "seed", "shuffle", "batch_size", "optimizer",
    "lr_scheduler", "loss", "epochs", "max_steps_per_epoch", "gradient_accumulation_steps",
    "clip_grad_norm",
)  # fmt: skip
GRPO_KEYS: tuple[tuple[str, Scalar], ...] = (
    ("batch_size", 1), ("forward_batch_size", 1), ("max_generated_tokens", 512),
    ("top_k", None), ("temperature", 1.0), ("ppo_epochs", 1), ("num_steps", 100),
    ("save_every_n_epochs", 1),
)  # fmt: skip
COSINE = "torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup"


def _adapter(src: Read) -> str:
    item = src.view.get("adapter")
    return str(item.value) if item is not None else "full"


def builder_for(src: Read) -> Builder:
    base = src.view.get("base_model")
    model_id = str(base.raw) if base is not None else ""
    adapter = _adapter(src)
    found = find(model_id, adapter) or find(model_id, "lora" if adapter == "qlora" else adapter)
    if found is None:
        raise Refused(f"torchtune ships no {adapter} builder for '{model_id}'")
    return found


def _base(out: Out, name: str, item: Item, src: Read) -> None:
    builder = builder_for(src)
    folder = f"/tmp/{str(item.raw).rstrip('/').rsplit('/', 1)[-1]}"
    out.put(name, "model._component_", builder.component)
    if _adapter(src) == "qlora" and builder.component not in shipped()["qlora"]:
        out.tree.put("model.quantize_base", True)
    out.put(name, "checkpointer.checkpoint_dir", folder, f"tune download {item.raw}")
    out.tree.put("tokenizer._component_", builder.tokenizer)
    out.tree.put("tokenizer.path", f"{folder}/{builder.tokenizer_files[0]}")
    if len(builder.tokenizer_files) > 1:
        out.tree.put("tokenizer.merges_file", f"{folder}/{builder.tokenizer_files[1]}")
    out.tree.put("checkpointer.model_type", builder.model_type)


def _method(out: Out, name: str, item: Item, src: Read) -> None:
    method = str(item.value)
    if method not in LOSSES:
        raise Refused(f"cfgguard writes torchtune configs for sft, dpo, simpo, grpo, not {method}")
    if method == "grpo" and _adapter(src) != "full":
        raise Refused("torchtune has no LoRA GRPO recipe (dev/grpo_full_finetune_distributed)")
    out.put(name, "loss._component_", LOSSES[method])
    out.tree.put("dataset._component_", DATASETS.get(method, DATASETS["dpo"]), "replace")


def _targets(out: Out, name: str, item: Item, src: Read) -> None:
    base = src.view.get("base_model")
    model = src.model or (resolve(str(base.raw)) if base is not None else None)
    listed = expand(item.value, model) or []
    if not listed or model is None:
        out.skip(name, "torchtune's switches name projections, not a regex or union")
        return
    wanted = set(listed)
    if "qkv_proj" in wanted:
        wanted |= {"q_proj", "k_proj", "v_proj"}
    attn = [tt for hf, tt in ATTN.items() if hf in wanted]
    mlp = set(model.modules.mlp) - set(model.modules.attention)
    exact = bool(attn) and (not mlp & wanted or mlp <= wanted)
    covered = set(ATTN) | mlp | {"qkv_proj", model.head_module, "lm_head"}
    exact = exact and wanted <= covered
    head = model.head_module in wanted or "lm_head" in wanted
    out.tree.put("model.lora_attn_modules", list[Scalar](attn or ATTN.values()))
    out.tree.put("model.apply_lora_to_mlp", bool(mlp & wanted))
    if head and not model.tied_embeddings:
        out.tree.put("model.apply_lora_to_output", True)
    if exact:
        out.mapped.append(name)
    else:
        out.approx.append((name, "torchtune adapts attention by name and the MLP all together"))


def _scheduler(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if "cosine" in str(item.value):
        out.put(name, "lr_scheduler._component_", COSINE)
    else:
        out.skip(name, f"torchtune's only scheduler is cosine with warmup, not {item.value}")


def _warmup(out: Out, name: str, item: Item, src: Read) -> None:
    if out.tree.get("lr_scheduler._component_") is None:
        out.skip(name, "no torchtune scheduler to carry the warmup")
        return
    value = item.value
    if name == "warmup_steps" and isinstance(value, float) and value.is_integer():
        out.put(name, "lr_scheduler.num_warmup_steps", int(value))
        return
    steps = src.view.get("max_steps")
    if name == "warmup_ratio" and steps is not None and isinstance(value, float):
        count = round(value * float(str(steps.value)))
        note = f"torchtune counts warmup in steps: {value:g} of {steps.value}"
        out.approximate(name, "lr_scheduler.num_warmup_steps", count, note)
    else:
        out.skip(name, "torchtune counts warmup in steps and the run's length is not known")


def _optimizer(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value == "adamw":
        out.put(name, "optimizer._component_", "torch.optim.AdamW")
    else:
        out.skip(name, f"no torch optimizer class mapped for {item.raw}")


def _betas(out: Out, name: str, item: Item, src: Read) -> None:
    del item
    b1, b2 = src.view.get("adam_beta1"), src.view.get("adam_beta2")
    if b1 is None or b2 is None:
        out.skip(name, "optimizer.betas is a pair")
        return
    out.put("adam_beta1", "optimizer.betas", [whole(b1.value), whole(b2.value)])
    out.mapped.append("adam_beta2")


def _epochs(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if isinstance(item.value, float) and item.value.is_integer():
        out.put(name, "epochs", int(item.value))
    else:
        out.skip(name, "torchtune counts whole epochs")


def _steps(out: Out, name: str, item: Item, src: Read) -> None:
    method = src.view.get("method")
    if method is not None and method.value == "grpo":
        out.put(name, "num_steps", written(name, item))
    else:
        note = "max_steps_per_epoch caps each epoch, not the run"
        out.approximate(name, "max_steps_per_epoch", written(name, item), note)


def _precision(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    if item.value in ("bf16", "fp32"):
        out.put(name, "dtype", str(item.value))
    else:
        out.skip(name, f"torchtune's recipes take bf16 or fp32, not {item.value}")


# (the fields torchtune reads from one key are written there: field_map.py)
WRITERS: dict[str, Handler] = {
    "base_model": _base,
    "method": _method,
    "adapter": lambda out, n, i, s: out.mapped.append(n),  # the builder's prefix
    "target_modules": _targets,
    "lr_scheduler": _scheduler,
    "warmup_ratio": _warmup,
    "warmup_steps": _warmup,
    "optimizer": _optimizer,
    "adam_beta1": _betas,
    "adam_beta2": _betas,
    "num_epochs": _epochs,
    "max_steps": _steps,
    "dpo_beta": simple("loss.beta"),
    "precision": _precision,
}


def placeholders(out: Out, src: Read) -> None:
    if "base_model" not in src.view:
        raise Refused("torchtune's recipes build the model by name, and the source names no model")
    out.placeholder("output_dir", "/tmp/torchtune/converted")
    out.placeholder("optimizer._component_", "torch.optim.AdamW")
    out.placeholder("checkpointer._component_", "torchtune.training.FullModelHFCheckpointer", "")
    if out.tree.get("lr_scheduler._component_") is not None:
        out.placeholder("lr_scheduler.num_warmup_steps", 100, "replace: the warmup in steps")
    out.placeholder("checkpointer.checkpoint_files", ["model.safetensors"])
    out.placeholder("checkpointer.output_dir", "${output_dir}", "")
    method = src.view.get("method")
    if method is not None and method.value in ("grpo", "dpo") and _adapter(src) == "full":
        for key in ("_component_", "checkpoint_dir", "checkpoint_files", "model_type"):
            value = out.tree.get(f"checkpointer.{key}")
            if value is not None and not isinstance(value, Tree):
                out.placeholder(f"ref_checkpointer.{key}", value, "")
    out.placeholder("resume_from_checkpoint", False, "")
    out.placeholder("seed", None, "")
    out.placeholder("shuffle", True, "")
    out.placeholder("epochs", 1, "")
    if method is None or method.value != "grpo":
        out.placeholder("max_steps_per_epoch", None, "")
        out.placeholder("gradient_accumulation_steps", 1, "")
    out.placeholder("metric_logger._component_", "torchtune.training.metric_logging.DiskLogger", "")
    out.placeholder("metric_logger.log_dir", "${output_dir}/logs", "")
    out.placeholder("device", "cuda", "")
    out.placeholder("dtype", "bf16", "")
    if method is not None and method.value == "grpo":
        for key, value in GRPO_KEYS:
            out.placeholder(key, value, "")
    out.tree.tidy(ORDER)
