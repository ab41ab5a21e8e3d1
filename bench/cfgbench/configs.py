"""The benchmark's configs: templates from the repository (and the shared corpus), varied
copies of them, or the corpus's files as they are."""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import CORPUS_DIALECTS, DIALECTS, FLAT_DIALECTS, KEYS_DIR, REPO
from .values import MODEL_KEYS, MODEL_ORGS, MODELS, UNIQUE_KEYS, new_number


@dataclass(frozen=True)
class Template:
    dialect: str
    name: str
    text: str
    suffix: str


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def load_templates(shared: Path | None) -> list[Template]:
    found: list[Template] = []
    for path in sorted((REPO / "examples").glob("*.y*ml")):
        dialect = path.name.split("-", 1)[0]
        text = _read_text(path)
        if dialect in DIALECTS and text is not None:
            found.append(Template(dialect, f"examples/{path.name}", text, path.suffix))
    fixtures = REPO / "tests" / "fixtures" / "dialects"
    for dialect in DIALECTS:
        for path in sorted((fixtures / dialect).glob("*.y*ml")):
            text = _read_text(path)
            if text is not None:
                found.append(
                    Template(dialect, f"fixtures/{dialect}/{path.name}", text, path.suffix)
                )
    if shared is not None and shared.is_dir():
        for sub in sorted(p for p in shared.iterdir() if p.is_dir()):
            dialect = CORPUS_DIALECTS.get(sub.name, sub.name)
            if dialect not in DIALECTS:
                continue
            for path in sorted(sub.glob("*.y*ml")):
                text = _read_text(path)
                if text is not None:
                    found.append(
                        Template(dialect, f"corpus/{sub.name}/{path.name}", text, path.suffix)
                    )
    return found


_SIMPLE_DEFAULT = re.compile(r'^(True|False|None|-?\d+(\.\d+)?([eE]-?\d+)?|"[\w./-]{0,30}")$')


def extra_keys() -> dict[str, list[tuple[str, str]]]:
    """Top-level keys with a plain default per flat dialect, from cfgguard's key lists."""
    out: dict[str, list[tuple[str, str]]] = {}
    for dialect in FLAT_DIALECTS:
        path = KEYS_DIR / f"{dialect}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries: list[dict[str, object]] = data.get("keys", [])
        pairs: list[tuple[str, str]] = []
        for entry in entries:
            key, default = entry.get("key"), entry.get("default")
            if not isinstance(key, str) or not isinstance(default, str) or "." in key:
                continue
            if (
                entry.get("removed")
                or not entry.get("user_key")
                or not _SIMPLE_DEFAULT.match(default)
            ):
                continue
            value = {"True": "true", "False": "false", "None": "null"}.get(default, default)
            pairs.append((key, value.strip('"')))
        out[dialect] = pairs
    return out


LINE = re.compile(
    r"^(?P<head>[ \t]*(?:-[ \t]+)?(?P<key>[A-Za-z_][\w.-]*)[ \t]*:[ \t]+)"
    r"(?P<value>[^#\n]*?)(?P<tail>[ \t]+#.*)?$"
)
TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
MODEL_ID = re.compile(r"^[\w.-]+/[\w.-]+$")


def mutate(
    template: Template, index: int, rng: random.Random, keys: dict[str, list[tuple[str, str]]]
) -> str:
    """A varied copy of ``template``: values, model, unique names, comments, extra keys."""
    out: list[str] = [f"# bench config {index} from {template.name}"]
    top_lines: list[int] = []  # indexes into ``out`` of the top-level keys
    for line in template.text.splitlines():
        varied = _vary(line, index, rng)
        if TOP_KEY.match(varied):
            top_lines.append(len(out))
        out.append(varied)
    if top_lines and rng.random() < 0.3:
        top_lines = _insert_comment(out, top_lines, index, rng)
    if top_lines and rng.random() < 0.05:  # a typo'd key: K001 with a did-you-mean
        _add_typo(out, rng.choice(top_lines), rng)
    text = "\n".join(out) + "\n"
    pool = keys.get(template.dialect, [])
    single_doc = not re.search(r"^(---|\.\.\.)", template.text[1:], re.MULTILINE)
    if pool and single_doc and top_lines:
        text += _extra_settings(out, pool, rng)
    return text


def _vary(line: str, index: int, rng: random.Random) -> str:
    """``line`` with a new number, model or unique name as its value, or as it is."""
    match = LINE.match(line)
    if match is None:
        return line
    key, value = match["key"], match["value"].strip()
    new: str | None = None
    if NUMBER.match(value) and rng.random() < 0.6:
        new = new_number(key.lower(), value, rng)
    elif (
        key in MODEL_KEYS
        and MODEL_ID.match(value)
        and value.split("/", 1)[0].lower() in MODEL_ORGS
        and rng.random() < 0.5
    ):
        new = rng.choice(MODELS)
    elif key in UNIQUE_KEYS and value and "$" not in value and not value.startswith(("'", '"')):
        new = f"{value}-{index}"
    return line if new is None else f"{match['head']}{new}{match['tail'] or ''}"


def _insert_comment(
    out: list[str], top_lines: list[int], index: int, rng: random.Random
) -> list[int]:
    """A comment above one of the top-level keys; the keys' indexes after it."""
    at = rng.choice(top_lines)
    out.insert(at, f"# tuned for run {index} ({rng.choice(('sweep', 'ablation', 'baseline'))})")
    return [i + 1 if i >= at else i for i in top_lines]


def _add_typo(out: list[str], at: int, rng: random.Random) -> None:
    """Two letters of the top-level key at ``out[at]`` swapped (keys of 6 letters or more)."""
    key_match = TOP_KEY.match(out[at])
    key = key_match.group(1) if key_match else ""
    if len(key) >= 6:
        i = rng.randrange(1, len(key) - 2)
        typo = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        out[at] = typo + out[at][len(key) :]


def _extra_settings(out: list[str], pool: list[tuple[str, str]], rng: random.Random) -> str:
    """Up to 15 more known keys of the dialect at the end, with their defaults."""
    present = {m.group(1) for m in (TOP_KEY.match(x) for x in out) if m}
    extra = [
        kv for kv in rng.sample(pool, min(len(pool), rng.randrange(0, 16))) if kv[0] not in present
    ]
    if not extra:
        return ""
    return "\n# extra settings\n" + "".join(f"{k}: {v}\n" for k, v in extra)


def generate(templates: list[Template], count: int, out_dir: Path, rng: random.Random) -> list[str]:
    """``count`` configs under ``out_dir``, dialects in turn; paths relative to ``out_dir``."""
    keys = extra_keys()
    by_dialect: dict[str, list[Template]] = {}
    for template in templates:
        by_dialect.setdefault(template.dialect, []).append(template)
    order = [d for d in DIALECTS if d in by_dialect]
    paths: list[str] = []
    for index in range(count):
        dialect = order[index % len(order)]
        template = rng.choice(by_dialect[dialect])
        stem = Path(template.name).stem.replace("__", "-")[:40]
        rel = f"configs/{dialect}/{index:05d}-{stem}{template.suffix}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(mutate(template, index, rng, keys), encoding="utf-8")
        paths.append(rel)
    return paths


def copy_corpus(corpus: Path, count: int, out_dir: Path) -> list[str]:
    """The corpus files as they are, dialects in turn, cycled to ``count`` (``--corpus``)."""
    by_dialect: dict[str, list[Path]] = {}
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            top = path.relative_to(corpus).parts[0]
            dialect = CORPUS_DIALECTS.get(top, top)
            by_dialect.setdefault(dialect if dialect in DIALECTS else "other", []).append(path)
    if not by_dialect:
        raise SystemExit(f"bench: no *.yaml/*.yml files under {corpus}")
    order = sorted(by_dialect)
    paths: list[str] = []
    for index in range(count):
        dialect = order[index % len(order)]
        group = by_dialect[dialect]
        source = group[(index // len(order)) % len(group)]
        rel = f"corpus/{dialect}/{index:05d}-{source.name}"
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        paths.append(rel)
    return paths
