"""The README's commands run as written: the command-line walk-through top to bottom on the shipped demo
files, and the Python example."""

from __future__ import annotations

import glob
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(after: str, language: str) -> str:
    section = README[README.index(after):]
    return re.search(rf"```{language}\n(.*?)```", section, re.S).group(1)


def commands() -> list[str]:
    lines = []
    for line in block("## The command line", "bash").splitlines():
        line = line.split("   #")[0].split("  #")[0].strip()
        if line:
            lines.append(line)
    return lines


def test_the_walkthrough_is_long_enough_to_mean_something():
    names = [shlex.split(c)[1] for c in commands()]
    assert names[0] == "init" and {"import", "code", "undo", "search", "matrix", "agreement", "consensus",
                                   "backup", "pseudonymise"} <= set(names)


def test_the_command_line_walkthrough_runs_top_to_bottom_as_written(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    for name in ("codebooks", "transcripts"):
        (work / name).symlink_to(ROOT / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for line in commands():
        words = shlex.split(line)
        assert words[0] == "qcode", line
        argv = [sys.executable, "-m", "coding"]
        for word in words[1:]:
            matched = sorted(glob.glob(word, root_dir=work)) if any(ch in word for ch in "*?[") else []
            argv.extend(matched or [word])
        done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    assert (work / "inledande_fas.docx").exists() and (work / "tables.xlsx").exists()
    assert (work / "study-copy.qcode").exists() and not (tmp_path / "study-key.json").exists()  # a dry run


def test_the_python_example_runs(tmp_path):
    code = block("## From Python", "python")
    (tmp_path / "transcripts").symlink_to(ROOT / "transcripts")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_moving_the_demo_onto_postgresql_runs_as_written(tmp_path, monkeypatch):
    """The section's lines run in bash against a throwaway server: PGHOST/PGPORT point libpq at it (as the local
    server of a fresh Debian machine), `sudo -u postgres` becomes its superuser; the `streamlit run` line opens
    the same URL in the app (AppTest) instead of serving it."""
    import getpass

    from streamlit.testing.v1 import AppTest

    from app_helpers import list_rows
    from coding import Project
    from pg_helpers import start_server

    lines = [line.split("   #")[0].strip() for line in block("## Move the demo project onto PostgreSQL",
                                                                "bash").splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["sudo", "sudo", "qcode", "qcode", "qcode", "streamlit"]
    server = start_server()
    try:
        work, shims = tmp_path / "repo", tmp_path / "bin"
        work.mkdir()
        shims.mkdir()
        for name in ("codebooks", "transcripts"):
            (work / name).symlink_to(ROOT / name)
        (shims / "sudo").write_text('#!/bin/sh\n[ "$1 $2" = "-u postgres" ] || exit 64\nshift 2\n'
                                    'PGUSER=qcode exec "$@"\n')
        (shims / "qcode").write_text(f'#!/bin/sh\nexec {sys.executable} -m coding "$@"\n')
        for shim in shims.iterdir():
            shim.chmod(0o755)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PGHOST": "127.0.0.1", "PGPORT": str(server.port),
               "PATH": f"{shims}:{server.bin}:{os.environ['PATH']}", "QCODE_USER_DATA_DIR": str(tmp_path / "data")}
        env.pop("PGUSER", None)
        for line in lines[:-1]:
            done = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True,
                                  timeout=300)
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        url = shlex.split(lines[-1])[-1]
        assert lines[-1].startswith("streamlit run app.py -- --project ") and url.startswith("postgresql://")
        for name in ("PGHOST", "PGPORT", "QCODE_USER_DATA_DIR"):
            monkeypatch.setenv(name, env[name])
        monkeypatch.setenv("QCODE_PROJECT", url)
        monkeypatch.setenv("QCODE_CONFIG_DIR", str(tmp_path / "config"))
        monkeypatch.delenv("QCODE_SIGNIN", raising=False)
        with Project.open(url) as moved, Project.open(work / "demo.qcode") as original:
            assert moved.counts() == original.counts() and moved.store.engine == "postgresql"
            assert moved.store.location.conninfo.startswith("postgresql:///qual")
            assert getpass.getuser() in [r for (r,) in moved.store.conn.execute("SELECT current_user").fetchall()]
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.session_state["qc_coder"] = "anna"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert list_rows(at)[0]["pos"] == 1  # the coding page of the demo, on PostgreSQL
    finally:
        server.stop()
