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

from cfgguard.canonical import Canonical
from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.dialects.torchtune.detect import PROFILE, detect
from cfgguard.dialects.traits import Loader, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping

__all__ = ["DIALECT", "KEYS", "LOADER", "PROFILE", "TRAITS", "detect"]


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
    package=__name__,
    title="torchtune",
    keys=KEYS,
    traits=TRAITS,
)
