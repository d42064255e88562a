"""PDF import: real PDFs made in the test (fpdf2, see pdf_helpers), read from their text layer, cleaned like
a .txt with --clean, segmented with the page each segment starts on, and hostile PDFs refused with a clear
message that names the file (library, command line and app), leaving the project unchanged."""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from coding import Project
from coding import pdf as pdf_module
from coding.cli import cli
from coding.errors import ImportProblem
from coding.importers import read_transcript, read_transcript_bytes
from app_helpers import list_rows, messages, open_app, open_transcript, run, texts
from pdf_helpers import encrypt, write_pdf, write_report_pdf, write_scanned_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
HEADER = "Utvärdering av SE i Jönköpings län"

# A report over three pages: a sentence runs from page 1 to page 2, words are hyphenated at line ends
# ("arbets-" "marknaden"), real hyphens stay ("SE-" "coach", "arbetsgivar-" "och").
REPORT = [
    ["Bakgrund", "",
     "Under 2008 startade den första satsningen på SE. Coacherna arbetade nära arbets-",
     "marknaden och fick stöd av en SE-",
     "coach från Jönköping.", "",
     "Förankring i ledningen var avgörande. Både arbetsgivar-",
     "och arbetstagarsidan var med från början, och"],
    ["resultatet blev en stabil verksamhet.", "",
     "Hinder", "",
     "Det var ensamt i rollen. Många SE-coacher saknade kolle-",
     "gor att diskutera med."],
    ["Reflektioner", "",
     "Ett trevande försök blev en pragmatisk användning av SE.",
     "Samverkan med Försäkrings-",
     "kassan var svår."],
]
REPORT_CLEANED = (
    "Bakgrund\n\n"
    "Under 2008 startade den första satsningen på SE. Coacherna arbetade nära arbetsmarknaden och fick stöd av "
    "en SE-coach från Jönköping.\n\n"
    "Förankring i ledningen var avgörande. Både arbetsgivar- och arbetstagarsidan var med från början, och "
    "resultatet blev en stabil verksamhet.\n\n"
    "Hinder\n\n"
    "Det var ensamt i rollen. Många SE-coacher saknade kollegor att diskutera med.\n\n"
    "Reflektioner\n\n"
    "Ett trevande försök blev en pragmatisk användning av SE.\n"
    "Samverkan med Försäkringskassan var svår."
)

# An interview over two pages; the coach's second turn runs over the page break.
INTERVIEW = [
    ["Intervju med SE-coach i Eksjö, 2013-10-02", "",
     "Intervjuare: Hur började arbetet med SE i kommunen",
     "och vem tog initiativet?",
     "SE-coach: Det var chefen på AME som läste om metoden"],
    ["och ville pröva den. Vi fick pengar från Samordningsförbundet.",
     "Intervjuare: Och arbetsgivarna?",
     "SE-coach: De var positiva, på det stora hela."],
]


@pytest.fixture
def report(tmp_path) -> Path:
    return write_pdf(tmp_path / "rapport_eksjo.pdf", REPORT, header=HEADER, numbers=True)


@pytest.fixture
def interview(tmp_path) -> Path:
    return write_pdf(tmp_path / "eksjo_se-coach.pdf", INTERVIEW)


def utterances(parsed):
    return [(t.speaker, parsed.text[t.start:t.end]) for t in parsed.turns]


def segments(project: Project, name: str) -> list[tuple[str, int | None]]:
    return [(s.text, s.page) for s in project.segments(name)]


def stored_text(project: Project, name: str) -> str:
    return project.store.transcript_text(project.transcript_id(name))


# --------------------------------------------------------------------------- reading and cleaning

def test_a_report_is_cleaned_of_running_headers_page_numbers_and_hyphenation(report):
    parsed = read_transcript(report, clean=True)
    assert parsed.format == "pdf" and parsed.encoding is None
    assert parsed.text == REPORT_CLEANED
    assert parsed.warnings[:2] == [f'removed 3 repeated header/footer lines: "{HEADER}" ×3',
                                   "removed 3 page-number lines"]
    assert "rejoined 3 words hyphenated across line breaks" in parsed.warnings


def test_without_clean_the_text_layer_stays_as_it_is(report):
    parsed = read_transcript(report)
    assert parsed.warnings == []
    assert parsed.text.count(HEADER) == 3
    assert "nära arbets-\nmarknaden och fick stöd av en SE-\ncoach från" in parsed.text
    # the paragraph breaks of the page (wider gaps between lines) are blank lines
    assert "Bakgrund\n\nUnder 2008" in parsed.text and "från Jönköping.\n\nFörankring" in parsed.text
    assert "Samverkan med Försäkrings-\nkassan var svår." in parsed.text


def test_segments_know_the_page_they_start_on(report, tmp_path):
    with Project.create(tmp_path / "study.qcode") as project:
        project.import_files([report], clean=True, attributes={"kommun": "Eksjö"})
        segs = segments(project, report.name)
        # a sentence running over the page break belongs to the page it starts on
        assert ("Både arbetsgivar- och arbetstagarsidan var med från början, och resultatet blev en stabil "
                "verksamhet.", 1) in segs
        assert ("Under 2008 startade den första satsningen på SE.", 1) in segs
        assert ("Hinder", 2) in segs and ("Det var ensamt i rollen.", 2) in segs
        assert ("Samverkan med Försäkringskassan var svår.", 3) in segs
        assert [page for _, page in segs] == sorted(page for _, page in segs)
        raw = tmp_path / "rapport_raw.pdf"
        write_pdf(raw, [[*lines, "slut"] for lines in REPORT], header=HEADER, numbers=True)
        project.import_files([raw], unit="paragraph")
        headers = [page for text, page in segments(project, raw.name) if text == HEADER]
        assert headers == [1, 2, 3]
        assert [page for text, page in segments(project, raw.name) if text == "slut"] == [1, 2, 3]


def test_an_interview_pdf_has_the_turns_of_the_same_text_as_a_txt(interview, tmp_path):
    txt = tmp_path / "eksjo_se-coach.txt"
    txt.write_text("\n\n".join("\n".join(lines) for lines in INTERVIEW), encoding="utf-8")
    from_pdf, from_txt = read_transcript(interview), read_transcript(txt)
    assert from_pdf.text == from_txt.text
    assert utterances(from_pdf) == utterances(from_txt)
    assert [t.speaker for t in from_pdf.turns] == [None, "Intervjuare", "SE-coach", "Intervjuare", "SE-coach"]
    cleaned = read_transcript(interview, clean=True)
    assert utterances(cleaned)[1:3] == [
        ("Intervjuare", "Hur började arbetet med SE i kommunen och vem tog initiativet?"),
        ("SE-coach", "Det var chefen på AME som läste om metoden och ville pröva den. Vi fick pengar från "
                     "Samordningsförbundet.")]
    with Project.create(tmp_path / "study.qcode") as project:
        project.import_files([interview], clean=True)
        said = [(s.speaker, s.text, s.page) for s in project.segments(interview.name)]
        assert said[-4:] == [
            ("SE-coach", "Det var chefen på AME som läste om metoden och ville pröva den.", 1),
            ("SE-coach", "Vi fick pengar från Samordningsförbundet.", 2),
            ("Intervjuare", "Och arbetsgivarna?", 2),
            ("SE-coach", "De var positiva, på det stora hela.", 2)]


def test_a_pdf_that_only_restricts_printing_opens_without_a_password(report):
    restricted = encrypt(report, "")
    assert read_transcript(restricted, clean=True).text == REPORT_CLEANED


def test_the_cli_imports_a_pdf_and_lists_the_pages_of_its_segments(report, tmp_path):
    project = tmp_path / "study.qcode"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(project)]).exit_code == 0
    result = runner.invoke(cli, ["import", str(project), str(report), "--clean", "--unit", "paragraph"])
    assert result.exit_code == 0, result.output
    assert f'removed 3 repeated header/footer lines: "{HEADER}" ×3' in result.output
    listed = runner.invoke(cli, ["segments", str(project), report.name, "--format", "csv"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0] == "segment,start,end,speaker,t_start,t_end,page,text"
    assert lines[-1].endswith(",3,Samverkan med Försäkringskassan var svår.")
    assert lines[4].endswith(",2,Hinder")


# --------------------------------------------------------------------------- bad and hostile files

def _bomb(path: Path, megabytes: int) -> Path:
    """A page whose drawing instructions are a few KB packed and ``megabytes`` MB unpacked."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = StreamObject()
    stream.set_data(zlib.compress(b"BT /F1 12 Tf 72 700 Td (Hej) Tj ET\n" + b" " * (megabytes * 1024 ** 2)))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    return path


def _bad(kind: str, folder: Path, monkeypatch) -> tuple[Path, str]:
    """A bad PDF of one kind and the words its message must hold."""
    good = write_pdf(folder / "good_source.pdf", REPORT, header=HEADER, numbers=True)
    path = folder / f"{kind}.pdf"
    if kind == "not_a_pdf":
        path.write_text("Intervjuare: Det här är en textfil.\n", encoding="utf-8")
        return path, "is not a PDF file"
    if kind == "word_renamed":
        import docx

        docx.Document().save(path)
        return path, "is not a PDF file"
    if kind == "truncated":
        path.write_bytes(good.read_bytes()[:len(good.read_bytes()) // 2])
        return path, "is not a readable PDF file (damaged or truncated"
    if kind == "garbage":
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
        return path, "is not a readable PDF file (damaged or truncated"
    if kind in ("password_aes", "password_rc4"):
        encrypt(good, "hemligt", algorithm="AES-256" if kind.endswith("aes") else "RC4-128", target=path)
        return path, "is protected with a password"
    if kind == "scanned":
        write_scanned_pdf(path)
        return path, "has no text layer; run OCR first"
    if kind == "bomb":
        _bomb(path, 40)
        return path, "page 1 unpacks to 40 MB of drawing instructions"
    if kind == "too_many_pages":
        monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
        write_pdf(path, REPORT)
        return path, "has 3 pages, more than the limit of 2"
    if kind == "too_much_text":
        monkeypatch.setattr(pdf_module, "MAX_CHARS", 300)
        write_pdf(path, REPORT)
        return path, "holds more than 300 characters of text (limit reached on page 2)"
    if kind == "too_slow":
        monkeypatch.setattr(pdf_module, "MAX_SECONDS", 0.0)
        write_pdf(path, REPORT)
        return path, "reading its text took more than 0 seconds (stopped at page 1 of 3)"
    raise AssertionError(kind)


BAD = ["not_a_pdf", "word_renamed", "truncated", "garbage", "password_aes", "password_rc4", "scanned", "bomb",
       "too_many_pages", "too_much_text", "too_slow"]


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_pdf_is_refused_with_a_message_naming_the_file(kind, tmp_path, monkeypatch):
    path, expected = _bad(kind, tmp_path, monkeypatch)
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    assert str(caught.value).startswith(f"{path}: {expected}"), str(caught.value)
    with pytest.raises(ImportProblem, match=re.escape(expected)):
        read_transcript_bytes(path.read_bytes(), path.name, clean=True)


@pytest.mark.parametrize("kind", BAD)
def test_the_cli_refuses_a_bad_pdf_with_exit_1_and_imports_nothing(kind, tmp_path, monkeypatch, interview):
    path, expected = _bad(kind, tmp_path, monkeypatch)
    project = tmp_path / "study.qcode"
    Project.create(project).close()
    result = CliRunner().invoke(cli, ["import", str(project), str(interview), str(path), "--clean"])
    assert result.exit_code == 1, result.output
    assert path.name in result.output and expected in result.output
    assert "Traceback" not in result.output
    with Project.open(project) as p:
        assert p.transcripts() == [] and p.counts()["segments"] == 0


def test_pypdf_warnings_about_a_repaired_file_reach_no_terminal(report, tmp_path):
    """pypdf logs what it repairs; without a configured logging they would go to stderr, line by line."""
    damaged = tmp_path / "reparerad.pdf"
    damaged.write_bytes(re.sub(rb"startxref\s+\d+", b"startxref\n123", report.read_bytes()))
    project = tmp_path / "study.qcode"
    Project.create(project).close()
    done = subprocess.run([sys.executable, "-m", "coding", "import", str(project), str(damaged), "--clean"],
                          capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    notes = done.stderr.splitlines()
    assert notes and all(line.startswith("Note: ") for line in notes), notes
    assert any("pypdf repaired" in line and "startxref" in line for line in notes)
    with Project.open(project) as p:
        assert stored_text(p, damaged.name) == REPORT_CLEANED


def test_a_pdf_with_some_scanned_pages_imports_its_text_and_says_which_pages_have_none(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for source in (write_pdf(tmp_path / "a.pdf", REPORT[:1]), write_scanned_pdf(tmp_path / "b.pdf", 1),
                   write_pdf(tmp_path / "c.pdf", REPORT[2:])):
        writer.append(PdfReader(source))
    mixed = tmp_path / "blandad.pdf"
    writer.write(mixed)
    parsed = read_transcript(mixed)
    assert "Bakgrund" in parsed.text and "Reflektioner" in parsed.text
    assert parsed.warnings == ["no text on page 2: images only (scanned?); run OCR on the file first if those "
                               "pages hold text"]


# --------------------------------------------------------------------------- the app

def test_the_app_imports_an_uploaded_pdf_and_shows_each_segments_page(app_project, report):
    at = open_app(page="app_pages/project.py")
    at.file_uploader(key="qc_upload_0").set_value([(report.name, report.read_bytes(), "application/pdf")])
    at = run(at)
    at.checkbox(key="qc_clean").check()
    at = run(at)
    at.button(key="qc_import_btn").click()
    at = run(at)
    assert any("1 transkript importerade" in m for m in messages(at.success)), messages(at.success)
    at.switch_page("app_pages/coding.py")
    at = open_transcript(run(at), report.name)
    shown = texts(at)
    assert "Samverkan med Försäkringskassan var svår." in shown
    metas = [r["meta"] for r in list_rows(at)]
    assert {"s. 1", "s. 2", "s. 3"} <= set(metas), metas


def test_the_app_refuses_a_scanned_pdf_and_says_why(app_project, tmp_path):
    scanned = write_scanned_pdf(tmp_path / "skannad.pdf")
    at = open_app(page="app_pages/project.py")
    at.file_uploader(key="qc_upload_0").set_value([(scanned.name, scanned.read_bytes(), "application/pdf")])
    at = run(at)
    at.button(key="qc_import_btn").click()
    at = run(at)
    assert any("skannad.pdf" in m and "run OCR first" in m for m in messages(at.error)), messages(at.error)
    with Project.open(app_project) as p:
        assert "skannad.pdf" not in [t["name"] for t in p.transcripts()]


# --------------------------------------------------------------------------- a real report

def _words(text: str) -> list[str]:
    return text.encode("cp1252", "replace").decode("cp1252").split()


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds is not beside the repository")
def test_a_real_evaluation_report_as_pdf_reads_back_word_for_word(tmp_path):
    """The text of a real evaluation report (the process evaluation of the Finsam Malmö project
    "Supported Employment", 2010), typeset as a PDF with a running header and page numbers, imports with
    --clean into the same words: only the running header and the page numbers go, and words hyphenated
    in the source may be joined. Real PDFs in the folder, if any, import too."""
    source = min(SEEDS.glob("004_*.txt"))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", source.read_text(encoding="utf-8")) if p.strip()]
    pdf = write_report_pdf(tmp_path / "rapport.pdf", paragraphs, header=HEADER)
    with Project.create(tmp_path / "study.qcode") as project:
        project.import_files([pdf], clean=True, unit="paragraph")
        text = stored_text(project, pdf.name)
        segs = project.segments(pdf.name)
    expected = _words(" ".join(paragraphs))
    got = text.split()
    assert HEADER not in text
    assert not [line for line in text.splitlines() if line.strip().isdigit()]
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":       # only words the cleaning joined at a hyphen: "informations- material"
            assert "".join(expected[i1:i2]).replace("-", "") == "".join(got[j1:j2]).replace("-", ""), (
                expected[i1:i2], got[j1:j2])
    from pypdf import PdfReader

    pages = [s.page for s in segs]
    assert pages == sorted(pages) and set(pages) == set(range(1, len(PdfReader(pdf).pages) + 1))
    for real in sorted(SEEDS.glob("*.pdf")):
        assert read_transcript(real, clean=True).text.strip()


def test_the_time_limit_stops_a_page_while_pypdf_reads_it(tmp_path):
    """A page of many drawing instructions is stopped in the middle, not only after it (the check
    between pages alone would let one huge page run for long)."""
    import time

    from pypdf import PdfReader

    lines = [f"Rad {n} om samverkan." for n in range(100)]      # 4 instructions a line
    path = write_pdf(tmp_path / "lang.pdf", [lines])
    page = PdfReader(path).pages[0]
    read = pdf_module._page_lines(page, time.monotonic() + 60)
    assert read.text[:2] == ["Rad 0 om samverkan.", "Rad 1 om samverkan."]
    with pytest.raises(pdf_module._OutOfTime):
        pdf_module._page_lines(page, time.monotonic() - 1)
