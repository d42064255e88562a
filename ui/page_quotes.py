"""The quotes page: every coded passage for one or more codes, grouped by municipality (or any attribute),
with speaker, transcript, context, coders and memos, and the report as Word, Markdown or CSV.

The page collects its choices into a :class:`coding.quotes.QuoteSpec` (the spec ``qcode quotes`` builds from
its options), shows :func:`coding.quotes.quote_report` and offers the quote formats registry as download
buttons. Transcript text is data: it is shown with ``st.text`` (no Markdown), labels go through
:func:`ui.text.md_escape`. Blind coding holds as on the matrix page: until I have finished every transcript I
quote only my own codings (and the consensus).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st

from coding import Project
from coding.codings import CONSENSUS
from coding.codings import blinded as coding_blinded
from coding.errors import QcodeError
from coding.matrix import default_rows
from coding.quotes import MAX_CONTEXT, SPECIAL_GROUPS, QuoteSpec, quote_report
from coding.quotes_export import export_quotes, quote_formats

from . import state
from .i18n import t
from .text import code_label, md_escape

ss = st.session_state
ALL = "__all__"
MAX_SHOWN = 200  # quotes shown on the page (the downloads hold them all)

# Static style rules only (no data is ever put into HTML).
_CSS = """
<style>
[class*="st-key-qcqtctx-"] .stText { color: #777; font-size: .85rem; }
[class*="st-key-qcqtmeta-"] .stText { color: #555; font-size: .8rem; }
[class*="st-key-qcqtmemo-"] .stText { font-style: italic; font-size: .85rem; }
[class*="st-key-qcqtsaid-"] .stText { border-left: 3px solid #bbb; padding-left: .6rem; }
</style>
"""


def spec_from_choices(codes, by: str | None, who: str, context: int, children: bool, lang: str) -> QuoteSpec:
    """The spec of the page's widgets: ``who`` is ALL (every coder except consensus) or one coder."""
    return QuoteSpec(codes=tuple(codes), by=by, coders=None if who == ALL else (who,), context=int(context),
                     include_children=bool(children), language=lang)


def quotes_bytes(store, spec: QuoteSpec, fmt: str) -> bytes:
    """The quote report of ``spec`` in one format, as the bytes of the downloaded file."""
    return export_quotes(store, spec, fmt)


def quotes_download(path: str | Path, spec: QuoteSpec, fmt: str) -> bytes:
    """:func:`quotes_bytes` on its own connection (download callables run on another thread)."""
    with Project.open(path) as project:
        return quotes_bytes(project.store, spec, fmt)


def code_choice_label(code_id: str, labels: dict[str, str], parents: dict[str, str | None],
                      categories: set[str]) -> str:
    """How a code is offered in the picker: its category first (``Hinder › Ensam position som SE-coach``), a
    category marked as one.

    >>> code_choice_label("hi_ensam", {"hi": "Hinder", "hi_ensam": "Ensam"}, {"hi": None, "hi_ensam": "hi"}, {"hi"})
    'Hinder › Ensam'
    """
    label = labels.get(code_id, code_id)
    parent = parents.get(code_id)
    if parent is not None:
        label = f"{labels.get(parent, parent)} › {label}"
    if code_id in categories:
        label += f" ({t('quotes.category')})"
    return label


def _valid(key: str, options: list, default=None) -> None:
    """Start a widget at ``default`` and keep its value only while it is still one of ``options``."""
    if ss.get(key) not in options:
        ss[key] = default if default in options else (options[0] if options else None)


def render() -> None:
    c = state.ctx()
    lang = c.lang
    st.html(_CSS)
    st.title(t("quotes.title"))
    st.caption(t("quotes.help"))
    with state.open_project(c.path) as project:
        store = project.store
        n_transcripts = len(store.transcript_names_by_id())
        attributes = store.attribute_names()
        coders = store.coders()
        codes = store.codes()
        default_by = default_rows(store)
        blinded = coding_blinded(store, c.coder)
    if not n_transcripts:
        st.info(t("quotes.no_transcripts"))
        return
    if blinded:
        st.info(t("quotes.blind_own_only"), icon=":material/visibility_off:")
    labels = {x.id: code_label(x, lang) for x in codes}
    parents = {x.id: x.parent_id for x in codes}
    categories = {x.parent_id for x in codes if x.parent_id is not None}

    # ------------------------------------------------------------- choices
    ss["qc_qt_codes"] = [x for x in ss.get("qc_qt_codes", []) if x in labels]
    chosen = st.multiselect(t("quotes.codes"), list(labels), key="qc_qt_codes",
                            format_func=lambda x: code_choice_label(x, labels, parents, categories),
                            placeholder=t("quotes.codes_placeholder"))
    by_options = attributes + list(SPECIAL_GROUPS)
    special = {"transcript": t("quotes.by_transcript"), "speaker": t("quotes.by_speaker")}
    coder_options = [ALL] + [x for x in coders if x != CONSENSUS] + ([CONSENSUS] if CONSENSUS in coders else [])
    if blinded:
        coder_options = [c.coder] + ([CONSENSUS] if CONSENSUS in coders else [])
    _valid("qc_qt_by", by_options, default_by)
    _valid("qc_qt_coders", coder_options, coder_options[0])
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    by = bar.selectbox(t("quotes.by"), by_options, key="qc_qt_by", format_func=lambda r: special.get(r, r),
                       width=200, placeholder=t("ui.choose"))
    who = bar.selectbox(t("quotes.coders"), coder_options, key="qc_qt_coders", width=220, placeholder=t("ui.choose"),
                        format_func=lambda x: {ALL: t("quotes.all_coders"), CONSENSUS: t("quotes.consensus")}
                        .get(x, x))
    context = bar.number_input(t("quotes.context"), min_value=0, max_value=MAX_CONTEXT, value=1, step=1,
                               key="qc_qt_context", help=t("quotes.context_help"), width=160)
    children = bar.toggle(t("quotes.children"), value=True, key="qc_qt_children", help=t("quotes.children_help"))
    if not chosen:
        st.info(t("quotes.pick"))
        return

    spec = spec_from_choices(chosen, by, who, context, children, lang)
    try:
        with state.open_project(c.path) as project:
            report = quote_report(project.store, spec)
    except QcodeError as exc:
        st.error(md_escape(str(exc)))
        return
    n_groups = len({g.label for s in report.sections for g in s.groups})
    st.caption(t("quotes.summary", n=report.n_quotes, codes=len(report.sections), groups=n_groups))

    # ----------------------------------------------------------- downloads
    row_dl = st.container(horizontal=True, gap="small")
    for f in quote_formats():
        row_dl.download_button(f.title, data=partial(quotes_download, str(c.path), spec, f.name),
                               file_name=f"{spec.file_stem()}.{f.suffix}", mime=f.mime, key=f"qc_qt_dl_{f.name}",
                               on_click="ignore", icon=":material/download:")

    # -------------------------------------------------------------- quotes
    shown = 0
    for s_i, section in enumerate(report.sections):
        st.subheader(md_escape(section.label), divider="gray")
        st.caption(md_escape(f"{section.code} · ") + t("quotes.n_quotes", n=section.n_quotes))
        if not section.groups:
            st.caption(t("quotes.none"))
        for g_i, group in enumerate(section.groups):
            with st.expander(f"{md_escape(group.label)} ({len(group.quotes)})", expanded=True):
                for q_i, quote in enumerate(group.quotes):
                    if shown >= MAX_SHOWN:
                        break
                    shown += 1
                    _quote(report, section, quote, f"{s_i}-{g_i}-{q_i}")
    if shown < report.n_quotes:
        st.caption(t("quotes.more", shown=shown, n=report.n_quotes))


def _line(speaker: str | None, text: str) -> str:
    return f"{speaker}: {text}" if speaker else text


def _quote(report, section, quote, key: str) -> None:
    with st.container(border=True, key=f"qcqt-{key}", gap="small"):
        meta = [quote.speaker or "", quote.reference(), quote.time]
        if len(section.codes) > 1:
            meta.append("; ".join(report.label(x) for x in quote.codes))
        meta.append(t("quotes.coded_by", names=", ".join(quote.coders)))
        with st.container(key=f"qcqtmeta-{key}"):
            st.text(" · ".join(x for x in meta if x))
        if quote.before:
            with st.container(key=f"qcqtctx-b{key}"):
                st.text("\n".join(_line(x.speaker, x.text) for x in quote.before))
        with st.container(key=f"qcqtsaid-{key}"):
            st.text(quote.text)
        if quote.after:
            with st.container(key=f"qcqtctx-a{key}"):
                st.text("\n".join(_line(x.speaker, x.text) for x in quote.after))
        if quote.memos:
            with st.container(key=f"qcqtmemo-{key}"):
                st.text("\n".join(f"{t('quotes.memo')} ({m.coder}"
                                  f"{', ' + report.label(m.code) if m.code else ''}): {m.text}"
                                  for m in quote.memos))


__all__ = ["code_choice_label", "quotes_bytes", "quotes_download", "render", "spec_from_choices"]
