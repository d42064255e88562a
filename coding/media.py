"""Audio and video recordings of interviews, attached to their transcripts to play a segment where it was said.

The project keeps where the file is, its size, SHA-256 and MIME type, never its bytes (an hour of
audio is 50-600 MB). A file in the project's folder (or below it, such as the ``<name>.media/``
folder the app uploads to) is kept relative to the project file, so the folder can move as a
whole; any other file by its absolute path. When the file has moved, :func:`media_info` says so
(``status`` "missing" or "changed") and attaching the file at its new place again re-points it
(the same SHA-256 is no new recording).

A project on PostgreSQL has no folder: its recordings are kept by absolute path, and the app's
uploads go to a per-user folder on the machine that runs the app (:func:`media_folder`).

>>> import wave, pathlib
>>> recording = pathlib.Path(getfixture("tmp_path")) / "aneby_chef.wav"
>>> with wave.open(str(recording), "wb") as w:
...     w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(1600))
>>> info = attach_media(store, "aneby_chef.txt", recording)
>>> (info.outcome, info.mime, info.size, info.status)
('attached', 'audio/wav', 1644, 'ok')
>>> _ = recording.rename(recording.with_name("moved.wav"))
>>> print(media_info(store, "aneby_chef.txt").problem())   # doctest: +ELLIPSIS
the recording of aneby_chef.txt is missing: .../aneby_chef.wav (moved or deleted?); attach it again ...
>>> attach_media(store, "aneby_chef.txt", recording.with_name("moved.wav")).outcome
'repointed'
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import QcodeError
from .roles import require

#: file suffix -> MIME type of the recordings qcode plays (what browsers play without plug-ins)
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".webm": "video/webm",
    ".mp4": "video/mp4",
}
_CHUNK = 1 << 20


def media_folder(project) -> Path:
    """Where the app puts uploaded recordings: ``<name>.media/`` beside the project file; for a project on
    PostgreSQL a per-user folder (see :mod:`coding.places`). ``project``: a path, URL, store or Project.

    >>> media_folder("interviews/study.qcode")
    PosixPath('interviews/study.qcode.media')
    """
    from .places import side_folder

    return side_folder(project, "media")


def looks_like(head: bytes, suffix: str) -> bool:
    """Whether the first bytes of a file fit its suffix (a text file renamed to .mp3 does not).

    >>> looks_like(b"RIFF\\x24\\x00\\x00\\x00WAVEfmt ", ".wav"), looks_like(b"Intervjuare: Hej", ".mp3")
    (True, False)
    """
    if suffix == ".wav":
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    if suffix == ".mp3":
        return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if suffix == ".ogg":
        return head[:4] == b"OggS"
    if suffix == ".webm":
        return head[:4] == b"\x1a\x45\xdf\xa3"
    if suffix in (".mp4", ".m4a"):
        return head[4:8] == b"ftyp"
    return False


@dataclass(frozen=True)
class MediaInfo:
    """A transcript's recording: where it is and whether it is still there.

    ``status`` is "ok", "missing" (no file at ``path``) or "changed" (a file of another size is
    there). ``outcome`` says what :func:`attach_media` did: "attached", "replaced" or "repointed".
    """

    transcript: str
    path: Path            # where the file is expected (absolute)
    stored_path: str      # as the project keeps it (relative to the project's folder when inside it)
    size: int
    sha256: str
    mime: str
    added_by: str | None
    added_at: str
    status: str
    outcome: str = ""

    @property
    def kind(self) -> str:
        """``audio`` or ``video``."""
        return self.mime.split("/", 1)[0]

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def problem(self) -> str | None:
        """What is wrong with the file, in a sentence (None when it can be played)."""
        again = (f"attach it again with 'qcode media add PROJECT {self.transcript} FILE' or on the Project page "
                 "(the same recording is re-pointed)")
        if self.status == "missing":
            return f"the recording of {self.transcript} is missing: {self.path} (moved or deleted?); {again}"
        if self.status == "changed":
            return (f"the recording of {self.transcript} has changed: {self.path} is no longer the file that was "
                    f"attached ({self.size:,} bytes); {again}")
        return None


def _check_file(path: Path) -> tuple[str, int]:
    """(MIME type, size) of a recording, or a :class:`QcodeError` naming the file and the problem."""
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise QcodeError(f"unsupported media type {suffix or '(no suffix)'!r}; qcode plays "
                         + ", ".join(MEDIA_TYPES) + " files", path=str(path))
    if not path.exists():
        raise QcodeError("no such file", path=str(path))
    if not path.is_file():
        raise QcodeError("is not a file", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise QcodeError("the file is empty", path=str(path))
    with open(path, "rb") as fh:
        head = fh.read(16)
    if not looks_like(head, suffix):
        raise QcodeError(f"does not look like a {suffix} recording (its first bytes say otherwise)", path=str(path))
    return MEDIA_TYPES[suffix], size


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (recordings are large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_path(project_path: Path | None, file: Path) -> str:
    """The file relative to the project's folder when it lies in it, else (and always on PostgreSQL:
    ``project_path`` None) absolute."""
    file = file.resolve()
    if project_path is None:
        return str(file)
    folder = project_path.resolve().parent
    try:
        return file.relative_to(folder).as_posix()
    except ValueError:
        return str(file)


def _info(store, name: str, row: dict, outcome: str = "") -> MediaInfo:
    stored = row["path"]
    path = Path(stored)
    if not path.is_absolute() and store.path is not None:
        path = Path(store.path).resolve().parent / path
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        size = None
    status = "missing" if size is None else ("ok" if size == row["size"] else "changed")
    return MediaInfo(name, path, stored, row["size"], row["sha256"], row["mime"], row["added_by"], row["added_at"],
                     status, outcome)


def _transcript_id(store, transcript: str) -> int:
    tid = store.transcript_id(transcript)
    if tid is None:
        raise QcodeError(f"no transcript named {transcript!r} in the project")
    return tid


def _outcome(old: dict | None, sha: str, transcript: str, replace: bool, path) -> str:
    """What attaching a file with this SHA-256 does: attach, re-point, replace, or (refused) nothing."""
    if old is None:
        return "attached"
    if old["sha256"] == sha:
        return "repointed"
    if replace:
        return "replaced"
    raise QcodeError(f"{transcript} has a recording already ({old['path']}); replace it with --replace "
                     "(replace=True in Python)", path=str(path))


def attach_media(store, transcript: str, path: str | Path, *, replace: bool = False,
                 actor: str | None = None) -> MediaInfo:
    """Attach the recording ``path`` (.mp3 .m4a .wav .ogg .webm .mp4) to ``transcript`` (owners only).

    Attaching the same recording (same SHA-256) at a new place re-points it. A transcript that has
    another recording keeps it unless ``replace=True``. One audited step.
    """
    require(store, actor, "admin")
    tid = _transcript_id(store, transcript)
    path = Path(path).expanduser()
    mime, size = _check_file(path)
    sha = sha256_of(path)
    old = store.media(tid)
    outcome = _outcome(old, sha, transcript, replace, path)
    stored = _stored_path(Path(store.path) if store.path is not None else None, path)
    with store.transaction():
        store.set_media(tid, path=stored, size=size, sha256=sha, mime=mime, added_by=actor)
        store.audit("media.attach", actor=actor, target=transcript,
                    detail={"path": stored, "size": size, "sha256": sha, "mime": mime, "outcome": outcome,
                            **({"before": old["path"]} if old else {})})
    return _info(store, transcript, store.media(tid), outcome)


_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_file_name(name: str) -> str:
    """A file name to store an upload under: no folders, no odd characters.

    >>> safe_file_name("../../etc/passwd.mp3"), safe_file_name("Intervju Aneby: chef?.m4a")
    ('passwd.mp3', 'Intervju Aneby_ chef_.m4a')
    """
    base = Path(str(name).replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .") or "recording"
    return base[-120:]


def attach_upload(store, transcript: str, file_name: str, data: bytes, *, replace: bool = False,
                  actor: str | None = None) -> MediaInfo:
    """Store an uploaded recording in ``<project>.media/`` and attach it (see :func:`attach_media`).

    The bytes are checked before anything is written; a file of that name with other content is
    kept and the upload gets a new name.
    """
    require(store, actor, "admin")
    tid = _transcript_id(store, transcript)
    name = safe_file_name(file_name)
    suffix = Path(name).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise QcodeError(f"unsupported media type {suffix or '(no suffix)'!r}; qcode plays "
                         + ", ".join(MEDIA_TYPES) + " files", path=file_name)
    if not data:
        raise QcodeError("the file is empty", path=file_name)
    if not looks_like(data[:16], suffix):
        raise QcodeError(f"does not look like a {suffix} recording (its first bytes say otherwise)", path=file_name)
    digest = hashlib.sha256(data).hexdigest()
    _outcome(store.media(tid), digest, transcript, replace, file_name)  # refuse before writing a file
    folder = media_folder(store)
    folder.mkdir(parents=store.path is None, exist_ok=True)
    target = folder / name
    n = 1
    while target.exists() and sha256_of(target) != digest:
        n += 1
        target = folder / f"{Path(name).stem}-{n}{suffix}"
    if not target.exists():
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return attach_media(store, transcript, target, replace=replace, actor=actor)


def media_info(store, transcript: str) -> MediaInfo | None:
    """The recording attached to ``transcript`` and whether it is still there (None when there is none)."""
    tid = _transcript_id(store, transcript)
    row = store.media(tid)
    return _info(store, transcript, row) if row else None


def list_media(store) -> list[MediaInfo]:
    """Every attached recording, by transcript name."""
    return [_info(store, row["transcript"], row) for row in store.media_list()]


def remove_media(store, transcript: str, *, actor: str | None = None) -> bool:
    """Detach a transcript's recording (owners only; the file itself stays); False when it had none."""
    require(store, actor, "admin")
    tid = _transcript_id(store, transcript)
    with store.transaction():
        old = store.media(tid)
        if not store.remove_media(tid):
            return False
        store.audit("media.remove", actor=actor, target=transcript, detail={"path": old["path"]})
    return True
