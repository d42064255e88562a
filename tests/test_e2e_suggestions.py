"""Code suggestions in a real browser: `streamlit run app.py` on a copy of the demo with stored proposals,
headless Chromium; a coder accepts one proposal with A and rejects one with X, and SQLite shows a coding
marked as from the model, a remembered rejection, and nothing else changed."""

from __future__ import annotations

import sqlite3
import time

import pytest

import app_helpers  # noqa: F401  (sys.path)
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, require_chromium, streamlit_server

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")

T = "aneby_chef.txt"


def rows(path, sql, args=()):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def wait_for(path, sql, want, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while True:
        found = rows(path, sql)
        if found == want or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def idle(page) -> None:
    """Wait until the app's script run has finished (a key pressed during a rerun may land on a button that
    is being replaced)."""
    page.wait_for_timeout(200)
    page.wait_for_function("() => { const a = document.querySelector('[data-testid=stApp]'); "
                           "return a && !['running', 'rerunRequested'].includes(a.getAttribute("
                           "'data-test-script-state')); }", timeout=30000)


def _first_id(path, position: int) -> int:
    """The id of the best open proposal on a segment (the one A and X decide)."""
    return rows(path, "SELECT p.id FROM proposals p JOIN segments s ON s.id = p.segment_id WHERE s.position = ? "
                      "AND p.state = 'proposed' ORDER BY p.score DESC, p.code_id LIMIT 1", (position,))[0][0]


def test_accept_with_a_and_reject_with_x_in_the_browser(tmp_path, demo_file):
    import shutil

    from coding import Project

    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    with Project.open(path) as p:
        p.suggest_train("anna")
        p.suggest_run("anna", [T], min_score=0.3)
    codings_before = rows(path, "SELECT segment_id, code_id, coder, source FROM codings ORDER BY id")
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    with streamlit_server(path, config_dir=config) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector(".qc-list")
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=T, exact=False).first.click()
        page.wait_for_selector('.qc-seg[data-pos="40"]')
        with_props = page.locator(".qc-seg:has(.qc-prop)")
        assert with_props.count() >= 2
        # proposals are drawn apart from chips: dashed, with their score
        style = page.locator(".qc-prop").first.evaluate("e => getComputedStyle(e).borderTopStyle")
        assert style == "dashed"

        # accept: click a segment, press A
        first = int(with_props.first.get_attribute("data-pos"))
        code = page.locator(f'.qc-seg[data-pos="{first}"] .qc-prop').first.get_attribute("data-code")
        page.locator(f'.qc-seg[data-pos="{first}"] .qc-text').first.click()
        page.wait_for_selector(f'.qc-seg.sel[data-pos="{first}"]')
        page.wait_for_selector(f'.st-key-qc-prop-{_first_id(path, first)}')  # the server knows the selection
        idle(page)
        page.keyboard.press("a")
        sql = ("SELECT s.position, c.code_id, c.source FROM codings c JOIN segments s ON s.id = c.segment_id "
               "WHERE c.source != ''")
        assert wait_for(path, sql, [(first, code, "suggestion:1")]) == [(first, code, "suggestion:1")]
        page.wait_for_selector(f'.qc-seg[data-pos="{first}"] .qc-chip[data-code="{code}"]')

        # reject: another segment, press X
        last = int(with_props.last.get_attribute("data-pos"))
        assert last != first
        rejected = page.locator(f'.qc-seg[data-pos="{last}"] .qc-prop').first.get_attribute("data-code")
        page.locator(f'.qc-seg[data-pos="{last}"] .qc-text').first.click()
        page.wait_for_selector(f'.qc-seg.sel[data-pos="{last}"]')
        page.wait_for_selector(f'.st-key-qc-prop-{_first_id(path, last)}')
        idle(page)
        page.keyboard.press("x")
        sql = ("SELECT s.position, p.code_id, p.state FROM proposals p JOIN segments s ON s.id = p.segment_id "
               "WHERE p.state = 'rejected'")
        assert wait_for(path, sql, [(last, rejected, "rejected")]) == [(last, rejected, "rejected")]
        page.wait_for_selector(f'.qc-seg[data-pos="{last}"] .qc-prop[data-code="{rejected}"]', state="detached")
        browser.close()
    # nothing became a coding without the coder's action: exactly one new coding, the accepted one
    after = rows(path, "SELECT segment_id, code_id, coder, source FROM codings ORDER BY id")
    assert after[:len(codings_before)] == codings_before and len(after) == len(codings_before) + 1
    assert rows(path, "SELECT state, count(*) FROM proposals WHERE state != 'proposed' GROUP BY state") == [
        ("accepted", 1), ("rejected", 1)]
