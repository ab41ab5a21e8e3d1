"""GRPO group size outside 4..16.

## What it does
For GRPO runs, reports a group size (samples per prompt: `num_generations`,
`rollout.n`, `group_size`) outside the quick reference's practical rows, 4..16, with
the table's trade-off. Fewer than 2 is an error: the advantage of a sample is its
reward minus the group's mean, which needs a group. TRL and axolotl refuse a group of
one; verl accepts it and falls back to mean 0 and std 1 for a single sample, so each
advantage is the raw reward, with no baseline: not GRPO.

## Why is this bad?
Smaller groups are fast but their advantage estimates are noisy (4: "Fast, higher
variance"); larger groups lower the variance at proportional cost (16: "2x cost", 32:
"Research only, 4x cost"). Outside 4..16 the trade-off is rarely worth it.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: Qwen/Qwen2.5-7B-Instruct
rl: grpo
micro_batch_size: 8
trl:
  num_generations: 2   # high variance
```
Use `num_generations: 8` (the table's standard).

A group size the file does not state is the framework's default; verl's
`actor_rollout_ref.rollout.n` defaults to 1, so a verl GRPO config
(`algorithm.adv_estimator: grpo`) that leaves `n` out trains without a group baseline,
and the message says the default applied. When a key that reads like a group size
(`group_size`, `num_generations`, `num_samples`, `n_samples`, `num_rollouts`) sits in
the rollout section instead, verl never reads it (its `RolloutConfig`,
`workers/config/rollout.py`, has no such field: `n` is the group size) and the message
names it. A repository that defines its own trainer class (`class X(GRPOTrainer):`,
outside a vendored framework copy) may compute the advantage its own way, such as an
actor-critic's value baseline: a group of one is then a warning that names the class.
Not judged: files that do not train, and smoke tests (at most 20 steps: a
pipeline check does not need to learn).

## Fix
For verl, when a misspelled group-size key sits in the rollout section and `n` is not
set, renames it to `n` (`group_size: 8` -> `n: 8`), keeping the value. Unsafe: it changes
what trains (apply with `--unsafe-fixes`).

## Source
GRPO Specific / Group Size. trl 1.16.0 `trl/trainer/grpo_config.py:1137-1141` and
axolotl 0.21.0 `src/axolotl/utils/schemas/validation.py:1077-1082` (fewer than 2
generations: ValueError). verl 0.9.1 `verl/trainer/config/rollout/rollout.yaml:127`
(`n: 1`), `verl/trainer/ppo/core_algos.py:268` (`compute_grpo_outcome_advantage`: scores
minus the group's mean, `:326-328`; a group of one gets mean 0 and std 1, `:315-317`, so
its advantage is its raw score, not a comparison), `verl/workers/config/rollout.py:167`
(`n: int = 1`, the only group-size field).
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.edits.build import fix, quote_like, replace
from cfgguard.findings import Fix, Severity
from cfgguard.rules.base import Context, Report, Rule, describe, fmt
from cfgguard.schema.violation import Violation
from cfgguard.yaml.nodes import Scalar

SOURCE = "GRPO Specific / Group Size"
# keys written for the group size where verl reads `n` (dropped silently there)
MISSPELT = ("group_size", "num_generations", "num_samples", "n_samples", "num_rollouts")
VERL_ROLLOUT = "actor_rollout_ref.rollout"


def _sibling(ctx: Context) -> tuple[Scalar, str] | None:
    """A group-size key verl does not read, in the rollout section where `n` is absent."""
    if ctx.dialect != "verl":
        return None
    section = ctx.reader.mapping(VERL_ROLLOUT)
    if section is None or section.get("n") is not None:
        return None
    for key, value in section.entries():
        if key.value in MISSPELT and isinstance(value, Scalar):
            return key, value.value
    return None


def _rename(key: Scalar) -> Fix:
    return fix("unsafe", f"rename {key.value} -> n", replace(key, quote_like(key, "n")))


def message(ctx: Context, v: Violation) -> tuple[str, Fix | None]:
    if v.severity != Severity.ERROR:
        return describe(v), None
    group = ctx.config.group_size
    stated = f"group size {fmt(v.value)} is"
    fixed: Fix | None = None
    if group is not None and group.origin == "default":
        stated = f"no {group.key}: the default group size {fmt(v.value)} applies"
        found = _sibling(ctx)
        if found is not None:
            key, value = found
            stated += f" ({VERL_ROLLOUT}.{key.value}: {value} is not a key verl reads)"
            fixed = _rename(key)
        stated += ", which is"
    return f"{stated} below {fmt(v.minimum)}: {v.detail} ({v.row})", fixed


def _own_trainer(ctx: Context, v: Violation) -> tuple[str, Severity | None]:
    """A repository with its own trainer class may compute advantages its own way (a
    critic's baseline, a REINFORCE variant): the framework's refusal is then a guess."""
    trainers = ctx.trainers() if v.severity == Severity.ERROR else ()
    if not trainers:
        return "", v.severity
    where, _, name = trainers[0].rpartition(": ")
    more = f" and {len(trainers) - 1} more" if len(trainers) > 1 else ""
    note = f"; unless the repository's own trainer ({name}, {where}{more}) handles a group of one"
    return note, Severity.WARNING


def check(ctx: Context) -> Iterator[Report]:
    if not ctx.run.judged:
        return
    for v in ctx.violations():
        if v.code == "G001":
            text, fixed = message(ctx, v)
            note, severity = _own_trainer(ctx, v)
            at = getattr(ctx.config, v.field, None)
            yield Report(at, text + note, v.row, severity, fixed)


RULE = Rule("G001", "grpo-group-size", Severity.INFO, SOURCE, __doc__ or "", check, fixable=True)
