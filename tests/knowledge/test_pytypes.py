"""JSON types from the type texts the release data records (annotations, YAML kinds)."""

from __future__ import annotations

import pytest

from cfgguard.knowledge.pytypes import enum_name, json_types


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # builtins, Optional and unions (typing and PEP 604)
        pytest.param("bool", {"boolean"}, id="bool"),
        pytest.param("int", {"integer"}, id="int"),
        pytest.param("float", {"number"}, id="float"),
        pytest.param("str", {"string"}, id="str"),
        pytest.param("Optional[float]", {"number", "null"}, id="optional"),
        pytest.param("int | None", {"integer", "null"}, id="pep604"),
        pytest.param("None | str | list[str]", {"null", "string", "array"}, id="none-first"),
        pytest.param("Optional[Union[int, float]]", {"number", "null"}, id="int-in-number"),
        pytest.param("Union[str, bool]", {"string", "boolean"}, id="union"),
        pytest.param("Optional[Union[int]]", {"integer", "null"}, id="union-of-one"),
        # containers: the container is the type, whatever it holds
        pytest.param("list[str]", {"array"}, id="list"),
        pytest.param("Optional[List[Tuple[int, int]]]", {"array", "null"}, id="typing-list"),
        pytest.param("tuple[float, float]", {"array"}, id="tuple"),
        pytest.param("dict[str, Any]", {"object"}, id="dict-of-any"),
        pytest.param("Optional[Dict]", {"object", "null"}, id="bare-dict"),
        pytest.param("dict | str | None", {"object", "string", "null"}, id="dict-or-json"),
        pytest.param("Optional[DictConfig]", {"object", "null"}, id="omegaconf-dict"),
        pytest.param(
            "Optional[conlist(Union[A, B], min_length=1)]", {"array", "null"}, id="pydantic-conlist"
        ),
        # Literal values give their own types
        pytest.param("Literal['a', 'b']", {"string"}, id="literal"),
        pytest.param(
            "Literal['auto'] | bool | None", {"string", "boolean", "null"}, id="literal-or-bool"
        ),
        pytest.param("Literal[False]", {"boolean"}, id="literal-false"),
        pytest.param(
            "Optional[Literal[None, 'eager', 'fused']]", {"string", "null"}, id="literal-none"
        ),
        pytest.param("Literal[1, 2.5]", {"number"}, id="literal-numbers"),
        # wrappers whose first argument is the type
        pytest.param("Annotated[list[str], MinLen(1)] | None", {"array", "null"}, id="annotated"),
        pytest.param(
            "Annotated[bool, Field(default=False, description='x')]",
            {"boolean"},
            id="annotated-field",
        ),
        pytest.param("Optional[tyro.conf.Suppress[int]]", {"integer", "null"}, id="tyro"),
        pytest.param("Optional['ParallelismConfig']", {"object", "null"}, id="forward-ref"),
        pytest.param("'SelfConditioningConfig | None'", {"object", "null"}, id="quoted-union"),
        # classes: argument groups are mappings, Enums are their (string) values
        pytest.param("Optional[PeftConfig]", {"object", "null"}, id="config-class"),
        pytest.param("Union[IntervalStrategy, str]", {"string"}, id="enum-or-str"),
        pytest.param(
            "SchedulerType | Literal['one_cycle'] | None", {"string", "null"}, id="enum-suffix"
        ),
        pytest.param("TorchAOQuantDType | None", {"string", "null"}, id="dtype-enum"),
        pytest.param(
            "str | Path | GenerationConfig | None", {"string", "object", "null"}, id="path"
        ),
        pytest.param("torch.dtype", {"string"}, id="dotted"),
        # verl trainer-config defaults and torchtune recipe kinds
        pytest.param("list", {"array"}, id="yaml-list"),
        pytest.param("dict", {"object"}, id="yaml-dict"),
        pytest.param("component", {"object"}, id="torchtune-component"),
        pytest.param("import path", {"string"}, id="torchtune-import-path"),
        # nothing known: every part must be known, and only-None says nothing
        pytest.param("", set[str](), id="empty"),
        pytest.param("Any", set[str](), id="any"),
        pytest.param("Optional[Any]", set[str](), id="optional-any"),
        pytest.param("object", set[str](), id="object"),
        pytest.param("Callable[[int], str]", set[str](), id="callable"),
        pytest.param("Widget | str", set[str](), id="unknown-class"),
        pytest.param("Optional[Foo]", set[str](), id="unknown-optional"),
        pytest.param("None", set[str](), id="only-none"),
        pytest.param("Literal[Mode.A]", set[str](), id="literal-of-enum-member"),
        pytest.param("list[", set[str](), id="no-python"),
        pytest.param("[" * 400 + "]" * 400, set[str](), id="too-deep"),
    ],
)
def test_json_types(text: str, expected: set[str]) -> None:
    assert json_types(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Widget | str", {"string"}, id="enum-class"),
        pytest.param("Optional[Widget]", {"string", "null"}, id="optional-enum"),
        pytest.param("Optional[LoftQConfig]", {"object", "null"}, id="config-stays-object"),
        pytest.param("Any", set[str](), id="any-noop"),
    ],
)
def test_json_types_of_a_field_with_choices(text: str, expected: set[str]) -> None:
    assert json_types(text, enums=True) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Union[IntervalStrategy, str]", "IntervalStrategy", id="union"),
        pytest.param(
            "Optional[Union[OptimizerNames, Literal['x']]]", "OptimizerNames", id="with-literal"
        ),
        pytest.param(
            "ChatTemplate | Annotated[str, StringConstraints(pattern='^t')]",
            "ChatTemplate",
            id="skips-calls",
        ),
        pytest.param("Literal['a', 'b']", "", id="literal-noop"),
        pytest.param("Optional[PeftConfig]", "", id="config-noop"),
        pytest.param("Optional[str]", "", id="builtin-noop"),
        pytest.param("not python (", "", id="syntax-noop"),
    ],
)
def test_enum_name(text: str, expected: str) -> None:
    assert enum_name(text) == expected
