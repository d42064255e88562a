"""Pseudonymisation on real project files: detection, stable placeholders, offsets, key and file bytes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from coding import Project
from coding.pseudonymise import (PseudonymisationProblem, apply, compact_project, detect, detect_text, leftovers,
                                 luhn_ok, propose, restore_text, rewrite_text)
from coding.pseudonymise_words import MUNICIPALITIES

# A hand-written interview: people, numbers and addresses that must go; places, organisations,
# roles, dates and a number that only looks like a personnummer that must stay.
INTERVIEW = """Intervju med SE-coach, Eksjö kommun, 2014-03-12
Intervjuare: Sara Holmgren

Intervjuare: Välkommen! Kan du berätta om hur du började?
Lena Berg: Ja, jag började 2012. Då var det Karin Ek som var chef, och hon hade kontakt med Arbetsförmedlingen och Försäkringskassan i Nässjö.
Intervjuare: Hur fungerade samarbetet med Samordningsförbundet på Höglandet?
Lena Berg: Bra. Vi hade möten varannan vecka med Anders från Arbetsförmedlingen. Anders Johansson heter han. Per månad blev det kanske två möten.
Intervjuare: Och deltagarna?
Lena Berg: En deltagare, Mohammed, fick jobb på ICA i Tranås. Han ringer mig fortfarande på 070-123 45 67. Hans chef Bertil var jättenöjd. Karins kollega i Vetlanda tog över.
Intervjuare: Finns det dokumentation?
Lena Berg: Ja, i journalen står hans personnummer 19811218-9876 och kontaktuppgifter. Mejla mig på lena.berg@eksjo.se eller ring växeln 0381-361 00. Ärendenumret är 811218-9875, det är inget personnummer.
Intervjuare: Något mer?
Lena Berg: Nej. Jo, hälsa till Per Lindahl! Lenas tips: prata med Supported Employment-nätverket i Jönköpings län.
"""

EXPECTED = {  # (matched text, replacement) in text order
    ("Sara Holmgren", "[Person 1]"),
    ("Lena Berg", "[Person 2]"),
    ("Karin Ek", "[Person 3]"),
    ("Anders", "[Person 4]"),
    ("Anders Johansson", "[Person 4]"),
    ("Mohammed", None),
    ("070-123 45 67", "[Telefon]"),
    ("Bertil", None),
    ("Karins", "[Person 3]s"),
    ("19811218-9876", "[Personnummer]"),
    ("lena.berg@eksjo.se", "[E-post]"),
    ("0381-361 00", "[Telefon]"),
    ("Per Lindahl", None),
    ("Lenas", "[Person 2]s"),
}
KEPT = ["Eksjö", "Nässjö", "Tranås", "Vetlanda", "Arbetsförmedlingen", "Försäkringskassan", "Samordningsförbundet",
        "Höglandet", "ICA", "Supported", "Employment", "Jönköpings", "Per månad", "Hans chef", "811218-9875",
        "2014-03-12", "Intervjuare"]
ORIGINALS = ["Lena Berg", "Lena", "Karin Ek", "Karin", "Anders Johansson", "Mohammed", "Bertil", "Holmgren",
             "Lindahl", "070-123 45 67", "19811218-9876", "lena.berg@eksjo.se", "0381-361 00"]

LATER = """Intervjuare: Hur går det nu?
Chef: Lena Berg har slutat, men Lenas efterträdare Oskar Lind tar över. Karin Ek är kvar. Ring Oskar på 036-10 20 30.
"""


def _interview_project(tmp_path, *, demo: bool = False) -> Project:
    path = tmp_path / "project" / "study.qcode"
    path.parent.mkdir()
    project = Project.demo(path) if demo else Project.create(path)
    source = tmp_path / "eksjo_lena.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    project.import_files([source], attributes={"kommun": "Eksjö", "roll": "SE-coach",
                                               "intervjuare": "Sara Holmgren"})
    return project


@pytest.fixture
def keydir(tmp_path) -> Path:
    folder = tmp_path / "keys"
    folder.mkdir()
    return folder


def _text_findings(plan, transcript="eksjo_lena.txt"):
    return [f for f in plan.findings if f.transcript == transcript and f.field == "text"]


# ------------------------------------------------------------------- detection


def test_detection_on_a_hand_written_interview_finds_every_person_and_number_and_nothing_else(tmp_path):
    with _interview_project(tmp_path) as project:
        plan = propose(project)
        found = _text_findings(plan)
        pairs = {(f.text, f.replacement) for f in found}
        assert {t for t, _ in pairs} == {t for t, _ in EXPECTED}          # precision and recall: 1.0
        for text, replacement in EXPECTED:
            if replacement:
                assert (text, replacement) in pairs
        # the same person is the same placeholder in every form
        by_text = {f.text: f.placeholder for f in found}
        assert by_text["Anders"] == by_text["Anders Johansson"]
        assert by_text["Lenas"] == by_text["Lena Berg"] != by_text["Per Lindahl"]
        text = project.store.transcript_text(project.transcript_id("eksjo_lena.txt"))
        for kept in KEPT:
            start = text.index(kept)
            assert not any(f.start < start + len(kept) and start < f.end for f in found), kept
        # every finding points at its text, with context and a source
        for f in found:
            assert text[f.start:f.end] == f.text and f.source and f.kind in ("person", "personnummer", "phone",
                                                                                "email")
            assert f.context.replace("»", "").replace("«", "").replace("…", "").strip()
        assert {f.source for f in found if f.text == "Lena Berg"} == {"speaker"}
        # the interviewer attribute is a person; kommun and roll are not
        attrs = [(f.field, f.text) for f in plan.findings if f.field != "text"]
        assert attrs == [("attribute:intervjuare", "Sara Holmgren")]


def test_personnummer_need_a_valid_date_and_check_digit():
    def kinds(text):
        return [(f.text, f.kind) for f in detect_text(text, guess=False)]

    assert luhn_ok("8112189876") and not luhn_ok("8112189875")
    assert kinds("pnr 811218-9876.") == [("811218-9876", "personnummer")]
    assert kinds("pnr 19811218-9876.") == [("19811218-9876", "personnummer")]
    assert kinds("pnr 198112189876.") == [("198112189876", "personnummer")]
    assert kinds("pnr 811218+9876.") == [("811218+9876", "personnummer")]       # over 100 years old
    assert kinds("samordningsnummer 811278-9865.") == [("811278-9865", "personnummer")]   # day + 60
    assert luhn_ok("8112789865")
    assert kinds("fel kontrollsiffra 811218-9875, datum 811318-9870, 811232-9878.") == []
    assert kinds("Mötet 2013-10-15 kl. 10:30, 2 500 000 kr, 0-5 år, år 2014, 08.30, version 1.2.3.") == []


@pytest.mark.parametrize("phone", ["070-123 45 67", "0701234567", "08-123 456 78", "08-12 34 56", "+46 70 123 45 67",
                                   "+46 (0)70-123 45 67", "0046 8 123 456 78", "036-10 20 30", "0381-361 00",
                                   "(08) 123 456 78", "073 123 45 67"])
def test_swedish_phone_numbers_are_found(phone):
    found = detect_text(f"Ring mig på {phone} i morgon.", guess=False)
    assert [(f.text, f.kind, f.replacement) for f in found] == [(phone, "phone", "[Telefon]")]


def test_names_are_found_in_any_case_and_inflection_and_kept_words_are_not():
    found = detect_text("LENA BERG ringde. Sen sa lena berg att Lenas bil var borta. Hon bor i Lund och "
                        "jobbar på Försäkringskassan i Berg med Kalle.", names=["Lena Berg", "Kalle"],
                        keep=["Kalle"])
    assert [(f.text, f.replacement) for f in found] == [
        ("LENA BERG", "[Person 1]"), ("lena berg", "[Person 1]"), ("Lenas", "[Person 1]s"), ("Kalle", "[Person 2]")]


def test_role_labels_are_not_persons_and_name_labels_are(tmp_path):
    with Project.create(tmp_path / "p.qcode") as project:
        source = tmp_path / "roles.txt"
        source.write_text("Intervjuare: Hej.\nSE-coach: Hej.\nChef 2: Hej.\nHandläggare AF: Hej.\nBertil: Hej.\n"
                          "Intervjuare: Bra.\nSE-coach: Bra.\nChef 2: Bra.\nHandläggare AF: Bra.\nBertil: Bra.\n",
                          encoding="utf-8")
        project.import_files([source])
        found = detect(project)
        assert {f.text for f in found} == {"Bertil"} and len(found) == 2
        assert {f.source for f in found} == {"speaker"}


# -------------------------------------------------------------- placeholders


def test_placeholders_are_stable_across_transcripts_and_runs(tmp_path, keydir):
    key = keydir / "key.json"
    with _interview_project(tmp_path) as project:
        second = tmp_path / "eksjo_chef.txt"
        second.write_text("Intervjuare: Hur var det?\nChef: Karin Ek och Lena Berg gjorde ett bra jobb.\n",
                          encoding="utf-8")
        project.import_files([second], attributes={"kommun": "Eksjö"})
        first = propose(project, key_file=key)
        by_name = {(f.transcript, f.text): f.placeholder for f in first.findings}
        karin, lena = by_name["eksjo_chef.txt", "Karin Ek"], by_name["eksjo_chef.txt", "Lena Berg"]
        assert (karin, lena) == ("[Person 1]", "[Person 2]")          # numbered in order of appearance
        assert by_name["eksjo_lena.txt", "Karin Ek"] == karin and by_name["eksjo_lena.txt", "Lena Berg"] == lena
        assert by_name["eksjo_lena.txt", "Karins"] == karin and by_name["eksjo_lena.txt", "Lenas"] == lena
        apply(project, first, key_file=key, actor="anna")
        # a transcript imported later, pseudonymised in a second run with the same key
        later = tmp_path / "eksjo_later.txt"
        later.write_text(LATER, encoding="utf-8")
        project.import_files([later], attributes={"kommun": "Eksjö"})
        second_plan = propose(project, key_file=key)
        assert {f.transcript for f in second_plan.findings} == {"eksjo_later.txt"}   # the others are done
        got = [(f.text, f.replacement) for f in second_plan.findings]
        n = len(first.persons)
        assert got == [("Lena Berg", lena), ("Lenas", lena + "s"), ("Oskar Lind", f"[Person {n + 1}]"),
                       ("Karin Ek", karin), ("Oskar", f"[Person {n + 1}]"), ("036-10 20 30", "[Telefon]")]
        apply(project, second_plan, key_file=key, actor="anna")
        text = project.store.transcript_text(project.transcript_id("eksjo_later.txt"))
        assert f"{lena} har slutat, men {lena}s efterträdare [Person {n + 1}] tar över. {karin} är kvar." in text
        names = [p["name"] for p in json.loads(key.read_text(encoding="utf-8"))["persons"]]
        assert len(names) == len(set(names)) == n + 1 and names[-1] == "Oskar Lind"


def test_a_reviewer_drops_findings_and_numbers_close_up(tmp_path):
    with _interview_project(tmp_path) as project:
        plan = propose(project)
        mohammed = next(f for f in plan.findings if f.text == "Mohammed")
        smaller = plan.drop([mohammed.id], texts=["lena berg", "LENA"], kinds=["phone"])
        texts = {f.text for f in smaller.findings}
        assert "Mohammed" not in texts and "Lena Berg" not in texts and "Lenas" not in texts
        assert not any(f.kind == "phone" for f in smaller.findings)
        numbers = sorted(int(p.placeholder[8:-1]) for p in smaller.persons)
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(smaller.dropped) == len(plan.findings) - len(smaller.findings)
        only = plan.keep_only([mohammed.id])
        assert [(f.text, f.replacement) for f in only.findings] == [("Mohammed", "[Person 1]")]


# ------------------------------------------------------------------- applying


def test_apply_keeps_every_coding_on_its_words_and_the_matrix_unchanged(tmp_path, keydir):
    with _interview_project(tmp_path, demo=True) as project:
        tid = project.transcript_id("eksjo_lena.txt")
        code = project.codes()[-1].id
        before_segments = project.segments("eksjo_lena.txt")
        coded = [s.position for s in before_segments if any(n in s.text for n in ("Karin", "Bertil", "070", "Lena"))]
        for pos in coded:
            project.apply_code("eksjo_lena.txt", pos, code, coder="anna")
        before_codings = project.codings()
        before_matrix = project.matrix(rows="kommun", measure="count").table
        before_speakers = {s.speaker for s in before_segments}
        plan = propose(project)
        found = _text_findings(plan)
        lena = next(f.placeholder for f in found if f.text == "Lena Berg")
        sara = next(f.placeholder for f in found if f.text == "Sara Holmgren")
        applied = apply(project, plan, key_file=keydir / "key.json", actor="anna")
        assert applied.transcripts == ("eksjo_lena.txt",) and applied.segments_moved > 0
        after_segments = project.segments("eksjo_lena.txt")
        assert len(after_segments) == len(before_segments)
        for old, new in zip(before_segments, after_segments):
            inside = [f for f in found if old.start <= f.start and f.end <= old.end]
            shifted = [type(f)(**{**f.__dict__, "start": f.start - old.start, "end": f.end - old.start})
                       for f in inside]
            assert new.id == old.id and new.text == rewrite_text(old.text, shifted)[0]
        assert project.codings() == before_codings
        assert project.matrix(rows="kommun", measure="count").table.equals(before_matrix)
        assert {s.speaker for s in after_segments} == (before_speakers - {"Lena Berg"}) | {lena}
        assert project.transcripts()[[t["name"] for t in project.transcripts()].index("eksjo_lena.txt")][
            "attributes"] == {"kommun": "Eksjö", "roll": "SE-coach", "intervjuare": sara}
        # the demo's own interviewers are in the same run: their attribute became placeholders too
        assert "Per Lindahl" not in {t["attributes"].get("intervjuare") for t in project.transcripts()}
        entries = [e for e in project.audit_log() if e["action"] == "transcript.pseudonymise"]
        assert [e["target"] for e in entries] == ["eksjo_lena.txt"]
        assert entries[0]["detail"]["counts"] == {"person": 14, "phone": 2, "personnummer": 1, "email": 1}
        assert tid == project.transcript_id("eksjo_lena.txt")


def test_the_project_file_keeps_no_original_and_the_key_is_a_private_separate_file(tmp_path, keydir):
    key = keydir / "study-key.json"
    project = _interview_project(tmp_path, demo=True)
    path = project.path
    seg = project.segments("eksjo_lena.txt")[6]
    project.set_segment_memo(seg.id, "anna", "Karin Ek nämns här, ring 070-123 45 67")
    project.apply_code("eksjo_lena.txt", 7, project.codes()[-1].id, coder="erik", memo="Bertil är chefen")
    project.set_attributes("eksjo_lena.txt", {"intervjuare": "Sara Holmgren"}, actor="anna")   # audit detail
    other = Project.open(path)                                 # a second coder has the project open
    raw = b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())
    assert b"Karin Ek" in raw and b"Holmgren" in raw                      # the check below can fail
    plan = propose(project, key_file=key)
    karin = next(f.placeholder for f in plan.findings if f.text == "Karin Ek")
    applied = apply(project, plan, key_file=key, actor="anna")
    assert applied.compacted and applied.other_texts["memos.text"] == 1 and applied.other_texts["codings.memo"] == 1
    assert applied.other_texts["audit.detail"] >= 2 and not applied.warnings
    assert leftovers(project, key) == []
    assert other.store.transcript_text(other.transcript_id("eksjo_lena.txt")).count("[Telefon]") == 2
    other.close()
    assert project.segment_memos(project.transcript_id("eksjo_lena.txt"), "anna")[seg.id] == \
        f"{karin} nämns här, ring [Telefon]"
    # read while the project is still open (as with coders working): neither the file nor its -wal keeps
    # an original (without the compaction both still hold them until the last connection closes)
    raw = b"".join(p.read_bytes() for p in path.parent.iterdir() if p.is_file())
    for original in ORIGINALS + ["Sara", "Per Lindahl"]:
        assert original.encode("utf-8") not in raw, original
    assert b"[Person 2]" in raw
    # the full-text index follows: no original is found, and no original term is left in its pages
    from coding.search import search

    assert search(project.store, "Karin") == [] and search(project.store, "Holmgren") == []
    assert search(project.store, "Telefon")
    import re

    for term in (b"karin", b"holmgren", b"lindahl"):  # as a word of its own ("läkarintyg" may stay)
        found = re.search(rb"(?<![a-z\x80-\xff])" + term + rb"(?![a-z])", raw.lower())
        assert found is None, raw[max(0, found.start() - 100):found.end() + 40]
    project.close()
    # the key: separate, owner-only, holds the originals and restores the text exactly
    assert key.parent != path.parent and stat.S_IMODE(os.stat(key).st_mode) == 0o600
    data = json.loads(key.read_text(encoding="utf-8"))
    assert {"Lena Berg", "Karin Ek", "Sara Holmgren", "Per Lindahl"} <= {p["name"] for p in data["persons"]}
    assert "Keep it apart" in data["warning"]
    with Project.open(path) as again:
        text = again.store.transcript_text(again.transcript_id("eksjo_lena.txt"))
        assert restore_text(key, "eksjo_lena.txt", text) == INTERVIEW
        summary = next(e["detail"] for e in again.audit_log() if e["action"] == "project.pseudonymise")
        assert summary["counts"]["person"] > 10 and "Lena" not in json.dumps(summary)


def test_a_reader_in_the_middle_delays_the_compaction_until_it_is_run_again(tmp_path, keydir):
    with _interview_project(tmp_path) as project:
        reader = sqlite3.connect(project.path)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM transcripts").fetchone()      # a coder's page is being read
        applied = apply(project, propose(project), key_file=keydir / "key.json")
        assert not applied.compacted and "compact_project" in applied.warnings[0]
        assert "[Person" in project.store.transcript_text(project.transcript_id("eksjo_lena.txt"))   # committed
        raw = b"".join(p.read_bytes() for p in project.path.parent.iterdir() if p.is_file())
        assert b"Karin Ek" in raw                                           # old text still in the file or -wal
        reader.rollback()
        reader.close()
        assert compact_project(project)
        raw = b"".join(p.read_bytes() for p in project.path.parent.iterdir() if p.is_file())
        assert not any(o.encode("utf-8") in raw for o in ORIGINALS)


def test_the_hash_changes_so_the_original_file_is_not_taken_for_new(tmp_path, keydir):
    with _interview_project(tmp_path) as project:
        apply(project, propose(project), key_file=keydir / "k.json")
        source = tmp_path / "eksjo_lena.txt"
        with pytest.raises(Exception, match="already in the project"):
            project.import_files([source])
        assert len(project.transcripts()) == 1


def test_a_stale_plan_or_another_key_is_refused(tmp_path, keydir):
    with _interview_project(tmp_path) as project:
        plan = propose(project, key_file=keydir / "a.json")
        apply(project, plan, key_file=keydir / "a.json", compact=False)
        with pytest.raises(PseudonymisationProblem, match="changed since the plan"):
            apply(project, plan, key_file=keydir / "b.json")
        later = tmp_path / "later.txt"
        later.write_text(LATER, encoding="utf-8")
        project.import_files([later])
        fresh = propose(project)                                        # made without the key
        with pytest.raises(PseudonymisationProblem, match="not the one the plan was made with"):
            apply(project, fresh, key_file=keydir / "a.json")


def test_the_key_is_never_the_project_file_nor_a_foreign_file(tmp_path, keydir):
    with _interview_project(tmp_path) as project:
        plan = propose(project)
        with pytest.raises(PseudonymisationProblem, match="not the project file"):
            apply(project, plan, key_file=project.path)
        foreign = keydir / "notes.json"
        foreign.write_text('{"mine": 1}', encoding="utf-8")
        with pytest.raises(PseudonymisationProblem, match="not a qcode pseudonymisation key"):
            apply(project, plan, key_file=foreign)
        assert foreign.read_text(encoding="utf-8") == '{"mine": 1}'
        assert "Lena Berg" in project.store.transcript_text(project.transcript_id("eksjo_lena.txt"))
        inside = apply(project, plan, key_file=project.path.parent / "key.json", compact=False)
        assert inside.warnings and "separate" in inside.warnings[0]


def test_the_demo_corpus_has_only_its_interviewers_to_replace(tmp_path, keydir):
    with Project.demo(tmp_path / "demo.qcode") as project:
        plan = propose(project)
        assert {f.field for f in plan.findings} == {"attribute:intervjuare"}
        assert not any(f.text in MUNICIPALITIES for f in plan.findings)
        before = project.matrix(rows="kommun", measure="presence").table
        applied = apply(project, plan, key_file=keydir / "demo-key.json")
        assert applied.counts == {"person": 16} and applied.attributes == 16
        assert project.matrix(rows="kommun", measure="presence").table.equals(before)
        by_interviewer = project.matrix(rows="intervjuare", measure="presence").table
        assert sorted(by_interviewer.index) == ["[Person 1]", "[Person 2]"]


def test_backups_made_before_still_hold_the_names_and_are_named_or_deleted(tmp_path, keydir):
    from coding.backup import auto_backup, list_backups

    with _interview_project(tmp_path) as project:
        made = auto_backup(project.store, "before-test")
        assert b"Karin Ek" in made.path.read_bytes()
        plan = propose(project, key_file=keydir / "k.json")
        applied = apply(project, plan, key_file=keydir / "k.json")
        assert any("backup" in w and "original names" in w for w in applied.warnings)
        assert list_backups(project.path) == [made.path]                  # nothing deleted unasked
        later = tmp_path / "later.txt"
        later.write_text(LATER, encoding="utf-8")
        project.import_files([later])
        applied = apply(project, propose(project, key_file=keydir / "k.json"), key_file=keydir / "k.json",
                        delete_backups=True)
        assert applied.deleted_backups == (made.path,) and list_backups(project.path) == []


def test_a_second_run_catches_what_the_first_left_and_the_key_restores_both(tmp_path, keydir):
    key = keydir / "key.json"
    with _interview_project(tmp_path) as project:
        first = propose(project, key_file=key)
        apply(project, first.drop(texts=["Mohammed", "Bertil"]), key_file=key, compact=False)
        text = project.store.transcript_text(project.transcript_id("eksjo_lena.txt"))
        assert "Mohammed" in text and "Bertil" in text
        second = propose(project, "eksjo_lena.txt", key_file=key, names=["Mohammed"], guess=False)
        assert [f.text for f in second.findings] == ["Mohammed"]       # the rest is done, Bertil not asked for
        apply(project, second, key_file=key)
        text = project.store.transcript_text(project.transcript_id("eksjo_lena.txt"))
        assert "Mohammed" not in text and restore_text(key, "eksjo_lena.txt", text) == INTERVIEW
        with pytest.raises(PseudonymisationProblem, match="no transcript named 'nope.txt'"):
            propose(project, "nope.txt")


def test_two_people_with_one_first_name_keep_apart_and_the_bare_first_name_gets_its_own_placeholder():
    found = detect_text("Anna Berg och Anna Lund kom. Sen ringde Anna. Berg var sjuk, Lund frisk.",
                        names=["Anna Berg", "Anna Lund"])
    got = [(f.text, f.placeholder) for f in found]
    assert got[:2] == [("Anna Berg", "[Person 1]"), ("Anna Lund", "[Person 2]")]
    assert got[2][0] == "Anna" and got[2][1] not in ("[Person 1]", "[Person 2]")
    # "Berg" and "Lund" alone are also municipalities: kept unless the caller lists them
    assert [t for t, _ in got] == ["Anna Berg", "Anna Lund", "Anna"]
