"""The project page's pseudonymisation section: propose, review, apply (project owners only).

The library (:mod:`coding.pseudonymise`) finds person names, personnummer, phone numbers and
e-mail addresses and proposes stable placeholders. Here the owner reviews every finding in a
table (low-confidence guesses start unticked), sees a transcript before and after, and only
then applies the ticked ones. The key (placeholder → original) goes to a file the owner names,
outside the project; it is never stored in the project.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from . import state
from .actions import act
from .i18n import t
from .text import md_escape

ss = st.session_state
PLAN = "qc_pseudo_plan"


def _default_key(path) -> str:
    """Beside the project file; for a project on PostgreSQL (no folder) in the home folder."""
    if isinstance(path, state.ProjectURL):
        return str(Path.home() / (path.stem + "-nyckel.json"))
    return str(path.with_name(path.stem + "-nyckel.json"))


def section(c) -> None:
    if not c.can_admin:
        return
    with st.expander(t("pseudo.title"), icon=":material/shield_person:"):
        st.caption(t("pseudo.intro"))
        key_file = st.text_input(t("pseudo.key_file"), value=_default_key(c.path), key="qc_pseudo_key",
                                 help=t("pseudo.key_help"))
        cols = st.columns(2)
        names = cols[0].text_area(t("pseudo.names"), key="qc_pseudo_names", height=90,
                                  placeholder="Lena Berg\nAnders Ek")
        keep = cols[1].text_area(t("pseudo.keep"), key="qc_pseudo_keep", height=90,
                                 placeholder="Höglandet\nFinsam")
        if st.button(t("pseudo.propose"), key="qc_pseudo_propose", icon=":material/search:"):
            from coding import pseudonymise

            plan = act(c.path, lambda p: pseudonymise.propose(
                p, names=_lines(names), keep=_lines(keep),
                key_file=key_file if Path(key_file).exists() else None), _error)
            if plan is not None:
                ss[PLAN] = plan
        plan = ss.get(PLAN)
        if plan is None:
            return
        if not plan.findings:
            st.success(t("pseudo.nothing"))
            return
        _review(c, plan, key_file)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _error(kind: str, message: str) -> None:
    getattr(st, "error" if kind == "error" else kind)(message)


def _review(c, plan, key_file: str) -> None:
    counts = plan.counts()
    st.markdown(t("pseudo.found", n=len(plan.findings), persons=len(plan.persons),
                  kinds=", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))))
    rows = plan.rows()
    frame = pd.DataFrame({
        t("pseudo.col_take"): [r["confidence"] != "low" for r in rows],
        t("pseudo.col_text"): [r["text"] for r in rows],
        t("pseudo.col_replacement"): [r["replacement"] for r in rows],
        t("pseudo.col_kind"): [r["kind"] for r in rows],
        t("pseudo.col_where"): [f"{r['transcript']} ({r['field']})" for r in rows],
        t("pseudo.col_context"): [r["context"] for r in rows],
    })
    edited = st.data_editor(frame, key="qc_pseudo_table", hide_index=True, width="stretch",
                            disabled=[col for col in frame.columns if col != t("pseudo.col_take")])
    ticked = [rows[i]["id"] for i, take in enumerate(edited[t("pseudo.col_take")]) if take]
    chosen = plan.keep_only(ticked)
    transcripts = chosen.transcripts()
    if transcripts:
        which = st.selectbox(t("pseudo.preview"), transcripts, key="qc_pseudo_preview", placeholder=t("ui.choose"))
        with state.open_project(c.path) as project:
            text = project.store.transcript_text(project.transcript_id(which))
        before, after = st.columns(2)
        before.caption(t("pseudo.before"))
        before.text(text[:4000])
        after.caption(t("pseudo.after"))
        after.text(chosen.preview(text, which)[:4000])
    sure = st.checkbox(t("pseudo.sure", n=len(chosen.findings)), key="qc_pseudo_sure")
    if st.button(t("pseudo.apply"), key="qc_pseudo_apply", type="primary", disabled=not sure or not ticked,
                 icon=":material/shield_person:"):
        from coding import pseudonymise

        applied = act(c.path, lambda p: pseudonymise.apply(p, chosen, key_file=key_file, actor=c.coder), _error)
        if applied is None:
            return
        ss.pop(PLAN, None)
        st.success(t("pseudo.applied", n=sum(applied.counts.values()), transcripts=len(applied.transcripts),
                     file=md_escape(str(applied.key_file))))
        for warning in applied.warnings:
            st.warning(md_escape(warning))
        left = act(c.path, lambda p: pseudonymise.leftovers(p, key_file), _error) or []
        if left:
            st.warning(t("pseudo.leftovers", n=len(left)))
            st.dataframe(pd.DataFrame(left), hide_index=True)
