"""Hostile and broken files for every reader (a seeded mutation fuzz corpus), and a killed import.

Every mutated file either imports or is refused with a QcodeError naming the file; never another
exception (a traceback), and a refused import changes nothing in the project. An import killed with
SIGKILL at a random moment leaves a consistent project: no half transcript, totals and search index
intact.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coding import Project, QcodeError
from coding import importers
from test_registries import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
MUTATIONS_PER_READER = 40


def mutate(data: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    if not data:
        return bytes(rng.randrange(256) for _ in range(64))
    i = rng.randrange(len(data))
    if kind == 0:   # truncated
        return data[:i]
    if kind == 1:   # flipped bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 2:   # control characters and NUL inserted
        controls = bytes(rng.choice(b"\x00\x1b\x07\x0b\x0c\x7f\x85") for _ in range(rng.randint(1, 9)))
        return data[:i] + controls + data[i:]
    if kind == 3:   # a very long line
        return data[:i] + b"x" * rng.choice((10_000, 200_000)) + data[i:]
    if kind == 4:   # a stray or unclosed quote, separators, a timestamp gone wrong
        odd = rng.choice([b'"', b'""', b";", b"\t", b"-->", b"99:99:99,999", b"\xc3", b"\xff\xfe"])
        return data[:i] + odd + data[i:]
    if kind == 5:   # bytes of another encoding
        return data.decode("utf-8", "replace").encode("utf-16") if rng.random() < 0.5 else data.decode(
            "utf-8", "replace").encode("cp1252", "replace")
    if kind == 6:   # markup and formula injection in the text
        return data[:i] + rng.choice([b"<script>alert(1)</script>", b"=HYPERLINK(\"x\")", b"\r=cmd|' /C calc'!A0",
                                      b"<!ENTITY x SYSTEM 'file:///etc/passwd'>"]) + data[i:]
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))  # garbage


@pytest.mark.parametrize("suffix", list(importers.READERS))
def test_every_reader_refuses_broken_files_cleanly_and_changes_nothing(suffix, tmp_path):
    sample = tmp_path / f"sample{suffix}"
    SAMPLES[suffix](sample)
    good = sample.read_bytes()
    rng = random.Random(f"qcode-{suffix}")
    with Project.create(tmp_path / "study.qcode") as project:
        refused = 0
        for n in range(MUTATIONS_PER_READER):
            path = tmp_path / f"mutant_{n}{suffix}"
            path.write_bytes(mutate(good, rng))
            before = project.counts()
            try:
                project.import_files([path])
            except QcodeError as exc:
                refused += 1
                assert path.name in str(exc), str(exc)
                after = project.counts()
                assert {k: v for k, v in after.items() if k != "audit"} == \
                    {k: v for k, v in before.items() if k != "audit"}
            # anything else (a traceback) fails the test
        assert refused > 0  # the corpus really holds broken files
        integrity = project.store.conn.execute("PRAGMA integrity_check").fetchone()[0]
        assert integrity == "ok"


def test_a_killed_import_leaves_a_consistent_project(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    files = []
    for i in range(8):
        f = tmp_path / f"stor_{i}.txt"
        f.write_text("".join(f"Intervjuare: Fråga {i}.{n}?\nSE-coach: Svar {n} om samverkan och stöd. Det gick bra.\n"
                             for n in range(3000)), encoding="utf-8")
        files.append(str(f))
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "coding", "import", str(path), *files], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            # all or nothing: every transcript has its segments, and either none or all of the import landed
            empty = conn.execute("SELECT count(*) FROM transcripts t WHERE NOT EXISTS "
                                 "(SELECT 1 FROM segments s WHERE s.transcript_id = t.id)").fetchone()[0]
            assert empty == 0
            n = conn.execute("SELECT count(*) FROM transcripts").fetchone()[0]
            assert n in (16, 24), n
            conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('integrity-check')")
        finally:
            conn.close()
        with Project.open(path) as p:
            if len(p.transcripts()) == 24:
                for name in [Path(f).name for f in files]:
                    p.delete_transcript(name)
