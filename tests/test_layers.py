"""The package's layers: a module imports only from its own layer or the ones below.

``LAYERS`` lists them bottom up, each as the modules (or packages) it holds; a module
belongs to the longest prefix that names it. Every import counts, also one inside a
function or under ``TYPE_CHECKING``: a lazy import is still a dependency. Data flows
bytes -> YAML -> dialect -> canonical config -> rules -> findings -> fixes -> reporters;
the types a rule returns (findings, edits) and what rules and helpers share (derived)
sit below the rules, so that nothing under them reaches up for a rule.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "cfgguard"

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("cfgguard", "cfgguard._records", "cfgguard.records", "cfgguard.patterns")),
    ("text", ("cfgguard.yaml", "cfgguard.source", "cfgguard.globs", "cfgguard.report.escape")),
    (
        "knowledge",
        ("cfgguard.knowledge", "cfgguard.project", "cfgguard.targetspec", "cfgguard.repository"),
    ),
    ("canonical", ("cfgguard.canonical",)),
    ("dialects", ("cfgguard.dialects", "cfgguard.keyspaces")),
    ("findings", ("cfgguard.findings", "cfgguard.edits")),
    # reporters see findings only, so they sit right above them
    ("report", ("cfgguard.report",)),
    ("schema", ("cfgguard.schema",)),
    ("derived", ("cfgguard.derived",)),
    ("rules", ("cfgguard.rules",)),
    ("check", ("cfgguard.check", "cfgguard.suppress", "cfgguard.parallel")),
    ("fix", ("cfgguard.fix",)),
    ("config", ("cfgguard.config", "cfgguard.config_values")),
    ("helpers", ("cfgguard.helpers",)),
    ("init", ("cfgguard.init", "cfgguard.dialects.*.init_writer")),
    ("convert", ("cfgguard.convert", "cfgguard.dialects.*.convert_writer")),
    ("triage", ("cfgguard.triage",)),
    # the two front ends: the command line starts the server, the server reads options
    ("front ends", ("cfgguard.cli", "cfgguard.server")),
    ("entry", ("cfgguard.__main__",)),
    # writers of the committed schemas: the config file's schema reads cfgguard.config
    ("schema files", ("cfgguard.schema.__main__", "cfgguard.schema.config_schema")),
)

# Pairs the order allows but that stay apart: rules know no output format, and the
# helpers share with rules only what lies below both (cfgguard.derived), never a rule.
APART: tuple[tuple[str, str], ...] = (
    ("cfgguard.rules", "cfgguard.report"),
    ("cfgguard.helpers", "cfgguard.rules"),
    ("cfgguard.init", "cfgguard.rules"),
    ("cfgguard.dialects.*.init_writer", "cfgguard.rules"),
    ("cfgguard.convert", "cfgguard.rules"),
    ("cfgguard.dialects.*.convert_writer", "cfgguard.rules"),
    ("cfgguard.triage", "cfgguard.rules"),
)


def _under(module: str, prefix: str) -> bool:
    """``module`` is ``prefix`` or inside it; a ``*`` in ``prefix`` matches any one name."""
    names, wanted = module.split("."), prefix.split(".")
    if len(names) < len(wanted):
        return False
    return all(w in ("*", n) for w, n in zip(wanted, names[: len(wanted)], strict=True))


def layer_of(module: str) -> int:
    """The index in ``LAYERS`` of the longest prefix naming ``module``."""
    best, found = -1, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if _under(module, prefix) and len(prefix) > best:
                best, found = len(prefix), index
    if found < 0:
        raise LookupError(f"{module} is in no layer: add it to LAYERS")
    return found


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, imported cfgguard module) for every import in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cfgguard":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing package
                package = module.split(".")
                if not is_package:
                    package = package[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            if base.split(".")[0] != "cfgguard":
                continue
            for alias in node.names:  # `from cfgguard.helpers import yamltext` is a module
                candidate = f"{base}.{alias.name}"
                yield node.lineno, candidate if _is_module(candidate) else base


def _is_module(name: str) -> bool:
    path = SRC.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """``line: importer -> imported (its layer -> the one above)`` for each upward import,
    ``(apart)`` for a pair of ``APART``."""
    own = layer_of(module)
    out: list[str] = []
    for line, imported in imports(source, module, is_package):
        if layer_of(imported) > own:
            above = LAYERS[layer_of(imported)][0]
            out.append(f"{line}: {module} -> {imported} ({LAYERS[own][0]} -> {above})")
        elif any(_under(module, a) and _under(imported, b) for a, b in APART):
            out.append(f"{line}: {module} -> {imported} (apart)")
    return out


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    missing: list[str] = []
    for path in SOURCES:
        try:
            layer_of(module_name(path))
        except LookupError as exc:
            missing.append(str(exc))
    assert missing == []


def test_no_import_reaches_up() -> None:
    found = [
        f"{path.relative_to(SRC)}:{v}"
        for path in SOURCES
        for v in violations(
            path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"
        )
    ]
    assert found == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        pytest.param(
            "cfgguard.triage.symptoms",
            "from cfgguard.rules.l004_unembedding import check\n",
            ["1: cfgguard.triage.symptoms -> cfgguard.rules.l004_unembedding (apart)"],
            id="a-helper-reads-a-rule",
        ),
        pytest.param(
            "cfgguard.helpers.keycheck",
            "from cfgguard.rules._keys import walk\n",
            ["1: cfgguard.helpers.keycheck -> cfgguard.rules._keys (apart)"],
            id="a-shared-helper-reads-a-rule",
        ),
        pytest.param(
            "cfgguard.rules.l004_unembedding",
            "from cfgguard.report import sarif\n",
            ["1: cfgguard.rules.l004_unembedding -> cfgguard.report.sarif (apart)"],
            id="a-rule-reads-a-reporter",
        ),
        pytest.param(
            "cfgguard.report.json",
            "from cfgguard.check import check_source\n",
            ["1: cfgguard.report.json -> cfgguard.check (report -> check)"],
            id="a-reporter-runs-a-check",
        ),
        pytest.param(
            "cfgguard.cli.commands",
            "from cfgguard.cli.dispatch import main\nfrom cfgguard.server import main\n",
            [],
            id="within-a-layer",
        ),
        pytest.param(
            "cfgguard.dialects.verl.convert_writer",
            "from cfgguard.convert.base import simple\n",
            [],
            id="a-dialect-writer-uses-its-helper",
        ),
        pytest.param(
            "cfgguard.dialects.verl",
            "from cfgguard.dialects.verl.convert_writer import WRITERS\n",
            [
                "1: cfgguard.dialects.verl -> cfgguard.dialects.verl.convert_writer"
                " (dialects -> convert)"
            ],
            id="a-dialect-reads-its-writer",
        ),
        pytest.param(
            "cfgguard.dialects.verl.init_writer",
            "from cfgguard.rules import base\n",
            ["1: cfgguard.dialects.verl.init_writer -> cfgguard.rules.base (apart)"],
            id="a-dialect-writer-reads-a-rule",
        ),
        pytest.param(
            "cfgguard.schema.validate",
            "from cfgguard.rules.base import Rule\n",
            ["1: cfgguard.schema.validate -> cfgguard.rules.base (schema -> rules)"],
            id="schema-imports-a-rule",
        ),
        pytest.param(
            "cfgguard.derived.lr_levels",
            "def f():\n    from cfgguard.rules.base import Context\n",
            ["2: cfgguard.derived.lr_levels -> cfgguard.rules.base (derived -> rules)"],
            id="lazy-import-counts",
        ),
        pytest.param(
            "cfgguard.rules.base",
            "from cfgguard.fix import engine\n",
            ["1: cfgguard.rules.base -> cfgguard.fix.engine (rules -> fix)"],
            id="rules-import-the-fix-engine",
        ),
        pytest.param(
            "cfgguard.check",
            "from cfgguard.fix.apply import apply\n",
            ["1: cfgguard.check -> cfgguard.fix.apply (check -> fix)"],
            id="check-imports-fix",
        ),
        pytest.param(
            "cfgguard.yaml.compose",
            "from ..findings import Finding\n",
            ["1: cfgguard.yaml.compose -> cfgguard.findings (text -> findings)"],
            id="relative-import",
        ),
        pytest.param(
            "cfgguard.edits.build",
            "from cfgguard.yaml.nodes import Scalar\nfrom cfgguard.findings import Fix\n",
            [],
            id="downward-is-fine",
        ),
    ],
)
def test_violations_name_the_upward_import(module: str, source: str, expected: list[str]) -> None:
    assert violations(source, module) == expected


def test_the_yaml_layer_names_no_rule_code() -> None:
    """It reports problems by kind; ``check.PROBLEM_CODES`` maps each kind to a code."""
    code = re.compile(r"^[A-Z][0-9]{3}$")
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}: {node.value}"
        for path in sorted((PACKAGE / "yaml").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and code.match(node.value)
    ]
    assert found == []


def test_only_the_package_imports_the_command_line_module() -> None:
    """``cli.dispatch`` parses and dispatches; the commands it runs never import it back
    (the entry points call ``cfgguard.cli.main``, which imports it when called)."""
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in SOURCES
        if module_name(path) not in ("cfgguard.cli", "cfgguard.__main__")
        for line, imported in imports(
            path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"
        )
        if imported == "cfgguard.cli.dispatch"
    ]
    assert found == []
