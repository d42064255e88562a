"""The coding page's suggestions: a model's proposals for the selected segment, decided with one key.

Proposals are never codings: they show with a dashed outline and their score, apart from the coder's
chips, and become codings only when the coder accepts them (key ``A``: the selected segment's best
proposal; ``X`` rejects it; or "accept all above X on this page"). Each decision is one undoable
step of the library (:mod:`coding.suggest.proposals`), so ``U`` takes it back. "Most uncertain
first" orders the page's segments by how unsure the model is of their proposals.

The Python side is plain functions (:func:`page_proposals`, :func:`uncertain_order`,
:func:`proposal_chips`) that the tests call without a browser.

>>> rows = {3: [{"id": 1, "code": "a", "score": 0.55, "uncertainty": 0.9}],
...         5: [{"id": 2, "code": "b", "score": 0.95, "uncertainty": 0.1}]}
>>> uncertain_order([1, 2, 3, 4, 5], rows)
[3, 5, 1, 2, 4]
>>> proposal_chips(rows[3], {"a": "Ensam position"}, "sv")
[['a', 'Ensam position', '0,55']]
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from coding.numbers import fmt_decimal

from .actions import act
from .i18n import t
from .text import md_escape

ACCEPT_KEY, REJECT_KEY = "A", "X"
MIN_KEY, UNCERTAIN_KEY = "qc_sugg_min", "qc_uncertain"
Report = Callable[[str, str], None]

CSS = """<style>
.st-key-qc-sugg [class*="st-key-qc-prop-"] { border: 1.5px dashed #8a6d3b; border-radius: .7rem;
  padding: .1rem .5rem; background: transparent; }
</style>"""


def page_proposals(project, transcript: str, coder: str) -> dict[int, list[dict]]:
    """Segment position -> the coder's open proposals there (best first), from models allowed to propose."""
    out: dict[int, list[dict]] = {}
    for row in project.suggest_list(coder, transcript):
        out.setdefault(row["segment"], []).append(row)
    for rows in out.values():
        rows.sort(key=lambda r: (-r["score"], r["code"]))
    return out


def uncertain_order(positions: list[int], proposals: dict[int, list[dict]]) -> list[int]:
    """``positions`` with the segments whose proposals the model is least sure of first (the rest after,
    in text order)."""
    unsure = sorted((p for p in positions if proposals.get(p)),
                    key=lambda p: (-max(r["uncertainty"] for r in proposals[p]), p))
    return unsure + [p for p in positions if not proposals.get(p)]


def proposal_chips(rows: list[dict], labels: dict[str, str], lang: str) -> list[list[str]]:
    """``[code, label, score]`` of each proposal, for the segment list (drawn as text, dashed)."""
    return [[r["code"], labels.get(r["code"], r["code"]), fmt_decimal(r["score"], lang, 2)] for r in rows]


def _decided(report: Report, key: str, n: int) -> None:
    report("toast", t(key, n=n))


def cb_accept(path: str, coder: str, ids: list[int], report: Report) -> None:
    result = act(path, lambda p: p.suggest_accept(coder, ids), report)
    if result is not None:
        _decided(report, "suggest.accepted", result.n)


def cb_reject(path: str, coder: str, ids: list[int], report: Report) -> None:
    result = act(path, lambda p: p.suggest_reject(coder, ids), report)
    if result is not None:
        _decided(report, "suggest.rejected", result.n)


def cb_make(path: str, transcript: str, coder: str, report: Report) -> None:
    summary = act(path, lambda p: p.suggest_run(coder, [transcript]), report)
    if summary is not None:
        report("toast", t("suggest.made", n=summary["proposed"], model=summary["model"]))


def suggestion_panel(path: str, transcript: str, coder: str, selected: list[int], page: list[int],
                     proposals: dict[int, list[dict]], labels: dict[str, str], lang: str, report: Report) -> None:
    """The panel: the selected segment's proposals with accept (A) and reject (X), accept all above a score
    on this page, most uncertain first, and a button that asks the model for proposals."""
    st.html(CSS)
    with st.container(key="qc-sugg"):
        n_page = sum(len(proposals.get(p, ())) for p in page)
        st.caption(t("suggest.title", n=n_page))
        one = selected[0] if len(selected) == 1 else None
        rows = proposals.get(one, []) if one is not None else []
        top = rows[0] if rows else None
        for r in rows:
            with st.container(key=f"qc-prop-{r['id']}", horizontal=True, vertical_alignment="center", gap="small"):
                st.markdown(f"{md_escape(labels.get(r['code'], r['code']))} · {fmt_decimal(r['score'], lang, 2)}",
                            help=t("suggest.from_model", model=r["model"], kind=r["kind"]))
        bar = st.container(horizontal=True, gap="small")
        bar.button(t("suggest.accept"), key="qc_sugg_accept", shortcut=ACCEPT_KEY, icon=":material/check:",
                   disabled=top is None, on_click=cb_accept, args=(path, coder, [top["id"]] if top else [], report),
                   help=t("suggest.accept_help"))
        bar.button(t("suggest.reject"), key="qc_sugg_reject", shortcut=REJECT_KEY, icon=":material/block:",
                   disabled=top is None, on_click=cb_reject, args=(path, coder, [top["id"]] if top else [], report),
                   help=t("suggest.reject_help"))
        floor = st.slider(t("suggest.min_score"), 0.5, 1.0, value=0.8, step=0.05, key=MIN_KEY)
        above = [r["id"] for p in page for r in proposals.get(p, ()) if r["score"] >= floor]
        st.button(t("suggest.accept_all", n=len(above), x=fmt_decimal(floor, lang, 2)), key="qc_sugg_all",
                  disabled=not above, on_click=cb_accept, args=(path, coder, above, report))
        row = st.container(horizontal=True, gap="small", vertical_alignment="center")
        row.toggle(t("suggest.uncertain"), key=UNCERTAIN_KEY, help=t("suggest.uncertain_help"))
        row.button(t("suggest.make"), key="qc_sugg_make", icon=":material/auto_awesome:",
                   on_click=cb_make, args=(path, transcript, coder, report), help=t("suggest.make_help"))
