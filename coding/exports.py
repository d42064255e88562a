"""Write matrices, report tables and coded segments to CSV, JSON, Markdown, XLSX, DOCX, PNG and SVG.

CSV and JSON are machine formats: code ids, plain numbers. The others are for reading, in the spec's
language: code labels, one table per category (turned when wide, :mod:`coding.matrix_layout`), numbers
as written in Swedish or English, Word on A4 (:mod:`coding.docx_tables`), Excel sheets and headers named
in the language, the heat map grouped by category (:mod:`coding.heatmap`).

The matrix formats are a registry (:data:`EXPORTERS`: format -> writer, file
suffix, MIME type, binary?, description): ``qcode matrix --format`` and the
matrix page's download buttons list it, so a new format is one
:func:`register_exporter` call plus its tests.

>>> [e.name for e in exporters()]
['csv', 'json', 'md', 'xlsx', 'docx', 'png', 'svg']
>>> export_matrix(store, MatrixSpec(measure="presence", coders=("anna",)), "csv").decode().splitlines()[1][:30]
'Aneby,1,0,0,1,0,0,1,0,0,0,0,0,'

Spreadsheet safety: every text cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written with a leading apostrophe, in CSV and in Excel alike.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("Ensam position som SE-coach"), neutralise(-3)
('Ensam position som SE-coach', -3)
"""

from __future__ import annotations

import io
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .csvsafe import csv_writer, neutralise, safe_row  # noqa: F401  (neutralise: the doctest above)
from .textclean import one_line, remove_controls
from .errors import QcodeError
from .matrix import Matrix, ReportTable
from .specs import MatrixSpec

if TYPE_CHECKING:  # pandas is imported where a frame is made: importing this module stays light
    import pandas as pd


#: a Word table with more columns than this is printed on a landscape page
PORTRAIT_MAX_COLUMNS = 8


def _plain(value):
    """A cell value for CSV/JSON: ints stay ints, floats are rounded, NaN becomes empty."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return round(value, 4)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


# -------------------------------------------------------------------- matrix

def matrix_csv(matrix: Matrix, out=None, *, margins: bool = False) -> str | None:
    """CSV: first column the row label, then one column per code id (``Total`` with margins)."""
    table = matrix.with_margins() if margins else matrix.table
    buf = out if out is not None else io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(safe_row([matrix.rows, *[str(c) for c in table.columns]]))
    for row, values in table.iterrows():
        writer.writerow(safe_row([str(row), *[_plain(v) for v in values]]))
    return None if out is not None else buf.getvalue()


def matrix_records(matrix: Matrix, *, language: str = "sv", margins: bool = False) -> list[dict]:
    """One record per row: ``{rows: label, "<code id>": value, …}`` (labels under ``labels``)."""
    table = matrix.with_margins() if margins else matrix.table
    return [{matrix.rows: str(row), **{str(c): _plain(v) for c, v in values.items()}}
            for row, values in table.iterrows()]


def matrix_json(matrix: Matrix, *, language: str = "sv", margins: bool = False) -> str:
    """JSON mirroring the CSV: a list of records, one per row, keyed by the row attribute and code ids."""
    return json.dumps(matrix_records(matrix, language=language, margins=margins), ensure_ascii=False, indent=2)


def markdown_escape(text: str) -> str:
    """Escape what Markdown would otherwise interpret inside a table cell."""
    out = one_line(str(text)).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r", " ").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    lines = ["| " + " | ".join(markdown_escape(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(markdown_escape("" if v is None else v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def matrix_markdown(matrix: Matrix, *, language: str = "sv", margins: bool = False) -> str:
    """Markdown: one table per category under a ``##`` heading (codes without a category: one table,
    no heading), code labels, numbers as in Swedish or English text; wide tables transposed (see
    :mod:`coding.matrix_layout`)."""
    from .matrix_layout import readable_tables

    tables = readable_tables(matrix, language=language, margins=margins)
    parts = []
    for table in tables:
        heading = f"## {markdown_escape(table.title)}\n\n" if table.title else ""
        parts.append(heading + markdown_table(table.headers, table.rows))
    return "\n".join(parts)


def matrix_docx(matrix: Matrix, path: str | Path, *, language: str = "sv", margins: bool = False,
                title: str | None = None) -> Path:
    """A Word document on A4 with the matrix as readable tables: one per category (with its heading),
    code labels, numbers as in Swedish or English text, wide tables transposed (see
    :mod:`coding.matrix_layout`); landscape when a table has more columns than fit a portrait page."""
    from .docx_tables import add_table
    from .matrix_layout import measure_name, readable_tables, row_title
    from .word import a4_document

    tables = readable_tables(matrix, language=language, margins=margins)
    document = a4_document(landscape=max(len(t.headers) for t in tables) > PORTRAIT_MAX_COLUMNS)
    rows = row_title(matrix.rows, language)
    default_title = f"{measure_name(matrix.measure, language, kind='title')} " \
                    f"{'per' if language != 'en' else 'by'} {rows[:1].lower() + rows[1:]}"
    document.add_heading(remove_controls(title or default_title), level=1)
    document.add_paragraph(measure_name(matrix.measure, language, kind="about"))
    for table in tables:
        if table.title:
            document.add_heading(table.title, level=2)
        add_table(document, table.headers, table.rows, first_cm=7.0 if table.transposed else 3.5, numbers=True,
                  total_row=table.total_row, total_column=table.total_column)
        document.add_paragraph()
    path = Path(path)
    document.save(path)
    return path


# --------------------------------------------------------------------- xlsx

def segments_frame(segments: list[dict], *, language: str = "en", rows: str | None = None,
                   labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Coded segments (from :func:`coding.matrix.cell_segments` or similar) as a flat table.

    Headers in ``language``; ``rows`` names the row attribute (its heading becomes the first header)
    and ``labels`` (code id -> label) turns the codes and columns into labels (their ids stay in the
    column "Kod-id" / "Code ids")."""
    import pandas as pd

    from .matrix_layout import row_title, word

    labels = labels or {}
    names = [row_title(rows, language) if rows else "row", word("column", language), word("transcript", language),
             word("segment", language), word("speaker", language), word("codes", language),
             word("code_ids", language), word("coders", language), word("text", language)]

    def named(ids) -> str:
        ids = ids.split(", ") if isinstance(ids, str) else ids
        return "; ".join(labels.get(i, i) for i in ids if i)

    return pd.DataFrame([[s.get("row"), named(s.get("column") or ""), s["transcript"], s["position"],
                          s.get("speaker"), named(s["codes"]), ", ".join(s["codes"]), ", ".join(s["coders"]),
                          s["text"]] for s in segments], columns=names)


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unused worksheet name: at most 31 characters, none of ``[]:*?/\\``, no apostrophe at
    either end (Excel's rules).

    >>> sheet_title("Andel [%] av 1/2: intervjuerna i kommunerna"), sheet_title("Andel", ["Andel"])
    ('Andel (%) av 1-2 intervjuerna i', 'Andel (2)')
    """
    text = remove_controls(str(name)).translate(str.maketrans({"[": "(", "]": ")", ":": "", "*": "", "?": "",
                                                                "/": "-", "\\": "-"}))
    text = " ".join(text.split()).strip("'")[:31].strip() or "Blad"
    taken = {t.lower() for t in taken}
    candidate, n = text, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = text[:31 - len(suffix)] + suffix, n + 1
    return candidate


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], *, index_label: dict[str, str] | None = None
               ) -> Path:
    """Write data frames as sheets of one workbook; text is stored as text cells (never a live formula)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=sheet_title(name, wb.sheetnames))
        _frame_sheet(ws, frame, (index_label or {}).get(name))
    path = Path(path)
    wb.save(path)
    return path


def _frame_sheet(ws, frame: pd.DataFrame, label: str | None = None) -> None:
    """One data frame on a sheet: a bold header row (with the index first when ``label`` names it)."""
    from openpyxl.styles import Font

    headers = ([label] if label is not None else []) + [str(c) for c in frame.columns]
    _append_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for idx, values in frame.iterrows():
        _append_row(ws, ([str(idx)] if label is not None else []) + [_plain(v) for v in values])
    ws.freeze_panes = "B2" if label is not None else "A2"
    _fit_columns(ws)


def _fit_columns(ws, start: int = 1, first_row: int = 1) -> None:
    for col in ws.iter_cols(min_col=start, min_row=first_row):
        width = max((len(str(c.value or "")) for c in col[:200]), default=0)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))


def _append_row(ws, values) -> None:
    """One worksheet row. Text is stored as a text cell, never a formula, so it needs no apostrophe
    ("-5 poäng" shows as typed); control characters, which Excel files cannot hold, are removed."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _text_cell(ws, row: int, column: int, value):
    """Write one cell; text stays a text cell (never a formula)."""
    cell = ws.cell(row=row, column=column, value=_xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _xlsx_value(value):
    return remove_controls(value) if isinstance(value, str) else value


def _matrix_sheet(ws, matrix: Matrix, *, language: str, margins: bool) -> None:
    """One measure on a sheet: row 1 the categories (each over its codes), row 2 the row heading and the
    code labels, then one row per municipality; numbers stay numbers (shares formatted as percent)."""
    from openpyxl.styles import Alignment, Font, PatternFill

    from .matrix import TOTAL
    from .matrix_layout import row_title, word

    table = matrix.with_margins() if margins else matrix.table
    labels = matrix.labels(language)
    total = word("total", language)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9E2F3")
    top = Alignment(wrap_text=True, vertical="top")
    _text_cell(ws, 1, 1, word("category", language))
    _text_cell(ws, 2, 1, row_title(matrix.rows, language))
    index = {cid: i + 2 for i, cid in enumerate(table.columns)}
    for label, columns in matrix.categories(language):
        first, last = index[columns[0]], index[columns[-1]]
        _text_cell(ws, 1, first, label)
        if last > first:
            ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=last)
    for cid, col in index.items():
        _text_cell(ws, 2, col, total if cid == TOTAL else labels.get(cid, str(cid)))
    for r, (name, values) in enumerate(table.iterrows(), start=3):
        _text_cell(ws, r, 1, total if margins and r == len(table.index) + 2 else str(name)).font = bold
        for col, value in zip(index.values(), values):
            cell = _text_cell(ws, r, col, _plain(value))
            if matrix.measure == "share":
                cell.number_format = "0%"
    for row in ws.iter_rows(min_row=1, max_row=2):
        for cell in row:
            cell.font, cell.fill, cell.alignment = bold, fill, top
    ws.freeze_panes = "B3"
    ws.column_dimensions["A"].width = min(40, max(12, max((len(str(c.value or "")) for c in ws["A"]), default=0) + 2))
    for col in range(2, len(index) + 2):
        ws.column_dimensions[ws.cell(row=2, column=col).column_letter].width = 18


def matrix_xlsx(matrices: dict[str, Matrix], segments: list[dict], path: str | Path, *, language: str = "sv",
                margins: bool = True) -> Path:
    """One sheet per measure (named in ``language``: "Antal segment", "Förekomst", … / "Segment count",
    "Presence", …) with a category row, the code labels and totals, plus a sheet of the coded segments
    behind them ("Segment" / "Segments")."""
    from openpyxl import Workbook

    from .matrix_layout import measure_name, word

    wb = Workbook()
    wb.remove(wb.active)
    first = next(iter(matrices.values()), None)
    for measure, m in matrices.items():
        ws = wb.create_sheet(title=sheet_title(measure_name(measure, language), wb.sheetnames))
        _matrix_sheet(ws, m, language=language, margins=margins)
    labels = {}
    for m in matrices.values():
        labels.update(m.labels(language))
    frame = segments_frame(segments, language=language, rows=first.rows if first else None, labels=labels)
    ws = wb.create_sheet(title=sheet_title(word("segments_sheet", language), wb.sheetnames))
    _frame_sheet(ws, frame)
    path = Path(path)
    wb.save(path)
    return path


# ------------------------------------------------------------------- report

def report_markdown(report: ReportTable, separator: str = "; ") -> str:
    """The report table as Markdown; each cell lists the labels, separated by ``separator``."""
    return markdown_table([report.row_header, *report.headers],
                          ([label, *[separator.join(cell) for cell in cells]] for label, cells in report.rows))


def report_docx(report: ReportTable, path: str | Path, *, title: str | None = None) -> Path:
    """The report table as a Word table on A4: one paragraph per label in each cell (as in the
    municipality tables of the Jönköping SE evaluation, Gustafsson 2014); landscape from four category
    columns on."""
    return _docx_table(path, [report.row_header, *report.headers],
                       [[[label], *cells] for label, cells in report.rows], title=title,
                       landscape=len(report.headers) > 3)


def _docx_table(path, headers: list[str], rows: list[list[list[str]]], *, title: str | None = None,
                landscape: bool = False) -> Path:
    """Write a Word document (A4) holding one table; each cell is a list of paragraphs."""
    from .docx_tables import add_table
    from .word import a4_document

    document = a4_document(landscape=landscape)
    if title:
        document.add_heading(remove_controls(title), level=1)
    add_table(document, [str(h) for h in headers], rows, first_cm=3.5)
    path = Path(path)
    document.save(path)
    return path


# ------------------------------------------------------------------ heat map

def heatmap(matrix: Matrix, *, language: str = "sv", title: str | None = None):
    """An Altair heat map of the matrix, grouped by category (see :mod:`coding.heatmap`)."""
    from .heatmap import heatmap as draw

    return draw(matrix, language=language, title=title)


def chart_bytes(chart, fmt: str) -> bytes:
    """An Altair chart as PNG or SVG bytes, without a network (vl-convert renders locally)."""
    from .chart_render import render

    return render(chart.to_json(), fmt)  # in a child process: a renderer crash cannot take the app down


def save_chart(chart, path: str | Path) -> Path:
    """Save an Altair chart as .png or .svg without a network (vl-convert renders locally)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise QcodeError(f"cannot save a chart as {path.suffix!r}; use .png or .svg", path=str(path))
    path.write_bytes(chart_bytes(chart, fmt))
    return path


# ------------------------------------------------------------ the registry

@dataclass(frozen=True)
class Exporter:
    """One matrix format: ``render(store, spec)`` returns the file's bytes (text formats: UTF-8)."""

    name: str
    suffix: str
    mime: str
    binary: bool
    description: str
    render: Callable[[object, MatrixSpec], bytes]
    label: str = ""

    @property
    def title(self) -> str:
        """The name shown on a button (``label``, else the format in capitals)."""
        return self.label or self.name.upper()


EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> Exporter:
    """Add a matrix format (or replace one of the same name): a CLI ``--format`` choice and a download button."""
    EXPORTERS[exporter.name] = exporter
    return exporter


def exporters() -> list[Exporter]:
    """Every matrix format, in registry order."""
    return list(EXPORTERS.values())


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise QcodeError(f"unknown format {name!r}; choose one of {', '.join(EXPORTERS)}") from None


def format_for(path: str | Path | None, fmt: str | None = None, default: str = "csv") -> str:
    """``fmt``, else the format of ``path``'s suffix when one is registered, else ``default``."""
    if fmt:
        return get_exporter(fmt).name
    if path:
        suffix = Path(path).suffix.lower().lstrip(".")
        for e in EXPORTERS.values():
            if e.suffix == suffix:
                return e.name
    return default


def export_matrix(store, spec: MatrixSpec, fmt: str) -> bytes:
    """The matrix of ``spec`` in format ``fmt``, as the bytes of the file."""
    return get_exporter(fmt).render(store, spec)


def write_matrix(store, spec: MatrixSpec, path: str | Path, fmt: str | None = None) -> Path:
    """Write the matrix of ``spec`` to ``path`` (format: ``fmt``, else from the suffix, else CSV)."""
    path = Path(path)
    path.write_bytes(export_matrix(store, spec, format_for(path, fmt)))
    return path


def _build(store, spec: MatrixSpec) -> Matrix:
    from .matrix import build_matrix

    return build_matrix(store, spec)


def _render_csv(store, spec: MatrixSpec) -> bytes:
    return matrix_csv(_build(store, spec), margins=spec.margins).encode("utf-8")


def _render_json(store, spec: MatrixSpec) -> bytes:
    return (matrix_json(_build(store, spec), language=spec.language, margins=spec.margins) + "\n").encode("utf-8")


def _render_md(store, spec: MatrixSpec) -> bytes:
    return matrix_markdown(_build(store, spec), language=spec.language, margins=spec.margins).encode("utf-8")


def _render_xlsx(store, spec: MatrixSpec) -> bytes:
    from .matrix import MEASURES, matrix_segments

    matrices = {m: _build(store, spec.replace(measure=m)) for m in MEASURES}
    segments = matrix_segments(store, matrices[spec.measure], coders=spec.coders, level=spec.level,
                               where=spec.where_dict() or None)
    with tempfile.TemporaryDirectory() as tmp:
        return matrix_xlsx(matrices, segments, Path(tmp) / "matrix.xlsx", language=spec.language).read_bytes()


def _render_docx(store, spec: MatrixSpec) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = matrix_docx(_build(store, spec), Path(tmp) / "matrix.docx", language=spec.language,
                           margins=spec.margins)
        return path.read_bytes()


def _render_chart(fmt: str) -> Callable[[object, MatrixSpec], bytes]:
    def render(store, spec: MatrixSpec) -> bytes:
        return chart_bytes(heatmap(_build(store, spec), language=spec.language), fmt)
    return render


for _e in (
    Exporter("csv", "csv", "text/csv", False, "CSV: the row label first, then one column per code id", _render_csv),
    Exporter("json", "json", "application/json", False, "JSON: one record per row, keyed by code id",
             _render_json),
    Exporter("md", "md", "text/markdown", False, "Markdown tables with the code labels, one per category",
             _render_md, label="Markdown"),
    Exporter("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True,
             "Excel workbook: one sheet per measure (with totals) plus the coded segments", _render_xlsx),
    Exporter("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True,
             "Word document on A4 with one table per category", _render_docx),
    Exporter("png", "png", "image/png", True, "heat map grouped by category as a PNG image",
             _render_chart("png")),
    Exporter("svg", "svg", "image/svg+xml", True, "heat map grouped by category as an SVG image",
             _render_chart("svg")),
):
    register_exporter(_e)
del _e

#: the registered matrix formats (kept for older callers; the registry is :data:`EXPORTERS`)
MATRIX_FORMATS = tuple(EXPORTERS)
