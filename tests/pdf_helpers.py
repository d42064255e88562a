"""Real PDF files for the tests, made with fpdf2 (Helvetica, Windows-1252: å, ä and ö work).

``write_pdf`` places given lines (a hyphen at a line end stays where the test puts it); ``write_report_pdf``
lets fpdf2 wrap whole paragraphs, like a report written in a word processor.
"""

from __future__ import annotations

import io
from pathlib import Path

LEFT, TOP, LINE, GAP = 20, 25, 6, 5     # millimetres: margin, first line, line height, extra space of a paragraph


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.core_fonts_encoding = "cp1252"          # WinAnsiEncoding: “ ” – … as well as å ä ö
    pdf.set_auto_page_break(False)
    pdf.set_creator("qcode tests")
    return pdf


def _furniture(pdf, n: int, header: str | None, numbers: bool) -> None:
    if header:
        pdf.set_font("Helvetica", "I", 9)
        pdf.set_xy(LEFT, 10)
        pdf.cell(170, 5, header, align="C")
    if numbers:
        pdf.set_font("Helvetica", "", 9)
        pdf.set_xy(LEFT, 282)
        pdf.cell(170, 5, str(n), align="C")


def write_pdf(path: Path, pages: list[list[str]], *, header: str | None = None, numbers: bool = False) -> Path:
    """A PDF with one page per list of lines; an empty line is the extra space between two paragraphs."""
    pdf = _pdf()
    for n, lines in enumerate(pages, start=1):
        pdf.add_page()
        _furniture(pdf, n, header, numbers)
        pdf.set_font("Helvetica", "", 11)
        y = TOP
        for line in lines:
            if not line:
                y += GAP
                continue
            pdf.set_xy(LEFT, y)
            pdf.cell(170, LINE, line)
            y += LINE
    pdf.output(str(path))
    return path


def write_report_pdf(path: Path, paragraphs: list[str], *, header: str | None = None) -> Path:
    """A report: paragraphs wrapped by fpdf2 over as many A4 pages as they need, a running header and
    page numbers on every page."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            _furniture(self, self.page_no(), header, False)
            self.set_y(TOP)

        def footer(self):
            _furniture(self, self.page_no(), None, True)

    pdf = Report(format="A4", unit="mm")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_auto_page_break(True, margin=22)
    pdf.set_margins(LEFT, TOP, LEFT)
    pdf.add_page()
    for paragraph in paragraphs:
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, LINE, paragraph.encode("cp1252", "replace").decode("cp1252"))
        pdf.ln(GAP)
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path, n_pages: int = 2) -> Path:
    """A PDF whose pages are pictures only (a scan without OCR): no text layer."""
    from PIL import Image, ImageDraw

    pdf = _pdf()
    for n in range(n_pages):
        picture = Image.new("L", (400, 200), 255)
        ImageDraw.Draw(picture).text((10, 10), f"Sida {n + 1}: Intervjuare: Hur gick det?", fill=0)
        pdf.add_page()
        pdf.image(picture, x=LEFT, y=TOP, w=170)
    pdf.output(str(path))
    return path


def encrypt(path: Path, user_password: str, *, algorithm: str = "AES-256", target: Path | None = None) -> Path:
    """A copy of a PDF encrypted with pypdf (an empty ``user_password`` opens without asking, as PDFs
    that only restrict printing or copying do)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    writer.encrypt(user_password, owner_password="ägare", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    target = target or path.with_name(f"{path.stem}_krypterad.pdf")
    target.write_bytes(out.getvalue())
    return target
