"""The evaluation of code suggestions, on the Agreement page: how well a model learned from the team's
finished coding would code, next to the baselines and the coders' own agreement (issue 13).

Runs :meth:`coding.Project.suggest_evaluate` (the same function as ``qcode suggest evaluate``) only when
asked, inside a closed-by-default expander, so the page does not pay for scikit-learn.
"""

from __future__ import annotations

import streamlit as st

from . import state
from .i18n import t
from .text import fmt_coefficient, md_escape

ss = st.session_state
METHODS = ("model", "keyword", "prior")


def evaluation_section(path: str, coders: list[str], lang: str) -> None:
    """An expander with the evaluation form and, once run, its report."""
    with st.expander(t("suggest_eval.title"), icon=":material/model_training:", key="qc_se_open",
                     on_change="rerun"):
        if not ss.get("qc_se_open"):
            return
        st.caption(t("suggest_eval.help"))
        sources = ["all", *coders]
        form = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
        source = form.selectbox(t("suggest_eval.source"), sources, key="qc_se_source", width=220,
                                format_func=lambda s: t("suggest_eval.all") if s == "all" else s,
                                placeholder=t("ui.choose"))
        folds = form.number_input(t("suggest_eval.folds"), min_value=2, max_value=10, value=5, key="qc_se_folds",
                                  width=140)
        threshold = form.slider(t("suggest_eval.threshold"), 0.05, 0.95, 0.5, 0.05, key="qc_se_threshold",
                                width=220)
        if form.button(t("suggest_eval.run"), key="qc_se_run", icon=":material/play_arrow:"):
            with st.spinner(t("suggest_eval.running")):
                try:
                    with state.open_project(path) as project:
                        ss["qc_se_result"] = project.suggest_evaluate(source, folds=int(folds),
                                                                      threshold=float(threshold))
                except Exception as exc:  # a QcodeError says why (too few finished transcripts …)
                    ss.pop("qc_se_result", None)
                    st.error(md_escape(str(exc)))
        result = ss.get("qc_se_result")
        if result:
            _report(result, lang)


def _report(result: dict, lang: str) -> None:
    import pandas as pd

    source = t("suggest_eval.all") if result["source"] == "all" else result["source"]
    st.markdown(t("suggest_eval.summary", source=md_escape(source), segments=result["segments"],
                  transcripts=result["transcripts"], codes=len(result["codes"]), folds=len(result["folds"]),
                  threshold=fmt_coefficient(result["threshold"], lang, 2)))
    names = {m: t(f"suggest_eval.{m}") for m in METHODS}
    table = pd.DataFrame([{t("suggest_eval.method"): names[m],
                           "P (micro)": result[m]["micro"]["precision"], "R (micro)": result[m]["micro"]["recall"],
                           "F1 (micro)": result[m]["micro"]["f1"], "F1 (macro)": result[m]["macro"]["f1"]}
                          for m in METHODS])
    st.dataframe(table, hide_index=True, key="qc_se_scores",
                 column_config={c: st.column_config.NumberColumn(format="%.3f") for c in table.columns[1:]})
    alpha = result["alpha"]
    rows = [{t("suggest_eval.pair"): t("suggest_eval.model_vs", coder=c), "α": a}
            for c, a in alpha["model_vs"].items()]
    rows.append({t("suggest_eval.pair"): t("suggest_eval.human_human"), "α": alpha["human_human"]})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="qc_se_alpha",
                 column_config={"α": st.column_config.NumberColumn(format="%.3f")})
    curve = pd.DataFrame([{t("suggest_eval.training_segments"): r["segments"], "F1 (micro)": r["f1"]}
                          for r in result["learning_curve"]])
    if len(curve) > 1:
        st.caption(t("suggest_eval.curve"))
        st.line_chart(curve, x=curve.columns[0], y="F1 (micro)", height=220)
