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

from cfgguard.dialects.base import Dialect, KeyReading
from cfgguard.dialects.plain.detect import PROFILE, detect
from cfgguard.dialects.traits import Traits
from cfgguard.knowledge.keyspace import KeySource, LocalField

__all__ = ["DIALECT", "KEYS", "PROFILE", "TRAITS", "detect"]

_SOURCE = "quick reference, Common Configurations"


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
    package=__name__,
    title=f"plain ({_SOURCE})",
    keys=KEYS,
    traits=TRAITS,
)
