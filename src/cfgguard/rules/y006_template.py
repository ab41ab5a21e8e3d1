"""Templated YAML: rendered by a launcher before training, not checked.

## What it does
Recognises a file written as a Jinja or Helm template (`{{ model }}`,
`{{ .Values.lr | default 2e-4 }}`, `{% if lora %}` ... `{% endif %}`): a launcher renders it
into the YAML the trainer reads. cfgguard reports it once, at the first template marker,
and checks nothing else in the file: the values it would judge are placeholders, and a
`{% if %}` block may or may not be in the rendered config.

Detection is on the file's text, so a template that is not YAML at all (a `{% ... %}`
line, an unquoted `{{ x }}` as a mapping key) is recognised where the YAML parser would
otherwise report a syntax error (Y001). A file that parses but carries markers in its
values (`base_model: "{{ model }}"`) is recognised too. Markers in comments do not count,
nor do a Jinja *chat template* stored as a value (a key named like `chat_template`,
`*_template`, `*prompt*`, `*format*`, or a multi-line value: that text is data the
trainer passes to the tokenizer), nor Python format escapes such as `\\boxed{{}}`.

## Why is this bad?
It is not: rendering before use is a deliberate workflow. Severity `info`. Reporting the
file as a YAML syntax error (an `error`) would be a false alarm; checking the
placeholders would be noise. Check the rendered file instead (`helm template ...`,
`jinja2 config.yaml.j2 > config.yaml`, then `cfgguard check config.yaml`).

## Example
Checked as: `cfgguard check`.
```yaml
base_model: {{ model }}
{% if lora %}
adapter: lora
{% endif %}
learning_rate: {{ lr }}
```

## Fix
None: render the template and check the result.

## Source
Jinja2 template syntax (`{{ ... }}` expressions, `{% ... %}` statements, `{# ... #}`
comments), as Helm and other launchers use it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from cfgguard.findings import Severity
from cfgguard.patterns import Pattern
from cfgguard.rules.base import Rule
from cfgguard.yaml.nodes import Document, Mapping, Node, Scalar, Sequence

# an expression with content (not Python's `{{}}` escape), a statement, a comment
MARKER = Pattern(r"\{\{-?\s*[^{}\s][^{}]*?\}\}|\{%-?\s*[A-Za-z_][^%]*?%\}|\{#[^#]*#\}")
_DATA_KEY = Pattern(r"template|jinja|prompt|format|system|instruction", re.IGNORECASE)
_QUOTE_OR_HASH = re.compile(r"[#'\"]")
MESSAGE = "template: rendered before use, not checked (render it, then check the result)"


def _in_comment(text: str, index: int) -> bool:
    """Whether a ``#`` starts a comment earlier on the same line (outside quotes, roughly)."""
    line_start = text.rfind("\n", 0, index) + 1
    if text.find("#", line_start, index) < 0:  # most lines: no copy, no scan
        return False
    before = text[line_start:index]
    quotes = 0
    for found in _QUOTE_OR_HASH.finditer(before):  # only those characters, found in C
        i = found.start()
        if found.group() != "#":
            quotes += 1
        elif quotes % 2 == 0 and (i == 0 or before[i - 1] in " \t"):
            return True
    return False


def _data_spans(node: Node | None, key: str = "") -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_data) of every scalar: data is a chat template or prompt text."""
    if isinstance(node, Scalar):
        data = bool(_DATA_KEY.search(key)) or node.style in ("|", ">") or "\n" in node.value
        yield node.start_index, node.end_index, data
    elif isinstance(node, Mapping):
        for k, value in node.entries():
            yield k.start_index, k.end_index, False
            yield from _data_spans(value, k.value)
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from _data_spans(item, key)


def find(text: str, documents: list[Document] | None) -> int | None:
    """The offset of the first template marker, or None. ``documents``: the parsed
    stream (None when it did not parse: then every marker outside a comment counts)."""
    if "{{" not in text and "{%" not in text and "{#" not in text:
        return None
    data: list[tuple[int, int]] = []
    for doc in documents or []:
        data.extend((start, end) for start, end, is_data in _data_spans(doc.root) if is_data)
    data.sort()
    starts = [start for start, _ in data]
    for match in MARKER.finditer(text):
        at = match.start()
        # data spans first: a one-line chat template holds hundreds of markers, and the
        # comment test reads the line up to each of them
        i = bisect.bisect_right(starts, at) - 1  # the last data span starting at or before
        if i >= 0 and data[i][0] <= at < data[i][1]:
            continue  # spans of one document's scalars do not overlap
        if _in_comment(text, at):
            continue
        return at
    return None


RULE = Rule("Y006", "templated-yaml", Severity.INFO, "Jinja2 template syntax", __doc__ or "")
