"""GRPO batch shape the framework rejects at startup.

## What it does
Checks the GRPO batch constraints each framework enforces before training starts:

- TRL (`GRPOConfig.__post_init__`, from TRL 0.18.0): the generation batch must hold
  whole prompt groups. Unless set, `steps_per_generation` = `gradient_accumulation_steps`
  and `generation_batch_size` = `per_device_train_batch_size` x world size x
  `steps_per_generation`; it must be divisible by `num_generations`. A given
  `generation_batch_size` must also be divisible by `per_device_train_batch_size` x world
  size, and it cannot be set together with `steps_per_generation`. With evaluation on,
  `per_device_eval_batch_size` x world size must be divisible by `num_generations_eval`
  (TRL 0.26.0 and later; before, `num_generations`), else `num_generations`.
- axolotl (`rl: grpo`, at config parse time, only when `trl.num_generations` is set;
  axolotl 0.17.0 and later): `trl.generation_batch_size`, else `micro_batch_size x
  gradient_accumulation_steps`, must be divisible by `trl.num_generations` whatever the
  number of GPUs; on several GPUs it must be at least `num_generations` x GPUs. TRL's own
  checks follow at startup. (axolotl 0.21.0 multiplies the default generation batch by
  the world size before dividing, so there a shape that fails on one GPU may pass on
  more; the rule checks the 0.17.0-0.20.0 reading.)
- verl (FSDP actors): `data.train_batch_size x rollout.n` divisible by the GPU count
  (`trainer.n_gpus_per_node x trainer.nnodes`); `data.train_batch_size >=
  actor.ppo_mini_batch_size` (unless `use_dynamic_bsz`); the mini-batch normalised per
  GPU, `ppo_mini_batch_size x rollout.n // (GPUs / ulysses_sequence_parallel_size)`, above
  0 and divisible by `ppo_micro_batch_size_per_gpu`. Megatron actors are not checked.

The world size is the config's (verl), else `--devices`. TRL's default shape depends on
it: when it is not stated, a shape that fails on one GPU but would pass on more is an
`info` hint naming the GPU counts that work (the most reported GRPO error in TRL's
tracker, e.g. huggingface/trl#2858, but many configs are written for a multi-GPU
launcher); shapes that fail on every GPU count are errors. For verl, a check that
depends on the GPU count and uses verl's default of 8 GPUs (not stated in the file) is a
`warning`, since launch scripts usually override it. `num_generations` below 2 is
G001's (reported there as an error).

TRL before 0.18.0 checked a different shape, in `GRPOTrainer.__init__`: 0.16.x
`per_device_train_batch_size` x processes, 0.17.x the same x
`gradient_accumulation_steps`, each divisible by `num_generations`; the rule applies the
0.18.0 and later checks.

## Why is this bad?
The run dies with a ValueError or assertion at startup, after the queue wait: TRL from
0.18.0 raises when the config is built (before 0.18.0, after the model had loaded);
verl's assertions run after the Ray workers have started.

Severity `error`: TRL and verl check these divisions at startup and raise; `warning`
where the division depends on a device count the file does not state.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
rl: grpo
micro_batch_size: 2
gradient_accumulation_steps: 3    # 2 x 3 = 6 completions: not whole groups of 4
trl:
  num_generations: 4
```
Use instead: `gradient_accumulation_steps: 2` (2 x 2 = 4, one group per step).

## Fix
No autofix yet.

## Source
- TRL: trl 1.16.0 `trl/trainer/grpo_config.py:1098-1135` (generation batch, eval batch,
  `num_generations`); trl 0.18.0 `trl/trainer/grpo_config.py:507-546` (the first release
  with the generation batch); trl 0.17.0 `trl/trainer/grpo_trainer.py:598-608` and trl
  0.16.0 `trl/trainer/grpo_trainer.py:425-433` (the older checks); `num_generations_eval`
  from trl 0.26.0 `trl/trainer/grpo_config.py`.
- axolotl: axolotl 0.20.0 `src/axolotl/utils/schemas/validation.py:1025`
  (`check_grpo_batch_size_divisibility`; the same at 0.17.0 `:789`); axolotl 0.21.0
  `src/axolotl/utils/schemas/validation.py:1052-1130` (world size included).
- verl: verl 0.9.1 `verl/utils/config.py:123-127` (train batch x `rollout.n` divisible by
  the GPUs), `verl/workers/config/actor.py:225-229` (train batch >= mini-batch); verl
  0.7.1 `verl/workers/fsdp_workers.py:248-266` (the normalised mini-batch, asserted at
  worker init). verl 0.8.0 removed that worker: the engine asserts the per-GPU split only
  at the first update (verl 0.9.1 `verl/workers/engine/utils.py:124-126`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from cfgguard.canonical import Field
from cfgguard.derived.batch_steps import devices, field_name, method, mini_batch
from cfgguard.derived.batch_steps import train_batch as rollout_train_batch
from cfgguard.dialects.base import as_bool, as_int
from cfgguard.dialects.traits import Generation, Rollout
from cfgguard.findings import Severity
from cfgguard.records import dataclass
from cfgguard.rules.base import Context, Report, Rule
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence

SOURCE = (
    "GRPO batch constraints (trl 1.16.0 grpo_config.py, axolotl 0.20.0 validation.py, verl 0.9.1)"
)
TRL_AT = "trl 1.16.0 trl/trainer/grpo_config.py:1098-1135"
TRL = f"TRL raises ValueError at startup ({TRL_AT})"
AXOLOTL = (
    "axolotl rejects the config at parse time"
    " (axolotl 0.20.0 src/axolotl/utils/schemas/validation.py:1025)"
)
VERL_GPUS = "verl fails an assertion at startup (verl 0.9.1 verl/utils/config.py:123-127)"
VERL_MINI = "verl raises ValueError at startup (verl 0.9.1 verl/workers/config/actor.py:225-229)"
VERL_SPLIT = "verl fails an assertion (verl 0.7.1 verl/workers/fsdp_workers.py:248-266)"


@dataclass(frozen=True, slots=True)
class Shape:
    """The GRPO batch keys of a TRL-backed config, under their dialect's names."""

    per_device: Field[int]
    accumulation: Field[int] | None
    group: Field[int]
    generation: Field[int] | None  # generation_batch_size
    steps: Field[int] | None  # steps_per_generation
    eval_per_device: Field[int] | None
    eval_group: Field[int] | None
    eval_on: bool


def _hint(size: int, group: int) -> int:
    """The smallest GPU count that makes ``size x GPUs`` divisible by ``group``."""
    return group // math.gcd(size, group)


def _generation(ctx: Context, s: Shape) -> Report | None:
    """TRL's generation-batch checks (the first that fails)."""
    n, pd = s.group.value, s.per_device.value
    dev = devices(ctx)
    if pd < 1 or dev.n < 1:
        return None
    world = f"{dev.n} GPUs ({dev.note})"
    if s.generation is not None and s.steps is not None:
        both = f"{field_name(s.generation)} and {field_name(s.steps)}"
        return Report(s.generation, f"{both} cannot both be set; {TRL}")
    if s.generation is not None:
        gbs = s.generation.value
        if gbs % n:
            return Report(
                s.generation,
                f"{field_name(s.generation)} is not divisible by {field_name(s.group)}:"
                f" generations must be whole prompt groups; {TRL}",
            )
        step = pd * dev.n if dev.stated else pd
        if gbs % step:
            what = f" x {world}" if dev.stated else ""
            return Report(
                s.generation,
                f"{field_name(s.generation)} is not divisible by the global batch {step}"
                f" ({field_name(s.per_device)}{what}); {TRL}",
            )
        return None
    if s.steps is not None:
        spg, spg_what = s.steps.value, field_name(s.steps)
    else:
        spg = s.accumulation.value if s.accumulation is not None else 1
        spg_what = f"steps_per_generation = gradient_accumulation_steps {spg}"
    gbs = pd * dev.n * spg
    if gbs % n == 0:
        return None
    shape = f"{field_name(s.per_device)} x {world} x {spg_what}"
    at = s.group if s.group.origin == "file" else s.per_device
    if dev.stated:
        return Report(
            at,
            f"generation batch {gbs} ({shape}) is not divisible by {field_name(s.group)}; {TRL}",
        )
    return Report(
        at,
        f"generation batch {gbs} ({shape}) is not divisible by {field_name(s.group)}: TRL"
        f" raises ValueError on 1 GPU and starts only on a multiple of {_hint(pd * spg, n)}"
        f" GPUs; pass --devices to check exactly ({TRL_AT})",
        severity=Severity.INFO,
    )


def _trl_checks(ctx: Context, s: Shape) -> Iterator[Report]:
    found = _generation(ctx, s)
    if found is not None:
        yield found
        return
    dev = devices(ctx)
    if not (s.eval_on and s.eval_per_device is not None and dev.stated):
        return
    group = s.eval_group or s.group
    size = s.eval_per_device.value * dev.n
    if size % group.value:
        yield Report(
            s.eval_per_device,
            f"eval batch {size} ({field_name(s.eval_per_device)} x {dev.n} GPUs ({dev.note}))"
            f" is not divisible by {field_name(group)}; {TRL}",
        )


def _trl(ctx: Context, keys: Generation) -> Iterator[Report]:
    config, r, at = ctx.config, ctx.reader, keys.prefix
    if config.micro_batch_size is None or config.group_size is None:
        return
    strategy = r.value(f"{at}eval_strategy")
    eval_on = isinstance(strategy, str) and strategy.strip().lower() not in ("", "no")
    shape = Shape(
        config.micro_batch_size,
        config.gradient_accumulation_steps,
        config.group_size,
        r.field(f"{at}generation_batch_size", as_int),
        r.field(f"{at}steps_per_generation", as_int),
        r.field_or_default(f"{at}per_device_eval_batch_size", as_int, 8, "transformers default 8"),
        r.field(f"{at}num_generations_eval", as_int),
        eval_on,
    )
    yield from _trl_checks(ctx, shape)


def _validated(ctx: Context, keys: Generation) -> Iterator[Report]:
    """GRPOConfig keys in a section the config's schema validates (axolotl's ``trl:``)."""
    config, r = ctx.config, ctx.reader
    micro, group = config.micro_batch_size, config.group_size
    if micro is None or group is None:
        return
    accum = config.gradient_accumulation_steps
    generation = r.field(f"{keys.prefix}generation_batch_size", as_int)
    n = group.value
    rl = r.text("rl")
    if rl is not None and rl.strip().lower() == "grpo" and group.origin == "file":
        # validation.py check_grpo_batch_size_divisibility: no world size involved
        if generation is not None:
            gbs, what, at = generation.value, field_name(generation), generation
        else:
            ga = accum.value if accum is not None else 1
            gbs, at = micro.value * ga, group
            what = f"{field_name(micro)} x gradient_accumulation_steps {ga}"
        if gbs % n:
            yield Report(
                at,
                f"generation batch {gbs} ({what}) is not divisible by {field_name(group)}:"
                f" not whole prompt groups on any number of GPUs; {AXOLOTL}",
            )
            return
        dev = devices(ctx)
        if dev.stated and dev.n > 1 and gbs < n * dev.n:
            yield Report(
                at,
                f"generation batch {gbs} ({what}) is below {field_name(group)} x {dev.n} GPUs"
                f" ({dev.note}): each GPU needs a whole group; {AXOLOTL}",
            )
            return
    shape = Shape(
        micro,
        accum,
        group,
        generation,
        r.field(f"{keys.prefix}steps_per_generation", as_int),
        None,
        None,
        False,
    )
    yield from _trl_checks(ctx, shape)


def _megatron(ctx: Context, actor: str) -> bool:
    """A Megatron actor: ``actor.strategy: megatron`` or a megatron config in ``defaults``."""
    strategy = ctx.reader.text(f"{actor}.strategy")
    if strategy is not None and strategy.strip().lower() == "megatron":
        return True
    found = ctx.reader.entry("defaults")
    items = found.value.items if found is not None and isinstance(found.value, Sequence) else []
    for item in items:
        words = [item] if isinstance(item, Scalar) else []
        if isinstance(item, Mapping):
            words = [v for _, v in item.entries() if isinstance(v, Scalar)]
        if any("megatron" in w.value for w in words):
            return True
    return False


def _rollout(ctx: Context, rollout: Rollout) -> Iterator[Report]:
    config, r, A = ctx.config, ctx.reader, rollout.actor
    if _megatron(ctx, A):
        return
    train, mini, group = rollout_train_batch(ctx), mini_batch(ctx, rollout), config.group_size
    if train is None or group is None or group.value < 1:
        return
    involved: list[Field[object]] = [train, mini, group]
    if config.devices is not None:
        gpus, gpu_what, stated = config.devices.value, config.devices.note, True
        involved.append(config.devices)
    elif ctx.settings.devices:
        gpus, gpu_what, stated = ctx.settings.devices, "from --devices", True
    else:
        who = ctx.traits.loader.who if ctx.traits.loader else "the trainer"
        gpus, gpu_what, stated = (
            rollout.devices,
            f"{who}'s default; not stated: pass --devices",
            False,
        )
    if gpus < 1 or all(f.origin == "default" for f in involved):
        return  # the trainer's own defaults are consistent
    depends = None if stated else Severity.WARNING
    n = group.value
    sp = r.field(f"{A}.ulysses_sequence_parallel_size", as_int)
    sp_n = sp.value if sp is not None and sp.value > 0 else 1
    gpus_text = f"{gpus} GPUs ({gpu_what})"
    if (train.value * n) % gpus:
        at = train if train.origin == "file" else group
        yield Report(
            at,
            f"{field_name(train)} x {field_name(group)} = {train.value * n} trajectories is not"
            f" divisible by {gpus_text}; {VERL_GPUS}",
            severity=depends,
        )
        return
    dynamic = r.field(f"{A}.use_dynamic_bsz", as_bool)
    if not (dynamic is not None and dynamic.value) and train.value < mini.value:
        at = mini if mini.origin == "file" else train
        yield Report(
            at,
            f"{field_name(train)} is below {field_name(mini)}: the mini-batch must fit in the"
            f" train batch; {VERL_MINI}",
        )
        return
    shards = gpus // sp_n
    if shards < 1:
        return
    normalised = mini.value * n // shards
    per_gpu = (
        f"{field_name(mini)} x {field_name(group)} // ({gpus_text} / sequence parallel {sp_n})"
    )
    if normalised < 1:
        yield Report(
            mini,
            f"the per-GPU mini-batch ({per_gpu}) is 0; {VERL_SPLIT}",
            severity=depends,
        )
        return
    micro = config.micro_batch_size
    if micro is not None and micro.value > 0 and normalised % micro.value:
        yield Report(
            micro,
            f"the per-GPU mini-batch {normalised} ({per_gpu}) is not divisible by"
            f" {field_name(micro)}; {VERL_SPLIT}",
            severity=depends,
        )


def check(ctx: Context) -> Iterator[Report]:
    if method(ctx.config) != "grpo":
        return
    if ctx.config.group_size is not None and ctx.config.group_size.value < 2:
        return  # G001 reports it (an error); the divisibility is then moot
    generation, rollout = ctx.traits.generation, ctx.traits.rollout
    if generation is not None and generation.validated_at_parse:
        yield from _validated(ctx, generation)
    elif generation is not None:
        yield from _trl(ctx, generation)
    elif rollout is not None:
        yield from _rollout(ctx, rollout)


RULE = Rule("G003", "grpo-batch-divisibility", Severity.ERROR, SOURCE, __doc__ or "", check)
