"""The runtime side of ``cfgguard.records`` (see there for why it exists).

Behaves as ``dataclasses`` for the options cfgguard uses: positional-or-keyword
``__init__`` in declaration order (a base's fields first), defaults (a base's class
attribute included, as ``dataclasses`` reads them with ``getattr``) and default factories,
``__repr__`` as ``Name(a=1, b='x')`` (recursion-safe), ``__eq__`` comparing the fields of two
instances of the same class (as tuples before Python 3.13, field by field from 3.13, as the
standard library does), ``__hash__`` over the fields when frozen (``None`` when only ``eq``;
an explicit ``__hash__`` kept), frozen assignment raising an ``AttributeError``,
``__slots__`` (picklable when frozen), ``__match_args__``, ``__replace__`` (3.13+), abstract
methods updated, and ``fields`` / ``replace`` / ``asdict``. A method the class body defines
itself is never replaced.

Everything else is refused with a ``TypeError`` when the class is defined, not silently
ignored (pyright checks each record against the real ``dataclasses``, so nothing else would
notice): the ``dataclass`` options ``init``, ``order``, ``unsafe_hash``, ``kw_only``,
``match_args``, ``weakref_slot`` and the ``field`` options ``init``, ``hash``, ``metadata``,
``kw_only``, ``doc`` at any value but their default; ``__post_init__`` (defined or
inherited); ``InitVar`` and ``KW_ONLY`` annotations; a ``ClassVar`` annotation that is not
``typing.ClassVar`` at runtime (imported under ``TYPE_CHECKING`` only: ``dataclasses`` would
make it a field) or whose value is a ``field()``; a ``field()`` without an annotation; a
field named ``self``; a base that is a standard ``dataclasses`` class; a frozen record
inheriting from a non-frozen one or the other way round; a frozen record defining its own
``__setattr__`` / ``__delattr__``; with ``slots=True``, a class that declares ``__slots__``
or whose methods use zero-argument ``super()`` / ``__class__`` (the class is rebuilt, so
they would see the old one); annotations evaluated lazily (Python 3.14 without ``from
__future__ import annotations``). A mutable (unhashable) default is a ``ValueError``, as in
``dataclasses``. Not reproduced: the generated ``__doc__`` (``Name(a: int)``) and the
``__dataclass_fields__`` / ``__dataclass_params__`` attributes.

``CFGGUARD_STDLIB_DATACLASSES=1`` makes ``cfgguard.records`` hand out ``dataclasses``
itself; CI runs the suite both ways.
"""

from __future__ import annotations

import itertools
import reprlib
import sys
import typing
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType, MemberDescriptorType
from typing import Any, ClassVar, Final, TypeVar

T = TypeVar("T")

_MISSING: Final = object()
COMPILE_AFTER = 32  # instances of a record before its __init__ is compiled
# the options cfgguard.records does not implement, each accepted at its default value only
_DATACLASS_DEFAULTS: Final[dict[str, object]] = {
    "init": True,
    "order": False,
    "unsafe_hash": False,
    "kw_only": False,
    "match_args": True,
    "weakref_slot": False,
}
_FIELD_DEFAULTS: Final[dict[str, object]] = {
    "init": True,
    "hash": None,
    "metadata": None,
    "kw_only": False,
    "doc": None,
}
_PSEUDO: Final = ("ClassVar", "InitVar", "KW_ONLY")


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class FieldSpec:
    """One field: its name, annotation, default or default factory, whether repr / eq use it.

    Read as a ``dataclasses.Field``: ``init``, ``hash``, ``kw_only`` and ``metadata`` hold
    the only values this module accepts.
    """

    __slots__ = ("compare", "default", "default_factory", "name", "repr", "type")
    init: Final = True
    hash: Final = None
    kw_only: Final = False
    metadata: Final[Mapping[str, object]] = MappingProxyType({})

    def __init__(self, default: object, default_factory: object, repr: bool, compare: bool) -> None:
        self.name = ""
        self.type: object = None
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare

    @property
    def required(self) -> bool:
        return self.default is _MISSING and self.default_factory is _MISSING


def field(
    *,
    default: object = _MISSING,
    default_factory: Callable[[], object] | object = _MISSING,
    repr: bool = True,
    compare: bool = True,
    **unsupported: object,
) -> Any:
    _refuse_options("field", unsupported, _FIELD_DEFAULTS)
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return FieldSpec(default, default_factory, repr, compare)


def dataclass(
    cls: type | None = None,
    /,
    *,
    frozen: bool = False,
    slots: bool = False,
    eq: bool = True,
    repr: bool = True,
    **unsupported: object,
) -> Any:
    _refuse_options("dataclass", unsupported, _DATACLASS_DEFAULTS)

    def wrap(cls: type) -> type:
        return _build(cls, frozen=frozen, slots=slots, eq=eq, repr=repr)

    return wrap if cls is None else wrap(cls)


def _refuse_options(what: str, given: dict[str, object], defaults: dict[str, object]) -> None:
    """Options this module does not implement: accepted only at their default value."""
    for name, value in given.items():
        if name not in defaults:
            raise TypeError(f"{what}() got an unexpected keyword argument {name!r}")
        default = defaults[name]
        if value is not default and not (type(value) is type(default) and value == default):
            raise TypeError(
                f"{what} option {name}={value!r} is not supported by cfgguard.records"
                " (cfgguard/_records.py implements the subset cfgguard uses)"
            )


def fields(obj: object) -> tuple[FieldSpec, ...]:
    specs: tuple[FieldSpec, ...] | None = getattr(obj, "__record_fields__", None)
    if specs is None:
        raise TypeError("must be called with a record type or instance")
    return specs


def _instance_fields(obj: object, caller: str) -> tuple[FieldSpec, ...]:
    specs: tuple[FieldSpec, ...] | None = getattr(type(obj), "__record_fields__", None)
    if specs is None:
        raise TypeError(f"{caller}() should be called on record instances")
    return specs


def replace(obj: T, /, **changes: object) -> T:
    for spec in _instance_fields(obj, "replace"):
        if spec.name not in changes:
            changes[spec.name] = getattr(obj, spec.name)
    make: Callable[..., T] = type(obj)
    return make(**changes)  # an unknown name in changes: __init__'s TypeError


def asdict(obj: object) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in _instance_fields(obj, "asdict")}


_ATOMIC: Final = frozenset({type(None), bool, int, float, complex, str, bytes})


def _plain(value: object) -> Any:
    """As ``dataclasses.asdict`` turns a value: records to dicts, containers rebuilt."""
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if hasattr(kind, "__record_fields__"):
        return asdict(value)
    if isinstance(value, tuple):
        row: tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
        if hasattr(row, "_fields"):  # a namedtuple
            return kind(*[_plain(v) for v in row])
    if isinstance(value, (list, tuple)):
        items: list[object] | tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
        return kind(_plain(v) for v in items)  # pyright: ignore[reportCallIssue]
    if isinstance(value, dict):
        pairs: dict[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        return kind((_plain(k), _plain(v)) for k, v in pairs.items())  # pyright: ignore[reportCallIssue]
    import copy  # only for values neither atomic nor containers (rare: off the check path)

    return copy.deepcopy(value)


def _refuse_methods(cls: type, frozen: bool) -> None:
    """What a class defines that these records cannot honour."""
    own = cls.__dict__
    if hasattr(cls, "__post_init__"):
        raise TypeError(
            f"{cls.__qualname__}: __post_init__ is not supported by cfgguard.records"
            " (its __init__ would never call it)"
        )
    if frozen and ("__setattr__" in own or "__delattr__" in own):
        name = "__setattr__" if "__setattr__" in own else "__delattr__"
        raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__qualname__}")


def _build(cls: type, *, frozen: bool, slots: bool, eq: bool, repr: bool) -> type:
    specs = _collect(cls, frozen)
    own = cls.__dict__
    _refuse_methods(cls, frozen)
    # "explicit" as dataclasses reads it: a __hash__ = None that defining __eq__ implied is not
    class_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (class_hash is _MISSING or (class_hash is None and "__eq__" in own))
    if slots:
        cls = _with_slots(cls, specs)
    names = tuple(f.name for f in specs)
    cls.__record_fields__ = specs  # type: ignore[attr-defined]
    cls.__record_frozen__ = frozen  # type: ignore[attr-defined]
    methods: dict[str, object] = {
        "__init__": _lazy_init(cls, specs, frozen),
        "__match_args__": names,
    }
    if sys.version_info >= (3, 13):
        methods["__replace__"] = replace
    if repr:
        methods["__repr__"] = _repr
    if eq:
        methods["__eq__"] = _eq
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _frozen_methods(cls, frozenset(names))
        if slots:
            methods["__getstate__"] = _getstate
            methods["__setstate__"] = _setstate
    for name, method in methods.items():
        if name not in own:
            setattr(cls, name, method)
    if eq and not explicit_hash:
        cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
    if getattr(cls, "__abstractmethods__", None):
        import abc

        abc.update_abstractmethods(cls)
    return cls


def _collect(cls: type, frozen: bool) -> tuple[FieldSpec, ...]:
    """Fields of the bases, then the class's own annotations in order (ClassVar skipped)."""
    found = _base_fields(cls, frozen)
    annotations = _annotations(cls)
    module = sys.modules.get(cls.__module__)
    namespace: dict[str, object] = module.__dict__ if module is not None else {}
    for name, annotation in annotations.items():
        spec = _own_field(cls, name, annotation, namespace)
        if spec is not None:
            found[name] = spec
    for name, value in cls.__dict__.items():
        if isinstance(value, FieldSpec) and name not in annotations:
            raise TypeError(f"{name!r} is a field but has no type annotation")
    specs = tuple(found.values())
    for before, after in itertools.pairwise(specs):
        if after.required and not before.required:
            raise TypeError(f"non-default argument {after.name!r} follows default argument")
    return specs


def _base_fields(cls: type, frozen: bool) -> dict[str, FieldSpec]:
    """The fields the record bases declare, in order; refuses a dataclasses base and a
    frozen / non-frozen mix."""
    found: dict[str, FieldSpec] = {}
    record_bases = False
    frozen_base = False
    for base in reversed(cls.__mro__[1:]):
        specs: tuple[FieldSpec, ...] | None = base.__dict__.get("__record_fields__")
        if specs is not None:
            record_bases = True
            frozen_base = frozen_base or base.__dict__["__record_frozen__"]
            for spec in specs:
                found[spec.name] = spec
        elif "__dataclass_fields__" in base.__dict__:
            raise TypeError(
                f"{cls.__qualname__}: its base {base.__qualname__} is a dataclasses dataclass;"
                " cfgguard.records does not read its fields"
            )
    if record_bases and frozen_base != frozen:
        if frozen:
            raise TypeError("cannot inherit frozen dataclass from a non-frozen one")
        raise TypeError("cannot inherit non-frozen dataclass from a frozen one")
    return found


def _own_field(
    cls: type, name: str, annotation: object, namespace: dict[str, object]
) -> FieldSpec | None:
    """The field one annotation declares (None for a ClassVar); refuses what is unsupported."""
    value = getattr(cls, name, _MISSING)
    pseudo = _pseudo_field(annotation, namespace)
    if pseudo == "ClassVar":
        if isinstance(value, FieldSpec):
            raise TypeError(f"{cls.__qualname__}.{name}: a ClassVar takes a value, not field()")
        return None
    if pseudo is not None:
        raise TypeError(f"{cls.__qualname__}.{name}: {pseudo} is not supported by cfgguard.records")
    if name == "self":
        raise TypeError(f"{cls.__qualname__}: a field named 'self' is not supported")
    if isinstance(value, FieldSpec):
        spec = value
    else:
        if type(value) is _SLOT:  # a base's slot, not a default
            value = _MISSING
        spec = FieldSpec(value, _MISSING, True, True)
    if type(spec.default).__hash__ is None:
        raise ValueError(
            f"mutable default {type(spec.default)} for field {name} is not allowed:"
            " use default_factory"
        )
    spec.name = name
    spec.type = annotation
    if isinstance(value, FieldSpec):  # a class attribute only while the class is built
        if spec.default is _MISSING:
            delattr(cls, name)
        else:
            setattr(cls, name, spec.default)
    return spec


_SLOT: Final = type(FieldSpec.name)  # the member descriptor a slot leaves on its class


def _annotations(cls: type) -> dict[str, object]:
    # not inspect.get_annotations: importing inspect is what this module avoids
    annotations: dict[str, object] | None = cls.__dict__.get("__annotations__")  # noqa: RUF063
    if annotations is not None:
        return annotations
    if any(cls.__dict__.get(k) is not None for k in ("__annotate__", "__annotate_func__")):
        raise TypeError(
            f"{cls.__qualname__}: lazily evaluated annotations are not read by cfgguard.records;"
            " its module needs 'from __future__ import annotations'"
        )
    return {}


def _pseudo_field(annotation: object, namespace: dict[str, object]) -> str | None:
    """``ClassVar``, ``InitVar`` or ``KW_ONLY`` when the annotation is one, else None.

    Decided as ``dataclasses`` does: a string annotation by its leading ``name`` or
    ``module.name`` looked up in the class's module, so a ``ClassVar`` imported only for
    type checkers is not one; that case (a field to ``dataclasses``, surely not what was
    meant) is refused, as is any ``InitVar`` or ``KW_ONLY`` however it is spelled.
    """
    if not isinstance(annotation, str):
        return _pseudo_object(annotation)
    module_name, name = _head(annotation)
    if module_name:
        holder = namespace.get(module_name)
        known = holder is typing or (
            holder is not None and holder is sys.modules.get("dataclasses")
        )
        target = getattr(holder, name, None) if known else None
    else:
        target = namespace.get(name)
    found = _pseudo_object(target) if target is not None else None
    if found is None and name in _PSEUDO:
        if name == "ClassVar":
            raise TypeError(
                f"annotation {annotation!r}: ClassVar is not typing.ClassVar at runtime in"
                " this module (import it outside TYPE_CHECKING); dataclasses would make it a"
                " field"
            )
        return name
    return found


def _pseudo_object(obj: object) -> str | None:
    if obj is ClassVar or getattr(obj, "__origin__", None) is ClassVar:
        return "ClassVar"
    stdlib = sys.modules.get("dataclasses")
    if stdlib is not None:
        if obj is stdlib.KW_ONLY:
            return "KW_ONLY"
        if obj is stdlib.InitVar or isinstance(obj, stdlib.InitVar):
            return "InitVar"
    return None


@cache  # the same few annotation texts recur across every record
def _head(annotation: str) -> tuple[str, str]:
    """The leading ``module.name`` (or ``""``, ``name``) of a string annotation."""
    first, rest = _identifier(annotation)
    stripped = rest.lstrip()
    if first and stripped.startswith("."):
        second, _ = _identifier(stripped[1:])
        if second:
            return first, second
    return "", first


def _identifier(text: str) -> tuple[str, str]:
    text = text.lstrip()
    end = 0
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[:end], text[end:]


def _with_slots(cls: type, specs: tuple[FieldSpec, ...]) -> type:
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__} already specifies __slots__")
    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        declared: object = base.__dict__.get("__slots__", ())
        inherited.update((declared,) if isinstance(declared, str) else declared)  # type: ignore[arg-type]
    names = tuple(f.name for f in specs if f.name not in inherited)
    namespace = dict(cls.__dict__)
    for value in namespace.values():
        if _uses_class_cell(value):
            raise TypeError(
                f"{cls.__qualname__}: slots=True rebuilds the class, so zero-argument super()"
                " and __class__ in its methods would see the old one; name the class instead"
            )
    for name in (*names, "__dict__", "__weakref__"):
        namespace.pop(name, None)
    namespace["__slots__"] = names
    qualname = cls.__qualname__
    rebuilt = type(cls)(cls.__name__, cls.__bases__, namespace)
    rebuilt.__qualname__ = qualname
    return rebuilt


def _uses_class_cell(value: object) -> bool:
    """A function (or property, classmethod, staticmethod) that reads the ``__class__`` cell."""
    if isinstance(value, property):
        return any(_uses_class_cell(f) for f in (value.fget, value.fset, value.fdel))
    func = getattr(value, "__func__", value)  # classmethod, staticmethod
    code = getattr(func, "__code__", None)
    return code is not None and "__class__" in getattr(code, "co_freevars", ())


def _lazy_init(cls: type, specs: tuple[FieldSpec, ...], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that binds arguments by hand until the class proves hot.

    Compiling an ``__init__`` costs 0.1 ms (the first compile in a process 1.5 ms) and a
    run instantiates most records a few times only; the generic binding costs about 2 us
    an instance more. After ``COMPILE_AFTER`` instances the compiled one takes over.
    """
    generic = _generic_init(specs, frozen)
    made = 0

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        nonlocal made
        made += 1
        if made < COMPILE_AFTER:
            generic(self, *args, **kwargs)
            return
        init = _init(cls, specs, frozen)
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    return __init__


def _generic_init(specs: tuple[FieldSpec, ...], frozen: bool) -> Callable[..., None]:
    names = tuple(f.name for f in specs)
    by_name = {f.name: f for f in specs}
    count = len(names)

    def init(self: object, *args: object, **kwargs: object) -> None:
        if not kwargs and len(args) == count:  # every field given in order: nothing to bind
            _put_all(self, names, args, frozen)
            return
        if len(args) > count:
            raise TypeError(f"__init__() takes {count + 1} positional arguments")
        values = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in by_name:
                raise TypeError(f"__init__() got an unexpected keyword argument {name!r}")
            if name in values:
                raise TypeError(f"__init__() got multiple values for argument {name!r}")
            values[name] = value
        for name in names:
            if name in values:
                value = values[name]
            elif by_name[name].default is not _MISSING:
                value = by_name[name].default
            elif by_name[name].default_factory is not _MISSING:
                value = by_name[name].default_factory()  # type: ignore[operator]
            else:
                raise TypeError(f"__init__() missing required argument {name!r}")
            if frozen:
                object.__setattr__(self, name, value)
            else:
                setattr(self, name, value)

    return init


def _put_all(
    self: object, names: tuple[str, ...], values: tuple[object, ...], frozen: bool
) -> None:
    put = object.__setattr__ if frozen else setattr
    for name, value in zip(names, values, strict=True):
        put(self, name, value)


def _init(cls: type, specs: tuple[FieldSpec, ...], frozen: bool) -> Callable[..., None]:
    """Compile ``__init__`` for these fields: the one piece that is worth generating."""
    scope: dict[str, object] = {"__set": object.__setattr__, "__MISSING": _MISSING}
    params: list[str] = []
    body: list[str] = []
    for spec in specs:
        name = spec.name
        value = name
        if spec.default is not _MISSING:
            scope[f"__default_{name}"] = spec.default
            params.append(f"{name}=__default_{name}")
        elif spec.default_factory is not _MISSING:
            scope[f"__factory_{name}"] = spec.default_factory
            params.append(f"{name}=__MISSING")
            value = f"__factory_{name}() if {name} is __MISSING else {name}"
        else:
            params.append(name)
        setter = _slot_setter(cls, name) if frozen else None
        if setter is not None:
            scope[f"__set_{name}"] = setter
            body.append(f"__set_{name}(self, {value})")
        else:
            body.append(f"__set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    # exec of the text, not of compile(): the builtin compile() first sets up the ast
    # module's node classes (10M instructions, a twentieth of a one-file check)
    exec(source, scope)
    init: Callable[..., None] = scope["__init__"]  # type: ignore[assignment]
    init.__code__ = init.__code__.replace(co_filename=f"<record {cls.__qualname__}>")
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None] | None:
    """The slot's own setter, for a frozen record: it skips the frozen ``__setattr__`` as
    ``object.__setattr__`` does, without looking the name up (a quarter of an instance's
    cost); None when the field is no slot."""
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found.__set__ if isinstance(found, MemberDescriptorType) else None
    return None


def _values(obj: object, compared: bool) -> tuple[object, ...]:
    return tuple(getattr(obj, f.name) for f in fields(obj) if f.compare or not compared)


@reprlib.recursive_repr()
def _repr(self: object) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def eq_as_tuples(self: object, other: object) -> bool:
    """``dataclasses``' ``__eq__`` before 3.13: the fields compared as tuples."""
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self, True) == _values(other, True)


def eq_by_fields(self: object, other: object) -> object:
    """``dataclasses``' ``__eq__`` from 3.13: identity, then ``a == b and ...`` field by field."""
    if self is other:
        return True
    if other.__class__ is not self.__class__:
        return NotImplemented
    result: object = True
    for f in fields(self):
        if f.compare:
            result = getattr(self, f.name) == getattr(other, f.name)
            if not result:
                return result
    return result


_eq: Final = eq_by_fields if sys.version_info >= (3, 13) else eq_as_tuples


def _hash(self: object) -> int:
    return hash(_values(self, True))


def _frozen_methods(
    cls: type, names: frozenset[str]
) -> tuple[Callable[[object, str, object], None], Callable[[object, str], None]]:
    """Frozen ``__setattr__`` / ``__delattr__``: a field, or anything on the record itself.

    A plain subclass (not itself a record) may set attributes of its own, as with
    ``dataclasses``.
    """

    def __setattr__(self: object, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _getstate(self: object) -> tuple[object, ...]:
    return _values(self, False)


def _setstate(self: object, state: tuple[object, ...]) -> None:
    for spec, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, spec.name, value)
