"""torchtune: recipe configs run with ``tune run <recipe> --config <file>``.

Detection: any mapping holding ``_component_`` (a dotted import path) is decisive; among
the supported dialects only torchtune instantiates components from that key (Hydra and
verl use ``_target_``): torchtune 0.6.1 ``torchtune/config/_utils.py:33``
(``_has_component``), ``torchtune/config/_instantiate.py:30``.

Loader profile ``omegaconf``: ``@config.parse`` reads the file with ``OmegaConf.load``
(torchtune 0.6.1 ``torchtune/config/_parse.py:58``), i.e. PyYAML's YAML 1.1 resolver plus
OmegaConf's float pattern (omegaconf 2.3.0 ``omegaconf/_utils.py:154-167``), so
``lr: 3e-4`` is a float; nothing converts the values afterwards (the recipe reads the
untyped ``DictConfig`` and ``config.instantiate`` passes values as written,
``torchtune/config/_instantiate.py``).

Mapping: the method is chosen by the recipe name (``tune run <recipe>``, torchtune 0.6.1
``torchtune/_recipe_registry.py``), so it is derived from the loss component; the
adapter from the model builder's name prefix; the base model id from the checkpoint
directory, else from the builder (data file ``knowledge/data/torchtune_builders.json``).
Sections are also read where the PPO and async-GRPO recipes put them (``policy_model``,
``training.*``, ``inference.*``).
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar, cast

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects.base import (
    Dialect,
    KeyReading,
    Reader,
    as_bool,
    as_float,
    as_int,
    tree_entries,
)
from cfgguard.dialects.fields import Key, read_keys
from cfgguard.dialects.targets import names_in
from cfgguard.dialects.traits import Loader, Traits
from cfgguard.knowledge import read_json
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.records import replace
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from cfgguard.yaml.scalars import Profile

T = TypeVar("T")
PROFILE: Profile = "omegaconf"
_BUILDER_NOTE = (
    "torchtune LoRA builders' default (torchtune 0.6.1"
    " torchtune/models/llama3_1/_model_builders.py:86-90, the same in every lora_* builder)"
)

# torchtune's own projection names -> the Hugging Face leaf names PEFT would match;
# anything else in lora_attn_modules (e.g. o_proj) is silently ignored by the builders.
_ATTN_NAMES = {"q_proj": "q_proj", "k_proj": "k_proj", "v_proj": "v_proj", "output_proj": "o_proj"}
_MLP_NAMES = ("gate_proj", "up_proj", "down_proj")  # torchtune w1, w3, w2
# (class-name marker, method), first match wins; RSO is a DPO variant (its recipe is
# lora_dpo_*: torchtune 0.6.1 torchtune/rlhf/loss/dpo.py:97 RSOLoss)
_LOSS_METHODS = (
    ("GRPO", "grpo"),
    ("PPOLoss", "ppo"),
    ("DPOLoss", "dpo"),
    ("RSOLoss", "dpo"),
    ("SimPOLoss", "simpo"),
)


def known_text(v: object) -> str | None:
    """A string value, or None for unresolved ``${...}`` interpolations and ``???``."""
    if not isinstance(v, str) or "${" in v or v.strip() in ("", "???"):
        return None
    return v.strip()


def detect(root: Mapping) -> float:
    return 10.0 if any(key.value == "_component_" for key, _ in tree_entries(root)) else 0.0


@cache
def builder_ids() -> dict[str, str]:
    table = cast(dict[str, str], read_json("torchtune_builders.json"))
    return {k: v for k, v in table.items() if not k.startswith("_")}


def builder_name(component: str) -> str:
    """``torchtune.models.llama3_1.qlora_llama3_1_8b`` -> ``qlora_llama3_1_8b``."""
    return component.rsplit(".", 1)[-1]


def builder_model_id(component: str) -> str | None:
    name = builder_name(component)
    for prefix in ("qlora_", "lora_"):
        name = name.removeprefix(prefix)
    return builder_ids().get(name)


def _path(r: Reader, *candidates: str) -> str:
    """The first candidate section present in the file (else the first, for defaults)."""
    return next((p for p in candidates if r.has(p)), candidates[0])


def _derived(source: Field[T], value: str, note: str) -> Field[str]:
    """A field computed from ``source``: it points where ``source`` does."""
    return Field(value, "derived", source.key, source.node, source.key_node, source.parent, note)


def _extra(c: Canonical, name: str, field: Field[T] | None) -> None:
    if field is not None:
        c.extra[name] = cast(Field[object], field)


def _method(r: Reader, loss: str) -> Field[str]:
    component = r.field(f"{loss}._component_", known_text)
    if component is not None:
        cls = builder_name(component.value)
        for marker, method in _LOSS_METHODS:
            if marker in cls:
                return _derived(component, method, f"loss {cls}")
    for key, method, why in (
        ("grpo_samples", "grpo", "grpo_samples is read only by the GRPO recipes"),
        ("kd_loss", "sft", "knowledge distillation: supervised loss plus kd_loss"),
    ):
        found = r.field(key, lambda v: v)
        if found is not None:
            return _derived(found, method, why)
    return Field(
        "sft",
        "derived",
        f"{loss}._component_",
        parent=r.mapping(loss) or r.root,
        note="no preference or RL loss in the file; torchtune picks the method by recipe name",
    )


def _adapter(r: Reader, model: str, builder: Field[str] | None) -> Field[str] | None:
    quant = r.field(f"{model}.quantize_base", as_bool)
    if quant is not None and quant.value:
        return _derived(quant, "qlora", "quantize_base: true (NF4 base)")
    if builder is None:
        return None
    name = builder_name(builder.value)
    kind = "qlora" if name.startswith("qlora_") else "lora" if name.startswith("lora_") else "full"
    return _derived(builder, kind, f"builder {name}")


def _base_model(r: Reader, builder: Field[str] | None) -> Field[str] | None:
    ckpt = r.first(
        ["checkpointer.checkpoint_dir", "training.checkpointer.checkpoint_dir"], known_text
    )
    note = "model read from the checkpoint directory name"
    if ckpt is not None and resolve(ckpt.value) is not None:
        return replace(ckpt, origin="derived", note=note)
    model_id = builder_model_id(builder.value) if builder is not None else None
    if builder is not None and model_id is not None:
        name = builder_name(builder.value)
        return _derived(builder, model_id, f"model id of builder {name}")
    return replace(ckpt, origin="derived", note=note) if ckpt is not None else None


def _fit_attention(
    names: list[tuple[str, Node]], facts: ModelFacts | None
) -> list[tuple[str, Node]]:
    """torchtune splits fused q/k/v (phi3/phi4); HF adapts them as one ``qkv_proj``."""
    if facts is None or "qkv_proj" not in facts.modules.attention:
        return names
    qkv = [item for item in names if item[0] in ("q_proj", "k_proj", "v_proj")]
    if len(qkv) < 3:  # a partial set has no HF equivalent: keep the honest split names
        return names
    return [("qkv_proj", qkv[0][1])] + [item for item in names if item not in qkv]


def _targets(r: Reader, c: Canonical, model: str, facts: ModelFacts | None) -> None:
    attn = r.entry(f"{model}.lora_attn_modules")
    names: list[tuple[str, Node]] = []
    ignored: list[tuple[str, Node]] = []
    for name, node in names_in(attn.value, r) if attn is not None else []:
        hf = _ATTN_NAMES.get(name)
        (names if hf else ignored).append((hf or name, node))
    names = _fit_attention(names, facts)
    mlp = r.field_or_default(f"{model}.apply_lora_to_mlp", as_bool, False, _BUILDER_NOTE)
    if mlp is not None and mlp.value and mlp.node is not None:
        names += [(n, mlp.node) for n in (facts.modules.mlp if facts else _MLP_NAMES)]
    output = r.field_or_default(f"{model}.apply_lora_to_output", as_bool, False, _BUILDER_NOTE)
    targets = Targets(
        names=tuple(n for n, _ in names),
        name_nodes=tuple(x for _, x in names),
        output=output.value if output is not None else None,
    )
    if attn is not None:
        c.target_modules = Field(targets, "file", attn.path, attn.value, attn.key, attn.parent)
    else:  # required by the builders; what the rest of the file says still holds
        missing = "lora_attn_modules is missing (required by torchtune LoRA builders)"
        c.target_modules = Field(
            targets, "derived", f"{model}.lora_attn_modules", parent=r.mapping(model), note=missing
        )
    _extra(c, "apply_lora_to_mlp", mlp)
    _extra(c, "apply_lora_to_output", output)
    if ignored and attn is not None:
        what = ", ".join(n for n, _ in ignored)
        _extra(
            c,
            "lora_attn_modules_ignored",
            Field(
                tuple(n for n, _ in ignored),
                "file",
                attn.path,
                ignored[0][1],
                attn.key,
                attn.parent,
                f"not torchtune projection names, silently ignored: {what}",
            ),
        )


def _lora(r: Reader, c: Canonical, model: str, facts: ModelFacts | None) -> None:
    _targets(r, c, model, facts)
    read_keys(r, c, _LORA_KEYS)


def _optimizer(r: Reader, c: Canonical) -> None:
    opt = _path(r, "optimizer", "training.optimizer")
    component = r.field(f"{opt}._component_", known_text)
    if component is not None:  # the class name, as the other dialects spell optimizers
        c.optimizer = replace(component, value=builder_name(component.value))
    betas = r.entry(f"{opt}.betas")
    if betas is not None and isinstance(betas.value, Sequence) and len(betas.value.items) == 2:
        for i, item in enumerate(betas.value.items):
            beta = as_float(r.scalar_value(item)) if isinstance(item, Scalar) else None
            if beta is not None:
                field = Field(beta, "file", betas.path, item, betas.key, betas.parent)
                if i == 0:
                    c.adam_beta1 = field
                else:
                    c.adam_beta2 = field
    sched = r.field("lr_scheduler._component_", known_text)
    if sched is not None:
        short = next((s for s in ("cosine", "linear", "constant") if s in sched.value), None)
        c.lr_scheduler = replace(sched, value=short or builder_name(sched.value))


def _rl(r: Reader, c: Canonical, loss: str) -> None:
    if c.method is not None and c.method.value in ("ppo", "grpo"):
        read_keys(r, c, _RL_KEYS)
    cls = builder_name(r.text(f"{loss}._component_") or "")
    if cls == "DPOLoss":
        c.dpo_beta = r.field_or_default(
            f"{loss}.beta", as_float, 0.1, "DPOLoss default (torchtune/rlhf/loss/dpo.py)"
        )
    elif cls == "RSOLoss":  # RSO's gamma plays beta's role
        c.dpo_beta = r.field_or_default(
            f"{loss}.gamma", as_float, 0.1, "RSOLoss default (torchtune/rlhf/loss/dpo.py)"
        )


# The fields torchtune's recipes read from one key each; ``also``: the key in the
# layout of the PPO recipe (policy_model) and the distributed GRPO recipes (training.*,
# inference.*, orchestration.*), read where the file uses that layout.
_KEYS = (
    Key("learning_rate", "optimizer.lr", as_float, also=("training.optimizer.lr",)),
    Key("adam_epsilon", "optimizer.eps", as_float, also=("training.optimizer.eps",)),
    Key("weight_decay", "optimizer.weight_decay", as_float, also=(
        "training.optimizer.weight_decay",
    )),
    Key("warmup_steps", "lr_scheduler.num_warmup_steps", as_float),
    Key("micro_batch_size", "batch_size", as_int, also=("training.batch_size",)),
    Key("gradient_accumulation_steps", "gradient_accumulation_steps", as_int),
    Key("num_epochs", "epochs", as_float),
    Key("max_seq_len", "tokenizer.max_seq_len", as_int),
    # clip_grad_norm: null (or absent) means no clipping, so it stays absent here
    Key("max_grad_norm", "clip_grad_norm", as_float, also=("training.clip_grad_norm",)),
    Key("group_size", "grpo_samples", as_int, also=("inference.group_size",)),
    Key("temperature", "temperature", as_float, also=("inference.temperature",)),
    Key("precision", "dtype", known_text),
    # a per-epoch cap, not a total: kept raw (total = min(cap, dataloader steps) * epochs)
    Key("max_steps_per_epoch", "max_steps_per_epoch", as_int),
)  # fmt: skip
_RL_KEYS = (Key("max_steps", "num_steps", as_int, also=("orchestration.num_steps",)),)
# the LoRA builders' arguments, read when the builder is a LoRA one
_LORA_KEYS = (
    Key("lora_rank", "model.lora_rank", as_int, 8, _BUILDER_NOTE, also=("policy_model.lora_rank",)),
    Key("lora_alpha", "model.lora_alpha", as_float, 16.0, _BUILDER_NOTE, also=(
        "policy_model.lora_alpha",
    )),
    Key("lora_dropout", "model.lora_dropout", as_float, 0.0, _BUILDER_NOTE, also=(
        "policy_model.lora_dropout",
    )),
    Key("use_dora", "model.use_dora", as_bool, also=("policy_model.use_dora",)),
)  # fmt: skip


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, PROFILE)
    model = _path(r, "model", "policy_model")
    loss = _path(r, "loss", "training.loss")
    builder = r.field(f"{model}._component_", known_text)
    c = Canonical()
    c.method = _method(r, loss)
    c.adapter = _adapter(r, model, builder)
    c.base_model = _base_model(r, builder)
    if c.uses_adapter:
        _lora(r, c, model, resolve(c.base_model.value) if c.base_model else None)
    _optimizer(r, c)
    _rl(r, c, loss)
    read_keys(r, c, _KEYS)
    # a builder that takes HF-style rope_scaling (e.g. a YaRN Qwen3 builder) passes it on
    c.rope_scaling = r.first(
        [f"{model}.rope_scaling.rope_type", f"{model}.rope_scaling.type"], known_text
    )
    return c


def _recipes(root: Mapping, config: Canonical) -> tuple[str, ...]:
    return ()  # the recipe is named on the command line, not in the file: any recipe


# What the recipes shipped in the wheel read (``recipes/*.py``); a user's own recipe may
# read more, so the data is not the whole list
KEYS = KeyReading(
    KeySource("torchtune", "torchtune", "key_sets", nested=True),
    parsers=_recipes,
    complete=False,
)
LOADER = Loader(
    "components",
    "torchtune 0.6.1 torchtune/config/_parse.py:58 (OmegaConf.load),"
    " torchtune/config/_instantiate.py:22 (components get the values as loaded)",
    "torchtune hands it on unconverted to the recipe or component, which fails on it",
    who="torchtune",
)
# lora_attn_modules lists attention layers (output_proj, the fused qkv split) beside the
# apply_lora_to_mlp / apply_lora_to_output switches; a GRPO recipe's batch_size counts
# prompts or completions depending on the recipe
TRAITS = Traits(
    grpo_batch_known=False,
    lora_layer_list=True,
    lora_spelling=(("o_proj", "output_proj"),),
    clipping="clip_grad_norm",
    warmup="scheduler_section",
    eval_schedule="val_every_n_steps",
    loader=LOADER,
)
DIALECT = Dialect(
    "torchtune",
    PROFILE,
    detect,
    to_canonical,
    title="torchtune",
    keys=KEYS,
    traits=TRAITS,
    writes="TORCHTUNE",
    fields=(*_KEYS, *_RL_KEYS, *_LORA_KEYS),
    package=__name__,
)
