"""LLaMA-Factory detection: its own spellings, fields of llamafactory 0.9.5
``src/llamafactory/hparams/*_args.py`` (``stage``, ``finetuning_type``, ``cutoff_len``,
``lora_target``...), counted with ``model_name_or_path``; or, without it, only the
unmistakable ones; the experimental v1 files by a scalar ``model:`` plus v1 keys
(``dist_config``, ``peft_config``, ``train_dataset``...).
"""

from __future__ import annotations

from cfgguard.yaml.nodes import Mapping, Scalar


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


_UNMISTAKABLE = _keys(
    "stage finetuning_type lora_target cutoff_len pref_beta pref_loss plot_loss quantization_bit"
)
_STRONG = _UNMISTAKABLE | {"lora_rank", "max_samples", "val_size"}
_STRONG_IF_TEXT = frozenset({"template", "dataset"})  # torchtune/verl nest mappings there
_V1 = _keys(
    "dist_config peft_config quant_config kernel_config train_dataset "
    "micro_batch_size model_class batching_strategy sample_backend cutoff_len"
)
_MAX_SCORE = 20.0


def is_text(root: Mapping, key: str) -> bool:
    found = root.get(key)
    return found is not None and isinstance(found[1], Scalar) and found[1].value != ""


def detect(root: Mapping) -> float:
    keys = set(root.keys())
    strong = len(keys & _STRONG) + sum(is_text(root, k) for k in _STRONG_IF_TEXT)
    if is_text(root, "model_name_or_path") and strong:
        v0 = 2.0 + 2.0 * strong
    else:
        v0 = float(len(keys & _UNMISTAKABLE))
    v1_keys = len(keys & _V1)
    v1 = 2.0 + 2.0 * v1_keys if is_text(root, "model") and v1_keys else 0.0
    return min(max(v0, v1), _MAX_SCORE)
