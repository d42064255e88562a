"""The plain rows the store hands out (frozen dataclasses; no SQLite types)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentRow:
    """One segment as the library hands it out (text sliced from the transcript)."""

    id: int
    transcript: str
    position: int
    start: int
    end: int
    speaker: str | None
    t_start: float | None
    t_end: float | None
    text: str
    page: int | None = None     # the page of a PDF it starts on (1 = the file's first page), else None


@dataclass(frozen=True)
class CodeRow:
    """One code of the project's codebook, in codebook order."""

    id: str
    parent_id: str | None
    position: int
    label_sv: str
    label_en: str
    definition: str
    include: str
    exclude: str
    example: str
    color: str
    active: bool


CODE_FIELDS = ("id", "parent_id", "position", "label_sv", "label_en", "definition",
               "include", "exclude", "example", "color", "active")


@dataclass(frozen=True)
class SearchHit:
    """One segment found by a full-text search.

    ``highlights`` holds the ``(start, end)`` character offsets in ``text`` of
    every word that matched, so a caller can mark them however it likes.
    """

    segment_id: int
    transcript_id: int
    transcript: str
    position: int
    speaker: str | None
    text: str
    highlights: tuple[tuple[int, int], ...]

    def snippet(self, width: int = 80, mark: tuple[str, str] = ("[", "]")) -> str:
        """The text around the first match, at most about ``width`` characters, matches marked.

        >>> hit = SearchHit(1, 1, "t.txt", 1, None, "Vi pratade om förankring i ledningen.", ((14, 24),))
        >>> hit.snippet()
        'Vi pratade om [förankring] i ledningen.'
        >>> hit.snippet(30)
        '… om [förankring] i …'
        """
        text = self.text
        first = self.highlights[0][0] if self.highlights else 0
        lo = max(0, min(first - width // 3, len(text) - width))
        hi = min(len(text), lo + width)
        if lo > 0:  # start and end at a space, not inside a word
            cut = text.find(" ", lo, first)
            lo = cut + 1 if cut != -1 else lo
        if hi < len(text):
            cut = text.rfind(" ", self.highlights[0][1] if self.highlights else lo, hi)
            hi = cut if cut != -1 else hi
        out, at = [], lo
        for a, b in self.highlights:
            if a < lo or b > hi:
                continue
            out += [text[at:a], mark[0], text[a:b], mark[1]]
            at = b
        out.append(text[at:hi])
        return ("… " if lo > 0 else "") + "".join(out).strip() + (" …" if hi < len(text) else "")
