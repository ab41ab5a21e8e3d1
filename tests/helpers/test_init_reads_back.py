"""``init`` writes each value where the dialect's reading looks for it.

Every dialect x method ``init`` supports, on one model: the starting config read back
through the dialect's own ``to_canonical`` (its field map) gives each value the plan chose,
from the file. A key ``init`` spelled differently from the map would read back as absent
or as the framework's default, and fail here. The exceptions are values a dialect's
format has no key for, or counts in another unit, each with its reason.
"""

from __future__ import annotations

import pytest

from cfgguard.canonical import Canonical, Field
from cfgguard.dialects import BY_NAME, NAMES
from cfgguard.init.command import default_adapter, generate
from cfgguard.init.plan import InitError, Plan, make_plan
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Mapping

MODEL = "meta-llama/Llama-3.1-8B-Instruct"
# canonical field -> the plan's value for it
PLANNED = {
    "learning_rate": "lr",
    "lora_rank": "rank",
    "lora_alpha": "alpha",
    "max_grad_norm": "clip",
    "weight_decay": "weight_decay",
    "max_steps": "steps",
    "eval_steps": "eval_every",
    "max_seq_len": "seq_len",
    "dpo_beta": "beta",
    "group_size": "group",
    "temperature": "temperature",
}
# (dialect, method, field): why init writes no key the field is read from
NOT_READ_BACK = {
    ("axolotl", "grpo", "eval_steps"): "init's GRPO configs hold out no eval split",
    ("trl", "grpo", "eval_steps"): "init's GRPO configs hold out no eval split",
    ("torchtune", "grpo", "eval_steps"): "init's GRPO configs hold out no eval split",
    ("torchtune", "sft", "eval_steps"): "torchtune's SFT and DPO recipes have no eval loop",
    ("torchtune", "dpo", "eval_steps"): "torchtune's SFT and DPO recipes have no eval loop",
    ("plain", "sft", "eval_steps"): "the plain format has no eval key",
    ("plain", "dpo", "eval_steps"): "the plain format has no eval key",
    ("plain", "grpo", "eval_steps"): "the plain format has no eval key",
    ("torchtune", "sft", "max_steps"): "a per-epoch cap (max_steps_per_epoch), not a total",
    ("torchtune", "dpo", "max_steps"): "a per-epoch cap (max_steps_per_epoch), not a total",
    ("trl", "grpo", "max_seq_len"): "TRL GRPO has prompt and completion lengths, no total",
    ("torchtune", "grpo", "max_seq_len"): "tokenizer.max_seq_len bounds the prompt only",
    ("verl", "grpo", "max_seq_len"): "derived: max_prompt_length + max_response_length",
}
CASES = [
    pytest.param(dialect, method, id=f"{dialect}-{method}")
    for dialect in NAMES
    for method in ("sft", "dpo", "grpo")
    if BY_NAME[dialect].writing.refusal(method, default_adapter(dialect, method)) is None
]


def _read_back(dialect: str, method: str) -> tuple[Plan, Canonical]:
    text = generate(dialect, method, MODEL)
    root = compose(text).documents[0].root
    assert isinstance(root, Mapping)
    plan = make_plan(MODEL, method, default_adapter(dialect, method), 80)
    return plan, BY_NAME[dialect].to_canonical(root)


def mismatches(dialect: str, method: str) -> list[str]:
    """``field: want X, read Y`` for each planned value not read back from the file."""
    plan, config = _read_back(dialect, method)
    found: list[str] = []
    for name, attr in PLANNED.items():
        pick = getattr(plan, attr)
        if pick is None or (dialect, method, name) in NOT_READ_BACK:
            continue
        got: Field[object] | None = getattr(config, name)
        if got is None or got.value != pick.value or got.origin != "file":
            seen = "nothing" if got is None else f"{got.value!r} ({got.origin} {got.key})"
            found.append(f"{name}: want {pick.value!r}, read {seen}")
    # warmup: a ratio where the format has one, else the steps it comes to
    warmup = config.warmup_ratio or config.warmup_steps
    wanted = plan.warmup_ratio.value if config.warmup_ratio else plan.warmup_steps.value
    if warmup is None or warmup.value != wanted or warmup.origin != "file":
        found.append(f"warmup: want {wanted!r}, read {warmup}")
    return found


@pytest.mark.parametrize(("dialect", "method"), CASES)
def test_init_values_read_back_from_the_file(dialect: str, method: str) -> None:
    assert mismatches(dialect, method) == []


def test_every_exception_is_needed() -> None:
    """An exception that reads back after all is stale: the table must shrink with it."""
    stale: list[str] = []
    for dialect, method, name in NOT_READ_BACK:
        plan, config = _read_back(dialect, method)
        got: Field[object] | None = getattr(config, name)
        want = getattr(plan, PLANNED[name]).value
        if got is not None and got.value == want and got.origin == "file":
            stale.append(f"{dialect} {method} {name}")
    assert stale == []


def test_a_misspelled_init_key_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planted: an init writer that spells the learning rate as the map does not."""
    render = BY_NAME["trl"].writer("init").render

    def misspelled(plan: Plan) -> str:
        return str(render(plan)).replace("learning_rate:", "learning_rat:")

    monkeypatch.setattr(BY_NAME["trl"].writer("init"), "render", misspelled)
    assert [m for m in mismatches("trl", "sft") if m.startswith("learning_rate")] != []


def test_unsupported_cases_are_refused() -> None:
    with pytest.raises(InitError):
        generate("verl", "dpo", MODEL)
