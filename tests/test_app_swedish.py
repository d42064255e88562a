"""No English Streamlit words in the Swedish app where our own words can stand instead: every select box
and multiselect has our placeholder (Streamlit's own is "Choose an option"), dates read YYYY-MM-DD,
and the codebook forms show no "Press Enter to submit form". Checked in the source, in AppTest and in
a real browser on every page of the demo project. And the codes' own texts follow the app's language."""

from __future__ import annotations

import ast

import pytest

from app_helpers import open_app, run
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server

STREAMLIT_DEFAULTS = ("Choose an option", "Choose options", "Choose or add an option", "No options to select")


def widget_calls(kind: str):
    for path in sorted([ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "app_pages").glob("*.py")]):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == kind:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", {k.arg for k in node.keywords}


def test_every_choice_in_the_app_has_our_own_placeholder():
    calls = [(where, kws) for kind in ("selectbox", "multiselect") for where, kws in widget_calls(kind)]
    assert len(calls) > 25
    assert [where for where, kws in calls if "placeholder" not in kws] == []
    dates = list(widget_calls("date_input"))
    assert dates and [where for where, kws in dates if "format" not in kws] == []


def test_the_codebook_page_speaks_the_language_of_the_app(app_project):
    sv = open_app(page="app_pages/codebook.py")
    assert sv.selectbox(key="qc_cb_pick").placeholder == "Välj, eller skriv för att söka …"
    assert sv.selectbox(key="qc_cb_merge_src").placeholder == "Välj, eller skriv för att söka …"
    assert sv.text_area(key="qc_cb_new_definition_en").placeholder == "Vad koden betyder"
    en = open_app(page="app_pages/codebook.py", lang="en")
    assert en.selectbox(key="qc_cb_pick").placeholder == "Choose, or type to search …"
    placeholders = [w.placeholder for w in [*sv.selectbox, *sv.multiselect, *sv.text_area]]
    assert not [p for p in placeholders if p in STREAMLIT_DEFAULTS]


def test_the_matrix_filters_say_all_when_empty(demo):
    at = open_app(page="app_pages/matrix.py")
    at = run(at)
    assert at.multiselect(key="qc_mx_under").placeholder == "Hela kodboken"
    assert at.multiselect(key="qc_mx_where_kommun").placeholder == "Alla"
    assert at.selectbox(key="qc_mx_rows").placeholder == "Välj …"


PAGES = {"": ".st-key-qc_transcript", "project": ".st-key-qc_unit", "codebook": ".st-key-qc_cb_pick",
         "search": ".st-key-qc_search_all", "matrix": ".st-key-qc_mx_rows", "agreement": ".st-key-qc_ag_scope"}
JS = """() => [...document.querySelectorAll('input, textarea')].map(e => e.placeholder).filter(p => p)"""


def settled(page, timeout: float = 20.0) -> list[str]:
    """The placeholders on the page once the script has finished drawing it (unchanged for a second)."""
    import time

    deadline, last = time.monotonic() + timeout, None
    while True:
        page.wait_for_timeout(1000)
        now = page.evaluate(JS)
        if (now and now == last) or time.monotonic() > deadline:
            return now
        last = now


def test_no_page_of_the_swedish_app_shows_streamlits_english_placeholders(tmp_path, demo_file):
    import shutil

    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    seen: dict[str, list[str]] = {}
    with streamlit_server(path, config_dir=config) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        for name, ready in PAGES.items():
            page.goto(f"{url}/{name}")
            page.wait_for_selector(ready, timeout=60_000)
            seen[name] = settled(page)
        browser.close()
    assert all(seen.values()), seen
    assert "Välj, eller skriv för att söka …" in seen["codebook"]
    assert {name: [p for p in found if p in STREAMLIT_DEFAULTS] for name, found in seen.items()} == {
        name: [] for name in PAGES}


def test_the_coding_page_shows_a_codes_texts_in_the_language_of_the_app(app_project):
    from coding import Project
    from app_helpers import texts

    with Project.open(app_project) as p:
        p.update_code("hi_tid", definition_sv="För lite tid för SE-arbetet.", definition_en="Too little time for SE.",
                      example_sv="«Jag hinner inte.»", example_en="«I do not have the time.»", actor="anna")
    shown = {}
    for lang in ("sv", "en"):
        at = open_app(lang=lang)
        at.text_input(key="qc_code_q").input("hi_tid")
        shown[lang] = texts(run(at))
    assert "För lite tid för SE-arbetet." in shown["sv"] and "«Jag hinner inte.»" in shown["sv"]
    assert "Too little time for SE." in shown["en"] and "«I do not have the time.»" in shown["en"]
    assert "Too little time for SE." not in shown["sv"] and "För lite tid för SE-arbetet." not in shown["en"]
