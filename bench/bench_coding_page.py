"""Benchmark of the coding page in real Chromium, until the page is idle.

Issue 11's goals: a full load of the coding page ≤ 1.5 s, switching transcript ≤ 0.8 s, a coding action
(Enter in the code finder) → its chip visible ≤ 0.3 s, on this kind of machine.

What is measured, on the demo project (aneby_chef.txt: 102 segments, a page of 50), in one run:

* **lean** — the baseline: ``bench/lean_page.py``, the leanest Streamlit page with the same 50 segments
  as text and one code picker (no widget per segment);
* **before** (with ``--before REF``, e.g. the commit before the change) — the coding page of that commit,
  run from a git worktree on a demo project built by that commit's code;
* **now** — the coding page of this tree.

Each page is loaded ``--runs`` times in a fresh browser context (a new session). "Idle" means: the
page's own content is drawn and no DOM change happened for 500 ms; a time is the moment of the last DOM
change before that quiet (``performance.now()``, from navigation start or from the triggering input), so
waiting for quiet adds nothing to the figure. Each figure is the median (and min–max).

Run:  python bench/bench_coding_page.py --before d5b2e5f      (~3 min)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from e2e_helpers import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

FIRST, SECOND = "aneby_chef.txt", "eksjo_se-coach.txt"
QUIET_MS = 500
CODER = "bench"  # a coder of their own, with no codings yet: every Enter adds a chip
OBSERVER = """
window.__lastMutation = performance.now();
new MutationObserver(() => { window.__lastMutation = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def idle(page, ready: str, timeout_ms: int = 30000) -> float:
    """Wait until ``ready`` is drawn and the DOM has been quiet for QUIET_MS; the last change's time."""
    page.wait_for_selector(ready, timeout=timeout_ms)
    page.wait_for_function(f"performance.now() - window.__lastMutation > {QUIET_MS}", timeout=timeout_ms,
                           polling=50)
    return page.evaluate("window.__lastMutation")


def summary(values: list[float]) -> dict:
    v = sorted(values)
    return {"n": len(v), "median_ms": round(statistics.median(v)), "min_ms": round(v[0]), "max_ms": round(v[-1])}


VARIANTS = {
    # name: (url path, "list drawn" selector, chip selector template or None)
    "lean": ("/", ".st-key-lean-list", None),
    "before": ("/", "[class*='st-key-qcseg-'], [class*='st-key-qcsel-']",
               "((b) => !!b && b.innerText.includes('Ensam position'))(document.querySelector("
               "'.st-key-qcsel-{pos} [data-testid=stMultiSelect]'))"),
    "now": ("/coding", ".qc-seg",
            "!!document.querySelector(\".qc-seg[data-pos='{pos}'] .qc-chip[data-code='{code}']\")"),
}


def measure(variant: str, app: Path, project: Path, runs: int, workdir: Path, browser) -> dict:
    path, ready, chip = VARIANTS[variant]
    config = workdir / f"config-{variant}"
    config.mkdir(exist_ok=True)
    (config / "app.json").write_text(json.dumps({"coders": {str(project.resolve()): CODER}}), encoding="utf-8")
    out = {"full_load": [], "switch_transcript": [], "enter_to_chip": []}
    with streamlit_server(project, config_dir=config, app=app) as url:
        for i in range(runs + 1):  # the first load warms the server's imports and caches: not counted
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            context.add_init_script(OBSERVER)
            page = context.new_page()
            page.goto(f"{url}{path}?t={FIRST}")
            loaded = idle(page, ready)
            if i:
                out["full_load"].append(loaded)
            # switch transcript: from the click on the other transcript to idle
            page.get_by_test_id("stSelectbox").first.click()
            option = page.get_by_role("option", name=SECOND, exact=False).first
            option.wait_for()
            t0 = page.evaluate("performance.now()")
            option.click()
            page.wait_for_function(f"document.body.innerText.includes({json.dumps('Eksjö')})", timeout=30000)
            switched = idle(page, ready)
            if i:
                out["switch_transcript"].append(switched - t0)
            if chip and i:
                pos = 2 + i
                target = page.locator(f"[class*='st-key-qc_pick_{pos}'] button").first if variant == "before" \
                    else page.locator(f".qc-seg[data-pos='{pos}']")
                target.click()
                idle(page, ready)
                page.keyboard.press("/")
                page.keyboard.type("ensam position")
                page.locator(".st-key-qc_match_impl_hi_ensam_position").wait_for()
                idle(page, ready)
                shown = chip.format(pos=pos, code="impl_hi_ensam_position")  # a JS expression: is the chip there?
                assert not page.evaluate(shown)
                page.evaluate("""(shown) => {
                  window.__chipAt = null; window.__enterAt = null;
                  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__enterAt =
                    performance.now(); }, {capture: true, once: true});
                  const check = new Function('return ' + shown);
                  const obs = new MutationObserver(() => { if (check()) {
                    window.__chipAt = performance.now(); obs.disconnect(); } });
                  obs.observe(document, {subtree: true, childList: true, attributes: true,
                                         characterData: true}); }""", shown)
                page.keyboard.press("Enter")
                try:
                    page.wait_for_function("window.__chipAt !== null", timeout=30000, polling=20)
                except Exception:
                    page.screenshot(path=str(workdir / f"failed-{variant}.png"))
                    raise
                out["enter_to_chip"].append(page.evaluate("window.__chipAt - window.__enterAt"))
            context.close()
    return {k: summary(v) for k, v in out.items() if v}


def before_tree(ref: str, workdir: Path) -> tuple[Path, Path]:
    """A worktree of ``ref`` and a demo project built by its own code (its schema)."""
    tree = workdir / "before"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True,
                   capture_output=True)
    project = workdir / "before.qcode"
    subprocess.run([sys.executable, "-c", f"from coding import Project; p = Project.demo({str(project)!r}); "
                    f"p.add_coder({CODER!r}); p.close()"],
                   cwd=str(tree), env={**os.environ, "PYTHONPATH": str(tree)}, check=True)
    return tree, project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", default=None, help="a git ref whose coding page to measure too")
    parser.add_argument("--only", default=None, help="measure only this variant (lean, before or now)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "bench_coding_page.json"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from coding import Project

    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform()}, "runs": args.runs}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(os.environ.get("BENCH_WORKDIR") or tmp)
        project = workdir / "demo.qcode"
        with Project.demo(project) as demo:
            demo.add_coder(CODER)
        tree = None
        try:
            plan = [("lean", ROOT / "bench" / "lean_page.py", project)]
            if args.before:
                tree, old_project = before_tree(args.before, workdir)
                plan.append(("before", tree / "app.py", old_project))
            plan.append(("now", ROOT / "app.py", project))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for name, app, proj in plan:
                    if args.only and name != args.only:
                        continue
                    results[name] = measure(name, app, proj, args.runs, workdir, browser)
                    print(name, json.dumps(results[name]), flush=True)
                browser.close()
        finally:
            if tree is not None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               capture_output=True)
    if args.only:
        return
    lean = results["lean"]["full_load"]["median_ms"]
    results["ratio_full_load_now_vs_lean"] = round(results["now"]["full_load"]["median_ms"] / lean, 2)
    if "before" in results:
        results["ratio_full_load_before_vs_lean"] = round(results["before"]["full_load"]["median_ms"] / lean, 2)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
