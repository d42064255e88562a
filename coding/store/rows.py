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


TEXT_FIELDS = ("definition", "include", "exclude", "example")  # a code's long texts, each in sv, en and neutral
LANGUAGE_FIELDS = tuple(f"{f}_{lang}" for f in TEXT_FIELDS for lang in ("sv", "en"))


class BilingualTexts:
    """The texts of a code in the reader's language: :meth:`text` (shared by CodeRow and codebook.Code)."""

    def text(self, field: str, language: str = "sv") -> str:
        """``field`` (definition, include, exclude or example) in ``language``: the language's own text,
        else the language-neutral one (an older codebook), else the other language's.

        >>> CodeRow("a", None, 0, "A", "A", "neutral", "", "", "", "", definition_en="in English").text("definition")
        'neutral'
        """
        if field not in TEXT_FIELDS:
            raise ValueError(f"unknown text field {field!r}; choose one of {', '.join(TEXT_FIELDS)}")
        other = "sv" if language == "en" else "en"
        return (getattr(self, f"{field}_{language}", "") or getattr(self, field)
                or getattr(self, f"{field}_{other}"))


@dataclass(frozen=True)
class CodeRow(BilingualTexts):
    """One code of the project's codebook, in codebook order.

    ``definition``, ``include``, ``exclude`` and ``example`` are language-neutral (codebooks before
    the bilingual fields); ``definition_sv`` … ``example_en`` are the texts per language. Read them
    with :meth:`text`.
    """

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
    active: bool = True
    definition_sv: str = ""
    definition_en: str = ""
    include_sv: str = ""
    include_en: str = ""
    exclude_sv: str = ""
    exclude_en: str = ""
    example_sv: str = ""
    example_en: str = ""


CODE_FIELDS = ("id", "parent_id", "position", "label_sv", "label_en", "definition",
               "include", "exclude", "example", "color", "active", *LANGUAGE_FIELDS)


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
