"""The coding page's box of memos on the open transcript: read them, write a new one.

:func:`transcript_memo_box` is one call on the coding page; editing, deleting and searching are on
the Memos page (``ui/page_memos.py``). Memo text is data, shown with ``st.text``.
"""

from __future__ import annotations

import streamlit as st

from coding.memo_export import describe

from . import state
from .actions import act
from .i18n import t
from .text import md_escape

ss = st.session_state


def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_tmemo_flash", []).append((kind, message))


def cb_add_transcript_memo(path: str, coder: str, transcript: str, key: str) -> None:
    text = ss.get(key, "")
    if act(path, lambda p: p.add_memo(text, coder=coder, transcript=transcript), _flash) is not None:
        ss[key] = ""
        _flash("toast", t("memos.saved", target=md_escape(transcript)))


def transcript_memo_box(ctx, transcript: str, where=None) -> None:
    """A popover (in ``where``, e.g. the page's top row) with every memo on ``transcript`` itself (not on
    its segments) and a box to write one."""
    with state.open_project(ctx.path) as project:
        memos = project.memos(kind="transcript", transcript=transcript)
        may_write = project.may(ctx.coder, "code")
    for kind, message in ss.pop("qc_tmemo_flash", []):
        st.toast(message) if kind == "toast" else getattr(st, kind)(message)
    with (where or st).popover(t("memos.box", n=len(memos)), icon=":material/sticky_note_2:", key="qc_tmemo_open",
                               on_change="rerun"):
        if not ss.get("qc_tmemo_open"):
            return  # drawn only while open: the page loads faster
        for memo in memos:
            st.caption(md_escape(describe(memo, ctx.lang)))
            st.text(memo.text)
        if may_write:
            key = f"qc_tmemo_{transcript}"
            st.text_area(t("memos.box_new"), key=key, height=80, placeholder=t("memos.text_placeholder"))
            st.button(t("memos.save"), key=f"qc_tmemo_save_{transcript}", icon=":material/save:",
                      on_click=cb_add_transcript_memo, args=(str(ctx.path), ctx.coder, transcript, key))
        st.page_link("app_pages/memos.py", label=t("memos.box_more"), icon=":material/sticky_note_2:")
