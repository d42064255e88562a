"""Word documents laid out for a report: A4, 2.5 cm margins, readable fonts.

Every Word file qcode writes (matrices, report tables, quote reports) starts
from :func:`a4_document`, so they all print the same way.

>>> doc = a4_document()
>>> round(doc.sections[0].page_width.cm, 1), round(doc.sections[0].page_height.cm, 1)
(21.0, 29.7)
>>> wide = a4_document(landscape=True)
>>> round(wide.sections[0].page_width.cm, 1), round(wide.sections[0].left_margin.cm, 1)
(29.7, 2.0)
"""

from __future__ import annotations

#: A4 in centimetres (portrait) and the margins used for portrait and landscape pages
A4_CM = (21.0, 29.7)
MARGIN_CM = 2.5
LANDSCAPE_MARGIN_CM = 2.0


def a4_document(*, landscape: bool = False, font: str = "Calibri", size_pt: float = 11):
    """A new python-docx ``Document`` on A4 (portrait, or landscape for wide tables) with report margins."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    width, height = A4_CM
    margin = LANDSCAPE_MARGIN_CM if landscape else MARGIN_CM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.left_margin = section.right_margin = Cm(margin)
    section.top_margin = section.bottom_margin = Cm(margin)
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    return document


def usable_width_cm(document) -> float:
    """The width between the margins of the document's first section, in centimetres."""
    section = document.sections[0]
    return (section.page_width - section.left_margin - section.right_margin) / 360000
