"""Spans on the coding page (AppTest on the real app and a real project file): a text selection sent by the
list becomes a span with exact offsets in SQLite, highlights reach the list, a clicked highlight opens in
the side panel (remove, change code, memo), U and Shift+U undo and redo, blind coding hides another
coder's highlights. The browser side (the drag itself) is tests/test_e2e_spans.py."""

from __future__ import annotations

import sqlite3

from coding import Project
from coding.settings import set_blind_coding
from app_helpers import chips, list_data, list_rows, open_app, run, trigger

T = "aneby_se-coach.txt"


def span_rows(path, coder="anna"):
    con = sqlite3.connect(path)
    try:
        return con.execute('SELECT t.name, s.start, s."end", s.code_id, s.coder, s.memo FROM spans s '
                           "JOIN transcripts t ON t.id = s.transcript_id WHERE s.coder = ? ORDER BY s.id",
                           (coder,)).fetchall()
    finally:
        con.close()


def audit(path):
    with Project.open(path) as p:
        return [e["action"] for e in p.store.audit_log()]


def text_of(path, name=T):
    with Project.open(path) as p:
        return p.transcript_text(name), p.segments(name)


def select(at, start, end):
    return trigger(at, "qc_list", "select", {"start": start, "end": end, "n": 1})


def finder_apply(at, query, code):
    at.text_input(key="qc_code_q").input(query)
    at = run(at)
    at.button(key=f"qc_match_{code}").click()
    return run(at)


def test_a_text_selection_across_two_segments_is_coded_with_its_exact_offsets(app_project):
    text, segs = text_of(app_project)
    start = text.index("pengar från")
    end = text.index("det var tungt") + len("det var")  # two segments later, across a turn's sentences
    at = select(open_app(), start, end)
    assert list_data(at)["pending"] == [start, end]
    # the pending selection is the target: the finder's buttons are enabled with no segment selected
    at.text_input(key="qc_code_q").input("pengar")
    at = run(at)
    assert not at.button(key="qc_match_ff_pengar").disabled
    at.button(key="qc_match_ff_pengar").click()
    at = run(at)
    assert span_rows(app_project) == [(T, start, end, "ff_pengar", "anna", None)]
    assert audit(app_project)[0] == "span.add"
    data = list_data(at)
    assert data["pending"] is None
    assert [s[:4] for s in data["spans"]] == [[start, end, "ff_pengar", "anna"]]
    assert data["current"] == [start, end, "ff_pengar", "anna"]  # opened in the side panel
    # the highlight covers exactly the selected characters of each segment it touches
    covered = "".join(p[0] for r in list_rows(at) for p in r.get("pieces", []) if p[1])
    assert covered == "".join(text[max(s.start, start):min(s.end, end)] for s in segs
                              if s.start < end and s.end > start)
    # no whole segment was coded: no chip; the segments it touches count for statistics all the same
    assert not any(r["codes"] for r in list_rows(at))
    with Project.open(app_project) as p:
        touched = {s.position for s in segs if s.start < end and s.end > start}
        coded = {s.position for s in segs if s.id in p.segment_codes(p.transcript_id(T), "anna")}
    assert coded == touched and len(touched) >= 2


def test_keys_1_to_9_code_the_selected_text_and_a_whole_segment_becomes_its_chip(app_project):
    text, segs = text_of(app_project)
    at = open_app()
    seg = segs[3]
    at = finder_apply(select(at, seg.start, seg.end), "tid", "hi_tid")  # exactly one segment
    assert span_rows(app_project) == []  # stored as the segment's ordinary coding
    assert chips(at, seg.position) == ["hi_tid"]
    # highlighted too, flagged as a whole segment (a click on it selects the segment; the chip removes it)
    [drawn] = list_data(at)["spans"]
    assert drawn[:5] + drawn[6:] == [seg.start, seg.end, "hi_tid", "anna", "Brist på tid", 1, 1]
    assert drawn[5] == [c[2] for c in list_rows(at)[seg.position - 1]["codes"]][0]  # the chip's colour
    part = text.index("ganska ensam")
    at = select(at, part, part + len("ganska ensam"))
    at.button(key="qc_recent_hi_tid").click()  # the button behind key 1
    at = run(at)
    assert span_rows(app_project) == [(T, part, part + 12, "hi_tid", "anna", None)]


def test_bad_selections_change_nothing(app_project):
    text, _ = text_of(app_project)
    at = open_app()
    for bad in ({"start": 5, "end": 5}, {"start": -1, "end": 4}, {"start": 0, "end": len(text) + 50},
                {"start": "3", "end": "9"}, {"start": 9, "end": 3}):
        at = trigger(at, "qc_list", "select", {**bad, "n": 1})
        assert list_data(at)["pending"] is None
    # white space only: the library refuses it with a message, nothing is written
    gap = text.index("\n")
    at = select(at, gap, gap + 1)
    at.text_input(key="qc_code_q").input("tid")
    at = run(at)
    at.button(key="qc_match_hi_tid").click()
    at = run(at)
    assert span_rows(app_project) == [] and "span.add" not in audit(app_project)
    assert any("white space" in e.value for e in at.error)
    # Esc (the list's clear event) drops a selection
    at = select(at, 0, 10)
    at = trigger(at, "qc_list", "clear", {"n": 1})
    assert list_data(at)["pending"] is None


def test_remove_change_memo_undo_and_redo_of_a_span(app_project):
    text, _ = text_of(app_project)
    a = text.index("ganska ensam")
    b = a + len("ganska ensam")
    at = finder_apply(select(open_app(), a, b), "ensam", "hi_ensam")
    assert span_rows(app_project) == [(T, a, b, "hi_ensam", "anna", None)]
    # the panel: memo on the span
    memo = [w for w in at.text_area if w.key and w.key.startswith("qc_span_memo_")]
    assert len(memo) == 1
    memo[0].input("Ensam <b>i</b> rollen")
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_ensam", "anna", "Ensam <b>i</b> rollen")]
    assert audit(app_project)[0] == "span.memo"
    # emptied, then brought back by U
    [w for w in at.text_area if w.key and w.key.startswith("qc_span_memo_")][0].input("")
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_ensam", "anna", None)]
    at.button(key="qc_undo").click()
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_ensam", "anna", "Ensam <b>i</b> rollen")]
    assert [w.value for w in at.text_area if w.key and w.key.startswith("qc_span_memo_")] == ["Ensam <b>i</b> rollen"]
    # change the code: one step, the memo goes along
    change = [w for w in at.selectbox if w.key and w.key.startswith("qc_span_change_")][0]
    change.select("hi_tid")
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_tid", "anna", "Ensam <b>i</b> rollen")]
    assert audit(app_project)[0] == "span.change"
    at.button(key="qc_undo").click()
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_ensam", "anna", "Ensam <b>i</b> rollen")]
    at.button(key="qc_redo").click()
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_tid", "anna", "Ensam <b>i</b> rollen")]
    # click the highlight (the list's span event), then ✕ remove
    at = trigger(at, "qc_list", "span", {"start": a, "end": b, "code": "hi_tid", "coder": "anna", "n": 2})
    assert list_data(at)["current"] == [a, b, "hi_tid", "anna"]
    at.button(key="qc_span_rm").click()
    at = run(at)
    assert span_rows(app_project) == []
    assert audit(app_project)[0] == "span.remove"
    assert list_data(at)["spans"] == []
    at.button(key="qc_undo").click()
    at = run(at)
    assert span_rows(app_project) == [(T, a, b, "hi_tid", "anna", "Ensam <b>i</b> rollen")]
    assert [s[:4] for s in list_data(at)["spans"]] == [[a, b, "hi_tid", "anna"]]
    at.button(key="qc_redo").click()
    at = run(at)
    assert span_rows(app_project) == []


def test_blind_coding_hides_another_coders_highlights(app_project):
    text, _ = text_of(app_project)
    a = text.index("andra coacher")
    with Project.open(app_project) as p:
        p.code_span(T, a, a + 13, "ff_natverk", coder="bertil", memo="Bertils memo")
    at = open_app("anna")
    assert list_data(at)["spans"] == []
    # a forged click on the hidden span opens nothing
    at = trigger(at, "qc_list", "span", {"start": a, "end": a + 13, "code": "ff_natverk", "coder": "bertil",
                                         "n": 1})
    assert list_data(at)["current"] is None
    assert "Bertils memo" not in [x.value for x in at.text]
    with Project.open(app_project) as p:
        set_blind_coding(p.store, False, actor="anna")
    at = open_app("anna")
    spans = list_data(at)["spans"]
    assert [s[:4] for s in spans] == [[a, a + 13, "ff_natverk", "bertil"]] and spans[0][6] == 0  # not mine
    # opened, it is read-only for anna: no remove, no change, the memo shown as text
    at = trigger(at, "qc_list", "span", {"start": a, "end": a + 13, "code": "ff_natverk", "coder": "bertil",
                                         "n": 1})
    assert "Bertils memo" in [x.value for x in at.text]
    assert not [b for b in at.button if b.key == "qc_span_rm"]
    assert not [w for w in at.selectbox if w.key and w.key.startswith("qc_span_change_")]


def test_a_selection_over_segments_the_search_hides_is_refused(app_project):
    text, segs = text_of(app_project)
    at = open_app()
    at.text_input(key="qc_search").input("pengar")
    at = run(at)
    at.toggle(key="qc_only_hits").set_value(True)
    at = run(at)
    shown = [r["pos"] for r in list_rows(at)]
    hit = next(s for s in segs if s.position == shown[0])
    after = next(s for s in segs if s.position == hit.position + 1)
    assert after.position not in shown
    at = select(at, hit.start + 3, after.end)  # as a drag from the hit to past it would give
    assert list_data(at)["pending"] is None
    assert any("sökfiltret" in w.value for w in at.warning)
    at = select(at, hit.start + 3, hit.end)
    assert list_data(at)["pending"] == [hit.start + 3, hit.end]


def test_moving_to_a_segment_makes_the_segments_the_target_again(app_project):
    text, segs = text_of(app_project)
    at = select(open_app(), segs[1].start + 2, segs[1].end)
    assert list_data(at)["pending"] is not None
    at.button(key="qc_next").click()  # J
    at = run(at)
    assert list_data(at)["pending"] is None and list_data(at)["selected"]
    at = finder_apply(at, "tid", "hi_tid")
    assert span_rows(app_project) == []  # a segment coding, not a span
    with Project.open(app_project) as p:
        assert [c["code"] for c in p.codings(coder="anna")] == ["hi_tid"]
