"""axolotl: the YAML read by ``axolotl train config.yaml`` (axolotl-ai-cloud/axolotl).

Detection: ``base_model`` (required by axolotl: axolotl 0.21.0
``src/axolotl/utils/schemas/model.py:17``) together with at least two axolotl-only
spellings (cfgguard's detection rule): ``micro_batch_size``,
``sequence_len``, ``num_epochs``, ``datasets`` as a list of ``{path, type}`` mappings,
``adapter``, ``lora_r``, ``lora_target_linear``, ``val_set_size``. Other axolotl-only
keys (``sample_packing``, ``evals_per_epoch``, a scalar ``optimizer``, ``rl``, a ``trl:``
section...) add one point each once that holds, and ``plugins: [axolotl.integrations.*]``
is conclusive. ``base_model`` alone scores nothing: the plain dialect uses it too.

Loader profile ``yaml11``: axolotl reads the file with PyYAML ``yaml.safe_load``
(axolotl 0.21.0 ``src/axolotl/cli/config.py:248``), so ``5e-4`` is a string there;
pydantic then casts numeric strings for float fields (``learning_rate`` explicitly,
``src/axolotl/utils/schemas/training.py:320-325``), which is why the canonical value is
still a float.

Mapping and defaults: axolotl 0.21.0 ``src/axolotl/utils/schemas/*.py`` (each default's
note names the line).
"""

from __future__ import annotations

from typing import TypeVar

from cfgguard.canonical import PREFERENCE_METHODS, Canonical, Field, Origin, Targets
from cfgguard.dialects.base import Dialect, KeyReading, Reader, as_bool, as_float, as_int, as_str
from cfgguard.dialects.fields import Key, read_keys
from cfgguard.dialects.targets import names_field, targets_field
from cfgguard.dialects.traits import Generation, Loader, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence

T = TypeVar("T")
U = TypeVar("U")


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Detection gate: two of these axolotl-only keys plus base_model make a file axolotl's.
_GATE = _keys(
    "micro_batch_size sequence_len num_epochs adapter lora_r lora_target_linear val_set_size"
)
# Further axolotl-only spellings (axolotl's schema fields); weak, counted once the gate holds.
_EXTRA = _keys(
    "dataset_prepared_path sample_packing eval_sample_packing pad_to_sequence_len "
    "evals_per_epoch saves_per_epoch special_tokens wandb_project lora_model_dir rl "
    "rl_beta pretraining_dataset reward_model"
)
_MAX_SCORE = 20.0

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


def _is_dataset_list(node: Node) -> bool:
    """``datasets:`` as axolotl writes it: a list of mappings with ``path`` or ``type``."""
    if not isinstance(node, Sequence) or not node.items:
        return False
    return all(
        isinstance(item, Mapping) and (item.get("path") or item.get("type")) for item in node.items
    )


def _plugins_are_axolotl(node: Node) -> bool:
    items = node.items if isinstance(node, Sequence) else [node]
    return any(isinstance(i, Scalar) and i.value.startswith("axolotl.integrations.") for i in items)


def detect(root: Mapping) -> float:
    gate = extra = 0
    conclusive = False
    for key, value in root.entries():
        name = key.value
        if name in _GATE or (name == "datasets" and _is_dataset_list(value)):
            gate += 1
        elif name in _EXTRA or (name == "trl" and isinstance(value, Mapping)):
            extra += 1
        elif name in ("optimizer", "lr_scheduler") and isinstance(value, Scalar):
            extra += 1  # torchtune writes these as `_component_` mappings
        elif name == "plugins" and _plugins_are_axolotl(value):
            conclusive = True
    score = 0.5 * gate  # without base_model: a fragment at best
    if root.get("base_model") is not None and gate >= 2:
        score = 2.0 + 2.0 * gate + extra
    if conclusive:
        score += 10.0
    return min(score, _MAX_SCORE)


# -- mapping --------------------------------------------------------------------


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
_SCHEMAS = "axolotl 0.21.0 src/axolotl/utils/schemas"


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
    return r.default("rl", "sft", f"{_SCHEMAS}/config.py:277: rl None -> SFT")


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
        return r.default("bf16", "auto", f"{_SCHEMAS}/config.py:596 default 'auto'")
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


# The fields axolotl reads from one key each (_SCHEMAS: its pydantic models at 0.21.0)
_KEYS = (
    Key("base_model", "base_model", as_str),
    Key("learning_rate", "learning_rate", as_float),
    Key(
        "lr_scheduler",
        "lr_scheduler",
        as_str,
        "cosine",
        f"{_SCHEMAS}/training.py:184 default cosine",
    ),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("warmup_steps", "warmup_steps", as_float),
    Key("optimizer", "optimizer", as_str, "adamw_torch_fused", f"{_SCHEMAS}/training.py:162-163"),
    Key("adam_beta1", "adam_beta1", as_float),
    Key("adam_beta2", "adam_beta2", as_float),
    Key("adam_epsilon", "adam_epsilon", as_float),
    Key(
        "weight_decay", "weight_decay", as_float, 0.0, f"{_SCHEMAS}/training.py:159-160 default 0.0"
    ),
    Key(
        "max_grad_norm",
        "max_grad_norm",
        as_float,
        1.0,
        f"{_SCHEMAS}/training.py:304 None -> transformers 1.0",
    ),
    Key(
        "micro_batch_size",
        "micro_batch_size",
        as_int,
        1,
        f"{_SCHEMAS}/training.py:117-118 default 1",
    ),
    Key(
        "gradient_accumulation_steps",
        "gradient_accumulation_steps",
        as_int,
        1,
        f"{_SCHEMAS}/training.py:111-112",
    ),
    Key("num_epochs", "num_epochs", as_float, 1.0, f"{_SCHEMAS}/training.py:307 default 1.0"),
    Key("max_steps", "max_steps", as_int),
    Key("eval_steps", "eval_steps", as_float),
    Key("max_seq_len", "sequence_len", as_int, 512, f"{_SCHEMAS}/config.py:706-707 default 512"),
)
# read when a local adapter is trained (not Hatchery's remote one)
_ADAPTER_KEYS = (
    Key("lora_rank", "lora_r", as_int),
    Key("lora_alpha", "lora_alpha", as_float),
    Key("lora_dropout", "lora_dropout", as_float, 0.0, f"{_SCHEMAS}/peft.py:96 default 0.0"),
    # 0.21.0 loaders/adapter.py:163-164 passes peft_use_rslora to LoraConfig(use_rslora=)
    Key("use_rslora", "peft_use_rslora", as_bool),
)
# read for GRPO (axolotl hands the trl section to TRL's GRPOConfig)
_GRPO_KEYS = (
    Key(
        "group_size",
        "trl.num_generations",
        as_int,
        8,
        "TRL GRPOConfig default 8 (trl 1.14.1 grpo_config.py:479)",
    ),
    Key(
        "temperature",
        "trl.temperature",
        as_float,
        1.0,
        "TRL GRPOConfig default 1.0 (trl 1.14.1 grpo_config.py:527)",
    ),
)


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, "yaml11")
    c = Canonical()
    read_keys(r, c, _KEYS)
    c.method = _method(r)
    c.adapter = r.field_or_default(
        "adapter",
        _adapter_kind,
        "full",
        f"{_SCHEMAS}/peft.py:50: no adapter -> full",
    )
    remote = _hatchery(r, c)
    if c.uses_adapter and not remote:
        read_keys(r, c, _ADAPTER_KEYS)
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
        read_keys(r, c, _GRPO_KEYS)


def _config_and_validators(root: Mapping, config: Canonical) -> tuple[str, ...]:
    return ("config", "validated")


# axolotl validates the whole file against its pydantic config model
# (``AxolotlInputConfig``), flattened into the key set ``config`` by the build; keys that
# are no longer fields but that a validator still refuses or maps are ``validated``
KEYS = KeyReading(
    KeySource("axolotl", "axolotl", "key_sets", nested=True), parsers=_config_and_validators
)
LOADER = Loader(
    "pydantic",
    "axolotl 0.21.0 axolotl/cli/config.py:248 (yaml.safe_load),"
    " axolotl/utils/config/__init__.py:604 (pydantic AxolotlInputConfig)",
    "axolotl's pydantic model refuses the config (ValidationError)",
    checks_booleans=True,
)
# GRPO keys sit under ``trl:``, checked by validation.py; null max_grad_norm is unset;
# warmup_steps is an int exclusive with warmup_ratio; eval runs on val_set_size
TRAITS = Traits(
    generation=Generation("trl.", validated_at_parse=True),
    clipping="max_grad_norm_null_unset",
    warmup="whole_steps",
    eval_schedule="val_set_size",
    pads_to_sequence_len=True,
    dataset_type_fields=True,
    loader=LOADER,
)
DIALECT = Dialect(
    "axolotl",
    "yaml11",
    detect,
    to_canonical,
    title="axolotl",
    keys=KEYS,
    traits=TRAITS,
    writes="AXOLOTL",
    fields=(*_KEYS, *_ADAPTER_KEYS, *_GRPO_KEYS),
    package=__name__,
)
