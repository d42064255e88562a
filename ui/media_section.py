"""The project page's recordings section: attach an interview's audio or video file to its transcript
(upload it, or on this computer give its path), see whether each is still there, detach one. Owners only.

Uploads go to ``<project>.media/`` beside the project file (:func:`coding.media.attach_upload`);
the upload limit is the app's (``QCODE_MAX_UPLOAD_MB``), so a long recording is given by its path
(only when the app runs on this computer: a path names a file on the server) or with
``qcode media add``.
"""

from __future__ import annotations

import streamlit as st

from coding.media import MEDIA_TYPES, media_folder

from . import state
from .actions import act
from .i18n import t
from .text import md_escape

ss = st.session_state


def _report(kind: str, message: str) -> None:
    ss.setdefault("qc_media_msgs", []).append((kind, message))


def _said(info) -> str:
    return t(f"media.{info.outcome}", file=md_escape(info.stored_path), transcript=md_escape(info.transcript))


def _attach(path: str, actor: str, limit_mb: float, paths_allowed: bool) -> None:
    transcript, upload = ss.get("qc_media_transcript"), ss.get(f"qc_media_upload_{ss.get('qc_media_version', 0)}")
    local = (ss.get("qc_media_path") or "").strip() if paths_allowed else ""
    replace = bool(ss.get("qc_media_replace"))
    if not transcript or not (upload or local):
        _report("warning", t("media.pick_both"))
        return
    if upload is not None:
        if upload.size > limit_mb * 1024 * 1024:
            _report("error", t("media.too_big", name=md_escape(upload.name), size=f"{upload.size / 1024 / 1024:.1f}",
                               mb=f"{limit_mb:g}"))
            return
        info = act(path, lambda p: p.attach_media_upload(transcript, upload.name, upload.getvalue(), replace=replace,
                                                         actor=actor), _report)
    else:
        info = act(path, lambda p: p.attach_media(transcript, local, replace=replace, actor=actor), _report)
    if info is not None:
        _report("success", _said(info))
        ss["qc_media_version"] = ss.get("qc_media_version", 0) + 1  # an empty upload box
        ss["qc_media_path"] = ""


def _remove(path: str, actor: str) -> None:
    transcript = ss.get("qc_media_detach")
    if transcript and act(path, lambda p: p.remove_media(transcript, actor=actor), _report):
        _report("success", t("media.removed", transcript=md_escape(transcript)))


def section(c, limit_mb: float) -> None:
    """The recordings section of the project page (owners only)."""
    if not c.can_admin:
        return
    with state.open_project(c.path) as project:
        names = [tr["name"] for tr in project.transcripts()]
        attached = project.media_files()
    if not names:
        return
    with st.expander(t("media.section"), icon=":material/graphic_eq:"):
        st.caption(t("media.help", folder=md_escape(media_folder(c.path).name)))
        for kind, message in ss.pop("qc_media_msgs", []):
            getattr(st, kind)(message)
        if attached:
            st.dataframe([{t("media.transcript"): m.transcript, t("media.status"): t(f"media.status.{m.status}"),
                           t("media.file"): str(m.path)} for m in attached], hide_index=True, width="stretch")
        else:
            st.caption(t("media.none"))
        chosen = st.selectbox(t("media.transcript"), names, index=None, key="qc_media_transcript",
                              placeholder=t("memos.pick_placeholder"))
        if chosen is not None:  # the file fields once a transcript is chosen
            st.file_uploader(t("media.upload", mb=f"{limit_mb:g}"), type=[s.lstrip(".") for s in MEDIA_TYPES],
                             key=f"qc_media_upload_{ss.get('qc_media_version', 0)}")
            if not c.remote:
                st.text_input(t("media.path"), key="qc_media_path",
                              placeholder="/home/me/intervjuer/aneby_chef.m4a")
            st.checkbox(t("media.replace"), key="qc_media_replace")
            st.button(t("media.attach"), key="qc_media_attach", icon=":material/link:", type="primary",
                      on_click=_attach, args=(str(c.path), c.coder, limit_mb, not c.remote))
        if attached:
            row = st.container(horizontal=True, vertical_alignment="bottom")
            row.selectbox(t("media.transcript"), [m.transcript for m in attached], index=None, key="qc_media_detach",
                          placeholder=t("memos.pick_placeholder"), width=320)
            row.button(t("media.remove"), key="qc_media_remove", icon=":material/link_off:", on_click=_remove,
                       args=(str(c.path), c.coder))
