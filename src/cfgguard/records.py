"""Record classes: ``dataclasses``' API, built in a tenth of the time.

Why this exists: a ``@dataclass`` costs about 0.6 ms to define (it compiles up to six
methods from source, and with ``slots=True`` builds the class twice), and importing
``dataclasses`` pulls in ``inspect`` (another 8 ms). cfgguard declares about fifty records
on the path of ``cfgguard check``; that was 40 ms of a 150 ms one-file run, in a tool that
runs as a pre-commit hook on every commit. (Measure: ``python -X importtime -c "import
cfgguard.cli.commands"``, or ``bench/run.py --profile``.)

Modules write ``from cfgguard.records import dataclass, field, replace`` and declare
records exactly as with ``dataclasses``. Type checkers see ``dataclasses`` itself (the
``TYPE_CHECKING`` branch below), so pyright checks each record as the dataclass it
declares; at runtime ``cfgguard._records`` builds the class: one compiled ``__init__`` per
class and shared ``__repr__`` / ``__eq__`` / ``__hash__`` / frozen ``__setattr__``. It
implements the subset cfgguard uses (``frozen``, ``slots``, ``eq``, ``repr``; fields with
``default``, ``default_factory``, ``repr``, ``compare``) and rejects any other option when
the class is defined. ``tests/test_records.py`` holds it to ``dataclasses``' behaviour,
side by side, and keeps ``import dataclasses`` out of the package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dataclasses import asdict, dataclass, field, fields, replace
else:
    from cfgguard._records import asdict, dataclass, field, fields, replace

__all__ = ["asdict", "dataclass", "field", "fields", "replace"]
