"""``cfgguard init``: a starting config in a dialect's own idiom, from the tables.

What each framework supports (a request outside it exits 2 with one line saying why):

| dialect | methods | adapters |
|---|---|---|
| axolotl | sft, dpo, grpo | lora, qlora, full |
| llamafactory | sft, dpo (no GRPO trainer: stage is pt/sft/rm/ppo/dpo/kto) | lora, qlora, full |
| trl | sft, dpo, grpo | lora, qlora, full |
| torchtune | sft, dpo; grpo full only (dev/grpo_full_finetune_distributed) | lora, qlora*, full |
| verl | sft, grpo (no DPO trainer) | lora, full (no 4-bit key) |
| plain | sft, dpo, grpo | lora, full (no quantization key) |

(*) QLoRA where torchtune ships a ``qlora_`` builder for the model. Without
``--adapter``, the adapter is LoRA, except torchtune GRPO, which is full (its only recipe).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from cfgguard.dialects import BY_NAME
from cfgguard.helpers.output import emit
from cfgguard.helpers.yamltext import EmitError
from cfgguard.init.plan import InitError, Plan, make_plan
from cfgguard.report.escape import print_error

Renderer = Callable[[Plan], str]


def renderer(dialect: str) -> Renderer:
    """The dialect's template (``render`` in its package's ``init_writer``)."""
    return cast(Renderer, BY_NAME[dialect].writer("init").render)


def default_adapter(dialect: str, method: str) -> str:
    return BY_NAME[dialect].writing.default_adapter(method)


def check_supported(dialect: str, method: str, adapter: str) -> None:
    why = BY_NAME[dialect].writing.refusal(method, adapter)
    if why is not None:
        raise InitError(why)


def generate(
    dialect: str, method: str, model: str, adapter: str | None = None, gpu_memory: int = 80
) -> str:
    """The starting config's text; raises InitError for unsupported requests."""
    chosen = adapter or default_adapter(dialect, method)
    check_supported(dialect, method, chosen)
    plan = make_plan(model, method, chosen, gpu_memory)
    try:
        return renderer(dialect)(plan)
    except EmitError as exc:
        raise InitError(f"{exc}; nothing written") from None


def init_command(
    dialect: str,
    method: str,
    model: str,
    adapter: str | None,
    gpu_memory: int,
    output: str | None,
    force: bool,
) -> int:
    try:
        text = generate(dialect, method, model, adapter, gpu_memory)
    except InitError as exc:
        print_error(exc)
        return 2
    return emit(text, output, force)
