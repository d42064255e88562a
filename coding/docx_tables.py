"""Word tables that print well: fitted to the page width, header row repeated on every page, small
readable fonts, numbers aligned to the right.

The matrix and report exports (:mod:`coding.exports`) build their documents with
:func:`coding.word.a4_document` and add their tables here.

>>> from coding.word import a4_document
>>> doc = a4_document()
>>> table = add_table(doc, ["Kommun", "Framgångsfaktorer"], [["Aneby", ["Utbildning", "Tydlig metod"]]],
...                   first_cm=3.5)
>>> [round(c.width.cm, 1) for c in table.rows[0].cells], is_header_row(table.rows[0])
([3.5, 12.5], True)
"""

from __future__ import annotations

from typing import Sequence

from .textclean import remove_controls

TABLE_FONT_PT = 9
HEADER_FILL = "D9E2F3"


def column_widths(usable_cm: float, n_columns: int, first_cm: float) -> list[float]:
    """Widths (cm) filling ``usable_cm``: the first column ``first_cm`` (at most half the width), the
    others sharing the rest equally.

    >>> column_widths(16.0, 3, 4.0)
    [4.0, 6.0, 6.0]
    """
    if n_columns <= 1:
        return [usable_cm]
    first = min(first_cm, usable_cm / 2)
    rest = (usable_cm - first) / (n_columns - 1)
    return [round(first, 3), *[round(rest, 3)] * (n_columns - 1)]


def _cell_fill(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def is_header_row(row) -> bool:
    """Whether Word repeats ``row`` at the top of every page (``w:tblHeader``)."""
    from docx.oxml.ns import qn

    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def _fill(cell, items, *, bold: bool = False, right: bool = False, size_pt: float = TABLE_FONT_PT) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    items = items if isinstance(items, (list, tuple)) else [items]
    for i, item in enumerate(items or [""]):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.space_before = Pt(0)
        if right:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = paragraph.add_run(remove_controls(str(item)))
        run.font.size = Pt(size_pt)
        run.bold = bold


def add_table(document, headers: Sequence[str], rows: Sequence[Sequence], *, first_cm: float = 4.0,
              numbers: bool = False, total_row: bool = False, total_column: bool = False):
    """Add a table to ``document``: a shaded header row that repeats on every page, then ``rows``.

    A cell is a text or a list of texts (one paragraph each). ``numbers``: every column after the first
    holds numbers (aligned right). ``total_row`` / ``total_column``: the last row / column is printed
    bold. Columns fill the width between the margins, the first ``first_cm`` wide.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    from .word import usable_width_cm

    widths = column_widths(usable_width_cm(document), len(headers), first_cm)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")
    for i, (cell, text) in enumerate(zip(header.cells, headers)):
        _fill(cell, text, bold=True, right=numbers and i > 0)
        _cell_fill(cell, HEADER_FILL)
    last = len(rows) - 1
    for r, values in enumerate(rows):
        row = table.add_row()
        if numbers:  # a row of numbers stays on one page (a report row with many labels may not fit one)
            _row_flag(row, "w:cantSplit")
        n = len(row.cells)
        for i, (cell, items) in enumerate(zip(row.cells, values)):
            bold = i == 0 or (total_row and r == last) or (total_column and i == n - 1)
            _fill(cell, items, bold=bold, right=numbers and i > 0)
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    return table
