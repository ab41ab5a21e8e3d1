"""``cfgguard triage``: the troubleshooting table's fix per symptom, as exact diffs.

One small config per dialect (axolotl, TRL, torchtune, LLaMA-Factory) and every symptom:
the expected zero-context diff of the proposed edit. Then the byte guarantees of
``--fix`` (BOM, CRLF, comments) and the command's output and exit codes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from cfgguard.cli import main
from cfgguard.source import decode
from cfgguard.triage.command import fixed_text, propose, subject_of

CONFIGS = {
    "axolotl": (
        "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
        "adapter: lora\n"
        "lora_r: 16\n"
        "lora_alpha: 32\n"
        "lora_target_modules:\n"
        "  - q_proj\n"
        "  - v_proj\n"
        "micro_batch_size: 2\n"
        "gradient_accumulation_steps: 4\n"
        "num_epochs: 3\n"
        "learning_rate: 2e-4  # from the blog post\n"
        "max_grad_norm: 0\n"
    ),
    "trl": (
        "model_name_or_path: Qwen/Qwen2.5-7B-Instruct\n"
        "use_peft: true\n"
        "lora_r: 16\n"
        "lora_target_modules: [q_proj, k_proj, v_proj, o_proj]\n"
        "learning_rate: 1.0e-4\n"
        "per_device_train_batch_size: 4\n"
        "max_steps: 3000\n"
    ),
    "torchtune": (
        "model:\n"
        "  _component_: torchtune.models.llama3_1.lora_llama3_1_8b\n"
        "  lora_attn_modules: ['q_proj', 'v_proj', 'output_proj']\n"
        "  apply_lora_to_mlp: True\n"
        "  lora_rank: 8\n"
        "  lora_alpha: 16\n"
        "checkpointer:\n"
        "  _component_: torchtune.training.FullModelHFCheckpointer\n"
        "  checkpoint_dir: /tmp/Meta-Llama-3.1-8B-Instruct/\n"
        "optimizer:\n"
        "  _component_: torch.optim.AdamW\n"
        "  lr: 3e-4\n"
        "batch_size: 2\n"
        "epochs: 3\n"
        "gradient_accumulation_steps: 8\n"
    ),
    "llamafactory": (
        "### model\n"
        "model_name_or_path: Qwen/Qwen3-8B\n"
        "\n"
        "### method\n"
        "stage: sft\n"
        "finetuning_type: lora\n"
        "lora_target: q_proj,v_proj\n"
        "learning_rate: 5.0e-5\n"
        "per_device_train_batch_size: 1\n"
        "gradient_accumulation_steps: 8\n"
        "num_train_epochs: 3.0\n"
    ),
}

# (dialect, symptom, zero-context diff). axolotl's 2e-4: x3 = 6e-4 passes the SFT LoRA
# range's 5e-4, so x2; /3 = 7e-5 falls below its 1e-4, so /2. torchtune's 3e-4: x3 and x2
# both pass it, so x3 (with a note).
TABLE = [
    (
        "axolotl",
        "loss-flat",
        [
            "@@ -11 +11 @@",
            "-learning_rate: 2e-4  # from the blog post",
            "+learning_rate: 4e-4  # from the blog post",
        ],
    ),
    (
        "axolotl",
        "loss-exploding",
        [
            "@@ -11,2 +11,2 @@",
            "-learning_rate: 2e-4  # from the blog post",
            "-max_grad_norm: 0",
            "+learning_rate: 1e-4  # from the blog post",
            "+max_grad_norm: 1.0",
        ],
    ),
    ("axolotl", "early-plateau", ["@@ -3 +3 @@", "-lora_r: 16", "+lora_r: 32"]),
    ("axolotl", "overfitting", ["@@ -10 +10 @@", "-num_epochs: 3", "+num_epochs: 1.5"]),
    ("axolotl", "poor-generation", ["@@ -7,0 +8 @@", "+  - lm_head"]),
    (
        "axolotl",
        "slow-training",
        ["@@ -9 +9 @@", "-gradient_accumulation_steps: 4", "+gradient_accumulation_steps: 8"],
    ),
    ("trl", "loss-flat", ["@@ -5 +5 @@", "-learning_rate: 1.0e-4", "+learning_rate: 3.0e-4"]),
    (
        "trl",
        "loss-exploding",
        [
            "@@ -5 +5,2 @@",
            "-learning_rate: 1.0e-4",
            "+learning_rate: 3.0e-5",
            "+max_grad_norm: 1.0",
        ],
    ),
    ("trl", "early-plateau", ["@@ -3 +3 @@", "-lora_r: 16", "+lora_r: 32"]),
    ("trl", "overfitting", ["@@ -7 +7 @@", "-max_steps: 3000", "+max_steps: 1500"]),
    (
        "trl",
        "poor-generation",
        [
            "@@ -4 +4 @@",
            "-lora_target_modules: [q_proj, k_proj, v_proj, o_proj]",
            "+lora_target_modules: [q_proj, k_proj, v_proj, o_proj, lm_head]",
        ],
    ),
    ("trl", "slow-training", ["@@ -6,0 +7 @@", "+gradient_accumulation_steps: 2"]),
    ("torchtune", "loss-flat", ["@@ -12 +12 @@", "-  lr: 3e-4", "+  lr: 9e-4"]),
    (
        "torchtune",
        "loss-exploding",
        ["@@ -12 +12 @@", "-  lr: 3e-4", "+  lr: 1e-4", "@@ -15,0 +16 @@", "+clip_grad_norm: 1.0"],
    ),
    ("torchtune", "early-plateau", ["@@ -5 +5 @@", "-  lora_rank: 8", "+  lora_rank: 32"]),
    ("torchtune", "overfitting", ["@@ -14 +14 @@", "-epochs: 3", "+epochs: 1"]),
    ("torchtune", "poor-generation", ["@@ -4,0 +5 @@", "+  apply_lora_to_output: True"]),
    (
        "torchtune",
        "slow-training",
        ["@@ -15 +15 @@", "-gradient_accumulation_steps: 8", "+gradient_accumulation_steps: 16"],
    ),
    (
        "llamafactory",
        "loss-flat",
        ["@@ -8 +8 @@", "-learning_rate: 5.0e-5", "+learning_rate: 2.0e-4"],
    ),
    (
        "llamafactory",
        "loss-exploding",
        [
            "@@ -8 +8,2 @@",
            "-learning_rate: 5.0e-5",
            "+learning_rate: 2.0e-5",
            "+max_grad_norm: 1.0",
        ],
    ),
    ("llamafactory", "early-plateau", ["@@ -6,0 +7 @@", "+lora_rank: 32"]),
    (
        "llamafactory",
        "overfitting",
        ["@@ -11 +11 @@", "-num_train_epochs: 3.0", "+num_train_epochs: 1.5"],
    ),
    (
        "llamafactory",
        "poor-generation",
        ["@@ -7 +7 @@", "-lora_target: q_proj,v_proj", "+lora_target: q_proj,v_proj,lm_head"],
    ),
    (
        "llamafactory",
        "slow-training",
        ["@@ -10 +10 @@", "-gradient_accumulation_steps: 8", "+gradient_accumulation_steps: 16"],
    ),
]


def _diff(text: str, symptom: str, dialect: str | None = None) -> list[str]:
    subject = subject_of(decode(text.encode(), "t.yaml"), dialect)
    proposal = propose(subject, symptom)
    new = fixed_text(subject, proposal.fixes) if proposal.fixes else text
    lines = difflib.unified_diff(text.splitlines(), new.splitlines(), lineterm="", n=0)
    return list(lines)[2:]


@pytest.mark.parametrize(("dialect", "symptom", "expected"), TABLE)
def test_symptom_fix(dialect: str, symptom: str, expected: list[str]) -> None:
    text = CONFIGS[dialect]
    assert subject_of(decode(text.encode(), "t.yaml")).dialect == dialect
    assert _diff(text, symptom) == expected


def test_every_symptom_is_in_the_table() -> None:
    assert {s for _, s, _ in TABLE} == {
        "loss-flat", "loss-exploding", "early-plateau", "overfitting", "poor-generation",
        "slow-training",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "symptom", "note"),
    [
        (CONFIGS["axolotl"].replace("lora_r: 16", "lora_r: 64"), "early-plateau", "at or above"),
        (
            CONFIGS["axolotl"].replace("micro_batch_size: 2", "micro_batch_size: 16"),
            "slow-training",
            "doubling it passes",
        ),
        (
            CONFIGS["trl"].replace("Qwen2.5-7B", "Qwen2.5-0.5B"),
            "poor-generation",
            "ties lm_head to the input embedding",
        ),
        (CONFIGS["torchtune"].replace("epochs: 3", "epochs: 1"), "overfitting", "minimum whole"),
    ],
)
def test_no_change_with_a_reason(text: str, symptom: str, note: str) -> None:
    subject = subject_of(decode(text.encode(), "t.yaml"))
    proposal = propose(subject, symptom)
    assert proposal.fixes == []
    assert any(note in n for n in proposal.notes), proposal.notes


def test_verl_slow_training_keeps_the_step_batch() -> None:
    text = (
        "data:\n  train_batch_size: 4\n"
        "actor_rollout_ref:\n  model:\n    path: Qwen/Qwen2.5-7B-Instruct\n"
        "  actor:\n    ppo_mini_batch_size: 4\n    ppo_micro_batch_size_per_gpu: 4\n"
        "  rollout:\n    n: 8\nalgorithm:\n  adv_estimator: grpo\n"
        "trainer:\n  n_gpus_per_node: 8\n"
    )
    assert _diff(text, "slow-training") == [
        "@@ -2 +2 @@", "-  train_batch_size: 4", "+  train_batch_size: 8",
        "@@ -7 +7 @@", "-    ppo_mini_batch_size: 4", "+    ppo_mini_batch_size: 8",
    ]  # fmt: skip


def test_fix_keeps_bom_crlf_and_comments(tmp_path: Path) -> None:
    text = CONFIGS["trl"].replace("max_steps: 3000", "max_steps: 3000  # keep me")
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    path = tmp_path / "cfg.yaml"
    path.write_bytes(data)
    assert main(["triage", "loss-exploding", str(path), "--fix"]) == 0
    expected = text.replace(
        "learning_rate: 1.0e-4\n", "learning_rate: 3.0e-5\nmax_grad_norm: 1.0\n"
    )
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()


def test_diff_mode_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(CONFIGS["axolotl"])
    assert main(["triage", "overfitting", str(path), "--diff"]) == 0
    captured = capsys.readouterr()
    assert path.read_text() == CONFIGS["axolotl"]
    assert "-num_epochs: 3\n+num_epochs: 1.5\n" in captured.out
    assert captured.out.startswith(f"--- a/{str(path).lstrip('/')}\n")
    assert "Overfitting -> check: Too many steps; fix: Reduce steps" in captured.err


def test_show_mode_lists_the_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(CONFIGS["axolotl"])
    assert main(["triage", "loss-exploding", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"  {path}:11:16: learning_rate: 2e-4\n" in out
    assert f"  {path}:12:16: max_grad_norm: 0\n" in out
    assert "  learning rate 2e-4 -> 1e-4 (/2)\n" in out
    assert path.read_text() == CONFIGS["axolotl"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no such file"),
        ("a: [1,\n", "t.yaml:"),
        ("just: a mapping\n", "not a config cfgguard recognises"),
    ],
)
def test_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, words: str
) -> None:
    path = tmp_path / "t.yaml"
    if content is not None:
        path.write_text(content)
    assert main(["triage", "loss-flat", str(path)]) == 2
    assert words in capsys.readouterr().err


def test_unknown_symptom_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "loss-weird", "x.yaml"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("max_grad_norm:\n", "max_grad_norm: 1.0\n"),  # empty value
        ("max_grad_norm: null\n", "max_grad_norm: 1.0\n"),
        ("max_grad_norm: 5.0  # big\n", "max_grad_norm: 1.0  # big\n"),
        ("max_grad_norm: 0.5\n", "max_grad_norm: 0.5\n"),  # already clipping at most 1.0
    ],
)
def test_clipping_forms(line: str, expected: str) -> None:
    text = CONFIGS["trl"] + line
    subject = subject_of(decode(text.encode(), "t.yaml"))
    new = fixed_text(subject, propose(subject, "loss-exploding").fixes)
    assert new.endswith(expected)
    assert "learning_rate: 3.0e-5\n" in new


def test_rank_unset_in_a_lora_run() -> None:
    text = CONFIGS["axolotl"].replace("lora_r: 16\n", "")
    proposal = propose(subject_of(decode(text.encode(), "t.yaml")), "early-plateau")
    assert proposal.fixes == []
    assert any("not set" in n for n in proposal.notes)


def test_a_rate_that_overflows_is_not_scaled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(CONFIGS["axolotl"].replace("2e-4  #", "1e308  #"), encoding="utf-8")
    assert main(["triage", "loss-flat", str(path)]) == 0  # was a ValueError traceback
    out = capsys.readouterr().out
    assert "note: learning rate 1e308 cannot be scaled: not changed" in out
    assert out.endswith("nothing to change\n")


def test_fixed_text_refuses_a_fix_that_changes_more_than_it_says() -> None:
    from cfgguard.findings import Edit, Fix

    subject = subject_of(decode(CONFIGS["axolotl"].encode(), "a.yaml"))
    smuggled = Edit(3, 9, 3, 11, "32\ntrust_remote_code: true")  # lora_r: 16 -> 32, plus a key
    with pytest.raises(
        Exception, match="1 fix\\(es\\) would change lora_r, trust_remote_code; unchanged"
    ):
        fixed_text(subject, [Fix("unsafe", "raise the rank", (smuggled,))])
    honest = Edit(3, 9, 3, 11, "32")
    assert "lora_r: 32\n" in fixed_text(subject, [Fix("unsafe", "raise the rank", (honest,))])


def test_inserted_lines_come_from_the_emitter() -> None:
    text = CONFIGS["trl"]
    proposal = propose(subject_of(decode(text.encode(), "a.yaml")), "loss-exploding")
    assert [f.message for f in proposal.fixes] == [
        "learning rate 1.0e-4 -> 3.0e-5 (/3)",
        "add max_grad_norm: 1.0",
    ]
