"""The coding page's highlights: spans cut into the pieces of text the segment list draws.

Pure helpers (no Streamlit, no SQL). A span is a character range of the transcript's
stored text (0-based code points, end exclusive), as ``Project.spans`` hands it out; the
list shows each segment's text ``transcript_text[seg.start:seg.end]`` and marks the parts
that spans (and the coder's pending text selection) cover. Every piece is plain text; the
browser sets it as ``textContent``.

>>> from coding.store.rows import SegmentRow
>>> seg = SegmentRow(1, "t.txt", 1, 10, 33, "Lena", None, None, "Vi fick pengar <b>x</b>")
>>> page = page_spans([(12, 18, "a", "anna"), (15, 40, "b", "erik")], [seg], coder="anna",
...                   labels={"a": "Pengar", "b": "Stöd"}, colors={"a": "#1f77b4", "b": "#ff0000"})
>>> [s[:4] for s in page]
[[12, 18, 'a', 'anna'], [15, 40, 'b', 'erik']]
>>> text_pieces(seg.text, seg.start, page, pending=None)
[['Vi', [], 0], [' fi', [0], 0], ['ck ', [0, 1], 0], ['pengar <b>x</b>', [1], 0]]
>>> text_pieces(seg.text, seg.start, [], pending=(20, 26))
[['Vi fick pe', [], 0], ['ngar <', [], 1], ['b>x</b>', [], 0]]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable, Sequence

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# characters never drawn as themselves (controls, lone surrogates, non-characters): each becomes one
# replacement character, so the drawn text keeps the stored text's length and every offset maps 1:1
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def shown_text(text: str) -> str:
    """``text`` as the list draws it: the same length, control characters replaced one for one.

    >>> shown_text("a\\x00b\\tc\\nd")
    'a\\ufffdb\\tc\\nd'
    """
    return _HIDDEN.sub("\ufffd", text) if _HIDDEN.search(text) else text


def page_spans(spans: Iterable, segments: Sequence, *, coder: str, labels: dict[str, str],
               colors: dict[str, str]) -> list[list]:
    """The spans that touch the shown ``segments``, as the list gets them:
    ``[start, end, code, coder, label, colour, mine, whole]``; ``spans`` are ``Span`` objects or
    ``(start, end, code, coder)`` tuples; ``whole`` is 1 for a segment coded as a whole (its chip is
    its control: a click on its text still selects the segment). Spans of codes not in ``labels``
    are left out."""
    if not segments:
        return []
    lo, hi = min(s.start for s in segments), max(s.end for s in segments)
    out = []
    for sp in spans:
        start, end, code, who = _fields(sp)
        if end <= lo or start >= hi or code not in labels:
            continue
        color = colors.get(code, "")
        out.append([start, end, code, who, shown_text(labels[code]), color if _COLOR.match(color or "") else "",
                    1 if who == coder else 0, 0 if getattr(sp, "segment", None) is None else 1])
    return out


def _fields(sp) -> tuple[int, int, str, str]:
    if isinstance(sp, (tuple, list)):
        return int(sp[0]), int(sp[1]), str(sp[2]), str(sp[3])
    return int(sp.start), int(sp.end), str(sp.code), str(sp.coder)


def text_pieces(text: str, start: int, spans: Sequence[Sequence], pending: tuple[int, int] | None) -> list[list]:
    """``text`` (a segment's, starting at offset ``start``) cut where a span or the pending selection
    begins or ends: ``[piece, [indices into spans covering it], 1 if pending covers it else 0]``."""
    end = start + len(text)
    cuts = {start, end}
    covering = []
    for i, sp in enumerate(spans):
        a, b = sp[0], sp[1]
        if a < end and b > start:
            covering.append(i)
            cuts.update(x for x in (a, b) if start < x < end)
    if pending and pending[0] < end and pending[1] > start:
        cuts.update(x for x in pending if start < x < end)
    else:
        pending = None
    bounds = sorted(cuts)
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        on = [i for i in covering if spans[i][0] <= a and spans[i][1] >= b]
        pend = 1 if pending and pending[0] <= a and pending[1] >= b else 0
        piece = text[a - start:b - start]
        if pieces and pieces[-1][1] == on and pieces[-1][2] == pend:
            pieces[-1][0] += piece
        else:
            pieces.append([piece, on, pend])
    return pieces


def valid_range(event: dict | None, length: int) -> tuple[int, int] | None:
    """The ``(start, end)`` of a ``select`` event when it is a non-empty range inside a text of
    ``length`` characters, else None.

    >>> valid_range({"start": 3, "end": 9}, 20), valid_range({"start": 9, "end": 3}, 20)
    ((3, 9), None)
    >>> valid_range({"start": "3", "end": 99}, 20), valid_range({"start": True, "end": 4}, 20)
    (None, None)
    """
    if not isinstance(event, dict):
        return None
    a, b = event.get("start"), event.get("end")
    if not all(type(x) is int for x in (a, b)) or not 0 <= a < b <= length:
        return None
    return a, b


def spans_at(spans: Sequence, offset: int) -> list:
    """The spans covering ``offset``, shortest first (the innermost highlight is the one clicked).

    >>> spans_at([(0, 50, "a", "x"), (10, 20, "b", "x"), (30, 40, "c", "x")], 12)
    [(10, 20, 'b', 'x'), (0, 50, 'a', 'x')]
    """
    hit = [sp for sp in spans if _fields(sp)[0] <= offset < _fields(sp)[1]]
    return sorted(hit, key=lambda sp: (_fields(sp)[1] - _fields(sp)[0], _fields(sp)[0]))


def segments_of(segments: Sequence, start: int, end: int) -> list[int]:
    """The positions of the segments (sorted by start) that the range ``[start, end)`` touches.

    >>> from types import SimpleNamespace as S
    >>> segs = [S(position=1, start=0, end=10), S(position=2, start=12, end=20), S(position=3, start=22, end=30)]
    >>> segments_of(segs, 8, 14), segments_of(segs, 10, 12)
    ([1, 2], [])
    """
    i = max(0, bisect_left([s.end for s in segments], start + 1))
    out = []
    for s in segments[i:]:
        if s.start >= end:
            break
        if s.end > start:
            out.append(s.position)
    return out
