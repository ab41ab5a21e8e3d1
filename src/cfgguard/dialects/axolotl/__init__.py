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

from cfgguard.canonical import Canonical
from cfgguard.dialects.axolotl.detect import detect
from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.dialects.traits import Generation, Loader, Traits
from cfgguard.knowledge.keyspace import KeySource
from cfgguard.yaml.nodes import Mapping

__all__ = ["DIALECT", "KEYS", "LOADER", "TRAITS", "detect"]


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
    package=__name__,
    title="axolotl",
    keys=KEYS,
    traits=TRAITS,
)
