"""Code actions: each finding's fix, "fix all safe" for the file, and a suppression.

Every action is an edit for the editor to apply; nothing is written here. A fix whose
spans no longer hold what it was built for, or that would edit through an alias, is not
offered (``--fix`` refuses it too). "Fix all" is ``fix_source``'s result (applied,
re-parsed and re-checked) as one whole-document edit; "suppress" is the text
``--add-ignore`` writes for that one finding, offered only when it keeps the data.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from cfgguard.findings import Edit, Finding, Fix
from cfgguard.fix.baseline import NOT_BASELINED, baseline_text
from cfgguard.fix.engine import Outcome, fix_source
from cfgguard.fix.guard import mismatch, shared
from cfgguard.report.escape import visible
from cfgguard.server.diagnostics import diagnostic, finding_range
from cfgguard.server.documents import Checked
from cfgguard.server.positions import Lines
from cfgguard.source import BOM, Source
from cfgguard.yaml.compare import data_change
from cfgguard.yaml.compose import compose

QUICKFIX = types.CodeActionKind.QuickFix
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.cfgguard"
FIX_ALL_TITLE = "cfgguard: fix all safe problems in this file"


def code_actions(
    checked: Checked, uri: str, wanted: types.Range, only: Sequence[str] | None = None
) -> list[types.CodeAction]:
    source = checked.source
    if source is None:
        return []
    lines = checked.lines
    here = [f for f in checked.findings if _overlaps(finding_range(lines, f), wanted)]
    actions: list[types.CodeAction] = []
    for finding in here:
        action = _fix_action(checked, source, uri, finding)
        if action is not None:
            actions.append(action)
    for finding in here:
        action = _suppress_action(checked, source, uri, finding)
        if action is not None:
            actions.append(action)
    fixable_here = any(_safe(f) for f in here)
    if any(_safe(f) for f in checked.findings):
        outcome = _fixed_all(checked, source)
        kinds = [FIX_ALL, QUICKFIX] if fixable_here else [FIX_ALL]
        actions.extend(_fix_all_action(checked, source, uri, outcome, kind) for kind in kinds)
    if only:
        actions = [a for a in actions if _wanted_kind(str(a.kind), only)]
    return actions


def _wanted_kind(kind: str, only: Sequence[str]) -> bool:
    """``only`` names kinds and their parents ("source" asks for "source.fixAll.x")."""
    return any(kind == k or kind.startswith(f"{k}.") for k in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _safe(finding: Finding) -> bool:
    return finding.fix is not None and finding.fix.applicability == "safe"


def _edit_for(uri: str, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: edits})


def _text_edit(lines: Lines, edit: Edit, newline: str) -> types.TextEdit:
    start = lines.from_source(edit.line, edit.column)
    end = lines.from_source(edit.end_line, edit.end_column)
    content = edit.content.replace("\n", newline) if newline != "\n" else edit.content
    return types.TextEdit(range=_range(start, end), new_text=content)


def _range(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(
        types.Position(line=start[0], character=start[1]),
        types.Position(line=end[0], character=end[1]),
    )


def _fix_action(checked: Checked, source: Source, uri: str, f: Finding) -> types.CodeAction | None:
    fix: Fix | None = f.fix
    if fix is None or fix.applicability == "display-only":
        return None
    if shared(fix) or mismatch(source.text, [fix]) is not None:
        return None
    edits = [_text_edit(checked.lines, e, source.newline) for e in fix.edits]
    safe = fix.applicability == "safe"
    title = f"{f.code}: {visible(fix.message)}" + ("" if safe else " (unsafe fix)")
    return types.CodeAction(
        title=title,
        kind=QUICKFIX,
        diagnostics=[diagnostic(checked.lines, f)],
        is_preferred=safe,
        edit=_edit_for(uri, edits),
    )


def _suppress_action(
    checked: Checked, source: Source, uri: str, f: Finding
) -> types.CodeAction | None:
    if f.code in NOT_BASELINED:
        return None
    text = baseline_text(source, [f])
    if text == source.text:
        return None
    if data_change(compose(source.text).documents, compose(text).documents) is not None:
        return None
    return types.CodeAction(
        title=f"Suppress {f.code} on this line",
        kind=QUICKFIX,
        diagnostics=[diagnostic(checked.lines, f)],
        edit=_edit_for(uri, [minimal_edit(checked.lines, source.text, text)]),
    )


def minimal_edit(lines: Lines, old: str, new: str) -> types.TextEdit:
    """One edit turning ``old`` (cfgguard's text of ``lines``) into ``new``: the span
    between their common start and common end."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    return types.TextEdit(
        range=_range(lines.from_source_offset(start), lines.from_source_offset(len(old) - end)),
        new_text=new[start : len(new) - end],
    )


def _fixed_all(checked: Checked, source: Source) -> Outcome:
    if checked.fixed_all is None:
        assert checked.options is not None
        checked.fixed_all = fix_source(source, checked.options, unsafe=False)
    return checked.fixed_all


def _fix_all_action(
    checked: Checked, source: Source, uri: str, outcome: Outcome, kind: str
) -> types.CodeAction:
    action = types.CodeAction(title=FIX_ALL_TITLE, kind=kind)
    if not outcome.changed:
        why = outcome.error or "no safe fix applies"
        action.disabled = types.CodeActionDisabled(reason=visible(why))
        return action
    whole = _range((0, 0), checked.lines.end())
    text = (BOM if checked.lines.bom else "") + outcome.text
    action.edit = _edit_for(uri, [types.TextEdit(range=whole, new_text=text)])
    return action
