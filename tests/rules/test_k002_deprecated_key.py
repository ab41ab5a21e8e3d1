"""K002: deprecated, removed and renamed keys."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from cfgguard.knowledge.deprecations import applicable, deprecations, lookup, parse_version
from cfgguard.knowledge.keys import key_rows
from tests.conftest import run, triples

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 16
micro_batch_size: 4
sequence_len: 2048
learning_rate: 2.0e-4
{extra}
"""

TRL = """\
model_name_or_path: Qwen/Qwen2.5-7B
use_peft: true
lora_r: 16
learning_rate: 2.0e-4
{extra}
"""

LLAMAFACTORY = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: dpo
finetuning_type: lora
cutoff_len: 2048
learning_rate: 1.0e-5
{extra}
"""

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


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        # axolotl: refused (error), ignored (warning), still mapped (info)
        (AXOLOTL.format(extra="rope_scaling:\n  type: linear"), "axolotl", [("K002", 7, 1)]),
        (AXOLOTL.format(extra="rope_scaling:"), "axolotl", []),  # null: unset
        (AXOLOTL.format(extra="flash_attn_rms_norm: false"), "axolotl", []),  # only truthy
        (AXOLOTL.format(extra="flash_attention: true"), "axolotl", [("K002", 7, 1)]),
        (AXOLOTL.format(extra="dpo_beta: 0.1"), "axolotl", [("K002", 7, 1)]),
        (AXOLOTL.format(extra="gradient_checkpointing: offload"), "axolotl", [("K002", 7, 25)]),
        (AXOLOTL.format(extra="gradient_checkpointing: true"), "axolotl", []),
        (
            AXOLOTL.format(extra="fsdp_config:\n  fsdp_version: 2\n  fsdp_offload_params: true"),
            "axolotl",
            [("K002", 9, 3)],
        ),
        (
            AXOLOTL.format(extra="datasets:\n  - path: x\n    type: sharegpt.load_role"),
            "axolotl",
            [("K002", 9, 11)],
        ),
        (AXOLOTL.format(extra="attn_implementation: sdpa"), "axolotl", []),
        # TRL: keys no current release defines
        (TRL.format(extra="max_seq_length: 2048"), "trl", [("K002", 5, 1)]),
        (TRL.format(extra="torch_dtype: bfloat16"), "trl", [("K002", 5, 1)]),
        (TRL.format(extra="warmup_ratio: 0.1"), "trl", [("K002", 5, 1)]),
        (TRL.format(extra="overwrite_output_dir: null"), "trl", [("K002", 5, 1)]),
        (TRL.format(extra="max_length: 2048\ndtype: bfloat16\nwarmup_steps: 0.1"), "trl", []),
        (TRL.format(extra="num_generations: 8\nmax_completion_length: 256"), "trl", []),
        (
            TRL.format(extra="beta: 0.1\nloss_type: sigmoid\nmax_completion_length: 256"),
            "trl",
            [("K002", 7, 1)],
        ),
        # LLaMA-Factory: renamed keys, transformers 5 removals, mapped deprecations
        (LLAMAFACTORY.format(extra="dpo_beta: 0.1"), "llamafactory", [("K002", 6, 1)]),
        (LLAMAFACTORY.format(extra="pref_beta: 0.1"), "llamafactory", []),
        (LLAMAFACTORY.format(extra="no_cuda: false"), "llamafactory", [("K002", 6, 1)]),
        (LLAMAFACTORY.format(extra="warmup_ratio: 0.1"), "llamafactory", [("K002", 6, 1)]),
        (LLAMAFACTORY.format(extra="overwrite_output_dir: true"), "llamafactory", []),
        # verl: deprecated spellings still read
        (VERL.format(extra="      warmup_style: cosine"), "verl", [("K002", 7, 7)]),
        (VERL.format(extra="      lr_scheduler_type: cosine"), "verl", []),
        (VERL.format(extra="    ppo_micro_batch_size: 8"), "verl", [("K002", 7, 5)]),
        (VERL.format(extra="    ppo_micro_batch_size: null"), "verl", []),
    ],
)
def test_k002(text: str, dialect: str, expected: list[tuple[str, int, int]]) -> None:
    assert triples(run(text, dialect), "K002") == expected


@pytest.mark.parametrize(
    ("text", "dialect", "severity"),
    [
        (AXOLOTL.format(extra="rope_scaling:\n  type: linear"), "axolotl", Severity.ERROR),
        (AXOLOTL.format(extra="evaluation_strategy: steps"), "axolotl", Severity.WARNING),
        (AXOLOTL.format(extra="flash_attention: true"), "axolotl", Severity.INFO),
        (
            AXOLOTL.format(extra="flash_attention: true\nattn_implementation: sdpa"),
            "axolotl",
            Severity.ERROR,
        ),
        (TRL.format(extra="warmup_ratio: 0.1"), "trl", Severity.ERROR),
        (LLAMAFACTORY.format(extra="warmup_ratio: 0.1"), "llamafactory", Severity.INFO),
        (LLAMAFACTORY.format(extra="dpo_beta: 0.1"), "llamafactory", Severity.ERROR),
        (VERL.format(extra="      warmup_style: cosine"), "verl", Severity.INFO),
    ],
)
def test_k002_severity(text: str, dialect: str, severity: Severity) -> None:
    (finding,) = [f for f in run(text, dialect) if f.code == "K002"]
    assert finding.severity is severity


def test_k002_message() -> None:
    (finding,) = [
        f for f in run(TRL.format(extra="max_seq_length: 2048"), "trl") if f.code == "K002"
    ]
    assert finding.message == (
        "'max_seq_length' was renamed to max_length in TRL 0.16 (alias until 0.19.x; absent at"
        " v0.20.0); use max_length instead; TrlParser refuses unknown keys (TRL's own scripts"
        " drop them silently) (trl.md sections 3 and 5 (trl.keys.tsv REMOVED rows))"
    )
    (conflict,) = [
        f
        for f in run(AXOLOTL.format(extra="flash_attention: true\nattn_implementation: sdpa"))
        if f.code == "K002"
    ]
    assert "with 'attn_implementation' also set, axolotl refuses the config" in conflict.message


def test_target_versions_pick_the_newest_entry() -> None:
    entries = lookup("trl", "warmup_ratio")
    assert {e.status for e in entries} == {"deprecated", "error"}
    old = applicable(entries, {"transformers": "4.57.6"})
    mid = applicable(entries, {"transformers": "5.8.0"})
    new = applicable(entries, {"transformers": "5.24.0"})
    assert old is None
    assert mid is not None
    assert mid.status == "deprecated"
    assert new is not None
    assert new.status == "error"
    assert parse_version("v0.8.0.dev0") == (0, 8, 0)


def test_every_removed_trl_key_has_an_entry() -> None:
    """K001 treats the key list's REMOVED rows as known: K002 must report each of them."""
    rows = key_rows("trl")
    current = {r.key for r in rows if not r.removed}
    removed = {r.key for r in rows if r.removed} - current
    missing = sorted(k for k in removed if not lookup("trl", k))
    assert missing == []


def test_entries_name_their_source() -> None:
    for entry in deprecations():
        assert entry.source, entry
        assert entry.change, entry
        assert entry.dialect in ("axolotl", "llamafactory", "trl", "verl"), entry
