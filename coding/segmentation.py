"""Cut a transcript into the segments that coders tag.

Three units are offered:

* ``"sentence"`` (default): sentences within speaker turns, found with spaCy's
  blank pipeline (``spacy.blank("sv")`` or ``"en"``) and its rule-based
  ``sentencizer``; a line break inside a turn also ends a sentence;
* ``"paragraph"``: the lines (paragraphs) of each turn;
* ``"turn"``: whole speaker turns.

Every segment keeps exact character offsets into the stored transcript text,
its speaker and, where the source has them, its turn's timestamps and the page
it starts on.

>>> from coding.importers import Turn
>>> text = "I: Hur började det? Vi fick pengar.\\nIP: Ja."
>>> turns = [Turn(3, 35, "I"), Turn(40, 43, "IP")]
>>> [(text[s.start:s.end], s.speaker) for s in segment_turns(text, turns)]
[('Hur började det?', 'I'), ('Vi fick pengar.', 'I'), ('Ja.', 'IP')]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

#: what a transcript is split into: sentences, paragraphs or speaker turns
SEGMENT_UNITS = ("sentence", "paragraph", "turn")
UNITS = SEGMENT_UNITS  # the former name, kept until coding.cli imports SEGMENT_UNITS
LANGUAGES = ("sv", "en")

_LINE = re.compile(r"[^\n]+")
# The sentencizer can only end a sentence after one of these; a paragraph without
# any of them before its last character is one sentence, and spaCy is skipped.
_SENTENCE_END = re.compile(r"[.!?\u2026\u203c\u203d\u2047\u2048\u2049\u3002\uff01\uff1f\u061f\u0964\u0965]")


@dataclass(frozen=True)
class Segment:
    """One unit to code: ``text[start:end]`` of the stored transcript."""

    start: int
    end: int
    speaker: str | None = None
    t_start: float | None = None
    t_end: float | None = None
    page: int | None = None

    def as_row(self) -> tuple:
        return (self.start, self.end, self.speaker, self.t_start, self.t_end, self.page)


@lru_cache(maxsize=4)
def sentence_pipeline(language: str = "sv"):
    """spaCy's blank pipeline for ``language`` with a rule-based sentencizer (cached)."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    import spacy  # imported lazily: loading spaCy takes about a second

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def _times(turn, start: int, end: int) -> tuple[float | None, float | None]:
    """The times of a segment: those of the cues holding its first and last character."""
    cues = getattr(turn, "cues", None)
    if not cues or len(cues) < 2:
        return turn.t_start, turn.t_end
    offsets = [c[0] for c in cues]
    first = cues[max(0, bisect_right(offsets, start) - 1)]
    last = cues[max(0, bisect_right(offsets, end - 1) - 1)]
    return first[1], last[2]


def _page(turn, start: int) -> int | None:
    """The page a segment starting at ``start`` starts on, from its turn's page starts (None without pages)."""
    pages = getattr(turn, "pages", None)
    if not pages:
        return None
    return pages[max(0, bisect_right(pages, start, key=lambda p: p[0]) - 1)][1]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink [start, end) so that it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


# spaCy refuses longer texts; a paragraph this long (a whole report on one line) is cut into
# pieces at a sentence end (or at least at white space) before sentence splitting.
MAX_PIECE = 100_000
_CUT = re.compile(r"[.!?\u2026][\"'”»)\]]*\s+")


def _pieces(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    while end - start > MAX_PIECE:
        window = text[start + MAX_PIECE // 2:start + MAX_PIECE]
        cuts = [m.end() for m in _CUT.finditer(window)]
        if not cuts:
            cuts = [i + 1 for i, ch in enumerate(window) if ch.isspace()][-1:] or [len(window)]
        cut = start + MAX_PIECE // 2 + cuts[-1]
        yield start, cut
        start = cut
    yield start, end


def _paragraphs(text: str, turn) -> Iterable[tuple[int, int]]:
    for m in _LINE.finditer(text, turn.start, turn.end):
        span = _trimmed(text, m.start(), m.end())
        if span:
            for piece in _pieces(text, *span):
                piece = _trimmed(text, *piece)
                if piece:
                    yield piece


_OPENING = "([{"


def _mend_brackets(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Never cut inside brackets: a sentence that ends with an opening bracket ("… i mars. (") gives the
    bracket to the next one, so "(paus)", "(skratt)" and "[ohörbart]" stay whole.

    >>> t = "Vi började i mars. (paus) Sen kom pengarna."
    >>> [t[a:b] for a, b in _mend_brackets(t, [(0, 20), (20, 43)])]
    ['Vi började i mars. ', '(paus) Sen kom pengarna.']
    """
    out = list(spans)
    for k in range(len(out) - 1):
        a, b = out[k]
        cut = b
        while cut > a and (text[cut - 1].isspace() or text[cut - 1] in _OPENING):
            cut -= 1
        if cut < b and any(ch in _OPENING for ch in text[cut:b]):
            cut += next(n for n, ch in enumerate(text[cut:b]) if ch in _OPENING)
            out[k], out[k + 1] = (a, cut), (cut, out[k + 1][1])
    return [(a, b) for a, b in out if b > a]


def segment_turns(text: str, turns: Sequence, unit: str = "sentence", language: str = "sv") -> list[Segment]:
    """Segment the turns of one transcript; see :func:`segment_many` for several at once.

    >>> from coding.importers import Turn
    >>> [s.start for s in segment_turns("A: Ett. Två.", [Turn(3, 12, "A")])]
    [3, 8]
    """
    return segment_many([(text, turns)], unit=unit, language=language)[0]


def segment_many(documents: Sequence[tuple[str, Sequence]], unit: str = "sentence",
                 language: str = "sv") -> list[list[Segment]]:
    """Segment several transcripts at once (one spaCy batch: much faster than one by one).

    ``documents`` holds ``(text, turns)`` pairs; turns need ``start``, ``end``,
    ``speaker``, ``t_start`` and ``t_end`` (``cues`` and ``pages`` if they have them).
    Returns one list of segments per document.
    """
    if unit not in SEGMENT_UNITS:
        raise ValueError(f"unknown segmentation unit {unit!r}; choose one of {', '.join(SEGMENT_UNITS)}")
    results: list[list[Segment]] = [[] for _ in documents]
    # Collect the pieces of work: (document index, turn, paragraph start, paragraph end).
    pieces: list[tuple[int, object, int, int]] = []
    for d, (text, turns) in enumerate(documents):
        for turn in turns:
            if unit == "turn":
                span = _trimmed(text, turn.start, turn.end)
                if span:
                    pieces.append((d, turn, *span))  # no spaCy for whole turns: any length is fine
            else:
                pieces.extend((d, turn, a, b) for a, b in _paragraphs(text, turn))
    if unit != "sentence":
        for d, turn, a, b in pieces:
            results[d].append(Segment(a, b, turn.speaker, *_times(turn, a, b), _page(turn, a)))
        return results

    # Paragraphs with no sentence-ending character before their last one are one
    # sentence as they stand; only the others go through spaCy.
    needs_nlp = []
    for i, (d, _turn, a, b) in enumerate(pieces):
        if _SENTENCE_END.search(documents[d][0], a, b - 1):
            needs_nlp.append(i)
    split: dict[int, list[tuple[int, int]]] = {}
    if needs_nlp:
        nlp = sentence_pipeline(language)
        texts = (documents[pieces[i][0]][0][pieces[i][2]:pieces[i][3]] for i in needs_nlp)
        for i, doc in zip(needs_nlp, nlp.pipe(texts, batch_size=256)):
            split[i] = _mend_brackets(doc.text, [(s.start_char, s.end_char) for s in doc.sents])
    for i, (d, turn, a, b) in enumerate(pieces):
        text = documents[d][0]
        for sa, sb in split.get(i, [(0, b - a)]):
            span = _trimmed(text, a + sa, a + sb)
            if span:
                results[d].append(Segment(span[0], span[1], turn.speaker, *_times(turn, *span), _page(turn, span[0])))
    return results


def count_words(text: str) -> int:
    """Words as white-space separated tokens (what the throughput figures count)."""
    return len(text.split())
