"""Detection cases of every dialect: its fixtures it claims, other dialects' files it does not.

``score``: the exact score, or None for "at least MIN_SCORE and at most 20". ``bound``:
"zero" (no score at all) or "below" MIN_SCORE. The ``<DIALECT>_<OTHER>`` texts are the
files of other dialects that dialect's tests used.
"""

from __future__ import annotations

import pytest
from _pytest.mark.structures import ParameterSet

AXOLOTL_PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
lora_alpha: 32
learning_rate: 1e-4
batch_size: 8
num_steps: 1000
max_seq_len: 4096
target_modules: [q_proj, v_proj]
"""
AXOLOTL_TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_rank: 8
optimizer:
  _component_: torch.optim.AdamW
  lr: 3e-4
lr_scheduler:
  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
  num_warmup_steps: 100
batch_size: 2
epochs: 1
gradient_accumulation_steps: 8
output_dir: /tmp/out
"""
AXOLOTL_LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B
stage: sft
finetuning_type: lora
lora_rank: 8
template: qwen
cutoff_len: 2048
learning_rate: 1.0e-4
"""
AXOLOTL_TRL_PEFT = """\
model_name_or_path: Qwen/Qwen2.5-0.5B
use_peft: true
lora_r: 16
lora_alpha: 32
lora_target_modules: [q_proj, v_proj]
learning_rate: 2.0e-5
"""
AXOLOTL_NO_BASE_MODEL = """\
sequence_len: 2048
micro_batch_size: 2
learning_rate: 1.0e-4
"""
LLAMAFACTORY_PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
lora_alpha: 32
learning_rate: 1e-4
batch_size: 8
num_steps: 1000
"""
LLAMAFACTORY_TRL = """\
model_name_or_path: Qwen/Qwen2.5-0.5B
dataset_name: trl-lib/Capybara
learning_rate: 2.0e-5
per_device_train_batch_size: 4
max_length: 1024
"""
LLAMAFACTORY_TORCHTUNE = """\
model:
  _component_: torchtune.models.qwen2_5.qwen2_5_0_5b
dataset:
  _component_: torchtune.datasets.alpaca_dataset
batch_size: 4
"""
LLAMAFACTORY_VERL = """\
data:
  train_batch_size: 256
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-3B
algorithm:
  adv_estimator: grpo
trainer:
  total_epochs: 1
"""
LLAMAFACTORY_AXOLOTL = """\
base_model: Qwen/Qwen2.5-0.5B
micro_batch_size: 2
sequence_len: 2048
num_epochs: 1
learning_rate: 1.0e-5
"""
TRL_PLAIN = """\
base_model: meta-llama/Llama-3.1-8B
lora_rank: 16
learning_rate: 1e-4
beta: 0.1
temperature: 0.7
group_size: 8
"""
TRL_TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
optimizer:
  _component_: torch.optim.AdamW
  lr: 3e-4
gradient_accumulation_steps: 8
output_dir: /tmp/out
max_steps_per_epoch: null
"""
TRL_VERL = """\
data:
  train_batch_size: 256
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-3B
algorithm:
  adv_estimator: grpo
"""
TRL_VERL_FRAGMENT = "rollout_is: null\nbypass_mode: false\nloss_type: ppo_clip\n"
TRL_AXOLOTL = """\
base_model: Qwen/Qwen2.5-0.5B
adapter: lora
lora_r: 16
lora_alpha: 32
lora_target_modules: [q_proj, v_proj]
learning_rate: 2.0e-4
gradient_accumulation_steps: 4
output_dir: ./out
"""
TRL_LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B
stage: sft
finetuning_type: lora
dataset: alpaca_en_demo
per_device_train_batch_size: 1
learning_rate: 1.0e-4
num_train_epochs: 3.0
"""


def _stem(name: str) -> str:
    return name.removesuffix(".yaml").replace("_", "-")


def detected(dialect: str, *rows: tuple[str, float | None]) -> list[ParameterSet]:
    return [pytest.param(dialect, n, s, id=f"{dialect}-{_stem(n)}") for n, s in rows]


def not_claimed(dialect: str, bound: str, *rows: tuple[str, str]) -> list[ParameterSet]:
    return [pytest.param(dialect, t, bound, id=f"{dialect}-not-{i}") for i, t in rows]


DETECTED = [
    *detected(
        "axolotl",
        ("lora_sft.yaml", None),
        ("qlora_dpo.yaml", None),
        ("grpo_full.yaml", None),
        ("pretrain.yaml", None),
        ("reward_model.yaml", None),
        ("plugin_only.yaml", None),
    ),
    *detected(
        "llamafactory",
        ("lora_sft.yaml", None),
        ("qlora_orpo.yaml", None),
        ("defaults.yaml", None),
        ("full_dpo.yaml", None),
        ("v1_lora.yaml", None),
    ),
    *detected(
        "plain",
        ("sft.yaml", 12.0),
    ),
    *detected(
        "plain",
        ("dpo.yaml", 10.0),
    ),
    *detected(
        "plain",
        ("grpo.yaml", 12.0),
        ("unknown_model.yaml", 9.0),
        ("full.yaml", 7.0),
    ),
    *detected(
        "torchtune",
        ("lora_sft.yaml", 10.0),
        ("qlora_builder_only.yaml", 10.0),
        ("dpo.yaml", 10.0),
        ("grpo.yaml", 10.0),
        ("ppo.yaml", 10.0),
        ("interpolation.yaml", 10.0),
        ("phi3_lora.yaml", 10.0),
        ("unknown_model.yaml", 10.0),
    ),
    *detected(
        "trl",
        ("sft_lora.yaml", None),
        ("handbook_dpo_qlora.yaml", None),
        ("grpo.yaml", None),
        ("kto.yaml", None),
        ("training_args_only.yaml", None),
    ),
    *detected(
        "verl",
        ("grpo_lora.yaml", 18.0),
        ("hydra_user.yaml", 20.0),
    ),
    *detected(
        "verl",
        ("ppo_defaults.yaml", 10.0),
    ),
    *detected(
        "verl",
        ("sft.yaml", 12.0),
        ("fragment_actor.yaml", 12.0),
        ("fragment_optim.yaml", 2.0),
        ("fragment_reward.yaml", 7.0),
    ),
]

NOT_CLAIMED = [
    # base_model alone is the plain dialect's key too: it must give axolotl nothing
    *not_claimed("axolotl", "zero", ("plain", AXOLOTL_PLAIN)),
    *not_claimed(
        "axolotl",
        "below",
        ("torchtune", AXOLOTL_TORCHTUNE),
        ("llamafactory", AXOLOTL_LLAMAFACTORY),
        ("trl-peft", AXOLOTL_TRL_PEFT),
        ("no-base-model", AXOLOTL_NO_BASE_MODEL),
        ("workflow", "name: ci\non: [push]\n"),
    ),
    *not_claimed(
        "llamafactory",
        "below",
        ("plain", LLAMAFACTORY_PLAIN),
        ("trl", LLAMAFACTORY_TRL),
        ("torchtune", LLAMAFACTORY_TORCHTUNE),
        ("verl", LLAMAFACTORY_VERL),
        ("axolotl", LLAMAFACTORY_AXOLOTL),
        ("workflow", "name: ci\non: [push]\n"),
    ),
    *not_claimed(
        "trl",
        "below",
        ("plain", TRL_PLAIN),
        ("torchtune", TRL_TORCHTUNE),
        ("verl", TRL_VERL),
        ("verl-fragment", TRL_VERL_FRAGMENT),
        ("axolotl", TRL_AXOLOTL),
        ("llamafactory", TRL_LLAMAFACTORY),
        ("workflow", "name: ci\non: [push]\n"),
    ),
    *not_claimed(
        "plain",
        "zero",
        # axolotl: base_model with its own vocabulary
        (
            "axolotl-own-vocabulary",
            "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 16\nlora_alpha: 32\n"
            "micro_batch_size: 2\nsequence_len: 4096\nlearning_rate: 2e-4\n",
        ),
        # axolotl that happens to share a plain key
        (
            "axolotl-sharing-a-plain-key",
            "base_model: m\nmax_seq_len: 2048\nmicro_batch_size: 2\nsequence_len: 2048\n"
            "num_epochs: 1\ndatasets: []\n",
        ),
        # base_model with only shared keys
        (
            "base-model-with-only-shared-keys",
            "base_model: m\nlearning_rate: 1e-4\nlora_alpha: 16\n",
        ),
        # torchtune top-level names without base_model
        (
            "torchtune-names-without-base-model",
            "batch_size: 4\nnum_steps: 100\ntemperature: 0.7\nmodel:\n  _component_: a.b\n",
        ),
        # LLaMA-Factory and TRL
        ("llamafactory", "model_name_or_path: m\nstage: sft\nlora_rank: 8\ncutoff_len: 1024\n"),
        ("trl", "model_name_or_path: m\nper_device_train_batch_size: 4\nbeta: 0.1\n"),
    ),
    *not_claimed(
        "torchtune",
        "zero",
        # axolotl
        (
            "axolotl",
            "base_model: meta-llama/Llama-3.1-8B\nadapter: lora\nlora_r: 16\nmicro_batch_size: 2\n",
        ),
        # verl PPO (Hydra _target_, not _component_)
        (
            "verl-ppo-hydra-target",
            "actor_rollout_ref:\n  model:\n    path: Qwen/Qwen2.5-7B\n"
            "algorithm:\n  _target_: verl.trainer.config.AlgoConfig\n  adv_estimator: grpo\n",
        ),
        # LLaMA-Factory
        (
            "llamafactory",
            "model_name_or_path: Qwen/Qwen2.5-7B\nstage: sft\nfinetuning_type: lora\n",
        ),
        # plain quick-reference format with torchtune-like top-level names
        (
            "plain-with-torchtune-names",
            "base_model: x\nbatch_size: 4\nnum_steps: 100\ntemperature: 0.7\n",
        ),
        # a key that merely contains the word
        ("key-containing-the-word", "my_component_: torchtune.models.llama3\n"),
    ),
    *not_claimed(
        "verl",
        "below",
        # axolotl: a boolean reward_model and an fsdp_config section are not verl's
        (
            "axolotl-reward-model-and-fsdp",
            "base_model: Qwen/Qwen2.5-0.5B\nreward_model: true\nfsdp_config:\n  fsdp_version: 2\n",
        ),
        # a generic Hydra app, also one with RL-ish group names
        (
            "hydra-app-with-rl-group-names",
            "defaults:\n  - actor: mlp\n  - critic: mlp\n  - _self_\nseed: 1\n",
        ),
        # a generic Hydra app
        (
            "hydra-app",
            "defaults:\n  - _self_\nmodel:\n  _target_: mypkg.Net\n  lr: ${oc.env:LR}\n",
        ),
        # torchtune
        (
            "torchtune",
            "model:\n  _component_: torchtune.models.llama3.lora_llama3_8b\n  lora_rank: 8\n"
            "optimizer:\n  _component_: torch.optim.AdamW\n  lr: 1e-4\n",
        ),
        # plain quick-reference format
        (
            "plain",
            "base_model: x\nlora_rank: 8\nlearning_rate: 1e-5\ngroup_size: 8\n",
        ),
        # TRL
        ("trl", "model_name_or_path: Qwen/Qwen2.5-0.5B\nlearning_rate: 1e-5\nnum_generations: 8\n"),
    ),
]
