"""Unitizing agreement on a real project file: spans coded through ``Project.code_span``, done-markers,
the facade, ``qcode agreement --unitizing`` -- checked against :func:`coding.unitizing.unitizing_alpha`
on continua written out by hand from the same spans."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

from coding import Project
from coding.cli import cli
from coding.errors import QcodeError
from coding.unitizing import Continuum, unitizing_alpha
from coding.unitizing_agreement import POOLED, unitizing_table
from conftest import write_interview


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def spans_project(tmp_path, small_codebook):
    """Two interviews; anna, erik and bo code spans; bo has not finished eksjo.txt, erik not aneby.txt."""
    path = tmp_path / "spans.qcode"
    p = Project.create(path)
    p.load_codebook(small_codebook)
    p.import_files([write_interview(tmp_path / "aneby.txt"), write_interview(tmp_path / "eksjo.txt", "Eksjö")])
    p.store.ensure_coders(["anna", "erik", "bo"])
    text = p.transcript_text("aneby.txt")
    money = _find(text, "Vi fick pengar från Samordningsförbundet")
    alone = _find(text, "ganska ensam i rollen")
    network = _find(text, "i SE-nätverket träffade jag andra coacher")
    plan = {
        "anna": [("aneby.txt", money, "ff_chef"), ("aneby.txt", alone, "hi_ensam"),
                 ("aneby.txt", network, "ff_natverk"), ("eksjo.txt", network, "ff_natverk")],
        "erik": [("aneby.txt", (money[0], money[1] - 5), "ff_chef"),            # not done: ignored
                 ("eksjo.txt", (network[0] + 2, network[1]), "ff_natverk"),
                 ("eksjo.txt", alone, "hi_ensam")],
        "bo": [("aneby.txt", (money[0], money[1] - 10), "ff_chef"), ("aneby.txt", alone, "hi_ensam"),
               ("aneby.txt", (alone[0] - 5, alone[1]), "hi_ensam"),            # overlaps: one unit with it
               ("aneby.txt", network, "ff_chef"), ("eksjo.txt", money, "ff_chef")],  # bo: eksjo not done
    }
    for coder, spans in plan.items():
        for name, (s, e), code in spans:
            p.code_span(name, s, e, code, coder=coder)
    p.mark_done("anna")
    p.mark_done("erik", ["eksjo.txt"])
    p.mark_done("bo", ["aneby.txt"])
    expected = [
        Continuum(len(text), {"anna": [(*money, "ff_chef"), (*alone, "hi_ensam"), (*network, "ff_natverk")],
                              "bo": [(money[0], money[1] - 10, "ff_chef"), (*alone, "hi_ensam"),
                                     (alone[0] - 5, alone[1], "hi_ensam"), (*network, "ff_chef")]}),
        Continuum(len(p.transcript_text("eksjo.txt")),
                  {"anna": [(*network, "ff_natverk")],
                   "erik": [(network[0] + 2, network[1], "ff_natverk"), (*alone, "hi_ensam")]}),
    ]
    yield p, path, expected
    p.close()


def test_project_spans_give_the_alphas_of_the_same_continua_written_by_hand(spans_project):
    p, _, continua = spans_project
    got = p.unitizing_agreement(["anna", "erik", "bo"])
    want = unitizing_alpha(continua, codes=["ff_natverk", "ff_chef", "hi_ensam"])
    assert got == want
    assert got.continua == 2 and [c.code for c in got.codes] == ["ff_natverk", "ff_chef", "hi_ensam"]
    assert 0 < got.alpha_u.value < 1 and 0 < got.bar_u.value < 1
    assert got.code("hi_ensam").units == 3  # anna's, bo's two overlapping spans as one, erik's


def test_only_transcripts_two_coders_finished_count(spans_project):
    p, _, continua = spans_project
    assert p.unitizing_agreement("anna,erik") == unitizing_alpha(
        [Continuum(continua[1].length, continua[1].spans)], codes=["ff_natverk", "hi_ensam"])
    nothing = p.unitizing_agreement("erik,bo")      # no transcript finished by both
    assert nothing.continua == 0 and nothing.alpha_u.value is None and "two or more" in nothing.alpha_u.reason


def test_codes_and_transcripts_narrow_the_analysis_and_unknown_names_are_refused(spans_project):
    p, _, continua = spans_project
    only = p.unitizing_agreement(["anna", "bo"], codes=["hi_ensam"], transcripts=["aneby.txt"])
    assert only == unitizing_alpha([continua[0]], codes=["hi_ensam"])
    with pytest.raises(QcodeError, match="no code with id 'nope'"):
        p.unitizing_agreement(["anna", "bo"], codes=["nope"])
    with pytest.raises(QcodeError, match="no transcript named 'x.txt'"):
        p.unitizing_agreement(["anna", "bo"], transcripts=["x.txt"])
    with pytest.raises(QcodeError, match="at least 2 coders"):
        p.unitizing_agreement(["anna"])


def test_segment_codings_count_as_spans_of_their_segment(tmp_path, small_codebook):
    p = Project.create(tmp_path / "seg.qcode")
    p.load_codebook(small_codebook)
    p.import_files([write_interview(tmp_path / "aneby.txt")])
    p.store.ensure_coders(["anna", "erik"])
    seg = p.segments("aneby.txt")[3]
    p.apply_code("aneby.txt", seg.position, "hi_ensam", coder="anna")
    p.code_span("aneby.txt", seg.start, seg.end, "hi_ensam", coder="erik")   # the same range as a span
    p.mark_done("anna")
    p.mark_done("erik")
    r = p.unitizing_agreement("anna,erik")
    assert r.code("hi_ensam").alpha_u.value == 1.0 and r.units == 2
    p.close()


def test_cli_unitizing_table_csv_and_json(spans_project):
    p, path, continua = spans_project
    want = unitizing_alpha(continua, codes=["ff_natverk", "ff_chef", "hi_ensam"])
    p.close()
    result = run("agreement", path, "--coders", "anna,erik,bo", "--unitizing", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["code"] for r in records] == ["ff_natverk", "ff_chef", "hi_ensam", POOLED]
    assert list(records[0]) == ["code", "alpha_u", "bar_u", "cu", "units"]
    pooled = records[-1]
    assert math.isclose(pooled["alpha_u"], want.alpha_u.value) and math.isclose(pooled["cu"], want.cu.value)
    assert records[2]["units"] == want.code("hi_ensam").units
    assert "2 transcript(s)" in result.stderr

    result = run("agreement", path, "--coders", "anna,erik,bo", "--unitizing", "--format", "csv", "--details")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["code", "alpha_u", "bar_u", "cu", "units", "label_sv", "reason"]
    assert rows[1]["label_sv"] == "Positiv ledning/chef"

    table = run("agreement", path, "--coders", "anna,erik,bo", "--unitizing")
    assert table.exit_code == 0 and f"{want.bar_u.value:.3f}" in table.stdout


def test_cli_unitizing_refuses_segment_options_and_bad_coders(spans_project):
    _, path, _ = spans_project
    result = CliRunner().invoke(cli, ["agreement", str(path), "--coders", "anna,bo", "--unitizing", "--by", "kommun"])
    assert result.exit_code == 2 and "--by does not apply with --unitizing" in result.output
    result = CliRunner().invoke(cli, ["agreement", str(path), "--coders", "anna,nobody", "--unitizing"])
    assert result.exit_code == 1 and "no coder named 'nobody'" in result.output
    assert "Traceback" not in result.output


def test_table_rows_say_why_a_value_is_missing(spans_project):
    p, _, _ = spans_project
    result = p.unitizing_agreement("anna,bo", codes=["ff_natverk", "hi_ensam", "ff"])
    rows = {r["code"]: r for r in unitizing_table(p, result)}
    assert rows["ff"]["alpha_u"] is None and "no coder applied" in rows["ff"]["reason"]
    # hi_ensam is the only code on text both coded (bo gave the network passage ff_chef, left out here):
    # its αu is defined, its (k)uα is not, and the row says why
    hi = rows["hi_ensam"]
    assert hi["alpha_u"] is not None and hi["cu"] is None and "no expected disagreement" in hi["reason"]
    assert hi["label_en"] == "Lonely SE-coach role"
    full = {r["code"]: r for r in unitizing_table(p, p.unitizing_agreement("anna,bo"))}
    assert full["hi_ensam"]["reason"] == "" and full["hi_ensam"]["cu"] is not None
