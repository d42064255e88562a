"""The search page: find a word in every transcript, open a hit in place, code all hits in one step."""

from __future__ import annotations

from coding import Project
from app_helpers import messages, open_app, run
PAGE = "app_pages/search.py"


def test_search_finds_words_accent_insensitively_opens_a_hit_and_codes_all_hits(demo):
    at = open_app("sara", page=PAGE)
    at.text_input(key="qc_search_all").input("forankring")
    at = run(at)
    hits = [b.key for b in at.button if b.key and b.key.startswith("qc_hit_")]
    assert len(hits) == 3
    assert any("förankring" in x.value for x in at.text)  # the text as written, with its å/ä/ö
    at.selectbox(key="qc_search_code").select("impl_hi_okunskap_ledning_samordningsforbund")
    at.button(key="qc_search_code_all").click()
    at = run(at)
    with Project.open(demo) as p:
        coded = [(c["transcript"], c["segment"]) for c in p.codings(coder="sara")]
        assert sorted(coded) == [("aneby_chef.txt", 69), ("eksjo_se-coach.txt", 50), ("gislaved_chef.txt", 59)]
        assert p.undo("sara").n == 3  # one step
    assert any("3 segment" in m for m in messages(at.success))


def test_a_hostile_query_is_no_error(demo):
    at = open_app("sara", page=PAGE)
    at.text_input(key="qc_search_all").input('AND ( " * NEAR(')
    at = run(at)
    assert not [b for b in at.button if b.key and b.key.startswith("qc_hit_")]
