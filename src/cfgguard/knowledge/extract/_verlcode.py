"""Deprecations verl's trainer code announces for YAML keys (read with ``ast``).

verl warns about some keys at run time rather than in a dataclass, e.g. 0.9.1
``verl/utils/config.py:192``: ``if config.data.get("val_batch_size", None) is not None:
print("WARNING: val_batch_size is deprecated." ...)``. In a function that prints or
warns a text saying "deprecated", a key the function reads from the config
(``config.a.get("k")``, ``self.config.a.k``) whose name the text gives before that word
is deprecated, with the text's sentence as the reason.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract.tree import SourceTree

_WORD = re.compile(r"[A-Za-z_]\w*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_SAYS = ("print", "warn", "warning", "warning_once", "warn_once")


def deprecations(tree: SourceTree, package: str) -> dict[str, str]:
    """Dotted key -> the deprecation sentence, from the package's trainer code."""
    out: dict[str, str] = {}
    for path in tree.paths():
        if not _is_trainer_code(path, package):
            continue
        text = tree.read(path)
        for source in _functions_saying(text or "", "deprecat"):
            module = pyast.parse(source)
            for func in module.body if module else ():
                if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                    _scan(func, out)
    return out


def _functions_saying(text: str, word: str) -> Iterator[str]:
    """The source of each function whose body has ``word`` (parsing a whole trainer
    module is ten times slower than parsing the few functions that matter)."""
    if word not in text:
        return
    lines = text.splitlines()
    seen: set[int] = set()
    for index, line in enumerate(lines):
        if word not in line.lower():
            continue
        start, end = index, index
        while start >= 0:  # the innermost def whose body holds this line
            start -= 1
            if start >= 0 and lines[start].lstrip().startswith(("def ", "async def ")):
                end = _end(lines, start)
                if end > index:
                    break
        if start < 0 or start in seen:
            continue
        seen.add(start)
        yield textwrap.dedent("\n".join(lines[start:end]))


def _end(lines: list[str], start: int) -> int:
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip()
        or len(lines[end]) - len(lines[end].lstrip()) > indent
        or lines[end].lstrip().startswith((")", "]"))  # a signature's closing line
    ):
        end += 1
    return end


def _is_trainer_code(path: str, package: str) -> bool:
    parts = path.split("/")
    if package in parts:
        parts = parts[parts.index(package) + 1 :]
    return path.endswith(".py") and (parts[:1] == ["trainer"] or parts == ["utils", "config.py"])


def _scan(func: ast.FunctionDef | ast.AsyncFunctionDef, out: dict[str, str]) -> None:
    texts: list[str] = []
    reads: dict[str, str] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            name = pyast.dotted(node.func).rsplit(".", 1)[-1]
            if name in _SAYS and node.args:
                text = pyast.string(node.args[0])
                if "deprecat" in text.lower():
                    texts.append(text)
            elif name == "get" and isinstance(node.func, ast.Attribute) and node.args:
                key = pyast.string(node.args[0])
                section = _config_path(node.func.value)
                if key and section:
                    reads.setdefault(key, f"{section}.{key}")
        elif isinstance(node, ast.Attribute):
            path = _config_path(node)
            if "." in path:
                reads.setdefault(node.attr, path)
    for text in texts:
        sentence = next((s for s in _SENTENCE.split(text) if "deprecat" in s.lower()), text)
        before = sentence[: sentence.lower().find("deprecat")]
        for word in _WORD.findall(before):
            if word in reads:
                out.setdefault(reads[word], pyast.first_sentence(sentence))


def _config_path(node: ast.expr) -> str:
    """``config.data`` / ``self.config.trainer.x`` -> ``data`` / ``trainer.x``."""
    chain = pyast.dotted(node).split(".")
    if "config" not in chain:
        return ""
    return ".".join(chain[chain.index("config") + 1 :])
