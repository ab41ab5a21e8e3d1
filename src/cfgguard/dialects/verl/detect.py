"""verl detection: scored section keys, Hydra ``defaults:`` names and verl interpolations.

``actor_rollout_ref`` and ``algorithm.adv_estimator`` (the sections of verl 0.9.1
``verl/trainer/config/_generated_ppo_trainer.yaml``) are decisive, as is a ``_target_``
into ``verl.*`` anywhere; a Hydra ``defaults:`` list or ``hydra.searchpath`` naming
verl's config tree is strong; so are the other sections and the SFT keys. verl's own
config-group fragments (``actor/*.yaml``, ``optim/*.yaml``, ``reward_model/*.yaml``,
``algorithm/rollout_correction.yaml``) are recognised by their section keys and by
interpolations into ``actor_rollout_ref``.
"""

from __future__ import annotations

from cfgguard.dialects.base import Reader, tree_entries
from cfgguard.yaml.nodes import Mapping, Scalar, Sequence
from cfgguard.yaml.scalars import Profile

PROFILE: Profile = "omegaconf"

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


def _scalars(root: Mapping) -> list[tuple[str, Scalar]]:
    """(key, scalar) for the scalars near the top; list items get the list's key."""
    found: list[tuple[str, Scalar]] = []
    for key, value in tree_entries(root):
        if isinstance(value, Scalar):
            found.append((key.value, value))
        elif isinstance(value, Sequence):
            found.extend((key.value, x) for x in value.items if isinstance(x, Scalar))
    return found


def defaults_names(r: Reader) -> set[str]:
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
    names = defaults_names(r)
    score += 4 if names & _VERL_CONFIGS else 1 if names & _VERL_GROUPS else 0
    scalars = _scalars(root)
    if any(k == "searchpath" and "verl/trainer/config" in s.value for k, s in scalars):
        score += 4
    if any(k == "_target_" and s.value.startswith("verl.") for k, s in scalars):
        score += 6
    if any("actor_rollout_ref." in s.value and "${" in s.value for _, s in scalars):
        score += 3
    return min(score, 20.0)


# top-level keys of the actor config group (verl/trainer/config/actor/actor.yaml): a fragment
ACTOR_KEYS = ("ppo_mini_batch_size", "ppo_micro_batch_size_per_gpu", "ppo_epochs", "clip_ratio")


def entry_point(root: Mapping) -> str | None:
    """``ppo``, ``sft``, ``sft-engine`` or None (a config-group fragment)."""
    r = Reader(root, PROFILE)
    if r.has("_target_"):  # a dataclass-backed section (actor/, optim/, ...), not an entry
        return None
    if any(r.has(k) for k in ACTOR_KEYS):  # the actor group (config/actor/*.yaml)
        return None
    names = defaults_names(r)
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
