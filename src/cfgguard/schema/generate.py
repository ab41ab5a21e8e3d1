"""JSON Schemas generated from the knowledge data (pure functions returning dicts).

``canonical_schema()`` describes the instance ``validate.py`` builds from a canonical
config: its ``allOf`` holds ``if``/``then`` branches per method x adapter x size class
carrying the quick reference's ranges for rules L001 (SFT rank), L003 (alpha), R001
(learning rate), D001 (DPO beta), G001 (group size) and G002 (temperature). Every
range-bearing subschema has an ``x-cfgguard`` annotation (code, row, detail, severity
and the range a finding names), so a validation error maps back to its rule. A value
far outside a range fails two subschemas of one code (info, then warning); validation
keeps the most severe. L002, R002 and R003 are rules with their own checks (the RL rank
table; derived/lr_levels.py): R001's branches leave their values alone.

``dialect_schema(d)`` (``schema.dialects``) is an editor schema per dialect.
``python -m cfgguard.schema`` writes both into ``schemas/``.
"""

from __future__ import annotations

import json
import math
from typing import Any, get_args

from cfgguard.canonical import Adapter, Method
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import SIZE_CLASSES
from cfgguard.knowledge.rows import RankKind

DRAFT = "https://json-schema.org/draft/2020-12/schema"
Schema = dict[str, Any]

METHODS: tuple[str, ...] = get_args(Method)
ADAPTERS: tuple[str, ...] = get_args(Adapter)
LORA_ADAPTERS = ("lora", "qlora")
# rank and alpha rules apply unless the run is known not to be LoRA (absent adapter: apply)
_LORA_OR_ABSENT: Schema = {"not": {"enum": ["full", "other"]}}
_SFT_TABLE = "LoRA Configuration / Rank by Model Size (SFT)"
_MOE_ROW = f"{_SFT_TABLE}: MoE"

_NUMBER, _INTEGER, _STRING, _BOOL = "number", "integer", "string", "boolean"
PROPERTIES: dict[str, tuple[str, str]] = {
    "base_model": (_STRING, "Base model id or path"),
    "method": (_STRING, "Training method (canonical)"),
    "adapter": (_STRING, "full, lora, qlora or other"),
    "size_class": (_STRING, "The model's size row (from the model table; MoE: active params)"),
    "is_rl": (_BOOL, "method is an RL or preference method"),
    "is_moe": (_BOOL, "the model is a mixture of experts"),
    "active_experts": (_INTEGER, "experts active per token (MoE)"),
    "hidden_size": (_INTEGER, "the model's hidden size"),
    "lora_rank": (_INTEGER, "LoRA rank r"),
    "lora_alpha": (_NUMBER, "LoRA alpha"),
    "lora_dropout": (_NUMBER, "LoRA dropout"),
    "learning_rate": (_NUMBER, "peak learning rate"),
    "lr_scheduler": (_STRING, "learning-rate schedule"),
    "warmup_ratio": (_NUMBER, "warmup as a fraction of steps"),
    "warmup_steps": (_NUMBER, "warmup steps"),
    "optimizer": (_STRING, "optimizer name"),
    "adam_beta1": (_NUMBER, "Adam beta1"),
    "adam_beta2": (_NUMBER, "Adam beta2"),
    "adam_epsilon": (_NUMBER, "Adam epsilon"),
    "weight_decay": (_NUMBER, "weight decay"),
    "max_grad_norm": (_NUMBER, "gradient clipping norm"),
    "micro_batch_size": (_INTEGER, "per-device batch size"),
    "gradient_accumulation_steps": (_INTEGER, "gradient accumulation steps"),
    "devices": (_INTEGER, "data-parallel devices"),
    "num_epochs": (_NUMBER, "epochs"),
    "max_steps": (_INTEGER, "training steps"),
    "eval_steps": (_NUMBER, "steps between evaluations"),
    "max_seq_len": (_INTEGER, "maximum sequence length"),
    "rope_scaling": (_STRING, "RoPE scaling type"),
    "dpo_beta": (_NUMBER, "DPO-family beta"),
    "group_size": (_INTEGER, "GRPO samples per prompt"),
    "temperature": (_NUMBER, "rollout sampling temperature"),
    "precision": (_STRING, "training precision"),
    "dataset_size": (_INTEGER, "training examples"),
}


def _annotation(
    code: str,
    row: str,
    severity: str,
    report: tuple[float | None, float | None],
    detail: str = "",
) -> Schema:
    """The ``x-cfgguard`` note; ``report`` is the range a finding names (may differ from
    the subschema's bounds, e.g. the far band of R001 reports the normal range)."""
    names = ("minimum", "maximum")
    bounds = {k: v for k, v in zip(names, report, strict=True) if v is not None}
    return {"code": code, "row": row, "severity": severity, "detail": detail, **bounds}


def _bounds(low: float, high: float) -> Schema:
    return {"minimum": low} | ({} if math.isinf(high) else {"maximum": high})


def _branch(when: Schema, field: str, check: Schema, note: Schema) -> Schema:
    """``if when then field satisfies check`` (the check annotated with ``x-cfgguard``)."""
    return {"if": when, "then": {"properties": {field: {**check, "x-cfgguard": note}}}}


def _when(props: Schema, *required: str) -> Schema:
    """An ``if``: the given properties, with the named ones required to be present."""
    return {"properties": props, "required": sorted(required)}


def _methods(kind: RankKind) -> list[str]:
    return [m for m in METHODS if tables.rank_kind(m) == kind]


def _kind_condition(kind: RankKind) -> tuple[Schema, tuple[str, ...]]:
    """Method condition of a rank table (absent method: the SFT table, as in rank_kind)."""
    rl = _methods("rl")
    if kind == "rl":
        return {"enum": rl}, ("method",)
    return {"not": {"enum": rl}}, ()


# -- LoRA rank (L001) and alpha (L003) ----------------------------------------------


def _expert_groups(low: int) -> list[tuple[int, int | None, int]]:
    """(first k, last k or None, floor(low / k) at least 1): k with the same lower bound."""
    groups: list[tuple[int, int | None, int]] = []
    for k in range(1, low + 1):
        bound = max(1, low // k)
        if groups and groups[-1][2] == bound:
            groups[-1] = (groups[-1][0], k, bound)
        else:
            groups.append((k, k, bound))
    first, _, bound = groups[-1]
    groups[-1] = (first, None, bound)  # every larger k floors to the same bound (1)
    return groups


def rank_branches() -> list[Schema]:
    """L001: rank outside the SFT row of the size class (dense, or MoE as lora.json reads
    it). The RL table is rule L002's own check, not part of the schema."""
    code = "L001"
    method, required = _kind_condition("sft")
    out: list[Schema] = []
    for row in tables.lora_rank_rows("sft"):
        props: Schema = {
            "method": method,
            "adapter": _LORA_OR_ABSENT,
            "size_class": {"const": row.size},
        }
        dense = _when({**props, "is_moe": {"const": False}}, *required, "size_class", "is_moe")
        note = _annotation(code, row.row, "info", (row.low, row.high), f"{row.size} models")
        out.append(_branch(dense, "lora_rank", _bounds(row.low, row.high), note))
        # MoE: one branch per size row, then one small branch per group of expert counts
        moe = _when({**props, "is_moe": {"const": True}}, *required, "size_class", "is_moe")
        groups: list[Schema] = []
        for first, last, bound in _expert_groups(row.low):
            experts: Schema = {"minimum": first} | ({} if last is None else {"maximum": last})
            k = f"{first}" if last == first else f"{first}+" if last is None else f"{first}-{last}"
            detail = (
                f"{row.size} MoE models with {k} active experts (rank/active_experts for expert"
                f" adapters, up to {row.high} for shared modules)"
            )
            note = _annotation(code, _MOE_ROW, "info", (bound, row.high), detail)
            groups.append(_branch(_when({"active_experts": experts}, "active_experts"),
                                  "lora_rank", _bounds(bound, row.high), note))  # fmt: skip
        out.append({"if": moe, "then": {"allOf": groups}})
    return out


def alpha_branches() -> list[Schema]:
    """L003: alpha outside 1/f..f times the table's (SFT 32 at every size; RL per row)."""
    far = tables.alpha_far_factor()
    sft = tables.lora_rank_rows("sft")[0]  # one alpha for every SFT row: no size condition
    cases: list[tuple[RankKind, str | None, int, str]] = [("sft", None, sft.alpha, _SFT_TABLE)]
    cases.extend(("rl", r.size, r.alpha, r.row) for r in tables.lora_rank_rows("rl"))
    out: list[Schema] = []
    for kind, size, alpha, row in cases:
        method, required = _kind_condition(kind)
        props: Schema = {"method": method, "adapter": _LORA_OR_ABSENT}
        sized = () if size is None else ("size_class",)
        if size is not None:
            props["size_class"] = {"const": size}
        when = _when(props, *required, *sized)
        low, high = alpha / far, alpha * far
        note = _annotation("L003", row, "info", (low, high), f"the table's alpha is {alpha}")
        out.append(_branch(when, "lora_alpha", _bounds(low, high), note))
    return out


# -- learning rate (R001) ------------------------------------------------------------


def _methods_of_row(row: str) -> list[str]:
    return [m for m in METHODS if tables.method_row(m) == row]


def lr_branches() -> list[Schema]:
    far = tables.lr_far_factor()
    out: list[Schema] = []
    for row in tables.learning_rate_rows():
        label = tables.method_label(row)
        for adapter, other, adapters in (
            ("lora", "full", LORA_ADAPTERS),
            ("full", "lora", ("full",)),
        ):
            own, alt = tables.learning_rate(row, adapter), tables.learning_rate(row, other)
            assert own is not None
            assert alt is not None
            props = {"method": {"enum": _methods_of_row(row)}, "adapter": {"enum": list(adapters)}}
            when = _when(props, "method", "adapter")
            what = f"for {label} with {'LoRA' if adapter == 'lora' else 'full fine-tuning'}"
            if note_text := tables.learning_rate_note(row, adapter):
                what += f" ({note_text})"
            # R002 / R003 (rules/lr_levels.py) own a LoRA run at or below the full fine-tune
            # range and a full fine-tune at or above the LoRA range; R001 reports the rest
            other_level = {"maximum": alt.high} if adapter == "lora" else {"minimum": alt.low}
            report = (own.low, own.high)
            near = {"anyOf": [_bounds(own.low, own.high), other_level]}
            far_off = {"anyOf": [_bounds(own.low / far, own.high * far), other_level]}
            for check, severity in ((near, "info"), (far_off, "warning")):
                note = _annotation("R001", own.row, severity, report, what)
                out.append(_branch(when, "learning_rate", check, note))
    return out


# -- DPO beta (D001), GRPO group size (G001) and temperature (G002) -----------------


def _midpoint(a: float, b: float) -> float:
    """Geometric midpoint, 4 significant digits (bands of the nearest table row)."""
    return float(f"{math.sqrt(a * b):.4g}")


def beta_branches() -> list[Schema]:
    """D001: a warning outside the table's span; an info at either end, with the
    behaviour of the nearest row (bands split at geometric midpoints between rows)."""
    span = tables.dpo_beta_range()
    aggressive, conservative = tables.dpo_beta_ends()
    when = _when({"method": {"enum": sorted(tables.dpo_beta_methods())}}, "method")
    detail = "outside the table's rows (0.01 very aggressive .. 1.0 very conservative)"
    report = (span.low, span.high)
    note = _annotation("D001", span.row, "warning", report, detail)
    out = [_branch(when, "dpo_beta", _bounds(span.low, span.high), note)]
    rows = tables.dpo_beta_rows()
    for i, r in enumerate(rows):
        if aggressive < r.value < conservative:
            continue
        end_low, end_high = (
            (span.low, aggressive) if r.value <= aggressive else (conservative, span.high)
        )
        low = end_low if i == 0 else max(end_low, _midpoint(rows[i - 1].value, r.value))
        high = end_high if i == len(rows) - 1 else _midpoint(r.value, rows[i + 1].value)
        high = min(high, end_high)
        top = "maximum" if high == end_high else "exclusiveMaximum"
        note = _annotation("D001", r.row, "info", report, f"{r.label}: {r.text}")
        out.append(_branch(when, "dpo_beta", {"not": {"minimum": low, top: high}}, note))
    return out


def group_branches() -> list[Schema]:
    span, rows = tables.grpo_group_range(), tables.grpo_group_rows()
    minimum = tables.grpo_group_minimum()
    when = _when({"method": {"enum": sorted(tables.grpo_methods())}}, "method")
    first, last, report = rows[0], rows[-1], (span.low, span.high)
    broken = (
        "with one sample per prompt there is no group to compare: TRL and axolotl refuse it,"
        " verl uses the raw reward as the advantage (no group baseline)"
    )
    checks = [
        ({"minimum": minimum}, _annotation("G001", span.row, "error", (minimum, None), broken)),
        (
            {"minimum": span.low},
            _annotation("G001", first.row, "info", report, f"fewer than the table's {first.label}"
                        f" ({first.text})"),
        ),
        (
            {"maximum": span.high},
            _annotation("G001", last.row, "info", report, f"toward the table's {last.label}"
                        f" ({last.text})"),
        ),
    ]  # fmt: skip
    return [_branch(when, "group_size", check, note) for check, note in checks]


def temperature_branches() -> list[Schema]:
    span, rows = tables.grpo_temperature_range(), tables.grpo_temperature_rows()
    when = _when({"method": {"enum": sorted(tables.grpo_methods())}}, "method")
    first, last, report = rows[0], rows[-1], (span.low, span.high)
    greedy = "greedy sampling makes every sample of a group identical, so every advantage is 0"
    low = f"below the table's {first.label} ({first.text})"
    high = f"the table's {last.label}: {last.text}"
    checks = [
        ({"exclusiveMinimum": 0}, _annotation("G002", span.row, "warning", report, greedy)),
        ({"minimum": span.low}, _annotation("G002", first.row, "info", report, low)),
        ({"maximum": span.high}, _annotation("G002", last.row, "info", report, high)),
    ]
    return [_branch(when, "temperature", check, note) for check, note in checks]


def canonical_schema() -> Schema:
    props: Schema = {name: {"type": t, "description": d} for name, (t, d) in PROPERTIES.items()}
    props["method"]["enum"] = list(METHODS)
    props["adapter"]["enum"] = list(ADAPTERS)
    props["size_class"]["enum"] = list(SIZE_CLASSES)
    return {
        "$schema": DRAFT,
        "title": "cfgguard canonical config",
        "description": "The instance cfgguard validates: canonical values of one config plus"
        " facts of its model. Generated from cfgguard/knowledge/data by cfgguard.schema.generate;"
        " x-cfgguard annotations map a failed range to its rule and table row.",
        "type": "object",
        "properties": props,
        "allOf": [
            *rank_branches(),
            *alpha_branches(),
            *lr_branches(),
            *beta_branches(),
            *group_branches(),
            *temperature_branches(),
        ],
    }


def render(schema: Schema) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
