"""Memos as objects: a researcher's notes on the project, a transcript, a segment, a code or a coding.

:func:`list_memos` gives every memo as a :class:`Memo`, filtered by kind, coder and transcript and
searched accent- and case-insensitively (every word of the query must occur in the memo's text,
in any order: "forankring chef" finds "Chefens förankring"). :func:`add_memo`, :func:`edit_memo`
and :func:`delete_memo` name the target as a researcher does (transcript name, segment number,
code id) and write one undoable action of :mod:`coding.memo_actions`. Exports are in
:mod:`coding.memo_export`.

>>> _ = add_memo(store, "Förankring i ledningen avgör", coder="anna")                       # the project
>>> _ = add_memo(store, "Chefen är ny sedan 2013", coder="anna", transcript="aneby_chef.txt")
>>> _ = add_memo(store, "Gränsfall mot okunskap", coder="erik", code="impl_hi_ensam_position")
>>> [(m.kind, m.target, m.coder) for m in list_memos(store, search="forankring ledning")]
[('project', 'project', 'anna')]
>>> [m.kind for m in list_memos(store, coder="anna")]
['project', 'transcript']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .errors import QcodeError
from .memo_actions import AddMemo, DeleteMemo, EditMemo, SetCodingMemo, memo_text
from .roles import NotAllowed

KINDS = ("project", "transcript", "segment", "code", "coding")


@dataclass(frozen=True)
class Memo:
    """One memo. ``id`` is None for a coding's memo (it is kept on the coding, not in the memo table)."""

    id: int | None
    kind: str                # project, transcript, segment, code or coding
    coder: str
    text: str
    transcript: str | None
    segment: int | None      # 1-based position
    code: str | None
    created_at: str
    updated_at: str
    transcript_id: int | None = None
    segment_id: int | None = None

    @property
    def target(self) -> str:
        """What the memo is about, in a few words: ``project``, ``aneby_chef.txt``, ``aneby_chef.txt #12``,
        ``impl_x`` or ``aneby_chef.txt #12 · impl_x``."""
        if self.kind == "project":
            return "project"
        place = f"{self.transcript} #{self.segment}" if self.segment is not None else (self.transcript or "")
        return " · ".join(x for x in (place, self.code) if x)

    @property
    def ref(self) -> str:
        """A key that names the memo uniquely: ``m12`` (memo 12) or ``c<segment id>-<coder>-<code>`` (a coding's)."""
        return f"m{self.id}" if self.id is not None else f"c{self.segment_id}-{self.coder}-{self.code}"


def kind_of(row: dict) -> str:
    """The kind of a memo row: what it is attached to."""
    if row.get("segment_id") is not None:
        return "coding" if row.get("code_id") is not None else "segment"
    if row.get("code_id") is not None:
        return "code"
    return "transcript" if row.get("transcript_id") is not None else "project"


def _kinds(kind: str | Iterable[str] | None) -> set[str] | None:
    if kind is None:
        return None
    kinds = {kind} if isinstance(kind, str) else set(kind)
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise QcodeError(f"unknown memo kind {unknown[0]!r}; choose one of {', '.join(KINDS)}")
    return kinds


def _transcript_id(store, name: str) -> int:
    tid = store.transcript_id(name)
    if tid is None:
        raise QcodeError(f"no transcript named {name!r} in the project")
    return tid


def _hidden_from(store, viewer: str, rows: list[dict]) -> set[tuple[int, str]]:
    """(transcript id, coder) pairs whose segment and coding memos blind coding hides from ``viewer``."""
    from .codings import visible_coders
    from .settings import blind_coding

    if not blind_coding(store):
        return set()
    pairs = {(r["transcript_id"], r["coder"]) for r in rows
             if r["segment_id"] is not None and r["coder"] != viewer}
    visible = {tid: set(visible_coders(store, tid, viewer)) for tid in {tid for tid, _ in pairs}}
    return {(tid, coder) for tid, coder in pairs if coder not in visible[tid]}


def list_memos(store, *, search: str | None = None, kind: str | Iterable[str] | None = None,
               coder: str | None = None, transcript: str | None = None, viewer: str | None = None) -> list[Memo]:
    """Memos, oldest first, filtered by ``kind`` (one or several of :data:`KINDS`), ``coder`` and
    ``transcript`` (its own memos and those of its segments and codings), and ``search``ed
    accent- and case-insensitively in their text.

    ``viewer``: the coder who reads; with blind coding on, other coders' memos on segments and
    codings are left out until the transcript is open to ``viewer`` (as on the coding page).
    """
    from .textsearch import fold

    kinds = _kinds(kind)
    tid = _transcript_id(store, transcript) if transcript is not None else None
    rows = store.memo_list(coder=coder, transcript_id=tid)
    hidden = _hidden_from(store, viewer, rows) if viewer is not None else set()
    words = fold(search).split() if search else []
    out = []
    for r in rows:
        k = kind_of(r)
        if kinds is not None and k not in kinds:
            continue
        if (r["transcript_id"], r["coder"]) in hidden and r["segment_id"] is not None:
            continue
        if words:
            haystack = fold(r["text"])
            if not all(w in haystack for w in words):
                continue
        out.append(Memo(r["id"], k, r["coder"], r["text"], r["transcript"], r["segment"], r["code_id"],
                        r["created_at"], r["updated_at"], r["transcript_id"], r["segment_id"]))
    return out


def _segment_id(store, transcript: str | None, segment: int | None) -> int | None:
    if segment is None:
        return None
    if transcript is None:
        raise QcodeError("a segment number needs its transcript (--transcript NAME)")
    sid = store.segment_id(_transcript_id(store, transcript), int(segment))
    if sid is None:
        raise QcodeError(f"transcript {transcript!r} has no segment {segment}")
    return sid


def add_memo(store, text: str, *, coder: str, transcript: str | None = None, segment: int | None = None,
             code: str | None = None) -> Memo:
    """Write a memo on the project (no target), a ``transcript``, a ``segment`` of it, a ``code``, or a coding
    (``transcript``, ``segment`` and ``code``: the memo of ``coder``'s coding there). One undoable step;
    returns the memo."""
    if code is not None and transcript is not None and segment is None:
        raise QcodeError("a memo goes on one thing: give a transcript, a transcript and a segment, a code, "
                         "or all three for a coding")
    memo_text(text)  # empty or too long: refused before anything is looked up
    sid = _segment_id(store, transcript, segment)
    if sid is not None and code is not None:
        SetCodingMemo(segment_id=sid, code=code, coder=coder, text=text).write(store)
        return next(m for m in list_memos(store, kind="coding", coder=coder, transcript=transcript)
                    if m.segment_id == sid and m.code == code)
    tid = _transcript_id(store, transcript) if transcript is not None and sid is None else None
    memo_id = AddMemo(coder=coder, text=text, transcript_id=tid, segment_id=sid, code_id=code).write(store).changed[0]
    return next(m for m in list_memos(store, coder=coder) if m.id == memo_id)


def _memo(store, memo: Memo | int) -> Memo | int:
    return memo if isinstance(memo, Memo) else int(memo)


def edit_memo(store, memo: Memo | int, text: str, *, coder: str) -> bool:
    """Give one of ``coder``'s memos (a :class:`Memo` or a memo id) new text; False when it was the same.

    Empty text is refused: delete the memo instead (:func:`delete_memo`).
    """
    memo = _memo(store, memo)
    if isinstance(memo, Memo) and memo.id is None:
        if memo.coder != coder:
            raise NotAllowed(f"this coding memo is {memo.coder}'s; only they can change or delete it")
        if not (text or "").strip():
            raise QcodeError("a memo needs some text; delete it instead")
        return bool(SetCodingMemo(segment_id=memo.segment_id, code=memo.code, coder=coder, text=text)
                    .write(store).changed)
    memo_id = memo.id if isinstance(memo, Memo) else memo
    return bool(EditMemo(memo_id=memo_id, coder=coder, text=text).write(store).changed)


def delete_memo(store, memo: Memo | int, *, coder: str) -> bool:
    """Delete one of ``coder``'s memos (a :class:`Memo` or a memo id); undoable."""
    memo = _memo(store, memo)
    if isinstance(memo, Memo) and memo.id is None:
        if memo.coder != coder:
            raise NotAllowed(f"this coding memo is {memo.coder}'s; only they can change or delete it")
        return bool(SetCodingMemo(segment_id=memo.segment_id, code=memo.code, coder=coder, text=None)
                    .write(store).changed)
    memo_id = memo.id if isinstance(memo, Memo) else memo
    return bool(DeleteMemo(memo_id=memo_id, coder=coder).write(store).changed)
