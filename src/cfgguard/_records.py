"""The runtime side of ``cfgguard.records`` (see there for why it exists).

Behaves as ``dataclasses`` for the options cfgguard uses: positional-or-keyword
``__init__`` in declaration order (a base's fields first), defaults and default factories,
``__repr__`` as ``Name(a=1, b='x')`` (recursion-safe), ``__eq__`` comparing the fields of two
instances of the same class, ``__hash__`` over the fields when frozen (``None`` when only
``eq``), frozen assignment raising an ``AttributeError``, ``__slots__`` (picklable when
frozen), ``__match_args__``, and ``fields`` / ``replace`` / ``asdict``. A method the class
body defines itself is never replaced.
"""

from __future__ import annotations

import itertools
import reprlib
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")

_MISSING: Final = object()
COMPILE_AFTER = 64  # instances of a record before its __init__ is compiled
_UNSUPPORTED: Final = ("init", "order", "unsafe_hash", "kw_only", "match_args", "weakref_slot")


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class FieldSpec:
    """One field: its name, default or default factory, and whether repr / eq use it."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(self, default: object, default_factory: object, repr: bool, compare: bool) -> None:
        self.name = ""
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
) -> Any:
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
    for name in unsupported:
        kind = "not supported by cfgguard.records" if name in _UNSUPPORTED else "unknown"
        raise TypeError(f"dataclass option {name!r} is {kind}")

    def wrap(cls: type) -> type:
        return _build(cls, frozen=frozen, slots=slots, eq=eq, repr=repr)

    return wrap if cls is None else wrap(cls)


def fields(obj: object) -> tuple[FieldSpec, ...]:
    specs: tuple[FieldSpec, ...] | None = getattr(obj, "__record_fields__", None)
    if specs is None:
        raise TypeError("must be called with a record type or instance")
    return specs


def replace(obj: T, /, **changes: object) -> T:
    values = {f.name: getattr(obj, f.name) for f in fields(obj)}
    for name in changes:
        if name not in values:
            raise TypeError(f"{type(obj).__qualname__} has no field {name!r}")
    values.update(changes)
    make: Callable[..., T] = type(obj)
    return make(**values)


def asdict(obj: object) -> dict[str, Any]:
    return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}


def _plain(value: object) -> Any:
    if hasattr(type(value), "__record_fields__"):
        return asdict(value)
    if isinstance(value, (list, tuple)):
        items: list[object] | tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
        return type(items)(_plain(v) for v in items)
    if isinstance(value, dict):
        pairs: dict[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        return {_plain(k): _plain(v) for k, v in pairs.items()}
    return value


def _build(cls: type, *, frozen: bool, slots: bool, eq: bool, repr: bool) -> type:
    specs = _collect(cls)
    own = cls.__dict__
    if slots:
        cls = _with_slots(cls, specs)
    names = tuple(f.name for f in specs)
    cls.__record_fields__ = specs  # type: ignore[attr-defined]
    methods: dict[str, object] = {
        "__init__": _lazy_init(cls, specs, frozen),
        "__match_args__": names,
    }
    if repr:
        methods["__repr__"] = _repr
    if eq:
        methods["__eq__"] = _eq
    if frozen:
        methods["__setattr__"] = _frozen_setattr
        methods["__delattr__"] = _frozen_delattr
        if slots:
            methods["__getstate__"] = _getstate
            methods["__setstate__"] = _setstate
    for name, method in methods.items():
        if name not in own:
            setattr(cls, name, method)
    if eq and not ("__hash__" in own and own["__hash__"] is not None):
        cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
    return cls


def _collect(cls: type) -> tuple[FieldSpec, ...]:
    """Fields of the bases, then the class's own annotations in order (ClassVar skipped)."""
    found: dict[str, FieldSpec] = {}
    for base in reversed(cls.__mro__[1:]):
        for spec in base.__dict__.get("__record_fields__", ()):
            found[spec.name] = spec
    # not inspect.get_annotations: importing inspect is what this module avoids
    annotations: dict[str, object] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    for name, annotation in annotations.items():
        if "ClassVar" in str(annotation):
            continue
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, FieldSpec) else FieldSpec(value, _MISSING, True, True)
        if isinstance(spec.default, (list, dict, set)):
            raise ValueError(f"mutable default for field {name}: use default_factory")
        spec.name = name
        found[name] = spec
        if isinstance(value, FieldSpec):  # a class attribute only while the class is built
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    specs = tuple(found.values())
    for before, after in itertools.pairwise(specs):
        if after.required and not before.required:
            raise TypeError(f"non-default argument {after.name!r} follows default argument")
    return specs


def _with_slots(cls: type, specs: tuple[FieldSpec, ...]) -> type:
    inherited = {name for base in cls.__mro__[1:] for name in base.__dict__.get("__slots__", ())}
    names = tuple(f.name for f in specs if f.name not in inherited)
    namespace = dict(cls.__dict__)
    for name in (*names, "__dict__", "__weakref__"):
        namespace.pop(name, None)
    namespace["__slots__"] = names
    qualname = cls.__qualname__
    rebuilt = type(cls)(cls.__name__, cls.__bases__, namespace)
    rebuilt.__qualname__ = qualname
    return rebuilt


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
        body.append(f"__set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope)
    init: Callable[..., None] = scope["__init__"]  # type: ignore[assignment]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _values(obj: object, compared: bool) -> tuple[object, ...]:
    return tuple(getattr(obj, f.name) for f in fields(obj) if f.compare or not compared)


@reprlib.recursive_repr()
def _repr(self: object) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self, True) == _values(other, True)


def _hash(self: object) -> int:
    return hash(_values(self, True))


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: object) -> tuple[object, ...]:
    return _values(self, False)


def _setstate(self: object, state: tuple[object, ...]) -> None:
    for spec, value in zip(fields(self), state, strict=True):
        object.__setattr__(self, spec.name, value)
