"""cfgguard.records behaves as dataclasses for every option the package uses.

Each pair below declares one class twice, with ``dataclasses.dataclass`` and with the
runtime ``cfgguard._records.dataclass``, and the tests drive both the same way.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import pytest

from cfgguard import _records

T = TypeVar("T")
SRC = Path(__file__).resolve().parent.parent / "src" / "cfgguard"


def declare(make: Callable[..., Any], field: Callable[..., Any]) -> dict[str, Any]:
    @make(frozen=True, slots=True)
    class Frozen(Generic[T]):
        value: T
        name: str
        note: str = ""
        parts: tuple[int, ...] = ()
        LIMIT: ClassVar[int] = 3

        @property
        def shout(self) -> str:
            return self.name.upper()

    @make(eq=False, slots=True)
    class Node:
        value: str
        cache: dict[str, int] | None = field(default=None, repr=False)

    @make(slots=True)
    class Mutable:
        a: int = 0
        extra: dict[str, int] = field(default_factory=dict[str, int])

    @make(frozen=True)
    class Plain:
        a: int
        b: list[int] = field(default_factory=lambda: [1], compare=False)

    @make
    class Bare:
        a: int
        run: Callable[[], list[int]] = field(default=list)

    return {"Frozen": Frozen, "Node": Node, "Mutable": Mutable, "Plain": Plain, "Bare": Bare}


def _ours(cls: Any = None, /, **options: Any) -> Any:
    return _records.dataclass(cls, **options)


REAL = declare(dataclasses.dataclass, dataclasses.field)
OURS: dict[str, Any] = {}


@pytest.fixture(autouse=True, params=["generic", "compiled"])
def ours(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our classes, fresh, binding arguments by hand or with the compiled ``__init__``."""
    monkeypatch.setattr(_records, "COMPILE_AFTER", 10**9 if request.param == "generic" else 1)
    OURS.clear()
    OURS.update(declare(_ours, _records.field))


def both(name: str) -> list[Any]:
    return [REAL[name], OURS[name]]


def behaviour(cls: Any, make: Callable[[Any], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, action in {
        "repr": lambda: repr(make(cls)),
        "eq_same": lambda: make(cls) == make(cls),
        "hash_same": lambda: hash(make(cls)) == hash(make(cls)),
        "eq_other": lambda: make(cls) == object(),
        "match_args": lambda: cls.__match_args__,
        "fields": lambda: [
            f.name
            for f in (_records.fields(cls) if cls in OURS.values() else dataclasses.fields(cls))
        ],
        "has_dict": lambda: hasattr(make(cls), "__dict__"),
        "slots": lambda: getattr(cls, "__slots__", None),
        "pickle": lambda: repr(pickle.loads(pickle.dumps(make(cls)))),
    }.items():
        try:
            out[key] = action()
        except Exception as exc:
            out[key] = (
                type(exc).__mro__[1] if isinstance(exc, _records.FrozenInstanceError) else type(exc)
            )
    return out


CASES: list[tuple[str, Callable[[Any], Any]]] = [
    ("Frozen", lambda c: c(1, "x")),
    ("Frozen", lambda c: c(value=[1], name="x", parts=(1, 2))),
    ("Node", lambda c: c("v")),
    ("Mutable", lambda c: c()),
    ("Mutable", lambda c: c(2, {"k": 1})),
    ("Plain", lambda c: c(1)),
    ("Bare", lambda c: c(1)),
]


@pytest.mark.parametrize(("name", "make"), CASES)
def test_same_behaviour(name: str, make: Callable[[Any], Any]) -> None:
    real, ours = both(name)
    assert behaviour(ours, make) == behaviour(real, make)


ERRORS: list[tuple[str, Callable[[Any], Any]]] = [
    ("Frozen", lambda c: c()),
    ("Frozen", lambda c: c(1)),
    ("Frozen", lambda c: c(1, "x", nope=2)),
    ("Frozen", lambda c: setattr(c(1, "x"), "name", "y")),
    ("Frozen", lambda c: delattr(c(1, "x"), "name")),
    ("Node", lambda c: setattr(c("v"), "other", 1)),
    ("Plain", lambda c: setattr(c(1), "a", 2)),
]


@pytest.mark.parametrize(("name", "call"), ERRORS)
def test_same_errors(name: str, call: Callable[[Any], Any]) -> None:
    kinds: list[type[BaseException]] = []
    for cls in both(name):
        with pytest.raises((TypeError, AttributeError)) as caught:
            call(cls)
        kinds.append(AttributeError if isinstance(caught.value, AttributeError) else TypeError)
    assert kinds[0] == kinds[1]


def test_frozen_refuses_any_new_attribute() -> None:
    # CPython 3.11's frozen + slots dataclass raises TypeError here (its __setattr__ checks
    # the class it had before slots rebuilt it); an AttributeError is what frozen means.
    with pytest.raises(AttributeError, match="cannot assign to field 'other'"):
        OURS["Frozen"](1, "x").other = 1


def test_values_and_defaults() -> None:
    for cls in both("Frozen"):
        item = cls(1, "x")
        assert (item.value, item.name, item.note, item.parts, item.shout) == (1, "x", "", (), "X")
    for cls in both("Mutable"):
        one, two = cls(), cls()
        one.extra["k"] = 1
        assert two.extra == {}  # a fresh default per instance
        one.a = 5
        assert one.a == 5
    for cls in both("Bare"):
        assert cls(1).run() == []


def test_eq_false_keeps_identity() -> None:
    for cls in both("Node"):
        a, b = cls("v"), cls("v")
        assert a != b
        assert a == a  # noqa: PLR0124 - identity is the point
        assert len({a, b}) == 2


def test_compare_false_field_is_ignored() -> None:
    for cls in both("Plain"):
        assert cls(1, [1]) == cls(1, [2])
        assert hash(cls(1, [1])) == hash(cls(1, [2]))


def test_replace_and_asdict() -> None:
    real, ours = both("Frozen")
    assert repr(_records.replace(ours(1, "x"), note="n")) == repr(
        dataclasses.replace(real(1, "x"), note="n")
    )
    nested = ours(ours(2, "in"), "out")
    assert _records.asdict(nested) == dataclasses.asdict(real(real(2, "in"), "out"))
    with pytest.raises(TypeError):
        _records.replace(ours(1, "x"), nope=1)
    with pytest.raises(TypeError):
        _records.fields(object())


@pytest.mark.parametrize(
    "options", [{"order": True}, {"kw_only": True}, {"unsafe_hash": True}, {"bogus": 1}]
)
def test_unsupported_option_is_refused(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="dataclass option"):

        @_ours(**options)
        class _Anything:
            a: int


def test_declaration_errors_match() -> None:
    for make in (dataclasses.dataclass, _ours):
        with pytest.raises(TypeError):

            @make
            class _Order:
                a: int = 0
                b: int

        with pytest.raises(ValueError, match="mutable default"):

            @make
            class _Mutable:
                a: list[int] = []  # noqa: RUF012 - the error under test


def test_package_never_imports_dataclasses() -> None:
    """Importing dataclasses costs 8 ms per run; records.py is the one door to it."""
    pattern = re.compile(r"^\s*(from dataclasses import|import dataclasses)", re.M)
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "records.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_init_is_compiled_once_the_class_is_hot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_records, "COMPILE_AFTER", 3)
    cls = declare(_ours, _records.field)["Mutable"]
    made = [cls(i) for i in range(5)]
    assert [m.a for m in made] == [0, 1, 2, 3, 4]
    assert cls.__init__.__qualname__.endswith("Mutable.__init__")  # the compiled one
    assert cls(extra={"k": 1}).extra == {"k": 1}


def _package_records() -> list[type]:
    import importlib
    import pkgutil

    import cfgguard

    found: list[type] = []
    for info in pkgutil.walk_packages(cfgguard.__path__, "cfgguard."):
        if info.name.endswith("__main__"):  # runs the command line
            continue
        module = importlib.import_module(info.name)
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and value.__module__ == info.name
            and "__record_fields__" in value.__dict__
        )
    return found


def test_hand_written_inits_take_the_fields() -> None:
    """A record may write its __init__ out (a hot one); it must take exactly its fields."""
    import inspect

    written = [
        cls
        for cls in _package_records()
        if "args" not in inspect.signature(cls.__init__).parameters
        and not cls.__init__.__qualname__.startswith("_lazy_init")
    ]
    assert {cls.__qualname__ for cls in written} >= {"Mark"}
    for cls in written:
        specs = _records.fields(cls)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert [p.name for p in params] == [f.name for f in specs], cls
        for param, spec in zip(params, specs, strict=True):
            expected = inspect.Parameter.empty if spec.required else spec.default
            assert param.default == expected, (cls, spec.name)
