"""The codebook page: the hierarchy as a tree; add, edit, move, merge and deactivate codes;
import and export YAML/CSV. Every change goes through ``coding.codebook_edit`` (audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coding.codebook import TEXT_FIELDS, parse_csv, parse_yaml, to_csv, to_yaml
from coding.errors import QcodeError
from coding.textsearch import filter_codes

from . import state
from .i18n import t
from .text import code_label, md_escape

ss = st.session_state
LANGUAGES = ("sv", "en")  # the tabs of the code forms: Svenska, English


def _depths(codes) -> dict[str, int]:
    parent = {c.id: c.parent_id for c in codes}
    out = {}
    for c in codes:
        d, node = 0, c.parent_id
        while node is not None and d < 50:
            d, node = d + 1, parent.get(node)
        out[c.id] = d
    return out


def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_cb_flash", []).append((kind, message))


def render() -> None:
    c = state.ctx()
    with state.open_project(c.path) as project:
        codes = project.codes()
        book_name = project.codebook().name or ""
        used = project.coded_code_ids()
    st.title(t("codebook.title"))
    if book_name:
        st.caption(md_escape(book_name))
    for kind, message in ss.pop("qc_cb_flash", []):
        getattr(st, kind)(message)
    depth = _depths(codes)
    labels = {x.id: code_label(x, c.lang) for x in codes}

    def fmt(code_id: str) -> str:
        return "\u2003" * depth[code_id] + f"{labels[code_id]} · {code_id}"

    # ------------------------------------------------------------- the tree
    query = st.text_input(t("codebook.search"), key="qc_cb_search", live="250ms", type="search",
                          placeholder=t("coding.find_placeholder"))
    shown = codes
    if query.strip():
        hit = {x.id for x in filter_codes(codes, query)}
        # Keep the ancestors of every hit so the tree stays readable.
        parent = {x.id: x.parent_id for x in codes}
        keep = set(hit)
        for code_id in hit:
            node = parent.get(code_id)
            while node is not None and node not in keep:
                keep.add(node)
                node = parent.get(node)
        shown = [x for x in codes if x.id in keep]
    if not codes:
        st.info(t("codebook.empty"))
    else:
        st.dataframe(pd.DataFrame([{
            t("codebook.code"): "\u2003" * depth[x.id] + ("▸ " if any(y.parent_id == x.id for y in codes) else "")
            + labels[x.id],
            "id": x.id,
            t("codebook.active"): x.active,
            t("codebook.colour"): x.color,
            t("code.definition"): x.text("definition", c.lang),
        } for x in shown]), hide_index=True, width="stretch", height=min(600, 38 + 35 * max(1, len(shown))),
            column_config={t("code.definition"): st.column_config.TextColumn(width="large")})
        st.caption(t("codebook.counts", n=len(codes), inactive=sum(1 for x in codes if not x.active)))

    if not c.can_admin:
        st.info(t("codebook.owner_only"))
        _export(c)
        return

    tab_edit, tab_add, tab_merge, tab_io = st.tabs([t("codebook.edit"), t("codebook.add"), t("codebook.merge"),
                                                    t("codebook.import_export")])
    ids = [x.id for x in codes]
    by_id = {x.id: x for x in codes}
    with tab_edit:
        if not ids:
            st.caption(t("codebook.empty"))
        else:
            code_id = st.selectbox(t("codebook.pick"), ids, format_func=fmt, key="qc_cb_pick",
                                   filter_mode="contains", placeholder=t("ui.choose_or_type"))
            _edit_form(c, by_id[code_id], ids, fmt, code_id in used)
    with tab_add:
        _add_form(c, ids, fmt)
    with tab_merge:
        _merge_form(c, ids, fmt)
    with tab_io:
        _import(c)
        _export(c)


def _edit_form(c, code, ids, fmt, is_used: bool) -> None:
    k = f"qc_cb_e{ss.get('qc_cb_edit_version', 0)}_{code.id}_"
    with st.form(f"qc_cb_edit_{code.id}", enter_to_submit=False):  # no English "Press Enter"
        values = {}
        cols = st.columns(2)
        values["label_sv"] = cols[0].text_input(t("code.label_sv"), value=code.label_sv, key=k + "label_sv")
        values["label_en"] = cols[1].text_input(t("code.label_en"), value=code.label_en, key=k + "label_en")
        values.update(_text_tabs(k, code))
        cols = st.columns(3)
        parents = [None] + [x for x in ids if x != code.id]
        parent = cols[0].selectbox(t("codebook.parent"), parents, index=parents.index(code.parent_id)
                                   if code.parent_id in parents else 0,
                                   format_func=lambda x: t("codebook.top_level") if x is None else fmt(x),
                                   key=k + "parent", filter_mode="contains", placeholder=t("ui.choose_or_type"))
        no_colour = cols[1].checkbox(t("codebook.no_colour"), value=not code.color, key=k + "nocolour")
        colour = cols[1].color_picker(t("codebook.colour"), value=code.color or "#888888", key=k + "colour")
        active = cols[2].toggle(t("codebook.active"), value=code.active, help=t("codebook.active_help"),
                                key=k + "active")
        if not st.form_submit_button(t("codebook.save"), type="primary"):
            return
    values["color"] = "" if no_colour else colour
    before = {**{key: getattr(code, key) or "" for key in ("label_sv", "label_en", "color")}, **_shown_texts(code)}
    changed = {key: v for key, v in values.items() if (v or "") != before[key]}
    for field in TEXT_FIELDS:  # an older code's neutral text becomes the text of both languages once edited
        if getattr(code, field) and any(f"{field}_{lang}" in changed for lang in LANGUAGES):
            changed.update({f"{field}_{lang}": values[f"{field}_{lang}"] for lang in LANGUAGES})
            changed[field] = ""
    try:
        with state.open_project(c.path) as project:
            if changed:
                project.update_code(code.id, actor=c.coder, **changed)
            if parent != code.parent_id:
                project.move_code(code.id, parent, actor=c.coder)
            if active != code.active:
                project.set_code_active(code.id, active, actor=c.coder)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    if changed or parent != code.parent_id or active != code.active:
        _flash("success", t("codebook.saved", id=md_escape(code.id)))
    ss["qc_cb_edit_version"] = ss.get("qc_cb_edit_version", 0) + 1
    st.rerun()


def _shown_texts(code) -> dict[str, str]:
    """What the form shows of each text per language: its own, else the neutral one of an older codebook."""
    return {f"{field}_{lang}": getattr(code, f"{field}_{lang}") or getattr(code, field)
            for field in TEXT_FIELDS for lang in LANGUAGES}


def _text_tabs(key: str, code=None) -> dict[str, str]:
    """The definition, rules and example in two tabs, Svenska and English; returns what was typed.

    An empty field shows the text readers will see instead (the other language's) as its placeholder."""
    shown = _shown_texts(code) if code is not None else {}
    out = {}
    st.caption(t("codebook.texts_help"))
    for lang, tab in zip(LANGUAGES, st.tabs([t("codebook.lang_sv"), t("codebook.lang_en")])):
        with tab:
            for field in TEXT_FIELDS:
                name = f"{field}_{lang}"
                other = code.text(field, "en" if lang == "sv" else "sv") if code is not None else ""
                out[name] = st.text_area(t(f"code.{field}"), value=shown.get(name, ""), key=key + name,
                                         height=68 if field == "example" else 80,
                                         placeholder=other or t(f"codebook.{field}_placeholder"))
    return out


def _add_form(c, ids, fmt) -> None:
    with st.form("qc_cb_add", clear_on_submit=True, enter_to_submit=False):
        cols = st.columns(2)
        code_id = cols[0].text_input(t("codebook.new_id"), key="qc_cb_new_id", help=t("codebook.id_help"))
        parent = cols[1].selectbox(t("codebook.parent"), [None] + ids, key="qc_cb_new_parent",
                                   format_func=lambda x: t("codebook.top_level") if x is None else fmt(x),
                                   filter_mode="contains", placeholder=t("ui.choose_or_type"))
        cols = st.columns(2)
        label_sv = cols[0].text_input(t("code.label_sv"), key="qc_cb_new_sv")
        label_en = cols[1].text_input(t("code.label_en"), key="qc_cb_new_en")
        texts = _text_tabs("qc_cb_new_")
        if not st.form_submit_button(t("codebook.add_button"), type="primary"):
            return
    try:
        with state.open_project(c.path) as project:
            project.add_code(id=code_id, parent=parent, label_sv=label_sv, label_en=label_en, actor=c.coder,
                             **texts)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    _flash("success", t("codebook.added", id=md_escape(code_id.strip())))
    st.rerun()


def _merge_form(c, ids, fmt) -> None:
    st.caption(t("codebook.merge_help"))
    with st.form("qc_cb_merge", enter_to_submit=False):
        cols = st.columns(2)
        source = cols[0].selectbox(t("codebook.merge_source"), ids, index=None, format_func=fmt,
                                   key="qc_cb_merge_src", filter_mode="contains", placeholder=t("ui.choose_or_type"))
        target = cols[1].selectbox(t("codebook.merge_target"), ids, index=None, format_func=fmt,
                                   key="qc_cb_merge_dst", filter_mode="contains", placeholder=t("ui.choose_or_type"))
        sure = st.checkbox(t("codebook.merge_sure"), key="qc_cb_merge_sure")
        if not st.form_submit_button(t("codebook.merge_button")):
            return
    if not source or not target:
        st.error(t("codebook.merge_pick"))
        return
    if not sure:
        st.error(t("codebook.merge_confirm"))
        return
    try:
        with state.open_project(c.path) as project:
            moved = project.merge_codes(source, target, actor=c.coder)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    _flash("success", t("codebook.merged", source=md_escape(source), target=md_escape(target), n=moved))
    st.rerun()


def _import(c) -> None:
    st.subheader(t("codebook.import"))
    version = ss.get("qc_cb_upload_version", 0)
    upload = st.file_uploader(t("codebook.import_file"), type=["yaml", "yml", "csv", "qdc"],
                              key=f"qc_cb_upload_{version}", help=t("codebook.import_help"))
    replace = st.checkbox(t("codebook.replace"), key="qc_cb_replace", help=t("codebook.replace_help"))
    if st.button(t("codebook.import_button"), key="qc_cb_import_btn", disabled=upload is None):
        is_qdc = upload.name.lower().endswith(".qdc")
        try:
            text = "" if is_qdc else upload.getvalue().decode("utf-8-sig")
        except UnicodeDecodeError:
            st.error(t("codebook.not_utf8"))
            return
        try:
            with state.open_project(c.path) as project:
                if is_qdc:  # REFI-QDA (NVivo, ATLAS.ti, MAXQDA, QualCoder): a code from here keeps its id
                    from coding.refi_codebook import qdc_to_codebook

                    book = qdc_to_codebook(upload.getvalue(), upload.name, known_ids=project.store.code_ids())
                else:
                    parse = parse_csv if upload.name.lower().endswith(".csv") else parse_yaml
                    book = parse(text, path=upload.name)
                result = project.apply_codebook(book, replace=replace, actor=c.coder, source=upload.name)
        except QcodeError as exc:
            st.error(md_escape(str(exc)).replace("\\\n", "\n"))
            return
        _flash("success", t("codebook.imported", **result))
        ss["qc_cb_upload_version"] = version + 1
        st.rerun()


def _export(c) -> None:
    st.subheader(t("codebook.export"))
    with state.open_project(c.path) as project:
        book = project.codebook()
    stem = c.path.stem + "-codebook"
    row = st.container(horizontal=True)
    row.download_button("YAML", to_yaml(book).encode("utf-8"), file_name=f"{stem}.yaml", mime="application/yaml",
                        icon=":material/download:", key="qc_cb_dl_yaml")
    row.download_button("CSV", to_csv(book).encode("utf-8"), file_name=f"{stem}.csv", mime="text/csv",
                        icon=":material/download:", key="qc_cb_dl_csv")
    row.download_button("REFI-QDA (.qdc)", lambda: _qdc(book, c.lang), file_name=f"{stem}.qdc",
                        mime="application/xml", icon=":material/download:", key="qc_cb_dl_qdc",
                        help=t("codebook.qdc_help"))


def _qdc(book, lang: str) -> bytes:
    from coding.refi_codebook import codebook_to_qdc

    return codebook_to_qdc(book, lang)
