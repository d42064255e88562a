"""The agreement page: intercoder agreement per code (colour-coded by Krippendorff's thresholds), and
the disagreement review where the team settles each segment with one click.

The figures come from ``coding.agreement_design`` (``agreement_by_code``) for a
:class:`coding.specs.AgreementSpec` built from the widgets (the same spec ``qcode agreement`` builds
from its options); the statistics offered are the registry's (``coding.agreement_statistics``). The
review and the consensus decisions go through ``coding.disagreements`` and ``coding.consensus``
(``disagreements``, ``accept``, ``decide`` and ``consensus_from_agreement``), which record who decided
what and when in the audit log. This module computes no statistic: it collects the choices, shows the
library's tables and maps each value to a colour band.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from coding import agreement_statistics as registry
from coding.agreement_design import MEAN, POOLED, agreement_by_code
from coding.codings import CONSENSUS
from coding.csvsafe import neutralise
from coding.disagreements import disagreements
from coding.errors import QcodeError
from coding.specs import AgreementSpec
from coding.codings import blinded as coding_blinded

from . import state
from .actions import act
from .i18n import t
from .page_coding import synced_key
from .suggest_report import evaluation_section
from .text import as_number, code_label, fmt_coefficient, highlighted_html, md_escape

ss = st.session_state
PAGE_SIZE = 20

#: Krippendorff (2004, p. 241): rely on variables with alpha >= .800; consider variables with
#: .667 <= alpha < .800 only for tentative conclusions; below .667, discard.
RELIABLE, TENTATIVE = 0.800, 0.667
#: background colours of the bands (light, with dark text, readable in both themes)
BAND_COLOURS = {"reliable": "#c8e6c9", "tentative": "#ffe0b2", "unreliable": "#ffcdd2", "na": "#e0e0e0"}
#: statistics coloured by the convention: the chance-corrected ones (percent agreement is not coloured)
COLOURED = tuple(s.name for s in registry.statistics() if s.chance_corrected)
DEFAULT_STATISTICS = ("alpha", "kappa", "percent")

_CSS = """
<style>
[class*="st-key-qcagctx-"] .stText { color: #777; font-size: .85rem; }
[class*="st-key-qcagmeta-"] .stText { color: #6b6b6b; font-size: .8rem; }
[class*="st-key-qcagdone-"] { border-left: 4px solid #2e7d32; padding-left: .5rem; }
</style>
"""


# ------------------------------------------------------------ plain helpers

def stat_label(name: str) -> str:
    """A statistic's name in the app's language; one without a translation shows the registry's label."""
    from .i18n import STRINGS

    key = f"agreement.stat_{name}"
    return t(key) if key in STRINGS else registry.get_statistic(name).label


def band(value) -> str:
    """The colour band of one coefficient: ``reliable``, ``tentative``, ``unreliable`` or ``na``."""
    v = as_number(value)
    if v is None:
        return "na"
    return "reliable" if v >= RELIABLE else ("tentative" if v >= TENTATIVE else "unreliable")


def band_style(value) -> str:
    return f"background-color: {BAND_COLOURS[band(value)]}; color: #1b1b1b"


def spec_from_choices(coders, statistics, *, scope: str | None, level: str | None, unit: str | None,
                      case_attribute: str | None) -> AgreementSpec:
    """The spec of the page's widgets (``scope``: "all", "transcript" or an attribute)."""
    return AgreementSpec(coders=tuple(coders), statistics=tuple(statistics),
                         by=None if scope in (None, "all") else scope, level=level or "code", unit=unit or "segment",
                         case_attribute=case_attribute)


def agreement_table(store, spec: AgreementSpec) -> pd.DataFrame:
    """The library's per-code table for the page's spec."""
    return agreement_by_code(store, spec)


def project_signature(store) -> int:
    """What changes whenever the project's data may have: the store's change counter (newest audit id)."""
    return store.change_counter()


@st.cache_data(max_entries=24, show_spinner=False)
def _cached_table(path: str, signature: int, spec: AgreementSpec) -> pd.DataFrame:
    """The agreement table for one state of the project (``signature``); only data frames are kept,
    never a connection."""
    with state.open_project(path) as project:
        return agreement_table(project.store, spec)


def cached_agreement_table(path: str | Path, spec: AgreementSpec) -> pd.DataFrame:
    """:func:`agreement_table`, reused while the project is unchanged (switching a toggle or the language
    does not recompute it)."""
    with state.open_project(path) as project:
        signature = project_signature(project.store)
    return _cached_table(str(state.place(path).resolve()), signature, spec)


def display_frame(table: pd.DataFrame, statistics, lang: str, *, show_scope: bool) -> pd.DataFrame:
    """The library's table with the UI's column names and the code labels in ``lang``."""
    label_col = "label_en" if lang == "en" else "label_sv"
    other = "label_sv" if lang == "en" else "label_en"
    labels = [a or b or code for a, b, code in zip(table[label_col], table[other], table["code"])]
    out = pd.DataFrame({
        t("agreement.col_scope"): table["scope"].astype(str),
        t("agreement.col_code"): labels,
        "id": table["code"].astype(str),
        t("agreement.col_units"): table["units"].astype(int),
        t("agreement.col_coded"): table["coded"].astype(int),
    })
    for s in statistics:
        out[stat_label(s)] = table[s].astype(float)
    if not show_scope:
        out = out.drop(columns=[t("agreement.col_scope")])
    return out.reset_index(drop=True)


def styled(frame: pd.DataFrame, statistics):
    """Three decimals, n/a for undefined values, chance-corrected statistics coloured by band."""
    names = [stat_label(s) for s in statistics]
    coloured = [stat_label(s) for s in statistics if s in COLOURED]
    lang = state.language()
    return (frame.style.format(lambda v: fmt_coefficient(v, lang), subset=names)
            .map(band_style, subset=coloured))


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The library's table as CSV; text a spreadsheet would run as a formula gets an apostrophe."""
    safe = table.copy()
    for col in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[col]):
            safe[col] = safe[col].astype(object).map(neutralise)
    return safe.to_csv(index=False).encode("utf-8")


def default_coders(transcripts: list[dict], humans: list[str]) -> list[str]:
    """The coders the page starts with: the pair that has finished the most transcripts in common, plus
    every other coder who has finished all of those too (so that one colleague who finished a single
    transcript does not shrink the comparison). Agreement counts only transcripts all chosen coders finished.

    >>> ts = [{"done_by": ["anna", "erik"]}, {"done_by": ["anna", "erik", "sara"]}, {"done_by": ["anna", "erik"]}]
    >>> default_coders(ts, ["anna", "erik", "sara"])
    ['anna', 'erik']
    """
    from itertools import combinations

    done = {h: {i for i, tr in enumerate(transcripts) if h in tr["done_by"]} for h in humans}
    best = max(combinations(humans, 2), key=lambda pair: len(done[pair[0]] & done[pair[1]]), default=None)
    if best is None:
        return list(humans)
    common = done[best[0]] & done[best[1]]
    if not common:
        return list(humans)
    return [h for h in humans if h in best or common <= done[h]]


def done_counts(transcripts: list[dict], coders) -> tuple[dict[str, int], int]:
    """How many transcripts each coder has marked done, and how many every one of them has."""
    per = {c: sum(1 for tr in transcripts if c in tr["done_by"]) for c in coders}
    every = sum(1 for tr in transcripts if all(c in tr["done_by"] for c in coders))
    return per, every


# ---------------------------------------------------------------- callbacks

def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_ag_flash", []).append((kind, message))


def _where(rec: dict) -> str:
    return f"{rec['transcript']} #{rec['segment']}"


def cb_accept(path: str, segment_id: int, coder: str, decider: str) -> None:
    done = act(path, lambda p: p.accept(segment_id, coder, decided_by=decider), _flash)
    if done is not None:
        _flash("toast", t("agreement.saved", where=md_escape(_where(done))))


def cb_decide(path: str, segment_id: int, codes: list[str], decider: str, how: str) -> None:
    done = act(path, lambda p: p.decide(segment_id, codes, decided_by=decider, how=how), _flash)
    if done is not None:
        _flash("toast", t("agreement.saved", where=md_escape(_where(done))))


def cb_decide_widget(path: str, segment_id: int, key: str, decider: str) -> None:
    cb_decide(path, segment_id, list(ss.get(key) or []), decider, "manual")


def cb_copy_agreed(path: str, coders: tuple[str, ...], decider: str) -> None:
    r = act(path, lambda p: p.consensus_from_agreement(list(coders), decided_by=decider), _flash)
    if r is not None:
        _flash("success", t("agreement.copied", **{k: r[k] for k in ("agreed", "transcripts", "written", "codings",
                                                                       "skipped")}))


# --------------------------------------------------------------------- page

def render() -> None:
    c = state.ctx()
    st.html(_CSS)
    st.title(t("agreement.title"))
    with state.open_project(c.path) as project:
        store = project.store
        transcripts = project.transcripts()
        attributes = store.attribute_names()
        everyone = store.coders()
        blinded = coding_blinded(store, c.coder)
    if blinded:  # agreement shows other coders' codes: only once I have finished my own coding
        st.info(t("agreement.blind_wait"), icon=":material/visibility_off:")
        return
    humans = [x for x in everyone if x != CONSENSUS]
    if len(humans) < 2:
        st.info(t("agreement.need_two"))
        return

    # ------------------------------------------------------------- choices
    ss["qc_ag_coders"] = [x for x in ss.get("qc_ag_coders", default_coders(transcripts, humans)) if x in humans]
    coders = st.multiselect(t("agreement.coders"), humans, key="qc_ag_coders", placeholder=t("ui.choose_many"))
    if len(coders) < 2:
        st.warning(t("agreement.pick_two"))
        return
    per, every = done_counts(transcripts, coders)
    st.caption(t("agreement.done_note", total=len(transcripts), all=every,
                 per_coder=", ".join(f"{md_escape(x)} {n}" for x, n in per.items())))

    scope_options = ["all", "transcript", *attributes]
    case_options = list(attributes)
    default_case = next((a for a in ("kommun", "municipality") if a in attributes),
                        case_options[0] if case_options else None)
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    scope = bar.selectbox(t("agreement.scope"), scope_options, key="qc_ag_scope", width=220, placeholder=t("ui.choose"),
                          format_func=lambda v: {"all": t("agreement.scope_all"),
                                                 "transcript": t("agreement.scope_transcript")}.get(
                              v, t("agreement.scope_attribute", name=v)))
    unit = bar.segmented_control(t("agreement.unit"), ["segment", "case"] if case_options else ["segment"],
                                 default="segment", key="qc_ag_unit",
                                 required=True, help=t("agreement.unit_help"),
                                 format_func=lambda v: t("agreement.unit_segment") if v == "segment" else (
                                     t("agreement.unit_case", name=default_case) if default_case
                                     else t("agreement.unit_case_plain")))
    case_attr = None
    if unit == "case":
        case_attr = bar.selectbox(t("agreement.unit_case_plain"), case_options,
                                  index=case_options.index(default_case), key="qc_ag_case", width=180,
                                  placeholder=t("ui.choose"))
    level = bar.segmented_control(t("agreement.level"), ["code", "category"], default="code", key="qc_ag_level",
                                  required=True, format_func=lambda v: t(f"matrix.level_{v}"))
    stat_options = list(registry.applicable(len(coders)))
    ss["qc_ag_stats"] = [s for s in ss.get("qc_ag_stats", DEFAULT_STATISTICS) if s in stat_options]
    statistics = bar.multiselect(t("agreement.statistics"), stat_options, key="qc_ag_stats", width=420,
                                 placeholder=t("ui.choose_many"),
                                 format_func=stat_label,
                                 help=None if len(coders) == 2 else t("agreement.kappa_two"))
    if not statistics:
        st.warning(t("agreement.pick_stat"))
        return
    statistics = [s for s in registry.statistic_names() if s in statistics]  # the registry's order

    try:
        spec = spec_from_choices(coders, statistics, scope=scope, level=level, unit=unit, case_attribute=case_attr)
        table = cached_agreement_table(c.path, spec)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return

    st.markdown(t("agreement.convention"))
    show_scope = scope != "all"
    overall = table[table["code"].isin([POOLED, MEAN])]
    codes = table[~table["code"].isin([POOLED, MEAN])]
    if not len(table) or int(overall["units"].max() if len(overall) else 0) == 0:
        st.info(t("agreement.no_units"))
    st.subheader(t("agreement.overall"), divider="gray")
    units_help = st.column_config.NumberColumn(t("agreement.col_units"), help=t("agreement.col_units_help"))
    coded_help = st.column_config.NumberColumn(t("agreement.col_coded"), help=t("agreement.col_coded_help"))
    config = {t("agreement.col_units"): units_help, t("agreement.col_coded"): coded_help}
    frame = display_frame(overall, statistics, c.lang, show_scope=show_scope)
    st.dataframe(styled(frame, statistics), hide_index=True, column_config=config, key="qc_ag_overall",
                 height=min(420, 38 + 35 * max(1, len(frame))))
    st.caption(t("agreement.overall_help"))

    st.subheader(t("agreement.per_code"), divider="gray")
    only_used = st.toggle(t("agreement.only_used"), value=True, key="qc_ag_only_used")
    if only_used:
        codes = codes[codes["coded"] > 0]
    frame = display_frame(codes, statistics, c.lang, show_scope=show_scope)
    st.dataframe(styled(frame, statistics), hide_index=True, column_config=config, key="qc_ag_table",
                 height=min(640, 38 + 35 * max(1, len(frame))))
    st.download_button(t("agreement.download"), data=csv_bytes(table),
                       file_name="agreement.csv", mime="text/csv", key="qc_ag_dl", on_click="ignore",
                       icon=":material/download:")

    review(str(c.path), tuple(coders), c.coder, c.lang)
    evaluation_section(str(c.path), list(coders), c.lang)


# ------------------------------------------------------------------- review

@st.fragment
def review(path: str, coders: tuple[str, ...], decider: str, lang: str) -> None:
    st.subheader(t("agreement.review"), divider="gray")
    st.caption(t("agreement.review_help"))
    for kind, message in ss.pop("qc_ag_flash", []):
        if kind == "toast":
            st.toast(message)
        else:
            getattr(st, kind)(message)
    try:
        with state.open_project(path) as project:
            records = disagreements(project.store, list(coders))
            all_codes = project.store.codes()
            allowed = project.may(decider, "consensus")
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    labels = {x.id: code_label(x, lang) for x in all_codes}
    active = [x.id for x in all_codes if x.active]

    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    show = bar.segmented_control(t("agreement.review_state"), ["all", "open", "decided"], default="all",
                                 key="qc_ag_show", required=True,
                                 format_func=lambda v: t(f"agreement.review_{v}"))
    names = sorted({r["transcript"] for r in records})
    if ss.get("qc_ag_tr") not in [None, *names]:
        ss["qc_ag_tr"] = None
    transcript = bar.selectbox(t("agreement.review_transcript"), names, index=None, key="qc_ag_tr", width=300,
                               placeholder=t("agreement.review_all_transcripts"))
    bar.button(t("agreement.copy_agreed"), key="qc_ag_copy", help=t("agreement.copy_help"),
               icon=":material/done_all:", on_click=cb_copy_agreed, args=(path, coders, decider),
               disabled=not allowed)
    if not allowed:
        st.caption(":material/lock: " + t("agreement.leads_only"))
    if not records:
        st.success(t("agreement.review_none"))
        return
    decided = sum(1 for r in records if r["decided"])
    st.progress(decided / len(records), text=t("agreement.review_progress", decided=decided, n=len(records)))
    shown = [r for r in records if (show == "all" or (show == "decided") == bool(r["decided"]))
             and (transcript is None or r["transcript"] == transcript)]
    if not shown:
        st.caption(t("agreement.review_empty"))
        return
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    # The widget gets a fresh key when the number of pages changes; it then starts on the page shown before.
    page = (st.pagination(pages, default=min(ss.get("qc_ag_page_now", 1), pages),
                          key=f"qc_ag_page_{show}_{transcript}_{pages}") if pages > 1 else 1)
    ss["qc_ag_page_now"] = page
    for rec in shown[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]:
        _disagreement(rec, path, coders, decider, lang, labels, active, allowed)


SPAN_COLOURS = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fbcfe8")  # one per coder in the span view


def _codes_text(ids, labels: dict[str, str]) -> str:
    return ", ".join(labels.get(x, x) for x in ids) if ids else t("agreement.no_code")


def _disagreement(rec: dict, path: str, coders, decider: str, lang: str, labels: dict[str, str],
                  active: list[str], allowed: bool = True) -> None:
    sid = rec["segment_id"]
    key = f"qcagdone-{sid}" if rec["decided"] else f"qcagseg-{sid}"
    with st.container(border=True, key=key, gap="small"):
        with st.container(key=f"qcagmeta-{sid}"):
            st.text(" · ".join(x for x in (t("agreement.segment", transcript=rec["transcript"], n=rec["segment"]),
                                           rec.get("speaker") or "") if x))
        if rec["before"]:
            with st.container(key=f"qcagctx-b{sid}"):
                st.text(rec["before"])
        st.text(rec["text"])
        if rec.get("spans"):  # parts of the text coded as spans: each coder's ranges, marked
            st.caption(t("agreement.span_ranges"))
            for i, (coder, spans) in enumerate(rec["spans"].items()):
                st.html(highlighted_html(rec["text"], [(x["start"], x["end"], labels.get(x["code"], x["code"]))
                                                       for x in spans],
                                         colour=SPAN_COLOURS[i % len(SPAN_COLOURS)], prefix=coder))
        if rec["after"]:
            with st.container(key=f"qcagctx-a{sid}"):
                st.text(rec["after"])
        st.text("\n".join(f"{coder}: {_codes_text(rec['codes'].get(coder, []), labels)}" for coder in coders))
        if rec["decided"]:
            codes = _codes_text(rec["consensus"] or [], labels)
            if rec["decided_by"]:
                msg = t("agreement.decided", who=md_escape(rec["decided_by"]),
                        when=md_escape((rec["decided_at"] or "")[:16].replace("T", " ")), codes=md_escape(codes))
            else:
                msg = t("agreement.decided_plain", codes=md_escape(codes))
            st.markdown(":material/check_circle: " + msg)
        else:
            st.caption(":material/pending: " + t("agreement.undecided"))
        with st.expander(t("agreement.definitions"), icon=":material/menu_book:"):
            for code in rec["involved"]:
                label = (code.get("label_en") if lang == "en" else code.get("label_sv")) or labels.get(
                    code["id"], code["id"])
                st.markdown(f"**{md_escape(label)}** · {md_escape(code['id'])} · "
                            + t("agreement.applied_by", names=md_escape(", ".join(code["applied_by"]))))
                for field in ("definition", "include", "exclude"):
                    value = code.get(f"{field}_{lang}") or code.get(field)
                    if value:
                        st.caption(t(f"code.{field}"))
                        st.text(value)
        row = st.container(horizontal=True, gap="small", vertical_alignment="bottom")
        for coder in coders:
            row.button(t("agreement.accept", coder=md_escape(coder)), key=f"qc_ag_acc_{sid}_{coder}",
                       on_click=cb_accept, args=(path, sid, coder, decider), icon=":material/check:",
                       disabled=not allowed,
                       type="primary" if rec["consensus"] == rec["codes"].get(coder) else "secondary")
        union = sorted({x for ids in rec["codes"].values() for x in ids},
                       key=lambda x: active.index(x) if x in active else len(active))
        if all(union != rec["codes"].get(coder) for coder in coders):
            row.button(t("agreement.union"), key=f"qc_ag_union_{sid}", help=t("agreement.union_help"),
                       on_click=cb_decide, args=(path, sid, union, decider, "union"), icon=":material/join:",
                       disabled=not allowed)
        value = list(rec["consensus"]) if rec["decided"] else list(rec["agreed"])
        options = value + [x for x in union if x not in value] + [x for x in active
                                                                  if x not in value and x not in union]
        box = synced_key(f"qc_ag_codes_{sid}", value)
        row.multiselect(t("agreement.manual"), options, default=value, key=box, width=420,
                        format_func=lambda x: labels.get(x, x), help=t("agreement.manual_help"),
                        placeholder=t("agreement.no_code"))
        row.button(t("agreement.manual_save"), key=f"qc_ag_save_{sid}", on_click=cb_decide_widget,
                   args=(path, sid, box, decider), icon=":material/save:", disabled=not allowed)


__all__ = ["BAND_COLOURS", "RELIABLE", "TENTATIVE", "agreement_table", "band", "display_frame", "done_counts",
           "render", "review", "spec_from_choices", "stat_label", "styled"]
