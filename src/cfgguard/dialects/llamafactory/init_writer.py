"""``cfgguard init --dialect llamafactory``: the ``### model`` / ``### method`` sections
of LLaMA-Factory's ``examples/train_lora/*.yaml``."""

from __future__ import annotations

from cfgguard.helpers.yamltext import Text
from cfgguard.init.common import (
    head_choice,
    header,
    hf_training_args,
    slug,
    target_names,
    targets_why,
    tied_note,
)
from cfgguard.init.plan import Plan

# model table family prefix -> LLaMA-Factory chat template (src/llamafactory/data/template.py)
TEMPLATES = (
    ("Llama 2", "llama2"),
    ("CodeLlama", "llama2"),
    ("Llama 3", "llama3"),
    ("Llama 4", "llama4"),
    ("Qwen3", "qwen3"),
    ("Qwen", "qwen"),
    ("Gemma 3", "gemma3"),
    ("Gemma", "gemma"),
    ("Mistral", "mistral"),
    ("Mixtral", "mistral"),
    ("Phi-4", "phi4"),
    ("Phi-3", "phi"),
    ("DeepSeek-R1", "deepseekr1"),
    ("DeepSeek", "deepseek3"),
    ("GLM", "glm4"),
)
DATASETS = {"sft": "alpaca_en_demo", "dpo": "dpo_en_demo"}


def template(family: str) -> tuple[str, str]:
    for prefix, name in TEMPLATES:
        if family.startswith(prefix):
            return name, f"LLaMA-Factory chat template for {family}"
    return "default", f"check: LLaMA-Factory has no template mapped for {family} here"


def _method(text: Text, plan: Plan) -> None:
    text.section("method")
    text.kv("stage", plan.method, f"LLaMA-Factory's {plan.method.upper()} workflow")
    text.kv("do_train", True, "LLaMA-Factory trains only with do_train: true")
    text.kv("finetuning_type", "full" if plan.adapter == "full" else "lora")
    if plan.adapter == "qlora":
        text.kv("quantization_bit", 4, "QLoRA: 4-bit base (bitsandbytes)")
    if plan.uses_adapter:
        assert plan.rank
        assert plan.alpha
        assert plan.targets
        text.kv("lora_rank", plan.rank.value, plan.rank.why)
        text.kv("lora_alpha", plan.alpha.value, plan.alpha.why)
        head = head_choice(plan.targets, plan.model_id)
        tied_note(text, head)
        names = ",".join(target_names(plan.targets, head))
        text.kv("lora_target", names, targets_why(plan.targets, head))
    if plan.beta is not None:
        text.kv("pref_beta", plan.beta.value, plan.beta.why)
        text.kv("pref_loss", "sigmoid", "sigmoid is DPO's loss")
    text.blank()


def _train(text: Text, plan: Plan) -> None:
    text.section("train")
    hf_training_args(text, plan)
    text.kv("bf16", True, "LLaMA-Factory examples")
    text.blank()
    text.section("eval")
    text.kv("val_size", 0.05, "held out from the dataset")
    text.kv("per_device_eval_batch_size", plan.batch.micro)
    text.kv("eval_strategy", "steps")
    text.kv("eval_steps", plan.eval_every.value, plan.eval_every.why)


def render(plan: Plan) -> str:
    text = Text()
    header(text, plan, "LLaMA-Factory", "llamafactory-cli train config.yaml")
    text.section("model")
    text.kv("model_name_or_path", plan.model_id)
    text.blank()
    _method(text, plan)
    name, why = template(plan.facts.family)
    text.section("dataset")
    text.kv("dataset", DATASETS[plan.method], "replace: a dataset in data/dataset_info.json")
    text.kv("template", name, why)
    text.kv("cutoff_len", plan.seq_len.value, plan.seq_len.why)
    text.blank()
    text.section("output")
    text.kv("output_dir", f"saves/{slug(plan)}")
    text.kv("logging_steps", 10)
    text.kv("plot_loss", True)
    text.blank()
    _train(text, plan)
    return text.render()
