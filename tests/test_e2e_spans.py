"""Spans in a real browser: text selected with the mouse or Shift+arrows becomes exact character offsets,
highlights show every code (overlapping ones too) with code and coder on hover, and hostile transcript
text stays inert. Headless Chromium (Debian's /usr/bin/chromium through Playwright), a real
`streamlit run` server.

The first tests mount the segment list alone (tests/span_list_app.py) on texts made to be hard to map
(emoji outside the BMP, HTML, segment gaps); the last ones drive the real coding page and read SQLite.
"""

from __future__ import annotations

import json
import time

import pytest

import app_helpers  # noqa: F401  (sys.path)
from e2e_helpers import CHAR_BOX, CHROMIUM, CHROMIUM_ARGS, ROOT, require_chromium, streamlit_server

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")

LIST_APP = ROOT / "tests" / "span_list_app.py"

# Two turns; the segments leave out the speaker labels and line breaks (gaps), as imported transcripts do.
TEXT = ("Intervjuare: Hur började 😀 arbetet med SE? Berätta gärna.\n"
        "SE-coach: Vi fick <b>pengar</b> från förbundet. Det var avgörande.\n"
        "Intervjuare: <script>alert('x')</script> <img src=x onerror=alert(1)> [länk](javascript:alert(2))\n")


def _segments(text: str) -> list[list]:
    """[start, end, speaker] of every sentence after a speaker label."""
    out, at = [], 0
    for line in text.splitlines(keepends=True):
        who, _, rest = line.partition(": ")
        start = at + len(who) + 2
        body = rest.rstrip("\n")
        cut = [0] + [i + 2 for i, ch in enumerate(body) if ch in ".?" and i + 2 < len(body)] + [len(body) + 1]
        for a, b in zip(cut, cut[1:]):
            out.append([start + a, start + min(b - 1, len(body)), who])
        at += len(line)
    return out


SEGMENTS = _segments(TEXT)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def list_page(tmp_path, browser):
    """The list app on TEXT with two overlapping spans; yields (page, dialogs)."""
    case = tmp_path / "case.json"
    a = TEXT.index("fick")
    case.write_text(json.dumps({
        "text": TEXT, "segments": SEGMENTS,
        "spans": [[a, TEXT.index(" från"), "ff_pengar", "anna"], [TEXT.index("pengar"), TEXT.index(" Det"),
                                                                   "hi_tid", "erik"]],
        "labels": {"ff_pengar": "Pengar <i>från</i> förbundet", "hi_tid": "Brist på tid"},
        "colors": {"ff_pengar": "#2e7d32", "hi_tid": "#c62828"}}), encoding="utf-8")
    config = tmp_path / "config"
    config.mkdir()
    with streamlit_server(tmp_path / "none.qcode", config_dir=config, app=LIST_APP,
                          env={"QCODE_LIST_CASE": str(case)}) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector(".qc-seg")
        yield page, dialogs
        page.close()


def out(page) -> dict:
    return json.loads(page.locator(".st-key-list-out code").inner_text())


def wait_out(page, check, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            got = out(page)
        except Exception:  # the block is being redrawn
            got = None
        if got is not None and check(got):
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last output {got}")
        time.sleep(0.05)





def drag(page, start: int, end: int) -> None:
    """Press the mouse on the left edge of character ``start`` and release it on the right edge of
    character ``end - 1`` (offsets into the transcript), moving in steps like a hand."""
    x0, y0 = page.evaluate(CHAR_BOX, [start, "left"])
    x1, y1 = page.evaluate(CHAR_BOX, [end - 1, "right"])
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=5)
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()


def test_a_drag_across_a_turn_boundary_gives_the_exact_offsets(list_page):
    page, _ = list_page
    start = TEXT.index("med SE?")       # inside the first turn, after an emoji (two UTF-16 units)
    end = TEXT.index("pengar</b>") + 3  # inside the second turn, in a segment of its own
    drag(page, start, end)
    got = wait_out(page, lambda o: o["pending"] is not None)
    assert got["pending"] == [start, end], (got, TEXT[start:end])
    # the redraw shows the pending selection and keeps it selected
    page.wait_for_selector(".qc-pend")
    shown = "".join(page.locator(".qc-pend").all_inner_texts())
    expected = "".join(TEXT[max(a, start):min(b, end)] for a, b, _ in SEGMENTS if a < end and b > start)
    assert shown == expected
    # Shift+→ twice extends it by two characters; Esc clears it
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    got = wait_out(page, lambda o: o["pending"] == [start, end + 2])
    page.keyboard.press("Escape")
    got = wait_out(page, lambda o: o["pending"] is None)
    assert got["events"][-1][0] == "clear"
    assert page.locator(".qc-pend").count() == 0


def test_a_selection_inside_one_segment_and_one_that_starts_in_a_speaker_line(list_page):
    page, _ = list_page
    start, end = TEXT.index("Berätta"), TEXT.index("Berätta") + len("Berätta")
    drag(page, start, end)
    assert wait_out(page, lambda o: o["pending"] is not None)["pending"] == [start, end]
    # from the number column of the second segment into its text: starts where its text starts
    second = SEGMENTS[1]
    num = page.locator('.qc-seg[data-pos="2"] .qc-num').bounding_box()
    x1, y1 = page.evaluate(CHAR_BOX, [second[0] + 3, "right"])
    page.mouse.move(num["x"] + 2, num["y"] + 4)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()
    assert wait_out(page, lambda o: o["pending"] != [start, end])["pending"] == [second[0], second[0] + 4]


def test_overlapping_highlights_show_both_codes_and_open_on_click(list_page):
    page, dialogs = list_page
    both = page.locator(".qc-hl", has_text="pengar").first
    shadow = both.evaluate("(e) => getComputedStyle(e).boxShadow")
    assert "46, 125, 50" in shadow and "198, 40, 40" in shadow  # two underlines, one per code colour
    both.hover()
    tip = page.locator(".qc-tip")
    tip.wait_for(state="visible")
    assert tip.inner_text() == "Pengar <i>från</i> förbundet — anna\nBrist på tid — erik"
    assert page.locator(".qc-tip i").count() == 0  # the label is text, not markup
    both.click()
    got = wait_out(page, lambda o: o["current"] is not None)
    # the innermost (shortest) span under the click opens
    a, b = TEXT.index("fick"), TEXT.index(" från")
    c, d = TEXT.index("pengar"), TEXT.index(" Det")
    inner = [a, b, "ff_pengar", "anna"] if b - a <= d - c else [c, d, "hi_tid", "erik"]
    assert got["current"] == inner
    page.wait_for_selector(".qc-hl.qc-cur")
    # focus and Enter open a highlight too (keyboard)
    only = page.locator(".qc-hl", has_text="förbundet").first
    only.focus()
    tip.wait_for(state="visible")
    assert tip.inner_text() == "Brist på tid — erik"
    page.keyboard.press("Enter")
    assert wait_out(page, lambda o: o["current"] == [c, d, "hi_tid", "erik"])
    assert dialogs == []


def test_hostile_text_stays_inert_text_in_the_list(list_page):
    page, dialogs = list_page
    page.wait_for_timeout(500)
    hostile = TEXT.splitlines()[2].split(": ", 1)[1]
    shown = "".join(page.locator(".qc-text").all_inner_texts())
    assert "<script>alert('x')</script>" in shown and "<img src=x onerror=alert(1)>" in shown
    assert "[länk](javascript:alert(2))" in shown and hostile.replace(" ", "") in shown.replace(" ", "")
    assert page.locator(".qc-list script, .qc-list img, .qc-list a, .qc-list b, .qc-list i").count() == 0
    # selecting over it and hovering change nothing
    start = TEXT.index("<script>")
    drag(page, start, start + 20)
    assert wait_out(page, lambda o: o["pending"] is not None)["pending"] == [start, start + 20]
    assert page.locator(".qc-list script, .qc-list img, .qc-list a").count() == 0
    assert dialogs == []


# ------------------------------------------------------------------ the real coding page

def _rows(path, sql, args=()):
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def _wait_rows(path, sql, n, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        found = _rows(path, sql)
        if len(found) >= n or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


SPANS = 'SELECT t.name, s.start, s."end", s.code_id, s.coder FROM spans s JOIN transcripts t ON t.id = s.transcript_id'


@pytest.fixture
def coding_page(tmp_path, browser):
    """The real app on a project with a hostile transcript, coder anna; yields (page, url, path, dialogs)."""
    from e2e_helpers import make_project

    path = make_project(tmp_path / "spans.qcode", hostile=True)
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text(json.dumps({"coders": {str(path.resolve()): "anna"}}), encoding="utf-8")
    with streamlit_server(path, config_dir=config) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield page, url, path, dialogs
        page.close()


def test_drag_select_across_a_turn_code_it_with_the_finder_and_see_it_after_a_reload(coding_page):
    from coding import Project

    page, url, path, dialogs = coding_page
    name = "aneby_se-coach.txt"
    with Project.open(path) as p:
        text = p.transcript_text(name)
    start = text.index("gärna")                      # the interviewer's turn …
    end = text.index("Vi fick pengar") + len("Vi fick")  # … into the coach's answer
    assert "SE-coach:" in text[start:end]
    page.goto(url + f"/coding?t={name}")
    page.wait_for_selector(".qc-seg")
    page.wait_for_timeout(500)
    drag(page, start, end)
    page.wait_for_selector(".st-key-qc-passage")  # the side panel shows the pending selection
    page.keyboard.press("/")
    page.keyboard.type("pengar")
    page.locator(".st-key-qc_match_ff_pengar").wait_for()
    page.keyboard.press("Enter")
    assert _wait_rows(path, SPANS, 1) == [(name, start, end, "ff_pengar", "anna")]
    page.wait_for_selector(".qc-hl")
    page.reload()
    page.wait_for_selector(".qc-hl")
    shown = "".join(page.locator(".qc-hl").all_inner_texts())
    assert shown == "gärna." + "Vi fick"  # the text of both segments under the span (the gap is not drawn)
    page.locator(".qc-hl").first.hover()
    assert page.locator(".qc-tip").inner_text() == "Ekonomiskt stöd från Samordningsförbund — anna"
    # a segment coded as a whole (key 1 on the selected segment) is highlighted too, and a click on its
    # text selects the segment, as on any segment (its chip is its control)
    page.locator('.qc-seg[data-pos="4"] .qc-num').click()
    page.get_by_text("Markerat: segment 4").wait_for()  # the server's answer (the click marks it at once)
    # key 1 is the shortcut of the first recent code's button, which is disabled until a segment is
    # selected: the caption above can be drawn before the rerun has enabled it
    page.locator(".st-key-qc_recent_ff_pengar button:not([disabled])").wait_for()
    page.keyboard.press("1")
    page.wait_for_selector('.qc-seg[data-pos="4"] .qc-chip')
    page.wait_for_selector('.qc-seg[data-pos="4"] .qc-hl')
    page.locator('.qc-seg[data-pos="5"] .qc-num').click()
    page.wait_for_selector('.qc-seg.sel[data-pos="5"]')
    page.locator('.qc-seg[data-pos="4"] .qc-hl').first.click()
    page.wait_for_selector('.qc-seg.sel[data-pos="4"]')
    assert page.locator(".st-key-qc-span").count() == 0
    assert dialogs == []


def test_a_hostile_transcript_stays_inert_text_while_it_is_selected_and_coded(coding_page):
    from coding import Project
    from e2e_helpers import HOSTILE

    page, url, path, dialogs = coding_page
    with Project.open(path) as p:
        text = p.transcript_text("hostile.txt")
    page.goto(url + "/coding?t=hostile.txt")
    page.wait_for_selector(".qc-seg")
    page.wait_for_timeout(800)
    shown = page.locator(".qc-list").inner_text()
    for part in ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "[klicka här](javascript:alert(2))",
                 "**fet**"):
        assert part in HOSTILE and part in shown
    start = text.index("<img")
    end = text.index("javascript:alert(2))") + len("javascript:alert(2))")
    drag(page, start, end)
    page.wait_for_selector(".st-key-qc-passage")
    page.keyboard.press("/")
    page.keyboard.type("tid")
    page.locator(".st-key-qc_match_hi_tid").wait_for()
    page.keyboard.press("Enter")
    assert _wait_rows(path, SPANS, 1) == [("hostile.txt", start, end, "hi_tid", "anna")]
    page.wait_for_selector(".qc-hl")
    assert "".join(page.locator(".qc-hl").all_inner_texts()) == text[start:end]
    page.locator(".qc-hl").first.hover()
    page.locator(".qc-hl").first.click()
    page.wait_for_selector(".st-key-qc-span")
    page.wait_for_timeout(500)
    assert page.locator(".qc-list script, .qc-list img, .qc-list a, .st-key-qc-span img, .st-key-qc-span a, "
                        "[data-testid='stMain'] img[src='x']").count() == 0
    assert not page.evaluate("[...document.scripts].some((s) => s.textContent.includes('alert('))")
    assert dialogs == []  # no alert ever fired


def test_overlapping_highlights_on_the_demo_project_with_screenshots(tmp_path, browser):
    """Highlights of two coders and several codes over one passage, a span open in the side panel; the
    screenshots (1280×720, 1440×900) go to test-artifacts/ and, when missing or with
    QCODE_UPDATE_SCREENSHOT=1, to docs/screenshots/."""
    import os
    import shutil

    from coding import Project

    path = tmp_path / "demo.qcode"
    name = "aneby_chef.txt"
    with Project.demo(path) as p:
        text = p.transcript_text(name)

        def span(phrase, until, code, coder, memo=None):
            a = text.index(phrase)
            b = text.index(until, a) + len(until)
            p.code_span(name, a, b, code, coder=coder, memo=memo)
            return a, b

        span("Den gick alldeles", "en halvtid", "impl_hi_gick_for_snabbt", "anna",
             memo="Starten: beslut i maj, utbildning i september")
        span("det fanns pengar", "en halvtid", "impl_ff_ekonomiskt_stod_samordningsforbund", "anna")
        span("pengar till", "halvtid", "impl_ff_ekonomiskt_stod_samordningsforbund", "erik")
        span("Samordningsförbundet på Höglandet", "projektet", "impl_ff_ekonomiskt_stod_samordningsforbund", "anna")
        span("beslutet togs", "förvaltningsledningen", "impl_hi_lag_forankring", "erik")
        span("Jag var inte med", "bestämdes", "impl_hi_lag_forankring", "anna")
        span("ingen tid att tänka", "lång sikt", "impl_hi_lang_startstracka", "anna")
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text(json.dumps({"coders": {str(path.resolve()): "anna"}}), encoding="utf-8")
    shots = ROOT / "docs" / "screenshots"
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with streamlit_server(path, config_dir=config) as url:
        for width, height in ((1440, 900), (1280, 720)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url + f"/coding?t={name}&s=19")
            page.wait_for_selector(".qc-hl")
            # three codes of two coders over "pengar till en halvtid": three underlines, code and coder on hover
            piece = page.locator(".qc-hl", has_text="halvtid").first
            assert piece.evaluate("(e) => getComputedStyle(e).boxShadow.split('inset').length - 1") == 3
            mine = page.locator(".qc-hl", has_text="Den gick alldeles").first
            mine.hover()
            assert page.locator(".qc-tip").inner_text() == "Implementeringen gick för snabbt — anna"
            mine.click()  # my span opens in the side panel: remove, change code, its memo
            page.wait_for_selector(".st-key-qc_span_rm")
            assert page.locator(".st-key-qc-span textarea").input_value() == "Starten: beslut i maj, utbildning i " \
                "september"
            assert page.locator(".qc-seg.sel").count() == 0  # the passage, not a segment, is the selection
            piece.hover()
            page.wait_for_timeout(300)
            file = f"spans-{width}x{height}.png"
            page.screenshot(path=str(artifacts / file))
            if not (shots / file).exists() or os.environ.get("QCODE_UPDATE_SCREENSHOT") == "1":
                shots.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(artifacts / file, shots / file)
            page.close()
