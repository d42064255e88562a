"""Codings: apply/remove with audit, CSV import that reports every bad row, export, done-markers."""

from __future__ import annotations

import csv
import io

import pytest

from coding.errors import CodingsProblem, QcodeError
from conftest import write_interview


@pytest.fixture
def coded(project, small_codebook, tmp_path):
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt")], attributes={"kommun": "Aneby"})
    project.import_files([write_interview(tmp_path / "eksjo.txt", "Eksjö")], attributes={"kommun": "Eksjö"})
    return project


def test_apply_and_remove_are_saved_and_audited(coded):
    assert coded.apply_code("aneby.txt", 6, "hi_ensam", coder="anna", memo="tydligt")
    assert not coded.apply_code("aneby.txt", 6, "hi_ensam", coder="anna")
    assert coded.codings() == [{"transcript": "aneby.txt", "segment": 6, "code": "hi_ensam", "coder": "anna",
                                "memo": "tydligt"}]
    assert coded.remove_code("aneby.txt", 6, "hi_ensam", coder="anna")
    assert not coded.remove_code("aneby.txt", 6, "hi_ensam", coder="anna")
    assert coded.codings() == []
    actions = [e["action"] for e in coded.store.audit_log(actor="anna")]
    assert actions[:2] == ["coding.remove", "coding.apply"]  # applying it again changed nothing: no entry


def test_unknown_segment_and_code_are_errors(coded):
    with pytest.raises(QcodeError, match="has no segment 99"):
        coded.apply_code("aneby.txt", 99, "hi_ensam", coder="anna")
    with pytest.raises(QcodeError, match="no code with id 'nope'"):
        coded.apply_code("aneby.txt", 1, "nope", coder="anna")
    with pytest.raises(QcodeError, match="no transcript named 'x.txt'"):
        coded.apply_code("x.txt", 1, "hi_ensam", coder="anna")


def test_csv_import_reports_every_bad_row_and_imports_nothing(coded, tmp_path):
    path = tmp_path / "codings.csv"
    path.write_text("transcript,segment,code,coder,memo\n"
                    "aneby.txt,6,hi_ensam,anna,\n"
                    "nowhere.txt,1,hi_ensam,anna,\n"
                    "aneby.txt,42,hi_ensam,anna,\n"
                    "aneby.txt,2,ghost,anna,\n"
                    "eksjo.txt,x,ff_chef,bo,\n", encoding="utf-8")
    with pytest.raises(CodingsProblem) as info:
        coded.import_codings(path)
    assert info.value.problems == [
        "line 3: unknown transcript 'nowhere.txt'",
        "line 4: transcript 'aneby.txt' has no segment 42",
        "line 5: unknown code 'ghost'",
        "line 6: segment 'x' is not a whole number",
    ]
    assert str(path) in str(info.value)
    assert coded.store.codings_count() == 0


def test_csv_round_trip(coded, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("transcript,segment,code,coder,memo\n"
                    "eksjo.txt,8,ff_natverk,bo,\"nätverk, tydligt\"\n"
                    "aneby.txt,6,hi_ensam,anna,\n"
                    "aneby.txt,6,hi_ensam,bo,\n"
                    "aneby.txt,6,hi_ensam,bo,\n", encoding="utf-8")
    assert coded.import_codings(path) == {"rows": 4, "added": 3}
    out = io.StringIO()
    assert coded.export_codings(out) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["transcript", "segment", "code", "coder", "memo", "start", "end"],
                    ["aneby.txt", "6", "hi_ensam", "anna", "", "", ""],
                    ["aneby.txt", "6", "hi_ensam", "bo", "", "", ""],
                    ["eksjo.txt", "8", "ff_natverk", "bo", "nätverk, tydligt", "", ""]]
    assert set(coded.store.coders()) == {"anna", "bo"}


def test_done_markers(coded):
    assert coded.mark_done("anna", ["aneby.txt"]) == 1
    assert coded.mark_done("anna", ["aneby.txt"]) == 0
    assert {t["name"]: t["done_by"] for t in coded.transcripts()} == {"aneby.txt": ["anna"], "eksjo.txt": []}
    assert coded.mark_done("bo") == 2
    assert coded.mark_done("anna", ["aneby.txt"], done=False) == 1
    assert {t["name"]: t["done_by"] for t in coded.transcripts()} == {"aneby.txt": ["bo"], "eksjo.txt": ["bo"]}
    with pytest.raises(QcodeError, match="no transcript named 'zz'"):
        coded.mark_done("anna", ["zz"])


def test_csv_export_neutralises_formulas_and_reimports_them_unchanged(coded, tmp_path):
    coded.apply_code("aneby.txt", 6, "hi_ensam", coder="anna", memo="=HYPERLINK(\"http://x\",\"klicka\")")
    coded.apply_code("aneby.txt", 7, "hi_ensam", coder="anna", memo="-inte säker")
    out = tmp_path / "out.csv"
    coded.export_codings(out)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[1][4] == "'=HYPERLINK(\"http://x\",\"klicka\")" and rows[2][4] == "'-inte säker"
    before = coded.codings()
    coded.store.conn.execute("DELETE FROM codings")
    coded.import_codings(out)
    assert coded.codings() == before


def test_delete_transcript_removes_its_codings_keeps_totals_right_and_is_audited(tmp_path):
    from coding import Project
    from coding.store import aggregates

    with Project.demo(tmp_path / "demo.qcode") as p:
        before = p.counts()
        gone = p.delete_transcript("aneby_chef.txt", actor="anna")
        after = p.counts()
        assert gone["name"] == "aneby_chef.txt" and gone["codings"] > 0 and gone["coders"] == ["anna", "erik"]
        assert after["transcripts"] == before["transcripts"] - 1
        assert after["codings"] == before["codings"] - gone["codings"]
        assert after["segments"] == before["segments"] - gone["segments"]
        assert not [c for c in p.codings() if c["transcript"] == "aneby_chef.txt"]
        totals = sorted(p.store.conn.execute("SELECT * FROM attr_counts").fetchall())
        with p.store.transaction():
            aggregates.rebuild(p.store.conn)
        assert sorted(p.store.conn.execute("SELECT * FROM attr_counts").fetchall()) == totals
        entry = p.audit_log(limit=1)[0]
        assert (entry["action"], entry["actor"], entry["target"]) == ("transcript.delete", "anna", "aneby_chef.txt")
        with pytest.raises(QcodeError, match="no transcript named"):
            p.delete_transcript("aneby_chef.txt")


HOSTILE_MEMOS = ["rad ett\r=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\")", "'=redan skyddad", "'vanlig apostrof",
                 "-5 poäng", "@summa", "\"citat\", med komma\r\noch radbrytning", "\tflik", "+46 70 123 45 67"]


def test_codings_csv_round_trips_hostile_memos_and_no_cell_starts_a_formula(coded, tmp_path):
    for i, memo in enumerate(HOSTILE_MEMOS, start=1):
        coded.apply_code("aneby.txt", i, "hi_ensam", coder="anna", memo=memo)
    out = tmp_path / "codings.csv"
    assert coded.export_codings(out) == len(HOSTILE_MEMOS)
    raw = out.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))  # what an RFC 4180 reader (a spreadsheet) sees
    assert len(rows) == 1 + len(HOSTILE_MEMOS)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert raw.count("\r\n") == len(rows)  # standard line ends; a line break inside a memo stays in its cell
    coded.store.conn.execute("DELETE FROM codings")
    coded.import_codings(out)
    from coding.textclean import remove_controls

    # memos keep their text; line breaks of any kind were stored as LF when they came in
    assert sorted(c["memo"] for c in coded.codings()) == sorted(remove_controls(m) for m in HOSTILE_MEMOS)


def test_an_unclosed_quote_in_a_codings_csv_is_an_error_naming_the_line(coded, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text('transcript,segment,code,coder,memo\naneby.txt,1,hi_ensam,anna,"ok"\n'
                   'aneby.txt,2,hi_ensam,anna,"oavslutat citat\naneby.txt,3,hi_ensam,anna,\n', encoding="utf-8")
    with pytest.raises(CodingsProblem, match=r"bad.csv:3: broken CSV: a quoted cell is never closed"):
        coded.import_codings(bad)
    assert coded.codings() == []


@pytest.mark.parametrize("coder, reason", [("consensus", "reserved"), ("<b>x</b>", "not allowed"),
                                           ("anna\nerik", "not allowed"), ("a\x00b", "not allowed"),
                                           ("", "no coder")])
def test_codings_import_refuses_coder_names_that_are_reserved_or_hostile(coded, tmp_path, coder, reason):
    path = tmp_path / "c.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["transcript", "segment", "code", "coder"], ["aneby.txt", "1", "hi_ensam", coder]])
    with pytest.raises(CodingsProblem, match=reason):
        coded.import_codings(path)
    assert coded.codings() == []
