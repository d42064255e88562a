"""The memos page: every memo of the project in one list, searched and filtered; write a memo on the
project, a transcript or a code; edit and delete your own (deleting asks first; undo brings a memo
back); download the list as CSV, Markdown or Word.

Memo text is data: it is shown with ``st.text`` and every label built from data is escaped.
Blind coding holds: another coder's memos on segments and codings show once the transcript is
open to you, as on the coding page.
"""

from __future__ import annotations

import zlib

import streamlit as st

from coding.memo_export import FORMATS, describe

from . import state
from .actions import act
from .i18n import t
from .text import code_label, md_escape

ss = st.session_state
PAGE_SIZE = 50
WRITABLE = ("project", "transcript", "code")  # segments and codings get their memos on the coding page
KINDS = ("project", "transcript", "segment", "code", "coding")


def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_memos_flash", []).append((kind, message))


def _key(base: str, memo) -> str:
    """A widget key for one memo that changes when its text changes (so an edit box never shows stale text)."""
    return f"{base}_{memo.ref}_{zlib.crc32(memo.text.encode('utf-8')):08x}"


# -------------------------------------------------------------- callbacks

def cb_add(path: str, coder: str) -> None:
    kind = ss.get("qc_memo_kind") or "project"
    target = {}
    if kind == "transcript":
        target["transcript"] = ss.get("qc_memo_transcript")
    elif kind == "code":
        target["code"] = ss.get("qc_memo_code")
    if None in target.values():
        _flash("warning", t("memos.pick_first"))
        return
    text = ss.get("qc_memo_new", "")
    memo = act(path, lambda p: p.add_memo(text, coder=coder, **target), _flash)
    if memo is not None:
        ss["qc_memo_new"] = ""
        _flash("success", t("memos.saved", target=md_escape(memo.target if memo.kind != "project"
                                                              else t("memos.project"))))


def cb_edit(path: str, coder: str, memo, key: str) -> None:
    changed = act(path, lambda p: p.edit_memo(memo, ss.get(key, ""), coder=coder), _flash)
    if changed is not None:
        _flash("success" if changed else "info", t("memos.edited") if changed else t("memos.unchanged"))


def cb_delete(path: str, coder: str, memo) -> None:
    if act(path, lambda p: p.delete_memo(memo, coder=coder), _flash):
        _flash("success", t("memos.deleted"))


def describe_undo(undone) -> str:
    """What an undo reversed (a :class:`coding.actions.UndoResult`), in the UI language."""
    if undone.positions:
        where = f"{undone.transcript} #{', '.join(map(str, undone.positions))}"
    else:
        where = undone.transcript or undone.code or t("memos.project")
    key = {"memo.add": "memos.undo_add", "memo.edit": "memos.undo_edit",
           "memo.delete": "memos.undo_delete"}.get(undone.action, "memos.undo_other")
    return t(key, where=where)


def cb_undo(path: str, coder: str) -> None:
    undone = act(path, lambda p: p.undo(coder) or False, _flash)
    if undone:
        _flash("success", t("memos.undone", what=md_escape(describe_undo(undone))))
    elif undone is False:
        _flash("info", t("memos.nothing_to_undo"))


# ------------------------------------------------------------------- page

def _write_section(c, transcripts: list[str], codes: list, labels: dict[str, str]) -> None:
    with st.expander(t("memos.write"), icon=":material/edit_note:", expanded=False):
        kind = st.segmented_control(t("memos.about"), WRITABLE, default="project", key="qc_memo_kind",
                                    format_func=lambda k: t(f"memos.kind.{k}"), required=True)
        if kind == "transcript":
            st.selectbox(t("memos.pick_transcript"), transcripts, index=None, key="qc_memo_transcript",
                         placeholder=t("memos.pick_placeholder"), filter_mode="contains")
        elif kind == "code":
            st.selectbox(t("memos.pick_code"), [x.id for x in codes], index=None, key="qc_memo_code",
                         format_func=lambda x: f"{labels.get(x, x)} ({x})", placeholder=t("memos.pick_placeholder"),
                         filter_mode="contains")
        st.text_area(t("memos.text"), key="qc_memo_new", height=110, placeholder=t("memos.text_placeholder"))
        st.button(t("memos.save"), key="qc_memo_save", type="primary", icon=":material/save:", on_click=cb_add,
                  args=(str(c.path), c.coder))
        st.caption(t("memos.segment_hint"))


def _memo(c, memo, labels: dict[str, str], may_write: bool) -> None:
    with st.container(border=True, key=f"qcmemo-{memo.ref}"):
        head = st.container(horizontal=True, vertical_alignment="center")
        head.caption(md_escape(describe(memo, c.lang, labels)))
        if may_write and memo.coder == c.coder:
            with head.popover(t("memos.edit"), icon=":material/edit:"):
                key = _key("qc_memo_edit", memo)
                st.text_area(t("memos.text"), value=memo.text, key=key, height=140)
                st.button(t("memos.edit_save"), key=f"{key}_save", type="primary", on_click=cb_edit,
                          args=(str(c.path), c.coder, memo, key))
            with head.popover(t("memos.delete"), icon=":material/delete:"):
                sure = st.checkbox(t("memos.delete_sure"), key=_key("qc_memo_sure", memo))
                st.button(t("memos.delete_button"), key=_key("qc_memo_delete", memo), disabled=not sure,
                          icon=":material/delete_forever:", on_click=cb_delete, args=(str(c.path), c.coder, memo))
        st.text(memo.text)


def render() -> None:
    c = state.ctx()
    st.title(t("memos.title"))
    st.caption(t("memos.help"))
    with state.open_project(c.path) as project:
        transcripts = [tr["name"] for tr in project.transcripts()]
        codes = project.codes()
        coders = [x["name"] for x in project.coders()]
        may_write = project.may(c.coder, "code")
    labels = {x.id: code_label(x, c.lang) for x in codes}
    for kind, message in ss.pop("qc_memos_flash", []):
        getattr(st, kind)(message)
    if may_write:
        _write_section(c, transcripts, [x for x in codes if x.active], labels)
    else:
        st.info(t("memos.viewer_only"))

    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    search = row.text_input(t("memos.search"), key="qc_memos_search", placeholder="förankring, chef …", width=280)
    kinds = row.multiselect(t("memos.kinds"), KINDS, key="qc_memos_kinds", format_func=lambda k: t(f"memos.kind.{k}"),
                            placeholder=t("memos.all_kinds"), width=300)
    who = row.selectbox(t("memos.coder"), coders, index=None, key="qc_memos_coder", placeholder=t("memos.everyone"),
                        width=200)
    where = row.selectbox(t("memos.transcript"), transcripts, index=None, key="qc_memos_transcript",
                          placeholder=t("memos.all_transcripts"), filter_mode="contains", width=260)
    if may_write:
        row.button(t("memos.undo"), key="qc_memos_undo", icon=":material/undo:", on_click=cb_undo,
                   args=(str(c.path), c.coder), help=t("memos.undo_help"))
    filters = {"search": search or None, "kind": kinds or None, "coder": who, "transcript": where, "viewer": c.coder}
    with state.open_project(c.path) as project:
        memos = project.memos(**filters)
    if not memos:
        st.caption(t("memos.none"))
        return

    downloads = st.container(horizontal=True, vertical_alignment="center")
    downloads.markdown(t("memos.found", n=len(memos)))
    for fmt, (suffix, mime) in FORMATS.items():
        downloads.download_button(t("memos.download", fmt=fmt.upper()), _file(str(c.path), fmt, memos, c.lang),
                                  file_name=f"{c.path.stem}-memon{suffix}", mime=mime, key=f"qc_memos_{fmt}",
                                  icon=":material/download:", on_click="ignore")
    newest = list(reversed(memos))
    pages = (len(newest) + PAGE_SIZE - 1) // PAGE_SIZE
    page = st.pagination(pages, key="qc_memos_page") if pages > 1 else 1
    for memo in newest[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        _memo(c, memo, labels, may_write)


def _file(path: str, fmt: str, memos: list, lang: str):
    """The download's bytes, made only when the button is pressed (a Word file takes a moment)."""
    def make() -> bytes:
        with state.open_project(path) as project:
            return project.memos_file(fmt, memos=memos, lang=lang)
    return make
