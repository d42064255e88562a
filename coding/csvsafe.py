"""Spreadsheet-safe text cells for CSV and Excel exports.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is run as a formula by Excel and LibreOffice ("CSV injection"). Every
export writes such text with a leading apostrophe, which spreadsheets show as
text; the importers take that apostrophe off again, so files round-trip.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("Ensam position som SE-coach"), neutralise(-3)
('Ensam position som SE-coach', -3)
>>> unneutralise(neutralise("+46 70 123"))
'+46 70 123'
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix text that a spreadsheet would evaluate as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a CSV file."""
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
