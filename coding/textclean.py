"""Decoding of text files and cleanup of OCR'd or PDF-extracted documents.

Two jobs, both used by :mod:`coding.importers`:

* :func:`decode_text` turns the raw bytes of a text file into a ``str`` with
  ``\\n`` line endings, refusing binary files and bytes that are not text in
  any encoding we accept;
* :func:`clean_text` removes page furniture (running headers and footers, page
  numbers) and undoes hard line wrapping and end-of-line hyphenation;
  :func:`clean_pages` does the same for a document given page by page (PDF) and
  says where each page starts in the cleaned text.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Callable

from .errors import ImportProblem

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 control characters that never occur in text (tab, LF, VT, FF and CR do).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Bytes that Windows-1252 leaves undefined (Latin-1 reads them as C1 controls).
_UNDEFINED_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# Letters and digits in Windows-1252/Latin-1: ASCII ones and the accented block (å ä ö ...).
_ALNUM_BYTES = re.compile(rb"[0-9A-Za-z\xc0-\xd6\xd8-\xf6\xf8-\xff]")
_NON_SPACE_BYTES = re.compile(rb"[^ \t\n\r\x0b\x0c]")
# "Ã¥", "Ã¤", "Ã¶" ...: UTF-8 sequences for Latin letters, seen through an 8-bit decoder.
_UTF8_LATIN_PAIR = re.compile(rb"[\xc2\xc3][\x80-\xbf]")
_SAMPLE = 1 << 16


def decode_text(data: bytes, path=None) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding)``.

    The order of attempts:

    1. a byte-order mark picks the codec: UTF-8 (reported as ``"utf-8-sig"``,
       the mark is dropped), UTF-16 or UTF-32 (Word's "Unicode text" export);
    2. UTF-8 (``"utf-8"``);
    3. Windows-1252 (``"cp1252"``), only when the bytes look like real text: none
       of the five bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D), no C0
       control characters other than tab/LF/VT/FF/CR, at least half of the visible
       characters letters or digits, and no UTF-8 sequences for Latin letters (a file that
       mixes UTF-8 with another encoding is refused rather than turned into
       "Ã¥"). Latin-1 files are read here too: Latin-1 and cp1252 agree on every
       byte except 0x80-0x9F, where Latin-1 has only control characters, so
       a Latin-1 file that is text decodes identically as cp1252.

    Line endings are normalised: CRLF and CR become LF, and form feeds (page
    breaks in pdftotext output) and vertical tabs (Word's manual line breaks)
    become LF as well.

    Raises :class:`ImportProblem` for an empty (or whitespace-only) file, a
    binary file and bytes that are neither UTF-8 nor cp1252/Latin-1 text.

    >>> decode_text("Hej på dig\\r\\n".encode("cp1252"))
    ('Hej på dig\\n', 'cp1252')
    """
    if not data or data.isspace():
        raise ImportProblem("the file is empty", path=path)
    text, encoding = _decode(data, path)
    text = remove_controls(normalise_newlines(text))
    if not text.strip():
        raise ImportProblem("the file is empty", path=path)
    return text, encoding


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR, form feed and vertical tab into LF (each scan only if needed)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text:
        text = text.replace("\f", "\n").replace("\v", "\n")
    return text


# Characters no text of ours may hold: C0/C1 controls (tab and LF are handled by the callers), DEL,
# lone surrogates and the non-characters U+FFFE/U+FFFF. Renderers (SVG/PNG, XLSX, DOCX) abort on them.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNWANTED_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def remove_controls(text: str) -> str:
    """``text`` without control characters; tab and line feed stay (for transcripts, definitions, memos),
    other line breaks (CR, CRLF, form feed) become line feeds.

    >>> remove_controls("Ensam\\x1b[31m position\\x00\\tsom\\nSE-coach\\x85")
    'Ensam[31m position\\tsom\\nSE-coach'
    """
    text = normalise_newlines(text)
    return _UNWANTED.sub("", text) if _UNWANTED.search(text) else text


def one_line(text: str) -> str:
    """``text`` as one clean line (labels, names, attribute values): controls go, runs of white space
    (tabs and line breaks included) become one space.

    >>> one_line("  Aneby\\r\\n kommun\\x1b ")
    'Aneby kommun'
    """
    return " ".join(_UNWANTED_IN_LINE.sub(" ", text).split())


def _decode(data: bytes, path) -> tuple[str, str]:
    """Pick the codec (see :func:`decode_text`) and decode; raise on non-text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as err:
                raise _problem(f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}", data,
                               err.start, path) from None
            if "\x00" in text or _looks_binary(_CONTROL_CHARS, text[:_SAMPLE]):
                raise ImportProblem("looks like a binary file, not text", path=path)
            return text, codec
    if b"\x00" in data or _looks_binary(_CONTROL_BYTES, data[:_SAMPLE]):
        raise ImportProblem("looks like a binary file, not text", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        return _decode_cp1252(data, err.start, path), "cp1252"


def _looks_binary(controls: re.Pattern, sample) -> bool:
    """True when more than 5 % of the sample are control characters that text never has."""
    return len(controls.findall(sample)) > 0.05 * len(sample)


def _decode_cp1252(data: bytes, bad_utf8_at: int, path) -> str:
    """Decode bytes that are not UTF-8 as cp1252 if they look like text, else raise."""
    neither = "is neither UTF-8 nor Windows-1252/Latin-1 text"
    found = _UNDEFINED_CP1252.search(data)
    if found:
        raise _problem(f"{neither}: byte 0x{data[found.start()]:02X} is undefined in Windows-1252", data,
                       found.start(), path)
    found = _CONTROL_BYTES.search(data)
    if found:
        raise _problem(f"{neither}: control character 0x{data[found.start()]:02X}", data, found.start(), path)
    if _UTF8_LATIN_PAIR.search(data):
        raise _problem(
            f"mixes UTF-8 with another encoding: byte 0x{data[bad_utf8_at]:02X} is not valid UTF-8; "
            "save the file again as UTF-8", data, bad_utf8_at, path)
    sample = data[:_SAMPLE]
    if len(_ALNUM_BYTES.findall(sample)) < 0.5 * len(_NON_SPACE_BYTES.findall(sample)):
        raise _problem(f"{neither}: too few letters (byte 0x{data[bad_utf8_at]:02X} is not valid UTF-8)", data,
                       bad_utf8_at, path)
    return data.decode("cp1252")


def _problem(message: str, data: bytes, offset: int, path) -> ImportProblem:
    """An ImportProblem at the line of byte ``offset``, naming the offset too."""
    line = data.count(b"\n", 0, offset) + 1
    return ImportProblem(f"{message} (at byte {offset})", path=path, line=line)


# --------------------------------------------------------------------------- cleanup

_MAX_FURNITURE_LEN = 80      # running headers/footers are short lines ...
_MIN_REPEATS = 3             # ... that recur on at least three pages
_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_PAGE_NUMBER = re.compile(
    r"(?:(?:sida|sid\.?|s\.|page|p\.)\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*(?:\(|/|av|of)\s*\d{1,3}\)?)?",
    re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", ";")
# a word broken at a line end: letters then a hyphen
_HYPHENATED = re.compile(r"([^\W\d_]+)-$")
# "arbetsgivar- och arbetstagarsidan": the hyphen of a shared compound part stays
_SUSPENDED_HYPHEN_NEXT = frozenset({"och", "eller", "samt", "resp.", "respektive", "till", "and", "or", "to"})


def clean_text(text: str, keep: Callable[[str], bool] | None = None) -> tuple[str, list[str]]:
    """Clean a report, workshop notes or an OCR'd document; return ``(text, warnings)``.

    Steps, in order:

    1. **Page furniture.** A line is removed when, stripped, it is a page number
       ("12", "- 12 -", "Sida 3 av 17", "3 (17)"; up to 3 digits, so a year on its
       own line stays) or a running header/footer: at most 80 characters, at least
       two words, a letter, the same line (digits ignored, so "Förstudie om
       efterstöd 0-2" and "... 0-3" count as one) occurring at least 3 times, and
       this occurrence standing apart from running text (the lines above and below
       are blank, page numbers or repeated lines themselves). The blank lines
       around a removed line collapse into one paragraph break, or into none when
       the text before does not end a sentence and the text after starts in lower
       case (a sentence running over a page break).
    2. **Hyphenation.** A line ending in "letters-" followed by a line starting in
       lower case is joined: "hand-\\nlar" → "handlar". The hyphen stays when the
       part before it is in capitals ("SE-\\ncoach" → "SE-coach") or the next word
       is a conjunction ("arbetsgivar-\\noch" → "arbetsgivar- och").
    3. **Hard wrapping.** Any other line followed by a line that starts in lower
       case is joined to it with one space.

    Trailing spaces are removed from every line. ``keep(line)`` (optional) marks
    lines that must stay as they are and start their own line, e.g. lines starting
    with a speaker label: they are never removed as furniture nor joined to the
    line above. ``warnings`` says what was removed and joined.
    """
    lines, _starts, warnings = _clean(text.split("\n"), keep, track=False)
    return "\n".join(lines), warnings


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """A document given page by page (a PDF's text) as one text, a blank line between pages; return
    ``(text, starts)``, ``starts[i]`` being the offset where page ``i + 1`` starts.

    >>> join_pages(["Sida ett.", "Sida två."])
    ('Sida ett.\\n\\nSida två.', [0, 11])
    """
    starts, at = [], 0
    for page in pages:
        starts.append(at)
        at += len(page) + 2
    return "\n\n".join(pages), starts


def clean_pages(pages: list[str], keep: Callable[[str], bool] | None = None) -> tuple[str, list[int], list[str]]:
    """Clean a document given page by page (a PDF's text) as :func:`clean_text` cleans the text of
    :func:`join_pages`; return ``(text, starts, warnings)``, ``starts[i]`` being the offset in the
    cleaned text where page ``i + 1`` starts: where the first of its words that stays begins (a
    sentence that runs over a page break stays on the page it starts on).

    >>> said = ["Vi började med arbets-\\nmarknaden och", "arbetsgivarna.", "Sedan kom stödet."]
    >>> pages = [f"Utvärdering av SE\\n\\n{text}\\n\\n{n}" for n, text in enumerate(said, start=1)]
    >>> text, starts, _ = clean_pages(pages)
    >>> text, [text[at:at + 6] for at in starts]
    ('Vi började med arbetsmarknaden och arbetsgivarna.\\n\\nSedan kom stödet.', ['Vi bör', 'arbets', 'Sedan '])
    """
    lines, page_lines, breaks = [], [], set()
    for page in pages:
        if lines:
            breaks.add(len(lines))
            lines.append("")
        page_lines.append(len(lines))
        lines.extend(page.split("\n"))
    cleaned, starts, warnings = _clean(lines, keep, track=True, breaks=breaks)
    text = "\n".join(cleaned)
    # a line that went (furniture, blank) starts where the next line that stayed starts
    at = [len(text)] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        at[i] = min(starts.get(i, at[i + 1]), at[i + 1])
    return text, [at[i] for i in page_lines], warnings


def _clean(lines: list[str], keep, track: bool,
           breaks: set[int] = frozenset()) -> tuple[list[str], dict[int, int], list[str]]:
    """The steps of :func:`clean_text` on a list of lines; with ``track``, also where each input line's
    text begins in the cleaned text (input line index -> offset; lines that went are left out).
    ``breaks`` are the blank lines that stand for page breaks: they go like page furniture (a sentence
    running over the break is joined, otherwise the break is a paragraph break)."""
    keep = keep or (lambda line: False)
    warnings: list[str] = []
    origins = list(range(len(lines))) if track else None
    lines, origins = _remove_furniture(lines, keep, warnings, origins, breaks)
    lines, starts = _join_wrapped(lines, keep, warnings, origins)
    return lines, starts, warnings


def _furniture_key(line: str, keep: Callable[[str], bool]) -> str | None:
    """The key under which a possible header/footer line is counted, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_FURNITURE_LEN or " " not in stripped:
        return None
    if not _LETTER.search(stripped) or keep(line):
        return None
    return _DIGITS.sub("#", " ".join(stripped.split()).casefold())


def _remove_furniture(lines: list[str], keep, warnings: list[str], origins: list[int] | None,
                      breaks: set[int]) -> tuple[list[str], list[int] | None]:
    """Drop page numbers and repeated short lines (step 1 of :func:`clean_text`) and the page ``breaks``;
    ``origins`` (if given) holds each line's input line and is returned for the lines that stay."""
    keys = [_furniture_key(line, keep) for line in lines]
    counts = Counter(key for key in keys if key is not None)
    repeated = {key for key, n in counts.items() if n >= _MIN_REPEATS}
    page_number = [bool(_PAGE_NUMBER.fullmatch(line.strip())) for line in lines]
    # a running header stands apart: blank lines, the document's edges, page numbers or
    # other repeated lines around it, never lines of running text
    apart = [not line.strip() or page_number[i] or keys[i] in repeated for i, line in enumerate(lines)]
    removed = [
        page_number[i] or i in breaks
        or (keys[i] in repeated and (i == 0 or apart[i - 1]) and (i + 1 == len(lines) or apart[i + 1]))
        for i in range(len(lines))
    ]
    if not any(removed):
        return lines, origins
    out: list[str] = []
    kept: list[int] = []                        # the indexes of the lines in out (-1: a blank put in)
    i = 0
    while i < len(lines):
        if lines[i].strip() and not removed[i]:
            out.append(lines[i])
            kept.append(i)
            i += 1
            continue
        j = i                                   # a run of blank and removed lines
        while j < len(lines) and (removed[j] or not lines[j].strip()):
            j += 1
        if not any(removed[i:j]):
            out.extend(lines[i:j])
            kept.extend(range(i, j))
        elif out and j < len(lines) and not _continues_sentence(out[-1], lines[j]):
            out.append("")
            kept.append(-1)
        i = j
    _furniture_warnings(lines, keys, [gone and i not in breaks for i, gone in enumerate(removed)], repeated,
                        warnings)
    return out, None if origins is None else [origins[k] if k >= 0 else -1 for k in kept]


def _continues_sentence(before: str, after: str) -> bool:
    """True when ``after`` continues the sentence that ``before`` leaves open."""
    return not before.rstrip().endswith(_SENTENCE_END) and after.lstrip()[:1].islower()


def _furniture_warnings(lines, keys, removed, repeated, warnings: list[str]) -> None:
    """Describe the removed headers/footers (with examples) and page numbers."""
    headers = Counter(keys[i] for i, gone in enumerate(removed) if gone and keys[i] in repeated)
    first_seen = {}
    for line, key in zip(lines, keys):
        first_seen.setdefault(key, line.strip())
    n_headers = sum(headers.values())
    if n_headers:
        examples = ", ".join(f'"{first_seen[key]}" ×{n}' for key, n in headers.most_common(3))
        more = f" and {len(headers) - 3} more" if len(headers) > 3 else ""
        warnings.append(f"removed {n_headers} repeated header/footer lines: {examples}{more}")
    n_pages = sum(removed) - n_headers
    if n_pages:
        warnings.append(f"removed {n_pages} page-number lines")


def _join_wrapped(lines: list[str], keep, warnings: list[str],
                  origins: list[int] | None) -> tuple[list[str], dict[int, int]]:
    """Rejoin hyphenated words and hard-wrapped lines (steps 2 and 3 of :func:`clean_text`); with
    ``origins`` (each line's input line), also where each input line's text begins in the output."""
    out: list[str] = []
    paragraph: list[str] = []      # pieces of the line being built, joined once at the end
    starts: dict[int, int] = {}    # input line -> offset of its text in "\n".join(out)
    done = length = 0              # characters in the lines out so far (with their "\n"); in paragraph
    hyphens = wraps = 0
    for n, raw in enumerate(lines):
        line = raw.rstrip()
        following = line.lstrip()
        if paragraph and following[:1].islower() and not keep(line):
            last = paragraph[-1]
            broken = _HYPHENATED.search(last)
            if broken and broken.group(1).isupper() and len(broken.group(1)) > 1:
                piece = following                            # SE-coach
            elif broken and following.split(" ", 1)[0] in _SUSPENDED_HYPHEN_NEXT:
                piece = " " + following                      # arbetsgivar- och
            elif broken:
                paragraph[-1] = last[:-1]
                length -= 1
                piece = following                            # hand-lar -> handlar
                hyphens += 1
            else:
                piece = " " + following
            if origins is not None and origins[n] >= 0:
                starts[origins[n]] = done + length + len(piece) - len(following)
            paragraph.append(piece)
            length += len(piece)
            wraps += 1
            continue
        if paragraph:
            out.append("".join(paragraph))
            done += length + 1
        paragraph = [line] if line else []
        length = len(line)
        if origins is not None and origins[n] >= 0 and line:
            starts[origins[n]] = done + len(line) - len(following)
        if not line:
            out.append("")
            done += 1
    if paragraph:
        out.append("".join(paragraph))
    if hyphens:
        warnings.append(f"rejoined {hyphens} words hyphenated across line breaks")
    if wraps:
        warnings.append(f"joined {wraps} hard-wrapped lines to the line above")
    return out, starts
