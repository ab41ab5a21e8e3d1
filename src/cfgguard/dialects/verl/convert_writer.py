"""``convert --to verl``: a Hydra config on verl's ``ppo_trainer`` (GRPO, PPO) or
``sft_trainer_engine`` (SFT). verl has no DPO trainer; its ``target_modules`` is one string
(a list of names is written as a PEFT regex) and its batch is counted per step, so
accumulation becomes a batch size (approximated)."""

from __future__ import annotations

from cfgguard.convert.base import Handler, model_names, written
from cfgguard.convert.tree import Out, Refused, Tree, whole
from cfgguard.convert.view import Item, Read, expand
from cfgguard.dialects.verl.init_writer import targets_regex

A, R, M = "actor_rollout_ref.actor", "actor_rollout_ref.rollout", "actor_rollout_ref.model"
ESTIMATORS = {"grpo": "grpo", "ppo": "gae"}
DTYPES = {"bf16": "bfloat16", "fp32": "float32", "fp16": "float16"}


def _rl(src: Read) -> bool:
    method = src.view.get("method")
    return method is not None and method.value != "sft"


def _at(src: Read, rl: str, sft: str) -> str:
    return rl if _rl(src) else sft


def at(rl: str, sft: str | None = None) -> Handler:
    def handle(out: Out, name: str, item: Item, src: Read) -> None:
        path = _at(src, rl, sft) if sft is not None else (rl if _rl(src) else None)
        if path is None:
            out.skip(name, "no key in verl's SFT trainer")
        else:
            out.put(name, path, written(name, item))

    return handle


def _method(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    method = str(item.value)
    if method == "sft":
        out.mapped.append(name)
    elif method in ESTIMATORS:
        out.put(name, "algorithm.adv_estimator", ESTIMATORS[method])
    else:
        raise Refused(
            f"verl has no {method} trainer (PPO-family RL and SFT: verl 0.9.1"
            " verl/trainer/ppo/core_algos.py AdvantageEstimator)"
        )


def _adapter(out: Out, name: str, item: Item, src: Read) -> None:
    if item.value == "full":
        out.mapped.append(name)
    elif "lora_rank" not in src.view:
        out.skip(name, "verl turns LoRA on with lora_rank > 0, and the rank is not set")
    else:
        out.mapped.append(name)


def _targets(out: Out, name: str, item: Item, src: Read) -> None:
    path = _at(src, f"{M}.target_modules", "model.target_modules")
    value = item.value
    listed = expand(value, src.model)
    if value == "all-linear":
        out.put(name, path, "all-linear")
    elif isinstance(value, str) and value.startswith("regex:"):
        out.put(name, path, value.removeprefix("regex:"))
    elif listed:
        # the unembedding is top-level (``lm_head``, not ``x.lm_head``): init's form
        heads = {src.model.head_module if src.model else "lm_head", "lm_head"}
        head = next((n for n in listed if n in heads), None)
        fitted, fused = model_names([n for n in listed if n not in heads], src.model)
        note = "verl takes one string: the names as a PEFT regex" + (f"; {fused}" if fused else "")
        out.approximate(name, path, targets_regex(fitted, head), note)
    else:
        out.skip(name, "no target list")


def _scheduler(out: Out, name: str, item: Item, src: Read) -> None:
    if item.value in ("cosine", "constant"):
        out.put(
            name, _at(src, f"{A}.optim.lr_scheduler_type", "optim.lr_scheduler_type"), item.value
        )
    else:
        out.skip(name, f"verl schedules cosine or constant, not {item.value}")


def _optimizer(out: Out, name: str, item: Item, src: Read) -> None:
    if item.value == "adamw" and _rl(src):
        out.put(name, f"{A}.optim.optimizer", "AdamW")
    else:
        out.skip(name, f"no verl optimizer key for {item.raw} here")


def _betas(out: Out, name: str, item: Item, src: Read) -> None:
    del item
    b1, b2 = src.view.get("adam_beta1"), src.view.get("adam_beta2")
    if b1 is None or b2 is None:
        out.skip(name, "optim.betas is a pair")
        return
    path = _at(src, f"{A}.optim.betas", "optim.betas")
    out.put("adam_beta1", path, [whole(b1.value), whole(b2.value)])
    out.mapped.append("adam_beta2")


def _accumulation(out: Out, name: str, item: Item, src: Read) -> None:
    micro, devices = src.view.get("micro_batch_size"), src.view.get("devices")
    if micro is None or not isinstance(micro.value, int) or not isinstance(item.value, int):
        out.skip(name, "verl derives accumulation from its batch sizes")
        return
    total = (
        micro.value
        * item.value
        * (devices.value if devices and isinstance(devices.value, int) else 1)
    )
    if not _rl(src):
        note = f"data.train_batch_size = {micro.value} x {item.value} x GPUs"
        out.approximate(name, "data.train_batch_size", total, note)
        return
    group = src.view.get("group_size")
    n = group.value if group is not None and isinstance(group.value, int) and group.value else 1
    prompts = max(1, total // n)
    note = f"ppo_mini_batch_size = {total} completions / {n} per prompt"
    out.approximate(name, f"{A}.ppo_mini_batch_size", prompts, note)


def _devices(out: Out, name: str, item: Item, src: Read) -> None:
    del src
    out.put(name, "trainer.n_gpus_per_node", written(name, item))
    out.put(name, "trainer.nnodes", 1)


def _seq(out: Out, name: str, item: Item, src: Read) -> None:
    if not _rl(src):
        out.put(name, "data.max_length", whole(item.value))
        return
    total = int(str(item.value))
    note = "verl splits the window: a quarter for the prompt, the rest for the response"
    out.approximate(name, "data.max_prompt_length", total // 4, note)
    out.tree.put("data.max_response_length", total - total // 4)


def _precision(out: Out, name: str, item: Item, src: Read) -> None:
    dtype = DTYPES.get(str(item.value))
    if dtype is None or not _rl(src):
        out.skip(name, f"no verl key for precision '{item.value}' here")
    else:
        out.put(name, f"{A}.fsdp_config.dtype", dtype)


# (a field a verl trainer reads from one key is written there: field_map.py LAYOUTS)
WRITERS: dict[str, Handler] = {
    "method": _method,
    "adapter": _adapter,
    "target_modules": _targets,
    "lr_scheduler": _scheduler,
    "warmup_ratio": at(f"{A}.optim.lr_warmup_steps_ratio", "optim.lr_warmup_steps_ratio"),
    "warmup_steps": at(f"{A}.optim.lr_warmup_steps"),
    "optimizer": _optimizer,
    "adam_beta1": _betas,
    "adam_beta2": _betas,
    "gradient_accumulation_steps": _accumulation,
    "devices": _devices,
    "max_seq_len": _seq,
    "precision": _precision,
}


def placeholders(out: Out, src: Read) -> None:
    # SFT: the engine trainer's config (verl 0.7.1 removed the legacy sft_trainer.yaml)
    base = "ppo_trainer" if _rl(src) else "sft_trainer_engine"
    out.tree.entries = {
        "hydra": (_hydra(), ""),
        "defaults": ([base, "_self_"], "verl's own config, then this file"),
        **out.tree.entries,
    }
    out.placeholder("data.train_files", "~/data/train.parquet")
    out.placeholder("data.val_files", "~/data/test.parquet")
    if _rl(src):
        out.placeholder(f"{R}.name", "vllm", "")
        if "devices" not in src.view:  # not verl's default 8: the batch split is per GPU
            out.placeholder("trainer.n_gpus_per_node", 1, "replace: 1 GPU, as check assumes")
            out.placeholder("trainer.nnodes", 1, "")
        micro = out.tree.get(f"{A}.ppo_micro_batch_size_per_gpu") or 1
        out.placeholder(f"{R}.log_prob_micro_batch_size_per_gpu", micro, "")


def _hydra() -> Tree:
    tree = Tree()
    tree.put("searchpath", ["file://verl/trainer/config"])
    return tree
