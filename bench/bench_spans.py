"""Benchmark of span coding on the coding page: select text with the mouse, code it, see it highlighted.

Issue 12's goals: selection → span in SQLite and highlighted ≤ 0.5 s in real Chromium on a 1,500-segment
transcript; the rerun caused by a coding ≤ 100 ms server time.

Project: the 1,500-sentence WebVTT interview of tests/e2e_helpers.py and the shipped SE/IPS codebook
(146 codes); `streamlit run` with ``QCODE_TIMING=1`` (the server logs the time of each working-area run:
callback + fragment); Debian's Chromium headless through Playwright, 1440×900. Each repetition drags the
mouse from the middle of one segment into the next one (a span across a segment boundary), then:

* **select → pending** — mouse released → the pending selection drawn by the server's answer;
* **key → highlighted** — key 1 (the recent code) pressed → the new highlight drawn (the span's row is
  then checked in SQLite: it is always there first);
* **selection → span stored and highlighted** — the two together (the coder's own time between them,
  reading and pressing a key, left out);
* **server: rerun caused by the coding** — from ``QCODE_TIMING``.

Before the run, ``--spans`` spans (default 300, ten codes, 30 of them of the code the run applies) are
coded further on in the transcript, so every coding re-derives the segments of a code already in use.
Median (and min–max) of ``--runs`` repetitions after one warm-up.

Run:  python bench/bench_spans.py --runs 7      (~1 min; --spans 0 for a transcript with no codings)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e_helpers import CHAR_BOX, CHROMIUM, CHROMIUM_ARGS, make_project, streamlit_server  # noqa: E402

LONG = "lang_intervju.vtt"
CODE, QUERY = "impl_hi_ensam_position", "ensam position"


# record performance.now() when ``check`` first holds after a DOM change
WATCH = """(check) => {
  window.__doneAt = null;
  const ok = new Function('return ' + check);
  const obs = new MutationObserver(() => { if (ok()) { window.__doneAt = performance.now(); obs.disconnect(); } });
  obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def summary(values: list[float]) -> dict:
    v = sorted(values)
    return {"n": len(v), "median_ms": round(statistics.median(v)), "min_ms": round(v[0]), "max_ms": round(v[-1])}


def _timings(log: Path, start: int) -> list[float]:
    text = log.read_text(errors="replace")[start:]
    return [float(x) for x in re.findall(r"qcode-timing workspace ([0-9.]+) ms", text)]


def _segments(project: Path) -> list[tuple[int, int, int]]:
    from coding import Project

    with Project.open(project) as p:
        return [(s.position, s.start, s.end) for s in p.segments(LONG)]


def _coded_already(project: Path, n: int) -> None:
    """``n`` spans by anna from segment 40 on: parts of sentences and stretches over two, ten codes."""
    from coding import Project

    with Project.open(project) as p:
        codes = [c.id for c in p.codes() if c.active and c.parent_id][:9] + [CODE]
        segs = p.segments(LONG)[40:]
        rows = []
        for i in range(n):
            s, nxt = segs[(i * 7) % (len(segs) - 1)], segs[(i * 7) % (len(segs) - 1) + 1]
            end = nxt.start + 10 if i % 3 == 0 else s.start + 20 + i % 15
            rows.append((p.transcript_id(LONG), s.start + i % 9, end, codes[i % len(codes)], "anna", None, None))
        with p.store.transaction():
            p.store.add_spans(rows)


def bench(project: Path, runs: int, workdir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    segs = _segments(project)
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    (config / "app.json").write_text(json.dumps({"coders": {str(project.resolve()): "anna"}}), encoding="utf-8")
    log = config / "streamlit.log"
    select_ms, key_ms, total_ms, server_ms = [], [], [], []
    with streamlit_server(project, config_dir=config, env={"QCODE_TIMING": "1"}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/coding?t={LONG}")
        page.wait_for_selector(".qc-seg")
        page.wait_for_timeout(800)
        for i in range(runs + 1):  # the first one (through the finder, so that key 1 knows the code) warms up
            pos, a, b = segs[2 * i]
            _, c, d = segs[2 * i + 1]
            start, end = (a + b) // 2, (c + d) // 2
            page.locator(f'.qc-seg[data-pos="{pos}"]').evaluate("(e) => e.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(100)
            x0, y0 = page.evaluate(CHAR_BOX, [start, "left"])
            x1, y1 = page.evaluate(CHAR_BOX, [end - 1, "right"])
            page.mouse.move(x0, y0)
            page.mouse.down()
            page.mouse.move(x1, y1, steps=6)
            page.evaluate(WATCH, "!!document.querySelector('.st-key-qc-passage') && !!document.querySelector("
                                 f"'.qc-seg[data-pos=\"{pos}\"] .qc-pend')")
            t0 = page.evaluate("performance.now()")
            page.mouse.up()
            try:
                page.wait_for_function("window.__doneAt !== null", timeout=30000, polling=20)
            except Exception:
                page.screenshot(path=str(ROOT / "bench" / "out" / "failed-select.png"))
                print(page.evaluate("String(getSelection())"), start, end, x0, y0, x1, y1, file=sys.stderr)
                raise
            selected = page.evaluate("window.__doneAt") - t0
            page.wait_for_timeout(300)
            highlighted = f"!!document.querySelector('.qc-seg[data-pos=\"{pos}\"] .qc-hl:not(.qc-pend)')"
            if i == 0:
                page.keyboard.press("/")
                page.keyboard.type(QUERY)
                page.locator(f".st-key-qc_match_{CODE}").wait_for()
                page.keyboard.press("Enter")
                page.wait_for_function(highlighted, timeout=30000)
                page.wait_for_timeout(500)
                continue
            mark = len(log.read_text(errors="replace"))
            page.evaluate(WATCH, highlighted)
            t1 = page.evaluate("performance.now()")
            page.keyboard.press("1")
            page.wait_for_function("window.__doneAt !== null", timeout=30000, polling=20)
            coded = page.evaluate("window.__doneAt") - t1
            con = sqlite3.connect(project)
            stored = con.execute('SELECT count(*) FROM spans WHERE start = ? AND "end" = ? AND code_id = ?',
                                 (start, end, CODE)).fetchone()[0]
            con.close()
            assert stored == 1, (start, end)
            page.wait_for_timeout(400)
            select_ms.append(selected)
            key_ms.append(coded)
            total_ms.append(selected + coded)
            server_ms += _timings(log, mark)[:1]
        browser.close()
    return {"select_to_pending": summary(select_ms), "key_to_highlighted": summary(key_ms),
            "selection_to_span_stored_and_highlighted": summary(total_ms),
            "server_coding_rerun": summary(server_ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--spans", type=int, default=300,
                        help="spans coded before the run (anna, 10 codes, spread over the transcript beyond the "
                             "segments the benchmark codes); the run's own code gets a tenth of them")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "bench_spans.json"))
    args = parser.parse_args()
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform()}, "runs": args.runs}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        codebook = ROOT / "codebooks" / "se_ips.yaml"
        project = make_project(workdir / "bench.qcode", long_segments=1500,
                               codebook=codebook if codebook.exists() else None)
        if args.spans:
            _coded_already(project, args.spans)
        t0 = time.perf_counter()
        results["browser"] = bench(project, args.runs, workdir)
        results["seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
