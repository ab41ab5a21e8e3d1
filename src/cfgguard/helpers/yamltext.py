"""The one YAML emitter of ``init``, ``convert`` and ``triage``: scalars, keys, comments.

Configs are written the way their frameworks' examples are: block mappings, two-space
indentation, ``key: value  # comment``. Every key and value goes through ``scalar`` and
every comment through ``comment_text``, so nothing from a source config (a key or value
with a newline, a ``#``, a quote) can end a line, open a comment or start a key:

* a string is plain only when YAML 1.1 (PyYAML, what the frameworks load with) and YAML
  1.2 read it back as that string; otherwise single-quoted, or double-quoted with escapes
  when it holds a quote, a control character or a line break;
* a float always has a dot and a signed exponent (``1.0e-5``, ``1.0e+5``: YAML 1.1 reads
  ``1e-5`` and ``1.0e5`` as strings), and reads back as exactly the same float;
* a comment is one line: control characters, line breaks and bidi overrides escaped.

``Text`` also keeps the data it means to write; ``render`` re-parses its own text and
raises ``EmitError`` unless the result is exactly that data (same keys, same types, same
values), so a writer that slipped would refuse rather than write something else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, cast

from cfgguard.helpers.picks import number
from cfgguard.records import dataclass, field
from cfgguard.report.escape import UNSAFE_PATTERN, escape_char

_PLAIN = re.compile(r"^[A-Za-z_~/.$][A-Za-z0-9_./{}$:,\-\[\]%]*$")
_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")
# YAML 1.1 booleans and nulls (and 1.2's spellings): quoted when meant as strings
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "none"])
# characters YAML cannot hold raw (PyYAML's reader refuses them) or that break a line
_NOT_RAW = re.compile(f"{UNSAFE_PATTERN}|[\ufeff\ufffe\uffff]")
_DOUBLE_QUOTED = re.compile(f'["\\\\]|{_NOT_RAW.pattern}')

Scalar = str | int | float | bool | None


class EmitError(Exception):
    """The text would not read back as the data it was meant to hold."""


def float_text(x: float) -> str:
    """``x`` as every loader reads it back, exactly: ``number``'s short form when exact."""
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    short = number(x)
    text = short if float(short) == x else repr(x)
    mantissa, e, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    if not e:
        return mantissa
    power = int(exponent)
    return f"{mantissa}e{'-' if power < 0 else '+'}{abs(power)}"


def _plain(value: str, flow: bool) -> bool:
    if value.lower() in _RESERVED or not _PLAIN.match(value) or value.endswith(":"):
        return False
    if ": " in value or (flow and (_FLOW_INDICATORS.search(value) or ":" in value)):
        return False
    return _reads_as_string(value)


def _reads_as_string(value: str) -> bool:
    """PyYAML's YAML 1.1 resolver reads ``value`` as a string (not ``.inf``, ``.5``)."""
    import yaml

    resolver = cast(Any, yaml.resolver.Resolver())
    return bool(resolver.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")


def _double_quoted(value: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return "\\" + char if char in '"\\' else escape_char(char)

    return '"' + _DOUBLE_QUOTED.sub(escape, value) + '"'


def scalar(value: Scalar, *, capital_bools: bool = False, flow: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as exactly ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return text.capitalize() if capital_bools else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if _plain(value, flow):
        return value
    if "'" not in value and not _NOT_RAW.search(value):
        return f"'{value}'"
    return _double_quoted(value)


def comment_text(text: str) -> str:
    """``text`` fit for a ``#`` comment: one line, nothing a terminal or YAML acts on."""
    return _NOT_RAW.sub(lambda m: escape_char(m.group()), text)


def entry(key: str, value: Scalar, *, capital_bools: bool = False) -> str:
    """One ``key: value`` line (for inserting into an existing file)."""
    return f"{scalar(key)}: {scalar(value, capital_bools=capital_bools)}"


Container = dict[str, Any]


@dataclass
class Text:
    """A YAML document being written; ``why`` texts become end-of-line comments."""

    capital_bools: bool = False  # torchtune's examples write True/False
    lines: list[str] = field(default_factory=lambda: list[str]())
    meant: Container = field(default_factory=lambda: Container())
    # (indentation of the entries, the mapping they go in), innermost last
    _open: list[tuple[int, Container]] = field(default_factory=lambda: list[tuple[int, Any]]())

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + ("# " + comment_text(text) if text else "#"))

    def section(self, title: str) -> None:
        """A ``### title`` line heading a group of keys (LLaMA-Factory's examples)."""
        self.lines.append("### " + comment_text(title))

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _end(self, line: str, why: str) -> str:
        return f"{line}  # {comment_text(why)}" if why else line

    def _scalar(self, value: Scalar, flow: bool = False) -> str:
        return scalar(value, capital_bools=self.capital_bools, flow=flow)

    def _put(self, key: str, value: object, indent: int) -> None:
        """Record ``key: value`` in the mapping that entries at ``indent`` belong to."""
        if not self._open:
            self._open.append((0, self.meant))
        while self._open and self._open[-1][0] > indent:
            self._open.pop()
        if not self._open or self._open[-1][0] != indent:
            raise EmitError(f"'{key}' at indentation {indent} belongs to no mapping")
        mapping = self._open[-1][1]
        if key in mapping:
            raise EmitError(f"'{key}' would be written twice")
        mapping[key] = value

    def kv(self, key: str, value: Scalar, why: str = "", indent: int = 0) -> None:
        self._put(key, value, indent)
        self.lines.append(self._end(f"{' ' * indent}{scalar(key)}: {self._scalar(value)}", why))

    def open(self, key: str, why: str = "", indent: int = 0) -> None:
        """``key:`` heading a nested mapping (its entries follow at ``indent + 2``)."""
        mapping = Container()
        self._put(key, mapping, indent)
        self._open.append((indent + 2, mapping))
        self.lines.append(self._end(f"{' ' * indent}{scalar(key)}:", why))

    def flow(self, key: str, values: Sequence[Scalar], why: str = "", indent: int = 0) -> None:
        self._put(key, list(values), indent)
        items = ", ".join(self._scalar(v, flow=True) for v in values)
        self.lines.append(self._end(f"{' ' * indent}{scalar(key)}: [{items}]", why))

    def block(
        self,
        key: str,
        values: Sequence[tuple[Scalar, str]],
        why: str = "",
        indent: int = 0,
        dash_indent: int = 2,
    ) -> None:
        """A block list, one ``- item  # why`` per line."""
        self._put(key, [value for value, _ in values], indent)
        self.lines.append(self._end(f"{' ' * indent}{scalar(key)}:", why))
        for value, item_why in values:
            line = f"{' ' * (indent + dash_indent)}- {scalar(value)}"
            self.lines.append(self._end(line, item_why))

    def records(
        self, key: str, items: Sequence[Sequence[tuple[str, Scalar, str]]], indent: int = 0
    ) -> None:
        """A block list of mappings: ``- k: v  # why`` then ``  k: v`` per item."""
        self._put(key, [{k: v for k, v, _ in item} for item in items], indent)
        self.lines.append(f"{' ' * indent}{scalar(key)}:")
        for item in items:
            for number_, (k, v, why) in enumerate(item):
                lead = "- " if number_ == 0 else "  "
                line = f"{' ' * (indent + 2)}{lead}{scalar(k)}: {self._scalar(v)}"
                self.lines.append(self._end(line, why))

    def render(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        text = "\n".join(self.lines) + "\n"
        check_reads_back(text, _without_empty(self.meant))
        return text


def _without_empty(value: object) -> object:
    """An opened mapping that got no entries is written ``key:``: null."""
    if isinstance(value, dict):
        items = cast(dict[str, object], value).items()
        return {k: _without_empty(v) for k, v in items} or None
    if isinstance(value, list):
        return [_without_empty(v) for v in cast(list[object], value)]
    return value


def check_reads_back(text: str, meant: object) -> None:
    """Raise ``EmitError`` unless ``text`` loads (YAML 1.1) as exactly ``meant``."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        got: object = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise EmitError(f"the written YAML would not parse ({exc.__class__.__name__})") from None
    if meant == {}:
        meant = None
    where = first_difference(meant, got)
    if where is not None:
        raise EmitError(f"the written YAML would not read back as meant (at {where})")


def first_difference(meant: object, got: object, path: str = "") -> str | None:
    """The first path where ``got`` is not ``meant`` (types compared too: 1 is not True)."""
    here = path or "the top"
    if type(meant) is not type(got):
        return here
    if isinstance(meant, dict):
        mine, theirs = cast(dict[object, object], meant), cast(dict[object, object], got)
        if list(mine) != list(theirs):
            extra = [k for k in theirs if k not in mine] or [k for k in mine if k not in theirs]
            return f"{path}.{extra[0]}".lstrip(".") if extra else here
        for key, value in mine.items():
            found = first_difference(value, theirs[key], f"{path}.{key}".lstrip("."))
            if found is not None:
                return found
        return None
    if isinstance(meant, list):
        mine_items, their_items = cast(list[object], meant), cast(list[object], got)
        if len(mine_items) != len(their_items):
            return here
        for index, (a, b) in enumerate(zip(mine_items, their_items, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(meant, float) and math.isnan(meant) and isinstance(got, float):
        return None if math.isnan(got) else here
    return None if meant == got else here
