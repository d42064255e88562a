"""Copying a project between SQLite and a real (throwaway) PostgreSQL server, and back."""

from __future__ import annotations

import shutil
import sqlite3

import psycopg
import pytest
from click.testing import CliRunner
from pandas.testing import assert_frame_equal

from coding import Project
from coding.cli import cli
from coding.errors import ProjectProblem, QcodeError
from coding.store.copy import DERIVED_TABLES, copy_project
from coding.store.url import parse_location


@pytest.fixture
def rich_demo(demo_file, tmp_path):
    """The demo, plus what it lacks: a memo on a segment, a span, a consensus decision, a password hash,
    a fractional share, a settled setting, awkward text."""
    path = tmp_path / "rich.qcode"
    shutil.copyfile(demo_file, path)
    with Project.open(path) as p:
        p.add_memo("Citat: \"ensam\" – 😀 \\ tab\there", coder="anna", transcript="aneby_chef.txt", segment=3)
        text = p.transcript_text("aneby_chef.txt")
        p.code_span("aneby_chef.txt", 5, min(len(text), 140), "impl_hi_ensam_position", coder="anna")
        p.set_password("erik", "hemligt-lösen")
        p.set_min_overlap(0.3)
        seg = p.segments("aneby_chef.txt")[1].id
        p.decide(seg, ["impl_hi_ensam_position"], decided_by="anna", note="Överens efter samtal")
    return path


def _tables(path) -> dict[str, list[tuple]]:
    """Every row of every table of an SQLite file, derived ones included, in a stable order."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'segments_fts%'")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def _url(database: str, schema: str) -> str:
    return f"{database}?schema={schema}"


def test_demo_to_postgresql_and_back_is_the_same_project(rich_demo, pg_database, tmp_path):
    url = _url(pg_database, "roundtrip")
    there = copy_project(rich_demo, url)
    assert there.rows["codings"] > 600 and there.rows["spans"] == 1 and there.rows["memos"] == 1
    with psycopg.connect(pg_database) as conn:
        tables = {n for (n,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'roundtrip'")}
        # the project's tables, plus what the store lays out itself: running totals (rebuilt) and views
        assert tables == set(there.rows) | set(DERIVED_TABLES) | {"segments_view", "codings_view"}
        assert "segments_fts" not in tables
        kinds = dict(conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                                  "WHERE table_schema = 'roundtrip' AND table_name = 'codings'").fetchall())
        assert kinds["id"] == "bigint" and kinds["share"] == "double precision" and kinds["coder"] == "text"
        assert conn.execute("SELECT count(*) FROM roundtrip.codings").fetchone()[0] == there.rows["codings"]
        with pytest.raises(psycopg.errors.UniqueViolation):  # the UNIQUE constraint came along
            conn.execute("INSERT INTO roundtrip.codings (id, segment_id, transcript_id, code_id, coder, "
                          "created_at, source) SELECT id + 100000, segment_id, transcript_id, code_id, coder, "
                          "created_at, source FROM roundtrip.codings LIMIT 1")

    # the copy is a project on PostgreSQL at once: the same counts, matrices, agreement and search
    _same_project(rich_demo, url)

    back = tmp_path / "back.qcode"
    again = copy_project(url, back)
    assert again.sha256 == there.sha256 and again.rows == there.rows
    assert _tables(back) == _tables(rich_demo)  # every table, running totals included, row for row

    _same_project(rich_demo, back)


def _same_project(original_at, copy_at) -> None:
    """The copy reads as the original: counts, every matrix measure, agreement, search, passwords, settings, memos."""
    with Project.open(original_at) as original, Project.open(copy_at) as copy:
        assert copy.counts() == original.counts()
        for measure in ("count", "presence", "transcripts", "share"):
            assert_frame_equal(copy.matrix(rows="kommun", measure=measure).table,
                               original.matrix(rows="kommun", measure=measure).table)
        assert_frame_equal(copy.agreement(["anna", "erik"]), original.agreement(["anna", "erik"]))
        assert len(copy.search("förankring")) == len(original.search("förankring")) > 0
        assert copy.check_password("erik", "hemligt-lösen")
        assert copy.min_overlap() == pytest.approx(0.3)
        assert copy.memos()[0].text == original.memos()[0].text


def test_two_projects_in_one_database_stay_apart(demo_file, rich_demo, pg_database, tmp_path):
    copy_project(demo_file, _url(pg_database, "study_a"))
    copy_project(rich_demo, _url(pg_database, "study_b"))
    copy_project(_url(pg_database, "study_a"), tmp_path / "a.qcode")
    copy_project(_url(pg_database, "study_b"), tmp_path / "b.qcode")
    assert _tables(tmp_path / "a.qcode") == _tables(demo_file)
    assert _tables(tmp_path / "b.qcode") == _tables(rich_demo)
    assert _tables(tmp_path / "a.qcode")["spans"] == [] and len(_tables(tmp_path / "b.qcode")["spans"]) == 1


def test_a_non_empty_destination_is_refused_and_nothing_changes(demo_file, rich_demo, pg_database, tmp_path):
    url = _url(pg_database, "taken")
    copy_project(demo_file, url)

    def snapshot():
        with psycopg.connect(pg_database) as conn:
            return {t: conn.execute(f'SELECT md5(string_agg(x::text, \'|\' ORDER BY x::text)) FROM taken."{t}" x')
                    .fetchone()[0] for (t,) in conn.execute(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'taken'")}

    before = snapshot()
    with pytest.raises(ProjectProblem, match="not empty"):
        copy_project(rich_demo, url)
    assert snapshot() == before

    existing = tmp_path / "exists.qcode"
    shutil.copyfile(demo_file, existing)
    data = existing.read_bytes()
    with pytest.raises(ProjectProblem, match="exists already"):
        copy_project(url, existing)
    assert existing.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.qcode", "rich.qcode"]  # no half-written file


def test_a_failed_copy_to_postgresql_leaves_no_schema(tmp_path, pg_database):
    bad = tmp_path / "nul.qcode"
    Project.create(bad).close()
    with sqlite3.connect(bad) as conn:  # PostgreSQL text cannot hold NUL: the copy must fail as a whole
        conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'a' || char(0) || 'b')")
    with pytest.raises(QcodeError, match="nothing was written"):
        copy_project(bad, _url(pg_database, "half"))
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'half'").fetchone()[0] == 0


def test_a_password_never_shows(pg_server, demo_file, tmp_path, monkeypatch):
    # the server trusts everyone, so a password is accepted and ignored: only its absence from output is tested
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute("CREATE ROLE anna LOGIN PASSWORD 'S3cret-pw'")
        conn.execute("CREATE DATABASE secretdb OWNER anna")
    host = pg_server.url.split("@", 1)[1].rsplit("/", 1)[0]
    url = f"postgresql://anna:S3cret-pw@{host}/secretdb?schema=study"
    runner = CliRunner()
    ok = runner.invoke(cli, ["copy", str(demo_file), url])
    assert ok.exit_code == 0, ok.output
    assert "S3cret-pw" not in ok.output and "anna:***@" in ok.output
    again = runner.invoke(cli, ["copy", str(demo_file), url])  # not empty now
    assert again.exit_code == 1 and "not empty" in again.output and "S3cret-pw" not in again.output
    assert "Traceback" not in again.output
    wrong_db = f"postgresql://anna:S3cret-pw@{host}/no_such_db?schema=study"
    missing = runner.invoke(cli, ["copy", wrong_db, str(tmp_path / "x.qcode")])
    assert missing.exit_code == 1 and "no_such_db" in missing.output and "S3cret-pw" not in missing.output
    with pytest.raises(QcodeError) as err:
        copy_project(wrong_db, tmp_path / "y.qcode")
    assert "S3cret-pw" not in str(err.value) and "S3cret-pw" not in repr(parse_location(wrong_db))
    # the password reached nothing that was written: the copied audit log holds only the demo's entries
    with psycopg.connect(parse_location(url).conninfo) as conn:
        audit = conn.execute("SELECT string_agg(coalesce(detail, '') || coalesce(target, ''), '') FROM study.audit")
        assert "S3cret-pw" not in audit.fetchone()[0]


def test_sqlite_to_sqlite_from_the_command_line(demo_file, tmp_path):
    result = CliRunner().invoke(cli, ["copy", str(demo_file), f"sqlite:///{tmp_path}/c.qcode"])
    assert result.exit_code == 0, result.output
    assert "verified" in result.output
    assert _tables(tmp_path / "c.qcode") == _tables(demo_file)


def test_a_value_postgresql_cannot_hold_unchanged_is_refused(demo_file, pg_database, tmp_path):
    odd = tmp_path / "odd.qcode"
    shutil.copyfile(demo_file, odd)
    with sqlite3.connect(odd) as conn:  # SQLite keeps bytes in a TEXT column; PostgreSQL text cannot
        conn.execute("INSERT INTO meta (key, value) VALUES ('odd', X'6869')")
    with pytest.raises(ProjectProblem, match=r"table meta, column value: a value of type bytes .*'odd'.*nothing"):
        copy_project(odd, _url(pg_database, "odd"))
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'odd'").fetchone()[0] == 0


def test_bad_locations_are_clear_errors(tmp_path, demo_file):
    runner = CliRunner()
    text = tmp_path / "notes.txt"
    text.write_text("hej", encoding="utf-8")
    for source, dest, expected in (
            (str(text), str(tmp_path / "a.qcode"), "not an SQLite file"),
            (str(tmp_path / "missing.qcode"), str(tmp_path / "b.qcode"), "no such project file"),
            (str(demo_file), str(demo_file), "the same project"),
            (str(demo_file), "postgresql://u:pw@localhost/db?schema=Bad-Name", "schema name"),
            (str(demo_file), "mysql://u@localhost/db", "unknown kind of location"),
            (str(demo_file), str(tmp_path / "no_folder" / "c.qcode"), "folder does not exist")):
        result = runner.invoke(cli, ["copy", source, dest])
        assert result.exit_code == 1, (source, dest, result.output)
        assert expected in result.output and "Traceback" not in result.output
        assert ":pw@" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
