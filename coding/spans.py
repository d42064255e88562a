"""Codings of any span of text: apply, remove and list them (one undoable step each).

A span is a character range of a transcript's stored text: 0-based offsets that
count Unicode code points (Python ``str`` indices), ``end`` exclusive, the same
convention as a segment's ``start``/``end``. Coding a whole segment is the span
of that segment and is stored as the segment's coding, so the keys, the CSV
import and every older project work as before.

**The overlap rule.** Statistics count segments. A span counts for every segment
whose non-space characters it covers: at least one of them, and at least the
project's ``min_overlap`` share of them (default 0, i.e. any overlap; 0.5 means
half the segment's non-space characters). Several spans of one coder and code
are taken together. Matrices, drill-down, agreement, the report table and every
export use this one rule (see :mod:`coding.store.spans`); change it with
:func:`set_min_overlap` (``qcode spans rule``).

>>> text = project.transcript_text("aneby_chef.txt")
>>> start = text.index("samverkan")
>>> span = project.code_span("aneby_chef.txt", start, start + 9, "impl_hi_ensam_position", coder="sara")
>>> span.text(text), span.segment
('samverkan', None)
>>> project.undo("sara").describe()
'Undid coding a span of aneby_chef.txt #... with impl_hi_ensam_position'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .actions import Action, Result
from .errors import QcodeError
from .roles import require
from .textclean import remove_controls


@dataclass(frozen=True)
class Span:
    """One coding as a character range; ``segment`` is the 1-based position when it is one whole segment."""

    transcript: str
    start: int
    end: int
    code: str
    coder: str
    memo: str | None = None
    created_at: str | None = None
    segment: int | None = None

    def text(self, transcript_text: str) -> str:
        """The words the span covers, cut from the transcript's text."""
        return transcript_text[self.start:self.end]


def _transcript(store, transcript: str) -> int:
    tid = store.transcript_id(transcript)
    if tid is None:
        raise QcodeError(f"no transcript named {transcript!r} in the project")
    return tid


def check_range(store, transcript_id: int, start, end, transcript: str) -> tuple[int, int]:
    """``(start, end)`` as integers, or a :class:`QcodeError` saying why the range cannot be coded."""
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise QcodeError(f"a span's start and end must be whole numbers (got {start!r}, {end!r})") from None
    text = store.transcript_text(transcript_id) or ""
    if not 0 <= start < end <= len(text):
        raise QcodeError(f"span {start}–{end} lies outside {transcript} (its text has {len(text):,} characters; "
                         "start must be below end)")
    if not text[start:end].strip():
        raise QcodeError(f"span {start}–{end} of {transcript} holds only white space")
    return start, end


class _SpanAction(Action):
    """What the span actions share: where they are (for undo's message) and their transcript's name."""

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        return _place(store, self.transcript_id, self.start, self.end)

    def transcript_name(self, store) -> str:
        name = store.transcript_names_by_id().get(self.transcript_id)
        if name is None:
            raise QcodeError(f"no transcript with id {self.transcript_id} in the project")
        return name


@dataclass(frozen=True)
class ApplySpan(_SpanAction):
    """A coder codes a character range of a transcript with one code (a memo replaces the span's memo)."""

    ACTION: ClassVar[str] = "span.add"
    UNDOABLE: ClassVar[bool] = True
    transcript_id: int
    start: int
    end: int
    code: str
    coder: str
    memo: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        if self.code not in store.code_ids():
            raise QcodeError(f"no code with id {self.code!r} in the codebook")
        name = self.transcript_name(store)
        start, end = check_range(store, self.transcript_id, self.start, self.end, name)
        memo = None if self.memo is None else (remove_controls(self.memo).strip() or None)
        store.ensure_coders([self.coder])
        added = store.add_span(self.transcript_id, start, end, self.code, self.coder, memo)
        if not added:
            return Result(self.ACTION)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=f"{name}:{start}-{end}",
                               detail={"transcript_id": self.transcript_id, "start": start, "end": end,
                                       "code": self.code, "memo": memo})
        return Result(self.ACTION, ((self.transcript_id, start, end),), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "ApplySpan":
        return cls(transcript_id=d["transcript_id"], start=d["start"], end=d["end"], code=d["code"], coder=coder,
                   memo=d.get("memo"))

    def reverse(self, store) -> None:
        store.remove_span(self.transcript_id, self.start, self.end, self.code, self.coder)

    def forward(self, store) -> None:
        store.add_span(self.transcript_id, self.start, self.end, self.code, self.coder, self.memo)


@dataclass(frozen=True)
class RemoveSpan(_SpanAction):
    """A coder removes one of their spans (its memo is kept for undo)."""

    ACTION: ClassVar[str] = "span.remove"
    UNDOABLE: ClassVar[bool] = True
    transcript_id: int
    start: int
    end: int
    code: str
    coder: str
    memo: str | None = field(default=None, compare=False)

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        removed, memo = store.remove_span(self.transcript_id, int(self.start), int(self.end), self.code, self.coder)
        if not removed:
            return Result(self.ACTION)
        name = store.transcript_names_by_id().get(self.transcript_id)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=f"{name}:{self.start}-{self.end}",
                               detail={"transcript_id": self.transcript_id, "start": int(self.start),
                                       "end": int(self.end), "code": self.code, "memo": memo})
        return Result(self.ACTION, ((self.transcript_id, self.start, self.end),), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "RemoveSpan":
        return cls(transcript_id=d["transcript_id"], start=d["start"], end=d["end"], code=d["code"], coder=coder,
                   memo=d.get("memo"))

    def reverse(self, store) -> None:
        store.add_span(self.transcript_id, self.start, self.end, self.code, self.coder, self.memo)

    def forward(self, store) -> None:
        store.remove_span(self.transcript_id, self.start, self.end, self.code, self.coder)


@dataclass(frozen=True)
class ChangeSpanCode(_SpanAction):
    """A coder gives one of their spans another code: the new code on the same range and the old one off,
    with its memo, as one step (undo brings the old code back)."""

    ACTION: ClassVar[str] = "span.change"
    UNDOABLE: ClassVar[bool] = True
    transcript_id: int
    start: int
    end: int
    old: str
    code: str
    coder: str
    memo: str | None = field(default=None, compare=False)
    added: bool = field(default=True, compare=False)  # False: the new code was on the range already

    def _apply(self, store) -> Result:
        require(store, self.coder, "code")
        if self.code not in store.code_ids():
            raise QcodeError(f"no code with id {self.code!r} in the codebook")
        name = self.transcript_name(store)
        start, end = check_range(store, self.transcript_id, self.start, self.end, name)
        if self.code == self.old:
            return Result(self.ACTION)
        removed, memo = store.remove_span(self.transcript_id, start, end, self.old, self.coder)
        if not removed:
            raise QcodeError(f"{name} has no span {start}–{end} coded {self.old!r} by {self.coder}; nothing was "
                             "changed")
        added = store.add_span(self.transcript_id, start, end, self.code, self.coder, memo)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=f"{name}:{start}-{end}",
                               detail={"transcript_id": self.transcript_id, "start": start, "end": end,
                                       "old": self.old, "code": self.code, "memo": memo, "added": added})
        return Result(self.ACTION, ((self.transcript_id, start, end),), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "ChangeSpanCode":
        return cls(transcript_id=d["transcript_id"], start=d["start"], end=d["end"], old=d["old"], code=d["code"],
                   coder=coder, memo=d.get("memo"), added=d.get("added", True))

    def reverse(self, store) -> None:
        if self.added:
            store.remove_span(self.transcript_id, self.start, self.end, self.code, self.coder)
        store.add_span(self.transcript_id, self.start, self.end, self.old, self.coder, self.memo)

    def forward(self, store) -> None:
        store.remove_span(self.transcript_id, self.start, self.end, self.old, self.coder)
        store.add_span(self.transcript_id, self.start, self.end, self.code, self.coder, self.memo)


@dataclass(frozen=True)
class SetSpanMemo(_SpanAction):
    """A coder sets (empty text: clears) the memo of one of their spans."""

    ACTION: ClassVar[str] = "span.memo"
    UNDOABLE: ClassVar[bool] = True
    transcript_id: int
    start: int
    end: int
    code: str
    coder: str
    text: str | None
    old: str | None = field(default=None, compare=False)

    def _apply(self, store) -> Result:
        from .memo_actions import memo_text

        require(store, self.coder, "code")
        name = self.transcript_name(store)
        start, end = int(self.start), int(self.end)
        exists, old = store.span_memo(self.transcript_id, start, end, self.code, self.coder)
        if not exists:
            raise QcodeError(f"{name} has no span {start}–{end} coded {self.code!r} by {self.coder}; a memo on a "
                             "span needs the span")
        text = memo_text(self.text, empty_ok=True)
        if (old or None) == text:
            return Result(self.ACTION)
        store.set_span_memo(self.transcript_id, start, end, self.code, self.coder, text)
        audit_id = store.audit(self.ACTION, actor=self.coder, target=f"{name}:{start}-{end}",
                               detail={"transcript_id": self.transcript_id, "start": start, "end": end,
                                       "code": self.code, "old": old, "new": text})
        return Result(self.ACTION, ((self.transcript_id, start, end),), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "SetSpanMemo":
        return cls(transcript_id=d["transcript_id"], start=d["start"], end=d["end"], code=d["code"], coder=coder,
                   text=d.get("new"), old=d.get("old"))

    def reverse(self, store) -> None:
        store.set_span_memo(self.transcript_id, self.start, self.end, self.code, self.coder, self.old)

    def forward(self, store) -> None:
        store.set_span_memo(self.transcript_id, self.start, self.end, self.code, self.coder, self.text)


SPAN_ACTIONS: dict[str, type] = {cls.ACTION: cls for cls in (ApplySpan, RemoveSpan, ChangeSpanCode, SetSpanMemo)}


def _place(store, transcript_id: int, start: int, end: int) -> tuple[str | None, tuple[int, ...]]:
    """The transcript and the segment numbers a span touches."""
    name = store.transcript_names_by_id().get(transcript_id)
    positions = tuple(s.position for s in store.segments(transcript_id) if s.end > start and s.start < end)
    return name, positions


def code_span(store, transcript: str, start: int, end: int, code: str, *, coder: str,
              memo: str | None = None) -> Span:
    """Code ``transcript``'s characters ``[start, end)`` with ``code``; one undoable step. See :mod:`coding.spans`."""
    tid = _transcript(store, transcript)
    ApplySpan(transcript_id=tid, start=start, end=end, code=code, coder=coder, memo=memo).write(store)
    start, end = int(start), int(end)
    return next(s for s in list_spans(store, transcript=transcript, coder=coder)
                if (s.start, s.end, s.code) == (start, end, code))


def remove_span(store, transcript: str, start: int, end: int, code: str, *, coder: str) -> bool:
    """Remove one of ``coder``'s spans (or whole-segment codings, given as the segment's range); one undoable step."""
    tid = _transcript(store, transcript)
    return RemoveSpan(transcript_id=tid, start=start, end=end, code=code, coder=coder).write(store).n > 0


def change_span_code(store, transcript: str, start: int, end: int, old: str, code: str, *, coder: str) -> Span:
    """Give one of ``coder``'s spans the code ``code`` instead of ``old`` (its memo goes along); one undoable step.

    >>> text = project.transcript_text("aneby_chef.txt")
    >>> at = text.index("samverkan")
    >>> _ = code_span(store, "aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
    >>> change_span_code(store, "aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", "impl_ff_lang_projekttid",
    ...                  coder="sara").code
    'impl_ff_lang_projekttid'
    >>> project.undo("sara").describe()
    'Undid changing a span of aneby_chef.txt #... to impl_ff_lang_projekttid'
    """
    tid = _transcript(store, transcript)
    ChangeSpanCode(transcript_id=tid, start=start, end=end, old=old, code=code, coder=coder).write(store)
    start, end = int(start), int(end)
    return next(s for s in list_spans(store, transcript=transcript, coder=coder)
                if (s.start, s.end, s.code) == (start, end, code))


def set_span_memo(store, transcript: str, start: int, end: int, code: str, text: str | None, *,
                  coder: str) -> bool:
    """Set (empty text: clear) the memo of one of ``coder``'s spans; one undoable step. Returns whether it changed.

    >>> text = project.transcript_text("aneby_chef.txt")
    >>> at = text.index("samverkan")
    >>> _ = code_span(store, "aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", coder="sara")
    >>> set_span_memo(store, "aneby_chef.txt", at, at + 9, "impl_hi_ensam_position", "Se även s. 4", coder="sara")
    True
    >>> project.undo("sara").describe()
    'Undid the memo on a span of aneby_chef.txt #...'
    """
    tid = _transcript(store, transcript)
    return SetSpanMemo(transcript_id=tid, start=start, end=end, code=code, coder=coder, text=text).write(store).n > 0


def list_spans(store, *, transcript: str | None = None, coder: str | None = None,
               viewer: str | None = None) -> list[Span]:
    """Every coding as a span, in text order (segment codings as their segment's range).

    With ``viewer``, blind coding hides other coders' spans exactly as it hides their codings.
    """
    from .codings import visible_coders

    tid = _transcript(store, transcript) if transcript is not None else None
    names = store.transcript_names_by_id()
    rows = store.span_list(coder=coder, transcript_id=tid)
    if viewer is not None:
        allowed: dict[int, set[str]] = {}
        for t in {r[0] for r in rows}:
            allowed[t] = set(visible_coders(store, t, viewer))
        rows = [r for r in rows if r[4] in allowed[r[0]]]
    return [Span(names.get(r[0], str(r[0])), r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows]


def min_overlap(store) -> float:
    """The project's overlap rule: the share of a segment's non-space characters a span must cover
    to count for it (0, the default: any non-space character).

    >>> min_overlap(store)
    0.0
    """
    return store.min_overlap()


def set_min_overlap(store, share: float, *, actor: str | None = None) -> int:
    """Set the overlap rule (0–1) and derive every span's segments again, in one transaction (owners only).
    Returns the transcripts whose segment codings were derived again.

    >>> set_min_overlap(store, 0.5, actor="owner")
    0
    """
    from .settings import set_setting

    try:
        share = float(share)
    except (TypeError, ValueError):
        raise QcodeError(f"the overlap rule is a share between 0 and 1 (got {share!r})") from None
    if not 0 <= share <= 1:
        raise QcodeError(f"the overlap rule is a share between 0 and 1 (got {share})")
    with store.transaction():
        set_setting(store, "min_overlap", repr(share), actor=actor)
        return store.derive_all()
