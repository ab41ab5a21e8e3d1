"""cfgguard.records behaves as dataclasses for every option the package uses.

Each pair below declares one class twice, with ``dataclasses.dataclass`` and with the
runtime ``cfgguard._records.dataclass``, and the tests drive both the same way.
"""

from __future__ import annotations

import abc
import dataclasses
import pickle
import re
import typing
from collections.abc import Callable
from dataclasses import KW_ONLY, InitVar
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
            for f in (
                _records.fields(cls)
                if hasattr(cls, "__record_fields__")
                else dataclasses.fields(cls)
            )
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
    "options",
    [
        pytest.param({"order": True}, id="order"),
        pytest.param({"kw_only": True}, id="kw_only"),
        pytest.param({"unsafe_hash": True}, id="unsafe_hash"),
        pytest.param({"init": False}, id="init"),
        pytest.param({"match_args": False}, id="match_args"),
        pytest.param({"weakref_slot": True, "slots": True}, id="weakref_slot"),
    ],
)
def test_unsupported_option_is_refused(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=r"dataclass option \w+=\w+ is not supported"):

        @_ours(**options)
        class _Anything:
            a: int


def test_unknown_option_is_refused() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):

        @_ours(bogus=1)
        class _Anything:
            a: int


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"init": False}, id="init"),
        pytest.param({"hash": True}, id="hash"),
        pytest.param({"hash": False}, id="hash-false"),
        pytest.param({"metadata": {"doc": "x"}}, id="metadata"),
        pytest.param({"metadata": {}}, id="metadata-empty"),
        pytest.param({"kw_only": True}, id="kw_only"),
        pytest.param({"doc": "the a"}, id="doc"),
    ],
)
def test_unsupported_field_option_is_refused(options: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=r"field option \w+=.* is not supported"):

        @_ours
        class _Anything:
            a: int = _records.field(**options)


def test_options_at_their_default_are_accepted() -> None:
    """Spelling out a default changes nothing, so it is not refused."""

    @_ours(init=True, order=False, unsafe_hash=False, kw_only=False, match_args=True)
    class Spelled:
        a: int = _records.field(default=1, init=True, hash=None, metadata=None, kw_only=False)

    assert (Spelled().a, Spelled.__match_args__) == (1, ("a",))
    (spec,) = _records.fields(Spelled)
    assert (spec.init, spec.hash, spec.kw_only, dict(spec.metadata), spec.type) == (
        True,
        None,
        False,
        {},
        "int",
    )


class _Hooked:
    def __post_init__(self) -> None:
        raise AssertionError("never called")


REFUSED: list[Any] = []


def _refused(match: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(declare: Callable[[], object]) -> Callable[[], object]:
        REFUSED.append(pytest.param(declare, match, id=declare.__name__))
        return declare

    return register


@_refused("__post_init__ is not supported")
def post_init() -> object:
    @_ours
    class Checked:
        a: int

        def __post_init__(self) -> None:
            raise ValueError("never called")

    return Checked


@_refused("__post_init__ is not supported")
def inherited_post_init() -> object:
    @_ours
    class Checked(_Hooked):
        a: int

    return Checked


@_refused("InitVar is not supported")
def init_var() -> object:
    @_ours
    class Built:
        seed: InitVar[int]
        a: int = 0

    return Built


@_refused("InitVar is not supported")
def init_var_dotted() -> object:
    @_ours
    class Built:
        seed: dataclasses.InitVar[int]

    return Built


@_refused("InitVar is not supported")
def init_var_object() -> object:
    return _ours(type("Built", (), {"__annotations__": {"seed": dataclasses.InitVar(int)}}))


@_refused("KW_ONLY is not supported")
def kw_only_marker() -> object:
    @_ours
    class Later:
        a: int
        _: KW_ONLY
        b: int = 0

    return Later


@_refused("ClassVar is not typing.ClassVar at runtime")
def class_var_for_type_checkers_only() -> object:
    # how `if TYPE_CHECKING: from typing import ClassVar` reads at runtime: dataclasses
    # would make LIMIT a field with the default 3; the old check skipped it by name
    return _ours(
        type(
            "Limited",
            (),
            {"__annotations__": {"LIMIT": "ClassVar[int]"}, "LIMIT": 3, "__module__": "os"},
        )
    )


@_refused("a ClassVar takes a value, not field()")
def class_var_field() -> object:
    @_ours
    class Counted:
        total: ClassVar[list[int]] = _records.field(default_factory=list[int])

    return Counted


@_refused("'b' is a field but has no type annotation")
def field_without_annotation() -> object:
    @_ours
    class Loose:
        a: int
        b = _records.field(default=1)

    return Loose


@_refused("a field named 'self'")
def field_named_self() -> object:
    return _ours(type("Odd", (), {"__annotations__": {"self": "int"}}))


@_refused("is a dataclasses dataclass")
def stdlib_base() -> object:
    @dataclasses.dataclass
    class Base:
        a: int

    @_ours
    class Derived(Base):
        b: int = 0

    return Derived


@_refused("cannot inherit frozen dataclass from a non-frozen one")
def frozen_from_mutable() -> object:
    @_ours
    class Base:
        a: int

    @_ours(frozen=True)
    class Derived(Base):
        b: int = 0

    return Derived


@_refused("cannot inherit non-frozen dataclass from a frozen one")
def mutable_from_frozen() -> object:
    @_ours(frozen=True)
    class Base:
        a: int

    @_ours
    class Derived(Base):
        b: int = 0

    return Derived


@_refused("Cannot overwrite attribute __setattr__")
def frozen_own_setattr() -> object:
    @_ours(frozen=True)
    class Guarded:
        a: int

        def __setattr__(self, name: str, value: object) -> None:
            object.__setattr__(self, name, value)

    return Guarded


@_refused("already specifies __slots__")
def slots_declared_twice() -> object:
    @_ours(slots=True)
    class Slotted:
        __slots__ = ("a",)
        a: int

    return Slotted


@_refused("zero-argument super")
def slots_with_super() -> object:
    @_ours(slots=True)
    class Slotted:
        a: int

        def __repr__(self) -> str:
            return "S" + super().__repr__()

    return Slotted


@_refused("zero-argument super")
def slots_with_class_cell_in_property() -> object:
    @_ours(slots=True, frozen=True)
    class Slotted:
        a: int

        @property
        def kind(self) -> str:
            return __class__.__name__

    return Slotted


@_refused("lazily evaluated annotations")
def lazy_annotations() -> object:
    # Python 3.14 without `from __future__ import annotations`: no __annotations__ in the
    # class dict, only the function that computes them
    return _ours(type("Lazy", (), {"__annotate__": lambda _format: {"a": int}}))  # pyright: ignore[reportUnknownLambdaType]


@pytest.mark.parametrize(("declare", "match"), REFUSED)
def test_refused_at_definition(declare: Callable[[], object], match: str) -> None:
    with pytest.raises(TypeError, match=re.escape(match)):
        declare()


@pytest.mark.parametrize(
    "declare",
    [
        pytest.param(d, id=d.__name__)
        for d in (
            frozen_from_mutable,
            mutable_from_frozen,
            frozen_own_setattr,
            slots_declared_twice,
            field_without_annotation,
        )
    ],
)
def test_refused_where_dataclasses_refuses(
    declare: Callable[[], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """These refusals are dataclasses' own: the same declaration fails with it too."""
    monkeypatch.setitem(globals(), "_ours", dataclasses.dataclass)
    monkeypatch.setattr(_records, "field", dataclasses.field)
    with pytest.raises(TypeError):
        declare()


CV = ClassVar  # dataclasses reads a string annotation's leading name in the module


class ClassVarish:
    """A type whose name merely contains ClassVar: a field's type like any other."""


class _Defaults:
    inherited = 7


def declare_more(make: Callable[..., Any], field: Callable[..., Any]) -> dict[str, Any]:
    @make
    class Base(_Defaults):
        a: int = 1
        b: list[int] = field(default_factory=list[int])
        inherited: int
        COUNT: typing.ClassVar[int] = 0
        ALIAS: CV[int] = 0
        odd: ClassVarish | None = None

    @make
    class Again(Base):
        a: int  # a base's default is still its default (read with getattr)
        c: str = "c"

    @make(slots=True)
    class SlotBase:
        x: int = 3

    @make(slots=True)
    class SlotAgain(SlotBase):
        x: int  # the slot on SlotBase is no default: required again

    @make(frozen=True)
    class Hashless:
        a: int
        __hash__ = None  # pyright: ignore[reportAssignmentType] - explicit: kept

    @make(frozen=True)
    class Sealed:
        a: int

    class Open(Sealed):
        pass

    class Shape(abc.ABC):
        @abc.abstractmethod
        def __repr__(self) -> str: ...

    @make
    class Square(Shape):
        side: int

    return {
        "Base": Base,
        "Again": Again,
        "SlotBase": SlotBase,
        "SlotAgain": SlotAgain,
        "Hashless": Hashless,
        "Sealed": Sealed,
        "Open": Open,
        "Square": Square,
    }


REAL_MORE = declare_more(dataclasses.dataclass, dataclasses.field)


def both_more(name: str) -> list[Any]:
    return [REAL_MORE[name], declare_more(_ours, _records.field)[name]]


def _field_view(cls: Any) -> list[tuple[object, ...]]:
    specs = _records.fields(cls) if hasattr(cls, "__record_fields__") else dataclasses.fields(cls)
    missing = {id(_records._MISSING), id(dataclasses.MISSING)}  # pyright: ignore[reportPrivateUsage]
    return [
        (
            f.name,
            f.type,
            "MISSING" if id(f.default) in missing else f.default,
            "MISSING" if id(f.default_factory) in missing else f.default_factory,
            f.repr,
            f.compare,
            f.init,
            f.hash,
        )
        for f in specs
    ]


DECLARATIONS: list[tuple[str, Callable[[Any], Any], str]] = [
    ("Base", lambda c: c(), "classvars-and-inherited-default"),
    ("Again", lambda c: c(), "base-default-kept"),
    ("SlotBase", lambda c: c(), "slot-base"),
    ("SlotAgain", lambda c: c(5), "slot-is-not-a-default"),
    ("Hashless", lambda c: c(1), "explicit-hash-none"),
    ("Square", lambda c: c(2), "abstract-repr-implemented"),
]


@pytest.mark.parametrize(
    ("name", "make"), [pytest.param(name, make, id=label) for name, make, label in DECLARATIONS]
)
def test_same_declarations(name: str, make: Callable[[Any], Any]) -> None:
    real, ours = both_more(name)
    assert _field_view(ours) == _field_view(real)
    assert behaviour(ours, make) == behaviour(real, make)
    assert getattr(ours, "__abstractmethods__", None) == getattr(real, "__abstractmethods__", None)


def test_slot_base_default_is_not_inherited() -> None:
    for cls in both_more("SlotAgain"):
        with pytest.raises(TypeError):
            cls()


def test_plain_subclass_of_frozen_sets_its_own_attributes() -> None:
    for cls in both_more("Open"):
        item = cls(1)
        item.note = "fine"
        assert item.note == "fine"
        with pytest.raises(AttributeError, match="cannot assign to field 'a'"):
            item.a = 2


@pytest.mark.parametrize(
    "default",
    [pytest.param(bytearray(b"x"), id="bytearray"), pytest.param({1}, id="set")],
)
def test_unhashable_default_is_refused(default: object) -> None:
    for make in (dataclasses.dataclass, _ours):
        with pytest.raises(ValueError, match="mutable default"):
            make(type("Holder", (), {"__annotations__": {"a": "object"}, "a": default}))


def test_mutable_record_default_is_refused() -> None:
    """A mutable record is unhashable (eq without frozen): dataclasses refuses it as a default."""
    for make in (dataclasses.dataclass, _ours):
        inner = make(type("Inner", (), {"__annotations__": {"a": "int"}}))
        with pytest.raises(ValueError, match="mutable default"):
            make(type("Outer", (), {"__annotations__": {"i": "object"}, "i": inner(1)}))


class Pair(typing.NamedTuple):  # asdict rebuilds a namedtuple with its fields
    left: int
    right: tuple[int, int]


class Tagged(dict[str, object]):
    pass


def test_asdict_rebuilds_containers_as_dataclasses_does() -> None:
    real, ours = both("Frozen")
    shared = {1, 2}
    value = [Pair(1, (2, 3)), Tagged(k=shared), frozenset({4})]
    mine, theirs = _records.asdict(ours(value, "n")), dataclasses.asdict(real(value, "n"))
    assert mine == theirs
    assert [type(v) for v in mine["value"]] == [type(v) for v in theirs["value"]]
    assert mine["value"][1]["k"] is not shared  # leaves are deep copies, as in dataclasses
    for call in (_records.asdict, _records.replace):
        with pytest.raises(TypeError, match="record instances"):
            call(ours)  # a class, not an instance


def test_eq_follows_the_python_version() -> None:
    """Before 3.13 dataclasses compares tuples (an identical NaN is equal), then field by field."""
    nan = float("nan")
    real, ours = both("Mutable")
    assert (ours(1, {"k": nan}) == ours(1, {"k": nan})) == (
        real(1, {"k": nan}) == real(1, {"k": nan})
    )
    one, other = OURS["Plain"](nan), OURS["Plain"](nan)
    assert _records.eq_as_tuples(one, other) is True
    assert _records.eq_by_fields(one, other) is False
    assert _records.eq_by_fields(one, one) is True
    assert _records.eq_by_fields(one, object()) is NotImplemented
    assert hasattr(ours, "__replace__") == hasattr(real, "__replace__")


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


@pytest.mark.parametrize(
    ("value", "stdlib"),
    [
        pytest.param("1", True, id="on"),
        pytest.param("0", False, id="off"),
        pytest.param("", False, id="empty"),
    ],
)
def test_one_switch_swaps_in_dataclasses(value: str, stdlib: bool) -> None:
    """CFGGUARD_STDLIB_DATACLASSES=1 makes cfgguard.records hand out dataclasses itself."""
    import os
    import subprocess
    import sys

    from cfgguard.records import SWITCH

    probe = (
        "import sys, cfgguard.records as r, cfgguard.cli.commands;"
        "print(r.dataclass.__module__, 'dataclasses' in sys.modules)"
    )
    env = {**os.environ, SWITCH: value}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == (["dataclasses", "True"] if stdlib else ["cfgguard._records", "False"])


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
            and ("__record_fields__" in value.__dict__ or "__dataclass_fields__" in value.__dict__)
        )
    return found


def test_hand_written_inits_take_the_fields() -> None:
    """A record may write its __init__ out (a hot one); it must take exactly its fields."""
    import inspect

    from cfgguard import records

    written = [
        cls
        for cls in _package_records()
        if "args" not in inspect.signature(cls.__init__).parameters
        and not cls.__init__.__qualname__.startswith("_lazy_init")
    ]
    assert {cls.__qualname__ for cls in written} >= {"Mark"}
    for cls in written:
        specs = records.fields(cls)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        assert [p.name for p in params] == [f.name for f in specs], cls
        for param, spec in zip(params, specs, strict=True):
            unset = (_records._MISSING, dataclasses.MISSING)  # pyright: ignore[reportPrivateUsage]
            if spec.default_factory not in unset:
                continue  # dataclasses' __init__ shows a sentinel for it, ours _MISSING
            expected = inspect.Parameter.empty if spec.default in unset else spec.default
            assert param.default == expected, (cls, spec.name)
