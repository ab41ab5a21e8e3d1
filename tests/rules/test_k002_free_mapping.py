"""A key below a section that was a free mapping at some release (axolotl's ``fsdp_config``
was ``dict[str, Any]`` until 0.12.2 and the ``FSDPConfig`` model from 0.13.1): the key was
read there, so it is a removal (K002), not an unknown key (K001)."""

from __future__ import annotations

import pytest

from cfgguard.findings import Severity
from tests.conftest import run

TEXT = (
    "base_model: meta-llama/Llama-3.1-8B-Instruct\nadapter: lora\nlora_r: 16\n"
    "fsdp_config:\n  fsdp_limit_all_gathers: true\n"
)


def keyed(pins: dict[str, str]) -> list[tuple[str, int, int, Severity]]:
    return [
        (f.code, f.line, f.column, f.severity)
        for f in run(TEXT, "axolotl", pins=pins)
        if f.code in {"K001", "K002"}
    ]


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        pytest.param({"axolotl": "==0.12.2"}, [], id="free-mapping-release_noop"),
        pytest.param({"axolotl": "==0.8.0"}, [], id="older-free-mapping_noop"),
        pytest.param({"axolotl": "==0.21.0"}, [("K002", 5, 3, Severity.ERROR)], id="model-release"),
        pytest.param(
            {"axolotl": ">=0.12,<0.14"}, [("K002", 5, 3, Severity.WARNING)], id="range-spans-both"
        ),
    ],
)
def test_key_below_a_mapping_that_took_any_key(
    pins: dict[str, str], expected: list[tuple[str, int, int, Severity]]
) -> None:
    assert keyed(pins) == expected


def test_message_says_the_mapping_took_any_key_until_the_last_free_release() -> None:
    (finding,) = [f for f in run(TEXT, "axolotl", pins={"axolotl": "==0.21.0"}) if f.code == "K002"]
    assert finding.message.startswith(
        "'fsdp_config.fsdp_limit_all_gathers' is not read from axolotl 0.13.1 on:"
        " 'fsdp_config' took any key until axolotl 0.12.2 ("
    )
    assert finding.fix is None  # nothing replaces it by name
