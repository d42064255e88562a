"""Copy time of the demo project SQLite → PostgreSQL and back (median of 3), on a throwaway server.

Run: python bench/bench_pg_copy.py [--runs 3]. Needs Debian's postgresql package (see `make postgresql`).
Baseline in the same run: SQLite's online backup of the same file (a byte-level copy, no verification).
"""

from __future__ import annotations

import argparse
import statistics
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from coding import Project  # noqa: E402
from coding.store.copy import copy_project  # noqa: E402
from pg_helpers import start_server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    folder = Path(tempfile.mkdtemp(prefix="qcode-bench-pg-"))
    demo = folder / "demo.qcode"
    Project.demo(demo).close()
    server = start_server()
    try:
        url = server.database("bench")
        to_pg, to_file, backup = [], [], []
        for i in range(runs):
            report = copy_project(demo, f"{url}?schema=run{i}")
            to_pg.append(report.seconds)
            to_file.append(copy_project(f"{url}?schema=run{i}", folder / f"back{i}.qcode").seconds)
            started = time.perf_counter()
            with sqlite3.connect(demo) as src, sqlite3.connect(folder / f"backup{i}.qcode") as dst:
                src.backup(dst)
            backup.append(time.perf_counter() - started)
        rows = report.total_rows
        print(f"demo: {len(report.rows)} tables, {rows} rows, {demo.stat().st_size / 1e6:.2f} MB")
        for name, times in (("SQLite → PostgreSQL", to_pg), ("PostgreSQL → SQLite", to_file),
                            ("baseline: SQLite online backup", backup)):
            print(f"{name}: median {statistics.median(times):.3f} s  runs {' / '.join(f'{t:.3f}' for t in times)}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
