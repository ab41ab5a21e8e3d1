"""Writing YAML text line by line, with a comment on every value (no dumper).

Configs are written the way their frameworks' examples are: block mappings, two-space
indentation, ``key: value  # comment``. Scalars are written so that every loader profile
reads them as the intended type (floats always with a dot: ``1.0e-5``; strings quoted
when YAML 1.1 would read them as something else).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from cfgguard.helpers.plan import number
from cfgguard.records import dataclass, field

_PLAIN = re.compile(r"^[A-Za-z_~/.$][A-Za-z0-9_./{}$:,\-\[\]%]*$")
# YAML 1.1 booleans and nulls: quoted when meant as strings
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "none"])

Scalar = str | int | float | bool | None


def scalar(value: Scalar, *, capital_bools: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        text = "true" if value else "false"
        return text.capitalize() if capital_bools else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if value.lower() in _RESERVED or not _PLAIN.match(value) or ": " in value:
        printable = value.isprintable() and "'" not in value
        return f"'{value}'" if printable else json.dumps(value)
    return value


@dataclass
class Text:
    """A YAML document being written; ``why`` texts become end-of-line comments."""

    capital_bools: bool = False  # torchtune's examples write True/False
    lines: list[str] = field(default_factory=lambda: list[str]())

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + ("# " + text if text else "#"))

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def raw(self, text: str) -> None:
        self.lines.append(text)

    def _end(self, line: str, why: str) -> str:
        return f"{line}  # {why}" if why else line

    def kv(self, key: str, value: Scalar, why: str = "", indent: int = 0) -> None:
        text = scalar(value, capital_bools=self.capital_bools)
        self.lines.append(self._end(f"{' ' * indent}{key}: {text}", why))

    def open(self, key: str, why: str = "", indent: int = 0) -> None:
        """``key:`` heading a nested mapping or block list."""
        self.lines.append(self._end(f"{' ' * indent}{key}:", why))

    def flow(self, key: str, values: Sequence[Scalar], why: str = "", indent: int = 0) -> None:
        items = ", ".join(
            json.dumps(v)
            if isinstance(v, str) and "," in v
            else scalar(v, capital_bools=self.capital_bools)
            for v in values
        )
        self.lines.append(self._end(f"{' ' * indent}{key}: [{items}]", why))

    def block(
        self,
        key: str,
        values: Sequence[tuple[Scalar, str]],
        why: str = "",
        indent: int = 0,
        dash_indent: int = 2,
    ) -> None:
        """A block list, one ``- item  # why`` per line."""
        self.open(key, why, indent)
        for value, item_why in values:
            line = f"{' ' * (indent + dash_indent)}- {scalar(value)}"
            self.lines.append(self._end(line, item_why))

    def render(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"
