"""LoRA learning rate far from the hidden-size rule of thumb.

## What it does
For a supervised (SFT) or continued-pretraining run with LoRA/QLoRA on a known model,
compares the learning rate with the quick reference's rule by model size,
`lr = 10 * (2000 / hidden_size) * 1e-4` (that is `2 / hidden_size`: 4.88e-4 at hidden
4096, 9.77e-4 at 2048, 2.44e-4 at 8192), and reports a learning rate more than 5x away
from it, saying which way and by how much.

The factor 5 is the width of the reference's own SFT LoRA range (1e-4..5e-4, Base
Learning Rates). At hidden size 4096, the size the reference's table is written for
(7B, 8B: "~5e-4"), that whole range lies within 5x of the rule's 4.88e-4, so R004 never
contradicts the range there; it speaks where the model's size moves the rule: smaller
models (hidden 896..3072) want 6.5e-4..2.2e-3, and 1e-4 on Qwen3-4B (hidden 2560,
7.81e-4) is 7.8x below.

For SFT, a learning rate outside the Base Learning Rates LoRA range is left to R001 and
R002, which already report it at the same place; R004 reports SFT rates inside that
range, and any continued-pretraining rate (the range table has no pretraining row).

The rule is keyed on `hidden_size` from the model table, never on the size label:
Qwen2.5-7B has 3584 (5.58e-4), Gemma-7B 3072 (6.51e-4), Qwen2.5-14B and -32B 5120 like
Llama-2-13B (torchtune 0.6.1 `torchtune/models/qwen2_5/_model_builders.py:152`, `:204`,
`:256`, `torchtune/models/gemma/_model_builders.py:142`,
`torchtune/models/llama2/_model_builders.py:141`: `embed_dim`). Mixture-of-experts
models are not judged: their hidden size is narrow for their parameter count
(Qwen3-30B-A3B: 2048, which the rule would turn into ~1e-3, twice the top of the SFT
LoRA range), and the adapters sit on experts whose width the formula does not describe.
Nor are runs that do not train, smoke tests, or models under 1B parameters (see R001);
with rsLoRA the judged rate is `lr x sqrt(r)`.

Severity is `info`: the rule is a heuristic of unestablished provenance (no paper or
framework states it), and the reference's own tables disagree with it by up to 5x.

## Why is this bad?
LoRA's useful learning rate falls as the model gets wider; a rate sized for another
model trains too slowly (loss stays flat: "LR too low") or too hard ("Loss exploding:
LR too high"), and the troubleshooting fix for both is a 2-5x change.

## Example
Checked as: `cfgguard check --dialect axolotl`.
```yaml
base_model: Qwen/Qwen3-4B      # hidden 2560: rule of thumb 7.81e-4
adapter: lora
learning_rate: 1.0e-4          # 7.8x below
```
Use instead: `learning_rate: 5.0e-4` (the top of the SFT LoRA range, 1.6x below the
rule).

## Fix
No autofix yet.

## Source
Learning Rates / By Model Size (SFT + LoRA)
(docs/reference/hyperparameter-quick-reference.md): `lr = 10 x (2000 / hidden_size) x
1e-4`, i.e. `2 / hidden_size`. The reference's table rounds the formula: 4.88e-4 (not
~5e-4) at 4096, 3.91e-4 (not ~4e-4) at 5120, 2.44e-4 (not ~2.5e-4) at 8192; cfgguard
uses the formula. Hidden sizes: the model table (`knowledge/data/models.json`), each row
citing the model's config or a framework's model builder.
"""

from __future__ import annotations

from collections.abc import Iterator

from cfgguard.derived.lr_levels import judged, levels
from cfgguard.findings import Severity
from cfgguard.knowledge import tables
from cfgguard.rules.base import Context, Report, Rule, fmt

SOURCE = tables.LR_BY_HIDDEN_ROW
FACTOR = 5.0
METHODS = ("sft", "pretrain")


def sci(x: float) -> str:
    """Three significant digits in e-notation, as the reference writes rates: 4.88e-4."""
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def check(ctx: Context) -> Iterator[Report]:
    config, model = ctx.config, ctx.model
    judge = judged(ctx)
    if model is None or judge is None or model.is_moe or not config.uses_adapter:
        return  # MoE: a narrow expert's width, not hidden_size, sets the adapter's scale
    if config.learning_rate is None or config.method is None:
        return
    if config.method.value not in METHODS:
        return
    lr = judge.lr
    lv = levels(judge.config)
    if lv is not None and not lv.own.low <= lr <= lv.own.high:
        return  # R001/R002 report a rate outside the Base Learning Rates range
    rule = tables.lr_for_hidden_size(model.hidden_size)
    if lr <= 0 or rule / FACTOR <= lr <= rule * FACTOR:
        return
    ratio = rule / lr if lr < rule else lr / rule
    way = "below" if lr < rule else "above"
    yield Report(
        config.learning_rate,
        f"learning rate {fmt(lr)} is {ratio:.1f}x {way} the hidden-size rule's {sci(rule)}"
        f" for hidden {model.hidden_size} ({model.id}); lr = 10 * (2000 / hidden_size) *"
        f" 1e-4 (assumed: {judge.assumed}) ({SOURCE})",
    )


RULE = Rule("R004", "hidden-size-learning-rate", Severity.INFO, SOURCE, __doc__ or "", check)
