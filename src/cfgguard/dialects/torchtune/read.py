"""torchtune mapping: a recipe config read into the canonical config.

Reads the method from the loss component, the adapter from the model builder's name
prefix, the base model from the checkpoint directory (else the builder, data file
``knowledge/data/torchtune_builders.json``), and the fields torchtune's recipes read
from one key each (``FIELD_KEYS``, ``RL_KEYS``, ``LORA_KEYS``), also in the PPO and
async-GRPO recipes' layouts.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar, cast

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects.base import Reader, as_bool, as_float, known_text
from cfgguard.dialects.fields import read_keys
from cfgguard.dialects.targets import names_in
from cfgguard.dialects.torchtune.detect import PROFILE
from cfgguard.dialects.torchtune.field_map import (
    BUILDER_NOTE,
    FIELD_KEYS,
    LORA_KEYS,
    RL_KEYS,
)
from cfgguard.knowledge import read_json
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.records import replace
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

T = TypeVar("T")

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
    mlp = r.field_or_default(f"{model}.apply_lora_to_mlp", as_bool, False, BUILDER_NOTE)
    if mlp is not None and mlp.value and mlp.node is not None:
        names += [(n, mlp.node) for n in (facts.modules.mlp if facts else _MLP_NAMES)]
    output = r.field_or_default(f"{model}.apply_lora_to_output", as_bool, False, BUILDER_NOTE)
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
    read_keys(r, c, LORA_KEYS)


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
        read_keys(r, c, RL_KEYS)
    cls = builder_name(r.text(f"{loss}._component_") or "")
    if cls == "DPOLoss":
        c.dpo_beta = r.field_or_default(
            f"{loss}.beta", as_float, 0.1, "DPOLoss default (torchtune/rlhf/loss/dpo.py)"
        )
    elif cls == "RSOLoss":  # RSO's gamma plays beta's role
        c.dpo_beta = r.field_or_default(
            f"{loss}.gamma", as_float, 0.1, "RSOLoss default (torchtune/rlhf/loss/dpo.py)"
        )


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
    read_keys(r, c, FIELD_KEYS)
    # a builder that takes HF-style rope_scaling (e.g. a YaRN Qwen3 builder) passes it on
    c.rope_scaling = r.first(
        [f"{model}.rope_scaling.rope_type", f"{model}.rope_scaling.type"], known_text
    )
    return c
