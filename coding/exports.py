"""Write matrices, report tables and coded segments to CSV, JSON, Markdown, XLSX, DOCX, PNG and SVG.

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
    import pandas as pd

    return pd.DataFrame([{"row": s.get("row"), "column": s.get("column"), "transcript": s["transcript"],
                          "segment": s["position"], "speaker": s.get("speaker"), "codes": ", ".join(s["codes"]),
                          "coders": ", ".join(s["coders"]), "text": s["text"]} for s in segments],
                        columns=["row", "column", "transcript", "segment", "speaker", "codes", "coders", "text"])


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], *, index_label: dict[str, str] | None = None
               ) -> Path:
    """Write data frames as sheets of one workbook; text is stored as text cells (never a live formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        label = (index_label or {}).get(name)
        headers = ([label] if label is not None else []) + [str(c) for c in frame.columns]
        _append_row(ws, headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for idx, values in frame.iterrows():
            _append_row(ws, ([str(idx)] if label is not None else []) + [_plain(v) for v in values])
        ws.freeze_panes = "B2" if label is not None else "A2"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col[:200])
            ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    path = Path(path)
    wb.save(path)
    return path


def _append_row(ws, values) -> None:
    """One worksheet row. Text is stored as a text cell, never a formula, so it needs no apostrophe
    ("-5 poäng" shows as typed); control characters, which Excel files cannot hold, are removed."""
    ws.append([_xlsx_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _xlsx_value(value):
    return remove_controls(value) if isinstance(value, str) else value


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
    """The report table as a Word table: one paragraph per label in each cell (as in the municipality tables
    of the Jönköping SE evaluation, Gustafsson 2014)."""
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
        document.add_heading(remove_controls(title), level=2)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(remove_controls(str(text)))
        run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, items in zip(cells, row):
            cell.text = ""
            for i, item in enumerate(items):
                paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                run = paragraph.add_run(remove_controls(str(item)))
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
    labels = {k: remove_controls(v) for k, v in labels.items()}
    long["label"] = long["code"].map(labels)
    long[matrix.rows] = long[matrix.rows].astype(str).map(remove_controls)
    value_title = {"count": "Segments", "presence": "Present", "transcripts": "Interviews",
                   "share": "Share of interviews"}[matrix.measure]
    order = [labels[c.id] for c in matrix.columns]
    chart = alt.Chart(long).mark_rect().encode(
        x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-60, labelLimit=260)),
        y=alt.Y(f"{matrix.rows}:N", sort=[remove_controls(str(r)) for r in matrix.table.index], title=matrix.rows),
        color=alt.Color("value:Q", title=value_title, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip(f"{matrix.rows}:N"), alt.Tooltip("label:N", title="code"),
                 alt.Tooltip("value:Q", format=".2f" if matrix.measure == "share" else "d")],
    ).properties(width=max(200, 16 * len(order)), height=max(120, 22 * len(matrix.table.index)))
    if title:
        chart = chart.properties(title=title)
    return chart


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
    Exporter("md", "md", "text/markdown", False, "Markdown table with the code labels", _render_md,
             label="Markdown"),
    Exporter("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", True,
             "Excel workbook: one sheet per measure (with totals) plus the coded segments", _render_xlsx),
    Exporter("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True,
             "Word document with the matrix as a table", _render_docx),
    Exporter("png", "png", "image/png", True, "heat map as a PNG image", _render_chart("png")),
    Exporter("svg", "svg", "image/svg+xml", True, "heat map as an SVG image", _render_chart("svg")),
):
    register_exporter(_e)
del _e

#: the registered matrix formats (kept for older callers; the registry is :data:`EXPORTERS`)
MATRIX_FORMATS = tuple(EXPORTERS)
