"""Fix loop: check -> apply non-overlapping fixes -> re-parse -> re-check, bounded.

The text is left as it was (and ``error`` says why) when the fixed text no longer
parses, when it has more errors of some code than the original, or when fixing does
not converge within ``MAX_ROUNDS``.
"""

from __future__ import annotations

from collections import Counter

from cfgguard.check import Options, check_source
from cfgguard.findings import Finding, Severity
from cfgguard.fix.apply import apply, choose
from cfgguard.fix.guard import SHARED, mismatch, shared
from cfgguard.records import dataclass, field, replace
from cfgguard.source import Source
from cfgguard.yaml.compose import compose

MAX_ROUNDS = 10


@dataclass
class Outcome:
    text: str
    applied: list[Finding] = field(default_factory=lambda: list[Finding]())
    remaining: list[Finding] = field(default_factory=lambda: list[Finding]())
    error: str | None = None
    refused: list[tuple[Finding, str]] = field(default_factory=lambda: list[tuple[Finding, str]]())

    @property
    def changed(self) -> bool:
        return bool(self.applied) and self.error is None


def allowed(finding: Finding, unsafe: bool) -> bool:
    if finding.fix is None:
        return False
    kinds = ("safe", "unsafe") if unsafe else ("safe",)
    return finding.fix.applicability in kinds


def fix_source(source: Source, options: Options, *, unsafe: bool = False) -> Outcome:
    original = check_source(source, options)
    text = source.text
    applied: list[Finding] = []
    refused: dict[tuple[int, int, str], tuple[Finding, str]] = {}
    findings = original
    for _ in range(MAX_ROUNDS):
        fixable: list[Finding] = []
        for finding in findings:
            if finding.fix is None or not allowed(finding, unsafe):
                continue
            if shared(finding.fix):
                refused.setdefault(finding.sort_key[1:], (finding, SHARED))
            else:
                fixable.append(finding)
        if not fixable:
            break
        chosen_fixes = choose(text, [f.fix for f in fixable if f.fix is not None])
        chosen = [f for f in fixable if f.fix in chosen_fixes]
        wrong = mismatch(text, chosen_fixes)
        if wrong is not None:
            return _abort(source, original, wrong)
        new_text = apply(text, chosen_fixes, source.newline)
        if any(p.kind == "syntax" for p in compose(new_text).problems):
            return _abort(source, original, "the fixed text would not parse as YAML")
        if new_text == text:
            break
        text = new_text
        applied.extend(chosen)
        findings = check_source(replace(source, text=text), options)
    else:
        return _abort(source, original, f"fixes did not converge in {MAX_ROUNDS} rounds")
    new_errors = _errors(findings) - _errors(original)
    if new_errors:
        codes = ", ".join(sorted(new_errors))
        return _abort(source, original, f"fixing would introduce new errors ({codes})")
    return Outcome(text, applied, findings, refused=list(refused.values()))


def _errors(findings: list[Finding]) -> Counter[str]:
    return Counter(f.code for f in findings if f.severity is Severity.ERROR)


def _abort(source: Source, original: list[Finding], why: str) -> Outcome:
    return Outcome(source.text, [], original, f"{why}; the file was left unchanged")
