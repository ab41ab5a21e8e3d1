"""The knowledge tables: loader values, and the data against the quick reference itself.

The project's copy of the quick reference (docs/reference/hyperparameter-quick-reference.md):
its markdown tables,
bullets and code blocks are parsed and compared with data/*.json; the only differences
allowed are the documented corrections (PPO's point values become ranges; the Qwen
module roles and the params column are kept verbatim but annotated).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from cfgguard.canonical import RL_METHODS
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import SIZE_CLASSES

REFERENCE = (
    Path(__file__).resolve().parents[1] / "docs" / "reference" / "hyperparameter-quick-reference.md"
)

# -- the loader ---------------------------------------------------------------------


def test_method_rows() -> None:
    assert tables.method_row("sft") == "sft"
    for method in ("dpo", "kto", "orpo", "simpo"):
        assert tables.method_row(method) == "dpo"
    assert tables.method_row("grpo") == "grpo"
    assert tables.method_row("ppo") == "ppo"
    for method in ("pretrain", "rm", "other", None, "_note"):
        assert tables.method_row(method) is None


def test_learning_rates() -> None:
    assert tables.learning_rate("sft", "full") == tables.Range(
        1e-5, 5e-5, "Learning Rates / Base Learning Rates: SFT"
    )
    lora = tables.learning_rate("sft", "lora")
    assert lora is not None
    assert (lora.low, lora.high) == (1e-4, 5e-4)
    assert tables.learning_rate("sft", "qlora") == lora
    assert tables.learning_rate("sft", "other") is None
    assert tables.learning_rate("rm", "full") is None
    ppo = tables.learning_rate("ppo", "lora")
    assert ppo is not None
    assert (ppo.low, ppo.high) == (5e-6, 2e-5)  # 0.5x..2x around the table's 1e-5
    assert ppo.contains(1e-5)
    assert not ppo.contains(3e-5)


def test_lr_for_hidden_size_is_two_over_hidden() -> None:
    assert tables.lr_for_hidden_size(4096) == pytest.approx(4.8828125e-4)
    assert tables.lr_for_hidden_size(5120) == pytest.approx(3.90625e-4)
    assert tables.lr_for_hidden_size(8192) == pytest.approx(2.44140625e-4)
    assert tables.LR_BY_HIDDEN_ROW == "Learning Rates / By Model Size (SFT + LoRA)"


def test_lora_ranks() -> None:
    row = tables.lora_rank("sft", "7-8B")
    assert row is not None
    assert (row.low, row.high, row.alpha) == (32, 64, 32)
    assert "83.9-167.8M" in row.params_note
    assert [r.size for r in tables.lora_rank_rows("sft")] == list(SIZE_CLASSES)
    assert [r.size for r in tables.lora_rank_rows("rl")] == ["7-8B", "13B", "70B"]
    assert tables.lora_rank("rl", "1-3B") is None
    rl70 = tables.lora_rank("rl", "70B")
    assert rl70 is not None
    assert (rl70.low, rl70.high, rl70.alpha) == (16, 64, 32)


def test_moe_rank_reading() -> None:
    mixtral = tables.moe_rank("sft", "13B", 2)
    assert mixtral is not None
    assert (mixtral.low, mixtral.high, mixtral.alpha) == (32, 128, 32)
    qwen3 = tables.moe_rank("sft", "1-3B", 8)
    assert qwen3 is not None
    assert (qwen3.low, qwen3.high) == (2, 32)
    many = tables.moe_rank("sft", "1-3B", 64)
    assert many is not None
    assert many.low == 1
    assert tables.moe_rank("rl", "34B", 2) is None


def test_rank_kind_matches_canonical_rl_methods() -> None:
    for method in ("sft", "pretrain", "rm", "other", "dpo", "kto", "orpo", "simpo", "grpo", "ppo"):
        assert (tables.rank_kind(method) == "rl") == (method in RL_METHODS), method
    assert tables.rank_kind(None) == "sft"


def test_duration_buckets_are_lower_inclusive() -> None:
    def span(r: tables.Range | None) -> tuple[float, float] | None:
        return None if r is None else (r.low, r.high)

    assert span(tables.eval_frequency(999)) == (50, 100)
    assert span(tables.eval_frequency(1000)) == (100, 500)
    assert span(tables.eval_frequency(5000)) == (500, 1000)
    assert span(tables.eval_frequency(10**6)) == (1000, 2000)
    assert span(tables.epochs_for_dataset(5000)) == (1, 3)
    assert span(tables.epochs_for_dataset(50000)) == (1, 1)
    assert span(tables.epochs_for_dataset(10**7)) == (0.5, 1)


def test_batch() -> None:
    sft = tables.effective_batch("sft")
    assert sft is not None
    assert (sft.low, sft.high) == (16, 64)
    assert tables.effective_batch("ppo") is None
    row = tables.gpu_memory_max_batch(48)
    assert row is not None
    assert (row.memory_gb, row.max_batch.low, row.max_batch.high) == (40, 4, 8)
    assert tables.gpu_memory_max_batch(12) is None


def test_dpo_and_grpo() -> None:
    assert tables.dpo_beta_range() == tables.Range(
        0.01, 1.0, "DPO Specific / Beta (KL Coefficient)"
    )
    assert tables.dpo_beta_ends() == (0.05, 0.5)
    assert tables.dpo_beta_methods() == frozenset({"dpo", "kto"})
    assert [r.value for r in tables.dpo_beta_rows() if r.recommended] == [0.1]
    weak = next(c for c in tables.dpo_beta_choices() if c.label == "Weak baseline")
    assert weak.range.low == 0.2
    assert math.isinf(weak.range.high)
    assert tables.nearest(tables.dpo_beta_rows(), 0.03).value == 0.05
    assert tables.nearest(tables.dpo_beta_rows(), 0.02).value == 0.01
    assert (tables.grpo_group_range().low, tables.grpo_group_range().high) == (4, 16)
    assert tables.grpo_group_minimum() == 2
    temperature = tables.grpo_temperature_range()
    assert (temperature.low, temperature.high) == (0.5, 1.2)
    assert tables.grpo_temperature_rows()[-1].label == "1.2+"


def test_optimizer_context_examples() -> None:
    opt = tables.optimizer_defaults()
    assert (opt.optimizer, opt.betas, opt.eps, opt.weight_decay) == ("adamw", (0.9, 0.999), 1e-8, 0)
    assert (opt.max_grad_norm, opt.warmup_ratio, opt.lr_schedulers) == (
        1.0,
        0.03,
        ("cosine", "constant"),
    )
    llama3 = tables.context_rows()[0]
    assert (llama3.model, llama3.native, llama3.extended) == ("Llama 3", 8192, 131072)
    assert "3.1" in llama3.note
    assert math.isinf(tables.seq_len_rows()[2].range.high)
    assert set(tables.common_configs()) == {
        "SFT (General Purpose)",
        "DPO (Preference Alignment)",
        "GRPO (Math Reasoning)",
    }
    assert len(tables.troubleshooting_rows()) == 6
    assert "Qwen" in tables.target_modules()


# -- the data against the reference ---------------------------------------------------


@dataclass
class Section:
    tables: list[list[list[str]]] = field(default_factory=list[list[list[str]]])
    bullets: list[str] = field(default_factory=list[str])
    code: list[str] = field(default_factory=list[str])


def parse(text: str) -> dict[str, Section]:
    """'## H' and '## H / ### h' -> tables (header and rule rows dropped), bullets, code."""
    sections: dict[str, Section] = {}
    h2, current = "", Section()
    in_code, code, table = False, list[str](), list[list[str]]()
    for line in [*text.splitlines(), ""]:
        if line.startswith("```"):
            if in_code:
                current.code.append("\n".join(code))
            in_code, code = not in_code, []
            continue
        if in_code:
            code.append(line)
            continue
        if line.startswith("|"):
            table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            current.tables.append(table[2:])
            table = []
        if line.startswith("## "):
            h2 = line[3:].strip()
            current = sections.setdefault(h2, Section())
        elif line.startswith("### "):
            current = sections.setdefault(f"{h2} / {line[4:].strip()}", Section())
        elif line.startswith("- "):
            current.bullets.append(line[2:].strip())
    return sections


@pytest.fixture(scope="module")
def ref() -> dict[str, Section]:
    return parse(REFERENCE.read_text(encoding="utf-8"))


def _range_text(pair: list[Any]) -> str:
    low, high = pair
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


def test_lora_tables_match(ref: dict[str, Section]) -> None:
    data = tables.load("lora.json")
    for kind, title in (("sft", "SFT"), ("rl", "RL")):
        rows = ref[f"LoRA Configuration / Rank by Model Size ({title})"].tables[0]
        dense = [r for r in rows if r[0] != "MoE"]
        assert [[r["size"], _range_text(r["rank"]), str(r["alpha"]), r["params_reference"]]
                for r in data[kind]] == dense  # fmt: skip
        for r in data[kind]:
            assert r["row"] == f"LoRA Configuration / Rank by Model Size ({title}): {r['size']}"
    moe = data["moe"]
    assert [moe["size"], moe["rank"], str(moe["alpha"]), moe["params_reference"]] in (
        ref["LoRA Configuration / Rank by Model Size (SFT)"].tables[0]
    )


def test_target_modules_match(ref: dict[str, Section]) -> None:
    block = ref["LoRA Configuration / Target Modules"].code[0]
    families: dict[str, list[tuple[str, str]]] = {}
    family = ""
    for line in block.splitlines():
        if line.startswith("# "):
            family = line[2:].strip()
        elif line.strip().startswith("- "):
            name, _, comment = line.strip()[2:].partition("#")
            families.setdefault(family, []).append((name.strip(), comment.strip()))
    for entry in tables.load("lora.json")["target_modules"]:
        listed = families[entry["family"]]
        assert [n for n, _ in listed] == entry["modules"]
        assert {n: c for n, c in listed if c} == entry["roles"]  # verbatim; see its note


def _lr_pair(text: str) -> tuple[float, float] | float:
    parts = [float(p) for p in text.split(" to ")]
    return (parts[0], parts[1]) if len(parts) == 2 else parts[0]


def test_base_learning_rates_match(ref: dict[str, Section]) -> None:
    rows = ref["Learning Rates / Base Learning Rates"].tables[0]
    data = tables.load("learning_rates.json")["base"]
    assert [r[0] for r in rows] == [b["method"] for b in data]
    for row, base in zip(rows, data, strict=True):
        for column, text in (("full", row[1]), ("lora", row[2])):
            assert base["reference"][column] == text
            pair = _lr_pair(text)
            if isinstance(pair, tuple):
                assert tuple(base[column]) == pair
            else:  # documented: a point value becomes 0.5x..2x around it
                assert tuple(base[column]) == pytest.approx((pair / 2, pair * 2))
                assert base["method"] == "PPO"


def test_lr_by_model_size_matches(ref: dict[str, Section]) -> None:
    section = ref["Learning Rates / By Model Size (SFT + LoRA)"]
    data = tables.load("learning_rates.json")["by_model_size"]
    assert data["formula"] in section.code[0]
    got = [[r["model"], str(r["hidden"]), r["reference"]] for r in data["rows"]]
    assert got == section.tables[0]
    for r in data["rows"]:
        assert r["formula"] == pytest.approx(tables.lr_for_hidden_size(r["hidden"]))
        assert r["formula"] == pytest.approx(float(r["reference"].lstrip("~")), rel=0.03)


def test_duration_matches(ref: dict[str, Section]) -> None:
    data = tables.load("duration.json")
    steps = ref["Training Duration / Steps vs Epochs"].tables[0]
    assert [[r["dataset"], _range_text(r["epochs"]), _range_text(r["steps_batch16"])]
            for r in data["steps_vs_epochs"]] == steps  # fmt: skip
    evals = ref["Training Duration / Eval Frequency"].tables[0]
    assert [[r["steps"], _range_text(r["every"])] for r in data["eval_frequency"]] == evals


def test_batch_matches(ref: dict[str, Section]) -> None:
    data = tables.load("batch.json")
    memory = ref["Batch Sizes / By GPU Memory (LoRA, 8B model)"].tables[0]
    got = [
        [
            f"{r['memory_gb']}GB",
            _range_text(r["max_batch"]),
            f"{r['effective']} ({r['accumulation']} accum)",
        ]
        for r in data["by_gpu_memory"]
    ]
    assert got == memory
    bullets = ref["Batch Sizes / Recommendations"].bullets
    assert [f"**{r['label']}**: {r['text']}" for r in data["recommendations"]] == bullets
    for r in data["recommendations"]:
        assert r["text"].startswith(_range_text(r["effective"]))


def test_dpo_matches(ref: dict[str, Section]) -> None:
    data = tables.load("dpo.json")
    beta = ref["DPO Specific / Beta (KL Coefficient)"].tables[0]
    assert [[f"{r['beta']}", r["behaviour"]] for r in data["beta"]] == beta
    bullets = ref["DPO Specific / Choosing Beta"].bullets
    assert [f"**{c['situation']}**: {c['text']}" for c in data["choosing"]] == bullets
    for c in data["choosing"]:
        numbers = [float(n) for n in re.findall(r"\d+\.\d+", c["text"])]
        assert numbers[0] == c["low"]
        assert numbers[-1] == (c["high"] if c["high"] is not None else c["low"])


def test_grpo_matches(ref: dict[str, Section]) -> None:
    data = tables.load("grpo.json")
    group = ref["GRPO Specific / Group Size"].tables[0]
    assert [[str(r["samples"]), r["trade_off"]] for r in data["group_size"]] == group
    temperature = ref["GRPO Specific / Temperature"].tables[0]
    assert [[r["label"], r["use_case"]] for r in data["temperature"]] == temperature


def _numbers(value: Any) -> Any:
    """PyYAML reads ``1e-8`` as a string (YAML 1.1); the data holds the number."""
    if isinstance(value, str) and re.fullmatch(r"[0-9.]+e-?[0-9]+", value):
        return float(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def test_optimizer_matches(ref: dict[str, Section]) -> None:
    data = tables.load("optimizer.json")
    adamw = yaml.safe_load(ref["Optimizer Settings / AdamW (Standard)"].code[0])
    for key in ("optimizer", "betas", "eps", "weight_decay"):
        assert _numbers(adamw[key]) == data["adamw"][key]
    stability = yaml.safe_load(ref["Optimizer Settings / For Stability"].code[0])
    assert stability["max_grad_norm"] == data["stability"]["max_grad_norm"]
    assert stability["warmup_ratio"] == data["stability"]["warmup_ratio"]
    assert stability["lr_scheduler"] == data["stability"]["lr_scheduler"][0]


def test_context_matches(ref: dict[str, Section]) -> None:
    data = tables.load("context.json")
    rows = ref["Context Lengths / Maximum Sequence Length"].tables[0]
    got = [[r["model"], r["reference"]["native"], r["reference"]["extended"]]
           for r in data["max_seq_len"]]  # fmt: skip
    assert got == rows
    for r in data["max_seq_len"]:
        assert r["native"] == 1024 * int(r["reference"]["native"].rstrip("K"))
    uses = ref["Context Lengths / Recommendations"].tables[0]
    assert [[r["use_case"], r["text"]] for r in data["recommendations"]] == uses


def test_common_configs_match(ref: dict[str, Section]) -> None:
    configs = tables.load("common_configs.json")["configs"]
    for entry in configs:
        section = ref[f"Common Configurations / {entry['name']}"]
        written = {k: _numbers(v) for k, v in yaml.safe_load(section.code[0]).items()}
        assert written == entry["config"]


def test_troubleshooting_matches(ref: dict[str, Section]) -> None:
    rows = ref["Troubleshooting Quick Reference"].tables[0]
    data = tables.troubleshooting_rows()
    assert [[r["symptom"], r["check"], r["fix"]] for r in data] == rows
    for r in data:
        factor = re.search(r"(\d+)-(\d+)x", r["fix"])
        assert r["factor"] == ([int(factor[1]), int(factor[2])] if factor else None)


@pytest.mark.parametrize("name", sorted(tables.common_configs()))
def test_common_configs_are_clean(name: str) -> None:
    """The reference's own examples pass the table rules (L002 reports the DPO one)."""
    from cfgguard.check import Options, check_source
    from cfgguard.source import decode

    text = yaml.safe_dump(tables.common_configs()[name], sort_keys=False)
    found = check_source(decode(text.encode(), "t.yaml"), Options(dialect="plain"))
    mine = {"L001", "L003", "R001", "D001", "G001", "G002"}
    assert [f.code for f in found if f.code in mine] == []
    assert ("L002" in {f.code for f in found}) == name.startswith("DPO")
