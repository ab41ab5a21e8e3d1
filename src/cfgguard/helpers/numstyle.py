"""Scale a number as written, to a clean value, in the author's notation.

``2e-4`` / 3 -> ``7e-5``; ``2.0e-4`` / 3 -> ``7.0e-5``; ``0.0002`` x 3 -> ``0.0006``;
``2e-04`` keeps its two-digit exponent (``7e-05``), ``5E-4`` its capital E, a quoted
value its quotes. "Clean" is one significant digit (the tables' own precision), or two
when one would land on the original value.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

_EXP = re.compile(
    r"^(?P<sign>[-+]?)(?P<int>[0-9_]*)(?P<dot>\.?)(?P<frac>[0-9_]*)"
    r"(?P<e>[eE])(?P<esign>[-+]?)(?P<digits>[0-9]+)$"
)


def clean(value: float, digits: int = 1) -> Decimal:
    """``value`` rounded to ``digits`` significant digits, as a Decimal."""
    return Decimal(f"{value:.{digits - 1}e}")


def _exp_style(text: str, value: Decimal) -> str | None:
    match = _EXP.match(text)
    if match is None:
        return None
    sign, mantissa_text = ("-" if value < 0 else ""), f"{abs(value):e}"
    mant, _, exp = mantissa_text.partition("e")
    mant = mant.rstrip("0").rstrip(".")
    if match["dot"]:
        places = max(1, len(match["frac"]))
        if "." not in mant:
            mant += "." + "0" * places
    exponent = int(exp)
    esign = "-" if exponent < 0 else ("+" if match["esign"] == "+" else "")
    digits = str(abs(exponent)).zfill(len(match["digits"]))
    return f"{sign}{mant}{match['e']}{esign}{digits}"


def _plain_style(text: str, value: Decimal) -> str:
    out = format(value.normalize(), "f")
    if "." in text and "." not in out:
        out += ".0"  # keep a float a float ("0.5" x 2 -> "1.0")
    return out


def scaled(text: str, factor: float) -> str | None:
    """``text`` (a YAML scalar's source, maybe quoted) times ``factor``, cleaned, or None."""
    quote = text[0] if text[:1] in ("'", '"') and text[-1:] == text[:1] else ""
    body = text[1:-1] if quote else text
    try:
        old = Decimal(body.replace("_", ""))
    except InvalidOperation:
        return None
    product = float(old) * factor
    if not old.is_finite() or not math.isfinite(product):  # 1e308 x 3 is no number
        return None
    new = clean(product)
    if new == old:
        new = clean(product, 2)
    out = _exp_style(body, new) or _plain_style(body, new)
    return f"{quote}{out}{quote}"


def value_of(text: str) -> float | None:
    body = text[1:-1] if text[:1] in ("'", '"') else text
    try:
        return float(body.replace("_", ""))
    except ValueError:
        return None
