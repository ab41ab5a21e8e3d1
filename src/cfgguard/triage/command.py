"""``cfgguard triage SYMPTOM FILE [--diff|--fix]``: the troubleshooting table, applied.

Shows the settings of FILE that the Troubleshooting Quick Reference links to the symptom
(value and line), and the table's fix as span edits (``symptoms.py`` says how each fix
is sized). ``--diff`` prints them as a unified diff; ``--fix`` writes them atomically
with the same guarantees as ``check --fix`` (BOM, line endings, comments and the rest of
the file untouched; nothing is written when the result would not parse). Exit codes: 0
done (also when the table's fix does not apply); 2 usage or I/O problems.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from collections.abc import Sequence as Seq

from cfgguard.check import Options, analyse
from cfgguard.findings import Fix
from cfgguard.fix.apply import apply, choose
from cfgguard.fix.run import unified_diff
from cfgguard.fix.write import WriteError, write_atomic
from cfgguard.knowledge import tables
from cfgguard.report.escape import print_error, print_note, visible
from cfgguard.source import Source, SourceError, read
from cfgguard.triage import symptoms
from cfgguard.triage.subject import Proposal, Subject
from cfgguard.yaml.compose import compose
from cfgguard.yaml.nodes import Document, Mapping, Node, Scalar, Sequence

Finder = Callable[[Subject], Proposal]
SYMPTOMS: dict[str, tuple[str, Finder]] = {
    "loss-flat": ("Loss not decreasing", symptoms.loss_flat),
    "loss-exploding": ("Loss exploding", symptoms.loss_exploding),
    "early-plateau": ("Early plateau", symptoms.early_plateau),
    "overfitting": ("Overfitting", symptoms.overfitting),
    "poor-generation": ("Poor generation", symptoms.poor_generation),
    "slow-training": ("Slow training", symptoms.slow_training),
}


class TriageError(Exception):
    pass


def subject_of(source: Source, dialect: str | None = None) -> Subject:
    problems, analyses = analyse(source, Options(dialect=dialect))
    for problem in problems:
        if problem.kind == "syntax":
            where = f"{source.path}:{problem.start.line + 1}:{problem.start.column + 1}"
            raise TriageError(f"{where}: {problem.message}")
    for a in analyses:
        if a.config is not None and a.reader is not None and a.detection is not None:
            return Subject(source, a.detection.dialect.name, a.config, a.model, a.reader)
    raise TriageError(f"{source.path}: not a config cfgguard recognises (use --dialect)")


def row_of(symptom: str) -> dict[str, object]:
    name = SYMPTOMS[symptom][0]
    return next(r for r in tables.troubleshooting_rows() if r["symptom"] == name)


def propose(subject: Subject, symptom: str) -> Proposal:
    proposal = SYMPTOMS[symptom][1](subject)
    proposal.fixes = choose(subject.text, proposal.fixes)
    return proposal


def fixed_text(subject: Subject, fixes: list[Fix]) -> str:
    """The text with ``fixes`` applied, re-parsed and compared with what they mean.

    Each fix sets or adds one setting (a value, a key, one list item): the result must
    parse, keep every other setting as it was, and change no more settings than there
    are fixes, else nothing is written.
    """
    path = subject.source.path
    new = apply(subject.text, fixes, subject.source.newline)
    composed = compose(new)
    if any(p.kind == "syntax" for p in composed.problems):
        raise TriageError(f"{path}: the fixed text would not parse; unchanged")
    before, after = _settings(compose(subject.text).documents), _settings(composed.documents)
    lost = [k for k in before if k not in after]
    changed = [k for k in after if before.get(k) != after[k]]
    if lost:
        raise TriageError(f"{path}: the fix would remove '{lost[0]}'; unchanged")
    if len(changed) > len(fixes):
        names = ", ".join(changed)
        raise TriageError(f"{path}: {len(fixes)} fix(es) would change {names}; unchanged")
    return new


def _settings(documents: Seq[Document]) -> dict[str, str]:
    """Every scalar of every document by its path (``a.b[1]``), tag, style and value."""
    out: dict[str, str] = {}

    def walk(node: Node | None, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.entries():
                walk(value, f"{path}.{key.value}")
        elif isinstance(node, Sequence):
            for index, item in enumerate(node.items):
                walk(item, f"{path}[{index}]")
        elif isinstance(node, Scalar):
            out[path] = f"{node.tag or ''}!{node.style or ''}!{node.value}"

    for number, document in enumerate(documents):
        walk(document.root, f"(document {number + 1})" if number else "")
    return {k.lstrip("."): v for k, v in out.items()}


def report(subject: Subject, symptom: str, proposal: Proposal) -> str:
    row = row_of(symptom)
    path = subject.source.path
    lines = [
        f"{path}: {row['symptom']} -> check: {row['check']}; fix: {row['fix']}"
        f" ({row['row']}; {subject.dialect})"
    ]
    for s in proposal.settings:
        where = f"{path}:{s.line}:{s.column}" if s.line is not None else f"{path}"
        note = f"  ({s.note})" if s.note else ""
        lines.append(f"  {where}: {s.key}: {s.value}{note}")
    for note in proposal.notes:
        lines.append(f"  note: {note}")
    if proposal.fixes:
        lines.append("proposed (--diff shows it, --fix applies it):")
        lines.extend(f"  {f.message}" for f in proposal.fixes)
    else:
        lines.append("nothing to change")
    return "".join(visible(line) + "\n" for line in lines)


def triage_command(symptom: str, path: str, mode: str, dialect: str | None = None) -> int:
    try:
        source = read(path)
        subject = subject_of(source, dialect)
        proposal = propose(subject, symptom)
        new = fixed_text(subject, proposal.fixes) if proposal.fixes else source.text
    except (SourceError, TriageError) as exc:
        print_error(exc)
        return 2
    if mode == "diff":
        sys.stderr.write(report(subject, symptom, proposal))
        sys.stdout.write(unified_diff(path, source.text, new))
        return 0
    if mode == "fix" and new != source.text:
        original = source.encode(source.text)
        try:
            write_atomic(path, source.encode(new), original)
        except WriteError as exc:
            print_error(exc)
            return 2
        sys.stdout.write(report(subject, symptom, proposal))
        print_note(f"fixed {path}")
        return 0
    sys.stdout.write(report(subject, symptom, proposal))
    return 0
