"""``cfgguard init`` through main(): output, -o, --force, refusals, idiom details."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfgguard.cli import main
from cfgguard.helpers.yamltext import scalar
from cfgguard.init.command import generate

ARGS = ["init", "--dialect", "axolotl", "--method", "sft", "--model"]
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


def test_prints_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, LLAMA]) == 0
    out = capsys.readouterr().out
    assert out == generate("axolotl", "sft", LLAMA)
    assert "lora_r: 32  # Rank by Model Size (SFT): 7-8B, 32-64 (low end)" in out
    assert "learning_rate: 4.9e-4  # By Model Size (SFT + LoRA)" in out


def test_writes_a_file_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "cfg.yaml"
    assert main([*ARGS, LLAMA, "-o", str(target)]) == 0
    first = target.read_text()
    assert first == generate("axolotl", "sft", LLAMA)
    assert main([*ARGS, LLAMA, "--gpu-memory", "24", "-o", str(target)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    assert target.read_text() == first
    assert main([*ARGS, LLAMA, "--gpu-memory", "24", "-o", str(target), "--force"]) == 0
    assert target.read_text() != first
    assert main(["check", str(target)]) == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--dialect", "llamafactory", "--method", "grpo", "--model", LLAMA],
        ["init", "--dialect", "verl", "--method", "dpo", "--model", LLAMA],
        ["init", "--dialect", "axolotl", "--method", "sft", "--model", "my/unknown-7b"],
        ["init", "--dialect", "axolotl", "--method", "sft", "--model", LLAMA, "--gpu-memory", "8"],
        ["init", "--dialect", "axolotl", "--method", "ppo", "--model", LLAMA],
    ],
)
def test_refusals_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("cfgguard: error: ")
    assert err.count("\n") == 1


def test_tied_head_left_out_with_a_reason() -> None:
    text = generate("trl", "sft", "Qwen/Qwen2.5-0.5B-Instruct")
    assert "# lm_head is tied to the input embedding in Qwen/Qwen2.5-0.5B-Instruct" in text
    assert "# cfgguard: ignore[L004]" in text
    assert "- lm_head" not in text


def test_axolotl_ties_the_adapters_of_a_tied_head() -> None:
    text = generate("axolotl", "sft", "Qwen/Qwen2.5-0.5B-Instruct")
    assert "  - lm_head  #" in text
    assert "peft_ensure_weight_tying: true" in text


def test_torchtune_tied_builder_gets_no_output_switch() -> None:
    text = generate("torchtune", "sft", "Qwen/Qwen2.5-0.5B-Instruct")
    assert "apply_lora_to_output" not in text  # the tied Qwen2 builders refuse it
    assert "model:  # cfgguard: ignore[L004]" in text
    untied = generate("torchtune", "sft", LLAMA)
    assert "apply_lora_to_output: True" in untied


def test_family_module_names() -> None:
    phi = generate("trl", "sft", "microsoft/Phi-3-mini-4k-instruct")
    assert "- qkv_proj\n- o_proj\n- gate_up_proj\n- down_proj\n- lm_head" in phi
    pythia = generate("llamafactory", "sft", "EleutherAI/pythia-6.9b")
    assert "lora_target: query_key_value,dense,dense_h_to_4h,dense_4h_to_h,embed_out" in pythia


def test_context_stays_in_the_native_window() -> None:
    assert "cutoff_len: 2048  # Context Lengths: Qwen/Qwen-14B native window 2048" in generate(
        "llamafactory", "sft", "Qwen/Qwen-14B"
    )
    assert "sequence_len: 2048" in generate("axolotl", "sft", "tiiuae/falcon-7b")


def test_scalars_read_back_as_written() -> None:
    assert scalar(1e-5) == "1.0e-5"  # a float under PyYAML too
    assert scalar("no") == "'no'"
    assert scalar("q_proj,v_proj") == "q_proj,v_proj"
    assert scalar(r".*\.(q_proj)") == r"'.*\.(q_proj)'"
