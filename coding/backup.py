"""Backups of a project file that are consistent while coders work, and restoring one.

A plain file copy of a project taken while the app runs misses what is still
in the ``-wal`` file. :func:`backup` uses SQLite's online backup API instead:
the copy is one consistent snapshot even while others write, and it is a
complete, standalone project file (no ``-wal`` beside it).

Automatic backups (:func:`auto_backup`) are made before every destructive
operation (replacing the codebook, overwriting a project, deleting a
transcript, importing consensus decisions, restoring) and by the app once a
day. They go to a folder beside the project, ``<name>.backups/``, named by time
and reason; the newest :data:`KEEP_AUTOMATIC` are kept, older automatic ones
are deleted. Backups made by hand are never deleted.

A project on PostgreSQL is backed up the same way, as an SQLite project file
(a verified copy, :func:`coding.store.copy.copy_project`); its automatic
backups go to a per-user folder, ``~/.local/share/qcode/backups/<server-port-
database-schema>/`` (see :mod:`coding.places`). Restoring one is a copy into
a new schema (``qcode copy BACKUP postgresql://…?schema=NEW``), never in place.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> info = backup(project.store, folder / "copy.qcode")
>>> info.codings == project.counts()["codings"]
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import ProjectProblem

KEEP_AUTOMATIC = 20  # automatic backups kept per project (the newest)
DAILY_SECONDS = 24 * 3600
_SUFFIX = ".qcode"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    transcripts: int
    codings: int
    bytes: int


def backup_folder(project) -> Path:
    """Where the automatic backups of a project go: ``<name>.backups/`` beside a project file, a per-user
    folder for a project on PostgreSQL (``project``: a path, URL, store or Project; see :mod:`coding.places`).

    >>> backup_folder("interviews/study.qcode")
    PosixPath('interviews/study.qcode.backups')
    """
    from .places import side_folder

    return side_folder(project, "backups")


def backup(store, dest: str | Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a consistent copy of the project to ``dest`` (SQLite's online backup; safe while others write)."""
    dest = Path(dest)
    if store.path is not None and dest.resolve() == Path(store.path).resolve():
        raise ProjectProblem("a backup cannot overwrite its own project", path=str(dest))
    if dest.exists() and not overwrite:
        raise ProjectProblem("the file exists already; choose another name or overwrite it "
                             "(--force on the command line, overwrite=True in Python)", path=str(dest))
    if not dest.parent.exists():
        raise ProjectProblem("the folder does not exist", path=str(dest.parent))
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    store.backup_to(tmp)
    tmp.replace(dest)
    return _info(dest)


def _info(path: Path) -> BackupInfo:
    from .store.base import file_counts

    counts = file_counts(path)
    return BackupInfo(path, counts["transcripts"], counts["codings"], path.stat().st_size)


def auto_backup(store, reason: str) -> BackupInfo:
    """An automatic backup before ``reason`` (e.g. ``"delete-transcript"``), with retention."""
    from .places import project_name

    folder = backup_folder(store)
    folder.mkdir(parents=store.path is None, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reason)[:40]
    info = backup(store, folder / f"{project_name(store)}-{stamp}-{slug}{_SUFFIX}")
    for old in list_backups(store)[KEEP_AUTOMATIC:]:
        old.unlink(missing_ok=True)
    return info


def list_backups(project) -> list[Path]:
    """The automatic backups of a project (a path, URL, store or Project), newest first."""
    folder = backup_folder(project)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"*{_SUFFIX}"), key=lambda p: p.name, reverse=True)


def backup_due(store, every_seconds: int = DAILY_SECONDS) -> bool:
    """Whether the newest automatic backup is older than ``every_seconds`` (or there is none)."""
    newest = list_backups(store)[:1]
    if not newest:
        return True
    age = datetime.now(timezone.utc).timestamp() - newest[0].stat().st_mtime
    return age >= every_seconds


def restore(backup_path: str | Path, project_path: str | Path) -> BackupInfo:
    """Replace the project at ``project_path`` by a backup, after an automatic backup of the current file.

    The backup is checked first (it must be a qcode project that opens); the
    current project is backed up to its backup folder, so a restore can itself
    be undone.
    """
    from .places import location_of
    from .store import Store

    location = location_of(project_path)
    if location.is_postgresql:
        raise ProjectProblem("a project on PostgreSQL is not replaced in place: copy the backup into a new schema "
                             f"(qcode copy {backup_path} 'postgresql://…?schema=NEW') and open that",
                             path=location.redacted())
    backup_path, project_path = Path(backup_path), location.path
    with Store.open(backup_path) as checked:  # a qcode project of a version we can read
        checked.counts()
    if project_path.exists():
        with Store.open(project_path) as current:
            auto_backup(current, "before-restore")
            current.checkpoint()
    with Store.open(backup_path) as source:
        source.backup_to(project_path, standalone=False)  # into the live file: other connections see it at once
    return _info(project_path)
