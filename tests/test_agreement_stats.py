"""Agreement statistics against published worked examples and independent implementations.

Where a published figure is given to 3 decimals, the test asserts it to that
precision (|value - published| <= 0.0005).  Where the arithmetic can be done by
hand, the exact fraction is asserted as well, with the arithmetic shown.
"""

from __future__ import annotations

import ast
import doctest
import itertools
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coding import agreement
from coding.agreement import (
    MEASUREMENT_LEVELS,
    alpha_per_column_binary,
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

krippendorff = pytest.importorskip("krippendorff")

N = None  # a missing value, to keep the tables readable


def published(value: float, expected: float, decimals: int = 3) -> bool:
    """True when ``value`` rounds to the published ``expected``."""
    return abs(value - expected) <= 0.5 * 10.0**-decimals + 1e-12


def from_counts(counts) -> list[list[int]]:
    """A subjects x categories table of counts -> a units x raters table of labels."""
    return [[k for k, c in enumerate(row) for _ in range(c)] for row in counts]


def from_contingency(table, labels) -> list[list[str]]:
    """A 2-coder contingency table (rows = coder 1, columns = coder 2) -> units x 2 labels."""
    return [
        [labels[i], labels[j]] for i, row in enumerate(table) for j, count in enumerate(row) for _ in range(count)
    ]


def random_table(rng, n_units, n_coders, n_categories, missing=0.0, labels=None):
    """Units x coders object table of labels with a share ``missing`` of None."""
    labels = list(range(n_categories)) if labels is None else labels
    # some agreement: each unit has a "true" category that coders report with probability 0.6
    truth = rng.integers(0, n_categories, n_units)
    noise = rng.integers(0, n_categories, (n_units, n_coders))
    raw = np.where(rng.random((n_units, n_coders)) < 0.6, truth[:, None], noise)
    table = [[labels[v] for v in row] for row in raw]
    for u in range(n_units):
        for j in range(n_coders):
            if rng.random() < missing:
                table[u][j] = None
    return table


# --------------------------------------------------------------------------- #
# 1. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers
#    x 12 units with missing values.  Published: nominal .743, ordinal .815,
#    interval .849, ratio .797.
# --------------------------------------------------------------------------- #

# rows = units, columns = observers A, B, C, D (the paper prints observers as rows)
KRIPPENDORFF_2011 = [
    [1, 1, N, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [N, 5, 5, 5],
    [N, N, 1, 1],
    [N, 3, N, N],
]


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_krippendorff_2011_worked_example(level, expected):
    value = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert published(value, expected)
    # and the reference package, which ships the same example in its doctests
    as_float = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011], dtype=float)
    assert value == pytest.approx(krippendorff.alpha(as_float.T, level_of_measurement=level), abs=1e-12)


def test_krippendorff_2011_by_hand():
    # Unit 12 has one value: unpairable, ignored.  Pairable values n = 3 + 8*4 + 3 + 2 = 40,
    # n_c (c = 1..5) = 9, 13, 10, 5, 3.  Coincidences within units, o_ck = pairs / (m_u - 1):
    # diagonal o_11 = 3+2+2, o_22 = 2+4+4, o_33 = 4+4, o_44 = 4, o_55 = 3 -> 32, so
    # sum_{c != k} o_ck = 40 - 32 = 8, with o_12 = o_23 = 4/3 and o_13 = o_14 = o_24 = o_34 = 1/3.
    n = 40
    n_c = {1: 9, 2: 13, 3: 10, 4: 5, 5: 3}
    # nominal: alpha = 1 - (n - 1) * 8 / (n^2 - sum n_c^2) = 1 - 39 * 8 / 1216
    assert n * n - sum(v * v for v in n_c.values()) == 1216
    nominal = 1 - Fraction(39 * 8, 1216)
    assert krippendorff_alpha(KRIPPENDORFF_2011, "nominal") == pytest.approx(float(nominal), abs=1e-15)
    # interval: sum o_ck (c-k)^2 = 2 * (4/3*1 + 1/3*4 + 1/3*9 + 4/3*1 + 1/3*4 + 1/3*1) = 52/3;
    # sum n_c n_k (c-k)^2 = 2 n sum n_c (c - 2.5)^2 = 2 * 40 * 56 = 4480
    o = {(1, 2): Fraction(4, 3), (1, 3): Fraction(1, 3), (1, 4): Fraction(1, 3),
         (2, 3): Fraction(4, 3), (2, 4): Fraction(1, 3), (3, 4): Fraction(1, 3)}  # fmt: skip
    observed = 2 * sum(w * (c - k) ** 2 for (c, k), w in o.items())
    assert observed == Fraction(52, 3)
    expected = sum(n_c[c] * n_c[k] * (c - k) ** 2 for c in n_c for k in n_c)
    assert expected == 4480
    interval = 1 - (n - 1) * observed / expected  # = 1 - 676/4480
    assert krippendorff_alpha(KRIPPENDORFF_2011, "interval") == pytest.approx(float(interval), abs=1e-15)


def test_krippendorff_2011_with_text_labels():
    words = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    table = [[words.get(v) for v in row] for row in KRIPPENDORFF_2011]
    order = ["very low", "low", "mid", "high", "very high"]
    assert published(krippendorff_alpha(table, "nominal"), 0.743)
    assert published(krippendorff_alpha(table, "ordinal", categories=order), 0.815)
    # categories nobody used do not change alpha
    padded = ["none"] + order + ["extreme"]
    assert krippendorff_alpha(table, "ordinal", categories=padded) == pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_2011, "ordinal"), abs=1e-15
    )
    with pytest.raises(ValueError, match="ordered categories"):
        krippendorff_alpha(table, "ordinal")
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha(table, "interval")


# --------------------------------------------------------------------------- #
# 2. Fleiss (1971), Psychological Bulletin 76(5): 30 patients, 6 psychiatrists per
#    patient, 5 diagnoses; published kappa = .430.  Counts per patient of
#    (depression, personality disorder, schizophrenia, neurosis, other), as in
#    R's irr::diagnoses; the first 15 rows also match irrCAC's distrib.6raters.
# --------------------------------------------------------------------------- #

FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories;
# P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip


def fleiss_1971_from_counts(counts) -> tuple[float, float, float]:
    """Fleiss' (1971) own formulas on a subjects x categories count table (equal n per subject)."""
    counts = np.asarray(counts, dtype=float)
    n_subjects = counts.shape[0]
    n = counts.sum(axis=1)[0]
    assert (counts.sum(axis=1) == n).all()
    p_j = counts.sum(axis=0) / (n_subjects * n)
    p_i = ((counts * counts).sum(axis=1) - n) / (n * (n - 1))
    p_bar, p_e = p_i.mean(), (p_j * p_j).sum()
    return p_bar, p_e, (p_bar - p_e) / (1 - p_e)


def test_fleiss_1971_worked_example():
    table = from_counts(FLEISS_1971)
    assert len(table) == 30 and all(len(row) == 6 for row in table)
    assert published(fleiss_kappa(table), 0.430)
    p_bar, p_e, kappa = fleiss_1971_from_counts(FLEISS_1971)
    assert fleiss_kappa(table) == pytest.approx(kappa, abs=1e-12)
    assert percent_agreement(table) == pytest.approx(p_bar, abs=1e-12)
    assert percent_agreement(table) == pytest.approx(5 / 9, abs=1e-12)  # sum_i sum_j n_ij(n_ij-1) = 500 of 30*30


def test_wikipedia_fleiss_example():
    table = from_counts(WIKIPEDIA_FLEISS)
    assert published(fleiss_kappa(table), 0.210)
    assert published(percent_agreement(table), 0.378)
    p_bar, p_e, kappa = fleiss_1971_from_counts(WIKIPEDIA_FLEISS)
    assert published(p_e, 0.213)
    assert fleiss_kappa(table) == pytest.approx(kappa, abs=1e-12)


# --------------------------------------------------------------------------- #
# 3. Cohen's kappa (and Scott's pi) for two coders
# --------------------------------------------------------------------------- #


def test_cohen_wikipedia_example():
    # Wikipedia, "Cohen's kappa": 50 proposals; yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # p_o = 35/50 = .7; p_yes = 25/50 * 30/50 = .3, p_no = 25/50 * 20/50 = .2, p_e = .5; kappa = .4
    table = from_contingency([[20, 5], [10, 15]], ["yes", "no"])
    assert cohen_kappa(table) == pytest.approx(0.4, abs=1e-15)
    # Scott's pi by hand: pooled yes = (25 + 30)/100 = .55, no = .45, p_e = .505;
    # pi = (.7 - .505) / .495 = .195/.495
    assert scott_pi(table) == pytest.approx(0.195 / 0.495, abs=1e-15)


# Gwet (2014), Handbook, 4th ed.: 100 pregnant women classified by 2 abstractors
# (rows = abstractor 1), reproduced in Gwet's R package irrCAC as cont3x3abstractors.
# irrCAC reports: kappa .796, Scott's pi .796, AC1 .849, Brennan-Prediger .835,
# percent agreement .890, Krippendorff's alpha .797.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def test_gwet_2014_two_abstractors():
    table = from_contingency(ABSTRACTORS, ["Ectopic", "AIU", "NIU"])
    assert published(cohen_kappa(table), 0.796)
    assert published(scott_pi(table), 0.796)
    assert published(gwet_ac1(table), 0.849)
    assert published(brennan_prediger(table), 0.835)
    assert published(percent_agreement(table), 0.890)
    assert published(krippendorff_alpha(table), 0.797)
    # by hand: p_o = 89/100; margins rows (13, 27, 60), columns (13, 24, 63)
    p_o = Fraction(89, 100)
    kappa_pe = Fraction(13 * 13 + 27 * 24 + 60 * 63, 100 * 100)  # = .4597
    assert cohen_kappa(table) == pytest.approx(float((p_o - kappa_pe) / (1 - kappa_pe)), abs=1e-15)
    pooled = [Fraction(13 + 13, 200), Fraction(27 + 24, 200), Fraction(60 + 63, 200)]  # .13, .255, .615
    scott_pe = sum(p * p for p in pooled)
    assert scott_pi(table) == pytest.approx(float((p_o - scott_pe) / (1 - scott_pe)), abs=1e-15)
    ac1_pe = sum(p * (1 - p) for p in pooled) / 2  # = .269925
    assert gwet_ac1(table) == pytest.approx(float((p_o - ac1_pe) / (1 - ac1_pe)), abs=1e-15)
    assert brennan_prediger(table) == pytest.approx(float((p_o - Fraction(1, 3)) / Fraction(2, 3)), abs=1e-15)


def test_gwet_2014_diagnosis_table():
    # 223 psychiatric patients, clinical vs research diagnosis (irrCAC cont4x4diagnosis):
    # kappa .432, Scott's pi .430, AC1 .456, Brennan-Prediger .450, percent agreement .587.
    table = from_contingency(
        [[40, 4, 4, 17], [6, 25, 2, 13], [4, 1, 21, 12], [15, 5, 9, 45]], ["S", "B", "D", "O"]
    )
    assert published(cohen_kappa(table), 0.432)
    assert published(scott_pi(table), 0.430)
    assert published(gwet_ac1(table), 0.456)
    assert published(brennan_prediger(table), 0.450)
    assert percent_agreement(table) == pytest.approx(131 / 223, abs=1e-15)


def test_cohen_matches_sklearn_on_random_data():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(1960)
    for _trial in range(200):
        q = int(rng.integers(2, 6))
        table = random_table(rng, int(rng.integers(5, 80)), 2, q, missing=0.15, labels=list("abcdef")[:q])
        complete = [row for row in table if None not in row]
        first, second = [r[0] for r in complete], [r[1] for r in complete]
        if len(set(first) | set(second)) < 2:
            continue
        assert cohen_kappa(table) == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)


def plain_scott_pi(table) -> float:
    pairs = [row for row in table if None not in row]
    n = len(pairs)
    p_o = sum(a == b for a, b in pairs) / n
    labels = {v for row in pairs for v in row}
    p_e = sum((sum(row.count(k) for row in pairs) / (2 * n)) ** 2 for k in labels)
    return (p_o - p_e) / (1 - p_e)


def test_scott_pi_matches_plain_formula():
    rng = np.random.default_rng(1955)
    for _trial in range(200):
        table = random_table(rng, int(rng.integers(5, 60)), 2, int(rng.integers(2, 6)), missing=0.2)
        pairs = [row for row in table if None not in row]
        if len({v for row in pairs for v in row}) < 2:
            continue
        assert scott_pi(table) == pytest.approx(plain_scott_pi(table), abs=1e-12)


def test_two_coder_statistics_need_two_coders():
    for statistic in (cohen_kappa, scott_pi):
        with pytest.raises(ValueError, match="exactly 2 coders"):
            statistic([[1, 1, 2], [2, 2, 2]])
        with pytest.raises(ValueError, match="exactly 2 coders"):
            statistic([[1], [2]])


def test_two_coder_statistics_drop_incomplete_units():
    table = [["a", "a"], ["a", "b"], ["b", "b"], ["b", None], [None, "a"], [None, None]]
    complete = table[:3]
    assert cohen_kappa(table) == cohen_kappa(complete)
    assert scott_pi(table) == scott_pi(complete)


# --------------------------------------------------------------------------- #
# 4. Percent agreement, Fleiss (generalised), Gwet's AC1, Brennan-Prediger with
#    missing ratings: Gwet (2014) example of 4 raters x 12 subjects (Handbook
#    p. 120; irrCAC's cac.raw4raters).  irrCAC reports p_a .818; Fleiss kappa
#    .761 (p_e .239); AC1 .775 (p_e .190); Brennan-Prediger .773 (p_e .2).
# --------------------------------------------------------------------------- #

GWET_RAW4RATERS = [
    [1, 1, N, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [N, 5, 5, 5],
    [N, N, 1, 1],
    [N, N, 3, N],
]


def test_gwet_2014_four_raters_with_missing_ratings():
    table = GWET_RAW4RATERS
    assert published(percent_agreement(table), 0.818)
    assert published(fleiss_kappa(table), 0.761)
    assert published(gwet_ac1(table), 0.775)
    assert published(brennan_prediger(table), 0.773)
    # by hand.  p_a over the 11 units with >= 2 ratings: units 2 and 8 have 3 of 4 raters
    # agreeing (6 of 12 ordered pairs = 1/2), unit 6 none agreeing, the other 8 all agreeing:
    p_a = Fraction(8 + Fraction(1, 2) + Fraction(1, 2), 11)  # = 9/11
    assert percent_agreement(table) == pytest.approx(float(p_a), abs=1e-15)
    # pi_k = (1/12) sum_i r_ik / r_i over all 12 rated units (unit 12's single rating counts):
    # category 1: 1 + 1/4 + 3/4 + 1 = 3; 2: 3/4 + 1 + 1/4 + 1/4 + 1 = 13/4; 3: 1/4 + 1 + 1 + 1/4 + 1 = 7/2;
    # 4: 1/4 + 1 = 5/4; 5: 1   ->  pi = (12, 13, 14, 5, 4) / 48
    pi = [Fraction(k, 48) for k in (12, 13, 14, 5, 4)]
    fleiss_pe = sum(p * p for p in pi)  # = 550/2304 = .2387
    assert fleiss_pe == Fraction(550, 2304)
    assert fleiss_kappa(table) == pytest.approx(float((p_a - fleiss_pe) / (1 - fleiss_pe)), abs=1e-15)
    ac1_pe = sum(p * (1 - p) for p in pi) / (5 - 1)  # = 1754/9216 = .1903
    assert ac1_pe == Fraction(1754, 9216)
    assert gwet_ac1(table) == pytest.approx(float((p_a - ac1_pe) / (1 - ac1_pe)), abs=1e-15)
    assert brennan_prediger(table) == pytest.approx(float((p_a - Fraction(1, 5)) / Fraction(4, 5)), abs=1e-15)


def plain_gwet_family(table, categories=None) -> dict[str, float]:
    """Gwet (2014) formulas written with plain loops over pairs of ratings."""
    units = [[v for v in row if v is not None] for row in table]
    categories = sorted({v for u in units for v in u}) if categories is None else list(categories)
    q = len(categories)
    shares = []
    for values in units:
        r = len(values)
        if r >= 2:
            agreeing = sum(1 for i in range(r) for j in range(r) if i != j and values[i] == values[j])
            shares.append(agreeing / (r * (r - 1)))
    p_a = sum(shares) / len(shares)
    rated = [values for values in units if values]
    pi = [sum(values.count(k) / len(values) for values in rated) / len(rated) for k in categories]
    fleiss_pe = sum(p * p for p in pi)
    ac1_pe = sum(p * (1 - p) for p in pi) / (q - 1)
    return {
        "percent": p_a,
        "fleiss": (p_a - fleiss_pe) / (1 - fleiss_pe),
        "ac1": (p_a - ac1_pe) / (1 - ac1_pe),
        "bp": (p_a - 1 / q) / (1 - 1 / q),
    }


def test_gwet_family_matches_plain_loops_on_random_data_with_missing():
    rng = np.random.default_rng(2014)
    checked = 0
    for _trial in range(300):
        n_coders = int(rng.integers(2, 7))
        q = int(rng.integers(2, 6))
        table = random_table(rng, int(rng.integers(3, 50)), n_coders, q, missing=float(rng.uniform(0, 0.6)))
        units = [[v for v in row if v is not None] for row in table]
        if not any(len(u) >= 2 for u in units) or len({v for u in units for v in u}) < 2:
            continue
        expected = plain_gwet_family(table)
        assert percent_agreement(table) == pytest.approx(expected["percent"], abs=1e-12)
        assert fleiss_kappa(table) == pytest.approx(expected["fleiss"], abs=1e-12)
        assert gwet_ac1(table) == pytest.approx(expected["ac1"], abs=1e-12)
        assert brennan_prediger(table) == pytest.approx(expected["bp"], abs=1e-12)
        declared = list(range(q + 2))  # two categories nobody used
        with_declared = plain_gwet_family(table, declared)
        assert gwet_ac1(table, categories=declared) == pytest.approx(with_declared["ac1"], abs=1e-12)
        assert brennan_prediger(table, categories=declared) == pytest.approx(with_declared["bp"], abs=1e-12)
        checked += 1
    assert checked > 200


def test_declared_categories():
    table = [["no", "no"], ["no", "no"], ["yes", "yes"], ["no", "yes"]]
    # q = 3 declared: p_a = 3/4, BP = (3/4 - 1/3) / (2/3) = 5/8
    assert brennan_prediger(table, categories=["no", "yes", "maybe"]) == pytest.approx(5 / 8, abs=1e-15)
    # AC1 with the declared categories: pi = (5/8, 3/8, 0), p_e = (15/64 + 15/64 + 0) / 2 = 15/64
    assert gwet_ac1(table, categories=["no", "yes", "maybe"]) == pytest.approx((3 / 4 - 15 / 64) / (1 - 15 / 64))
    # everybody said "no": AC1 and BP are 1 when "yes" was possible ...
    all_no = [["no", "no"], ["no", "no"]]
    assert gwet_ac1(all_no, categories=["no", "yes"]) == 1.0
    assert brennan_prediger(all_no, categories=["no", "yes"]) == 1.0
    # ... but undefined when only one category exists
    assert math.isnan(gwet_ac1(all_no))
    assert math.isnan(brennan_prediger(all_no))
    with pytest.raises(ValueError, match="not among the declared categories: 'maybe'"):
        gwet_ac1([["no", "maybe"]], categories=["no", "yes"])
    with pytest.raises(ValueError, match="duplicates"):
        brennan_prediger(all_no, categories=["no", "no"])


# --------------------------------------------------------------------------- #
# 5. Krippendorff's alpha against the krippendorff package on random data
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("level", MEASUREMENT_LEVELS)
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the package's 0/0
def test_alpha_matches_krippendorff_package_on_random_data(level):
    rng = np.random.default_rng(sum(map(ord, level)))
    checked = 0
    for _trial in range(150):
        n_units, n_coders, q = int(rng.integers(2, 60)), int(rng.integers(2, 8)), int(rng.integers(2, 8))
        scale = np.sort(rng.choice(np.arange(0, 100), q, replace=False)).astype(float)
        codes = rng.integers(0, q, (n_units, n_coders))
        table = scale[codes]
        table[rng.random((n_units, n_coders)) < rng.uniform(0, 0.7)] = np.nan
        try:
            reference = krippendorff.alpha(table.T, level_of_measurement=level)
        except ValueError:  # the package refuses data with < 2 values or no pairable unit
            assert math.isnan(krippendorff_alpha(table, level))
            continue
        ours = krippendorff_alpha(table, level)
        if math.isnan(reference):
            assert math.isnan(ours)
            continue
        assert ours == pytest.approx(reference, abs=1e-9)
        checked += 1
    assert checked > 100


def test_alpha_nominal_matches_package_with_text_labels_and_many_coders():
    rng = np.random.default_rng(7)
    for _trial in range(30):
        table = random_table(rng, 40, 12, 4, missing=0.7, labels=["w", "x", "y", "z"])
        as_text = np.array([[("nan" if v is None else v) for v in row] for row in table])
        reference = krippendorff.alpha(as_text.T, level_of_measurement="nominal")
        assert krippendorff_alpha(table) == pytest.approx(reference, abs=1e-9)


def test_alpha_undefined_cases_are_nan():
    assert math.isnan(krippendorff_alpha([[1, 1], [1, 1], [1, None]]))  # all values identical: D_e = 0
    assert math.isnan(krippendorff_alpha([[1, None], [None, 2]]))  # no pairable unit
    assert math.isnan(krippendorff_alpha(np.empty((0, 3))))
    assert math.isnan(krippendorff_alpha([[1, 1], [2, None]], "interval"))  # the only pairable values agree
    for level in MEASUREMENT_LEVELS:
        assert math.isnan(krippendorff_alpha([[3, 3, 3], [3, 3, None]], level))


def test_alpha_ignores_unpairable_units():
    base = [[1, 2], [2, 2], [1, 1], [3, 1]]
    assert krippendorff_alpha(base + [[5, None], [None, None]]) == krippendorff_alpha(base)


def test_ratio_alpha_rejects_negative_values():
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha([[-1, 2], [1, 1]], "ratio")


def test_unknown_level():
    with pytest.raises(ValueError, match="level must be one of"):
        krippendorff_alpha(KRIPPENDORFF_2011, "circular")


# --------------------------------------------------------------------------- #
# Other undefined cases -> NaN, never a made-up 1.0 or 0.0
# --------------------------------------------------------------------------- #


def test_undefined_coefficients_are_nan():
    identical = [["a", "a"], ["a", "a"], ["a", "a"]]
    for statistic in (cohen_kappa, scott_pi, fleiss_kappa, gwet_ac1, brennan_prediger, krippendorff_alpha):
        assert math.isnan(statistic(identical)), statistic.__name__
    assert percent_agreement(identical) == 1.0  # defined: every pair agrees
    unpairable = [["a", None], [None, "b"], [None, None]]
    for statistic in (percent_agreement, cohen_kappa, scott_pi, fleiss_kappa, gwet_ac1, brennan_prediger):
        assert math.isnan(statistic(unpairable)), statistic.__name__
    # both coders constant but different: p_e = 0 for kappa, defined (= 0)
    assert cohen_kappa([["a", "b"], ["a", "b"]]) == 0.0


# --------------------------------------------------------------------------- #
# 6. Equivalences
# --------------------------------------------------------------------------- #


def test_generalised_fleiss_equals_fleiss_1971_on_complete_data():
    rng = np.random.default_rng(1971)
    for _trial in range(100):
        n_raters, q = int(rng.integers(2, 9)), int(rng.integers(2, 6))
        table = random_table(rng, int(rng.integers(2, 40)), n_raters, q)
        counts = [[row.count(k) for k in range(q)] for row in table]
        if sum(1 for k in range(q) if any(c[k] for c in counts)) < 2:
            continue
        assert fleiss_kappa(table) == pytest.approx(fleiss_1971_from_counts(counts)[2], abs=1e-12)


def test_scott_pi_equals_fleiss_kappa_for_two_complete_coders():
    rng = np.random.default_rng(55)
    for _trial in range(100):
        table = random_table(rng, int(rng.integers(2, 50)), 2, int(rng.integers(2, 6)))
        if len({v for row in table for v in row}) < 2:
            continue
        assert scott_pi(table) == pytest.approx(fleiss_kappa(table), abs=1e-12)


def test_alpha_is_small_sample_corrected_pi():
    # For 2 coders and N complete units: alpha = 1 - (1 - pi) * (2N - 1) / (2N).
    # (D_e of alpha uses n(n-1) where pi's p_e uses n^2, with n = 2N values.)
    # Likewise for m coders and complete data: alpha = 1 - (1 - kappa_Fleiss) * (Nm - 1) / (Nm).
    rng = np.random.default_rng(2011)
    for _trial in range(100):
        n_units, n_coders = int(rng.integers(2, 50)), int(rng.integers(2, 7))
        table = random_table(rng, n_units, n_coders, int(rng.integers(2, 6)))
        if len({v for row in table for v in row}) < 2:
            continue
        n_values = n_units * n_coders
        expected = 1 - (1 - fleiss_kappa(table)) * (n_values - 1) / n_values
        assert krippendorff_alpha(table) == pytest.approx(expected, abs=1e-12)
        if n_coders == 2:
            expected = 1 - (1 - scott_pi(table)) * (2 * n_units - 1) / (2 * n_units)
            assert krippendorff_alpha(table) == pytest.approx(expected, abs=1e-12)


def test_percent_agreement_two_coders_is_share_of_agreeing_units():
    table = [["a", "a"], ["a", "b"], ["b", "b"], ["c", None]]
    assert percent_agreement(table) == pytest.approx(2 / 3, abs=1e-15)


# --------------------------------------------------------------------------- #
# alpha_per_column_binary
# --------------------------------------------------------------------------- #


def test_alpha_per_column_binary_equals_nominal_alpha_per_code():
    rng = np.random.default_rng(3)
    n_codes, n_units, n_coders = 25, 300, 3
    prevalence = rng.uniform(0.02, 0.5, n_codes)
    values = (rng.random((n_codes, n_units, 1)) < prevalence[:, None, None]) ^ (
        rng.random((n_codes, n_units, n_coders)) < 0.1
    )
    values = values.astype(np.int8)
    values[rng.random(values.shape) < 0.2] = -1
    values[3] = 0  # a code nobody applied: undefined
    values[4, :, :] = -1
    values[4, 0, :2] = 1  # one pairable unit, all 1s: undefined
    values[5] = 0
    values[5, 7] = [1, 0, -1]  # the only disagreement
    alphas = alpha_per_column_binary(values)
    assert alphas.shape == (n_codes,)
    for k in range(n_codes):
        table = np.where(values[k] < 0, np.nan, values[k]).astype(float)
        expected = krippendorff_alpha(table, "nominal")
        if math.isnan(expected):
            assert math.isnan(alphas[k]), k
        else:
            assert alphas[k] == pytest.approx(expected, abs=1e-12), k
            assert alphas[k] == pytest.approx(krippendorff.alpha(table.T, level_of_measurement="nominal"), abs=1e-9)
    assert math.isnan(alphas[3]) and math.isnan(alphas[4]) and not math.isnan(alphas[5])


def test_alpha_per_column_binary_accepts_a_list_of_tables():
    rng = np.random.default_rng(4)
    tables = [rng.integers(-1, 2, (n_units, n_coders)) for n_units, n_coders in [(50, 2), (80, 4), (10, 3)]]
    tables.append(np.where(rng.random((30, 3)) < 0.3, np.nan, rng.integers(0, 2, (30, 3))))  # NaN = missing
    alphas = alpha_per_column_binary(tables)
    for table, value in zip(tables, alphas, strict=True):
        table = np.where(np.isnan(table) | (table < 0), np.nan, table).astype(float)
        expected = krippendorff_alpha(table, "nominal")
        assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(expected, abs=1e-12)


def test_alpha_per_column_binary_rejects_bad_input():
    with pytest.raises(ValueError, match="0 or 1"):
        alpha_per_column_binary(np.full((1, 3, 2), 2, dtype=np.int8))
    with pytest.raises(ValueError, match="codes x units x coders"):
        alpha_per_column_binary(np.zeros((3, 2), dtype=np.int8))
    assert alpha_per_column_binary([]).shape == (0,)


# --------------------------------------------------------------------------- #
# bootstrap_alpha
# --------------------------------------------------------------------------- #


def test_bootstrap_alpha_is_reproducible_and_brackets_alpha():
    rng = np.random.default_rng(8)
    table = random_table(rng, 120, 3, 4, missing=0.1)
    low, high = bootstrap_alpha(table, n_boot=500, seed=42)
    assert (low, high) == bootstrap_alpha(table, n_boot=500, seed=42)
    assert (low, high) != bootstrap_alpha(table, n_boot=500, seed=43)
    assert low < krippendorff_alpha(table) < high
    narrow = bootstrap_alpha(table, n_boot=500, seed=42, ci=0.5)
    assert low < narrow[0] < narrow[1] < high


def test_bootstrap_multiplicities_equal_explicit_resampling():
    # Resampled units are represented as multiplicities of distinct units; alpha on the
    # multiplicities must equal alpha on the explicitly repeated rows.
    rng = np.random.default_rng(9)
    table = random_table(rng, 40, 4, 3, missing=0.3)
    for level in MEASUREMENT_LEVELS:
        coded = agreement._encode(table)
        for _trial in range(5):
            multiplicity = rng.multinomial(40, np.full(40, 1 / 40))
            repeated = [row for row, times in zip(table, multiplicity, strict=True) for _ in range(times)]
            expected = krippendorff_alpha(repeated, level)
            got = agreement._alpha(coded, level, multiplicity)
            assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected, abs=1e-12)


def test_bootstrap_agrees_with_naive_unit_resampling():
    rng = np.random.default_rng(10)
    table = random_table(rng, 150, 3, 3, missing=0.15)
    low, high = bootstrap_alpha(table, n_boot=2000, seed=1)
    draws = np.random.default_rng(2)
    naive = [krippendorff_alpha([table[i] for i in draws.integers(0, 150, 150)]) for _ in range(2000)]
    naive_low, naive_high = np.quantile(naive, [0.025, 0.975])
    assert low == pytest.approx(naive_low, abs=0.03)
    assert high == pytest.approx(naive_high, abs=0.03)


def test_bootstrap_undefined_and_bad_arguments():
    assert all(math.isnan(v) for v in bootstrap_alpha([[1, 1], [1, 1]], n_boot=20))
    assert all(math.isnan(v) for v in bootstrap_alpha(np.empty((0, 2)), n_boot=20))
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_alpha(KRIPPENDORFF_2011, n_boot=0)
    with pytest.raises(ValueError, match="ci"):
        bootstrap_alpha(KRIPPENDORFF_2011, ci=95)


# --------------------------------------------------------------------------- #
# Input forms
# --------------------------------------------------------------------------- #


def test_all_input_forms_give_the_same_values():
    words = {1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}
    as_float = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011])
    forms = [
        KRIPPENDORFF_2011,  # list of lists with None
        np.array(KRIPPENDORFF_2011, dtype=object),
        as_float,
        pd.DataFrame(as_float, columns=list("ABCD")),
        pd.DataFrame(KRIPPENDORFF_2011, dtype="Int64"),  # pd.NA
        [[pd.NA if v is None else words[v] for v in row] for row in KRIPPENDORFF_2011],
        pd.DataFrame([[words.get(v) for v in row] for row in KRIPPENDORFF_2011]),
        np.array([[("nan" if v is None else words[v]) for v in row] for row in KRIPPENDORFF_2011]),
    ]
    for statistic in (percent_agreement, fleiss_kappa, gwet_ac1, brennan_prediger, krippendorff_alpha):
        values = [statistic(form) for form in forms]
        assert values == pytest.approx([values[0]] * len(values), abs=1e-15), statistic.__name__
        assert all(type(v) is float for v in values)


def test_bad_tables():
    with pytest.raises(ValueError, match="different lengths"):
        percent_agreement([[1, 2], [3]])
    with pytest.raises(ValueError, match="2-D"):
        percent_agreement([1, 2, 3])
    with pytest.raises(ValueError, match="infinite"):
        krippendorff_alpha([[1.0, np.inf], [1.0, 2.0]])


# --------------------------------------------------------------------------- #
# Docstrings and imports
# --------------------------------------------------------------------------- #


def test_docstring_examples():
    failures, tried = doctest.testmod(agreement, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 10 and failures == 0


def test_every_public_function_documents_source_and_missing_data():
    for name in agreement.__all__:
        obj = getattr(agreement, name)
        if not callable(obj):
            continue
        doc = obj.__doc__ or ""
        assert "Missing data" in doc, name
        assert ">>>" in doc, name
        assert any(str(year) in doc for year in range(1950, 2030)), name


def test_agreement_imports_only_numpy_pandas_and_the_standard_library():
    tree = ast.parse(Path(agreement.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "collections", "dataclasses", "typing", "numpy", "pandas"}
    assert "streamlit" not in imported


def test_pairs_generator_handles_sparse_designs():
    # many coders, each unit coded by few: rows are compacted before pairing
    rng = np.random.default_rng(11)
    table = [[None] * 30 for _ in range(60)]
    for row in table:
        for j in rng.choice(30, int(rng.integers(1, 4)), replace=False):
            row[j] = int(rng.integers(0, 3))
    expected = plain_gwet_family(table)
    assert percent_agreement(table) == pytest.approx(expected["percent"], abs=1e-12)
    as_float = np.array([[np.nan if v is None else v for v in row] for row in table], dtype=float)
    assert krippendorff_alpha(table) == pytest.approx(
        krippendorff.alpha(as_float.T, level_of_measurement="nominal"), abs=1e-9
    )
    assert list(itertools.chain.from_iterable(agreement._coder_pairs(np.full((3, 4), -1)))) == []


def test_positive_agreement_is_2a_over_2a_b_c_and_ignores_what_nobody_coded():
    """Cicchetti & Feinstein (1990): p_pos = 2a / (2a + b + c); uncoded segments (d) do not enter."""
    from coding.agreement import percent_agreement, positive_agreement

    a, b, c, d = 7, 2, 3, 488  # a code applied rarely: most segments carry no code
    table = [[1, 1]] * a + [[1, 0]] * b + [[0, 1]] * c + [[0, 0]] * d
    assert positive_agreement(table) == pytest.approx(2 * a / (2 * a + b + c))
    assert percent_agreement(table) == pytest.approx((a + d) / (a + b + c + d))  # 0.99: inflated by d
    more_blank = table + [[0, 0]] * 10_000
    assert positive_agreement(more_blank) == positive_agreement(table)
    # three coders, a missing rating: sum p(p-1) / sum p(r-1) over pairable units
    three = [[1, 1, 1], [1, 1, 0], [1, None, 0], [0, 0, None], [1, None, None]]
    assert positive_agreement(three) == pytest.approx((6 + 2 + 0) / (6 + 4 + 1))
