"""Typed actions on memos: write, edit and delete a memo, set a coding's memo.

Each is a frozen object like those of :mod:`coding.actions`: it checks the coder's right, writes
its change and its audit row in one transaction, and :func:`coding.actions.undo_last` reads it
back from that row and reverses it. A memo sits on the project (no target), a transcript, a
segment or a code; a coding's memo is kept on the coding (:class:`SetCodingMemo`). Coders edit
and delete their own memos only.

>>> written = AddMemo(coder="sara", text="Förankring återkommer hos cheferna").write(store)
>>> store.memo(written.changed[0])["text"]
'Förankring återkommer hos cheferna'
>>> EditMemo(memo_id=written.changed[0], coder="sara", text="Förankring: alla chefer").write(store).n
1
>>> from coding.actions import undo_last
>>> [undo_last(store, "sara").action for _ in range(2)]
['memo.edit', 'memo.add']
>>> store.memo(written.changed[0]) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .actions import Action, Result
from .errors import QcodeError
from .roles import NotAllowed, require
from .textclean import remove_controls

MAX_MEMO_CHARS = 100_000


def memo_text(text: str | None, *, empty_ok: bool = False) -> str | None:
    """A memo's text as stored: control characters gone, white space trimmed, at most
    :data:`MAX_MEMO_CHARS`. Empty text is an error (None when ``empty_ok``).

    >>> memo_text("  =cmd\\x00 <script>  ")
    '=cmd <script>'
    """
    cleaned = remove_controls(text or "").strip()
    if not cleaned:
        if empty_ok:
            return None
        raise QcodeError("a memo needs some text")
    if len(cleaned) > MAX_MEMO_CHARS:
        raise QcodeError(f"a memo holds at most {MAX_MEMO_CHARS:,} characters (this one has {len(cleaned):,})")
    return cleaned


def _target(store, transcript_id, segment_id, code_id) -> str:
    """The audit log's readable target: ``aneby_chef.txt#12``, ``aneby_chef.txt``, ``code:…`` or ``project``."""
    if segment_id is not None:
        where = store.segment_location(segment_id)
        return f"{where[1]}#{where[2]}" if where else f"segment {segment_id}"
    if transcript_id is not None:
        return store.transcript_names_by_id().get(transcript_id, f"transcript {transcript_id}")
    return f"code:{code_id}" if code_id is not None else "project"


def _place(store, transcript_id, segment_id) -> tuple[str | None, tuple[int, ...]]:
    """(transcript name, 1-based positions) of a memo's target, for :class:`coding.actions.UndoResult`."""
    if segment_id is not None:
        where = store.segment_location(segment_id)
        if where:
            return where[1], (where[2],)
    if transcript_id is not None:
        return store.transcript_names_by_id().get(transcript_id), ()
    return None, ()


def _checked_target(store, transcript_id, segment_id, code_id) -> int | None:
    """The transcript id a memo on this target carries; a :class:`QcodeError` for a target that does not exist
    or is more than one thing."""
    if segment_id is not None:
        if code_id is not None:
            raise QcodeError("a memo on a segment and a code is the coding's memo (see SetCodingMemo)")
        where = store.segment_location(segment_id)
        if where is None:
            raise QcodeError(f"no segment with id {segment_id} (was the transcript deleted meanwhile?)")
        if transcript_id is not None and transcript_id != where[0]:
            raise QcodeError(f"segment {segment_id} is not in transcript {transcript_id}")
        return where[0]
    if code_id is not None:
        if transcript_id is not None:
            raise QcodeError("a memo goes on one thing: the project, a transcript, a segment or a code")
        if code_id not in store.code_ids():
            raise QcodeError(f"no code with id {code_id!r} in the codebook")
        return None
    if transcript_id is not None and transcript_id not in store.transcript_names_by_id():
        raise QcodeError(f"no transcript with id {transcript_id} in the project")
    return transcript_id


def _own(store, memo_id: int, coder: str) -> dict:
    """The memo ``memo_id`` if ``coder`` wrote it, else an error."""
    row = store.memo(memo_id)
    if row is None:
        raise QcodeError(f"no memo with id {memo_id} in the project")
    if row["coder"] != coder:
        raise NotAllowed(f"memo {memo_id} is {row['coder']}'s; only they can change or delete it")
    return row


@dataclass(frozen=True)
class AddMemo(Action):
    """A coder writes a memo on the project (no target), a transcript, a segment or a code.

    A coder has one memo per segment (the coding page's memo box): a second one is refused.
    """

    ACTION: ClassVar[str] = "memo.add"
    UNDOABLE: ClassVar[bool] = True
    coder: str
    text: str
    transcript_id: int | None = None
    segment_id: int | None = None
    code_id: str | None = None
    memo_id: int | None = field(default=None, compare=False)  # known when read back from the audit log

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        text = memo_text(self.text)
        tid = _checked_target(store, self.transcript_id, self.segment_id, self.code_id)
        if self.segment_id is not None and store.segment_memo(self.segment_id, self.coder) is not None:
            raise QcodeError(f"{self.coder} has a memo on {_target(store, tid, self.segment_id, None)} already; "
                             "edit that one")
        store.ensure_coders([self.coder])
        memo_id = store.add_memo(coder=self.coder, text=text, transcript_id=tid, segment_id=self.segment_id,
                                 code_id=self.code_id)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, tid, self.segment_id, self.code_id),
                               detail={"memo_id": memo_id, "transcript_id": tid, "segment_id": self.segment_id,
                                       "code_id": self.code_id, "text": text})
        return Result(self.ACTION, (memo_id,), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "AddMemo":
        return cls(coder=coder, text=d["text"], transcript_id=d.get("transcript_id"), segment_id=d.get("segment_id"),
                   code_id=d.get("code_id"), memo_id=d["memo_id"])

    @property
    def code(self) -> str | None:
        return self.code_id

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        return _place(store, self.transcript_id, self.segment_id)

    def reverse(self, store) -> None:
        if not store.delete_memo(self.memo_id) and self.segment_id is not None \
                and store.segment_memo(self.segment_id, self.coder) == self.text:
            store.set_segment_memo(self.segment_id, self.coder, None)  # written anew on the coding page meanwhile

    def forward(self, store) -> None:
        """Write the memo again under its id (redo)."""
        from .store.base import now

        stamp = now()
        store.restore_memo({"id": self.memo_id, "transcript_id": self.transcript_id, "segment_id": self.segment_id,
                            "code_id": self.code_id, "coder": self.coder, "text": self.text, "created_at": stamp,
                            "updated_at": stamp})


@dataclass(frozen=True)
class EditMemo(Action):
    """A coder gives one of their memos new text."""

    ACTION: ClassVar[str] = "memo.edit"
    UNDOABLE: ClassVar[bool] = True
    memo_id: int
    coder: str
    text: str
    old: dict | None = field(default=None, compare=False)  # the memo before, when read back from the audit log

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        row = _own(store, self.memo_id, self.coder)
        text = memo_text(self.text)
        if text == row["text"]:
            return Result(self.ACTION)
        store.update_memo(self.memo_id, text)
        audit_id = store.audit(self.ACTION, actor=self.coder,
                               target=_target(store, row["transcript_id"], row["segment_id"], row["code_id"]),
                               detail={"memo_id": self.memo_id, "old": row, "new": text})
        return Result(self.ACTION, (self.memo_id,), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "EditMemo":
        return cls(memo_id=d["memo_id"], coder=coder, text=d["new"], old=d["old"])

    @property
    def code(self) -> str | None:
        return (self.old or {}).get("code_id")

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        old = self.old or {}
        return _place(store, old.get("transcript_id"), old.get("segment_id"))

    def reverse(self, store) -> None:
        store.update_memo(self.memo_id, self.old["text"], self.old["updated_at"])

    def forward(self, store) -> None:
        store.update_memo(self.memo_id, self.text)


@dataclass(frozen=True)
class DeleteMemo(Action):
    """A coder deletes one of their memos; the audit row keeps it whole, so undo puts it back (same id)."""

    ACTION: ClassVar[str] = "memo.delete"
    UNDOABLE: ClassVar[bool] = True
    memo_id: int
    coder: str
    row: dict | None = field(default=None, compare=False)  # the deleted memo, when read back from the audit log

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        row = _own(store, self.memo_id, self.coder)
        store.delete_memo(self.memo_id)
        audit_id = store.audit(self.ACTION, actor=self.coder,
                               target=_target(store, row["transcript_id"], row["segment_id"], row["code_id"]),
                               detail={"memo_id": self.memo_id, "row": row})
        return Result(self.ACTION, (self.memo_id,), audit_id, row)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "DeleteMemo":
        return cls(memo_id=d["memo_id"], coder=coder, row=d["row"])

    @property
    def code(self) -> str | None:
        return (self.row or {}).get("code_id")

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        row = self.row or {}
        return _place(store, row.get("transcript_id"), row.get("segment_id"))

    def reverse(self, store) -> None:
        store.restore_memo(self.row)  # nothing when its transcript, segment or code is gone meanwhile

    def forward(self, store) -> None:
        store.delete_memo(self.memo_id)


@dataclass(frozen=True)
class SetCodingMemo(Action):
    """A coder sets (empty text: clears) the memo of one of their codings."""

    ACTION: ClassVar[str] = "coding.memo"
    UNDOABLE: ClassVar[bool] = True
    segment_id: int
    code: str
    coder: str
    text: str | None
    old: str | None = field(default=None, compare=False)

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        where = store.segment_location(self.segment_id)
        if where is None:
            raise QcodeError(f"no segment with id {self.segment_id} (was the transcript deleted meanwhile?)")
        if self.code not in store.coder_segment_codes(self.segment_id, self.coder):
            raise QcodeError(f"{self.coder} has not applied {self.code} to {where[1]} #{where[2]}; a coding's memo "
                             "needs the coding")
        text = memo_text(self.text, empty_ok=True)
        old = store.coding_memo(self.segment_id, self.code, self.coder)
        if (old or None) == text:
            return Result(self.ACTION)
        store.set_coding_memo(self.segment_id, self.code, self.coder, text)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=f"{where[1]}#{where[2]}",
                               detail={"segment_id": self.segment_id, "code": self.code, "old": old, "new": text})
        return Result(self.ACTION, (self.segment_id,), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "SetCodingMemo":
        return cls(segment_id=d["segment_id"], code=d["code"], coder=coder, text=d.get("new"), old=d.get("old"))

    @property
    def segment_ids(self) -> tuple[int, ...]:
        return (self.segment_id,)

    def reverse(self, store) -> None:
        store.set_coding_memo(self.segment_id, self.code, self.coder, self.old)

    def forward(self, store) -> None:
        store.set_coding_memo(self.segment_id, self.code, self.coder, self.text)


#: audit name -> action class; :func:`coding.actions.undo_last` reverses these too
MEMO_ACTIONS: dict[str, type] = {cls.ACTION: cls for cls in (AddMemo, EditMemo, DeleteMemo, SetCodingMemo)}
