"""pyast helpers added for the HF-family extractors (source read with ast, never run)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from cfgguard.knowledge.extract import pyast


def module(text: str) -> ast.Module:
    parsed = pyast.parse(textwrap.dedent(text))
    assert parsed is not None
    return parsed


def expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param('"a {} b".format(x)', "a {} b", id="str-format-template"),
        pytest.param('"a %s b" % x', "a %s b", id="percent-template"),
        pytest.param('"a " + "b"', "a b", id="concatenation"),
        pytest.param('f"a {x.y} b"', "a {x.y} b", id="f-string"),
        pytest.param("x.format(1)", "", id="format-of-a-name"),
        pytest.param("3 % 2", "", id="modulo-of-numbers"),
    ],
)
def test_string(source: str, expected: str) -> None:
    assert pyast.string(expression(source)) == expected


def test_dataclass_fields_deprecated_from_help_and_marker() -> None:
    cls = pyast.classes(
        module(
            """
            @dataclass
            class A:
                old: int = field(default=1, metadata={"help": "Deprecated. Use `new` instead."})
                marked: int = field(default=1, metadata={"deprecated": True})
                said: int = field(default=1, metadata={"deprecated": "gone in 2.0"})
                mentions: int = field(default=1, metadata={"help": "The (deprecated) launcher."})
            """
        )
    )["A"]
    assert [(f.name, f.deprecated, f.replacement) for f in pyast.dataclass_fields(cls)] == [
        ("old", "Deprecated. Use `new` instead.", ""),  # the extractor fills the replacement
        ("marked", "deprecated", ""),
        ("said", "gone in 2.0", ""),
        ("mentions", "", ""),
    ]


def test_decorators_dataclass_enum() -> None:
    found = pyast.classes(
        module(
            """
            @dataclasses.dataclass(frozen=True)
            class A: ...
            @register
            class B(str, enum.Enum): ...
            class C(ExplicitEnum): ...
            class D(Base): ...
            """
        )
    )
    assert pyast.decorator_names(found["A"]) == ("dataclass",)
    assert [pyast.is_dataclass(c) for c in found.values()] == [True, False, False, False]
    assert [pyast.is_enum(c) for c in found.values()] == [False, True, True, False]


def test_imports_anywhere_first_wins() -> None:
    tree = module(
        """
        from typing import TYPE_CHECKING
        from .a import X as Y
        if TYPE_CHECKING:
            from ..b.c import Z
        def f():
            from pkg import W, Y
        from . import sub
        from m import *
        """
    )
    assert pyast.imports(tree) == {
        "TYPE_CHECKING": (0, "typing", "TYPE_CHECKING"),
        "Y": (1, "a", "X"),
        "Z": (2, "b.c", "Z"),
        "W": (0, "pkg", "W"),
        "sub": (1, "", "sub"),
    }


@pytest.mark.parametrize(
    ("path", "level", "name", "expected"),
    [
        pytest.param("a/b/c.py", 0, "x.y", "x.y", id="absolute"),
        pytest.param("a/b/c.py", 1, "d", "a.b.d", id="sibling"),
        pytest.param("a/b/c.py", 2, "d", "a.d", id="parent"),
        pytest.param("a/b/__init__.py", 1, "d", "a.b.d", id="from-a-package-init"),
        pytest.param("a/b/c.py", 1, "", "a.b", id="from-dot-import"),
        pytest.param("a/c.py", 3, "d", "", id="above-the-tree"),
    ],
)
def test_absolute_module(path: str, level: int, name: str, expected: str) -> None:
    assert pyast.absolute_module(path, level, name) == expected


def test_assignments_last_wins_through_blocks() -> None:
    tree = module(
        """
        A = 1
        if flag:
            B = First
        else:
            B = Second
        try:
            C = x
        except ImportError:
            C = y
        def f():
            A = inner
        A, D = 2, 3
        """
    )
    found = pyast.assignments(tree)
    assert {k: ast.unparse(v) for k, v in found.items()} == {"A": "1", "B": "Second", "C": "y"}


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        pytest.param(
            "Union[IntervalStrategy, str]", ("Union", "IntervalStrategy", "str"), id="union"
        ),
        pytest.param("Optional[enums.PeftType]", ("Optional", "PeftType"), id="dotted"),
        pytest.param("'FSDPOption' | None", ("FSDPOption", "None"), id="quoted-forward-ref"),
        pytest.param("", (), id="none"),
    ],
)
def test_names_in(annotation: str, expected: tuple[str, ...]) -> None:
    assert pyast.names_in(annotation) == expected


def test_calls_argument_and_sequence_names() -> None:
    tree = module(
        """
        p = TrlParser((A, b.B), prog="x")
        q = trl.HfArgumentParser(dataclass_types=[C])
        r = TrlParser(*types)
        s = Other(D)
        """
    )
    calls = sorted(pyast.calls_to(tree, "TrlParser", "HfArgumentParser"), key=lambda c: c.lineno)
    assert [c.lineno for c in calls] == [2, 3, 4]
    values = [pyast.argument(c, 0, "dataclass_types") for c in calls]
    assert [pyast.sequence_names(v) for v in values] == [("A", "B"), ("C",), None]
    assert pyast.sequence_names(expression("(A, f())")) is None
    assert pyast.sequence_names(expression("A")) == ("A",)


def test_enclosing_assignment_is_the_last_before_the_call() -> None:
    tree = module(
        """
        def make_parser():
            types = (Old,)
            if cond:
                types = (A, B)
            def helper():
                types = (Inner,)
            parser = TrlParser(types)
            types = (After,)
        """
    )
    function = next(pyast.functions(tree))
    found = pyast.enclosing_assignment(function, "types", before=8)
    assert found is not None
    assert ast.unparse(found) == "(A, B)"
    assert pyast.enclosing_assignment(function, "missing", before=8) is None


def test_statements_and_functions_in_order() -> None:
    tree = module(
        """
        import a
        class K:
            def m(self):
                if x:
                    return 1
        try:
            pass
        except E:
            def g(): ...
        """
    )
    kinds = [type(s).__name__ for s in pyast.statements(tree)]
    assert kinds == [
        "Import", "ClassDef", "FunctionDef", "If", "Return", "Try", "Pass", "FunctionDef", "Expr",
    ]  # fmt: skip
    assert sorted(f.name for f in pyast.functions(tree)) == ["g", "m"]


def test_a_field_declared_twice_is_one_field() -> None:
    cls = pyast.classes(
        module(
            """
            @dataclass
            class A:
                n: int = 5
                m: str = "x"
                n: int = field(default=7, metadata={"help": "Later."})
                c: int = 1
                c: ClassVar[int] = 2
            """
        )
    )["A"]
    assert [(f.name, f.default, f.line) for f in pyast.dataclass_fields(cls)] == [
        ("n", "7", 6),
        ("m", "'x'", 5),
    ]
