"""TRL detection: how strongly a flat mapping reads as TRL dataclass fields.

The fields of ``ScriptArguments``, the trainer configs (``SFTConfig``, ``DPOConfig``,
``GRPOConfig``...) and ``ModelConfig`` (trl 1.16.0 ``trl/trainer/*_config.py``,
``trl/trainer/model_config.py``): TRL's own spellings score 2 each, names other configs
share 1, HF ``TrainingArguments`` keys 1 each up to a cap; keys of other frameworks rule
the file out or cost points.
"""

from __future__ import annotations

from cfgguard.yaml.nodes import Mapping


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STRONG = _keys(
    "use_peft lora_r lora_target_modules lora_modules_to_save lora_task_type "
    "use_bnb_nested_quant bnb_4bit_quant_type dataset_name dataset_config "
    "dataset_train_split dataset_test_split dataset_text_field dataset_mixture "
    "dataset_mixer dataset_splits dataset_num_proc assistant_only_loss "
    "completion_only_loss max_seq_length max_prompt_length max_completion_length "
    "num_generations reward_funcs desirable_weight torch_dtype model_revision"
)
# TRL keys whose plain names other configs use too (verl fragments have `loss_type`).
_WEAK = _keys("beta loss_type packing max_length env model_name_or_path")
_TRAINING_ARGS = _keys(
    "per_device_train_batch_size per_device_eval_batch_size "
    "gradient_accumulation_steps learning_rate num_train_epochs lr_scheduler_type "
    "warmup_ratio warmup_steps output_dir bf16 optim logging_steps eval_strategy "
    "save_strategy report_to do_train do_eval push_to_hub hub_model_id max_steps "
    "gradient_checkpointing"
)
_TA_CAP = 4.0
_RULED_OUT = frozenset(
    {"defaults", "actor_rollout_ref", "stage", "finetuning_type", "base_model", "adapter"}
)
_FOREIGN = frozenset(
    {
        # LLaMA-Factory
        "template",
        "cutoff_len",
        "lora_target",
        "lora_rank",
        "pref_beta",
        "pref_loss",
        "quantization_bit",
        "plot_loss",
        # axolotl
        "micro_batch_size",
        "sequence_len",
        "num_epochs",
        "lora_target_linear",
        "val_set_size",
        "sample_packing",
        # verl
        "algorithm",
        "trainer",
    }
)
_MAX_SCORE = 20.0


def detect(root: Mapping) -> float:
    keys = set(root.keys())
    if keys & _RULED_OUT:
        return 0.0
    for _, value in root.entries():
        if isinstance(value, Mapping) and (value.get("_component_") or value.get("_target_")):
            return 0.0  # torchtune / hydra-instantiated (verl) sections
    ta = min(float(len(keys & _TRAINING_ARGS)), _TA_CAP)
    score = 2.0 * len(keys & _STRONG) + len(keys & _WEAK) + ta
    score -= 3.0 * len(keys & _FOREIGN)
    return min(max(score, 0.0), _MAX_SCORE)
