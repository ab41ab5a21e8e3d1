"""Rewrite a number as written, keeping the author's style.

``2e-5`` x10 -> ``2e-4``; ``2.0e-5`` -> ``2.0e-4``; ``0.00002`` -> ``0.0002``;
``2e-05`` -> ``2e-04`` (exponent width kept); ``5E-4`` keeps its capital E.
"""

from __future__ import annotations

import re

_EXP = re.compile(r"^(?P<mant>[-+]?[0-9._]+)(?P<e>[eE])(?P<sign>[-+]?)(?P<digits>[0-9]+)$")


def scale_by_power_of_ten(text: str, power: int) -> str | None:
    """``text`` times 10**power in the same notation, or None if it is not a number."""
    text = text.strip()
    match = _EXP.match(text)
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
