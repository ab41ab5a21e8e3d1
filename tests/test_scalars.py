from __future__ import annotations

import pytest

from cfgguard.yaml.nodes import Mark, Scalar
from cfgguard.yaml.scalars import Value, resolve

M = Mark(0, 0, 0)


@pytest.mark.parametrize(
    ("text", "yaml11", "omegaconf"),
    [
        ("5e-4", "5e-4", 0.0005),
        ("2e-05", "2e-05", 2e-05),
        ("1e5", "1e5", 100000.0),
        ("5E-4", "5E-4", 0.0005),
        ("5.0e-4", 0.0005, 0.0005),
        ("1.0e5", "1.0e5", 100000.0),
        ("0.0001", 0.0001, 0.0001),
        (".5", 0.5, 0.5),
        ("no", False, False),
        ("On", True, True),
        ("y", "y", "y"),
        ("none", "none", "none"),
        ("null", None, None),
        ("~", None, None),
        ("010", 8, 8),
        ("1:30", 90, 90),
        ("1_000", 1000, 1000),
        ("2024-01-01", "2024-01-01", "2024-01-01"),
    ],
)
def test_profiles(text: str, yaml11: Value, omegaconf: Value) -> None:
    node = Scalar(text, "", M, M)
    assert resolve(node, "yaml11") == yaml11
    assert resolve(node, "omegaconf") == omegaconf
    assert type(resolve(node, "yaml11")) is type(yaml11)


def test_quoted_is_always_a_string() -> None:
    assert resolve(Scalar("5.0e-4", '"', M, M), "omegaconf") == "5.0e-4"


def test_explicit_tag_wins() -> None:
    assert resolve(Scalar("5", "", M, M, "tag:yaml.org,2002:str"), "yaml11") == "5"
