"""Shared fixtures: real project files in a temporary folder."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402


# ------------------------------------------------------------ both engines

ENGINES = ("sqlite", "postgresql")
_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """One throwaway PostgreSQL server for the whole run (Debian's binaries, a random port, removed after)."""
    from pg_helpers import start_server

    server = start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server) -> str:
    """A database of the throwaway server; every project in it gets its own schema."""
    return pg_server.database("qual")


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    """Each test that asks for it runs twice: on an SQLite file and on a PostgreSQL schema."""
    return request.param


@pytest.fixture
def new_location(request, tmp_path, engine):
    """``new_location(name)``: where a new project goes on this test's engine: a file in the test's folder,
    or a fresh schema of the throwaway server's database."""

    def make(name: str = "study"):
        if engine == "sqlite":
            return tmp_path / f"{name}.qcode"
        database = request.getfixturevalue("pg_database")
        stem = "".join(ch if ch.isalnum() else "_" for ch in name.lower())[:40]
        return f"{database}?schema=t{next(_schemas)}_{stem}"

    return make


@pytest.fixture
def project(new_location) -> Project:
    """A new, empty project on each engine in turn."""
    p = Project.create(new_location("study"))
    yield p
    p.close()


@pytest.fixture
def small_codebook(tmp_path) -> Path:
    path = tmp_path / "book.yaml"
    path.write_text(
        "codebook:\n  name: Test\n"
        "codes:\n"
        "  - id: ff\n    label_sv: Framgångsfaktorer\n    label_en: Success factors\n    children:\n"
        "      - id: ff_natverk\n        label_sv: Stöd i SE-nätverk\n        label_en: Support in the SE network\n"
        "        color: '#2e7d32'\n"
        "      - id: ff_chef\n        label_sv: Positiv ledning/chef\n        label_en: Supportive management\n"
        "  - id: hi\n    label_sv: Hinder\n    label_en: Obstacles\n    children:\n"
        "      - id: hi_ensam\n        label_sv: Ensam position som SE-coach\n        label_en: Lonely SE-coach role\n",
        encoding="utf-8")
    return path


def write_interview(path: Path, kommun: str = "Aneby") -> Path:
    path.write_text(
        f"Intervju med SE-coach, {kommun} kommun, 2013-11-12\n"
        "Intervjuare: Hur började arbetet med SE? Berätta gärna.\n"
        "SE-coach: Vi fick pengar från Samordningsförbundet. Det var avgörande.\n"
        "Sen var jag ganska ensam i rollen, det var tungt.\n"
        "Intervjuare: Hade du stöd någonstans?\n"
        "SE-coach: Ja, i SE-nätverket träffade jag andra coacher. Där fick jag råd!\n",
        encoding="utf-8")
    return path


def write_wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> Path:
    """A tiny, valid WAV recording (silence, mono, 16 bit) made with the standard library."""
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(2 * int(rate * seconds)))
    return path


# ------------------------------------------------------------ the app (AppTest)

@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """A clean environment: own config folder, local (not signed-in) mode, no project given."""
    cfg = tmp_path / "config"
    monkeypatch.setenv("QCODE_CONFIG_DIR", str(cfg))
    for var in ("QCODE_SIGNIN", "QCODE_PROJECT", "QCODE_MAX_UPLOAD_MB"):
        monkeypatch.delenv(var, raising=False)
    return cfg


@pytest.fixture
def app_project(tmp_path, app_env, monkeypatch) -> Path:
    """A project with the test codebook, two short interviews and a hostile one; opened by the app."""
    from e2e_helpers import make_project

    path = make_project(tmp_path / "study.qcode", hostile=True)
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    return path


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """The demo project built once per test module (16 interviews, coders anna and erik, both done)."""
    from coding import Project

    path = tmp_path_factory.mktemp("demo") / "demo.qcode"
    Project.demo(path).close()
    return path


@pytest.fixture
def demo(tmp_path, app_env, demo_file, monkeypatch):
    """A fresh copy of the demo project, opened by the app through QCODE_PROJECT."""
    import shutil

    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    return path

