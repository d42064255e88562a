"""Code suggestions on the coding page (AppTest on the real app and a real copy of the demo project).

Proposals are drawn apart from the coder's chips, become codings only through the coder's accept (one
undoable step, marked with the model in ``codings.source``), and a rejection is remembered.
"""

from __future__ import annotations

import sqlite3

import pytest

from coding import Project
from app_helpers import chips, list_rows, open_app, open_transcript, pick, run
from ui.suggestion_panel import uncertain_order

T = "aneby_chef.txt"


@pytest.fixture
def proposed(demo):
    """The demo (blind coding on) with anna's own model and her proposals on aneby_chef.txt."""
    with Project.open(demo) as p:
        assert p.suggest_train("anna").id == 1
        assert p.suggest_run("anna", [T], min_score=0.3)["proposed"] > 5
    return demo


def rows(path, sql, args=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def open_list(path):
    at = open_transcript(open_app("anna"), T)
    drawn = {r["pos"]: r for r in list_rows(at)}
    return at, drawn


def test_proposals_are_drawn_apart_from_chips_and_make_no_coding(proposed):
    before = rows(proposed, "SELECT count(*) FROM codings")
    at, drawn = open_list(proposed)
    with_props = {pos: r for pos, r in drawn.items() if r.get("proposals")}
    assert with_props
    expected = rows(proposed, "SELECT s.position, p.code_id, p.score FROM proposals p JOIN segments s "
                              "ON s.id = p.segment_id WHERE p.coder = 'anna' AND p.state = 'proposed'")
    on_page = {(pos, code) for pos, code, _ in expected if pos in drawn}
    assert {(pos, c[0]) for pos, r in with_props.items() for c in r["proposals"]} == on_page
    for r in with_props.values():
        assert not {c[0] for c in r["proposals"]} & {c[0] for c in r["codes"]}  # never a chip as well
        assert all("," in c[2] for c in r["proposals"])  # the score, with a decimal comma in Swedish
    assert rows(proposed, "SELECT count(*) FROM codings") == before


def test_accept_key_makes_my_coding_with_provenance_and_undo_takes_it_back(proposed):
    at, drawn = open_list(proposed)
    pos = min(p for p, r in drawn.items() if r.get("proposals"))
    top = drawn[pos]["proposals"][0][0]
    at = pick(at, pos)
    accept = at.button(key="qc_sugg_accept")
    assert not accept.disabled
    accept.click()
    at = run(at)
    assert top in chips(at, pos)
    assert rows(proposed, "SELECT c.code_id, c.source FROM codings c JOIN segments s ON s.id = c.segment_id "
                          "WHERE s.position = ? AND c.coder = 'anna' AND c.source != ''", (pos,)) == [
        (top, "suggestion:1")]
    assert rows(proposed, "SELECT action FROM audit ORDER BY id DESC LIMIT 1") == [("suggestion.accept",)]
    assert top not in {c[0] for r in list_rows(at) if r["pos"] == pos for c in r.get("proposals", [])}
    at.button(key="qc_undo").click()
    at = run(at)
    assert top not in chips(at, pos)
    assert rows(proposed, "SELECT count(*) FROM codings WHERE source != ''") == [(0,)]
    assert top in {c[0] for r in list_rows(at) if r["pos"] == pos for c in r.get("proposals", [])}


def test_reject_key_is_remembered(proposed):
    at, drawn = open_list(proposed)
    pos = max(p for p, r in drawn.items() if r.get("proposals"))
    top = drawn[pos]["proposals"][0][0]
    at = pick(at, pos)
    at.button(key="qc_sugg_reject").click()
    at = run(at)
    assert rows(proposed, "SELECT p.code_id, p.state FROM proposals p JOIN segments s ON s.id = p.segment_id "
                          "WHERE s.position = ? AND p.state != 'proposed'", (pos,)) == [(top, "rejected")]
    assert top not in {c[0] for r in list_rows(at) if r["pos"] == pos for c in r.get("proposals", [])}
    assert top not in chips(at, pos)
    with Project.open(proposed) as p:  # the same model does not propose it again
        assert p.suggest_run("anna", [T], min_score=0.3, model_id=1)["proposed"] == 0


def test_accept_all_above_a_score_on_this_page(proposed):
    at, drawn = open_list(proposed)
    at.slider(key="qc_sugg_min").set_value(0.5)
    at = run(at)
    expected = rows(proposed, "SELECT p.id FROM proposals p JOIN segments s ON s.id = p.segment_id "
                              f"WHERE p.score >= 0.5 AND s.position IN ({','.join(map(str, drawn))}) "
                              "AND p.state = 'proposed'")
    assert expected
    at.button(key="qc_sugg_all").click()
    at = run(at)
    assert sorted(rows(proposed, "SELECT id FROM proposals WHERE state = 'accepted'")) == sorted(expected)
    assert rows(proposed, "SELECT count(*) FROM codings WHERE source = 'suggestion:1'") == [(len(expected),)]
    assert rows(proposed, "SELECT count(*) FROM audit WHERE action = 'suggestion.accept'") == [(1,)]


def test_most_uncertain_first_orders_the_list(proposed):
    at, drawn = open_list(proposed)
    at.toggle(key="qc_uncertain").set_value(True)
    at = run(at)
    with Project.open(proposed) as p:
        by_pos = {}
        for r in p.suggest_list("anna", T):
            by_pos.setdefault(r["segment"], []).append(r)
        every = [s.position for s in p.segments(T)]
    assert [r["pos"] for r in list_rows(at)] == uncertain_order(every, by_pos)[:50]
    assert [r["pos"] for r in list_rows(at)] != sorted(r["pos"] for r in list_rows(at))


def test_a_blind_coder_gets_codebook_proposals_not_a_colleagues_model(proposed):
    at = open_transcript(open_app("erik"), T)
    assert not any(r.get("proposals") for r in list_rows(at))  # anna's proposals are hers alone
    at.button(key="qc_sugg_make").click()
    at = run(at)
    kinds = rows(proposed, "SELECT DISTINCT m.kind FROM proposals p JOIN models m ON m.id = p.model_id "
                           "WHERE p.coder = 'erik'")
    assert kinds in ([("codebook",)], [])  # the codebook model (stored on the way), never anna's model
    assert rows(proposed, "SELECT count(*) FROM models WHERE kind = 'codebook'") == [(1,)]
