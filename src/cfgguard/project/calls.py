"""Parser calls in a module's statements, and the class expressions handed to them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import cast

from cfgguard.knowledge.extract.pyast import dotted
from cfgguard.project.modules import statements

_CALL_AFTER = re.compile(r"\s*\(")


def call_offsets(text: str, names: set[str]) -> list[int]:
    """Where ``name(`` is written for one of ``names`` (``str.find``: a regex alternation
    over a megabyte of text is ten times slower)."""
    out: list[int] = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            before = text[at - 1] if at else " "
            if not (before.isalnum() or before == "_") and _CALL_AFTER.match(text, end):
                out.append(at)
            at = text.find(name, end)
    return sorted(out)


def lines_of(text: str, offsets: list[int]) -> set[int]:
    """The 1-based lines of increasing ``offsets`` in ``text``."""
    out: set[int] = set()
    line, last = 1, 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        out.add(line)
    return out


def local_tuples(body: list[ast.stmt]) -> dict[str, ast.expr]:
    """Names bound to a tuple/list (or a sum of them) in a scope, its nested functions aside."""
    out: dict[str, ast.expr] = {}
    for node in statements(body, into_defs=False):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Tuple | ast.List | ast.BinOp):
            out.setdefault(target.id, value)
    return out


def calls(
    body: list[ast.stmt], lines: set[int], scopes: list[dict[str, ast.expr]]
) -> Iterator[tuple[ast.Call, list[dict[str, ast.expr]]]]:
    """The calls on ``lines`` (where the text names a parser), with the tuple-valued names
    of their enclosing scopes, innermost first. Only statements spanning one of those
    lines are entered."""
    for node in body:
        end = node.end_lineno or node.lineno
        if not any(node.lineno <= line <= end for line in lines):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [local_tuples(node.body), *scopes]
            yield from calls(node.body, lines, inner)
            continue
        blocks: list[list[ast.stmt]] = []
        for name, value in ast.iter_fields(node):
            if name in ("body", "orelse", "finalbody", "handlers", "cases"):
                blocks.append(_block(value))
                continue
            parts = cast(list[object], value) if isinstance(value, list) else [value]
            for part in parts:
                if isinstance(part, ast.AST):
                    for sub in ast.walk(part):
                        if isinstance(sub, ast.Call) and sub.lineno in lines:
                            yield sub, scopes
        for block in blocks:
            yield from calls(block, lines, scopes)


def _block(value: object) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for item in cast(list[object], value) if isinstance(value, list) else ():
        if isinstance(item, ast.stmt):
            out.append(item)
        elif isinstance(item, ast.ExceptHandler | ast.match_case):
            out.extend(item.body)
    return out


def items(node: ast.expr | None, scopes: list[dict[str, ast.expr]], depth: int) -> list[ast.expr]:
    """The class expressions a parser's argument lists."""
    if node is None or depth > 4:
        return []
    if isinstance(node, ast.Call) and dotted(node.func).rsplit(".", 1)[-1] == "cast":
        return items(node.args[-1] if node.args else None, scopes, depth + 1)
    if isinstance(node, ast.Tuple | ast.List):
        return [e for e in node.elts if isinstance(e, ast.Name | ast.Attribute)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return items(node.left, scopes, depth + 1) + items(node.right, scopes, depth + 1)
    if isinstance(node, ast.Name):
        for scope in scopes:
            if node.id in scope:
                return items(scope[node.id], scopes, depth + 1)
    if isinstance(node, ast.Name | ast.Attribute):
        return [node]
    return []
