"""The config ``triage`` looks at: its fields, where they are, and edits to them.

Edits are the fix engine's span edits (``edits/build.py``): a value's characters replaced,
or a ``key: value`` line inserted next to a related key at the mapping's indentation.
"""

from __future__ import annotations

from cfgguard.canonical import Canonical, Field
from cfgguard.derived.context import Context
from cfgguard.dialects import BY_NAME
from cfgguard.dialects.base import Reader
from cfgguard.edits.build import fix, insert_key, replace
from cfgguard.findings import Edit, Fix
from cfgguard.helpers.yamltext import Scalar as YamlScalar
from cfgguard.helpers.yamltext import entry
from cfgguard.knowledge.models import ModelFacts
from cfgguard.records import dataclass, field
from cfgguard.source import Source
from cfgguard.yaml.nodes import Mapping, Node, Scalar, Sequence


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting the troubleshooting row links to the symptom, as the file has it."""

    key: str
    value: str  # as written, or the default's value
    line: int | None = None  # 1-based; None when the key is absent
    column: int | None = None
    note: str = ""


@dataclass
class Proposal:
    settings: list[Setting] = field(default_factory=lambda: list[Setting]())
    fixes: list[Fix] = field(default_factory=lambda: list[Fix]())
    notes: list[str] = field(default_factory=lambda: list[str]())


@dataclass
class Subject:
    source: Source
    dialect: str
    config: Canonical
    model: ModelFacts | None
    reader: Reader

    @property
    def text(self) -> str:
        return self.source.text

    def context(self) -> Context:
        """What a rule sees (to reuse a rule's fix)."""
        return Context(
            self.source.path, self.dialect, self.config, self.model, self.reader, text=self.text
        )

    def written(self, f: Field[object]) -> str:
        node = f.node
        if f.origin == "file" and node is not None:
            return self.shown(node)
        return str(f.value)

    def shown(self, node: Node) -> str:
        """A node as the file writes it, on one line (a block list as a flow list)."""
        if isinstance(node, Scalar):
            return self.text[node.start.index : node.end.index] or "null"
        if isinstance(node, Sequence):
            return "[" + ", ".join(self.shown(item) for item in node.items) + "]"
        return "{" + ", ".join(f"{k.value}: {self.shown(v)}" for k, v in node.entries()) + "}"

    def setting(self, name: str, f: Field[object] | None, absent: str = "") -> Setting:
        if f is None:
            return Setting(name, "(absent)", note=absent)
        node = f.node if f.origin == "file" else None
        if node is None:
            note = f.note or ("derived" if f.origin == "derived" else "framework default")
            return Setting(f.key or name, f"{f.value}", note=note)
        where = node.start
        return Setting(f.key or name, self.written(f), where.line + 1, where.column + 1)

    def entry_setting(self, path: str) -> Setting:
        """A setting read straight from the file by its dialect key path."""
        found = self.reader.entry(path)
        if found is None:
            return Setting(path, "(absent)")
        node = found.value
        return Setting(path, self.shown(node), node.start.line + 1, node.start.column + 1)


def replace_value(f: Field[object], new: str, message: str) -> Fix | None:
    node = f.node
    if f.origin != "file" or not isinstance(node, Scalar) or node.style in ("|", ">"):
        return None
    if node.start.index == node.end.index:  # `key:` with no value: the mark follows ':'
        new = " " + new
    return fix("unsafe", message, replace(node, new))


def insert_line(
    subject: Subject,
    mapping: Mapping | None,
    key: str,
    value: YamlScalar,
    after: tuple[str, ...],
    message: str,
) -> Fix | None:
    """Insert ``key: value`` (written by the one emitter, ``yamltext.entry``)."""
    if mapping is None:
        return None
    line = entry(key, value, capital_bools=BY_NAME[subject.dialect].writing.capital_bools)
    edit: Edit | None = insert_key(subject.text, mapping, line, after)
    return fix("unsafe", message, edit) if edit is not None else None
