"""Benchmark: the municipality × code count matrix on the large synthetic project.

Times :func:`coding.matrix.build_matrix` (rows = kommun, measure = count),
which opens the project file and pushes the grouping into SQLite, and
compares it, in the same run and on the same codings, with a pandas
``crosstab`` over the codings already held in memory (the baseline). Both
are computed for one coder (where a segment is coded at most once per code,
so the two tables must be identical) and for all coders.

Run ``python bench/bench_core.py`` first (it leaves bench/out/large.qcode), then:

    python bench/bench_matrix.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402
from coding.matrix import build_matrix  # noqa: E402


def timed(fn, runs):
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), [round(t, 3) for t in times], out


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, default=ROOT / "bench" / "out" / "large.qcode")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    if not args.project.exists():
        sys.exit(f"{args.project} is missing: run python bench/bench_core.py first")

    project = Project.open(args.project)
    store = project.store
    coders = store.coders()
    kommun = pd.Series(store.attribute_values("kommun"), name="kommun")
    frame = pd.DataFrame(store.codings_frame_rows(), columns=["transcript_id", "segment_id", "code_id", "coder"])
    frame["kommun"] = frame["transcript_id"].map(kommun)
    project.close()
    report = {"codings": len(frame), "coders": coders, "runs": args.runs}

    for label, chosen in (("one coder", [coders[0]]), ("all coders", None)):
        sub = frame if chosen is None else frame[frame["coder"] == chosen[0]]

        def ours(chosen=chosen):
            with Project.open(args.project) as p:
                return build_matrix(p.store, "kommun", "count", coders=chosen).table

        def baseline(chosen=chosen, sub=sub):
            if chosen is None:  # coded segments: a segment coded by several coders counts once
                return pd.crosstab(sub["kommun"], sub["code_id"], values=sub["segment_id"], aggfunc="nunique")
            return pd.crosstab(sub["kommun"], sub["code_id"])

        ours_t, ours_all, table = timed(ours, args.runs)
        base_t, base_all, expected = timed(baseline, args.runs)
        expected = expected.fillna(0).astype(int).reindex(index=table.index, columns=table.columns, fill_value=0)
        identical = bool((expected.values == table.values).all())
        report[label] = {"rows_in": len(sub), "matrix": list(table.shape), "median_s": round(ours_t, 3),
                         "runs_s": ours_all, "baseline_crosstab_median_s": round(base_t, 3),
                         "baseline_runs_s": base_all, "ratio": round(ours_t / base_t, 2), "identical": identical}
        print(json.dumps({label: report[label]}), file=sys.stderr)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
