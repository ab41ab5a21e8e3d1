"""Where each dialect keeps the settings ``triage`` edits (as ``cfgguard.dialects`` maps keys).

A ``Place`` is a key's path, the mapping it belongs in (inserted there when absent) and
the sibling keys it is inserted after, so a new line joins the related ones.
"""

from __future__ import annotations

from cfgguard.records import dataclass
from cfgguard.triage.subject import Subject
from cfgguard.yaml.nodes import Mapping

HF = ("axolotl", "trl", "llamafactory", "plain")
A = "actor_rollout_ref.actor"


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

    def mapping(self, subject: Subject) -> Mapping | None:
        return subject.reader.mapping(self.parent)


def _verl_ppo(subject: Subject) -> bool:
    return subject.reader.has("actor_rollout_ref") or subject.reader.has("algorithm")


def _torchtune_prefix(subject: Subject) -> str:
    return "training." if subject.reader.has("training.optimizer") else ""


def clipping(subject: Subject) -> list[Place]:
    """Every key that turns clipping on; the first is the one to insert when none is set."""
    if subject.dialect == "torchtune":
        prefix = _torchtune_prefix(subject)
        return [Place(f"{prefix}clip_grad_norm", ("gradient_accumulation_steps", "optimizer"))]
    if subject.dialect == "verl":
        if _verl_ppo(subject):
            return [
                Place(f"{A}.grad_clip", ("optim",)),
                Place(f"{A}.optim.clip_grad", ("lr",)),
                Place(f"{A}.optim.grad_clip", ("lr",)),
            ]
        return [Place("optim.clip_grad", ("lr",))]
    return [Place("max_grad_norm", ("learning_rate",))]


def accumulation(subject: Subject) -> Place:
    """The key that multiplies the batch per update without more memory per step."""
    if subject.dialect == "plain":
        return Place("batch_size", ("learning_rate",))
    if subject.dialect == "verl":
        if _verl_ppo(subject):
            return Place(f"{A}.ppo_mini_batch_size", ("optim",))
        return Place("data.train_batch_size", ("micro_batch_size_per_gpu",))
    after = ("micro_batch_size", "per_device_train_batch_size", "batch_size")
    return Place("gradient_accumulation_steps", after)


def epochs(subject: Subject) -> Place | None:
    keys = {
        "axolotl": "num_epochs",
        "trl": "num_train_epochs",
        "llamafactory": "num_train_epochs",
        "torchtune": "epochs",
        "verl": "trainer.total_epochs",
    }
    key = keys.get(subject.dialect)
    return Place(key, ("learning_rate",)) if key else None


def float_epochs(dialect: str) -> bool:
    """Epochs may be fractional (axolotl and HF TrainingArguments take a float)."""
    return dialect in ("axolotl", "trl", "llamafactory")


def rank(subject: Subject) -> Place:
    if subject.dialect == "torchtune":
        model = "policy_model" if subject.reader.has("policy_model") else "model"
        return Place(f"{model}.lora_rank", ("apply_lora_to_output", "apply_lora_to_mlp"))
    if subject.dialect == "axolotl":
        return Place("lora_r", ("adapter",))
    if subject.dialect == "trl":
        return Place("lora_r", ("use_peft",))
    if subject.dialect == "llamafactory":
        return Place("lora_rank", ("finetuning_type",))
    if subject.dialect == "verl":
        base = "actor_rollout_ref.model" if _verl_ppo(subject) else "model"
        return Place(f"{base}.lora_rank", ("path", "partial_pretrain"))
    return Place("lora_rank", ("base_model",))


def learning_rate(subject: Subject) -> Place:
    if subject.dialect == "torchtune":
        return Place(f"{_torchtune_prefix(subject)}optimizer.lr", ("_component_",))
    if subject.dialect == "verl":
        return Place(f"{A}.optim.lr" if _verl_ppo(subject) else "optim.lr", ("_target_",))
    return Place("learning_rate", ("lr_scheduler", "lr_scheduler_type", "optimizer"))
