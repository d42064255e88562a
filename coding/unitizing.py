"""Krippendorff's unitizing alphas: agreement on *where* codes were applied in a text, not only on segments.

When coders mark stretches of text (spans) instead of whole segments, the
segment-level statistics of :mod:`coding.agreement` see only which segments a
span touched. The unitizing alphas compare the spans themselves. Each
transcript is a *continuum* of characters; each coder who marked it done is an
*observer* who cut it into *units* (the spans of a code) and *gaps* (the
unmarked stretches between them). Four coefficients, each 1 for perfect
agreement, 0 for agreement at chance level:

* ``alpha_u`` -- αu, Krippendorff's unitizing alpha (Krippendorff 1995, "On the
  reliability of unitizing continuous data", Sociological Methodology 25:47-76;
  Krippendorff 2004, *Content Analysis*, 2nd ed., pp. 251-256, and "Measuring
  the reliability of qualitative text analysis data", Quality & Quantity
  38:787-800). Per code: the units of that code against everything else; the
  distance of two intersecting units is the squared difference of their starts
  plus that of their ends, a unit inside another coder's gap counts its squared
  length. Pooled: ``1 - sum(D_o) / sum(D_e)`` over the codes.
* ``bar_u`` -- |uα (Krippendorff, Mathet, Bouvry & Widlöcher 2016, "On the
  reliability of unitizing textual continua: Further developments", Quality &
  Quantity 50:2347-2364): the binary distinction of coded from uncoded text.
  Per code: that code's units against its gaps; pooled: every coded character,
  whatever its code, against the uncoded ones.
* ``cu`` -- c|uα (same paper): agreement on the codes of the text that two
  coders both coded (the intersections of their units), ignoring where units
  begin and end. Only pooled.
* ``k_u`` -- (k)uα (same paper): the part of c|uα that concerns one code k.

Conventions (documented choices):

* Offsets are 0-based, ``end`` exclusive (Python slices of the transcript text).
* A coder's spans of the **same code** that overlap or touch are **merged** into
  one unit (a unit is a maximal stretch the coder gave that code). Spans of
  different codes may overlap: each code is its own layer, so a passage with
  two codes counts for both.
* Several continua (transcripts) and missing observers are pooled the way
  Krippendorff's α pools units with missing values: a transcript counts with
  the coders who marked it done when there are at least two of them; an
  observed disagreement of ``m`` observers is weighted by ``1 / (m - 1)``; the
  pairable length is ``sum(m * length)``. With one transcript and the same
  coders throughout, every coefficient is exactly the published one.
* αu with more than two coders averages over pairs of coders, as in 2004; the
  2016 paper points out that it then behaves less well than |uα and c|uα.
* A coefficient that cannot be computed is ``None`` with a ``reason`` (no units,
  fewer than two coders, no expected disagreement) -- never a division by zero.

>>> text = Continuum(length=20, spans={"anna": [(2, 8, "ff"), (12, 18, "hi")],
...                                    "erik": [(2, 8, "ff"), (12, 18, "hi")]})
>>> r = unitizing_alpha([text])
>>> r.alpha_u.value, r.bar_u.value, r.cu.value, r.units, r.continua
(1.0, 1.0, 1.0, 4, 1)
>>> r.code("hi").alpha_u.value
1.0
>>> lone = unitizing_alpha([Continuum(20, {"anna": [(2, 8, "ff")]})])
>>> lone.alpha_u.value, lone.alpha_u.reason
(None, 'no transcript has two or more coders')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np

from .errors import QcodeError

__all__ = ["Coefficient", "CodeResult", "Continuum", "UnitizingResult", "unitizing_alpha"]

NO_PAIRS = "no transcript has two or more coders"


@dataclass(frozen=True)
class Continuum:
    """One transcript: its length in characters and each observer's spans ``(start, end, code)``.

    Every key of ``spans`` is an observer (a coder who finished the text),
    also one with no spans (that coder found nothing to code).

    >>> Continuum(10, {"anna": [(0, 4, "x")], "erik": []}).observers
    ('anna', 'erik')
    """

    length: int
    spans: Mapping[str, Sequence[tuple[int, int, str]]]
    name: str = ""

    @property
    def observers(self) -> tuple[str, ...]:
        return tuple(self.spans)


@dataclass(frozen=True)
class Coefficient:
    """One coefficient: ``value`` (None when undefined, then ``reason`` says why), observed and expected
    disagreement (on the coefficient's own scale; ``value = 1 - observed / expected``).

    >>> Coefficient(None, reason="no units")
    Coefficient(value=None, reason='no units', observed=nan, expected=nan)
    """

    value: float | None
    reason: str | None = None
    observed: float = float("nan")
    expected: float = float("nan")


@dataclass(frozen=True)
class CodeResult:
    """The coefficients of one code: αu, |uα and (k)uα, and its number of units (all coders)."""

    code: str
    alpha_u: Coefficient
    bar_u: Coefficient
    k_u: Coefficient
    units: int


@dataclass(frozen=True)
class UnitizingResult:
    """Per code and pooled coefficients, with the number of units and of continua they rest on.

    ``units``: the units of the analysed codes over every coder and transcript
    that counts; ``continua``: the transcripts with two or more observers.
    """

    codes: tuple[CodeResult, ...]
    alpha_u: Coefficient
    bar_u: Coefficient
    cu: Coefficient
    units: int
    continua: int
    coders: tuple[str, ...] = field(default=())

    def code(self, code: str) -> CodeResult:
        """The result of one code (KeyError if it was not analysed)."""
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(code)


# --------------------------------------------------------------------------- #
# Intervals
# --------------------------------------------------------------------------- #


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted, disjoint intervals: overlapping or touching ones merged."""
    pairs = sorted(spans)
    starts: list[int] = []
    ends: list[int] = []
    for s, e in pairs:
        if starts and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


def _gaps(starts: np.ndarray, ends: np.ndarray, length: int) -> np.ndarray:
    """The lengths of the gaps between sorted disjoint intervals in [0, length) (empty gaps left out)."""
    lo = np.concatenate([[0], ends])
    hi = np.concatenate([starts, [length]])
    g = hi - lo
    return g[g > 0]


def _sum_by(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Float sums of ``weights`` per ``index`` (0..size-1), also for empty input."""
    return np.bincount(index, weights=np.asarray(weights, dtype=float), minlength=size).astype(float)


def _pairs(a_s, a_e, b_s, b_e):
    """Every intersecting pair (index into a, index into b) of interval lists; b sorted and disjoint."""
    lo = np.searchsorted(b_e, a_s, side="right")
    hi = np.searchsorted(b_s, a_e, side="left")
    counts = np.maximum(hi - lo, 0)
    ia = np.repeat(np.arange(len(a_s)), counts)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    ib = np.repeat(lo, counts) + offsets
    return ia, ib


@dataclass
class _Layer:
    """One coder's units in one continuum, all codes: starts, ends, code index; sorted by (code, start)."""

    s: np.ndarray
    e: np.ndarray
    c: np.ndarray
    bounds: np.ndarray  # units of code k are [bounds[k], bounds[k+1])


def _layer(spans, code_index: dict[str, int], n_codes: int, length: int, where: str) -> _Layer:
    per: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        try:
            start, end, code = span
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            raise QcodeError(f"{where}: a span must be (start, end, code); got {span!r}") from None
        if not 0 <= start < end <= length:
            raise QcodeError(f"{where}: span ({start}, {end}) of code {code!r} is empty or outside the text "
                             f"of {length} characters")
        k = code_index.get(code)
        if k is not None:
            per.setdefault(k, []).append((start, end))
    s_parts, e_parts, c_parts = [np.empty(0, np.int64)], [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    for k in sorted(per):
        s, e = _merge(per[k])
        s_parts.append(s)
        e_parts.append(e)
        c_parts.append(np.full(len(s), k, dtype=np.int64))
    c = np.concatenate(c_parts)
    bounds = np.searchsorted(c, np.arange(n_codes + 1), side="left").astype(np.int64)
    return _Layer(np.concatenate(s_parts), np.concatenate(e_parts), c, bounds)


def _layer_gaps(lay: _Layer, length: int, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """(code, length) of every non-empty gap of every code's layer; a code without units is one gap."""
    first = np.zeros(len(lay.s), dtype=bool)
    if len(lay.s):
        first[0] = True
        first[1:] = lay.c[1:] != lay.c[:-1]
    prev_end = np.where(first, 0, np.concatenate([[0], lay.e[:-1]]))
    before = lay.s - prev_end                       # the gap before each unit
    last_end = np.zeros(n_codes, dtype=np.int64)
    has = lay.bounds[1:] > lay.bounds[:-1]
    last_end[has] = lay.e[lay.bounds[1:][has] - 1]
    codes = np.concatenate([lay.c, np.arange(n_codes)])
    lens = np.concatenate([before, length - last_end])  # and the gap after each code's last unit
    keep = lens > 0
    return codes[keep], lens[keep]


# --------------------------------------------------------------------------- #
# The coefficients
# --------------------------------------------------------------------------- #


def _coefficient(observed: float, expected: float, reason_if_zero: str) -> Coefficient:
    if not expected > 0:
        return Coefficient(None, reason_if_zero, observed, expected)
    return Coefficient(float(1.0 - observed / expected), None, float(observed), float(expected))


def _binary_expected(n: float, unit_len: float, w: float) -> float:
    """e_{1,0} of |uα: n * l_1 * l_0 / (n^2 - sum of w), w = l^2 per unit and l per gap."""
    denom = n * n - w
    return n * unit_len * (n - unit_len) / denom if denom > 0 else 0.0


def unitizing_alpha(continua: Sequence[Continuum], codes: Sequence[str] | None = None) -> UnitizingResult:
    """αu, |uα, c|uα and (k)uα of the continua, per code and pooled (see the module docstring).

    ``codes``: the codes to analyse (default: every code in the spans); spans
    of other codes are left out. Continua with fewer than two observers are
    left out.

    Two coders who mark nearly the same passages with the same codes:

    >>> a = Continuum(30, {"anna": [(0, 10, "x"), (15, 25, "y")], "erik": [(0, 8, "x"), (16, 25, "y")]})
    >>> r = unitizing_alpha([a])
    >>> [(c.code, round(c.alpha_u.value, 3), round(c.bar_u.value, 3), c.k_u.value, c.units) for c in r.codes]
    [('x', 0.955, 0.85, 1.0, 2), ('y', 0.984, 0.928, 1.0, 2)]
    >>> round(r.alpha_u.value, 3), round(r.bar_u.value, 3), r.cu.value
    (0.967, 0.81, 1.0)

    The same passages, but erik gives the second one the code x: the
    boundaries still agree (|uα), the codes do not (c|uα):

    >>> b = Continuum(30, {"anna": [(0, 10, "x"), (15, 25, "y")], "erik": [(0, 8, "x"), (15, 25, "x")]})
    >>> r = unitizing_alpha([b])
    >>> round(r.bar_u.value, 3), round(r.cu.value, 3)
    (0.872, -0.034)
    """
    if codes is None:
        names = sorted({sp[2] for c in continua for spans in c.spans.values() for sp in spans
                        if isinstance(sp, (tuple, list)) and len(sp) == 3})
    else:
        names = list(dict.fromkeys(codes))
    q = len(names)
    code_index = {c: i for i, c in enumerate(names)}
    coders = tuple(dict.fromkeys(o for c in continua for o in c.observers))

    # Totals over continua (see the module docstring for the pooling).
    n = 0.0                                  # pairable length: sum of m * L
    total_length = 0.0                       # sum of L: αu's D_o and D_e are per character, as published
    used = 0                                 # continua with two or more observers
    au_obs = np.zeros(q)                     # αu: sum over ordered pairs of delta^2 / (m - 1)
    unit_code: list[np.ndarray] = []         # αu: (code, length) of every unit and every gap
    unit_len: list[np.ndarray] = []
    gap_code: list[np.ndarray] = []
    gap_len: list[np.ndarray] = []
    bar_obs = np.zeros(q)                    # |uα per code: o_{1,0}
    bar_len = np.zeros(q)                    # l_1 per code
    bar_w = np.zeros(q)                      # sum of l^2 (units) + l (gaps) per code
    all_obs = all_len = all_w = 0.0          # |uα pooled (union of codes)
    union_units = 0
    o = np.zeros((q, q))                     # c|uα observed coincidences
    s_sq = np.zeros(q)                       # c|uα: sum of squared pairable lengths of units, per code
    for ci, cont in enumerate(continua):
        length = int(cont.length)
        where = f"transcript {cont.name or ci + 1}"
        if length < 0:
            raise QcodeError(f"{where}: negative length {length}")
        observers = cont.observers
        m = len(observers)
        if m < 2 or length == 0:
            for obs in observers:   # still check the spans
                _layer(cont.spans[obs], code_index, q, length, where)
            continue
        used += 1
        n += m * length
        total_length += length
        w = 1.0 / (m - 1)
        layers = [_layer(cont.spans[obs], code_index, q, length, where) for obs in observers]
        unions = [_merge(zip(lay.s.tolist(), lay.e.tolist())) for lay in layers]
        for lay, (us, ue) in zip(layers, unions):
            lens = lay.e - lay.s
            gc, gl = _layer_gaps(lay, length, q)
            unit_code.append(lay.c)
            unit_len.append(lens)
            gap_code.append(gc)
            gap_len.append(gl)
            bar_w += _sum_by(lay.c, lens.astype(float) ** 2, q) + _sum_by(gc, gl, q)
            np.add.at(bar_len, lay.c, lens)
            ul = ue - us
            union_units += len(us)
            all_len += float(ul.sum())
            all_w += float((ul.astype(float) ** 2).sum() + _gaps(us, ue, length).sum())
        for i in range(m):
            li, (uis, uie) = layers[i], unions[i]
            for j in range(i + 1, m):
                lj, (ujs, uje) = layers[j], unions[j]
                # every intersecting pair of units, any codes: i's units against j's code-k units
                ia_parts, jb_parts = [], []
                for k in np.flatnonzero(lj.bounds[1:] > lj.bounds[:-1]):
                    a, b = lj.bounds[k], lj.bounds[k + 1]
                    ia, jb = _pairs(li.s, li.e, lj.s[a:b], lj.e[a:b])
                    ia_parts.append(ia)
                    jb_parts.append(jb + a)
                ia = np.concatenate(ia_parts) if ia_parts else np.empty(0, np.int64)
                jb = np.concatenate(jb_parts) if jb_parts else np.empty(0, np.int64)
                ov = (np.minimum(li.e[ia], lj.e[jb]) - np.maximum(li.s[ia], lj.s[jb])).astype(float)
                ci_, cj_ = li.c[ia], lj.c[jb]
                # c|uα: coincidences in both directions, and each unit's pairable length
                np.add.at(o, (ci_, cj_), ov * w)
                np.add.at(o, (cj_, ci_), ov * w)
                xi = _sum_by(ia, ov, len(li.s))
                xj = _sum_by(jb, ov, len(lj.s))
                np.add.at(s_sq, li.c, xi ** 2 * w)
                np.add.at(s_sq, lj.c, xj ** 2 * w)
                # αu and |uα per code: pairs of units of the same code
                same = ci_ == cj_
                sa, sb, sk = ia[same], jb[same], ci_[same]
                d2 = ((li.s[sa] - lj.s[sb]).astype(float) ** 2 + (li.e[sa] - lj.e[sb]).astype(float) ** 2)
                lone_i = np.bincount(sa, minlength=len(li.s)) == 0
                lone_j = np.bincount(sb, minlength=len(lj.s)) == 0
                d2_sum = _sum_by(sk, d2, q)
                d2_sum += _sum_by(li.c[lone_i], (li.e - li.s)[lone_i].astype(float) ** 2, q)
                d2_sum += _sum_by(lj.c[lone_j], (lj.e - lj.s)[lone_j].astype(float) ** 2, q)
                au_obs += 2.0 * d2_sum * w          # ordered pairs (i, j) and (j, i)
                inter = _sum_by(sk, ov[same], q)
                len_i = _sum_by(li.c, li.e - li.s, q)
                len_j = _sum_by(lj.c, lj.e - lj.s, q)
                bar_obs += (len_i - inter + len_j - inter) * w
                ua, ub = _pairs(uis, uie, ujs, uje)
                u_inter = float((np.minimum(uie[ua], uje[ub]) - np.maximum(uis[ua], ujs[ub])).sum())
                all_obs += (float((uie - uis).sum()) + float((uje - ujs).sum()) - 2 * u_inter) * w

    if used == 0:
        none = Coefficient(None, NO_PAIRS)
        results = tuple(CodeResult(c, none, none, none, 0) for c in names)
        return UnitizingResult(results, none, none, none, 0, 0, coders)

    # αu per code (Krippendorff 2004): D_o = sum delta^2 / (m - 1) / (n L), D_e as published; with several
    # continua L is their total length (the factor cancels in 1 - D_o / D_e).
    au_o, au_e, au_n = np.zeros(q), np.zeros(q), np.zeros(q, dtype=np.int64)
    u_code, u_len = np.concatenate(unit_code), np.concatenate(unit_len).astype(float)
    order = np.argsort(u_code, kind="stable")
    u_code, u_len = u_code[order], u_len[order]
    g_code, g_len = np.concatenate(gap_code), np.concatenate(gap_len).astype(float)
    order = np.lexsort((g_len, g_code))
    g_code, g_len = g_code[order], g_len[order]
    u_bounds = np.searchsorted(u_code, np.arange(q + 1))
    g_bounds = np.searchsorted(g_code, np.arange(q + 1))
    for k in range(q):
        units = u_len[u_bounds[k]:u_bounds[k + 1]]
        gaps = g_len[g_bounds[k]:g_bounds[k + 1]]
        n_k = len(units)
        au_n[k] = n_k
        if n_k == 0:
            continue
        tail = np.concatenate([np.cumsum((gaps + 1.0)[::-1])[::-1], [0.0]])   # sum of (g + 1) for g >= ...
        first = np.searchsorted(gaps, units, side="left")
        count = len(gaps) - first
        fits = tail[first] - count * units                                      # sum of (g - l + 1), g >= l
        within = (n_k - 1) / 3.0 * (2 * units ** 3 - 3 * units ** 2 + units)
        denom = n * (n - 1) - float((units * (units - 1)).sum())
        au_e[k] = 2.0 * float((within + units ** 2 * fits).sum()) / denom / total_length if denom > 0 else 0.0
        au_o[k] = au_obs[k] / n / total_length

    # c|uα and (k)uα (Krippendorff et al. 2016): expected coincidences among intersecting units.
    l_c = o.sum(axis=1)
    l_all = float(l_c.sum())
    s_all = float(s_sq.sum())
    if l_all > 0 and l_all - s_all / l_all > 0:
        e = np.outer(l_c, l_c)
        e[np.diag_indices(q)] -= s_sq
        e /= (l_all - s_all / l_all)
    else:
        e = np.zeros((q, q))

    results = []
    for k, name in enumerate(names):
        if au_n[k] == 0:
            no = Coefficient(None, "no coder applied this code in a transcript that two or more coders finished")
            results.append(CodeResult(name, no, no, no, 0))
            continue
        alpha_u = _coefficient(au_o[k], au_e[k], "no expected disagreement (the code leaves no room to differ)")
        bar_u = _coefficient(bar_obs[k], _binary_expected(n, bar_len[k], bar_w[k]),
                             "no expected disagreement (the code covers every character)")
        if l_c[k] == 0:
            k_u = Coefficient(None, "no text of this code was also coded by another coder")
        else:
            e_k, e_kk = float(e[k].sum()), float(e[k, k])
            k_u = _coefficient(e_k * (l_c[k] - o[k, k]), l_c[k] * (e_k - e_kk),
                               "no expected disagreement (only this code on the text coded by two coders)")
        results.append(CodeResult(name, alpha_u, bar_u, k_u, int(au_n[k])))

    used_codes = au_n > 0
    pooled_u = _coefficient(float(au_o[used_codes].sum()), float(au_e[used_codes].sum()),
                            "no units" if not used_codes.any() else "no expected disagreement")
    if union_units == 0:
        pooled_bar = Coefficient(None, "no units")
    else:
        pooled_bar = _coefficient(all_obs, _binary_expected(n, all_len, all_w),
                                  "no expected disagreement (the codes cover every character)")
    if l_all == 0:
        cu = Coefficient(None, "no coded text was also coded by another coder")
    else:
        cu = _coefficient(l_all - float(np.trace(o)), l_all - float(np.trace(e)),
                          "no expected disagreement (one code only on the text coded by two coders)")
    return UnitizingResult(tuple(results), pooled_u, pooled_bar, cu, int(au_n.sum()), used, coders)
