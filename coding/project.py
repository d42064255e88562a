"""A project: the researcher's entry point to the library, and its one public surface.

``Project`` wraps one project file and offers every operation as a method:
transcripts, codebook edits, coders, codings, undo, settings, matrices,
agreement and consensus. Each method delegates to the module that does the
work, so the CLI (whose commands are named after these methods), the app
and a Python session share exactly the same code.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> study = Project.create(folder / "study.qcode")
>>> _ = (folder / "eksjo_coach.txt").write_text("Intervjuare: Hur är det?\\nSE-coach: Ensamt.\\n", encoding="utf-8")
>>> study.import_files([folder / "eksjo_coach.txt"], attributes={"kommun": "Eksjö"}).imported
['eksjo_coach.txt']
>>> [(s.position, s.speaker, s.text) for s in study.segments("eksjo_coach.txt")]
[(1, 'Intervjuare', 'Hur är det?'), (2, 'SE-coach', 'Ensamt.')]
>>> study.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import codebook as codebook_mod
from . import codings as codings_mod
from .actions import DeleteTranscript, redo_last, undo_last
from .backup import auto_backup
from . import roles
from .roles import require
from .errors import QcodeError
from .store import SegmentRow, Store

if TYPE_CHECKING:  # imported lazily: pandas and numpy are heavy
    from . import import_pipeline as importing
    from .actions import UndoResult
    from .media import MediaInfo
    from .memos import Memo
    from .spans import Span


class Project:
    """One project (an SQLite file, or a schema on PostgreSQL) with its transcripts, codebook, coders and
    codings."""

    def __init__(self, store: Store):
        self.store = store
        self.notices: list[str] = []  # what opening the project repaired or wants a researcher to know

    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False) -> "Project":
        """Create a new, empty project: a file, or a schema on PostgreSQL
        (``postgresql://user@host/db?schema=NAME``, see :mod:`coding.store.url`).

        ``overwrite=True`` replaces an existing project, after an automatic backup of it
        (see :mod:`coding.backup`).
        """
        from .places import location_of

        location = location_of(path)
        if overwrite and (location.is_postgresql or location.path.exists()):
            _backup_before(location, "overwrite")
        return cls(Store.create(path, overwrite=overwrite))

    @classmethod
    def open(cls, path: str | Path) -> "Project":
        """Open an existing project: a file, or ``postgresql://user@host/db?schema=NAME`` (migrating an older
        schema forward, repairing a codebook whose parents form a cycle; what was repaired is in
        :attr:`notices`)."""
        from .codebook_edit import repair_cycles

        project = cls(Store.open(path))
        project.notices.extend(repair_cycles(project.store))
        return project

    @classmethod
    def demo(cls, path: str | Path, *, overwrite: bool = False) -> "Project":
        """Create a project from the shipped demo corpus, codebook and codings."""
        from .demo import build_demo

        return build_demo(path, overwrite=overwrite)

    @property
    def path(self) -> Path | None:
        """The project file; None for a project on PostgreSQL (see :attr:`where`)."""
        return self.store.path

    @property
    def where(self) -> str:
        """Where the project is, as it may be shown anywhere: the file's path, or the PostgreSQL URL without
        its password.

        >>> project.where.endswith(".qcode")
        True
        """
        return self.store.where

    @property
    def name(self) -> str:
        """A short name for titles and file names: the file's stem, or the PostgreSQL schema.

        >>> project.name == project.path.stem
        True
        """
        from .places import project_name

        return project_name(self.store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        """How many transcripts, segments, codes, coders, codings … the project holds."""
        return self.store.counts()

    def change_counter(self) -> int:
        """A number that grows with every change (a cache key for UIs)."""
        return self.store.change_counter()

    # ---------------------------------------------------------------- backups
    def backup(self, dest: str | Path, *, overwrite: bool = False):
        """A consistent copy of the project at ``dest``, safe while coders work (see :mod:`coding.backup`)."""
        from .backup import backup

        return backup(self.store, dest, overwrite=overwrite)

    def backup_if_due(self):
        """The app's daily automatic backup: one if the newest is older than a day (else None)."""
        from .backup import backup_due

        return auto_backup(self.store, "daily") if backup_due(self.store) else None

    # ------------------------------------------------------------ transcripts
    def import_files(self, paths: Sequence[str | Path], **options) -> "importing.ImportResult":
        """Import transcript files; see :func:`coding.import_pipeline.import_files` for the options."""
        from . import import_pipeline as importing
        require(self.store, options.get("actor"), "admin")
        return importing.import_files(self.store, paths, **options)

    def import_uploads(self, uploads: Sequence[tuple[str, bytes]], **options) -> "importing.ImportResult":
        """Import ``(file name, bytes)`` pairs (the app's uploads); see :func:`coding.import_pipeline.import_uploads`.
        """
        from . import import_pipeline as importing
        require(self.store, options.get("actor"), "admin")
        return importing.import_uploads(self.store, uploads, **options)

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

    def attribute_names(self) -> list[str]:
        """The names of the attributes any transcript carries (kommun, roll …)."""
        return self.store.attribute_names()

    def set_attributes(self, transcript: str, attributes: dict[str, str | None], *, actor: str | None = None) -> None:
        """Set attributes of a transcript (a value of None or "" removes the attribute)."""
        from .textclean import one_line

        require(self.store, actor, "admin")
        tid = self.transcript_id(transcript)
        attributes = {one_line(str(k)): (None if v is None else one_line(str(v)) or None)
                      for k, v in attributes.items()}
        if not all(attributes):
            raise QcodeError("an attribute needs a name")
        with self.store.transaction():
            self.store.set_attributes(tid, attributes)
            self.store.audit("transcript.attributes", actor=actor, target=transcript, detail=attributes)

    def delete_transcript(self, transcript: str, *, actor: str | None = None) -> dict:
        """Delete a transcript with its segments, codings, memos and done-markers (one audited step).

        Returns what was deleted: ``{"name", "segments", "codings", "coders", …}``.

        >>> project.delete_transcript("aneby_chef.txt", actor="anna")["codings"] > 0
        True
        >>> "aneby_chef.txt" in [t["name"] for t in project.transcripts()]
        False
        """
        tid = self.transcript_id(transcript)
        require(self.store, actor, "admin")
        auto_backup(self.store, "delete-transcript")
        return DeleteTranscript(transcript_id=tid, actor=actor).write(self.store).detail

    # --------------------------------------------------------------- codebook
    def load_codebook(self, path: str | Path, *, replace: bool = False, actor: str | None = None) -> dict:
        """Read a YAML/CSV or REFI-QDA (.qdc) codebook and put it into the project (a .qdc code exported
        from this project keeps its id)."""
        book = codebook_mod.load_codebook(path, known_ids=self.store.code_ids())
        return self.apply_codebook(book, replace=replace, actor=actor, source=str(path))

    def apply_codebook(self, book: codebook_mod.Codebook, *, replace: bool = False, actor: str | None = None,
                       source: str | None = None) -> dict:
        """Put an already parsed codebook into the project (codes are matched by id).

        ``replace=True`` first makes an automatic backup (codes missing from ``book`` go).
        """
        require(self.store, actor, "admin")
        if replace:
            auto_backup(self.store, "replace-codebook")
        return codebook_mod.apply_codebook(self.store, book, replace=replace, actor=actor, source=source)

    def codebook(self) -> codebook_mod.Codebook:
        """The project's codebook (with deactivated codes)."""
        return codebook_mod.codebook_from_store(self.store)

    def export_codebook(self, path: str | Path, lang: str = "sv") -> Path:
        """Write the codebook to ``path`` (.yaml, .yml, .csv, or .qdc for other QDA tools in ``lang``)."""
        return codebook_mod.save_codebook(self.codebook(), path, lang=lang)

    def codes(self, *, include_inactive: bool = True):
        """The codes as rows (``coding.store.CodeRow``) in codebook order."""
        return self.store.codes(include_inactive=include_inactive)

    def coded_code_ids(self) -> set[str]:
        """Ids of the codes that carry at least one coding."""
        return self.store.coded_code_ids()

    def add_code(self, **fields) -> None:
        """Add a code; see :func:`coding.codebook_edit.add_code`."""
        from . import codebook_edit

        codebook_edit.add_code(self.store, **fields)

    def update_code(self, code_id: str, *, actor: str | None = None, **fields) -> None:
        """Change labels, definition, rules, example or colour of a code."""
        from . import codebook_edit

        codebook_edit.update_code(self.store, code_id, actor=actor, **fields)

    def move_code(self, code_id: str, new_parent: str | None, *, actor: str | None = None) -> None:
        """Put a code (with everything below it) under ``new_parent``; cycles are refused."""
        from . import codebook_edit

        codebook_edit.move_code(self.store, code_id, new_parent, actor=actor)

    def merge_codes(self, source_id: str, target_id: str, *, actor: str | None = None) -> int:
        """Merge ``source_id`` into ``target_id`` (its codings move); returns codings moved."""
        from . import codebook_edit

        return codebook_edit.merge_codes(self.store, source_id, target_id, actor=actor)

    def set_code_active(self, code_id: str, active: bool, *, actor: str | None = None) -> None:
        """Deactivate a code (its codings stay) or activate it again."""
        from . import codebook_edit

        codebook_edit.set_code_active(self.store, code_id, active, actor=actor)

    # ----------------------------------------------------------------- coders
    def coders(self) -> list[dict]:
        """Coders with ``name``, ``is_owner`` and ``has_password``."""
        from .coders import list_coders

        return list_coders(self.store)

    def add_coder(self, name: str, *, password: str | None = None, owner: bool = False,
                  actor: str | None = None) -> None:
        """Add a coder (optionally with a password, optionally as project owner)."""
        from .coders import add_coder

        add_coder(self.store, name, password=password, owner=owner, actor=actor)

    def set_password(self, name: str, password: str, *, actor: str | None = None) -> None:
        """Set or change a coder's password (stored as a salted scrypt hash)."""
        from .coders import set_password

        set_password(self.store, name, password, actor=actor)

    def sign_in(self, name: str, password: str, *, client: str | None = None) -> str:
        """Check a sign-in with lockout after repeated failures, audited; ``"ok"``, ``"failed"`` or ``"locked"``."""
        from .coders import sign_in

        return sign_in(self.store, name, password, client=client)

    def check_password(self, name: str, password: str) -> bool:
        """Whether ``password`` is the coder's password."""
        from .coders import check_password

        return check_password(self.store, name, password)

    # --------------------------------------------------------------- settings
    def blind_coding(self) -> bool:
        """Whether coders are blind to each other's codes until both have marked a transcript done."""
        from .settings import blind_coding

        return blind_coding(self.store)

    def set_blind_coding(self, on: bool, *, actor: str | None = None) -> None:
        from .settings import set_blind_coding

        set_blind_coding(self.store, on, actor=actor)

    def coders_add_codes(self) -> bool:
        """Whether coders (not only owners) may add new codes while coding."""
        from .settings import coders_add_codes

        return coders_add_codes(self.store)

    def set_coders_add_codes(self, on: bool, *, actor: str | None = None) -> None:
        """Let coders add new codes from the coding page (owners only; audited)."""
        from .settings import set_coders_add_codes

        set_coders_add_codes(self.store, on, actor=actor)

    def role_of(self, name: str | None) -> str:
        """A coder's role: owner, lead, coder or viewer (see :mod:`coding.roles`)."""
        return roles.role_of(self.store, name)

    def code_usage(self, coder: str) -> dict[str, tuple[int, int]]:
        """code id -> (segments ``coder`` coded with it, segments anyone coded with it).

        >>> mine, everyone = project.code_usage("anna")["impl_hi_ensam_position"]
        >>> 0 < mine <= everyone
        True
        """
        return self.store.code_usage(coder)

    def may_add_codes(self, name: str | None) -> bool:
        """Whether ``name`` may add a code now: owners always, coders when the owner allows it."""
        from .settings import coders_add_codes

        return self.may(name, "admin") or (coders_add_codes(self.store) and self.may(name, "code"))

    def may(self, name: str | None, right: str) -> bool:
        """Whether ``name`` may ``admin``, settle ``consensus`` or ``code`` in this project."""
        return roles.may(self.store, name, right)

    def set_role(self, name: str, role: str, *, actor: str | None = None) -> None:
        """Give a coder a role (owner, lead, coder, viewer); owners only."""
        roles.set_role(self.store, name, role, actor=actor)

    # ----------------------------------------------------------------- search
    def search(self, query: str, **options):
        """Segments of every transcript that contain ``query`` (accent-insensitive); see :func:`coding.search.search`.

        >>> [(h.transcript, h.position) for h in project.search("forankring")][:1]
        [('aneby_chef.txt', 69)]
        """
        from .search import search

        return search(self.store, query, **options)

    def count_hits(self, query: str, **options) -> int:
        """How many segments contain ``query``; see :func:`coding.search.count_hits`."""
        from .search import count_hits

        return count_hits(self.store, query, **options)

    # ---------------------------------------------------------------- codings
    def apply_code(self, transcript: str, segment: int, code: str, *, coder: str, memo: str | None = None) -> bool:
        """Apply ``code`` to segment number ``segment`` (1-based); False if it was applied already."""
        return codings_mod.apply_code(self.store, transcript, segment, code, coder=coder, memo=memo)

    def remove_code(self, transcript: str, segment: int, code: str, *, coder: str) -> bool:
        """Remove one coding of ``coder``; False if there was none."""
        return codings_mod.remove_code(self.store, transcript, segment, code, coder=coder)

    def apply_code_ids(self, segment_ids: Sequence[int], code: str, *, coder: str, memo: str | None = None) -> int:
        """Apply a code to segments given by id (one undoable step); returns segments newly coded."""
        return codings_mod.apply_code_ids(self.store, segment_ids, code, coder=coder, memo=memo)

    def remove_code_ids(self, segment_ids: Sequence[int], code: str, *, coder: str) -> int:
        """Remove the coder's code from segments given by id (one undoable step); returns how many."""
        return codings_mod.remove_code_ids(self.store, segment_ids, code, coder=coder)

    def transcript_text(self, transcript: str) -> str:
        """The stored text of one transcript: what span offsets count in (code points, ``end`` exclusive).

        >>> project.transcript_text("aneby_chef.txt")[:9]
        'Intervju '
        """
        return self.store.transcript_text(self.transcript_id(transcript))

    def code_span(self, transcript: str, start: int, end: int, code: str, *, coder: str,
                  memo: str | None = None) -> "Span":
        """Code any stretch of a transcript's text (characters ``[start, end)``); one undoable step.

        A span that is exactly one segment is that segment's coding. See :mod:`coding.spans`.

        >>> text = project.transcript_text("aneby_chef.txt")
        >>> at = text.index("samverkan")
        >>> project.code_span("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara").end - at
        9
        """
        from .spans import code_span

        return code_span(self.store, transcript, start, end, code, coder=coder, memo=memo)

    def remove_span(self, transcript: str, start: int, end: int, code: str, *, coder: str) -> bool:
        """Remove one of the coder's spans; one undoable step.

        >>> text = project.transcript_text("aneby_chef.txt")
        >>> at = text.index("samverkan")
        >>> _ = project.code_span("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
        >>> project.remove_span("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
        True
        """
        from .spans import remove_span

        return remove_span(self.store, transcript, start, end, code, coder=coder)

    def change_span_code(self, transcript: str, start: int, end: int, old: str, code: str, *,
                         coder: str) -> "Span":
        """Give one of the coder's spans another code (its memo goes along); one undoable step.

        >>> text = project.transcript_text("aneby_chef.txt")
        >>> at = text.index("samverkan")
        >>> _ = project.code_span("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
        >>> project.change_span_code("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", "impl_ff_lang_projekttid",
        ...                          coder="sara").code
        'impl_ff_lang_projekttid'
        """
        from .spans import change_span_code

        return change_span_code(self.store, transcript, start, end, old, code, coder=coder)

    def set_span_memo(self, transcript: str, start: int, end: int, code: str, text: str | None, *,
                      coder: str) -> bool:
        """Write (empty text: clear) the memo of one of the coder's spans; one undoable step.

        >>> text = project.transcript_text("aneby_chef.txt")
        >>> at = text.index("samverkan")
        >>> _ = project.code_span("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
        >>> project.set_span_memo("aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", "Se även s. 4", coder="sara")
        True
        """
        from .spans import set_span_memo

        return set_span_memo(self.store, transcript, start, end, code, text, coder=coder)

    def spans(self, transcript: str | None = None, *, coder: str | None = None,
              viewer: str | None = None) -> list["Span"]:
        """Every coding as a span (segment codings as their segment's range), in text order; with
        ``viewer``, blind coding hides other coders' spans as it hides their codings.

        >>> [s.segment for s in project.spans("aneby_chef.txt", coder="anna")][:3]
        [21, 28, 32]
        """
        from .spans import list_spans

        return list_spans(self.store, transcript=transcript, coder=coder, viewer=viewer)

    def min_overlap(self) -> float:
        """The share of a segment's non-space characters a span must cover to count for it (0: any).

        >>> project.min_overlap()
        0.0
        """
        return self.store.min_overlap()

    def set_min_overlap(self, share: float, *, actor: str | None = None) -> int:
        """Change the overlap rule for every statistic and export (owners only); see :mod:`coding.spans`.

        >>> project.set_min_overlap(0.5)
        0
        """
        from .spans import set_min_overlap

        return set_min_overlap(self.store, share, actor=actor)

    def segment_codes(self, transcript_id: int, coder: str) -> dict[int, list[str]]:
        """segment id -> the code ids ``coder`` applied, for one transcript."""
        return self.store.segment_codes(transcript_id, coder)

    def segment_codes_by_coder(self, transcript_id: int, coders: Sequence[str]) -> dict[int, dict[str, list[str]]]:
        """segment id -> coder -> code ids, for one transcript and the given coders."""
        return codings_mod.segment_codes_by_coder(self.store, transcript_id, coders)

    def segment_memos(self, transcript_id: int, coder: str) -> dict[int, str]:
        """segment id -> the coder's memo, for one transcript."""
        return self.store.segment_memos(transcript_id, coder)

    def set_segment_memo(self, segment_id: int, coder: str, text: str | None) -> bool:
        """Set the coder's memo on a segment (empty text deletes it); False if nothing changed."""
        return codings_mod.set_segment_memo(self.store, segment_id, coder, text)

    def undo(self, coder: str) -> "UndoResult | None":
        """Undo the coder's newest coding, removal or memo change (from any entry point).

        >>> project.apply_code("aneby_chef.txt", 2, "impl_hi_ensam_position", coder="sara")
        True
        >>> project.undo("sara").describe()
        'Undid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #2)'
        """
        return undo_last(self.store, coder)

    def redo(self, coder: str) -> "UndoResult | None":
        """Do again what the coder's last undo reversed (None when a new change came in between).

        >>> project.apply_code("aneby_chef.txt", 3, "impl_hi_ensam_position", coder="sara")
        True
        >>> project.undo("sara").describe()
        'Undid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #3)'
        >>> project.redo("sara").describe()
        'Redid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #3)'
        """
        return redo_last(self.store, coder)

    def codings(self, *, coder: str | None = None, transcript: str | None = None) -> list[dict]:
        """Codings as dicts with transcript, segment (1-based), code, coder and memo."""
        return codings_mod.list_codings(self.store, coder=coder, transcript=transcript)

    def import_codings(self, path: str | Path, *, actor: str | None = None) -> dict:
        """Import codings from CSV, all or nothing; see :func:`coding.codings.import_codings`."""
        return codings_mod.import_codings(self.store, path, actor=actor)

    def export_codings(self, out, *, coder: str | None = None) -> int:
        """Write codings as CSV to a path or an open text file; returns the row count."""
        return codings_mod.export_codings(self.store, out, coder=coder)

    def mark_done(self, coder: str, transcripts: Sequence[str] | None = None, *, done: bool = True) -> int:
        """Mark transcripts as finished by ``coder`` (None: all); returns markers changed."""
        return codings_mod.mark_done(self.store, coder, transcripts, done=done)

    def coding_progress(self, coder: str) -> dict[int, tuple[int, int]]:
        """transcript id -> (segments the coder has coded, segments in all)."""
        return codings_mod.coding_progress(self.store, coder)

    def visible_coders(self, transcript_id: int, viewer: str) -> list[str]:
        """The coders whose codes ``viewer`` may see on this transcript (blind coding)."""
        return codings_mod.visible_coders(self.store, transcript_id, viewer)

    def blinded(self, viewer: str) -> bool:
        """Whether project-wide views must hide other coders' codes from ``viewer``."""
        return codings_mod.blinded(self.store, viewer)

    def audit_log(self, *, limit: int | None = None, actor: str | None = None, actions=None,
                  since: str | None = None, until: str | None = None) -> list[dict]:
        """The audit log, newest first, filtered by coder, actions and time (ISO dates or times).

        >>> [e["action"] for e in project.audit_log(actions=["codings.import"])][:1]
        ['codings.import']
        """
        return self.store.audit_log(limit=limit, actor=actor, actions=actions, since=since, until=until)

    def audit_actions(self) -> list[str]:
        """Every kind of action in the audit log."""
        return self.store.audit_actions()

    def export_audit_log(self, out, **filters) -> int:
        """Write the (filtered) audit log as CSV to a path or an open text file; returns the rows written."""
        import json

        from .csvsafe import csv_writer, safe_row

        if isinstance(out, (str, Path)):
            with open(out, "w", encoding="utf-8", newline="") as fh:
                return self.export_audit_log(fh, **filters)
        writer = csv_writer(out)
        writer.writerow(safe_row(["id", "at", "actor", "action", "target", "detail"]))
        rows = self.audit_log(**filters)
        for e in rows:
            detail = json.dumps(e["detail"], ensure_ascii=False) if e["detail"] is not None else ""
            writer.writerow(safe_row([e["id"], e["at"], e["actor"], e["action"], e["target"], detail]))
        return len(rows)

    # ------------------------------------------------------------------ memos
    def add_memo(self, text: str, *, coder: str, transcript: str | None = None, segment: int | None = None,
                 code: str | None = None) -> "Memo":
        """Write a memo on the project (no target), a transcript, a segment of it (``transcript`` and
        ``segment``), a code, or a coding (all three); one undoable step. See :mod:`coding.memos`.

        >>> project.add_memo("Chefen är ny sedan 2013", coder="anna", transcript="aneby_chef.txt").target
        'aneby_chef.txt'
        >>> project.undo("anna").describe()
        'Undid writing a memo (aneby_chef.txt)'
        """
        from .memos import add_memo

        return add_memo(self.store, text, coder=coder, transcript=transcript, segment=segment, code=code)

    def memos(self, *, search: str | None = None, kind=None, coder: str | None = None,
              transcript: str | None = None, viewer: str | None = None) -> list["Memo"]:
        """Memos (oldest first) filtered by kind (project, transcript, segment, code, coding), coder and
        transcript, and searched in their text (accent- and case-insensitive, every word); see
        :func:`coding.memos.list_memos`.

        >>> _ = project.add_memo("Förankring saknas i ledningen", coder="anna")
        >>> [m.text for m in project.memos(search="forankring", kind="project")]
        ['Förankring saknas i ledningen']
        """
        from .memos import list_memos

        return list_memos(self.store, search=search, kind=kind, coder=coder, transcript=transcript, viewer=viewer)

    def edit_memo(self, memo, text: str, *, coder: str) -> bool:
        """Give one of the coder's memos (a memo or its id) new text; one undoable step.

        >>> memo = project.add_memo("Första tanken", coder="anna")
        >>> project.edit_memo(memo.id, "Andra tanken", coder="anna"), project.memos()[0].text
        (True, 'Andra tanken')
        """
        from .memos import edit_memo

        return edit_memo(self.store, memo, text, coder=coder)

    def delete_memo(self, memo, *, coder: str) -> bool:
        """Delete one of the coder's memos (a memo or its id); one undoable step.

        >>> memo = project.add_memo("Tillfälligt", coder="anna", code="impl_hi_ensam_position")
        >>> project.delete_memo(memo, coder="anna"), project.memos()
        (True, [])
        >>> project.undo("anna").describe(), [m.text for m in project.memos()]
        ('Undid deleting a memo (code impl_hi_ensam_position)', ['Tillfälligt'])
        """
        from .memos import delete_memo

        return delete_memo(self.store, memo, coder=coder)

    def memo_labels(self, lang: str = "sv") -> dict[str, str]:
        """code id -> label in ``lang``: what memo exports show beside a code's id.

        >>> project.memo_labels("en")["impl_hi_ensam_position"]
        'Lonely position as SE-coach'
        """
        return {c.id: (c.label_en if lang == "en" else c.label_sv) or c.label_sv or c.label_en or c.id
                for c in self.store.codes()}

    def memos_file(self, fmt: str, *, memos=None, lang: str = "sv", **filters) -> bytes:
        """The memos (given, or those the filters of :meth:`memos` select) as a csv, md or docx file's bytes.

        >>> _ = project.add_memo("Förankring", coder="anna")
        >>> project.memos_file("md", lang="en").decode().splitlines()[2]
        '1 memo'
        """
        from .memo_export import memos_bytes

        chosen = self.memos(**filters) if memos is None else memos
        return memos_bytes(chosen, fmt, title=self._memo_title(lang), lang=lang, labels=self.memo_labels(lang))

    def export_memos(self, path: str | Path, *, lang: str = "sv", **filters) -> int:
        """Write the memos the filters of :meth:`memos` select to ``path`` (.csv, .md or .docx, A4);
        returns how many.

        >>> _ = project.add_memo("=cmd|' /C calc'!A0", coder="anna")
        >>> out = getfixture("tmp_path") / "memon.csv"
        >>> project.export_memos(out), out.read_text(encoding="utf-8").splitlines()[1].endswith("'=cmd|' /C calc'!A0")
        (1, True)
        """
        from .memo_export import write_memos

        chosen = self.memos(**filters)
        write_memos(chosen, path, title=self._memo_title(lang), lang=lang, labels=self.memo_labels(lang))
        return len(chosen)

    def export_qdpx(self, path: str | Path, *, lang: str = "sv", overwrite: bool = True) -> dict:
        """Write the whole project as a REFI-QDA archive (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder;
        returns a summary (see :func:`coding.refi_project.export_qdpx`).

        >>> out = getfixture("tmp_path") / "demo.qdpx"
        >>> summary = project.export_qdpx(out, lang="en")
        >>> summary["sources"], summary["codings"] == project.store.codings_count()
        (16, True)
        """
        from .refi_project import export_qdpx

        return export_qdpx(self, path, lang=lang, overwrite=overwrite)

    def import_qdpx(self, path, coder_map: dict[str, str] | None = None, actor: str | None = None, *,
                    name: str | None = None, **options):
        """Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode): its coders
        (renamed by ``coder_map``), codes, text sources as transcripts, codings with their exact ranges,
        memos and attributes, in one transaction after an automatic backup; ``path`` may be bytes named
        ``name`` (an upload). Returns a report; see :mod:`coding.refi_import`.

        >>> out = getfixture("tmp_path") / "demo.qdpx"
        >>> _ = project.export_qdpx(out)
        >>> copy = Project.create(getfixture("tmp_path") / "copy.qcode")
        >>> report = copy.import_qdpx(out, coder_map={"erik": "erika"})
        >>> len(report.transcripts), report.coders
        (16, ['anna', 'erika'])
        """
        from .refi_import import import_qdpx

        require(self.store, actor, "admin")
        return import_qdpx(self.store, path, name=name, coder_map=coder_map, actor=actor, backup=True, **options)

    def _memo_title(self, lang: str) -> str:
        return ("Memos: " if lang == "en" else "Memon: ") + self.name

    # ------------------------------------------------------------------ media
    def attach_media(self, transcript: str, path: str | Path, *, replace: bool = False,
                     actor: str | None = None) -> "MediaInfo":
        """Attach an audio or video recording (.mp3 .m4a .wav .ogg .webm .mp4) to a transcript, to play a
        segment where it was said; attaching a moved recording again re-points it. See :mod:`coding.media`.

        >>> import wave
        >>> recording = getfixture("tmp_path") / "gnosjo_chef.wav"
        >>> with wave.open(str(recording), "wb") as w:
        ...     w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(16000))
        >>> info = project.attach_media("gnosjo_chef.vtt", recording)
        >>> info.outcome, info.mime, project.media("gnosjo_chef.vtt").status
        ('attached', 'audio/wav', 'ok')
        >>> [m.transcript for m in project.media_files()], project.remove_media("gnosjo_chef.vtt")
        (['gnosjo_chef.vtt'], True)
        """
        from .media import attach_media

        return attach_media(self.store, transcript, path, replace=replace, actor=actor)

    def attach_media_upload(self, transcript: str, file_name: str, data: bytes, *, replace: bool = False,
                            actor: str | None = None) -> "MediaInfo":
        """Keep an uploaded recording in ``<project>.media/`` beside the project file and attach it."""
        from .media import attach_upload

        return attach_upload(self.store, transcript, file_name, data, replace=replace, actor=actor)

    def media(self, transcript: str) -> "MediaInfo | None":
        """The recording of a transcript and whether it is still where it was (None when there is none)."""
        from .media import media_info

        return media_info(self.store, transcript)

    def media_files(self) -> list["MediaInfo"]:
        """Every attached recording, by transcript name."""
        from .media import list_media

        return list_media(self.store)

    def remove_media(self, transcript: str, *, actor: str | None = None) -> bool:
        """Detach a transcript's recording (the file stays where it is); False when it had none."""
        from .media import remove_media

        return remove_media(self.store, transcript, actor=actor)

    # --------------------------------------------------------------- analyses
    def matrix(self, *args, **options):
        """A rows × codes matrix for a :class:`coding.specs.MatrixSpec` (or its options as keywords);
        see :func:`coding.matrix.build_matrix`.

        >>> int(project.matrix(rows="kommun", measure="presence", coders=["anna"]).table.loc["Aneby",
        ...     "impl_hi_ensam_position"])
        1
        """
        from .matrix import build_matrix

        return build_matrix(self.store, *args, **options)

    def export_matrix(self, spec, fmt: str) -> bytes:
        """The matrix of a :class:`coding.specs.MatrixSpec` as the bytes of a ``fmt`` file (csv, json, md, xlsx,
        docx, png, svg: the exporters registry)."""
        from .exports import export_matrix

        return export_matrix(self.store, spec, fmt)

    def write_matrix(self, spec, path: str | Path, fmt: str | None = None) -> Path:
        """Write the matrix of a spec to ``path`` (format from ``fmt`` or the suffix)."""
        from .exports import write_matrix

        return write_matrix(self.store, spec, path, fmt)

    def report_table(self, columns: Sequence[str], **options):
        """The municipality × category report table; see :func:`coding.matrix.report_table`."""
        from .matrix import report_table

        return report_table(self.store, columns, **options)

    def cooccurrence(self, **options):
        """Code co-occurrence; see :func:`coding.matrix.cooccurrence`."""
        from .matrix import cooccurrence

        return cooccurrence(self.store, **options)

    def cell_segments(self, row: str, column: str, **options) -> list[dict]:
        """The coded segments behind one matrix cell; see :func:`coding.matrix.cell_segments`."""
        from .matrix import cell_segments

        return cell_segments(self.store, row, column, **options)

    def agreement_by_code(self, coders=None, **options):
        """The agreement table with one column per statistic; see :func:`coding.agreement_design.agreement_by_code`."""
        from .agreement_design import agreement_by_code

        return agreement_by_code(self.store, coders, **options)

    def schema_version(self) -> int:
        """The project file's schema version."""
        return self.store.schema_version()

    def agreement(self, coders=None, **options):
        """Agreement per code and overall for an :class:`coding.specs.AgreementSpec` (or coders and options);
        see :func:`coding.agreement_design.agreement`."""
        from .agreement_design import agreement

        return agreement(self.store, coders, **options)

    def unitizing_agreement(self, coders, codes=None, transcripts=None):
        """Krippendorff's unitizing alphas of the coders' spans (αu, |uα, c|uα, (k)uα), per code and pooled;
        see :func:`coding.unitizing_agreement.unitizing_agreement`."""
        from .unitizing_agreement import unitizing_agreement

        return unitizing_agreement(self.store, coders, codes=codes, transcripts=transcripts)

    def disagreements(self, coders, **options) -> list[dict]:
        """Segments where the coders differ; see :func:`coding.disagreements.disagreements`."""
        from .disagreements import disagreements

        return disagreements(self.store, coders, **options)

    def decide(self, segment_id: int, codes, *, decided_by: str, **options) -> dict:
        """Record the consensus codes of a segment; see :func:`coding.consensus.decide`."""
        from .consensus import decide

        return decide(self.store, segment_id, codes, decided_by=decided_by, **options)

    def accept(self, segment_id: int, coder: str, *, decided_by: str, **options) -> dict:
        """Take one coder's codes as the consensus of a segment."""
        from .consensus import accept

        return accept(self.store, segment_id, coder, decided_by=decided_by, **options)

    def consensus_from_agreement(self, coders, *, decided_by: str, **options) -> dict:
        """Copy every segment the coders agree on to the consensus."""
        from .consensus import consensus_from_agreement

        return consensus_from_agreement(self.store, coders, decided_by=decided_by, **options)

    def import_consensus(self, path: str | Path, *, decided_by: str) -> dict:
        """Import consensus decisions from CSV (transcript,segment,code)."""
        from .consensus import import_consensus
        require(self.store, decided_by, "consensus")
        auto_backup(self.store, "consensus-import")
        return import_consensus(self.store, path, decided_by=decided_by)

    def decisions(self, **options) -> list[dict]:
        """The recorded consensus decisions."""
        from .consensus import decisions

        return decisions(self.store, **options)

    # ---------------------------------------------------------- quote reports
    def quotes(self, spec=None, **options):
        """Every coded passage of some codes, grouped by municipality (or any attribute), with speaker,
        context, coders and memos: a :class:`coding.quotes.QuoteSpec` or its options as keywords; see
        :func:`coding.quotes.quote_report`.

        >>> report = project.quotes(codes=["impl_hi_ensam_position"], by="kommun", coders=["anna"])
        >>> [(g.label, len(g.quotes)) for g in report.sections[0].groups][:2]
        [('Aneby', 2), ('Gislaved', 2)]
        """
        from .quotes import quote_report

        return quote_report(self.store, spec, **options)

    def export_quotes(self, spec, fmt: str) -> bytes:
        """The quote report of a :class:`coding.quotes.QuoteSpec` as the bytes of a ``fmt`` file (docx, md, csv:
        the quote formats registry).

        >>> from coding.quotes import QuoteSpec
        >>> project.export_quotes(QuoteSpec(codes=["impl_hi_ensam_position"]), "csv").decode().split(",")[:3]
        ['code', 'code_label', 'kommun']
        """
        from .quotes_export import export_quotes

        return export_quotes(self.store, spec, fmt)

    def write_quotes(self, spec, path: str | Path, fmt: str | None = None) -> Path:
        """Write the quote report of a :class:`coding.quotes.QuoteSpec` (or a list of code ids) to ``path``
        (format from ``fmt`` or the suffix: .docx, .md, .csv).

        >>> out = project.write_quotes(["impl_hi_ensam_position"], getfixture("tmp_path") / "citat.docx")
        >>> out.name, out.stat().st_size > 5000
        ('citat.docx', True)
        """
        from .quotes import QuoteSpec
        from .quotes_export import write_quotes

        spec = spec if isinstance(spec, QuoteSpec) else QuoteSpec(codes=spec)
        return write_quotes(self.store, spec, path, fmt)

    # ------------------------------------------------------------ suggestions
    def suggest_evaluate(self, source: str = "all", *, folds: int = 5, threshold: float = 0.5, **options) -> dict:
        """How good code suggestions learned from ``source``'s coding would be: grouped cross-validation by
        transcript, baselines, learning curve, the model as a coder; see :func:`coding.suggest.evaluate.evaluate`.

        >>> result = project.suggest_evaluate("anna", folds=2, learning_curve=())
        >>> result["model"]["micro"]["f1"] > result["prior"]["micro"]["f1"]
        True
        """
        from .suggest.evaluate import evaluate

        return evaluate(self.store, source, folds=folds, threshold=threshold, **options)

    def suggestions(self, coder: str, transcript: str, *, source: str | None = None,
                    min_score: float | None = None, **options) -> list[dict]:
        """Proposed codes for ``coder``'s segments of ``transcript`` (nothing is written); learned from
        ``source`` (default: the coder's own finished transcripts), else from the codebook; see
        :func:`coding.suggest.run.suggestions`.

        >>> rows = project.suggestions("anna", "aneby_chef.txt")
        >>> rows[0]["source"], rows[0]["score"] >= 0.5
        ('model', True)
        """
        from .suggest.run import suggestions

        return suggestions(self.store, coder=coder, transcript=transcript, source=source, min_score=min_score,
                           blind=self.blind_coding(), **options)

    def suggest_train(self, from_: str = "all", *, actor: str | None = None, **options):
        """Train a suggester on ``from_`` (a coder, ``"all"``, ``"consensus"`` or ``"codebook"``) and keep it in
        the project; returns its :class:`~coding.suggest.train.ModelInfo`. See :mod:`coding.suggest.train`.

        >>> info = project.suggest_train("erik")
        >>> info.kind, info.coders, info.n_segments
        ('model', ('erik',), 1756)
        """
        from .suggest.train import train

        return train(self.store, from_, actor=actor, **options)

    def suggest_models(self) -> list:
        """The stored suggestion models, newest first (:class:`~coding.suggest.train.ModelInfo`)."""
        from .suggest.train import models

        return models(self.store)

    def suggest_run(self, coder: str, transcripts: list[str] | None = None, *, min_score: float | None = None,
                    model_id: int | None = None) -> dict:
        """Write ``coder``'s proposals (never codings) from the newest model allowed to propose to them;
        see :func:`coding.suggest.proposals.run`.

        >>> _ = project.suggest_train("anna")
        >>> project.suggest_run("anna", ["aneby_chef.txt"])["proposed"] > 0
        True
        """
        from .suggest.proposals import run

        return run(self.store, coder=coder, transcripts=transcripts, min_score=min_score, model_id=model_id)

    def suggest_list(self, coder: str, transcript: str | None = None, *, state: str | None = "proposed",
                     order: str = "text", min_score: float | None = None) -> list[dict]:
        """``coder``'s proposals (``order="uncertain"``: the least sure first); see
        :func:`coding.suggest.proposals.list_proposals`.

        >>> _ = project.suggest_train("codebook")
        >>> _ = project.suggest_run("anna", ["aneby_chef.txt"], min_score=0.1)
        >>> {r["kind"] for r in project.suggest_list("anna", "aneby_chef.txt")}
        {'codebook'}
        """
        from .suggest.proposals import list_proposals

        return list_proposals(self.store, coder=coder, transcript=transcript, state=state, order=order,
                              min_score=min_score)

    def suggest_accept(self, coder: str, ids: list[int] | None = None, *, transcript: str | None = None,
                       segments: list[int] | None = None, min_score: float | None = None):
        """Accept proposals as ``coder``'s codings (marked as from a suggestion), one undoable step; by ids, or
        every open one of a transcript's ``segments`` scoring at least ``min_score``.

        >>> _ = project.suggest_train("anna")
        >>> _ = project.suggest_run("anna", ["aneby_chef.txt"])
        >>> project.suggest_accept("anna", transcript="aneby_chef.txt", min_score=0.0).n > 0
        True
        """
        from .suggest.proposals import accept

        return accept(self.store, coder=coder, ids=ids, transcript=transcript, segments=segments,
                      min_score=min_score)

    def suggest_reject(self, coder: str, ids: list[int] | None = None, *, transcript: str | None = None,
                       segments: list[int] | None = None, max_score: float | None = None):
        """Reject proposals (remembered: their model never proposes them again), one undoable step.

        >>> _ = project.suggest_train("anna")
        >>> _ = project.suggest_run("anna", ["aneby_chef.txt"])
        >>> first = project.suggest_list("anna", "aneby_chef.txt")[0]
        >>> project.suggest_reject("anna", [first["id"]]).changed == (first["id"],)
        True
        """
        from .suggest.proposals import reject

        return reject(self.store, coder=coder, ids=ids, transcript=transcript, segments=segments,
                      max_score=max_score)


def _backup_before(path, reason: str) -> None:
    """Back up an existing project before it is replaced; a file that is no project is left to Store.create."""
    from .errors import ProjectProblem

    try:
        store = Store.open(path)
    except ProjectProblem:
        return
    with store:
        auto_backup(store, reason)
