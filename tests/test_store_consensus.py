"""Consensus decisions have their own table; one writer records the decision and its audit entry together."""

from __future__ import annotations

import pytest

from coding import project_agreement as pa
from coding.codings import CONSENSUS, mark_done
from conftest import write_interview


@pytest.fixture
def reviewed(project, small_codebook, tmp_path):
    """Two coders who disagree on two segments of aneby.txt and agree elsewhere."""
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby.txt"), write_interview(tmp_path / "eksjo.txt", "Eksjö")])
    project.apply_code("aneby.txt", 2, "ff_chef", coder="anna")
    project.apply_code("aneby.txt", 2, "hi_ensam", coder="erik")
    project.apply_code("aneby.txt", 3, "ff_natverk", coder="anna")
    project.apply_code("eksjo.txt", 3, "ff_natverk", coder="anna")
    project.apply_code("eksjo.txt", 3, "ff_natverk", coder="erik")
    for coder in ("anna", "erik"):
        mark_done(project.store, coder)
    return project


def decide_as_planned(store, segment_id, codes, *, decided_by, how="manual", note=None) -> int:
    """The intended writer of a decision (what coding.project_agreement's _decide is to become):
    the consensus codes change and the decision is recorded, in one transaction."""
    with store.transaction():
        before = store.coder_segment_codes(segment_id, CONSENSUS)
        store.ensure_coders([CONSENSUS])
        store.set_segment_codes(segment_id, CONSENSUS, codes)
        return store.add_consensus_decision(segment_id, codes=codes, before=before, how=how, note=note,
                                            decided_by=decided_by)


def test_add_consensus_decision_writes_the_row_and_its_audit_entry(reviewed):
    store = reviewed.store
    first = reviewed.segments("aneby.txt")[1]
    one = decide_as_planned(store, first.id, ["hi_ensam", "ff_chef"], decided_by="sara", note="talk 3/12")
    two = decide_as_planned(store, first.id, ["ff_chef"], decided_by="per", how="accept anna")
    rows = store.consensus_decisions()
    assert [(r["id"], r["decided_by"], r["codes"], r["before"], r["how"], r["note"]) for r in rows] == [
        (one, "sara", ["hi_ensam", "ff_chef"], [], "manual", "talk 3/12"),
        (two, "per", ["ff_chef"], ["ff_chef", "hi_ensam"], "accept anna", None)]
    assert (rows[0]["transcript"], rows[0]["segment"], rows[0]["segment_id"]) == ("aneby.txt", 2, first.id)
    audit = {e["id"]: e for e in store.audit_log()}
    assert audit[two]["action"] == "consensus.decide" and audit[two]["actor"] == "per"
    assert audit[two]["target"] == "aneby.txt#2"
    assert audit[two]["detail"] == {"segment_id": first.id, "codes": ["ff_chef"], "before": ["ff_chef", "hi_ensam"],
                                    "added": [], "removed": ["hi_ensam"], "how": "accept anna", "note": None}
    assert rows[1]["decided_at"] == audit[two]["at"]
    assert store.decided_segment_ids() == {first.id}
    assert store.coder_segment_codes(first.id, CONSENSUS) == ["ff_chef"]
    # the library reads them back as it reads decisions made through it
    assert [d["how"] for d in pa.decisions(reviewed.store, latest=True)] == ["accept anna"]
    review = {d["segment_id"]: d for d in pa.disagreements(store, ["anna", "erik"])}
    assert review[first.id]["decided"] and review[first.id]["consensus"] == ["ff_chef"]
    assert review[first.id]["decided_by"] == "per"


def test_decisions_made_by_today_s_writer_land_in_the_table_once(reviewed):
    store = reviewed.store
    first, second = (s.id for s in reviewed.segments("aneby.txt")[1:3])
    pa.decide(store, first, ["ff_chef"], decided_by="sara")
    pa.accept(store, second, "erik", decided_by="sara")
    decide_as_planned(store, second, ["ff_natverk"], decided_by="per")
    rows = store.consensus_decisions()
    assert [(r["segment_id"], r["codes"], r["how"]) for r in rows] == [
        (first, ["ff_chef"], "manual"), (second, [], "accept erik"), (second, ["ff_natverk"], "manual")]
    audit_ids = [e["id"] for e in reversed(store.audit_log()) if e["action"] == "consensus.decide"]
    assert [r["id"] for r in rows] == audit_ids
    assert len(store.consensus_decisions(transcript_id=store.transcript_id("aneby.txt"))) == 3
    assert store.consensus_decisions(transcript_id=store.transcript_id("eksjo.txt")) == []
    assert store.decided_segment_ids() == {first, second}


def test_a_failed_decision_leaves_nothing_and_an_unknown_segment_is_refused(reviewed):
    store = reviewed.store
    sid = reviewed.segments("aneby.txt")[1].id
    with pytest.raises(RuntimeError), store.transaction():
        decide_as_planned(store, sid, ["ff_chef"], decided_by="sara")
        raise RuntimeError("the app crashed")
    assert store.consensus_decisions() == [] and store.coder_segment_codes(sid, CONSENSUS) == []
    assert [e for e in store.audit_log() if e["action"] == "consensus.decide"] == []
    with pytest.raises(ValueError, match="no segment with id 999999"):
        store.add_consensus_decision(999999, codes=[], before=[], how="manual", note=None, decided_by="sara")


def test_deleting_a_transcript_takes_its_decisions_along_but_the_audit_log_keeps_them(reviewed):
    store = reviewed.store
    decide_as_planned(store, reviewed.segments("aneby.txt")[1].id, ["ff_chef"], decided_by="sara")
    decide_as_planned(store, reviewed.segments("eksjo.txt")[2].id, ["ff_natverk"], decided_by="sara")
    with store.transaction():
        store.delete_transcript(store.transcript_id("aneby.txt"))
    assert [r["transcript"] for r in store.consensus_decisions()] == ["eksjo.txt"]
    assert len([e for e in store.audit_log() if e["action"] == "consensus.decide"]) == 2
