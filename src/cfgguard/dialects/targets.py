"""Reading adapter target lists, shared by the dialects.

PEFT semantics (peft 0.21.2 ``src/peft/tuners/tuners_utils.py:2370-2376``): a list entry
matches a module whose name equals it or ends with ``.<entry>``; a single string is a
full-match regex (``src/peft/utils/other.py:1521``), except the special value
``all-linear`` (every Linear but the output layer, ``tuners_utils.py:2430-2469``).
"""

from __future__ import annotations

from cfgguard.canonical import Field, Targets
from cfgguard.dialects.base import Entry, Reader
from cfgguard.patterns import Pattern
from cfgguard.yaml.nodes import Node, Scalar, Sequence

ALL_LINEAR = "all-linear"
_PLAIN_NAME = Pattern(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def names_in(node: Node, reader: Reader, split_commas: bool = False) -> list[tuple[str, Node]]:
    """(name, node) for each string in a list (or a comma-separated string)."""
    out: list[tuple[str, Node]] = []
    items = node.items if isinstance(node, Sequence) else [node]
    for item in items:
        value = reader.scalar_value(item)
        if not isinstance(value, str):
            continue
        parts = value.split(",") if split_commas else [value]
        for part in parts:
            if part.strip():
                out.append((part.strip(), item))
    return out


def names_field(
    reader: Reader, path: str, split_commas: bool = False
) -> Field[tuple[str, ...]] | None:
    """A list of module names at ``path`` (e.g. PEFT's ``modules_to_save``: ``lm_head``)."""
    found = reader.entry(path)
    names = tuple(n for n, _ in names_in(found.value, reader, split_commas)) if found else ()
    if found is None or not names:
        return None
    return Field(names, "file", path, found.value, found.key, found.parent)


def targets_field(
    entry: Entry, reader: Reader, *, split_commas: bool = False, all_values: tuple[str, ...] = ()
) -> Field[Targets] | None:
    """A ``Targets`` field from a PEFT-style target value at ``entry``.

    ``all_values`` are the dialect's spellings of "every linear layer" (e.g. ``all`` in
    LLaMA-Factory); ``all-linear`` is always one.
    """
    node = entry.value
    specials = {ALL_LINEAR, *all_values}
    if isinstance(node, Scalar):
        value = reader.scalar_value(node)
        if value is None:
            return None
        if not isinstance(value, str):
            return None
        if value.strip() in specials:
            targets = Targets(all_linear=True)
        elif not split_commas and not _PLAIN_NAME.match(value.strip()):
            targets = Targets(regex=value.strip())
        else:
            found = names_in(node, reader, split_commas)
            if len(found) == 1 and not split_commas:
                # PEFT treats a bare string as a full-match regex: a plain name matches
                # only a top-level module of that exact name.
                targets = Targets(regex=found[0][0])
            else:
                targets = Targets(
                    names=tuple(n for n, _ in found), name_nodes=tuple(x for _, x in found)
                )
    elif isinstance(node, Sequence):
        found = names_in(node, reader, split_commas)
        if len(found) == 1 and found[0][0] in specials:
            targets = Targets(all_linear=True)
        else:
            targets = Targets(
                names=tuple(n for n, _ in found), name_nodes=tuple(x for _, x in found)
            )
    else:
        return None
    return Field(targets, "file", entry.path, node, entry.key, entry.parent)
