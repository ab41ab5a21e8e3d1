"""plain's detection signals: ``detect(root)`` scores how surely a document is the plain format.

``base_model`` counts only with one of the format's own keys (docs/reference/
hyperparameter-quick-reference.md, "Common Configurations"): ``_STRONG`` keys score 2, the
shared ``_WEAK`` ones 1, each key marking another dialect (``_FOREIGN``) takes 2 off. The
package docstring (``cfgguard.dialects.plain``) states the rule in full.
"""

from __future__ import annotations

from cfgguard.dialects.base import score_keys
from cfgguard.yaml.nodes import Mapping
from cfgguard.yaml.scalars import Profile

PROFILE: Profile = "yaml11"
_STRONG = frozenset({"lora_rank", "num_steps", "max_seq_len", "group_size", "batch_size"})
_WEAK = frozenset({"lora_alpha", "learning_rate", "target_modules", "beta", "temperature"})
_FOREIGN = frozenset({
    "micro_batch_size", "sequence_len", "lora_r", "adapter", "datasets", "num_epochs",
    "lora_target_modules", "gradient_accumulation_steps", "model_name_or_path", "stage",
    "finetuning_type", "cutoff_len", "per_device_train_batch_size", "output_dir",
})  # fmt: skip


def detect(root: Mapping) -> float:
    keys = set(root.keys())
    if "base_model" not in keys or not keys & _STRONG:
        return 0.0
    score = 1.0 + score_keys(root, _STRONG, _WEAK) - 2.0 * len(keys & _FOREIGN)
    return max(score, 0.0)
