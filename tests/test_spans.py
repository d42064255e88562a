"""Spans: codings of any stretch of text, and the segment codings derived from them (issue 12, part 1)."""

from __future__ import annotations

import csv
import io

import pytest

from coding.errors import QcodeError
from coding.matrix import build_matrix
from coding.project import Project
from coding.roles import NotAllowed
from tests.conftest import write_interview


@pytest.fixture
def study(project, small_codebook, tmp_path) -> Project:
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt"), write_interview(tmp_path / "eksjo.txt", "Eksjö")])
    return project


def segment_codes(p: Project, transcript: str, coder: str) -> dict[int, list[str]]:
    """position -> codes, as every segment-level view reads them."""
    by_id = {s.id: s.position for s in p.segments(transcript)}
    return {by_id[sid]: codes for sid, codes in p.segment_codes(p.transcript_id(transcript), coder).items()}


def across_turns(p: Project, transcript: str = "aneby.txt", first: int = 3, *, into: float = 0.25):
    """A span from the middle of segment ``first`` into the next turn, covering ``into`` of its characters."""
    a, b = p.segments(transcript)[first - 1], p.segments(transcript)[first]
    start = (a.start + a.end) // 2
    return start, b.start + max(1, int((b.end - b.start) * into))


def test_a_span_across_a_speaker_turn_counts_for_both_segments(study):
    text = study.transcript_text("aneby.txt")
    start, end = across_turns(study)
    a, b = study.segments("aneby.txt")[2:4]
    assert a.speaker != b.speaker  # the span really crosses a turn
    span = study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")
    assert (span.start, span.end, span.segment) == (start, end, None)
    assert span.text(text) == text[start:end]
    row = study.store.conn.execute('SELECT transcript_id, start, "end", code_id, coder FROM spans').fetchall()
    assert row == [(study.transcript_id("aneby.txt"), start, end, "hi_ensam", "anna")]
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["hi_ensam"], 4: ["hi_ensam"]}
    table = build_matrix(study.store, "transcript", "count", coders=["anna"]).table
    assert table.loc["aneby.txt", "hi_ensam"] == 2


def test_the_overlap_rule_decides_which_segments_a_span_counts_for(study):
    start, end = across_turns(study, into=0.25)  # half of segment 3, a quarter of segment 4
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")
    shares = dict(study.store.conn.execute("SELECT s.position, c.share FROM codings c JOIN segments s "
                                           "ON s.id = c.segment_id WHERE c.coder = 'anna'").fetchall())
    a, b = study.segments("aneby.txt")[2:4]
    text = study.transcript_text("aneby.txt")

    def share(seg, lo, hi):
        covered = sum(1 for ch in text[max(lo, seg.start):min(hi, seg.end)] if not ch.isspace())
        return covered / sum(1 for ch in text[seg.start:seg.end] if not ch.isspace())
    assert shares == pytest.approx({3: share(a, start, end), 4: share(b, start, end)})
    assert 0.4 < shares[3] < 0.6 and shares[4] < 0.4
    study.set_min_overlap(0.4)
    assert study.min_overlap() == 0.4
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["hi_ensam"]}
    assert build_matrix(study.store, "transcript", "count", coders=["anna"]).table.loc["aneby.txt", "hi_ensam"] == 1
    study.set_min_overlap(0)
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["hi_ensam"], 4: ["hi_ensam"]}
    with pytest.raises(QcodeError, match="between 0 and 1"):
        study.set_min_overlap(1.5)


def test_a_whole_segment_span_is_the_segment_coding(study):
    seg = study.segments("aneby.txt")[3]
    span = study.code_span("aneby.txt", seg.start, seg.end, "ff_chef", coder="anna")
    assert span.segment == 4 and study.store.spans_count() == 0
    assert study.codings(coder="anna") == [{"transcript": "aneby.txt", "segment": 4, "code": "ff_chef",
                                            "coder": "anna", "memo": None}]
    assert study.remove_span("aneby.txt", seg.start, seg.end, "ff_chef", coder="anna") is True
    assert study.codings(coder="anna") == []


def test_coding_a_segment_a_span_counts_for_and_undoing_it(study):
    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")
    study.apply_code("aneby.txt", 4, "hi_ensam", coder="anna")  # now coded as a whole
    assert study.store.conn.execute("SELECT share FROM codings c JOIN segments s ON s.id = c.segment_id "
                                    "WHERE s.position = 4 AND c.coder = 'anna'").fetchone() == (None,)
    assert study.undo("anna").action == "coding.apply"
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["hi_ensam"], 4: ["hi_ensam"]}  # the span still counts
    study.remove_code("aneby.txt", 4, "hi_ensam", coder="anna")  # a derived coding is not removed this way
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["hi_ensam"], 4: ["hi_ensam"]}


def test_spans_are_undone_redone_and_audited(study):
    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna", memo="  gränsfall\x00 ")
    assert [s.memo for s in study.spans(coder="anna")] == ["gränsfall"]
    assert study.remove_span("aneby.txt", start, end, "hi_ensam", coder="anna") is True
    assert study.spans(coder="anna") == [] and segment_codes(study, "aneby.txt", "anna") == {}
    undone = study.undo("anna")
    assert undone.describe() == "Undid removing a span from aneby.txt #3, 4 with hi_ensam"
    assert [(s.start, s.end, s.memo) for s in study.spans(coder="anna")] == [(start, end, "gränsfall")]
    assert study.undo("anna").describe() == "Undid coding a span of aneby.txt #3, 4 with hi_ensam"
    assert study.spans(coder="anna") == []
    assert study.redo("anna").describe() == "Redid coding a span of aneby.txt #3, 4 with hi_ensam"
    assert len(study.spans(coder="anna")) == 1
    actions = [e["action"] for e in study.audit_log(actor="anna", actions=["span.add", "span.remove"])]
    assert actions == ["span.add", "span.remove", "span.add"]
    again = study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")  # the same span: no new step
    assert again.memo == "gränsfall" and len(study.audit_log(actor="anna", actions=["span.add"])) == 2


@pytest.mark.parametrize("start, end, code, problem", [
    (5, 5, "hi_ensam", "start must be below end"),
    (-1, 4, "hi_ensam", "lies outside"),
    (0, 10**6, "hi_ensam", "lies outside"),
    ("a", 4, "hi_ensam", "whole numbers"),
    (0, 4, "nej", "no code with id"),
])
def test_a_bad_span_is_refused_and_changes_nothing(study, start, end, code, problem):
    before = study.store.counts()
    with pytest.raises(QcodeError, match=problem):
        study.code_span("aneby.txt", start, end, code, coder="anna")
    assert study.store.counts() == before


def test_white_space_alone_is_not_a_span(study):
    text = study.transcript_text("aneby.txt")
    at = text.index("\n")
    with pytest.raises(QcodeError, match="only white space"):
        study.code_span("aneby.txt", at, at + 1, "hi_ensam", coder="anna")


def test_viewers_may_not_code_spans_and_blind_coding_hides_others_spans(study):
    study.add_coder("sara", owner=True)
    study.add_coder("vera")
    study.set_role("vera", "viewer", actor="sara")
    with pytest.raises(NotAllowed):
        study.code_span("aneby.txt", 0, 5, "hi_ensam", coder="vera")
    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")
    study.code_span("aneby.txt", start + 1, end, "ff_chef", coder="erik")
    assert [s.coder for s in study.spans("aneby.txt", viewer="anna")] == ["anna"]
    study.mark_done("anna")
    study.mark_done("erik")
    assert [s.coder for s in study.spans("aneby.txt", viewer="anna")] == ["anna", "erik"]


def test_merging_codes_moves_spans_and_their_segments(study):
    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna")
    study.code_span("aneby.txt", start, end, "ff_chef", coder="anna")
    study.merge_codes("hi_ensam", "ff_chef")
    assert [(s.start, s.end, s.code) for s in study.spans(coder="anna")] == [(start, end, "ff_chef")]
    assert segment_codes(study, "aneby.txt", "anna") == {3: ["ff_chef"], 4: ["ff_chef"]}


def test_codings_csv_carries_spans_and_old_files_still_import(study, tmp_path):
    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna", memo="=SUM(A1)")
    study.apply_code("eksjo.txt", 2, "ff_chef", coder="erik")
    out = tmp_path / "codings.csv"
    study.export_codings(out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["transcript"], r["segment"], r["code"], r["start"], r["end"]) for r in rows] == [
        ("aneby.txt", "3", "hi_ensam", str(start), str(end)), ("eksjo.txt", "2", "ff_chef", "", "")]
    assert rows[0]["memo"].startswith("'")  # neutralised
    # into an empty copy of the project: the same spans come back
    fresh = tmp_path / "fresh.qcode"
    study.backup(fresh)
    with Project.open(fresh) as copy:
        copy.store.conn.execute("DELETE FROM spans")
        copy.store.conn.execute("DELETE FROM codings")
        assert copy.import_codings(out) == {"rows": 2, "added": 2}
        assert [(s.transcript, s.start, s.end, s.code, s.memo) for s in copy.spans()] == \
            [(s.transcript, s.start, s.end, s.code, s.memo) for s in study.spans()]
        assert segment_codes(copy, "aneby.txt", "anna") == {3: ["hi_ensam"], 4: ["hi_ensam"]}
    old = tmp_path / "old.csv"
    old.write_text("transcript,segment,code,coder\naneby.txt,5,ff_chef,bo\n", encoding="utf-8")
    assert study.import_codings(old) == {"rows": 1, "added": 1}
    bad = tmp_path / "bad.csv"
    bad.write_text(f"transcript,segment,code,coder,start,end\naneby.txt,,ff_chef,bo,0,{10**7}\n", encoding="utf-8")
    before = study.store.counts()
    with pytest.raises(QcodeError, match="line 2: span 0–10000000 lies outside"):
        study.import_codings(bad)
    assert study.store.counts() == before


def test_pseudonymising_keeps_spans_on_their_words(study, tmp_path):
    from coding import pseudonymise

    path = tmp_path / "lena.txt"
    path.write_text("Intervjuare: Vem hjälpte dig?\nSE-coach: Det var Lena Berg på arbetsförmedlingen, "
                    "ring henne på 070-123 45 67 om nätverket.\n", encoding="utf-8")
    study.import_files([path])
    text = study.transcript_text("lena.txt")
    at = text.index("nätverket")
    study.code_span("lena.txt", at, at + len("nätverket"), "ff_natverk", coder="anna")
    name_at = text.index("Lena")
    study.code_span("lena.txt", name_at, text.index("arbetsförmedlingen") + 5, "ff_chef", coder="anna")
    plan = pseudonymise.propose(study.store, "lena.txt", names=["Lena Berg"])
    assert plan.findings
    pseudonymise.apply(study.store, plan, key_file=tmp_path / "key.json")
    new_text = study.transcript_text("lena.txt")
    assert "Lena" not in new_text
    by_code = {s.code: s.text(new_text) for s in study.spans("lena.txt", coder="anna")}
    assert by_code["ff_natverk"] == "nätverket"
    assert by_code["ff_chef"].startswith("[Person") and by_code["ff_chef"].endswith("arbet")


def test_a_qdpx_export_holds_each_span_as_its_own_selection(study, tmp_path):
    import zipfile

    from lxml import etree

    start, end = across_turns(study)
    study.code_span("aneby.txt", start, end, "hi_ensam", coder="anna", memo="Gränsfall")
    study.code_span("aneby.txt", start, end, "ff_chef", coder="anna")
    study.apply_code("aneby.txt", 2, "ff_chef", coder="erik")
    out = tmp_path / "spans.qdpx"
    summary = study.export_qdpx(out)
    assert summary["codings"] == 3
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    selections = {(int(e.get("startPosition")), int(e.get("endPosition"))):
                  sorted(c.get("targetGUID") for c in e.iterfind(".//q:CodeRef", ns))
                  for e in root.iterfind(".//q:PlainTextSelection", ns)}
    seg = study.segments("aneby.txt")[1]
    from coding.refi_ids import code_guid
    assert selections == {(start, end): sorted([code_guid("hi_ensam"), code_guid("ff_chef")]),
                          (seg.start, seg.end): [code_guid("ff_chef")]}
    notes = [n.findtext("q:PlainTextContent", namespaces=ns) for n in root.iterfind(".//q:Note", ns)]
    assert notes == ["Gränsfall"]
