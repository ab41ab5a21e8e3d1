"""``cfgguard init --dialect torchtune``: a recipe config in the layout of torchtune's
``recipes/configs`` (model, tokenizer, checkpointer, dataset, optimizer, loss, training).

Recipes: SFT ``lora_finetune_single_device`` / ``full_finetune_single_device``; DPO
``lora_dpo_single_device`` / ``full_dpo_distributed``; GRPO
``dev/grpo_full_finetune_distributed`` (full only). LoRA targets are torchtune's own
switches: ``lora_attn_modules`` (q/k/v/output_proj), ``apply_lora_to_mlp`` and
``apply_lora_to_output`` (the unembedding), which tied-embedding builders do not take.
"""

from __future__ import annotations

from cfgguard.dialects.torchtune.builders import Builder, find
from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import SUPPRESS, HeadChoice, head_choice, header, slug, tied_note
from cfgguard.init.plan import InitError, Plan

RECIPES = {
    ("sft", False): "lora_finetune_single_device",
    ("sft", True): "full_finetune_single_device",
    ("dpo", False): "lora_dpo_single_device",
    ("dpo", True): "full_dpo_distributed",
    ("grpo", True): "dev/grpo_full_finetune_distributed",
}
DATASETS = {
    "sft": "torchtune.datasets.alpaca_cleaned_dataset",
    "dpo": "torchtune.datasets.stack_exchange_paired_dataset",
    "grpo": "torchtune.dev.grpo.gsm8k.gsm8k_dataset",
}
ATTENTION = ("q_proj", "k_proj", "v_proj", "output_proj")


def _builder(plan: Plan) -> Builder:
    found = find(plan.model_id, plan.adapter)
    if found is None:
        kind = "" if plan.adapter == "full" else f"{plan.adapter} "
        raise InitError(
            f"torchtune ships no {kind}model builder for {plan.model_id}"
            " (torchtune.models.*; the project stopped adding models in 2025)"
        )
    return found


def _model(text: Text, plan: Plan, builder: Builder) -> None:
    if not plan.uses_adapter:
        text.open("model")
        text.kv("_component_", builder.component, f"torchtune's builder for {plan.model_id}", 2)
        text.blank()
        return
    assert plan.rank
    assert plan.alpha
    assert plan.targets
    head: HeadChoice = head_choice(plan.targets, plan.model_id)
    tied_note(text, head)
    text.open("model", SUPPRESS if head.suppress else "")
    text.kv("_component_", builder.component, f"{plan.adapter} builder for {plan.model_id}", 2)
    text.flow("lora_attn_modules", list(ATTENTION), plan.targets.why, 2)
    mlp = "MLP too (w1, w2, w3: " + ", ".join(plan.targets.mlp) + ")"
    text.kv("apply_lora_to_mlp", True, mlp, 2)
    if head.include:
        text.kv("apply_lora_to_output", True, head.why, 2)
    text.kv("lora_rank", plan.rank.value, plan.rank.why, 2)
    text.kv("lora_alpha", plan.alpha.value, plan.alpha.why, 2)
    text.blank()


def _files(text: Text, plan: Plan, builder: Builder, ckpt: str) -> None:
    text.open("tokenizer")
    text.kv("_component_", builder.tokenizer, indent=2)
    text.kv("path", f"{ckpt}/{builder.tokenizer_files[0]}", indent=2)
    if len(builder.tokenizer_files) > 1:
        text.kv("merges_file", f"{ckpt}/{builder.tokenizer_files[1]}", indent=2)
    length = plan.prompt_len if plan.method == "grpo" else plan.seq_len.value
    text.kv("max_seq_len", length, plan.seq_len.why, 2)
    text.blank()
    checkpointers = ["checkpointer"] + (["ref_checkpointer"] if not plan.uses_adapter else [])
    if plan.method == "sft":
        checkpointers = ["checkpointer"]
    for name in checkpointers:
        text.open(name)
        text.kv("_component_", "torchtune.training.FullModelHFCheckpointer", indent=2)
        text.kv("checkpoint_dir", ckpt, indent=2)
        text.flow("checkpoint_files", ["model.safetensors"], "replace: the *.safetensors", 2)
        text.kv("recipe_checkpoint", None, indent=2)
        text.kv("output_dir", "${output_dir}" + ("/ref" if name != "checkpointer" else ""), "", 2)
        text.kv("model_type", builder.model_type, indent=2)
    text.kv("resume_from_checkpoint", False)
    text.blank()


def _loss(text: Text, plan: Plan) -> None:
    text.open("loss")
    if plan.method == "dpo" and plan.beta is not None:
        text.kv("_component_", "torchtune.rlhf.loss.DPOLoss", indent=2)
        text.kv("beta", plan.beta.value, plan.beta.why, 2)
    elif plan.method == "grpo":
        text.kv("_component_", "torchtune.dev.grpo.loss.GRPOSimpleLoss", indent=2)
        text.kv("kl_coeff", 0.01, "torchtune's GRPO configs", 2)
        text.kv("epsilon", 0.2, "torchtune's GRPO configs", 2)
    else:
        text.kv("_component_", "torchtune.modules.loss.LinearCrossEntropyLoss", indent=2)


def _optimizer(text: Text, plan: Plan) -> None:
    text.open("optimizer")
    text.kv("_component_", "torch.optim.AdamW", "AdamW (Standard)", 2)
    text.kv("fused", True, indent=2)
    text.kv("weight_decay", plan.weight_decay.value, plan.weight_decay.why, 2)
    text.kv("lr", plan.lr.value, plan.lr.why, 2)
    text.open("lr_scheduler")
    cosine = "torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup"
    text.kv("_component_", cosine, plan.scheduler.why, 2)
    text.kv("num_warmup_steps", plan.warmup_steps.value, plan.warmup_steps.why, 2)
    _loss(text, plan)
    text.blank()


def _training(text: Text, plan: Plan) -> None:
    text.comment("Training")
    if plan.method == "grpo" and plan.group is not None and plan.temperature is not None:
        text.kv("batch_size", max(1, plan.batch.micro // plan.group.value), "prompts per device")
        text.kv("grpo_samples", plan.group.value, plan.group.why)
        text.kv("forward_batch_size", 1)
        text.kv("max_generated_tokens", plan.completion_len, "the window less the prompt")
        text.kv("top_k", None)
        text.kv("temperature", plan.temperature.value, plan.temperature.why)
        text.kv("ppo_epochs", 1)
        text.kv("num_steps", plan.steps.value, plan.steps.why)
        text.kv("epochs", 1)
        text.kv("save_every_n_epochs", 1)
    else:
        text.kv("batch_size", plan.batch.micro, plan.batch.why)
        text.kv("epochs", 1)
        text.kv("max_steps_per_epoch", plan.steps.value, plan.steps.why)
        text.kv("gradient_accumulation_steps", plan.batch.accumulation, plan.batch.accumulation_why)
    text.kv("clip_grad_norm", plan.clip.value, plan.clip.why)
    if plan.method == "sft" and not plan.uses_adapter:
        text.kv("optimizer_in_bwd", False, "keeps clip_grad_norm possible")
    text.kv("compile", False)
    text.blank()


def _environment(text: Text) -> None:
    text.comment("Logging")
    text.open("metric_logger")
    text.kv("_component_", "torchtune.training.metric_logging.DiskLogger", indent=2)
    text.kv("log_dir", "${output_dir}/logs", indent=2)
    text.kv("log_every_n_steps", 1)
    text.kv("log_peak_memory_stats", True)
    text.blank()
    text.comment("Environment")
    text.kv("device", "cuda")
    text.kv("dtype", "bf16")
    text.kv("enable_activation_checkpointing", True)


def render(plan: Plan) -> str:
    builder = _builder(plan)
    recipe = RECIPES[(plan.method, not plan.uses_adapter)]
    text = Text(capital_bools=True)
    header(text, plan, "torchtune", f"tune run {recipe} --config config.yaml")
    name = plan.model_id.rstrip("/").rsplit("/", 1)[-1]
    ckpt = f"/tmp/{name}"
    text.comment(f"Download first: tune download {plan.model_id} --output-dir {ckpt}")
    text.blank()
    text.kv("output_dir", f"/tmp/torchtune/{slug(plan)}")
    text.blank()
    text.comment("Model arguments")
    _model(text, plan, builder)
    _files(text, plan, builder, ckpt)
    text.comment("Dataset")
    text.open("dataset")
    text.kv("_component_", DATASETS[plan.method], "replace with your dataset", 2)
    text.kv("seed", None)
    text.kv("shuffle", True)
    text.blank()
    _optimizer(text, plan)
    _training(text, plan)
    _environment(text)
    return text.render()
