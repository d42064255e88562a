"""Benchmark of agreement: Krippendorff's alpha per code on the large synthetic project.

Opens the project that ``bench/bench_core.py`` builds (``bench/out/large.qcode``:
1,000 transcripts, ≈ 600k segments, 3 coders, ≈ 1M codings), copies it, marks
every transcript done for the three coders (``--not-done`` leaves a share of
each coder's transcripts unfinished, to exercise missing data) and then, in
the same run and on the same data:

* **qcode**: :func:`coding.agreement_design.agreement` -- alpha for every code,
  *including* reading the codings from SQLite and building the arrays;
* **baseline**: ``krippendorff.alpha`` (PyPI) once per code on units x coders
  arrays built independently here from the store's plain listing of codings
  (only its alpha calls are timed; building its input is reported apart).

Checks that every value agrees to 1e-9 (and that the same codes are
undefined), and prints a JSON report with the medians of ``--runs`` runs and
the ratio qcode / baseline.

Run:  python bench/bench_core.py && python bench/bench_agreement.py
      python bench/bench_agreement.py --scale 0.05        (builds a small project first)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_core import median_time  # noqa: E402  (bench/ is on sys.path when run as a script)
from coding import agreement_design as pa  # noqa: E402
from coding.codings import mark_done  # noqa: E402
from coding.store import Store  # noqa: E402

CODERS = ["coder1", "coder2", "coder3"]


def copy_project(src: Path, dst: Path) -> None:
    """A consistent copy of an SQLite project (WAL included) via SQLite's backup API."""
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst)
    source.backup(target)
    target.close()
    source.close()


def prepare(path: Path, not_done: float, seed: int) -> dict:
    """Mark transcripts done for the coders (all, or all but a random share each)."""
    rng = random.Random(seed)
    with Store.open(path) as store:
        names = [t["name"] for t in store.transcripts()]
        done = {}
        for coder in CODERS:
            chosen = [n for n in names if rng.random() >= not_done]
            mark_done(store, coder, chosen)
            done[coder] = set(chosen)
        counts = store.counts()
    return {"done": done, "counts": counts}


def baseline_arrays(path: Path, codes: list[str]) -> tuple[list[np.ndarray], float]:
    """Per code a coders x units float array (NaN = coder not done) for ``krippendorff.alpha``.

    Built without any of qcode's agreement code: the store's listing of
    segments, done-markers and codings, and plain NumPy.
    """
    start = time.perf_counter()
    with Store.open(path) as store:
        pairs = sorted((s, t) for t, ids in store.transcript_segment_ids().items() for s in ids)
        done_tids = {c: store.done_transcripts(c) for c in CODERS}
        codings = {c: store.codings(coder=c) for c in CODERS}
    seg_id = np.array([s for s, _ in pairs], dtype=np.int64).reshape(-1)
    seg_tid = np.array([t for _, t in pairs], dtype=np.int64).reshape(-1)
    done = np.stack([np.isin(seg_tid, np.fromiter(done_tids[c], dtype=np.int64)) for c in CODERS])
    keep = done.any(axis=0)
    seg_id, done = seg_id[keep], done[:, keep]
    position = {int(s): i for i, s in enumerate(seg_id)}
    code_index = {c: i for i, c in enumerate(codes)}
    data = np.zeros((len(codes), len(CODERS), len(seg_id)), dtype=np.float64)
    for j, coder in enumerate(CODERS):
        for row in codings[coder]:
            u = position.get(row["segment_id"])
            r = code_index.get(row["code"])
            if u is not None and r is not None and done[j, u]:
                data[r, j, u] = 1.0
    data[:, ~done] = np.nan
    return [data[r] for r in range(len(codes))], time.perf_counter() - start


def krippendorff_all(arrays: list[np.ndarray]) -> np.ndarray:
    import krippendorff

    out = np.empty(len(arrays))
    for i, reliability_data in enumerate(arrays):
        try:
            out[i] = krippendorff.alpha(reliability_data=reliability_data, level_of_measurement="nominal")
        except ValueError:  # a single value in the domain (code never applied): alpha undefined
            out[i] = np.nan
    return out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, default=ROOT / "bench" / "out" / "large.qcode",
                    help="The project bench_core.py built (default bench/out/large.qcode).")
    ap.add_argument("--scale", type=float, default=None,
                    help="Build a fresh project with bench_core.py at this scale first (in a temporary folder).")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--not-done", type=float, default=0.0,
                    help="Share of each coder's transcripts left unfinished (missing data); default 0.")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--json-out", type=Path, default=None, help="Also write the report to this file.")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")

    with tempfile.TemporaryDirectory() as tmp:
        source = args.project
        if args.scale is not None:
            import bench_core

            print(f"Building a project at scale {args.scale} with bench_core.py …", file=sys.stderr)
            with contextlib.redirect_stdout(sys.stderr):  # its own report is not ours
                bench_core.main(["--scale", str(args.scale), "--runs", "1", "--out", tmp])
            source = Path(tmp) / "large.qcode"
        if not source.exists():
            print(f"{source} is missing: run  python bench/bench_core.py  first (about 5 minutes; "
                  "or --scale 0.05 --runs 1 for a small one), or give --scale here.", file=sys.stderr)
            raise SystemExit(2)
        work = Path(tmp) / "agreement.qcode"
        copy_project(source, work)
        info = prepare(work, args.not_done, args.seed)

        def ours():
            with Store.open(work) as store:
                return pa.agreement(store, CODERS, statistics="alpha", overall=False)

        def ours_fetch():
            # the data-fetch part alone: SQLite -> units x coders design (a private step of agreement())
            with Store.open(work) as store:
                return pa._design(store, CODERS, by=None, level="code", codes=None, unit="segment",
                                  case_attr=None, require_all_done=True)

        def ours_overall():
            with Store.open(work) as store:
                return pa.agreement(store, CODERS, statistics="alpha", overall=True)

        print("qcode: alpha per code …", file=sys.stderr)
        ours_t, ours_all, table = median_time(ours, args.runs)
        fetch_t, fetch_all, _ = median_time(ours_fetch, args.runs)
        overall_t, _, overall_table = median_time(ours_overall, args.runs)
        codes = list(table.code)
        print(f"baseline: building {len(codes)} arrays …", file=sys.stderr)
        arrays, build_t = baseline_arrays(work, codes)
        print("baseline: krippendorff.alpha per code …", file=sys.stderr)
        base_t, base_all, base = median_time(lambda: krippendorff_all(arrays), args.runs)

    mine = table.value.to_numpy(dtype=float)
    same_nan = bool((np.isnan(mine) == np.isnan(base)).all())
    both = ~np.isnan(mine) & ~np.isnan(base)
    max_diff = float(np.max(np.abs(mine[both] - base[both]))) if both.any() else 0.0
    units = int(table.units.iloc[0]) if len(table) else 0
    report = {
        "machine": f"{platform.machine()}, {platform.processor() or '?'}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}, NumPy {np.__version__}",
        "project": {"transcripts": info["counts"]["transcripts"], "segments": info["counts"]["segments"],
                    "codings": info["counts"]["codings"], "coders": len(CODERS), "codes": len(codes),
                    "pairable_units": units, "not_done_share": args.not_done},
        "runs": args.runs,
        "qcode_alpha_per_code": {"median_s": round(ours_t, 3), "runs_s": [round(t, 3) for t in ours_all],
                                 "of_which_fetch_median_s": round(fetch_t, 3),
                                 "with_pooled_and_mean_median_s": round(overall_t, 3)},
        "baseline_krippendorff": {"median_s": round(base_t, 3), "runs_s": [round(t, 3) for t in base_all],
                                  "per_code_ms": round(1000 * base_t / max(len(codes), 1), 1),
                                  "building_its_arrays_s": round(build_t, 2)},
        "ratio_qcode_to_baseline": round(ours_t / base_t, 3),
        "max_abs_diff": max_diff,
        "undefined_codes": int(np.isnan(mine).sum()),
        "same_undefined_codes": same_nan,
        "pooled_alpha": float(overall_table[overall_table.code == pa.POOLED].value.iloc[0]),
    }
    print(json.dumps(report, indent=2))
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    assert same_nan, "qcode and krippendorff disagree on which codes have an undefined alpha"
    assert max_diff <= 1e-9, f"alpha differs from the krippendorff package by {max_diff}"
    return report


if __name__ == "__main__":
    main()
