"""Agreement between coders on a project: the units x coders design read from the store, and the tables.

The statistics themselves live in :mod:`coding.agreement` (pure functions,
tested against published examples) and are listed in the registry
:mod:`coding.agreement_statistics`; every option is a field of
:class:`coding.specs.AgreementSpec`. This module decides *what data* the
statistics are computed on and reads it from the project. The disagreement
review is :mod:`coding.disagreements`, the consensus coding
:mod:`coding.consensus`.

What a unit is
--------------
* ``unit="segment"`` (default): the units are segments. A coder's codes on a
  segment form a set; for each code the data are binary -- 1 the coder
  applied the code to the segment, 0 the coder did not.
* ``unit="case"``: the units are cases, the values of a case attribute
  (default ``kommun``, else ``municipality``), i.e. the level of the published
  case x code tables: 1 if the coder applied the code to any segment of the
  case's transcripts. Did both coders find "Ensam position som SE-coach" in
  Aneby's interviews?

Done transcripts and missing data
---------------------------------
Only transcripts that a coder has **marked as done** count for that coder
(``qcode done``). On a transcript the coder has not finished, every segment
is *missing* for that coder -- never "absent" -- and codings the coder may
already have made there are ignored. A case is missing for a coder unless
the coder has marked done *every* transcript of the case (within the scope):
comparing a coder who has read two of Aneby's interviews with one who has
read one would count a code found only in the unread interview as a
disagreement (``require_all_done=False`` relaxes this to "at least one").

Segments of transcripts that no chosen coder has finished are left out. A
unit that only one coder has finished has one value: Krippendorff's alpha
ignores it, Cohen's kappa too; Fleiss' kappa, Gwet's AC1 and
Brennan-Prediger use it for the chance term only (Gwet 2014; see
:mod:`coding.agreement`). ``units`` in every result is the number of
*pairable* units: units with values from at least two coders.

Codes and categories
--------------------
* ``level="code"``: each code as applied. The rows are every active leaf
  code plus any other code that one of the coders applied directly.
* ``level="category"``: every code that has children (at any depth) becomes
  its own unit of analysis: a segment has category K if K itself or any code
  below K was applied. (With ``codes=[...]`` any code can be rolled up.)

Overall figures, per scope
--------------------------
* ``(pooled)``: (unit, code) pairs as the units of one coefficient on the
  stacked binary data; ``units`` = pairable units x codes.
* ``(mean)``: the mean of the per-code values, ignoring undefined (NaN)
  ones; ``units`` = pairable units, ``codes`` = how many codes were averaged.

Both use only the codes that some coder applied to a pairable unit of the
scope (``coded`` > 0): a code nobody used would add perfect agreement on
absence and inflate the overall figures.

Statistic names (see :mod:`coding.agreement_statistics`): ``alpha``
(Krippendorff, nominal), ``kappa`` (Cohen; exactly two coders), ``fleiss``,
``percent``, ``ac1`` (Gwet), ``bp`` (Brennan-Prediger). AC1 and BP use the
declared categories {0, 1}, so they stay defined for a code nobody applied.

>>> table = agreement(store, ["anna", "erik"])
>>> table[table.code == POOLED][["statistic", "value", "units", "codes"]].round(3)
    statistic  value   units  codes
107     alpha  0.935  131700     75
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from . import agreement_statistics as registry
from .agreement import bootstrap_alpha
from .errors import QcodeError
from .specs import AGREEMENT_UNITS, CASE_ATTRIBUTES, CODE_LEVELS, AgreementSpec, _names, check_coders

__all__ = [
    "AGREEMENT_UNITS", "CASE_ATTRIBUTES", "CODE_LEVELS", "COLUMNS", "MEAN", "NO_VALUE", "POOLED", "PROJECT_SCOPE",
    "STATISTICS", "STATISTIC_LABELS", "AgreementSpec", "agreement", "agreement_by_code", "case_agreement",
    "case_attribute", "check_coders",
]

#: the built-in statistics' names and labels, read from the registry (:mod:`coding.agreement_statistics`)
STATISTICS: tuple[str, ...] = registry.statistic_names()
STATISTIC_LABELS = {s.name: s.label for s in registry.statistics()}
PROJECT_SCOPE = "all"
POOLED = "(pooled)"
MEAN = "(mean)"
NO_VALUE = "(no value)"
COLUMNS = ["scope", "code", "statistic", "value", "units", "coded", "codes", "label_sv", "label_en",
           "ci_low", "ci_high"]


def case_attribute(store, attribute: str | None = None) -> str:
    """The attribute whose values are the cases: ``attribute``, else ``kommun``, else ``municipality``.

    >>> case_attribute(store)
    'kommun'
    """
    return AgreementSpec(coders=("a", "b"), unit="case", case_attribute=attribute).case_attribute_for(store)


# --------------------------------------------------------------------------- #
# The units x coders design, read from the store
# --------------------------------------------------------------------------- #


@dataclass
class _Design:
    """Everything the statistics need, units grouped by scope.

    Units ``bounds[s]:bounds[s + 1]`` belong to scope ``s``. ``done[u, j]``:
    coder ``j`` has a value for unit ``u``. The hits are the (unit, coder,
    row) triples with value 1, sorted by unit; ``hit_bounds`` cuts them by scope.
    """

    coders: list[str]
    rows: list[str]
    labels: dict[str, tuple[str, str]]
    scopes: list[str]
    bounds: np.ndarray
    done: np.ndarray
    hit_unit: np.ndarray
    hit_coder: np.ndarray
    hit_row: np.ndarray
    hit_bounds: np.ndarray


def _rows(store, coders: list[str], level: str, codes: Sequence[str] | None):
    """The codes analysed (rows) and, per code id, the rows an application of it counts for."""
    if level not in CODE_LEVELS:
        raise QcodeError(f"level must be one of {', '.join(CODE_LEVELS)}; got {level!r}")
    book = store.codes()
    parent = {c.id: c.parent_id for c in book}
    has_children = {c.parent_id for c in book if c.parent_id is not None}
    if codes is not None:
        codes = _names(codes)
        unknown = [c for c in codes if c not in parent]
        if unknown:
            raise QcodeError(f"no code with id {', '.join(repr(u) for u in unknown)} in the codebook")
        chosen = set(codes)
        rows = [c.id for c in book if c.id in chosen]
    elif level == "code":
        applied = store.applied_code_ids(coders)
        rows = [c.id for c in book if (c.id not in has_children and c.active) or c.id in applied]
    else:
        rows = [c.id for c in book if c.id in has_children]
    index = {cid: i for i, cid in enumerate(rows)}
    targets: dict[str, list[int]] = {}
    for cid in parent:
        if level == "code":
            hit = [index[cid]] if cid in index else []
        else:
            hit, node, seen = [], cid, set()
            while node is not None and node not in seen:
                seen.add(node)
                if node in index:
                    hit.append(index[node])
                node = parent.get(node)
        if hit:
            targets[cid] = hit
    labels = {c.id: (c.label_sv, c.label_en) for c in book}
    return rows, targets, labels


def _scopes(store, by: str | None, tids: np.ndarray) -> tuple[list[str], dict[int, int]]:
    """Scope labels and transcript id -> scope index."""
    if by in (None, "", "code", "project", PROJECT_SCOPE):
        return [PROJECT_SCOPE], {int(t): 0 for t in tids}
    if by == "transcript":
        names = store.transcript_names_by_id()
        ordered = sorted(names.items(), key=lambda kv: kv[1])
        return [n for _, n in ordered], {t: i for i, (t, _) in enumerate(ordered)}
    values = store.attribute_values(by)
    if not values:
        raise QcodeError(f"no transcript has the attribute {by!r}; --by takes code, transcript or one of: "
                         f"{', '.join(store.attribute_names()) or '(no attributes)'}")
    labels = sorted(set(values.values()))
    position = {v: i for i, v in enumerate(labels)}
    scope_of = {int(t): position[values[int(t)]] for t in tids if int(t) in values}
    if any(int(t) not in values for t in tids):
        labels.append(NO_VALUE)
        scope_of.update({int(t): len(labels) - 1 for t in tids if int(t) not in values})
    return labels, scope_of


def segment_arrays(store) -> tuple[np.ndarray, np.ndarray]:
    """Every segment's id and its transcript's id, as two int64 arrays ordered by segment id."""
    runs = store.transcript_segment_ids()
    if not runs:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    ids = np.concatenate([np.arange(r.start, r.stop, dtype=np.int64) if isinstance(r, range)
                          else np.asarray(r, dtype=np.int64) for r in runs.values()])
    tids = np.repeat(np.fromiter(runs, dtype=np.int64, count=len(runs)), [len(r) for r in runs.values()])
    if len(ids) > 1 and (ids[1:] < ids[:-1]).any():
        order = np.argsort(ids, kind="stable")
        ids, tids = ids[order], tids[order]
    return ids, tids


def _design(store, coders: list[str], *, by, level, codes, unit, case_attr, require_all_done) -> _Design:
    if unit not in AGREEMENT_UNITS:
        raise QcodeError(f"unit must be one of {', '.join(AGREEMENT_UNITS)}; got {unit!r}")
    rows, targets, labels = _rows(store, coders, level, codes)
    k = len(coders)
    seg_id, seg_tid = segment_arrays(store)
    all_tids = np.array(sorted(store.transcript_names_by_id()), dtype=np.int64)
    n_t = int(max(all_tids.max(initial=-1), seg_tid.max(initial=-1))) + 1
    tdone = np.zeros((n_t, k), dtype=bool)
    column = {c: j for j, c in enumerate(coders)}
    for tid, coder in store.done_by_coders(coders):
        tdone[tid, column[coder]] = True
    scopes, scope_of = _scopes(store, by, all_tids)
    t_scope = np.full(n_t, -1, dtype=np.int64)
    for t, s in scope_of.items():
        t_scope[t] = s

    if unit == "segment":
        keep = (t_scope[seg_tid] >= 0) & tdone[seg_tid].any(axis=1)
        u_seg, u_tid = seg_id[keep], seg_tid[keep]
        order = np.argsort(t_scope[u_tid], kind="stable")  # segment ids stay ascending within a scope
        u_seg, u_tid = u_seg[order], u_tid[order]
        u_scope = t_scope[u_tid]
        done = tdone[u_tid]
        seg_unit = np.full(int(seg_id.max(initial=-1)) + 2, -1, dtype=np.int64)
        seg_unit[u_seg] = np.arange(len(u_seg))
    else:
        case_of = store.attribute_values(case_attr)
        cases = sorted(set(case_of.values()))
        c_index = {v: i for i, v in enumerate(cases)}
        t_case = np.full(n_t, -1, dtype=np.int64)
        for t, v in case_of.items():
            t_case[t] = c_index[v]
        valid = (t_scope >= 0) & (t_case >= 0)
        key = np.where(valid, t_scope * max(len(cases), 1) + t_case, -1)
        keys, t_unit_valid = np.unique(key[valid], return_inverse=True)
        t_unit = np.full(n_t, -1, dtype=np.int64)
        t_unit[valid] = t_unit_valid
        n_units = len(keys)
        total = np.bincount(t_unit[valid], minlength=n_units)
        done_count = np.stack([np.bincount(t_unit[valid], weights=tdone[valid, j], minlength=n_units)
                               for j in range(k)], axis=1) if k else np.zeros((n_units, 0))
        done = (done_count == total[:, None]) if require_all_done else (done_count > 0)
        u_scope = keys // max(len(cases), 1)
        seg_unit = np.full(int(seg_id.max(initial=-1)) + 2, -1, dtype=np.int64)
        seg_unit[seg_id] = t_unit[seg_tid]
        # a segment's transcript must be done by the coder as well (checked per hit below)
        seg_tid_of = np.full(len(seg_unit), -1, dtype=np.int64)
        seg_tid_of[seg_id] = seg_tid

    # The codings: (segment id, code id) rows as two integer arrays, then vectorised look-ups.
    code_index = {c: i for i, c in enumerate(targets)}  # code id -> row of indptr; other codes: n_codes
    n_codes = len(targets)
    indptr = np.zeros(n_codes + 2, dtype=np.int64)
    flat: list[int] = []
    per_code: dict[int, list[int]] = {code_index[c]: t for c, t in targets.items()}
    for r in range(n_codes + 1):
        flat.extend(per_code.get(r, []))
        indptr[r + 1] = len(flat)
    flat_targets = np.array(flat, dtype=np.int64)
    hit_units, hit_coders, hit_rows = [], [], []
    for j, coder in enumerate(coders):
        pairs = store.coder_codings(coder)
        seg = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        rid = np.fromiter((code_index.get(p[1], n_codes) for p in pairs), dtype=np.int64, count=len(pairs))
        units = seg_unit[np.minimum(seg, len(seg_unit) - 1)]
        ok = units >= 0
        if unit == "case":
            ok &= tdone[np.maximum(seg_tid_of[np.minimum(seg, len(seg_unit) - 1)], 0), j]
        ok[ok] &= done[units[ok], j]
        units, rid = units[ok], rid[ok]
        counts = indptr[rid + 1] - indptr[rid]
        starts = np.repeat(indptr[rid] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
        hit_rows.append(flat_targets[starts + np.arange(int(counts.sum()))] if counts.sum() else
                        np.empty(0, dtype=np.int64))
        hit_units.append(np.repeat(units, counts))
        hit_coders.append(np.full(int(counts.sum()), j, dtype=np.int64))
    hit_unit = np.concatenate(hit_units) if hit_units else np.empty(0, dtype=np.int64)
    order = np.argsort(hit_unit, kind="stable")
    hit_unit = hit_unit[order]
    hit_coder = (np.concatenate(hit_coders) if hit_coders else np.empty(0, dtype=np.int64))[order]
    hit_row = (np.concatenate(hit_rows) if hit_rows else np.empty(0, dtype=np.int64))[order]
    bounds = np.searchsorted(u_scope, np.arange(len(scopes) + 1), side="left")
    hit_bounds = np.searchsorted(hit_unit, bounds, side="left")
    return _Design(coders=list(coders), rows=rows, labels=labels, scopes=scopes, bounds=bounds, done=done,
                   hit_unit=hit_unit, hit_coder=hit_coder, hit_row=hit_row, hit_bounds=hit_bounds)


def _float_table(block: np.ndarray) -> np.ndarray:
    """A units x coders int8 block (-1 missing) as floats with NaN for missing."""
    table = block.astype(np.float64)
    table[block < 0] = np.nan
    return table


def _scope_array(design: _Design, s: int) -> tuple[np.ndarray, int, np.ndarray]:
    """(rows x units x coders) int8 array of scope ``s``, its pairable units, and per row the pairable
    units on which some coder applied the code."""
    a, b = int(design.bounds[s]), int(design.bounds[s + 1])
    n_units, n_rows = b - a, len(design.rows)
    done = design.done[a:b]
    arr = np.empty((n_rows, n_units, len(design.coders)), dtype=np.int8)
    arr[...] = np.where(done, 0, -1).astype(np.int8)[None]
    ha, hb = int(design.hit_bounds[s]), int(design.hit_bounds[s + 1])
    rows, units = design.hit_row[ha:hb], design.hit_unit[ha:hb] - a
    arr[rows, units, design.hit_coder[ha:hb]] = 1
    pairs = done.sum(axis=1) >= 2
    pairable = int(pairs.sum())
    keep = pairs[units]
    if n_units and keep.any():
        coded = np.bincount(np.unique(rows[keep] * n_units + units[keep]) // n_units, minlength=n_rows)
    else:
        coded = np.zeros(n_rows, dtype=np.int64)
    return arr, pairable, coded


def _values(arr: np.ndarray, statistic: str) -> np.ndarray:
    """One coefficient per row of a (rows x units x coders) int8 array."""
    if arr.shape[0] == 0:
        return np.empty(0)
    if arr.shape[1] == 0:
        return np.full(arr.shape[0], np.nan)
    stat = registry.get_statistic(statistic)
    if stat.per_code is not None:
        return np.asarray(stat.per_code(arr), dtype=np.float64)
    return np.array([stat.function(_float_table(arr[r])) for r in range(arr.shape[0])], dtype=np.float64)


def _compute(store, spec: AgreementSpec) -> list[dict]:
    spec = spec.validated(store)
    coders, stats = list(spec.coders), list(spec.statistics)
    ci, n_boot, seed, ci_level, overall = spec.ci, spec.n_boot, spec.seed, spec.ci_level, spec.overall
    d = _design(store, coders, by=spec.by, level=spec.level, codes=spec.codes, unit=spec.unit,
                case_attr=spec.case_attribute, require_all_done=spec.require_all_done)
    k = len(coders)
    out: list[dict] = []
    for s, scope in enumerate(d.scopes):
        arr, pairable, coded = _scope_array(d, s)
        results = {st: (_values(arr, st) if pairable else np.full(len(d.rows), np.nan)) for st in stats}
        cis: dict[int, tuple[float, float]] = {}
        if ci and "alpha" in stats:
            for r in range(len(d.rows)):
                if math.isfinite(results["alpha"][r]):
                    cis[r] = bootstrap_alpha(_float_table(arr[r]), n_boot=n_boot, seed=seed, ci=ci_level)
        for r, code in enumerate(d.rows):
            sv, en = d.labels.get(code, ("", ""))
            out.append({"scope": scope, "code": code, "label_sv": sv, "label_en": en, "units": pairable,
                        "coded": int(coded[r]), "codes": 1, "values": {st: float(results[st][r]) for st in stats},
                        "ci": {"alpha": cis[r]} if r in cis else {}})
        if not overall:
            continue
        used = coded > 0
        n_used = int(used.sum())
        stacked = (arr if n_used == len(d.rows) else arr[used]).reshape(1, -1, k)
        pooled, pooled_ci = {}, {}
        for st in stats:
            pooled[st] = float(_values(stacked, st)[0]) if n_used and pairable else float("nan")
        if ci and "alpha" in stats and math.isfinite(pooled["alpha"]):
            pooled_ci["alpha"] = bootstrap_alpha(_float_table(stacked[0]), n_boot=n_boot, seed=seed, ci=ci_level)
        out.append({"scope": scope, "code": POOLED, "label_sv": "alla koder (poolade)",
                    "label_en": "all codes (pooled)", "units": pairable * n_used, "coded": int(coded[used].sum()),
                    "codes": n_used, "values": pooled, "ci": pooled_ci})
        means, n_codes = {}, {}
        for st in stats:
            vals = results[st][used]
            vals = vals[np.isfinite(vals)]
            means[st] = float(vals.mean()) if vals.size else float("nan")
            n_codes[st] = int(vals.size)
        out.append({"scope": scope, "code": MEAN, "label_sv": "medel över koder", "label_en": "mean over codes",
                    "units": pairable, "coded": int(coded[used].sum()), "codes": n_codes, "values": means, "ci": {}})
    for rec in out:
        rec["statistics"] = stats
    return out


# --------------------------------------------------------------------------- #
# Public: agreement tables
# --------------------------------------------------------------------------- #


def _spec(coders, spec: AgreementSpec | None, options: dict, default_statistics) -> AgreementSpec:
    """The spec of a call: ``spec`` itself, or one built from the keyword arguments (not both)."""
    if isinstance(coders, AgreementSpec):
        spec, coders = coders, None
    if spec is not None:
        if coders is not None or options:
            raise TypeError("give either a spec or coders and options, not both")
        return spec
    unknown = sorted(set(options) - set(AgreementSpec.defaults()))
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(unknown)}")
    options.setdefault("statistics", default_statistics)
    return AgreementSpec(coders=coders, **options)


def agreement(store, coders: str | Sequence[str] | AgreementSpec | None = None, *,
              spec: AgreementSpec | None = None, **options) -> pd.DataFrame:
    """Agreement per code (and overall) as a long table: one row per scope, code and statistic.

    Pass an :class:`~coding.specs.AgreementSpec`, or the coders and its
    options as keyword arguments. ``coders``: two or more coders
    (``"anna,erik"`` or a list). ``statistics`` (default ``alpha``): any of
    ``alpha kappa fleiss percent ac1 bp`` or ``"all"``. ``by``: None (the
    whole project, scope ``"all"``), ``"transcript"`` or an attribute name
    such as ``"kommun"`` (transcripts without a value form the scope
    ``"(no value)"``). ``level``: ``"code"`` or ``"category"``. ``unit``:
    ``"segment"`` or ``"case"`` (see the module docstring). ``ci=True`` adds a
    percentile bootstrap interval (``n_boot`` replicates, ``seed``) for alpha,
    per code and pooled; for the pooled figure the (segment, code) pairs are
    resampled independently.

    Columns: ``scope, code, statistic, value, units, coded, codes, label_sv,
    label_en, ci_low, ci_high``. ``units`` = pairable units (n), ``coded`` =
    those of them on which some coder applied the code, ``codes`` = codes behind the
    figure (1 per code; the pooled and mean rows say how many). After the
    codes of each scope come its ``(pooled)`` and ``(mean)`` rows
    (``overall=False`` leaves them out).

    >>> t = agreement(store, ["anna", "erik"], statistics=["alpha", "kappa"])  # the demo
    >>> t[t.code == "impl_ff_positiv_ledning_chef"][["statistic", "value", "units", "coded"]].round(3)
       statistic  value  units  coded
    16     alpha  0.869   1756     13
    17     kappa  0.869   1756     13
    >>> agreement(store, AgreementSpec(coders=("anna", "erik"), statistics=("alpha", "kappa"))).equals(t)
    True
    """
    recs = _compute(store, _spec(coders, spec, options, "alpha"))
    rows = []
    for rec in recs:
        for st in rec["statistics"]:
            low, high = rec["ci"].get(st, (float("nan"), float("nan")))
            n_codes = rec["codes"][st] if isinstance(rec["codes"], dict) else rec["codes"]
            rows.append({"scope": rec["scope"], "code": rec["code"], "statistic": st, "value": rec["values"][st],
                         "units": rec["units"], "coded": rec["coded"], "codes": n_codes,
                         "label_sv": rec["label_sv"], "label_en": rec["label_en"], "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=COLUMNS)


def agreement_by_code(store, coders: str | Sequence[str] | AgreementSpec | None = None, *,
                      spec: AgreementSpec | None = None, **options) -> pd.DataFrame:
    """The same figures as :func:`agreement`, one row per scope and code, one column per statistic.

    The table an agreement page shows: ``scope, code, label_sv, label_en,
    units, coded``, then a column per statistic (and ``alpha_ci_low``,
    ``alpha_ci_high`` with ``ci=True``). Takes a spec or the options of
    :func:`agreement` (here ``statistics`` defaults to ``"all"``).

    >>> w = agreement_by_code(store, "anna,erik", statistics=["alpha", "percent"])  # the demo
    >>> w[w.code == "impl_ff_positiv_ledning_chef"][["code", "units", "coded", "alpha", "percent"]].round(3)
    ...
                               code  units  coded  alpha  percent
    8  impl_ff_positiv_ledning_chef   1756     13  0.869    0.998
    """
    recs = _compute(store, _spec(coders, spec, options, "all"))
    rows = []
    ci = any(rec["ci"] for rec in recs)
    for rec in recs:
        row = {"scope": rec["scope"], "code": rec["code"], "label_sv": rec["label_sv"], "label_en": rec["label_en"],
               "units": rec["units"], "coded": rec["coded"]}
        row.update(rec["values"])
        if ci:
            row["alpha_ci_low"], row["alpha_ci_high"] = rec["ci"].get("alpha", (float("nan"), float("nan")))
        rows.append(row)
    return pd.DataFrame(rows)


def case_agreement(store, coders: str | Sequence[str], *, attribute: str | None = None,
                   **options) -> pd.DataFrame:
    """Agreement on case x code presence: :func:`agreement` with ``unit="case"``.

    A unit is a case -- a value of ``attribute`` (default ``kommun``, else
    ``municipality``); a coder's value is 1 if the coder applied the code to
    any segment of the case's transcripts. A case is missing for a coder who
    has not marked all its transcripts done.

    >>> c = case_agreement(store, "anna,erik")  # the demo: 8 municipalities
    >>> c[c.code == "impl_ff_positiv_ledning_chef"][["scope", "code", "value", "units", "coded"]]
      scope                          code  value  units  coded
    8   all  impl_ff_positiv_ledning_chef    1.0      8      5
    """
    return agreement(store, coders, unit="case", case_attribute=attribute, **options)
