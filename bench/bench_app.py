"""Benchmark of the coding screen on a 2-hour interview (1,500 segments).

Builds a project with the test codebook and a 1,500-segment WebVTT interview
(tests/e2e_helpers.py), then measures:

A. In process, with Streamlit's AppTest (the whole script reruns, so this is an
   upper bound of the fragment rerun a coding click causes in a real session):
   * opening the transcript: the run after choosing it in the transcript picker;
   * a coding action: the run after clicking a code in the finder (segment selected),
     and after adding a code in a segment's code box;
   * moving the selection (J).
B. With a real server and a real browser (`streamlit run app.py` with QCODE_TIMING=1,
   Debian's headless Chromium through Playwright), unless --no-browser:
   * server side: the time the server spends on the rerun a coding action causes
     (callback + fragment body, printed by the app), and on the run that opens the transcript;
   * in the browser: from the key press (Enter in the code finder) until the new code shows
     on the segment, and from choosing the transcript until its first page is drawn.

Each figure is the median (and p90, max) of --runs repetitions (default 15; at least 10).

Run:  python bench/bench_app.py               (~1 min)
      python bench/bench_app.py --no-browser  (AppTest only)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, make_project, streamlit_server  # noqa: E402

LONG = "lang_intervju.vtt"
SHORT = "aneby_se-coach.txt"


def summary(values_ms: list[float]) -> dict:
    v = sorted(values_ms)
    return {"n": len(v), "median_ms": round(statistics.median(v), 1),
            "p90_ms": round(v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))], 1), "max_ms": round(v[-1], 1)}


def timed_run(at) -> float:
    t0 = time.perf_counter()
    at.run()
    ms = 1000 * (time.perf_counter() - t0)
    assert not at.exception, [e.value for e in at.exception]
    return ms


def pick_code(project: Path, query: str) -> tuple[str, str]:
    """The code the finder puts first for ``query`` (id, Swedish label)."""
    from coding import Project
    from ui.page_coding import _matches

    with Project.open(project) as p:
        codes = [c for c in p.store.codes() if c.active]
    top = _matches(codes, query)[0]
    return top.id, top.label_sv


def bench_apptest(project: Path, runs: int, query: str) -> dict:
    from streamlit.testing.v1 import AppTest

    code_id, _ = pick_code(project, query)
    os.environ["QCODE_PROJECT"] = str(project)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["qc_coder"] = "anna"
    at.run()
    from app_helpers import list_rows, pick, trigger

    opens, applies, chips_removed, moves = [], [], [], []
    for _ in range(runs):
        at.selectbox(key="qc_transcript").select(SHORT)
        at.run()
        at.selectbox(key="qc_transcript").select(LONG)
        opens.append(timed_run(at))
    assert len(list_rows(at)) == 50
    for i in range(runs):
        pick(at, i + 1)
        at.text_input(key="qc_code_q").input(query)
        at.run()
        at.button(key=f"qc_match_{code_id}").click()
        applies.append(timed_run(at))
        at.button(key="qc_next").click()
        moves.append(timed_run(at))
    for i in range(runs):  # the ✕ on a chip: remove the code applied above
        t0 = time.perf_counter()
        trigger(at, "qc_list", "remove", {"pos": i + 1, "code": code_id, "n": i})
        chips_removed.append(1000 * (time.perf_counter() - t0))
    return {"open_transcript": summary(opens), "apply_code_finder_click": summary(applies),
            "remove_code_chip_x": summary(chips_removed), "move_selection_J": summary(moves)}


def _timings(log: Path, start: int, kind: str) -> list[float]:
    text = log.read_text(errors="replace")[start:]
    return [float(x) for x in re.findall(rf"qcode-timing {kind} ([0-9.]+) ms", text)]


def bench_browser(project: Path, runs: int, workdir: Path, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    code_id, label = pick_code(project, query)
    config = workdir / "config"
    config.mkdir(exist_ok=True)
    (config / "app.json").write_text(json.dumps({"coders": {str(project.resolve()): "anna"}}), encoding="utf-8")
    log = config / "streamlit.log"
    server_open, server_apply, browser_open, browser_apply, server_move = [], [], [], [], []
    with streamlit_server(project, config_dir=config, env={"QCODE_TIMING": "1"}) as url, \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(url)
        page.wait_for_selector(".qc-list")

        def choose(name: str) -> None:
            page.get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name=name, exact=False).first.click()

        def settle() -> None:
            page.wait_for_timeout(250)

        for _ in range(runs):
            choose(SHORT)
            page.wait_for_selector('.qc-seg[data-pos="11"]')
            settle()
            mark = len(log.read_text(errors="replace"))
            t0 = time.perf_counter()
            choose(LONG)
            page.wait_for_selector('.qc-seg[data-pos="50"]')
            browser_open.append(1000 * (time.perf_counter() - t0))
            settle()
            server_open += _timings(log, mark, "app")[-1:]
        for i in range(runs):
            pos = i + 1
            page.locator(f'.qc-seg[data-pos="{pos}"]').click()
            page.wait_for_selector(f'.qc-seg.sel[data-pos="{pos}"]')
            settle()
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.locator(f".st-key-qc_match_{code_id}").wait_for()
            settle()
            mark = len(log.read_text(errors="replace"))
            t0 = time.perf_counter()
            page.keyboard.press("Enter")
            page.locator(f'.qc-seg[data-pos="{pos}"] .qc-chip').get_by_text(label).wait_for()
            browser_apply.append(1000 * (time.perf_counter() - t0))
            settle()
            server_apply += _timings(log, mark, "workspace")[:1]
            mark = len(log.read_text(errors="replace"))
            page.keyboard.press("j")
            page.wait_for_selector(f'.qc-seg.sel[data-pos="{pos + 1}"]')
            settle()
            server_move += _timings(log, mark, "workspace")[:1]
        browser.close()
    return {"server_open_transcript_run": summary(server_open),
            "server_coding_action_rerun": summary(server_apply),
            "server_move_selection_rerun": summary(server_move),
            "browser_open_transcript": summary(browser_open),
            "browser_enter_to_code_shown": summary(browser_apply)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--segments", type=int, default=1500)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--codebook", default=str(ROOT / "codebooks" / "se_ips.yaml"),
                        help="codebook of the project (default: the shipped SE/IPS codebook, 146 codes; "
                             "the small test codebook when it is missing)")
    parser.add_argument("--query", default=None, help="what the coder types in the code finder")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "bench_app.json"))
    args = parser.parse_args()
    runs = max(10, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["QCODE_CONFIG_DIR"] = str(tmp / "config-apptest")
        os.environ.pop("QCODE_SIGNIN", None)
        t0 = time.perf_counter()
        codebook = Path(args.codebook) if args.codebook and Path(args.codebook).exists() else None
        query = args.query or ("lag forankring" if codebook else "forankring")
        project = make_project(tmp / "bench.qcode", long_segments=args.segments, codebook=codebook)
        build_s = time.perf_counter() - t0
        from coding import Project
        with Project.open(project) as p:
            n_codes = len(p.store.codes())
        results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                               "platform": platform.platform()},
                   "segments": args.segments, "codes": n_codes, "codebook": str(codebook or "test codebook"),
                   "query": query, "runs": runs, "build_project_s": round(build_s, 2),
                   "apptest": bench_apptest(project, runs, query)}
        if not args.no_browser:
            if Path(CHROMIUM).exists():
                browser_project = make_project(tmp / "bench-browser.qcode", long_segments=args.segments,
                                               codebook=codebook)
                results["browser"] = bench_browser(browser_project, runs, tmp, query)
            else:
                results["browser"] = f"skipped: {CHROMIUM} is missing (make browser)"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{args.segments}-segment transcript, {results['codes']} codes, {runs} runs each "
          "(median / p90 / max, ms)")
    for part in ("apptest", "browser"):
        if isinstance(results.get(part), dict):
            for name, s in results[part].items():
                print(f"  {part:8s} {name:34s} {s['median_ms']:8.1f} {s['p90_ms']:8.1f} {s['max_ms']:8.1f}")
        elif part in results:
            print(f"  {part}: {results[part]}")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
