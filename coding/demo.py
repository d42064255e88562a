"""The demo project: fictional SE/IPS interviews, the shipped codebook and two coders' codings.

The corpus and the codebook are package data: ``coding/data/transcripts/`` and
``coding/data/codebooks/`` (a clone also reaches them as ``transcripts/`` and
``codebooks/`` at the top), found through :mod:`importlib.resources`, so the demo
works from an installed wheel too. Set ``QCODE_DATA_DIR`` to a folder holding
``transcripts/`` and ``codebooks/`` to use other data.

>>> import pathlib, tempfile
>>> demo = build_demo(pathlib.Path(tempfile.mkdtemp()) / "demo.qcode")
>>> len(demo.transcripts()) >= 12
True
>>> demo.close()
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .codebook import apply_codebook, load_codebook
from .codings import import_codings, mark_done
from .errors import QcodeError
from .import_pipeline import import_files

DEMO_SUFFIXES = (".txt", ".docx", ".vtt", ".srt", ".md")
CODEBOOK_FILE = "se_ips.yaml"


def data_dir() -> Path:
    """The folder that holds ``transcripts/`` and ``codebooks/`` (the package's ``data`` folder).

    >>> (data_dir() / "codebooks" / CODEBOOK_FILE).is_file()
    True
    """
    env = os.environ.get("QCODE_DATA_DIR")
    if env:
        return Path(env)
    folder = resources.files("coding") / "data"
    if not isinstance(folder, Path):  # pragma: no cover - only for a package imported from a zip file
        raise QcodeError("the demo data must be on disk; install qcode unzipped or set QCODE_DATA_DIR")
    return folder


def demo_codebook_path() -> Path:
    return data_dir() / "codebooks" / CODEBOOK_FILE


def demo_transcript_paths() -> list[Path]:
    folder = data_dir() / "transcripts"
    if not folder.is_dir():
        raise QcodeError(f"the demo corpus is missing (looked in {folder}); set QCODE_DATA_DIR")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DEMO_SUFFIXES and p.name != "README.md")


def build_demo(path: str | Path, *, overwrite: bool = False, with_codings: bool = True):
    """Create a project at ``path`` from the demo corpus; returns the open :class:`Project`."""
    from .project import Project

    folder = data_dir() / "transcripts"
    project = Project.create(path, overwrite=overwrite)
    try:
        apply_codebook(project.store, load_codebook(demo_codebook_path()), source=CODEBOOK_FILE)
        import_files(project.store, demo_transcript_paths(), attributes_file=folder / "attributes.csv")
        codings_file = folder / "codings.csv"
        if with_codings and codings_file.exists():
            import_codings(project.store, codings_file)
            for coder in project.store.coders():
                mark_done(project.store, coder)
    except BaseException:
        project.close()
        raise
    return project
