"""The coding page's passage box: the text selection waiting for a code, or the coded passage (span)
opened from its highlight — its code and coder, remove it, change its code, its memo.

Changes go through the library (``Project.remove_span``, ``change_span_code``, ``set_span_memo``),
each one step that U undoes. Transcript text and memos are data: shown with ``st.text``;
code labels and coder names are escaped before they reach Markdown.
"""

from __future__ import annotations

import zlib

import streamlit as st

from coding.textclean import remove_controls

from .actions import act
from .i18n import t
from .text import md_escape

ss = st.session_state
EXCERPT = 400  # characters of a long passage shown (its beginning and end)


def excerpt(text: str, start: int, end: int) -> str:
    """The passage ``[start, end)`` of ``text`` as plain text, shortened in the middle when long.

    >>> excerpt("Vi fick pengar från förbundet.", 3, 14)
    'fick pengar'
    >>> len(excerpt("x" * 1000, 0, 1000)) <= EXCERPT + 3
    True
    """
    part = text[start:end]
    if len(part) > EXCERPT:
        part = part[:EXCERPT // 2] + " … " + part[-EXCERPT // 2:]
    return remove_controls(part)


def _key(base: str, value) -> str:
    """A widget key that changes with the stored value (as ``synced_key`` on the coding page)."""
    return f"{base}_{zlib.crc32(repr(value).encode('utf-8')):08x}"


def _clear() -> None:
    ss.pop("qc_span_sel", None)


def _close() -> None:
    ss.pop("qc_span", None)


def cb_remove(path: str, name: str, key: tuple, flash, label: str) -> None:
    start, end, code, coder = key
    if act(path, lambda p: p.remove_span(name, start, end, code, coder=coder), flash):
        ss.pop("qc_span", None)
        flash("toast", t("span.removed", code=md_escape(label)))


def cb_change(path: str, name: str, key: tuple, widget: str, labels: dict, flash) -> None:
    new = ss.get(widget)
    start, end, code, coder = key
    if not new or new == code:
        return
    span = act(path, lambda p: p.change_span_code(name, start, end, code, new, coder=coder), flash)
    if span is not None:
        ss["qc_span"] = (span.start, span.end, span.code, span.coder)
        flash("toast", t("span.changed", code=md_escape(labels.get(new, new))))


def cb_memo(path: str, name: str, key: tuple, widget: str, flash) -> None:
    start, end, code, coder = key
    text = ss.get(widget, "")
    if act(path, lambda p: p.set_span_memo(name, start, end, code, text, coder=coder), flash):
        flash("toast", t("span.memo_saved"))


def panel(text: str, spans, *, labels: dict[str, str], codes, coder: str, path: str, name: str, flash) -> None:
    """Draw the box (nothing when there is no text selection and no opened passage)."""
    pending = ss.get("qc_span_sel")
    if pending:
        start, end = pending
        with st.container(key="qc-passage"):
            st.markdown(t("span.pending", n=end - start))
            st.text(excerpt(text, start, end))
            st.button(t("span.clear"), key="qc_span_clear", on_click=_clear, icon=":material/close:")
        return
    key = ss.get("qc_span")
    if not key:
        return
    key = tuple(key)
    span = next((x for x in spans if (x.start, x.end, x.code, x.coder) == key), None)
    if span is None:
        ss.pop("qc_span", None)
        st.caption(t("span.gone"))
        return
    label = labels.get(span.code, span.code)
    with st.container(key="qc-span", border=True):
        st.markdown(t("span.title", code=md_escape(label), coder=md_escape(span.coder)))
        st.text(excerpt(text, span.start, span.end))
        row = st.container(horizontal=True, gap="small")
        if span.coder == coder:
            row.button(t("span.remove"), key="qc_span_rm", icon=":material/delete:", on_click=cb_remove,
                       args=(path, name, key, flash, label), help=t("span.remove_help"))
        row.button(t("span.close"), key="qc_span_close", on_click=_close)
        if span.coder != coder:
            if span.memo:
                st.caption(t("span.memo"))
                st.text(span.memo)
            return
        choices = [c.id for c in codes if c.id != span.code]
        widget = _key("qc_span_change", key)
        st.selectbox(t("span.change"), choices, index=None, key=widget, format_func=lambda x: labels.get(x, x),
                     on_change=cb_change, args=(path, name, key, widget, labels, flash),
                     placeholder=t("ui.choose_or_type"), help=t("span.change_help"))
        memo_key = _key("qc_span_memo", (key, span.memo))
        st.text_area(t("span.memo"), value=span.memo or "", key=memo_key, height=80, on_change=cb_memo,
                     args=(path, name, key, memo_key, flash), placeholder=t("coding.memo_placeholder"))
