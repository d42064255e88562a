"""Memos as objects: on the project, a transcript, a segment, a code or a coding; undoable actions,
the list with search and filters, exports (CSV, Markdown, Word) and the command line. Real project
files, real exported files read back."""

from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from click.testing import CliRunner

from coding import Project, QcodeError
from coding.cli import cli
from coding.csvsafe import unneutralise
from coding.roles import NotAllowed
from conftest import write_interview

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(1)</script>\x1b[31m **fet** # rubrik\x00"
HOSTILE_STORED = "=cmd|' /C calc'!A0 <script>alert(1)</script>[31m **fet** # rubrik"


@pytest.fixture
def study(project, small_codebook, tmp_path) -> Project:
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt"), write_interview(tmp_path / "eksjo.txt", "Eksjö")])
    project.apply_code("aneby.txt", 3, "ff_natverk", coder="anna")
    return project


def counts(p: Project) -> tuple[int, int, list]:
    """Memos, audit entries and the codings' memos: what a refused write must leave as it was."""
    c = p.store.counts()
    return c["memos"], c["audit"], [x["memo"] for x in p.codings()]


def test_a_memo_goes_on_each_kind_of_target_and_the_list_says_which(study):
    study.add_memo("Förankringen avgör överallt", coder="anna")
    study.add_memo("Chefen är ny", coder="anna", transcript="aneby.txt")
    study.add_memo("Segmentet är tvetydigt", coder="erik", transcript="aneby.txt", segment=2)
    study.add_memo("Gränsfall mot tid", coder="erik", code="hi_ensam")
    study.add_memo("Nätverket nämns i förbigående", coder="anna", transcript="aneby.txt", segment=3, code="ff_natverk")
    memos = study.memos()
    # a coding's memo is listed at its coding's time, which (made by the fixture) may be a second earlier
    assert sorted((m.kind, m.target, m.coder) for m in memos) == sorted([
        ("project", "project", "anna"), ("transcript", "aneby.txt", "anna"), ("segment", "aneby.txt #2", "erik"),
        ("code", "hi_ensam", "erik"), ("coding", "aneby.txt #3 · ff_natverk", "anna")])
    assert [m.kind for m in memos if m.kind != "coding"] == ["project", "transcript", "segment", "code"]
    coding = next(m for m in memos if m.kind == "coding")
    assert coding.id is None and coding.ref.startswith("c")  # kept on the coding itself
    assert study.codings(coder="anna")[0]["memo"] == "Nätverket nämns i förbigående"
    assert [m.kind for m in study.memos(kind="segment")] == ["segment"]
    assert [m.kind for m in study.memos(kind=["code", "project"])] == ["project", "code"]
    assert [m.kind for m in study.memos(coder="erik")] == ["segment", "code"]
    # a transcript's memos are its own, its segments' and its codings'
    assert [m.kind for m in study.memos(transcript="aneby.txt")] == ["transcript", "segment", "coding"]
    assert study.memos(transcript="eksjo.txt") == []
    # the coding page reads the segment memo as before
    sid = study.store.segment_id(study.transcript_id("aneby.txt"), 2)
    assert study.segment_memos(study.transcript_id("aneby.txt"), "erik") == {sid: "Segmentet är tvetydigt"}


def test_search_ignores_case_and_accents_and_needs_every_word(study):
    study.add_memo("Förankring i LEDNINGEN saknas", coder="anna")
    study.add_memo("Ledningen stöder", coder="anna", transcript="aneby.txt")
    study.add_memo("Ensam i rollen", coder="erik", code="hi_ensam")
    assert [m.text for m in study.memos(search="forankring")] == ["Förankring i LEDNINGEN saknas"]
    assert [m.text for m in study.memos(search="ledningen")] == ["Förankring i LEDNINGEN saknas", "Ledningen stöder"]
    assert [m.text for m in study.memos(search="ledningen stod")] == ["Ledningen stöder"]
    assert study.memos(search="ledningen ensam") == []
    assert [m.text for m in study.memos(search="ENSAM", kind="code")] == ["Ensam i rollen"]


def test_write_edit_and_delete_are_undone_in_reverse_order(study):
    memo = study.add_memo("Första tanken", coder="anna", code="ff_chef")
    assert study.edit_memo(memo.id, "Andra tanken", coder="anna") is True
    assert study.edit_memo(memo.id, "  Andra tanken ", coder="anna") is False  # the same text: no step
    edited = study.memos()[0]
    assert edited.text == "Andra tanken" and edited.created_at == memo.created_at
    assert study.delete_memo(edited, coder="anna") is True
    assert study.memos() == []
    actions = [e["action"] for e in study.audit_log(actor="anna", actions=["memo.add", "memo.edit", "memo.delete"])]
    assert actions == ["memo.delete", "memo.edit", "memo.add"]

    assert study.undo("anna").describe() == "Undid deleting a memo (code ff_chef)"
    assert study.memos() == [edited]  # back with its id and times
    assert study.undo("anna").describe() == "Undid editing a memo (code ff_chef)"
    assert study.memos()[0].text == "Första tanken" and study.memos()[0].updated_at == memo.updated_at
    assert study.undo("anna").describe() == "Undid writing a memo (code ff_chef)"
    assert study.memos() == []
    assert study.undo("anna").action == "coding.apply"  # then the coding made before


def test_undo_names_where_a_memo_was(study):
    study.add_memo("x", coder="sara")
    study.add_memo("y", coder="sara", transcript="eksjo.txt")
    study.add_memo("z", coder="sara", transcript="eksjo.txt", segment=4)
    assert [study.undo("sara").describe() for _ in range(3)] == [
        "Undid writing a memo (eksjo.txt #4)", "Undid writing a memo (eksjo.txt)", "Undid writing a memo (project)"]
    assert study.undo("sara") is None


def test_a_codings_memo_is_set_edited_cleared_and_undone(study):
    memo = study.add_memo("Tydligt", coder="anna", transcript="aneby.txt", segment=3, code="ff_natverk")
    assert study.edit_memo(memo, "Tydligt exempel", coder="anna")
    assert study.codings(coder="anna")[0]["memo"] == "Tydligt exempel"
    assert study.delete_memo(study.memos(kind="coding")[0], coder="anna")
    assert study.codings(coder="anna")[0]["memo"] is None and study.memos() == []
    assert study.undo("anna").action == "coding.memo"
    assert study.codings(coder="anna")[0]["memo"] == "Tydligt exempel"
    # a memo given with `qcode code --memo` is a coding's memo too
    study.apply_code("eksjo.txt", 2, "hi_ensam", coder="erik", memo="Från kommandoraden")
    assert [(m.kind, m.coder, m.text) for m in study.memos(coder="erik")] == [("coding", "erik", "Från kommandoraden")]
    with pytest.raises(NotAllowed, match="erik's"):
        study.delete_memo(study.memos(coder="erik")[0], coder="anna")


def test_coders_change_only_their_own_memos_and_viewers_write_none(study):
    memo = study.add_memo("Annas", coder="anna")
    before = counts(study)
    with pytest.raises(NotAllowed, match="anna's"):
        study.edit_memo(memo.id, "Eriks version", coder="erik")
    with pytest.raises(NotAllowed, match="anna's"):
        study.delete_memo(memo.id, coder="erik")
    study.add_coder("sara", owner=True)
    study.add_coder("vera")
    study.set_role("vera", "viewer", actor="sara")
    before = counts(study)
    with pytest.raises(NotAllowed, match="viewer"):
        study.add_memo("Läsarens", coder="vera")
    assert counts(study) == before and study.memos()[0].text == "Annas"


@pytest.mark.parametrize("kwargs, problem", [
    ({"transcript": "okand.txt"}, "no transcript named 'okand.txt'"),
    ({"segment": 2}, "needs its transcript"),
    ({"transcript": "aneby.txt", "segment": 99}, "has no segment 99"),
    ({"code": "finns_inte"}, "no code with id 'finns_inte'"),
    ({"transcript": "aneby.txt", "code": "ff_chef"}, "one thing"),
    ({"transcript": "aneby.txt", "segment": 2, "code": "ff_chef"}, "has not applied ff_chef"),
])
def test_a_memo_on_nothing_real_is_refused_and_changes_nothing(study, kwargs, problem):
    before = counts(study)
    with pytest.raises(QcodeError, match=problem):
        study.add_memo("Text", coder="anna", **kwargs)
    assert counts(study) == before


@pytest.mark.parametrize("text, problem", [("", "needs some text"), (" \x00\t\n ", "needs some text"),
                                           ("x" * 100_001, "at most 100,000 characters")])
def test_empty_or_huge_text_is_refused(study, text, problem):
    before = counts(study)
    with pytest.raises(QcodeError, match=problem):
        study.add_memo(text, coder="anna")
    memo = study.add_memo("kort", coder="anna")
    with pytest.raises(QcodeError, match=problem):
        study.edit_memo(memo.id, text, coder="anna")
    assert study.memos()[0].text == "kort" and counts(study)[2] == before[2]


def test_one_memo_per_coder_and_segment_like_the_coding_page(study):
    sid = study.store.segment_id(study.transcript_id("aneby.txt"), 2)
    study.set_segment_memo(sid, "anna", "Från kodningssidan")
    with pytest.raises(QcodeError, match="has a memo on aneby.txt#2 already"):
        study.add_memo("Ett till", coder="anna", transcript="aneby.txt", segment=2)
    memo = study.memos(kind="segment")[0]
    study.set_segment_memo(sid, "anna", "Ändrad på kodningssidan")  # the same memo, edited in place
    assert [(m.id, m.text) for m in study.memos(kind="segment")] == [(memo.id, "Ändrad på kodningssidan")]
    study.add_memo("Eriks eget", coder="erik", transcript="aneby.txt", segment=2)  # another coder: fine
    assert len(study.memos(kind="segment")) == 2


def test_control_characters_are_removed_and_markup_is_kept_as_text(study):
    memo = study.add_memo(HOSTILE, coder="anna")
    assert memo.text == HOSTILE_STORED


def test_blind_coding_hides_other_coders_segment_and_coding_memos_until_both_are_done(study):
    study.apply_code("aneby.txt", 2, "ff_chef", coder="erik", memo="Eriks kodningsmemo")
    study.add_memo("Eriks segmentmemo", coder="erik", transcript="aneby.txt", segment=4)
    study.add_memo("Eriks transkriptmemo", coder="erik", transcript="aneby.txt")
    assert study.blind_coding()
    seen = [m.text for m in study.memos(viewer="anna")]
    assert seen == ["Eriks transkriptmemo"]
    study.mark_done("anna", ["aneby.txt"])
    study.mark_done("erik", ["aneby.txt"])
    assert len(study.memos(viewer="anna")) == 3
    assert len(study.memos()) == 3  # the command line and Python (the local owner) see all


def test_a_deleted_transcript_takes_its_memos_and_a_later_undo_is_no_error(study):
    memo = study.add_memo("Om Eksjö", coder="anna", transcript="eksjo.txt")
    study.delete_memo(memo.id, coder="anna")
    study.delete_transcript("eksjo.txt")
    assert study.undo("anna").action == "memo.delete"  # nothing to put back: its transcript is gone
    assert study.memos() == []
    study.add_memo("Om Aneby", coder="anna", transcript="aneby.txt")
    study.delete_transcript("aneby.txt")
    assert study.memos() == []


def test_a_code_with_memos_is_kept_by_a_codebook_replace_and_moved_by_a_merge(study, tmp_path):
    study.add_memo("Om chefen", coder="anna", code="ff_chef")
    book = tmp_path / "smaller.yaml"
    book.write_text("codes:\n  - id: ff\n    label_sv: Framgång\n    children:\n"
                    "      - id: ff_natverk\n        label_sv: Nätverk\n", encoding="utf-8")
    result = study.load_codebook(book, replace=True)
    assert (result["deactivated"], result["removed"]) == (1, 2)  # ff_chef has a memo; hi and hi_ensam go
    assert "ff_chef" in study.store.code_ids() and "hi_ensam" not in study.store.code_ids()
    study.merge_codes("ff_chef", "ff_natverk")
    assert [m.code for m in study.memos()] == ["ff_natverk"]


def test_the_store_refuses_a_memo_whose_transcript_is_not_its_segments(study):
    aneby, eksjo = study.transcript_id("aneby.txt"), study.transcript_id("eksjo.txt")
    sid = study.store.segment_id(aneby, 1)
    with pytest.raises(sqlite3.IntegrityError, match="a memo belongs to"):
        study.store.add_memo(coder="anna", text="fel", transcript_id=eksjo, segment_id=sid)
    with pytest.raises(sqlite3.IntegrityError, match="a memo belongs to"):
        study.store.add_memo(coder="anna", text="fel", transcript_id=aneby, code_id="ff_chef")
    memo = study.add_memo("rätt", coder="anna", transcript="aneby.txt", segment=1)
    with pytest.raises(sqlite3.IntegrityError, match="a memo belongs to"):
        study.store.conn.execute("UPDATE memos SET transcript_id = ? WHERE id = ?", (eksjo, memo.id))
    study.store.conn.execute("UPDATE memos SET text = 'ändrad' WHERE id = ?", (memo.id,))  # text: no check
    assert study.memos()[0].text == "ändrad"


# ----------------------------------------------------------------- exports

@pytest.fixture
def memo_study(study):
    study.add_memo(HOSTILE, coder="anna")
    study.add_memo("Rad ett\nRad två\n\nNytt stycke", coder="anna", transcript="aneby.txt")
    study.add_memo("+46 70 123 45 67", coder="erik", code="ff_chef")
    study.add_memo("@kommunen -2 %", coder="anna", transcript="aneby.txt", segment=3, code="ff_natverk")
    return study


def test_csv_export_round_trips_and_no_cell_is_a_formula(memo_study, tmp_path):
    out = tmp_path / "memon.csv"
    assert memo_study.export_memos(out) == 4
    raw = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [unneutralise(r["text"]) for r in rows] == [m.text for m in memo_study.memos()]
    # a coding's memo is listed at its coding's time, which (made by the fixture) may be a second earlier
    assert [r["kind"] for r in rows if r["kind"] != "coding"] == ["project", "transcript", "code"]
    assert sorted(r["kind"] for r in rows) == ["code", "coding", "project", "transcript"]
    assert next(r for r in rows if r["kind"] == "code")["code_label"] == "Positiv ledning/chef"
    for row in csv.reader(io.StringIO(raw)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert "\x1b" not in raw and "\x00" not in raw


def test_markdown_export_shows_every_memo_literally(memo_study, tmp_path):
    out = tmp_path / "memon.md"
    memo_study.export_memos(out, lang="en")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Memos\\: ") and "4 memos" in text
    assert re.sub(r"\\(.)", r"\1", text.splitlines()[0]) == f"# Memos: {memo_study.name}"
    assert "<script>" not in text and "**fet**" not in text and "\n# rubrik" not in text
    plain = re.sub(r"\\(.)", r"\1", text)  # what a Markdown reader shows
    assert HOSTILE_STORED in plain
    assert "Rad ett\\\nRad två\n\nNytt stycke" in re.sub(r"\\([^\n])", r"\1", text)  # a line break, a paragraph
    assert "Code: Supportive management (ff_chef) — erik" in plain


def test_word_export_is_a4_with_every_memo(memo_study, tmp_path):
    import docx

    out = tmp_path / "memon.docx"
    memo_study.export_memos(out, kind=["project", "code"])
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == f"Memon: {memo_study.name}" and paragraphs[1] == "2 memon"
    assert HOSTILE_STORED in paragraphs and "+46 70 123 45 67" in paragraphs
    assert any(p.startswith("Kod: Positiv ledning/chef (ff_chef) — erik") for p in paragraphs)


def test_an_export_to_an_unknown_format_is_refused(memo_study, tmp_path):
    with pytest.raises(QcodeError, match=r"\.csv, \.md or \.docx"):
        memo_study.export_memos(tmp_path / "memon.pdf")
    assert not (tmp_path / "memon.pdf").exists()


# ------------------------------------------------------------ command line

def qcode(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_the_memos_commands_write_list_edit_delete_and_export(study, tmp_path):
    path = study.where
    study.close()
    out = qcode("memos", "add", path, "--coder", "anna", "--text", "Förankring saknas", "--transcript", "aneby.txt")
    assert out.exit_code == 0 and out.output == "Wrote memo 1 on aneby.txt (anna)\n"
    out = qcode("memos", "add", path, "--coder", "anna", "--text", "Nätverket", "--transcript", "aneby.txt",
                "--segment", "3", "--code", "ff_natverk")
    assert out.exit_code == 0 and "the coding's memo on aneby.txt #3 · ff_natverk" in out.output
    listed = qcode("memos", "list", path, "--search", "FORANKRING", "--format", "json")
    assert '"text": "Förankring saknas"' in listed.output and "Nätverket" not in listed.output
    table = qcode("memos", "list", path, "--kind", "coding")
    assert table.exit_code == 0 and "Nätverket" in table.output and "Förankring" not in table.output
    assert qcode("memos", "edit", path, "1", "--coder", "anna", "--text", "Förankring saknades").exit_code == 0
    assert qcode("memos", "edit", path, "--coder", "anna", "--text", "Nätverket hjälpte", "--transcript",
                 "aneby.txt", "--segment", "3", "--code", "ff_natverk").exit_code == 0
    exported = qcode("memos", "export", path, "-o", tmp_path / "m.csv")
    assert exported.output == f"Wrote 2 memo(s) to {tmp_path / 'm.csv'}\n"
    again = qcode("memos", "export", path, "-o", tmp_path / "m.csv")
    assert again.exit_code == 1 and "--force" in again.output
    assert qcode("memos", "delete", path, "1", "--coder", "anna").exit_code == 0
    assert qcode("undo", path, "--coder", "anna").output == "Undid deleting a memo (aneby.txt)\n"
    with Project.open(path) as p:
        assert sorted(m.text for m in p.memos()) == ["Förankring saknades", "Nätverket hjälpte"]


@pytest.mark.parametrize("args, problem", [
    (["memos", "add", "{p}", "--coder", "anna", "--text", "x", "--transcript", "nej.txt"], "no transcript named"),
    (["memos", "add", "{p}", "--coder", "anna", "--text", " "], "needs some text"),
    (["memos", "edit", "{p}", "7", "--coder", "anna", "--text", "x"], "no memo with id 7"),
    (["memos", "delete", "{p}", "1", "--coder", "erik"], "only they can"),
    (["memos", "delete", "{p}", "--coder", "anna"], "give the memo's id"),
    (["memos", "export", "{p}", "-o", "{tmp}/m.pdf"], ".csv, .md or .docx"),
    (["memos", "list", "{p}", "--transcript", "nej.txt"], "no transcript named"),
])
def test_bad_memo_commands_say_why_and_change_nothing(study, tmp_path, args, problem):
    study.add_memo("Annas memo", coder="anna")
    before = counts(study)
    path = study.where
    study.close()
    out = qcode(*[a.format(p=path, tmp=tmp_path) for a in args])
    assert out.exit_code in (1, 2) and problem in out.output and "Traceback" not in out.output
    with Project.open(path) as p:
        assert counts(p) == before


def test_the_segment_memo_command_still_works_and_its_memo_is_listed(study):
    path = study.where
    study.close()
    out = qcode("memo", path, "--coder", "anna", "--transcript", "aneby.txt", "--segment", "2", "Tydligt")
    assert out.exit_code == 0
    assert "segment  aneby.txt #2" in qcode("memos", "list", path).output
    assert qcode("undo", path, "--coder", "anna").output == "Undid the memo change (aneby.txt #2)\n"
