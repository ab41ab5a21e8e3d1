"""Build src/cfgguard/knowledge/data/keys/<dialect>.json (and .types.json) from the TSVs.

Run by hand when a dialect's key list changes: ``python scripts/build_keys.py``.
tests/test_schema_drift.py fails when the committed JSON drifts from the TSVs.

One entry per TSV row (a key defined by several classes, e.g. TRL's ``beta``, has
several entries): ``key``, ``type`` (source text), ``json_types`` (JSON Schema types;
empty when unknown), ``default``, ``allowed`` (closed value list, when the TSV gives
one), ``description`` (short), ``source``, ``context`` (class, group or scope),
``note``, ``removed`` (TRL: no longer defined) and ``user_key`` (false for fields
that exist but are not accepted from YAML). LLaMA-Factory keeps only the train
parser's groups; ``plain`` has no TSV: its keys are the quick reference's
Common Configurations.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT.parent / "shared" / "reference" / "dialects"
OUT = ROOT / "src" / "cfgguard" / "knowledge" / "data" / "keys"
DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl")
LLAMAFACTORY_TRAIN_GROUPS = frozenset(
    {
        "ModelArguments",
        "DataArguments",
        "TrainingArguments",
        "FinetuningArguments",
        "GeneratingArguments",
        # other entry points read the same YAML: Megatron-Bridge (USE_MEGATRON_BRIDGE=1)
        # and the KTransformers runtime; their keys are valid there
        "MegatronBridgeArguments(USE_MEGATRON_BRIDGE=1 only)",
        "_KTransformersRuntimeArguments(infer/eval only)",
    }
)
MAX_DESCRIPTION = 240

# The quick reference's own key names, read by dialect "plain": Common Configurations,
# then the keys of its Optimizer Settings blocks. (key, type, description, section)
_COMMON = "Common Configurations"
_OPTIMIZER = "Optimizer Settings"
PLAIN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("base_model", "str", "Hugging Face model id or local path", _COMMON),
    ("lora_rank", "int", "LoRA rank r (setting it means a LoRA run)", _COMMON),
    ("lora_alpha", "int", "LoRA alpha (the update is scaled by alpha / rank)", _COMMON),
    ("learning_rate", "float", "Peak learning rate", _COMMON),
    ("batch_size", "int", "Batch size of one optimizer step", _COMMON),
    ("num_steps", "int", "Training steps", _COMMON),
    ("max_seq_len", "int", "Maximum sequence length in tokens", _COMMON),
    ("target_modules", "list[str]", "Modules to adapt: mlp, attn, lm_head or leaf names", _COMMON),
    ("beta", "float", "DPO beta, the KL coefficient (setting it means DPO)", _COMMON),
    ("group_size", "int", "GRPO samples per prompt (setting it means GRPO)", _COMMON),
    ("temperature", "float", "GRPO sampling temperature (setting it means GRPO)", _COMMON),
    ("optimizer", "str", "Optimizer name (adamw)", _OPTIMIZER),
    ("betas", "list[float]", "Adam betas [beta1, beta2]", _OPTIMIZER),
    ("eps", "float", "Adam epsilon", _OPTIMIZER),
    ("weight_decay", "float", "Weight decay (usually 0 for LoRA)", _OPTIMIZER),
    ("max_grad_norm", "float", "Gradient clipping norm", _OPTIMIZER),
    ("warmup_ratio", "float", "Warmup as a fraction of steps", _OPTIMIZER),
    ("lr_scheduler", "str", "Learning-rate schedule (cosine or constant)", _OPTIMIZER),
)

_SIMPLE = {
    "bool": "boolean",
    "int": "integer",
    "float": "number",
    "str": "string",
    "none": "null",
    "null": "null",
    "list": "array",
    "tuple": "array",
    "dict": "object",
    "path": "string",
    "torch.dtype": "string",
}
_ENUM_LIKE = re.compile(
    r"^[A-Z][A-Za-z]*(Type|Names|Strategy|Option|Function|Method|Backend"
    r"|Name|Class|Mode|Func)$"
)
_CONFIG_CLASS = re.compile(r"^[A-Z][A-Za-z0-9]*(Config|Cfg|Arguments|Spec|Group)$")
_TOKEN = re.compile(r"^[A-Za-z0-9_.\-]+$")


def _split_top(text: str) -> list[str]:
    """Split a type on ``|`` outside brackets."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _literal_types(inner: str) -> set[str]:
    out: set[str] = set()
    for raw in inner.split(","):
        item = raw.strip()
        if item.startswith(("'", '"')):
            out.add("string")
        elif item in ("True", "False"):
            out.add("boolean")
        elif item:
            out.add("number")
    return out


def _one(part: str) -> set[str] | None:
    """JSON types for one alternative of a type, or None when not known."""
    part = re.sub(r"\(\d+\)$", "", part).strip()  # torchtune counts: int(177)
    part = re.sub(r"\s*\((dotted path|interpolation|component)\)", "", part).strip()
    if part.startswith("Optional[") and part.endswith("]"):
        inner = json_types(part[len("Optional[") : -1])
        return None if not inner else {*inner, "null"}
    if part.startswith("Annotated["):
        return {"array"} if "list[" in part else None
    if part.startswith("Literal["):
        return _literal_types(part[len("Literal[") : -1])
    head = re.split(r"[\[\s]", part, maxsplit=1)[0].lower()
    if part.startswith("dict"):
        return {"object"}
    if head in _SIMPLE:
        return {_SIMPLE[head]}
    if _ENUM_LIKE.match(part) or part in ("RopeScaling", "TorchAOQuantDType"):
        return {"string"}
    if _CONFIG_CLASS.match(part):
        return {"object"}
    return None


def json_types(text: str) -> list[str]:
    """JSON Schema types for a type's source text; [] when any part is unknown."""
    text = text.strip()
    if "(interpolation)" in text:
        return []  # an ${...} reference: the type is the target's
    if text.startswith("(") and ")" in text:
        text = text.replace("(", "", 1).replace(")", "", 1)
    if not text or text in ("?", "Any", "type", "null"):
        return []
    out: set[str] = set()
    for part in _split_top(text):
        got = _one(part)
        if got is None:
            return []
        out |= got
    if "number" in out:
        out.discard("integer")  # every integer is a number
    if out == {"null"}:
        return []  # only ever seen unset: the real type is unknown
    return sorted(out)


def allowed_values(text: str, types: list[str]) -> list[str]:
    """A closed value list from ``a|b|c`` (trailing remarks dropped), else []."""
    text = text.strip()
    if not text or text.startswith(("seen:", "components seen", "same set")):
        return []
    text = re.split(r"\s\(|;", text, maxsplit=1)[0].strip()
    values = [v.strip() for v in text.split("|")]
    if not all(_TOKEN.match(v) for v in values):
        return []
    if set(values) <= {"true", "false", "null"} and "boolean" in types:
        return []  # the type says it already
    return values


def short(text: str) -> str:
    """The first sentence, at most MAX_DESCRIPTION characters."""
    text = " ".join(text.split())
    match = re.match(r"^(.+?[.!?])(\s|$)", text)
    first = match.group(1) if match else text
    if len(first) > MAX_DESCRIPTION:
        first = first[: MAX_DESCRIPTION - 3].rstrip() + "..."
    return first


def _row(dialect: str, r: dict[str, str]) -> dict[str, object] | None:
    types = json_types(r["type"])
    allowed = allowed_values(r.get("allowed_values", ""), types)
    description, context, note, source = r.get("description", ""), "", "", r["source_path"]
    removed, user_key = False, True
    if dialect == "axolotl":
        user_key = "[INTERNAL" not in description
    elif dialect == "llamafactory":
        if r["group"] not in LLAMAFACTORY_TRAIN_GROUPS:
            return None
        context, note = r["group"], r["origin_notes"]
        user_key = "NOT accepted from YAML" not in note and not r["key"].startswith("_")
    elif dialect == "trl":
        context, note = r["classes"], r["notes"]
        versions = r["transformers_versions"]
        if versions:
            note = f"transformers {versions}" + (f"; {note}" if note else "")
        # "removed" = not defined by the newest versions checked (see note for which)
        removed = context.startswith("REMOVED") or r["notes"].startswith(("removed", "renamed"))
    elif dialect == "verl":
        context, note = r["config"], r["backing"]
        if types and "field" not in note:
            # not dataclass-backed: the type was read off an example value, which may be null
            types = sorted({*types, "null"})
    elif dialect == "torchtune":
        context = r["scope"]
        note = r["allowed_values"]
        allowed = []  # values seen in shipped configs, not a closed list
    return {
        "key": r["key"],
        "type": r["type"],
        "json_types": types,
        "default": r["default"],
        "allowed": allowed,
        "description": short(description),
        "source": source,
        "context": context,
        "note": note,
        "removed": removed,
        "user_key": user_key,
    }


def build_dialect(dialect: str, src: Path = SRC) -> dict[str, object]:
    lines = (src / f"{dialect}.keys.tsv").read_text(encoding="utf-8").splitlines()
    provenance = [line.lstrip("# ").strip() for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    rows = list(csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))
    keys = [k for k in (_row(dialect, r) for r in rows) if k is not None]
    return {
        "_about": f"Built by scripts/build_keys.py from shared/reference/dialects/{dialect}"
        ".keys.tsv; do not edit by hand.",
        "dialect": dialect,
        "provenance": provenance,
        "keys": keys,
    }


def build_plain() -> dict[str, object]:
    keys = [
        {
            "key": k,
            "type": t,
            "json_types": json_types(t),
            "default": "",
            "allowed": [],
            "description": d,
            "source": f"hyperparameter-quick-reference.md / {section}",
            "context": "",
            "note": "",
            "removed": False,
            "user_key": True,
        }
        for k, t, d, section in PLAIN_KEYS
    ]
    return {
        "_about": "Built by scripts/build_keys.py from its PLAIN_KEYS (the quick reference's "
        "Common Configurations and Optimizer Settings keys); do not edit by hand.",
        "dialect": "plain",
        "provenance": ["hyperparameter-quick-reference.md"],
        "keys": keys,
    }


def build_all(src: Path = SRC) -> dict[str, dict[str, object]]:
    out = {d: build_dialect(d, src) for d in DIALECTS}
    out["plain"] = build_plain()
    return out


def render(data: dict[str, object]) -> str:
    """Indented header, one key entry per line (small, diff-friendly)."""
    head = {k: v for k, v in data.items() if k != "keys"}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    rows = cast("list[dict[str, object]]", data["keys"])
    lines = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in rows)
    return f'{text},\n "keys": [\n  {lines}\n ]\n}}\n'


def render_types(data: dict[str, object]) -> str:
    """``<dialect>.types.json``: key -> [JSON types, allowed values], merged over its rows.

    What a check reads (K001, Y003): a tenth of the size of the full list, so a one-file
    run does not parse descriptions and sources it never shows.
    """
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for row in cast("list[dict[str, object]]", data["keys"]):
        types, allowed = merged.setdefault(cast(str, row["key"]), ([], []))
        types.extend(t for t in cast("list[str]", row["json_types"]) if t not in types)
        allowed.extend(a for a in cast("list[str]", row["allowed"]) if a not in allowed)
    lines = ",\n  ".join(
        f"{json.dumps(key, ensure_ascii=False)}: {json.dumps([sorted(t), a], ensure_ascii=False)}"
        for key, (t, a) in merged.items()
    )
    note = "generated by scripts/build_keys.py from the rows of the dialect's full key list"
    return f'{{\n "_": "{note}",\n "keys": {{\n  {lines}\n }}\n}}\n'


def main() -> int:
    if not SRC.is_dir():
        print(f"{SRC}: not found", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    for dialect, data in build_all().items():
        for path, text in (
            (OUT / f"{dialect}.json", render(data)),
            (OUT / f"{dialect}.types.json", render_types(data)),
        ):
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
