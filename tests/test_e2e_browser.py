"""End to end in a real browser: `streamlit run app.py` on a temporary project, headless Chromium
(Debian's /usr/bin/chromium driven by Playwright), clicks and keys like a coder, rows checked in SQLite
(the coding session also on a project on a throwaway PostgreSQL server, rows checked there).

Skipped only when /usr/bin/chromium is missing outside CI (`make browser` installs it); in CI
(CI=true) a missing browser fails the test instead, so the browser path can never be skipped silently.
Screenshots go to test-artifacts/; the demo-project one is also docs/screenshot-coding.png (README),
written when it is missing or when QCODE_UPDATE_SCREENSHOT=1.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

import app_helpers  # noqa: F401  (sys.path)
from coding.store.url import parse_location
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, make_project, streamlit_server, require_chromium
from pg_helpers import new_database  # the server is conftest's pg_server, started only when asked for

ARTIFACTS = ROOT / "test-artifacts"
DOCS_SHOT = ROOT / "docs" / "screenshot-coding.png"

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def rows(path: Path | str, sql: str, args=()) -> list[tuple]:
    """The rows of ``sql`` in the project: a file, or a PostgreSQL URL (a str; ``sql`` without parameters)."""
    if isinstance(path, str):
        import psycopg

        location = parse_location(path)
        with psycopg.connect(location.conninfo, autocommit=True) as con:
            con.execute(f'SET search_path TO "{location.schema}"')
            return [tuple(r) for r in con.execute(sql).fetchall()]
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def wait_for_rows(path: Path, sql: str, n: int, timeout: float = 10.0) -> list[tuple]:
    """The app saves at once; poll the database until the rows are there (or time out)."""
    deadline = time.monotonic() + timeout
    while True:
        found = rows(path, sql)
        if len(found) >= n or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


CODINGS = ("SELECT t.name, s.position, c.code_id, c.coder FROM codings c JOIN segments s ON s.id = c.segment_id "
           "JOIN transcripts t ON t.id = s.transcript_id ORDER BY c.id")


def seg(n: int) -> str:
    return f'.qc-seg[data-pos="{n}"]'


def sel(n: int) -> str:
    return f'.qc-seg.sel[data-pos="{n}"]'


def pick_transcript(page, name: str) -> None:
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=name, exact=False).first.click()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_project(request, tmp_path, monkeypatch) -> Path | str:
    """Where the test project goes: a file, or a schema on a throwaway PostgreSQL server (a URL)."""
    if request.param == "sqlite":
        return tmp_path / "e2e.qcode"
    monkeypatch.setenv("QCODE_USER_DATA_DIR", str(tmp_path / "data"))
    return new_database(request.getfixturevalue("pg_server")) + "?schema=e2e"


def test_code_a_long_transcript_with_clicks_and_keys(tmp_path, browser, engine_project):
    """The same coder's session on a project file and on a project on PostgreSQL."""
    project = make_project(engine_project, long_segments=1500, hostile=True, sources=tmp_path / "sources")
    config = tmp_path / "config"
    config.mkdir()
    dialogs = []
    with streamlit_server(project, config_dir=config) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        # first start: pick my name (remembered on this machine afterwards)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="anna", exact=True).click()
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_selector(".qc-list")

        # open the 2-hour interview (1,500 segments): one page of 50 is drawn
        started = time.monotonic()
        pick_transcript(page, "lang_intervju.vtt")
        page.wait_for_selector(seg(50))
        open_s = time.monotonic() - started
        assert page.locator(".qc-seg").count() == 50

        # click segment 3, press "/", type without accents, Enter: the top match is applied
        page.locator(seg(3)).click()
        page.wait_for_selector(sel(3))
        page.keyboard.press("/")
        page.keyboard.type("forankring")
        page.locator(".st-key-qc_match_ff_forankring").wait_for()
        started = time.monotonic()
        page.keyboard.press("Enter")
        page.locator(sel(3) + " .qc-chip").get_by_text("Förankring i ledningen").wait_for()
        apply_s = time.monotonic() - started
        assert wait_for_rows(project, CODINGS, 1) == [("lang_intervju.vtt", 3, "ff_forankring", "anna")]

        # J moves to segment 4, "1" applies the most recent code again
        page.keyboard.press("j")
        page.wait_for_selector(sel(4))
        started = time.monotonic()
        page.keyboard.press("1")
        page.locator(sel(4) + " .qc-chip").get_by_text("Förankring i ledningen").wait_for()
        key_s = time.monotonic() - started
        # Shift+J extends the selection to 4–5; a click on a code in the finder codes both
        page.keyboard.press("Shift+J")
        page.wait_for_selector(sel(5))
        page.keyboard.press("/")
        page.keyboard.type("ensam")
        page.locator(".st-key-qc_match_hi_ensam button").first.click()
        found = wait_for_rows(project, CODINGS, 4)
        assert found[2:] == [("lang_intervju.vtt", 4, "hi_ensam", "anna"), ("lang_intervju.vtt", 5, "hi_ensam", "anna")]
        # U undoes the last step (both segments)
        page.keyboard.press("u")
        deadline = time.monotonic() + 10
        while len(rows(project, CODINGS)) != 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rows(project, CODINGS) == [("lang_intervju.vtt", 3, "ff_forankring", "anna"),
                                          ("lang_intervju.vtt", 4, "ff_forankring", "anna")]
        # J further down the page: the list scrolls so that the selected segment stays in view
        for n in range(6, 26):
            page.keyboard.press("j")
            page.wait_for_selector(sel(n))
        page.wait_for_timeout(400)
        in_view = page.evaluate("""() => { const r = document.querySelector('.qc-seg.sel').getBoundingClientRect();
            const l = document.querySelector('.qc-list').getBoundingClientRect();
            return r.top >= l.top - 1 && r.bottom <= l.bottom + 1; }""")
        assert in_view
        ARTIFACTS.mkdir(exist_ok=True)
        suffix = "" if isinstance(project, Path) else "-postgresql"
        page.screenshot(path=str(ARTIFACTS / f"coding-long-transcript{suffix}.png"))

        # transcript text is data: shown literally, never run or rendered
        pick_transcript(page, "hostile.txt")
        page.get_by_text("<script>alert('x')</script> Vad hände sen?").wait_for()
        page.get_by_text("[klicka här](javascript:alert(2)) samt **fet** text.", exact=False).wait_for()
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        page.wait_for_timeout(300)
        assert dialogs == []
        page.close()
    engine = "SQLite" if isinstance(project, Path) else "PostgreSQL"
    print(f"\nbrowser ({engine}): open 1,500-segment transcript {open_s:.2f} s; Enter->code shown {apply_s:.2f} s; "
          f"key 1->code shown {key_s:.2f} s")


def test_demo_project_screenshot_of_the_coding_page(tmp_path, browser):
    """The coding page on realistic data (the demo corpus when present), for the README."""
    from coding import Project
    from coding.demo import demo_codebook_path

    path = tmp_path / "demo.qcode"
    if demo_codebook_path().exists():
        Project.demo(path).close()
        name, code, query = "aneby_chef.txt", None, "lag forankring"
    else:
        make_project(path)
        name, code, query = "aneby_se-coach.txt", "ff_forankring", "forankring"
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    with streamlit_server(path, config_dir=config) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector(".qc-list")
        pick_transcript(page, name)
        page.wait_for_selector(seg(6))
        page.locator(seg(3)).click()
        page.wait_for_selector(sel(3))
        before = len(rows(path, CODINGS))
        page.keyboard.press("/")
        page.keyboard.type(query)
        first = page.locator("[class*='st-key-qc_match_'] button").first
        first.wait_for()
        code = code or page.locator("[class*='st-key-qc_match_']").first.get_attribute("class").split(
            "st-key-qc_match_")[1].split()[0]
        page.keyboard.press("Enter")
        found = wait_for_rows(path, CODINGS, before + 1)
        assert (name, 3, code, "anna") in found
        page.locator(sel(3) + " .qc-chip").first.wait_for()
        page.keyboard.press("/")
        page.keyboard.type(query)
        page.locator("[class*='st-key-qc_match_'] button").first.wait_for()
        page.wait_for_timeout(400)
        page.evaluate("() => document.querySelectorAll('[data-testid=stMain], .st-key-qc-side')"
                      ".forEach(e => e.scrollTo(0, 0))")
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "screenshot-coding.png"
        page.screenshot(path=str(shot))
        page.close()
    if not DOCS_SHOT.exists() or os.environ.get("QCODE_UPDATE_SCREENSHOT") == "1":
        DOCS_SHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, DOCS_SHOT)


def test_the_researchers_day_defects_stay_fixed(tmp_path, browser):
    """Issue 11 in a real browser: one Enter gives one toast (never a growing stack), the memo box stays
    visible beside a code definition at 1440×900, a 1280×720 screen shows at least 8 segments, Shift+click
    selects a range, the ✕ on a chip removes that code, Shift+U redoes an undo, and a reload or a bookmark
    of /coding?t=…&s=… returns to the same transcript and segment."""
    path = make_project(tmp_path / "day.qcode", long_segments=120)
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    with streamlit_server(path, config_dir=config) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url + "/coding?t=lang_intervju.vtt&s=7")
        page.wait_for_selector(sel(7))  # the bookmark opens the transcript and the segment
        assert "/coding" in page.url
        page.wait_for_timeout(500)
        page.keyboard.press("/")
        page.keyboard.type("forankring")
        page.locator(".st-key-qc_match_ff_forankring").wait_for()
        page.keyboard.press("Enter")
        page.locator(sel(7) + " .qc-chip").wait_for()
        # the definition shows in the panel and the memo box is still there, visible and usable
        page.locator(".st-key-qc-def").wait_for()
        box = page.locator(".st-key-qc-memo textarea").bounding_box()
        assert box and box["height"] >= 40 and 0 <= box["y"] and box["y"] + box["height"] <= 900
        page.locator(".st-key-qc-memo textarea").fill("Tydligt exempel på förankring")
        page.locator(".st-key-qc-memo textarea").press("Control+Enter")
        assert wait_for_rows(path, "SELECT text FROM memos", 1) == [("Tydligt exempel på förankring",)]
        # the same Enter again and again: one "already there" toast each time, never more
        toasts = page.locator("[data-testid='stToast']")
        for _ in range(3):
            page.wait_for_timeout(300)
            before = toasts.get_by_text("fanns redan").count()
            page.keyboard.press("/")
            page.keyboard.type("forankring")
            page.locator(".st-key-qc_match_ff_forankring").wait_for()
            page.keyboard.press("Enter")
            page.wait_for_timeout(900)
            assert toasts.get_by_text("fanns redan").count() <= before + 1
        assert rows(path, CODINGS) == [("lang_intervju.vtt", 7, "ff_forankring", "anna")]
        # Shift+click selects 7–10; "1" codes all four; the ✕ on segment 9's chip takes it off 9 only
        page.locator(seg(10)).click(modifiers=["Shift"])
        page.wait_for_selector(sel(8))  # drawn by the server's answer (the click itself marks 10 at once)
        assert page.locator(".qc-seg.sel").count() == 4
        page.keyboard.press("1")
        wait_for_rows(path, CODINGS, 4)
        page.locator(seg(9) + " .qc-chip button").click()
        deadline = time.monotonic() + 10
        while len(rows(path, CODINGS)) != 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [r[1] for r in rows(path, CODINGS)] == [7, 8, 10]
        # U undoes the removal, Shift+U redoes it
        page.keyboard.press("u")
        wait_for_rows(path, CODINGS, 4)
        page.keyboard.press("Shift+U")
        deadline = time.monotonic() + 10
        while len(rows(path, CODINGS)) != 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [r[1] for r in rows(path, CODINGS)] == [7, 8, 10]
        # a reload returns to the same place
        page.locator(seg(12)).click()
        page.wait_for_url("**/coding?t=lang_intervju.vtt&s=12", timeout=10000)
        page.reload()
        page.wait_for_selector(sel(12))
        page.wait_for_timeout(1500)
        assert page.evaluate("""() => { const r = document.querySelector('.qc-seg.sel').getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight; }""")  # and scrolls it into view
        # a 1280×720 laptop shows at least 8 whole segments below the controls
        page.set_viewport_size({"width": 1280, "height": 720})
        page.wait_for_timeout(600)
        visible = page.evaluate("""() => { const l = document.querySelector('.qc-list').getBoundingClientRect();
            return [...document.querySelectorAll('.qc-seg')].filter(r => { const b = r.getBoundingClientRect();
              return b.top >= l.top - 1 && b.bottom <= Math.min(l.bottom, innerHeight) + 1; }).length; }""")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "coding-1280x720.png"))
        assert visible >= 8, visible
        page.close()
