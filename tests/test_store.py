"""The project store: a real SQLite file, its settings, migrations and concurrent writers."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from coding import store as store_mod
from coding.errors import ProjectProblem
from coding.store import Store


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


def test_create_refuses_to_overwrite(tmp_path):
    path = tmp_path / "p.qcode"
    Store.create(path).close()
    with pytest.raises(ProjectProblem, match="exists already"):
        Store.create(path)


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


def test_migration_runs_forward_once_and_newer_schema_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "p.qcode"
    Store.create(path).close()

    def add_colour_column(conn):
        conn.execute("ALTER TABLE coders ADD COLUMN colour TEXT")

    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_mod, "MIGRATIONS", [add_colour_column])
    s = Store.open(path)
    assert s.schema_version() == 2
    columns = [r[1] for r in s.conn.execute("PRAGMA table_info(coders)")]
    assert "colour" in columns
    assert s.audit_log()[0]["action"] == "schema.migrate"
    s.close()
    Store.open(path).close()  # a second open must not run the step again (it would fail: duplicate column)

    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 1)
    with pytest.raises(ProjectProblem, match="newer qcode"):
        Store.open(path)


def test_failed_transaction_leaves_nothing_behind(tmp_path):
    s = Store.create(tmp_path / "p.qcode")
    with pytest.raises(RuntimeError):
        with s.transaction():
            s.ensure_coders(["anna"])
            raise RuntimeError("boom")
    assert s.coders() == []


def test_foreign_keys_protect_codings(tmp_path):
    s = Store.create(tmp_path / "p.qcode")
    with pytest.raises(sqlite3.IntegrityError):
        s.add_coding(999, "nope", "anna")


def _seed(path):
    s = Store.create(path)
    with s.transaction():
        s.upsert_codes([{"id": "c", "label_sv": "C", "label_en": "C", "position": 0}])
        s.add_transcript(name="t.txt", format="txt", encoding="utf-8", sha256="x", text="a" * 1000, n_words=1,
                         segmentation="sentence", language="sv",
                         segments=[(i, i + 1, None, None, None) for i in range(400)])
    s.close()


def test_several_coders_write_at_once_without_losing_rows(tmp_path):
    path = tmp_path / "p.qcode"
    _seed(path)
    errors = []

    def coder(name):
        try:
            s = Store.open(path)
            ids = [r[0] for r in s.conn.execute("SELECT id FROM segments ORDER BY id")]
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
