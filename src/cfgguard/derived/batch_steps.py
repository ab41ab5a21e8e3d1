"""Batch sizes, step counts and dataset sizes, as B001, B002, T001, T002 and G003 need them.

A figure is exact, or a bound when something it depends on is not stated. Devices not
stated are assumed to be 1, so a batch computed with them is a *lower* bound (more
devices only grow it) and a step count derived from that batch an *upper* bound.
LLaMA-Factory's ``max_samples`` truncates each dataset ("for debugging purposes":
llamafactory 0.9.5 ``src/llamafactory/hparams/data_args.py:88-91``, applied per dataset
in ``src/llamafactory/data/loader.py:157-159``), so the training set has *at most*
``max_samples`` x the number of datasets: an upper bound. Rules report only what holds for
every value a bound allows (``ranges_up_to``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, cast

from cfgguard.canonical import Canonical, Field
from cfgguard.derived.context import Context
from cfgguard.derived.figures import effective_batch
from cfgguard.dialects.targets import names_in
from cfgguard.edits.numbers import fmt
from cfgguard.knowledge import tables
from cfgguard.records import dataclass

Bound = Literal["exact", "upper", "lower"]

NOT_STATED = "devices not stated: assumed 1; pass --devices"
ONLINE_RL = frozenset({"grpo", "ppo"})
# Preference methods whose micro batch counts pairs (chosen + rejected): "pairs = 2x memory".
PAIRED = frozenset({"dpo", "orpo", "simpo", "cpo"})
VERL_PPO_NOTE = "verl 0.9.1 verl/trainer/config/_generated_ppo_trainer.yaml default"


@dataclass(frozen=True, slots=True)
class Figure:
    value: float
    bound: Bound
    note: str  # how it was obtained, for messages
    at: Field[object] | None = None  # where a finding about it points


@dataclass(frozen=True, slots=True)
class Devices:
    n: int
    stated: bool
    note: str


def method(config: Canonical) -> str | None:
    return config.method.value if config.method else None


def devices(ctx: Context) -> Devices:
    """Data-parallel devices: the config's, else cfgguard's settings, else assumed 1."""
    stated = ctx.config.devices
    if stated is not None:
        return Devices(stated.value, True, f"from the config: {stated.note or stated.key}")
    if ctx.settings.devices:
        return Devices(ctx.settings.devices, True, "from --devices")
    return Devices(1, False, NOT_STATED)


def field_name(f: Field[object]) -> str:
    """``num_train_epochs 3`` as the file writes it, or ``... (default)``."""
    text = f"{f.key or 'value'} {fmt(f.value)}"
    return text + " (default)" if f.origin == "default" else text


def _extra_int(config: Canonical, name: str) -> Field[int] | None:
    got = config.extra.get(name)
    if got is None or isinstance(got.value, bool) or not isinstance(got.value, int):
        return None
    return cast(Field[int], got)


def _verl_ppo(ctx: Context) -> bool:
    return ctx.dialect == "verl" and method(ctx.config) not in (None, "sft")


def _verl_prompts(ctx: Context, name: str, path: str, default: int) -> Field[int]:
    got = _extra_int(ctx.config, name)
    return got if got is not None else ctx.reader.default(path, default, VERL_PPO_NOTE)


def train_batch(ctx: Context) -> Field[int] | None:
    """verl ``data.train_batch_size`` (prompts per trainer step; SFT: samples)."""
    if _verl_ppo(ctx):
        return _verl_prompts(ctx, "train_batch_size", "data.train_batch_size", 1024)
    return _extra_int(ctx.config, "train_batch_size")


def mini_batch(ctx: Context) -> Field[int]:
    """verl ``actor.ppo_mini_batch_size`` (prompts per optimizer update)."""
    path = "actor_rollout_ref.actor.ppo_mini_batch_size"
    return _verl_prompts(ctx, "ppo_mini_batch_size", path, 256)


def optimizer_batch(ctx: Context) -> Figure | None:
    """Examples per optimizer update (GRPO: prompts), in the table's units."""
    config = ctx.config
    micro = config.micro_batch_size
    if ctx.dialect == "plain":  # the format's batch_size is the whole batch of one step
        if micro is None:
            return None
        return Figure(micro.value, "exact", f"batch_size {micro.value}", micro)
    if ctx.dialect == "verl":
        if _verl_ppo(ctx):
            mini = mini_batch(ctx)
            return Figure(mini.value, "exact", f"{field_name(mini)} prompts per update", mini)
        train = train_batch(ctx)
        return None if train is None else Figure(train.value, "exact", field_name(train), train)
    if ctx.dialect == "torchtune" and method(config) == "grpo":
        return None  # batch_size counts prompts or completions depending on the recipe
    derived = effective_batch(config, ctx.settings.devices)
    if derived is None or micro is None:
        return None
    bound: Bound = "exact" if devices(ctx).stated else "lower"
    if method(config) != "grpo":
        return Figure(derived.value, bound, derived.note, micro)
    group = config.group_size
    if group is None or group.value < 1:
        return None
    # TRL counts completions per device; each prompt is sampled num_generations times
    note = f"{derived.note} = {derived.value} completions / {field_name(group)}"
    return Figure(derived.value / group.value, bound, note, micro)


def step_batch(ctx: Context) -> Figure | None:
    """Examples consumed per counted training step (verl: the trainer step's prompts)."""
    if ctx.dialect == "verl" and _verl_ppo(ctx):
        train = train_batch(ctx)
        return None if train is None else Figure(train.value, "exact", field_name(train), train)
    return optimizer_batch(ctx)


def dataset_size(ctx: Context) -> Figure | None:
    """Training examples: declared in cfgguard's settings (exact) or capped by the config.

    A declared size above the config's cap is truncated to it, and then only bounded.
    """
    declared = ctx.settings.dataset_size
    cap = ctx.config.dataset_size
    if cap is None or cap.value <= 0:
        if not declared:
            return None
        return Figure(declared, "exact", "declared in cfgguard's settings")
    count = 1
    if ctx.dialect == "llamafactory":
        found = ctx.reader.entry("dataset")
        count = max(1, len(names_in(found.value, ctx.reader, split_commas=True)) if found else 1)
    most = cap.value * count
    if declared and declared <= most:
        return Figure(declared, "exact", "declared in cfgguard's settings")
    what = f"{cap.key} {cap.value}" + (f" x {count} datasets" if count > 1 else "")
    return Figure(most, "upper", what, cast(Field[object], cap))


def total_steps(ctx: Context, from_cap: bool = True) -> Figure | None:
    """Optimizer steps of the whole run: ``max_steps``, else epochs x steps per epoch.

    ``from_cap=False``: never from a dataset cap (LLaMA-Factory ``max_samples``, "for
    debugging purposes"): the set under the cap is usually far smaller, and a length
    derived from it is a guess.
    """
    config = ctx.config
    steps = config.max_steps
    if steps is not None and steps.value > 0:
        return Figure(steps.value, "exact", field_name(steps), steps)
    epochs = config.num_epochs
    if epochs is None or epochs.value <= 0:
        return None
    cap = _extra_int(config, "max_steps_per_epoch")  # torchtune: a cap, not a total
    per_cap = cap.value if cap is not None and cap.value > 0 else None
    size, batch = dataset_size(ctx), step_batch(ctx)
    if size is not None and size.bound != "exact" and not from_cap:
        size = None
    if size is not None and batch is not None and batch.value > 0:
        per_epoch = math.ceil(size.value / batch.value)
        if per_cap is not None:
            per_epoch = min(per_epoch, per_cap)
        exact = size.bound == "exact" and batch.bound == "exact"
        note = (
            f"{field_name(epochs)} x {per_epoch} steps of {fmt(batch.value)}: dataset"
            f" {fmt(size.value)} {size.note}, batch {batch.note}"
        )
        return Figure(math.ceil(epochs.value * per_epoch), "exact" if exact else "upper", note)
    if per_cap is not None and cap is not None:
        note = f"{field_name(epochs)} x at most {field_name(cap)}"
        return Figure(math.ceil(epochs.value * per_cap), "upper", note)
    return None


def ranges_up_to(
    lookup: Callable[[float], tables.Range | None], minimums: list[float], x: float
) -> list[tables.Range]:
    """The rows a quantity of at most ``x`` may fall in (``minimums``: the rows' lower ends)."""
    found = [lookup(m) for m in minimums if m <= x]
    return [r for r in found if r is not None]


def row_minimums(table: str) -> list[float]:
    """Lower ends of a duration.json bucket table (``steps_vs_epochs``, ``eval_frequency``)."""
    rows: list[dict[str, object]] = tables.load("duration.json")[table]
    return [float(cast(float, r["min"])) for r in rows]
