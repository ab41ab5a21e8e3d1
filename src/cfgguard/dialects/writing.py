"""How a dialect is written: where ``triage`` edits settings, the value style, what ``init``
cannot write.

Part of each dialect's declaration (``Dialect.writing``): a ``Place`` is a key's path and
the sibling keys a new line is inserted after, so it joins the related ones. The trainer
families below are shared by the dialects that read the same argument classes.
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


def _fixed(path: str, *after: str) -> PlaceOf:
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


_HF_LR = _fixed("learning_rate", "lr_scheduler", "lr_scheduler_type", "optimizer")


def _hf_clip(reader: Reader) -> list[Place]:
    return [Place("max_grad_norm", ("learning_rate",))]


_HF_ACCUMULATION = _fixed(
    "gradient_accumulation_steps", "micro_batch_size", "per_device_train_batch_size", "batch_size"
)


def _transformers(
    rank: PlaceOf,
    epochs: str,
    alpha_default_note: str = "",
    no_trainer: tuple[tuple[str, str], ...] = (),
) -> Writing:
    """A trainer on transformers' TrainingArguments: its clipping, accumulation, learning
    rate and OptimizerNames; fractional epochs."""
    return Writing(
        _hf_clip,
        _HF_ACCUMULATION,
        rank,
        _HF_LR,
        _fixed(epochs, "learning_rate"),
        float_epochs=True,
        hf_optimizer_names=True,
        alpha_default_note=alpha_default_note,
        no_trainer=no_trainer,
    )


# axolotl's own keys (utils/schemas/training.py, peft.py)
AXOLOTL = _transformers(_fixed("lora_r", "adapter"), "num_epochs")
# TRL: TrainingArguments and ModelConfig (lora_r beside use_peft)
TRL = _transformers(_fixed("lora_r", "use_peft"), "num_train_epochs")
# LLaMA-Factory: TrainingArguments and FinetuningArguments (lora_alpha None -> 2 x rank,
# llamafactory 0.9.5 hparams/finetuning_args.py)
LLAMAFACTORY = _transformers(
    _fixed("lora_rank", "finetuning_type"),
    "num_train_epochs",
    alpha_default_note="lora_alpha is unset: LLaMA-Factory makes it 2 x lora_rank ({})",
    no_trainer=(
        (
            "grpo",
            "LLaMA-Factory has no GRPO trainer (stage is one of pt, sft, rm, ppo, dpo, kto:"
            " llamafactory 0.9.5 hparams/finetuning_args.py:460); use --dialect trl, axolotl"
            " or verl",
        ),
    ),
)
PLAIN = Writing(
    _hf_clip,
    _fixed("batch_size", "learning_rate"),
    _fixed("lora_rank", "base_model"),
    _HF_LR,
    no_qlora="the plain format has no quantization key",
)


def _training(reader: Reader) -> str:
    return "training." if reader.has("training.optimizer") else ""


def _torchtune_rank(reader: Reader) -> Place:
    model = "policy_model" if reader.has("policy_model") else "model"
    return Place(f"{model}.lora_rank", ("apply_lora_to_output", "apply_lora_to_mlp"))


TORCHTUNE = Writing(
    lambda r: [
        Place(f"{_training(r)}clip_grad_norm", ("gradient_accumulation_steps", "optimizer"))
    ],
    _HF_ACCUMULATION,
    _torchtune_rank,
    lambda r: Place(f"{_training(r)}optimizer.lr", ("_component_",)),
    _fixed("epochs", "learning_rate"),
    capital_bools=True,
    full_only=(
        (
            "grpo",
            "torchtune has no LoRA GRPO recipe (only dev/grpo_full_finetune_distributed);"
            " use --adapter full, or --dialect trl, axolotl or verl for LoRA GRPO",
        ),
    ),
)

_ACTOR = "actor_rollout_ref.actor"


def _ppo(reader: Reader) -> bool:
    """verl's PPO-family trainer (actor/rollout/ref) rather than its SFT trainer."""
    return reader.has("actor_rollout_ref") or reader.has("algorithm")


def _verl_clipping(reader: Reader) -> list[Place]:
    if not _ppo(reader):
        return [Place("optim.clip_grad", ("lr",))]
    return [
        Place(f"{_ACTOR}.grad_clip", ("optim",)),
        Place(f"{_ACTOR}.optim.clip_grad", ("lr",)),
        Place(f"{_ACTOR}.optim.grad_clip", ("lr",)),
    ]


def _verl_accumulation(reader: Reader) -> Place:
    if _ppo(reader):
        return Place(f"{_ACTOR}.ppo_mini_batch_size", ("optim",))
    return Place("data.train_batch_size", ("micro_batch_size_per_gpu",))


def _verl_rank(reader: Reader) -> Place:
    base = "actor_rollout_ref.model" if _ppo(reader) else "model"
    return Place(f"{base}.lora_rank", ("path", "partial_pretrain"))


VERL = Writing(
    _verl_clipping,
    _verl_accumulation,
    _verl_rank,
    lambda r: Place(f"{_ACTOR}.optim.lr" if _ppo(r) else "optim.lr", ("_target_",)),
    _fixed("trainer.total_epochs", "learning_rate"),
    no_trainer=(
        (
            "dpo",
            "verl has no DPO trainer (its entry points are PPO-family RL and SFT: verl 0.9.1"
            " trainer/main_ppo.py, sft_trainer.py); use --dialect trl, axolotl, llamafactory"
            " or torchtune",
        ),
    ),
    no_qlora="verl has no 4-bit (QLoRA) key (verl 0.9.1 verl/workers/config/model.py)",
)
