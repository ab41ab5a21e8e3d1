"""The run context and the rules that ask it: nothing trains, smoke tests, rsLoRA, the real
method (LLaMA-Factory v1 DPO, axolotl hatchery/Tinker LoRA, SimPO/ORPO/CPO betas), size."""

from __future__ import annotations

import pytest

from cfgguard.check import Options, analyse
from cfgguard.derived.runcontext import Run, path_method, run_context
from cfgguard.source import decode
from tests.conftest import run, triples


def context(text: str, dialect: str, path: str = "t.yaml") -> Run:
    (analysis,) = analyse(decode(text.encode(), path), Options(dialect=dialect))[1]
    assert analysis.config is not None
    return run_context(analysis.config, analysis.model, path)


# LLaMA-Factory full SFT at a LoRA-level rate (R003 on a real run)
LF_FULL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
finetuning_type: full
dataset: alpaca_en_demo
template: qwen
learning_rate: 2.0e-4
{extra}"""

# axolotl LoRA at a full fine-tune rate (R002 on a real run)
AX_LORA = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: {r}
lora_alpha: 16
lora_target_linear: true
micro_batch_size: 2
gradient_accumulation_steps: 8
sequence_len: 2048
learning_rate: 2.0e-5
{extra}"""


@pytest.mark.parametrize(
    ("text", "dialect", "code", "expected"),
    [
        pytest.param(
            LF_FULL.format(extra="do_train: true\n"),
            "llamafactory",
            "R003",
            [("R003", 6, 16)],
            id="lf-trains",
        ),
        # no do_train: true: LLaMA-Factory never calls trainer.train() (sft/workflow.py:120)
        pytest.param(
            LF_FULL.format(extra=""), "llamafactory", "R003", [], id="lf-no-do-train_noop"
        ),
        pytest.param(
            LF_FULL.format(extra="do_train: false\ndo_predict: true\n"),
            "llamafactory",
            "R003",
            [],
            id="lf-predict-only_noop",
        ),
        pytest.param(
            LF_FULL.format(extra="do_train: true\nmax_steps: 10\n"),
            "llamafactory",
            "R003",
            [],
            id="lf-smoke-test_noop",
        ),
        pytest.param(
            LF_FULL.format(extra="do_train: true\nmax_steps: 21\n"),
            "llamafactory",
            "R003",
            [("R003", 6, 16)],
            id="lf-21-steps-is-a-run",
        ),
        pytest.param(
            AX_LORA.format(r=16, extra=""), "axolotl", "R002", [("R002", 9, 16)], id="ax-lora-low"
        ),
        # rsLoRA: alpha/sqrt(r) = 16/8 = 2, 8x alpha/r: 2e-5 is judged as 1.6e-4
        pytest.param(
            AX_LORA.format(r=64, extra="peft_use_rslora: true\n"),
            "axolotl",
            "R002",
            [],
            id="ax-rslora_noop",
        ),
        pytest.param(
            AX_LORA.format(r=64, extra="peft_use_rslora: false\n"),
            "axolotl",
            "R002",
            [("R002", 9, 16)],
            id="ax-rslora-off",
        ),
        pytest.param(
            AX_LORA.format(r=16, extra="max_steps: 5\n"), "axolotl", "R002", [], id="ax-smoke_noop"
        ),
    ],
)
def test_lr_rules_judge_real_runs_only(
    text: str, dialect: str, code: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, dialect), code) == expected


def test_rslora_message_states_the_judged_rate() -> None:
    text = AX_LORA.format(r=4, extra="peft_use_rslora: true\n").replace(
        "2.0e-5", "1.0e-5"
    )  # scale 16/sqrt(4) = 8, 2x alpha/r: judged as 2e-5, still 5x below 1e-4
    (finding,) = [f for f in run(text, "axolotl") if f.code == "R002"]
    assert finding.message == (
        "learning rate 2e-5 is 5x below the SFT LoRA range 1e-4..5e-4, at the full fine-tune"
        " level (1e-5..5e-5): the adapter barely moves (assumed: SFT, lora; rsLoRA scale"
        " alpha/sqrt(r) = 16/sqrt(4) = 8, 2x alpha/r: judged as 2e-5)"
        " (Learning Rates / Base Learning Rates: SFT)"
    )
    assert finding.fix is None  # raise the rate or drop rsLoRA: not one answer


@pytest.mark.parametrize(
    ("lr", "severity"),
    [
        pytest.param("5.0e-5", "info", id="lr=5.0e-5-severity=info"),
        pytest.param("4.0e-5", "info", id="lr=4.0e-5-severity=info"),
        pytest.param("3.0e-5", "warning", id="lr=3.0e-5-severity=warning"),
        pytest.param("1.0e-5", "warning", id="lr=1.0e-5-severity=warning"),
    ],
)
def test_r002_warns_from_3x_below(lr: str, severity: str) -> None:
    text = AX_LORA.format(r=16, extra="").replace("2.0e-5", lr)
    (finding,) = [f for f in run(text, "axolotl") if f.code == "R002"]
    assert finding.severity.label == severity


# LLaMA-Factory v1: the trainer is the CLI subcommand; a DPO file says so by its keys
V1 = """\
model: Qwen/Qwen3-4B
peft_config:
  name: lora
  r: 16
  lora_alpha: 32
train_dataset: data/{data}.yaml
micro_batch_size: 1
learning_rate: {lr}
{extra}"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # read as SFT, 1e-5 would be R002 (at the SFT full level); as DPO it is in range
        pytest.param(
            V1.format(data="v1_dpo_demo", lr="1.0e-5", extra=""), [], id="v1-dpo-data_noop"
        ),
        pytest.param(
            V1.format(data="prefs", lr="1.0e-5", extra="pref_beta: 0.1\n"),
            [],
            id="v1-pref-key_noop",
        ),
        pytest.param(
            V1.format(data="v1_sft_demo", lr="1.0e-5", extra=""), [("R002", 8, 16)], id="v1-sft"
        ),
    ],
)
def test_llamafactory_v1_dpo_is_read_as_dpo(
    text: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, "llamafactory"), "R002") == expected


def test_llamafactory_v1_method() -> None:
    assert (
        context(V1.format(data="v1_dpo_demo", lr="1e-5", extra=""), "llamafactory").method == "dpo"
    )
    simpo = V1.format(data="p", lr="1e-5", extra="pref_loss: simpo\n")
    assert context(simpo, "llamafactory").method == "simpo"


HATCHERY = """\
base_model: Qwen/Qwen3-8B
plugins:
  - axolotl.integrations.hatchery.HatcheryPlugin
hatchery:
  backend: tinker
  lora_rank: 16
  loss_fn: {loss}
datasets:
  - path: ./data/math
    type: completion
sequence_len: 2048
learning_rate: {lr}
micro_batch_size: 1
"""


@pytest.mark.parametrize(
    ("loss", "lr", "expected"),
    [
        # Tinker trains a LoRA adapter: 1e-4 is LoRA's SFT rate, not a full fine-tune's
        pytest.param("cross_entropy", "1.0e-4", [], id="tinker-sft-lora_noop"),
        pytest.param("cross_entropy", "1.0e-5", [("R002", 12, 16)], id="tinker-sft-low"),
        pytest.param("importance_sampling", "4.0e-5", [], id="tinker-rl-lora_noop"),
    ],
)
def test_hatchery_is_lora(loss: str, lr: str, expected: list[tuple[str, int, int]]) -> None:
    found = run(HATCHERY.format(loss=loss, lr=lr), "axolotl")
    assert triples(found, "R002") + triples(found, "R003") + triples(found, "R001") == expected


def test_hatchery_context() -> None:
    ctx = context(HATCHERY.format(loss="ppo", lr="1e-5"), "axolotl")
    assert ctx.method == "grpo"
    assert ctx.scale is None  # Tinker's alpha is not in the file


TRL_PREF = """\
model_name_or_path: meta-llama/Llama-3.1-8B-Instruct
learning_rate: 5.0e-7
beta: {beta}
{extra}"""


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        pytest.param(
            TRL_PREF.format(beta="5", extra=""), "dpo.yaml", [("D001", 3, 7)], id="dpo-beta-5"
        ),
        # SimPO / length-normalised DPO: beta is a reward scale, 2-10 by design
        pytest.param(
            TRL_PREF.format(beta="2.5", extra="loss_type: simpo\ncpo_alpha: 0\n"),
            "simpo.yaml",
            [],
            id="simpo_noop",
        ),
        pytest.param(
            TRL_PREF.format(beta="5", extra="loss_type: dpo_norm\n"),
            "t.yaml",
            [],
            id="dpo-norm_noop",
        ),
        pytest.param(
            TRL_PREF.format(beta="0.1", extra="cpo_alpha: 1.0\n"), "t.yaml", [], id="cpo_noop"
        ),
        # ORPO's beta is the odds-ratio weight; an ORPO recipe's path says ORPO
        pytest.param(
            TRL_PREF.format(beta="0.05", extra=""),
            "recipes/zephyr/orpo/config_full.yaml",
            [],
            id="orpo-by-path_noop",
        ),
        pytest.param(
            TRL_PREF.format(beta="0.05", extra=""),
            "recipes/zephyr/dpo/config_full.yaml",
            [("D001", 3, 7)],
            id="dpo-by-path",
        ),
    ],
)
def test_d001_reads_kl_betas_only(
    text: str, path: str, expected: list[tuple[str, int, int]]
) -> None:
    assert triples(run(text, "trl", path), "D001") == expected


@pytest.mark.parametrize(
    ("path", "method"),
    [
        pytest.param("recipes/zephyr-7b-beta/dpo/config_qlora.yaml", "dpo", id="dpo"),
        pytest.param("configs/train_configs/dpo/default.yaml", "dpo", id="dpo-2"),
        pytest.param("recipes/x/orpo/config_full.yaml", "orpo", id="orpo"),
        pytest.param("X_R1_zero_7B_peft_config.yaml", None, id="none"),
        pytest.param("grpo_then_sft.yaml", None, id="two-methods-named-no-guess"),
        pytest.param("recipes/grpo/sft_warmup.yaml", "sft", id="the-file-s-own-name-first"),
    ],
)
def test_path_method(path: str, method: str | None) -> None:
    assert path_method(path) == method


def test_path_refines_a_guessed_method_only() -> None:
    # TRL with no method key: SFT guessed; the path names DPO
    plain = "model_name_or_path: meta-llama/Llama-3.1-8B-Instruct\nlearning_rate: 5.0e-7\n"
    found = run(plain, "trl", "configs/dpo/default.yaml")
    assert triples(found, "R001") == []  # 5e-7 is DPO's full fine-tune level
    assert triples(run(plain, "trl", "t.yaml"), "R001") == [("R001", 2, 16)]  # as SFT: 20x low
    # axolotl states the method (rl absent: SFT): the path does not override it
    assert context(AX_LORA.format(r=16, extra=""), "axolotl", "dpo/x.yaml").method == "sft"


@pytest.mark.parametrize(
    ("model", "size_class"),
    [
        pytest.param("SmallDoge/Doge-320M", "<1B", id="smalldoge-doge-320m-size-class=1b"),
        pytest.param("Qwen/Qwen3-0.6B", "<1B", id="qwen-qwen3-0.6b-size-class=1b"),
        pytest.param("my-org/secret-7b", "7-8B", id="my-org-secret-7b-size-class=7-8b"),
        pytest.param(
            "my-org/Qwen3-30B-A3B-custom", "34B", id="my-org-qwen3-30b-a3b-custom-size-class=34b"
        ),
        pytest.param("my-org/unnamed", None, id="my-org-unnamed-size-class=none"),
    ],
)
def test_size_class(model: str, size_class: str | None) -> None:
    text = f"model_name_or_path: {model}\nlearning_rate: 2.0e-4\n"
    assert context(text, "trl").size_class == size_class


def test_size_from_the_path_when_the_name_has_none() -> None:
    text = "model_name_or_path: SmallDoge/Doge2-tokenizer\nlearning_rate: 4.0e-3\n"
    assert context(text, "trl", "recipes/doge2/Doge2-160M/config_full.yaml").tiny
    assert triples(run(text, "trl", "recipes/doge2/Doge2-160M/config_full.yaml"), "R003") == []


def test_verl_val_only_does_not_train() -> None:
    text = """\
algorithm:
  adv_estimator: grpo
actor_rollout_ref:
  model:
    path: Qwen/Qwen2.5-7B-Instruct
  rollout:
    n: 1
trainer:
  val_only: true
"""
    assert not context(text, "verl").trains
    assert triples(run(text, "verl"), "G001") == []
    assert triples(run(text.replace("val_only: true", "val_only: false"), "verl"), "G001") == [
        ("G001", 7, 8)
    ]


TRL_GRPO_FULL = """\
model_name_or_path: {model}
num_generations: 8
learning_rate: 2.0e-5
"""


@pytest.mark.parametrize(
    ("model", "severity"),
    [
        # hidden 1536: the width rule makes 2e-5 act as 7.5e-6 at hidden 4096, 1.5x the row
        pytest.param(
            "Qwen/Qwen2.5-1.5B-Instruct", "info", id="qwen-qwen2.5-1.5b-instruct-severity=info"
        ),
        pytest.param("meta-llama/Llama-3.1-8B-Instruct", "warning", id="hidden-4096-4x-above-5e-6"),
    ],
)
def test_r003_severity_follows_the_width_rule(model: str, severity: str) -> None:
    found = [f for f in run(TRL_GRPO_FULL.format(model=model), "trl") if f.code == "R003"]
    assert [(f.code, f.line, f.column, f.severity.label) for f in found] == [
        ("R003", 3, 16, severity)
    ]
