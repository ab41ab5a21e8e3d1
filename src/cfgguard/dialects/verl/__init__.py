"""verl: Hydra configs for the PPO/GRPO trainer (``main_ppo``) and the FSDP SFT trainer.

Detection: ``actor_rollout_ref`` and ``algorithm.adv_estimator`` (the sections of verl
0.9.1 ``verl/trainer/config/_generated_ppo_trainer.yaml``) are decisive, as is a
``_target_`` into ``verl.*`` anywhere; a Hydra ``defaults:`` list or
``hydra.searchpath`` naming verl's config tree is strong; so are ``critic``,
``reward_model``, ``trainer.n_gpus_per_node``, ``data.train_batch_size`` and the SFT
keys (``model.partial_pretrain``, ``optim.lr``, ``data.micro_batch_size_per_gpu``).
verl's own config-group fragments (``actor/*.yaml``, ``optim/*.yaml``,
``reward_model/*.yaml``, ``algorithm/rollout_correction.yaml``) are recognised by their
section keys (``ppo_mini_batch_size``, ``use_dynamic_bsz``, ``rollout_is``...) and by
interpolations into ``actor_rollout_ref``.

Loader profile ``omegaconf``: Hydra reads every file with ``OmegaConf.load`` (hydra-core
1.3.2 ``hydra/_internal/core_plugins/file_config_source.py:31``), whose loader adds a
float pattern to PyYAML's (omegaconf 2.3.0 ``omegaconf/_utils.py:154-167``), so
``lr: 1e-6`` is a float.

Mapping: only what the file itself sets, plus the defaults of verl 0.9.1
``verl/trainer/config/_generated_ppo_trainer.yaml`` (PPO) and verl 0.7.0
``verl/trainer/config/sft_trainer.yaml`` (the FSDP SFT trainer's config, removed in
0.7.1) (origin "default").
Values from the ``defaults:`` list are not composed. A fragment's keys land wherever the
including file puts them, so a fragment maps to an empty canonical config.
"""

from __future__ import annotations

from collections.abc import Callable
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
from cfgguard.dialects.fields import Key, Layout, read_keys
from cfgguard.dialects.targets import targets_field
from cfgguard.dialects.traits import Loader, Rollout, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence
from cfgguard.yaml.scalars import Profile

T = TypeVar("T")
V = TypeVar("V")
PROFILE: Profile = "omegaconf"
A, R, M = "actor_rollout_ref.actor", "actor_rollout_ref.rollout", "actor_rollout_ref.model"
_PPO_NOTE = "verl 0.9.1 verl/trainer/config/_generated_ppo_trainer.yaml default"
_SFT_NOTE = "verl 0.7.0 verl/trainer/config/sft_trainer.yaml default"

# Scored paths: section keys of the entry configs and top-level keys of the fragments.
_PATH_SCORES = {
    "actor_rollout_ref": 6, "algorithm.adv_estimator": 4, "model.partial_pretrain": 4,
    "critic": 2, "reward_model": 2, "custom_reward_function": 2, "ray_kwargs": 2,
    "trainer.n_gpus_per_node": 2, "data.train_batch_size": 2, "data.max_prompt_length": 2,
    "data.micro_batch_size_per_gpu": 2, "ulysses_sequence_parallel_size": 2,
    "use_remove_padding": 1, "trainer.nnodes": 1, "optim.lr": 1, "trainer.total_epochs": 1,
    "ppo_mini_batch_size": 2, "ppo_micro_batch_size_per_gpu": 2, "ppo_max_token_len_per_gpu": 2,
    "log_prob_micro_batch_size_per_gpu": 2, "use_dynamic_bsz": 1,
    "megatron": 1, "lr_warmup_steps_ratio": 2, "external_lib": 1, "reward_manager": 2,
    "use_reward_loop": 2, "rollout_is": 2, "rollout_is_threshold": 1, "rollout_rs": 1,
    "rollout_rs_threshold": 1, "rollout_is_batch_normalize": 1,
    # the data group's own keys (data/legacy_data.yaml: a fragment read under ``data``)
    "train_files": 2, "reward_fn_key": 2, "return_raw_chat": 1, "filter_overlong_prompts": 1,
}  # fmt: skip
# config names of verl's tree (verl/trainer/config) in defaults lists: its own file names
# score 4; group names other Hydra apps could share (``actor``, ``critic``) score 1
_VERL_CONFIGS = frozenset({
    "ppo_trainer", "ppo_megatron_trainer", "sft_trainer", "sft_trainer_engine", "dp_actor",
    "megatron_actor", "dp_ref", "megatron_ref", "hf_model", "dp_critic", "megatron_critic",
    "dp_reward_model", "dp_reward_loop", "megatron_reward_loop", "rollout_correction",
    "legacy_data", "actor_rollout_ref",
})  # fmt: skip
_VERL_GROUPS = frozenset({"actor", "ref", "rollout", "critic", "reward_model", "reward_manager"})
# sections that must be mappings to count (axolotl has a boolean ``reward_model``)
_SECTIONS = frozenset({"actor_rollout_ref", "critic", "reward_model", "custom_reward_function"})
_GRPO = frozenset({"grpo", "grpo_passk", "grpo_vectorized"})
# top-level keys of the actor config group (verl/trainer/config/actor/actor.yaml): a fragment
_ACTOR_KEYS = ("ppo_mini_batch_size", "ppo_micro_batch_size_per_gpu", "ppo_epochs", "clip_ratio")


def known_text(v: object) -> str | None:
    """A string value, or None for unresolved ``${...}`` interpolations and ``???``."""
    if not isinstance(v, str) or "${" in v or v.strip() in ("", "???"):
        return None
    return v.strip()


def _scalars(root: Mapping) -> list[tuple[str, Scalar]]:
    """(key, scalar) for the scalars near the top; list items get the list's key."""
    found: list[tuple[str, Scalar]] = []
    for key, value in tree_entries(root):
        if isinstance(value, Scalar):
            found.append((key.value, value))
        elif isinstance(value, Sequence):
            found.extend((key.value, x) for x in value.items if isinstance(x, Scalar))
    return found


def _defaults_names(r: Reader) -> set[str]:
    """Words of the Hydra ``defaults:`` list (``actor@actor_rollout_ref.actor: dp_actor``)."""
    entry = r.entry("defaults")
    if entry is None or not isinstance(entry.value, Sequence):
        return set()
    words: set[str] = set()
    for item in entry.value.items:
        parts = [item] if isinstance(item, Scalar) else []
        if isinstance(item, Mapping):
            for key, value in item.entries():
                parts += [key, value] if isinstance(value, Scalar) else [key]
        for part in parts:
            for word in part.value.replace("@", " ").replace("/", " ").split():
                words.update({word, *word.split(".")})
    return words


def _present(r: Reader, path: str) -> bool:
    entry = r.entry(path)
    return entry is not None and (path not in _SECTIONS or isinstance(entry.value, Mapping))


def detect(root: Mapping) -> float:
    r = Reader(root, PROFILE)
    score = float(sum(points for path, points in _PATH_SCORES.items() if _present(r, path)))
    names = _defaults_names(r)
    score += 4 if names & _VERL_CONFIGS else 1 if names & _VERL_GROUPS else 0
    scalars = _scalars(root)
    if any(k == "searchpath" and "verl/trainer/config" in s.value for k, s in scalars):
        score += 4
    if any(k == "_target_" and s.value.startswith("verl.") for k, s in scalars):
        score += 6
    if any("actor_rollout_ref." in s.value and "${" in s.value for _, s in scalars):
        score += 3
    return min(score, 20.0)


def _derived(source: Field[T], value: V, note: str) -> Field[V]:
    """A field computed from ``source``: it points where ``source`` does."""
    return Field(value, "derived", source.key, source.node, source.key_node, source.parent, note)


def _betas(r: Reader, c: Canonical, path: str) -> None:
    entry = r.entry(path)
    if entry is None or not isinstance(entry.value, Sequence) or len(entry.value.items) != 2:
        return
    fields: list[Field[float] | None] = []
    for item in entry.value.items:
        beta = as_float(r.scalar_value(item)) if isinstance(item, Scalar) else None
        ok = beta is not None
        fields.append(Field(beta, "file", path, item, entry.key, entry.parent) if ok else None)
    c.adam_beta1, c.adam_beta2 = fields[0], fields[1]


def _adapter(r: Reader, c: Canonical, model: str, lora: tuple[Key, ...], note: str) -> None:
    """LoRA iff ``lora_rank > 0`` or an adapter path is set; there is no 4-bit key."""
    rank_path = f"{model}.lora_rank"
    rank = r.field(rank_path, as_int)
    adapter_path = r.field(f"{model}.lora_adapter_path", known_text)
    if rank is not None and rank.value > 0:
        c.adapter = _derived(
            rank, "lora", "lora_rank > 0 enables LoRA (verl 0.9.1 ray_trainer.py:360)"
        )
    elif adapter_path is not None:
        c.adapter = _derived(adapter_path, "lora", "lora_adapter_path enables LoRA")
    elif rank is not None:
        c.adapter = _derived(rank, "full", "lora_rank 0 means full fine-tuning")
        return
    elif not r.has(rank_path):
        c.adapter = r.default(rank_path, "full", f"lora_rank defaults to 0; {note}")
        return
    else:
        return  # an interpolation we cannot follow: unknown, never "full"
    read_keys(r, c, lora)
    entry = r.entry(f"{model}.target_modules")
    if entry is not None:
        c.target_modules = targets_field(entry, r)
    else:
        c.target_modules = r.default(f"{model}.target_modules", Targets(all_linear=True), note)
    read_keys(r, c, (Key("exclude_modules", f"{model}.exclude_modules", known_text),))


def _positive(v: object) -> float | None:
    """A frequency; verl writes -1 for "off"."""
    f = as_float(v)
    return f if f is not None and f > 0 else None


def _trainer(r: Reader, c: Canonical) -> None:
    val_only = r.field("trainer.val_only", as_bool)
    if val_only is not None and val_only.value:  # 0.9.1 ray_trainer.py:1443: validate, return
        c.trains = _derived(val_only, False, "trainer.val_only: true validates only")
    gpus = r.field("trainer.n_gpus_per_node", as_int)
    nodes = r.field("trainer.nnodes", as_int)
    if gpus is not None or nodes is not None:  # defaults 8 GPUs x 1 node
        g, n = gpus.value if gpus else 8, nodes.value if nodes else 1
        at = cast(Field[int], gpus or nodes)
        c.devices = _derived(at, g * n, f"trainer.n_gpus_per_node ({g}) x trainer.nnodes ({n})")


def _rope_scaling(r: Reader, model: str) -> Field[str] | None:
    """``override_config`` updates the HF model config (verl 0.9.1
    ``verl/workers/config/model.py:115``, ``HFModelConfig.override_config``)."""
    paths = [f"{model}.override_config.rope_scaling.{k}" for k in ("rope_type", "type")]
    return r.first(paths, known_text)


def _lora_keys(model: str, note: str) -> tuple[Key, ...]:
    """The LoRA keys below the model section, read once LoRA is on."""
    return (
        Key("lora_rank", f"{model}.lora_rank", as_int),
        Key("lora_alpha", f"{model}.lora_alpha", as_float, 16.0, note),
    )


def _trainer_keys(*keys: Key) -> tuple[Key, ...]:
    """A trainer's keys, then the ``trainer`` section's and the batch, which all share."""
    return (
        *keys,
        Key("num_epochs", "trainer.total_epochs", as_float),
        Key("max_steps", "trainer.total_training_steps", as_int),
        Key("eval_steps", "trainer.test_freq", _positive),
        Key("train_batch_size", "data.train_batch_size", as_int),
    )


_OPTIM = f"{A}.optim"
# The PPO trainer's keys (ppo_trainer.yaml at 0.9.1); ``also``: older spellings
# (optim.warmup_style) and where verl <= 0.7.x's legacy FSDP worker, the default path
# there, reads the clip (0.7.0 workers/actor/dp_actor.py:310-316: actor.grad_clip; the
# engine, the only path from 0.8.0, optim.clip_grad)
_PPO_KEYS = (
    *_trainer_keys(
        Key("base_model", f"{M}.path", known_text),
        Key("learning_rate", f"{_OPTIM}.lr", as_float, 1e-6, _PPO_NOTE),
        Key("lr_scheduler", f"{_OPTIM}.lr_scheduler_type", known_text, "constant", _PPO_NOTE, also=(
            f"{_OPTIM}.warmup_style",
        )),
        Key("optimizer", f"{_OPTIM}.optimizer", known_text, "AdamW", _PPO_NOTE),
        Key("weight_decay", f"{_OPTIM}.weight_decay", as_float, 0.01, _PPO_NOTE),
        Key("max_grad_norm", f"{A}.grad_clip", as_float, 1.0, _PPO_NOTE, also=(
            f"{_OPTIM}.clip_grad", f"{_OPTIM}.grad_clip",
        )),
        Key("micro_batch_size", f"{A}.ppo_micro_batch_size_per_gpu", as_int),
        Key("group_size", f"{R}.n", as_int, 1, _PPO_NOTE),
        Key("temperature", f"{R}.temperature", as_float, 1.0, _PPO_NOTE),
        Key("precision", f"{A}.fsdp_config.dtype", known_text),
    ),
    Key("ppo_mini_batch_size", f"{A}.ppo_mini_batch_size", as_int),
    Key("kl_loss_coef", f"{A}.kl_loss_coef", as_float),
)  # fmt: skip
_PPO_LORA_KEYS = _lora_keys(M, _PPO_NOTE)
_HF_MODEL_NOTE = "verl 0.9.1 verl/trainer/config/model/hf_model.yaml default"


def _sft_keys(engine: bool) -> tuple[Key, ...]:
    """The SFT trainers' keys: ``sft_trainer.yaml``'s defaults (0.7.0) apply to files built
    on it; the engine layout (``model@model: hf_model``, ``optim@optim``) takes them from
    groups whose defaults were not traced, so it claims none."""

    def key(field: str, path: str, codec: Callable[[object], object], default: object) -> Key:
        return Key(field, path, codec) if engine else Key(field, path, codec, default, _SFT_NOTE)

    base = ("model.path", "model.partial_pretrain")  # the engine's spelling, the legacy one
    return _trainer_keys(
        Key("base_model", base[0], known_text, also=base[1:]) if engine else
        Key("base_model", base[1], known_text, also=base[:1]),
        key("learning_rate", "optim.lr", as_float, 1e-5),
        key("lr_scheduler", "optim.lr_scheduler_type" if engine else "optim.lr_scheduler",
            known_text, "cosine"),
        key("warmup_ratio", "optim.lr_warmup_steps_ratio", as_float, 0.1),
        Key("weight_decay", "optim.weight_decay", as_float),
        key("max_grad_norm", "optim.clip_grad", as_float, 1.0),
        Key("micro_batch_size", "data.micro_batch_size_per_gpu", as_int),
        key("max_seq_len", "data.max_length", as_int, 1024),
    )  # fmt: skip


_SFT_KEYS, _SFT_ENGINE_KEYS = _sft_keys(engine=False), _sft_keys(engine=True)
_SFT_LORA_KEYS = _lora_keys("model", _SFT_NOTE)
_SFT_ENGINE_LORA_KEYS = _lora_keys("model", _HF_MODEL_NOTE)
# convert writes PPO-family runs for the PPO trainer and the rest (SFT) for the engine
# trainer (the legacy sft_trainer.yaml is gone from 0.7.1)
LAYOUTS = (
    Layout("verl's PPO trainer", frozenset({"ppo", "grpo"}), (*_PPO_KEYS, *_PPO_LORA_KEYS)),
    Layout("verl's SFT trainer", frozenset(), (*_SFT_ENGINE_KEYS, *_SFT_ENGINE_LORA_KEYS)),
)


def _ppo(r: Reader) -> Canonical:
    c = Canonical()
    est = r.field_or_default("algorithm.adv_estimator", known_text, "gae", _PPO_NOTE)
    if est is not None:
        method = "ppo" if est.value == "gae" else "grpo" if est.value in _GRPO else "other"
        why = f"adv_estimator {est.value}"
        c.method = (
            _derived(est, method, why)
            if est.origin == "file"
            else r.default(est.key, method, f"{why}: {_PPO_NOTE}")
        )
    _adapter(r, c, M, _PPO_LORA_KEYS, _PPO_NOTE)
    steps = r.field(f"{_OPTIM}.lr_warmup_steps", as_float)
    if steps is not None and steps.value >= 0:  # -1 delegates to the ratio
        c.warmup_steps = steps
    else:
        c.warmup_ratio = r.field_or_default(
            f"{_OPTIM}.lr_warmup_steps_ratio", as_float, 0.0, _PPO_NOTE
        )
    _betas(r, c, f"{_OPTIM}.betas")
    _trainer(r, c)
    prompt = r.field("data.max_prompt_length", as_int)
    response = r.field("data.max_response_length", as_int)
    if prompt is not None or response is not None:  # defaults 512 + 512
        p, q = prompt.value if prompt else 512, response.value if response else 512
        at = cast(Field[int], prompt or response)
        note = f"data.max_prompt_length ({p}) + data.max_response_length ({q})"
        c.max_seq_len = _derived(at, p + q, note)
    c.rope_scaling = _rope_scaling(r, M)
    read_keys(r, c, _PPO_KEYS)
    return c


def _sft(r: Reader, engine: bool) -> Canonical:
    c = Canonical()
    c.method = Field("sft", "derived", "", parent=r.root, note="verl SFT trainer entry point")
    if engine:
        _adapter(r, c, "model", _SFT_ENGINE_LORA_KEYS, _HF_MODEL_NOTE)
    else:
        _adapter(r, c, "model", _SFT_LORA_KEYS, _SFT_NOTE)
    _betas(r, c, "optim.betas")
    c.rope_scaling = _rope_scaling(r, "model")
    _trainer(r, c)
    read_keys(r, c, _SFT_ENGINE_KEYS if engine else _SFT_KEYS)
    return c


def entry_point(root: Mapping) -> str | None:
    """``ppo``, ``sft``, ``sft-engine`` or None (a config-group fragment)."""
    r = Reader(root, PROFILE)
    if r.has("_target_"):  # a dataclass-backed section (actor/, optim/, ...), not an entry
        return None
    if any(r.has(k) for k in _ACTOR_KEYS):  # the actor group (config/actor/*.yaml)
        return None
    names = _defaults_names(r)
    ppo = (
        "actor_rollout_ref",
        "algorithm",
        "critic",
        "custom_reward_function",
        "data.max_prompt_length",
    )
    if any(r.has(p) for p in ppo) or names & {"ppo_trainer", "ppo_megatron_trainer"}:
        return "ppo"
    sft = ("model.partial_pretrain", "optim.lr", "data.micro_batch_size_per_gpu", "data.max_length")
    if names & {"sft_trainer_engine", "hf_model"}:
        return "sft-engine"
    if any(r.has(p) for p in sft) or "sft_trainer" in names:
        return "sft"
    return None


def to_canonical(root: Mapping) -> Canonical:
    kind = entry_point(root)
    r = Reader(root, PROFILE)
    if kind == "ppo":
        return _ppo(r)
    return _sft(r, engine=kind == "sft-engine") if kind else Canonical()


def _trainer_config(root: Mapping, config: Canonical) -> tuple[str, ...]:
    """The trainer config the file is written against (its ``defaults`` or entry point)."""
    names = _defaults_names(Reader(root, PROFILE))
    for name in ("ppo_megatron_trainer", "sft_trainer_engine"):
        if name in names:
            return (name,)
    kind = entry_point(root)
    if kind == "ppo":
        strategy = Reader(root, PROFILE).text("actor_rollout_ref.actor.strategy")
        return ("ppo_megatron_trainer",) if strategy == "megatron" else ("ppo_trainer",)
    engine = ("sft_trainer_engine",)  # the legacy SFT trainer is gone from newer releases
    return {"sft": ("sft_trainer", *engine), "sft-engine": engine}.get(kind or "", ())


def _an_entry_point(root: Mapping) -> bool:
    return root.get("actor_rollout_ref") is not None or root.get("trainer") is not None


# The trainer configs verl ships (``verl/trainer/config/*.yaml``, composed by Hydra)
KEYS = KeyReading(
    KeySource("verl", "verl", "key_sets", nested=True, hydra=True),
    parsers=_trainer_config,
    applies=_an_entry_point,
)
LOADER = Loader(
    "dataclasses",
    "verl 0.9.1 verl/utils/config.py:50 (_target_ sections instantiated as written),"
    " :60-62 (sections merged into a dataclass are converted)",
    "verl hands it on to its config classes or components, which fail on it",
    who="verl",
    converted=("actor_rollout_ref.model.",),  # vllm_async_server.py:1099 converts it
)
_PPO_DEFAULTS = "verl 0.9.1 verl/trainer/config/_generated_ppo_trainer.yaml default"
# RL batches count prompts: data.train_batch_size per trainer step, the actor's
# ppo_mini_batch_size per optimizer update
TRAITS = Traits(
    rollout=Rollout(
        ("train_batch_size", "data.train_batch_size", 1024),
        ("ppo_mini_batch_size", "actor_rollout_ref.actor.ppo_mini_batch_size", 256),
        _PPO_DEFAULTS,
        section="actor_rollout_ref.rollout",
        actor="actor_rollout_ref.actor",
    ),
    eval_schedule="eval_steps",  # test_freq, read only when above 0
    validation_files=("data.train_files", "data.val_files"),
    loader=LOADER,
)
DIALECT = Dialect(
    "verl",
    PROFILE,
    detect,
    to_canonical,
    title="verl",
    keys=KEYS,
    traits=TRAITS,
    writes="VERL",
    layouts=LAYOUTS,
    package=__name__,
)
