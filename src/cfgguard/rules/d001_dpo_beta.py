"""DPO beta outside the table, or at either end of it.

## What it does
For DPO and KTO runs, reports a beta (the KL coefficient) outside the quick
reference's rows, 0.01..1.0, as a warning. Inside them, a beta at the aggressive end
(0.05 or less) or the conservative end (0.5 or more) gets an info with the behaviour of
the nearest row (nearest on a log scale): 0.01 "Very aggressive, may overfit", 0.05
"Aggressive", 0.5 "Conservative", 1.0 "Very conservative". 0.1 is the standard.
ORPO's and SimPO's beta mean something else (the odds-ratio loss weight; a reward
scale, 2-2.5 in the SimPO paper) and are not checked.

## Why is this bad?
Beta sets how far the policy may move from the reference model. Too small and the
policy over-optimises the preference data (overfits, verbose or degenerate outputs);
too large and it barely moves, so the run changes little. Values at the ends are
legitimate for some situations (the table's "Choosing Beta": safety alignment 0.2-0.5,
strong baseline 0.05-0.1), hence only info there.

Severity: `info` inside the table's 0.01..1 (at its ends), `warning` outside it. Only a
KL beta is judged (DPO, IPO, KTO): SimPO's and length-normalised DPO's beta is a reward
scale (2-10 by design; Tulu 3's `dpo_norm` uses 5), CPO's has no reference model, ORPO's
weighs the odds-ratio term, so none of them is read against this table.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: meta-llama/Llama-3.1-8B-Instruct
rl: dpo
trl:
  beta: 0.01        # very aggressive, may overfit
```
Use `beta: 0.1` (new domain) or what "Choosing Beta" suggests for the situation.

## Fix
No autofix yet.

## Source
DPO Specific / Beta (KL Coefficient), and Choosing Beta.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt
from cfgguard.schema.violation import Violation

SOURCE = "DPO Specific / Beta (KL Coefficient)"


def message(v: Violation) -> str:
    span = f"{fmt(v.minimum)}..{fmt(v.maximum)}"
    value = v.value if isinstance(v.value, int | float) else 0.0
    if v.severity is not None and v.severity >= Severity.WARNING:
        row = tables.nearest(tables.dpo_beta_rows(), value)
        return (
            f"DPO beta {fmt(value)} is outside the table's {span}; the nearest row,"
            f" {row.label}, is '{row.text}' ({v.row})"
        )
    aggressive, _ = tables.dpo_beta_ends()
    end = "aggressive" if value <= aggressive else "conservative"
    label, _, text = v.detail.partition(": ")
    return f"DPO beta {fmt(value)} is at the {end} end of {span}: {label} is '{text}' ({v.row})"


def check(ctx: Context) -> Iterator[Report]:
    if ctx.run.beta != "kl":
        return  # SimPO / CPO / length-normalised DPO: a reward scale; ORPO: a loss weight
    for v in ctx.violations():
        if v.code == "D001":
            yield Report(getattr(ctx.config, v.field, None), message(v), v.row, v.severity)


RULE = Rule("D001", "dpo-beta", Severity.INFO, SOURCE, __doc__ or "", check)
