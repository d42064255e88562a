"""qcode as an installed package: build the wheel, install it into a fresh virtual environment and
run ``qcode --help`` and ``qcode demo`` there, from a folder outside the repository.

The fresh environment gets the wheel without its dependencies; those come from the environment
running the tests, added to its path by a ``.pth`` file (so no download, and the test takes
seconds). ``coding`` itself must then be the installed copy, not the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


def run(cmd, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QCODE_DATA_DIR", "VIRTUAL_ENV")}
    out = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env, timeout=600, **kwargs)
    assert out.returncode == 0, f"{cmd}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Built from a copy of the source tree: setuptools' build/ folder in the tree could hold stale modules.
    source = tmp_path_factory.mktemp("src") / "qcode"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "out", "*.qcode*", "test-artifacts"))
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", dist], cwd=dist)
    (found,) = dist.glob("qcode-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    folder = tmp_path_factory.mktemp("venv") / "env"
    run([sys.executable, "-m", "venv", "--without-pip", folder])
    python = folder / "bin" / "python"
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel])
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    # The dependencies: this environment's site-packages, appended to the path (its .pth files, such as an
    # editable install of qcode, are not run: a plain path line does not make it a site directory).
    (Path(site) / "qcode_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return folder


def test_the_wheel_holds_the_demo_corpus_and_the_codebook(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "coding/data/codebooks/se_ips.yaml" in names
    assert {"coding/data/transcripts/attributes.csv", "coding/data/transcripts/codings.csv",
            "coding/data/transcripts/aneby_chef.txt", "coding/data/transcripts/gnosjo_chef.vtt",
            "coding/data/transcripts/aneby_se-coach.docx"} <= names
    assert {"coding/data/refi/Codebook-mrt2019.xsd", "coding/data/refi/Project-mrt2019.xsd"} <= names
    assert "coding/cli/base.py" in names and not any(n.startswith(("tests/", "ui/", "bench/")) for n in names)


def test_installed_qcode_runs_help_and_builds_the_demo(venv, tmp_path):
    qcode = venv / "bin" / "qcode"
    where = run([venv / "bin" / "python", "-c", "import coding; print(coding.__file__)"], cwd=tmp_path).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the installed copy, not the source tree

    helped = run([qcode, "--help"], cwd=tmp_path).stdout
    assert "Commands:" in helped and "matrix" in helped
    made = run([qcode, "demo", "x.qcode"], cwd=tmp_path).stdout
    assert "Created x.qcode: 16 transcripts" in made
    listed = run([qcode, "transcripts", "x.qcode", "--format", "csv"], cwd=tmp_path).stdout
    assert "aneby_chef.txt" in listed and "Aneby" in listed
    matrix = run([qcode, "matrix", "x.qcode", "--measure", "presence"], cwd=tmp_path).stdout
    assert matrix.splitlines()[0].startswith("kommun,")


def test_readme_what_is_where_names_every_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1].split("\n## ", 1)[0]
    missing = []
    for path in sorted([*ROOT.glob("coding/**/*.py"), *ROOT.glob("ui/*.py")]):
        rel = path.relative_to(ROOT)
        if path.name == "__init__.py" and rel.parent.as_posix() in ("coding", "ui"):
            continue
        if len(rel.parts) == 2:  # coding/x.py, ui/x.py: named by path
            found = f"`{rel.as_posix()}`" in section or f"`{rel.as_posix()}`," in section
        else:  # coding/store/x.py: the package's row names the module
            row = next((line for line in section.splitlines() if f"`{rel.parent.as_posix()}/`" in line), "")
            found = f"`{path.stem}`" in row or (path.name == "__init__.py" and "`__init__`" in row)
        if not found:
            missing.append(rel.as_posix())
    assert not missing, f"add these modules to README's 'What is where': {missing}"
