"""The text layer of a PDF file, page by page (pypdf), within limits: for :mod:`coding.importers`.

Evaluation material often arrives as PDF reports. :func:`pdf_pages` reads the
text each page carries (the text layer; a scanned page has none and needs OCR
first) in the order the file draws it, which for reports made with Word or
InDesign is the reading order, columns one after the other. pypdf's "layout"
mode was measured against this on reports and on two-column pages: it gives the
same words on one-column pages but interleaves the lines of two columns, so
plain extraction is used, and the vertical gaps between lines (which plain
extraction drops) come back as blank lines: a gap clearly wider than the page's
usual line spacing is a paragraph break. Running headers, page numbers and
hyphenation are left for :func:`coding.textclean.clean_pages` (``--clean``).

Hostile or broken files raise :class:`~coding.errors.ImportProblem` naming the
file: not a PDF, damaged or truncated, protected with a password, no text
layer, more than :data:`MAX_PAGES` pages or :data:`MAX_CHARS` characters of
text, a page holding more than :data:`MAX_PAGE_CONTENT_BYTES` of drawing
instructions, or reading for longer than :data:`MAX_SECONDS` (checked while a
page is read, except while pypdf splits one page's instructions into
operations: at most some 30 seconds for the largest page allowed). pypdf's own
warnings about repaired files go to the ``pypdf`` logger (not to the terminal)
and are summed up in one warning of the import.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from typing import NamedTuple

from .errors import ImportProblem
from .textclean import one_line, remove_controls

MAX_PAGES = 3_000                        # a long evaluation report has 300
MAX_CHARS = 20_000_000                   # characters of text in all (a 300-page report has about 1 million)
MAX_PAGE_CONTENT_BYTES = 16 * 1024 ** 2  # drawing instructions of one page, unpacked (a text page has ~50 KB)
MAX_SECONDS = 120.0                      # reading the text of every page (pypdf reads about 1 MB in 2 s)

_PARAGRAPH_GAP = 1.4        # a step down this many times the usual line spacing is a paragraph break
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
_SOFT_HYPHEN_AT_END = re.compile("\u00ad[ \t]*$", re.MULTILINE)


def pdf_pages(data: bytes, where: str, warnings: list[str] | None = None) -> list[str]:
    """The text of each page of a PDF file (``data``), lines separated by ``\\n``.

    ``where`` names the file in messages; notes (pages without text, repairs)
    are appended to ``warnings``. Raises :class:`ImportProblem` for a file that
    is not a readable PDF with a text layer, or that exceeds the limits above.

    >>> from pypdf import PdfWriter
    >>> blank = io.BytesIO()
    >>> writer = PdfWriter()
    >>> _ = writer.add_blank_page(595, 842)
    >>> _ = writer.write(blank)
    >>> pdf_pages(blank.getvalue(), "tom.pdf")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    coding.errors.ImportProblem: tom.pdf: has no text layer; run OCR first (for example ocrmypdf) and import ...
    """
    if b"%PDF-" not in data[:1024]:
        raise ImportProblem("is not a PDF file (a PDF starts with %PDF-)", path=where)
    notes = warnings if warnings is not None else []
    with _PypdfLog() as log:
        pages, empty = _read(data, where)
    if not any(page.strip() for page in pages):
        n = len(pages)
        raise ImportProblem("has no text layer; run OCR first (for example ocrmypdf) and import the result "
                            f"(its {n} page{'s' * (n != 1)} hold{'s' * (n == 1)} only images or nothing)", path=where)
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (f" and {len(empty) - 10} more" if len(empty) > 10 else "")
        notes.append(f"no text on page{'s' * (len(empty) > 1)} {shown}: images only (scanned?); "
                     "run OCR on the file first if those pages hold text")
    if log.messages:
        notes.append(f"the PDF is damaged in places; pypdf repaired {len(log.messages)} problem"
                     f"{'s' * (len(log.messages) > 1)} (first: {log.messages[0]}); check the text")
    return pages


def _read(data: bytes, where: str) -> tuple[list[str], list[int]]:
    """The text of every page and the numbers of the pages that have images but no text."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("a password is needed")
        n_pages = len(reader.pages)
    except (DependencyError, NotImplementedError) as err:
        raise ImportProblem(f"is encrypted in a way qcode cannot read ({err}); save an unprotected copy",
                            path=where) from None
    except FileNotDecryptedError:
        raise ImportProblem("is protected with a password; save a copy without the password "
                            "(in the PDF reader: print to PDF) and import that", path=where) from None
    except Exception as err:    # pypdf raises many kinds for broken files
        raise ImportProblem(f"is not a readable PDF file (damaged or truncated: {_reason(err)})",
                            path=where) from None
    if n_pages > MAX_PAGES:
        raise ImportProblem(f"has {n_pages} pages, more than the limit of {MAX_PAGES}; split it into parts",
                            path=where)
    deadline = time.monotonic() + MAX_SECONDS
    pages: list[_Page] = []
    empty: list[int] = []
    total = 0
    for number in range(1, n_pages + 1):
        try:
            page = reader.pages[number - 1]
            _check_content_size(page, number, where)
            lines = _page_lines(page, deadline)
            if time.monotonic() > deadline:
                raise _OutOfTime
            if not any(line.strip() for line in lines.text) and _has_images(page):
                empty.append(number)
        except ImportProblem:
            raise
        except _OutOfTime:
            raise ImportProblem(f"reading its text took more than {MAX_SECONDS:g} seconds (stopped at page "
                                f"{number} of {n_pages}); that is no ordinary report", path=where) from None
        except Exception as err:
            raise ImportProblem(f"page {number} cannot be read ({_reason(err)})", path=where) from None
        total += sum(len(line) for line in lines.text)
        if total > MAX_CHARS:
            raise ImportProblem(f"holds more than {MAX_CHARS:,} characters of text (limit reached on page "
                                f"{number}); split it into parts", path=where)
        pages.append(lines)
    usual = _usual_spacing(pages)
    return [_page_text(page, usual) for page in pages], empty


def _reason(err: BaseException) -> str:
    """A short explanation of an exception for a message."""
    message = one_line(str(err))[:200]
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def _check_content_size(page, number: int, where: str) -> None:
    """Refuse a page whose drawing instructions unpack beyond :data:`MAX_PAGE_CONTENT_BYTES` (a few KB of
    compressed zeros can unpack to gigabytes; pypdf itself stops each stream at 75 MB)."""
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    if size > MAX_PAGE_CONTENT_BYTES:
        raise ImportProblem(f"page {number} unpacks to {size / 1024 ** 2:.0f} MB of drawing instructions (limit "
                            f"{MAX_PAGE_CONTENT_BYTES // 1024 ** 2} MB): that is no ordinary report page", path=where)


def _has_images(page) -> bool:
    """True when the page draws pictures (a scanned page), without unpacking them."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        return xobjects is not None and any(x.get_object().get("/Subtype") == "/Image"
                                            for x in xobjects.get_object().values())
    except Exception:           # only for a note: a broken resource dictionary is no reason to refuse the file
        return False


class _Page(NamedTuple):
    """One page's lines of text as pypdf gives them, and the step down the page before each line that
    has one (line number -> (step, font size of the line), both in points)."""

    text: list[str]
    steps: dict[int, tuple[float, float]]


class _OutOfTime(Exception):
    """Reading the text went past the deadline (raised from inside pypdf's extraction)."""


def _page_lines(page, deadline: float) -> _Page:
    """One page's lines in the order the file draws them, with the vertical step before each line;
    :class:`_OutOfTime` once the clock passes ``deadline`` (checked every 200 drawing instructions)."""
    fragments: list[str] = []
    first: dict[int, tuple[float, float]] = {}      # line -> height on the page and font size of its first text
    newlines = 0
    operators = 0

    def clock(operator, operands, cm, tm):
        nonlocal operators
        operators += 1
        if operators % 200 == 0 and time.monotonic() > deadline:
            raise _OutOfTime

    def visit(text, cm, tm, font, size):
        nonlocal newlines
        fragments.append(text)
        visible = len(text) - len(text.lstrip())
        if visible < len(text):
            line = newlines + text.count("\n", 0, visible)
            first.setdefault(line, (tm[4] * cm[1] + tm[5] * cm[3] + cm[5], abs(size * tm[3] * cm[3])))
        newlines += text.count("\n")

    page.extract_text(extraction_mode="plain", visitor_text=visit, visitor_operand_before=clock)
    lines = "".join(fragments).split("\n")
    steps = {n: (first[n - 1][0] - first[n][0], first[n][1]) for n in range(1, len(lines))
             if n in first and n - 1 in first}
    return _Page(lines, steps)


def _usual_spacing(pages: list[_Page]) -> float:
    """The document's usual line spacing relative to the font size: the lower quartile of the steps
    down a page (paragraph breaks and headings make fewer than a quarter of them; the small steps of
    sub- and superscripts and the steps up to a new column are left out); 0 if unknown."""
    ratios = sorted(step / size for page in pages for step, size in page.steps.values() if size and step > 0.6 * size)
    return ratios[len(ratios) // 4] if ratios else 0.0


def _page_text(page: _Page, usual: float) -> str:
    """A page's text, a blank line where the step down to a line is clearly wider than the usual line
    spacing (a paragraph break), white space at line ends removed, ligatures and soft hyphens undone."""
    out: list[str] = []
    for n, line in enumerate(page.text):
        step, size = page.steps.get(n, (0.0, 0.0))
        if usual and size and step > _PARAGRAPH_GAP * usual * size and out and out[-1].strip():
            out.append("")
        out.append(line.rstrip())
    text = remove_controls("\n".join(out)).translate(_LIGATURES)
    return _SOFT_HYPHEN_AT_END.sub("-", text).replace("\u00ad", "")


class _PypdfLog(logging.Handler):
    """While a PDF is read: pypdf's warnings (of this thread) are kept here instead of reaching the
    terminal through logging's last-resort handler. Configured logging still gets them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and len(self.messages) < 1000:
            self.messages.append(one_line(record.getMessage())[:200])

    def __enter__(self) -> "_PypdfLog":
        logging.getLogger("pypdf").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("pypdf").removeHandler(self)
