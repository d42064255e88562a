"""Accent- and case-insensitive matching for search boxes and the code picker.

Swedish researchers type "forankring" and expect "förankring"; OCR text has
lost its å/ä/ö altogether. Both sides are folded the same way before matching.

>>> fold("Låg Förankring")
'lag forankring'
>>> [c.id for c in filter_codes([Code("a", label_sv="Förankring"), Code("b", label_sv="Stöd")], "forank")]
['a']
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Sequence

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


def find_segments(segments: Sequence, query: str) -> list[int]:
    """Positions of the segments whose text contains ``query`` (accent-insensitive, white space folded)."""
    needle = " ".join(fold(query).split())
    if not needle:
        return []
    return [s.position for s in segments if needle in " ".join(fold(s.text).split())]
