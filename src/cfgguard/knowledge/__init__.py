"""Knowledge as data: the reference tables and the model table, with typed loaders."""

from __future__ import annotations

import json
import os
from typing import Any

_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def read_json(*parts: str) -> Any:
    """A package data file (``data/<parts>``), parsed.

    Plain ``open`` beside ``__file__`` rather than ``importlib.resources``: the latter
    imports pathlib, tempfile and urllib on every run, which the check path pays for.
    """
    with open(os.path.join(_DATA, *parts), encoding="utf-8") as handle:
        return json.load(handle)
