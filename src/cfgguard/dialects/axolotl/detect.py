"""axolotl's detection signals: ``detect(root)`` scores how surely a document is axolotl's.

``base_model`` (required by axolotl: axolotl 0.21.0 ``src/axolotl/utils/schemas/model.py:17``)
with at least two of the gate keys (``_GATE``, or ``datasets`` as a list of ``{path, type}``
mappings); further axolotl-only keys (``_EXTRA``, a scalar ``optimizer``, a ``trl:``
section...) add a point each once the gate holds; ``plugins: [axolotl.integrations.*]`` is
conclusive. The package docstring (``cfgguard.dialects.axolotl``) states the rule in full.
"""

from __future__ import annotations

from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence


def _keys(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Detection gate: two of these axolotl-only keys plus base_model make a file axolotl's.
_GATE = _keys(
    "micro_batch_size sequence_len num_epochs adapter lora_r lora_target_linear val_set_size"
)
# Further axolotl-only spellings (axolotl's schema fields); weak, counted once the gate holds.
_EXTRA = _keys(
    "dataset_prepared_path sample_packing eval_sample_packing pad_to_sequence_len "
    "evals_per_epoch saves_per_epoch special_tokens wandb_project lora_model_dir rl "
    "rl_beta pretraining_dataset reward_model"
)
_MAX_SCORE = 20.0


def _is_dataset_list(node: Node) -> bool:
    """``datasets:`` as axolotl writes it: a list of mappings with ``path`` or ``type``."""
    if not isinstance(node, Sequence) or not node.items:
        return False
    return all(
        isinstance(item, Mapping) and (item.get("path") or item.get("type")) for item in node.items
    )


def _plugins_are_axolotl(node: Node) -> bool:
    items = node.items if isinstance(node, Sequence) else [node]
    return any(isinstance(i, Scalar) and i.value.startswith("axolotl.integrations.") for i in items)


def detect(root: Mapping) -> float:
    gate = extra = 0
    conclusive = False
    for key, value in root.entries():
        name = key.value
        if name in _GATE or (name == "datasets" and _is_dataset_list(value)):
            gate += 1
        elif name in _EXTRA or (name == "trl" and isinstance(value, Mapping)):
            extra += 1
        elif name in ("optimizer", "lr_scheduler") and isinstance(value, Scalar):
            extra += 1  # torchtune writes these as `_component_` mappings
        elif name == "plugins" and _plugins_are_axolotl(value):
            conclusive = True
    score = 0.5 * gate  # without base_model: a fragment at best
    if root.get("base_model") is not None and gate >= 2:
        score = 2.0 + 2.0 * gate + extra
    if conclusive:
        score += 10.0
    return min(score, _MAX_SCORE)
