"""Pydantic models read with ``ast`` over an ``Index`` (nothing is imported).

``Models.fields`` gives a model's fields over its bases as pydantic sees them: the
spelling the loader accepts (``alias``; ``validation_alias``, ``AliasChoices``; with
``populate_by_name`` the field name, the aliases then being other spellings),
``Field(deprecated=...)`` and a description starting "Deprecated". ``choices`` is a
closed value list (``Literal``, string ``Enum`` classes, module-level aliases of them);
``nested_models`` the models a field's value may be; ``validator_messages`` what the
model's validators warn or raise, with the fields a ``field_validator`` names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from cfgguard.knowledge.extract import pyast
from cfgguard.knowledge.extract._pymodules import MAX_DEPTH, ClassRef, Index
from cfgguard.records import dataclass

LIST_TYPES = frozenset({"list", "List", "Sequence", "set", "Set", "tuple", "Tuple", "conlist"})
UNION_TYPES = frozenset({"Optional", "Union"})
VALIDATORS = frozenset({"field_validator", "model_validator", "validator", "root_validator"})
WARNERS = frozenset({"warn", "warning", "warning_once", "warn_once", "deprecated"})


@dataclass(frozen=True, slots=True)
class ModelField:
    name: str  # the key as the loader accepts it
    annotation: ast.expr
    owner: ClassRef  # the class that declares it
    line: int
    default: str = ""
    aliases: tuple[str, ...] = ()
    help: str = ""
    deprecated: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    text: str
    line: int
    path: str
    raised: bool  # the run stops (``raise``), not a logged warning
    fields: tuple[str, ...] = ()  # ``field_validator("a", "b")``'s fields
    listed: tuple[str, ...] = ()  # identifier-like strings listed in the validator


class Models:
    """The pydantic view of an ``Index`` (each answer worked out once)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._config: dict[int, dict[str, str]] = {}
        self._fields: dict[tuple[int, bool], list[ModelField]] = {}
        self._messages: dict[int, list[Message]] = {}

    def config(self, ref: ClassRef) -> dict[str, str]:
        """``model_config`` over the bases: a later base overrides an earlier one and
        the class's own setting all of them (pydantic's ``ConfigWrapper.for_model``)."""
        cached = self._config.get(id(ref.node))
        if cached is None:
            self._config[id(ref.node)] = {}  # a cycle reads it empty
            merged: dict[str, str] = {}
            for base in self.index.bases(ref):
                if not isinstance(base, str):
                    merged.update(self.config(base))
            for key, value in _own_config(ref).items():
                merged[key] = pyast.string(value) or pyast.source_text(value)
            cached = self._config[id(ref.node)] = merged
        return cached

    def fields(self, ref: ClassRef, by_name: bool = False) -> list[ModelField]:
        """The model's fields over its bases (the nearest definition wins). ``by_name``:
        the model is merged into one that sets ``populate_by_name``."""
        by_name = by_name or self.config(ref).get("populate_by_name") == "True"
        key = (id(ref.node), by_name)
        cached = self._fields.get(key)
        if cached is None:
            out: dict[str, ModelField] = {}
            for cls in self.index.mro(ref)[0]:
                for info in _own_fields(cls, by_name):
                    out.setdefault(info.name, info)
            cached = self._fields[key] = list(out.values())
        return cached

    def union_members(
        self, node: ast.expr, where: str, depth: int = 0
    ) -> Iterator[tuple[ast.expr, str]]:
        """The members of a union annotation (``A | B``, ``Optional[A]``,
        ``Annotated[A, ...]``, an alias of one), each with the file that writes it."""
        if depth > MAX_DEPTH:
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            yield from self.union_members(node.left, where, depth + 1)
            yield from self.union_members(node.right, where, depth + 1)
            return
        if isinstance(node, ast.Subscript):
            head = pyast.dotted(node.value).rsplit(".", 1)[-1]
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head in UNION_TYPES or (head == "Annotated" and items):
                for item in items if head in UNION_TYPES else items[:1]:
                    yield from self.union_members(item, where, depth + 1)
                return
        if isinstance(node, ast.Name) and self.index.resolve(node.id, where) is None:
            found = self.index.assigned(node.id, where)
            if found is not None:
                yield from self.union_members(found[1], found[0], depth + 1)
                return
        yield node, where

    def nested_models(self, annotation: ast.expr, where: str) -> list[tuple[ClassRef, bool]]:
        """The models a field's value may be, as ``(model, is_a_list_item)``."""
        out: list[tuple[ClassRef, bool]] = []

        def visit(node: ast.expr, file: str, in_list: bool, depth: int) -> None:
            for member, member_file in self.union_members(node, file, depth):
                items = list_items(member)
                if items is not None:
                    for item in items:
                        visit(item, member_file, True, depth + 1)
                    continue
                written = member.value if isinstance(member, ast.Constant) else pyast.dotted(member)
                ref = self.index.resolve(written, member_file) if isinstance(written, str) else None
                if ref is not None and self.index.is_model(ref) and (ref, in_list) not in out:
                    out.append((ref, in_list))

        visit(annotation, where, False, 0)
        return out

    def choices(self, annotation: ast.expr, where: str) -> tuple[str, ...]:
        """A closed value list: every member is ``None``, a ``Literal``, a string Enum
        or a list of those; () as soon as one member is anything else."""
        out: list[str] = []
        for member, file in self.union_members(annotation, where):
            items = list_items(member)
            if items is not None:
                values = self.choices(items[0], file) if len(items) == 1 else ()
            elif isinstance(member, ast.Constant) and member.value is None:
                continue
            elif isinstance(member, ast.Subscript) and pyast.dotted(member.value).endswith(
                "Literal"
            ):
                values = pyast.literal_choices(member)
            else:
                written = pyast.dotted(member)
                ref = self.index.resolve(written, file) if written else None
                values = _enum_values(ref) if ref is not None and self.index.is_enum(ref) else ()
            if not values:
                return ()
            out.extend(values)
        return tuple(dict.fromkeys(out))

    def validator_messages(self, ref: ClassRef) -> list[Message]:
        """What the validators of ``ref`` and its bases warn or raise, also in the
        module functions they call (one level)."""
        cached = self._messages.get(id(ref.node))
        if cached is None:
            cached = self._messages[id(ref.node)] = list(self._validator_messages(ref))
        return cached

    def _validator_messages(self, ref: ClassRef) -> Iterator[Message]:
        for cls in self.index.mro(ref)[0]:
            for node in cls.node.body:
                decorator = _decorator(node) if isinstance(node, ast.FunctionDef) else None
                if decorator is None:
                    continue
                named = decorator[1] if decorator[0] != "model_validator" else ()
                texts, listed, calls = _scan(node)
                found = [(cls.path, t) for t in texts]
                for called in dict.fromkeys(calls):
                    function = self.index.function(called, cls.path)
                    if function is not None:
                        found.extend((function[0], t) for t in _scan(function[1])[0])
                for path, (text, line, raised) in found:
                    yield Message(text, line, path, raised, named, tuple(dict.fromkeys(listed)))


def list_items(node: ast.expr) -> list[ast.expr] | None:
    """The item annotation of ``list[X]`` / ``conlist(X, ...)``; None when not a list."""
    if isinstance(node, ast.Subscript) and pyast.dotted(node.value).rsplit(".", 1)[-1] in (
        LIST_TYPES
    ):
        return node.slice.elts[:1] if isinstance(node.slice, ast.Tuple) else [node.slice]
    if isinstance(node, ast.Call) and pyast.dotted(node.func).rsplit(".", 1)[-1] in LIST_TYPES:
        return node.args[:1]
    return None


def _own_config(ref: ClassRef) -> dict[str, ast.expr]:
    """``model_config = {...}`` / ``ConfigDict(...)`` / ``class Config:`` entries."""
    out: dict[str, ast.expr] = {}
    for node in ref.node.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and target.id == "model_config":
                value = node.value
                if isinstance(value, ast.Dict):
                    for key, item in zip(value.keys, value.values, strict=True):
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            out[key.value] = item
                elif isinstance(value, ast.Call):
                    out.update({k.arg: k.value for k in value.keywords if k.arg})
        elif isinstance(node, ast.ClassDef) and node.name == "Config":
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                    out[item.targets[0].id] = item.value
    if "allow_population_by_field_name" in out:  # pydantic 1's name
        out.setdefault("populate_by_name", out["allow_population_by_field_name"])
    return out


def _spellings(call: ast.Call) -> list[str]:
    """The input names a ``Field(...)`` accepts: ``validation_alias`` when given (it
    decides validation), else ``alias``."""
    found: dict[str, list[str]] = {}
    for keyword in call.keywords:
        if keyword.arg in ("alias", "validation_alias"):
            value = keyword.value
            if isinstance(value, ast.Call) and pyast.dotted(value.func).endswith("AliasChoices"):
                found[keyword.arg] = [s for s in (pyast.string(a) for a in value.args) if s]
            elif pyast.string(value):
                found[keyword.arg] = [pyast.string(value)]
    return list(dict.fromkeys(found.get("validation_alias") or found.get("alias") or []))


def _own_fields(ref: ClassRef, by_name: bool) -> Iterator[ModelField]:
    for node in ref.node.body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        name = node.target.id
        annotation = node.annotation
        head = pyast.dotted(
            annotation.value if isinstance(annotation, ast.Subscript) else annotation
        )
        if name.startswith("_") or name == "model_config" or head.endswith("ClassVar"):
            continue
        value = node.value
        default = pyast.source_text(value) if value is not None else ""
        spelled: list[str] = []
        help_text = deprecated = ""
        if isinstance(value, ast.Call) and pyast.dotted(value.func).endswith("Field"):
            keywords = {k.arg: k.value for k in value.keywords if k.arg}
            default = _field_default(value, keywords)
            spelled = _spellings(value)
            extra = keywords.get("json_schema_extra")
            extra_help = ""
            if isinstance(extra, ast.Dict):
                for key, item in zip(extra.keys, extra.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "description":
                        extra_help = pyast.string(item)
            help_text = pyast.string(keywords.get("description")) or extra_help
            deprecated = _deprecated_marker(keywords.get("deprecated"))
        if not deprecated and help_text.lstrip("[ ").lower().startswith("deprecated"):
            deprecated = help_text
        if by_name or not spelled:
            primary, aliases = name, tuple(s for s in spelled if s != name)
        else:
            primary, aliases = spelled[0], tuple(spelled[1:])
        yield ModelField(
            name=primary,
            annotation=annotation,
            owner=ref,
            line=node.lineno,
            default=default,
            aliases=aliases,
            help=help_text,
            deprecated=" ".join(deprecated.split()),
        )


def _field_default(call: ast.Call, keywords: dict[str, ast.expr]) -> str:
    given = call.args[0] if call.args else keywords.get("default")
    if given is not None and not (isinstance(given, ast.Constant) and given.value is Ellipsis):
        return pyast.source_text(given)
    factory = keywords.get("default_factory")
    if factory is None:
        return ""
    if isinstance(factory, ast.Lambda):
        return pyast.source_text(factory.body)
    return pyast.source_text(factory) + "()"


def _deprecated_marker(node: ast.expr | None) -> str:
    if isinstance(node, ast.Constant) and node.value is True:
        return "deprecated"
    if isinstance(node, ast.Call) and node.args:  # typing_extensions.deprecated("...")
        return pyast.string(node.args[0]) or "deprecated"
    return pyast.string(node)


def _enum_values(ref: ClassRef) -> tuple[str, ...]:
    """String member values; () when a member's value is not a string literal."""
    out: list[str] = []
    for node in ref.node.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id.startswith("_"):
                continue
            if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
                return ()
            out.append(node.value.value)
    return tuple(out)


def _decorator(node: ast.FunctionDef) -> tuple[str, tuple[str, ...]] | None:
    """(validator kind, the fields it names) when ``node`` is a validator."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = pyast.dotted(call.func if call else decorator).rsplit(".", 1)[-1]
        if name in VALIDATORS:
            args = tuple(pyast.string(a) for a in call.args) if call else ()
            return name, tuple(a for a in args if a)
    return None


def _scan(node: ast.AST) -> tuple[list[tuple[str, int, bool]], list[str], list[str]]:
    """One walk: (message texts with line and raised, listed identifier strings,
    names of the plain functions it calls)."""
    texts: list[tuple[str, int, bool]] = []
    listed: list[str] = []
    calls: list[str] = []
    raised_calls: set[int] = set()  # a ``raise X(...)``'s call, met again in the walk
    for item in ast.walk(node):
        if isinstance(item, ast.List | ast.Tuple | ast.Set):
            listed.extend(
                e.value
                for e in item.elts
                if isinstance(e, ast.Constant)
                and isinstance(e.value, str)
                and e.value.isidentifier()
            )
            continue
        raised = isinstance(item, ast.Raise)
        call = item.exc if isinstance(item, ast.Raise) else item
        if not isinstance(call, ast.Call) or (not raised and id(call) in raised_calls):
            continue
        if raised:
            raised_calls.add(id(call))
        elif isinstance(call.func, ast.Name):
            calls.append(call.func.id)
        name = pyast.dotted(call.func).rsplit(".", 1)[-1]
        if call.args and (raised or name in WARNERS or name.endswith("Warning")):
            text = pyast.string(call.args[0])
            if text:
                texts.append((text, call.lineno, raised))
    return texts, listed, calls
