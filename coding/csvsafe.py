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

import csv
import io

from .textclean import remove_controls

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY_FIRST = frozenset(FORMULA_STARTS) | {"'"}


def _formula_after_apostrophes(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value):
    """Prefix text that a spreadsheet would evaluate as a formula with an apostrophe.

    Text that already starts with apostrophes before a formula character gets one more, so
    that :func:`unneutralise` gives back exactly the original text.
    """
    if isinstance(value, str) and value[:1] in _RISKY_FIRST and _formula_after_apostrophes(value):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a CSV file.

    >>> [unneutralise(neutralise(v)) for v in ("'=x", "=x", "'vanlig", "''+1")]
    ["'=x", '=x', "'vanlig", "''+1"]
    """
    if value[:1] == "'" and _formula_after_apostrophes(value[1:]):
        return value[1:]
    return value


# ------------------------------------------------------------ writing and reading CSV

MAX_FIELD_CHARS = 10_000_000  # one CSV cell at most (a memo, a long quote); larger is an error naming the line


def csv_writer(out):
    """A CSV writer for every export: RFC 4180 (``\\r\\n`` line ends, a field with a comma, quote,
    CR or LF is quoted). Write rows through :func:`safe_row` so no cell, header included, runs as
    a formula.

    >>> import io
    >>> buf = io.StringIO()
    >>> _ = csv_writer(buf).writerow(safe_row(["=1+1", "rad ett\\r=cmd|' /C calc'!A0", None]))
    >>> buf.getvalue()
    '\\'=1+1,"rad ett\\n=cmd|\\' /C calc\\'!A0",\\r\\n'
    """
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)


def safe_row(values) -> list:
    """The cells of one CSV row: None as empty, control characters removed (tab and line feed stay),
    formula-like text neutralised."""
    return [neutralise(remove_controls(v) if isinstance(v, str) else "" if v is None else v) for v in values]


def csv_records(text: str, *, path: str | None, problem=None) -> list[tuple[int, list[str]]]:
    """``(line number, cells)`` of every row of CSV ``text``; a broken file raises ``problem``.

    An unclosed quote, a stray quote or a cell larger than :data:`MAX_FIELD_CHARS` is an error
    naming the file and line, never rows silently merged into one cell.

    >>> csv_records('a,b\\r\\n1,"x\\r\\ny"\\r\\n', path="f.csv")
    [(1, ['a', 'b']), (2, ['1', 'x\\r\\ny'])]
    >>> csv_records('a,b\\n1,"open quote\\n2,3\\n', path="f.csv")
    Traceback (most recent call last):
    ...
    coding.errors.QcodeError: f.csv:2: broken CSV: a quoted cell is never closed (unexpected end of data)
    """
    from .errors import QcodeError

    problem = problem or QcodeError
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        reason = str(exc)
        if "end of data" in reason or "EOF" in reason:
            reason = f"a quoted cell is never closed ({reason})"
        elif "field larger" in reason:
            reason = f"a cell is larger than {MAX_FIELD_CHARS:,} characters"
        raise problem(f"broken CSV: {reason}", path=path, line=start) from None
    finally:
        csv.field_size_limit(old)
    return rows
