"""In a real browser: the coding page plays a VTT interview's recording from the selected segment's time.

`streamlit run app.py` on a temporary project with a WAV recording attached; headless Chromium loads
the audio through Streamlit's media endpoint and seeks to the segment's start. Skipped only when
/usr/bin/chromium is missing outside CI (see tests/e2e_helpers.py).
"""

from __future__ import annotations

import pytest

import app_helpers  # noqa: F401  (sys.path)
from coding import Project
from conftest import write_wav
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, make_project, require_chromium, streamlit_server

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")

AUDIO_STATE = """() => { const a = document.querySelector('audio');
    return a ? [a.currentTime, a.readyState, a.duration] : null; }"""


def test_the_recording_plays_from_the_selected_segment(tmp_path):
    project = make_project(tmp_path / "media.qcode", long_segments=40)
    with Project.open(project) as p:
        p.attach_media("lang_intervju.vtt", write_wav(tmp_path / "lang_intervju.wav", seconds=240, rate=4000))
        starts = {s.position: s.t_start for s in p.segments("lang_intervju.vtt")}
    config = tmp_path / "config"
    config.mkdir()
    with sync_api.sync_playwright() as pw, streamlit_server(project, config_dir=config) as url:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="anna", exact=True).click()
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_selector(".qc-list")
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="lang_intervju.vtt", exact=False).first.click()
        page.wait_for_selector('.qc-seg[data-pos="30"]')

        page.locator('.qc-seg[data-pos="21"]').click()
        page.wait_for_selector('.qc-seg.sel[data-pos="21"]')
        assert page.locator("audio").count() == 0  # not before the coder asks for it
        page.locator(".st-key-qc_media_on").get_by_text("Spela upp från").click()
        page.wait_for_selector("audio")
        page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=15000)
        current, ready, duration = page.evaluate(AUDIO_STATE)
        assert current == int(starts[21]) > 0 and duration == pytest.approx(240, abs=1)

        page.locator('.qc-seg[data-pos="35"]').click()  # another segment: the player moves there
        page.wait_for_selector('.qc-seg.sel[data-pos="35"]')
        page.wait_for_function(f"() => document.querySelector('audio').currentTime == {int(starts[35])}",
                               timeout=15000)
        browser.close()
