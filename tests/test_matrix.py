"""Matrices checked against counts computed independently in the test, and against the municipality
tables of Gustafsson 2014."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from coding import Project, exports
from coding.cli import cli
from coding.codings import apply_code_ids
from coding.errors import QcodeError
from coding.matrix import build_matrix, cell_segments, cooccurrence, report_table, swedish_sort_key

ROOT = Path(__file__).resolve().parent.parent
SEED_TABLES = ROOT / "codebooks" / "jonkoping2014_tables.csv"

INTERVIEWS = {  # name: (kommun, roll, text)
    "a_coach.txt": ("Aneby", "SE-coach", "SE-coach: Ett. Två. Tre. Fyra. Fem. Sex."),
    "a_chef.txt": ("Aneby", "Chef", "Chef: Sju. Åtta. Nio. Tio."),
    "v_coach.txt": ("Värnamo", "SE-coach", "SE-coach: Elva. Tolv. Tretton.\nIntervjuare: Fjorton? Femton."),
    "e_chef.txt": ("Eksjö", "Chef", "Chef: Sexton. Sjutton."),
}


@pytest.fixture
def coded(project, small_codebook, tmp_path):
    """A project with random codings by two coders; returns (project, list of codings)."""
    project.load_codebook(small_codebook)
    for name, (kommun, roll, text) in INTERVIEWS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        project.import_files([tmp_path / name], attributes={"kommun": kommun, "roll": roll})
    rng = random.Random(7)
    leaves = ["ff_natverk", "ff_chef", "hi_ensam"]
    applied = []  # (transcript, position, speaker, code, coder)
    for t in project.transcripts():
        for seg in project.segments(t["name"]):
            for coder in ("anna", "erik"):
                for code in leaves:
                    if rng.random() < 0.3:
                        apply_code_ids(project.store, [seg.id], code, coder=coder)
                        applied.append((t["name"], seg.position, seg.speaker, code, coder))
    return project, applied


def expected(applied, key, measure, coders=None, codes_of=lambda c: [c], keep=lambda name: True):
    segs, transcripts = defaultdict(set), defaultdict(set)
    row_transcripts = defaultdict(set)
    for name in INTERVIEWS:
        if keep(name):
            row_transcripts[key(name, None)].add(name)
    for name, pos, speaker, code, coder in applied:
        if (coders and coder not in coders) or not keep(name):
            continue
        for col in codes_of(code):
            segs[(key(name, speaker), col)].add((name, pos))
            transcripts[(key(name, speaker), col)].add(name)
    if measure == "count":
        return {k: len(v) for k, v in segs.items()}
    if measure == "presence":
        return {k: 1 for k in segs}
    if measure == "transcripts":
        return {k: len(v) for k, v in transcripts.items()}
    return {k: len(v) / len(row_transcripts[k[0]]) for k, v in transcripts.items()}


def as_dict(matrix):
    return {(row, col): v for row, vals in matrix.table.iterrows() for col, v in vals.items() if v}


@pytest.mark.parametrize("measure", ["count", "presence", "transcripts", "share"])
@pytest.mark.parametrize("coders", [None, ["anna"], ["erik", "anna"]])
def test_measures_by_municipality_match_an_independent_count(coded, measure, coders):
    project, applied = coded
    m = build_matrix(project.store, "kommun", measure, coders=coders)
    want = expected(applied, lambda name, sp: INTERVIEWS[name][0], measure, coders)
    got = as_dict(m)
    assert got.keys() == want.keys()
    for k in want:
        assert got[k] == pytest.approx(want[k])
    assert list(m.table.index) == ["Aneby", "Eksjö", "Värnamo"]  # Swedish order, every municipality
    assert list(m.table.columns) == ["ff_natverk", "ff_chef", "hi_ensam"]  # codebook order


def test_filters_levels_speaker_rows_and_margins(coded):
    project, applied = coded
    chefs = build_matrix(project.store, "kommun", "count", where=["roll=Chef"])
    assert as_dict(chefs) == expected(applied, lambda n, sp: INTERVIEWS[n][0], "count",
                                      keep=lambda n: INTERVIEWS[n][1] == "Chef")
    assert list(chefs.table.index) == ["Aneby", "Eksjö"]
    cats = build_matrix(project.store, "roll", "count", level="category", coders=["anna"])
    assert list(cats.table.columns) == ["ff", "hi"]
    assert as_dict(cats) == expected(applied, lambda n, sp: INTERVIEWS[n][1], "count", ["anna"],
                                     codes_of=lambda c: ["ff" if c.startswith("ff") else "hi"])
    only_hi = build_matrix(project.store, "transcript", "presence", under=["hi"])
    assert list(only_hi.table.columns) == ["hi_ensam"]
    speakers = build_matrix(project.store, "speaker", "count")
    assert as_dict(speakers) == expected(applied, lambda n, sp: sp, "count")
    margins = build_matrix(project.store, "kommun", "count").with_margins()
    assert margins.loc["Total", "Total"] == sum(expected(applied, lambda n, sp: INTERVIEWS[n][0], "count").values())
    with pytest.raises(QcodeError, match="no transcript has the attribute 'fas'"):
        build_matrix(project.store, "fas")
    with pytest.raises(QcodeError, match="no coder named 'zoe'"):
        build_matrix(project.store, coders=["zoe"])


def test_cooccurrence_matches_pairs_counted_by_hand(coded):
    project, applied = coded
    by_segment, by_transcript = defaultdict(set), defaultdict(set)
    for name, pos, _, code, _ in applied:
        by_segment[(name, pos)].add(code)
        by_transcript[name].add(code)
    for scope, units in (("segment", by_segment), ("transcript", by_transcript)):
        table = cooccurrence(project.store, scope=scope)
        for a in table.index:
            for b in table.columns:
                assert table.loc[a, b] == sum(1 for codes in units.values() if a in codes and b in codes)


def test_drill_down_shows_segments_with_context(coded):
    project, applied = coded
    hits = sorted({(n, p) for n, p, _, c, _ in applied if c == "hi_ensam" and INTERVIEWS[n][0] == "Aneby"})
    cells = cell_segments(project.store, "Aneby", "hi_ensam", context=1)
    assert [(s["transcript"], s["position"]) for s in cells] == hits
    first = cells[0]
    segs = project.segments(first["transcript"])
    assert first["text"] == segs[first["position"] - 1].text
    assert [b["position"] for b in first["before"]] == ([first["position"] - 1] if first["position"] > 1 else [])


# ------------------------------------------------------------ the demo corpus

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    project = Project.demo(tmp_path_factory.mktemp("demo") / "demo.qcode")
    yield project
    project.close()


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def demo_on_each_engine(request, tmp_path_factory):
    """The demo project in an SQLite file, then in a PostgreSQL schema: the published tables must come out the
    same from both."""
    if request.param == "sqlite":
        yield request.getfixturevalue("demo")
        return
    project = Project.demo(request.getfixturevalue("pg_database") + "?schema=matrix_demo")
    yield project
    project.close()


def seed_tables():
    out = defaultdict(list)
    for row in csv.DictReader(SEED_TABLES.open(encoding="utf-8")):
        out[(row["kommun"], row["table"], row["column"])].append(row)
    return out


CATEGORY = {("inledande", "ff"): "impl.ff", ("inledande", "hi"): "impl.hi", ("praktik", "ff"): "prak.ff",
            ("praktik", "hi"): "prak.hi", ("praktik", "on"): "prak.on"}


@pytest.mark.parametrize("coders", [["anna"], ["erik"], None])
def test_demo_presence_matrix_reproduces_seed_000_tables(demo_on_each_engine, coders):
    tables = seed_tables()
    m = build_matrix(demo_on_each_engine.store, "kommun", "presence", coders=coders, under=["impl", "prak"])
    municipalities = list(m.table.index)
    assert len(municipalities) >= 6
    for kommun in municipalities:
        want = {r["code_id"] for key, rows in tables.items() if key[0] == kommun for r in rows}
        got = {c for c in m.table.columns if m.table.loc[kommun, c]}
        assert got == want, kommun


def test_demo_report_tables_list_the_seed_labels(demo_on_each_engine, tmp_path):
    tables = seed_tables()
    for table, columns in (("inledande", ["ff", "hi"]), ("praktik", ["ff", "hi", "on"])):
        report = report_table(demo_on_each_engine.store, [CATEGORY[(table, c)] for c in columns])
        assert report.row_header == "Kommun"
        for kommun, cells in report.rows:
            for col, cell in zip(columns, cells):
                assert set(cell) == {r["label"] for r in tables.get((kommun, table, col), [])}, (kommun, col)
                order = [c.label_sv for c in demo_on_each_engine.codebook().codes]
                assert cell == sorted(cell, key=order.index)  # codebook order
    report = report_table(demo_on_each_engine.store, ["impl.ff", "impl.hi"], coders=["anna"])
    path = exports.report_docx(report, tmp_path / "b.docx", title="Implementering - Inledande fas")
    word = docx.Document(path).tables[0]
    assert [c.text for c in word.rows[0].cells] == ["Kommun", "Framgångsfaktorer", "Hinder"]
    aneby = next(r for r in word.rows if r.cells[0].text == "Aneby")
    assert [p.text for p in aneby.cells[2].paragraphs] == report.rows[0][1][1]
    md = exports.report_markdown(report)
    assert md.splitlines()[0] == "| Kommun | Framgångsfaktorer | Hinder |"


# --------------------------------------------------------------------- exports

def test_exports_neutralise_formulas_and_write_real_files(coded, tmp_path):
    project, _ = coded
    project.set_attributes("e_chef.txt", {"kommun": "=HYPERLINK(\"http://evil\",\"x\")"})
    m = build_matrix(project.store, "kommun", "count")
    text = exports.matrix_csv(m)
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["kommun", "ff_natverk", "ff_chef", "hi_ensam"]
    assert any(r[0] == "'=HYPERLINK(\"http://evil\",\"x\")" for r in rows[1:])
    segs = [dict(s, row="r", column="c") for s in cell_segments(project.store, "Aneby", "hi_ensam")]
    segs.append({"transcript": "x", "position": 1, "speaker": "@evil", "codes": ["hi_ensam"], "coders": ["a"],
                 "text": "-2+3", "row": "r", "column": "c"})
    path = exports.matrix_xlsx({"count": m, "presence": build_matrix(project.store, "kommun", "presence")}, segs,
                               tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Antal segment", "Förekomst", "Segment"]
    values = [c.value for row in wb["Antal segment"].iter_rows() for c in row]
    assert "=HYPERLINK(\"http://evil\",\"x\")" in values  # shown as typed, as a text cell
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)  # never a formula
    assert all(c.data_type == "s" for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    seg_rows = list(wb["Segment"].iter_rows(values_only=True))
    assert seg_rows[-1][4] == "@evil" and seg_rows[-1][8] == "-2+3"
    sheet = wb["Antal segment"]
    assert [sheet["A1"].value, sheet["B1"].value, sheet["D1"].value] == ["Kategori", "Framgångsfaktorer", "Hinder"]
    assert sheet["A2"].value == "Kommun" and sheet.cell(2, 2).value == "Stöd i SE-nätverk"
    png = exports.save_chart(exports.heatmap(m), tmp_path / "m.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = exports.save_chart(exports.heatmap(m, language="en"), tmp_path / "m.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "Support in the SE network" in svg
    md = exports.matrix_markdown(m).splitlines()
    assert md[0] == "## Framgångsfaktorer"
    assert md[2] == "| Kommun | Stöd i SE-nätverk | Positiv ledning/chef |"
    assert "| Kommun | Ensam position som SE-coach |" in md


def test_cli_matrix_and_report(demo, tmp_path):
    runner = CliRunner()
    out = runner.invoke(cli, ["matrix", str(demo.path), "--measure", "presence", "--coder", "anna",
                              "--under", "impl.hi"], catch_exceptions=False)
    assert out.exit_code == 0
    rows = list(csv.reader(out.output.splitlines()))
    assert rows[0][0] == "kommun" and "impl_hi_ensam_position" in rows[0]
    col = rows[0].index("impl_hi_ensam_position")
    assert {r[0] for r in rows[1:] if r[col] == "1"} == {r["kommun"] for r in csv.DictReader(
        SEED_TABLES.open(encoding="utf-8")) if r["code_id"] == "impl_hi_ensam_position"} & {r[0] for r in rows[1:]}
    target = tmp_path / "praktik.docx"
    out = runner.invoke(cli, ["report", str(demo.path), "--columns", "prak.ff,prak.hi,prak.on", "-o", str(target)])
    assert out.exit_code == 0, out.output
    assert [c.text for c in docx.Document(target).tables[0].rows[0].cells] == [
        "Kommun", "Framgångsfaktorer praktik", "Hinder praktik", "Önskemål"]
    out = runner.invoke(cli, ["matrix", str(demo.path), "--rows", "nope"])
    assert out.exit_code == 1 and "no transcript has the attribute 'nope'" in out.output


def test_swedish_sort_order():
    assert sorted(["Ödeshög", "Värnamo", "Aneby", "Åseda", "Vaggeryd", "Älmhult"], key=swedish_sort_key) == [
        "Aneby", "Vaggeryd", "Värnamo", "Åseda", "Älmhult", "Ödeshög"]


def test_cli_matrix_json_mirrors_csv(demo):
    runner = CliRunner()
    as_json = runner.invoke(cli, ["matrix", str(demo.path), "--measure", "transcripts", "--format", "json"])
    as_csv = runner.invoke(cli, ["matrix", str(demo.path), "--measure", "transcripts"])
    records = __import__("json").loads(as_json.output)
    rows = list(csv.DictReader(as_csv.output.splitlines()))
    assert [r["kommun"] for r in records] == [r["kommun"] for r in rows]
    assert all(str(rec[k]) == row[k] for rec, row in zip(records, rows) for k in row)
