"""A project: the researcher's entry point to the library.

``Project`` wraps one project file and offers the everyday operations as
methods; each delegates to the module that does the work (``importing``,
``codebook``, ``codings``), so the CLI, the app and a Python session share
exactly the same code.

>>> from coding import Project
>>> project = Project.create("/tmp/doctest-project.qcode", overwrite=True)
>>> _ = open("/tmp/eksjo_coach.txt", "w", encoding="utf-8").write("Intervjuare: Hur är det?\\nSE-coach: Ensamt.\\n")
>>> project.import_files(["/tmp/eksjo_coach.txt"], attributes={"kommun": "Eksjö"}).imported
['eksjo_coach.txt']
>>> [(s.position, s.speaker, s.text) for s in project.segments("eksjo_coach.txt")]
[(1, 'Intervjuare', 'Hur är det?'), (2, 'SE-coach', 'Ensamt.')]
>>> project.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from . import codebook as codebook_mod
from . import codings as codings_mod
from . import importing
from .errors import QcodeError
from .store import SegmentRow, Store


class Project:
    """One project file (SQLite) with its transcripts, codebook, coders and codings."""

    def __init__(self, store: Store):
        self.store = store

    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False) -> "Project":
        """Create a new, empty project file."""
        return cls(Store.create(path, overwrite=overwrite))

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        """Open an existing project file (migrating an older schema forward)."""
        return cls(Store.open(path))

    @classmethod
    def demo(cls, path: str | Path, *, overwrite: bool = False) -> "Project":
        """Create a project from the shipped demo corpus, codebook and codings."""
        from .demo import build_demo

        return build_demo(path, overwrite=overwrite)

    @property
    def path(self) -> Path:
        return self.store.path

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # transcripts
    def import_files(self, paths: Sequence[str | Path], **options) -> importing.ImportResult:
        """Import transcript files; see :func:`coding.importing.import_files` for the options."""
        return importing.import_files(self.store, paths, **options)

    def transcripts(self) -> list[dict]:
        """Every transcript with its attributes, words, segments and done-markers."""
        return self.store.transcripts()

    def transcript_id(self, name: str) -> int:
        tid = self.store.transcript_id(name)
        if tid is None:
            raise QcodeError(f"no transcript named {name!r} in the project")
        return tid

    def segments(self, transcript: str) -> list[SegmentRow]:
        """The segments of one transcript, in order, with speaker, timestamps and text."""
        return self.store.segments(self.transcript_id(transcript))

    def set_attributes(self, transcript: str, attributes: dict[str, str | None], *, actor: str | None = None) -> None:
        """Set attributes of a transcript (a value of None or "" removes the attribute)."""
        tid = self.transcript_id(transcript)
        with self.store.transaction():
            self.store.set_attributes(tid, attributes)
            self.store.audit("transcript.attributes", actor=actor, target=transcript, detail=attributes)

    # codebook
    def load_codebook(self, path: str | Path, *, replace: bool = False, actor: str | None = None) -> dict:
        """Read a YAML/CSV codebook and put it into the project."""
        book = codebook_mod.load_codebook(path)
        return codebook_mod.apply_codebook(self.store, book, replace=replace, actor=actor, source=str(path))

    def codebook(self) -> codebook_mod.Codebook:
        return codebook_mod.codebook_from_store(self.store)

    # codings
    def apply_code(self, transcript: str, segment: int, code: str, *, coder: str, memo: str | None = None) -> bool:
        return codings_mod.apply_code(self.store, transcript, segment, code, coder=coder, memo=memo)

    def remove_code(self, transcript: str, segment: int, code: str, *, coder: str) -> bool:
        return codings_mod.remove_code(self.store, transcript, segment, code, coder=coder)

    def codings(self, *, coder: str | None = None, transcript: str | None = None) -> list[dict]:
        return codings_mod.list_codings(self.store, coder=coder, transcript=transcript)

    def import_codings(self, path: str | Path, *, actor: str | None = None) -> dict:
        return codings_mod.import_codings(self.store, path, actor=actor)

    def export_codings(self, out, *, coder: str | None = None) -> int:
        return codings_mod.export_codings(self.store, out, coder=coder)

    def mark_done(self, coder: str, transcripts: Sequence[str] | None = None, *, done: bool = True) -> int:
        return codings_mod.mark_done(self.store, coder, transcripts, done=done)
