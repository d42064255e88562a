"""``qcode --help`` and the light commands start fast: they import none of the heavy libraries.

Each case runs in a fresh interpreter (a subprocess), runs one command through the console
script's entry point and then reads ``sys.modules``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("pandas", "numpy", "spacy", "sklearn", "altair", "vl_convert", "openpyxl", "docx", "webvtt",
         "sqlite_utils", "streamlit", "pyarrow", "pypdf")

PROBE = """
import json, sys
from coding.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code or 0
else:
    status = 0
heavy = %r
print("\\n@@" + json.dumps({"status": status, "loaded": [m for m in heavy if m in sys.modules]}))
""" % (HEAVY,)


def run_probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert "@@" in out.stdout, out.stderr
    return json.loads(out.stdout.rsplit("@@", 1)[1])


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    from coding import Project

    path = tmp_path_factory.mktemp("fast") / "demo.qcode"
    Project.demo(path).close()
    return path


def test_importing_the_cli_loads_no_heavy_library():
    out = subprocess.run([sys.executable, "-c", "import sys, coding, coding.cli; "
                          f"print([m for m in {HEAVY!r} if m in sys.modules])"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["codebook", "--help"], ["import", "--help"]])
def test_help_loads_no_heavy_library(argv):
    result = run_probe(*argv)
    assert result == {"status": 0, "loaded": []}


@pytest.mark.parametrize("argv", [
    ["info", "{p}"],
    ["transcripts", "{p}"],
    ["coders", "list", "{p}"],
    ["codebook", "show", "{p}"],
    ["segments", "{p}", "aneby_chef.txt", "--coder", "anna"],
    ["search", "{p}", "förankring"],
    ["codings", "list", "{p}", "--coder", "anna", "--format", "csv"],
    ["code", "{p}", "--coder", "anna", "--transcript", "aneby_chef.txt", "--segment", "3", "--code",
     "impl_hi_ensam_position"],
    ["done", "{p}", "--coder", "anna", "--all", "--undo"],
    ["memos", "list", "{p}", "--search", "förankring"],
    ["media", "list", "{p}"],
])
def test_light_commands_load_no_heavy_library(argv, demo_copy, tmp_path):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_copy, path)
    result = run_probe(*[a.format(p=path) for a in argv])
    assert result == {"status": 0, "loaded": []}


def test_an_analysis_command_does_load_what_it_needs(demo_copy, tmp_path):
    """The probe can fail: the matrix needs pandas, and the probe sees it."""
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_copy, path)
    result = run_probe("matrix", str(path), "--measure", "count")
    assert result["status"] == 0
    assert "pandas" in result["loaded"]
