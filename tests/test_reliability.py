"""A team at work: coder processes writing at once while an import runs lose nothing and see no error,
and the running totals behind the matrices equal a recount afterwards (bounded counts, a few seconds)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from coding import Project

ROOT = Path(__file__).resolve().parent.parent
CODERS, CODINGS_EACH = 4, 150

CODER_SCRIPT = """
import sys
from coding import Project
path, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Project.open(path) as p:
    sids = [s.id for t in sorted(p.transcripts(), key=lambda t: t["name"])[:16] for s in p.segments(t["name"])]
for i in range(n):
    with Project.open(path) as p:      # one connection per click, as the app does
        p.apply_code_ids([sids[i]], "impl_hi_ensam_position", coder=name)
print("done", name)
"""


def test_coders_writing_at_once_while_an_import_runs_lose_nothing(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    files = []
    for i in range(6):
        f = tmp_path / f"ny_{i}.txt"
        f.write_text("".join(f"Intervjuare: Fråga {i}.{n}?\nChef: Svar {n}. Det gick bra.\n" for n in range(2500)),
                     encoding="utf-8")
        files.append(str(f))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importer = subprocess.Popen([sys.executable, "-m", "coding", "import", str(path), *files], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    coders = [subprocess.Popen([sys.executable, "-c", CODER_SCRIPT, str(path), f"kodare{k}", str(CODINGS_EACH)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for k in range(CODERS)]
    for proc in [importer, *coders]:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in err, err
    conn = sqlite3.connect(path)
    try:
        per_coder = dict(conn.execute("SELECT coder, count(*) FROM codings WHERE coder LIKE 'kodare%' "
                                      "GROUP BY coder"))
        assert per_coder == {f"kodare{k}": CODINGS_EACH for k in range(CODERS)}  # 0 lost
        assert conn.execute("SELECT count(*) FROM transcripts").fetchone()[0] == 16 + 6
        totals = sorted(conn.execute("SELECT * FROM code_counts"))
        conn.execute("BEGIN")
        from coding.store import aggregates

        aggregates.rebuild(conn)
        assert sorted(conn.execute("SELECT * FROM code_counts")) == totals  # triggers kept exact totals
        conn.execute("ROLLBACK")
    finally:
        conn.close()
