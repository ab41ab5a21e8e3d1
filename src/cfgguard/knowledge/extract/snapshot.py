"""What one release of one package defines, as extracted from its source.

Every text is source text as written (``ast.unparse``), so nothing is evaluated: a
default of ``field(default_factory=list)`` is ``"list()"``, a help string that the source
builds at run time is ``""``. Positions are 1-based lines in the file that defines them.
"""

from __future__ import annotations

from cfgguard.records import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One key a loader accepts: a dataclass/pydantic field or a YAML tree leaf."""

    name: str  # the key: a field name, or a dotted path (``a.b``, ``a[].b``) in a key set
    type: str = ""  # annotation as source text; "" when the source gives none
    default: str = ""  # source text; "" when required or unknown
    line: int = 0
    file: str = ""  # only for key-set entries (a class's fields share its file)
    choices: tuple[str, ...] = ()  # a closed value list (Literal[...], an Enum, choices=)
    aliases: tuple[str, ...] = ()  # other spellings the loader maps onto this field
    deprecated: str = ""  # the framework's own deprecation text; "" = not deprecated
    replacement: str = ""  # the key that text says to use instead
    help: str = ""  # first sentence of the field's help, when the source has one


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """An argument class: its own fields (inherited ones come from ``bases``)."""

    name: str
    file: str  # path inside the distribution, '/'-separated
    line: int
    bases: tuple[str, ...] = ()  # base class names as written, last dotted part
    fields: tuple[FieldInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class Snapshot:
    package: str
    version: str
    classes: tuple[ClassInfo, ...] = ()
    key_sets: dict[str, tuple[FieldInfo, ...]] = field(
        default_factory=lambda: dict[str, tuple[FieldInfo, ...]]()
    )
    # parser name -> the classes (or key sets) that parser reads, in order: TRL's
    # ``sft`` script is ``("ScriptArguments", "SFTConfig", "ModelConfig")``
    parsers: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict[str, tuple[str, ...]]()
    )
    requires: dict[str, str] = field(default_factory=lambda: dict[str, str]())

    def class_named(self, name: str) -> ClassInfo | None:
        for info in self.classes:
            if info.name == name:
                return info
        return None
