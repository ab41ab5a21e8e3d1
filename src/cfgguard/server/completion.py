"""Completion: the keys the dialect's loader reads in the mapping at the cursor, over
the releases the repository allows, and the values of a key with a closed list.

The mapping is found by indentation (the text being typed seldom parses); the key data
comes from the current version when it parses, else from the text without the line
being typed, else from the newest version that parsed. Keys every allowed release has
come first; a key only some have says so. Keys the mapping already holds are left out.
"""

from __future__ import annotations

import re

from lsprotocol import types

from cfgguard.check import Analysis, analyse
from cfgguard.keyspaces import DocumentKeys
from cfgguard.knowledge.keyspace import Definition
from cfgguard.records import replace
from cfgguard.report.escape import visible
from cfgguard.server.cursor import Context, line_context
from cfgguard.server.documents import Checked
from cfgguard.server.hover import code

# values a YAML 1.1 or 1.2 loader would not read as that string
_NOT_PLAIN = re.compile(
    r"^(?:[-+]?[\d.]|~$|null$|true$|false$|yes$|no$|on$|off$|y$|n$|[\[\]{}&*!|>'\"%@`#,?:-]|$)",
    re.IGNORECASE,
)
_LITERAL = re.compile(r"Literal\[([^\]]*)\]")
_QUOTED = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"")
_BOOLS = ("true", "false")
_BOOL = re.compile(r"(?<![\w.])bool(?![\w.])")
# what a closed type may hold besides its literals and bool
_OTHER = re.compile(r"\b(?:None|NoneType|Optional|Union|bool|typing)\b|[\s|\[\],.]")


def complete(
    current: Checked, parsed: Checked | None, line: int, character: int
) -> list[types.CompletionItem]:
    lines = current.lines
    if line >= lines.count:
        return []
    column = lines.offset(line, character) - lines.starts[line]
    context = line_context(lines, line, column)
    if context is None:
        return []
    keys, dialect = _keys(current, parsed, line)
    if keys is None:
        return []
    nested = keys.reading.source.nested
    if context.prefix and not nested:
        return []  # the key data describes top-level keys only
    start = lines.position(lines.starts[line] + context.word_start)
    end = lines.position(lines.starts[line] + column)
    span = types.Range(types.Position(*start), types.Position(*end))
    if context.value_of is not None:
        return _values(keys, context.value_of, span)
    rest = lines.line(line)[column:]
    return _keys_at(keys, context, span, dialect, with_colon=":" not in rest)


def _keys(current: Checked, parsed: Checked | None, line: int) -> tuple[DocumentKeys | None, str]:
    """The key data for the document at ``line``, and the dialect's title."""
    candidates: list[tuple[Checked, Analysis]] = []
    if parsed is current:
        offset = current.lines.starts[line]
        analysis = current.analysis_at(offset)
        if analysis is not None:
            candidates.append((current, analysis))
    else:
        blanked = _without_line(current, line)
        if blanked is not None:
            candidates.append(blanked)
        if parsed is not None:
            candidates.extend((parsed, a) for a in parsed.analyses())
    for checked, analysis in candidates:
        if analysis.detection is None:
            continue
        keys = checked.keys(analysis)
        if keys is not None:
            return keys, analysis.detection.dialect.title
    return None, ""


def _without_line(current: Checked, line: int) -> tuple[Checked, Analysis] | None:
    """The current text with the line being typed left out, analysed (it often parses)."""
    if current.source is None or current.options is None:
        return None
    lines = current.lines
    start = max(lines.starts[line] - (1 if lines.bom else 0), 0)
    text = current.source.text
    end = text.find("\n", start)
    blanked = text[:start] + (text[end:] if end >= 0 else "")
    problems, analyses = analyse(replace(current.source, text=blanked), current.options)
    if any(p.kind == "syntax" for p in problems) or not analyses:
        return None
    source = replace(current.source, text=blanked)
    return Checked(current.path, current.lines, source, current.options), analyses[0]


def _keys_at(
    keys: DocumentKeys, context: Context, span: types.Range, dialect: str, *, with_colon: bool
) -> list[types.CompletionItem]:
    space = keys.space
    prefix = context.prefix
    leaves = set(space.siblings(prefix))
    sections = {
        s.rpartition(".")[2].removesuffix("[]")
        for s in space.sections()
        if s.rpartition(".")[0] == prefix
    }
    items: list[types.CompletionItem] = []
    for name in sorted(leaves | sections):
        if name in context.present or name.startswith("_"):
            continue  # there already, or a marker (``_target_``), not a setting
        path = f"{prefix}.{name}" if prefix else name
        verdict = space.verdict(path)
        if verdict.status in ("none", "never"):
            continue
        every = verdict.status == "all"
        section = name in sections and name not in leaves
        definition = verdict.newest()
        kind = "mapping" if section else _attr(definition, "type")
        detail = kind if every else f"{kind} (not in every allowed release)".lstrip()
        if verdict.local is not None:
            detail = verdict.local.type or "the repository's own key"
        text = name if not with_colon else (f"{name}:" if section else f"{name}: ")
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Module if section else types.CompletionItemKind.Field,
                detail=visible(detail),
                documentation=_documentation(keys, path, definition, dialect),
                sort_text=("0" if every else "1") + name,
                filter_text=name,
                text_edit=types.TextEdit(range=span, new_text=text),
            )
        )
    return items


def _attr(definition: Definition | None, name: str) -> str:
    if definition is None:
        return ""
    return str(definition.run.attrs.get(name, ""))


def _documentation(
    keys: DocumentKeys, path: str, definition: Definition | None, dialect: str
) -> types.MarkupContent:
    out = [f"{code(path)}: {visible(dialect)} key"]
    default = _attr(definition, "default")
    if default:
        out.append(f"Default: {code(default)}")
    if definition is not None:
        helptext = definition.pkg.help(definition.owner, definition.name or path)
        if helptext:
            out.append(visible(helptext))
        out.append(f"Source: {code(definition.cite())}")
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(out))


def _values(keys: DocumentKeys, path: str, span: types.Range) -> list[types.CompletionItem]:
    verdict = keys.space.verdict(path)
    definition = verdict.newest()
    if definition is None:
        return []
    values = [(v, v if v in _BOOLS else yaml_scalar(v)) for v in closed_values(definition)]
    default = _attr(definition, "default").strip("'\"")
    items: list[types.CompletionItem] = []
    for number, (label, text) in enumerate(values):
        items.append(
            types.CompletionItem(
                label=label,
                kind=types.CompletionItemKind.EnumMember,
                detail="default" if label.lower() == default.lower() else None,
                sort_text=f"{number:04d}",
                filter_text=label,
                text_edit=types.TextEdit(range=span, new_text=text),
            )
        )
    return items


def closed_values(definition: Definition) -> list[str]:
    """The values of a key with a closed list: its ``choices``, else the strings of the
    ``Literal[...]`` in its type, with ``true``/``false`` when the type admits a bool;
    none when the type admits anything else (a ``str``, a number)."""
    attrs = definition.run.attrs
    values = [str(c) for c in attrs.get("choices", ())]
    kind = str(attrs.get("type", ""))
    if _OTHER.sub("", _LITERAL.sub("", kind)):
        return values
    if not values:
        for listed in _LITERAL.findall(kind):
            values.extend(a or b for a, b in _QUOTED.findall(listed))
    if _BOOL.search(_LITERAL.sub("", kind)):
        values.extend(v for v in _BOOLS if v not in values)
    return list(dict.fromkeys(values))


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML string: plain when it reads back as itself, else quoted."""
    if not (_NOT_PLAIN.match(value) or ": " in value or " #" in value):
        return value
    return "'" + value.replace("'", "''") + "'"
