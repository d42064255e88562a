"""Library functions behind the coding screen: undo, memos, blind coding, progress, codebook edits, coders."""

from __future__ import annotations

import pytest

from coding import codebook_edit, codings, coders, settings
from coding.errors import CodebookProblem, QcodeError
from coding.textsearch import filter_codes, find_segments, fold
from conftest import write_interview


@pytest.fixture
def proj(project, small_codebook, tmp_path):
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt")])
    return project


def seg_ids(project, name="aneby.txt"):
    return [s.id for s in project.segments(name)]


def test_apply_to_several_segments_and_undo_step_by_step(proj):
    store, ids = proj.store, seg_ids(proj)
    assert codings.apply_code_ids(store, ids[3:6], "hi_ensam", coder="anna") == 3
    assert codings.apply_code_ids(store, ids[3:4], "ff_chef", coder="anna", memo="chefen") == 1
    assert codings.remove_code_ids(store, ids[4:5], "hi_ensam", coder="anna") == 1
    assert codings.set_segment_memo(store, ids[0], "anna", "rubrik")
    state = lambda: sorted((c["segment"], c["code"]) for c in proj.codings(coder="anna"))  # noqa: E731
    assert state() == [(4, "ff_chef"), (4, "hi_ensam"), (6, "hi_ensam")]
    undone = codings.undo_last(store, "anna")
    assert (undone.action, undone.code, undone.transcript, undone.positions) == ("memo.set", None, "aneby.txt", (1,))
    assert codings.segment_memos(store, proj.transcript_id("aneby.txt"), "anna") == {}
    undone = codings.undo_last(store, "anna")
    assert (undone.action, undone.code, undone.positions) == ("coding.remove", "hi_ensam", (5,))
    assert undone.describe() == "Undid removing hi_ensam from 1 segment(s) (aneby.txt #5)"
    assert state() == [(4, "ff_chef"), (4, "hi_ensam"), (5, "hi_ensam"), (6, "hi_ensam")]
    assert codings.undo_last(store, "erik") is None  # erik cannot undo anna's work
    codings.undo_last(store, "anna")
    assert state() == [(4, "hi_ensam"), (5, "hi_ensam"), (6, "hi_ensam")]
    codings.undo_last(store, "anna")
    assert state() == []
    assert codings.undo_last(store, "anna") is None


def test_undo_restores_the_memo_of_a_removed_coding(proj):
    store, ids = proj.store, seg_ids(proj)
    codings.apply_code_ids(store, ids[2:3], "ff_natverk", coder="anna", memo="viktigt")
    codings.remove_code_ids(store, ids[2:3], "ff_natverk", coder="anna")
    codings.undo_last(store, "anna")
    assert proj.codings(coder="anna")[0]["memo"] == "viktigt"


def test_undo_reverses_codings_made_from_python_and_the_cli(proj, tmp_path):
    """Regression: apply_code (CLI/Python) wrote ``segment_id``, undo read ``segment_ids`` -> KeyError."""
    from click.testing import CliRunner

    from coding.cli import cli

    store = proj.store
    assert proj.apply_code("aneby.txt", 2, "hi_ensam", coder="anna", memo="m")
    proj.close()
    result = CliRunner().invoke(cli, ["code", proj.where, "--coder", "anna", "--transcript", "aneby.txt",
                                      "--segment", "3", "--code", "ff_chef"])
    assert result.exit_code == 0, result.output
    from coding import Project

    with Project.open(proj.where) as again:
        store = again.store
        assert codings.remove_code(store, "aneby.txt", 2, "hi_ensam", coder="anna")
        state = lambda: sorted((c["segment"], c["code"], c["memo"]) for c in again.codings(coder="anna"))  # noqa
        assert state() == [(3, "ff_chef", None)]
        assert codings.undo_last(store, "anna").action == "coding.remove"
        assert state() == [(2, "hi_ensam", "m"), (3, "ff_chef", None)]
        assert codings.undo_last(store, "anna").positions == (3,)  # the CLI's coding
        assert codings.undo_last(store, "anna").code == "hi_ensam"  # the Python coding
        assert state() == []
        assert codings.undo_last(store, "anna") is None


def test_undo_reads_audit_entries_written_by_qcode_0_1(proj):
    """Project files keep the old audit format: ``segment_id`` + ``added`` (CLI) must still undo."""
    store = proj.store
    sid = seg_ids(proj)[1]
    with store.transaction():
        store.ensure_coders(["anna"])
        store.add_coding(sid, "hi_ensam", "anna")
        store.audit("coding.apply", actor="anna", target="aneby.txt#2",
                    detail={"segment_id": sid, "code": "hi_ensam", "memo": None, "added": True})
        store.audit("coding.apply", actor="anna", target="aneby.txt#2",  # applied again: changed nothing
                    detail={"segment_id": sid, "code": "hi_ensam", "memo": None, "added": False})
    undone = codings.undo_last(store, "anna")
    assert (undone.action, undone.positions) == ("coding.apply", (2,))
    assert proj.codings(coder="anna") == []
    assert codings.undo_last(store, "anna") is None


def test_blind_coding_hides_other_coders_until_both_are_done(proj):
    store, ids = proj.store, seg_ids(proj)
    tid = proj.transcript_id("aneby.txt")
    codings.apply_code_ids(store, ids[:1], "hi_ensam", coder="anna")
    codings.apply_code_ids(store, ids[:1], "ff_chef", coder="erik")
    assert codings.visible_coders(store, tid, "anna") == ["anna"]
    proj.mark_done("anna", ["aneby.txt"])
    assert codings.visible_coders(store, tid, "anna") == ["anna"]
    proj.mark_done("erik", ["aneby.txt"])
    assert codings.visible_coders(store, tid, "anna") == ["anna", "erik"]
    proj.mark_done("erik", ["aneby.txt"], done=False)
    settings.set_blind_coding(store, False, actor="anna")
    assert codings.visible_coders(store, tid, "erik") == ["erik", "anna"]
    by = codings.segment_codes_by_coder(store, tid, ["anna", "erik"])
    assert by == {ids[0]: {"anna": ["hi_ensam"], "erik": ["ff_chef"]}}


def test_progress_counts_coded_segments(proj):
    store, ids = proj.store, seg_ids(proj)
    codings.apply_code_ids(store, ids[:3], "hi_ensam", coder="anna")
    codings.apply_code_ids(store, ids[1:2], "ff_chef", coder="anna")
    assert codings.coding_progress(store, "anna") == {proj.transcript_id("aneby.txt"): (3, len(ids))}


def test_codebook_edits_are_audited_and_keep_codings(proj):
    store, ids = proj.store, seg_ids(proj)
    codings.apply_code_ids(store, ids[:2], "ff_chef", coder="anna")
    codings.apply_code_ids(store, ids[1:3], "ff_natverk", coder="anna")
    codebook_edit.add_code(store, id="ff_ny", parent="ff", label_sv="Ny faktor", actor="anna")
    codebook_edit.update_code(store, "ff_ny", label_en="New factor", color="#123456", actor="anna")
    with pytest.raises(CodebookProblem, match="cycle"):
        codebook_edit.move_code(store, "ff", "ff_ny")
    codebook_edit.move_code(store, "ff_ny", "hi", actor="anna")
    assert proj.codebook()["ff_ny"].parent == "hi"
    moved = codebook_edit.merge_codes(store, "ff_natverk", "ff_chef", actor="anna")
    assert moved == 1  # segment 2 had both: one coding stays
    assert sorted(c["segment"] for c in proj.codings() if c["code"] == "ff_chef") == [1, 2, 3]
    assert "ff_natverk" not in proj.codebook()
    codebook_edit.set_code_active(store, "ff_chef", False, actor="anna")
    assert not {c.id: c for c in store.codes()}["ff_chef"].active
    assert len(proj.codings()) == 3
    actions = [e["action"] for e in store.audit_log(actor="anna") if e["action"].startswith("code.")]
    assert actions == ["code.deactivate", "code.merge", "code.move", "code.update", "code.add"]
    with pytest.raises(CodebookProblem, match="not of the form"):
        codebook_edit.update_code(store, "ff_ny", color="red")


def test_coders_passwords_are_hashed(proj):
    store = proj.store
    coders.add_coder(store, "anna", password="rätt lösen", owner=True)
    coders.add_coder(store, "erik")
    assert coders.list_coders(store) == [{"name": "anna", "is_owner": True, "role": "owner", "has_password": True},
                                         {"name": "erik", "is_owner": False, "role": "coder",
                                          "has_password": False}]
    stored = store.coder("anna")["password_hash"]
    assert "rätt lösen" not in stored and stored.startswith("scrypt$")
    assert coders.check_password(store, "anna", "rätt lösen")
    assert not coders.check_password(store, "anna", "fel")
    assert not coders.check_password(store, "erik", "")
    with pytest.raises(QcodeError, match="already a coder"):
        coders.add_coder(store, "anna")


def test_accent_insensitive_search(proj):
    assert fold("Låg förankring av SE") == "lag forankring av se"
    book = proj.codebook()
    assert [c.id for c in filter_codes(book.codes, "natverk")] == ["ff_natverk"]
    assert [c.id for c in filter_codes(book.codes, "ENSAM coach")] == ["hi_ensam"]
    assert [c.id for c in filter_codes(book.codes, "lonely")] == ["hi_ensam"]
    segs = proj.segments("aneby.txt")
    assert find_segments(segs, "natverket") == [8]
    assert find_segments(segs, "SAMORDNINGSFORBUNDET") == [4]


def test_code_finder_ranks_whole_words_first_on_the_shipped_codebook():
    """Regression: a substring filter in codebook order made ``ensam`` + Enter apply "Gemensamt initiativ"."""
    from coding.codebook import load_codebook
    from coding.textsearch import ambiguous, rank_codes

    book = load_codebook("codebooks/se_ips.yaml")
    top = {q: rank_codes(book.codes, q) for q in ("ensam", "arbetsroll", "forankring", "stöd natverk")}
    assert top["ensam"][0].code.label_sv == "Ensam position som SE-coach" and not ambiguous(top["ensam"])
    assert top["arbetsroll"][0].code.label_sv == "Splittrad arbetsroll" and not ambiguous(top["arbetsroll"])
    # the same word in two phases: equally good, so Enter must not choose
    assert ambiguous(top["forankring"])
    assert {m.code.id.split("_")[0] for m in top["forankring"][:2]} == {"impl", "prak"}
    assert top["stöd natverk"][0].code.id == "impl_ff_stod_se_natverk"
    # recent codes break ties (but a tie stays a tie for Enter)
    again = rank_codes(book.codes, "forankring", recent=["prak_hi_legitimitet_forankring"])
    assert again[0].code.id == "prak_hi_legitimitet_forankring" and ambiguous(again)
