"""JUnit XML, read back by a real consumer (junitparser) and by the XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml, TestCase, TestSuite

from cfgguard.cli import main
from cfgguard.findings import Severity
from cfgguard.report import junit
from cfgguard.report.escape import visible
from tests.report_data import (
    CLEAN,
    DUPLICATE,
    HOSTILE,
    HOSTILE_NAME,
    finding,
    hostile_finding,
    three_findings,
    write,
)


def suite_of(xml: str) -> TestSuite:
    report = JUnitXml.fromstring(xml)
    suites = list(report)
    assert len(suites) == 1
    return suites[0]


def cases_of(suite: TestSuite) -> list[TestCase]:
    return list(suite)


def failures_of(case: TestCase) -> list[Failure]:
    return [r for r in case.result if isinstance(r, Failure)]


# junitparser's attribute descriptors are untyped; read them through typed helpers.
def name_of(case: TestCase) -> str:
    return str(case.name)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def type_of(failure: Failure) -> str:
    return str(failure.type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def message_of(failure: Failure) -> str:
    return str(failure.message)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def text_of(failure: Failure) -> str:
    text = failure.text  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    assert isinstance(text, str)
    return text


def xml_safe(text: str) -> str:
    """What junit.py keeps of ``text``: XML-forbidden characters as readable escapes."""
    return "".join(
        visible(c) if (ord(c) < 0x20 and c not in "\t\n\r") or c in "\ufffe\uffff" else c
        for c in text
    )


def test_one_testcase_per_checked_file_clean_ones_too() -> None:
    checked = ["configs/a.yaml", "configs/b.yaml", "configs/clean.yaml"]
    suite = suite_of(junit.render(three_findings(), checked))
    cases = cases_of(suite)
    assert [name_of(c) for c in cases] == checked
    # a: an error and a warning (one failure); b: an info only (passes); clean passes
    assert [len(failures_of(c)) for c in cases] == [1, 0, 0]
    assert cases[1].is_passed
    assert cases[2].is_passed
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (3, 1, 0, 0)
    suite.update_statistics()  # junitparser's own count agrees with ours
    assert (suite.tests, suite.failures) == (3, 1)


def test_failure_carries_code_message_and_text() -> None:
    suite = suite_of(junit.render([finding("configs/a.yaml", code="R002")], ["configs/a.yaml"]))
    (failure,) = failures_of(cases_of(suite)[0])
    assert type_of(failure) == "R002"
    assert message_of(failure) == "R002 learning rate 2e-5 is at the full fine-tune level"
    assert text_of(failure).startswith("configs/a.yaml:3:16: R002 [warning] learning rate")
    assert "source: Learning Rates / Base Learning Rates" in text_of(failure)


def test_no_findings_no_files() -> None:
    suite = suite_of(junit.render([], []))
    assert (suite.tests, suite.failures) == (0, 0)


def test_hostile_names_and_messages_round_trip() -> None:
    xml = junit.render([hostile_finding()], [HOSTILE_NAME])
    ET.fromstring(xml.encode("utf-8"))  # well-formed XML 1.0
    assert "\x1b" not in xml
    assert "\x00" not in xml
    assert "\x07" not in xml
    (case,) = cases_of(suite_of(xml))
    assert name_of(case) == xml_safe(HOSTILE_NAME)
    (failure,) = failures_of(case)
    assert message_of(failure) == "R002 " + xml_safe(HOSTILE)  # newlines, CR kept in the attribute
    assert xml_safe(HOSTILE) in text_of(failure)  # CR survives as &#13;


def test_forbidden_characters_are_escaped_not_dropped() -> None:
    assert junit.xml_text("a\x1bb\x00c\ufffe\udce9") == "a\\x1bb\\x00c\\ufffe\\xe9"
    assert junit.xml_text("<&>\r") == "&lt;&amp;&gt;&#13;"
    assert junit.xml_attr("\"'\n\t") == '"&quot;\'&#10;&#9;"'


def test_cli_junit_lists_clean_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "ok.yaml", CLEAN)
    write(tmp_path, HOSTILE_NAME, DUPLICATE)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "junit", "."]) == 1
    suite = suite_of(capsys.readouterr().out)
    by_name = {name_of(c): c for c in cases_of(suite)}
    assert set(by_name) == {"./ok.yaml", xml_safe(f"./{HOSTILE_NAME}")}
    assert by_name["./ok.yaml"].is_passed
    (failure,) = failures_of(by_name[xml_safe(f"./{HOSTILE_NAME}")])
    assert "Y002" in type_of(failure).split(",")


def test_a_failing_file_is_one_failure_with_all_its_findings() -> None:
    findings = [
        finding("a.yaml", code="R002", line=3),
        finding("a.yaml", code="L001", severity=Severity.INFO, line=2),
        finding("a.yaml", code="Y002", severity=Severity.ERROR, line=5),
    ]
    suite = suite_of(junit.render(findings, ["a.yaml"]))
    (case,) = cases_of(suite)
    (failure,) = failures_of(case)  # was three <failure> elements: failures > tests
    assert (suite.tests, suite.failures) == (1, 1)
    assert type_of(failure) == "L001,R002,Y002"
    assert message_of(failure).startswith("Y002 learning rate")
    assert message_of(failure).endswith("(and 2 more)")
    body = text_of(failure).splitlines()
    assert [line.split(": ")[1].split()[0] for line in body if not line.startswith(" ")] == [
        "R002",
        "L001",
        "Y002",
    ]


def _system_out(xml: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(xml.encode()).iter("system-out")]


def test_findings_below_fail_on_are_system_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = CLEAN.replace("lora_rank: 32", "lora_rank: 16")  # an info (L001) only
    path = write(tmp_path, "a.yaml", text)
    assert main(["check", "--output-format", "junit", str(path)]) == 0
    xml = capsys.readouterr().out
    suite = suite_of(xml)
    assert (suite.tests, suite.failures) == (1, 0)  # exit 0: nothing failed
    assert cases_of(suite)[0].is_passed
    assert "L001 [info]" in _system_out(xml)[0]
    # the same file fails when --fail-on says infos fail
    assert main(["check", "--output-format", "junit", "--fail-on", "info", str(path)]) == 1
    suite = suite_of(capsys.readouterr().out)
    assert (suite.tests, suite.failures) == (1, 1)
