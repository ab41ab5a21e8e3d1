"""``convert`` writes what ``check`` accepts: module names, the unembedding, batch shapes,
refusals and the TRL schema come from the knowledge ``check`` and ``init`` use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from cfgguard.cli import main
from cfgguard.convert.command import convert_text
from cfgguard.dialects import BY_NAME
from cfgguard.schema.dialects import dialect_schema
from tests.conftest import run

TORCHTUNE_PHI3 = """\
model:
  _component_: torchtune.models.phi3.lora_phi3_mini
  lora_attn_modules: [q_proj, v_proj, output_proj]
  apply_lora_to_mlp: True
  lora_rank: 16
  lora_alpha: 32
optimizer:
  _component_: torch.optim.AdamW
  lr: 2.0e-4
batch_size: 4
gradient_accumulation_steps: 8
epochs: 1
"""
AXOLOTL_LORA = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 32
lora_alpha: 32
lora_target_linear: true
lora_target_modules:
  - lm_head
micro_batch_size: 4
gradient_accumulation_steps: 8
learning_rate: 2.0e-4
"""
LLAMAFACTORY_OFT = """\
model_name_or_path: meta-llama/Meta-Llama-3-8B-Instruct
stage: sft
do_train: true
finetuning_type: oft
per_device_train_batch_size: 1
gradient_accumulation_steps: 8
learning_rate: 1.0e-4
"""


def _body(text: str) -> list[str]:
    """The converted file without its header comments."""
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize(
    ("target", "line"),
    [
        ("trl", "lora_target_modules: [down_proj, gate_up_proj, o_proj, qkv_proj]"),
        ("axolotl", "lora_target_modules: [down_proj, gate_up_proj, o_proj, qkv_proj]"),
        ("llamafactory", "lora_target: down_proj,gate_up_proj,o_proj,qkv_proj"),
    ],
    ids=["trl", "axolotl", "llamafactory"],
)
def test_phi3_targets_use_the_fused_names(target: str, line: str) -> None:
    """torchtune adapts q and v apart; Phi-3 in transformers has one qkv_proj (L006)."""
    result = convert_text(TORCHTUNE_PHI3, "phi3.yaml", target)
    assert line in _body(result.text)
    assert result.out.approx == [
        (
            "target_modules",
            "microsoft/Phi-3-mini-4k-instruct fuses q_proj, k_proj, v_proj into qkv_proj,"
            " so it adapts k_proj too",
        )
    ]
    assert [f.code for f in run(result.text, target) if f.code == "L006"] == []


def test_phi3_to_verl_regex_names_qkv_proj() -> None:
    result = convert_text(TORCHTUNE_PHI3, "phi3.yaml", "verl")
    assert "  target_modules: '.*\\.(down_proj|gate_up_proj|o_proj|qkv_proj)'" in _body(result.text)


def test_verl_regex_matches_the_top_level_head() -> None:
    """``lm_head`` is a top-level module: outside the ``.*\\.(...)`` group, as init writes it."""
    result = convert_text(AXOLOTL_LORA, "a.yaml", "verl")
    expected = (
        "  target_modules: '.*\\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)|lm_head'"
    )
    assert expected in _body(result.text)
    assert [f.code for f in run(result.text, "verl") if f.code in ("L004", "L006")] == []


@pytest.mark.parametrize(
    "target", ["axolotl", "trl", "torchtune", "verl", "plain"], ids=lambda t: str(t)
)
def test_oft_is_refused(target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without its adapter the run would become a full fine-tune."""
    path = tmp_path / "oft.yaml"
    path.write_text(LLAMAFACTORY_OFT)
    out = tmp_path / "out.yaml"
    assert main(["convert", str(path), "--to", target, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"cfgguard: error: {path}: LLaMA-Factory adapter 'finetuning_type: oft' has no"
        f" {BY_NAME[target].title} equivalent (cfgguard converts LoRA, QLoRA and full"
        " fine-tunes); nothing written\n"
    )
    assert not out.exists()


def test_trl_schema_takes_the_all_linear_string() -> None:
    """trl 1.16.0: a YAML value is the argparse default as it is (scripts/utils.py:378)."""
    text = AXOLOTL_LORA.replace("lora_target_modules:\n  - lm_head\n", "")
    result = convert_text(text, "a.yaml", "trl")
    assert "lora_target_modules: all-linear" in _body(result.text)
    instance = yaml.safe_load(result.text)
    validator: Any = Draft7Validator(dialect_schema("trl"))
    assert [e.message for e in validator.iter_errors(instance)] == []


VERL_GRPO_72B = """\
data:
  train_batch_size: 8
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-72B-Instruct
  actor:
    ppo_mini_batch_size: 8
    ppo_micro_batch_size_per_gpu: 1
  rollout:
    n: 8
algorithm:
  adv_estimator: grpo
trainer:
  n_gpus_per_node: 8
  nnodes: 1
"""


@pytest.mark.parametrize(
    ("target", "micro"),
    [("axolotl", "micro_batch_size: 1"), ("trl", "per_device_train_batch_size: 1")],
    ids=["axolotl", "trl"],
)
def test_grpo_batch_is_whole_groups(target: str, micro: str) -> None:
    """8 prompts x 8 completions on 8 GPUs: 8 per GPU, 1 x 8, not 1 x 1 (G003)."""
    result = convert_text(VERL_GRPO_72B, "verl.yaml", target)
    body = _body(result.text)
    assert body[body.index(micro) + 1] == "gradient_accumulation_steps: 8"
    assert (
        "micro_batch_size",
        "1 x 8 = 8 completions per device per update, whole groups of 8"
        " (actor_rollout_ref.actor.ppo_mini_batch_size 8 prompts per update)",
    ) in result.out.approx
    assert [f.code for f in run(result.text, target) if f.code == "G003"] == []


def test_grpo_to_plain_counts_prompts() -> None:
    """The plain batch_size of GRPO counts prompts (B001's unit), not completions."""
    text = VERL_GRPO_72B.replace(
        "ppo_micro_batch_size_per_gpu: 1", "ppo_micro_batch_size_per_gpu: 2"
    )
    result = convert_text(text, "verl.yaml", "plain")
    assert "batch_size: 8" in _body(result.text)


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("verl", "verl has no 4-bit (QLoRA) key (verl 0.9.1 verl/workers/config/model.py)"),
        ("plain", "the plain format has no quantization key"),
    ],
    ids=["verl", "plain"],
)
def test_qlora_is_refused_where_init_refuses_it(
    target: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "qlora.yaml"
    path.write_text(AXOLOTL_LORA.replace("adapter: lora", "adapter: qlora\nload_in_4bit: true"))
    assert main(["convert", str(path), "--to", target]) == 2
    assert capsys.readouterr().err == (
        f"cfgguard: error: {path}: {why}: the QLoRA would be written as a 16-bit LoRA;"
        " nothing written\n"
    )
    assert main(["init", "--dialect", target, "--method", "sft", "--adapter", "qlora",
                 "--model", "meta-llama/Llama-3.1-8B-Instruct"]) == 2  # fmt: skip
    assert capsys.readouterr().err == f"cfgguard: error: {why}; use --adapter lora\n"


def test_a_fragment_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Hydra group file (verl's actor/) holds no value cfgguard reads: nothing to write."""
    path = tmp_path / "actor.yaml"
    path.write_text(
        "_target_: verl.workers.config.FSDPActorConfig\nstrategy: fsdp\nppo_epochs: 1\n"
    )
    assert main(["convert", str(path), "--dialect", "verl", "--to", "trl"]) == 2
    assert capsys.readouterr().err == (
        f"cfgguard: error: {path}: no value of a training run that cfgguard reads (a config"
        " fragment?); nothing written\n"
    )
