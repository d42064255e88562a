"""Backups that hold every coding even while coders write, automatic backups before destructive steps, restore."""

from __future__ import annotations

import shutil
import sqlite3
import threading

import pytest

from coding import Project
from coding.backup import KEEP_AUTOMATIC, auto_backup, list_backups, restore
from coding.errors import ProjectProblem


def count(path, table="codings"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_a_backup_taken_while_coders_write_holds_a_consistent_snapshot(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        sids = [s.id for t in p.transcripts() for s in p.segments(t["name"])]
    stop = threading.Event()

    def coder(name):
        with Project.open(path) as p:
            for sid in sids[:400]:
                if stop.is_set():
                    return
                p.apply_code_ids([sid], "impl_hi_ensam_position", coder=name)

    threads = [threading.Thread(target=coder, args=(n,)) for n in ("sara", "olle")]
    for th in threads:
        th.start()
    copies = []
    with Project.open(path) as p:
        for i in range(5):
            copies.append(p.backup(tmp_path / f"b{i}.qcode"))
    stop.set()
    for th in threads:
        th.join()
    for info in copies:
        assert not (info.path.parent / (info.path.name + "-wal")).exists()
        conn = sqlite3.connect(info.path)
        # the running totals kept by triggers agree with the codings: one snapshot, not a torn copy
        per_coder = dict(conn.execute("SELECT coder, count(*) FROM codings GROUP BY coder"))
        totals = dict(conn.execute("SELECT coder, sum(segments) FROM code_counts WHERE coder <> '' GROUP BY coder"))
        conn.close()
        assert per_coder == totals
        assert info.codings == sum(per_coder.values())
        with Project.open(info.path) as copy:  # a complete project file that opens
            assert copy.counts()["transcripts"] == 16


def test_a_plain_copy_misses_the_wal_but_a_backup_does_not(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    writer = Project.open(path)
    writer.store.conn.execute("PRAGMA wal_autocheckpoint=0")
    sid = writer.segments("aneby_chef.txt")[0].id
    writer.apply_code_ids([sid], "impl_hi_ensam_position", coder="sara")
    shutil.copyfile(path, tmp_path / "plain.qcode")  # what a file manager would do
    info = writer.backup(tmp_path / "backup.qcode")
    assert count(tmp_path / "plain.qcode") == count(path) - 1
    assert info.codings == count(path)
    writer.close()


def test_destructive_steps_make_an_automatic_backup_first(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        n = p.counts()["codings"]
        p.delete_transcript("aneby_chef.txt")
        p.load_codebook("codebooks/se_ips.yaml", replace=True)
    Project.create(path, overwrite=True).close()
    made = list_backups(path)
    assert [b.name.rsplit("-", 1)[-1] for b in made] == ["overwrite.qcode", "codebook.qcode", "transcript.qcode"]
    assert count(made[-1]) == n  # the one before the deletion holds every coding
    assert count(path) == 0


def test_automatic_backups_are_pruned_but_never_the_newest(tmp_path):
    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        for i in range(KEEP_AUTOMATIC + 3):
            auto_backup(p.store, f"step{i}")
    kept = list_backups(path)
    assert len(kept) == KEEP_AUTOMATIC
    assert kept[0].name.endswith(f"step{KEEP_AUTOMATIC + 2}.qcode")


def test_restore_brings_a_backup_back_and_backs_up_the_current_state_first(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        p.backup(tmp_path / "monday.qcode")
        p.delete_transcript("aneby_chef.txt")
        after_delete = p.counts()["codings"]
    info = restore(tmp_path / "monday.qcode", path)
    with Project.open(path) as p:
        assert "aneby_chef.txt" in [t["name"] for t in p.transcripts()]
        assert p.counts()["codings"] == info.codings
    assert count(list_backups(path)[0]) == after_delete  # the state before the restore is kept


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_no_project(tmp_path):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    (tmp_path / "taken.qcode").write_text("x")
    with Project.open(path) as p, pytest.raises(ProjectProblem, match="exists already"):
        p.backup(tmp_path / "taken.qcode")
    (tmp_path / "junk.qcode").write_bytes(b"not sqlite at all")
    before = count(path)
    with pytest.raises(ProjectProblem, match="not a qcode project"):
        restore(tmp_path / "junk.qcode", path)
    assert count(path) == before


def test_the_app_makes_a_daily_backup_when_a_session_starts(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    monkeypatch.setenv("QCODE_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    for _ in range(2):
        at = AppTest.from_file("../app.py", default_timeout=60)
        at.session_state["qc_coder"] = "anna"
        at.run()
        assert not at.exception
    made = list_backups(path)
    assert len(made) == 1 and made[0].name.endswith("daily.qcode")  # the second session found it fresh
