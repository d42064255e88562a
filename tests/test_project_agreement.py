"""Agreement on a project, disagreement review and consensus, on real project files.

Every expected figure is computed here independently: the units x coders
tables are built by hand from the codings the test wrote (NaN where a coder
has not marked the transcript done), then given to the ``krippendorff``
package, scikit-learn, plain formulas or the already-tested functions of
``coding.agreement``.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from coding import Project
from coding import project_agreement as pa
from coding.agreement import fleiss_kappa, gwet_ac1, percent_agreement
from coding.codings import CONSENSUS, import_codings, mark_done
from coding.errors import CodingsProblem, QcodeError
from conftest import ROOT

krippendorff = pytest.importorskip("krippendorff")

LEAVES = ["ff_natverk", "ff_chef", "hi_ensam"]
CATEGORIES = {"ff": ["ff", "ff_natverk", "ff_chef"], "hi": ["hi", "hi_ensam"]}
CODERS = ["anna", "erik", "bo"]
# transcript -> kommun (None: no attribute)
TRANSCRIPTS = {"aneby1.txt": "Aneby", "aneby2.txt": "Aneby", "eksjo.txt": "Eksjö", "gnosjo.txt": None}
DONE = {"anna": ["aneby1.txt", "aneby2.txt", "eksjo.txt", "gnosjo.txt"],
        "erik": ["aneby1.txt", "aneby2.txt", "gnosjo.txt"],  # erik has coded eksjo.txt but not finished it
        "bo": ["aneby1.txt", "eksjo.txt"]}


def interview(path, kommun, turns):
    lines = [f"Intervju i {kommun}, {path.stem}"]
    for i in range(1, turns + 1):
        lines.append(f"Intervjuare: Fråga {i} till {path.stem}?")
        lines.append(f"SE-coach: Svar {i} om arbetet i {kommun}.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Built:
    """A project with three coders' codings and what the test knows about them."""

    def __init__(self, project, segments, codes):
        self.project = project
        self.store = project.store
        self.segments = segments  # transcript -> [segment ids in order]
        self.codes = codes        # coder -> segment id -> set of codes

    def table(self, code_ids, coders, transcripts, rollup=False):
        """units x coders float table by hand: NaN = not done, 1 = applied, 0 = not applied."""
        rows = []
        for name in transcripts:
            done = [name in DONE[c] for c in coders]
            if not any(done):
                continue
            for sid in self.segments[name]:
                row = []
                for c, is_done in zip(coders, done):
                    have = self.codes[c].get(sid, set())
                    row.append(float(bool(have & set(code_ids))) if is_done else np.nan)
                rows.append(row)
        return np.array(rows, dtype=float).reshape(-1, len(coders))


def kalpha(table):
    """Krippendorff's alpha by the krippendorff package (NaN where it refuses: a single value)."""
    values = table[~np.isnan(table)]
    if len(np.unique(values)) < 2 or ((~np.isnan(table)).sum(axis=1) >= 2).sum() == 0:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=table.T, level_of_measurement="nominal"))


def build(tmp_path, small_codebook, seed=7, turns=15, location=None) -> Built:
    project = Project.create(location or tmp_path / "agree.qcode")
    project.load_codebook(small_codebook)
    for name, kommun in TRANSCRIPTS.items():
        path = interview(tmp_path / name, kommun or "Gnosjö", turns)
        project.import_files([path], attributes={"kommun": kommun} if kommun else None)
    store = project.store
    segments = {name: [s.id for s in project.segments(name)] for name in TRANSCRIPTS}
    rng = random.Random(seed)
    codes: dict[str, dict[int, set[str]]] = {c: {} for c in CODERS}
    lines = ["transcript,segment,code,coder,memo"]
    for name, sids in segments.items():
        for pos, sid in enumerate(sids, start=1):
            truth = {c for c in LEAVES if rng.random() < 0.25}
            for coder in CODERS:
                have = {c for c in LEAVES if rng.random() < (0.85 if c in truth else 0.06)}
                if coder == "anna" and rng.random() < 0.05:
                    have.add("ff")  # a category applied directly now and then
                lines.extend(f"{name},{pos},{code},{coder}," for code in sorted(have))
                if have:
                    codes[coder][sid] = have
    (tmp_path / "codings.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_codings(store, tmp_path / "codings.csv")
    for coder, names in DONE.items():
        mark_done(store, coder, names)
    return Built(project, segments, codes)


@pytest.fixture
def built(tmp_path, small_codebook, new_location):
    """The hand-built project on each engine in turn."""
    b = build(tmp_path, small_codebook, location=new_location("agree"))
    yield b
    b.project.close()


def value(table: pd.DataFrame, code: str, statistic: str = "alpha", scope: str = "all") -> pd.Series:
    row = table[(table.scope == scope) & (table.code == code) & (table.statistic == statistic)]
    assert len(row) == 1, (scope, code, statistic)
    return row.iloc[0]


# --------------------------------------------------------------------------- #
# Per code, with missing data
# --------------------------------------------------------------------------- #


def test_alpha_per_code_equals_the_krippendorff_package_on_hand_built_tables(built):
    result = pa.agreement(built.store, CODERS)
    assert list(result.columns) == pa.COLUMNS
    codes_listed = list(result.code[~result.code.isin([pa.POOLED, pa.MEAN])])
    assert codes_listed == ["ff", *LEAVES]  # leaves, plus the category anna applied directly
    for code in codes_listed:
        table = built.table([code], CODERS, TRANSCRIPTS)
        expected = kalpha(table)
        got = value(result, code)
        assert got.value == pytest.approx(expected, abs=1e-12), code
        pairable = (~np.isnan(table)).sum(axis=1) >= 2
        assert got.units == int(pairable.sum())
        assert got.coded == int((table[pairable] == 1).any(axis=1).sum())


def test_a_transcript_not_marked_done_is_missing_not_absent(built):
    # erik coded eksjo.txt but has not marked it done: his values there are missing.
    result = pa.agreement(built.store, ["anna", "erik"], statistics=["alpha", "kappa", "percent"])
    code = "hi_ensam"
    as_missing = built.table([code], ["anna", "erik"], TRANSCRIPTS)
    as_absent = np.nan_to_num(as_missing, nan=0.0)  # the wrong reading: not done = not applied
    eksjo_with_erik_rows = []
    for sid in built.segments["eksjo.txt"]:  # the other wrong reading: count his unfinished codings
        eksjo_with_erik_rows.append([float(code in built.codes["anna"].get(sid, set())),
                                     float(code in built.codes["erik"].get(sid, set()))])
    both = np.vstack([built.table([code], ["anna", "erik"], ["aneby1.txt", "aneby2.txt", "gnosjo.txt"]),
                      np.array(eksjo_with_erik_rows)])
    got = value(result, code)
    assert got.value == pytest.approx(kalpha(as_missing), abs=1e-12)
    assert abs(kalpha(as_absent) - got.value) > 1e-3
    assert abs(kalpha(both) - got.value) > 1e-3
    n_eksjo = len(built.segments["eksjo.txt"])
    assert got.units == len(as_missing) - n_eksjo  # eksjo's segments are not pairable for anna+erik
    # Cohen's kappa on the units both finished, by scikit-learn
    from sklearn.metrics import cohen_kappa_score

    paired = as_missing[~np.isnan(as_missing).any(axis=1)]
    assert value(result, code, "kappa").value == pytest.approx(cohen_kappa_score(paired[:, 0], paired[:, 1]),
                                                               abs=1e-12)
    assert value(result, code, "percent").value == pytest.approx(np.mean(paired[:, 0] == paired[:, 1]), abs=1e-12)


def test_every_statistic_with_three_coders(built):
    result = pa.agreement(built.store, CODERS, statistics="all")
    assert set(result.statistic) == {"alpha", "fleiss", "percent", "positive", "ac1", "bp"}  # no Cohen's kappa for 3
    table = built.table(["ff_chef"], CODERS, TRANSCRIPTS)
    assert value(result, "ff_chef", "fleiss").value == pytest.approx(fleiss_kappa(table), abs=1e-12)
    assert value(result, "ff_chef", "percent").value == pytest.approx(percent_agreement(table), abs=1e-12)
    assert value(result, "ff_chef", "ac1").value == pytest.approx(gwet_ac1(table, categories=[0, 1]), abs=1e-12)
    # Brennan-Prediger by hand: (p_a - 1/2) / (1 - 1/2), p_a = mean share of agreeing pairs over pairable units
    rated = table[(~np.isnan(table)).sum(axis=1) >= 2]
    shares = []
    for row in rated:
        vals = row[~np.isnan(row)]
        r, ones = len(vals), vals.sum()
        shares.append((ones * (ones - 1) + (r - ones) * (r - ones - 1)) / (r * (r - 1)))
    assert value(result, "ff_chef", "bp").value == pytest.approx((np.mean(shares) - 0.5) / 0.5, abs=1e-12)
    with pytest.raises(QcodeError, match="exactly 2 coders"):
        pa.agreement(built.store, CODERS, statistics="kappa")


def test_pooled_and_mean_over_codes(built):
    result = pa.agreement(built.store, ["anna", "erik"], statistics=["alpha", "percent"])
    used = ["ff", *LEAVES]
    tables = [built.table([c], ["anna", "erik"], TRANSCRIPTS) for c in used]
    stacked = np.vstack(tables)
    pooled = value(result, pa.POOLED)
    assert pooled.value == pytest.approx(kalpha(stacked), abs=1e-12)
    pairable = int(((~np.isnan(tables[0])).sum(axis=1) >= 2).sum())
    assert pooled.units == pairable * len(used)
    assert pooled.codes == len(used)
    mean = value(result, pa.MEAN)
    assert mean.value == pytest.approx(np.mean([kalpha(t) for t in tables]), abs=1e-12)
    assert mean.units == pairable and mean.codes == len(used)
    assert value(result, pa.POOLED, "percent").value == pytest.approx(percent_agreement(stacked), abs=1e-12)


def test_codes_nobody_applied_are_listed_but_left_out_of_the_overall_figures(built):
    assert "ff" not in set(pa.agreement(built.store, ["erik", "bo"]).code)  # a category only anna applied
    result = pa.agreement(built.store, ["erik", "bo"], statistics=["alpha", "ac1"], codes=["ff", *LEAVES])
    ff_row = value(result, "ff")  # only anna ever applied the category itself
    assert ff_row.coded == 0 and math.isnan(ff_row.value)
    assert value(result, "ff", "ac1").value == 1.0  # AC1 over the declared categories {0, 1}
    assert value(result, pa.POOLED).codes == len(LEAVES)


# --------------------------------------------------------------------------- #
# Scopes, categories, cases, CI
# --------------------------------------------------------------------------- #


def test_per_attribute_and_per_transcript_scopes(built):
    by_kommun = pa.agreement(built.store, CODERS, by="kommun")
    assert list(dict.fromkeys(by_kommun.scope)) == ["Aneby", "Eksjö", "(no value)"]
    for scope, names in (("Aneby", ["aneby1.txt", "aneby2.txt"]), ("Eksjö", ["eksjo.txt"]),
                         ("(no value)", ["gnosjo.txt"])):
        for code in LEAVES:
            table = built.table([code], CODERS, names)
            assert value(by_kommun, code, scope=scope).value == pytest.approx(kalpha(table), abs=1e-12, nan_ok=True)
    by_transcript = pa.agreement(built.store, ["anna", "bo"], by="transcript")
    assert list(dict.fromkeys(by_transcript.scope)) == sorted(TRANSCRIPTS)
    assert value(by_transcript, "hi_ensam", scope="aneby2.txt").units == 0  # bo has not finished it
    assert math.isnan(value(by_transcript, "hi_ensam", scope="aneby2.txt").value)
    table = built.table(["hi_ensam"], ["anna", "bo"], ["eksjo.txt"])
    assert value(by_transcript, "hi_ensam", scope="eksjo.txt").value == pytest.approx(kalpha(table), abs=1e-12)
    with pytest.raises(QcodeError, match="no transcript has the attribute 'region'"):
        pa.agreement(built.store, CODERS, by="region")


def test_category_level_rolls_codes_up(built):
    result = pa.agreement(built.store, CODERS, level="category", statistics=["alpha", "fleiss"])
    assert [c for c in dict.fromkeys(result.code) if not c.startswith("(")] == ["ff", "hi"]
    for category, members in CATEGORIES.items():
        table = built.table(members, CODERS, TRANSCRIPTS)
        assert value(result, category).value == pytest.approx(kalpha(table), abs=1e-12)
        assert value(result, category, "fleiss").value == pytest.approx(fleiss_kappa(table), abs=1e-12)
        pairable = (~np.isnan(table)).sum(axis=1) >= 2
        assert value(result, category).coded == int((table[pairable] == 1).any(axis=1).sum())


def test_case_by_code_presence(built):
    result = pa.case_agreement(built.store, CODERS, statistics=["alpha", "percent"])

    def present(coder, names, codes):
        return float(any(self_codes & set(codes) for sid in (s for n in names for s in built.segments[n])
                         for self_codes in [built.codes[coder].get(sid, set())]))

    cases = {"Aneby": ["aneby1.txt", "aneby2.txt"], "Eksjö": ["eksjo.txt"]}  # gnosjo.txt has no kommun

    def table(code, require_all):
        rows = []
        for names in cases.values():
            row = []
            for c in CODERS:
                done = [n in DONE[c] for n in names]
                ok = all(done) if require_all else any(done)
                row.append(present(c, [n for n, d in zip(names, done) if d], [code]) if ok else np.nan)
            rows.append(row)
        return np.array(rows)

    for code in LEAVES:
        t = table(code, True)
        got = value(result, code)
        assert got.units == 2  # both cases have two coders with every transcript done
        assert got.value == pytest.approx(kalpha(t), abs=1e-12, nan_ok=True)
        assert value(result, code, "percent").value == pytest.approx(percent_agreement(t), abs=1e-12)
    # bo finished only one of Aneby's two interviews: with require_all_done=False he counts there
    loose = pa.case_agreement(built.store, CODERS, require_all_done=False, statistics="percent")
    for code in LEAVES:
        assert value(loose, code, "percent").value == pytest.approx(percent_agreement(table(code, False)),
                                                                    abs=1e-12)
    pooled = np.vstack([table(c, True) for c in ["ff", *LEAVES] if np.nansum(table(c, True)) > 0])
    assert value(result, pa.POOLED).value == pytest.approx(kalpha(pooled), abs=1e-12, nan_ok=True)
    assert pa.case_attribute(built.store) == "kommun"
    with pytest.raises(QcodeError, match="no transcript has the attribute 'lan'"):
        pa.case_agreement(built.store, CODERS, attribute="lan")


def test_bootstrap_interval_is_seedable_and_brackets_alpha(built):
    a = pa.agreement(built.store, ["anna", "erik"], ci=True, n_boot=200, seed=3)
    b = pa.agreement(built.store, ["anna", "erik"], ci=True, n_boot=200, seed=3)
    c = pa.agreement(built.store, ["anna", "erik"], ci=True, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.ci_low.equals(c.ci_low)
    for code in [*LEAVES, pa.POOLED]:
        row = value(a, code)
        assert row.ci_low <= row.value <= row.ci_high
    from coding.agreement import bootstrap_alpha

    table = built.table(["hi_ensam"], ["anna", "erik"], TRANSCRIPTS)
    assert (value(a, "hi_ensam").ci_low, value(a, "hi_ensam").ci_high) == bootstrap_alpha(table, n_boot=200, seed=3)


def test_wide_table_per_code(built):
    wide = pa.agreement_by_code(built.store, ["anna", "erik"], statistics=["alpha", "kappa"])
    assert list(wide.columns) == ["scope", "code", "label_sv", "label_en", "units", "coded", "alpha", "kappa"]
    row = wide[wide.code == "hi_ensam"].iloc[0]
    assert row.label_sv == "Ensam position som SE-coach"
    long = pa.agreement(built.store, ["anna", "erik"], statistics=["alpha", "kappa"])
    assert row.alpha == value(long, "hi_ensam").value and row.kappa == value(long, "hi_ensam", "kappa").value


def test_bad_arguments_are_clear_errors(built):
    with pytest.raises(QcodeError, match="no coder named 'nobody'"):
        pa.agreement(built.store, "anna,nobody")
    with pytest.raises(QcodeError, match="at least 2 coders"):
        pa.agreement(built.store, ["anna"])
    with pytest.raises(QcodeError, match="given twice"):
        pa.agreement(built.store, "anna,anna")
    with pytest.raises(QcodeError, match="unknown statistic"):
        pa.agreement(built.store, "anna,erik", statistics="omega")
    with pytest.raises(QcodeError, match="level must be"):
        pa.agreement(built.store, "anna,erik", level="theme")


def test_segment_ids_with_gaps(built, tmp_path):
    store = built.store
    with store.transaction():
        store.delete_transcript(store.transcript_id("aneby2.txt"))
    pairs = [(s, t) for t, ids in store.transcript_segment_ids().items() for s in ids]
    expected = [(s.id, store.transcript_id(n)) for n in TRANSCRIPTS if n != "aneby2.txt"
                for s in built.project.segments(n)]
    assert sorted(pairs) == sorted(expected)
    result = pa.agreement(store, CODERS)
    table = built.table(["ff_chef"], CODERS, ["aneby1.txt", "eksjo.txt", "gnosjo.txt"])
    assert value(result, "ff_chef").value == pytest.approx(kalpha(table), abs=1e-12)


# --------------------------------------------------------------------------- #
# Disagreements and consensus
# --------------------------------------------------------------------------- #


def test_disagreements_list_every_differing_segment_with_context_and_definitions(built):
    found = pa.disagreements(built.store, ["anna", "erik"])
    both_done = ["aneby1.txt", "aneby2.txt", "gnosjo.txt"]  # eksjo.txt: erik has not finished
    expected = [sid for n in sorted(both_done) for sid in built.segments[n]
                if built.codes["anna"].get(sid, set()) != built.codes["erik"].get(sid, set())]
    assert [d["segment_id"] for d in found] == expected and expected
    d = found[0]
    segs = built.project.segments(d["transcript"])
    i = d["segment"] - 1
    assert d["text"] == segs[i].text and d["speaker"] == segs[i].speaker
    assert d["before"] == (segs[i - 1].text if i else "") and d["after"] == segs[i + 1].text
    assert set(d["codes"]["anna"]) == built.codes["anna"].get(d["segment_id"], set())
    assert set(d["agreed"]) | set(d["disputed"]) == set(d["codes"]["anna"]) | set(d["codes"]["erik"])
    involved = {i["id"]: i for i in d["involved"]}
    assert set(involved) == set(d["agreed"]) | set(d["disputed"])
    if "hi_ensam" in involved:
        assert involved["hi_ensam"]["label_sv"] == "Ensam position som SE-coach"
    assert all({"definition", "include", "exclude", "label_en", "applied_by"} <= set(v) for v in involved.values())
    assert d["decided"] is False and d["consensus"] is None
    only = pa.disagreements(built.store, ["anna", "erik"], transcript="gnosjo.txt")
    assert {x["transcript"] for x in only} == {"gnosjo.txt"}
    with pytest.raises(QcodeError, match="not marked done by erik"):
        pa.disagreements(built.store, ["anna", "erik"], transcript="eksjo.txt")


def test_decide_and_accept_record_who_and_when(built):
    store = built.store
    first, second = pa.disagreements(built.store, ["anna", "erik"])[:2]
    out = pa.decide(store, first["segment_id"], ["hi_ensam", "ff_chef"], decided_by="sara", note="talk 3/12")
    assert out["codes"] == ["hi_ensam", "ff_chef"] and out["decided_by"] == "sara"
    assert set(store.coder_segment_codes(first["segment_id"], CONSENSUS)) == {"hi_ensam", "ff_chef"}
    pa.decide(store, first["segment_id"], [], decided_by="per")  # changed their mind: no code
    assert store.coder_segment_codes(first["segment_id"], CONSENSUS) == []
    pa.accept(store, second["segment_id"], "erik", decided_by="sara")
    assert set(store.coder_segment_codes(second["segment_id"], CONSENSUS)) == set(second["codes"]["erik"])
    log = pa.decisions(store)
    assert [(r["decided_by"], r["segment_id"], r["how"]) for r in log] == [
        ("sara", first["segment_id"], "manual"), ("per", first["segment_id"], "manual"),
        ("sara", second["segment_id"], "accept erik")]
    assert log[0]["note"] == "talk 3/12" and log[0]["decided_at"] and log[1]["before"] == ["ff_chef", "hi_ensam"]
    assert log[0]["transcript"] == first["transcript"] and log[0]["segment"] == first["segment"]
    assert [r["decided_by"] for r in pa.decisions(store, latest=True)] == ["per", "sara"]
    audit = store.audit_log(actor="sara")
    assert audit[0]["action"] == "consensus.decide"
    assert audit[0]["target"] == f"{second['transcript']}#{second['segment']}"
    review = {d["segment_id"]: d for d in pa.disagreements(store, ["anna", "erik"])}
    assert review[first["segment_id"]]["decided"] and review[first["segment_id"]]["consensus"] == []
    assert review[first["segment_id"]]["decided_by"] == "per"
    with pytest.raises(QcodeError, match="no code with id 'nope'"):
        pa.decide(store, first["segment_id"], ["nope"], decided_by="sara")
    with pytest.raises(QcodeError, match="say who decides"):
        pa.decide(store, first["segment_id"], [], decided_by=" ")
    with pytest.raises(QcodeError, match="no segment with id"):
        pa.decide(store, 10 ** 9, [], decided_by="sara")
    with pytest.raises(QcodeError, match="no coder named 'x'"):
        pa.accept(store, first["segment_id"], "x", decided_by="sara")


def test_consensus_from_agreement_then_decide_the_rest(built):
    store = built.store
    coders = ["anna", "erik"]
    disputed = pa.disagreements(store, coders)
    pa.decide(store, disputed[0]["segment_id"], ["ff_natverk"], decided_by="sara")
    result = pa.consensus_from_agreement(store, coders, decided_by="sara")
    both_done = ["aneby1.txt", "aneby2.txt", "gnosjo.txt"]
    sids = [s for n in both_done for s in built.segments[n]]
    agreed = [s for s in sids if built.codes["anna"].get(s, set()) == built.codes["erik"].get(s, set())]
    assert result["transcripts"] == 3 and result["segments"] == len(sids)
    assert result["agreed"] == len(agreed) and result["disagreements"] == len(sids) - len(agreed)
    assert result["written"] == sum(1 for s in agreed if built.codes["anna"].get(s))
    assert result["codings"] == sum(len(built.codes["anna"].get(s, ())) for s in agreed)
    assert result["skipped"] == 0  # the decided segment was a disagreement
    for s in agreed:
        assert set(store.coder_segment_codes(s, CONSENSUS)) == built.codes["anna"].get(s, set())
    assert store.coder_segment_codes(disputed[0]["segment_id"], CONSENSUS) == ["ff_natverk"]
    assert store.audit_log(limit=1)[0]["action"] == "consensus.agreed"
    again = pa.consensus_from_agreement(store, coders, decided_by="sara")
    assert again["codings"] == 0 and again["skipped"] == result["written"]
    # the consensus is a coder like any other: agreement of anna with it on the decided transcripts
    mark_done(store, CONSENSUS, both_done)
    vs = pa.agreement(store, ["anna", CONSENSUS], statistics="percent")
    assert 0.8 < value(vs, pa.POOLED, "percent").value < 1.0
    with pytest.raises(QcodeError, match="not marked done by all"):
        pa.consensus_from_agreement(store, coders, decided_by="sara", transcripts=["eksjo.txt"])


def test_import_consensus_csv_all_or_nothing(built, tmp_path):
    store = built.store
    good = tmp_path / "beslut.csv"
    good.write_text("transcript,segment,code,comment\n"
                    "aneby1.txt,2,hi_ensam,\n"
                    "aneby1.txt,2,ff_chef,both\n"
                    "aneby1.txt,3,,no code here\n", encoding="utf-8")
    out = pa.import_consensus(store, good, decided_by="sara")
    assert out == {"rows": 3, "segments": 2, "codings": 2}
    s2, s3 = built.segments["aneby1.txt"][1], built.segments["aneby1.txt"][2]
    assert set(store.coder_segment_codes(s2, CONSENSUS)) == {"hi_ensam", "ff_chef"}
    assert store.coder_segment_codes(s3, CONSENSUS) == []
    assert [(d["segment"], d["codes"], d["how"]) for d in pa.decisions(store)] == [
        (2, ["hi_ensam", "ff_chef"], "csv beslut.csv"), (3, [], "csv beslut.csv")]
    bad = tmp_path / "fel.csv"
    bad.write_text("transcript,segment,code\n"
                   "aneby1.txt,4,hi_ensam\n"
                   "nowhere.txt,1,hi_ensam\n"
                   "aneby1.txt,999,ff_chef\n"
                   "aneby1.txt,x,ff_chef\n"
                   "aneby1.txt,5,ghost\n", encoding="utf-8")
    with pytest.raises(CodingsProblem) as info:
        pa.import_consensus(store, bad, decided_by="sara")
    assert info.value.problems == ["line 3: unknown transcript 'nowhere.txt'",
                                   "line 4: transcript 'aneby1.txt' has no segment 999",
                                   "line 5: segment 'x' is not a whole number",
                                   "line 6: unknown code 'ghost'"]
    assert len(pa.decisions(store)) == 2  # nothing of the bad file was recorded
    assert store.coder_segment_codes(built.segments["aneby1.txt"][3], CONSENSUS) == []
    header = tmp_path / "header.csv"
    header.write_text("transcript,code\naneby1.txt,hi_ensam\n", encoding="utf-8")
    with pytest.raises(CodingsProblem, match="missing column"):
        pa.import_consensus(store, header, decided_by="sara")


# --------------------------------------------------------------------------- #
# The demo project
# --------------------------------------------------------------------------- #


@pytest.mark.skipif(not (ROOT / "codebooks" / "se_ips.yaml").exists()
                    or not (ROOT / "transcripts" / "codings.csv").exists(), reason="demo data not there yet")
def test_demo_coders_agree_highly_but_not_perfectly(new_location):
    with Project.demo(new_location("demo")) as p:
        result = pa.agreement(p.store, ["anna", "erik"], statistics=["alpha", "kappa", "percent"])
        pooled = value(result, pa.POOLED)
        assert 0.7 < pooled.value < 1.0
        assert pooled.units > 0
        per_code = result[(result.statistic == "alpha") & ~result.code.isin([pa.POOLED, pa.MEAN])]
        assert (per_code.value.dropna() < 1.0).any() and (per_code.value.dropna() > 0.5).mean() > 0.5
        cases = pa.case_agreement(p.store, ["anna", "erik"])
        assert 0.5 < value(cases, pa.POOLED).value <= 1.0
        assert value(cases, pa.POOLED).units > 0
        assert pa.disagreements(p.store, ["anna", "erik"])
