"""Full-text search over all segments: real imports, real SQLite FTS5, every kind of query a user may type."""

from __future__ import annotations

import sqlite3

import pytest

from coding.codings import apply_code_ids
from coding.errors import QcodeError
from coding.search import count_hits, search
from coding.store.fts import match_expression
from coding.textsearch import fold

ANEBY = (
    "Intervju med chef, Aneby kommun\n"
    "Intervjuare: Hur gick förankringen i ledningen?\n"
    "Chef: Förankring i ledningen var avgörande. Här fanns stöd.\n"
    "Chef: Vi har inte haft någon FÖRANKRING hos politikerna.\n"
    "Intervjuare: Och nätverket?\n"
    "Chef: It is NOT ready, said the consultant (in English).\n"
)
EKSJO = (
    "Intervju med SE-coach, Eksjö kommun\n"
    "Intervjuare: Hur började det?\n"
    "SE-coach: Det fanns ingen forankring alls i ledningen.\n"  # OCR lost the dots
    "SE-coach: Sen kom SE-nätverket, och ledningen förankrade metoden.\n"
)


@pytest.fixture
def searched(project, tmp_path):
    for name, text in (("aneby_chef.txt", ANEBY), ("eksjo_coach.txt", EKSJO)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    project.import_files([tmp_path / "aneby_chef.txt", tmp_path / "eksjo_coach.txt"])
    return project


def where(hits) -> list[tuple[str, int]]:
    return [(h.transcript, h.position) for h in hits]


def segment_at(project, name, position):
    return next(s for s in project.segments(name) if s.position == position)


def test_search_ignores_case_and_accents_including_the_swedish_letters(searched):
    store = searched.store
    expected = {("aneby_chef.txt", 3), ("aneby_chef.txt", 5), ("eksjo_coach.txt", 3)}
    assert set(where(search(store, "förankring"))) == expected  # "forankring" in OCR text too
    assert set(where(search(store, "forankring"))) == expected  # typed without the dots
    assert set(where(search(store, "FÖRANKRING"))) == expected
    # unicode61 remove_diacritics folds å/ä/ö to a/o: "har" (have) also finds "här" (here) -- documented
    assert {("aneby_chef.txt", 4), ("aneby_chef.txt", 5)} <= set(where(search(store, "har")))
    assert set(where(search(store, "här"))) == set(where(search(store, "har")))


def test_every_word_must_occur_phrases_in_quotes_and_prefixes_with_a_star(searched):
    store = searched.store
    assert set(where(search(store, "förankring ledningen"))) == {("aneby_chef.txt", 3), ("eksjo_coach.txt", 3)}
    assert where(search(store, '"förankring i ledningen"')) == [("aneby_chef.txt", 3)]
    assert where(search(store, '"ledningen förankring"')) == []
    assert set(where(search(store, "förankr*"))) == {("aneby_chef.txt", 2), ("aneby_chef.txt", 3),
                                                     ("aneby_chef.txt", 5), ("eksjo_coach.txt", 3),
                                                     ("eksjo_coach.txt", 4)}
    assert where(search(store, "förankr")) == []  # without the star a word is a whole word
    assert where(search(store, "SE-nätverket")) == [("eksjo_coach.txt", 4)]


@pytest.mark.parametrize("query", ['"', '""', "AND (", "*", "**", "(", ")", "NEAR(", "a OR", "OR", "-", "^", ":",
                                  "text:ledningen", 'ledningen"', '"unclosed förankring', "'", "\\", "%", "_",
                                  "a*b", "NEAR(förankring ledningen, 2)", "😀", "   ", "", "+ledningen", "{text}:x"])
def test_whatever_the_user_types_is_not_an_error(searched, query):
    hits = search(searched.store, query)
    assert isinstance(hits, list)
    assert count_hits(searched.store, query) == len(search(searched.store, query, limit=None))


def test_operator_words_are_plain_words(searched):
    store = searched.store
    assert where(search(store, "NOT")) == [("aneby_chef.txt", 7)]  # the English word, not the operator
    assert where(search(store, "not ready")) == [("aneby_chef.txt", 7)]
    assert search(store, '" * (') == [] and count_hits(store, "AND") == 0
    assert match_expression('a" OR (b') == '"a" " OR (b"'  # an unclosed quote runs to the end


def test_hits_carry_text_and_the_offsets_of_the_words_found(searched):
    store = searched.store
    for hit in search(store, "förankring ledningen"):
        segment = segment_at(searched, hit.transcript, hit.position)
        assert (hit.segment_id, hit.text, hit.speaker) == (segment.id, segment.text, segment.speaker)
        found = {fold(hit.text[a:b]) for a, b in hit.highlights}
        assert found == {"forankring", "ledningen"}
    hit = search(store, '"förankring i ledningen"')[0]
    assert [hit.text[a:b] for a, b in hit.highlights] == ["Förankring i ledningen"]  # a phrase is one stretch
    assert hit.snippet() == "[Förankring i ledningen] var avgörande."


def test_one_transcript_order_limit_offset_and_count(searched):
    store = searched.store
    every = search(store, "förankr*", limit=None)
    assert where(every) == sorted(where(every))  # text order by default
    assert where(search(store, "förankr*", limit=2)) == where(every)[:2]
    assert where(search(store, "förankr*", limit=2, offset=2)) == where(every)[2:4]
    assert count_hits(store, "förankr*") == len(every) == 5
    ranked = search(store, "förankr*", order="rank", limit=None)
    assert sorted(where(ranked)) == where(every)
    assert where(search(store, "ledningen", transcript="eksjo_coach.txt")) == [("eksjo_coach.txt", 3),
                                                                             ("eksjo_coach.txt", 4)]
    assert count_hits(store, "ledningen", transcript="aneby_chef.txt") == 2
    with pytest.raises(QcodeError, match="no transcript named 'nope.txt'"):
        search(store, "ledningen", transcript="nope.txt")
    with pytest.raises(QcodeError, match="order must be one of text, rank"):
        search(store, "ledningen", order="date")


def test_the_index_follows_imports_and_deletions(searched, tmp_path):
    store = searched.store
    assert search(store, "Gnosjö") == []
    (tmp_path / "gnosjo.txt").write_text("Intervjuare: Var det svårt i Gnosjö?\nChef: Ja, utan förankring.\n",
                                         encoding="utf-8")
    searched.import_files([tmp_path / "gnosjo.txt"])
    assert where(search(store, "gnosjo")) == [("gnosjo.txt", 1)]
    assert count_hits(store, "förankring") == 4
    with store.transaction():
        store.delete_transcript(store.transcript_id("aneby_chef.txt"))
    assert count_hits(store, "förankring") == 2
    assert {h.transcript for h in search(store, "förankr*")} == {"eksjo_coach.txt", "gnosjo.txt"}
    if store.engine == "sqlite":
        store.conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('integrity-check')")  # raises if out of step
        indexed = store.conn.execute("SELECT count(*) FROM segments_fts_docsize").fetchone()[0]
    else:  # PostgreSQL: a generated column, so every segment's vector is its folded text's
        indexed = store.conn.execute("SELECT count(*) FROM segments "
                                     "WHERE search = to_tsvector('simple', qcode_fold(text))").fetchone()[0]
    assert indexed == store.counts()["segments"]


def test_a_rolled_back_import_leaves_no_trace_in_the_index(searched, tmp_path):
    store = searched.store
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.add_transcript(name="x.txt", format="txt", encoding="utf-8", sha256="new", text="unikt ord",
                                 n_words=2, segmentation="turn", language="sv", segments=[(0, 9, None, None, None)])
            assert count_hits(store, "unikt") == 1
            store.add_transcript(name="x.txt", format="txt", encoding="utf-8", sha256="other", text="dubblett",
                                 n_words=1, segmentation="turn", language="sv", segments=[])
    assert count_hits(store, "unikt") == 0


def test_the_hits_can_be_coded_at_once(searched, small_codebook):
    searched.load_codebook(small_codebook)
    hits = search(searched.store, "förankring")
    assert apply_code_ids(searched.store, [h.segment_id for h in hits], "ff_chef", coder="anna") == 3
    coded = {(c["transcript"], c["segment"]) for c in searched.codings(coder="anna")}
    assert coded == set(where(hits))
