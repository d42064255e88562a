"""The project page: open or create a project, import transcripts, set attributes, follow progress,
manage coders and settings, read the audit log."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from coding import Project
from coding.errors import QcodeError
from coding.importers import supported_suffixes

from . import state
from . import pseudonymise_section
from . import media_section
from .actions import act
from .i18n import t
from .text import md_escape

ss = st.session_state


def max_upload_mb() -> float:
    """The upload limit per file in MB (``QCODE_MAX_UPLOAD_MB``, default 20; Streamlit's own limit is
    set to the same value in .streamlit/config.toml)."""
    try:
        return float(os.environ.get("QCODE_MAX_UPLOAD_MB", "20"))
    except ValueError:
        return 20.0


def render() -> None:
    c = st.session_state.get("qc_ctx")
    st.title(t("project.title"))
    error = ss.get("qc_open_error")
    if error:
        st.error(md_escape(error))
    if c is None or error:
        if not state.is_remote():
            _open_or_create(None)
        return
    st.caption(t("project.current_pg" if isinstance(c.path, state.ProjectURL) else "project.current",
                 path=md_escape(state.shown(c.path))))
    _show_reports()
    if not c.remote:
        with st.expander(t("project.switch"), icon=":material/swap_horiz:"):
            _open_or_create(c)
    _import_section(c)
    _attributes_section(c)
    _progress_section(c)
    _exchange_section(c)
    _delete_section(c)
    media_section.section(c, max_upload_mb())
    pseudonymise_section.section(c)
    _coders_section(c)
    _audit_section(c)


# ------------------------------------------------------------- open/create

def _open_or_create(c) -> None:
    tab_open, tab_new, tab_demo = st.tabs([t("project.open"), t("project.new"), t("project.demo")])
    with tab_open:
        found = sorted(str(p.resolve()) for p in Path.cwd().glob("*.qcode"))
        if found:
            st.selectbox(t("project.found"), found, index=None, key="qc_open_pick", placeholder=t("ui.choose"),
                         on_change=lambda: ss.update(qc_open_path=ss.get("qc_open_pick") or ""))
        path = st.text_input(t("project.path"), key="qc_open_path", placeholder="/home/me/study.qcode")
        if st.button(t("project.open_button"), key="qc_open_btn", type="primary"):
            _open(path)
    with tab_new:
        default = ss.get("qc_missing_path", "")
        path = st.text_input(t("project.path"), value=default, key="qc_new_path",
                             placeholder="/home/me/study.qcode")
        owner = st.text_input(t("project.owner_name"), key="qc_new_owner",
                              value=(c.coder if c and c.coder else ""))
        if st.button(t("project.create_button"), key="qc_new_btn", type="primary"):
            _create(path, owner)
    with tab_demo:
        st.write(t("project.demo_text"))
        if st.button(t("project.demo_button"), key="qc_demo_btn"):
            try:
                with st.spinner(t("project.building_demo")):
                    if not state.demo_path().exists():
                        Project.demo(state.demo_path()).close()
            except QcodeError as exc:
                st.error(md_escape(str(exc)))
                return
            _switch(state.demo_path())


def _switch(path) -> None:
    for key in ("qc_open_error", "qc_missing_path"):
        ss.pop(key, None)
    state.choose_project(path)
    st.rerun()


def _open(path: str) -> None:
    path = (path or "").strip()
    if not path:
        st.error(t("project.no_path"))
        return
    try:
        target = state.place(path)
        Project.open(target).close()
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    _switch(target)


def _create(path: str, owner: str) -> None:
    path = (path or "").strip()
    if not path:
        st.error(t("project.no_path"))
        return
    try:
        target = state.place(path)
        if isinstance(target, Path) and target.suffix != ".qcode":
            target = target.with_name(target.name + ".qcode")
        with Project.create(target) as project:
            if owner.strip():
                project.add_coder(owner.strip(), owner=True, actor=owner.strip())
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    if owner.strip():
        state.set_coder(target, owner.strip())
    _switch(target)


# ------------------------------------------------------------------ import

def _import_section(c) -> None:
    st.subheader(t("project.import"), divider="gray")
    limit = max_upload_mb()
    version = ss.get("qc_upload_version", 0)
    files = st.file_uploader(t("project.files", types=", ".join(supported_suffixes()), mb=f"{limit:g}"),
                             type=[s.lstrip(".") for s in supported_suffixes()], accept_multiple_files=True,
                             key=f"qc_upload_{version}")
    cols = st.columns(3)
    unit = cols[0].selectbox(t("project.unit"), ["sentence", "paragraph", "turn"], key="qc_unit",
                             format_func=lambda u: t(f"project.unit_{u}"), placeholder=t("ui.choose"))
    language = cols[1].selectbox(t("project.language"), ["sv", "en"], key="qc_import_lang",
                                 format_func=lambda v: {"sv": "svenska / Swedish", "en": "engelska / English"}[v],
                                 placeholder=t("ui.choose"))
    clean = cols[2].checkbox(t("project.clean"), key="qc_clean", help=t("project.clean_help"))
    for kind, message in ss.pop("qc_import_msgs", []):
        getattr(st, kind)(message)
    if st.button(t("project.import_button"), key="qc_import_btn", type="primary", disabled=not files):
        too_big = [f for f in files if f.size > limit * 1024 * 1024]
        if too_big:
            for f in too_big:
                st.error(t("project.too_big", name=md_escape(f.name), size=f"{f.size / 1024 / 1024:.1f}",
                           mb=f"{limit:g}"))
            return
        bar = st.progress(0.0, text=t("project.reading"))

        def progress(i: int, n: int, name: str) -> None:
            bar.progress(min(1.0, (i - 1) / max(n, 1)), text=t("project.reading_file", i=i, n=n,
                                                                  name=md_escape(name)))

        try:
            with state.open_project(c.path) as project:
                result = project.import_uploads([(f.name, f.getvalue()) for f in files], unit=unit,
                                                language=language, clean=clean, max_bytes=int(limit * 1024 * 1024),
                                                actor=c.coder, progress=progress)
        except QcodeError as exc:
            bar.empty()
            st.error(t("project.import_failed") + "\n\n" + md_escape(str(exc)))
            return
        bar.progress(1.0, text=t("project.done"))
        msgs = []
        if result.imported:
            msgs.append(("success", t("project.imported", n=len(result.imported), segments=result.segments,
                                      names=md_escape(", ".join(result.imported)))))
        for name, reason in result.skipped:
            msgs.append(("info", t("project.skipped", name=md_escape(name), reason=md_escape(reason))))
        for w in result.warnings:
            msgs.append(("warning", md_escape(w)))
        ss["qc_import_msgs"] = msgs
        ss["qc_upload_version"] = version + 1
        st.rerun()


# -------------------------------------------------------------- attributes

def _save_attributes(path: str, names: list[str], columns: list[str], key: str, actor: str) -> bool:
    """Write the edits of the attribute table at once; returns whether there were any."""
    edits = (ss.get(key) or {}).get("edited_rows", {})
    if not edits:
        return False
    try:
        with state.open_project(path) as project:
            for row, changes in edits.items():
                name = names[int(row)]
                values = {col: (None if v is None else str(v).strip() or None) for col, v in changes.items()
                          if col in columns}
                if values:
                    project.set_attributes(name, values, actor=actor)
    except QcodeError as exc:
        ss["qc_attr_error"] = str(exc)
    ss["qc_attr_version"] = ss.get("qc_attr_version", 0) + 1
    return True


def _add_attribute_column() -> None:
    name = (ss.get("qc_new_attr") or "").strip()
    if name:
        extra = ss.setdefault("qc_extra_attrs", [])
        if name not in extra:
            extra.append(name)
    ss["qc_new_attr"] = ""


def _attributes_section(c) -> None:
    st.subheader(t("project.attributes"), divider="gray")
    with state.open_project(c.path) as project:
        transcripts = project.transcripts()
        columns = project.attribute_names()
    if not transcripts:
        st.info(t("project.no_transcripts"))
        return
    columns = columns + [x for x in ss.get("qc_extra_attrs", []) if x not in columns]
    names = [tr["name"] for tr in transcripts]
    frame = pd.DataFrame([{col: tr["attributes"].get(col) for col in columns} for tr in transcripts],
                         columns=columns, index=pd.Index(names, name=t("project.transcript")), dtype="object")
    key = f"qc_attrs_{ss.get('qc_attr_version', 0)}"
    if err := ss.pop("qc_attr_error", None):
        st.error(md_escape(err))
    st.caption(t("project.attributes_help"))
    st.data_editor(frame, key=key, width="stretch", num_rows="fixed",
                   column_config={col: st.column_config.TextColumn(col) for col in columns})
    if _save_attributes(str(c.path), names, columns, key, c.coder):
        st.rerun()
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.text_input(t("project.new_attribute"), key="qc_new_attr", placeholder="kommun, roll, fas, datum …",
                   width=300)
    row.button(t("project.add_attribute"), key="qc_add_attr", on_click=_add_attribute_column)


# ---------------------------------------------------------------- progress

def _progress_section(c) -> None:
    st.subheader(t("project.progress"), divider="gray")
    with state.open_project(c.path) as project:
        transcripts = project.transcripts()
        coders = [x["name"] for x in project.coders()]
        progress = {coder: project.coding_progress(coder) for coder in coders}
    if not transcripts or not coders:
        st.caption(t("project.no_progress"))
        return
    rows = []
    for tr in transcripts:
        row = {t("project.transcript"): tr["name"], t("project.segments"): tr["segments"]}
        for coder in coders:
            n, total = progress[coder].get(tr["id"], (0, tr["segments"]))
            row[coder] = f"{n}/{total}" + (" ✓" if coder in tr["done_by"] else "")
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("project.progress_help"))


# ---------------------------------------------------------------- deletion

def _delete(path: str, name: str, actor: str) -> None:
    deleted = act(path, lambda p: p.delete_transcript(name, actor=actor), _report)
    if deleted is not None:
        _report("success", t("project.deleted", name=md_escape(name), codings=deleted["codings"],
                             segments=deleted["segments"]))
    ss.pop("qc_delete_sure", None)


def _delete_section(c) -> None:
    """Delete a transcript with its codings: owners only, after naming what goes and a confirmation."""
    if not c.can_admin:
        return
    with state.open_project(c.path) as project:
        transcripts = project.transcripts()
    if not transcripts:
        return
    with st.expander(t("project.delete"), icon=":material/delete:"):
        names = [tr["name"] for tr in transcripts]
        name = st.selectbox(t("project.delete_which"), names, index=None, key="qc_delete_name",
                            placeholder=t("project.delete_pick"))
        if name is None:
            return
        with state.open_project(c.path) as project:
            n_codings = len(project.codings(transcript=name))
        tr = transcripts[names.index(name)]
        st.warning(t("project.delete_warning", name=md_escape(name), segments=tr["segments"], codings=n_codings))
        sure = st.checkbox(t("project.delete_sure"), key="qc_delete_sure")
        st.button(t("project.delete_button"), key="qc_delete_btn", type="primary", disabled=not sure,
                  icon=":material/delete_forever:", on_click=_delete, args=(str(c.path), name, c.coder))


# ------------------------------------------------------------------ coders

def _exchange_section(c) -> None:
    """The whole project as a REFI-QDA archive for NVivo, ATLAS.ti, MAXQDA or QualCoder (made on click)."""
    st.subheader(t("project.exchange"), divider="gray")
    st.caption(t("project.exchange_help"))
    st.download_button(t("project.qdpx_download"), lambda: _qdpx_bytes(str(c.path), c.lang),
                       file_name=f"{c.path.stem}.qdpx", mime="application/zip", icon=":material/download:",
                       key="qc_qdpx_dl")
    if c.can_admin:
        _qdpx_import(c)


def _qdpx_import(c) -> None:
    """Import a .qdpx from another tool (or qcode) into this project; the report stays until the next one."""
    version = ss.get("qc_qdpx_version", 0)
    upload = st.file_uploader(t("project.qdpx_import"), type=["qdpx"], key=f"qc_qdpx_upload_{version}",
                              help=t("project.qdpx_import_help"))
    for kind, message in ss.get("qc_qdpx_msgs", []):
        getattr(st, kind)(message)
    if not st.button(t("project.qdpx_import_button"), key="qc_qdpx_import_btn", disabled=upload is None):
        return
    msgs: list[tuple[str, str]] = []

    def report(kind: str, message: str) -> None:
        msgs.append((kind, t("project.qdpx_failed") + "\n\n" + message))

    result = act(c.path, lambda p: p.import_qdpx(upload.getvalue(), name=upload.name, actor=c.coder), report)
    if result is not None:
        msgs.append(("success", t("project.qdpx_imported", name=md_escape(upload.name), n=len(result.transcripts),
                                  segments=result.segments, codes=result.codes_added, codings=result.codings,
                                  coders=len(result.coders), memos=result.memos)))
        if result.reused:
            msgs.append(("info", t("project.qdpx_reused", names=md_escape(", ".join(result.reused)))))
        for key, n in result.converted.items():
            msgs.append(("info", t(f"project.qdpx_conv_{key}", n=n)))
        for name, reason in result.skipped:
            msgs.append(("warning", t("project.skipped", name=md_escape(name), reason=md_escape(reason))))
        for warning in result.warnings:
            msgs.append(("warning", md_escape(warning)))
        ss["qc_qdpx_version"] = version + 1
    ss["qc_qdpx_msgs"] = msgs
    st.rerun()


def _qdpx_bytes(path: str, lang: str) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp, state.open_project(path) as project:
        out = Path(tmp) / "project.qdpx"
        project.export_qdpx(out, lang=lang)
        return out.read_bytes()


def _coders_section(c) -> None:
    st.subheader(t("project.coders"), divider="gray")
    with state.open_project(c.path) as project:
        coders = project.coders()
        blind = project.blind_coding()
        add_codes = project.coders_add_codes()
    st.dataframe(pd.DataFrame([{t("project.coder"): x["name"], t("project.role"): t(f"role.{x['role']}"),
                                t("project.has_password"): x["has_password"]} for x in coders]),
                 hide_index=True)
    if not any(x["is_owner"] for x in coders) and c.can_admin and not c.remote:
        st.info(t("project.no_owner"))
        st.button(t("project.become_owner", name=md_escape(c.coder)), key="qc_become_owner",
                  icon=":material/shield_person:", on_click=_become_owner, args=(str(c.path), c.coder))
    if not c.can_admin:
        st.caption(t("project.owner_only"))
    else:
        key = "qc_blind"
        ss[key] = blind
        st.toggle(t("project.blind"), key=key, help=t("project.blind_help"),
                  on_change=_set_blind, args=(str(c.path), c.coder))
        ss["qc_add_codes"] = add_codes
        st.toggle(t("project.coders_add_codes"), key="qc_add_codes", help=t("project.coders_add_codes_help"),
                  on_change=lambda path, actor: act(path, lambda p: p.set_coders_add_codes(
                      bool(ss.get("qc_add_codes")), actor=actor), _report), args=(str(c.path), c.coder))
        if any(x["is_owner"] for x in coders):
            row = st.container(horizontal=True, vertical_alignment="bottom")
            row.selectbox(t("project.coder"), [x["name"] for x in coders if x["name"] != "consensus"],
                          key="qc_role_who", width=220, placeholder=t("ui.choose"))
            row.selectbox(t("project.role"), ["owner", "lead", "coder", "viewer"], index=2, key="qc_role_new",
                          format_func=lambda r: t(f"role.{r}"), width=220, help=t("project.role_help"),
                          placeholder=t("ui.choose"))
            row.button(t("project.set_role"), key="qc_role_btn", on_click=_set_role, args=(str(c.path), c.coder))
        with st.form("qc_add_coder_form", clear_on_submit=True):
            st.subheader(t("project.add_coder"))
            name = st.text_input(t("project.coder_name"), key="qc_add_coder_name")
            password = st.text_input(t("project.password"), type="password", key="qc_add_coder_pw",
                                     help=t("project.password_help"))
            owner = st.checkbox(t("project.make_owner"), key="qc_add_coder_owner")
            if st.form_submit_button(t("project.add_coder_button")):
                if c.remote and not password:
                    st.error(t("project.password_needed"))
                else:
                    try:
                        with state.open_project(c.path) as project:
                            project.add_coder(name, password=password or None, owner=owner, actor=c.coder)
                        st.success(t("project.coder_added", name=md_escape(name.strip())))
                    except QcodeError as exc:
                        st.error(md_escape(str(exc)))
    # Everyone may set their own password; the owner may set anyone's.
    with st.form("qc_password_form", clear_on_submit=True):
        st.subheader(t("project.set_password"))
        names = [x["name"] for x in coders] if c.can_admin else [c.coder]
        who = st.selectbox(t("project.coder"), names, index=names.index(c.coder) if c.coder in names else 0,
                           key="qc_pw_who", placeholder=t("ui.choose"))
        password = st.text_input(t("project.new_password"), type="password", key="qc_pw_new")
        again = st.text_input(t("project.repeat_password"), type="password", key="qc_pw_again")
        if st.form_submit_button(t("project.set_password_button")):
            if not password or password != again:
                st.error(t("project.password_mismatch"))
            else:
                try:
                    with state.open_project(c.path) as project:
                        project.set_password(who, password, actor=c.coder)
                    st.success(t("project.password_set", name=md_escape(who)))
                except QcodeError as exc:
                    st.error(md_escape(str(exc)))


def _become_owner(path: str, name: str) -> None:
    act(path, lambda p: p.set_role(name, "owner", actor=name), _report)


def _set_role(path: str, actor: str) -> None:
    who, role = ss.get("qc_role_who"), ss.get("qc_role_new")
    if who and role and act(path, lambda p: p.set_role(who, role, actor=actor) or True, _report):
        _report("success", t("project.role_set", name=md_escape(who), role=t(f"role.{role}")))


def _set_blind(path: str, actor: str) -> None:
    act(path, lambda p: p.set_blind_coding(bool(ss.get("qc_blind")), actor=actor), _report)


def _report(kind: str, message: str) -> None:
    ss.setdefault("qc_project_msgs", []).append((kind, message))


def _show_reports() -> None:
    for kind, message in ss.pop("qc_project_msgs", []):
        getattr(st, kind)(message)


# ------------------------------------------------------------------- audit

def _audit_section(c) -> None:
    """The audit log: who changed what and when, filtered by coder, action and time, exportable as CSV."""
    import datetime as dt
    import io

    with st.expander(t("project.audit"), icon=":material/history:"):
        with state.open_project(c.path) as project:
            coders = [x["name"] for x in project.coders()]
            actions = project.audit_actions()
        row = st.container(horizontal=True, vertical_alignment="bottom")
        who = row.selectbox(t("audit.actor"), coders, index=None, key="qc_audit_who", width=200,
                            placeholder=t("audit.everyone"))
        what = row.multiselect(t("audit.action"), actions, key="qc_audit_what", width=360,
                               placeholder=t("audit.all_actions"))
        period = row.date_input(t("audit.period"), value=(), key="qc_audit_period", width=260, format="YYYY-MM-DD",
                                max_value=dt.date.today())
        since = until = None
        if isinstance(period, (tuple, list)) and period:
            since = period[0].isoformat()
            until = (period[1] if len(period) > 1 else period[0]).isoformat()
        filters = {"actor": who, "actions": what or None, "since": since, "until": until}
        with state.open_project(c.path) as project:
            entries = project.audit_log(limit=500, **filters)
            buf = io.StringIO()
            n = project.export_audit_log(buf, **filters)
        if not entries:
            st.caption(t("project.audit_empty"))
            return
        st.caption(t("audit.shown", shown=len(entries), n=n))
        st.dataframe(pd.DataFrame([{t("audit.at"): e["at"], t("audit.actor"): e["actor"] or "",
                                    t("audit.action"): e["action"], t("audit.target"): e["target"] or "",
                                    t("audit.detail"): "" if e["detail"] is None else str(e["detail"])[:300]}
                                   for e in entries]), hide_index=True, width="stretch")
        st.download_button(t("audit.export"), buf.getvalue().encode("utf-8"), file_name=f"{c.path.stem}-audit.csv",
                           mime="text/csv", icon=":material/download:", key="qc_audit_csv")
