"""JSON types of a field, parsed from its type as the release data records it.

The data keeps each field's annotation as source text (``Optional[float]``,
``int | None``, ``Literal['a', 'b']``, ``Union[IntervalStrategy, str]``,
``Annotated[list[str], MinLen(1)]``), the type of a YAML default for verl's trainer
configs (``float``, ``list[str]``, ``dict``) and a kind for torchtune's recipe keys
(``component``, ``import path``). ``json_types`` turns one into the JSON Schema types a
value may have: parsed into an ``ast`` tree (nothing is evaluated), cached per text. Empty when
any part is unknown (``Any``, a callable, a class it cannot place): a caller then knows
nothing rather than something wrong.

A check does not import this (the ``_ast`` classes alone cost a one-file run 7 % more):
the knowledge build stores each package's types parsed (``types`` in ``<package>.json``),
and ``knowledge.pytypes`` parses only a text that table lacks (a repository's own class).
"""

from __future__ import annotations

# the C module's node classes and compile(): the ``ast`` module on top (visitors, the
# unparser) costs a check more to import than parsing every type it meets
import _ast as ast
import re
from collections import deque
from collections.abc import Iterator
from functools import cache
from typing import cast

Types = frozenset[str]
UNKNOWN: Types = frozenset()

_NAMES: dict[str, str] = {
    "bool": "boolean",
    "int": "integer",
    "PositiveInt": "integer",
    "NonNegativeInt": "integer",
    "float": "number",
    "PositiveFloat": "number",
    "NonNegativeFloat": "number",
    "str": "string",
    "Path": "string",
    "PathLike": "string",
    "torch.dtype": "string",
    "None": "null",
    "NoneType": "null",
    "list": "array",
    "List": "array",
    "tuple": "array",
    "Tuple": "array",
    "set": "array",
    "Set": "array",
    "Sequence": "array",
    "conlist": "array",
    "dict": "object",
    "Dict": "object",
    "Mapping": "object",
    "DictConfig": "object",  # OmegaConf's
    "JSONDict": "object",
    # torchtune's kinds of recipe keys: a mapping with ``_component_``, a dotted name
    "component": "object",
    "import path": "string",
}
# wrappers whose first argument is the type (pydantic/typing metadata, tyro markers)
_TRANSPARENT = frozenset({"Annotated", "Suppress", "Required", "NotRequired", "Final"})
_TYPING = _TRANSPARENT | {"Optional", "Union", "Literal", "Any", "Callable", "Type"}
# classes named as argument groups or models (a mapping) or as Enums (a string value)
_MODEL = re.compile(r"[A-Za-z0-9]*(Config|Cfg|Arguments|Args|Spec|Group|Dataset|Settings)")
_ENUM = re.compile(
    r"[A-Za-z0-9]*(Type|Names|Strategy|Option|Function|Func|Method|Backend|Name|Mode"
    r"|Variant|Init|Recipe|DType|Template|Scaling|Resampling|Optimizers)"
)


class _Unknown(Exception):
    """A part of the type that says nothing about the value's JSON type."""


@cache
def json_types(text: str, enums: bool = False) -> Types:
    """The JSON types of a value of type ``text``; empty when not known.

    ``enums``: the field has a closed value list, so a class its type names that is no
    argument group is the Enum those values came from (a string).
    """
    text = text.strip()
    if text in _NAMES:
        out = {_NAMES[text]}
    else:
        try:
            out = _types(_parse(text), enums)
        except (SyntaxError, ValueError, RecursionError, _Unknown):
            return UNKNOWN
    if "number" in out:
        out.discard("integer")  # every integer is a number
    if out == {"null"}:
        return UNKNOWN  # only ever None: the real type is not written down
    return frozenset(out)


@cache
def enum_name(text: str) -> str:
    """The first class ``text`` names that is neither a builtin, a typing construct nor
    an argument group (``Union[IntervalStrategy, str]`` -> ``IntervalStrategy``); ""."""
    try:
        tree = _parse(text.strip())
    except (SyntaxError, ValueError, RecursionError):
        return ""
    called = {id(n.func) for n in _walk(tree) if isinstance(n, ast.Call)}
    for node in _walk(tree):
        if isinstance(node, ast.Name) and id(node) not in called and _enum_like(node.id):
            return node.id
    return ""


def _parse(text: str) -> ast.expr:
    """``ast.parse(text, mode="eval").body``."""
    tree = compile(text, "<type>", "eval", ast.PyCF_ONLY_AST, dont_inherit=True)
    assert isinstance(tree, ast.Expression)
    return tree.body


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk``: the node and every node below it, breadth first."""
    todo = deque([node])
    while todo:
        node = todo.popleft()
        for name in node._fields:
            child: object = getattr(node, name, None)
            if isinstance(child, ast.AST):
                todo.append(child)
            elif isinstance(child, list):
                todo.extend(c for c in cast("list[object]", child) if isinstance(c, ast.AST))
        yield node


def _enum_like(name: str) -> bool:
    if not name[:1].isupper() or name in _NAMES or name in _TYPING:
        return False
    return not _MODEL.fullmatch(name)


def _types(node: ast.expr, enums: bool) -> set[str]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _types(node.left, enums) | _types(node.right, enums)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return {"null"}
        if isinstance(node.value, str):  # a forward reference: 'Config | None'
            return set(json_types(node.value, enums)) or _raise()
        raise _Unknown
    if isinstance(node, ast.Subscript):
        return _generic(_name(node.value), node.slice, enums)
    if isinstance(node, ast.Call):  # conlist(X, min_length=1), constr(...)
        return _call(_name(node.func))
    return _named(_name(node), enums)


def _raise() -> set[str]:
    raise _Unknown


def _generic(head: str, arguments: ast.expr, enums: bool) -> set[str]:
    items = list(arguments.elts) if isinstance(arguments, ast.Tuple) else [arguments]
    last = head.rpartition(".")[2]
    if last == "Literal":
        return {_literal(item) for item in items}
    if last == "Optional":
        return _types(items[0], enums) | {"null"}
    if last == "Union":
        return {t for item in items for t in _types(item, enums)}
    if last in _TRANSPARENT:
        return _types(items[0], enums)
    return _named(head, enums)  # list[str], dict[str, Any]: the container is the type


def _literal(item: ast.expr) -> str:
    if not isinstance(item, ast.Constant):
        raise _Unknown  # Literal[SomeEnum.A]
    value: object = item.value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    raise _Unknown


def _call(head: str) -> set[str]:
    last = head.rpartition(".")[2]
    if last in ("conlist", "conset"):
        return {"array"}
    if last in ("constr",):
        return {"string"}
    if last in ("conint",):
        return {"integer"}
    if last in ("confloat",):
        return {"number"}
    raise _Unknown


def _named(name: str, enums: bool) -> set[str]:
    for candidate in (name, name.rpartition(".")[2]):
        if candidate in _NAMES:
            return {_NAMES[candidate]}
    last = name.rpartition(".")[2]
    if not last[:1].isupper() or last in _TYPING:
        raise _Unknown
    if _MODEL.fullmatch(last):
        return {"object"}
    if enums or _ENUM.fullmatch(last):
        return {"string"}
    raise _Unknown


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    raise _Unknown
