"""Read transcript files (.txt .md .docx .vtt .srt .csv .pdf) into plain text and speaker turns.

The result, :class:`ParsedTranscript`, holds the whole document as plain text and the
speaker turns as character offsets into it. Nothing here touches the database or
splits text into sentences; other modules do that.

Speaker labels in .txt, .md and .docx
-------------------------------------
A line starting with a speaker label starts a new turn; the lines after it that
start with no label continue the turn, blank lines included. Recognised label
forms (``Name`` stands for the label)::

    Name: text                 Intervjuare:  I:  IP:  Int:  SE-coach:  Chef 2:  Anna Svensson:
    **Name:** text             **Name**: text   (Markdown bold or italic)
    [00:01:23] Name: text      (00:01:23) Name: text     00:01:23 Name: text
    Name [00:01:23]: text      Name (00:01:23): text
    Name 0:03                  00:00:03 Name    (a line of its own, as Teams and Word
                                                 transcripts write it; the text follows
                                                 on the next lines)

The time goes to ``Turn.t_start`` (hh:mm:ss, h:mm:ss or mm:ss, optionally with
.ms or ,ms). The colon must be followed by a space or the end of the line, so
"kl. 10:30", "AME:s" and "https://" are not labels. Which text before the colon
counts as a speaker (the guard against false positives such as
"Det här är viktigt: vi måste ..."):

* at most 4 words and 40 characters, the first starting with a letter or digit;
* every word after the first starts with a capital or a digit ("Chef 2",
  "Handläggare AF", "Anna Svensson"; not "Chefen menade");
* and then either the first word is a known role word (Intervjuare, I, IP, Int,
  R, Respondent, Moderator, Deltagare, Chef, SE-coach, Handläggare, Talare, ...,
  in any case and with a number glued on: "IP2", "r1"; the one-letter roles
  I, R, P, Q and A only stand alone),
* or it is a name: at most 3 words, the first capitalised, not a word that
  heads metadata lines ("Datum:", "Plats:", "Syfte:", "Obs:" ...), and either a
  time stamp before it ("[00:01:23] Anna:") or the same label starting at least
  two lines of the document. A capitalised word used once before a colon
  ("Viktigt: vi måste ...") is therefore text, not a speaker. Name-and-time
  lines ("Bertil 0:15") count as time-stamped once the document has two of them.

A .pdf file is read from its text layer page by page (see :mod:`coding.pdf`); its
pages are joined with a blank line between them, speaker labels work as in .txt,
and each turn knows the pages it runs over (``Turn.pages``), so each segment
gets the page it starts on.

Text before the first label (a header such as "Intervju med SE-coach, Aneby,
2013-10-02") is a turn with speaker None. The stored text keeps the labels; a
turn points at the utterance after "Label: ", without surrounding whitespace.

Subtitles (.vtt, .srt) and tables (.csv)
----------------------------------------
Each cue gives its text, times and speaker: the voice tag (``<v Anna>``,
``<v.loud Anna Svensson>``) or else a "Name: " prefix as above. Consecutive
cues of the same (known) speaker are merged into one turn that keeps the start
of the first and the end of the last cue; cues without a speaker stay one turn
each. The stored text has one line per cue, the speaker's label on the first
line of each turn only ("Anna: first cue\\nsecond cue"), so it reads like a .txt
transcript. Markup tags are removed and entities (``&amp;``) decoded.

A .csv file has a header row and one row per turn, see :func:`_read_csv`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import os
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

from .errors import ImportProblem
from .speakers import Turn, _LABEL_LINE, _candidate, _is_speaker, _starts_with_label, parse_time, split_turns  # noqa: F401  (Turn, split_turns, parse_time: public here too)
from .textclean import clean_pages, clean_text, decode_text, join_pages, normalise_newlines, remove_controls

__all__ = [
    "Turn", "ParsedTranscript", "Reader", "READERS", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES",
    "read_transcript", "read_transcript_bytes", "decode_text", "clean_document_text",
    "split_turns", "parse_time", "readers", "register_reader", "supported_suffixes",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_HINTS = {
    ".doc": "open it in Word and save it as .docx",
    ".rtf": "open it in Word and save it as .docx",
    ".odt": "save it as .docx or .txt",
    ".xlsx": "save the sheet as .csv (one row per turn)",
}


@dataclass
class ParsedTranscript:
    """A transcript as plain text (``\\n`` line endings) plus its speaker turns."""

    name: str
    text: str
    turns: list[Turn]
    format: str
    encoding: str | None
    sha256: str
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the registry of readers

@dataclass(frozen=True)
class Reader:
    """One transcript format: the file suffixes it reads, how, and a line for help texts.

    ``read(data, fmt, where, clean, warnings)`` gets the file's bytes, the
    suffix without its dot, the file's name for messages, the ``clean`` flag
    and a list to append warnings to; it returns ``(text, turns, encoding)``
    and raises :class:`ImportProblem` for a bad file.
    """

    suffixes: tuple[str, ...]
    read: Callable[[bytes, str, str, bool, list[str]], tuple[str, list, str | None]]
    description: str


#: suffix (".txt") -> reader; :func:`register_reader` adds to it
READERS: dict[str, Reader] = {}


def register_reader(reader: Reader) -> Reader:
    """Add a transcript format: ``qcode import``, the app's upload box and :func:`read_transcript` accept it."""
    for suffix in reader.suffixes:
        if not suffix.startswith(".") or suffix != suffix.lower():
            raise ValueError(f"a suffix is lower case and starts with a dot: {suffix!r}")
        READERS[suffix] = reader
    return reader


def readers() -> list[Reader]:
    """Every registered reader once, in registry order."""
    return list(dict.fromkeys(READERS.values()))


def supported_suffixes() -> tuple[str, ...]:
    """The suffixes qcode reads, e.g. ``(".txt", ".md", ...)``."""
    return tuple(READERS)


# --------------------------------------------------------------------------- entry points

def read_transcript(path, *, clean=False, max_bytes=DEFAULT_MAX_BYTES, name=None) -> ParsedTranscript:
    """Read a transcript file; the suffix of ``path`` picks the format.

    ``clean=True`` runs :func:`clean_document_text` on .txt/.md/.docx/.pdf (reports,
    workshop notes, OCR'd documents; what it removed goes to ``warnings``).
    Files larger than ``max_bytes`` are refused before they are read
    (``max_bytes=None``: no limit). ``name`` replaces the stored file name.
    Every problem with the input raises :class:`ImportProblem` naming the file.

    >>> p = read_transcript("transcripts/aneby_chef.txt")  # a demo interview
    >>> p.format, p.encoding, p.turns[1].speaker, p.text[p.turns[1].start:p.turns[1].end][:40]
    ('txt', 'utf-8', 'Intervjuare', 'Kan du börja med att berätta om din roll')
    """
    path = Path(path)
    where = str(path)
    suffix = _suffix(path.name, where)
    try:
        if path.is_dir():
            raise ImportProblem("is a folder, not a file", path=where)
        _check_size(path.stat().st_size, max_bytes, where)
        with path.open("rb") as f:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except FileNotFoundError:
        raise ImportProblem("file not found", path=where) from None
    except OSError as err:
        raise ImportProblem(f"cannot read the file ({err.strerror or err})", path=where) from None
    _check_size(len(data), max_bytes, where)      # the file grew after stat()
    return _parse(data, name or path.name, suffix, clean, where)


def read_transcript_bytes(data: bytes, name: str, *, clean=False, max_bytes=DEFAULT_MAX_BYTES) -> ParsedTranscript:
    """Like :func:`read_transcript` for bytes already in memory (uploads); ``name``'s suffix picks the format."""
    base = os.path.basename(name)
    suffix = _suffix(base, name)
    _check_size(len(data), max_bytes, name)
    return _parse(data, base, suffix, clean, name)


def clean_document_text(text: str) -> str:
    """Remove page furniture and undo hard wrapping and hyphenation (see :func:`coding.textclean.clean_text`).

    Lines starting with a speaker label are kept as they are.

    >>> clean_document_text("Ett problem hand-\\nlar ofta om\\natt hitta rätt.")
    'Ett problem handlar ofta om att hitta rätt.'
    """
    return clean_text(text, keep=_starts_with_label)[0]


def _suffix(filename: str, where: str) -> str:
    """The lower-cased suffix of ``filename``; raise for unsupported types."""
    suffix = os.path.splitext(filename)[1].lower()
    if suffix not in READERS:
        hint = f"; {_HINTS[suffix]}" if suffix in _HINTS else ""
        kind = f"'{suffix}'" if suffix else "without a suffix"
        raise ImportProblem(
            f"unsupported file type {kind}: qcode reads {', '.join(READERS)}{hint}", path=where)
    return suffix


def _check_size(size: int, max_bytes: int | None, where: str) -> None:
    """Refuse files larger than ``max_bytes`` with a message on how to raise the limit."""
    if max_bytes is not None and size > max_bytes:
        raise ImportProblem(
            f"the file is {_human_size(size)}, larger than the import limit of {_human_size(max_bytes)}; "
            "raise the limit with --max-size (in MB; max_bytes= in Python) or split the file", path=where)


def _human_size(n: int) -> str:
    """1536 -> '1.5 KB'; sizes below 1 KB in bytes."""
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 ** 2:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 ** 2:.1f} MB"


def _parse(data: bytes, name: str, suffix: str, clean: bool, where: str) -> ParsedTranscript:
    """Read with the suffix's registered reader and fill in the common fields."""
    fmt = suffix[1:]
    warnings: list[str] = []
    text, turns, encoding = READERS[suffix].read(data, fmt, where, clean, warnings)
    if not turns:
        raise ImportProblem("the file is empty (no text found)", path=where)
    return ParsedTranscript(name=name, text=text, turns=turns, format=fmt, encoding=encoding,
                            sha256=hashlib.sha256(data).hexdigest(), warnings=warnings)


# --------------------------------------------------------------------------- .docx

def _read_docx(data: bytes, where: str, tables: list | None = None) -> str:
    """Plain text of a Word document: paragraphs and table rows in document order.

    Each paragraph is one line (empty paragraphs give blank lines; line breaks
    inside a paragraph stay line breaks); each table row is one line with its
    cells joined by " | " (a cell merged over several columns counts once).
    Headers, footers, footnotes and text boxes are left out.
    """
    import docx                      # python-docx; imported here to keep `import coding` light

    _check_unpacked_size(data, where)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:        # zip, XML and package errors of every kind
        raise ImportProblem(f"is not a valid .docx file ({_docx_reason(data, err)})", path=where) from None
    parts: list[str] = []
    at = 0
    for block in document.iter_inner_content():
        rows = _table_lines(block) if hasattr(block, "rows") else [block.text]
        start = at
        for row in rows:
            row = remove_controls(normalise_newlines(row))
            parts.append(row)
            at += len(row) + 1
        if hasattr(block, "rows") and tables is not None and rows:
            tables.append((start, at - 1))  # where the table's rows stand in the text
    return "\n".join(parts)


MAX_DOCX_XML_BYTES = 64 * 1024 * 1024     # one XML part of a .docx, unpacked (a 300-page report has ~5 MB)
MAX_DOCX_UNPACKED_BYTES = 512 * 1024 * 1024  # everything in a .docx, unpacked (pictures included)


def _check_unpacked_size(data: bytes, where: str) -> None:
    """Refuse a .docx whose parts unpack to more than the limits (a "zip bomb" of a few hundred KB
    can hold gigabytes of XML), before any of it is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # python-docx reports what is wrong with it
    total = sum(p.file_size for p in parts)
    xml = max((p.file_size for p in parts if p.filename.endswith((".xml", ".rels"))), default=0)
    if xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_UNPACKED_BYTES:
        raise ImportProblem(
            f"unpacks to {_human_size(total)} ({_human_size(xml)} of XML in one part; limits "
            f"{_human_size(MAX_DOCX_XML_BYTES)} and {_human_size(MAX_DOCX_UNPACKED_BYTES)}): "
            "that is no ordinary Word document", path=where)


def _docx_reason(data: bytes, err: Exception) -> str:
    """A short, human explanation of why python-docx could not open the bytes."""
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            return "it is an old binary Word .doc file; save it as .docx in Word"
        return "not a zip archive; a .docx file is one"
    if isinstance(err, zipfile.BadZipFile):
        return f"damaged or truncated zip archive: {err}"
    message = str(err)
    kind = re.search(r"content type is '[^']*\.(\w+)\.main\+xml'", message)
    if kind:  # another Office document renamed .docx
        what = {"sheet": "an Excel workbook", "presentation": "a PowerPoint presentation"}.get(kind.group(1),
                                                                                              "another Office file")
        return f"it is {what}, not a Word document"
    if isinstance(err, KeyError) and "[Content_Types].xml" in message:
        return "a zip archive, but not an Office document"
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def _table_lines(table) -> list[str]:
    """One line per table row, cells joined by " | "."""
    lines = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:      # merged over columns
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        lines.append(" | ".join(cells))
    return lines


# --------------------------------------------------------------------------- rows and cues

class _Piece(NamedTuple):
    """One CSV row or one voice of a cue, before the stored text is built."""

    speaker: str | None
    text: str
    t_start: float | None
    t_end: float | None


def _assemble(pieces: list[_Piece], merge: bool) -> tuple[str, list[Turn]]:
    """Stored text and turns from pieces: "Speaker: text" lines, one per piece.

    With ``merge``, a piece with the same (not None) speaker as the one before
    continues its turn on a new line without repeating the label.
    """
    parts: list[str] = []
    turns: list[Turn] = []
    length = 0
    for piece in pieces:
        if parts:
            parts.append("\n")
            length += 1
        last = turns[-1] if turns else None
        if merge and last and piece.speaker is not None and piece.speaker == last.speaker:
            last.end = length + len(piece.text)
            last.t_end = piece.t_end
            last.cues.append((length, piece.t_start, piece.t_end))
        else:
            if piece.speaker is not None:
                prefix = piece.speaker + ": "
                parts.append(prefix)
                length += len(prefix)
            turns.append(Turn(length, length + len(piece.text), piece.speaker, piece.t_start, piece.t_end,
                              [(length, piece.t_start, piece.t_end)]))
        parts.append(piece.text)
        length += len(piece.text)
    return "".join(parts), turns


# --------------------------------------------------------------------------- .csv

_CSV_COLUMNS = {
    "speaker": ("speaker", "talare", "namn", "name"),
    "text": ("text", "utterance", "yttrande", "transcript"),
    "start": ("start", "time", "tid", "timestamp", "starttid", "starttime", "begin"),
    "end": ("end", "slut", "sluttid", "endtime", "stop"),
}


def _read_csv(text: str, fmt: str, where: str, warnings: list[str]) -> tuple[str, list[Turn]]:
    """Turns from a table with a header row and one row per turn.

    Columns are found by name, case-insensitively: speaker (speaker, talare,
    namn, name), text (text, utterance, yttrande, transcript; required), start
    (start, time, tid, timestamp) and end (end, slut). The delimiter is the one
    of comma, semicolon and tab that occurs most in the header line. Times are
    hh:mm:ss, mm:ss or seconds. Rows with empty text are skipped. The stored text
    is one "Speaker: text" line per row.
    """
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    pieces, skipped, line = [], 0, 1
    try:
        columns = _csv_columns(next(reader), where)
        line = reader.line_num + 1
        for row in reader:
            cells = {key: row[i].strip() if i < len(row) else "" for key, i in columns.items()}
            if cells["text"]:
                pieces.append(_Piece(cells.get("speaker") or None, cells["text"],
                                     _csv_time(cells.get("start"), "start", where, line),
                                     _csv_time(cells.get("end"), "end", where, line)))
            elif any(c.strip() for c in row):
                skipped += 1
            line = reader.line_num + 1
    except csv.Error as err:
        raise ImportProblem(f"malformed CSV ({err}); check the quotes in the row starting here",
                            path=where, line=line) from None
    if skipped:
        warnings.append(f"skipped {skipped} rows with an empty text column")
    return _assemble(pieces, merge=False)


def _csv_columns(header: list[str], where: str) -> dict[str, int]:
    """Map speaker/text/start/end to column indexes; raise if there is no text column."""
    found = {}
    for index, title in enumerate(header):
        key = re.sub(r"[\W_]+", "", title.replace("\ufeff", "")).casefold()
        for role, names in _CSV_COLUMNS.items():
            if key in names and role not in found:
                found[role] = index
    if "text" not in found:
        shown = ", ".join(repr(h) for h in header) or "none"
        raise ImportProblem(
            f"no text column in the header row (found columns: {shown}); expected a column named "
            f"{' / '.join(_CSV_COLUMNS['text'])}, optionally {' / '.join(_CSV_COLUMNS['speaker'])} for the "
            f"speaker and {' / '.join(_CSV_COLUMNS['start'][:4])} and end for times", path=where, line=1)
    return found


def _csv_time(value: str, column: str, where: str, line: int) -> float | None:
    """Seconds from a time cell ("" gives None); raise naming the line if unreadable."""
    if not value:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise ImportProblem(f"cannot read the {column} time {value!r} (expected hh:mm:ss, mm:ss or seconds)",
                            path=where, line=line) from None


# --------------------------------------------------------------------------- .vtt and .srt

_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^>]*)>")


def _read_captions(text: str, fmt: str, where: str, warnings: list[str]) -> tuple[str, list[Turn]]:
    """Turns from WebVTT or SubRip subtitles, read with webvtt-py (see the module docstring)."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    _check_cues(text, fmt, where)
    try:
        captions = webvtt.from_buffer(io.StringIO(text.lstrip()), format=fmt).captions
    except MalformedFileError:
        expected = ("start with the line WEBVTT" if fmt == "vtt"
                    else "start with cue number 1 and a 'start --> end' line")
        raise ImportProblem(f"is not a valid .{fmt} file (it must {expected})", path=where, line=1) from None
    except MalformedCaptionError as err:           # not expected after _check_cues
        raise ImportProblem(f"broken cue: {err}", path=where) from None
    pieces = [piece for caption in captions for piece in _caption_pieces(caption)]
    return _assemble(_speakers_from_prefixes(pieces), merge=True)


def _check_cues(text: str, fmt: str, where: str) -> None:
    """Raise, naming the line, for a cue whose timings are broken or text outside any cue.

    webvtt-py drops such cues silently (or, in strict mode, raises without a
    line number), which would lose transcript text without a word.
    """
    from webvtt.models import Timestamp
    from webvtt.errors import MalformedCaptionError
    from webvtt.srt import SRTCueBlock
    from webvtt.vtt import WebVTTCueBlock

    pattern = (WebVTTCueBlock if fmt == "vtt" else SRTCueBlock).CUE_TIMINGS_PATTERN
    block_start, block = 0, []
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" in line:
            m = pattern.match(line)
            try:
                if not m:
                    raise MalformedCaptionError
                start, end = (Timestamp.from_string(t.replace(",", ".")) for t in m.groups())
            except MalformedCaptionError:
                raise ImportProblem(f"broken cue timing {line.strip()!r} (expected hh:mm:ss.mmm --> hh:mm:ss.mmm)",
                                    path=where, line=number) from None
            if end < start:
                raise ImportProblem(f"cue ends before it starts: {line.strip()!r}", path=where, line=number)
        if fmt == "vtt":                 # as in webvtt-py, only an empty line ends a block
            if line:
                block_start, block = block_start or number, block + [line]
            else:
                _check_vtt_block(block, block_start, where)
                block_start, block = 0, []
    if fmt == "vtt":
        _check_vtt_block(block, block_start, where)


def _check_vtt_block(block: list[str], line: int, where: str) -> None:
    """Raise for a VTT block that is neither header, cue, NOTE, STYLE nor REGION."""
    if not block or block[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION")):
        return
    if "-->" in block[0] or (len(block) > 1 and "-->" in block[1]):
        return
    raise ImportProblem(f"text outside any cue (no 'start --> end' line before it): {block[0].strip()[:60]!r}; "
                        "a blank line inside a cue ends the cue", path=where, line=line)


def _caption_pieces(caption) -> list[_Piece]:
    """A cue's text as (voice, text) pieces: a new piece wherever a line opens another voice."""
    t0, t1 = caption.start_time.in_milliseconds() / 1000, caption.end_time.in_milliseconds() / 1000
    pieces: list[_Piece] = []
    voice = None
    for raw, plain in zip(caption.lines, caption.text.split("\n")):
        m = _VOICE.search(raw)
        if m and m.group(1).strip():
            voice = " ".join(m.group(1).split())
        plain = " ".join(html.unescape(plain).split())
        if not plain:
            continue
        if pieces and pieces[-1].speaker == voice:
            pieces[-1] = pieces[-1]._replace(text=pieces[-1].text + " " + plain)
        else:
            pieces.append(_Piece(voice, plain, t0, t1))
    return pieces


def _speakers_from_prefixes(pieces: list[_Piece]) -> list[_Piece]:
    """Give cues without a voice tag the speaker of a "Name: " prefix, removing the prefix."""
    found = {}
    for i, piece in enumerate(pieces):
        if piece.speaker is None:
            m = _LABEL_LINE.match(piece.text)
            if m and m.group("label"):
                found[i] = _candidate(m)
    counts = Counter(c.label for c in found.values())
    out = list(pieces)
    for i, c in found.items():
        rest = pieces[i].text[c.text_start:].strip()
        if rest and _is_speaker(c.label, counts[c.label], c.stamped):
            out[i] = pieces[i]._replace(speaker=c.label, text=rest)
    return out


# --------------------------------------------------------------------------- the built-in readers

def _document_turns(text: str, clean: bool, warnings: list[str]) -> tuple[str, list[Turn]]:
    """A document's text (optionally cleaned) and its turns from the speaker labels."""
    if clean:
        text, cleaned = clean_text(text, keep=_starts_with_label)
        warnings.extend(cleaned)
    return text, split_turns(text)


def _read_text_document(data: bytes, fmt: str, where: str, clean: bool, warnings: list[str]):
    text, encoding = decode_text(data, where)
    return (*_document_turns(text, clean, warnings), encoding)


def _read_word_document(data: bytes, fmt: str, where: str, clean: bool, warnings: list[str]):
    tables: list[tuple[int, int]] = []
    text, turns = _document_turns(_read_docx(data, where, tables), clean, warnings)
    if tables and not clean:
        turns = _tables_said_by_nobody(text, turns, tables)
    return text, turns, None


def _tables_said_by_nobody(text: str, turns: list[Turn], tables: list[tuple[int, int]]) -> list[Turn]:
    """A Word table inside an interview (a schedule, a list of contacts) is no speaker's words: its rows
    become turns without a speaker instead of continuing the turn of whoever spoke last."""
    out: list[Turn] = []
    for turn in turns:
        pieces, start = [], turn.start
        for a, b in tables:
            if b <= start or a >= turn.end:
                continue
            if a > start:
                pieces.append((start, a, turn.speaker))
            pieces.append((max(a, start), min(b, turn.end), None))
            start = min(b, turn.end)
        if start < turn.end:
            pieces.append((start, turn.end, turn.speaker))
        for a, b, speaker in pieces:
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append(Turn(a, b, speaker, turn.t_start if speaker else None, turn.t_end if speaker else None))
    return out


def _read_pdf_document(data: bytes, fmt: str, where: str, clean: bool, warnings: list[str]):
    """A PDF's text layer, page by page (:func:`coding.pdf.pdf_pages`), cleaned like a .txt with ``clean``;
    every turn knows where its pages start."""
    from .pdf import pdf_pages

    pages = pdf_pages(data, where, warnings)
    if clean:
        text, starts, cleaned = clean_pages(pages, keep=_starts_with_label)
        warnings.extend(cleaned)
    else:
        text, starts = join_pages(pages)
    turns = split_turns(text)
    for turn in turns:
        first = max(0, bisect_right(starts, turn.start) - 1)           # index of the page the turn starts on
        last = bisect_left(starts, turn.end, lo=first + 1)             # pages starting before the turn ends
        turn.pages = [(turn.start, first + 1)] + [(starts[i], i + 1) for i in range(first + 1, last)]
    return text, turns, None


def _rows_reader(parse):
    """A reader for formats of rows or cues: decoded text in, turns from ``parse``; nothing to clean."""
    def read(data: bytes, fmt: str, where: str, clean: bool, warnings: list[str]):
        text, encoding = decode_text(data, where)
        if clean:
            warnings.append(f"clean ignored: .{fmt} files have no pages to clean")
        return (*parse(text, fmt, where, warnings), encoding)
    return read


for _reader in (
    Reader((".txt", ".md"), _read_text_document, "plain text or Markdown, speaker labels such as 'Name: text'"),
    Reader((".docx",), _read_word_document, "Word document, speaker labels as in .txt"),
    Reader((".vtt", ".srt"), _rows_reader(_read_captions), "subtitles (WebVTT, SubRip): cues with voices and times"),
    Reader((".csv",), _rows_reader(_read_csv), "table with a header row, one row per turn (speaker, text, start)"),
    Reader((".pdf",), _read_pdf_document, "PDF with a text layer (reports; scanned pages need OCR first), "
                                          "speaker labels as in .txt, each segment with its page"),
):
    register_reader(_reader)
del _reader

#: the suffixes of the built-in readers (the registry :data:`READERS` may hold more: see :func:`supported_suffixes`)
SUPPORTED_SUFFIXES = supported_suffixes()
