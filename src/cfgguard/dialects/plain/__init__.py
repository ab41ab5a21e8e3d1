"""plain: the quick reference's own "Common Configurations" format.

A flat mapping (docs/reference/hyperparameter-quick-reference.md, "Common
Configurations"): ``base_model, lora_rank, lora_alpha, learning_rate, batch_size,
num_steps, max_seq_len, target_modules, beta, group_size, temperature``, plus the
"Optimizer Settings" keys shown there (``optimizer, betas, eps, weight_decay,
max_grad_norm, warmup_ratio, lr_scheduler``).

Detection: ``base_model`` (shared with axolotl, so it only counts with a plain key) plus
the format's own keys: 2 points for keys no other dialect writes at the top level in this
sense (``lora_rank``, ``num_steps``, ``max_seq_len``, ``group_size``, ``batch_size``), 1 for
shared ones; every key that marks another dialect (axolotl ``micro_batch_size``,
LLaMA-Factory ``stage``, TRL ``per_device_train_batch_size``...) takes 2 off.

Loader profile ``yaml11``: the format belongs to no framework, so it is read as PyYAML
``safe_load`` reads it; numbers written ``5e-4`` are still read as numbers by the
converters, as a person reads them.

There is no adapter or method key: ``lora_rank`` means LoRA; ``beta`` means DPO,
``group_size``/``temperature`` GRPO, otherwise SFT. In ``target_modules``, ``mlp`` and
``attn`` name module groups and ``lm_head`` the output layer, resolved through the model
table; with an unknown model the groups are kept aside (``extra["target_module_groups"]``)
rather than guessed.
"""

from __future__ import annotations

from typing import TypeVar, cast

from cfgguard.canonical import Canonical, Field, Targets
from cfgguard.dialects.base import Dialect, KeyReading, Reader, as_float, as_int, score_keys
from cfgguard.dialects.fields import Key, read_keys
from cfgguard.dialects.targets import ALL_LINEAR, names_in
from cfgguard.dialects.traits import Traits
from cfgguard.knowledge.keyspace import KeySource, LocalField
from cfgguard.knowledge.models import ModelFacts, resolve
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence
from cfgguard.yaml.scalars import Profile

T = TypeVar("T")
PROFILE: Profile = "yaml11"
_STRONG = frozenset({"lora_rank", "num_steps", "max_seq_len", "group_size", "batch_size"})
_WEAK = frozenset({"lora_alpha", "learning_rate", "target_modules", "beta", "temperature"})
_FOREIGN = frozenset({
    "micro_batch_size", "sequence_len", "lora_r", "adapter", "datasets", "num_epochs",
    "lora_target_modules", "gradient_accumulation_steps", "model_name_or_path", "stage",
    "finetuning_type", "cutoff_len", "per_device_train_batch_size", "output_dir",
})  # fmt: skip
_SOURCE = "quick reference, Common Configurations"


def detect(root: Mapping) -> float:
    keys = set(root.keys())
    if "base_model" not in keys or not keys & _STRONG:
        return 0.0
    score = 1.0 + score_keys(root, _STRONG, _WEAK) - 2.0 * len(keys & _FOREIGN)
    return max(score, 0.0)


def _text(v: object) -> str | None:
    if not isinstance(v, str) or not v.strip():
        return None
    return v.strip()


def _derived(source: Field[T], value: str, note: str) -> Field[str]:
    return Field(value, "derived", source.key, source.node, source.key_node, source.parent, note)


def _method(r: Reader) -> Field[str]:
    for key, method in (("beta", "dpo"), ("group_size", "grpo"), ("temperature", "grpo")):
        found = r.field(key, lambda v: v)
        if found is not None:
            return _derived(found, method, f"{key} is a {method.upper()} setting")
    return Field("sft", "derived", "", parent=r.root, note="no beta or group_size: SFT")


def _adapter(r: Reader) -> Field[str]:
    rank = r.field("lora_rank", lambda v: v)
    if rank is not None:
        return _derived(rank, "lora", "lora_rank is set")
    return Field("full", "derived", "lora_rank", parent=r.root, note="no lora_rank: full")


def _group(name: str, facts: ModelFacts | None) -> tuple[str, ...] | None:
    """Leaf names for a plain-format name; None for a group the model table cannot expand."""
    if name in ("mlp", "attn"):
        if facts is None:
            return None
        return facts.modules.mlp if name == "mlp" else facts.modules.attention
    if name == "lm_head":
        return (facts.head_module if facts else "lm_head",)
    return (name,)


def _targets(r: Reader, c: Canonical, facts: ModelFacts | None) -> None:
    entry = r.entry("target_modules")
    if entry is None:
        return
    node = entry.value
    if isinstance(node, Scalar) and r.scalar_value(node) == ALL_LINEAR:
        targets = Targets(all_linear=True)
    elif isinstance(node, Scalar | Sequence):
        names: dict[str, Node] = {}
        groups: list[tuple[str, Node]] = []
        for name, item in names_in(node, r):
            leaves = _group(name, facts)
            if leaves is None:
                groups.append((name, item))
            for leaf in leaves or ():
                names.setdefault(leaf, item)
        listed = {n for n, _ in names_in(node, r)}
        targets = Targets(
            names=tuple(names),
            name_nodes=tuple(names.values()),
            output=True if "lm_head" in listed else None,
        )
        if groups:
            note = "module groups the model table cannot expand (unknown model)"
            kept = Field(tuple(n for n, _ in groups), "file", entry.path, groups[0][1],
                         entry.key, entry.parent, note)  # fmt: skip
            c.extra["target_module_groups"] = cast(Field[object], kept)
    else:
        return
    c.target_modules = Field(targets, "file", entry.path, node, entry.key, entry.parent)


def _betas(r: Reader, c: Canonical) -> None:
    entry = r.entry("betas")
    if entry is None or not isinstance(entry.value, Sequence) or len(entry.value.items) != 2:
        return
    out: list[Field[float] | None] = []
    for item in entry.value.items:
        v = as_float(r.scalar_value(item)) if isinstance(item, Scalar) else None
        out.append(None if v is None else Field(v, "file", "betas", item, entry.key, entry.parent))
    c.adam_beta1, c.adam_beta2 = out[0], out[1]


# The fields the format holds in one key each
_FIELDS = (
    Key("base_model", "base_model", _text),
    Key("lora_rank", "lora_rank", as_int),
    Key("lora_alpha", "lora_alpha", as_float),
    Key("learning_rate", "learning_rate", as_float),
    # the format has no accumulation key: batch_size is the whole batch of one step
    Key("micro_batch_size", "batch_size", as_int),
    Key("max_steps", "num_steps", as_int),
    Key("max_seq_len", "max_seq_len", as_int),
    Key("dpo_beta", "beta", as_float),
    Key("group_size", "group_size", as_int),
    Key("temperature", "temperature", as_float),
    Key("optimizer", "optimizer", _text),
    Key("adam_epsilon", "eps", as_float),
    Key("weight_decay", "weight_decay", as_float),
    Key("max_grad_norm", "max_grad_norm", as_float),
    Key("warmup_ratio", "warmup_ratio", as_float),
    Key("lr_scheduler", "lr_scheduler", _text),
)


def to_canonical(root: Mapping) -> Canonical:
    r = Reader(root, PROFILE)
    c = Canonical()
    read_keys(r, c, _FIELDS)
    c.method = _method(r)
    c.adapter = _adapter(r)
    _targets(r, c, resolve(c.base_model.value) if c.base_model else None)
    _betas(r, c)
    return c


# The reference's own keys and the values it shows for them: its Common Configurations,
# then the keys of its Optimizer Settings blocks (docs/reference/hyperparameter-quick-reference.md)
_KEYS = (
    ("base_model", "str"), ("lora_rank", "int"), ("lora_alpha", "float"),
    ("learning_rate", "float"), ("batch_size", "int"), ("num_steps", "int"),
    ("max_seq_len", "int"), ("target_modules", "list[str]"), ("beta", "float"),
    ("group_size", "int"), ("temperature", "float"), ("optimizer", "str"),
    ("betas", "list[float]"), ("eps", "float"), ("weight_decay", "float"),
    ("max_grad_norm", "float"), ("warmup_ratio", "float"), ("lr_scheduler", "str"),
)  # fmt: skip
KEYS = KeyReading(
    KeySource("", "the reference's config format"),
    complete=False,  # no framework reads the file: unknown keys are likely extensions
    local=tuple(LocalField(k, "plain", "", 0, t) for k, t in _KEYS),
)
# batch_size is the whole batch of one step; no framework loads the file
TRAITS = Traits(batch_is_whole_step=True, clipping="max_grad_norm_null_off")
DIALECT = Dialect(
    "plain",
    PROFILE,
    detect,
    to_canonical,
    title=f"plain ({_SOURCE})",
    keys=KEYS,
    traits=TRAITS,
    fields=_FIELDS,
    package=__name__,
)
