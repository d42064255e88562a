"""Typed actions: every change a coder makes is one small, frozen object with one writer.

Each action class knows its audit name, writes its change and its audit entry
in one transaction (:meth:`Action.write`), and can be read back from that audit
entry (:func:`from_audit`). Undo reads the entry back as the same type and
reverses it, so a coding applied from the command line, from Python or in the
app is undone the same way. (The model is Taguette's ``Command`` constructors.)

>>> sid = project.segments("aneby_chef.txt")[2].id
>>> ApplyCode(segment_ids=(sid,), code="impl_hi_ensam_position", coder="sara").write(store).changed
(...,)
>>> result = undo_last(store, "sara")
>>> (result.action, result.code, result.transcript, result.positions)
('coding.apply', 'impl_hi_ensam_position', 'aneby_chef.txt', (3,))
>>> undo_last(store, "sara") is None   # nothing left to undo
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .errors import QcodeError
from .roles import require
from .textclean import remove_controls

UNDO = "undo"
REDO_OF = "redo_of"  # the detail key of an action written again by redo (it names the undo it reverses)


@dataclass(frozen=True)
class Result:
    """What an action changed: ``changed`` holds the ids it really changed (segments, transcripts …)."""

    action: str
    changed: tuple = ()
    audit_id: int | None = None
    detail: dict | None = None  # what the action recorded (e.g. what a deletion removed)

    @property
    def n(self) -> int:
        return len(self.changed)


@dataclass(frozen=True)
class UndoResult:
    """What :func:`undo_last` reversed, in terms a UI can show in its own language.

    ``action`` is the audit name of the undone action (``coding.apply``,
    ``coding.remove``, ``memo.set``, ``span.add``, ``span.remove``, ``suggestion.accept``,
    ``suggestion.reject``, or one of :mod:`coding.memo_actions`: ``memo.add``,
    ``memo.edit``, ``memo.delete``, ``coding.memo``); ``transcript`` and ``positions`` say
    where (1-based segment numbers; none for a memo on the project or a code), ``code``
    which code (None for a segment's memo).
    """

    action: str
    code: str | None
    transcript: str | None
    positions: tuple[int, ...]
    undone_id: int
    redone: bool = False  # True for what :func:`redo_last` did again

    @property
    def n(self) -> int:
        return len(self.positions)

    def describe(self) -> str:
        """A one-line English description (the CLI's message)."""
        where = f"{self.transcript} #{', '.join(map(str, self.positions))}" if self.transcript else "?"
        verb = "Redid" if self.redone else "Undid"
        if self.action == ApplyCode.ACTION:
            return f"{verb} applying {self.code} to {self.n} segment(s) ({where})"
        if self.action == RemoveCode.ACTION:
            return f"{verb} removing {self.code} from {self.n} segment(s) ({where})"
        if self.action == "span.memo":
            return f"{verb} the memo on a span of {where}"
        if self.action == "span.change":
            return f"{verb} changing a span of {where} to {self.code}"
        if self.action in ("span.add", "span.remove"):
            what = "coding a span of" if self.action == "span.add" else "removing a span from"
            return f"{verb} {what} {where} with {self.code}"
        if self.action in ("suggestion.accept", "suggestion.reject"):
            what = "accepting" if self.action == "suggestion.accept" else "rejecting"
            return f"{verb} {what} suggestion(s) ({where})"
        if self.action in ("memo.add", "memo.edit", "memo.delete"):
            what = {"memo.add": "writing", "memo.edit": "editing", "memo.delete": "deleting"}[self.action]
            on = where if self.positions else self.transcript or (f"code {self.code}" if self.code else "project")
            return f"{verb} {what} a memo ({on})"
        return f"{verb} the memo change ({where})"


def _ids(values, store) -> tuple[int, ...]:
    ids = tuple(int(v) for v in values)
    if not ids:
        raise QcodeError("no segment selected")
    gone = [sid for sid in ids if store.segment_location(sid) is None]
    if gone:
        raise QcodeError(f"{len(gone)} of the selected segments no longer exist (was the transcript deleted "
                         "or re-imported meanwhile?); nothing was changed")
    return ids


def _target(store, segment_ids) -> str | None:
    """``transcript#position`` of the first segment: the audit log's readable target."""
    where = store.segment_location(segment_ids[0]) if segment_ids else None
    return f"{where[1]}#{where[2]}" if where else None


def _check_code(store, code: str) -> None:
    if code not in store.code_ids():
        raise QcodeError(f"no code with id {code!r} in the codebook")


class Action:
    """Base of the typed actions: subclasses set ``ACTION`` and implement ``_apply`` and ``detail``."""

    ACTION: ClassVar[str] = ""
    UNDOABLE: ClassVar[bool] = False

    def write(self, store) -> Result:
        """Write the change and its audit entry in one transaction."""
        with store.transaction():
            return self._apply(store)

    def _apply(self, store) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class ApplyCode(Action):
    """A coder applies one code to one or more segments (by segment id)."""

    ACTION: ClassVar[str] = "coding.apply"
    UNDOABLE: ClassVar[bool] = True
    segment_ids: tuple[int, ...]
    code: str
    coder: str
    memo: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        ids = _ids(self.segment_ids, store)
        _check_code(store, self.code)
        memo = None if self.memo is None else remove_controls(self.memo)
        store.ensure_coders([self.coder])
        added = tuple(store.add_codings_to_segments(ids, self.code, self.coder, memo))
        kept = [sid for sid in ids if sid not in added]
        if kept and memo is not None:
            for sid in kept:  # applied already: a given memo replaces the old one
                store.add_coding(sid, self.code, self.coder, memo)
        audit_id = None
        if added or (kept and memo is not None):
            # only the newly added segments are undone; a memo written on an old coding is recorded, not undone
            audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, added or kept),
                                   detail={"segment_ids": list(added), "code": self.code, "memo": memo,
                                           **({"memo_on": kept} if kept and memo is not None else {})})
        return Result(self.ACTION, added, audit_id)

    def reverse(self, store) -> None:
        store.remove_codings_from_segments(self.segment_ids, self.code, self.coder)

    def forward(self, store) -> None:
        """Write the change again, exactly as recorded (redo)."""
        store.add_codings_to_segments(self.segment_ids, self.code, self.coder, self.memo)


@dataclass(frozen=True)
class RemoveCode(Action):
    """A coder removes one code from one or more segments; the removed memos are kept for undo."""

    ACTION: ClassVar[str] = "coding.remove"
    UNDOABLE: ClassVar[bool] = True
    segment_ids: tuple[int, ...]
    code: str
    coder: str
    memos: tuple[str | None, ...] = field(default=(), compare=False)

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        ids = _ids(self.segment_ids, store)
        removed = store.remove_codings_from_segments(ids, self.code, self.coder)
        audit_id = None
        if removed:
            sids = [s for s, _ in removed]
            audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, sids),
                                   detail={"segment_ids": sids, "memos": [m for _, m in removed], "code": self.code})
        return Result(self.ACTION, tuple(s for s, _ in removed), audit_id)

    def reverse(self, store) -> None:
        memos = self.memos or (None,) * len(self.segment_ids)
        for sid, memo in zip(self.segment_ids, memos):
            store.add_coding(sid, self.code, self.coder, memo)

    def forward(self, store) -> None:
        """Write the change again, exactly as recorded (redo)."""
        store.remove_codings_from_segments(self.segment_ids, self.code, self.coder)


@dataclass(frozen=True)
class SetMemo(Action):
    """A coder sets (or, with empty text, deletes) their memo on a segment."""

    ACTION: ClassVar[str] = "memo.set"
    UNDOABLE: ClassVar[bool] = True
    segment_id: int
    coder: str
    text: str | None
    old: str | None = field(default=None, compare=False)

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        text = remove_controls(self.text or "").strip() or None
        old = store.segment_memo(self.segment_id, self.coder)
        if old == text:
            return Result(self.ACTION)
        store.ensure_coders([self.coder])
        store.set_segment_memo(self.segment_id, self.coder, text)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, [self.segment_id]),
                               detail={"segment_id": self.segment_id, "old": old, "new": text})
        return Result(self.ACTION, (self.segment_id,), audit_id)

    @property
    def segment_ids(self) -> tuple[int, ...]:
        return (self.segment_id,)

    def reverse(self, store) -> None:
        store.set_segment_memo(self.segment_id, self.coder, self.old)

    def forward(self, store) -> None:
        """Write the change again, exactly as recorded (redo)."""
        store.set_segment_memo(self.segment_id, self.coder, self.text)


@dataclass(frozen=True)
class MarkDone(Action):
    """A coder marks transcripts as finished (``done=False`` takes the marker back)."""

    ACTION: ClassVar[str] = "transcripts.done"
    transcript_ids: tuple[int, ...]
    coder: str
    done: bool = True

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        store.ensure_coders([self.coder])
        changed = store.mark_done(self.transcript_ids, self.coder, self.done)
        audit_id = store.audit("transcripts.done" if self.done else "transcripts.undone", actor=self.coder,
                               detail={"transcripts": len(self.transcript_ids), "changed": changed,
                                       "transcript_ids": list(self.transcript_ids)})
        return Result(self.ACTION, tuple(range(changed)), audit_id)


@dataclass(frozen=True)
class DeleteTranscript(Action):
    """Delete a transcript with its segments, attributes, codings, memos and done-markers."""

    ACTION: ClassVar[str] = "transcript.delete"
    transcript_id: int
    actor: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.actor, "admin")
        row = next((t for t in store.transcripts() if t["id"] == self.transcript_id), None)
        if row is None:
            raise QcodeError(f"no transcript with id {self.transcript_id} in the project")
        codings = store.codings(transcript_id=self.transcript_id)
        summary = {"name": row["name"], "segments": row["segments"], "words": row["words"],
                   "attributes": row["attributes"], "codings": len(codings),
                   "coders": sorted({c["coder"] for c in codings})}
        store.delete_transcript(self.transcript_id)
        audit_id = store.audit(self.ACTION, actor=self.actor, target=summary["name"], detail=summary)
        return Result(self.ACTION, (self.transcript_id,), audit_id, summary)


UNDOABLE_ACTIONS: dict[str, type] = {cls.ACTION: cls for cls in (ApplyCode, RemoveCode, SetMemo)}


def undoable_actions() -> dict[str, type]:
    """Audit name -> class of every undoable action: those above and the memo actions of :mod:`coding.memo_actions`
    (each of those reads itself back with ``from_detail`` and says where it was with ``place``)."""
    from .memo_actions import MEMO_ACTIONS
    from .spans import SPAN_ACTIONS
    from .suggest.proposals import SUGGEST_ACTIONS

    return {**UNDOABLE_ACTIONS, **MEMO_ACTIONS, **SPAN_ACTIONS, **SUGGEST_ACTIONS}


def from_audit(entry: dict, coder: str | None = None):
    """The typed action recorded in an audit entry (an undoable one), or None.

    Reads entries of every qcode version: a coding applied from the command line
    by qcode 0.1 recorded ``segment_id`` (one segment) and ``added``; the app
    recorded ``segment_ids``. An entry that changed nothing gives None.
    """
    cls = undoable_actions().get(entry["action"])
    d = entry.get("detail") or {}
    if cls is None:
        return None
    coder = coder or entry.get("actor")
    if hasattr(cls, "from_detail"):
        return cls.from_detail(d, coder)
    if cls is SetMemo:
        return SetMemo(segment_id=int(d["segment_id"]), coder=coder, text=d.get("new"), old=d.get("old"))
    ids = d.get("segment_ids")
    if ids is None:
        ids = [d["segment_id"]] if d.get("segment_id") is not None and d.get("added", True) else []
    if not ids:
        return None
    if cls is ApplyCode:
        return ApplyCode(segment_ids=tuple(ids), code=d["code"], coder=coder, memo=d.get("memo"))
    return RemoveCode(segment_ids=tuple(ids), code=d["code"], coder=coder,
                      memos=tuple(d.get("memos") or (None,) * len(ids)))


def _where(action, store) -> tuple[str | None, tuple[int, ...]]:
    """The transcript and segment numbers an action touched (memo actions know their own place)."""
    if hasattr(action, "place"):
        return action.place(store)
    places = [loc for loc in map(store.segment_location, action.segment_ids) if loc]
    return (places[0][1] if places else None), tuple(loc[2] for loc in places)


def undo_last(store, coder: str) -> UndoResult | None:
    """Reverse the coder's most recent coding, removal or memo change not yet undone.

    Works the same for changes made in the app, from the command line or from
    Python. Repeated calls walk further back; None when nothing is left.
    """
    with store.transaction():
        undone = {e["detail"].get("undoes") for e in store.audit_entries(coder, [UNDO])}
        for entry in store.audit_entries(coder, list(undoable_actions())):
            if entry["id"] in undone:
                continue
            action = from_audit(entry, coder)
            if action is None:
                continue
            action.reverse(store)
            result = UndoResult(entry["action"], getattr(action, "code", None), *_where(action, store), entry["id"])
            store.audit(UNDO, actor=coder, target=entry["target"],
                        detail={"undoes": entry["id"], "what": result.describe()})
            return result
    return None


def redo_last(store, coder: str) -> UndoResult | None:
    """Do again what the coder's most recent undo reversed; None when there is nothing to redo.

    As in every editor, a new change after an undo ends the chance to redo it.
    Redo writes the action again under its own name (with ``redo_of`` in its
    detail), so the next undo reverses it like any other change.

    >>> sid = project.segments("aneby_chef.txt")[4].id
    >>> _ = ApplyCode(segment_ids=(sid,), code="impl_hi_ensam_position", coder="sara").write(store)
    >>> undo_last(store, "sara").describe()
    'Undid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #5)'
    >>> redo_last(store, "sara").describe()
    'Redid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #5)'
    >>> redo_last(store, "sara") is None
    True
    """
    with store.transaction():
        entries = list(store.audit_entries(coder, [*undoable_actions(), UNDO]))
        redone = {e["detail"].get(REDO_OF) for e in entries if e["action"] != UNDO}
        undone = {e["detail"].get("undoes") for e in entries if e["action"] == UNDO}
        by_id = {e["id"]: e for e in entries}
        for entry in entries:  # newest first
            if entry["action"] != UNDO:
                if entry["id"] in undone or entry["detail"].get(REDO_OF) is not None:
                    continue
                if from_audit(entry, coder) is None:
                    continue  # an entry that changed nothing
                return None  # a new change since the last undo: nothing to redo
            if entry["id"] in redone:
                continue
            original = by_id.get(entry["detail"].get("undoes"))
            action = from_audit(original, coder) if original else None
            if action is None:
                return None
            require(store, coder, "code")
            if any(store.segment_location(sid) is None for sid in getattr(action, "segment_ids", ())):
                raise QcodeError("the segments of the change to redo no longer exist (was the transcript "
                                 "deleted or re-imported meanwhile?); nothing was changed")
            action.forward(store)
            result = UndoResult(original["action"], getattr(action, "code", None), *_where(action, store),
                                original["id"], redone=True)
            store.audit(original["action"], actor=coder, target=original["target"],
                        detail={**original["detail"], REDO_OF: entry["id"]})
            return result
    return None
