"""Positions in other tools' REFI-QDA files, converted exactly to qcode's character offsets.

A source text is stored the way a .txt import stores it (:func:`coding.textclean.remove_controls`): no
byte-order mark, LF line ends, no control characters. Other tools count positions in the text as they
wrote it, and they count differently:

- **units**: NVivo counts UTF-16 code units (a character outside the Basic Multilingual Plane, such as
  most emoji, counts 2); QualCoder, MAXQDA and qcode count Unicode characters (code points);
- **line ends**: a CRLF counts 2 for most tools, 1 for ATLAS.ti (which writes CRLF but counts LF);
- the BOM is never counted.

:func:`decide` picks the convention of one source from the evidence: positions beyond the text rule a
convention out; then the one that puts the fewest selection boundaries inside a word or inside a
character wins; a tie goes to what the writing tool is known to do (NVivo: UTF-16; ATLAS.ti: CRLF as
one), else characters with CRLF as two. :class:`PositionMap` then maps each position exactly; a
position inside a character or a CRLF widens the selection to hold it whole.

>>> raw = "Hej 😀\\r\\nDå"                       # as NVivo writes it: CRLF, an emoji
>>> m = PositionMap(raw, Convention(utf16=True, crlf=2))
>>> m.text
'Hej 😀\\nDå'
>>> start, end = m.start(8), m.end(10)          # UTF-16: "Hej " 4, 😀 2, CRLF 2
>>> m.text[start:end]
'Då'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .textclean import _UNWANTED, remove_controls

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ASTRAL = "\U00010000-\U0010ffff"
_SPECIAL = re.compile("\r\n|[\r\f\v]|" + _UNWANTED.pattern)
_SPECIAL_UTF16 = re.compile("\r\n|[\r\f\v]|" + _UNWANTED.pattern + f"|[{_ASTRAL}]")
_HAS_ASTRAL = re.compile(f"[{_ASTRAL}]")


@dataclass(frozen=True)
class Convention:
    """How a file counts positions: ``utf16`` code units (else code points); a CRLF as ``crlf`` units."""

    utf16: bool = False
    crlf: int = 2

    def describe(self) -> str:
        """In words, for the import report.

        >>> Convention(utf16=True).describe(), Convention(crlf=1).describe()
        ('UTF-16 positions', 'CRLF counted as one character')
        """
        parts = (["UTF-16 positions"] if self.utf16 else []) + (["CRLF counted as one character"]
                                                                if self.crlf == 1 else [])
        return ", ".join(parts) or "character positions"


@dataclass
class SourceText:
    """A source's text as decoded: BOM gone, nothing else changed; what it held."""

    raw: str
    encoding: str
    bom: bool


def decode_source(data: bytes) -> SourceText:
    """Decode a source file's bytes: UTF-8 (with or without BOM) or UTF-16 with its BOM; raises
    ``UnicodeDecodeError`` otherwise.

    >>> t = decode_source("\\ufeffHej\\r\\n".encode("utf-8"))
    >>> t.raw, t.encoding, t.bom
    ('Hej\\r\\n', 'utf-8', True)
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return SourceText(data[len(bom):].decode(codec), codec, True)
    return SourceText(data.decode("utf-8"), "utf-8", False)


class PositionMap:
    """Maps a tool's positions in ``raw`` (counted by ``convention``) to offsets in :attr:`text`, the
    text as qcode stores it. Only the characters that count differently are remembered, so a plain text
    costs nothing.

    >>> m = PositionMap("a\\r\\nb\\x00c", Convention(crlf=2))
    >>> m.text, [m.start(p) for p in range(6)], m.units
    ('a\\nbc', [0, 1, 1, 2, 3, 3], 6)
    """

    def __init__(self, raw: str, convention: Convention):
        self.convention = convention
        pattern = _SPECIAL_UTF16 if convention.utf16 else _SPECIAL
        self._at: list[int] = []        # unit position where a special token starts
        self._ends: list[int] = []      # … where it ends
        self._out: list[int] = []       # its length in the stored text
        self._shift: list[int] = []     # out - in of every token before it (cumulative)
        pieces: list[str] = []
        extra = 0                       # units - code points so far
        shift = 0
        last = 0
        for match in pattern.finditer(raw):
            token = match.group()
            if token == "\r\n":
                units, out = convention.crlf, "\n"
            elif token in "\r\f\v":
                units, out = 1, "\n"
            elif ord(token) > 0xFFFF and not _UNWANTED.match(token):
                units, out = 2, token
            else:
                units, out = 1, ""                   # a control character: gone
            at = match.start() + extra
            self._at.append(at)
            self._ends.append(at + units)
            self._out.append(len(out))
            self._shift.append(shift)
            shift += len(out) - units
            extra += units - len(token)
            pieces.append(raw[last:match.start()])
            pieces.append(out)
            last = match.end()
        pieces.append(raw[last:])
        self.text = "".join(pieces) if self._at else raw
        self.units = len(raw) + extra
        self._total_shift = shift

    def _map(self, position: int, round_up: bool) -> int:
        if position < 0 or position > self.units:
            raise ValueError(position)
        i = bisect.bisect_right(self._at, position) - 1      # the last token starting at or before it
        if i < 0:
            return position
        at, end, shift = self._at[i], self._ends[i], self._shift[i]
        if position >= end:
            return position + shift + self._out[i] - (end - at)
        if position == at:
            return position + shift
        return at + shift + (self._out[i] if round_up else 0)   # inside a token: hold it whole

    def start(self, position: int) -> int:
        """The offset of a selection's start (inside a character or CRLF: before it)."""
        return self._map(position, False)

    def end(self, position: int) -> int:
        """The offset of a selection's end (inside a character or CRLF: after it)."""
        return self._map(position, True)

    def inside(self, position: int) -> bool:
        """Whether ``position`` falls inside a character or a CRLF (evidence of a wrong convention)."""
        i = bisect.bisect_right(self._at, position) - 1
        return i >= 0 and self._at[i] < position < self._ends[i]


def store_text(raw: str) -> str:
    """The text qcode stores for ``raw`` (what a .txt import of the same text stores).

    >>> store_text("a\\r\\nb\\x1b")
    'a\\nb'
    """
    return remove_controls(raw)


def _mid_word(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


def candidates(raw: str, origin: str = "") -> list[Convention]:
    """The conventions that could differ for ``raw``, the writing tool's own first.

    >>> candidates("plain text"), len(candidates("emoji 😀 and\\r\\nCRLF", "NVivo 14"))
    ([Convention(utf16=False, crlf=2)], 4)
    """
    tool = origin.lower()
    utf16_first = "nvivo" in tool
    crlf1_first = "atlas" in tool
    units = [utf16_first, not utf16_first] if _HAS_ASTRAL.search(raw) else [utf16_first]
    crlfs = [1 if crlf1_first else 2, 2 if crlf1_first else 1] if "\r\n" in raw else [1 if crlf1_first else 2]
    return [Convention(utf16=u, crlf=c) for u in units for c in crlfs]


def decide(raw: str, positions: list[tuple[int, int]], origin: str = "") -> PositionMap | None:
    """The :class:`PositionMap` of the convention that fits ``positions`` (``(start, end)`` pairs) best;
    None when every convention puts some position beyond the text.

    >>> raw = "Ett 😀 två tre"
    >>> decide(raw, [(7, 10)]).convention.utf16       # 7..10 is "två" only when the emoji counts 2
    True
    >>> decide(raw, [(6, 9)]).convention.utf16
    False
    """
    best, best_score = None, None
    for convention in candidates(raw, origin):
        m = PositionMap(raw, convention)
        if any(e > m.units for _, e in positions):
            continue
        score = 0
        for s, e in positions:
            score += 5 * (m.inside(s) + m.inside(e))
            score += _mid_word(m.text, m.start(s)) + _mid_word(m.text, m.end(e))
        if best_score is None or score < best_score:
            best, best_score = m, score
            if score == 0:
                break
    return best
