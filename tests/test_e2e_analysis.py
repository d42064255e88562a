"""The analysis pages in a real browser: `streamlit run app.py` on the demo project, headless Chromium.

Matrix: the table draws, a click on a table cell shows the segments behind it, the heat map draws one
panel per category. Agreement: the table and the colour legend draw, one click accepts anna's codes for
the first disagreement (checked in SQLite). Screenshots go to test-artifacts/ (matrix.png,
matrix-cell.png, matrix-heatmap.png, agreement.png, agreement-review.png).
Skipped like tests/test_e2e_browser.py when /usr/bin/chromium is missing (outside CI).
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

import app_helpers  # noqa: F401  (sys.path)
from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, streamlit_server, require_chromium

ARTIFACTS = ROOT / "test-artifacts"

require_chromium()

sync_api = pytest.importorskip("playwright.sync_api")


def consensus_rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT segment_id, code_id FROM codings WHERE coder = 'consensus' "
                           "ORDER BY segment_id, code_id").fetchall()
    finally:
        con.close()


def scroll_to(page, selector: str) -> None:
    page.locator(selector).first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def test_matrix_and_agreement_pages_of_the_demo(tmp_path):
    from coding import Project
    from coding.demo import demo_codebook_path
    from coding.matrix import build_matrix, cell_segments
    from coding.project_agreement import disagreements

    if not demo_codebook_path().exists():
        pytest.skip("the demo corpus is not in this checkout")
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        table = build_matrix(p.store, "kommun", "count").table
        row, column = str(table.index[1]), str(table.columns[0])
        expected = cell_segments(p.store, row, column, rows="kommun")
        first = disagreements(p.store, ["anna", "erik"])[0]
    config = tmp_path / "config"
    config.mkdir()
    (config / "app.json").write_text('{"coders": {"%s": "anna"}}' % str(path.resolve()), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with streamlit_server(path, config_dir=config) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})

        # ------------------------------------------------------------ matrix
        page.goto(url + "/matrix")
        grid = page.get_by_test_id("stDataFrame").first
        grid.wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "matrix.png"))
        # click the first code's cell in the second row (the index column is narrower than 100 px)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 180, box["y"] + 35 * 2 + 17)
        page.get_by_text(f"{expected[0]['speaker']}: {expected[0]['text']}", exact=True).first.wait_for()
        scroll_to(page, "[class*='st-key-qcmxseg-0']")
        page.screenshot(path=str(ARTIFACTS / "matrix-cell.png"))
        # the heat map tab: one panel per category, drawn by Vega in the browser (no error box)
        page.get_by_role("tab", name="Värmekarta").click()
        chart = page.locator(".st-key-qc-mx-heat canvas, .st-key-qc-mx-heat svg.marks").first
        chart.wait_for()
        size = chart.bounding_box()
        assert size["height"] > 2000 and size["width"] > 300  # 107 codes down the side, 8 municipalities across
        assert not page.get_by_test_id("stException").count()
        page.locator(".st-key-qc-mx-heat").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "matrix-heatmap.png"))

        # --------------------------------------------------------- agreement
        page.goto(url + "/agreement")
        page.get_by_text("Krippendorffs (2004)", exact=False).first.wait_for()
        page.get_by_test_id("stDataFrame").nth(1).wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "agreement.png"))
        button = page.locator(f".st-key-qc_ag_acc_{first['segment_id']}_anna button")
        button.scroll_into_view_if_needed()
        button.click()
        deadline = time.monotonic() + 10
        while not consensus_rows(path) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert consensus_rows(path) == [(first["segment_id"], c) for c in sorted(first["codes"]["anna"])]
        page.locator(f".st-key-qcagdone-{first['segment_id']}").wait_for()
        page.get_by_text("Beslutat av anna", exact=False).first.wait_for()
        scroll_to(page, f".st-key-qcagdone-{first['segment_id']}")
        page.screenshot(path=str(ARTIFACTS / "agreement-review.png"))
        browser.close()
    print(f"\nbrowser: matrix and agreement pages with a cell pick and a decision in "
          f"{time.monotonic() - started:.1f} s")
