"""The matrix page: rows × codes tables (municipality × factor), their heat map, the segments behind a
cell, every export format, and the report table laid out like the municipality tables of the Jönköping
SE evaluation (Gustafsson 2014).

Everything shown comes from ``coding.matrix`` and ``coding.exports``; this module only collects the
choices into a :class:`coding.specs.MatrixSpec` (the same spec ``qcode matrix`` builds from its options),
calls the library and displays the results; the download buttons list the exporters' registry.
Downloads are built when clicked (``st.download_button`` with a callable): :func:`matrix_download` and
:func:`report_download` open the project themselves, so the tests call them as plain functions.
"""

from __future__ import annotations

import tempfile
import zlib
from functools import partial
from pathlib import Path

import streamlit as st

from coding import Project
from coding import exports
from coding.codings import CONSENSUS
from coding.errors import QcodeError
from coding.matrix import (
    TOTAL,
    build_matrix,
    cell_segments,
    default_rows,
    report_table,
    swedish_sort_key,
    transcripts_in_scope,
)
from coding.specs import MEASURES, MatrixSpec
from coding.codings import blinded as coding_blinded

from . import state
from .i18n import t
from .text import code_label, md_escape

ss = st.session_state
ALL = "__all__"
MAX_SEGMENTS = 50  # shown under a cell (the count says how many there are)

#: the formats of the report table (their suffix and MIME type come from the exporters' registry)
REPORT_FORMATS = ("docx", "md")

# Static style rules only (no data is ever put into HTML).
_CSS = """
<style>
[class*="st-key-qcmxctx-"] .stText { color: #777; font-size: .85rem; }
[class*="st-key-qcmxmeta-"] .stText { color: #6b6b6b; font-size: .8rem; }
.st-key-qc-mx-heat { overflow-x: auto; }
</style>
"""


def build(store, spec: MatrixSpec, measure: str | None = None):
    """The matrix of ``spec`` (or of ``spec`` with another ``measure``)."""
    return build_matrix(store, spec.replace(measure=measure) if measure else spec)


def cell_options(spec: MatrixSpec) -> dict:
    """Keyword arguments for :func:`coding.matrix.cell_segments` from the spec."""
    return {"coders": spec.coders, "level": spec.level, "where": spec.where_dict() or None}


def matrix_bytes(store, spec: MatrixSpec, fmt: str) -> bytes:
    """The matrix of ``spec`` in one export format, as the bytes of the downloaded file."""
    return exports.export_matrix(store, spec, fmt)


def matrix_download(path: str | Path, spec: MatrixSpec, fmt: str) -> bytes:
    """:func:`matrix_bytes` on its own connection (download callables run on another thread)."""
    with Project.open(path) as project:
        return matrix_bytes(project.store, spec, fmt)


def spec_from_choices(rows: str, measure: str, who: str, level: str | None, where: dict[str, list[str]],
                      under, margins: bool, lang: str) -> MatrixSpec:
    """The spec of the page's widgets: ``who`` is ALL (every coder except consensus) or one coder."""
    return MatrixSpec(rows=rows, measure=measure, coders=None if who == ALL else (who,), level=level or "code",
                      where=where, under=tuple(under or ()), margins=bool(margins), language=lang)


def report_bytes(store, spec: MatrixSpec, columns: list[str], fmt: str, title: str | None = None) -> bytes:
    """The report table (rows of ``spec``, ``columns`` = category ids) as DOCX or Markdown bytes."""
    report = report_table(store, columns, rows=spec.rows, coders=spec.coders, where=spec.where_dict() or None,
                          language=spec.language)
    if fmt == "md":
        return exports.report_markdown(report).encode("utf-8")
    if fmt == "docx":
        with tempfile.TemporaryDirectory() as tmp:
            return exports.report_docx(report, Path(tmp) / "report.docx", title=title).read_bytes()
    raise QcodeError(f"unknown report format {fmt!r}; use docx or md")


def report_download(path: str | Path, spec: MatrixSpec, columns: list[str], fmt: str,
                    title: str | None = None) -> bytes:
    with Project.open(path) as project:
        return report_bytes(project.store, spec, columns, fmt, title)


def default_report_columns(categories: list[str]) -> list[str]:
    """The columns of the Jönköping evaluation's first table (impl.ff, impl.hi) when the codebook has them,
    else the first two categories."""
    for wanted in (["impl.ff", "impl.hi"], ["ff", "hi"]):
        if all(c in categories for c in wanted):
            return wanted
    return categories[:2]


# ------------------------------------------------------------------- page

def _measure_label(m: str) -> str:
    return t(f"matrix.measure_{m}")


def _valid(key: str, options: list, default=None):
    """Start a widget at ``default`` and keep its value only while it is still one of ``options``."""
    if ss.get(key) not in options:
        ss[key] = default if default in options else (options[0] if options else None)


def _pick_cell(row: str, column: str) -> None:
    ss["qc_mx_cell_row"] = row
    ss["qc_mx_cell_col"] = column


def cell_from_table(selection, rows: list[str], columns: list[str]) -> tuple[str, str] | None:
    """(row, column) of a single-cell selection in the table (``{"selection": {"cells": [(i, col)]}}``)."""
    cells = ((selection or {}).get("selection") or {}).get("cells") or []
    if cells:
        i, col = cells[0]
        if 0 <= int(i) < len(rows) and col in columns:
            return rows[int(i)], col
    return None


def cell_from_chart(selection, rows_field: str, columns: list[str]) -> tuple[str, str] | None:
    """(row, column) of a click on the heat map (the point selection ``cell``)."""
    points = ((selection or {}).get("selection") or {}).get("cell") or []
    if points:
        row, col = points[0].get(rows_field), points[0].get("code")
        if row is not None and col in columns:
            return str(row), col
    return None


def _on_table_select(key: str, rows: list[str], columns: list[str]) -> None:
    picked = cell_from_table(ss.get(key), rows, columns)
    if picked:
        _pick_cell(*picked)


def _on_chart_select(key: str, rows_field: str, columns: list[str]) -> None:
    picked = cell_from_chart(ss.get(key), rows_field, columns)
    if picked:
        _pick_cell(*picked)


def render() -> None:
    c = state.ctx()
    lang = c.lang
    st.html(_CSS)
    st.title(t("matrix.title"))
    with state.open_project(c.path) as project:
        store = project.store
        transcripts = project.transcripts()
        attributes = store.attribute_names()
        coders = store.coders()
        codes = store.codes()
        default_row = default_rows(store)
        blinded = coding_blinded(store, c.coder)
    if not transcripts:
        st.info(t("matrix.no_transcripts"))
        return
    # Blind coding: until I have finished every transcript, I see only my own codes (and the consensus).
    if blinded:
        st.info(t("matrix.blind_own_only"), icon=":material/visibility_off:")
    labels = {x.id: code_label(x, lang) for x in codes}
    parents = {x.parent_id for x in codes if x.parent_id is not None}
    categories = [x.id for x in codes if x.id in parents]

    # ------------------------------------------------------------- choices
    row_options = attributes + ["transcript", "speaker"]
    special = {"transcript": t("matrix.rows_transcript"), "speaker": t("matrix.rows_speaker")}
    coder_options = [ALL] + [x for x in coders if x != CONSENSUS] + ([CONSENSUS] if CONSENSUS in coders else [])
    if blinded:
        coder_options = [c.coder] + ([CONSENSUS] if CONSENSUS in coders else [])
    _valid("qc_mx_rows", row_options, default_row)
    _valid("qc_mx_coders", coder_options, coder_options[0])
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    rows = bar.selectbox(t("matrix.rows"), row_options, key="qc_mx_rows",
                         format_func=lambda r: special.get(r, r), width=200, placeholder=t("ui.choose"))
    measure = bar.selectbox(t("matrix.measure"), list(MEASURES), key="qc_mx_measure", format_func=_measure_label,
                            help=t("matrix.measure_help"), width=230, placeholder=t("ui.choose"))
    who = bar.selectbox(t("matrix.coders"), coder_options, key="qc_mx_coders", width=220, placeholder=t("ui.choose"),
                        format_func=lambda x: {ALL: t("matrix.all_coders"), CONSENSUS: t("matrix.consensus")}
                        .get(x, x))
    level = bar.segmented_control(t("matrix.level"), ["code", "category"], default="code", key="qc_mx_level",
                                  format_func=lambda v: t(f"matrix.level_{v}"), required=True)
    values: dict[str, set[str]] = {}
    for tr in transcripts:
        for k, v in tr["attributes"].items():
            values.setdefault(k, set()).add(v)
    n_active = sum(1 for a in attributes if ss.get(f"qc_mx_where_{a}")) + (1 if ss.get("qc_mx_under") else 0)
    where: dict[str, list[str]] = {}
    with bar.popover(t("matrix.filter") + (f" ({n_active})" if n_active else ""), icon=":material/filter_list:"):
        for a in attributes:
            chosen = st.multiselect(md_escape(a), sorted(values.get(a, ()), key=swedish_sort_key),
                                    key=f"qc_mx_where_{a}", placeholder=t("ui.all_values"))
            if chosen:
                where[a] = chosen
        under = st.multiselect(t("matrix.under"), categories, key="qc_mx_under",
                               format_func=lambda x: f"{labels.get(x, x)} · {x}",
                               placeholder=t("matrix.under_placeholder"))
    margins = bar.toggle(t("matrix.margins"), key="qc_mx_margins", help=t("matrix.margins_help"))

    # "All coders" (every coder except consensus) is the spec's rule, as in `qcode matrix`.
    spec = spec_from_choices(rows, measure, who, level, where, under, margins, lang)
    try:
        with state.open_project(c.path) as project:
            m = build(project.store, spec)
            n_transcripts = len(transcripts_in_scope(project.store, spec.where_dict()))
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    table = m.table
    if table.empty or not len(table.columns):
        st.info(t("matrix.empty"))
        return
    col_labels = m.labels(lang)
    st.caption(t("matrix.summary", rows=len(table.index), cols=len(table.columns), n=n_transcripts))

    # ------------------------------------------------------- table and map
    row_names = [str(r) for r in table.index]
    col_ids = [str(x) for x in table.columns]
    sig = zlib.crc32(repr(spec).encode())
    tab_table, tab_map = st.tabs([t("matrix.tab_table"), t("matrix.tab_heatmap")])
    with tab_table:
        shown = m.with_margins() if spec.margins else table.copy()
        shown.index = shown.index.map(str)
        fmt = "percent" if measure == "share" else None
        config = {cid: st.column_config.NumberColumn(col_labels.get(cid, cid), help=cid, format=fmt)
                  for cid in col_ids}
        if spec.margins:
            config[TOTAL] = st.column_config.NumberColumn(TOTAL, format=fmt)
        config["_index"] = st.column_config.TextColumn(special.get(rows, rows), pinned=True)
        key = f"qc_mx_table_{sig}"
        st.dataframe(shown, column_config=config, key=key, on_select=partial(_on_table_select, key, row_names,
                                                                              col_ids),
                     selection_mode="single-cell", height=min(700, 3 + 35 * (len(shown.index) + 1)))
        st.caption(t("matrix.table_help"))
    with tab_map:
        import altair as alt

        # The library's chart at its own size (one column per code, every label shown), scrolled
        # sideways when wider than the page; a click on a square picks the cell.
        chart = (exports.heatmap(m, language=lang)
                 .properties(autosize=alt.AutoSizeParams(type="pad"))
                 .configure_axis(labelOverlap=False)
                 .add_params(alt.selection_point(name="cell", fields=[rows, "code"], on="click")))
        key = f"qc_mx_chart_{sig}"
        with st.container(key="qc-mx-heat"):
            st.altair_chart(chart, key=key, on_select=partial(_on_chart_select, key, rows, col_ids),
                            selection_mode="cell", width="content")
        st.caption(t("matrix.heatmap_help"))

    # ----------------------------------------------------------- downloads
    st.caption(t("matrix.download"), help=t("matrix.download_help"))
    row_dl = st.container(horizontal=True, gap="small")
    for e in exports.exporters():
        row_dl.download_button(e.title, data=partial(matrix_download, str(c.path), spec, e.name),
                               file_name=f"{spec.file_stem()}.{e.suffix}", mime=e.mime, key=f"qc_mx_dl_{e.name}",
                               on_click="ignore", icon=":material/download:")

    # ----------------------------------------------------------- drill-down
    st.subheader(t("matrix.cell"), divider="gray")
    _valid("qc_mx_cell_row", row_names)
    _valid("qc_mx_cell_col", col_ids)
    pick = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    row = pick.selectbox(t("matrix.cell_row"), row_names, key="qc_mx_cell_row", width=260,
                         placeholder=t("ui.choose"))
    col = pick.selectbox(t("matrix.cell_column"), col_ids, key="qc_mx_cell_col", width=460,
                         format_func=lambda x: f"{col_labels.get(x, x)} · {x}", filter_mode="contains",
                         placeholder=t("ui.choose_or_type"))
    if row is not None and col is not None:
        _cell(c.path, spec, m, row, col, lang, labels)

    # ---------------------------------------------------------- report table
    _report(c.path, spec, categories, labels, special.get(rows, rows))


def _format_value(value, measure: str, lang: str = "sv") -> str:
    """A cell's value as the reader sees it: ``25 %`` in Swedish, ``25%`` in English (coding.numbers)."""
    from coding.numbers import fmt_share

    if measure == "share":
        return fmt_share(value, lang)
    return str(int(value))


def _cell(path, spec: MatrixSpec, m, row: str, col: str, lang: str, labels: dict[str, str]) -> None:
    index = {str(r): r for r in m.table.index}
    try:
        with state.open_project(path) as project:
            segs = cell_segments(project.store, row, col, rows=spec.rows, context=1, **cell_options(spec))
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    value = m.table.loc[index[row], col] if row in index and col in m.table.columns else 0
    pick = st.container(horizontal=True, vertical_alignment="center", gap="small")
    pick.markdown(t("matrix.cell_value", value=_format_value(value, spec.measure, lang), n=len(segs)))
    if not segs:
        st.caption(t("matrix.cell_none"))
        return
    if len(segs) > MAX_SEGMENTS:
        st.caption(t("matrix.cell_more", shown=MAX_SEGMENTS, n=len(segs)))
    with st.container(height=min(640, 150 * len(segs) + 20), border=False):
        for i, s in enumerate(segs[:MAX_SEGMENTS]):
            with st.container(border=True, key=f"qcmxseg-{i}", gap="small"):
                meta = " · ".join(x for x in (s["transcript"], f"#{s['position']}", s.get("speaker") or "",
                                              ", ".join(labels.get(x, x) for x in s["codes"]),
                                              t("matrix.coded_by", names=", ".join(s["coders"]))) if x)
                with st.container(key=f"qcmxmeta-{i}"):
                    st.text(meta)
                if s["before"]:
                    with st.container(key=f"qcmxctx-b{i}"):
                        st.text("\n".join(_line(x) for x in s["before"]))
                st.text(_line(s))
                if s["after"]:
                    with st.container(key=f"qcmxctx-a{i}"):
                        st.text("\n".join(_line(x) for x in s["after"]))


def _line(seg: dict) -> str:
    return f"{seg['speaker']}: {seg['text']}" if seg.get("speaker") else seg["text"]


def _report(path, spec: MatrixSpec, categories: list[str], labels: dict[str, str], rows_label: str) -> None:
    st.subheader(t("matrix.report"), divider="gray")
    st.caption(t("matrix.report_help", rows=md_escape(rows_label.lower())))
    ss["qc_mx_report"] = [x for x in ss.get("qc_mx_report", default_report_columns(categories)) if x in categories]
    columns = st.multiselect(t("matrix.report_columns"), categories, key="qc_mx_report",
                             format_func=lambda x: f"{labels.get(x, x)} · {x}", placeholder=t("ui.choose_many"))
    if not columns:
        st.caption(t("matrix.report_pick"))
        return
    try:
        with state.open_project(path) as project:
            report = report_table(project.store, columns, rows=spec.rows, coders=spec.coders,
                                  where=spec.where_dict() or None, language=spec.language)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    frame = report.to_frame(separator="; ")
    # Rows tall enough for the longest cell to wrap (roughly 130 characters across the category columns).
    longest = max([len("; ".join(cell)) for _, cells in report.rows for cell in cells] + [1])
    lines = min(12, 1 + longest // max(20, 130 // len(report.headers)))
    st.dataframe(frame, hide_index=True, width="stretch", row_height=14 + 21 * lines,
                 column_config={h: st.column_config.TextColumn(h, width="large") for h in report.headers},
                 key="qc_mx_report_table")
    row_dl = st.container(horizontal=True, gap="small")
    title = " · ".join(report.headers)
    for f in REPORT_FORMATS:
        e = exports.get_exporter(f)
        suffix, mime = e.suffix, e.mime
        row_dl.download_button(t("matrix.report_download") + f" ({e.title})",
                               data=partial(report_download, str(path), spec, list(columns), f, title),
                               file_name=f"report-{spec.rows}.{suffix}", mime=mime, key=f"qc_mx_rep_dl_{f}",
                               on_click="ignore", icon=":material/download:")


__all__ = ["MatrixSpec", "build", "cell_options", "default_report_columns", "matrix_bytes", "matrix_download",
           "render", "report_bytes", "report_download", "spec_from_choices"]
