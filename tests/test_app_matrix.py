"""The matrix page on the demo project: rows × codes, measures, filters, the segments behind a cell,
every download, the report table. The page's figures are compared with the library called directly."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pandas as pd

from coding import Project
from coding import exports
from coding.codings import CONSENSUS
from coding.matrix import build_matrix, cell_segments, report_table
from app_helpers import open_app, run, texts
from e2e_helpers import HOSTILE, make_project
from ui import page_matrix as pm

PAGE = "app_pages/matrix.py"


def shown_table(at) -> pd.DataFrame:
    frame = at.dataframe[0].value
    frame.index = frame.index.map(str)
    return frame


def direct(path, measure="count", rows="kommun", **options):
    with Project.open(path) as p:
        return build_matrix(p.store, rows, measure, **options).table


def assert_same(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    expected = expected.copy()
    expected.index = expected.index.map(str)
    assert list(shown.index) == list(expected.index)
    assert list(shown.columns) == list(expected.columns)
    assert (shown.to_numpy() == expected.to_numpy()).all()


def test_renders_with_default_rows_kommun_and_measure_count(demo):
    started = time.perf_counter()
    at = open_app(page=PAGE)
    elapsed = time.perf_counter() - started
    assert at.selectbox(key="qc_mx_rows").value == "kommun"
    assert at.selectbox(key="qc_mx_measure").value == "count"
    shown = shown_table(at)
    assert_same(shown, direct(demo))
    assert "Aneby" in shown.index and "impl_hi_ensam_position" in shown.columns
    assert at.get("vega_lite_chart"), "the heat map"
    print(f"\nmatrix page: first render (with app start) {elapsed:.2f} s")


def test_switching_to_presence_matches_the_library(demo):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_mx_measure").select("presence")
    at = run(at)
    shown = shown_table(at)
    assert_same(shown, direct(demo, "presence"))
    assert set(shown.to_numpy().ravel()) <= {0, 1}


def test_rows_level_coder_and_filters_match_the_library(demo):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_mx_rows").select("roll")
    at.segmented_control(key="qc_mx_level").set_value("category")
    at.selectbox(key="qc_mx_coders").select("anna")
    at = run(at)
    assert_same(shown_table(at), direct(demo, rows="roll", level="category", coders=["anna"]))
    # filter: only the managers' interviews, only codes under impl.hi
    at.multiselect(key="qc_mx_where_roll").select("Chef")
    at.multiselect(key="qc_mx_under").select("impl.hi")
    at.segmented_control(key="qc_mx_level").set_value("code")
    at.selectbox(key="qc_mx_measure").select("transcripts")
    at = run(at)
    assert_same(shown_table(at), direct(demo, "transcripts", rows="roll", coders=["anna"],
                                        where={"roll": ["Chef"]}, under=["impl.hi"]))
    assert list(shown_table(at).index) == ["Chef"]
    # speaker rows
    at.selectbox(key="qc_mx_rows").select("speaker")
    at = run(at)
    assert_same(shown_table(at), direct(demo, "transcripts", rows="speaker", coders=["anna"],
                                        where={"roll": ["Chef"]}, under=["impl.hi"]))


def test_picking_a_cell_shows_the_segments_behind_it(demo):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_mx_cell_row").select("Aneby")
    at.selectbox(key="qc_mx_cell_col").select("impl_hi_ensam_position")
    at = run(at)
    with Project.open(demo) as p:
        expected = cell_segments(p.store, "Aneby", "impl_hi_ensam_position", rows="kommun")
    assert expected
    shown = texts(at)
    for seg in expected:
        assert f"{seg['speaker']}: {seg['text']}" in shown
        assert any(seg["transcript"] in x and f"#{seg['position']}" in x for x in shown)
    # a little context before and after
    assert f"{expected[0]['before'][0]['speaker']}: {expected[0]['before'][0]['text']}" in shown
    assert any(f"{len(expected)} kodade segment" in m.value for m in at.markdown)


def test_a_click_in_the_table_or_the_heat_map_picks_the_cell():
    """What the selection callbacks read (AppTest cannot click a table cell or a chart)."""
    rows, cols = ["Aneby", "Eksjö", "Gislaved"], ["impl_hi_ensam_position", "impl_ff_utbildning"]
    table = {"selection": {"rows": [], "columns": [], "cells": [(1, "impl_ff_utbildning")]}}
    assert pm.cell_from_table(table, rows, cols) == ("Eksjö", "impl_ff_utbildning")
    assert pm.cell_from_table({"selection": {"cells": [(1, "Total")]}}, rows, cols) is None
    assert pm.cell_from_table({"selection": {"cells": [(3, "impl_ff_utbildning")]}}, rows, cols) is None
    assert pm.cell_from_table(None, rows, cols) is None
    chart = {"selection": {"cell": [{"kommun": "Aneby", "code": "impl_hi_ensam_position"}]}}
    assert pm.cell_from_chart(chart, "kommun", cols) == ("Aneby", "impl_hi_ensam_position")
    assert pm.cell_from_chart({"selection": {"cell": []}}, "kommun", cols) is None


def test_cell_text_is_data_not_markup(tmp_path, app_env, monkeypatch):
    path = make_project(tmp_path / "hostile.qcode", hostile=True)
    with Project.open(path) as p:
        p.set_attributes("hostile.txt", {"kommun": "Hostile"})
        p.apply_code("hostile.txt", 2, "ff_forankring", coder="anna")
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    at = open_app(page=PAGE)
    at.selectbox(key="qc_mx_cell_row").select("Hostile")
    at.selectbox(key="qc_mx_cell_col").select("ff_forankring")
    at = run(at)
    line = HOSTILE.splitlines()[1]
    assert line in texts(at)  # literally, as text
    assert not any("onerror" in m.value and "\\<" not in m.value for m in at.markdown)


def test_download_buttons_for_every_format(demo):
    at = open_app(page=PAGE)
    labels = [b.label for b in at.get("download_button")]
    for name in ("CSV", "JSON", "XLSX", "Markdown", "DOCX", "PNG", "SVG"):
        assert name in labels
    assert any("DOCX" in x and "rapport" in x for x in labels) and any("Markdown" in x and "rapport" in x
                                                                       for x in labels)


def test_the_downloads_hold_the_matrix(demo):
    spec = pm.MatrixSpec(rows="kommun", measure="presence", language="en")
    with Project.open(demo) as p:
        m = build_matrix(p.store, "kommun", "presence")
        data = {f: pm.matrix_bytes(p.store, spec, f) for f in exports.EXPORTERS}
    assert data["csv"].decode() == exports.matrix_csv(m)
    records = json.loads(data["json"])
    assert records[0]["kommun"] == "Aneby" and records[0]["impl_hi_ensam_position"] == 1
    assert data["md"].decode() == exports.matrix_markdown(m, language="en")
    assert "Lonely" in data["md"].decode() or "lone" in data["md"].decode().lower()
    # XLSX: one sheet per measure plus the coded segments
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data["xlsx"]))  # in the page's language (English here)
    assert wb.sheetnames == ["Segment count", "Presence", "Interviews", "Share", "Segments"]
    assert wb["Presence"]["A2"].value == "Municipality" and wb["Presence"]["A3"].value == "Aneby"
    assert wb["Segments"].max_row > 100
    # DOCX: one table per category, codes as rows, the municipalities as columns
    import docx

    document = docx.Document(io.BytesIO(data["docx"]))
    cells = [c.text for c in document.tables[0].rows[0].cells]
    assert cells[:3] == ["Code", "Aneby", "Eksjö"]
    assert len(document.tables) == len(m.categories("en"))
    assert zipfile.is_zipfile(io.BytesIO(data["docx"]))
    assert data["png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in data["svg"][:400]
    # the download callables open the project themselves (they run on another thread)
    assert pm.matrix_download(demo, spec, "csv") == data["csv"]
    # totals go into the text formats when chosen
    with_totals = pm.matrix_download(demo, pm.MatrixSpec(rows="kommun", margins=True), "csv").decode()
    assert with_totals.splitlines()[-1].startswith("Total,")


def test_report_table_shows_the_municipalities_and_their_labels(demo):
    at = open_app(page=PAGE)
    assert at.multiselect(key="qc_mx_report").value == ["impl.ff", "impl.hi"]
    frame = at.dataframe[1].value
    assert list(frame.columns) == ["Kommun", "Framgångsfaktorer", "Hinder"]
    with Project.open(demo) as p:
        report = report_table(p.store, ["impl.ff", "impl.hi"])
    assert list(frame["Kommun"]) == [label for label, _ in report.rows]
    assert "Aneby" in list(frame["Kommun"])
    aneby = frame[frame["Kommun"] == "Aneby"].iloc[0]
    assert "Ensam position som SE-coach" in aneby["Hinder"]
    # other categories as columns
    at.multiselect(key="qc_mx_report").set_value(["prak.ff", "prak.hi", "prak.on"])
    at = run(at)
    assert len(at.dataframe[1].value.columns) == 4
    spec = pm.MatrixSpec(rows="kommun")
    md = pm.report_download(demo, spec, ["impl.ff", "impl.hi"], "md").decode()
    assert md.startswith("| Kommun | Framgångsfaktorer | Hinder |") and "Ensam position som SE-coach" in md
    import docx

    document = docx.Document(io.BytesIO(pm.report_download(demo, spec, ["impl.ff", "impl.hi"], "docx")))
    assert document.tables[0].rows[0].cells[2].text == "Hinder"


def test_labels_follow_the_app_language(demo):
    at = open_app(page=PAGE, lang="en")
    assert at.title[0].value == "Matrix"
    assert any(o.startswith("Lonely") or "Lone" in o for o in at.selectbox(key="qc_mx_cell_col").options)
    assert list(at.dataframe[1].value.columns) == ["Municipality", "Success factors", "Obstacles"]


def test_consensus_appears_once_there_is_one(demo):
    at = open_app(page=PAGE)
    assert "consensus" not in at.selectbox(key="qc_mx_coders").options
    from coding.project_agreement import consensus_from_agreement

    with Project.open(demo) as p:
        consensus_from_agreement(p.store, ["anna", "erik"], decided_by="anna")
        p.store.add_coding(p.store.segment_id(p.transcript_id("aneby_chef.txt"), 1), "impl_ff_utbildning",
                           CONSENSUS)  # a decision neither coder made
    at = run(at)
    assert "Konsensus" in at.selectbox(key="qc_mx_coders").options
    # "all coders" stays the two people who code
    assert_same(shown_table(at), direct(demo, coders=["anna", "erik"]))
    assert shown_table(at).loc["Aneby", "impl_ff_utbildning"] == 0
    at.selectbox(key="qc_mx_coders").select("consensus")
    at = run(at)
    assert_same(shown_table(at), direct(demo, coders=["consensus"]))


def test_blind_coding_shows_only_my_own_codes_until_i_am_done(demo):
    with Project.open(demo) as p:
        p.mark_done("erik", ["aneby_chef.txt"], done=False)
    at = open_app("erik", page=PAGE)
    assert at.selectbox(key="qc_mx_coders").options == ["erik"]
    assert_same(shown_table(at), direct(demo, coders=["erik"]))
    assert any("Blind" in i.value for i in at.info)
    anna = open_app("anna", page=PAGE)  # anna is done everywhere: she may compare
    assert "erik" in anna.selectbox(key="qc_mx_coders").options
