"""One number format per language: a decimal comma in Swedish, a point in English.

The app, the CLI's human-readable output and the exports meant for reading
(Word, Markdown, Excel headers) format decimals through :func:`fmt_decimal`, so
a number reads the same everywhere in one language. Machine formats (CSV, JSON)
keep plain numbers.

>>> fmt_decimal(0.4567, "sv"), fmt_decimal(0.4567, "en"), fmt_decimal(3, "sv")
('0,457', '0.457', '3')
>>> fmt_share(0.25, "sv"), fmt_share(0.125, "en", digits=1)
('25 %', '12.5%')
>>> fmt_decimal(float("nan")), fmt_decimal(None)
('', '')
"""

from __future__ import annotations

import math


def as_number(value) -> float | None:
    """``value`` as a float, or None when it is no number or NaN (an undefined coefficient)."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def fmt_decimal(value, lang: str = "sv", digits: int = 3) -> str:
    """``value`` with up to ``digits`` decimals (integers without any); '' when undefined."""
    v = as_number(value)
    if v is None:
        return ""
    if v.is_integer():
        return str(int(v))
    text = f"{v:.{digits}f}"
    return text.replace(".", ",") if lang == "sv" else text


def fmt_share(value, lang: str = "sv", digits: int = 0) -> str:
    """A share as a percentage: ``25 %`` in Swedish (space before the sign), ``25%`` in English."""
    v = as_number(value)
    if v is None:
        return ""
    text = f"{v * 100:.{digits}f}"
    return text.replace(".", ",") + " %" if lang == "sv" else text + "%"


def fmt_time(seconds: float | None) -> str:
    """``mm:ss`` or ``h:mm:ss`` of a timestamp in seconds ('' when unknown).

    >>> fmt_time(75), fmt_time(3725.4), fmt_time(None)
    ('01:15', '1:02:05', '')
    """
    if seconds is None:
        return ""
    total = int(round(float(seconds)))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
