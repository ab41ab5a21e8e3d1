"""Config templates for the optimizer rules' tests (O001..O006); ``{extra}`` is one line.

The line ``{extra}`` lands on is given next to each template, so expectations can name it.
"""

from __future__ import annotations

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
micro_batch_size: 4
sequence_len: 2048
learning_rate: 2.0e-4
{extra}
"""  # extra: line 7

AXOLOTL_FULL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
micro_batch_size: 4
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
learning_rate: 2.0e-5
{extra}
"""  # extra: line 7

TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B
use_peft: true
lora_r: 16
learning_rate: 2.0e-4
{extra}
"""  # extra: line 5

LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
finetuning_type: lora
cutoff_len: 2048
learning_rate: 1.0e-4
{extra}
"""  # extra: line 6

TORCHTUNE = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: [q_proj, v_proj]
  lora_rank: 8
optimizer:
  _component_: torch.optim.AdamW
  lr: 3.0e-4
{extra}
batch_size: 4
epochs: 1
"""  # extra: line 8 (indent two spaces to put it under optimizer)

PLAIN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 16
learning_rate: 2.0e-4
batch_size: 16
num_steps: 1000
{extra}
"""  # extra: line 6

VERL = """\
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  actor:
    optim:
      lr: 1.0e-6
{extra}
algorithm:
  adv_estimator: grpo
"""  # extra: line 7 (indent six spaces to put it under optim)
