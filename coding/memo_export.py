"""Write a list of memos as CSV, Markdown or Word (A4), in Swedish or English.

Memo text is data: CSV cells are made spreadsheet-safe (:mod:`coding.csvsafe`), Markdown escapes
every punctuation character so nothing in a memo becomes markup, and Word gets the text without
control characters.

>>> from coding.memos import add_memo, list_memos
>>> _ = add_memo(store, "=HYPERLINK(\\"http://x\\") <script>", coder="anna")
>>> memos_csv(list_memos(store)).splitlines()[1].split(",")[:3]
['1', 'project', 'project']
>>> "'=HYPERLINK" in memos_csv(list_memos(store))
True
>>> print(memos_markdown(list_memos(store), title="Memon", lang="sv").splitlines()[6])
\\=HYPERLINK\\(\\"http\\:\\/\\/x\\"\\) \\<script\\>
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Sequence

from .csvsafe import csv_writer, safe_row
from .errors import QcodeError
from .textclean import one_line, remove_controls

#: format -> (file suffix, MIME type)
FORMATS: dict[str, tuple[str, str]] = {
    "csv": (".csv", "text/csv"),
    "md": (".md", "text/markdown"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
CSV_COLUMNS = ("id", "kind", "target", "transcript", "segment", "code", "code_label", "coder", "created_at",
               "updated_at", "text")
KIND_LABELS = {"project": ("Projekt", "Project"), "transcript": ("Transkript", "Transcript"),
               "segment": ("Segment", "Segment"), "code": ("Kod", "Code"), "coding": ("Kodning", "Coding")}
_WORDS = {"count": ("{n} memon", "{n} memos"), "one": ("1 memo", "1 memo"), "edited": ("ändrat", "edited")}
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character (CommonMark may escape each)


def _say(key: str, lang: str, **values) -> str:
    sv, en = _WORDS[key]
    return (en if lang == "en" else sv).format(**values)


def _count(memos: Sequence, lang: str) -> str:
    return _say("one", lang) if len(memos) == 1 else _say("count", lang, n=len(memos))


def kind_label(kind: str, lang: str = "sv") -> str:
    """The kind of a memo in words: ``Transkript`` / ``Transcript`` …"""
    sv, en = KIND_LABELS[kind]
    return en if lang == "en" else sv


def when(stamp: str | None) -> str:
    """An ISO time as ``2014-03-12 09:30`` (UTC, as stored)."""
    return (stamp or "")[:16].replace("T", " ")


def describe(memo, lang: str = "sv", labels: dict[str, str] | None = None) -> str:
    """One line about a memo: kind, target (with the code's label), coder and time."""
    labels = labels or {}
    place = f"{memo.transcript} #{memo.segment}" if memo.segment is not None else (memo.transcript or "")
    code = f"{labels[memo.code]} ({memo.code})" if memo.code in labels else memo.code
    target = " · ".join(x for x in (place, code) if x)
    stamp = when(memo.created_at)
    if memo.updated_at and memo.updated_at != memo.created_at:
        stamp += f", {_say('edited', lang)} {when(memo.updated_at)}"
    return one_line(f"{kind_label(memo.kind, lang)}{': ' + target if target else ''} — {memo.coder}, {stamp}")


def md_escape_text(text: str) -> str:
    """Memo text as Markdown that shows it literally: punctuation escaped, lines kept as line breaks,
    blank lines as paragraph breaks.

    >>> print(md_escape_text("# Rubrik\\n*fet* <b>\\n\\n1. punkt"))
    \\# Rubrik\\
    \\*fet\\* \\<b\\>
    <BLANKLINE>
    1\\. punkt
    """
    paragraphs = re.split(r"\n\s*\n", remove_controls(str(text)).strip())
    out = []
    for paragraph in paragraphs:
        lines = [_MD_SPECIAL.sub(r"\\\1", " ".join(line.replace("\t", " ").split())) for line in paragraph.split("\n")]
        out.append("\\\n".join(line for line in lines if line))  # a backslash at the end: a line break
    return "\n\n".join(p for p in out if p)


def memos_csv(memos: Sequence, *, labels: dict[str, str] | None = None) -> str:
    """CSV with the columns :data:`CSV_COLUMNS`, every cell spreadsheet-safe."""
    labels = labels or {}
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(safe_row(CSV_COLUMNS))
    for m in memos:
        writer.writerow(safe_row([m.id, m.kind, m.target, m.transcript, m.segment, m.code, labels.get(m.code),
                                  m.coder, m.created_at, m.updated_at, m.text]))
    return buf.getvalue()


def memos_markdown(memos: Sequence, *, title: str = "Memos", lang: str = "sv",
                   labels: dict[str, str] | None = None) -> str:
    """A Markdown document: the title, then one section per memo (what it is about, who, when, the text)."""
    parts = [f"# {md_escape_text(one_line(title))}", "", _count(memos, lang), ""]
    for m in memos:
        parts += [f"## {md_escape_text(describe(m, lang, labels))}", "", md_escape_text(m.text), ""]
    return "\n".join(parts)


def memos_docx(memos: Sequence, *, title: str = "Memos", lang: str = "sv",
               labels: dict[str, str] | None = None) -> bytes:
    """A Word document on A4 (:func:`coding.word.a4_document`): the title, then each memo under a heading."""
    from .word import a4_document

    document = a4_document()
    document.add_heading(one_line(title), 0)
    document.add_paragraph(_count(memos, lang))
    for m in memos:
        document.add_heading(describe(m, lang, labels), level=2)
        for line in remove_controls(m.text).split("\n"):
            document.add_paragraph(line.replace("\t", " "))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def memos_bytes(memos: Sequence, fmt: str, *, title: str = "Memos", lang: str = "sv",
                labels: dict[str, str] | None = None) -> bytes:
    """The memos as the bytes of a ``fmt`` file (csv, md or docx)."""
    if fmt == "csv":
        return memos_csv(memos, labels=labels).encode("utf-8")
    if fmt == "md":
        return memos_markdown(memos, title=title, lang=lang, labels=labels).encode("utf-8")
    if fmt == "docx":
        return memos_docx(memos, title=title, lang=lang, labels=labels)
    raise QcodeError(f"unknown memo export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def format_of(path: str | Path) -> str:
    """The export format a file name asks for (``.csv``, ``.md`` or ``.docx``)."""
    suffix = Path(path).suffix.lower()
    for fmt, (ending, _) in FORMATS.items():
        if suffix == ending or (fmt == "md" and suffix == ".markdown"):
            return fmt
    raise QcodeError("memos are written as .csv, .md or .docx; give the file one of those endings", path=str(path))


def write_memos(memos: Sequence, path: str | Path, *, title: str = "Memos", lang: str = "sv",
                labels: dict[str, str] | None = None) -> Path:
    """Write the memos to ``path`` in the format its ending names; returns the path."""
    path = Path(path)
    data = memos_bytes(memos, format_of(path), title=title, lang=lang, labels=labels)
    path.write_bytes(data)
    return path
