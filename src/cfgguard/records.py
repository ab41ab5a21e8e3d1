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
the class is defined; so does everything else it does not implement (``__post_init__``,
``InitVar``, ``KW_ONLY``, ..., listed in ``cfgguard._records``). ``tests/test_records.py``
holds it to ``dataclasses``' behaviour, side by side, and keeps ``import dataclasses`` out
of the package.

One switch swaps the standard library in: with ``CFGGUARD_STDLIB_DATACLASSES=1`` in the
environment this module hands out ``dataclasses`` itself. ``.ci/run`` runs the test suite
that way too, so every record the package declares is proven to behave the same with both.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

SWITCH = "CFGGUARD_STDLIB_DATACLASSES"

if TYPE_CHECKING or os.environ.get(SWITCH) == "1":
    from dataclasses import asdict, dataclass, field, fields, replace
else:
    from cfgguard._records import asdict, dataclass, field, fields, replace

__all__ = ["SWITCH", "asdict", "dataclass", "field", "fields", "replace"]
