"""Importing REFI-QDA projects (.qdpx): qcode's own exports come back whole, NVivo's UTF-16 positions and
QualCoder's character positions land on the same words, non-text sources are listed as skipped, and bad
or hostile files are refused with the file and element named, changing nothing."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from refi_helpers import (NVIVO_TEXT, NVIVO_WORDS, QUALCODER_TEXT, contents, nvivo_qdpx, qualcoder_qde,
                          qualcoder_qdpx, selection, write_qdpx)

from coding import Project
from coding.backup import list_backups
from coding.cli import cli
from coding.errors import ImportProblem
from coding.refi_ids import code_guid
from coding.refi_offsets import Convention, PositionMap, decide, store_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    p = Project.open(path)
    yield p
    p.close()


def spans_of(project: Project, transcript: str) -> list[tuple[str, str, str]]:
    """(covered text, code, coder) of every coding of a transcript, in text order."""
    text = project.transcript_text(transcript)
    return [(text[s.start:s.end], s.code, s.coder) for s in project.spans(transcript)]


# ------------------------------------------------------------------------------------------ round trip

def test_export_import_export_gives_the_same_project(demo_copy, tmp_path):
    demo_copy.add_memo("Förankring <b>saknas</b>", coder="anna")
    demo_copy.add_memo("Om ensamheten", coder="anna", code="impl_hi_ensam_position")
    demo_copy.add_memo("Bra intervju", coder="erik", transcript="aneby_chef.txt")
    demo_copy.add_memo("Här börjar det", coder="erik", transcript="aneby_chef.txt", segment=12)
    demo_copy.apply_code("aneby_chef.txt", 12, "impl_hi_ensam_position", coder="anna", memo="Tydligt")
    seg = demo_copy.segments("aneby_chef.txt")
    demo_copy.code_span("aneby_chef.txt", seg[20].start + 3, seg[21].end - 2, "impl_hi_ensam_position",
                        coder="erik", memo="Över två segment")                       # spans come back exactly
    demo_copy.code_span("aneby_chef.txt", seg[30].start, seg[30].start + 9, "impl_hi_ensam_position", coder="anna")
    first = demo_copy.export_qdpx(tmp_path / "first.qdpx")

    copy = Project.create(tmp_path / "copy.qcode")
    report = copy.import_qdpx(tmp_path / "first.qdpx")
    copy.export_qdpx(tmp_path / "second.qdpx")

    before, after = contents(tmp_path / "first.qdpx"), contents(tmp_path / "second.qdpx")
    assert after["codebook"] == before["codebook"]
    assert after["users"] == before["users"]
    assert after["project_memos"] == before["project_memos"] == [("Förankring <b>saknas</b>", "anna")]
    assert after["cases"] == before["cases"]
    assert after["sources"].keys() == before["sources"].keys()
    for name, source in before["sources"].items():
        assert after["sources"][name] == source, name
    assert [c.id for c in copy.codes()] == [c.id for c in demo_copy.codes()]       # the ids came back too
    assert [(s.transcript, s.start, s.end, s.code, s.coder, s.memo) for s in copy.spans()] == \
        [(s.transcript, s.start, s.end, s.code, s.coder, s.memo) for s in demo_copy.spans()]
    assert copy.store.codings_count() == demo_copy.store.codings_count()
    assert report.codings == first["codings"] == len(demo_copy.spans())
    assert sorted((t["name"], t["attributes"]["kommun"]) for t in copy.transcripts()) == \
        sorted((t["name"], t["attributes"]["kommun"]) for t in demo_copy.transcripts())
    assert (len(report.transcripts), report.skipped, report.codes_added) == (16, [], len(demo_copy.codes()))
    copy.close()


def test_import_into_a_project_with_the_codebook_reuses_its_codes_and_backs_it_up(demo_copy, tmp_path, small_codebook):
    demo_copy.export_qdpx(tmp_path / "demo.qdpx")
    target = Project.create(tmp_path / "target.qcode")
    target.apply_codebook(demo_copy.codebook())
    codes_before = [(c.id, c.label_sv, c.label_en) for c in target.codes()]
    report = target.import_qdpx(tmp_path / "demo.qdpx")
    assert (report.codes_added, report.codes_matched) == (0, len(codes_before))
    assert [(c.id, c.label_sv, c.label_en) for c in target.codes()] == codes_before   # labels kept, both languages
    assert len(list_backups(target.path)) == 1
    again = target.import_qdpx(tmp_path / "demo.qdpx")    # the same file again: nothing doubles
    assert (again.transcripts, len(again.reused)) == ([], 16)
    assert target.store.codings_count() == demo_copy.store.codings_count()
    target.close()


# ------------------------------------------------------------------------------------------ other tools

def test_nvivo_utf16_positions_bom_and_crlf_land_on_the_same_words(project, tmp_path):
    report = project.import_qdpx(nvivo_qdpx(tmp_path / "nvivo.qdpx"))
    assert report.transcripts == ["Intervju Aneby"]
    text = project.transcript_text("Intervju Aneby")
    assert text == NVIVO_TEXT.replace("\r\n", "\n") and not text.startswith("\ufeff")
    covered = sorted(words for words, _, _ in spans_of(project, "Intervju Aneby"))
    assert covered == sorted(NVIVO_WORDS)
    assert {coder for _, _, coder in spans_of(project, "Intervju Aneby")} == {"Lena Berg"}
    said = " ".join(report.conversions)
    assert "UTF-16" in said and "CRLF" in said and "byte-order mark" in said
    codes = {c.label_sv: c for c in project.codes()}
    assert codes["Stöd"].text("definition", "sv") == "Stöd av något slag" and codes["Stöd"].color == "#2E7D32"


def test_qualcoder_file_with_cases_notes_and_non_text_sources(project, tmp_path):
    report = project.import_qdpx(qualcoder_qdpx(tmp_path / "qc.qdpx"), coder_map={"Erik": "erik"})
    assert report.transcripts == ["vaggeryd_chef.txt"]
    assert project.transcript_text("vaggeryd_chef.txt") == QUALCODER_TEXT
    assert sorted(spans_of(project, "vaggeryd_chef.txt")) == sorted([
        ("Med ett möte 🙂", "faktorer_moten", "lena"), ("Sen kom pengarna.", "faktorer_pengar", "erik")])
    assert report.conversions == []                    # code points, LF, no BOM: nothing to convert
    skipped = dict(report.skipped)
    assert set(skipped) == {"rapport.pdf", "saknas.txt", "intervju.m4a"}
    assert "PDF" in skipped["rapport.pdf"] and "outside" not in skipped["rapport.pdf"]
    assert "audio" in skipped["intervju.m4a"] and "not in the archive" in skipped["saknas.txt"]
    parents = {c.id: c.parent_id for c in project.codes()}
    assert parents == {"faktorer": None, "faktorer_moten": "faktorer", "faktorer_pengar": "faktorer"}
    attributes = project.transcripts()[0]["attributes"]
    assert attributes == {"kommun": "Vaggeryd", "antal": "3"}
    memos = {(m.kind, m.coder, m.text) for m in project.memos()}
    assert memos == {("project", "erik", "<b>Projektets</b> memo"), ("code", "erik", "Om möten"),
                     ("transcript", "lena", "Bra intervju"), ("segment", "lena", "Mötet var avgörande"),
                     ("project", "lena", "rapport.pdf: Läs sidan 3")}        # a skipped source's memo, named
    assert sorted(c["name"] for c in project.coders()) == ["erik", "lena"]
    assert [e["action"] for e in project.store.audit_log()][0] == "qdpx.import"


def test_empty_and_unknown_elements_are_ignored(project, tmp_path):
    qde = qualcoder_qde(sets="<Sets/><Sets></Sets><Graphs/><Extension xmlns='urn:x'><Anything/></Extension>")
    path = write_qdpx(tmp_path / "taguette.qdpx", qde, {"Sources/s1.txt": QUALCODER_TEXT.encode()})
    assert project.import_qdpx(path).codings == 2


def test_a_project_zipped_with_its_folder_is_read_from_that_folder(project, tmp_path):
    path = tmp_path / "folder.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Studie/project.qde", qualcoder_qde())
        archive.writestr("Studie/Sources/s1.txt", QUALCODER_TEXT.encode())
    report = project.import_qdpx(path)
    assert report.transcripts == ["vaggeryd_chef.txt"] and report.codings == 2


def test_a_qcode_id_that_does_not_give_its_guid_is_not_believed(project, tmp_path):
    path = qualcoder_qdpx(tmp_path / "qc.qdpx")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("qcode-ids.json", '{"codes": {"c1": "stolen_id", "%s": "mine"}}' % code_guid("mine"))
    project.import_qdpx(path)
    assert "stolen_id" not in project.store.code_ids()


def test_the_shipped_example_is_the_qualcoder_style_file(tmp_path):
    shipped = ROOT / "tests/data/refi/qualcoder_style.qdpx"
    made = qualcoder_qdpx(tmp_path / "made.qdpx")
    with zipfile.ZipFile(shipped) as a, zipfile.ZipFile(made) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


# ------------------------------------------------------------------------------------------ positions

def test_position_map_is_exact_for_every_convention():
    rng = random.Random(12)
    alphabet = ["a", "ö", " ", "\n", "\r\n", "\r", "😀", "👍🏽", "\x00", "\x1b", "\t", "\f", "é"]
    for _ in range(300):
        pieces = [rng.choice(alphabet) for _ in range(rng.randint(1, 25))]
        pieces = [p for i, p in enumerate(pieces) if not (p == "\n" and i and pieces[i - 1] == "\r")]  # no CRLF
        raw = "".join(pieces)
        for convention in (Convention(False, 2), Convention(True, 2), Convention(False, 1), Convention(True, 1)):
            m = PositionMap(raw, convention)
            assert m.text == store_text(raw)
            bounds, unit = [0], 0                       # the unit position at each piece boundary
            for piece in pieces:
                unit += convention.crlf if piece == "\r\n" else sum(2 if convention.utf16 and ord(c) > 0xFFFF
                                                                    else 1 for c in piece)
                bounds.append(unit)
            assert m.units == unit
            for i in range(len(pieces)):
                for j in range(i, len(pieces) + 1):
                    piece = "".join(pieces[i:j])
                    assert m.text[m.start(bounds[i]):m.end(bounds[j])] == store_text(piece), (raw, convention, i, j)


def test_a_position_inside_a_character_widens_the_selection():
    m = PositionMap("ab😀cd", Convention(utf16=True))
    assert (m.start(3), m.end(3)) == (2, 3)        # inside the emoji: a start before it, an end after it
    assert m.inside(3) and not m.inside(4)


def test_the_convention_is_decided_from_the_words_and_the_writer():
    raw = "Hej 😀 på dig.\r\nJa, tack 😀 så mycket.\r\n"
    words = ["på dig", "tack", "så mycket"]
    utf16 = [(len(raw[:raw.index(w)].encode("utf-16-le")) // 2,
              len(raw[:raw.index(w) + len(w)].encode("utf-16-le")) // 2) for w in words]
    chars = [(raw.index(w), raw.index(w) + len(w)) for w in words]
    assert decide(raw, utf16).convention == Convention(utf16=True, crlf=2)
    assert decide(raw, chars).convention == Convention(utf16=False, crlf=2)
    lf = raw.replace("\r\n", "\n")                                   # ATLAS.ti: CRLF written, LF counted
    atlas = [(lf.index(w), lf.index(w) + len(w)) for w in words]
    assert decide(raw, atlas).convention == Convention(utf16=False, crlf=1)
    assert decide("ab\r\ncd", [(0, 2)], "ATLAS.ti 23").convention.crlf == 1      # no evidence: the writer's way
    assert decide("ab", [(0, 3)]) is None


# ------------------------------------------------------------------------------------------ bad files

def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qualcoder_qde())
        archive.writestr("sources/s1.txt", b" " * (60 * 1024 ** 2))
    return path


def _traversal(path: Path) -> Path:
    return write_qdpx(path, qualcoder_qde(), {"sources/s1.txt": QUALCODER_TEXT.encode(),
                                              "../../evil.txt": b"x"})


XXE = """<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0"><Users><User guid="u" name="&xxe;"/></Users></Project>"""
LAUGHS = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
BEYOND = selection("e0000000-0000-4000-8000-0000000000ff", 3, 9999, "u1", ["c1"])

BAD = {
    "not a zip": (lambda p: _written(p, b"PK? no, just text"), "is not a zip archive"),
    "zip bomb": (_bomb, "'sources/s1.txt'"),
    "path traversal": (_traversal, "'../../evil.txt' points outside the archive"),
    "external entity": (lambda p: write_qdpx(p, XXE, {}), "DOCTYPE"),
    "billion laughs": (lambda p: write_qdpx(p, LAUGHS, {}), "DOCTYPE"),
    "offsets beyond the text": (lambda p: write_qdpx(p, qualcoder_qde(extra_selection=BEYOND),
                                                     {"sources/s1.txt": QUALCODER_TEXT.encode()}),
                                "<PlainTextSelection guid='e0000000-0000-4000-8000-0000000000ff'>: endPosition 9999"),
    "code pointing nowhere": (lambda p: write_qdpx(p, qualcoder_qde(code_ref="c-nowhere"),
                                                   {"sources/s1.txt": QUALCODER_TEXT.encode()}),
                              "<Coding guid='b0000000-0000-4000-8000-000000000002-k0'>: its <CodeRef> points to "
                              "code 'c-nowhere'"),
    "no project.qde": (lambda p: zipfile.ZipFile(p, "w").writestr("x.txt", "x") or p, "holds no project.qde"),
    "broken XML": (lambda p: write_qdpx(p, "<Project xmlns='urn:QDA-XML:project:1.0'><Users>", {}),
                   "not valid XML"),
    "negative position": (lambda p: write_qdpx(p, qualcoder_qde(extra_selection=BEYOND.replace('"3"', '"-3"')),
                                               {"sources/s1.txt": QUALCODER_TEXT.encode()}),
                          "startPosition '-3' is not a position"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_naming_file_and_element_and_change_nothing(demo_copy, tmp_path, case):
    make, expected = BAD[case]
    path = make(tmp_path / "bad.qdpx")
    before = demo_copy.counts()
    with pytest.raises(ImportProblem) as caught:
        demo_copy.import_qdpx(path)
    assert str(caught.value).startswith(str(path)) and expected in str(caught.value)
    assert demo_copy.counts() == before
    assert list_backups(demo_copy.path) == []      # refused before anything, even the backup

    result = CliRunner().invoke(cli, ["qdpx", "import", str(tmp_path / "new.qcode"), str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output and expected in result.output
    assert not (tmp_path / "new.qcode").exists()   # no project left behind


def test_cli_creates_the_project_and_prints_the_report(tmp_path):
    path = qualcoder_qdpx(tmp_path / "qc.qdpx")
    result = CliRunner().invoke(cli, ["qdpx", "import", str(tmp_path / "new.qcode"), str(path),
                                      "--coder-map", "Erik=erik"])
    assert result.exit_code == 0, result.output
    assert "Created" in result.output and "Skipped rapport.pdf" in result.output
    with Project.open(tmp_path / "new.qcode") as p:
        assert sorted(c["name"] for c in p.coders()) == ["erik", "lena"]
    bad = CliRunner().invoke(cli, ["qdpx", "import", str(tmp_path / "new.qcode"), str(path), "--coder-map", "Olle"])
    assert bad.exit_code == 1 and "OLD=NEW" in bad.output
    unknown = CliRunner().invoke(cli, ["qdpx", "import", str(tmp_path / "new.qcode"), str(path),
                                       "--coder-map", "Olle=olle"])
    assert unknown.exit_code == 1 and "Olle" in unknown.output and "not a user" in unknown.output


# ------------------------------------------------------------------------------------------ the app

def test_the_project_page_imports_a_qdpx_and_shows_the_report(app_project, tmp_path):
    from app_helpers import messages, open_app, run

    data = nvivo_qdpx(tmp_path / "nvivo.qdpx").read_bytes()
    at = open_app(page="app_pages/project.py")
    at.file_uploader(key="qc_qdpx_upload_0").set_value(("från nvivo.qdpx", data, "application/zip"))
    at = run(at)
    at.button(key="qc_qdpx_import_btn").click()
    at = run(at)
    assert any("från nvivo.qdpx: 1 transkript" in m for m in messages(at.success)), messages(at.error)
    assert any("UTF-16" in m for m in messages(at.info))
    with Project.open(app_project) as p:
        assert "Intervju Aneby" in p.store.transcript_names()


def test_the_project_page_refuses_a_hostile_qdpx_and_changes_nothing(app_project, tmp_path):
    from app_helpers import messages, open_app, run

    with Project.open(app_project) as p:
        before = p.counts()
    at = open_app(page="app_pages/project.py")
    at.file_uploader(key="qc_qdpx_upload_0").set_value(("xxe.qdpx", write_qdpx(tmp_path / "x.qdpx", XXE, {})
                                                        .read_bytes(), "application/zip"))
    at = run(at)
    at.button(key="qc_qdpx_import_btn").click()
    at = run(at)
    assert any("xxe.qdpx" in m and "DOCTYPE" in m and "Ingenting importerades" in m for m in messages(at.error))
    with Project.open(app_project) as p:
        assert p.counts() == before


def test_a_bulk_import_keeps_the_running_totals_right(demo_copy):
    """A large import writes its whole-segment codings with the totals rebuilt once (as a codings import
    does); the totals match a count from scratch and keep counting afterwards."""
    from coding.store.codings import BULK_ROWS

    store = demo_copy.store
    codes = [c.id for c in demo_copy.codes()][:14]
    rows = [(t["id"], seg.start, seg.end, code, "sara", None, None)
            for t in demo_copy.transcripts() for seg in store.segments(t["id"]) for code in codes]
    n_segments = len(rows) // len(codes)
    assert len(rows) >= BULK_ROWS
    with store.transaction():
        store.ensure_coders(["sara"])
        assert store.add_spans(rows) == len(rows)

    def counted(code):
        return len({r["segment_id"] for r in store.codings(coder="sara") if r["code"] == code})
    assert all(store.code_usage("sara")[c][0] == counted(c) == n_segments for c in codes[:3])
    other = next(c.id for c in demo_copy.codes() if c.id not in codes)
    demo_copy.apply_code("aneby_chef.txt", 3, other, coder="sara")
    assert store.code_usage("sara")[other][0] == 1                    # the per-row totals are on again
