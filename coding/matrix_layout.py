"""A matrix laid out for reading: one table per category, transposed when wide, labels and numbers in
the reader's language.

The Word and Markdown exports print what :func:`readable_tables` returns; the Excel export and the heat
map take their words (:func:`measure_name`, :func:`row_title`, :data:`WORDS`) from here too, so a
table, a sheet and a chart say the same thing. CSV and JSON stay machine formats (code ids, plain
numbers) and do not use this module.

A category table with more than :data:`MAX_COLUMNS` codes is turned so that the codes become rows and
the municipalities columns (as long as there are fewer municipalities than codes): it then fits an A4
page.

>>> from coding.matrix import MatrixSpec, build_matrix
>>> m = build_matrix(store, MatrixSpec(measure="share", under=("impl",), coders=("anna",)))
>>> tables = readable_tables(m, language="sv")
>>> [(t.title, t.transposed, t.headers[:3]) for t in tables]  # doctest: +NORMALIZE_WHITESPACE
[('Implementering – inledande fas: Framgångsfaktorer', True, ['Kod', 'Aneby', 'Eksjö']),
 ('Implementering – inledande fas: Hinder', True, ['Kod', 'Aneby', 'Eksjö'])]
>>> tables[0].rows[0][:3]
['Ekonomiskt stöd från Samordningsförbund', '50 %', '50 %']
>>> readable_tables(m, language="en")[0].rows[0][:3]
['Financial support from the coordination association', '50%', '50%']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .numbers import fmt_decimal, fmt_share
from .textclean import remove_controls

if TYPE_CHECKING:
    from .matrix import Matrix

#: a category table with more codes than this is transposed (codes as rows)
MAX_COLUMNS = 8

#: words of the readable exports: key -> (Swedish, English)
WORDS: dict[str, tuple[str, str]] = {
    "code": ("Kod", "Code"),
    "category": ("Kategori", "Category"),
    "total": ("Totalt", "Total"),
    "column": ("Kolumn", "Column"),
    "transcript": ("Intervju", "Interview"),
    "segment": ("Segment", "Segment"),
    "speaker": ("Talare", "Speaker"),
    "codes": ("Koder", "Codes"),
    "code_ids": ("Kod-id", "Code ids"),
    "coders": ("Kodare", "Coders"),
    "text": ("Text", "Text"),
    "segments_sheet": ("Segment", "Segments"),
}

#: each measure: (sheet name, title, what a cell holds) in Swedish and in English
MEASURE_WORDS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str]]] = {
    "count": (("Antal segment", "Antal segment", "Antal kodade segment med koden."),
              ("Segment count", "Segment count", "Number of coded segments with the code.")),
    "presence": (("Förekomst", "Förekomst", "1 = koden förekommer minst en gång, 0 = den förekommer inte."),
                 ("Presence", "Presence", "1 = the code occurs at least once, 0 = it does not occur.")),
    "transcripts": (("Intervjuer", "Antal intervjuer", "Antal intervjuer där koden förekommer."),
                    ("Interviews", "Interviews", "Number of interviews in which the code occurs.")),
    "share": (("Andel", "Andel av intervjuerna", "Andel av intervjuerna där koden förekommer."),
              ("Share", "Share of interviews", "Share of the interviews in which the code occurs.")),
}

_ROW_TITLES = {"kommun": ("Kommun", "Municipality"), "municipality": ("Kommun", "Municipality"),
               "transcript": ("Intervju", "Interview"), "speaker": ("Talare", "Speaker"),
               "roll": ("Roll", "Role"), "role": ("Roll", "Role")}


def _en(language: str) -> int:
    return 1 if language == "en" else 0


def word(key: str, language: str = "sv") -> str:
    """One word of the exports in ``language`` (``word("total", "sv") == "Totalt"``)."""
    return WORDS[key][_en(language)]


def measure_name(measure: str, language: str = "sv", *, kind: str = "sheet") -> str:
    """What a measure is called: ``kind`` = ``sheet`` (short), ``title`` or ``about`` (one sentence).

    >>> measure_name("count"), measure_name("share", "en", kind="title")
    ('Antal segment', 'Share of interviews')
    """
    return MEASURE_WORDS[measure][_en(language)][("sheet", "title", "about").index(kind)]


def row_title(rows: str, language: str = "sv") -> str:
    """The heading of the row attribute: ``kommun`` -> ``Kommun`` / ``Municipality``; other attributes
    with a capital first letter."""
    if rows in _ROW_TITLES:
        return _ROW_TITLES[rows][_en(language)]
    rows = remove_controls(str(rows))
    return rows[:1].upper() + rows[1:]


def format_value(value, measure: str, language: str = "sv") -> str:
    """A cell as the reader sees it: shares as ``25 %`` (``25%`` in English), other numbers with a
    decimal comma in Swedish; undefined cells empty."""
    if measure == "share":
        return fmt_share(value, language)
    return fmt_decimal(value, language)


@dataclass
class TextTable:
    """One table ready to print: a title (the category, or ``""``), headers and rows of text.

    The first column holds labels, the others numbers; ``total_row``/``total_column`` say whether the
    last row / column holds totals."""

    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    transposed: bool = False
    total_row: bool = False
    total_column: bool = False


def readable_tables(matrix: Matrix, *, language: str = "sv", margins: bool = False,
                    max_columns: int = MAX_COLUMNS) -> list[TextTable]:
    """The matrix as one :class:`TextTable` per category (see the module doc), labels not ids.

    With ``margins`` every table gets a total row (the matrix's column totals) and, except for shares,
    a total column (the sum over the category's codes)."""
    from .matrix import TOTAL

    full = matrix.with_margins() if margins else matrix.table
    labels = {cid: remove_controls(text) for cid, text in matrix.labels(language).items()}
    total = word("total", language)
    groups = matrix.categories(language) or [("", [])]
    tables = []
    for title, columns in groups:
        sub = full[columns].copy()
        total_column = margins and matrix.measure != "share"
        if total_column:
            sub[TOTAL] = sub.sum(axis=1)
        names = {TOTAL: total, **labels}
        row_names = [total if margins and i == len(sub.index) - 1 else remove_controls(str(r))
                     for i, r in enumerate(sub.index)]
        n_rows = len(sub.index) - (1 if margins else 0)
        transposed = len(columns) > max_columns and n_rows < len(columns)
        if transposed:
            headers = [word("code", language), *row_names]
            body = [[names.get(c, str(c)), *[format_value(v, matrix.measure, language) for v in sub[c]]]
                    for c in sub.columns]
        else:
            headers = [row_title(matrix.rows, language), *[names.get(c, str(c)) for c in sub.columns]]
            body = [[name, *[format_value(v, matrix.measure, language) for v in values]]
                    for name, (_, values) in zip(row_names, sub.iterrows())]
        tables.append(TextTable(remove_controls(title), headers, body, transposed,
                                total_row=total_column if transposed else margins,
                                total_column=margins if transposed else total_column))
    return tables
