"""``check --add-ignore``: suppress every current finding in place (adopt in one commit).

Each finding's line gets ``# cfgguard: ignore[CODES]`` at its end, or its codes are merged
into a ``cfgguard: ignore[...]`` comment already there. A value written over several
lines (a multi-line plain or quoted scalar, a flow collection) takes the comment on the
line where YAML ends it. Lines inside ``|``/``>`` block scalars are left alone (a ``#``
there would be content), and so is a file that does not parse. The result is parsed
again and written only when its data is what it was.
"""

from __future__ import annotations

import re

from cfgguard.check import Options, check_source
from cfgguard.findings import Edit, Finding, Fix
from cfgguard.fix.apply import apply
from cfgguard.fix.write import WriteError, write_atomic
from cfgguard.report.escape import print_note
from cfgguard.source import Source
from cfgguard.suppress import block_scalar_lines, comment_start, spanning_lines
from cfgguard.yaml.compare import data_change
from cfgguard.yaml.compose import compose

_EXISTING = re.compile(r"cfgguard:\s*ignore\[(?P<codes>[^\]]*)\]", re.IGNORECASE)
NOT_BASELINED = {"S001", "F001", "Y001", "Y007"}


def _edit(number: int, line: str, codes: list[str]) -> Edit | None:
    body = line.rstrip("\r")
    start = comment_start(body)
    if start is not None:
        match = _EXISTING.search(body, start)
        if match is not None:
            merged = sorted({*(c.strip().upper() for c in match["codes"].split(",")), *codes})
            new = ", ".join(c for c in merged if c)
            return Edit(number, match.start("codes") + 1, number, match.end("codes") + 1, new)
    directive = f"# cfgguard: ignore[{', '.join(codes)}]"
    # after an existing comment the directive joins that comment's text
    content = ("  " if body.strip() or start is not None else "") + directive
    column = len(body) + 1
    return Edit(number, column, number, column, content)


def baseline_text(source: Source, findings: list[Finding]) -> str:
    composed = compose(source.text)
    if any(p.kind in ("syntax", "too-large") for p in composed.problems):
        return source.text
    skip = block_scalar_lines(composed.documents)
    spanning = spanning_lines(composed.documents)
    by_line: dict[int, set[str]] = {}
    for finding in findings:
        if finding.code not in NOT_BASELINED and finding.line - 1 not in skip:
            line = finding.line
            while line - 1 in spanning:  # the value goes on: the comment goes where it ends
                line += 1
            by_line.setdefault(line, set()).add(finding.code)
    lines = source.text.split("\n")
    edits: list[Edit] = []
    for number, codes in sorted(by_line.items()):
        if number - 1 < len(lines):
            edit = _edit(number, lines[number - 1], sorted(codes))
            if edit is not None:
                edits.append(edit)
    return apply(source.text, [Fix("safe", "baseline", tuple(edits))]) if edits else source.text


def add_ignores(source: Source, data: bytes, options: Options, errors: list[str]) -> list[Finding]:
    """Write the suppressions; returns what is still reported afterwards."""
    findings = check_source(source, options)
    text = baseline_text(source, findings)
    if text == source.text:
        return findings
    changed = data_change(compose(source.text).documents, compose(text).documents)
    if changed is not None:
        errors.append(
            f"{source.path}: --add-ignore would change the data ({changed}); left unchanged"
        )
        return findings
    try:
        write_atomic(source.path, source.encode(text), data)
    except WriteError as exc:
        errors.append(str(exc))
        return findings
    added = len({f.line for f in findings if f.code not in NOT_BASELINED})
    print_note(f"{source.path}: added suppressions on {added} lines")
    return check_source(Source(source.path, text, source.bom), options)
