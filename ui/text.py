"""Small text helpers for the app: escaping data for Streamlit labels, formatting times.

Transcript text, memos, speaker names and codebook labels are *data*. Streamlit
interprets Markdown in widget labels, tooltips, toasts and messages, so any data
shown there goes through :func:`md_escape`. Long text (segments, memos) is shown
with ``st.text``, which does no parsing at all.

>>> md_escape("*fet* [länk](javascript:alert(1)) <b>")
'\\\\*fet\\\\* \\\\[länk\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\<b\\\\>'
>>> fmt_time(3725.4)
'1:02:05'
>>> fmt_time(65)
'01:05'
>>> fmt_coefficient(0.7998, "sv"), fmt_coefficient(0.8, "en"), fmt_coefficient(0.29, "en"), fmt_coefficient(None)
('0,799', '0.800', '0.290', 'n/a')
"""

from __future__ import annotations

import re

from coding.numbers import as_number, fmt_time  # noqa: F401  (re-exported for the pages)

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping
# all that Markdown, Streamlit directives (:red[..], :material/x:) or LaTeX ($) use
# makes any label render literally.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=\"'&^%@;/])")


def md_escape(text: object) -> str:
    """Escape ``text`` so that Streamlit's Markdown shows it literally."""
    s = "" if text is None else str(text)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # Line breaks in a label would start a new Markdown block.
    return s.replace("\r", " ").replace("\n", " ")


def code_label(code, lang: str = "sv") -> str:
    """A code's label in the UI language (falling back to the other language, then the id)."""
    first, second = (code.label_en, code.label_sv) if lang == "en" else (code.label_sv, code.label_en)
    return first or second or code.id


def shorten(text: str, n: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def fmt_coefficient(value, lang: str = "sv", digits: int = 3) -> str:
    """An agreement coefficient for display: ``digits`` decimals cut off, never rounded up, so that the
    number shown and its colour band agree (α = 0.7998 is below the .800 threshold and shows as 0.799);
    a decimal comma in Swedish; ``n/a`` when undefined."""
    from decimal import ROUND_FLOOR, Decimal

    v = as_number(value)
    if v is None:
        return "n/a"
    text = str(Decimal(repr(v)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_FLOOR))
    return text.replace(".", ",") if lang == "sv" else text


def highlighted_html(text: str, ranges, *, colour: str = "#fde68a", prefix: str = "") -> str:
    """``text`` as escaped HTML with the ``(start, end, title)`` ranges marked (transcript text stays data).

    >>> highlighted_html("a <b> c", [(2, 5, "kod <x>")], prefix="anna")
    '<div class="qc-hl"><b>anna</b>: a <mark style="background:#fde68a" title="kod &lt;x&gt;">&lt;b&gt;</mark> c</div>'
    """
    import html

    from coding.textclean import remove_controls

    text = remove_controls(text or "")
    cuts = sorted({0, len(text), *(max(0, min(len(text), x)) for s, e, _ in ranges for x in (s, e))})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        titles = [title for s, e, title in ranges if s <= a and b <= e]
        piece = html.escape(text[a:b])
        if titles:
            title = html.escape(remove_controls(" · ".join(dict.fromkeys(titles))))
            piece = f'<mark style="background:{colour}" title="{title}">{piece}</mark>'
        parts.append(piece)
    head = f"<b>{html.escape(remove_controls(prefix))}</b>: " if prefix else ""
    return f'<div class="qc-hl">{head}{"".join(parts)}</div>'
