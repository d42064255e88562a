"""Inter-coder agreement statistics: pure functions, no database.

Every statistic takes a *units x coders* table of category labels: one row per
unit (segment, answer, document ...), one column per coder, and in each cell
the label that coder gave that unit.  The table may be a pandas DataFrame, a
NumPy array (numeric or ``object``) or a list of lists.  Labels may be strings
or numbers.  ``None``, ``NaN``, ``pd.NA`` and ``pd.NaT`` mean "this coder gave
no value for this unit".  (In a NumPy *string* array NumPy has already turned
``np.nan`` into the text ``"nan"``; only there is ``"nan"`` read as missing.)

Each function returns a float.  Where a coefficient is undefined -- for example
because every value is identical, so that chance agreement is 1 and the
coefficient is 0/0 -- it returns ``nan``, never a made-up 1.0 or 0.0.

Units with fewer than two values cannot be paired.  How each coefficient treats
them, and the paper its formula comes from, is stated in its docstring.  In
short: percent agreement, Fleiss' kappa, Gwet's AC1 and Brennan-Prediger follow
Gwet (2014) -- observed agreement is averaged over the units with at least two
ratings, the classification proportions behind chance agreement come from every
unit with at least one rating; Krippendorff's alpha ignores units with fewer
than two values (Krippendorff 2011); Cohen's kappa and Scott's pi use only the
units both coders coded.

References
----------
Brennan, R. L. & Prediger, D. J. (1981). Coefficient kappa: some uses, misuses,
    and alternatives. Educational and Psychological Measurement 41, 687-699.
Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational
    and Psychological Measurement 20(1), 37-46.
Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    Psychological Bulletin 76(5), 378-382.
Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the
    presence of high agreement. British Journal of Mathematical and Statistical
    Psychology 61, 29-48.
Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., ch. 2.
    Advanced Analytics, LLC.
Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
    reliability measure for coding data. Communication Methods and Measures
    1(1), 77-89.
Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
    Departmental Papers (ASC), University of Pennsylvania.
Scott, W. A. (1955). Reliability of content analysis: the case of nominal scale
    coding. Public Opinion Quarterly 19(3), 321-325.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "MEASUREMENT_LEVELS",
    "alpha_per_column_binary",
    "bootstrap_alpha",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
#: Krippendorff's levels of measurement (how far apart two values are)
MEASUREMENT_LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

# pandas' names for sequences of plain numbers (see pandas.api.types.infer_dtype)
_NUMERIC_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "boolean", "decimal"})
# how many coder pairs (or matrix cells) to hold in memory at once
_CHUNK = 1 << 20


# --------------------------------------------------------------------------- #
# Input normalisation (shared by every statistic)
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class _Coded:
    """A units x coders table turned into integer category codes.

    ``codes[u, j]`` is the index into ``categories`` of the label coder ``j``
    gave unit ``u``, or -1 where that coder gave none.  ``values`` holds the
    categories as floats when every category is a number (else ``None``);
    ``ordered`` says whether the order of ``categories`` means something (it
    was declared, or the categories are numbers sorted ascending).
    """

    codes: np.ndarray
    categories: list
    values: np.ndarray | None
    ordered: bool

    @property
    def q(self) -> int:
        return len(self.categories)


def _as_2d_array(data: Any) -> np.ndarray:
    if isinstance(data, pd.DataFrame):
        dtypes = list(data.dtypes)
        if dtypes and all(pd.api.types.is_numeric_dtype(t) for t in dtypes):
            return data.to_numpy(dtype=np.float64, na_value=np.nan)
        return data.to_numpy(dtype=object)
    # A list is read as objects so that NumPy cannot turn None or NaN into text.
    arr = data if isinstance(data, np.ndarray) else np.array(data, dtype=object)
    if arr.ndim == 1 and arr.size and all(isinstance(row, (list, tuple, np.ndarray)) for row in arr):
        raise ValueError("the rows of the table have different lengths; give every unit one cell per coder")
    if arr.ndim != 2:
        raise ValueError(
            "expected a 2-D table of labels (rows = units, columns = coders); "
            f"got an array with {arr.ndim} dimension(s)"
        )
    return arr


def _encode(data: Any, categories: Sequence | None = None) -> _Coded:
    """Turn any accepted input into integer codes (-1 = missing) and categories.

    Without ``categories`` the categories are the distinct labels observed
    (anywhere, including units only one coder coded), sorted when they can be
    sorted.  With ``categories`` the codes index the declared list in its
    given order, and a label outside it raises ``ValueError``.
    """
    arr = _as_2d_array(data)
    kind = arr.dtype.kind
    if kind in "biuf":
        as_float = arr.astype(np.float64, copy=False)
        missing = np.isnan(as_float)
        flat: np.ndarray = as_float[~missing]
    elif kind in "US":
        missing = arr == ("nan" if kind == "U" else b"nan")
        flat = arr[~missing].astype(object)
    elif kind == "O":
        missing = np.asarray(pd.isna(arr), dtype=bool)
        flat = arr[~missing]
        if flat.size and pd.api.types.infer_dtype(flat, skipna=False) in _NUMERIC_KINDS:
            flat = flat.astype(np.float64)
    else:
        raise TypeError(f"cannot read labels of dtype {arr.dtype}")
    numeric_data = flat.dtype.kind == "f"
    if numeric_data and not np.isfinite(flat).all():
        raise ValueError("labels must be finite numbers or text; found an infinite value")

    if categories is None:
        flat_codes, uniques = pd.factorize(flat)
        uniques = np.asarray(uniques, dtype=flat.dtype)
        try:
            order = np.argsort(uniques, kind="stable")
        except TypeError:  # labels of mixed types: keep order of appearance
            order = np.arange(len(uniques))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        flat_codes = rank[flat_codes] if len(flat_codes) else flat_codes.astype(np.int64)
        cats = list(uniques[order])
        ordered = numeric_data
    else:
        cats = list(categories)
        index = pd.Index(cats, dtype=object)
        if index.isna().any():
            raise ValueError("declared categories must not contain a missing value")
        if index.has_duplicates:
            dupes = sorted({repr(c) for c in index[index.duplicated()]})
            raise ValueError(f"declared categories contain duplicates: {', '.join(dupes)}")
        flat_codes = index.get_indexer(flat) if len(flat) else np.empty(0, dtype=np.int64)
        if (flat_codes < 0).any():
            unknown = pd.unique(flat[flat_codes < 0])
            shown = ", ".join(repr(_plain(v)) for v in unknown[:10])
            more = f" (and {len(unknown) - 10} more)" if len(unknown) > 10 else ""
            raise ValueError(f"labels not among the declared categories: {shown}{more}")
        ordered = True

    cat_array = np.array(cats, dtype=object)
    values = None
    if len(cats) == 0 or pd.api.types.infer_dtype(cat_array, skipna=False) in _NUMERIC_KINDS:
        values = cat_array.astype(np.float64)
    codes = np.full(arr.shape, -1, dtype=np.int64)
    codes[~missing] = flat_codes
    return _Coded(codes=codes, categories=cats, values=values, ordered=ordered)


def _plain(value: Any) -> Any:
    """A float label that is a whole number reads better as an int in messages."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --------------------------------------------------------------------------- #
# Shared building blocks
# --------------------------------------------------------------------------- #


def _coder_pairs(codes: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Yield the codes of every pair of coders on every unit, a chunk of units at a time.

    Yields ``(start, a, b)``: for units ``start, start + 1, ...`` two
    (units x coder pairs) arrays holding, for each pair of coders j < l, the
    codes the two gave the unit (-1 where either gave none).  Vectorised: the
    only Python loop is over chunks of about a million pairs.  If no unit was
    coded by every coder, each row is first sorted so that its values come
    first and the all-empty columns are dropped (coder identity does not
    matter to the statistics that use this; it keeps sparse designs with many
    coders cheap).
    """
    n_units, n_coders = codes.shape
    if n_units == 0 or n_coders < 2:
        return
    width = int((codes >= 0).sum(axis=1).max())
    if width < 2:
        return
    if width < n_coders:
        codes = np.sort(codes, axis=1)[:, : -width - 1 : -1]
    first, second = np.triu_indices(width, 1)
    step = max(1, _CHUNK // len(first))
    for start in range(0, n_units, step):
        block = codes[start : start + step]
        yield start, block[:, first], block[:, second]


def _ratings_per_unit(codes: np.ndarray) -> np.ndarray:
    return (codes >= 0).sum(axis=1)


def _category_totals(codes: np.ndarray, unit_weights: np.ndarray, q: int) -> np.ndarray:
    """sum_u unit_weights[u] * n_uc: weighted count of each category's values."""
    per_value = np.repeat(np.asarray(unit_weights, dtype=np.float64), codes.shape[1])
    return np.bincount((codes + 1).ravel(), weights=per_value, minlength=q + 1)[1:]


def _agreeing_pairs_per_unit(codes: np.ndarray) -> np.ndarray:
    """Per unit: the number of ordered coder pairs (j != l) with equal labels.

    Equals sum_k r_ik (r_ik - 1), with r_ik = how many coders put unit i in k.
    """
    agree = np.zeros(codes.shape[0], dtype=np.int64)
    for start, a, b in _coder_pairs(codes):
        agree[start : start + len(a)] += 2 * ((a == b) & (a >= 0)).sum(axis=1)
    return agree


def _observed_agreement(codes: np.ndarray) -> float:
    """Gwet (2014) p_a: mean over units with r_i >= 2 of the share of agreeing pairs."""
    r = _ratings_per_unit(codes)
    pairable = r >= 2
    if not pairable.any():
        return float("nan")
    agree = _agreeing_pairs_per_unit(codes)[pairable]
    r = r[pairable].astype(np.float64)
    return float(np.mean(agree / (r * (r - 1))))


def _classification_proportions(coded: _Coded) -> np.ndarray:
    """Gwet (2014) pi_k = (1/n) sum_i r_ik / r_i over the n units with r_i >= 1."""
    r = _ratings_per_unit(coded.codes)
    rated = r >= 1
    if not rated.any():
        return np.zeros(coded.q)
    inverse = np.divide(1.0, r, out=np.zeros(len(r)), where=rated)
    return _category_totals(coded.codes, inverse, coded.q) / rated.sum()


def _chance_corrected(p_a: float, p_e: float) -> float:
    if np.isnan(p_a) or np.isnan(p_e) or p_e >= 1.0:
        return float("nan")
    return float((p_a - p_e) / (1.0 - p_e))


def _two_coders(coded: _Coded, name: str) -> tuple[np.ndarray, np.ndarray]:
    n_coders = coded.codes.shape[1]
    if n_coders != 2:
        raise ValueError(
            f"{name} is defined for exactly 2 coders (columns); got {n_coders}. "
            "Use fleiss_kappa, gwet_ac1 or krippendorff_alpha for more coders."
        )
    both = (coded.codes >= 0).all(axis=1)
    return coded.codes[both, 0], coded.codes[both, 1]


def _check_level(level: str) -> str:
    if level not in MEASUREMENT_LEVELS:
        raise ValueError(f"level must be one of {', '.join(MEASUREMENT_LEVELS)}; got {level!r}")
    return level


# --------------------------------------------------------------------------- #
# Percent agreement and the kappa family
# --------------------------------------------------------------------------- #


def percent_agreement(data: Any) -> float:
    """Share of agreeing coder pairs, averaged over units (units weighted equally).

    For each unit *i* with *r_i* >= 2 ratings the share of the r_i (r_i - 1)
    ordered pairs of its coders who gave the same label,
    sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)); then the mean over those units.
    This is the observed agreement *p_a* of Gwet (2014, ch. 2) for multiple
    raters with missing ratings.  With two coders it is the share of units on
    which they agree.

    Missing data: units with fewer than 2 ratings are dropped.  No unit with 2
    or more ratings -> ``nan``.

    >>> percent_agreement([["a", "a"], ["a", "b"], ["b", "b"], ["b", None]])
    0.6666666666666666
    >>> percent_agreement([[1, 1, 2]])  # pairs (1,1) agree, (1,2) (1,2) do not
    0.3333333333333333
    """
    return _observed_agreement(_encode(data).codes)


def positive_agreement(data: Any) -> float:
    """Positive (specific) agreement on a binary code: the share of the coders' positive judgements that agree.

    For each unit *i* with *r_i* >= 2 ratings, of which *p_i* say "applied" (1),
    the agreeing ordered pairs of positive judgements are p_i (p_i - 1) and all
    ordered pairs that involve a positive judgement are p_i (r_i - 1);
    ``PA = sum p_i (p_i - 1) / sum p_i (r_i - 1)``. With two coders this is
    2a / (2a + b + c): a = both applied the code, b + c = only one did
    (Cicchetti & Feinstein 1990, J Clin Epidemiol 43(6), p. 551; for several
    coders Uebersax 1982, J Psychiatric Research 17(4)). Unlike percent
    agreement, segments that nobody coded do not count, so uncoded text cannot
    inflate it.

    Missing data: units with fewer than 2 ratings are dropped. ``nan`` when no
    pairable unit has a positive judgement.

    >>> positive_agreement([[1, 1], [1, 0], [0, 0], [0, 0], [0, 0]])  # 2a / (2a + b + c) = 2 / 3
    0.6666666666666666
    >>> positive_agreement([[0, 0], [0, 0]])
    nan
    """
    table = np.asarray(_as_2d_array(data), dtype=float)
    rated = ~np.isnan(table)
    r = rated.sum(axis=1)
    p = np.where(rated, table, 0).sum(axis=1)
    keep = r >= 2
    r, p = r[keep], p[keep]
    denominator = float((p * (r - 1)).sum())
    if denominator == 0:
        return float("nan")
    return float((p * (p - 1)).sum() / denominator)


def cohen_kappa(data: Any) -> float:
    """Cohen's (1960) kappa for exactly two coders.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the share of units on which the
    two coders agree and p_e = sum_k p_k. p_.k the agreement expected from
    each coder's own marginal distribution.

    Missing data: units that either coder left empty are dropped.  A table
    without exactly 2 columns raises ``ValueError``.  Undefined -> ``nan``:
    no unit coded by both, or p_e = 1 (both coders used one and the same
    category throughout).

    >>> data = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(cohen_kappa(data), 10)  # p_o = .7, p_e = .5
    0.4
    """
    coded = _encode(data)
    first, second = _two_coders(coded, "Cohen's kappa")
    n = len(first)
    q = coded.q
    if n == 0:
        return float("nan")
    table = np.bincount(first * q + second, minlength=q * q).reshape(q, q)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    chance = int((rows * cols).sum())
    if chance == n * n:  # p_e == 1
        return float("nan")
    p_o = np.trace(table) / n
    p_e = chance / (n * n)
    return _chance_corrected(p_o, p_e)


def scott_pi(data: Any) -> float:
    """Scott's (1955) pi for exactly two coders.

    pi = (p_o - p_e) / (1 - p_e), with p_o the share of units on which the
    two coders agree and p_e = sum_k pi_k^2, pi_k the share of all 2n labels
    (both coders pooled) that are k.

    Missing data: units that either coder left empty are dropped.  A table
    without exactly 2 columns raises ``ValueError``.  Undefined -> ``nan``:
    no unit coded by both, or only one category used (p_e = 1).

    >>> data = [["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10 + [["no", "no"]] * 15
    >>> round(scott_pi(data), 6)  # p_o = .7, pi = (.55, .45), p_e = .505
    0.393939
    """
    coded = _encode(data)
    first, second = _two_coders(coded, "Scott's pi")
    n = len(first)
    if n == 0:
        return float("nan")
    pooled = np.bincount(first, minlength=coded.q) + np.bincount(second, minlength=coded.q)
    if int((pooled * pooled).sum()) == 4 * n * n:  # p_e == 1
        return float("nan")
    p_o = float(np.mean(first == second))
    p_e = float((pooled * pooled).sum()) / (4.0 * n * n)
    return _chance_corrected(p_o, p_e)


def fleiss_kappa(data: Any) -> float:
    """Fleiss' (1971) kappa for 2 or more coders, generalised to missing ratings.

    kappa = (p_a - p_e) / (1 - p_e) with, following Gwet (2014, ch. 2) for
    multiple raters and unequal numbers of ratings per unit,

    * p_a = mean over the units with r_i >= 2 ratings of
      sum_k r_ik (r_ik - 1) / (r_i (r_i - 1))      (see ``percent_agreement``)
    * p_e = sum_k pi_k^2, pi_k = (1/n) sum_i r_ik / r_i over the n units
      with at least one rating.

    On complete data (every unit rated by the same number of coders) this is
    exactly Fleiss' 1971 kappa; with 2 coders and complete data it equals
    Scott's pi.

    Missing data: units with no rating are ignored; units with one rating
    count towards p_e but not p_a.  Undefined -> ``nan``: no unit with 2
    ratings, or only one category used (p_e = 1).

    >>> data = [["a", "a", "a"], ["a", "a", "b"], ["b", "b", "b"], ["b", "b", None]]
    >>> # p_a = (1 + 1/3 + 1 + 1)/4 = 5/6; pi = (5/12, 7/12); p_e = 74/144; kappa = 23/35
    >>> round(fleiss_kappa(data), 6)
    0.657143
    """
    coded = _encode(data)
    p_a = _observed_agreement(coded.codes)
    pi = _classification_proportions(coded)
    if np.count_nonzero(pi) < 2:  # p_e == 1 (or no rating at all)
        return float("nan")
    return _chance_corrected(p_a, float(np.sum(pi * pi)))


def gwet_ac1(data: Any, categories: Sequence | None = None) -> float:
    """Gwet's AC1 (Gwet 2008) for 2 or more coders, with missing ratings as in Gwet (2014).

    AC1 = (p_a - p_e) / (1 - p_e) with p_a as in ``fleiss_kappa`` and
    p_e = 1/(q - 1) * sum_k pi_k (1 - pi_k), where pi_k = (1/n) sum_i r_ik / r_i
    over the n units with at least one rating and q is the number of categories.

    ``categories``: the declared categories; q = len(categories).  Default:
    the categories observed anywhere in the data.  A label outside the
    declared categories raises ``ValueError``.

    Missing data: units with no rating are ignored; units with one rating
    count towards p_e but not p_a.  Undefined -> ``nan``: no unit with 2
    ratings, or q < 2 (a single category, nothing declared).

    >>> data = [["a", "a", "a"], ["a", "a", "b"], ["b", "b", "b"], ["b", "b", None]]
    >>> # p_a = 5/6, pi = (5/12, 7/12) (see fleiss_kappa); p_e = 2 * 5/12 * 7/12 / 1 = 35/72
    >>> round(gwet_ac1(data), 6)  # = 25/37
    0.675676
    >>> gwet_ac1([["no", "no"], ["no", "no"]], categories=["no", "yes"])  # p_e = 0
    1.0
    """
    coded = _encode(data, categories)
    if coded.q < 2:
        return float("nan")
    p_a = _observed_agreement(coded.codes)
    pi = _classification_proportions(coded)
    p_e = float(np.sum(pi * (1.0 - pi))) / (coded.q - 1)
    return _chance_corrected(p_a, p_e)


def brennan_prediger(data: Any, categories: Sequence | None = None) -> float:
    """Brennan & Prediger's (1981) kappa_n for 2 or more coders, missing ratings as in Gwet (2014).

    kappa_BP = (p_a - 1/q) / (1 - 1/q) with p_a as in ``fleiss_kappa`` (Gwet
    2014, ch. 2) and q the number of categories.

    ``categories``: the declared categories; q = len(categories).  Default:
    the categories observed anywhere in the data.  A label outside the
    declared categories raises ``ValueError``.

    Missing data: units with fewer than 2 ratings are dropped from p_a.
    Undefined -> ``nan``: no unit with 2 ratings, or q < 2.

    >>> round(brennan_prediger([["a", "a"], ["a", "b"], ["b", "b"], ["c", "c"]]), 6)
    0.625
    >>> round(brennan_prediger([["a", "a"], ["a", "b"]], categories=["a", "b", "c", "d"]), 6)
    0.333333
    """
    coded = _encode(data, categories)
    if coded.q < 2:
        return float("nan")
    return _chance_corrected(_observed_agreement(coded.codes), 1.0 / coded.q)


# --------------------------------------------------------------------------- #
# Krippendorff's alpha
# --------------------------------------------------------------------------- #


def _squared_difference(level: str, coded: _Coded, n_c: np.ndarray):
    """The difference function delta^2(c, k) of Krippendorff (2011) on category codes."""
    if level == "nominal":
        return lambda a, b: (a != b).astype(np.float64)
    if level == "ordinal":
        if not coded.ordered:
            raise ValueError(
                "ordinal alpha needs ordered categories: use numeric labels or pass "
                "categories=[...] in their order"
            )
        # sum_{g=c}^{k} n_g - (n_c + n_k)/2, with the marginal frequencies n_g
        cum = np.concatenate([[0.0], np.cumsum(n_c)])

        def ordinal(a, b):
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            return (cum[hi + 1] - cum[lo] - (n_c[a] + n_c[b]) / 2.0) ** 2

        return ordinal
    values = coded.values
    if values is None:
        raise ValueError(f"{level} alpha needs numeric labels")
    if level == "interval":
        return lambda a, b: (values[a] - values[b]) ** 2
    if (values < 0).any():
        raise ValueError("ratio alpha needs non-negative values")

    def ratio(a, b):
        total = values[a] + values[b]
        diff = values[a] - values[b]
        return np.divide(diff, total, out=np.zeros(np.broadcast(a, b).shape), where=total != 0) ** 2

    return ratio


def _expected_disagreement_sum(level: str, coded: _Coded, n_c: np.ndarray, delta) -> float:
    """sum_c sum_k n_c n_k delta^2(c, k)."""
    n = n_c.sum()
    if level == "nominal":
        return float(n * n - np.dot(n_c, n_c))
    if level == "interval":
        # = 2 n sum_c n_c (v_c - mean)^2; centring keeps it accurate
        mean = np.dot(n_c, coded.values) / n
        return float(2.0 * n * np.dot(n_c, (coded.values - mean) ** 2))
    codes = np.nonzero(n_c)[0]
    weights = n_c[codes]
    total = 0.0
    step = max(1, _CHUNK // len(codes))
    for start in range(0, len(codes), step):
        block = codes[start : start + step]
        total += float(weights[start : start + step] @ delta(block[:, None], codes[None, :]) @ weights)
    return total


def _alpha(coded: _Coded, level: str, multiplicity: np.ndarray | None = None) -> float:
    """Krippendorff's alpha of ``coded``; unit ``u`` counted ``multiplicity[u]`` times."""
    codes = coded.codes
    r = _ratings_per_unit(codes)
    f = np.ones(len(codes)) if multiplicity is None else np.asarray(multiplicity, dtype=np.float64)
    pairable = r >= 2
    # n_c: the margins of the coincidence matrix = the values in pairable units
    n_c = _category_totals(codes, np.where(pairable, f, 0.0), coded.q)
    if np.count_nonzero(n_c) < 2:  # no pairable unit, or D_e = 0: undefined
        return float("nan")
    n = n_c.sum()
    delta = _squared_difference(level, coded, n_c)
    # n * D_o = sum_c sum_k o_ck delta^2_ck = sum_u sum_{j != l} delta^2(c_uj, c_ul) / (m_u - 1)
    weight = np.divide(f, r - 1, out=np.zeros(len(r)), where=pairable)
    observed = 0.0
    for start, a, b in _coder_pairs(codes):
        both = (a >= 0) & (b >= 0)
        per_unit = np.where(both, delta(a, b), 0.0).sum(axis=1)
        observed += 2.0 * float(np.dot(weight[start : start + len(a)], per_unit))
    expected = _expected_disagreement_sum(level, coded, n_c, delta)
    return float(1.0 - (n - 1.0) * observed / expected)


def krippendorff_alpha(data: Any, level: Level = "nominal", *, categories: Sequence | None = None) -> float:
    """Krippendorff's alpha for any number of coders, with missing values.

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_{c,k} o_ck delta^2_ck
                                / sum_{c,k} n_c n_k delta^2_ck,
    computed from the coincidence matrix o_ck = sum_u (number of c-k pairs of
    values in unit u) / (m_u - 1), its margins n_c and the total n of
    pairable values, as in Krippendorff (2011), "Computing Krippendorff's
    Alpha-Reliability".  Difference functions delta^2_ck:

    * ``"nominal"``: 0 if c = k, else 1
    * ``"ordinal"``: (sum_{g=c}^{k} n_g - (n_c + n_k)/2)^2, with the marginal
      frequencies n_g of the coincidence matrix
    * ``"interval"``: (c - k)^2
    * ``"ratio"``: ((c - k) / (c + k))^2 (values must be >= 0)

    ``categories``: optional declared categories.  Needed for ``"ordinal"``
    with non-numeric labels (their order is the scale order); a label outside
    them raises ``ValueError``.  Categories nobody used do not change alpha.

    Missing data: units with fewer than 2 values are unpairable and ignored
    (Krippendorff 2011).  Undefined -> ``nan``: no pairable unit, or every
    pairable value identical (D_e = 0).  Vectorised with NumPy; the
    coincidence matrix is never built cell by cell.

    >>> data = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3],
    ...         [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1],
    ...         [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, 3, None, None]]
    >>> round(krippendorff_alpha(data, "nominal"), 3)  # Krippendorff (2011)
    0.743
    >>> round(krippendorff_alpha(data, "interval"), 3)
    0.849
    """
    level = _check_level(level)
    return _alpha(_encode(data, categories), level)


def bootstrap_alpha(
    data: Any,
    level: Level = "nominal",
    n_boot: int = 1000,
    seed: int | np.random.Generator | None = 0,
    ci: float = 0.95,
    *,
    categories: Sequence | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval (low, high) for Krippendorff's alpha.

    Method: a unit-level (cluster) bootstrap.  Each replicate draws as many
    units as the data has, with replacement, keeping all of a drawn unit's
    values together, and computes alpha on them; the interval is the
    ((1 - ci)/2, (1 + ci)/2) percentiles of the replicates.  This is the
    ordinary nonparametric bootstrap for clustered data.  It is *not* the
    procedure of Hayes & Krippendorff (2007) (their KALPHA macro resamples
    pairs of values and adjusts the distribution), so intervals are close to,
    but not identical with, KALPHA's.

    Units are drawn exactly as described, but computed efficiently: units
    with the same values (in any coder order) are grouped, and a replicate
    draws how often each group occurs from the multinomial distribution that
    resampling units induces.  Reproducible for a given ``seed`` (an int or a
    ``numpy.random.Generator``).

    Missing data: as in ``krippendorff_alpha`` (unpairable units are drawn but
    contribute nothing).  Replicates in which alpha is undefined (e.g. all
    drawn values identical) are left out of the percentiles; if no replicate
    is defined the result is ``(nan, nan)``.

    >>> data = [[1, 1], [2, 2], [3, 3], [1, 2], [2, 2], [3, 1], [1, 1], [2, 3]]
    >>> low, high = bootstrap_alpha(data, n_boot=200, seed=1)
    >>> -1 <= low <= krippendorff_alpha(data) <= high <= 1
    True
    """
    level = _check_level(level)
    if int(n_boot) != n_boot or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer; got {n_boot!r}")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1; got {ci!r}")
    coded = _encode(data, categories)
    n_units = coded.codes.shape[0]
    if n_units == 0:
        return float("nan"), float("nan")
    profiles, counts = np.unique(np.sort(coded.codes, axis=1), axis=0, return_counts=True)
    grouped = replace(coded, codes=profiles)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    shares = counts / n_units
    alphas = np.array([_alpha(grouped, level, rng.multinomial(n_units, shares)) for _ in range(int(n_boot))])
    alphas = alphas[np.isfinite(alphas)]
    if alphas.size == 0:
        return float("nan"), float("nan")
    low, high = np.quantile(alphas, [(1.0 - ci) / 2.0, (1.0 + ci) / 2.0])
    return float(low), float(high)


# --------------------------------------------------------------------------- #
# Many binary codes at once
# --------------------------------------------------------------------------- #


def _binary_blocks(values: Any) -> Iterator[np.ndarray]:
    """Yield (codes x units x coders) int8 blocks with values in {-1, 0, 1}."""
    if isinstance(values, np.ndarray):
        if values.ndim != 3:
            raise ValueError(
                "expected a (codes x units x coders) array or a list of (units x coders) arrays; "
                f"got an array with {values.ndim} dimension(s)"
            )
        per_code = values.shape[1] * max(values.shape[2], 1)
        step = max(1, (8 * _CHUNK) // max(per_code, 1))
        for start in range(0, values.shape[0], step):
            yield _as_binary_int8(values[start : start + step])
    else:
        for item in values:
            item = np.asarray(item)
            if item.ndim != 2:
                raise ValueError(f"each code's table must be 2-D (units x coders); got {item.ndim}-D")
            yield _as_binary_int8(item[None])


def _as_binary_int8(block: np.ndarray) -> np.ndarray:
    if block.dtype.kind == "f":
        block = np.where(np.isnan(block), -1.0, block)
        if (block != np.round(block)).any():
            raise ValueError("binary codes must be 0 or 1, with -1 (or NaN) for missing")
    elif block.dtype.kind not in "biu":
        raise TypeError(f"binary codes must be numbers (0, 1, -1 = missing); got dtype {block.dtype}")
    if block.size and (block.min() < -1 or block.max() > 1):
        raise ValueError("binary codes must be 0 or 1, with -1 (or NaN) for missing")
    return block.astype(np.int8, copy=False)


def alpha_per_column_binary(values: Any) -> np.ndarray:
    """Nominal Krippendorff's alpha for many binary codes at once.

    ``values``: a (codes x units x coders) integer array -- 1 = the coder
    applied the code to the unit, 0 = did not, -1 = no value (NaN is also
    read as missing) -- or a list of (units x coders) arrays, one per code
    (their numbers of units may differ).  Returns one alpha per code.

    Same coefficient as ``krippendorff_alpha(table, "nominal")`` for each
    code, computed in closed form from the 2 x 2 coincidence matrix
    (Krippendorff 2011): with n_0, n_1 the pairable 0s and 1s, n = n_0 + n_1
    and o_01 = sum_u n_0u n_1u / (m_u - 1),

        alpha = 1 - (n - 1) * o_01 / (n_0 * n_1).

    Units are tallied by (m_u, n_1u) with one ``bincount`` per batch of codes,
    so the cost is a few passes over the array.

    Missing data: units with fewer than 2 values are ignored.  Undefined ->
    ``nan``: a code with no pairable unit, or whose pairable values are all 0
    (never applied) or all 1.

    >>> import numpy as np
    >>> a = np.array([[1, 1], [0, 0], [1, 0], [0, 0], [-1, 1]])   # code A: units x coders
    >>> b = np.array([[0, 0], [0, 0], [0, 0], [0, 0], [0, -1]])   # code B: never applied
    >>> alpha_per_column_binary(np.stack([a, b])).round(6)
    array([0.533333,      nan])
    """
    results = []
    for block in _binary_blocks(values):
        n_codes, _, n_coders = block.shape
        if n_codes == 0:
            continue
        side = n_coders + 1
        # key = m_u * side + n1_u: number of values and number of 1s in the unit
        key_dtype = np.int16 if side * side + side < np.iinfo(np.int16).max else np.int32
        key = np.zeros(block.shape[:2], dtype=key_dtype)
        lookup = np.array([0, side, side + 1], dtype=key_dtype)  # for -1, 0, 1
        for j in range(n_coders):
            key += lookup[block[:, :, j] + 1]
        hist = np.stack([np.bincount(row, minlength=side * side) for row in key])
        hist = hist.reshape(n_codes, side, side).astype(np.float64)  # [code, m_u, n1_u]
        m_u = np.arange(side)[:, None]
        n1_u = np.arange(side)[None, :]
        valid = (m_u >= 2) & (n1_u <= m_u)
        ones = np.where(valid, n1_u, 0)
        zeros = np.where(valid, m_u - n1_u, 0)
        mixed = np.where(valid, ones * zeros / np.maximum(m_u - 1, 1), 0.0)
        n1 = (hist * ones).sum(axis=(1, 2))
        n0 = (hist * zeros).sum(axis=(1, 2))
        o01 = (hist * mixed).sum(axis=(1, 2))
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = 1.0 - (n0 + n1 - 1.0) * o01 / (n0 * n1)
        alpha[(n0 == 0) | (n1 == 0)] = np.nan
        results.append(alpha)
    if not results:
        return np.empty(0)
    return np.concatenate(results)
