"""Benchmark: how fast ``qcode`` starts and answers, as whole processes (what a researcher waits for).

Each case is a fresh ``python`` process, timed from start to exit; the median of ``--runs`` runs
(default 7) is reported with a baseline measured in the same run:

* ``qcode --help`` and ``qcode info demo.qcode`` against ``python -c "import click, sqlite3"``:
  the floor of any Python command line that parses options and opens an SQLite file;
* ``qcode matrix PROJECT --measure count`` on a project of about 300,000 codings against a pandas
  script that reads the same codings from CSV (exported once by ``qcode codings export``), joins
  each transcript's municipality (from ``qcode transcripts --format csv``) and crosstabs
  municipality × code, counting each coded segment once, as the matrix does. Both print CSV; the
  two tables are checked to be identical. ``python -c "import pandas"`` is timed as well: both pay
  for it, so what each does beyond it is reported too (less sensitive to a busy machine).

The synthetic project is built once (three coders, about 180,000 segments, with the generator of
``bench/bench_core.py``) and kept in ``bench/out/cli300k/``.

The cases are interleaved: each round runs every case once, so a busy spell of a shared machine
falls on all of them alike.

Run:  python bench/bench_cli.py [--runs 7] [--before PATH]

``--before PATH`` also times the ``coding`` package of another checkout (e.g. the commit before a
change), interleaved with this one, on the same data; ``--root PATH`` times another checkout instead.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PANDAS_SCRIPT = """
import sys
import pandas as pd
codings = pd.read_csv(sys.argv[1], usecols=["transcript", "segment", "code"])
transcripts = pd.read_csv(sys.argv[2], usecols=["name", "kommun"])
df = codings.merge(transcripts, left_on="transcript", right_on="name")
df = df.drop_duplicates(["transcript", "segment", "code"])   # a segment coded by several coders counts once
table = pd.crosstab(df["kommun"], df["code"])
sys.stdout.write(table.to_csv())
"""


def run_once(cmd: list[str], env: dict) -> tuple[float, str]:
    """Wall time of ``cmd`` as a whole process, and its stdout."""
    start = time.perf_counter()
    # cwd: a folder without a coding/ package, so PYTHONPATH alone decides which checkout runs
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=Path(tempfile.gettempdir()))
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return took, done.stdout


def timed_interleaved(cases: dict[str, tuple[list[str], dict]], runs: int) -> dict[str, tuple[float, list, str]]:
    """Every case once per round, ``runs`` rounds: a busy spell of the machine hits all cases alike."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    outputs: dict[str, str] = {}
    for _ in range(runs):
        for name, (cmd, env) in cases.items():
            took, outputs[name] = run_once(cmd, env)
            times[name].append(took)
    return {name: (statistics.median(t), [round(x, 3) for x in t], outputs[name]) for name, t in times.items()}


def build_project(folder: Path, transcripts: int, segments_per: int, codings: int, seed: int) -> Path:
    """The synthetic project (kept between runs): bench_core's corpus and codings generator."""
    import bench_core
    from coding import Project
    from coding.codebook import apply_codebook, load_codebook
    from coding.demo import demo_codebook_path

    project_path = folder / "project.qcode"
    if project_path.exists():
        return project_path
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        print(f"Building {project_path} ({transcripts} transcripts) …", file=sys.stderr)
        sidecar = bench_core.write_corpus(corpus, transcripts, segments_per, rng)
        partial = folder / "building.qcode"
        with Project.create(partial, overwrite=True) as project:
            apply_codebook(project.store, load_codebook(demo_codebook_path()))
            project.import_files(sorted(corpus.glob("*.txt")), attributes_file=sidecar)
            codings_csv = Path(tmp) / "codings.csv"
            n = bench_core.write_codings(project, codings_csv, 3, codings, rng)
            print(f"Importing {n} codings …", file=sys.stderr)
            project.import_codings(codings_csv)
        import sqlite3

        conn = sqlite3.connect(partial)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.rename(project_path)
    return project_path


def parse_csv(text: str) -> dict[tuple[str, str], int]:
    """A matrix CSV (row label first, one column per code) as {(row, code): value}, zeros left out."""
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    return {(r[0], code): int(float(v)) for r in rows[1:] for code, v in zip(header[1:], r[1:])
            if v not in ("", "0", "0.0")}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--root", type=Path, default=ROOT, help="The checkout whose coding package is timed.")
    ap.add_argument("--before", type=Path, default=None,
                    help="Another checkout to time as well, interleaved (a before/after comparison).")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "cli300k")
    ap.add_argument("--transcripts", type=int, default=300)
    ap.add_argument("--segments-per", type=int, default=600)
    ap.add_argument("--codings", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20261130)
    args = ap.parse_args(argv)

    project = build_project(args.out, args.transcripts, args.segments_per, args.codings, args.seed)
    env = {**os.environ, "PYTHONPATH": str(args.root.resolve())}
    env.pop("QCODE_DEBUG", None)
    qcode = [sys.executable, "-m", "coding"]
    neutral = {"env": env, "cwd": tempfile.gettempdir(), "capture_output": True, "text": True, "check": True}
    demo = args.out / "demo.qcode"
    if not demo.exists():
        subprocess.run([*qcode, "demo", str(demo)], **neutral)
    codings_csv, transcripts_csv = args.out / "codings.csv", args.out / "transcripts.csv"
    if not codings_csv.exists():
        subprocess.run([*qcode, "codings", "export", str(project), "-o", str(codings_csv)], **neutral)
        listed = subprocess.run([*qcode, "transcripts", str(project), "--format", "csv"], **neutral).stdout
        transcripts_csv.write_text(listed, encoding="utf-8")
    n_codings = sum(1 for _ in codings_csv.open(encoding="utf-8")) - 1

    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "root": str(args.root), "before": str(args.before) if args.before else None, "runs": args.runs,
    }
    roots = {"": (env, demo)}
    matrix_roots = [""]
    if args.before:
        before_env = {**env, "PYTHONPATH": str(args.before.resolve())}
        # The other checkout builds its own demo (it may not read a newer schema), and times the matrix
        # only if it can open the project (a file upgraded to a newer schema it refuses).
        before_demo = args.out / "demo-before.qcode"
        subprocess.run([*qcode, "demo", str(before_demo), "--force"], **{**neutral, "env": before_env})
        roots[" (before)"] = (before_env, before_demo)
        probe = subprocess.run([*qcode, "info", str(project)], **{**neutral, "env": before_env, "check": False})
        if probe.returncode == 0:
            matrix_roots.append(" (before)")
        else:
            report["before_matrix"] = "skipped: the other checkout cannot open this project (newer schema)"
    cases: dict[str, tuple[list[str], dict]] = {"baseline": ([sys.executable, "-c", "import click, sqlite3"], env)}
    for tag, (root_env, root_demo) in roots.items():
        cases[f"qcode --help{tag}"] = ([*qcode, "--help"], root_env)
        cases[f"qcode info demo.qcode{tag}"] = ([*qcode, "info", str(root_demo)], root_env)
    cases["import pandas"] = ([sys.executable, "-c", "import pandas"], env)
    cases["pandas"] = ([sys.executable, "-c", PANDAS_SCRIPT, str(codings_csv), str(transcripts_csv)], env)
    for tag in matrix_roots:
        cases[f"qcode matrix{tag}"] = ([*qcode, "matrix", str(project), "--measure", "count"], roots[tag][0])
    results = timed_interleaved(cases, args.runs)

    base_t, base_all, _ = results["baseline"]
    report["baseline: python -c 'import click, sqlite3'"] = {"median_s": round(base_t, 3), "runs_s": base_all}
    for tag in roots:
        for label in (f"qcode --help{tag}", f"qcode info demo.qcode{tag}"):
            t, all_t, _ = results[label]
            report[label] = {"median_s": round(t, 3), "runs_s": all_t, "ratio_to_baseline": round(t / base_t, 2)}
    pd_t, pd_all, pd_out = results["pandas"]
    report["baseline: pandas reads the codings CSV and crosstabs"] = {"median_s": round(pd_t, 3), "runs_s": pd_all}
    imp_t, imp_all, _ = results["import pandas"]
    report["reference: python -c 'import pandas'"] = {"median_s": round(imp_t, 3), "runs_s": imp_all}
    for tag in matrix_roots:
        t, all_t, out = results[f"qcode matrix{tag}"]
        report[f"qcode matrix --measure count{tag}"] = {
            "codings": n_codings, "median_s": round(t, 3), "runs_s": all_t, "ratio_to_baseline": round(t / pd_t, 2),
            # both pay for importing pandas: what each does beyond that, and its ratio
            "beyond_import_pandas_s": round(t - imp_t, 3),
            "baseline_beyond_import_pandas_s": round(pd_t - imp_t, 3),
            "identical_to_baseline": parse_csv(out) == parse_csv(pd_out)}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return report


if __name__ == "__main__":
    main()
