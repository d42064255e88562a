"""``qcode agreement``, ``qcode disagreements`` and ``qcode consensus``, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from coding import project_agreement as pa
from coding.cli import cli
from coding.codings import CONSENSUS
from coding.store import Store
from conftest import ROOT
from test_project_agreement import CODERS, LEAVES, TRANSCRIPTS, build, kalpha

krippendorff = pytest.importorskip("krippendorff")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def proj(tmp_path, small_codebook):
    b = build(tmp_path, small_codebook)
    b.project.close()
    b.path = tmp_path / "agree.qcode"
    return b


def test_agreement_json_records_have_exactly_the_documented_keys(proj):
    result = run("agreement", proj.path, "--coders", "anna,erik,bo", "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records and all(list(r) == ["scope", "code", "statistic", "value", "units"] for r in records)
    by_code = {r["code"]: r for r in records}
    assert set(by_code) == {"ff", *LEAVES, pa.POOLED, pa.MEAN}
    table = proj.table(["hi_ensam"], CODERS, TRANSCRIPTS)
    assert by_code["hi_ensam"]["value"] == pytest.approx(kalpha(table), abs=1e-12)
    assert by_code["hi_ensam"]["units"] == int(((~np.isnan(table)).sum(axis=1) >= 2).sum())
    assert by_code["hi_ensam"]["statistic"] == "alpha" and by_code["hi_ensam"]["scope"] == "all"


def test_agreement_csv_all_statistics_by_attribute_and_category(proj):
    result = run("agreement", proj.path, "--coders", "anna,erik", "--statistic", "all", "--by", "kommun",
                 "--level", "category", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == ["scope", "code", "statistic", "value", "units"]
    assert {r["scope"] for r in rows} == {"Aneby", "Eksjö", "(no value)"}
    assert {r["statistic"] for r in rows} == set(pa.STATISTICS)
    assert {r["code"] for r in rows} == {"ff", "hi", pa.POOLED, pa.MEAN}
    eksjo = [r for r in rows if r["scope"] == "Eksjö"]  # erik has not finished eksjo.txt: nothing to pair
    assert all(r["value"] == "" and r["units"] == "0" for r in eksjo)
    with Store.open(proj.path) as store:
        expected = pa.agreement(store, ["anna", "erik"], statistics="all", by="kommun", level="category")
    aneby = {(r["code"], r["statistic"]): float(r["value"]) for r in rows if r["scope"] == "Aneby" and r["value"]}
    for rec in expected[expected.scope == "Aneby"].itertuples():
        if not math.isnan(rec.value):
            assert aneby[(rec.code, rec.statistic)] == pytest.approx(rec.value, abs=1e-12)


def test_agreement_table_with_details_ci_and_cases(proj):
    result = run("agreement", proj.path, "--coders", "anna,bo", "--unit", "case", "--ci", "--boot", 100,
                 "--seed", 5, "--details")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["scope", "code", "statistic", "value", "units", "coded", "codes", "label_sv",
                                "ci_low", "ci_high"]
    assert any(line.startswith("all    (pooled)") for line in lines)
    again = run("agreement", proj.path, "--coders", "anna,bo", "--unit", "case", "--ci", "--boot", 100,
                "--seed", 5, "--details")
    assert again.output == result.output
    used = json.loads(run("agreement", proj.path, "--coders", "erik,bo", "--used-only", "--format", "json",
                          "--by", "transcript").output)
    gnosjo = {r["code"] for r in used if r["scope"] == "gnosjo.txt"}  # bo has not finished gnosjo.txt
    assert gnosjo == {pa.POOLED, pa.MEAN}
    assert {r["code"] for r in used if r["scope"] == "aneby1.txt"} == {*LEAVES, pa.POOLED, pa.MEAN}


def test_three_coders_all_statistics_leave_kappa_out_with_a_note(proj):
    result = CliRunner().invoke(cli, ["agreement", str(proj.path), "--coders", "anna,erik,bo",
                                                      "--statistic", "all", "--format", "json"])
    assert result.exit_code == 0
    assert "Cohen's kappa is left out" in result.stderr
    assert "kappa" not in {r["statistic"] for r in json.loads(result.stdout)}
    bad = run("agreement", proj.path, "--coders", "anna,erik,bo", "--statistic", "kappa")
    assert bad.exit_code == 1 and "exactly 2 coders" in bad.output


def test_errors_exit_1_with_a_message_and_no_traceback(proj):
    out = subprocess.run([sys.executable, "-m", "coding", "agreement", str(proj.path), "--coders", "anna,nobody"],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "Error: no coder named 'nobody' in the project (coders: anna, bo, erik)" in out.stderr
    assert "Traceback" not in out.stderr
    for args, message in (
            (["--coders", "anna"], "at least 2 coders"),
            (["--coders", "anna,erik", "--by", "region"], "no transcript has the attribute 'region'"),
            (["--coders", "anna,erik", "--unit", "case", "--case-attribute", "lan"], "attribute 'lan'")):
        result = run("agreement", proj.path, *args)
        assert result.exit_code == 1, args
        assert message in result.output
    assert run("agreement", proj.path, "--coders", "anna,erik", "--statistic", "omega").exit_code == 2
    assert run("done", proj.path, "--coder", "bo", "--all", "--undo").exit_code == 0
    nothing = CliRunner().invoke(cli, ["agreement", str(proj.path), "--coders", "anna,bo", "--format", "json"])
    assert nothing.exit_code == 0 and "bo has marked no transcript as done" in nothing.stderr
    assert all(r["units"] == 0 and r["value"] is None for r in json.loads(nothing.stdout))


def test_disagreements_as_table_csv_and_json(proj):
    result = run("disagreements", proj.path, "--coders", "anna,erik", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    with Store.open(proj.path) as store:
        assert found == json.loads(json.dumps(pa.disagreements(store, ["anna", "erik"]), ensure_ascii=False))
    assert {"text", "before", "after", "codes", "involved", "consensus"} <= set(found[0])
    as_csv = list(csv.DictReader(io.StringIO(run("disagreements", proj.path, "--coders", "anna,erik",
                                                 "--format", "csv").output)))
    assert len(as_csv) == len(found)
    assert list(as_csv[0]) == ["transcript", "segment", "speaker", "anna", "erik", "consensus", "text", "before",
                               "after", "codes_involved", "definitions"]
    assert as_csv[0]["anna"] == ",".join(found[0]["codes"]["anna"])
    one = run("disagreements", proj.path, "--coders", "anna,erik", "--transcript", "gnosjo.txt")
    assert one.exit_code == 0 and all(line.startswith(("transcript", "-", "gnosjo.txt"))
                                      for line in one.output.splitlines() if line and "differ" not in line)
    not_done = run("disagreements", proj.path, "--coders", "anna,erik", "--transcript", "eksjo.txt")
    assert not_done.exit_code == 1 and "not marked done by erik" in not_done.output


def test_consensus_agreed_accept_csv_and_list(proj, tmp_path):
    p = proj.path
    out = run("consensus", p, "--agreed", "--coders", "anna,erik", "--by", "sara")
    assert out.exit_code == 0, out.output
    assert "Consensus from agreement in 3 transcript(s)" in out.output
    first = json.loads(run("disagreements", p, "--coders", "anna,erik", "--format", "json").output)[0]
    acc = run("consensus", p, "--accept", "erik", "--transcript", first["transcript"], "--segment",
              first["segment"], "--by", "per")
    assert acc.exit_code == 0, acc.output
    assert f"{first['transcript']} #{first['segment']}" in acc.output
    decisions = tmp_path / "beslut.csv"
    decisions.write_text("transcript,segment,code\naneby1.txt,1,hi_ensam\naneby1.txt,1,ff_chef\n"
                         "gnosjo.txt,2,\n", encoding="utf-8")
    imp = run("consensus", p, "--from-csv", decisions, "--by", "sara")
    assert imp.exit_code == 0 and "Recorded 2 decision(s) (2 code(s)) from 3 row(s)" in imp.output
    listed = json.loads(run("consensus", p, "--list", "--format", "json").output)
    assert [(r["decided_by"], r["transcript"], r["segment"], r["codes"]) for r in listed] == [
        ("per", first["transcript"], first["segment"], ",".join(first["codes"]["erik"]) or "(no code)"),
        ("sara", "aneby1.txt", 1, "hi_ensam,ff_chef"),
        ("sara", "gnosjo.txt", 2, "(no code)")]
    with Store.open(p) as store:
        assert set(store.coder_segment_codes(proj.segments["aneby1.txt"][0], CONSENSUS)) == {"hi_ensam", "ff_chef"}
        assert store.coder_segment_codes(proj.segments["gnosjo.txt"][1], CONSENSUS) == []
    bad = tmp_path / "fel.csv"
    bad.write_text("transcript,segment,code\naneby1.txt,1,ghost\nx.txt,1,hi_ensam\n", encoding="utf-8")
    err = run("consensus", p, "--from-csv", bad, "--by", "sara")
    assert err.exit_code == 1
    assert "line 2: unknown code 'ghost'" in err.output and "line 3: unknown transcript 'x.txt'" in err.output
    assert "nothing was recorded" in err.output
    assert len(json.loads(run("consensus", p, "--list", "--format", "json").output)) == 3
    assert run("consensus", p, "--agreed", "--coders", "anna,erik").exit_code == 2  # no --by
    assert run("consensus", p, "--agreed", "--list", "--by", "x").exit_code == 2
