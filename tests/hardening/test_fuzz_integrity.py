"""Fuzz positions: double BOMs, tags, anchors, aliases and multi-line scalars on the
fixtures and examples, through every fix and ``--add-ignore`` (issue 14).

The properties are in ``tests/hardening/integrity.py``. A long run by hand::

    CFGGUARD_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/hardening/test_fuzz_integrity.py \
        -s --hypothesis-show-statistics
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cfgguard.check import Options
from tests.hardening import integrity
from tests.hardening.test_fuzz import BUDGET, SEEDS, config_bytes, options


@st.composite
def _cases(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A seed, or a gently mutated one (so that fixes have work), then decorated."""
    if draw(st.booleans()):
        text = draw(st.sampled_from(SEEDS))
    else:
        raw = draw(config_bytes(gentle=True))
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    _, data, applied = draw(integrity.decorated(text))
    return data, applied


@BUDGET
@given(case=_cases(), opts=options())
def test_fixes_and_add_ignore_keep_everything_else(
    case: tuple[bytes, list[str]], opts: Options
) -> None:
    data, applied = case
    integrity.check_all(data, applied, opts)
