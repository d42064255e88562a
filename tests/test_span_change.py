"""Changing a span's code (``Project.change_span_code``) and its memo (``Project.set_span_memo``): one
undoable step each on a real project file, refusals leaving the project unchanged."""

from __future__ import annotations

import pytest

from coding import Project, QcodeError

T = "aneby_chef.txt"
OLD, NEW = "impl_hi_ensam_position", "impl_ff_lang_projekttid"


@pytest.fixture
def proj(tmp_path):
    with Project.demo(tmp_path / "d.qcode") as p:
        p.add_coder("sara")
        yield p


def rows(p, coder="sara"):
    return [(s.start, s.end, s.code, s.memo) for s in p.spans(T, coder=coder)]


def test_change_is_one_step_with_the_memo_and_undo_and_redo_walk_it(proj):
    text = proj.transcript_text(T)
    a = text.index("samverkan")
    proj.code_span(T, a, a + 9, OLD, coder="sara", memo="Viktigt")
    span = proj.change_span_code(T, a, a + 9, OLD, NEW, coder="sara")
    assert (span.code, span.memo) == (NEW, "Viktigt")
    assert rows(proj) == [(a, a + 9, NEW, "Viktigt")]
    assert [e["action"] for e in proj.audit_log(actor="sara")][:2] == ["span.change", "span.add"]
    assert proj.undo("sara").action == "span.change"
    assert rows(proj) == [(a, a + 9, OLD, "Viktigt")]
    assert proj.redo("sara").action == "span.change"
    assert rows(proj) == [(a, a + 9, NEW, "Viktigt")]
    proj.undo("sara")
    proj.undo("sara")  # and the span itself
    assert rows(proj) == []


def test_undo_keeps_a_code_that_was_on_the_range_before(proj):
    text = proj.transcript_text(T)
    a = text.index("samverkan")
    proj.code_span(T, a, a + 9, NEW, coder="sara")
    proj.code_span(T, a, a + 9, OLD, coder="sara")
    proj.change_span_code(T, a, a + 9, OLD, NEW, coder="sara")
    assert rows(proj) == [(a, a + 9, NEW, None)]
    proj.undo("sara")
    assert sorted(rows(proj)) == sorted([(a, a + 9, NEW, None), (a, a + 9, OLD, None)])


def test_refusals_change_nothing(proj):
    text = proj.transcript_text(T)
    a = text.index("samverkan")
    proj.code_span(T, a, a + 9, OLD, coder="sara")
    before = rows(proj), len(proj.audit_log())
    with pytest.raises(QcodeError, match="no span"):
        proj.change_span_code(T, a, a + 8, OLD, NEW, coder="sara")   # no such span
    with pytest.raises(QcodeError, match="no code"):
        proj.change_span_code(T, a, a + 9, OLD, "nope", coder="sara")
    with pytest.raises(QcodeError, match="no span"):
        proj.change_span_code(T, a, a + 9, OLD, NEW, coder="anna")   # another coder's span is not anna's
    assert (rows(proj), len(proj.audit_log())) == before
    proj.change_span_code(T, a, a + 9, OLD, OLD, coder="sara")  # the same code: nothing to do, no step
    assert (rows(proj), len(proj.audit_log())) == before


def test_a_span_memo_is_written_cleared_undone_and_redone(proj):
    text = proj.transcript_text(T)
    a = text.index("samverkan")
    proj.code_span(T, a, a + 9, OLD, coder="sara")
    assert proj.set_span_memo(T, a, a + 9, OLD, "  Viktigt\x00 ", coder="sara")
    assert rows(proj) == [(a, a + 9, OLD, "Viktigt")]
    assert not proj.set_span_memo(T, a, a + 9, OLD, "Viktigt", coder="sara")  # unchanged: no step
    assert proj.set_span_memo(T, a, a + 9, OLD, "", coder="sara")
    assert rows(proj) == [(a, a + 9, OLD, None)]
    assert proj.undo("sara").action == "span.memo"
    assert rows(proj) == [(a, a + 9, OLD, "Viktigt")]
    assert proj.redo("sara").action == "span.memo"
    assert rows(proj) == [(a, a + 9, OLD, None)]
    # a whole segment's span keeps its memo on the segment coding
    seg = proj.segments(T)[4]
    proj.code_span(T, seg.start, seg.end, OLD, coder="sara")
    proj.set_span_memo(T, seg.start, seg.end, OLD, "Hela segmentet", coder="sara")
    assert [c["memo"] for c in proj.codings(coder="sara") if c["segment"] == seg.position] == ["Hela segmentet"]
    before = len(proj.audit_log())
    with pytest.raises(QcodeError, match="needs the span"):
        proj.set_span_memo(T, a, a + 8, OLD, "x", coder="sara")
    assert len(proj.audit_log()) == before
