"""Hover text: what the dialect and the allowed releases say about a key, and the rule
behind a finding under the cursor.

A key: its type, default, choices and help text at the newest allowed release that has
it, whether every allowed release has it (and which pin allows them), the releases that
added, removed or renamed it, and the upstream file and line. A finding: its message,
the reference table row it comes from, and the rule's documentation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lsprotocol import types

from cfgguard.findings import Finding
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.keyspace import Definition, Presence, Verdict
from cfgguard.report.escape import visible
from cfgguard.rules import RULES_BY_CODE
from cfgguard.server.cursor import key_on_line, node_at
from cfgguard.server.diagnostics import finding_range
from cfgguard.server.documents import Checked
from cfgguard.yaml.nodes import Mapping

_HEADING = re.compile(r"^## (.+)$", re.M)


def hover(
    current: Checked, parsed: Checked | None, line: int, character: int
) -> types.Hover | None:
    """The findings under the cursor, then the key under it (``parsed``: the newest
    version that parsed, for the key data when the current text does not)."""
    lines = current.lines
    at = (line, character)
    texts: list[str] = []
    spans: list[types.Range] = []
    for finding in current.findings:
        span = finding_range(lines, finding)
        if _key(span.start) <= at <= _key(span.end):
            texts.append(finding_text(finding))
            spans.append(span)
    found = _key_at(current, parsed, line, character)
    if found is not None:
        text, span = found
        texts.append(text)
        spans.append(span)
    if not texts:
        return None
    content = types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(texts))
    return types.Hover(contents=content, range=spans[-1])


def _key(position: types.Position) -> tuple[int, int]:
    return (position.line, position.character)


def _key_at(
    current: Checked, parsed: Checked | None, line: int, character: int
) -> tuple[str, types.Range] | None:
    """The key text and the key's range, when the cursor is on a key the data knows."""
    if parsed is None:
        return None
    lines = current.lines
    offset = lines.source_offset(line, character)
    analysis = parsed.analysis_at(offset if parsed is current else 0)
    if analysis is None or analysis.detection is None:
        return None
    keys = parsed.keys(analysis)
    root = analysis.document.root
    if keys is None or root is None:
        return None
    nested = keys.reading.source.nested
    if parsed is current and isinstance(root, Mapping):
        hit = node_at(root, offset, nested)
        if hit is None or not hit.on_key:
            return None
        path = hit.path
        start = lines.from_source(hit.key.start.line + 1, hit.key.start.column + 1)
        end = lines.from_source(hit.key.end.line + 1, hit.key.end.column + 1)
    else:  # the text does not parse: the key the line starts, by indentation
        found = key_on_line(lines, line)
        column = lines.offset(line, character) - lines.starts[line] if line < lines.count else 0
        if found is None or not found[1] <= column <= found[2]:
            return None
        path = found[0]
        if not nested and "." in path and path not in keys.space.names():
            return None
        start = lines.position(lines.starts[line] + found[1])
        end = lines.position(lines.starts[line] + found[2])
    span = types.Range(types.Position(*start), types.Position(*end))
    return key_text(keys, path, analysis.detection.dialect.title), span


def code(text: str) -> str:
    """``text`` as a Markdown code span (a fence longer than any backtick run in it)."""
    text = visible(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def key_text(keys: DocumentKeys, path: str, dialect: str) -> str:
    verdict = keys.verdict(path)
    out = [f"**{code(path)}**: {visible(dialect)} key ({_status(keys, verdict)})"]
    local = verdict.local
    if local is not None:
        out.append(
            f"Defined by the repository's argument class {code(local.owner)}"
            f" ({visible(local.file)}:{local.line})"
        )
        out.extend(_facts(local.type, local.default, (), ()))
        return "\n\n".join(out)
    found = _newest(verdict)
    definition = found[0] if found is not None else None
    if definition is not None:
        attrs = definition.run.attrs
        if definition.section:
            out.append("A section: a mapping of keys")
        else:
            out.extend(
                _facts(
                    str(attrs.get("type", "")),
                    str(attrs.get("default", "")),
                    attrs.get("choices", ()),
                    attrs.get("aliases", ()),
                )
            )
        helptext = definition.pkg.help(definition.owner, definition.name or path)
        if helptext:
            out.append(visible(helptext))
        deprecated = str(attrs.get("deprecated", ""))
        replacement = str(attrs.get("replacement", ""))
        if replacement:
            out.append(f"Renamed: use {code(replacement)} instead")
        if deprecated:
            out.append(f"Deprecated: {visible(deprecated)}")
    history = list(_history(verdict))
    if history:
        out.append("Releases: " + "; ".join(history))
    if found is not None:
        out.append(f"Source: {code(found[0].cite(found[1]))}")
    return "\n\n".join(out)


def _newest(verdict: Verdict) -> tuple[Definition, int] | None:
    """The definition at the newest allowed release that has the key (else the newest
    release that does), and that release's index."""
    for presence in verdict.parts:
        if presence.present:
            index = max(presence.present)
            return presence.present[index], index
    definition = max(verdict.elsewhere, key=lambda d: d.run.last, default=None)
    return None if definition is None else (definition, definition.run.last)


def _facts(
    kind: str, default: str, choices: Iterable[object], aliases: Iterable[object]
) -> list[str]:
    out: list[str] = []
    if kind:
        out.append(f"Type: {code(kind)}")
    if default:
        out.append(f"Default: {code(default)}")
    listed = ", ".join(code(str(c)) for c in choices)
    if listed:
        out.append(f"One of: {listed}")
    also = ", ".join(code(str(a)) for a in aliases)
    if also:
        out.append(f"Also read as: {also}")
    return out


def _allowed(keys: DocumentKeys, package: str) -> str:
    allowed = keys.allowed.get(package)
    pkg = keys.package(package)
    if allowed is None or pkg is None:
        return package
    return allowed.describe(pkg.releases)


def _status(keys: DocumentKeys, verdict: Verdict) -> str:
    if verdict.local is not None:
        return "the repository's own"
    packages = [p.part.package.name for p in verdict.parts]
    allowed = ", ".join(_allowed(keys, p) for p in dict.fromkeys(packages))
    if verdict.status == "all":
        return f"in every allowed release: {allowed}"
    if verdict.status == "some":
        return f"only in some allowed releases: {allowed}"
    if verdict.status == "none":
        return f"not in the allowed releases: {allowed}"
    return f"not a key of {visible(keys.loader)}"


def _history(verdict: Verdict) -> Iterable[str]:
    """The releases of each package that added or removed the key, and where it is (or is
    not) among the allowed ones."""
    for presence in verdict.parts:
        yield from _package_history(presence, verdict.key)


def _package_history(presence: Presence, key: str) -> Iterable[str]:
    part = presence.part
    releases = part.package.releases
    name = part.package.name
    if not part.may_define(key):
        return
    present = sorted(part.presence(key, range(len(releases))))
    if not present:
        return
    runs: list[tuple[int, int]] = []
    for index in present:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    newest = len(releases) - 1
    for first, last in runs:
        if first == 0 and last == newest:
            yield f"in every {name} release cfgguard knows ({releases[0]} to {releases[newest]})"
            continue
        if first == 0:
            yield f"in {name} {releases[0]} (the oldest release cfgguard knows)"
        else:
            yield f"added in {name} {releases[first]}"
        if last < newest:
            yield f"removed in {name} {releases[last + 1]} (last in {releases[last]})"
    absent = presence.absent()
    if absent and presence.present:
        missing = ", ".join(releases[i] for i in absent)
        yield f"missing from the allowed {name} {missing}"


def finding_text(finding: Finding) -> str:
    rule = RULES_BY_CODE.get(finding.code)
    head = (
        f"**{finding.code}** {visible(finding.name)} ({finding.severity.label}):"
        f" {visible(finding.message)}"
    )
    out = [head, f"Reference: {visible(finding.source)}"]
    if rule is not None and rule.doc.strip():
        # the doc's "## Section" headings as bold lines: a hover is small
        out.append(_HEADING.sub(r"**\1**", rule.doc.strip()))
    return "\n\n".join(out)
