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

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import Dialect, KeyReading, Reader
from cfgguard.dialects.traits import Loader, Rollout, Traits
from cfgguard.dialects.verl.detect import PROFILE, defaults_names, detect, entry_point
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping

__all__ = ["DIALECT", "KEYS", "LOADER", "PROFILE", "TRAITS", "detect", "entry_point"]


def _trainer_config(root: Mapping, config: Canonical) -> tuple[str, ...]:
    """The trainer config the file is written against (its ``defaults`` or entry point)."""
    names = defaults_names(Reader(root, PROFILE))
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
        devices=8,  # trainer.n_gpus_per_node 8 x trainer.nnodes 1 (ppo_trainer.yaml)
    ),
    eval_schedule="eval_steps",  # test_freq, read only when above 0
    validation_files=("data.train_files", "data.val_files"),
    loader=LOADER,
)
DIALECT = Dialect(
    "verl",
    PROFILE,
    detect,
    package=__name__,
    title="verl",
    keys=KEYS,
    traits=TRAITS,
)
