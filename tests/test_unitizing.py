"""Krippendorff's unitizing alphas (coding/unitizing.py) against a published example, a literal
brute-force computation of the definitions, and the ordinary nominal alpha they reduce to.

Sources:
* Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed., Sage,
  pp. 251-256; the worked example of two observers i and j and the categories c and k on the
  continuum 150-450 is on p. 254. The same data are Figure 2 (and the appendix) of Krippendorff, K.
  (2004), "Measuring the reliability of qualitative text analysis data", Quality & Quantity 38:787-800.
  Published: alpha_u(c) = .7286 with D_o = .0144 and D_e = .0532, alpha_u(k) = 1 with D_e = .0490,
  the codes together .859.
* Krippendorff, K., Mathet, Y., Bouvry, S. & Widlöcher, A. (2016). "On the reliability of unitizing
  textual continua: Further developments", Quality & Quantity 50:2347-2364 (|u-alpha, c|u-alpha,
  (k)u-alpha). These reduce to the ordinary nominal alpha when every unit is one character (checked
  against the ``krippendorff`` package).
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from coding.errors import QcodeError
from coding.unitizing import Continuum, unitizing_alpha

krippendorff = pytest.importorskip("krippendorff")


# --------------------------------------------------------------------------- #
# The published example
# --------------------------------------------------------------------------- #

def _krippendorff_2004() -> Continuum:
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254: the continuum runs from 150 to 450."""
    b = 150
    i = [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")]
    j = [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")]
    return Continuum(300, {"i": [(s - b, e - b, c) for s, e, c in i], "j": [(s - b, e - b, c) for s, e, c in j]})


def test_published_example_krippendorff_2004():
    r = unitizing_alpha([_krippendorff_2004()])
    c, k = r.code("c"), r.code("k")
    assert round(c.alpha_u.value, 4) == 0.7286
    assert round(c.alpha_u.observed, 4) == 0.0144
    assert round(c.alpha_u.expected, 4) == 0.0532
    assert k.alpha_u.value == 1.0 and k.alpha_u.observed == 0.0
    assert round(k.alpha_u.expected, 4) == 0.0490
    assert round(r.alpha_u.value, 3) == 0.859
    assert (c.units, k.units, r.units, r.continua) == (5, 4, 9, 1)


def test_distances_of_the_published_example():
    """p. 254: the c-units (225, 70) of i and (220, 80) of j are 5^2 + 5^2 = 50 apart, (370, 30) and
    (355, 20) 15^2 + 25^2 = 850, and j's (400, 20) lies in i's gap: 20^2 = 400. D_o = 2 * 1300 / (2 * 300^2)."""
    r = unitizing_alpha([_krippendorff_2004()], codes=["c"])
    assert math.isclose(r.code("c").alpha_u.observed, 2 * (50 + 850 + 400) / (2 * 1 * 300 ** 2))


# --------------------------------------------------------------------------- #
# A brute-force computation that follows the definitions literally
# --------------------------------------------------------------------------- #

def _sections(covered: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal runs of covered (units) and uncovered (gaps) characters, as (start, end, is_unit)."""
    out, start = [], 0
    for x in range(1, len(covered) + 1):
        if x == len(covered) or covered[x] != covered[start]:
            out.append((start, x, covered[start]))
            start = x
    return out


def _delta2(g, h) -> int:
    """Krippendorff's (2004) distance of two sections of two observers."""
    (gs, ge, gu), (hs, he, hu) = g, h
    if gu and hu and gs < he and hs < ge:
        return (gs - hs) ** 2 + (ge - he) ** 2
    if gu and not hu and hs <= gs and ge <= he:
        return (ge - gs) ** 2
    if hu and not gu and gs <= hs and he <= ge:
        return (he - hs) ** 2
    return 0


def _brute(continua: list[Continuum], codes: list[str]) -> dict:
    q = len(codes)
    n = total = 0
    d2 = [0.0] * q
    unit_lens = [[] for _ in range(q)]
    gap_lens = [[] for _ in range(q)]
    bar_o, bar_l, bar_w = [0.0] * q, [0] * q, [0] * q
    all_o, all_l, all_w = 0.0, 0, 0
    o = np.zeros((q, q))
    s_sq = np.zeros(q)
    for cont in continua:
        m, length = len(cont.spans), cont.length
        if m < 2 or length == 0:
            continue
        n += m * length
        total += length
        cover = {}  # coder -> code index -> list of bools
        for coder, spans in cont.spans.items():
            cover[coder] = [[False] * length for _ in range(q)]
            for s, e, c in spans:
                if c in codes:
                    for x in range(s, e):
                        cover[coder][codes.index(c)][x] = True
        coders = list(cont.spans)
        union = {c: [any(cover[c][k][x] for k in range(q)) for x in range(length)] for c in coders}
        for coder in coders:
            for k in range(q):
                for s, e, unit in _sections(cover[coder][k]):
                    (unit_lens if unit else gap_lens)[k].append(e - s)
                    bar_w[k] += (e - s) ** 2 if unit else e - s
                    bar_l[k] += e - s if unit else 0
            if length:
                for s, e, unit in _sections(union[coder]):
                    all_w += (e - s) ** 2 if unit else e - s
                    all_l += e - s if unit else 0
        for i in coders:
            for j in coders:
                if i == j:
                    continue
                for k in range(q):
                    for g in _sections(cover[i][k]):
                        for h in _sections(cover[j][k]):
                            d2[k] += _delta2(g, h) / (m - 1)
                    bar_o[k] += sum(cover[i][k][x] and not cover[j][k][x] for x in range(length)) / (m - 1)
                all_o += sum(union[i][x] and not union[j][x] for x in range(length)) / (m - 1)
                for x in range(length):
                    for c in range(q):
                        for k in range(q):
                            if cover[i][c][x] and cover[j][k][x]:
                                o[c, k] += 1 / (m - 1)
                for c in range(q):
                    for s, e, unit in _sections(cover[i][c]):
                        if unit:
                            pairable = sum(cover[j][k][x] for x in range(s, e) for k in range(q))
                            s_sq[c] += pairable ** 2 / (m - 1)
    out = {"alpha_u": {}, "bar_u": {}, "k_u": {}}
    do_sum = de_sum = 0.0
    for k in range(q):
        units = unit_lens[k]
        if not units:
            out["alpha_u"][codes[k]] = out["bar_u"][codes[k]] = out["k_u"][codes[k]] = None
            continue
        big_n = len(units)
        acc = 0.0
        for lu in units:
            acc += (big_n - 1) / 3 * (2 * lu ** 3 - 3 * lu ** 2 + lu)
            acc += lu ** 2 * sum(g - lu + 1 for g in gap_lens[k] if g >= lu)
        de = 2 * acc / (n * (n - 1) - sum(lu * (lu - 1) for lu in units)) / total
        do = d2[k] / (n * total)
        do_sum, de_sum = do_sum + do, de_sum + de
        out["alpha_u"][codes[k]] = 1 - do / de if de > 0 else None
        e10 = n * bar_l[k] * (n - bar_l[k]) / (n * n - bar_w[k])
        out["bar_u"][codes[k]] = 1 - bar_o[k] / e10 if e10 > 0 else None
    out["pooled_alpha_u"] = 1 - do_sum / de_sum if de_sum > 0 else None
    e10 = n * all_l * (n - all_l) / (n * n - all_w) if n else 0
    out["pooled_bar_u"] = 1 - all_o / e10 if e10 > 0 else None
    l_c = o.sum(axis=1)
    l_all = l_c.sum()
    e = np.zeros((q, q))
    for c in range(q):
        for k in range(q):
            e[c, k] = (l_c[c] * l_c[k] - (s_sq[c] if c == k else 0)) / (l_all - s_sq.sum() / l_all) if l_all else 0
    out["cu"] = 1 - (l_all - np.trace(o)) / (l_all - np.trace(e)) if l_all and l_all - np.trace(e) > 0 else None
    for k in range(q):
        if unit_lens[k]:
            e_k = e[k].sum()
            de = l_c[k] * (e_k - e[k, k])
            out["k_u"][codes[k]] = 1 - e_k * (l_c[k] - o[k, k]) / de if l_c[k] and de > 0 else None
    return out


def _random_continua(rng: random.Random) -> list[Continuum]:
    pool, codes = ["anna", "erik", "sara", "omar"], ["a", "b", "c"]
    out = []
    for t in range(rng.randint(1, 3)):
        length = rng.randint(5, 40)
        observers = rng.sample(pool, rng.randint(1, 4))
        spans = {}
        for coder in observers:
            mine = []
            for _ in range(rng.randint(0, 5)):
                s = rng.randrange(length)
                mine.append((s, rng.randint(s + 1, min(length, s + 15)), rng.choice(codes)))
            spans[coder] = mine
        out.append(Continuum(length, spans, name=f"t{t}"))
    return out


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("seed", range(60))
def test_efficient_equals_brute_force_on_random_spans(seed):
    rng = random.Random(seed)
    continua = _random_continua(rng)
    codes = ["a", "b", "c"]
    fast = unitizing_alpha(continua, codes=codes)
    slow = _brute(continua, codes)
    for code in codes:
        got = fast.code(code)
        assert _same(got.alpha_u.value, slow["alpha_u"][code]), (code, got.alpha_u, slow["alpha_u"][code])
        assert _same(got.bar_u.value, slow["bar_u"][code]), (code, got.bar_u, slow["bar_u"][code])
        assert _same(got.k_u.value, slow["k_u"][code]), (code, got.k_u, slow["k_u"][code])
    assert _same(fast.alpha_u.value, slow["pooled_alpha_u"])
    assert _same(fast.bar_u.value, slow["pooled_bar_u"])
    assert _same(fast.cu.value, slow["cu"])


def test_random_data_reach_every_branch():
    """The random cases above are not all trivial: several give defined, imperfect values."""
    values = [unitizing_alpha(_random_continua(random.Random(s)), codes=["a", "b", "c"]) for s in range(60)]
    assert sum(v.cu.value is not None and v.cu.value < 1 for v in values) >= 10
    assert sum(v.alpha_u.value is not None and v.alpha_u.value < 1 for v in values) >= 10
    assert sum(v.continua >= 2 for v in values) >= 10  # several transcripts pooled
    assert any(v.continua == 0 for v in values)          # and a case with no pair of coders


# --------------------------------------------------------------------------- #
# Reductions to the ordinary nominal alpha
# --------------------------------------------------------------------------- #

def test_bar_u_of_one_character_units_is_nominal_alpha_on_characters():
    """Units of one character never touch: |u-alpha is then alpha on the characters x coders matrix."""
    rng = np.random.default_rng(3)
    length, m = 61, 3
    marks = np.zeros((m, length), dtype=int)
    for i in range(m):
        marks[i, ::2] = rng.integers(0, 2, size=len(range(0, length, 2)))  # only even positions
    cont = Continuum(length, {f"c{i}": [(int(x), int(x) + 1, "x") for x in np.flatnonzero(marks[i])]
                              for i in range(m)})
    r = unitizing_alpha([cont])
    expected = krippendorff.alpha(reliability_data=marks, level_of_measurement="nominal")
    assert math.isclose(r.code("x").bar_u.value, expected, rel_tol=1e-9)
    assert math.isclose(r.bar_u.value, expected, rel_tol=1e-9)


def test_cu_of_aligned_units_is_nominal_alpha_on_the_units():
    """When every coder codes the same stretches, one code each, c|u-alpha is alpha on those stretches
    (each weighted by its length; equal lengths here)."""
    rng = np.random.default_rng(5)
    n_units, m, width = 40, 3, 4
    values = rng.integers(0, 3, size=(m, n_units))
    values[:, :25] = values[0, :25]  # mostly agreement, so alpha is far from 0
    names = ["a", "b", "c"]
    spans = {f"c{i}": [(u * (width + 1), u * (width + 1) + width, names[values[i, u]]) for u in range(n_units)]
             for i in range(m)}
    r = unitizing_alpha([Continuum(n_units * (width + 1), spans)])
    expected = krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
    assert math.isclose(r.cu.value, expected, rel_tol=1e-9)


# --------------------------------------------------------------------------- #
# Conventions and degenerate cases
# --------------------------------------------------------------------------- #

def test_overlapping_and_touching_spans_of_one_code_are_merged():
    base = Continuum(50, {"a": [(5, 20, "x"), (30, 40, "x")], "b": [(6, 20, "x"), (31, 40, "x")]})
    split = Continuum(50, {"a": [(5, 12, "x"), (10, 15, "x"), (15, 20, "x"), (30, 40, "x"), (32, 35, "x")],
                           "b": [(6, 20, "x"), (31, 40, "x")]})
    one, two = unitizing_alpha([base]), unitizing_alpha([split])
    assert one.code("x").alpha_u == two.code("x").alpha_u and one.bar_u == two.bar_u
    assert two.code("x").units == 4


def test_perfect_agreement_is_one_and_two_codes_on_one_passage_count_for_both():
    spans = [(0, 10, "x"), (5, 15, "y"), (30, 35, "x")]
    r = unitizing_alpha([Continuum(40, {"a": spans, "b": list(spans), "c": list(spans)})])
    assert [r.code(c).alpha_u.value for c in "xy"] == [1.0, 1.0]
    assert r.alpha_u.value == r.bar_u.value == 1.0
    assert r.units == 9 and r.continua == 1


def test_one_coder_no_units_and_no_room_give_none_with_a_reason():
    lone = unitizing_alpha([Continuum(10, {"a": [(0, 5, "x")]})])
    assert lone.alpha_u.value is None and "two or more coders" in lone.alpha_u.reason
    assert lone.continua == 0 and lone.code("x").units == 0

    empty = unitizing_alpha([Continuum(10, {"a": [], "b": []})], codes=["x"])
    assert empty.code("x").alpha_u.value is None and "no coder applied" in empty.code("x").alpha_u.reason
    assert empty.alpha_u.value is None and empty.bar_u.value is None and empty.cu.value is None
    assert empty.continua == 1 and empty.units == 0

    full = unitizing_alpha([Continuum(1, {"a": [(0, 1, "x")], "b": [(0, 1, "x")]})])
    assert full.code("x").alpha_u.value is None and "no expected disagreement" in full.code("x").alpha_u.reason
    assert full.bar_u.value is None and full.cu.value is None  # one code: nothing to disagree on

    assert unitizing_alpha([]).alpha_u.reason == "no transcript has two or more coders"


def test_a_transcript_with_one_observer_is_left_out():
    shared = Continuum(30, {"a": [(0, 10, "x")], "b": [(2, 10, "x")]})
    alone = Continuum(30, {"a": [(0, 30, "x")]})
    assert unitizing_alpha([shared, alone]) == unitizing_alpha([shared])


@pytest.mark.parametrize("span", [(5, 5, "x"), (-1, 3, "x"), (8, 11, "x"), ("a", 3, "x"), (1, 2)])
def test_bad_spans_are_refused_naming_the_transcript(span):
    with pytest.raises(QcodeError, match="aneby_chef.txt"):
        unitizing_alpha([Continuum(10, {"a": [span], "b": []}, name="aneby_chef.txt")])
