"""(input, expected output) for every fix of R002, R003, L002, K001, L004."""

from __future__ import annotations

import pytest

from tests.fix.helpers import fix_text, fixed

AX = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
adapter: lora
lora_r: 32
lora_alpha: 32
micro_batch_size: 4
gradient_accumulation_steps: 4
sequence_len: 2048
num_epochs: 1
"""

PLAIN = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
lora_rank: 32
lora_alpha: 32
batch_size: 16
num_steps: 5000
"""

LF_FULL = """\
model_name_or_path: Qwen/Qwen2.5-7B-Instruct
stage: sft
do_train: true
finetuning_type: full
template: qwen
cutoff_len: 2048
"""

TT = """\
model:
  _component_: torchtune.models.llama3_1.lora_llama3_1_8b
  lora_attn_modules: ['q_proj', 'k_proj', 'v_proj', 'output_proj']
  apply_lora_to_mlp: True
  apply_lora_to_output: {out}  # output layer
  lora_rank: 8
  lora_alpha: 16
checkpointer:
  _component_: torchtune.training.FullModelHFCheckpointer
  checkpoint_dir: /tmp/Meta-Llama-3.1-8B-Instruct/
optimizer:
  _component_: torch.optim.AdamW
  lr: 2e-4
batch_size: 4
gradient_accumulation_steps: 4
epochs: 1
"""

TRL_GRPO = """\
model_name_or_path: meta-llama/Llama-3.1-8B-Instruct
use_peft: true
lora_r: {rank}
lora_alpha: 16
lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, lm_head]
learning_rate: 1.0e-5
per_device_train_batch_size: 8
gradient_accumulation_steps: 2
num_generations: 8
temperature: 0.7
"""

CASES: list[tuple[str, str, str, str]] = [
    # R002: LoRA at full level -> x10, style kept
    ("r002_plain_sci", "plain", PLAIN + "learning_rate: 2e-5\n", PLAIN + "learning_rate: 2e-4\n"),
    (
        "r002_plain_dot",
        "plain",
        PLAIN + "learning_rate: 2.0e-5  # peak\n",
        PLAIN + "learning_rate: 2.0e-4  # peak\n",
    ),
    (
        "r002_axolotl_decimal",
        "axolotl",
        AX + "learning_rate: 0.00002\n",
        AX + "learning_rate: 0.0002\n",
    ),
    (
        "r002_axolotl_quoted",
        "axolotl",
        AX + "learning_rate: '2e-05'\n",
        AX + "learning_rate: '2e-04'\n",
    ),
    # R003: full FT at LoRA level -> /10
    (
        "r003_llamafactory",
        "llamafactory",
        LF_FULL + "learning_rate: 2.0e-4\n",
        LF_FULL + "learning_rate: 2.0e-5\n",
    ),
    (
        "r003_axolotl",
        "axolotl",
        AX.replace("adapter: lora\n", "") + "learning_rate: 1e-4\n",
        AX.replace("adapter: lora\n", "") + "learning_rate: 1e-5\n",
    ),
    # L002: RL rank lowered to the top of the RL range
    ("l002_trl", "trl", TRL_GRPO.format(rank=64), TRL_GRPO.format(rank=16)),
    (
        "l002_plain",
        "plain",
        PLAIN.replace("lora_rank: 32", "lora_rank: 64") + "beta: 0.1\nlearning_rate: 1.0e-5\n",
        PLAIN.replace("lora_rank: 32", "lora_rank: 16") + "beta: 0.1\nlearning_rate: 1.0e-5\n",
    ),
    # K001: typo renamed (safe)
    (
        "k001_axolotl",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_dropuot: 0.05  # d\n",
        AX + "learning_rate: 2.0e-4\nlora_dropout: 0.05  # d\n",
    ),
    (
        "k001_llamafactory",
        "llamafactory",
        LF_FULL + "learning_rate: 2.0e-5\nlr_scheduler_typ: cosine\n",
        LF_FULL + "learning_rate: 2.0e-5\nlr_scheduler_type: cosine\n",
    ),
    # L004: head added in the dialect's spelling
    (
        "l004_block_list",
        "axolotl",
        AX
        + "learning_rate: 2.0e-4\nlora_target_modules:\n  - q_proj\n  - v_proj  # attn\n# next\n",
        AX + "learning_rate: 2.0e-4\nlora_target_modules:\n  - q_proj\n  - v_proj  # attn\n"
        "  - lm_head\n# next\n",
    ),
    (
        "l004_block_list_quoted_unindented",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_target_modules:\n- 'q_proj'\n- 'v_proj'\n",
        AX + "learning_rate: 2.0e-4\nlora_target_modules:\n- 'q_proj'\n- 'v_proj'\n- 'lm_head'\n",
    ),
    (
        "l004_flow_list",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_target_modules: [q_proj, v_proj]  # c\n",
        AX + "learning_rate: 2.0e-4\nlora_target_modules: [q_proj, v_proj, lm_head]  # c\n",
    ),
    (
        "l004_target_linear",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_target_linear: true  # all\n\n"
        "# optimizer\noptimizer: adamw_torch\n",
        AX
        + "learning_rate: 2.0e-4\nlora_target_linear: true  # all\nlora_target_modules: [lm_head]\n"
        "\n# optimizer\noptimizer: adamw_torch\n",
    ),
    ("l004_torchtune_switch", "torchtune", TT.format(out="False"), TT.format(out="True")),
    (
        "l004_llamafactory_comma",
        "llamafactory",
        LF_FULL.replace("full", "lora") + "learning_rate: 2.0e-4\nlora_target: q_proj,v_proj\n",
        LF_FULL.replace("full", "lora")
        + "learning_rate: 2.0e-4\nlora_target: q_proj,v_proj,lm_head\n",
    ),
    # Y003: loader surprises rewritten as meant (safe)
    (
        "y003_trl_int_and_no",
        "trl",
        TRL_GRPO.format(rank=8) + "max_steps: 1e3\nsave_strategy: no  # off\n",
        TRL_GRPO.format(rank=8) + 'max_steps: 1000\nsave_strategy: "no"  # off\n',
    ),
    (
        "y003_axolotl_dict",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlr_scheduler_kwargs: {min_lr: 1e-6}\n",
        AX + "learning_rate: 2.0e-4\nlr_scheduler_kwargs: {min_lr: 1.0e-6}\n",
    ),
    (
        "y003_torchtune_quoted",
        "torchtune",
        TT.format(out="True").replace("lr: 2e-4", 'lr: "2e-4"'),
        TT.format(out="True"),
    ),
    # L006: a foreign family's list replaced by the model's own names (unsafe)
    (
        "l006_axolotl_qwen1_names",
        "axolotl",
        AX.replace("meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct")
        + "learning_rate: 2.0e-4\nlora_target_modules: [c_attn, c_proj, w1, w2, lm_head]\n",
        AX.replace("meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B-Instruct")
        + "learning_rate: 2.0e-4\nlora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj,"
        " up_proj, down_proj, lm_head]\n",
    ),
    (
        "l006_torchtune_o_proj",
        "torchtune",
        TT.format(out="True").replace("'output_proj'", "'o_proj'"),
        TT.format(out="True"),
    ),
    # O004: clipping switched on / inserted (unsafe)
    (
        "o004_llamafactory_zero",
        "llamafactory",
        LF_FULL + "learning_rate: 2.0e-5\nmax_grad_norm: 0\n",
        LF_FULL + "learning_rate: 2.0e-5\nmax_grad_norm: 1.0\n",
    ),
    (
        "o004_torchtune_insert",
        "torchtune",
        TT.format(out="True"),
        TT.format(out="True").replace(
            "gradient_accumulation_steps: 4\n",
            "gradient_accumulation_steps: 4\nclip_grad_norm: 1.0\n",
        ),
    ),
]


@pytest.mark.parametrize(("name", "dialect", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_fix(name: str, dialect: str, before: str, after: str) -> None:
    code = name.split("_", 1)[0].upper()
    assert fixed(before, dialect, code=code) == after, name
    assert fixed(after, dialect, code=code) == after  # idempotent


@pytest.mark.parametrize(("name", "dialect", "before", "after"), CASES, ids=[c[0] for c in CASES])
def test_fix_crlf_bom(name: str, dialect: str, before: str, after: str) -> None:
    from cfgguard.check import Options
    from cfgguard.fix.engine import fix_source
    from cfgguard.source import decode

    data = b"\xef\xbb\xbf" + before.replace("\n", "\r\n").encode()
    options = Options(dialect=dialect, select=frozenset({name.split("_", 1)[0].upper()}))
    outcome = fix_source(decode(data, "t.yaml"), options, unsafe=True)
    assert outcome.text == after.replace("\n", "\r\n"), name


NOOPS: list[tuple[str, str, str]] = [
    ("r002_noop_in_range", "plain", PLAIN + "learning_rate: 2e-4\n"),
    ("r002_noop_x10_misses", "plain", PLAIN + "learning_rate: 7e-6\n"),  # x10 = 7e-5: no fix
    ("k001_noop_two_candidates", "axolotl", AX + "learning_rate: 2.0e-4\nlora_foo: 1\n"),
    (
        "k001_noop_target_exists",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_dropout: 0.1\nlora_dropuot: 0.05\n",
    ),
    ("l004_noop_regex", "axolotl", AX + "learning_rate: 2.0e-4\nlora_target_modules: '.*proj'\n"),
    (
        "l004_noop_llamafactory_all",
        "llamafactory",
        LF_FULL.replace("full", "lora") + "learning_rate: 2.0e-4\nlora_target: all\n",
    ),
    ("l002_noop_rl_in_range", "trl", TRL_GRPO.format(rank=8)),
    ("y003_noop_dotted", "trl", TRL_GRPO.format(rank=8) + 'save_strategy: "no"\nmax_steps: 1000\n'),
    (
        "l006_noop_mixed_list",
        "axolotl",
        AX + "learning_rate: 2.0e-4\nlora_target_modules: [q_proj, c_attn]\n",
    ),
    ("o004_noop_clipped", "llamafactory", LF_FULL + "learning_rate: 2.0e-5\nmax_grad_norm: 1.0\n"),
]


@pytest.mark.parametrize(("name", "dialect", "text"), NOOPS, ids=[c[0] for c in NOOPS])
def test_fix_noop(name: str, dialect: str, text: str) -> None:
    outcome = fix_text(text, dialect, code=name.split("_", 1)[0].upper())
    assert outcome.error is None
    assert outcome.text == text, name
    assert outcome.applied == []


def test_safe_only_without_unsafe_flag() -> None:
    text = AX + "learning_rate: 2e-5\nlora_dropuot: 0.05\n"
    expected = AX + "learning_rate: 2e-5\nlora_dropout: 0.05\n"
    assert fixed(text, "axolotl", unsafe=False, code="K001") == expected
    assert fixed(text, "axolotl", unsafe=False, code="R002") == text
