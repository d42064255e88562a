"""The whole project as a REFI-QDA archive (.qdpx): valid against the official schema, every source text and
coding carried over exactly, stable GUIDs, attributes as variables and cases, hostile text kept as data."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_interview
from lxml import etree

from coding import Project
from coding.cli import cli
from coding.refi_ids import code_guid, user_guid
from coding.refi_project import export_qdpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path("/work/shared/refi")
NS = {"q": "urn:QDA-XML:project:1.0"}


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(ROOT / "coding/data/refi/Project-mrt2019.xsd")))


def read(path: Path) -> tuple[etree._Element, dict[str, str]]:
    """project.qde (validated) and the source texts by file name."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    schema().assertValid(root)
    return root, texts


def source_text(source, texts) -> str:
    path = source.get("plainTextPath")
    assert path.startswith("internal://")
    return texts["sources/" + path.removeprefix("internal://")]


@pytest.fixture
def demo_copy(demo_file, tmp_path):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    p = Project.open(path)
    yield p
    p.close()


def test_the_shipped_schemas_are_the_official_files():
    for name in ("Project-mrt2019.xsd", "Codebook-mrt2019.xsd"):
        shipped = (ROOT / "coding/data/refi" / name).read_bytes()
        assert b"MIT license" in shipped and b"www.qdasoftware.org" in shipped
        if SHARED.is_dir():
            assert shipped == (SHARED / name).read_bytes()


def test_demo_export_is_valid_and_carries_every_source_and_coding(demo_copy, tmp_path):
    p, store = demo_copy, demo_copy.store
    aneby = p.transcript_id("aneby_chef.txt")
    seg = p.segments("aneby_chef.txt")[20]
    store.ensure_coders(["consensus"])
    store.add_coding(seg.id, "impl_hi_gick_for_snabbt", "consensus")
    p.add_memo("Ledningen avgör", coder="anna")
    p.add_memo("Tydlig intervju", coder="erik", transcript="aneby_chef.txt")
    p.add_memo("Bra citat", coder="erik", transcript="aneby_chef.txt", segment=3)  # erik may not code 3
    p.add_memo("Alla nämner ensamheten", coder="anna", code="impl_hi_ensam_position")
    coded = store.codings(coder="anna", transcript_id=aneby)[0]
    p.add_memo("Osäker", coder="anna", transcript="aneby_chef.txt", segment=coded["segment"], code=coded["code"])

    summary = export_qdpx(p, tmp_path / "demo.qdpx")
    root, texts = read(tmp_path / "demo.qdpx")

    assert summary["sources"] == 16 and summary["codings"] == store.codings_count() == summary["codings"]
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert users == {name: user_guid(name) for name in ("anna", "erik", "consensus")}
    code_guids = {c.get("guid") for c in root.iterfind(".//q:CodeBook//q:Code", NS)}
    assert code_guids == {code_guid(c.id) for c in store.codes()}

    sources = root.findall("q:Sources/q:TextSource", NS)
    assert sorted(s.get("name") for s in sources) == sorted(t["name"] for t in store.transcripts())
    assert len(texts) == 16
    exported = set()
    for source in sources:
        text = source_text(source, texts)
        assert text == store.transcript_text(p.transcript_id(source.get("name")))
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iterfind("q:Coding", NS):
                assert coding.get("creatingUser") == selection.get("creatingUser")
                exported.add((source.get("name"), text[start:end], selection.get("creatingUser"),
                              coding.find("q:CodeRef", NS).get("targetGUID")))
    segments = {(t["name"], s.position): s.text for t in store.transcripts() for s in store.segments(t["id"])}
    expected = {(c["transcript"], segments[(c["transcript"], c["segment"])], user_guid(c["coder"]),
                 code_guid(c["code"])) for c in store.codings()}
    assert exported == expected and len(expected) > 600

    # memos: one note each, referred to from what they are about
    notes = {n.get("guid"): n for n in root.iterfind("q:Notes/q:Note", NS)}
    assert sorted(n.findtext("q:PlainTextContent", namespaces=NS) for n in notes.values()) == sorted(
        ["Ledningen avgör", "Tydlig intervju", "Bra citat", "Alla nämner ensamheten", "Osäker"])
    refs = {}
    for ref in root.iter(f"{{{NS['q']}}}NoteRef"):
        refs[notes[ref.get("targetGUID")].findtext("q:PlainTextContent", namespaces=NS)] = ref.getparent()
    assert refs["Ledningen avgör"] is root
    assert refs["Tydlig intervju"].get("name") == "aneby_chef.txt"
    memo_selection = refs["Bra citat"]
    assert memo_selection.tag.endswith("PlainTextSelection") and memo_selection.get("creatingUser") == users["erik"]
    start, end = int(memo_selection.get("startPosition")), int(memo_selection.get("endPosition"))
    assert store.transcript_text(aneby)[start:end] == p.segments("aneby_chef.txt")[2].text
    assert refs["Alla nämner ensamheten"].get("guid") == code_guid("impl_hi_ensam_position")
    assert refs["Osäker"].tag.endswith("Coding")
    assert refs["Osäker"].find("q:CodeRef", NS).get("targetGUID") == code_guid(coded["code"])
    assert notes[next(iter(notes))].get("creatingUser") in users.values()


def test_guids_are_stable_across_exports(demo_copy, tmp_path):
    export_qdpx(demo_copy, tmp_path / "a.qdpx")
    export_qdpx(demo_copy.store, tmp_path / "b.qdpx", lang="en")
    (a, texts_a), (b, texts_b) = read(tmp_path / "a.qdpx"), read(tmp_path / "b.qdpx")

    def guids(root, path):
        return sorted(e.get("guid") for e in root.iterfind(path, NS))

    for path in ("q:Users/q:User", ".//q:Code", "q:Sources/q:TextSource", ".//q:PlainTextSelection", ".//q:Coding",
                 "q:Cases/q:Case", "q:Variables/q:Variable"):
        assert guids(a, path) == guids(b, path) and guids(a, path), path
    assert texts_a == texts_b
    labels_en = {c.get("guid"): c.get("name") for c in b.iterfind(".//q:Code", NS)}
    code = demo_copy.store.codes()[0]
    assert labels_en[code_guid(code.id)] == code.label_en != code.label_sv


def test_attributes_become_variables_and_municipalities_cases(demo_copy, tmp_path):
    store = demo_copy.store
    export_qdpx(demo_copy, tmp_path / "demo.qdpx")
    root, _ = read(tmp_path / "demo.qdpx")
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    assert sorted(variables.values()) == sorted(store.attribute_names()) and "kommun" in variables.values()
    assert all(v.get("typeOfVariable") == "Text" for v in root.iterfind("q:Variables/q:Variable", NS))

    def values(element):
        return {variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext("q:TextValue", namespaces=NS)
                for v in element.iterfind("q:VariableValue", NS)}

    by_guid = {s.get("guid"): s for s in root.iterfind("q:Sources/q:TextSource", NS)}
    for t in store.transcripts():
        source = next(s for s in by_guid.values() if s.get("name") == t["name"])
        assert values(source) == t["attributes"]
    cases = root.findall("q:Cases/q:Case", NS)
    kommuner = {t["attributes"]["kommun"] for t in store.transcripts()}
    assert sorted(c.get("name") for c in cases) == sorted(kommuner)
    for case in cases:
        members = [by_guid[r.get("targetGUID")] for r in case.iterfind("q:SourceRef", NS)]
        assert members and all(values(m)["kommun"] == case.get("name") for m in members)
        assert values(case)["kommun"] == case.get("name")
    assert sum(len(c.findall("q:SourceRef", NS)) for c in cases) == 16


def test_hostile_text_stays_data_and_valid_xml(project, small_codebook, tmp_path):
    hostile = ("Intervjuare: <script>alert(1)</script> ]]> &amp; \x01\x1b[31m\n"
               "SE-coach: Det var \U0001F600 bra ]]><!-- x --> och \x0b slut.\n")
    interview = tmp_path / "hostile.txt"
    interview.write_text(hostile, encoding="utf-8")
    project.load_codebook(small_codebook)
    project.import_files([interview])
    project.set_attributes("hostile.txt", {"kommun": "Aneby ]]> <b>\x07", "roll": "<i>Chef</i>"})
    segments = project.segments("hostile.txt")
    for seg in segments:
        project.apply_code("hostile.txt", seg.position, "ff_chef", coder="anna <x>", memo="]]> \x02<memo/>")
    project.add_memo("<script>]]>\x03", coder="anna <x>")

    summary = export_qdpx(project, tmp_path / "hostile.qdpx")
    root, texts = read(tmp_path / "hostile.qdpx")
    assert summary["non_bmp_sources"] == ["hostile.txt"]
    (source,) = root.iterfind("q:Sources/q:TextSource", NS)
    text = source_text(source, texts)
    stored = project.store.transcript_text(project.transcript_id("hostile.txt"))
    assert text == stored and "<script>" in text
    assert not zipfile.ZipFile(tmp_path / "hostile.qdpx").read(
        "sources/" + source.get("plainTextPath").removeprefix("internal://")).startswith(b"\xef\xbb\xbf")
    selections = source.findall("q:PlainTextSelection", NS)
    assert len(selections) == len(segments)
    for selection, seg in zip(selections, segments):
        assert text[int(selection.get("startPosition")):int(selection.get("endPosition"))] == seg.text
    assert root.find("q:Users/q:User", NS).get("name") == "anna <x>"
    memos = sorted(n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS))
    assert "<script>]]>" in memos and "]]> <memo/>" in memos
    case = root.find("q:Cases/q:Case", NS)
    assert case.get("name") == "Aneby ]]> <b>"


def test_an_empty_project_exports_a_valid_archive(project, tmp_path):
    summary = export_qdpx(project, tmp_path / "empty.qdpx")
    root, texts = read(tmp_path / "empty.qdpx")
    assert summary["sources"] == summary["codings"] == 0 and texts == {}


def test_cli_exports_and_refuses_to_overwrite_without_force(demo_file, tmp_path):
    project = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, project)
    out = tmp_path / "demo.qdpx"
    runner = CliRunner()
    done = runner.invoke(cli, ["qdpx", "export", str(project), str(out), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "16 transcripts" in done.output
    read(out)
    out.write_bytes(b"keep me")
    refused = runner.invoke(cli, ["qdpx", "export", str(project), str(out)])
    assert refused.exit_code == 1 and "--force" in refused.output and "Traceback" not in refused.output
    assert out.read_bytes() == b"keep me"
    forced = runner.invoke(cli, ["qdpx", "export", str(project), str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    read(out)
    missing = runner.invoke(cli, ["qdpx", "export", str(project), str(tmp_path / "nowhere" / "x.qdpx")])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert sorted(x.name for x in tmp_path.iterdir()) == ["demo.qcode", "demo.qdpx"]  # no temporary file left


def test_pyqdpx_reads_the_export_back(demo_copy, tmp_path):
    try:
        import pyqdpx
    except (ImportError, SyntaxError) as exc:  # not installed, or a Python older than its 3.12 syntax
        pytest.skip(f"pyqdpx cannot be imported: {exc}")
    store = demo_copy.store
    export_qdpx(demo_copy, tmp_path / "demo.qdpx")
    qde = pyqdpx.QDPX(str(tmp_path / "demo.qdpx")).get_project()
    assert sorted(u.name for u in qde.users.values()) == ["anna", "erik"]
    assert len(qde.codes) == len(store.codes())
    segments = {(t["name"], s.start, s.end): s.text for t in store.transcripts() for s in store.segments(t["id"])}
    checked = 0
    for source in qde.sources.values():
        assert source.text_content == store.transcript_text(demo_copy.transcript_id(source.name))
        for selection in source.coded_selections.values():
            assert selection.text == segments[(source.name, selection.start, selection.end)]
            checked += 1
    assert checked > 100


def test_without_a_municipality_each_transcript_is_its_own_case(project, small_codebook, tmp_path):
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "a.txt"), write_interview(tmp_path / "b.txt", "Eksjö")])
    project.set_attributes("b.txt", {"roll": "Chef"})
    export_qdpx(project, tmp_path / "two.qdpx")
    root, _ = read(tmp_path / "two.qdpx")
    sources = {s.get("guid"): s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)}
    cases = {c.get("name"): [sources[r.get("targetGUID")] for r in c.iterfind("q:SourceRef", NS)]
             for c in root.iterfind("q:Cases/q:Case", NS)}
    assert cases == {"a.txt": ["a.txt"], "b.txt": ["b.txt"]}
    assert [v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)] == ["roll"]


def test_a_code_has_the_same_guid_in_the_qdc_and_the_qdpx_export(tmp_path, demo_file):
    """A code keeps one identity across both REFI-QDA files, so a tool that imports the codebook first and
    the project later (or the other way round) matches them up."""
    import zipfile

    from lxml import etree

    from coding import Project

    with Project.open(demo_file) as p:
        p.export_qdpx(tmp_path / "demo.qdpx")
        p.export_codebook(tmp_path / "book.qdc")
    qde = etree.fromstring(zipfile.ZipFile(tmp_path / "demo.qdpx").read("project.qde"))
    qdc = etree.parse(str(tmp_path / "book.qdc")).getroot()

    def guids(root):
        return {c.get("name"): c.get("guid") for c in root.iter("{*}Code")}

    in_project, in_book = guids(qde), guids(qdc)
    assert in_project and in_project == in_book
