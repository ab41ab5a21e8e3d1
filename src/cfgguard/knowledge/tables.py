"""The quick reference's tables, as typed values.

Data: ``data/*.json``, one file per table family (lora, learning_rates, duration, batch,
dpo, grpo, optimizer, context, common_configs, troubleshooting). Every value carries
its ``row``: the table and row it comes from, e.g. "Learning Rates / Base Learning
Rates: SFT", which findings cite. Where the reference is wrong or vague the data
follows the frameworks' code or the models' configs, and says so (with the release and
file) in its ``_about``/``note`` fields; this module only reads.

Conventions: a ``Range`` is inclusive and ``high`` is ``math.inf`` for an open row
("8192+", ">100K"). Methods are canonical names (``cfgguard.canonical.Method``);
adapters are "full" or "lora" ("qlora" reads the LoRA column).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from cfgguard.knowledge.rows import (
    BehaviourRow,
    ContextRow,
    GpuRow,
    Labelled,
    OptimizerDefaults,
    Range,
    RankKind,
    RankRow,
    load,
    open_range,
)

# -- LoRA --------------------------------------------------------------------------


def rank_kind(method: str | None) -> RankKind:
    """Which rank table a method uses: every RL or preference method (the DPO family,
    GRPO, PPO) the RL table, the rest the SFT table (see lora.json ``kind_by_method``)."""
    kinds: dict[str, str] = load("lora.json")["kind_by_method"]
    return "rl" if kinds.get(method or "sft") == "rl" else "sft"


@cache
def lora_rank_rows(kind: RankKind) -> tuple[RankRow, ...]:
    data = load("lora.json")
    note: str = data["params_note"]
    return tuple(
        RankRow(
            r["rank"][0],
            r["rank"][1],
            r["alpha"],
            r["row"],
            f"reference says {r['params_reference']}, computed {r['params_computed']}: {note}",
            r["size"],
        )
        for r in data[kind]
    )


def lora_rank(kind: RankKind, size_class: str) -> RankRow | None:
    """The rank row for a size class ("1-3B" .. "70B"); None where the table has none."""
    return next((r for r in lora_rank_rows(kind) if r.size == size_class), None)


def moe_rank(kind: RankKind, size_class: str, active_experts: int) -> RankRow | None:
    """The MoE row ("rank/active_experts") read as documented in lora.json ``moe``.

    Low: the dense row's low / active experts (floored, at least 1) for per-expert
    adapters; high: the dense row's high, since one rank also covers attention. The RL
    table has no MoE row; with ``kind="rl"`` the same reading is applied to its rows.
    """
    dense = lora_rank(kind, size_class)
    if dense is None or active_experts < 1:
        return None
    moe = load("lora.json")["moe"]
    low = max(1, dense.low // active_experts)
    alpha = moe["alpha"] if kind == "sft" else dense.alpha
    return RankRow(low, dense.high, alpha, moe["row"], dense.params_note, size_class)


def alpha_far_factor() -> float:
    return float(load("lora.json")["alpha_far_factor"])


def target_modules() -> dict[str, tuple[str, ...]]:
    """Family -> module names, as the reference lists them (see each row's note)."""
    return {t["family"]: tuple(t["modules"]) for t in load("lora.json")["target_modules"]}


# -- learning rates ----------------------------------------------------------------


def method_row(method: str | None) -> str | None:
    """Canonical method -> Base Learning Rates row: sft, dpo, grpo, ppo, else None.

    DPO-family methods (KTO, ORPO, SimPO) have no row of their own and use DPO's.
    """
    rows: dict[str, str] = load("learning_rates.json")["method_rows"]
    return rows.get(method) if method and not method.startswith("_") else None


def method_label(row: str) -> str:
    """A row key as the table writes it ("sft" -> "SFT")."""
    return next((b["method"] for b in load("learning_rates.json")["base"] if b["key"] == row), row)


def learning_rate(row: str, adapter: str) -> Range | None:
    """The range for a method row and adapter ("full", "lora"; "qlora" reads LoRA)."""
    column = "lora" if adapter in ("lora", "qlora") else "full" if adapter == "full" else None
    if column is None:
        return None
    for base in load("learning_rates.json")["base"]:
        if base["key"] == row:
            low, high = base[column]
            return Range(low, high, base["row"])
    return None


def learning_rate_rows() -> tuple[str, ...]:
    return tuple(b["key"] for b in load("learning_rates.json")["base"])


def learning_rate_note(row: str, adapter: str) -> str:
    """How a row's range was decided when the table gives none (PPO's point values)."""
    column = "lora" if adapter in ("lora", "qlora") else adapter
    for base in load("learning_rates.json")["base"]:
        if base["key"] == row:
            notes: dict[str, str] = base.get("range_note", {})
            return notes.get(column, "")
    return ""


def lr_far_factor() -> float:
    return float(load("learning_rates.json")["far_factor"])


LR_BY_HIDDEN_ROW = "Learning Rates / By Model Size (SFT + LoRA)"


def lr_for_hidden_size(hidden: int) -> float:
    """``10 * (2000 / hidden) * 1e-4`` = 2 / hidden: 4.88e-4 at 4096 (row LR_BY_HIDDEN_ROW)."""
    return 10 * (2000 / hidden) * 1e-4


# -- duration and batch ------------------------------------------------------------


def _bucket(rows: list[Any], x: float, key: str) -> Range | None:
    # lower-inclusive buckets: a bound shared by two rows belongs to the higher row
    for r in rows:
        if r["min"] <= x and (r["max"] is None or x < r["max"]):
            return Range(r[key][0], r[key][1], r["row"])
    return None


def eval_frequency(total_steps: float) -> Range | None:
    """Recommended steps between evaluations for a run of ``total_steps``."""
    return _bucket(load("duration.json")["eval_frequency"], total_steps, "every")


def epochs_for_dataset(size: float) -> Range | None:
    """Recommended epochs for a dataset of ``size`` examples."""
    return _bucket(load("duration.json")["steps_vs_epochs"], size, "epochs")


def effective_batch(method_row: str | None) -> Range | None:
    """Recommended effective batch (SFT sequences, DPO pairs, GRPO prompts); PPO: None."""
    for r in load("batch.json")["recommendations"]:
        if r["method"] == method_row:
            return Range(r["effective"][0], r["effective"][1], r["row"])
    return None


def gpu_memory_rows() -> tuple[GpuRow, ...]:
    return tuple(
        GpuRow(
            r["memory_gb"],
            Range(r["max_batch"][0], r["max_batch"][1], r["row"]),
            r["effective"],
            r["accumulation"],
        )
        for r in load("batch.json")["by_gpu_memory"]
    )


def gpu_memory_max_batch(gb: float) -> GpuRow | None:
    """The row for the largest listed memory that fits in ``gb`` (LoRA, 8B model)."""
    fitting = [r for r in gpu_memory_rows() if r.memory_gb <= gb]
    return fitting[-1] if fitting else None


# -- DPO and GRPO ------------------------------------------------------------------


def _behaviour(rows: list[Any], value: str, text: str) -> tuple[BehaviourRow, ...]:
    return tuple(
        BehaviourRow(
            r[value], r[text], r["row"], r.get("recommended", False), r.get("label", str(r[value]))
        )
        for r in rows
    )


def dpo_beta_rows() -> tuple[BehaviourRow, ...]:
    return _behaviour(load("dpo.json")["beta"], "beta", "behaviour")


def dpo_beta_range() -> Range:
    r = load("dpo.json")["range"]
    return Range(r["low"], r["high"], r["row"])


def dpo_beta_ends() -> tuple[float, float]:
    """(aggressive end, conservative end): inside the range, values beyond get an info."""
    data = load("dpo.json")
    return data["aggressive_end"], data["conservative_end"]


def dpo_beta_methods() -> frozenset[str]:
    """Methods whose beta is the KL coefficient the table describes (not ORPO, SimPO)."""
    return frozenset(load("dpo.json")["methods"])


def dpo_beta_choices() -> tuple[Labelled, ...]:
    return tuple(
        Labelled(c["situation"], c["text"], open_range(c["low"], c["high"], c["row"]))
        for c in load("dpo.json")["choosing"]
    )


def grpo_methods() -> frozenset[str]:
    return frozenset(load("grpo.json")["methods"])


def grpo_group_rows() -> tuple[BehaviourRow, ...]:
    return _behaviour(load("grpo.json")["group_size"], "samples", "trade_off")


def grpo_group_range() -> Range:
    r = load("grpo.json")["group_range"]
    return Range(r["low"], r["high"], r["row"])


def grpo_group_minimum() -> int:
    """Below this there is no group to compare a sample with (TRL and axolotl refuse it)."""
    return int(load("grpo.json")["group_minimum"])


def grpo_temperature_rows() -> tuple[BehaviourRow, ...]:
    return _behaviour(load("grpo.json")["temperature"], "temperature", "use_case")


def grpo_temperature_range() -> Range:
    r = load("grpo.json")["temperature_range"]
    return Range(r["low"], r["high"], r["row"])


def nearest(rows: tuple[BehaviourRow, ...], x: float) -> BehaviourRow:
    """The row nearest to ``x`` on a log scale (values <= 0: the first row)."""
    if x <= 0:
        return rows[0]
    return min(rows, key=lambda r: abs(math.log(x / r.value)))


# -- optimizer, context, examples ---------------------------------------------------


@cache  # asked by six rules for every document
def optimizer_defaults() -> OptimizerDefaults:
    data = load("optimizer.json")
    adamw, stability = data["adamw"], data["stability"]
    return OptimizerDefaults(
        adamw["optimizer"],
        (adamw["betas"][0], adamw["betas"][1]),
        adamw["eps"],
        adamw["weight_decay"],
        stability["max_grad_norm"],
        stability["warmup_ratio"],
        tuple(stability["lr_scheduler"]),
        adamw["row"],
        stability["row"],
    )


@cache
def context_rows() -> tuple[ContextRow, ...]:
    return tuple(
        ContextRow(r["model"], r["native"], r["extended"], r["row"], r["note"])
        for r in load("context.json")["max_seq_len"]
    )


def seq_len_rows() -> tuple[Labelled, ...]:
    """Max Seq Len by use case ("Long documents" is open above: 8192+)."""
    return tuple(
        Labelled(r["use_case"], r["text"], open_range(r["low"], r["high"], r["row"]))
        for r in load("context.json")["recommendations"]
    )


def common_configs() -> dict[str, dict[str, Any]]:
    """Name -> the example config, verbatim (plain dialect keys)."""
    return {c["name"]: c["config"] for c in load("common_configs.json")["configs"]}


def troubleshooting_rows() -> tuple[dict[str, Any], ...]:
    return tuple(load("troubleshooting.json")["rows"])


__all__ = [
    "LR_BY_HIDDEN_ROW",
    "BehaviourRow",
    "ContextRow",
    "GpuRow",
    "Labelled",
    "OptimizerDefaults",
    "Range",
    "RankKind",
    "RankRow",
    "load",
]
