"""Quote reports on real projects: grouping checked against the codings read straight from the store, the
Word file read back with python-docx, hostile transcript text through Markdown (rendered) and CSV, the
``qcode quotes`` command, and the quotes page (AppTest)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import RGBColor
from markdown_it import MarkdownIt

from coding import Project
from coding.cli import cli
from coding.csvsafe import unneutralise
from coding.errors import QcodeError
from coding.matrix import swedish_sort_key
from coding.quotes import QuoteSpec, quote_report
from coding.quotes_export import (QUOTE_FORMATS, export_quotes, format_for, quote_formats, quotes_csv,
                                  quotes_docx, quotes_markdown, write_quotes)
from app_helpers import open_app, plain, run, texts
from e2e_helpers import make_project
from test_fast_start import run_probe
from ui import page_quotes as pq

PAGE = "app_pages/quotes.py"
KOMMUNER = ["Aneby", "Eksjö", "Gislaved", "Gnosjö", "Nässjö", "Tranås", "Vaggeryd", "Vetlanda"]


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> Path:
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    return path


def below(store, code: str) -> set[str]:
    """``code`` and every code under it, walked from the store's parent links (not the library's codebook)."""
    parents = store.code_parents()
    found = {code}
    while True:
        more = {c for c, p in parents.items() if p in found} - found
        if not more:
            return found
        found |= more


def expected(store, codes: set[str], coders: set[str], by: str) -> dict[tuple, set[str]]:
    """(group value, transcript, position) -> coders, counted from the store's codings one by one."""
    values = store.attribute_values(by)
    ids = {name: tid for tid, name in store.transcript_names_by_id().items()}
    out: dict[tuple, set[str]] = {}
    for row in store.codings():
        if row["code"] in codes and row["coder"] in coders:
            key = (values.get(ids[row["transcript"]]), row["transcript"], row["segment"])
            out.setdefault(key, set()).add(row["coder"])
    return out


def found(section) -> dict[tuple, set[str]]:
    return {(q.group, q.transcript, q.position): set(q.coders) for g in section.groups for q in g.quotes}


# ------------------------------------------------------------------ library

def test_grouping_matches_the_codings_counted_from_the_store(demo_copy):
    with Project.open(demo_copy) as p:
        report = p.quotes(codes=["impl.hi", "impl_ff_stod_se_natverk"], by="kommun")
        for section, code in zip(report.sections, ["impl.hi", "impl_ff_stod_se_natverk"]):
            want = expected(p.store, below(p.store, code), {"anna", "erik"}, "kommun")
            assert want and found(section) == want
            # one passage once per section, however many coders coded it
            ids = [q.segment_id for g in section.groups for q in g.quotes]
            assert len(ids) == len(set(ids))
        both = [q for _, _, q in report.quotes() if len(q.coders) == 2]
        assert both, "the demo's coders agree on many passages"
        # the category's section names the leaf codes each passage carries
        leaves = below(p.store, "impl.hi") - {"impl.hi"}
        assert all(set(q.codes) <= leaves and q.codes for g in report.sections[0].groups for q in g.quotes)
        assert report.sections[0].label == "Hinder" and report.sections[0].code == "impl.hi"


def test_groups_in_swedish_order_then_transcript_then_position(demo_copy):
    with Project.open(demo_copy) as p:
        p.set_attributes("vetlanda_chef.docx", {"kommun": "Åseda"})
        p.set_attributes("tranas_chef.docx", {"kommun": None})
        report = p.quotes(codes=["impl.hi"], context=0)
        groups = report.sections[0].groups
        assert [g.label for g in groups] == ["Aneby", "Eksjö", "Gislaved", "Gnosjö", "Nässjö", "Tranås", "Vaggeryd",
                                             "Vetlanda", "Åseda", "(okänd)"]
        assert groups[-1].value is None and {q.transcript for q in groups[-1].quotes} == {"tranas_chef.docx"}
        assert {q.transcript for q in groups[-2].quotes} == {"vetlanda_chef.docx"}
        for g in groups:
            keys = [(swedish_sort_key(q.transcript), q.position) for q in g.quotes]
            assert keys == sorted(keys)
        english = p.quotes(codes=["impl.hi"], context=0, language="en")
        assert english.sections[0].groups[-1].label == "(unknown)" and english.sections[0].label == "Obstacles"


def test_context_segments_come_from_the_transcript(demo_copy):
    with Project.open(demo_copy) as p:
        report = p.quotes(codes=["impl_hi_gick_for_snabbt"], context=2, coders=["anna"])
        quotes = [q for _, _, q in report.quotes()]
        assert quotes
        for q in quotes:
            segments = {s.position: s for s in p.segments(q.transcript)}
            assert q.text == segments[q.position].text and q.speaker == segments[q.position].speaker
            assert [c.position for c in q.before] == [n for n in (q.position - 2, q.position - 1) if n in segments]
            assert [c.position for c in q.after] == [n for n in (q.position + 1, q.position + 2) if n in segments]
            assert all(c.text == segments[c.position].text for c in q.before + q.after)
        assert all(not q.before and not q.after
                   for _, _, q in p.quotes(codes=["impl_hi_gick_for_snabbt"], context=0).quotes())


def test_memos_of_the_counted_coders_come_with_their_quote(demo_copy):
    with Project.open(demo_copy) as p:
        sid = p.segments("aneby_chef.txt")[46].id  # segment 47: anna and erik coded impl_hi_ensam_position
        p.apply_code("aneby_chef.txt", 47, "impl_hi_ensam_position", coder="anna", memo="Ensam i rollen")
        p.set_segment_memo(sid, "erik", "Jämför med Eksjö")
        p.store.add_memo(coder="anna", text="Om en annan kod", segment_id=sid, code_id="impl_ff_utbildning")
        quote = next(q for _, _, q in p.quotes(codes=["impl_hi_ensam_position"]).quotes() if q.segment_id == sid)
        assert {(m.coder, m.text, m.code) for m in quote.memos} == {
            ("anna", "Ensam i rollen", "impl_hi_ensam_position"), ("erik", "Jämför med Eksjö", None)}
        only_anna = next(q for _, _, q in p.quotes(codes=["impl_hi_ensam_position"], coders=["anna"]).quotes()
                         if q.segment_id == sid)
        assert [m.coder for m in only_anna.memos] == ["anna"] and only_anna.coders == ("anna",)


def test_consensus_counts_only_when_named_and_a_category_without_children(demo_copy):
    with Project.open(demo_copy) as p:
        p.apply_code("aneby_chef.txt", 3, "impl_hi_ensam_position", coder="consensus")
        p.apply_code("aneby_chef.txt", 5, "impl.hi", coder="anna")  # a category coded directly
        everyone = found(p.quotes(codes=["impl_hi_ensam_position"]).sections[0])
        assert ("Aneby", "aneby_chef.txt", 3) not in everyone
        agreed = found(p.quotes(codes=["impl_hi_ensam_position"], coders=["consensus"]).sections[0])
        assert agreed == {("Aneby", "aneby_chef.txt", 3): {"consensus"}}
        direct = p.quotes(codes=["impl.hi"], include_children=False).sections[0]
        assert found(direct) == {("Aneby", "aneby_chef.txt", 5): {"anna"}}
        grouped = p.quotes(codes=["impl.hi"], by="speaker", where=["roll=Chef"]).sections[0]
        assert {g.value for g in grouped.groups} <= {"Chef", "Intervjuare"}
        assert all(q.speaker == g.value and q.transcript.split("_")[1].startswith("chef")
                   for g in grouped.groups for q in g.quotes)


@pytest.mark.parametrize("options, message", [
    ({"codes": ["nope"]}, "no code with id 'nope'"),
    ({"codes": ["impl.hi"], "by": "region"}, "no transcript has the attribute 'region'"),
    ({"codes": ["impl.hi"], "coders": ["nobody"]}, "no coder named 'nobody'"),
    ({"codes": []}, "at least one code"),
    ({"codes": ["impl.hi"], "context": 11}, "from 0 to 10"),
])
def test_bad_options_are_clear_errors(demo_copy, options, message):
    with Project.open(demo_copy) as p, pytest.raises(QcodeError, match=message):
        p.quotes(**options)


# -------------------------------------------------------------------- Word

def test_the_word_report_reads_back(demo_copy, tmp_path):
    with Project.open(demo_copy) as p:
        sid = p.segments("aneby_chef.txt")[46].id
        p.set_segment_memo(sid, "anna", "Tydligt exempel")
        spec = QuoteSpec(codes=["impl_hi_ensam_position", "impl_hi_gick_for_snabbt"], context=1)
        report = quote_report(p.store, spec)
        path = p.write_quotes(spec, tmp_path / "citat.docx")
        segments = {s.position: s.text for s in p.segments("aneby_chef.txt")}
    document = docx.Document(path)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    paragraphs = document.paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == ("Title", "Citat")
    assert [x.text for x in paragraphs if x.style.name == "Heading 1"] == [
        "Ensam position som SE-coach", "Implementeringen gick för snabbt"]
    assert [x.text for x in paragraphs if x.style.name == "Heading 2"] == [
        f"{g.label} ({len(g.quotes)})" for s in report.sections for g in s.groups]
    said = [x for x in paragraphs if x.style.name == "Quote"]
    assert [x.text for x in said] == [q.text for _, _, q in report.quotes()]
    assert all(x.paragraph_format.left_indent.cm == pytest.approx(1.0, abs=0.01) for x in said)
    # the first quote: the reference line, the context before it (grey), the passage, the memo (italics)
    i = paragraphs.index(said[0])
    assert paragraphs[i].text == segments[47]
    assert paragraphs[i - 1].text == f"(sammanhang) Chef: {segments[46]}"
    assert paragraphs[i - 1].runs[0].font.color.rgb == RGBColor(0x80, 0x80, 0x80)
    assert paragraphs[i - 2].text == "Chef · aneby_chef.txt #47 · anna, erik"
    assert paragraphs[i - 2].runs[0].font.size.pt == 9
    memo = next(x for x in paragraphs[i:] if "Tydligt exempel" in x.text)
    assert memo.text == "Memo (anna): Tydligt exempel" and all(r.italic for r in memo.runs)
    with Project.open(demo_copy) as p:
        english = docx.Document(io.BytesIO(export_quotes(p.store, spec.replace(language="en"), "docx")))
        english_labels = {c.id: c.label_en for c in p.store.codes()}
    assert english.paragraphs[0].text == "Quotes"
    assert [x.text for x in english.paragraphs if x.style.name == "Heading 1"] == [
        english_labels["impl_hi_ensam_position"], english_labels["impl_hi_gick_for_snabbt"]]


# ------------------------------------------------------ hostile text: md, csv

HOSTILE_EXTRA = (
    "Intervjuare: Vad sa chefen?\n"
    'SE-coach: =HYPERLINK("http://evil.example","klick") sa hon | och *inget* mer\n'
    "Intervjuare: Och sen?\n"
    "SE-coach: # Ingen rubrik\n"
    "Intervjuare: Något mer?\n"
    "SE-coach: - ingen lista, 1. ingen numrering, [länk](javascript:alert(3)) <b>fet</b>\n"
)


@pytest.fixture
def hostile(tmp_path) -> Path:
    path = make_project(tmp_path / "hostile.qcode", hostile=True)
    extra = tmp_path / "extra.txt"
    extra.write_text(HOSTILE_EXTRA, encoding="utf-8")
    with Project.open(path) as p:
        p.import_files([extra], unit="turn", attributes={"kommun": "=2+3"})
        for name in ("hostile.txt", "extra.txt"):
            for s in p.segments(name):
                p.apply_code(name, s.position, "hi_ensam", coder="anna",
                             memo="<i>memo</i> | *x*" if s.position == 2 else None)
        p.apply_code("aneby_se-coach.txt", 5, "hi_ensam", coder="bertil")
    return path


def test_markdown_shows_hostile_text_literally(hostile):
    with Project.open(hostile) as p:
        report = p.quotes(codes=["hi_ensam"], context=1)
        segments = {(n, s.position): s.text for n in ("hostile.txt", "extra.txt") for s in p.segments(n)}
    text = quotes_markdown(report)
    html = MarkdownIt("commonmark").enable("table").render(text)
    for tag in ("<script", "<img", "<a ", "<b>", "<i>", "<table", "<ul", "<ol", "<em>inget", "<strong>fet"):
        assert tag not in html, tag
    # every heading is ours: the title, one per code and one per group
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    assert html.count("<h3>") == len(report.sections[0].groups) == 3  # =2+3, Aneby, (okänd)
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html and "**fet**" in html
    assert "# Ingen rubrik" in html and "=HYPERLINK(&quot;http://evil.example&quot;,&quot;klick&quot;)" in html
    assert "&lt;i&gt;memo&lt;/i&gt; | *x*" in html
    # and what a reader sees of each quote is the segment's text, character for character
    for (name, position), said in segments.items():
        shown = said.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
        assert f"<p>{shown}</p>" in html, (name, position)


def test_csv_rows_are_spreadsheet_safe_and_read_back(hostile):
    with Project.open(hostile) as p:
        report = p.quotes(codes=["hi_ensam"], context=1)
    rows = list(csv.reader(io.StringIO(quotes_csv(report))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["code", "code_label", "kommun", "transcript"]
    assert len(body) == report.n_quotes == 6 + 2 + 1  # extra.txt, hostile.txt, bertil's Aneby passage
    risky = [r for r in body if r[header.index("transcript")] == "extra.txt"]
    assert {r[header.index("kommun")] for r in risky} == {"'=2+3"}
    formula = next(r for r in risky if "HYPERLINK" in r[header.index("text")])
    assert formula[header.index("text")].startswith("'=HYPERLINK(")
    assert unneutralise(formula[header.index("text")]).startswith('=HYPERLINK("http://evil.example"')
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    memo = next(r for r in body if r[header.index("memos")])
    assert memo[header.index("memos")] == "anna (hi_ensam): <i>memo</i> | *x*"
    assert [r[header.index("kommun")] for r in body][-1] == ""  # hostile.txt has no kommun: last, empty


# ------------------------------------------------------------ registry, CLI

READ_BACK = {
    "docx": lambda data, report: [p.text for p in docx.Document(io.BytesIO(data)).paragraphs
                                  if p.style.name == "Quote"] == [q.text for _, _, q in report.quotes()],
    "md": lambda data, report: data.decode("utf-8") == quotes_markdown(report),
    "csv": lambda data, report: [r[7] for r in csv.reader(io.StringIO(data.decode("utf-8")))][1:] == [
        q.text for _, _, q in report.quotes()],
}


def test_every_quote_format_has_a_read_back_test_and_writes_its_file(demo_copy, tmp_path):
    assert set(READ_BACK) == set(QUOTE_FORMATS)
    spec = QuoteSpec(codes=["impl_hi_lang_startstracka"], coders=["erik"])
    with Project.open(demo_copy) as p:
        report = p.quotes(spec)
        assert report.n_quotes > 0
        for f in quote_formats():
            assert f.suffix and "/" in f.mime and f.description and f.title
            assert format_for(f"x.{f.suffix}") == f.name
            data = p.export_quotes(spec, f.name)
            assert READ_BACK[f.name](data, report), f.name
            path = write_quotes(p.store, spec, tmp_path / f"q.{f.suffix}")
            assert READ_BACK[f.name](path.read_bytes(), report), f.name
    assert quotes_docx(report)[:2] == b"PK"
    with pytest.raises(QcodeError, match="q.txt: cannot tell the format"):
        format_for("q.txt")


def test_cli_writes_word_and_refuses_to_overwrite(demo_copy, tmp_path):
    out = tmp_path / "citat.docx"
    argv = ["quotes", str(demo_copy), "--code", "impl_hi_ensam_position", "--by", "kommun", "-o", str(out)]
    with Project.open(demo_copy) as p:
        before = p.change_counter()
        report = p.quotes(codes=["impl_hi_ensam_position"])
    done = CliRunner().invoke(cli, argv)
    assert done.exit_code == 0, done.output
    assert f"{report.n_quotes} quote(s)" in done.output
    assert [x.text for x in docx.Document(out).paragraphs if x.style.name == "Quote"] == [
        q.text for _, _, q in report.quotes()]
    written = out.read_bytes()
    again = CliRunner().invoke(cli, argv + ["--lang", "en"])
    assert again.exit_code == 1 and "exists already" in again.output and "--force" in again.output
    assert "Traceback" not in again.output and out.read_bytes() == written
    forced = CliRunner().invoke(cli, argv + ["--lang", "en", "--force"])
    assert forced.exit_code == 0 and docx.Document(out).paragraphs[0].text == "Quotes"
    with Project.open(demo_copy) as p:
        assert p.change_counter() == before  # reading quotes changes nothing


def test_cli_markdown_to_stdout_and_csv(demo_copy, tmp_path):
    spec = QuoteSpec(codes=["impl_ff_stod_se_natverk"], by="roll", coders=["anna"], context=0, language="en")
    with Project.open(demo_copy) as p:
        report = p.quotes(spec)
    done = CliRunner().invoke(cli, ["quotes", str(demo_copy), "--code", "impl_ff_stod_se_natverk", "--by", "roll",
                                    "--coder", "anna", "--context", "0", "--lang", "en"])
    assert done.exit_code == 0
    assert done.stdout == quotes_markdown(report)
    out = tmp_path / "q.csv"
    done = CliRunner().invoke(cli, ["quotes", str(demo_copy), "--code", "impl_ff_stod_se_natverk", "--by", "roll",
                                    "--coder", "anna", "--context", "0", "--lang", "en", "-o", str(out)])
    assert done.exit_code == 0 and out.read_bytes() == quotes_csv(report).encode("utf-8")


@pytest.mark.parametrize("args, message, status", [
    (["--code", "nope"], "Error: no code with id 'nope' in the codebook", 1),
    (["--code", "impl.hi", "--by", "region"], "Error: no transcript has the attribute 'region'", 1),
    (["--code", "impl.hi", "--coder", "nobody"], "Error: no coder named 'nobody'", 1),
    (["--code", "impl.hi", "-o", "{tmp}/q.txt"], "q.txt: cannot tell the format", 1),
    (["--code", "impl.hi", "--format", "docx"], "--format docx needs -o FILE", 2),
    (["--code", "impl.hi", "--context", "-1"], "--context", 2),
])
def test_cli_bad_input_exits_with_a_message(demo_copy, tmp_path, args, message, status):
    argv = ["quotes", str(demo_copy), *[a.format(tmp=tmp_path) for a in args]]
    done = CliRunner().invoke(cli, argv)
    assert done.exit_code == status and message in done.output and "Traceback" not in done.output
    assert not list(tmp_path.glob("q.*"))


def test_quotes_as_markdown_load_no_heavy_library(demo_copy):
    assert run_probe("quotes", str(demo_copy), "--code", "impl_hi_ensam_position") == {"status": 0, "loaded": []}


# --------------------------------------------------------------------- app

def test_the_page_shows_the_library_report_and_offers_every_format(demo):
    at = open_app("anna", page=PAGE)
    assert "Välj minst en kod" in at.info[0].value
    at.multiselect(key="qc_qt_codes").select("impl_hi_ensam_position")
    at = run(at)
    with Project.open(demo) as p:
        report = p.quotes(codes=["impl_hi_ensam_position"])
    groups = report.sections[0].groups
    assert [plain(e.label) for e in at.expander] == [f"{g.label} ({len(g.quotes)})" for g in groups]
    shown = texts(at)
    assert [q.text for _, _, q in report.quotes()] == [x for x in shown if x in {q.text for _, _, q in
                                                                                   report.quotes()}]
    assert "Chef · aneby_chef.txt #47 · kodat av anna, erik" in shown
    buttons = sorted(b.key for b in at.get("download_button"))
    assert buttons == sorted(f"qc_qt_dl_{f.name}" for f in quote_formats())
    spec = pq.spec_from_choices(["impl_hi_ensam_position"], "kommun", pq.ALL, 1, True, "sv")
    assert spec == report.spec
    for f in quote_formats():
        assert READ_BACK[f.name](pq.quotes_download(demo, spec, f.name), report)


def test_the_page_follows_the_choices(demo):
    at = open_app("anna", page=PAGE)
    at.multiselect(key="qc_qt_codes").select("impl.hi")
    at.selectbox(key="qc_qt_by").select("roll")
    at.selectbox(key="qc_qt_coders").select("erik")
    at.number_input(key="qc_qt_context").set_value(0)
    at = run(at)
    with Project.open(demo) as p:
        report = p.quotes(codes=["impl.hi"], by="roll", coders=["erik"], context=0)
    assert [plain(e.label) for e in at.expander] == [f"{g.label} ({len(g.quotes)})"
                                                     for g in report.sections[0].groups]
    shown = texts(at)
    meta = [x for x in shown if x.endswith(" · kodat av erik")]
    said = [x for x in shown if x not in meta]
    assert len(meta) == report.n_quotes and said == [q.text for _, _, q in report.quotes()]  # no context lines


def test_the_page_speaks_english(demo):
    # (AppTest formats widget options outside the run, in Swedish: the English page is only read, not clicked)
    at = open_app("anna", page=PAGE, lang="en", state={"qc_qt_codes": ["impl.hi", "impl_ff_utbildning"],
                                                        "qc_qt_coders": "anna"})
    with Project.open(demo) as p:
        report = p.quotes(codes=["impl.hi", "impl_ff_utbildning"], coders=["anna"], language="en")
    assert at.title[0].value == "Quotes"
    assert [plain(s.value) for s in at.subheader] == [s.label for s in report.sections]
    assert report.sections[0].label == "Obstacles"
    assert sum(1 for x in texts(at) if x.endswith(" · coded by anna")) == report.n_quotes


def test_the_page_shows_hostile_text_as_text_and_keeps_blind_coding(hostile, app_env, monkeypatch):
    monkeypatch.setenv("QCODE_PROJECT", str(hostile))
    at = open_app("anna", page=PAGE)
    # anna has not finished her transcripts: blind coding shows her only her own codings
    assert at.selectbox(key="qc_qt_coders").options == ["anna"]
    at.multiselect(key="qc_qt_codes").select("hi_ensam")
    at = run(at)
    shown = texts(at)
    assert "<script>alert('x')</script> Vad hände sen?" in shown
    assert "<img src=x onerror=alert(1)> och [klicka här](javascript:alert(2)) samt **fet** text." in shown
    assert "Memo (anna, Ensam position som SE-coach): <i>memo</i> | *x*" in shown
    assert not any("bertil" in x for x in shown)
    assert all("<script" not in m.value and "<img" not in m.value for m in at.markdown)
    assert [plain(e.label) for e in at.expander] == ["=2+3 (6)", "(okänd) (2)"]


@pytest.mark.parametrize("fmt", list(QUOTE_FORMATS))
def test_every_format_survives_control_characters_already_stored(demo_copy, fmt):
    """Values stored by an old version (before input was cleaned) still export, without the control characters
    (Word refuses them outright)."""
    with Project.open(demo_copy) as p:
        p.store.conn.execute("UPDATE attributes SET value = ? WHERE name = 'kommun' AND value = 'Aneby'",
                             ("Ane\x1bby\x00\x07",))
        p.store.conn.execute("UPDATE codes SET label_sv = 'Ensam\x1b[31m\x0b position' "
                             "WHERE id = 'impl_hi_ensam_position'")
        data = p.export_quotes(QuoteSpec(codes=["impl_hi_ensam_position"]), fmt)
    text = ("\n".join(x.text for x in docx.Document(io.BytesIO(data)).paragraphs) if fmt == "docx"
            else data.decode("utf-8"))
    assert "Aneby" in text.replace("\\", "") and "Ensam[31m position" in text.replace("\\", "")
    assert not any(ch in text for ch in "\x1b\x00\x07\x0b")
