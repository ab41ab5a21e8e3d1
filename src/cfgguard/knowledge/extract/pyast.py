"""Reading argument classes out of Python source with ``ast`` (nothing is evaluated).

``dataclass_fields`` reads what ``HfArgumentParser`` turns into options (``x: T = v``,
``field(default=..., default_factory=..., metadata={"help": ..., "choices": ...,
"aliases": ...})``; ``init=False``, ``ClassVar`` and ``InitVar`` are not options);
``pydantic_fields`` reads ``Field(...)`` (``alias``, ``validation_alias``,
``description``, ``json_schema_extra``). Texts are source text (``ast.unparse``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from cfgguard.knowledge.extract.deprecation import help_deprecation
from cfgguard.knowledge.extract.snapshot import FieldInfo

MAX_TEXT = 200


def parse(text: str | None) -> ast.Module | None:
    """The module, or None when the source does not parse (or is absurdly nested)."""
    if text is None:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def source_text(node: ast.AST | None, limit: int = MAX_TEXT) -> str:
    if node is None:
        return ""
    try:
        out = ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - unparse of parsed code
        return ""
    return out if len(out) <= limit else out[: limit - 3] + "..."


def classes(module: ast.Module) -> dict[str, ast.ClassDef]:
    """Top-level classes by name (a later definition wins, as at import)."""
    return {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}


def dotted(node: ast.AST) -> str:
    """``a.b.C`` for a Name/Attribute chain; ``""`` otherwise."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def base_names(cls: ast.ClassDef) -> tuple[str, ...]:
    """Base classes as their last dotted part (``Generic[T]`` is ``Generic``)."""
    out: list[str] = []
    for base in cls.bases:
        node = base.value if isinstance(base, ast.Subscript) else base
        name = dotted(node)
        if name:
            out.append(name.rsplit(".", 1)[-1])
    return tuple(out)


def string(node: ast.AST | None) -> str:
    """A string the source spells out: literals, concatenations, f-strings as ``{expr}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        pieces: list[str] = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                pieces.append("{" + source_text(value.value, 60) + "}")
            else:
                pieces.append(string(value))
        return "".join(pieces)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return string(node.left) + string(node.right)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return string(node.left)  # "... %s ..." % value: the template
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return string(node.func.value)  # "... {} ...".format(value): the template
    return ""


def first_sentence(text: str, limit: int = MAX_TEXT) -> str:
    flat = " ".join(text.split())
    for end in (". ", ".\n"):
        cut = flat.find(end)
        if 0 < cut < limit:
            return flat[: cut + 1]
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def literal_strings(node: ast.AST | None) -> tuple[str, ...]:
    """The string items of a literal list/tuple/set (``choices=[...]``)."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return tuple(s for s in (string(e) for e in node.elts) if s)
    return ()


def literal_choices(annotation: ast.AST | None) -> tuple[str, ...]:
    """The values of a ``Literal[...]`` anywhere in an annotation (``Optional[Literal]``)."""
    out: list[str] = []
    for node in ast.walk(annotation) if annotation is not None else ():
        if isinstance(node, ast.Subscript) and dotted(node.value).endswith("Literal"):
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            for item in items:
                if isinstance(item, ast.Constant) and item.value is not None:
                    out.append(str(item.value))
    return tuple(dict.fromkeys(out))


def enum_members(cls: ast.ClassDef) -> tuple[str, ...]:
    """The string values of an Enum class's members (``NO = "no"``)."""
    out: list[str] = []
    for node in cls.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            value = string(node.value)
            if value:
                out.append(value)
    return tuple(out)


def _keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg is not None}


def _is_call_to(node: ast.AST | None, *names: str) -> bool:
    return isinstance(node, ast.Call) and dotted(node.func).rsplit(".", 1)[-1] in names


def _dict_items(node: ast.AST | None) -> dict[str, ast.expr]:
    if not isinstance(node, ast.Dict):
        return {}
    return {
        k.value: v
        for k, v in zip(node.keys, node.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }


def _annotated_fields(cls: ast.ClassDef) -> Iterator[tuple[str, ast.AnnAssign]]:
    """Annotated names in order; one declared twice is one field, at its first place with
    its last declaration (as ``__annotations__`` and the class namespace keep them)."""
    found: dict[str, ast.AnnAssign] = {}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = node
    for name, node in found.items():
        kind = dotted(
            node.annotation.value if isinstance(node.annotation, ast.Subscript) else node.annotation
        )
        if kind.rsplit(".", 1)[-1] not in ("ClassVar", "InitVar", "KW_ONLY"):
            yield name, node


def _default_text(value: ast.expr | None, factory: ast.expr | None) -> str:
    if value is not None:
        return source_text(value)
    if factory is not None:
        if isinstance(factory, ast.Lambda):
            return source_text(factory.body)
        return source_text(factory) + "()"
    return ""


def dataclass_fields(cls: ast.ClassDef) -> tuple[FieldInfo, ...]:
    """The options a dataclass gives ``HfArgumentParser`` (own fields, in order)."""
    out: list[FieldInfo] = []
    for name, node in _annotated_fields(cls):
        value: ast.expr | None = node.value
        factory: ast.expr | None = None
        metadata: dict[str, ast.expr] = {}
        if isinstance(value, ast.Call) and _is_call_to(value, "field"):
            kw = _keywords(value)
            init = kw.get("init")
            if isinstance(init, ast.Constant) and init.value is False:
                continue
            value, factory = kw.get("default"), kw.get("default_factory")
            metadata = _dict_items(kw.get("metadata"))
        choices = literal_strings(metadata.get("choices")) or literal_choices(node.annotation)
        aliases = literal_strings(metadata.get("aliases"))
        if not aliases and "aliases" in metadata:
            alias = string(metadata["aliases"])
            aliases = (alias,) if alias else ()
        help_text = string(metadata.get("help"))
        out.append(
            FieldInfo(
                name=name,
                type=source_text(node.annotation),
                default=_default_text(value, factory),
                line=node.lineno,
                choices=choices,
                aliases=tuple(a.lstrip("-").replace("-", "_") for a in aliases),
                deprecated=_marked_deprecated(metadata.get("deprecated"))
                or help_deprecation(name, help_text),
                help=first_sentence(help_text),
            )
        )
    return tuple(out)


def _marked_deprecated(node: ast.AST | None) -> str:
    """``metadata={"deprecated": True}`` or ``{"deprecated": "use x"}``."""
    if isinstance(node, ast.Constant) and node.value is True:
        return "deprecated"
    return " ".join(string(node).split())[:MAX_TEXT]


def pydantic_fields(cls: ast.ClassDef) -> tuple[FieldInfo, ...]:
    """The fields of a pydantic model (own fields, in order), with their aliases."""
    out: list[FieldInfo] = []
    for name, node in _annotated_fields(cls):
        value: ast.expr | None = node.value
        factory: ast.expr | None = None
        aliases: list[str] = []
        help_text = ""
        if isinstance(value, ast.Call) and _is_call_to(value, "Field"):
            kw = _keywords(value)
            value = value.args[0] if value.args else kw.get("default")
            if isinstance(value, ast.Constant) and value.value is Ellipsis:
                value = None
            factory = kw.get("default_factory")
            for key in ("alias", "validation_alias"):
                alias = string(kw.get(key))
                if alias and alias != name:
                    aliases.append(alias)
            help_text = string(kw.get("description")) or string(
                _dict_items(kw.get("json_schema_extra")).get("description")
            )
        out.append(
            FieldInfo(
                name=name,
                type=source_text(node.annotation),
                default=_default_text(value, factory),
                line=node.lineno,
                choices=literal_choices(node.annotation),
                aliases=tuple(dict.fromkeys(aliases)),
                help=first_sentence(help_text),
            )
        )
    return tuple(out)


def messages(node: ast.AST) -> Iterator[tuple[str, int]]:
    """Texts of warnings, log warnings and raised errors under ``node``, with lines."""
    for call in ast.walk(node):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        name = dotted(call.func).rsplit(".", 1)[-1]
        if name in ("warn", "warning", "warning_once", "warn_once", "deprecated") or (
            name.endswith(("Error", "Exception", "Warning"))
        ):
            text = string(call.args[0])
            if text:
                yield text, call.lineno


def decorator_names(node: ast.ClassDef | ast.FunctionDef) -> tuple[str, ...]:
    """Decorators as their last dotted part (``@dataclasses.dataclass(frozen=True)``)."""
    out: list[str] = []
    for item in node.decorator_list:
        name = dotted(item.func if isinstance(item, ast.Call) else item)
        if name:
            out.append(name.rsplit(".", 1)[-1])
    return tuple(out)


def is_dataclass(cls: ast.ClassDef) -> bool:
    return "dataclass" in decorator_names(cls)


def is_enum(cls: ast.ClassDef) -> bool:
    """An Enum by its bases as written (``Enum``, ``str, enum.Enum``, ``ExplicitEnum``)."""
    return any(base.endswith("Enum") for base in base_names(cls))


def statements(module: ast.Module) -> Iterator[ast.stmt]:
    """Every statement, in blocks and function and class bodies too (no expressions)."""
    stack: list[ast.stmt] = list(reversed(module.body))
    while stack:
        node = stack.pop()
        yield node
        nested: list[ast.stmt] = []
        for name in ("body", "orelse", "finalbody"):
            nested.extend(getattr(node, name, ()))
        for handler in getattr(node, "handlers", ()):
            nested.extend(handler.body)
        for case in getattr(node, "cases", ()):
            nested.extend(case.body)
        stack.extend(reversed(nested))


def imports(module: ast.Module) -> dict[str, tuple[int, str, str]]:
    """Local name -> (relative level, module, imported name) for every ``from`` import.

    Anywhere in the module (``if TYPE_CHECKING:`` blocks of lazy packages, imports inside
    functions); the first import of a name wins. ``from . import x`` is ``(1, "", "x")``.
    """
    out: dict[str, tuple[int, str, str]] = {}
    for node in statements(module):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name != "*":
                    out.setdefault(
                        alias.asname or alias.name, (node.level, node.module or "", alias.name)
                    )
    return out


def absolute_module(path: str, level: int, module: str) -> str:
    """The dotted module a ``from`` import in file ``path`` names (``a/b/c.py``, 1, ``d``
    -> ``a.b.d``); ``""`` when the relative import climbs above the tree."""
    if level == 0:
        return module
    parts = path.split("/")
    package = parts[:-1]  # a module's package; an __init__'s is its own folder
    if level - 1 > len(package) - 1:
        return ""
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def assignments(module: ast.Module) -> dict[str, ast.expr]:
    """Top-level ``name = value`` (also in ``if``/``try`` blocks); the last one wins, so an
    ``if optional: X = A`` / ``else: X = B`` gives the ``else`` (default) branch."""
    out: dict[str, ast.expr] = {}
    stack: list[ast.stmt] = list(module.body)
    ordered: list[ast.Assign] = []
    while stack:
        node = stack.pop(0)
        if isinstance(node, ast.Assign):
            ordered.append(node)
        elif isinstance(node, ast.If | ast.Try):
            handlers = [s for h in getattr(node, "handlers", []) for s in h.body]
            stack[0:0] = [*node.body, *handlers, *node.orelse]
    for node in ordered:
        for target in node.targets:
            if isinstance(target, ast.Name):
                out[target.id] = node.value
    return out


_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def names_in(annotation: str) -> tuple[str, ...]:
    """The names a type annotation's source text uses (last dotted part), in order;
    quoted forward references included. A scan, not a parse: it runs for every field."""
    return tuple(dict.fromkeys(n.rsplit(".", 1)[-1] for n in _NAME.findall(annotation)))


def calls_to(node: ast.AST, *names: str) -> Iterator[ast.Call]:
    """Calls under ``node`` whose callee's last dotted part is one of ``names``."""
    for call in ast.walk(node):
        if _is_call_to(call, *names):
            yield call  # type: ignore[misc]  # _is_call_to checked the type


def argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    """The argument at ``position``, else the one passed as ``keyword``."""
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return _keywords(call).get(keyword)


def sequence_names(node: ast.AST | None) -> tuple[str, ...] | None:
    """``(A, B)`` / ``[A, B]`` -> names (last dotted part); a single name -> ``(A,)``;
    ``None`` when it is neither."""
    if isinstance(node, ast.Tuple | ast.List):
        names = [dotted(e).rsplit(".", 1)[-1] for e in node.elts]
        return tuple(names) if all(names) else None
    name = dotted(node) if node is not None else ""
    return (name.rsplit(".", 1)[-1],) if name else None


def enclosing_assignment(scope: ast.AST, name: str, before: int) -> ast.expr | None:
    """The last ``name = value`` in ``scope`` (not in nested functions) before line
    ``before``; how a ``parser = Parser(dataclass_types)`` call finds its tuple."""
    best: ast.Assign | None = None
    stack: list[ast.AST] = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if (
            isinstance(node, ast.Assign)
            and node.lineno < before
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and (best is None or node.lineno > best.lineno)
        ):
            best = node
        stack.extend(ast.iter_child_nodes(node))
    return best.value if best is not None else None


def functions(module: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function and method, nested ones too."""
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
