"""Write quote reports (:mod:`coding.quotes`) as Word, Markdown and CSV: the quote formats registry.

:data:`QUOTE_FORMATS` maps a format to its writer, file suffix and MIME type; ``qcode quotes --format``
and the quotes page's download buttons list it, so a new format is one :func:`register_quote_format`
call plus its tests.

* **docx**: an A4 Word document (:func:`coding.word.a4_document`): a heading per code and per group,
  each quote an indented paragraph in Word's *Quote* style under a smaller line naming speaker,
  transcript and segment; context in grey, memos in italics; headings in Swedish or English;
* **md**: the same as Markdown, every piece of transcript text escaped (it is data, never markup);
* **csv**: one row per quote, every cell spreadsheet-safe (:mod:`coding.csvsafe`).

>>> [f.name for f in quote_formats()]
['docx', 'md', 'csv']
>>> spec = QuoteSpec(codes=["impl_hi_ensam_position"], coders=["anna"], context=0)
>>> [line for line in export_quotes(store, spec, "md").decode().splitlines() if line.startswith("##")][:2]
['## Ensam position som SE-coach', '### Aneby (2)']
>>> md_text("<script>alert(1)</script> | **fet**")
'\\\\<script\\\\>alert(1)\\\\</script\\\\> \\\\| \\\\*\\\\*fet\\\\*\\\\*'
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .csvsafe import csv_writer, safe_row
from .errors import QcodeError
from .quotes import Quote, QuoteReport, QuoteSpec, quote_report
from .textclean import one_line, remove_controls

__all__ = ["QUOTE_FORMATS", "QuoteFormat", "export_quotes", "format_for", "get_quote_format", "md_text",
           "quote_formats", "quotes_csv", "quotes_docx", "quotes_markdown", "register_quote_format",
           "render_quotes", "write_quotes"]

#: the words of the reports, Swedish and English
WORDS: dict[str, dict[str, str]] = {
    "sv": {"title": "Citat", "codes": "Koder", "coders": "Kodare", "by": "Grupperat efter {by}",
           "context": "{n} segment sammanhang före och efter", "no_context": "Utan sammanhang",
           "where": "Urval", "n_quotes": "{n} citat", "children": "med underkoder", "none": "Inga kodade avsnitt.",
           "context_mark": "(sammanhang)", "memo": "Memo", "transcript": "transkript", "speaker": "talare"},
    "en": {"title": "Quotes", "codes": "Codes", "coders": "Coders", "by": "Grouped by {by}",
           "context": "{n} segment(s) of context before and after", "no_context": "Without context",
           "where": "Selection", "n_quotes": "{n} quote(s)", "children": "with subcodes",
           "none": "No coded passages.", "context_mark": "(context)", "memo": "Memo", "transcript": "transcript",
           "speaker": "speaker"},
}


def _words(report: QuoteReport) -> dict[str, str]:
    return WORDS.get(report.language, WORDS["en"])


def _by_name(report: QuoteReport) -> str:
    words = _words(report)
    return words.get(report.by, report.by) if report.by in ("transcript", "speaker") else report.by


def _summary(report: QuoteReport) -> list[str]:
    """The lines under the title: codes, coders, grouping, context and filters."""
    words = _words(report)
    spec = report.spec
    lines = [f"{words['codes']}: " + "; ".join(f"{report.label(c)} ({c})" for c in spec.codes),
             f"{words['coders']}: " + (", ".join(report.coders) or "–"),
             words["by"].format(by=_by_name(report)),
             words["context"].format(n=spec.context) if spec.context else words["no_context"]]
    if spec.where:
        lines.append(f"{words['where']}: " + "; ".join(f"{k} = {', '.join(v)}" for k, v in spec.where))
    return lines


def _has_children(report: QuoteReport, code: str) -> bool:
    return report.spec.include_children and any(p == code for p in report.parents.values())


def _line(speaker: str | None, text: str) -> str:
    return f"{speaker}: {text}" if speaker else text


def _reference(report: QuoteReport, section, quote: Quote) -> str:
    """``SE-coach · aneby_chef.txt #12 · 03:15 · [codes, when a section covers several] · anna, erik``."""
    parts = [quote.speaker or "", quote.reference(), quote.time]
    if len(section.codes) > 1:
        parts.append("; ".join(report.label(c) for c in quote.codes))
    parts.append(", ".join(quote.coders))
    return " · ".join(one_line(p) for p in parts if p)


def _memo_head(report: QuoteReport, memo) -> str:
    words = _words(report)
    about = f", {report.label(memo.code)}" if memo.code else ""
    return f"{words['memo']} ({memo.coder}{about}):"


# -------------------------------------------------------------------- Word

def quotes_docx(report: QuoteReport) -> bytes:
    """The report as an A4 Word document (see the module doc), as the bytes of the file."""
    from docx.shared import Cm, Pt, RGBColor

    from .word import a4_document

    grey, dark = RGBColor(0x80, 0x80, 0x80), RGBColor(0x40, 0x40, 0x40)
    words = _words(report)
    document = a4_document()

    def clean(text) -> str:
        return remove_controls(str(text))

    def small(text: str, color=dark, *, italic: bool = False, indent: bool = False, keep: bool = False):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(clean(text))
        run.font.size, run.font.color.rgb, run.italic = Pt(9), color, italic
        paragraph.paragraph_format.space_after = Pt(2)
        if indent:
            paragraph.paragraph_format.left_indent = Cm(1)
        paragraph.paragraph_format.keep_with_next = keep
        return paragraph

    # Word's Quote style, looked up once: python-docx looks a style name up anew for every paragraph
    # (half the time of a long report), so the paragraphs get its id directly.
    quote_style = document.styles["Quote"].style_id
    document.add_heading(clean(words["title"]), level=0)
    for line in _summary(report):
        small(line)
    for section in report.sections:
        document.add_heading(clean(section.label), level=1)
        extra = [section.code, words["n_quotes"].format(n=section.n_quotes)]
        if _has_children(report, section.code):
            extra.append(words["children"])
        small(" · ".join(extra), grey)
        if not section.groups:
            small(words["none"], grey, italic=True)
        for group in section.groups:
            document.add_heading(clean(f"{group.label} ({len(group.quotes)})"), level=2)
            for quote in group.quotes:
                head = small(_reference(report, section, quote), keep=True)
                head.paragraph_format.space_before = Pt(8)
                for ctx in quote.before:
                    small(f"{words['context_mark']} {_line(ctx.speaker, ctx.text)}", grey, indent=True, keep=True)
                said = document.add_paragraph()
                said._p.style = quote_style
                said.add_run(clean(quote.text))
                said.paragraph_format.left_indent = Cm(1)
                said.paragraph_format.space_after = Pt(2)
                for ctx in quote.after:
                    small(f"{words['context_mark']} {_line(ctx.speaker, ctx.text)}", grey, indent=True)
                for memo in quote.memos:
                    note = document.add_paragraph()
                    note.paragraph_format.left_indent = Cm(1)
                    label = note.add_run(clean(_memo_head(report, memo)) + " ")
                    label.italic = label.bold = True
                    note.add_run(clean(memo.text)).italic = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- Markdown

# Characters that mean something inside a line of Markdown (GitHub's flavour: ~ for strike-through,
# $ for maths); escaped everywhere. Block markers only mean something at the start of a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~#$&])")
_MD_MARKER = re.compile(r"^([-+=>])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def md_text(text) -> str:
    """``text`` as one line of Markdown that shows literally: no emphasis, link, HTML, table cell, list or
    heading can come out of transcript text.

    >>> md_text("- 1. [x](javascript:alert(1))"), md_text("3) ok")
    ('\\\\- 1. \\\\[x\\\\](javascript:alert(1))', '3\\\\) ok')
    """
    line = _MD_INLINE.sub(r"\\\1", one_line(remove_controls(str(text))))
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_MARKER.sub(r"\\\1", line))


def quotes_markdown(report: QuoteReport) -> str:
    """The report as Markdown: a heading per code and group, each quote a block quote with its context
    (marked, in italics) and its memos."""
    words = _words(report)
    out = [f"# {md_text(words['title'])}", ""]
    out += [f"*{md_text(line)}*  " for line in _summary(report)]
    for section in report.sections:
        out += ["", f"## {md_text(section.label)}", ""]
        extra = [section.code, words["n_quotes"].format(n=section.n_quotes)]
        if _has_children(report, section.code):
            extra.append(words["children"])
        out.append(f"*{md_text(' · '.join(extra))}*")
        if not section.groups:
            out += ["", f"*{md_text(words['none'])}*"]
        for group in section.groups:
            out += ["", f"### {md_text(group.label)} ({len(group.quotes)})"]
            for quote in group.quotes:
                out += ["", f"**{md_text(_reference(report, section, quote))}**", ""]
                block = [f"*{md_text(words['context_mark'] + ' ' + _line(c.speaker, c.text))}*" for c in quote.before]
                block.append(md_text(quote.text))
                block += [f"*{md_text(words['context_mark'] + ' ' + _line(c.speaker, c.text))}*" for c in quote.after]
                out.append("\n>\n".join(f"> {b}" for b in block))
                for memo in quote.memos:
                    out += ["", f"*{md_text(_memo_head(report, memo))}* {md_text(memo.text)}"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------- CSV

CSV_COLUMNS = ("code", "code_label", "{by}", "transcript", "segment", "speaker", "time", "text", "before", "after",
               "codes", "code_labels", "coders", "memos")


def quotes_csv(report: QuoteReport) -> str:
    """One row per quote (a passage under two chosen codes: two rows). ``before``/``after`` hold the context
    lines, ``memos`` one ``coder: text`` line per memo; every cell is spreadsheet-safe."""
    by = report.by if report.by not in CSV_COLUMNS else f"{report.by}_group"
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(safe_row([by if c == "{by}" else c for c in CSV_COLUMNS]))
    for section, group, q in report.quotes():
        memos = "\n".join(f"{m.coder}{f' ({m.code})' if m.code else ''}: {m.text}" for m in q.memos)
        writer.writerow(safe_row([
            section.code, section.label, group.label if group.value is not None else "", q.transcript, q.position,
            q.speaker, q.time, q.text, "\n".join(_line(c.speaker, c.text) for c in q.before),
            "\n".join(_line(c.speaker, c.text) for c in q.after), ";".join(q.codes),
            "; ".join(report.label(c) for c in q.codes), ";".join(q.coders), memos]))
    return buf.getvalue()


# ---------------------------------------------------------------- registry

@dataclass(frozen=True)
class QuoteFormat:
    """One quote report format: ``render(report)`` returns the file's bytes (text formats: UTF-8)."""

    name: str
    suffix: str
    mime: str
    binary: bool
    description: str
    render: Callable[[QuoteReport], bytes]
    label: str = ""

    @property
    def title(self) -> str:
        """The name shown on a button (``label``, else the format in capitals)."""
        return self.label or self.name.upper()


QUOTE_FORMATS: dict[str, QuoteFormat] = {}


def register_quote_format(fmt: QuoteFormat) -> QuoteFormat:
    """Add a quote format (or replace one of the same name): a CLI ``--format`` choice and a download button."""
    QUOTE_FORMATS[fmt.name] = fmt
    return fmt


def quote_formats() -> list[QuoteFormat]:
    """Every quote format, in registry order."""
    return list(QUOTE_FORMATS.values())


def get_quote_format(name: str) -> QuoteFormat:
    try:
        return QUOTE_FORMATS[name]
    except KeyError:
        raise QcodeError(f"unknown format {name!r} for quotes; choose one of {', '.join(QUOTE_FORMATS)}") from None


def format_for(path: str | Path | None, fmt: str | None = None, default: str = "md") -> str:
    """``fmt``, else the format of ``path``'s suffix, else (no path) ``default``; a suffix no format has is an
    error naming the file.

    >>> format_for("citat.docx"), format_for(None), format_for("citat.txt", "md")
    ('docx', 'md', 'md')
    """
    if fmt:
        return get_quote_format(fmt).name
    if not path:
        return default
    suffix = Path(path).suffix.lower().lstrip(".")
    for f in QUOTE_FORMATS.values():
        if f.suffix == suffix:
            return f.name
    raise QcodeError(f"cannot tell the format from the file name; end it in "
                     f"{', '.join('.' + f.suffix for f in QUOTE_FORMATS.values())} or give --format",
                     path=str(path))


def render_quotes(report: QuoteReport, fmt: str) -> bytes:
    """A built report in format ``fmt``, as the bytes of the file."""
    return get_quote_format(fmt).render(report)


def export_quotes(store, spec: QuoteSpec, fmt: str) -> bytes:
    """The quote report of ``spec`` in format ``fmt``, as the bytes of the file."""
    writer = get_quote_format(fmt)
    return writer.render(quote_report(store, spec))


def write_quotes(store, spec: QuoteSpec, path: str | Path, fmt: str | None = None) -> Path:
    """Write the quote report of ``spec`` to ``path`` (format: ``fmt``, else from the suffix).

    >>> out = write_quotes(store, QuoteSpec(codes=["impl.hi"], by="roll"), getfixture("tmp_path") / "hinder.md")
    >>> out.read_text(encoding="utf-8").splitlines()[0]
    '# Citat'
    """
    path = Path(path)
    data = export_quotes(store, spec, format_for(path, fmt))
    path.write_bytes(data)
    return path


for _f in (
    QuoteFormat("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True,
                "Word document on A4: headings per code and group, quotes indented", quotes_docx, label="Word"),
    QuoteFormat("md", "md", "text/markdown", False, "Markdown: headings per code and group, quotes as block "
                "quotes", lambda r: quotes_markdown(r).encode("utf-8"), label="Markdown"),
    QuoteFormat("csv", "csv", "text/csv", False, "CSV: one row per quote", lambda r: quotes_csv(r).encode("utf-8")),
):
    register_quote_format(_f)
del _f
