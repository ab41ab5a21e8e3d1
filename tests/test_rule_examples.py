"""Every rule doc's ``## Example`` runs: it fires its rule, and its fix gives the text shown.

The Example states how it is checked on its first line, as a user would run it:

    Checked as: `cfgguard check --dialect axolotl --devices 4`.
    Checked as: `cfgguard check --dialect axolotl` (also fires L004).

and the codes it fires are exactly the rule's and the ones named after "also fires". An
Example that cannot be a file (a 10 MiB one) says ``Not checked: <why>`` instead. For a
fixable rule, the text after the example (a YAML block, else the first `key: value`) is
what the fix must leave, comments aside.
"""

from __future__ import annotations

import re

import pytest

from cfgguard.check import Options, check_source
from cfgguard.derived.context import Settings
from cfgguard.findings import Finding
from cfgguard.fix.engine import fix_source
from cfgguard.rules import RULES
from cfgguard.rules.base import Rule
from cfgguard.source import decode

CHECKED = re.compile(
    r"^Checked as: `cfgguard check(?P<flags>[^`]*)`"
    r"(?: \(also fires (?P<also>[A-Z]\d{3}(?:, [A-Z]\d{3})*)\))?\.$"
)
NOT_CHECKED = re.compile(r"^Not checked: \S.*$")
BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
INLINE = re.compile(r"`([\w.]+: [^`]+)`")
SETTINGS = {
    "--devices": "devices",
    "--gpu-memory": "gpu_memory_gb",
    "--dataset-size": "dataset_size",
}
SKETCHES = {"Y005", "Y007", "F001"}  # the Examples that say "Not checked"


def _example(rule: Rule) -> str:
    return rule.doc.split("## Example\n", 1)[1].split("\n## ", 1)[0]


def _options(flags: str) -> Options:
    words = flags.split()
    pairs = dict(zip(words[::2], words[1::2], strict=True))
    dialect = pairs.pop("--dialect", None)
    settings = Settings(**{SETTINGS[flag]: int(value) for flag, value in pairs.items()})
    return Options(dialect=dialect, settings=settings)


def _uncommented(text: str) -> list[str]:
    """The lines of YAML ``text`` without comments or blank lines."""
    lines = (re.sub(r"(^|\s+)#.*$", "", line).rstrip() for line in text.splitlines())
    return [line for line in lines if line]


def _contains(lines: list[str], run: list[str]) -> bool:
    return any(lines[i : i + len(run)] == run for i in range(len(lines) - len(run) + 1))


def _checked(rule: Rule) -> tuple[re.Match[str], str, str]:
    """The "Checked as" line, the example's YAML and what follows it in the Example."""
    example = _example(rule)
    first = example.lstrip("\n").splitlines()[0]
    checked = CHECKED.fullmatch(first)
    assert checked, f"{rule.code}: the Example's first line is not 'Checked as: ...': {first!r}"
    block = BLOCK.search(example)
    assert block, f"{rule.code}: the Example has no YAML block"
    return checked, block.group(1), example[block.end() :]


# G001's fix renames a misspelled verl group-size key; its Example (TRL's num_generations: 2)
# is advice only
ADVICE_ONLY = {"G001"}
RUN = [pytest.param(r, id=r.code) for r in RULES if r.code not in SKETCHES]
FIXABLE = [pytest.param(r, id=r.code) for r in RULES if r.fixable and r.code not in ADVICE_ONLY]


def _findings(rule: Rule) -> tuple[list[Finding], Options, re.Match[str]]:
    checked, text, _ = _checked(rule)
    options = _options(checked.group("flags"))
    return check_source(decode(text.encode(), "example.yaml"), options), options, checked


@pytest.mark.parametrize("rule", RUN)
def test_example_fires_its_rule(rule: Rule) -> None:
    found, _, checked = _findings(rule)
    also = set(checked.group("also").split(", ")) if checked.group("also") else set[str]()
    assert rule.code not in also
    assert {f.code for f in found} == {rule.code} | also, [f.code for f in found]


def test_examples_with_a_fix_are_the_fixable_rules() -> None:
    """A fixable rule's Example exercises its fix, unless listed as advice only."""
    offered = {
        r.code
        for r in RULES
        if r.code not in SKETCHES and any(f.fix for f in _findings(r)[0] if f.code == r.code)
    }
    assert offered == {r.code for r in RULES if r.fixable} - ADVICE_ONLY


@pytest.mark.parametrize("rule", FIXABLE)
def test_example_fix_gives_the_text_shown(rule: Rule) -> None:
    _, text, after = _checked(rule)
    shown = BLOCK.search(after)
    inline = INLINE.search(after)
    assert shown or inline, f"{rule.code}: a fixable rule's Example shows no fixed text"
    expected = _uncommented(shown.group(1) if shown else inline.group(1) if inline else "")
    _, options, _ = _findings(rule)
    only = Options(
        dialect=options.dialect, settings=options.settings, select=frozenset({rule.code})
    )
    outcome = fix_source(decode(text.encode(), "example.yaml"), only, unsafe=True)
    assert outcome.error is None, outcome.error
    assert {f.code for f in outcome.applied} == {rule.code}
    assert outcome.remaining == []
    assert _contains(_uncommented(outcome.text), expected), outcome.text


@pytest.mark.parametrize("code", sorted(SKETCHES))
def test_sketch_says_it_is_not_checked(code: str) -> None:
    rule = next(r for r in RULES if r.code == code)
    first = _example(rule).lstrip("\n").splitlines()[0]
    assert NOT_CHECKED.fullmatch(first), f"{code}: {first!r}"
