"""K002: a key missing from, or deprecated in, the releases the repository allows.

The cases read the committed release data (``knowledge/data/releases``); each boundary was
checked by hand in the released code (the release and file:line are in the messages).
"""

from __future__ import annotations

import pytest

from cfgguard.findings import Finding, Severity
from tests.conftest import run, triples

AXOLOTL = "base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: lora\nlora_r: 16\n{extra}\n"
TRL = "model_name_or_path: Qwen/Qwen2.5-7B\nuse_peft: true\nlora_r: 16\n{extra}\n"
LLAMAFACTORY = (
    "model_name_or_path: Qwen/Qwen2.5-7B-Instruct\nstage: dpo\nfinetuning_type: lora\n{extra}\n"
)
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
"""


def k002(text: str, dialect: str, pins: dict[str, str] | None = None) -> list[Finding]:
    return [f for f in run(text, dialect, pins=pins) if f.code == "K002"]


@pytest.mark.parametrize(
    ("text", "dialect", "pins", "expected"),
    [
        # axolotl: a validator refuses the key when it is set; null or false pass
        pytest.param(
            AXOLOTL.format(extra="rope_scaling:\n  type: linear"), "axolotl", None,
            [("K002", 4, 1, Severity.ERROR)], id="axolotl-rope-scaling-top-level",
        ),
        pytest.param(AXOLOTL.format(extra="rope_scaling:"), "axolotl", None, [], id="null_noop"),
        pytest.param(
            AXOLOTL.format(extra="flash_attn_rms_norm: false"), "axolotl", None, [],
            id="false_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="flash_attn_rms_norm: true"), "axolotl", None,
            [("K002", 4, 1, Severity.ERROR)], id="axolotl-validator-refuses",
        ),
        pytest.param(
            AXOLOTL.format(extra="evaluation_strategy: steps"), "axolotl", None,
            [("K002", 4, 1, Severity.INFO)], id="axolotl-deprecated-mapped",
        ),
        pytest.param(
            AXOLOTL.format(extra="flash_attn_fuse_qkv: true"), "axolotl", None,
            [("K002", 4, 1, Severity.ERROR)], id="axolotl-removed-0.12",
        ),
        pytest.param(
            AXOLOTL.format(extra="flash_attn_fuse_qkv: true"), "axolotl", {"axolotl": "==0.10.0"},
            [], id="axolotl-pinned-before-removal_noop",
        ),
        pytest.param(
            AXOLOTL.format(extra="fp8_config:\n  recipe: tensorwise"), "axolotl",
            {"axolotl": ">=0.18"}, [("K002", 4, 1, Severity.WARNING)], id="axolotl-added-0.19",
        ),
        pytest.param(
            AXOLOTL.format(extra="attn_implementation: sdpa"), "axolotl", None, [], id="sdpa_noop"
        ),
        # TRL and transformers: removals at the .0 release, pins and ranges
        pytest.param(
            TRL.format(extra="max_seq_length: 2048"), "trl", None,
            [("K002", 4, 1, Severity.ERROR)], id="trl-removed-0.20",
        ),
        pytest.param(
            TRL.format(extra="torch_dtype: bfloat16"), "trl", {"trl": ">=0.19.1"},
            [("K002", 4, 1, Severity.WARNING)], id="trl-range-spans-removal",
        ),
        pytest.param(
            TRL.format(extra="torch_dtype: bfloat16"), "trl", {"trl": "==0.19.1"}, [],
            id="trl-pinned-has-it_noop",
        ),
        pytest.param(
            TRL.format(extra="dtype: bfloat16"), "trl", {"trl": "==0.19.1"},
            [("K002", 4, 1, Severity.ERROR)], id="trl-not-yet-added",
        ),
        pytest.param(
            TRL.format(extra="beta: 0.1\nmax_prompt_length: 512"), "trl", {"trl": "==0.29.0"},
            [("K002", 5, 1, Severity.ERROR)], id="trl-0.29.0-removed-it",
        ),
        pytest.param(
            TRL.format(extra="beta: 0.1\nmax_prompt_length: 512"), "trl", {"trl": "==0.28.0"},
            [("K002", 5, 1, Severity.INFO)], id="trl-0.28.0-deprecates-it",
        ),
        pytest.param(
            TRL.format(extra="evaluation_strategy: steps"), "trl", {"transformers": "==4.50.3"},
            [("K002", 4, 1, Severity.INFO)], id="transformers-4.50-deprecated",
        ),
        pytest.param(
            TRL.format(extra="evaluation_strategy: steps"), "trl", {"transformers": "==4.51.0"},
            [("K002", 4, 1, Severity.ERROR)], id="transformers-4.51-removed",
        ),
        pytest.param(
            TRL.format(extra="overwrite_output_dir: null"), "trl", None,
            [("K002", 4, 1, Severity.ERROR)], id="refused-even-null",
        ),
        pytest.param(
            TRL.format(extra="max_length: 2048\ndtype: bfloat16\nwarmup_steps: 0.1"), "trl", None,
            [], id="trl-current_noop",
        ),
        # LLaMA-Factory: its own renames; transformers as the newest LLaMA-Factory accepts it
        pytest.param(
            LLAMAFACTORY.format(extra="dpo_beta: 0.1"), "llamafactory", None,
            [("K002", 4, 1, Severity.ERROR)], id="llamafactory-renamed",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="pref_beta: 0.1"), "llamafactory", None, [],
            id="pref-beta_noop",
        ),
        pytest.param(
            LLAMAFACTORY.format(extra="warmup_ratio: 0.1"), "llamafactory", None,
            [("K002", 4, 1, Severity.INFO)], id="llamafactory-transformers-5.6",
        ),
        # verl
        pytest.param(
            VERL.format(extra="      warmup_style: cosine"), "verl", None,
            [("K002", 7, 7, Severity.INFO)], id="verl-deprecated",
        ),
        pytest.param(
            VERL.format(extra="      lr_scheduler_type: cosine"), "verl", None, [],
            id="verl-current_noop",
        ),
    ],
)  # fmt: skip
def test_k002(
    text: str,
    dialect: str,
    pins: dict[str, str] | None,
    expected: list[tuple[str, int, int, Severity]],
) -> None:
    assert [(f.code, f.line, f.column, f.severity) for f in k002(text, dialect, pins)] == expected


def test_removed_message_names_release_file_and_assumption() -> None:
    (finding,) = k002(TRL.format(extra="max_seq_length: 2048"), "trl")
    assert finding.message == (
        "'max_seq_length' was removed in trl 0.20.0 (last in trl 0.19.1"
        " trl/trainer/sft_config.py:192); with trl 1.16.0 (assumed: no pin found, the newest"
        " release in cfgguard's data), TrlParser refuses it; use 'max_length' instead"
    )
    assert finding.source == "trl 0.19.1 trl/trainer/sft_config.py:192"


def test_partial_message_names_the_breaking_release_and_the_pin() -> None:
    (finding,) = k002(TRL.format(extra="torch_dtype: bfloat16"), "trl", {"trl": ">=0.19.1"})
    assert finding.message == (
        "'torch_dtype' breaks from trl 0.27.0, which your `trl>=0.19.1` (requirements.txt:1)"
        " allows: pin `trl<0.27`; 'dtype' replaces it, but not in every release your pins allow"
    )
    assert finding.fix is None  # dtype does not exist in 0.19.1


def test_rename_fix_when_the_replacement_is_in_every_allowed_release() -> None:
    (finding,) = k002(TRL.format(extra="torch_dtype: bfloat16"), "trl")
    assert finding.fix is not None
    assert finding.fix.applicability == "safe"
    assert [e.content for e in finding.fix.edits] == ["dtype"]
    (axolotl,) = k002(AXOLOTL.format(extra="evaluation_strategy: steps"), "axolotl")
    assert axolotl.fix is not None
    assert [e.content for e in axolotl.fix.edits] == ["eval_strategy"]


def test_no_rename_onto_a_key_already_set() -> None:
    text = TRL.format(extra="torch_dtype: bfloat16\ndtype: float16")
    (finding,) = k002(text, "trl")
    assert finding.fix is None
    assert finding.message.endswith("use 'dtype' instead (already set here)")


def test_keys_inherited_from_transformers_follow_its_pin() -> None:
    text = TRL.format(extra="evaluation_strategy: steps")
    assert triples(run(text, "trl", pins={"transformers": "==4.50.3"}), "K002") == [("K002", 4, 1)]
    assert triples(run(text, "trl", pins={"transformers": "==4.48.0"}), "K002") == [("K002", 4, 1)]
