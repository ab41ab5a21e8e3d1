"""Reading argument classes out of Python source with ``ast`` (nothing is evaluated).

``dataclass_fields`` reads what ``HfArgumentParser`` turns into options (``x: T = v``,
``field(default=..., default_factory=..., metadata={"help": ..., "choices": ...,
"aliases": ...})``; ``init=False``, ``ClassVar`` and ``InitVar`` are not options);
``pydantic_fields`` reads ``Field(...)`` (``alias``, ``validation_alias``,
``description``, ``json_schema_extra``). Texts are source text (``ast.unparse``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

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
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            kind = dotted(
                node.annotation.value
                if isinstance(node.annotation, ast.Subscript)
                else node.annotation
            )
            if kind.rsplit(".", 1)[-1] in ("ClassVar", "InitVar", "KW_ONLY"):
                continue
            yield node.target.id, node


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
        out.append(
            FieldInfo(
                name=name,
                type=source_text(node.annotation),
                default=_default_text(value, factory),
                line=node.lineno,
                choices=choices,
                aliases=tuple(a.lstrip("-").replace("-", "_") for a in aliases),
                help=first_sentence(string(metadata.get("help"))),
            )
        )
    return tuple(out)


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
