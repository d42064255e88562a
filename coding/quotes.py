"""Quote reports: every coded passage for one or more codes, grouped by municipality (or any attribute).

This is how evaluation reports are written: for a factor, read every passage the coders marked, by
municipality, with who said it, where, a little context and the coders' memos. :class:`QuoteSpec` holds
every option; :func:`quote_report` returns plain data (:class:`QuoteReport` → one :class:`QuoteSection` per
chosen code → one :class:`QuoteGroup` per attribute value → :class:`Quote`); the writers (Word, Markdown,
CSV) are in :mod:`coding.quotes_export`.

Rules:

* without chosen coders every coder counts except ``consensus`` (the rule of
  :class:`~coding.specs.MatrixSpec`); name ``consensus`` to quote the consensus coding;
* a passage coded by several coders appears once per chosen code, with all its coders;
* a category's section holds its descendants' codings too (``include_children``);
* groups are in Swedish alphabetical order, transcripts without the attribute last in
  "(okänd)"/"(unknown)"; within a group quotes follow transcript, then position.

>>> report = quote_report(store, QuoteSpec(codes=["impl_hi_ensam_position"], coders=["anna"]))
>>> section = report.sections[0]
>>> section.label, report.by, section.groups[0].label
('Ensam position som SE-coach', 'kommun', 'Aneby')
>>> q = section.groups[0].quotes[0]
>>> q.transcript, q.coders, len(q.before), len(q.after)
('aneby_chef.txt', ('anna',), 1, 1)
>>> quote_report(store, QuoteSpec(codes="impl.hi", context=0)).n_quotes > section.n_quotes
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from .codebook import Codebook, codebook_from_store
from .errors import QcodeError
from .numbers import fmt_time
from .segmentation import LANGUAGES
from .specs import CASE_ATTRIBUTES, MatrixSpec, _names, _Spec, _where, human_coders
from .textclean import one_line, remove_controls

__all__ = ["MAX_CONTEXT", "ContextLine", "Memo", "Quote", "QuoteGroup", "QuoteReport", "QuoteSection",
           "QuoteSpec", "SPECIAL_GROUPS", "fmt_time", "missing_label", "quote_report"]

#: the most segments of context a quote may carry before and after
MAX_CONTEXT = 10
#: besides attributes, quotes can be grouped by transcript or by the speaker of the passage
SPECIAL_GROUPS = ("transcript", "speaker")
_MISSING = {"sv": "(okänd)", "en": "(unknown)"}


def missing_label(language: str = "sv") -> str:
    """The heading of the group of transcripts without the attribute: ``(okänd)`` / ``(unknown)``."""
    return _MISSING.get(language, _MISSING["en"])


def _one_line(text: str) -> str:
    """A label or an attribute value as one clean line: control characters go, line breaks become spaces."""
    return one_line(remove_controls(text))


# -------------------------------------------------------------------- spec

@dataclass(frozen=True)
class QuoteSpec(_Spec):
    """Every option of a quote report.

    ``codes``: one or more code ids (a section each, in this order). ``by``: the attribute whose values
    group the quotes, or ``"transcript"`` / ``"speaker"`` (None: ``kommun`` or ``municipality`` when the
    transcripts have one, else ``transcript``). ``coders``: whose codings count (None: every coder except
    ``consensus``). ``include_children``: a category's section holds its descendants' codings too.
    ``context``: segments shown before and after each quote (0–10). ``where``: attribute filters, as for
    a matrix. ``language``: of the code labels and the headings.

    >>> QuoteSpec(codes="impl_hi_ensam_position, impl_hi_lag_forankring", coders="anna").codes
    ('impl_hi_ensam_position', 'impl_hi_lag_forankring')
    >>> QuoteSpec(codes=[])
    Traceback (most recent call last):
    ...
    coding.errors.QcodeError: choose at least one code for the quotes
    """

    codes: tuple[str, ...] = ()
    by: str | None = None
    coders: tuple[str, ...] | None = None
    include_children: bool = True
    context: int = 1
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    language: str = "sv"

    def __post_init__(self) -> None:
        codes = tuple(dict.fromkeys(_names(self.codes)))
        if not codes:
            raise QcodeError("choose at least one code for the quotes")
        self._set("codes", codes)
        by = None if self.by is None else str(self.by).strip()
        self._set("by", by or None)
        self._set("coders", _names(self.coders) or None)
        self._set("include_children", bool(self.include_children))
        try:
            context = int(self.context)
        except (TypeError, ValueError):
            raise QcodeError(f"context is a number of segments (0 to {MAX_CONTEXT}); got {self.context!r}") from None
        if not 0 <= context <= MAX_CONTEXT:
            raise QcodeError(f"context is a number of segments from 0 to {MAX_CONTEXT}; got {context}")
        self._set("context", context)
        self._set("where", _where(self.where))
        if self.language not in LANGUAGES:
            raise QcodeError(f"unknown language {self.language!r}; choose one of {', '.join(LANGUAGES)}")

    def coders_for(self, store) -> list[str] | None:
        """The coders whose codings count (the rule of :meth:`coding.specs.MatrixSpec.coders_for`)."""
        return MatrixSpec(coders=self.coders).coders_for(store)

    def by_for(self, store) -> str:
        """``by``, or the default grouping of this project, checked against its attributes."""
        names = store.attribute_names()
        if self.by is None:
            return next((n for n in CASE_ATTRIBUTES if n in names), "transcript")
        if self.by not in SPECIAL_GROUPS and self.by not in names:
            raise QcodeError(f"no transcript has the attribute {self.by!r} (attributes: "
                             f"{', '.join(names) or 'none'}; or group by transcript or speaker)")
        return self.by

    def validated(self, store, book: Codebook | None = None) -> "QuoteSpec":
        """The spec with ``by`` filled in, after checking its codes, coders and attribute against the project."""
        book = book or codebook_from_store(store)
        unknown = [c for c in self.codes if c not in book]
        if unknown:
            raise QcodeError(f"no code with id {', '.join(repr(c) for c in unknown)} in the codebook")
        self.coders_for(store)
        return self.replace(by=self.by_for(store))

    def where_dict(self) -> dict[str, set[str]]:
        return {k: set(v) for k, v in self.where}

    def file_stem(self) -> str:
        """A file name for the report: ``citat-<first code>`` (``quotes-…`` in English)."""
        word = "citat" if self.language == "sv" else "quotes"
        extra = f"-{len(self.codes) - 1}-more" if len(self.codes) > 1 else ""
        return f"{word}-{self.codes[0]}{extra}"


# -------------------------------------------------------------------- data

@dataclass(frozen=True)
class ContextLine:
    """A segment shown around a quote for context (not itself the quote)."""

    position: int
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Memo:
    """A coder's memo shown with a quote: on one of its codings (``code`` set) or on the segment (``code`` None)."""

    coder: str
    text: str
    code: str | None = None


@dataclass(frozen=True)
class Quote:
    """One coded passage: where it is, who said it, what it says, its context, codes, coders and memos."""

    transcript: str
    position: int
    speaker: str | None
    t_start: float | None
    text: str
    codes: tuple[str, ...]
    coders: tuple[str, ...]
    before: tuple[ContextLine, ...] = ()
    after: tuple[ContextLine, ...] = ()
    memos: tuple[Memo, ...] = ()
    segment_id: int = 0
    group: str | None = None  # the value of the grouping attribute (None: missing)

    @property
    def time(self) -> str:
        """The passage's start time as ``mm:ss`` ('' without timestamps)."""
        return fmt_time(self.t_start)

    def reference(self) -> str:
        """``transcript #position``: where to find the passage (``qcode segments`` numbers segments so)."""
        return f"{self.transcript} #{self.position}"


@dataclass(frozen=True)
class QuoteGroup:
    """The quotes of one value of the grouping attribute (``value`` None: transcripts without it)."""

    value: str | None
    label: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class QuoteSection:
    """The quotes of one chosen code (with its descendants' when ``include_children``), grouped."""

    code: str
    label: str
    codes: tuple[str, ...]
    groups: tuple[QuoteGroup, ...]

    @property
    def n_quotes(self) -> int:
        return sum(len(g.quotes) for g in self.groups)


@dataclass
class QuoteReport:
    """A whole quote report: the validated spec, whose codings counted, the code labels and the sections."""

    spec: QuoteSpec
    coders: list[str]
    sections: list[QuoteSection]
    labels: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)

    @property
    def by(self) -> str:
        return self.spec.by or "transcript"

    @property
    def language(self) -> str:
        return self.spec.language

    @property
    def n_quotes(self) -> int:
        return sum(s.n_quotes for s in self.sections)

    def label(self, code: str) -> str:
        """A code's label in the report's language (its id when it has none)."""
        return self.labels.get(code) or code

    def quotes(self) -> Iterator[tuple[QuoteSection, QuoteGroup, Quote]]:
        """Every quote with its section and group, in report order (one row each in CSV)."""
        for section in self.sections:
            for group in section.groups:
                for quote in group.quotes:
                    yield section, group, quote


# ------------------------------------------------------------------ report

def _sort_key(value) -> str:
    from .matrix import swedish_sort_key

    return swedish_sort_key(value)


def quote_report(store, spec: QuoteSpec | None = None, **options) -> QuoteReport:
    """Every coded passage of the spec's codes, grouped (see the module doc).

    Pass a :class:`QuoteSpec`, or its options as keyword arguments (``codes=…, by=…``). Unknown codes,
    coders or attributes raise :class:`~coding.errors.QcodeError`.

    >>> r = quote_report(store, codes=["impl_hi_gick_for_snabbt"], by="roll", context=0)
    >>> [g.label for g in r.sections[0].groups]
    ['Chef', 'SE-coach']
    """
    from .matrix import transcripts_in_scope

    spec = spec if spec is not None else QuoteSpec(**options)
    book = codebook_from_store(store)
    spec = spec.validated(store, book)
    coders = spec.coders_for(store)
    counted = list(coders) if coders is not None else human_coders(store)
    scope = transcripts_in_scope(store, spec.where_dict()) if spec.where else store.transcript_names_by_id()
    names = store.transcript_names_by_id()
    by = spec.by or "transcript"
    values = store.attribute_values(by) if by not in SPECIAL_GROUPS else {}
    labels = {c.id: _one_line(c.label(spec.language) or c.label("en" if spec.language == "sv" else "sv") or c.id)
              for c in book.codes}  # labels and attribute values are one line each, whatever an old file holds
    order = {c.id: i for i, c in enumerate(book.codes)}
    texts: dict[int, str] = {}

    def text_of(tid: int) -> str:
        if tid not in texts:
            texts[tid] = store.transcript_text(tid)
        return texts[tid]

    sections: list[QuoteSection] = []
    for code in spec.codes:
        covered = [code] + ([c.id for c in book.descendants(code)] if spec.include_children else [])
        # coders == [] (only the consensus coder has coded, and "every coder" leaves it out): no rows
        rows = store.quote_codings(covered, coders, list(scope) if spec.where else None)
        passages: dict[int, dict] = {}
        for sid, tid, pos, start, end, speaker, t_start, _t_end, coder, code_id, memo in rows:
            p = passages.get(sid)
            if p is None:
                p = passages[sid] = {"tid": tid, "pos": pos, "start": start, "end": end, "speaker": speaker,
                                     "t_start": t_start, "codes": [], "coders": [], "memos": []}
            if code_id not in p["codes"]:
                p["codes"].append(code_id)
            if coder not in p["coders"]:
                p["coders"].append(coder)
            if memo and memo.strip():
                p["memos"].append(Memo(coder, memo.strip(), code_id))
        wanted = set(covered)
        for sid, coder, code_id, text in store.segment_memo_rows(list(passages), coders):
            if text and text.strip() and (code_id is None or code_id in wanted):
                passages[sid]["memos"].append(Memo(coder, text.strip(), code_id))
        grouped: dict[str | None, list[Quote]] = {}
        for sid, p in passages.items():
            tid = p["tid"]
            group = p["speaker"] if by == "speaker" else names[tid] if by == "transcript" else values.get(tid)
            text = text_of(tid)
            before: list[ContextLine] = []
            after: list[ContextLine] = []
            if spec.context:
                for pos, a, b, speaker in store.segment_window(tid, p["pos"] - spec.context, p["pos"] + spec.context):
                    if pos != p["pos"]:
                        (before if pos < p["pos"] else after).append(ContextLine(pos, speaker, text[a:b]))
            grouped.setdefault(group, []).append(Quote(
                transcript=names[tid], position=p["pos"], speaker=p["speaker"], t_start=p["t_start"],
                text=text[p["start"]:p["end"]], codes=tuple(sorted(p["codes"], key=lambda c: order.get(c, 0))),
                coders=tuple(sorted(p["coders"])), before=tuple(before), after=tuple(after),
                memos=tuple(dict.fromkeys(p["memos"])), segment_id=sid, group=group))
        keys = sorted((k for k in grouped if k is not None), key=_sort_key) + ([None] if None in grouped else [])
        groups = tuple(QuoteGroup(value=k, label=missing_label(spec.language) if k is None else _one_line(str(k)),
                                  quotes=tuple(sorted(grouped[k], key=lambda q: (_sort_key(q.transcript),
                                                                                 q.transcript, q.position))))
                       for k in keys)
        sections.append(QuoteSection(code=code, label=labels[code], codes=tuple(covered), groups=groups))
    return QuoteReport(spec=spec, coders=counted, sections=sections, labels=labels,
                       parents={c.id: c.parent for c in book.codes})
