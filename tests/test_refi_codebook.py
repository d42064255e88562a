"""REFI-QDA codebooks (.qdc): export validated against the REFI schema, round trip, other tools' files,
hostile files refused (library and CLI), stable GUIDs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from coding import Project
from coding.cli import cli
from coding.codebook import load_codebook
from coding.errors import CodebookProblem, QcodeError
from coding.refi_codebook import NAMESPACE, code_guid, codebook_to_qdc, qdc_to_codebook
from conftest import ROOT

XSD = ROOT / "coding" / "data" / "refi" / "Codebook-mrt2019.xsd"
SE_IPS = ROOT / "coding" / "data" / "codebooks" / "se_ips.yaml"
Q = "{%s}" % NAMESPACE


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def tree_of(book, lang="sv"):
    """(label path, colour) of every code: the tree as a reader sees it, independent of ids."""
    def path(code):
        labels = []
        while code is not None:
            labels.append(code.label(lang))
            code = book[code.parent] if code.parent else None
        return " / ".join(reversed(labels))
    return [(path(c), c.color.upper()) for c in book.codes]


def test_the_shipped_xsds_are_the_refi_originals():
    shared = ROOT.parent / "shared" / "refi"
    for name in ("Codebook-mrt2019.xsd", "Project-mrt2019.xsd"):
        ours = (ROOT / "coding" / "data" / "refi" / name).read_bytes()
        assert b"MIT license" in ours and b"www.qdasoftware.org" in ours
        if (shared / name).exists():
            assert ours == (shared / name).read_bytes()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_se_ips_codebook_exports_valid_against_the_schema(lang):
    book = load_codebook(SE_IPS)
    assert len(book) == 146
    data = codebook_to_qdc(book, lang=lang)
    doc = etree.fromstring(data)
    schema().assertValid(doc)
    codes = doc.findall(f".//{Q}Code")
    assert len(codes) == 146
    first = book.codes[0]
    top = doc.find(f"{Q}Codes/{Q}Code")
    assert top.get("name") == first.label(lang) and top.get("guid") == code_guid(first.id)
    assert [c.get("name") for c in top.findall(f"{Q}Code")] == [c.label(lang) for c in book.children(first.id)]
    assert all(c.get("isCodable") == "true" for c in codes)
    coloured = [c for c in book.codes if c.color]
    assert coloured and all(doc.find(f".//{Q}Code[@guid='{code_guid(c.id)}']").get("color") == c.color.upper()
                            for c in coloured)
    leaf = next(c for c in book.codes if c.text("include", lang) and c.text("definition", lang))
    text = doc.find(f".//{Q}Code[@guid='{code_guid(leaf.id)}']/{Q}Description").text
    label = {"sv": "Inkludera när: ", "en": "Include when: "}[lang]
    assert text.startswith(leaf.text("definition", lang).strip()) and label + leaf.text("include", lang).strip() in text


def test_guids_are_stable_across_exports_and_projects(tmp_path):
    one = Project.create(tmp_path / "one.qcode")
    two = Project.create(tmp_path / "two.qcode")
    one.load_codebook(SE_IPS)
    two.load_codebook(SE_IPS)
    first = codebook_to_qdc(one.store)
    assert codebook_to_qdc(one) == first == codebook_to_qdc(two.store)
    guids = [c.get("guid") for c in etree.fromstring(first).iter(f"{Q}Code")]
    assert len(set(guids)) == 146
    one.close()
    two.close()


def test_round_trip_into_an_empty_project_keeps_tree_labels_and_colours(tmp_path):
    source = Project.create(tmp_path / "source.qcode")
    source.load_codebook(SE_IPS)
    qdc = source.export_codebook(tmp_path / "book.qdc", lang="en")
    empty = Project.create(tmp_path / "empty.qcode")
    result = empty.load_codebook(qdc)
    assert result["added"] == 146
    back = empty.codebook()
    assert tree_of(back, "en") == tree_of(source.codebook(), "en")
    assert all(c.label_sv == c.label_en for c in back.codes)
    code = next(c for c in source.codebook().codes if c.text("definition", "en"))
    assert back.codes[source.codebook().codes.index(code)].definition.startswith(code.text("definition", "en"))
    # Back into the project it came from: the GUIDs lead to the same ids, nothing is added.
    again = source.load_codebook(qdc)
    assert again["added"] == 0 and again["updated"] == 146
    assert [c.id for c in source.codebook().codes] == [c.id for c in load_codebook(SE_IPS).codes]
    source.close()
    empty.close()


TAGUETTE = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette 1.4.1">
  <Codes>
    <Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A01" name="Hinder" isCodable="true">
      <Code guid="{B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A02}" name="Tid" isCodable="true"/>
      <Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A03" name="Stöd från chefen" isCodable="false" color="red">
        <Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A04" name="Tid" isCodable="true" color="#abc"/>
      </Code>
    </Code>
    <Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A05" name="Framgång" isCodable="true">
      <Description>Det som hjälper.</Description>
      <Extension xmlns="urn:example:other"><Anything/></Extension>
    </Code>
  </Codes>
  <Sets/>
</CodeBook>
"""


def test_a_codebook_from_another_tool_imports(tmp_path, project):
    path = tmp_path / "taguette.qdc"
    path.write_text(TAGUETTE, encoding="utf-8")
    result = project.load_codebook(path)
    assert result["added"] == 5
    book = project.codebook()
    assert [(c.id, c.parent, c.label_sv, c.label_en, c.color) for c in book.codes] == [
        ("hinder", None, "Hinder", "Hinder", ""),
        ("hinder_tid", "hinder", "Tid", "Tid", ""),
        ("hinder_stod_fran_chefen", "hinder", "Stöd från chefen", "Stöd från chefen", ""),
        ("hinder_stod_fran_chefen_tid", "hinder_stod_fran_chefen", "Tid", "Tid", "#AABBCC"),
        ("framgang", None, "Framgång", "Framgång", ""),
    ]
    assert book["framgang"].definition == "Det som hjälper."
    assert project.store.audit_log(limit=1)[0]["action"] == "codebook.import"
    # The same file again gives the same ids: an update, not a copy.
    assert project.load_codebook(path) == {"added": 0, "updated": 5, "removed": 0, "deactivated": 0}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A01" name="&lol4;" isCodable="true"/></Codes></CodeBook>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="B7D1A5E2-4C3F-4E8B-9A10-2F6D8C1E0A01" name="x" isCodable="true"><Description>&xxe;</Description>
</Code></Codes></CodeBook>
"""
HOSTILE = {
    "billion_laughs": (BILLION_LAUGHS.encode(), "DOCTYPE"),
    "billion_laughs_utf16": (BILLION_LAUGHS.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>').encode("utf-16"),
                             "DOCTYPE"),
    "external_entity": (EXTERNAL.encode(), "DOCTYPE"),
    "not_xml": ("id,label_sv\na,A\n".encode(), "is not XML"),
    "broken_xml": (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes></CodeBook>', "is not valid XML"),
    "wrong_namespace": (TAGUETTE.replace("urn:QDA-XML:codebook:1.0", "urn:QDA-XML:project:1.0").encode(),
                        "namespace 'urn:QDA-XML:project:1.0'"),
    "code_without_name": (TAGUETTE.replace(' name="Tid" isCodable="true"/>', ' isCodable="true"/>').encode(),
                          "a <Code> without a name"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_and_broken_files_are_refused_naming_the_file(case, tmp_path, small_codebook):
    data, message = HOSTILE[case]
    with pytest.raises(CodebookProblem) as caught:
        qdc_to_codebook(data, "evil.qdc")
    assert str(caught.value).startswith("evil.qdc") and message in str(caught.value)
    assert "root:" not in str(caught.value)  # /etc/passwd never leaks into a message

    proj = tmp_path / "s.qcode"
    assert run("init", proj, "--codebook", small_codebook).exit_code == 0
    with Project.open(proj) as p:
        before = (p.codebook().codes, len(p.store.audit_log()))
    evil = tmp_path / "evil.qdc"
    evil.write_bytes(data)
    result = run("codebook", "import", proj, evil, "--replace")
    assert result.exit_code == 1, result.output
    assert str(evil) in result.output and message in result.output and "Traceback" not in result.output
    with Project.open(proj) as p:
        assert (p.codebook().codes, len(p.store.audit_log())) == before


def test_error_lines_point_at_the_element():
    data = TAGUETTE.replace(' name="Tid" isCodable="true"/>', ' isCodable="true"/>').encode()
    with pytest.raises(QcodeError) as caught:
        qdc_to_codebook(data, "book.qdc")
    assert caught.value.path == "book.qdc" and str(caught.value) == "book.qdc: line 5: a <Code> without a name"
    with pytest.raises(QcodeError) as caught:
        qdc_to_codebook(b'<CodeBook xmlns="urn:other">\n</CodeBook>', "book.qdc")
    assert caught.value.line == 1


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    from coding import refi_codebook

    monkeypatch.setattr(refi_codebook, "MAX_BYTES", 1000)
    with pytest.raises(CodebookProblem, match="larger than"):
        qdc_to_codebook(TAGUETTE.encode() + b" " * 1000, "big.qdc")


def test_cli_exports_and_imports_qdc(tmp_path, small_codebook):
    proj = tmp_path / "s.qcode"
    assert run("init", proj, "--codebook", small_codebook).exit_code == 0
    out = tmp_path / "book.qdc"
    result = run("codebook", "export", proj, out, "--lang", "en")
    assert result.exit_code == 0 and "Wrote 5 codes" in result.output
    doc = etree.parse(str(out))
    schema().assertValid(doc)
    names = [c.get("name") for c in doc.iter(f"{Q}Code")]
    assert names == ["Success factors", "Support in the SE network", "Supportive management", "Obstacles",
                     "Lonely SE-coach role"]
    assert doc.find(f".//{Q}Code[@name='Support in the SE network']").get("color") == "#2E7D32"
    sv = tmp_path / "bok.qdc"
    assert run("codebook", "export", proj, sv).exit_code == 0
    assert b'name="Framg\xc3\xa5ngsfaktorer"' in sv.read_bytes()

    other = tmp_path / "other.qcode"
    assert run("init", other).exit_code == 0
    result = run("codebook", "import", other, out)
    assert result.exit_code == 0 and "5 added" in result.output
    with Project.open(other) as p:
        assert [c.label_en for c in p.codebook().codes] == names


def test_an_empty_codebook_cannot_be_exported(project):
    with pytest.raises(CodebookProblem, match="no codes"):
        codebook_to_qdc(project.store)


def test_help_shows_qdc_examples():
    out = run("codebook", "export", "--help").output
    assert "codebook.qdc --lang en" in out and "--lang" in out
    assert ".qdc" in run("codebook", "import", "--help").output


def test_package_data_lists_the_schemas():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"coding.data.refi" = ["*.xsd", "*.md"]' in text
    assert Path(XSD).exists() and (XSD.parent / "Project-mrt2019.xsd").exists() and (XSD.parent / "README.md").exists()
