"""The check pipeline for one file: text -> nodes -> dialect -> canonical -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache

from cfgguard.canonical import Canonical, Field
from cfgguard.derived.context import Settings
from cfgguard.derived.runcontext import refine
from cfgguard.dialects import Detection, detect
from cfgguard.dialects.base import Reader
from cfgguard.findings import Finding, Severity
from cfgguard.keyspaces import DocumentKeys, NoProject, ProjectView, document_keys
from cfgguard.knowledge.models import ModelFacts, normalise, resolve
from cfgguard.records import dataclass, field, replace
from cfgguard.rules import RULES_BY_CODE, Rule, y002_duplicate_key, y006_template
from cfgguard.rules.base import Context, Report
from cfgguard.schema.violation import Violation
from cfgguard.source import Source
from cfgguard.suppress import Suppression
from cfgguard.suppress import parse as parse_suppressions
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Document, LineStarts, Mapping, Mark, Node
from cfgguard.yaml.problems import Kind, YamlProblem

_NO_PROJECT = NoProject()


def _no_project(path: str) -> ProjectView:
    return _NO_PROJECT


@dataclass(frozen=True)
class Options:
    dialect: str | None = None
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    settings: Settings = field(default_factory=Settings)
    severity: dict[str, Severity] = field(default_factory=lambda: dict[str, Severity]())
    models: tuple[ModelFacts, ...] = ()  # declared in the project configuration
    # the repository a file sits in: its pins and its own argument classes
    project: Callable[[str], ProjectView] = _no_project


@dataclass
class Analysis:
    """What cfgguard understood of one document (used by ``check`` and ``show``)."""

    document: Document
    detection: Detection | None
    config: Canonical | None = None
    model: ModelFacts | None = None
    reader: Reader | None = None


def analyse(source: Source, options: Options) -> tuple[list[YamlProblem], list[Analysis]]:
    composed = compose(source.text)
    if any(p.kind == "syntax" for p in composed.problems):
        return composed.problems, []
    analyses: list[Analysis] = []
    for document in composed.documents:
        root = document.root
        if not isinstance(root, Mapping):
            if root is not None:
                analyses.append(Analysis(document, None))
            continue
        detection = detect(root, options.dialect)
        analysis = Analysis(document, detection)
        if detection is not None:
            reader = Reader(root, detection.dialect.profile)
            config = refine(detection.dialect.to_canonical(root), source.path)
            analysis.reader = reader
            analysis.config = config
            if config.base_model is not None:
                analysis.model = _model(config.base_model.value, options.models)
        analyses.append(analysis)
    return composed.problems, analyses


def _model(model_id: str, declared: tuple[ModelFacts, ...]) -> ModelFacts | None:
    """Declared models first (the project knows its own models), then the model table."""
    wanted = {model_id.strip().lower(), normalise(model_id)}
    for facts in declared:
        if {facts.id.lower(), normalise(facts.id)} & wanted:
            return facts
    return resolve(model_id)


def check_source(source: Source, options: Options) -> list[Finding]:
    problems, analyses = analyse(source, options)
    template = _template(source, problems, analyses)
    if template is not None:  # placeholders and {% if %} blocks: nothing else is judged
        findings = [template]
    else:
        findings = [_from_problem(source.path, p, analyses, source.text) for p in problems]
        for analysis in analyses:
            findings.extend(_check_document(source, analysis, options))
    findings = [f for f in findings if _selected(f.code, options)]
    documents = [a.document for a in analyses]
    findings = _suppress(source, documents, findings, options)
    if options.severity:
        findings = [
            replace(f, severity=options.severity[f.code]) if f.code in options.severity else f
            for f in findings
        ]
    return sorted(findings, key=lambda f: f.sort_key)


def _template(
    source: Source, problems: list[YamlProblem], analyses: list[Analysis]
) -> Finding | None:
    """Y006 at the first Jinja/Helm marker of a templated file (else None)."""
    parsed = not any(p.kind == "syntax" for p in problems)
    offset = y006_template.find(source.text, [a.document for a in analyses] if parsed else None)
    if offset is None:
        return None
    mark = LineStarts(source.text).at(offset)
    return _finding(source.path, mark, mark, y006_template.RULE, y006_template.MESSAGE, None)


def _suppress(
    source: Source, documents: list[Document], findings: list[Finding], options: Options
) -> list[Finding]:
    """Drop suppressed findings; report suppressions that silence nothing (S001)."""
    if "cfgguard" not in source.text:
        return findings
    suppressions = parse_suppressions(source.text, documents)
    kept: list[Finding] = []
    for finding in findings:
        for s in suppressions:
            if s.covers(finding.code, finding.line):
                s.used.add(finding.code)
                break
        else:
            kept.append(finding)
    rule = RULES_BY_CODE["S001"]
    if not _selected(rule.code, options):
        return kept
    # disable-file directives last: silencing another directive's S001 is a use
    for s in sorted(suppressions, key=lambda s: s.kind == "disable-file"):
        problems = _unused(s, options)
        # a disable-file that covers S001 silences what the file's other directives say
        silencer = next(
            (t for t in suppressions if t is not s and t.kind == "disable-file"
             and t.covers(rule.code, s.line)),
            None,
        )  # fmt: skip
        if problems and silencer is not None:
            silencer.used.add(rule.code)
            continue
        for problem in problems:
            mark = Mark(s.line - 1, s.column - 1, 0)
            kept.append(_finding(source.path, mark, mark, rule, problem, None))
    return kept


def _unused(s: Suppression, options: Options) -> list[str]:
    directive = f"'cfgguard: {s.kind}'"
    if not s.codes:
        return [] if s.used else [f"unused suppression {directive}: nothing to silence"]
    out: list[str] = []
    for code in s.codes:
        if code not in RULES_BY_CODE:
            out.append(f"unknown rule code {code} in {directive}")
        elif code not in s.used and _selected(code, options):
            out.append(f"unused suppression of {code} in {directive}: no {code} finding here")
    return out


def _selected(code: str, options: Options) -> bool:
    if code in options.ignore:
        return False
    return options.select is None or any(code.startswith(s) for s in options.select)


def _check_document(source: Source, analysis: Analysis, options: Options) -> Iterable[Finding]:
    path = source.path
    doc = analysis.document
    if analysis.detection is None or analysis.config is None or analysis.reader is None:
        what = "a YAML mapping" if isinstance(doc.root, Mapping) else "a scalar or list"
        yield _finding(
            path,
            doc.root.start if doc.root else doc.start,
            doc.root.start if doc.root else doc.start,
            RULES_BY_CODE["Y010"],
            f"unrecognised config: {what} that no dialect"
            " claims (use --dialect NAME to check it anyway)",
            None,
        )
        return
    dialect = analysis.detection.dialect.name
    config = analysis.config
    if config.base_model is not None and analysis.model is None:
        start, end = locate(config.base_model, doc)
        yield _finding(
            path,
            start,
            end,
            RULES_BY_CODE["M001"],
            f"model '{config.base_model.value}' is not in cfgguard's model table; size- and"
            " module-dependent checks are skipped (declare it in [tool.cfgguard.models]"
            ' with family, size and hidden_size, e.g. {family = "llama", size = "7-8B",'
            " hidden_size = 4096})",
            dialect,
        )
    ctx = Context(
        path=path,
        dialect=dialect,
        config=config,
        model=analysis.model,
        reader=analysis.reader,
        settings=options.settings,
        violations=_violations_for(config, analysis.model),
        text=source.text,
        keys=_keys_for(analysis, path, options),
        trainers=lambda: options.project(path).trainers,
    )
    for rule in _active_rules(options):
        assert rule.check is not None
        for report in rule.check(ctx):
            start, end = locate(report.at, doc)
            yield _finding(path, start, end, rule, report.message, dialect, report)


def _violations_for(config: Canonical, model: ModelFacts | None):
    cached: list[list[Violation]] = []

    def violations() -> list[Violation]:
        if not cached:
            from cfgguard.schema.validate import violations as compute

            cached.append(compute(config, model))
        return cached[0]

    return violations


def _keys_for(analysis: Analysis, path: str, options: Options):
    cached: list[DocumentKeys | None] = []

    def keys() -> DocumentKeys | None:
        if not cached:
            detection, root, config = analysis.detection, analysis.document.root, analysis.config
            reading = detection.dialect.keys if detection else None
            found = None
            if reading is not None and isinstance(root, Mapping) and config is not None:
                found = document_keys(reading, root, config, options.project(path))
            cached.append(found)
        return cached[0]

    return keys


_ACTIVE: dict[tuple[object, frozenset[str]], tuple[Rule, ...]] = {}


def _active_rules(options: Options) -> Sequence[Rule]:
    """The rules that run (worked out once per selection: every file asks)."""
    key = (options.select, options.ignore)
    found = _ACTIVE.get(key)
    if found is None:
        found = _ACTIVE[key] = tuple(r for r in _checking_rules() if _selected(r.code, options))
    return found


@cache
def _checking_rules() -> tuple[Rule, ...]:
    return tuple(r for r in RULES_BY_CODE.values() if r.check is not None)


def locate(at: Field[object] | Node | None, doc: Document) -> tuple[Mark, Mark]:
    """Where a finding about a field or node points (value, else key, else mapping)."""
    if at is None:
        return doc.start, doc.start
    if isinstance(at, Field):
        if at.node is not None:
            return at.node.start, at.node.end
        if at.key_node is not None:
            return at.key_node.start, at.key_node.end
        if at.parent is not None:
            return at.parent.start, at.parent.start
        return doc.start, doc.start
    return at.start, at.end


# the rule that reports each kind of problem the YAML layer finds
PROBLEM_CODES: dict[Kind, str] = {
    "syntax": "Y001",
    "duplicate-key": "Y002",
    "alias-expansion": "Y004",
    "nesting": "Y005",
    "too-large": "Y007",
}


def _from_problem(
    path: str, problem: YamlProblem, analyses: Sequence[Analysis] = (), text: str = ""
) -> Finding:
    rule = RULES_BY_CODE[PROBLEM_CODES[problem.kind]]
    found = _finding(path, problem.start, problem.end, rule, problem.message, None)
    if (
        problem.kind == "duplicate-key"
    ):  # a repeat of the same value is harmless where the last wins
        for a in analyses:
            if a.detection is not None and a.document.start.index <= problem.start.index:
                profile = a.detection.dialect.profile
                level = y002_duplicate_key.severity(
                    text, a.document.root, profile, problem.start.index
                )
                if level is not None:
                    found = replace(found, severity=level)
    return found


def _finding(
    path: str,
    start: Mark,
    end: Mark,
    rule: Rule,
    message: str,
    dialect: str | None,
    report: Report | None = None,
) -> Finding:
    if end.line == start.line and end.column < start.column:
        end = start
    return Finding(
        path=path,
        line=start.line + 1,
        column=start.column + 1,
        end_line=end.line + 1,
        end_column=end.column + 1,
        code=rule.code,
        name=rule.name,
        severity=report.severity if report and report.severity else rule.severity,
        message=message,
        source=report.source if report and report.source else rule.source,
        dialect=dialect,
        fix=report.fix if report else None,
    )


__all__ = ["Analysis", "Options", "Severity", "analyse", "check_source", "locate"]
