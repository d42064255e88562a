"""The agreement page on the demo project: the per-code table (compared with the library), the colour
convention, scopes and units, and the disagreement review with one-click decisions (checked in SQLite
through the library)."""

from __future__ import annotations

import math
import time

import pandas as pd

from coding import Project
from coding.codings import CONSENSUS
from coding.project_agreement import MEAN, POOLED, agreement_by_code, decisions, disagreements
from app_helpers import messages, open_app, run, texts
from ui import page_agreement as pa

PAGE = "app_pages/agreement.py"
STATS = ["alpha", "kappa", "percent"]  # the page's default


def consensus_codes(path, segment_id: int) -> list[str]:
    with Project.open(path) as p:
        return sorted(p.store.coder_segment_codes(segment_id, CONSENSUS))


def test_per_code_table_matches_the_library(demo):
    started = time.perf_counter()
    at = open_app(page=PAGE)
    elapsed = time.perf_counter() - started
    assert at.multiselect(key="qc_ag_coders").value == ["anna", "erik"]
    with Project.open(demo) as p:
        expected = agreement_by_code(p.store, ["anna", "erik"], statistics=STATS)
    per_code = expected[~expected.code.isin([POOLED, MEAN]) & (expected.coded > 0)].reset_index(drop=True)
    shown = at.dataframe[1].value
    assert list(shown["id"]) == list(per_code["code"])
    assert list(shown["n"]) == list(per_code["units"]) and set(shown["n"]) == {1756}
    assert list(shown["kodade"]) == list(per_code["coded"])
    for col, stat in (("α Krippendorff", "alpha"), ("κ Cohen", "kappa"), ("% överens", "percent")):
        assert all(math.isclose(a, b) or (math.isnan(a) and math.isnan(b))
                   for a, b in zip(shown[col], per_code[stat])), col
    overall = at.dataframe[0].value
    assert list(overall["id"]) == [POOLED, MEAN]
    pooled = expected[expected.code == POOLED].iloc[0]
    assert overall["n"].iloc[0] == pooled["units"] and math.isclose(overall["α Krippendorff"].iloc[0],
                                                                    pooled["alpha"])
    # all codes (also the ones nobody used) with the toggle off
    at.toggle(key="qc_ag_only_used").set_value(False)
    at = run(at)
    assert len(at.dataframe[1].value) == len(expected) - 2
    print(f"\nagreement page: first render (with app start) {elapsed:.2f} s")


def test_threshold_legend_and_colours(demo):
    at = open_app(page=PAGE)
    legend = " ".join(m.value for m in at.markdown)
    assert "Krippendorff" in legend and "0,800" in legend and "0,667" in legend
    at = open_app(page=PAGE, lang="en")
    legend = " ".join(m.value for m in at.markdown)
    assert "0.800 reliable" in legend and "unreliable" in legend and "tentative" in legend
    assert pa.band(0.8) == "reliable" and pa.band(0.7999) == "tentative" and pa.band(0.667) == "tentative"
    assert pa.band(0.6669) == "unreliable" and pa.band(float("nan")) == "na" and pa.band(None) == "na"
    frame = pd.DataFrame({"id": ["a", "b", "c", "d", "e"], "α Krippendorff": [0.9, 0.7, 0.1, float("nan"), 0.7998],
                          "% överens": [0.5, 0.5, 0.5, 0.5, 0.5]})
    html = pa.styled(frame, ["alpha", "percent"]).to_html()  # outside a run: Swedish, with a decimal comma
    for colour in pa.BAND_COLOURS.values():
        assert colour in html
    assert "n/a" in html and "0,900" in html
    # regression: 0.7998 showed as "0.800" in the tentative colour; the number shown now matches its band
    assert "0,799" in html and "0,800" not in html and pa.band(0.7998) == "tentative"
    # percent agreement is not coloured: four coloured cells, one per alpha value
    assert sum(html.count(c) for c in pa.BAND_COLOURS.values()) == 4


def test_scopes_units_levels_and_statistics(demo):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_ag_scope").select("kommun")
    at.multiselect(key="qc_ag_stats").set_value(["alpha", "fleiss", "ac1", "bp"])
    at = run(at)
    with Project.open(demo) as p:
        expected = agreement_by_code(p.store, ["anna", "erik"], statistics=["alpha", "fleiss", "ac1", "bp"],
                                     by="kommun")
    shown = at.dataframe[1].value
    assert "Omfattning" in shown.columns and "Aneby" in set(shown["Omfattning"])
    per_code = expected[~expected.code.isin([POOLED, MEAN]) & (expected.coded > 0)]
    assert len(shown) == len(per_code) and list(shown["n"]) == list(per_code["units"])
    assert {"AC1 Gwet", "Brennan–Prediger", "κ Fleiss"} <= set(shown.columns)
    # case x code presence per municipality, categories
    at.selectbox(key="qc_ag_scope").select("all")
    at.segmented_control(key="qc_ag_unit").set_value("case")
    at.segmented_control(key="qc_ag_level").set_value("category")
    at = run(at)
    with Project.open(demo) as p:
        expected = agreement_by_code(p.store, ["anna", "erik"], statistics=["alpha", "fleiss", "ac1", "bp"],
                                     unit="case", level="category")
    shown = at.dataframe[1].value
    assert set(shown["n"]) == {8}  # eight municipalities
    per_code = expected[~expected.code.isin([POOLED, MEAN]) & (expected.coded > 0)]
    assert list(shown["id"]) == list(per_code["code"]) and "impl.hi" in list(shown["id"])


def test_only_done_transcripts_count_and_the_page_says_so(demo):
    with Project.open(demo) as p:
        p.mark_done("erik", ["aneby_chef.txt"], done=False)
    at = open_app(page=PAGE)
    note = " ".join(messages(at.caption))
    assert "markerat som klara" in note and "anna 16, erik 15" in note and "alla valda kodare: 15" in note
    with Project.open(demo) as p:
        expected = agreement_by_code(p.store, ["anna", "erik"], statistics=STATS)
    assert set(at.dataframe[1].value["n"]) == {int(expected.units.iloc[0])}


def test_the_table_follows_changes_in_the_codings(demo):
    at = open_app(page=PAGE)
    before = at.dataframe[0].value["α Krippendorff"].iloc[0]
    with Project.open(demo) as p:
        p.apply_code("aneby_chef.txt", 1, "impl_hi_ensam_position", coder="erik")
    at = run(at)
    after = at.dataframe[0].value["α Krippendorff"].iloc[0]
    with Project.open(demo) as p:
        pooled = agreement_by_code(p.store, ["anna", "erik"], statistics=["alpha"]).query("code == @POOLED")
    assert after != before and math.isclose(after, pooled["alpha"].iloc[0])


def test_accept_annas_codes_in_one_click(demo):
    at = open_app(page=PAGE)
    with Project.open(demo) as p:
        first = disagreements(p.store, ["anna", "erik"])[0]
    sid = first["segment_id"]
    assert first["codes"]["anna"] and not first["decided"]
    assert any(first["text"] in x for x in texts(at))
    at.button(key=f"qc_ag_acc_{sid}_anna").click()
    at = run(at)
    assert consensus_codes(demo, sid) == sorted(first["codes"]["anna"])
    with Project.open(demo) as p:
        last = decisions(p.store)[-1]
        now = [d for d in disagreements(p.store, ["anna", "erik"]) if d["segment_id"] == sid][0]
    assert last["decided_by"] == "anna" and last["how"] == "accept anna" and last["segment_id"] == sid
    assert now["decided"] and now["consensus"] == first["codes"]["anna"]
    shown = messages(at.markdown)
    assert any("Beslutat av anna" in m for m in shown)
    assert any("1 av 42 oenigheter beslutade" in x.proto.text for x in at.get("progress"))
    # the decided filter shows it; the undecided one does not
    at.segmented_control(key="qc_ag_show").set_value("open")
    at = run(at)
    assert f"qc_ag_acc_{sid}_anna" not in [b.key for b in at.button]
    at.segmented_control(key="qc_ag_show").set_value("decided")
    at = run(at)
    assert [b.key for b in at.button if b.key.startswith("qc_ag_acc_")] == [f"qc_ag_acc_{sid}_anna",
                                                                             f"qc_ag_acc_{sid}_erik"]


def test_accept_the_other_coder_and_decide_by_hand(demo):
    at = open_app(page=PAGE)
    with Project.open(demo) as p:
        first, second = disagreements(p.store, ["anna", "erik"])[:2]
    at.button(key=f"qc_ag_acc_{first['segment_id']}_erik").click()
    at = run(at)
    assert consensus_codes(demo, first["segment_id"]) == sorted(first["codes"]["erik"])
    # the manual box: choose two codes and save
    box = [m for m in at.multiselect if m.key.startswith(f"qc_ag_codes_{second['segment_id']}_")][0]
    box.set_value(["impl_hi_ensam_position", "impl_ff_utbildning"])
    at.button(key=f"qc_ag_save_{second['segment_id']}").click()
    at = run(at)
    assert consensus_codes(demo, second["segment_id"]) == ["impl_ff_utbildning", "impl_hi_ensam_position"]
    with Project.open(demo) as p:
        assert decisions(p.store)[-1]["how"] == "manual"


def test_copy_all_agreed_segments_to_consensus(demo):
    at = open_app(page=PAGE)
    with Project.open(demo) as p:
        assert not p.codings(coder=CONSENSUS)
    at.button(key="qc_ag_copy").click()
    at = run(at)
    with Project.open(demo) as p:
        copied = p.codings(coder=CONSENSUS)
        disputed = {(d["transcript"], d["segment"]) for d in disagreements(p.store, ["anna", "erik"])}
    assert len(copied) == 299
    assert any("1714 eniga segment" in m for m in messages(at.success))
    assert not {(c["transcript"], c["segment"]) for c in copied} & disputed  # the disagreements are left to the review


def test_review_pages_and_filter_by_transcript(demo):
    at = open_app(page=PAGE)
    accept_buttons = [b for b in at.button if b.key.startswith("qc_ag_acc_") and b.key.endswith("_anna")]
    assert len(accept_buttons) == pa.PAGE_SIZE  # 42 disagreements, 20 a page
    at.selectbox(key="qc_ag_tr").select("aneby_chef.txt")
    at = run(at)
    with Project.open(demo) as p:
        expected = disagreements(p.store, ["anna", "erik"], transcript="aneby_chef.txt")
    keys = [b.key for b in at.button if b.key.startswith("qc_ag_acc_") and b.key.endswith("_anna")]
    assert keys == [f"qc_ag_acc_{d['segment_id']}_anna" for d in expected]


def test_review_page_two(demo):
    at = open_app(page=PAGE)
    with Project.open(demo) as p:
        records = disagreements(p.store, ["anna", "erik"])
    at.get("pagination")[0].set_value(2)
    at = run(at)
    keys = [b.key for b in at.button if b.key.startswith("qc_ag_acc_") and b.key.endswith("_anna")]
    assert keys == [f"qc_ag_acc_{d['segment_id']}_anna" for d in records[20:40]]
    # a decision on page 2 keeps page 2 in view
    at.button(key=keys[0]).click()
    at = run(at)
    assert at.get("pagination")[0].value == 2
    assert any("Beslutat av anna" in m for m in messages(at.markdown))


def test_fewer_than_two_coders(tmp_path, app_env, monkeypatch):
    from e2e_helpers import make_project

    path = make_project(tmp_path / "one.qcode", coders=("anna",))
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    at = open_app(page=PAGE)
    assert any("minst två kodare" in m for m in messages(at.info))


def test_blind_coding_keeps_a_coder_who_has_not_finished_from_other_codes(demo):
    from coding.settings import set_blind_coding

    at = open_app(page=PAGE)
    assert not at.warning
    with Project.open(demo) as p:
        set_blind_coding(p.store, True, actor="anna")
        p.mark_done("anna", ["aneby_chef.txt"], done=False)
    at = run(at)
    assert any("Blind kodning är på" in m for m in messages(at.info))
    assert not at.dataframe  # no agreement table, no disagreements
    at.switch_page("app_pages/matrix.py")
    at = run(at)
    assert any("Blind kodning är på" in m for m in messages(at.info))  # the matrix shows only my codes
    assert at.selectbox(key="qc_mx_coders").options == ["anna"]
    lead = open_app("sara", page=PAGE)  # a project lead who codes nothing is not blinded
    assert lead.dataframe


def test_the_csv_download_is_safe_for_spreadsheets():
    table = pd.DataFrame({"code": ["=HYPERLINK(1)", "ok"], "label_sv": ["+x", "y"], "alpha": [0.5, 1.0]})
    text = pa.csv_bytes(table).decode()
    assert text.splitlines() == ["code,label_sv,alpha", "'=HYPERLINK(1),'+x,0.5", "ok,y,1.0"]


def test_only_owners_and_leads_get_the_decision_buttons(demo):
    with Project.open(demo) as p:
        p.add_coder("olga", owner=True)
    at = open_app(page=PAGE)  # anna, a coder
    assert at.button(key="qc_ag_copy").disabled
    assert all(b.disabled for b in at.button if b.key and b.key.startswith("qc_ag_acc_"))
    with Project.open(demo) as p:
        p.set_role("anna", "lead", actor="olga")
    at = open_app(page=PAGE)
    assert not at.button(key="qc_ag_copy").disabled


def test_one_extra_coder_with_one_finished_transcript_does_not_shrink_the_default_comparison(demo):
    """Regression: the page pre-selected every coder; sara's one finished transcript cut the review."""
    with Project.open(demo) as p:
        p.apply_code("aneby_chef.txt", 2, "impl_hi_ensam_position", coder="sara")
        p.mark_done("sara", ["aneby_chef.txt"])
    at = open_app(page=PAGE)
    assert at.multiselect(key="qc_ag_coders").value == ["anna", "erik"]


def test_the_review_marks_each_coders_spans_in_the_segment(demo):
    with Project.open(demo) as p:
        first = disagreements(p.store, ["anna", "erik"], transcript="aneby_chef.txt")[0]
        seg = p.segments("aneby_chef.txt")[first["segment"] - 1]
        p.code_span("aneby_chef.txt", seg.start, seg.start + 12, "impl_ff_positiv_ledning_chef", coder="anna")
        p.code_span("aneby_chef.txt", seg.start + 5, seg.end - 3, "impl_ff_positiv_ledning_chef", coder="erik")
        record = next(d for d in disagreements(p.store, ["anna", "erik"], transcript="aneby_chef.txt")
                      if d["segment_id"] == first["segment_id"])
        label = next(c.label_sv for c in p.codes() if c.id == "impl_ff_positiv_ledning_chef")
    assert record["spans"] == {
        "anna": [{"code": "impl_ff_positiv_ledning_chef", "start": 0, "end": 12, "span_start": seg.start,
                  "span_end": seg.start + 12}],
        "erik": [{"code": "impl_ff_positiv_ledning_chef", "start": 5, "end": len(seg.text) - 3,
                  "span_start": seg.start + 5, "span_end": seg.end - 3}]}
    at = open_app(page=PAGE)
    at.selectbox(key="qc_ag_tr").select("aneby_chef.txt")
    at = run(at)
    marked = [h.proto.body for h in at.get("html") if "<mark" in h.proto.body]
    assert len(marked) == 2 and marked[0].startswith('<div class="qc-hl"><b>anna</b>: <mark')
    assert f'title="{label}">' in marked[0] and ">" + seg.text[5:-3].replace("<", "&lt;") + "</mark>" in marked[1]


def test_the_suggestion_evaluation_is_reported_on_the_agreement_page(demo):
    at = open_app(page=PAGE)
    assert not [b for b in at.button if b.key == "qc_se_run"]  # closed: nothing drawn, scikit-learn not paid for
    at = open_app(page=PAGE, state={"qc_se_open": True})
    at.selectbox(key="qc_se_source").select("anna")
    at.number_input(key="qc_se_folds").set_value(2)
    at.button(key="qc_se_run").click()
    at = run(at)
    assert not at.exception, [e.value for e in at.exception]
    with Project.open(demo) as p:
        expected = p.suggest_evaluate("anna", folds=2)
    frames = [d.value for d in at.dataframe]
    scores = next(f for f in frames if "Metod" in f.columns)
    assert list(scores["Metod"]) == ["Modellen", "Nyckelord (baslinje)", "Kodernas frekvens (baslinje)"]
    assert math.isclose(scores["F1 (micro)"].iloc[0], expected["model"]["micro"]["f1"])
    assert math.isclose(scores["F1 (micro)"].iloc[1], expected["keyword"]["micro"]["f1"])
    assert scores["F1 (micro)"].iloc[0] > scores["F1 (micro)"].iloc[1]
    alpha = next(f for f in frames if "Par" in f.columns)
    assert list(alpha["Par"]) == ["modellen mot anna", "modellen mot erik", "kodarna sinsemellan"]
    assert math.isclose(alpha["α"].iloc[2], expected["alpha"]["human_human"])
    assert any("Lärt av **anna**: 1756 segment i 16 färdiga transkript" in m.value for m in at.markdown)
