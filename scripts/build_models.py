"""Build src/cfgguard/knowledge/data/models.json from ../shared/reference/models.tsv.

Run by hand when the model table changes: ``python scripts/build_models.py``.
A test (tests/test_knowledge_models.py) fails when the committed JSON drifts from the TSV.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TSV = ROOT.parent / "shared" / "reference" / "models.tsv"
OUT = ROOT / "src" / "cfgguard" / "knowledge" / "data" / "models.json"

# model_type -> module-name family (modules.json). Module names follow MODELS.md,
# not the quick reference (whose "Qwen" names are first-generation Qwen only).
MODULE_FAMILY = {
    "llama": "llama",
    "mistral": "llama",
    "qwen2": "llama",
    "qwen3": "llama",
    "gemma": "llama",
    "gemma2": "llama",
    "gemma3_text": "llama",
    "gemma3": "llama",
    "olmo2": "llama",
    "stablelm": "llama",
    "smollm3": "llama",
    "qwen": "qwen1",
    "phi3": "phi3",
    "glm4": "glm4",
    "phi": "phi2",
    "falcon": "neox",
    "gpt_neox": "neox",
    "chatglm": "neox",
    "gpt2": "gpt2",
    "deepseek_v2": "deepseek",
    "deepseek_v3": "deepseek",
    "mixtral": "mixtral",
    "qwen2_moe": "qwen_moe",
    "qwen3_moe": "qwen_moe",
    "gpt_oss": "gpt_oss",
    "llama4": "llama4",
    "jamba": "jamba",
}


def _num(text: str) -> float | None:
    text = text.strip().lstrip("~")
    return float(text) if text else None


def _head(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.strip() else "lm_head"


def row_to_model(row: dict[str, str]) -> dict[str, object]:
    model_type = row["model_type"].split()[0]
    tied_text = row["tie_word_embeddings"].strip()
    experts = _num(row["moe_experts_total"])
    active = row["moe_experts_active"].split()[0] if row["moe_experts_active"].strip() else ""
    return {
        "id": row["hf_id_pattern"],
        "family": row["family"],
        "model_type": model_type,
        "params_b": _num(row["params_total_b"]),
        "active_params_b": _num(row["params_active_b"]),
        "hidden_size": int(row["hidden_size"]),
        "layers": int(row["num_hidden_layers"]),
        "intermediate_size": int(row["intermediate_size"]),
        "heads": int(row["num_attention_heads"]),
        "kv_heads": int(row["num_key_value_heads"]),
        "head_dim": int(row["head_dim"]),
        "vocab_size": int(row["vocab_size"]),
        "tied_embeddings": tied_text.startswith("true"),
        "tied_verified": "unverified" not in tied_text,
        "max_position_embeddings": int(row["max_position_embeddings"]),
        "context_note": row["extended_context_note"],
        "head_module": _head(row["head_module"]),
        "experts": int(experts) if experts else None,
        "active_experts": int(active) if active else None,
        "modules": MODULE_FAMILY[model_type],
        "verified": row["verified"] == "yes",
        "source": row["source"],
    }


def build(tsv: Path) -> list[dict[str, object]]:
    with tsv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row_to_model(row) for row in rows]


def render(models: list[dict[str, object]]) -> str:
    return json.dumps(models, indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    if not TSV.exists():
        print(f"{TSV}: not found", file=sys.stderr)
        return 2
    OUT.write_text(render(build(TSV)), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
