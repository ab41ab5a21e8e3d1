"""How verl is written: where ``triage`` edits its settings, its value style,
what ``init`` cannot write (``cfgguard.dialects.writing``)."""

from __future__ import annotations

from cfgguard.dialects.base import Reader
from cfgguard.dialects.writing import Place, Writing, fixed

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


WRITING = Writing(
    _verl_clipping,
    _verl_accumulation,
    _verl_rank,
    lambda r: Place(f"{_ACTOR}.optim.lr" if _ppo(r) else "optim.lr", ("_target_",)),
    fixed("trainer.total_epochs", "learning_rate"),
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
