"""Transactions on a real project (an SQLite file and a PostgreSQL schema): the outer block locks for writing at
once, nested blocks are savepoints."""

from __future__ import annotations

import sqlite3

import pytest

from coding.store import Store


def coders_in_file(location) -> list[str]:
    """What another connection sees (committed data only)."""
    with Store.open(location) as other:
        return other.coders()


@pytest.fixture
def store(new_location):
    s = Store.create(new_location("p"))
    yield s
    s.close()


def test_an_inner_failure_rolls_back_only_the_inner_block(store):
    with store.transaction():
        store.ensure_coders(["anna"])
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.ensure_coders(["erik"])
                assert store.coders() == ["anna", "erik"]
                raise RuntimeError("inner")
        assert store.coders() == ["anna"]
        store.ensure_coders(["bo"])
    assert coders_in_file(store.location) == ["anna", "bo"]


def test_an_outer_failure_rolls_back_the_inner_blocks_too(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.ensure_coders(["anna"])
            with store.transaction():
                store.ensure_coders(["erik"])
                with store.transaction():
                    store.ensure_coders(["bo"])
            raise RuntimeError("outer")
    assert store.coders() == [] and coders_in_file(store.location) == []
    assert not store.conn.in_transaction


def test_savepoints_nest_and_commit_once_at_the_outer_end(store):
    with store.transaction():
        with store.transaction():
            store.ensure_coders(["anna"])
            with store.transaction():
                store.ensure_coders(["erik"])
        assert coders_in_file(store.location) == []  # nothing is visible to others before the outer commit
        with pytest.raises(ValueError), store.transaction():
            store.ensure_coders(["x"])
            with store.transaction():
                store.ensure_coders(["y"])
            raise ValueError("second inner block")
    assert coders_in_file(store.location) == ["anna", "erik"]


def test_the_outer_block_takes_the_write_lock_at_once_on_postgresql_too(store):
    if store.engine == "postgresql":
        with Store.open(store.location) as other:
            other.conn.execute("SET lock_timeout = '200ms'")
            with store.transaction():
                with pytest.raises(sqlite3.OperationalError, match="lock timeout"):
                    other.conn.execute("BEGIN IMMEDIATE")  # the project's writer lock is taken
                assert not other.conn.in_transaction
            other.conn.execute("BEGIN IMMEDIATE")
            other.conn.execute("ROLLBACK")
        return
    other = sqlite3.connect(store.path, timeout=0)
    try:
        with store.transaction():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")  # BEGIN IMMEDIATE: locked before our first write
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_an_inner_failure_leaves_the_totals_and_the_index_in_step(store):
    with store.transaction():
        store.upsert_codes([{"id": "a", "label_sv": "A", "label_en": "A"}])
        tid = store.add_transcript(name="t.txt", format="txt", encoding="utf-8", sha256="1", text="ett två tre",
                                   n_words=3, segmentation="turn", language="sv", attributes={"kommun": "Aneby"},
                                   segments=[(0, 3, None, None, None), (4, 7, None, None, None)])
        store.ensure_coders(["anna"])
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.add_coding(store.segment_id(tid, 1), "a", "anna")
            store.add_transcript(name="u.txt", format="txt", encoding="utf-8", sha256="2", text="fyra", n_words=1,
                                 segmentation="turn", language="sv", segments=[(0, 4, None, None, None)])
            store.add_coding(store.segment_id(tid, 2), "nope", "anna")  # unknown code: foreign key fails
        store.add_coding(store.segment_id(tid, 2), "a", "anna")
    assert store.codings_count() == 1
    assert store.attribute_code_totals("anna", "kommun") == [("Aneby", "a", 1, 1)]
    assert store.search_count("fyra") == 0 and store.search_count("tva") == 1
    if store.engine == "sqlite":
        store.conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('integrity-check')")
