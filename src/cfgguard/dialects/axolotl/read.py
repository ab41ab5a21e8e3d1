"""axolotl's mapping: ``to_canonical(root)`` reads an axolotl file into the canonical config.

The field maps (``FIELD_KEYS``, ``ADAPTER_KEYS``, ``GRPO_KEYS``) and the fields that take
more than one key (method, adapter, target modules, precision, the Hatchery plugin). See the
package docstring (``cfgguard.dialects.axolotl``) for the loader profile and the sources.
"""

from __future__ import annotations

from typing import TypeVar

from cfgguard.canonical import PREFERENCE_METHODS, Canonical, Field, Origin, Targets
from cfgguard.dialects.axolotl.field_map import ADAPTER_KEYS, FIELD_KEYS, GRPO_KEYS, SCHEMAS
from cfgguard.dialects.base import Reader, as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import read_keys
from cfgguard.dialects.targets import names_field, targets_field
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

T = TypeVar("T")
U = TypeVar("U")


# ``rl:`` values (enum RLType, axolotl 0.21.0 utils/schemas/enums.py:31) -> canonical method.
_RL = {
    "dpo": "dpo",
    "ipo": "dpo",  # deprecated alias of dpo with dpo_loss_type [ipo] (0.21.0 validation.py:1025)
    "gdpo": "grpo",  # core/builders/rl.py: rl in {GRPO, GDPO} -> GRPO trainer
    "grpo": "grpo",
    "orpo": "orpo",
    "kto": "kto",
    "simpo": "simpo",
}


def _at(where: Field[U], value: T, note: str, origin: Origin = "file") -> Field[T]:
    """A field with another value at the same place (e.g. ``reward_model: true`` -> rm)."""
    return Field(value, origin, where.key, where.node, where.key_node, where.parent, note)


def _here(r: Reader, path: str) -> Field[object] | None:
    """The location of a key whose value is a list or mapping (no scalar to convert)."""
    found = r.entry(path)
    if found is None or r.value(path) is None:
        return None
    return Field(found.value, "file", path, found.value, found.key, found.parent)


def _variant(r: Reader, c: Canonical) -> None:
    """``rl: ipo`` is DPO with the IPO loss; ``simpo`` runs TRL's CPO trainer (rl.py)."""
    rl = r.field("rl", as_str)
    if rl is not None and rl.value.strip().lower() in ("ipo", "simpo"):
        c.loss_variant = _at(rl, rl.value.strip().lower(), "")


def _rl_method(v: object) -> str | None:
    s = as_str(v)
    return None if s is None else _RL.get(s.strip().lower(), "other")


def _completion_only(node: Node) -> bool:
    """Every dataset is ``type: completion`` (raw text: axolotl 0.21.0
    ``src/axolotl/prompt_strategies/completion.py``, the pretraining-style loader)."""
    if not isinstance(node, Sequence) or not node.items:
        return False
    for item in node.items:
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind is None or not isinstance(kind[1], Scalar) or kind[1].value != "completion":
            return False
    return True


_HATCHERY = "axolotl 0.21.0 src/axolotl/integrations/hatchery"


def _hatchery_method(r: Reader) -> Field[str] | None:
    """The Hatchery/Tinker plugin trains remotely: ``loss_fn`` picks SFT or GRPO-style RL."""
    if r.mapping("hatchery") is None:
        return None
    loss = r.field("hatchery.loss_fn", as_str)
    if loss is None:
        return r.default("hatchery.loss_fn", "sft", f"{_HATCHERY} args.py:35 cross_entropy")
    if loss.value == "cross_entropy":
        return _at(loss, "sft", "hatchery loss_fn cross_entropy: SFT")
    note = "hatchery RL loss: per-group normalised advantages (rl_trainer.py:160-168)"
    return _at(loss, "grpo", note, "derived")


def _method(r: Reader) -> Field[str]:
    got = r.field("rl", _rl_method)
    if got is not None:
        return got
    remote = _hatchery_method(r)
    if remote is not None:
        return remote
    for key in ("reward_model", "process_reward_model"):
        flag = r.field(key, as_bool)
        if flag is not None and flag.value:
            return _at(flag, "rm", f"{key}: true trains a sequence/token classifier")
    pre = _here(r, "pretraining_dataset")
    if pre is not None:
        return _at(pre, "pretrain", "pretraining_dataset streams raw text", "derived")
    datasets = _here(r, "datasets")
    if datasets is not None and datasets.node is not None and _completion_only(datasets.node):
        return _at(datasets, "pretrain", "every dataset is type: completion", "derived")
    return r.default("rl", "sft", f"{SCHEMAS}/config.py:277: rl None -> SFT")


def _adapter_kind(v: object) -> str | None:
    if v is None or v == "" or v is False:
        return "full"  # `adapter:` left blank trains all parameters (0.21.0 peft.py:50-54)
    s = as_str(v)
    return None if s is None else {"lora": "lora", "qlora": "qlora"}.get(s.strip(), "other")


def _targets(r: Reader) -> Field[Targets] | None:
    entry = r.entry("lora_target_modules")
    named = targets_field(entry, r) if entry is not None else None
    linear = r.field("lora_target_linear", as_bool)
    if linear is None or not linear.value:
        return named
    note = "lora_target_linear: true adds every Linear but lm_head (loaders/adapter.py:60-77)"
    if named is None:
        return _at(linear, Targets(all_linear=True), note)
    t = named.value
    union = Targets(names=t.names, all_linear=True, regex=t.regex, name_nodes=t.name_nodes)
    return _at(named, union, note + ", in union with these names")


def _bf16_mode(v: object) -> str | None:
    if v == "auto":
        return "auto"  # bf16 when the GPU supports it (0.21.0 utils/config/__init__.py:163)
    flag = as_bool(v)
    return None if flag is None else ("bf16" if flag else "fp32")


def _precision(r: Reader) -> Field[str] | None:
    bf16 = r.field("bf16", _bf16_mode)
    fp16 = r.field("fp16", as_bool)
    if bf16 is not None and bf16.value == "bf16":
        return bf16
    if fp16 is not None and fp16.value:
        return _at(fp16, "fp16", "")
    if bf16 is None and not r.has("bf16"):
        return r.default("bf16", "auto", f"{SCHEMAS}/config.py:596 default 'auto'")
    return bf16


def _hatchery(r: Reader, c: Canonical) -> bool:
    """Tinker/Hatchery always trains a LoRA adapter (0.21.0 trainer.py:56-62), of rank
    ``hatchery.lora_rank`` (default 32, args.py:29) on attention, MLP and, unless
    ``train_unembed: false``, the unembedding; the local ``adapter:`` key is not read."""
    section = r.entry("hatchery")
    if section is None or not isinstance(section.value, Mapping):
        return False
    here = Field(section.value, "file", "hatchery", section.value, section.key, section.parent)
    c.adapter = _at(here, "lora", f"{_HATCHERY}: remote LoRA training (trainer.py:56-62)")
    c.lora_rank = r.field_or_default(
        "hatchery.lora_rank", as_int, 32, f"{_HATCHERY} args.py:29 default 32"
    )
    unembed = r.field("hatchery.train_unembed", as_bool)
    output = True if unembed is None else unembed.value
    c.target_modules = _at(here, Targets(all_linear=True, output=output), _HATCHERY)
    c.group_size = r.field_or_default(
        "hatchery.num_samples", as_int, 4, f"{_HATCHERY} args.py:46 default 4"
    )
    c.temperature = r.field_or_default(
        "hatchery.sample_temperature", as_float, 1.0, f"{_HATCHERY} args.py:45 default 1.0"
    )
    return True


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, "yaml11")
    c = Canonical()
    read_keys(r, c, FIELD_KEYS)
    c.method = _method(r)
    c.adapter = r.field_or_default(
        "adapter",
        _adapter_kind,
        "full",
        f"{SCHEMAS}/peft.py:50: no adapter -> full",
    )
    remote = _hatchery(r, c)
    if c.uses_adapter and not remote:
        read_keys(r, c, ADAPTER_KEYS)
        c.target_modules = _targets(r)
        c.modules_to_save = names_field(r, "lora_modules_to_save")
    batch, micro = r.field("batch_size", as_int), c.micro_batch_size
    ga = c.gradient_accumulation_steps
    if ga is not None and ga.origin == "default" and batch and micro and micro.value > 0:
        # normalize_config (0.21.0 utils/config/__init__.py:232-237): GA = batch_size // micro
        note = f"batch_size {batch.value} // micro_batch_size {micro.value} (normalize_config)"
        c.gradient_accumulation_steps = _at(batch, batch.value // micro.value, note, "derived")
    # Top-level rope_scaling is rejected by axolotl (0.21.0 deprecated.py:35-42); only the
    # model_config override reaches the model.
    c.rope_scaling = r.first(
        [
            "model_config.rope_scaling.rope_type",
            "model_config.rope_scaling.type",
            "overrides_of_model_config.rope_scaling.rope_type",
            "overrides_of_model_config.rope_scaling.type",
        ],
        as_str,
    )
    if not remote:
        _rl_fields(r, c)
    _variant(r, c)
    c.precision = _precision(r)
    return c


def _rl_fields(r: Reader, c: Canonical) -> None:
    """Beta for the preference methods, group size and temperature for GRPO."""
    method = c.method.value if c.method else "sft"
    if method in PREFERENCE_METHODS:
        # trl.beta is preferred; rl_beta is its twin; dpo_beta is the deprecated spelling
        # (copied to rl_beta); ORPO passes orpo_alpha as TRL's beta (0.21.0 rl.py:147-153).
        paths = ["trl.beta", "rl_beta", "dpo_beta"] + (["orpo_alpha"] if method == "orpo" else [])
        c.dpo_beta = r.first(paths, as_float) or r.default(
            "trl.beta", 0.1, "TRL DPOConfig default 0.1 (trl 1.14.1 dpo_config.py:293)"
        )
    if method == "grpo":
        read_keys(r, c, GRPO_KEYS)
