"""One canonical config: what the rules need, whatever dialect it was written in.

Every field remembers where it came from: the key and value nodes in the file
(``origin == "file"``), the framework default that applies when the key is absent
(``"default"``, with the mapping a key would be added to), or a derivation from other
fields (``"derived"``). Findings point at ``Field.node``; fixes replace its characters.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from cfgguard.records import dataclass, field, fields
from cfgguard.yaml.nodes import Mapping, Node, Scalar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Origin = Literal["file", "default", "derived"]

Method = Literal[
    "sft", "pretrain", "dpo", "kto", "orpo", "simpo", "cpo", "grpo", "ppo", "rm", "other"
]
Adapter = Literal["full", "lora", "qlora", "other"]

RL_METHODS: frozenset[str] = frozenset({"dpo", "kto", "orpo", "simpo", "cpo", "grpo", "ppo"})
PREFERENCE_METHODS: frozenset[str] = frozenset({"dpo", "kto", "orpo", "simpo", "cpo"})
# ends the note of a method read from a key several trainers share (TRL ``beta``, which
# DPO, ORPO, CPO, KTO and GRPO all have): the file's path may name the real method
SHARED_KEY_GUESS = "a key several trainers share"
# What a dialect carries in ``Canonical.extra``: values one framework has that rules or
# ``convert`` read by name, beside the fields every dialect shares
EXTRAS: frozenset[str] = frozenset({
    "train_batch_size", "ppo_mini_batch_size", "kl_loss_coef",  # verl's RL batches, KL
    "exclude_modules",  # verl: module names LoRA skips
    "max_steps_per_epoch", "use_dora",  # torchtune
    "apply_lora_to_mlp", "apply_lora_to_output", "lora_attn_modules_ignored",  # torchtune
    "target_module_groups",  # plain: target groups of a model the table does not know
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Field(Generic[T_co]):
    value: T_co
    origin: Origin
    key: str  # the dialect's key path, e.g. "actor_rollout_ref.actor.optim.lr"
    node: Node | None = None  # the value node (origin "file")
    key_node: Scalar | None = None  # the key node (origin "file")
    parent: Mapping | None = None  # mapping that holds (or would hold) the key
    note: str = ""  # default's source, or how it was derived


@dataclass(frozen=True, slots=True)
class Targets:
    """Resolved adapter targets.

    ``names`` are module leaf names (as PEFT matches them) that the config names
    explicitly; ``all_linear`` is PEFT's ``all-linear`` (or a framework switch that means
    the same, which never includes the output layer); ``regex`` is a single-string PEFT
    pattern; ``output`` says whether the output layer (unembedding) is adapted, when the
    dialect states it (torchtune ``apply_lora_to_output``), else None.
    """

    names: tuple[str, ...] = ()
    all_linear: bool = False
    regex: str | None = None
    output: bool | None = None
    name_nodes: tuple[Node, ...] = ()  # the node of each explicit name, when in the file


@dataclass(slots=True)
class Canonical:
    base_model: Field[str] | None = None
    method: Field[str] | None = None
    adapter: Field[str] | None = None
    lora_rank: Field[int] | None = None
    lora_alpha: Field[float] | None = None
    lora_dropout: Field[float] | None = None
    target_modules: Field[Targets] | None = None
    modules_to_save: Field[tuple[str, ...]] | None = None  # fully trained copies (PEFT)
    learning_rate: Field[float] | None = None
    lr_scheduler: Field[str] | None = None
    warmup_ratio: Field[float] | None = None
    warmup_steps: Field[float] | None = None
    optimizer: Field[str] | None = None
    adam_beta1: Field[float] | None = None
    adam_beta2: Field[float] | None = None
    adam_epsilon: Field[float] | None = None
    weight_decay: Field[float] | None = None
    max_grad_norm: Field[float] | None = None
    micro_batch_size: Field[int] | None = None
    gradient_accumulation_steps: Field[int] | None = None
    devices: Field[int] | None = None
    num_epochs: Field[float] | None = None
    max_steps: Field[int] | None = None
    eval_steps: Field[float] | None = None
    max_seq_len: Field[int] | None = None
    rope_scaling: Field[str] | None = None
    dpo_beta: Field[float] | None = None
    group_size: Field[int] | None = None
    temperature: Field[float] | None = None
    precision: Field[str] | None = None
    dataset_size: Field[int] | None = None
    # what the run context (cfgguard.derived.runcontext) reads beside the hyperparameters
    trains: Field[bool] | None = None  # False: the file runs no training (eval/predict only)
    use_rslora: Field[bool] | None = None  # rank-stabilised LoRA: scale alpha / sqrt(r)
    loss_variant: Field[str] | None = None  # the preference loss (sigmoid, ipo, simpo, dpo_norm)
    extra: dict[str, Field[object]] = field(default_factory=dict[str, Field[object]])

    def items(self) -> list[tuple[str, Field[object]]]:
        """Set fields in declaration order (extras last)."""
        out: list[tuple[str, Field[object]]] = []
        for f in fields(self):
            if f.name == "extra":
                continue
            value: Field[object] | None = getattr(self, f.name)
            if value is not None:
                out.append((f.name, value))
        out.extend(self.extra.items())
        return out

    @property
    def is_rl(self) -> bool:
        return self.method is not None and self.method.value in RL_METHODS

    @property
    def uses_adapter(self) -> bool:
        return self.adapter is not None and self.adapter.value in ("lora", "qlora")
