"""TRL: the YAML read by ``trl <cmd> --config x.yaml`` and alignment-handbook recipes.

A TRL file is a flat mapping of dataclass field names (``ScriptArguments``, a trainer
config such as ``SFTConfig``/``DPOConfig``/``GRPOConfig``, ``ModelConfig``).

Detection: TRL's own spellings score 2 each (``use_peft``, ``lora_r``,
``lora_target_modules``, ``dataset_name``, ``dataset_mixture``, the old handbook
``dataset_mixer``, ``num_generations``, ``max_seq_length``...); names other configs use
too (``model_name_or_path``, shared with LLaMA-Factory; ``beta``, ``loss_type``,
``max_length``) and HF ``TrainingArguments`` keys score 1 each, the latter capped at 4,
so a file with only a couple of TrainingArguments keys is TRL, weakly. Keys no TRL
dataclass has and other frameworks require (``_component_`` sections, ``defaults:``,
``actor_rollout_ref``, ``stage``/``finetuning_type``, ``base_model``/``adapter``) rule
a file out; other dialects' distinctive keys cost 3 points each.

Loader profile ``yaml11``: ``TrlParser.parse_args_and_config`` reads the file with
PyYAML ``yaml.safe_load`` (trl 1.16.0 ``trl/scripts/utils.py:327``); argparse then
converts string defaults through the field's type, so ``learning_rate: 5e-4`` still
arrives as a float (old ``H4ArgumentParser`` handbook code did not convert: a separate
rule's job).

The method is not a YAML key (TRL picks it by script or subcommand: ``trl sft``,
``trl dpo``, ``trl grpo``...); it is inferred from keys that exist in one trainer
config only (cfgguard's heuristic). Defaults: trl 1.16.0 ``trl/trainer/*_config.py`` and
``trl/trainer/model_config.py``, transformers 5.24.0
``src/transformers/training_args.py`` for the inherited ``TrainingArguments``.
"""

from __future__ import annotations

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.dialects.traits import Generation, Loader, Traits
from cfgguard.dialects.trl.detect import detect
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping

__all__ = ["DIALECT", "KEYS", "LOADER", "TRAITS", "detect"]


def _parsers(root: Mapping, config: Canonical) -> tuple[str, ...]:
    """The script a method-specific key points to (``beta`` -> ``dpo``); else any."""
    method = config.method
    if method is None or method.origin != "derived" or method.key_node is None:
        return ()
    return _SCRIPTS.get(method.value, (method.value,))


# canonical method -> TRL's script for it, over its releases (trl/scripts/*.py)
_SCRIPTS = {"rm": ("reward", "reward_modeling"), "simpo": ("cpo",)}


# TrlParser reads ScriptArguments, a trainer config (a transformers TrainingArguments
# subclass) and ModelConfig: which trainer config is the script's (``trl/scripts/*.py``)
KEYS = KeyReading(
    KeySource(
        "trl",
        "TrlParser",
        dependencies=("transformers",),
        repo_parsers=True,
        other_parsers=("vllm_serve", "chat", "env"),
    ),
    parsers=_parsers,
)
LOADER = Loader(
    "argparse_defaults",
    "trl 1.16.0 trl/scripts/utils.py:327 (yaml.safe_load), :378 (values become argparse"
    " defaults; CPython Lib/argparse.py:2134 converts only string defaults)",
    "TRL hands it on as it is and the model loader or trainer fails on it",
)
# transformers TrainingArguments semantics; GRPOConfig's keys at the top level
TRAITS = Traits(
    generation=Generation(),
    clipping="max_grad_norm_null_off",
    warmup="training_arguments",
    eval_schedule="eval_strategy",
    logging_steps_default=10,  # TRL's configs set logging_steps 10
    loader=LOADER,
)
DIALECT = Dialect(
    "trl",
    "yaml11",
    detect,
    package=__name__,
    title="TRL / alignment-handbook",
    keys=KEYS,
    traits=TRAITS,
)
