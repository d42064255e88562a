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
