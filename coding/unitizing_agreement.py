"""Unitizing agreement between a project's coders: the continua read from the store, and the table.

The coefficients are :mod:`coding.unitizing` (pure functions); this module
decides what they are computed on, the way :mod:`coding.agreement_design` does
for segments: each transcript is a continuum of its stored text's characters,
and a coder is an observer of a transcript only when the coder has **marked it
done** -- codings on unfinished transcripts are ignored, never read as "no
code". A transcript counts when at least two of the chosen coders finished
it. Every coding is a span (a segment coding is its segment's range).

>>> r = unitizing_agreement(store, ["anna", "erik"])   # the demo: 16 interviews, both coders done
>>> r.continua, round(r.alpha_u.value, 3), round(r.bar_u.value, 3), round(r.cu.value, 3)
(16, 0.946, 0.952, 0.949)
>>> rows = unitizing_table(store, r)
>>> rows[-1]["code"], rows[-1]["units"] == r.units
('(pooled)', True)
"""

from __future__ import annotations

from typing import Sequence

from .errors import QcodeError
from .specs import _names, check_coders
from .unitizing import Continuum, UnitizingResult, unitizing_alpha

__all__ = ["POOLED", "TABLE_COLUMNS", "unitizing_agreement", "unitizing_table"]

POOLED = "(pooled)"
#: the columns of :func:`unitizing_table`; ``cu`` is c|uα on the pooled row and (k)uα on a code's row
TABLE_COLUMNS = ["code", "alpha_u", "bar_u", "cu", "units", "label_sv", "label_en", "reason"]


def _store(project_or_store):
    return getattr(project_or_store, "store", project_or_store)


def unitizing_agreement(project_or_store, coders: str | Sequence[str], codes: Sequence[str] | None = None,
                        transcripts: Sequence[str] | None = None) -> UnitizingResult:
    """Krippendorff's unitizing alphas (αu, |uα, c|uα, (k)uα) of the coders' spans; see :mod:`coding.unitizing`.

    ``coders``: two or more (``"anna,erik"`` or a list). ``codes``: code ids
    to analyse (default: every code the coders applied in the transcripts that
    count, in codebook order). ``transcripts``: names (default: all).

    >>> r = unitizing_agreement(project, "anna,erik", codes=["impl_ff_positiv_ledning_chef"])
    >>> c = r.code("impl_ff_positiv_ledning_chef")
    >>> c.units, round(c.alpha_u.value, 3)
    (23, 0.824)
    """
    store = _store(project_or_store)
    names = check_coders(store, coders)
    by_id = store.transcript_names_by_id()
    wanted = set(by_id)
    if transcripts is not None:
        chosen = _names(transcripts)
        ids = {name: tid for tid, name in by_id.items()}
        unknown = [t for t in chosen if t not in ids]
        if unknown:
            raise QcodeError(f"no transcript named {', '.join(repr(u) for u in unknown)} in the project")
        wanted = {ids[t] for t in chosen}
    book = store.codes()
    if codes is not None:
        codes = _names(codes)
        known = {c.id for c in book}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise QcodeError(f"no code with id {', '.join(repr(u) for u in unknown)} in the codebook")
    observers: dict[int, list[str]] = {}
    for tid, coder in store.done_by_coders(names):
        if tid in wanted:
            observers.setdefault(tid, []).append(coder)
    counted = {tid: sorted(cs, key=names.index) for tid, cs in observers.items() if len(cs) >= 2}
    spans: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    for coder in names:
        for tid, start, end, code, _ in store.span_rows(coder=coder):
            if tid in counted and coder in counted[tid]:
                spans.setdefault((tid, coder), []).append((start, end, code))
    if codes is None:
        used = {sp[2] for rows in spans.values() for sp in rows}
        codes = [c.id for c in book if c.id in used]
        codes += sorted(used - set(codes))  # codes no longer in the codebook tree
    continua = [Continuum(len(store.transcript_text(tid)), {c: spans.get((tid, c), []) for c in counted[tid]},
                          name=by_id[tid])
                for tid in sorted(counted, key=lambda t: by_id[t])]
    return unitizing_alpha(continua, codes=codes)


def unitizing_table(project_or_store, result: UnitizingResult) -> list[dict]:
    """One row per code and a ``(pooled)`` row: ``code, alpha_u, bar_u, cu, units, label_sv, label_en, reason``.

    Values are floats or None; ``reason`` says why a value is missing.
    """
    labels = {c.id: (c.label_sv, c.label_en) for c in _store(project_or_store).codes()}
    rows = []
    for c in result.codes:
        sv, en = labels.get(c.code, ("", ""))
        reasons = dict.fromkeys(x.reason for x in (c.alpha_u, c.bar_u, c.k_u) if x.reason)
        rows.append({"code": c.code, "alpha_u": c.alpha_u.value, "bar_u": c.bar_u.value, "cu": c.k_u.value,
                     "units": c.units, "label_sv": sv, "label_en": en, "reason": "; ".join(reasons)})
    reasons = dict.fromkeys(x.reason for x in (result.alpha_u, result.bar_u, result.cu) if x.reason)
    rows.append({"code": POOLED, "alpha_u": result.alpha_u.value, "bar_u": result.bar_u.value,
                 "cu": result.cu.value, "units": result.units, "label_sv": "", "label_en": "",
                 "reason": "; ".join(reasons)})
    return rows
