"""Accent- and case-insensitive matching for search boxes and the code picker.

Swedish researchers type "forankring" and expect "förankring"; OCR text has
lost its å/ä/ö altogether. Both sides are folded the same way before matching.

>>> fold("Låg Förankring")
'lag forankring'
>>> [c.id for c in filter_codes([Code("a", label_sv="Förankring"), Code("b", label_sv="Stöd")], "forank")]
['a']
>>> book = [Code("gem", label_sv="Gemensamt initiativ"), Code("ens", label_sv="Ensam position som SE-coach")]
>>> [m.code.id for m in rank_codes(book, "ensam")]   # a word start beats a substring
['ens', 'gem']
"""

from __future__ import annotations

import unicodedata
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .codebook import Code

_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l", "|": "i"})


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics (å→a, ä→a, ö→o, é→e …)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_SPECIAL)


def filter_codes(codes: Iterable[Code], query: str) -> list[Code]:
    """Codes whose id, Swedish or English label contains ``query`` (accent-insensitive), in order.

    Every word of the query must match (in any order): "stod natverk" finds "Stöd i SE-nätverk".
    """
    words = fold(query).split()
    if not words:
        return list(codes)
    out = []
    for code in codes:
        haystack = fold(f"{code.id} {code.label_sv} {code.label_en}")
        if all(w in haystack for w in words):
            out.append(code)
    return out


# How well one query word matches, best first.
WHOLE_WORD, WORD_START, IN_WORD, IN_ID = range(4)
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class CodeMatch:
    """One code found by :func:`rank_codes`; ``quality`` holds one match kind per query word."""

    code: Code
    quality: tuple[int, ...]
    leaf: bool

    @property
    def tier(self) -> tuple:
        """What decides the order before any tie-break: the worst word first, then the sum."""
        return (max(self.quality), sum(self.quality), not self.leaf)


def _word_quality(word: str, label_words: list[str], label: str, ident: str) -> int | None:
    if word in label_words:
        return WHOLE_WORD
    if any(w.startswith(word) for w in label_words):
        return WORD_START
    if word in label:
        return IN_WORD
    if word in ident:
        return IN_ID
    return None


def _parent(code) -> str | None:
    """The parent id of a codebook :class:`Code` or a stored code row (``parent_id``)."""
    return getattr(code, "parent", None) or getattr(code, "parent_id", None)


def rank_codes(codes: Iterable[Code], query: str, *, recent: Sequence[str] = (),
               usage: Mapping[str, int] | None = None, parents: Iterable[str] | None = None) -> list[CodeMatch]:
    """Codes that match every word of ``query``, best first.

    A query word matching a whole word of a label beats one matching the start
    of a word, which beats one inside a word, which beats a match in the id only
    (accent- and case-insensitive, Swedish and English labels). Codes without
    children come before categories. Ties are broken by the coder's recent codes
    (``recent``, most recent first), then by how often they used each code
    (``usage``), then by codebook order. See :func:`ambiguous` for when the top
    match must not be applied blindly.

    >>> book = [Code("hi_grans", label_sv="Svårt att sätta gränser i arbetsrollen"),
    ...         Code("hi_split", label_sv="Splittrad arbetsroll")]
    >>> [m.code.id for m in rank_codes(book, "arbetsroll")]
    ['hi_split', 'hi_grans']
    """
    codes = list(codes)
    words = fold(query).split()
    parent_ids = set(parents) if parents is not None else {p for p in map(_parent, codes) if p}
    rank_recent = {cid: i for i, cid in enumerate(recent)}
    usage = usage or {}
    found: list[tuple[tuple, int, CodeMatch]] = []
    for order, code in enumerate(codes):
        label = fold(f"{code.label_sv} {code.label_en}")
        label_words = _WORDS.findall(label)
        ident = fold(code.id)
        quality = []
        for word in words:
            q = _word_quality(word, label_words, label, ident)
            if q is None:
                break
            quality.append(q)
        else:
            match = CodeMatch(code, tuple(quality), code.id not in parent_ids)
            found.append(((*match.tier, rank_recent.get(code.id, len(rank_recent)), -usage.get(code.id, 0)),
                          order, match))
    found.sort(key=lambda x: (x[0], x[1]))
    return [m for _, _, m in found]


def ambiguous(matches: Sequence[CodeMatch]) -> bool:
    """Whether the best two matches are equally good (before tie-breaks): Enter must not pick one blindly.

    >>> book = [Code("impl_ensam", label_sv="Ensam position"), Code("prak_ensam", label_sv="Ensam position")]
    >>> ambiguous(rank_codes(book, "ensam")), ambiguous(rank_codes(book[:1], "ensam"))
    (True, False)
    """
    return len(matches) > 1 and matches[0].tier == matches[1].tier


def find_segments(segments: Sequence, query: str) -> list[int]:
    """Positions of the segments whose text contains ``query`` (accent-insensitive, white space folded)."""
    needle = " ".join(fold(query).split())
    if not needle:
        return []
    return [s.position for s in segments if needle in " ".join(fold(s.text).split())]
