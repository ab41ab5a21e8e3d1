"""The model table: base model id -> family, size class, dimensions, module names.

Data: ``data/models.json`` (one row per model, edited by hand; each row's ``source``
names the upstream files its dimensions were read from, at a commit),
``data/modules.json`` (module-name families) and ``data/model_aliases.json``. Matching
handles org prefixes, ``-Instruct``/``-Chat``/``-hf`` suffixes, quantisation suffixes and
local paths; unknown names return None.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, cast

from cfgguard.knowledge import read_json
from cfgguard.records import dataclass

SIZE_CLASSES = ("1-3B", "7-8B", "13B", "34B", "70B")


@dataclass(frozen=True, slots=True)
class ModuleNames:
    attention: tuple[str, ...]
    mlp: tuple[str, ...]
    other: tuple[str, ...]

    @property
    def linear(self) -> tuple[str, ...]:
        """Attention and MLP projections (what "all layers" means), without duplicates."""
        return tuple(dict.fromkeys(self.attention + self.mlp))


@dataclass(frozen=True, slots=True)
class ModelFacts:
    id: str
    family: str
    model_type: str
    params_b: float
    active_params_b: float | None
    hidden_size: int
    layers: int
    intermediate_size: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab_size: int
    tied_embeddings: bool
    tied_verified: bool
    max_position_embeddings: int
    context_note: str
    head_module: str
    experts: int | None
    active_experts: int | None
    modules: ModuleNames
    module_family: str
    verified: bool
    source: str

    @property
    def is_moe(self) -> bool:
        return self.experts is not None

    @property
    def size_class(self) -> str:
        """The quick reference's size row; MoE models use their active parameters."""
        params = self.active_params_b if self.is_moe and self.active_params_b else self.params_b
        return size_class(params)

    def lora_params(self, rank: int, modules: tuple[str, ...], output: bool) -> int:
        """Trainable LoRA parameters: r * (d_in + d_out) summed over adapted Linears.

        Dense Llama-style shapes (``lora_A`` ``d_in x r`` + ``lora_B`` ``r x d_out``, peft
        0.21.2 ``src/peft/tuners/lora/layer.py:263-264``); fused and other families use
        their own shapes where known, else the Llama-style estimate.
        """
        h, i = self.hidden_size, self.intermediate_size
        q, kv = self.heads * self.head_dim, self.kv_heads * self.head_dim
        shapes = {
            "q_proj": h + q,
            "k_proj": h + kv,
            "v_proj": h + kv,
            "o_proj": q + h,
            "gate_proj": h + i,
            "up_proj": h + i,
            "down_proj": i + h,
            "qkv_proj": h + q + 2 * kv,
            "gate_up_proj": h + 2 * i,
            "query_key_value": h + q + 2 * kv,
            "dense": q + h,
            "dense_h_to_4h": h + i,
            "dense_4h_to_h": i + h,
            "c_attn": h + 3 * h,
            "fc1": h + i,
            "fc2": i + h,
            "c_fc": h + i,
            "w1": h + i // 2,
            "w2": h + i // 2,
        }
        per_layer = sum(shapes.get(m, 0) for m in dict.fromkeys(modules))
        if "c_proj" in modules:  # attention out and MLP down share the name
            per_layer += (q + h) + (i // 2 + h if self.module_family == "qwen1" else i + h)
        total = rank * per_layer * self.layers
        if output:
            total += rank * (h + self.vocab_size)
        return total


def size_class(params_b: float) -> str:
    """Map a parameter count to the reference's size rows (between rows: nearest)."""
    if params_b < 5:
        return "1-3B"
    if params_b < 10.5:
        return "7-8B"
    if params_b < 22:
        return "13B"
    if params_b < 50:
        return "34B"
    return "70B"


def _load(name: str) -> Any:
    return read_json(name)


_DROP_TOKENS = {
    "instruct",
    "chat",
    "hf",
    "it",
    "base",
    "pt",
    "bnb",
    "4bit",
    "8bit",
    "nf4",
    "awq",
    "gptq",
    "aqlm",
    "fp8",
    "nvfp4",
    "bf16",
    "fp16",
    "gguf",
    "unsloth",
    "original",
    "sft",
    "full",
    "qlora",
    "lora",
    "dpo",
    "checkpoints",
}
_DATE = re.compile(r"^\d{4}$")


def normalise(model_id: str) -> str:
    """``meta-llama/Meta-Llama-3.1-8B-Instruct`` -> ``llama-3.1-8b``."""
    name = model_id.strip().rstrip("/").replace("\\", "/")
    parts = [p for p in name.split("/") if p and p not in (".", "..", "~")]
    if not parts:
        return ""
    # a local checkpoint dir often ends in a generic folder: take the last informative one
    while len(parts) > 1 and parts[-1].lower() in {"original", "checkpoint", "model", "hf"}:
        parts.pop()
    name = parts[-1].lower()
    if name.startswith("meta-llama-"):
        name = name[len("meta-") :]
    tokens = [t for t in name.split("-") if t not in _DROP_TOKENS and not _DATE.match(t)]
    return "-".join(tokens)


@cache
def _rows() -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], _load("models.json"))


@cache
def _facts(position: int) -> ModelFacts:
    raw = _rows()[position]
    return ModelFacts(
        modules=module_families()[raw["modules"]],
        module_family=raw["modules"],
        **{k: v for k, v in raw.items() if k != "modules"},
    )


@cache
def _index() -> dict[str, int]:
    """Normalised name, id and alias -> row; a run builds the facts of the rows it meets."""
    index: dict[str, int] = {}
    for position, raw in enumerate(_rows()):
        model_id: str = raw["id"]
        index.setdefault(normalise(model_id), position)
        index.setdefault(model_id.lower(), position)
    aliases = cast(dict[str, str], _load("model_aliases.json"))
    for alias, target in aliases.items():
        if not alias.startswith("_"):
            index.setdefault(alias, index[target.lower()])
    return index


def all_models() -> list[ModelFacts]:
    return [_facts(i) for i in range(len(_rows()))]


def resolve(model_id: str | None) -> ModelFacts | None:
    """The facts for a base model id, path or name; None when unknown."""
    if not model_id:
        return None
    index = _index()
    found = index.get(model_id.strip().lower())
    if found is None:
        found = index.get(normalise(model_id))
    return None if found is None else _facts(found)


_REPRESENTATIVE_PARAMS = {"1-3B": 2.0, "7-8B": 8.0, "13B": 13.0, "34B": 34.0, "70B": 70.0}


@cache
def module_families() -> dict[str, ModuleNames]:
    families = cast(dict[str, Any], _load("modules.json"))
    return {
        name: ModuleNames(
            tuple(spec["attention"]), tuple(spec["mlp"]), tuple(spec.get("other", []))
        )
        for name, spec in families.items()
        if not name.startswith("_")
    }


def declare(
    model_id: str,
    family: str,
    size: str,
    hidden_size: int,
    *,
    layers: int = 0,
    tied_embeddings: bool = False,
    context: int = 0,
) -> ModelFacts:
    """Facts for a model the user declared (project config); unknown dimensions are 0."""
    return ModelFacts(
        id=model_id,
        family=f"{family} (declared)",
        model_type=family,
        params_b=_REPRESENTATIVE_PARAMS[size],
        active_params_b=None,
        hidden_size=hidden_size,
        layers=layers,
        intermediate_size=0,
        heads=0,
        kv_heads=0,
        head_dim=0,
        vocab_size=0,
        tied_embeddings=tied_embeddings,
        tied_verified=False,
        max_position_embeddings=context,
        context_note="declared in the project configuration",
        head_module="lm_head",
        experts=None,
        active_experts=None,
        modules=module_families()[family],
        module_family=family,
        verified=False,
        source="project configuration",
    )
