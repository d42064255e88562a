"""The quotes page in a real browser: `streamlit run app.py` on the demo project, headless Chromium.

Pick a code by typing in the code picker, read its quotes grouped by municipality, download the Word report
(the download runs the library in the server) and read it back. Screenshot: test-artifacts/quotes.png.
Skipped like tests/test_e2e_browser.py when /usr/bin/chromium is missing (outside CI).
"""

from __future__ import annotations

import pytest

import app_helpers  # noqa: F401  (sys.path)
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server

ARTIFACTS = ROOT / "test-artifacts"

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


def test_pick_a_code_read_its_quotes_and_download_the_word_report(tmp_path):
    import docx

    from coding import Project

    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        report = p.quotes(codes=["impl_hi_ensam_position"])
        label = report.sections[0].label
    first = report.sections[0].groups[0].quotes[0]
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    with streamlit_server(path, config_dir=config) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        page.goto(url + "/quotes")
        picker = page.locator(".st-key-qc_qt_codes input")
        picker.wait_for()
        picker.click()
        page.keyboard.type(label)
        page.get_by_role("option", name=label).first.click()
        page.keyboard.press("Escape")
        page.get_by_text(first.text, exact=True).first.wait_for()
        for group in report.sections[0].groups:
            page.get_by_text(f"{group.label} ({len(group.quotes)})", exact=True).first.wait_for()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "quotes.png"))
        with page.expect_download() as info:
            page.locator(".st-key-qc_qt_dl_docx button").click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        browser.close()
    assert saved.name == "citat-impl_hi_ensam_position.docx"
    document = docx.Document(saved)
    assert [x.text for x in document.paragraphs if x.style.name == "Quote"] == [
        q.text for _, _, q in report.quotes()]
    assert [x.text for x in document.paragraphs if x.style.name == "Heading 1"] == [label]
