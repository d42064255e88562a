"""The search page: find a word in every transcript of the project, read the hits, open one in
place on the coding page, or code all of them at once (one undoable step).

Blind coding holds: the hits are the transcripts' text, never another coder's codes.
"""

from __future__ import annotations

import streamlit as st

from . import state
from .actions import act
from .i18n import t
from .text import code_label, md_escape

ss = st.session_state
PAGE_SIZE = 50


def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_search_flash", []).append((kind, message))


def cb_open(name: str, position: int) -> None:
    """Open a hit on the coding page (the coding page reads transcript and segment from the URL)."""
    for key in ("qc_url_read", "qc_tid"):
        ss.pop(key, None)
    ss["qc_open_hit"] = (name, position)


def cb_code_all(path: str, segment_ids: tuple[int, ...], coder: str) -> None:
    code = ss.get("qc_search_code")
    if not code:
        _flash("warning", t("search.pick_code"))
        return
    n = act(path, lambda p: p.apply_code_ids(segment_ids, code, coder=coder), _flash)
    if n is not None:
        _flash("success", t("search.coded", n=n, code=md_escape(ss.get("qc_labels", {}).get(code, code))))


def render() -> None:
    c = state.ctx()
    if ss.get("qc_open_hit"):
        name, position = ss.pop("qc_open_hit")
        st.switch_page("app_pages/coding.py", query_params={"t": name, "s": str(position)})
    st.title(t("search.title"))
    st.caption(t("search.help"))
    for kind, message in ss.pop("qc_search_flash", []):
        getattr(st, kind)(message)
    query = st.text_input(t("search.query"), key="qc_search_all", placeholder="förankring, \"ingen riktig\", stöd*")
    if not query.strip():
        return
    with state.open_project(c.path) as project:
        total = project.count_hits(query)
        hits = project.search(query, limit=2000)
        codes = [x for x in project.codes() if x.active]
    if not hits:
        st.info(t("search.none", q=md_escape(query)))
        return
    st.markdown(t("search.found", n=total, transcripts=len({h.transcript for h in hits})))
    labels = {x.id: code_label(x, c.lang) for x in codes}
    ss["qc_labels"] = labels
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.selectbox(t("search.code"), [x.id for x in codes], index=None, key="qc_search_code",
                  format_func=lambda x: labels[x], placeholder=t("search.code_placeholder"), width=420)
    row.button(t("search.code_all", n=len(hits)), key="qc_search_code_all", icon=":material/sell:",
               on_click=cb_code_all, args=(str(c.path), tuple(h.segment_id for h in hits), c.coder))
    pages = (len(hits) + PAGE_SIZE - 1) // PAGE_SIZE
    page = st.pagination(pages, key="qc_search_page") if pages > 1 else 1
    for h in hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        with st.container(border=True, key=f"qcsearchhit-{h.segment_id}"):
            head = st.container(horizontal=True, vertical_alignment="center")
            head.button(f"{h.transcript} #{h.position}", key=f"qc_hit_{h.segment_id}", icon=":material/open_in_new:",
                        on_click=cb_open, args=(h.transcript, h.position), help=t("search.open"))
            if h.speaker:
                head.caption(md_escape(h.speaker))
            st.text(h.snippet(160, mark=("»", "«")))
