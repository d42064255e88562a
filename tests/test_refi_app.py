"""REFI-QDA in the app: a .qdc codebook is imported and downloaded on the Codebook page, the whole project
downloads as .qdpx from the Project page."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from coding import Project
from coding.refi_codebook import codebook_to_qdc
from app_helpers import messages, open_app, run

QDC_FROM_ANOTHER_TOOL = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette">
  <Codes>
    <Code guid="{8F7A1C2E-1111-4A2B-9C3D-000000000001}" name="Arbetsgivarkontakter" isCodable="true">
      <Code guid="{8F7A1C2E-1111-4A2B-9C3D-000000000002}" name="Tidig kontakt" isCodable="true"/>
    </Code>
  </Codes>
  <Sets/>
</CodeBook>"""


def test_a_qdc_from_another_tool_is_imported_on_the_codebook_page(app_project):
    at = open_app(page="app_pages/codebook.py")
    at.file_uploader(key="qc_cb_upload_0").set_value(("taguette.qdc", QDC_FROM_ANOTHER_TOOL, "application/xml"))
    at = run(at)
    at.button(key="qc_cb_import_btn").click()
    at = run(at)
    assert messages(at.success), messages(at.error)
    with Project.open(app_project) as p:
        labels = {c.label_sv: c for c in p.codes()}
    assert labels["Tidig kontakt"].parent_id == labels["Arbetsgivarkontakter"].id
    assert at.get("download_button") and any(b.proto.id and "qc_cb_dl_qdc" in b.proto.id
                                              for b in at.get("download_button"))


def test_a_hostile_qdc_is_refused_and_changes_nothing(app_project):
    with Project.open(app_project) as p:
        before = [c.id for c in p.codes()]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="g" name="&b;"/></Codes></CodeBook>')
    at = open_app(page="app_pages/codebook.py")
    at.file_uploader(key="qc_cb_upload_0").set_value(("bomb.qdc", bomb, "application/xml"))
    at = run(at)
    at.button(key="qc_cb_import_btn").click()
    at = run(at)
    assert any("bomb.qdc" in m for m in messages(at.error))
    with Project.open(app_project) as p:
        assert [c.id for c in p.codes()] == before


def test_the_project_page_offers_the_project_as_qdpx(app_project):
    from ui.page_project import _qdpx_bytes

    at = open_app(page="app_pages/project.py")
    assert any("qc_qdpx_dl" in (b.proto.id or "") for b in at.get("download_button"))
    archive = zipfile.ZipFile(io.BytesIO(_qdpx_bytes(str(app_project), "sv")))
    root = etree.fromstring(archive.read("project.qde"))
    with Project.open(app_project) as p:
        names = {t["name"] for t in p.transcripts()}
        qdc = etree.fromstring(codebook_to_qdc(p, "sv"))
    assert {s.get("name") for s in root.iter("{*}TextSource")} == names
    assert {c.get("guid") for c in root.iter("{*}Code")} == {c.get("guid") for c in qdc.iter("{*}Code")}
