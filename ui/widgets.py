"""Parts every page shares: the style sheet, the run context, the sidebar, the sign-in."""

from __future__ import annotations


import streamlit as st

from coding import Project
from coding.coders import one_line_name
from coding.errors import QcodeError

from . import state
from .i18n import t
from .text import md_escape

# Static style rules only (no data is ever put into HTML).
_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding: 2.6rem 1.6rem 1rem 1.6rem; }
[data-testid="stHeader"] { height: 2.5rem; min-height: 2.5rem; }
.st-key-qc-side { position: sticky; top: 3.2rem; max-height: calc(100vh - 4.5rem); overflow-y: auto; }
/* Nothing in the side panel may be squeezed to nothing by its scrolling height (the memo box was). */
.st-key-qc-side [data-testid="stVerticalBlock"] > * { flex-shrink: 0; }
.st-key-qc-memo textarea { min-height: 4.5rem; }
.st-key-qc-def { max-height: 16rem; overflow-y: auto; }
.st-key-qc-keys-holder { display: none; }
.st-key-qc-nav button { min-height: 2rem; padding: .15rem .5rem; font-size: .88rem; }
.st-key-qc-nav, .st-key-qc-top { row-gap: .3rem; }
.st-key-qc-notes p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.st-key-qc-nav kbd { display: none; }  /* the keys are in each button's tooltip and the keyboard help */
</style>
"""


def inject_css() -> None:
    st.html(_CSS)


def load_context() -> state.Ctx | None:
    """Find and open the project, work out who is coding; store the context for the pages.

    Returns None when there is no usable project, or nobody has chosen a name / signed in yet.
    """
    st.session_state.pop("qc_ctx", None)
    lang = state.language()
    try:
        path = state.project_path()
    except QcodeError as exc:  # a malformed URL (its message hides any password)
        st.session_state["qc_open_error"] = str(exc)
        return None
    if path is None:
        if state.given_project():
            path = state.place(state.given_project())
        else:
            try:
                with st.spinner(t("project.building_demo")):
                    Project.demo(state.demo_path()).close()
            except (QcodeError, OSError) as exc:
                st.session_state["qc_open_error"] = t("project.demo_failed", error=str(exc))
                return None
            path = state.demo_path()
            if not state.is_remote():
                state.save_config(last_project=str(path))
    if not path.exists():
        st.session_state["qc_open_error"] = t("project.missing", path=state.shown(path))
        st.session_state["qc_missing_path"] = str(path)
        return None
    try:
        with state.open_project(path) as project:
            coders = project.coders()
            for notice in project.notices:  # e.g. a codebook cycle from an old file, repaired on opening
                st.toast(md_escape(notice), icon=":material/build:")
            if st.session_state.get("qc_backup_checked") != str(path):  # once per browser session
                st.session_state["qc_backup_checked"] = str(path)
                project.backup_if_due()
    except QcodeError as exc:
        st.session_state["qc_open_error"] = str(exc)
        return None
    st.session_state.pop("qc_open_error", None)
    remote = state.is_remote()
    coder = st.session_state.get("qc_coder")
    if coder is None and not remote:
        coder = state.remembered_coder(path)
        if coder:
            st.session_state["qc_coder"] = coder
    if remote and coder and (not any(c["name"] == coder and c["has_password"] for c in coders)
                             or state.session_expired()):
        coder = None
        st.session_state.pop("qc_coder", None)
    owners = {c["name"] for c in coders if c["is_owner"]}
    is_owner = coder in owners
    ctx = state.Ctx(path=path, coder=coder, lang=lang, remote=remote, is_owner=is_owner,
                    can_admin=is_owner or (not remote and not owners))
    st.session_state["qc_ctx"] = ctx
    return ctx if coder else None


def _switch_language() -> None:
    value = st.session_state.get("qc_lang_widget")
    if value:
        state.set_language(value)


def _sign_out() -> None:
    c = st.session_state.get("qc_ctx")
    if c is not None:
        if c.remote:
            st.session_state.pop("qc_coder", None)
        else:
            state.set_coder(c.path, None)
    for key in [k for k in st.session_state if k.startswith("qc_") and k not in ("qc_lang", "qc_project")]:
        del st.session_state[key]


def sidebar_controls(ctx: state.Ctx | None) -> None:
    with st.sidebar:
        st.segmented_control(t("sidebar.language"), ["sv", "en"], default=state.language(),
                             format_func=lambda v: {"sv": "Svenska", "en": "English"}[v], key="qc_lang_widget",
                             on_change=_switch_language, required=True)
        c = st.session_state.get("qc_ctx")
        if c is not None:
            st.caption(t("sidebar.project", name=md_escape(c.path.name)))
        if ctx is not None and ctx.coder:
            st.caption(t("sidebar.coder", name=md_escape(ctx.coder)) + (" · " + t("sidebar.owner")
                                                                      if ctx.is_owner else ""))
            st.button(t("sidebar.signout") if ctx.remote else t("sidebar.switch_coder"), key="qc_signout",
                      on_click=_sign_out, icon=":material/logout:")


def identity_gate() -> None:
    """Choose a coder name (local machine) or sign in with a password (served beyond localhost)."""
    c = state.ctx()
    with state.open_project(c.path) as project:
        coders = project.coders()
    if c.remote:
        st.title(t("signin.title"))
        if not any(x["has_password"] for x in coders):
            st.warning(t("signin.no_passwords"))
            return
        # The name is typed, never chosen from a list: the page does not tell who has an account.
        with st.form("qc_signin_form"):
            name = st.text_input(t("signin.name"), key="qc_signin_name", autocomplete="username")
            password = st.text_input(t("signin.password"), type="password", key="qc_signin_pw",
                                     autocomplete="current-password")
            submitted = st.form_submit_button(t("signin.submit"), type="primary")
        if submitted:
            with state.open_project(c.path) as project:
                outcome = project.sign_in(name, password, client=state.client_address())
            if outcome == "ok":
                state.set_coder(c.path, one_line_name(name))
                st.rerun()
            st.error(t("signin.locked") if outcome == "locked" else t("signin.failed"))
        return
    st.title(t("who.title"))
    st.write(t("who.intro"))
    names = [x["name"] for x in coders]
    with st.form("qc_who_form"):
        picked = st.selectbox(t("who.existing"), names, index=None, key="qc_who_pick",
                              placeholder=t("who.pick_placeholder")) if names else None
        new = st.text_input(t("who.new"), key="qc_who_new")
        secret = st.text_input(t("who.password"), type="password", key="qc_who_pw", help=t("who.password_help"))
        submitted = st.form_submit_button(t("who.submit"), type="primary")
    if submitted:
        name = (new or "").strip() or picked
        if not name:
            st.error(t("who.none"))
            return
        protected = {x["name"] for x in coders if x["has_password"]}
        if name in protected:  # a coder with a password (an owner, say) is not just picked, even on this machine
            with state.open_project(c.path) as project:
                outcome = project.sign_in(name, secret or "", client=state.client_address())
            if outcome != "ok":
                st.error(t("signin.locked") if outcome == "locked" else t("who.password_needed"))
                return
        if name not in names:
            try:
                with state.open_project(c.path) as project:  # a plain coder: ownership is given explicitly
                    project.add_coder(name, actor=name)
            except QcodeError as exc:
                st.error(md_escape(str(exc)))
                return
        state.set_coder(c.path, name)
        st.rerun()
