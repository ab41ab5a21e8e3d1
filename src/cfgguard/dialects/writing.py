"""How a dialect is written: where ``triage`` edits settings, the value style, what ``init``
cannot write.

Each dialect's package declares its ``Writing`` (``dialects/<name>/writing.py``, read through
``Dialect.writing``); a ``Place`` is a key's path and the sibling keys a new line is
inserted after, so it joins the related ones. The transformers family below is shared by
the dialects that read the same argument classes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cfgguard.records import dataclass

if TYPE_CHECKING:
    from cfgguard.dialects.base import Reader


@dataclass(frozen=True, slots=True)
class Place:
    path: str  # dotted dialect key
    after: tuple[str, ...] = ()  # insert after the first of these siblings present

    @property
    def parent(self) -> str:
        return self.path.rpartition(".")[0]

    @property
    def leaf(self) -> str:
        return self.path.rpartition(".")[2]


PlaceOf = Callable[["Reader"], Place]


def fixed(path: str, *after: str) -> PlaceOf:
    place = Place(path, after)
    return lambda reader: place


@dataclass(frozen=True, slots=True)
class Writing:
    clipping: Callable[[Reader], list[Place]]  # every key that clips; the first is inserted
    accumulation: PlaceOf  # multiplies the batch per update without more memory per step
    rank: PlaceOf
    learning_rate: PlaceOf
    epochs: PlaceOf | None = None
    float_epochs: bool = False  # epochs may be fractional
    capital_bools: bool = False  # booleans written True/False (the dialect's own style)
    hf_optimizer_names: bool = False  # optimizer values are transformers' OptimizerNames
    alpha_default_note: str = ""  # what an unset lora_alpha becomes, "{}" = the new rank
    # what ``init`` cannot write: method -> why (no such trainer), and the adapters
    no_trainer: tuple[tuple[str, str], ...] = ()
    full_only: tuple[tuple[str, str], ...] = ()  # method -> why only a full fine-tune
    no_qlora: str = ""  # why there is no 4-bit key ("" = there is one)

    def refusal(self, method: str, adapter: str) -> str | None:
        """Why ``init`` cannot write this method with this adapter, or None."""
        why = dict(self.no_trainer).get(method)
        if why is not None:
            return why
        if adapter == "qlora" and self.no_qlora:
            return f"{self.no_qlora}; use --adapter lora"
        full = dict(self.full_only).get(method)
        return full if full is not None and adapter != "full" else None

    def default_adapter(self, method: str) -> str:
        return "full" if method in dict(self.full_only) else "lora"


HF_LR = fixed("learning_rate", "lr_scheduler", "lr_scheduler_type", "optimizer")


def hf_clip(reader: Reader) -> list[Place]:
    return [Place("max_grad_norm", ("learning_rate",))]


HF_ACCUMULATION = fixed(
    "gradient_accumulation_steps", "micro_batch_size", "per_device_train_batch_size", "batch_size"
)


def transformers(
    rank: PlaceOf,
    epochs: str,
    alpha_default_note: str = "",
    no_trainer: tuple[tuple[str, str], ...] = (),
) -> Writing:
    """A trainer on transformers' TrainingArguments: its clipping, accumulation, learning
    rate and OptimizerNames; fractional epochs."""
    return Writing(
        hf_clip,
        HF_ACCUMULATION,
        rank,
        HF_LR,
        fixed(epochs, "learning_rate"),
        float_epochs=True,
        hf_optimizer_names=True,
        alpha_default_note=alpha_default_note,
        no_trainer=no_trainer,
    )
