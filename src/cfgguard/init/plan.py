"""What a starting config holds, decided from the quick reference's tables.

The plan is dialect-free: every value is a ``Pick`` that remembers the table row it
comes from (the generated file's comments cite it). Choices where a row gives a range:

* LoRA rank: SFT takes the row's low end (``triage early-plateau`` raises it within the
  row); RL takes the power of two nearest the row's geometric middle (8 for 7-8B, as the
  GRPO Common Configuration). Sizes without an RL row (1-3B, 34B) take a quarter of the
  SFT row's low end ("RL needs much lower rank"). MoE models use the MoE row.
* Learning rate: SFT + LoRA follows the hidden-size rule, clamped into the method's LoRA
  range; DPO and GRPO + LoRA the Common Configurations' 1e-5; a full fine-tune a tenth of
  the LoRA choice ("LoRA LR (10x)"), clamped into its own range.
* Batch: the GPU-memory row's max micro batch and effective batch (an 8B model); larger
  models divide the micro batch by a power of two and accumulate more, keeping the
  effective batch. DPO micro batches count pairs (half: "pairs = 2x memory"); GRPO's
  count completions, ``group_size`` per prompt, with 4..16 prompts per update.
* Steps: the Common Configuration's ``num_steps`` for the method; warmup 3% of them;
  evaluation every tenth of the run, clamped into the Eval Frequency row.
* Sequence length: "General chat" 4096, within the model's native window.
"""

from __future__ import annotations

import math

from cfgguard.helpers.picks import InitError, Pick, clamp, number, short
from cfgguard.init.batchplan import BatchPlan, plan_batch
from cfgguard.knowledge import tables
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.knowledge.rows import RankRow
from cfgguard.records import dataclass


@dataclass(frozen=True, slots=True)
class TargetPlan:
    attention: tuple[str, ...]
    mlp: tuple[str, ...]  # () for MoE models (experts are not Linear layers in v5)
    head: str  # the model's output layer (lm_head, embed_out, output_layer)
    tied: bool  # the head shares its weight with the input embedding
    why: str

    @property
    def linear(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.attention + self.mlp))


@dataclass(frozen=True, slots=True)
class Plan:
    model_id: str
    facts: ModelFacts
    method: str
    adapter: str
    gpu_memory: int
    rank: Pick[int] | None
    alpha: Pick[int] | None
    targets: TargetPlan | None
    lr: Pick[float]
    scheduler: Pick[str]
    warmup_ratio: Pick[float]
    clip: Pick[float]
    weight_decay: Pick[float]
    batch: BatchPlan
    steps: Pick[int]
    eval_every: Pick[int]
    seq_len: Pick[int]
    beta: Pick[float] | None = None
    group: Pick[int] | None = None
    temperature: Pick[float] | None = None

    @property
    def uses_adapter(self) -> bool:
        return self.adapter in ("lora", "qlora")

    @property
    def warmup_steps(self) -> Pick[int]:
        steps = max(1, round(self.steps.value * self.warmup_ratio.value))
        ratio = self.warmup_ratio.value
        return Pick(steps, f"{self.warmup_ratio.why}: {ratio:g} of {self.steps.value} steps")

    @property
    def prompt_len(self) -> int:
        """GRPO: a quarter of the window for the prompt, the rest for the completion."""
        return self.seq_len.value // 4

    @property
    def completion_len(self) -> int:
        return self.seq_len.value - self.prompt_len


def _round2(x: float) -> float:
    """Two significant digits (the tables' own precision)."""
    return float(f"{x:.1e}")


# -- LoRA --------------------------------------------------------------------------


def _rank_row(kind: tables.RankKind, facts: ModelFacts) -> RankRow | None:
    size = facts.size_class
    if facts.is_moe and facts.active_experts:
        return tables.moe_rank(kind, size, facts.active_experts)
    return tables.lora_rank(kind, size)


def _rank(method: str, facts: ModelFacts) -> tuple[Pick[int], Pick[int]]:
    kind = tables.rank_kind(method)
    row = _rank_row(kind, facts)
    if kind == "sft" and row is not None:
        why = f"{short(row.row)}, {row.low}-{row.high} (low end)"
        return Pick(row.low, why), Pick(row.alpha, f"{short(row.row)}, alpha {row.alpha}")
    if row is not None:
        rank = 2 ** round(math.log2(math.sqrt(row.low * row.high)))
        why = f"{short(row.row)}, {row.low}-{row.high} (middle)"
        return Pick(rank, why), Pick(row.alpha, f"{short(row.row)}, alpha {row.alpha}")
    sft = _rank_row("sft", facts)
    if sft is None:
        raise InitError(f"no LoRA rank row for {facts.id} ({facts.size_class})")
    rank = max(1, sft.low // 4)
    alpha = tables.lora_rank("rl", "7-8B")
    alpha_value = alpha.alpha if alpha is not None else 16
    why = (
        f"Rank by Model Size (RL) has no {facts.size_class} row: a quarter of the SFT row's"
        f" {sft.low} ('RL needs much lower rank')"
    )
    return Pick(rank, why), Pick(alpha_value, "Rank by Model Size (RL): alpha 16")


def _targets(facts: ModelFacts) -> TargetPlan:
    mods = facts.modules
    mlp = () if facts.is_moe else tuple(m for m in mods.mlp if m not in mods.attention)
    why = f"Target Modules: all layers ({facts.module_family} names, the model table)"
    if facts.is_moe:
        why += "; MoE experts need target_parameters"
    return TargetPlan(mods.attention, mlp, facts.head_module, facts.tied_embeddings, why)


# -- learning rate -----------------------------------------------------------------


def _lr(method: str, adapter: str, facts: ModelFacts) -> Pick[float]:
    row = tables.method_row(method) or method
    lora = tables.learning_rate(row, "lora")
    full = tables.learning_rate(row, "full")
    assert lora is not None
    assert full is not None
    if method == "sft":
        rule = tables.lr_for_hidden_size(facts.hidden_size)
        lora_pick = clamp(_round2(rule), lora)
        how = f"10 * (2000 / {facts.hidden_size}) * 1e-4 = {rule:.2e}".replace("e-0", "e-")
        lora_why = f"{short(tables.LR_BY_HIDDEN_ROW)}: {how}"
        if lora_pick != _round2(rule):
            lora_why += (
                f", clamped to {short(lora.row)} LoRA {number(lora.low)}-{number(lora.high)}"
            )
    else:
        lora_pick = clamp(common(method, "learning_rate", 1e-5), lora)
        lora_why = f"Common Configurations: {method.upper()}; {short(lora.row)} LoRA range"
    if adapter != "full":
        return Pick(lora_pick, lora_why)
    value = clamp(_round2(lora_pick / 10), full)
    why = f"{short(full.row)} FullFT {number(full.low)}-{number(full.high)} (LoRA pick / 10)"
    return Pick(value, why)


def common(method: str, key: str, default: float) -> float:
    """A value of the method's Common Configuration (plain keys), else ``default``."""
    for name, config in tables.common_configs().items():
        if name.lower().startswith(method):
            got = config.get(key)
            return float(got) if isinstance(got, int | float) else default
    return default


# -- the plan ----------------------------------------------------------------------


def _steps(method: str) -> tuple[Pick[int], Pick[int]]:
    steps = int(common(method, "num_steps", 1000))
    every = tables.eval_frequency(steps)
    assert every is not None
    value = int(clamp(steps // 10, every))
    return (
        Pick(steps, f"Common Configurations: {method.upper()} num_steps"),
        Pick(value, f"{short(every.row)} steps -> every {every.low:g}-{every.high:g}"),
    )


def _seq_len(facts: ModelFacts) -> Pick[int]:
    chat = next(r for r in tables.seq_len_rows() if r.label == "General chat")
    wanted = int(chat.range.low)
    native = facts.max_position_embeddings
    if native and native < wanted:
        return Pick(native, f"Context Lengths: {facts.id} native window {native}")
    return Pick(wanted, f"{short(chat.range.row)} (native {native})")


def make_plan(model_id: str, method: str, adapter: str, gpu_memory: int) -> Plan:
    facts = resolve(model_id)
    if facts is None:
        raise InitError(
            f"model '{model_id}' is not in cfgguard's model table; the starting values depend"
            " on its size, hidden size and module names"
        )
    opt = tables.optimizer_defaults()
    stability = short(opt.stability_row)
    group = beta = temperature = None
    if method == "grpo":
        g = next(r for r in tables.grpo_group_rows() if r.recommended)
        t = next(r for r in tables.grpo_temperature_rows() if r.recommended)
        group = Pick(int(g.value), f"{short(g.row)} ({g.text})")
        temperature = Pick(t.value, f"{short(t.row)} ({t.text})")
    if method == "dpo":
        b = next(r for r in tables.dpo_beta_rows() if r.recommended)
        beta = Pick(b.value, f"{short(b.row)} ({b.text})")
    rank = alpha = targets = None
    if adapter in ("lora", "qlora"):
        rank, alpha = _rank(method, facts)
        targets = _targets(facts)
    steps, every = _steps(method)
    decay_why = f"{short(opt.row)}: weight_decay {opt.weight_decay:g}"
    if adapter != "full":
        decay_why += " (usually 0 for LoRA)"
    return Plan(
        model_id=model_id,
        facts=facts,
        method=method,
        adapter=adapter,
        gpu_memory=gpu_memory,
        rank=rank,
        alpha=alpha,
        targets=targets,
        lr=_lr(method, adapter, facts),
        scheduler=Pick(opt.lr_schedulers[0], f"{stability}: lr_scheduler cosine"),
        warmup_ratio=Pick(opt.warmup_ratio, f"{stability}: warmup_ratio"),
        clip=Pick(opt.max_grad_norm, f"{stability}: max_grad_norm"),
        weight_decay=Pick(opt.weight_decay, decay_why),
        batch=plan_batch(method, facts, gpu_memory, group.value if group else 1),
        steps=steps,
        eval_every=every,
        seq_len=_seq_len(facts),
        beta=beta,
        group=group,
        temperature=temperature,
    )


__all__ = ["BatchPlan", "InitError", "Pick", "Plan", "TargetPlan", "make_plan", "number", "short"]
