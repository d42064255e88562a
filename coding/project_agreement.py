"""Agreement between coders on a project, the disagreement review and the consensus coding.

The statistics themselves live in :mod:`coding.agreement` (pure functions,
tested against published examples); this module decides *what data* they
are computed on, reads it from the project, and records the team's
decisions.

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

Statistic names: ``alpha`` (Krippendorff, nominal), ``kappa`` (Cohen; exactly
two coders), ``fleiss``, ``percent``, ``ac1`` (Gwet), ``bp``
(Brennan-Prediger). AC1 and BP use the declared categories {0, 1}, so they
stay defined for a code nobody applied.

>>> # store = Project.open("demo.qcode").store   (after: qcode demo demo.qcode)
>>> table = agreement(store, ["anna", "erik"])
>>> table[table.code == POOLED][["statistic", "value", "units", "codes"]].round(3)
    statistic  value   units  codes
107     alpha  0.935  131700     75
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .agreement import (
    alpha_per_column_binary,
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
)
from .codings import CONSENSUS, read_csv_text
from .errors import CodingsProblem, QcodeError

__all__ = [
    "CASE_ATTRIBUTES", "COLUMNS", "LEVELS", "MEAN", "POOLED", "PROJECT_SCOPE", "STATISTICS", "UNITS",
    "accept", "agreement", "agreement_by_code", "case_agreement", "check_coders", "consensus_from_agreement",
    "decide", "decisions", "disagreements", "import_consensus", "read_consensus_csv",
]

STATISTICS: tuple[str, ...] = ("alpha", "kappa", "fleiss", "percent", "ac1", "bp")
STATISTIC_LABELS = {"alpha": "Krippendorff's alpha (nominal)", "kappa": "Cohen's kappa",
                    "fleiss": "Fleiss' kappa", "percent": "percent agreement", "ac1": "Gwet's AC1",
                    "bp": "Brennan-Prediger kappa"}
LEVELS: tuple[str, ...] = ("code", "category")
UNITS: tuple[str, ...] = ("segment", "case")
CASE_ATTRIBUTES: tuple[str, ...] = ("kommun", "municipality")
PROJECT_SCOPE = "all"
POOLED = "(pooled)"
MEAN = "(mean)"
NO_VALUE = "(no value)"
COLUMNS = ["scope", "code", "statistic", "value", "units", "coded", "codes", "label_sv", "label_en",
           "ci_low", "ci_high"]

_BINARY = [0.0, 1.0]
_FUNCTIONS = {
    "kappa": cohen_kappa,
    "fleiss": fleiss_kappa,
    "percent": percent_agreement,
    "ac1": lambda table: gwet_ac1(table, categories=_BINARY),
    "bp": lambda table: brennan_prediger(table, categories=_BINARY),
}


# --------------------------------------------------------------------------- #
# Arguments
# --------------------------------------------------------------------------- #


def _names(value: str | Iterable[str]) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [str(c).strip() for c in items if c is not None and str(c).strip()]


def check_coders(store, coders: str | Iterable[str], *, minimum: int = 2) -> list[str]:
    """The coders as a list (``"anna,erik"`` or ``["anna", "erik"]``), checked against the project.

    >>> check_coders(store, "anna, erik")
    ['anna', 'erik']
    """
    names = _names(coders)
    seen: set[str] = set()
    dupes = sorted({n for n in names if n in seen or seen.add(n)})
    if dupes:
        raise QcodeError(f"coder(s) given twice: {', '.join(dupes)}")
    if len(names) < minimum:
        raise QcodeError(f"agreement needs at least {minimum} coders (e.g. --coders anna,erik); "
                         f"got {len(names)}: {', '.join(names) or 'none'}")
    known = store.coders()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise QcodeError(f"no coder named {', '.join(repr(u) for u in unknown)} in the project "
                         f"(coders: {', '.join(known) or 'none'})")
    return names


def _statistics(statistics, n_coders: int) -> list[str]:
    if isinstance(statistics, str):
        statistics = [statistics]
    wanted: list[str] = []
    for s in statistics:
        s = str(s).strip().lower()
        if s == "all":
            wanted.extend(x for x in STATISTICS if x != "kappa" or n_coders == 2)
        elif s in STATISTICS:
            if s == "kappa" and n_coders != 2:
                raise QcodeError(f"Cohen's kappa is defined for exactly 2 coders (got {n_coders}); "
                                 "use fleiss, ac1 or alpha for more coders")
            wanted.append(s)
        else:
            raise QcodeError(f"unknown statistic {s!r}; choose from {', '.join(STATISTICS)} or all")
    return list(dict.fromkeys(wanted))


def case_attribute(store, attribute: str | None = None) -> str:
    """The attribute whose values are the cases: ``attribute``, else ``kommun``, else ``municipality``."""
    names = store.attribute_names()
    if attribute:
        if attribute not in names:
            raise QcodeError(f"no transcript has the attribute {attribute!r} "
                             f"(attributes: {', '.join(names) or 'none'})")
        return attribute
    for name in CASE_ATTRIBUTES:
        if name in names:
            return name
    raise QcodeError("no case attribute: give one (e.g. --case-attribute region); the transcripts have "
                     f"{', '.join(names) or 'no attributes'}")


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
    if level not in LEVELS:
        raise QcodeError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
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
    values = store.attribute_by_transcript(by)
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


def _design(store, coders: list[str], *, by, level, codes, unit, case_attr, require_all_done) -> _Design:
    if unit not in UNITS:
        raise QcodeError(f"unit must be one of {', '.join(UNITS)}; got {unit!r}")
    rows, targets, labels = _rows(store, coders, level, codes)
    k = len(coders)
    seg_id, seg_tid = store.segment_transcripts()
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
        case_of = store.attribute_by_transcript(case_attr)
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

    # The codings: one packed integer per coding, then vectorised look-ups.
    rowids = store.code_rowids()
    max_rowid = max(rowids.values(), default=0)
    shift = max(1, int(max_rowid).bit_length())
    indptr = np.zeros(max_rowid + 2, dtype=np.int64)
    flat: list[int] = []
    per_rowid: dict[int, list[int]] = {rowids[c]: t for c, t in targets.items()}
    for r in range(max_rowid + 1):
        flat.extend(per_rowid.get(r, []))
        indptr[r + 1] = len(flat)
    flat_targets = np.array(flat, dtype=np.int64)
    hit_units, hit_coders, hit_rows = [], [], []
    for j, coder in enumerate(coders):
        packed = store.coder_codings_packed(coder, shift)
        seg = packed >> shift
        rid = packed & ((1 << shift) - 1)
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
    if statistic == "alpha":
        return alpha_per_column_binary(arr)
    fn = _FUNCTIONS[statistic]
    return np.array([fn(_float_table(arr[r])) for r in range(arr.shape[0])], dtype=np.float64)


def _compute(store, coders, *, statistics, by, level, codes, unit, case_attr, require_all_done, ci, n_boot,
             seed, ci_level, overall) -> list[dict]:
    coders = check_coders(store, coders)
    stats = _statistics(statistics, len(coders))
    if unit == "case":
        case_attr = case_attribute(store, case_attr)
    d = _design(store, coders, by=by, level=level, codes=codes, unit=unit, case_attr=case_attr,
                require_all_done=require_all_done)
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


def agreement(store, coders: str | Sequence[str], *, statistics: str | Sequence[str] = "alpha",
              by: str | None = None, level: str = "code", codes: Sequence[str] | None = None,
              unit: str = "segment", case_attribute: str | None = None, require_all_done: bool = True,
              ci: bool = False, n_boot: int = 1000, seed: int = 0, ci_level: float = 0.95,
              overall: bool = True) -> pd.DataFrame:
    """Agreement per code (and overall) as a long table: one row per scope, code and statistic.

    ``coders``: two or more coders (``"anna,erik"`` or a list). ``statistics``:
    any of ``alpha kappa fleiss percent ac1 bp`` or ``"all"``. ``by``: None
    (the whole project, scope ``"all"``), ``"transcript"`` or an attribute
    name such as ``"kommun"`` (transcripts without a value form the scope
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
    """
    recs = _compute(store, coders, statistics=statistics, by=by, level=level, codes=codes, unit=unit,
                    case_attr=case_attribute, require_all_done=require_all_done, ci=ci, n_boot=n_boot, seed=seed,
                    ci_level=ci_level, overall=overall)
    rows = []
    for rec in recs:
        for st in rec["statistics"]:
            low, high = rec["ci"].get(st, (float("nan"), float("nan")))
            n_codes = rec["codes"][st] if isinstance(rec["codes"], dict) else rec["codes"]
            rows.append({"scope": rec["scope"], "code": rec["code"], "statistic": st, "value": rec["values"][st],
                         "units": rec["units"], "coded": rec["coded"], "codes": n_codes,
                         "label_sv": rec["label_sv"], "label_en": rec["label_en"], "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows, columns=COLUMNS)


def agreement_by_code(store, coders: str | Sequence[str], *, statistics: str | Sequence[str] = "all",
                      **options) -> pd.DataFrame:
    """The same figures as :func:`agreement`, one row per scope and code, one column per statistic.

    The table an agreement page shows: ``scope, code, label_sv, label_en,
    units, coded``, then a column per statistic (and ``alpha_ci_low``,
    ``alpha_ci_high`` with ``ci=True``). Takes the options of :func:`agreement`.

    >>> w = agreement_by_code(store, "anna,erik", statistics=["alpha", "percent"])  # the demo
    >>> w[w.code == "impl_ff_positiv_ledning_chef"][["code", "units", "coded", "alpha", "percent"]].round(3)
    ...
                               code  units  coded  alpha  percent
    8  impl_ff_positiv_ledning_chef   1756     13  0.869    0.998
    """
    recs = _compute(store, coders, statistics=statistics, by=options.pop("by", None),
                    level=options.pop("level", "code"), codes=options.pop("codes", None),
                    unit=options.pop("unit", "segment"), case_attr=options.pop("case_attribute", None),
                    require_all_done=options.pop("require_all_done", True), ci=options.pop("ci", False),
                    n_boot=options.pop("n_boot", 1000), seed=options.pop("seed", 0),
                    ci_level=options.pop("ci_level", 0.95), overall=options.pop("overall", True))
    if options:
        raise TypeError(f"unknown option(s): {', '.join(sorted(options))}")
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


# --------------------------------------------------------------------------- #
# Disagreement review
# --------------------------------------------------------------------------- #


def _done_by_all(store, coders: list[str]) -> set[int]:
    sets = [store.done_transcripts(c) for c in coders]
    return set.intersection(*sets) if sets else set()


def _code_info(store) -> tuple[dict[str, int], dict[str, dict]]:
    order, info = {}, {}
    for i, c in enumerate(store.codes()):
        order[c.id] = i
        info[c.id] = {"id": c.id, "label_sv": c.label_sv, "label_en": c.label_en, "definition": c.definition,
                      "include": c.include, "exclude": c.exclude}
    return order, info


def _latest_decisions(store, transcript_id: int | None = None) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for d in store.consensus_decisions(transcript_id=transcript_id):
        latest[int(d["segment_id"])] = d
    return latest


def disagreements(store, coders: str | Sequence[str], *, transcript: str | None = None) -> list[dict]:
    """Every segment where the coders' code sets differ, with context and the codes' definitions.

    Only transcripts that *all* the coders have marked done are reviewed.
    Each record (in transcript and segment order) holds ``segment_id,
    transcript, segment`` (1-based position), ``speaker, text``, ``before`` and
    ``after`` (the texts of the neighbouring segments, "" at the ends),
    ``codes`` ({coder: [code ids]}), ``agreed`` (codes every coder applied),
    ``disputed`` (codes some but not all applied), ``involved`` (for each
    code any coder applied: ``id, label_sv, label_en, definition, include,
    exclude, applied_by``), and the state of the review: ``decided``,
    ``consensus`` (the consensus codes, or None while undecided),
    ``decided_by`` and ``decided_at``.

    >>> for d in disagreements(store, ["anna", "erik"], transcript="aneby_chef.txt"):
    ...     print(d["segment"], d["codes"])
    44 {'anna': ['impl_hi_okunskap_ledning_samordningsforbund'], 'erik': []}
    85 {'anna': ['prak_hi_svart_folja_metoden'], 'erik': []}
    """
    coders = check_coders(store, coders)
    tids = _done_by_all(store, coders)
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
        if tid not in tids:
            missing = [c for c in coders if tid not in store.done_transcripts(c)]
            raise QcodeError(f"{transcript!r} is not marked done by {', '.join(missing)}; only finished "
                             "transcripts are compared (qcode done)")
        tids = {tid}
    by_segment: dict[int, dict[str, set[str]]] = {}
    for sid, coder, code in store.codings_in_transcripts(sorted(tids), coders):
        by_segment.setdefault(sid, {}).setdefault(coder, set()).add(code)
    differing = {sid for sid, sets in by_segment.items()
                 if len({frozenset(sets.get(c, ())) for c in coders}) > 1}
    if not differing:
        return []
    order, info = _code_info(store)
    sort = lambda ids: sorted(ids, key=lambda c: (order.get(c, len(order)), c))  # noqa: E731
    names = store.transcript_names_by_id()
    consensus_codes: dict[int, set[str]] = {}
    out: list[dict] = []
    for tid in sorted(tids, key=lambda t: names.get(t, "")):
        segs = store.segments(tid)
        if not any(s.id in differing for s in segs):
            continue
        latest = _latest_decisions(store, tid)
        consensus_codes.clear()
        for sid, _, code in store.codings_in_transcripts([tid], [CONSENSUS]):
            consensus_codes.setdefault(sid, set()).add(code)
        for i, s in enumerate(segs):
            if s.id not in differing:
                continue
            sets = {c: by_segment[s.id].get(c, set()) for c in coders}
            union = set().union(*sets.values())
            common = set.intersection(*sets.values())
            decision = latest.get(s.id)
            decided = decision is not None or s.id in consensus_codes
            out.append({
                "segment_id": s.id, "transcript": s.transcript, "segment": s.position, "speaker": s.speaker,
                "text": s.text, "before": segs[i - 1].text if i > 0 else "",
                "after": segs[i + 1].text if i + 1 < len(segs) else "",
                "codes": {c: sort(v) for c, v in sets.items()}, "agreed": sort(common),
                "disputed": sort(union - common),
                "involved": [{**info.get(code, {"id": code, "label_sv": "", "label_en": "", "definition": "",
                                                "include": "", "exclude": ""}),
                              "applied_by": [c for c in coders if code in sets[c]]} for code in sort(union)],
                "decided": decided,
                "consensus": sort(consensus_codes.get(s.id, set())) if decided else None,
                "decided_by": decision["decided_by"] if decision else None,
                "decided_at": decision["decided_at"] if decision else None,
            })
    return out


# --------------------------------------------------------------------------- #
# Consensus
# --------------------------------------------------------------------------- #


def _check_decider(decided_by: str | None) -> str:
    name = (decided_by or "").strip()
    if not name:
        raise QcodeError("say who decides (decided_by / --by NAME)")
    return name


def _decide(store, segment_id: int, codes: list[str], decided_by: str, how: str, note: str | None,
            location: tuple) -> dict:
    """Write one decision; call inside a transaction with validated arguments."""
    _, name, position = location
    before = store.coder_segment_codes(segment_id, CONSENSUS)
    store.ensure_coders([CONSENSUS])
    added, removed = store.set_segment_codes(segment_id, CONSENSUS, codes)
    entry = store.audit("consensus.decide", actor=decided_by, target=f"{name}#{position}",
                        detail={"segment_id": segment_id, "codes": codes, "before": before, "added": added,
                                "removed": removed, "how": how, "note": note})
    return {"segment_id": segment_id, "transcript": name, "segment": position, "codes": codes,
            "added": added, "removed": removed, "decided_by": decided_by, "audit_id": entry}


def decide(store, segment_id: int, codes: Iterable[str], *, decided_by: str, how: str = "manual",
           note: str | None = None) -> dict:
    """Settle one segment: the ``consensus`` coder's codes there become exactly ``codes``.

    ``codes`` may be empty (decided: no code). One transaction; the audit log
    records who decided, when, the codes before and after, ``how`` (e.g.
    ``"accept anna"``) and an optional ``note``; :func:`decisions` lists them.
    The ``consensus`` coder is created on first use. Returns what changed.

    >>> d = disagreements(store, ["anna", "erik"])[0]  # the demo
    >>> decide(store, d["segment_id"], ["impl_hi_okunskap_ledning_samordningsforbund"], decided_by="sara")
    ...
    {'segment_id': 44, 'transcript': 'aneby_chef.txt', 'segment': 44, 'codes': [...], 'added': [...], ...}
    """
    decided_by = _check_decider(decided_by)
    codes = [codes] if isinstance(codes, str) else list(dict.fromkeys(_names(codes)))
    known = store.code_ids()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise QcodeError(f"no code with id {', '.join(repr(u) for u in unknown)} in the codebook")
    location = store.segment_location(segment_id)
    if location is None:
        raise QcodeError(f"no segment with id {segment_id} in the project")
    with store.transaction():
        return _decide(store, int(segment_id), codes, decided_by, how, note, location)


def accept(store, segment_id: int, coder: str, *, decided_by: str, note: str | None = None) -> dict:
    """Settle a segment by taking one coder's codes as the consensus (the "one click" decision).

    >>> d = disagreements(store, ["anna", "erik"])[0]  # the demo: anna coded this segment, erik did not
    >>> accept(store, d["segment_id"], "erik", decided_by="sara")["codes"]
    []
    """
    check_coders(store, [coder], minimum=1)
    if coder == CONSENSUS:
        raise QcodeError("accept takes the codes of one of the coders, not of consensus itself")
    return decide(store, segment_id, store.coder_segment_codes(segment_id, coder), decided_by=decided_by,
                  how=f"accept {coder}", note=note)


def decisions(store, *, transcript: str | None = None, latest: bool = False) -> list[dict]:
    """The consensus decisions, oldest first: who decided what, when and how.

    Each record: ``id, decided_at, decided_by, segment_id, transcript,
    segment, codes, before, how, note``. ``latest=True`` keeps only the last
    decision on each segment.

    >>> _ = accept(store, disagreements(store, ["anna", "erik"])[0]["segment_id"], "anna", decided_by="sara")
    >>> decisions(store)[-1]["decided_by"]
    'sara'
    """
    tid = None
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
    rows = store.consensus_decisions(transcript_id=tid)
    if latest:
        last = {r["segment_id"]: r for r in rows}
        rows = sorted(last.values(), key=lambda r: r["id"])
    return rows


def consensus_from_agreement(store, coders: str | Sequence[str], *, decided_by: str,
                             transcripts: Sequence[str] | None = None, overwrite: bool = False) -> dict:
    """Copy every segment on which all the coders agree into the ``consensus`` coding.

    Looks at the transcripts every coder has marked done (optionally only
    ``transcripts``). Where all their code sets are equal, the consensus gets
    the same codes, so the team only has to decide the disagreements.
    Segments already settled -- with a recorded decision or consensus codes
    -- are left alone unless ``overwrite=True``. One transaction, one audit
    entry (``consensus.agreed``). Returns counts: ``transcripts``,
    ``segments`` (reviewed), ``agreed``, ``disagreements``, ``written``
    (agreed segments given codes), ``codings`` (rows added), ``skipped``.

    >>> consensus_from_agreement(store, ["anna", "erik"], decided_by="sara")  # doctest: +NORMALIZE_WHITESPACE
    {'transcripts': 16, 'segments': 1756, 'agreed': 1714, 'disagreements': 42, 'written': 298, 'codings': 299,
     'skipped': 0}
    """
    decided_by = _check_decider(decided_by)
    coders = check_coders(store, coders)
    if CONSENSUS in coders:
        raise QcodeError("the consensus coder cannot be one of the coders it is made from")
    tids = _done_by_all(store, coders)
    if transcripts is not None:
        wanted = {}
        for name in transcripts:
            tid = store.transcript_id(name)
            if tid is None:
                raise QcodeError(f"no transcript named {name!r} in the project")
            wanted[tid] = name
        not_done = [n for t, n in wanted.items() if t not in tids]
        if not_done:
            raise QcodeError(f"not marked done by all of {', '.join(coders)}: {', '.join(not_done)}")
        tids = set(wanted)
    seg_id, seg_tid = store.segment_transcripts()
    chosen = np.isin(seg_tid, np.array(sorted(tids), dtype=np.int64))
    segments, transcript_of = seg_id[chosen], dict(zip(seg_id[chosen].tolist(), seg_tid[chosen].tolist()))
    by_segment: dict[int, dict[str, set[str]]] = {}
    for sid, coder, code in store.codings_in_transcripts(sorted(tids), coders):
        by_segment.setdefault(sid, {}).setdefault(coder, set()).add(code)
    empty: dict[str, set[str]] = {}
    agreed: dict[int, set[str]] = {}
    for sid in segments.tolist():
        sets = by_segment.get(sid, empty)
        first = sets.get(coders[0], set())
        if all(sets.get(c, set()) == first for c in coders[1:]):
            agreed[sid] = first
    settled = store.decided_segment_ids() | store.coded_segment_ids(CONSENSUS)
    skipped = 0 if overwrite else sum(1 for sid in agreed if sid in settled)
    target = agreed if overwrite else {s: v for s, v in agreed.items() if s not in settled}
    with store.transaction():
        store.ensure_coders([CONSENSUS])
        if overwrite:
            for sid, codes in target.items():
                if sid in settled:
                    store.set_segment_codes(sid, CONSENSUS, codes)
        added = store.add_codings([(sid, transcript_of[sid], c, CONSENSUS, None)
                                   for sid, codes in target.items() for c in sorted(codes)])
        result = {"transcripts": len(tids), "segments": int(len(segments)), "agreed": len(agreed),
                  "disagreements": int(len(segments)) - len(agreed),
                  "written": sum(1 for v in target.values() if v), "codings": added, "skipped": skipped}
        store.audit("consensus.agreed", actor=decided_by, target=",".join(coders),
                    detail={**result, "coders": coders, "overwrite": overwrite})
    return result


CONSENSUS_CSV_COLUMNS = ("transcript", "segment", "code")


def read_consensus_csv(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """Read a decisions CSV (``transcript,segment,code``) into ``(line number, row)`` pairs."""
    reader = csv.DictReader(io.StringIO(read_csv_text(path)))
    columns = [(c or "").strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in CONSENSUS_CSV_COLUMNS if c not in columns]
    if missing:
        raise CodingsProblem(f"line 1: missing column(s) {', '.join(missing)}; expected "
                             f"{','.join(CONSENSUS_CSV_COLUMNS)}", path=str(path),
                             problems=[f"line 1: missing {', '.join(missing)}"])
    rows = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(clean.get(c) for c in ("transcript", "segment")) or clean.get("code"):
            rows.append((reader.line_num, clean))
    return rows


def import_consensus(store, path: str | Path, *, decided_by: str) -> dict:
    """Record consensus decisions from a CSV, all or nothing.

    Columns ``transcript,segment,code`` (``segment`` = 1-based position;
    other columns are ignored). A segment with several codes has several
    rows; a row with an empty ``code`` records the decision "no code" (rows
    with codes for the same segment add to it). Every segment named in the
    file gets exactly the codes listed for it, as one decision each (see
    :func:`decide`). Every unknown transcript, segment or code is reported
    with its line number; if there is any, nothing is recorded. Returns
    ``{"rows": n, "segments": n, "codings": n}``.

    >>> _ = open("/tmp/beslut.csv", "w", encoding="utf-8").write(
    ...     "transcript,segment,code\\naneby_chef.txt,44,impl_hi_okunskap_ledning_samordningsforbund\\n"
    ...     "aneby_chef.txt,85,\\n")
    >>> import_consensus(store, "/tmp/beslut.csv", decided_by="sara")
    {'rows': 2, 'segments': 2, 'codings': 1}
    """
    decided_by = _check_decider(decided_by)
    rows = read_consensus_csv(path)
    seg_ids = store.segment_id_map()
    transcripts = store.transcript_names()
    known = store.code_ids()
    problems: list[str] = []
    wanted: dict[int, list[str]] = {}
    where: dict[int, tuple[str, int]] = {}
    for line, row in rows:
        name, pos, code = row.get("transcript", ""), row.get("segment", ""), row.get("code", "")
        row_problems, sid = [], None
        if name not in transcripts:
            row_problems.append(f"unknown transcript {name!r}")
        else:
            try:
                sid = seg_ids.get((name, int(pos)))
            except ValueError:
                row_problems.append(f"segment {pos!r} is not a whole number")
            else:
                if sid is None:
                    row_problems.append(f"transcript {name!r} has no segment {pos}")
        if code and code not in known:
            row_problems.append(f"unknown code {code!r}")
        if row_problems:
            problems.append(f"line {line}: " + "; ".join(row_problems))
            continue
        codes = wanted.setdefault(sid, [])
        where[sid] = (name, int(pos))
        if code and code not in codes:
            codes.append(code)
    if problems:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise CodingsProblem(f"{len(problems)} row(s) refer to unknown transcripts, segments or codes; "
                             "nothing was recorded:\n  " + "\n  ".join(shown) + more,
                             path=str(path), problems=problems)
    total = 0
    with store.transaction():
        for sid, codes in wanted.items():
            name, pos = where[sid]
            _decide(store, sid, codes, decided_by, f"csv {Path(path).name}", None, (None, name, pos))
            total += len(codes)
    return {"rows": len(rows), "segments": len(wanted), "codings": total}
