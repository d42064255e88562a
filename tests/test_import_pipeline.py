"""Importing into a project: segmentation offsets, attributes, duplicates, all-or-nothing."""

from __future__ import annotations


import docx
import pytest

from coding import Project
from coding.errors import ImportProblem
from conftest import write_interview


def test_sentences_within_turns_keep_exact_offsets_and_speakers(project, tmp_path):
    path = write_interview(tmp_path / "aneby_se-coach.txt")
    result = project.import_files([path], attributes={"kommun": "Aneby", "roll": "SE-coach"})
    assert result.imported == ["aneby_se-coach.txt"]
    segs = project.segments("aneby_se-coach.txt")
    text = project.store.transcript_text(project.transcript_id("aneby_se-coach.txt"))
    assert [(s.speaker, s.text) for s in segs] == [
        (None, "Intervju med SE-coach, Aneby kommun, 2013-11-12"),
        ("Intervjuare", "Hur började arbetet med SE?"),
        ("Intervjuare", "Berätta gärna."),
        ("SE-coach", "Vi fick pengar från Samordningsförbundet."),
        ("SE-coach", "Det var avgörande."),
        ("SE-coach", "Sen var jag ganska ensam i rollen, det var tungt."),
        ("Intervjuare", "Hade du stöd någonstans?"),
        ("SE-coach", "Ja, i SE-nätverket träffade jag andra coacher."),
        ("SE-coach", "Där fick jag råd!"),
    ]
    assert all(text[s.start:s.end] == s.text for s in segs)
    assert [s.position for s in segs] == list(range(1, 10))
    row = project.transcripts()[0]
    assert row["attributes"] == {"kommun": "Aneby", "roll": "SE-coach"}
    assert row["words"] == len(text.split())


@pytest.mark.parametrize("unit,expected", [("turn", 5), ("paragraph", 6)])
def test_other_units(project, tmp_path, unit, expected):
    project.import_files([write_interview(tmp_path / "x.txt")], unit=unit)
    segs = project.segments("x.txt")
    assert len(segs) == expected
    if unit == "turn":
        assert segs[2].text == ("Vi fick pengar från Samordningsförbundet. Det var avgörande.\n"
                                "Sen var jag ganska ensam i rollen, det var tungt.")


def test_docx_and_vtt_keep_speakers_and_timestamps(project, tmp_path):
    d = docx.Document()
    d.add_paragraph("Intervju med chef, Eksjö")
    d.add_paragraph("Intervjuare: Vad har varit svårast?")
    d.add_paragraph("Chef: Besparingskraven. Och att SE är nytt för många här i Eksjö.")
    d.save(tmp_path / "eksjo_chef.docx")
    (tmp_path / "eksjo_coach.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n<v Intervjuare>Hur ser en vecka ut?</v>\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v SE-coach>Jag träffar arbetsgivare. Sedan deltagare.</v>\n",
        encoding="utf-8")
    project.import_files([tmp_path / "eksjo_chef.docx", tmp_path / "eksjo_coach.vtt"])
    chef = project.segments("eksjo_chef.docx")
    assert [(s.speaker, s.text) for s in chef][-2:] == [
        ("Chef", "Besparingskraven."), ("Chef", "Och att SE är nytt för många här i Eksjö.")]
    vtt = project.segments("eksjo_coach.vtt")
    assert [(s.speaker, s.text, s.t_start, s.t_end) for s in vtt] == [
        ("Intervjuare", "Hur ser en vecka ut?", 1.0, 4.5),
        ("SE-coach", "Jag träffar arbetsgivare.", 5.0, 9.0),
        ("SE-coach", "Sedan deltagare.", 5.0, 9.0),
    ]


def test_reimport_of_same_content_is_skipped(project, tmp_path):
    path = write_interview(tmp_path / "a.txt")
    project.import_files([path])
    copy = tmp_path / "copy.txt"
    copy.write_bytes(path.read_bytes())
    result = project.import_files([path, copy])
    assert result.imported == []
    assert [name for name, _ in result.skipped] == ["a.txt", "copy.txt"]
    assert project.store.counts()["transcripts"] == 1


def test_one_bad_file_means_nothing_is_imported_and_every_problem_is_named(project, tmp_path):
    good = write_interview(tmp_path / "good.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"\x00\x01 this is not a zip")
    before = project.store.counts()
    with pytest.raises(ImportProblem) as info:
        project.import_files([good, empty, fake])
    message = str(info.value)
    assert "2 files could not be imported" in message
    assert "empty.txt" in message and "fake.docx" in message
    assert project.store.counts() == before
    with Project.open(project.where) as other:  # what another connection sees
        assert other.store.counts()["segments"] == 0


def test_sidecar_attributes_apply_per_file(project, tmp_path):
    a = write_interview(tmp_path / "aneby.txt", "Aneby")
    b = write_interview(tmp_path / "gnosjo.txt", "Gnosjö")
    sidecar = tmp_path / "attributes.csv"
    sidecar.write_text("file;kommun;roll\naneby.txt;Aneby;SE-coach\ngnosjo.txt;Gnosjö;Chef\n", encoding="cp1252")
    project.import_files([a, b], attributes={"fas": "inledande", "roll": "okänd"}, attributes_file=sidecar)
    attrs = {t["name"]: t["attributes"] for t in project.transcripts()}
    assert attrs == {"aneby.txt": {"fas": "inledande", "kommun": "Aneby", "roll": "SE-coach"},
                     "gnosjo.txt": {"fas": "inledande", "kommun": "Gnosjö", "roll": "Chef"}}


def test_sidecar_without_file_column_is_refused(project, tmp_path):
    sidecar = tmp_path / "attrs.csv"
    sidecar.write_text("namn,kommun\na.txt,Aneby\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="attrs.csv:1: needs a 'file' column"):
        project.import_files([write_interview(tmp_path / "a.txt")], attributes_file=sidecar)
    assert project.store.counts()["transcripts"] == 0


def test_import_is_audited(project, tmp_path):
    project.import_files([write_interview(tmp_path / "a.txt")], actor="anna")
    entry = project.store.audit_log()[0]
    assert entry["action"] == "transcripts.import" and entry["actor"] == "anna"
    assert entry["detail"]["files"] == ["a.txt"]


def test_a_huge_single_paragraph_is_segmented_without_spacy_limits(project, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("Rapporten säger att stödet fungerar. " * 30_000, encoding="utf-8")  # 1.1M characters, one line
    result = project.import_files([path], max_bytes=None)
    segs = project.segments("report.txt")
    assert result.segments == len(segs) == 30_000
    assert {s.text for s in segs} == {"Rapporten säger att stödet fungerar."}
    text = project.store.transcript_text(project.transcript_id("report.txt"))
    assert all(text[s.start:s.end] == s.text for s in segs[:100] + segs[-100:])


def test_an_oversized_file_is_refused_with_the_limit_named(project, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("SE-coach: ord. " * 1000, encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"big.txt: the file is .* larger than the import limit"):
        project.import_files([path], max_bytes=1000)
    assert project.store.counts()["transcripts"] == 0


def test_sentences_of_merged_cues_keep_their_own_cue_times(project, tmp_path):
    (tmp_path / "call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Chef>Vi började 2012.</v>\n\n"
        "00:00:03.500 --> 00:00:06.000\n<v Chef>Pengarna kom från förbundet. Det hjälpte.</v>\n\n"
        "00:00:07.000 --> 00:00:08.000\n<v Intervjuare>Okej.</v>\n", encoding="utf-8")
    project.import_files([tmp_path / "call.vtt"])
    assert [(s.speaker, s.text, s.t_start, s.t_end) for s in project.segments("call.vtt")] == [
        ("Chef", "Vi började 2012.", 1.0, 3.0),
        ("Chef", "Pengarna kom från förbundet.", 3.5, 6.0),
        ("Chef", "Det hjälpte.", 3.5, 6.0),
        ("Intervjuare", "Okej.", 7.0, 8.0),
    ]


def test_coders_keep_coding_while_a_large_import_is_parsed_and_segmented(tmp_path):
    """Regression: an import held the write lock while parsing and segmenting; coders waited 2 x 10 s and lost
    their coding. Now the lock is held only for the inserts."""
    import threading
    import time

    from coding import Project

    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    big = []
    for i in range(12):
        f = tmp_path / f"stor_{i}.txt"
        f.write_text("".join(f"Intervjuare: Fråga {i}.{n}?\nSE-coach: Svar nummer {n} handlar om samverkan och "
                             "stöd. Vi träffades ofta. Det gick bra.\n" for n in range(2500)), encoding="utf-8")
        big.append(f)
    waits: list[float] = []
    done = threading.Event()

    def importer():
        with Project.open(path) as p:
            p.import_files(big)
        done.set()

    with Project.open(path) as coder:
        sid = coder.segments("aneby_chef.txt")[3].id
        thread = threading.Thread(target=importer)
        thread.start()
        while not done.is_set():
            start = time.perf_counter()
            coder.apply_code_ids([sid], "impl_hi_ensam_position", coder="sara")
            coder.undo("sara")
            waits.append(time.perf_counter() - start)
            time.sleep(0.02)
        thread.join()
        assert len(waits) > 10  # the coder kept working during the import
        assert sorted(waits)[len(waits) // 2] < 0.5  # most clicks did not wait for the import
        assert len(coder.transcripts()) == 16 + 12


def test_segmentation_keeps_pauses_whole_and_a_header_name_is_no_turn(tmp_path):
    """Regressions: a sentence was cut inside "(paus)", and "Intervjuare: Lena Berg" in the header became a
    speaker turn of the interviewer."""
    from coding import Project

    f = tmp_path / "tranas_chef.txt"
    f.write_text("Intervju med chef, Tranås kommun\nIntervjuare: Lena Berg\nDatum: 2013-11-20\n\n"
                 "Intervjuare: Hur började det?\nChef: Vi började i mars. (paus) Sen kom pengarna, tror jag. "
                 "(skratt) Det var bra. [ohörbart] Ja.\n", encoding="utf-8")
    with Project.create(tmp_path / "p.qcode") as p:
        p.import_files([f])
        segs = [(s.speaker, s.text) for s in p.segments("tranas_chef.txt")]
    assert (None, "Lena Berg") in segs and ("Intervjuare", "Lena Berg") not in segs
    assert [t for sp, t in segs if sp == "Chef"] == ["Vi började i mars.", "(paus) Sen kom pengarna, tror jag.",
                                                       "(skratt) Det var bra.", "[ohörbart] Ja."]
