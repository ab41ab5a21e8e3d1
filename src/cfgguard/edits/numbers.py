"""A number's text as a config writes it: shown, restyled, scaled (one module for all).

* ``fmt``: a value the way a person writes it in a message (``2e-05``, ``0.1``, ``64``).
* ``dotted``: an exponent number every loader reads as a float (``5e-4`` -> ``5.0e-4``):
  Y003's fix.
* ``scale_by_power_of_ten``: times 10**n in the same notation (``2e-5`` x10 -> ``2e-4``;
  ``2.0e-5`` -> ``2.0e-4``; ``0.00002`` -> ``0.0002``; ``2e-05`` -> ``2e-04``, exponent
  width kept; ``5E-4`` keeps its capital E): the LR rules' fixes.
* ``scaled``: times any factor, to a clean value, in the author's notation (``2e-4`` / 3
  -> ``7e-5``; ``2.0e-4`` / 3 -> ``7.0e-5``; ``0.0002`` x 3 -> ``0.0006``; ``2e-04`` keeps
  its two-digit exponent, ``5E-4`` its capital E, a quoted value its quotes). "Clean" is
  one significant digit (the tables' own precision), or two when one would land on the
  original value: ``triage``'s fixes.

Each reads the written text with its own pattern (kept as they were, so that what each
accepts does not change): ``EXPONENT`` (a digit first, at most one dot), ``_SCALE``
(anything of digits, dots and underscores before the ``e``) and ``_STYLE`` (an optional
dot between optional digits).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cfgguard.patterns import Pattern

if TYPE_CHECKING:  # decimal is imported when a number is scaled, not on every check
    from decimal import Decimal

# an exponent number as YAML 1.1 may leave it a string: 5e-4, 1e5, 1.5E+3
EXPONENT = Pattern(r"^([-+]?)([0-9][0-9_]*)(\.[0-9_]*)?([eE])([-+]?)([0-9]+)$")
_SCALE = Pattern(r"^(?P<mant>[-+]?[0-9._]+)(?P<e>[eE])(?P<sign>[-+]?)(?P<digits>[0-9]+)$")
_STYLE = Pattern(
    r"^(?P<sign>[-+]?)(?P<int>[0-9_]*)(?P<dot>\.?)(?P<frac>[0-9_]*)"
    r"(?P<e>[eE])(?P<esign>[-+]?)(?P<digits>[0-9]+)$"
)


def fmt(value: object) -> str:
    """A number the way a person writes it in a config (``2e-05``, ``0.1``, ``64``)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)  # nan, inf, -inf
        if value != 0.0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
            mantissa, exponent = f"{value:.2e}".split("e")
            mantissa = mantissa.rstrip("0").rstrip(".")
            return f"{mantissa}e{int(exponent)}"
        return f"{value:g}"
    return str(value)


def dotted(text: str) -> str:
    """``5e-4`` -> ``5.0e-4``, ``1e5`` -> ``1.0e+5``: a float under YAML 1.1 too."""
    m = EXPONENT.match(text.strip())
    if m is None:
        return text
    sign, whole, frac, e, exp_sign, digits = m.groups()
    return f"{sign}{whole}{frac if frac and len(frac) > 1 else '.0'}{e}{exp_sign or '+'}{digits}"


def scale_by_power_of_ten(text: str, power: int) -> str | None:
    """``text`` times 10**power in the same notation, or None if it is not a number."""
    text = text.strip()
    match = _SCALE.match(text)
    if match:
        exponent = int(f"{match['sign']}{match['digits']}") + power
        sign = "-" if exponent < 0 else ("+" if match["sign"] == "+" else "")
        digits = str(abs(exponent)).zfill(len(match["digits"]))
        return f"{match['mant']}{match['e']}{sign}{digits}"
    from decimal import Decimal, InvalidOperation  # only when a fix is built

    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    scaled = value.scaleb(power)
    out = format(scaled, "f")
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    if "." in text and "." not in out:
        out += ".0"  # keep it a float literal ("0.5" x10 -> "5.0", not "5")
    return out


def clean(value: float, digits: int = 1) -> Decimal:
    """``value`` rounded to ``digits`` significant digits, as a Decimal."""
    from decimal import Decimal

    return Decimal(f"{value:.{digits - 1}e}")


def _exp_style(text: str, value: Decimal) -> str | None:
    match = _STYLE.match(text)
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
    from decimal import Decimal, InvalidOperation

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
