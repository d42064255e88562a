"""The project store: a real SQLite file, its settings, migrations and concurrent writers."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from coding import store as store_mod
from coding.errors import ProjectProblem
from coding.store import Store
from coding.store import codings as store_codings
from coding.store import schema as store_schema


def test_new_project_has_versioned_schema_and_multi_writer_settings(tmp_path):
    path = tmp_path / "p.qcode"
    s = Store.create(path)
    assert s.schema_version() == store_mod.SCHEMA_VERSION
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
    s.close()
    raw = sqlite3.connect(path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"transcripts", "attributes", "segments", "codes", "coders", "codings", "memos", "done",
            "audit", "meta"} <= tables
    assert raw.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION


def test_create_refuses_to_overwrite(new_location):
    path = new_location("p")
    Store.create(path).close()
    with pytest.raises(ProjectProblem, match="already"):
        Store.create(path)
    Store.create(path, overwrite=True).close()  # when asked, a new empty project replaces it
    with Store.open(path) as again:
        assert again.schema_version() == store_mod.SCHEMA_VERSION and again.counts()["audit"] == 0


def test_open_rejects_missing_foreign_and_non_sqlite_files(tmp_path):
    with pytest.raises(ProjectProblem, match="no such project file"):
        Store.open(tmp_path / "missing.qcode")
    text = tmp_path / "notes.qcode"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(ProjectProblem, match="not an SQLite file"):
        Store.open(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(ProjectProblem, match="another program"):
        Store.open(other)


def test_migration_runs_forward_once_and_newer_schema_is_refused(new_location, monkeypatch):
    path = new_location("p")
    Store.create(path).close()

    def add_colour_column(conn):
        conn.execute("ALTER TABLE coders ADD COLUMN colour TEXT")

    current = store_mod.SCHEMA_VERSION
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*store_schema.MIGRATIONS, add_colour_column])
    s = Store.open(path)
    assert s.schema_version() == current + 1
    if s.engine == "sqlite":
        columns = [r[1] for r in s.conn.execute("PRAGMA table_info(coders)")]
    else:
        columns = [r[0] for r in s.conn.execute("SELECT column_name FROM information_schema.columns "
                                                "WHERE table_schema = current_schema() AND table_name = 'coders'")]
    assert "colour" in columns
    assert s.audit_log()[0]["action"] == "schema.migrate"
    s.close()
    Store.open(path).close()  # a second open must not run the step again (it would fail: duplicate column)

    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", current)
    with pytest.raises(ProjectProblem, match="newer qcode"):
        Store.open(path)


def test_failed_transaction_leaves_nothing_behind(new_location):
    s = Store.create(new_location("p"))
    with pytest.raises(RuntimeError):
        with s.transaction():
            s.ensure_coders(["anna"])
            raise RuntimeError("boom")
    assert s.coders() == []


def test_foreign_keys_protect_codings(new_location):
    s = Store.create(new_location("p"))
    with pytest.raises(sqlite3.IntegrityError):  # the same DB-API class on both engines
        s.add_coding(999, "nope", "anna")
    assert s.codings_count() == 0


def _seed(path):
    s = Store.create(path)
    with s.transaction():
        s.upsert_codes([{"id": "c", "label_sv": "C", "label_en": "C", "position": 0}])
        s.add_transcript(name="t.txt", format="txt", encoding="utf-8", sha256="x", text="a" * 1000, n_words=1,
                         segmentation="sentence", language="sv",
                         segments=[(i, i + 1, None, None, None) for i in range(400)])
    s.close()


def test_several_coders_write_at_once_without_losing_rows(new_location):
    path = new_location("p")
    _seed(path)
    errors = []

    def coder(name):
        try:
            s = Store.open(path)
            ids = s.transcript_segment_ids()[s.transcript_id("t.txt")]
            s.ensure_coders([name])
            for sid in ids:
                with s.transaction():
                    s.add_coding(sid, "c", name)
            s.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=coder, args=(f"coder{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    s = Store.open(path)
    assert s.codings_count() == 4 * 400
    assert len(s.coders()) == 4


def _totals(store):
    return (sorted(store.conn.execute("SELECT * FROM code_counts").fetchall()),
            sorted(store.conn.execute("SELECT * FROM attr_counts").fetchall()))


def _rebuilt(store):
    from coding.store import aggregates as store_aggregates

    store.conn.execute("BEGIN")
    store_aggregates.rebuild(store.conn)
    totals = _totals(store)
    store.conn.execute("ROLLBACK")
    return totals


def test_running_totals_follow_every_kind_of_change(new_location):
    from coding import Project, codebook_edit
    from coding.codings import apply_code_ids, remove_code_ids

    p = Project.create(new_location("p"))
    store = p.store
    with store.transaction():
        store.upsert_codes([{"id": c, "label_sv": c, "label_en": c, "position": i}
                            for i, c in enumerate(("a", "b", "c"))])
        for n in range(3):
            store.add_transcript(name=f"t{n}.txt", format="txt", encoding="utf-8", sha256=str(n), text="x" * 50,
                                 n_words=1, segmentation="sentence", language="sv",
                                 segments=[(i, i + 1, None, None, None) for i in range(10)],
                                 attributes={"kommun": "K" + str(n % 2), "roll": "Chef"})
    segs = [s.id for n in range(3) for s in p.segments(f"t{n}.txt")]
    apply_code_ids(store, segs[:15], "a", coder="anna")
    apply_code_ids(store, segs[5:20], "a", coder="erik")
    apply_code_ids(store, segs[10:25], "b", coder="erik")
    remove_code_ids(store, segs[12:14], "a", coder="anna")
    assert _totals(store) == _rebuilt(store)
    codebook_edit.merge_codes(store, "b", "a")
    assert _totals(store) == _rebuilt(store)
    p.set_attributes("t1.txt", {"kommun": "K0"})
    p.set_attributes("t2.txt", {"roll": None, "fas": "inledande"})
    assert _totals(store) == _rebuilt(store)
    with store.transaction():
        store.delete_transcript(p.transcript_id("t0.txt"))
    assert _totals(store) == _rebuilt(store)
    any_coder = dict(((t, c), n) for k, t, c, n in _totals(store)[0] if k == "")
    assert any_coder[(p.transcript_id("t1.txt"), "a")] == 10  # each segment once, whoever coded it


def test_bulk_codings_import_rebuilds_totals(tmp_path, new_location, monkeypatch):
    from coding import Project
    from coding.codings import import_codings

    monkeypatch.setattr(store_codings, "BULK_ROWS", 5)
    p = Project.create(new_location("p"))
    with p.store.transaction():
        p.store.upsert_codes([{"id": "a", "label_sv": "A", "label_en": "A", "position": 0}])
        p.store.add_transcript(name="t.txt", format="txt", encoding="utf-8", sha256="h", text="x" * 20, n_words=1,
                               segmentation="sentence", language="sv", attributes={"kommun": "Aneby"},
                               segments=[(i, i + 1, None, None, None) for i in range(10)])
    path = tmp_path / "c.csv"
    path.write_text("transcript,segment,code,coder,memo\n" + "".join(
        f"t.txt,{i},a,{k},\n" for i in range(1, 9) for k in ("anna", "erik")), encoding="utf-8")
    import_codings(p.store, path)
    assert _totals(p.store) == _rebuilt(p.store)
    assert ("anna", "kommun", "Aneby", "a", 8, 1) in _totals(p.store)[1]
    p.apply_code("t.txt", 10, "a", coder="anna")  # the per-row triggers are back on
    assert ("anna", "kommun", "Aneby", "a", 9, 1) in _totals(p.store)[1]


def test_a_postgresql_location_that_holds_no_project_is_refused_by_name(pg_database):
    import psycopg

    with pytest.raises(ProjectProblem, match="no qcode project in the schema nothing_here"):
        Store.open(pg_database + "?schema=nothing_here")
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA other_app; CREATE TABLE other_app.meta (name text)")
    with pytest.raises(ProjectProblem, match="another program"):
        Store.open(pg_database + "?schema=other_app")
    url = pg_database.replace("qcode@", "qcode:s3cret@") + "?schema=nothing_here"
    with pytest.raises(ProjectProblem) as caught:
        Store.open(url)
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)
