"""torchtune's model builders for a model-table id: builder, tokenizer, checkpoint type.

Builder names come from the key list's ``model._component_`` rows (the builders torchtune
ships, by kind: full, ``lora_``, ``qlora_``) and ``torchtune_builders.json`` (builder ->
Hugging Face id). Tokenizers and ``checkpointer.model_type`` follow the shipped configs.
"""

from __future__ import annotations

from functools import cache

from cfgguard.dialects.torchtune import builder_ids
from cfgguard.knowledge.keys import key_rows
from cfgguard.knowledge.models import resolve
from cfgguard.records import dataclass

# builder module -> (tokenizer component, files it reads, checkpointer.model_type)
_MODULES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "llama2": ("torchtune.models.llama2.llama2_tokenizer", ("tokenizer.model",), "LLAMA2"),
    "llama3": ("torchtune.models.llama3.llama3_tokenizer", ("original/tokenizer.model",), "LLAMA3"),
    "llama3_1": (
        "torchtune.models.llama3.llama3_tokenizer",
        ("original/tokenizer.model",),
        "LLAMA3",
    ),
    "llama3_2": (
        "torchtune.models.llama3.llama3_tokenizer",
        ("original/tokenizer.model",),
        "LLAMA3_2",
    ),
    "qwen2": ("torchtune.models.qwen2.qwen2_tokenizer", ("vocab.json", "merges.txt"), "QWEN2"),
    "qwen2_5": (
        "torchtune.models.qwen2_5.qwen2_5_tokenizer",
        ("vocab.json", "merges.txt"),
        "QWEN2",
    ),
    "qwen3": ("torchtune.models.qwen3.qwen3_tokenizer", ("vocab.json", "merges.txt"), "QWEN3"),
    "gemma": ("torchtune.models.gemma.gemma_tokenizer", ("tokenizer.model",), "GEMMA"),
    "gemma2": ("torchtune.models.gemma.gemma_tokenizer", ("tokenizer.model",), "GEMMA2"),
    "mistral": ("torchtune.models.mistral.mistral_tokenizer", ("tokenizer.model",), "MISTRAL"),
    "phi3": ("torchtune.models.phi3.phi3_mini_tokenizer", ("tokenizer.model",), "PHI3_MINI"),
    "phi4": ("torchtune.models.phi4.phi4_tokenizer", ("vocab.json", "merges.txt"), "PHI4"),
}


@dataclass(frozen=True, slots=True)
class Builder:
    component: str  # torchtune.models.llama3_1.lora_llama3_1_8b
    module: str  # llama3_1
    tokenizer: str
    tokenizer_files: tuple[str, ...]  # path (and merges_file) under the checkpoint dir
    model_type: str

    @property
    def name(self) -> str:
        return self.component.rsplit(".", 1)[-1]


@cache
def shipped() -> dict[str, frozenset[str]]:
    """kind ("full", "lora", "qlora") -> builder component paths torchtune ships."""
    out: dict[str, set[str]] = {"full": set(), "lora": set(), "qlora": set()}
    for row in key_rows("torchtune"):
        if row.key != "model._component_" or "builders:" not in row.note:
            continue
        kind_text, _, paths = row.note.partition("builders:")
        kind = kind_text.strip().split()[0] if kind_text.strip() else "full"
        kind = "full" if kind == "full_or_other" else kind
        if kind in out:
            out[kind].update(p.strip() for p in paths.split("|") if p.strip())
    return {k: frozenset(v) for k, v in out.items()}


def _candidates(model_id: str) -> list[str]:
    """Builder names (no prefix) whose weights are this model, the best match first."""
    facts = resolve(model_id)
    if facts is None:
        return []
    wanted = model_id.strip().lower()
    instruct = "instruct" in wanted or "-it" in wanted or "chat" in wanted
    scored: list[tuple[int, str]] = []
    for name, hf_id in builder_ids().items():
        other = resolve(hf_id)
        if other is None or other.id != facts.id:
            continue
        score = 0 if hf_id.lower() == wanted else 2
        if ("instruct" in name) == instruct:
            score -= 1
        scored.append((score, name))
    return [name for _, name in sorted(scored)]


def find(model_id: str, adapter: str) -> Builder | None:
    """The builder torchtune ships for this model and adapter kind, or None."""
    kind = "full" if adapter == "full" else adapter
    if kind not in shipped():
        return None
    prefix = "" if kind == "full" else f"{kind}_"
    for name in _candidates(model_id):
        for path in sorted(shipped()[kind]):
            if path.rsplit(".", 1)[-1] == prefix + name:
                module = path.split(".")[-2]
                info = _MODULES.get(module)
                if info is not None:
                    return Builder(path, module, info[0], info[1], info[2])
    return None
