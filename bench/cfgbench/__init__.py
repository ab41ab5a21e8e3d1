"""The parts of ``bench/run.py``, by job: ``launch`` (running and timing a command),
``tools`` (the three tools' command lines), ``configs`` and ``values`` (generating the
configs), ``fixset`` (the files for the ``--fix`` run), ``series`` (repetitions and their
medians), ``report`` (the tables), ``verdict`` (the targets) and ``profiling``.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
KEYS_DIR = REPO / "src" / "cfgguard" / "knowledge" / "data" / "keys"
BIN = Path(sys.executable).parent  # not resolved: a venv's python is a symlink
DIALECTS = ("axolotl", "llamafactory", "trl", "torchtune", "verl", "plain")
CORPUS_DIALECTS = {"alignment-handbook": "trl"}
FLAT_DIALECTS = ("axolotl", "llamafactory", "trl")  # top-level keys are the settings
