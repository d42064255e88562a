"""Write matrices, report tables and coded segments to CSV, JSON, Markdown, XLSX, DOCX, PNG and SVG.

Spreadsheet safety: every text cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written with a leading apostrophe, in CSV and in Excel alike.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("Ensam position som SE-coach"), neutralise(-3)
('Ensam position som SE-coach', -3)
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from .csvsafe import neutralise
from .errors import QcodeError
from .matrix import Matrix, ReportTable

MATRIX_FORMATS = ("csv", "json", "md", "xlsx", "docx", "png", "svg")


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
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise(matrix.rows), *[neutralise(str(c)) for c in table.columns]])
    for row, values in table.iterrows():
        writer.writerow([neutralise(str(row)), *["" if _plain(v) is None else _plain(v) for v in values]])
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
    out = str(text).replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r", " ").replace("\n", " ")


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    lines = ["| " + " | ".join(markdown_escape(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(markdown_escape("" if v is None else v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def _format_number(value, measure: str) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if measure == "share":
        return f"{value:.0%}"
    return str(int(value)) if float(value).is_integer() else str(value)


def matrix_markdown(matrix: Matrix, *, language: str = "sv", margins: bool = False) -> str:
    table = matrix.with_margins() if margins else matrix.table
    labels = matrix.labels(language)
    headers = [matrix.rows, *[labels.get(c, str(c)) for c in table.columns]]
    return markdown_table(headers, ([str(r), *[_format_number(v, matrix.measure) for v in vals]]
                                    for r, vals in table.iterrows()))


def matrix_docx(matrix: Matrix, path: str | Path, *, language: str = "sv", margins: bool = False,
                title: str | None = None) -> Path:
    """A Word document with the matrix as a real table (labels as column headers)."""
    table = matrix.with_margins() if margins else matrix.table
    labels = matrix.labels(language)
    headers = [matrix.rows, *[labels.get(c, str(c)) for c in table.columns]]
    body = [[str(r), *[_format_number(v, matrix.measure) for v in vals]] for r, vals in table.iterrows()]
    return _docx_table(path, headers, [[[c] for c in row] for row in body], title=title, landscape=True)


# --------------------------------------------------------------------- xlsx

def segments_frame(segments: list[dict]) -> pd.DataFrame:
    """Coded segments (from :func:`coding.matrix.cell_segments` or similar) as a flat table."""
    return pd.DataFrame([{"row": s.get("row"), "column": s.get("column"), "transcript": s["transcript"],
                          "segment": s["position"], "speaker": s.get("speaker"), "codes": ", ".join(s["codes"]),
                          "coders": ", ".join(s["coders"]), "text": s["text"]} for s in segments],
                        columns=["row", "column", "transcript", "segment", "speaker", "codes", "coders", "text"])


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], *, index_label: dict[str, str] | None = None
               ) -> Path:
    """Write data frames as sheets of one workbook; text cells are neutralised (no live formulas)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        label = (index_label or {}).get(name)
        headers = ([label] if label is not None else []) + [str(c) for c in frame.columns]
        ws.append([neutralise(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for idx, values in frame.iterrows():
            row = ([str(idx)] if label is not None else []) + [_plain(v) for v in values]
            ws.append([neutralise(v) for v in row])
        ws.freeze_panes = "B2" if label is not None else "A2"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col[:200])
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    path = Path(path)
    wb.save(path)
    return path


def matrix_xlsx(matrices: dict[str, Matrix], segments: list[dict], path: str | Path, *, language: str = "sv",
                margins: bool = True) -> Path:
    """One sheet per measure (with labels and margins) plus a sheet of the coded segments behind them."""
    sheets, labels = {}, {}
    for measure, m in matrices.items():
        sheets[measure] = m.labelled(language, margins=margins)
        labels[measure] = m.rows
    sheets["segments"] = segments_frame(segments)
    return write_xlsx(path, sheets, index_label=labels)


# ------------------------------------------------------------------- report

def report_markdown(report: ReportTable, separator: str = "; ") -> str:
    """The report table as Markdown; each cell lists the labels, separated by ``separator``."""
    return markdown_table([report.row_header, *report.headers],
                          ([label, *[separator.join(cell) for cell in cells]] for label, cells in report.rows))


def report_docx(report: ReportTable, path: str | Path, *, title: str | None = None) -> Path:
    """The report table as a Word table: one paragraph per label in each cell (as in seed 000)."""
    return _docx_table(path, [report.row_header, *report.headers],
                       [[[label], *cells] for label, cells in report.rows], title=title)


def _docx_table(path, headers: list[str], rows: list[list[list[str]]], *, title: str | None = None,
                landscape: bool = False) -> Path:
    """Write a Word document holding one table; each cell is a list of paragraphs."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = docx.Document()
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if title:
        document.add_heading(title, level=2)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(text))
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, items in zip(cells, row):
            cell.text = ""
            for i, item in enumerate(items):
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                run = paragraph.add_run(str(item))
                run.font.size = Pt(9)
    path = Path(path)
    document.save(path)
    return path


# ------------------------------------------------------------------ heat map

def heatmap(matrix: Matrix, *, language: str = "sv", title: str | None = None):
    """An Altair heat map of the matrix (rows × code labels, colour = value)."""
    import altair as alt

    labels = matrix.labels(language)
    long = matrix.table.reset_index().melt(id_vars=matrix.rows, var_name="code", value_name="value")
    long["label"] = long["code"].map(labels)
    long[matrix.rows] = long[matrix.rows].astype(str)
    value_title = {"count": "Segments", "presence": "Present", "transcripts": "Interviews",
                   "share": "Share of interviews"}[matrix.measure]
    order = [labels[c.id] for c in matrix.columns]
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-60, labelLimit=260)),
        y=alt.Y(f"{matrix.rows}:N", sort=[str(r) for r in matrix.table.index], title=matrix.rows),
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip(f"{matrix.rows}:N"), alt.Tooltip("label:N", title="code"),
                 alt.Tooltip("value:Q", format=".2f" if matrix.measure == "share" else "d")],
    ).properties(width=max(200, 16 * len(order)), height=max(120, 22 * len(matrix.table.index)))
    if title:
        chart = chart.properties(title=title)
    return chart


def save_chart(chart, path: str | Path) -> Path:
    """Save an Altair chart as .png or .svg without a network (vl-convert renders locally)."""
    import vl_convert as vlc

    path = Path(path)
    spec = chart.to_json()
    if path.suffix.lower() == ".svg":
        path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    elif path.suffix.lower() == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
    else:
        raise QcodeError(f"cannot save a chart as {path.suffix!r}; use .png or .svg", path=str(path))
    return path
