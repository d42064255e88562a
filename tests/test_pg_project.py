"""A project on a real (throwaway) PostgreSQL server, opened wherever a project file is accepted: every CLI
command's PROJECT, the library's side files (backups, recordings, the pseudonymisation key) and the app
(QCODE_PROJECT=URL). A password in the URL never shows in output, errors, the audit log, the app or its
config file.
"""

from __future__ import annotations

import json
import os
import wave

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from app_helpers import APP, list_rows, messages, run
from coding import Project
from coding.backup import auto_backup, list_backups
from coding.cli import cli
from coding.store.url import parse_location
from e2e_helpers import make_project
from pg_helpers import new_database  # the server is conftest's pg_server

SECRET = "S3cret-Pw"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """The per-user folder of side files (backups, uploads of a project on PostgreSQL) in the test's folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("QCODE_USER_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def pg_url(pg_server, data_dir):  # noqa: F811
    """A URL of a new, empty database with a password in it (the test server trusts, so any password works)."""
    return new_database(pg_server).replace("://qcode@", f"://qcode:{SECRET}@") + "?schema=study"


def invoke(*args, input=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], input=input)
    assert SECRET not in result.output, result.output
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def ok(*args, input=None) -> str:
    result = invoke(*args, input=input)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_on_a_postgresql_url_never_shows_the_password(pg_url, tmp_path, data_dir):
    shown = parse_location(pg_url).redacted()
    assert "***" in shown and SECRET not in shown
    out = ok("init", pg_url, "--codebook", "codebooks/se_ips.yaml", "--owner", "anna")
    assert out.startswith(f"Created {shown} with 146 codes")
    # a second init is refused; --force asks first, and a no keeps the project
    again = invoke("init", pg_url)
    assert again.exit_code == 1 and "holds a project" in again.output and shown in again.output
    asked = invoke("init", pg_url, "--force", input="n\n")
    assert asked.exit_code == 1 and f"{shown} exists; replace it" in asked.output
    ok("import", pg_url, "transcripts/aneby_chef.txt", "transcripts/eksjo_chef.docx", "--attr", "roll=Chef",
       "--coder", "anna")
    assert "aneby_chef.txt" in ok("transcripts", pg_url)
    ok("code", pg_url, "--coder", "anna", "--transcript", "aneby_chef.txt", "--segment", "3",
       "--code", "impl_hi_ensam_position", "--memo", "ensam i rollen")
    listed = ok("codings", "list", pg_url, "--format", "json")
    assert [(r["transcript"], r["segment"], r["code"]) for r in json.loads(listed)] == [
        ("aneby_chef.txt", 3, "impl_hi_ensam_position")]
    matrix = ok("matrix", pg_url, "--rows", "roll", "--format", "csv")
    header, chef = matrix.splitlines()[:2]
    assert chef.split(",")[header.split(",").index("impl_hi_ensam_position")] == "1"
    ok("codings", "export", pg_url, "-o", tmp_path / "codings.csv")
    assert "impl_hi_ensam_position" in (tmp_path / "codings.csv").read_text(encoding="utf-8")
    ok("qdpx", "export", pg_url, tmp_path / "study.qdpx")
    audit = ok("audit", pg_url, "--format", "json")
    assert {r["action"] for r in json.loads(audit)} >= {"codebook.import", "transcripts.import", "coding.apply"}
    # backups: by hand to a file; the automatic ones in the per-user folder
    assert f"Backed up {shown} to" in ok("backup", pg_url, tmp_path / "hand.qcode")
    with Project.open(tmp_path / "hand.qcode") as copy:
        assert copy.counts()["codings"] == 1
    ok("init", pg_url, "--force", "--yes")
    backups = json.loads(ok("backups", pg_url, "--format", "json"))
    assert len(backups) == 1 and backups[0]["file"].startswith(str(data_dir / "backups"))
    assert "overwrite" in backups[0]["file"] and SECRET not in backups[0]["file"]
    with Project.open(backups[0]["file"]) as before:
        assert before.counts()["codings"] == 1
    with Project.open(pg_url) as emptied:
        assert emptied.counts()["transcripts"] == 0
    # restore in place is not for PostgreSQL: the message says what to do instead
    refused = invoke("restore", pg_url, backups[0]["file"], "--yes")
    assert refused.exit_code == 1 and "qcode copy" in refused.output and "schema=NEW" in refused.output
    # errors name the location without the password
    missing = invoke("info", pg_url.replace("schema=study", "schema=nothere"))
    assert missing.exit_code == 1 and "no qcode project in the schema nothere" in missing.output
    bad = invoke("info", pg_url.replace("schema=study", "schema=Study"))
    assert bad.exit_code == 2 and "schema name must be" in bad.output and "qcode:***@" in bad.output
    port = parse_location(pg_url).conninfo.rsplit(":", 1)[1].split("/")[0]
    down = invoke("info", pg_url.replace(f":{port}/", ":1/"))
    assert down.exit_code == 1 and "cannot connect" in down.output


def test_a_file_argument_keeps_todays_checks_and_sqlite_urls_work(tmp_path):
    missing = invoke("info", tmp_path / "none.qcode")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    path = tmp_path / "study.qcode"
    ok("init", f"sqlite:///{path}", "--owner", "anna")
    assert "coders" in ok("info", f"sqlite:///{path}") and path.exists()
    assert invoke("info", f"sqlite:///{tmp_path}/none.qcode").exit_code == 2
    unknown = invoke("info", f"mysql://anna:{SECRET}@host/db")
    assert unknown.exit_code == 2 and "unknown kind of location" in unknown.output


def test_the_audit_log_and_side_files_of_a_postgresql_project(pg_url, tmp_path, data_dir):
    with Project.create(pg_url) as project:
        project.add_coder("anna", owner=True)
        recording = tmp_path / "aneby_chef.wav"
        with wave.open(str(recording), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes(bytes(1600))
        sources = tmp_path / "sources"
        sources.mkdir()
        (sources / "aneby_chef.txt").write_text("Intervjuare: Hur är det?\nChef: Ensamt.\n", encoding="utf-8")
        project.import_files([sources / "aneby_chef.txt"], actor="anna")
        # a recording is kept by its absolute path (a project on PostgreSQL has no folder)
        info = project.attach_media("aneby_chef.txt", recording, actor="anna")
        assert info.stored_path == str(recording.resolve()) and info.status == "ok"
        from coding.media import attach_upload, media_folder

        uploaded = attach_upload(project.store, "aneby_chef.txt", "chef.wav", recording.read_bytes(), replace=True,
                                 actor="anna")
        assert uploaded.path.parent == media_folder(project) and str(data_dir / "media") in str(uploaded.path)
        assert project.name == "study" and project.path is None and SECRET not in project.where
        made = auto_backup(project.store, "test")
        assert list_backups(project) == [made.path] and made.transcripts == 1
        assert project.backup_if_due() is None  # the one just made is less than a day old
        rows = project.audit_log(limit=None)
    assert rows and SECRET not in json.dumps(rows, ensure_ascii=False)


def test_pseudonymise_a_postgresql_project(pg_url, tmp_path, data_dir):
    from coding import pseudonymise

    with Project.create(pg_url) as project:
        project.add_coder("anna", owner=True)
        sources = tmp_path / "sources"
        sources.mkdir()
        (sources / "aneby_chef.txt").write_text("Intervjuare: Hur mår Lena Berg?\nChef: Lena Berg mår bra.\n",
                                                encoding="utf-8")
        project.import_files([sources / "aneby_chef.txt"], actor="anna")
        key = tmp_path / "keys" / "nyckel.json"
        key.parent.mkdir()
        plan = pseudonymise.propose(project, names=["Lena Berg"], key_file=key)
        applied = pseudonymise.apply(project, plan, key_file=key, actor="anna")
        assert "Lena Berg" not in project.transcript_text("aneby_chef.txt")
        assert any("PostgreSQL" in w for w in applied.warnings)
    stored = json.loads(key.read_text(encoding="utf-8"))
    assert SECRET not in json.dumps(stored) and stored["runs"][0]["project"].endswith("schema=study")


def test_the_app_opens_a_postgresql_project_from_qcode_project(pg_url, tmp_path, app_env, monkeypatch):
    make_project(pg_url, sources=tmp_path / "sources")
    monkeypatch.setenv("QCODE_PROJECT", pg_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="qc_who_pick").options == ["anna", "bertil"]
    at.selectbox(key="qc_who_pick").select("anna")
    at.form_submit_button[0].click()
    at = run(at)
    assert list_rows(at)[0]["pos"] == 1  # the coding page, on the server's project
    assert any("study" in m for m in messages(at.sidebar.caption))
    at.switch_page("app_pages/project.py")
    at = run(at)
    shown = parse_location(pg_url).redacted()
    assert any(shown in m for m in messages(at.caption)), messages(at.caption)
    everything = json.dumps([m for kind in (at.caption, at.markdown, at.error, at.info, at.sidebar.caption)
                             for m in messages(kind)], ensure_ascii=False)
    assert SECRET not in everything
    # the coder is remembered by the URL without its password; the URL with its password is never written
    config = (app_env / "app.json").read_text(encoding="utf-8")
    assert SECRET not in config
    assert json.loads(config)["coders"] == {shown: "anna"}
    # a new session starts as anna without asking
    at2 = AppTest.from_file(APP, default_timeout=60).run()
    assert not at2.exception and list_rows(at2)[0]["pos"] == 1


def test_the_app_says_why_a_postgresql_project_does_not_open(pg_url, app_env, monkeypatch):
    monkeypatch.setenv("QCODE_PROJECT", pg_url.replace("schema=study", "schema=nothere"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = messages(at.error)
    assert any("no qcode project in the schema nothere" in m for m in errors), errors
    assert SECRET not in json.dumps(errors)
    monkeypatch.setenv("QCODE_PROJECT", pg_url.replace("schema=study", "schema=Bad"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("schema name must be" in m for m in messages(at.error)) and SECRET not in json.dumps(messages(at.error))
    assert not os.path.exists(app_env / "app.json") or SECRET not in (app_env / "app.json").read_text()


def test_an_unexpected_error_naming_the_url_hides_its_password():
    """Whatever an error says, the command line's URL appears in it without its password."""
    import click

    from coding.cli.base import QcodeGroup

    @click.group(cls=QcodeGroup)
    def group():
        pass

    @group.command()
    @click.argument("where")
    def boom(where):
        raise RuntimeError(f"could not reach {where}")

    @group.command()
    @click.argument("where")
    def broken(where):
        import sqlite3

        raise sqlite3.OperationalError(f"server closed the connection ({where})")

    url = f"postgresql://anna:{SECRET}@db.example.org/qual?schema=study"
    for name in ("boom", "broken"):
        result = CliRunner().invoke(group, [name, url])
        assert result.exit_code == 1 and "anna:***@db.example.org" in result.output, result.output
        assert SECRET not in result.output


def test_every_page_of_the_app_draws_on_a_postgresql_project(pg_url, tmp_path, app_env, monkeypatch):
    from app_helpers import open_app

    make_project(pg_url, sources=tmp_path / "sources")
    with Project.open(pg_url) as project:
        project.apply_code("aneby_se-coach.txt", 1, "ff_forankring", coder="anna")
        project.apply_code("aneby_se-coach.txt", 1, "ff_forankring", coder="bertil")
    monkeypatch.setenv("QCODE_PROJECT", pg_url)
    for page in ("coding", "project", "codebook", "search", "memos", "matrix", "agreement", "quotes"):
        at = open_app(page=f"app_pages/{page}.py")  # asserts that the page drew without an exception
        drawn = json.dumps([m for kind in (at.caption, at.markdown, at.error, at.warning, at.info, at.title)
                            for m in messages(kind)], ensure_ascii=False)
        assert SECRET not in drawn and not at.error, (page, messages(at.error))


def test_the_project_page_creates_and_opens_a_project_on_postgresql(pg_url, tmp_path, app_env, monkeypatch):
    monkeypatch.setenv("QCODE_PROJECT", str(tmp_path / "missing.qcode"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="qc_new_path").input(pg_url)
    at.text_input(key="qc_new_owner").input("doris")
    at.button(key="qc_new_btn").click()
    at = run(at)
    with Project.open(pg_url) as p:
        assert [c["name"] for c in p.coders()] == ["doris"]
    assert any("doris" in m for m in messages(at.sidebar.caption))
    assert any("study" in m for m in messages(at.sidebar.caption))
    assert SECRET not in (app_env / "app.json").read_text(encoding="utf-8")  # a URL with a password: not kept
    # open another schema by URL from the Project page; a wrong one is refused with a clear message
    other = pg_url.replace("schema=study", "schema=other")
    Project.create(other).close()
    at.switch_page("app_pages/project.py")
    at = run(at)
    at.text_input(key="qc_open_path").input(other.replace("schema=other", "schema=nothere"))
    at.button(key="qc_open_btn").click()
    at = run(at)
    assert any("no qcode project in the schema nothere" in m for m in messages(at.error))
    assert SECRET not in json.dumps(messages(at.error))
    at.text_input(key="qc_open_path").input(other)
    at.button(key="qc_open_btn").click()
    at = run(at)
    assert any("other" in m for m in messages(at.sidebar.caption)), messages(at.sidebar.caption)


def test_a_failed_qdpx_import_into_a_new_schema_leaves_no_schema(pg_url, tmp_path):
    import psycopg

    from coding.store.url import parse_location

    bad = tmp_path / "broken.qdpx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    url = pg_url.replace("schema=study", "schema=from_qdpx")
    result = invoke("qdpx", "import", url, bad)
    assert result.exit_code != 0 and "broken.qdpx" in result.output
    location = parse_location(url)
    with psycopg.connect(location.conninfo) as conn:
        assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'from_qdpx'").fetchone() is None
    # a schema made beforehand (say, by the database administrator, with its grants) stays
    with psycopg.connect(location.conninfo, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA from_qdpx")
    assert invoke("qdpx", "import", url, bad).exit_code != 0
    with psycopg.connect(location.conninfo) as conn:
        assert conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'from_qdpx'").fetchone() is not None
