"""Recordings attached to transcripts: real WAV files made here, attached, listed, moved, re-pointed,
replaced and detached from Python and the command line; bad files are refused with the file named."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from coding import Project, QcodeError
from coding.cli import cli
from coding.media import media_folder
from coding.roles import NotAllowed
from coding.store import Store
from coding.store import schema as store_schema
from conftest import write_interview, write_wav


@pytest.fixture
def study(tmp_path) -> Project:
    """A project file: recordings are kept relative to it (on PostgreSQL, by absolute path: test_pg_project)."""
    project = Project.create(tmp_path / "study.qcode")
    vtt = tmp_path / "gnosjo_chef.vtt"
    vtt.write_text("WEBVTT\n\n00:00:04.300 --> 00:00:06.600\n<v Intervjuare>Hej, hör du mig?</v>\n\n"
                   "00:01:07.900 --> 00:01:13.800\n<v Chef>Ja, nu hör jag dig.</v>\n", encoding="utf-8")
    project.import_files([vtt, write_interview(tmp_path / "aneby.txt")])
    yield project
    project.close()


def state(p: Project) -> tuple:
    """What a refused attach must leave as it was."""
    return p.store.media_list(), p.store.counts()["audit"]


def test_a_recording_is_attached_with_its_size_hash_and_type_relative_to_the_project(study, tmp_path):
    wav = write_wav(tmp_path / "gnosjo_chef.wav", seconds=2)
    info = study.attach_media("gnosjo_chef.vtt", wav, actor="sara")
    assert (info.outcome, info.status, info.mime, info.kind) == ("attached", "ok", "audio/wav", "audio")
    assert info.size == wav.stat().st_size == 44 + 2 * 8000 * 2
    assert info.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
    assert info.stored_path == "gnosjo_chef.wav" and info.path == wav.resolve()  # beside the project: relative
    assert [m.transcript for m in study.media_files()] == ["gnosjo_chef.vtt"]
    assert study.media("aneby.txt") is None
    entry = study.audit_log(actions=["media.attach"])[0]
    assert (entry["actor"], entry["target"], entry["detail"]["outcome"]) == ("sara", "gnosjo_chef.vtt", "attached")
    # the bytes are not in the project
    assert study.path.stat().st_size < 200_000 and wav.read_bytes()[:200] not in study.path.read_bytes()


def test_a_recording_elsewhere_is_kept_by_its_absolute_path(study, tmp_path_factory):
    elsewhere = write_wav(tmp_path_factory.mktemp("ljud") / "chef.wav")
    info = study.attach_media("gnosjo_chef.vtt", elsewhere)
    assert info.stored_path == str(elsewhere.resolve())


def test_a_moved_recording_is_reported_and_re_pointed_by_attaching_it_again(study, tmp_path):
    wav = write_wav(tmp_path / "chef.wav")
    study.attach_media("gnosjo_chef.vtt", wav)
    moved = tmp_path / "arkiv"
    moved.mkdir()
    wav.rename(moved / "chef.wav")
    info = study.media("gnosjo_chef.vtt")
    assert info.status == "missing" and not info.ok
    assert str(wav.resolve()) in info.problem() and "attach it again" in info.problem()
    again = study.attach_media("gnosjo_chef.vtt", moved / "chef.wav")  # the same recording: no --replace needed
    assert (again.outcome, again.status, again.stored_path) == ("repointed", "ok", "arkiv/chef.wav")
    # a file of another size in its place: changed
    write_wav(moved / "chef.wav", seconds=3)
    assert study.media("gnosjo_chef.vtt").status == "changed"
    assert "has changed" in study.media("gnosjo_chef.vtt").problem()


def test_another_recording_replaces_only_when_asked(study, tmp_path):
    study.attach_media("gnosjo_chef.vtt", write_wav(tmp_path / "a.wav"))
    before = state(study)
    with pytest.raises(QcodeError, match="has a recording already .*--replace"):
        study.attach_media("gnosjo_chef.vtt", write_wav(tmp_path / "b.wav", seconds=2))
    assert state(study) == before
    assert study.attach_media("gnosjo_chef.vtt", tmp_path / "b.wav", replace=True).outcome == "replaced"
    assert study.media("gnosjo_chef.vtt").stored_path == "b.wav"


@pytest.mark.parametrize("name, content, problem", [
    ("saknas.wav", None, "saknas.wav: no such file"),
    ("intervju.txt", b"Intervjuare: Hej", "unsupported media type '.txt'"),
    ("intervju.flac", b"fLaC\x00\x00", "unsupported media type '.flac'"),
    ("inte_ljud.mp3", b"Intervjuare: Hej, hur var det?", "inte_ljud.mp3: does not look like a .mp3 recording"),
    ("tom.m4a", b"", "tom.m4a: the file is empty"),
    ("fel.wav", b"RIFF\x00\x00\x00\x00AVI LIST", "does not look like a .wav recording"),
])
def test_a_bad_file_is_refused_naming_it_and_nothing_changes(study, tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = state(study)
    with pytest.raises(QcodeError, match=problem):
        study.attach_media("gnosjo_chef.vtt", path)
    assert state(study) == before


def test_an_unknown_transcript_or_a_folder_is_refused(study, tmp_path):
    before = state(study)
    with pytest.raises(QcodeError, match="no transcript named 'okand.vtt'"):
        study.attach_media("okand.vtt", write_wav(tmp_path / "a.wav"))
    folder = tmp_path / "mapp.wav"
    folder.mkdir()
    with pytest.raises(QcodeError, match="is not a file"):
        study.attach_media("gnosjo_chef.vtt", folder)
    assert state(study) == before


@pytest.mark.parametrize("name, head", [("a.mp3", b"ID3\x04\x00"), ("b.mp3", b"\xff\xfb\x90\x64"),
                                        ("c.ogg", b"OggS\x00\x02"), ("d.webm", b"\x1a\x45\xdf\xa3\x9f"),
                                        ("e.mp4", b"\x00\x00\x00\x20ftypisom"), ("f.m4a", b"\x00\x00\x00\x1cftypM4A ")])
def test_every_supported_type_is_recognised_by_its_first_bytes(study, tmp_path, name, head):
    path = tmp_path / name
    path.write_bytes(head + bytes(64))
    info = study.attach_media("gnosjo_chef.vtt", path, replace=True)
    assert info.mime.split("/")[0] in ("audio", "video") and info.status == "ok"


def test_an_upload_is_kept_beside_the_project_under_a_safe_name(study, tmp_path):
    data = write_wav(tmp_path / "x.wav").read_bytes()
    info = study.attach_media_upload("gnosjo_chef.vtt", "../../Intervju: Gnosjö?.wav", data)
    folder = media_folder(study.path)
    assert folder.name == "study.qcode.media" and info.path.parent == folder.resolve()
    assert info.stored_path == "study.qcode.media/Intervju_ Gnosjö_.wav" and info.path.read_bytes() == data
    other = write_wav(tmp_path / "y.wav", seconds=2).read_bytes()
    second = study.attach_media_upload("aneby.txt", "Intervju: Gnosjö?.wav", other)  # same name, other bytes
    assert second.path.name == "Intervju_ Gnosjö_-2.wav" and info.path.read_bytes() == data
    same = study.attach_media_upload("gnosjo_chef.vtt", "Intervju: Gnosjö?.wav", data)  # the same upload again
    assert same.outcome == "repointed" and len(list(folder.iterdir())) == 2


def test_a_bad_upload_writes_no_file(study):
    with pytest.raises(QcodeError, match="does not look like a .mp3"):
        study.attach_media_upload("gnosjo_chef.vtt", "intervju.mp3", b"<html>not audio</html>")
    with pytest.raises(QcodeError, match="unsupported media type"):
        study.attach_media_upload("gnosjo_chef.vtt", "intervju.exe", b"MZ\x90\x00")
    assert not media_folder(study.path).exists() and study.media_files() == []


def test_only_owners_attach_and_detach(study, tmp_path):
    study.add_coder("sara", owner=True)
    study.add_coder("anna")
    wav = write_wav(tmp_path / "a.wav")
    with pytest.raises(NotAllowed):
        study.attach_media("gnosjo_chef.vtt", wav, actor="anna")
    study.attach_media("gnosjo_chef.vtt", wav, actor="sara")
    with pytest.raises(NotAllowed):
        study.remove_media("gnosjo_chef.vtt", actor="anna")
    assert study.remove_media("gnosjo_chef.vtt", actor="sara") is True
    assert study.remove_media("gnosjo_chef.vtt", actor="sara") is False
    assert wav.exists()  # detaching never deletes the file


def test_deleting_the_transcript_detaches_its_recording(study, tmp_path):
    study.attach_media("gnosjo_chef.vtt", write_wav(tmp_path / "a.wav"))
    study.delete_transcript("gnosjo_chef.vtt")
    assert study.media_files() == []


def test_a_version_5_project_gains_the_media_table_and_keeps_its_memos(tmp_path, monkeypatch):
    path = tmp_path / "v5.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", 5)  # the version before memos as objects and media
        with Project.create(path) as p:
            p.import_files([write_interview(tmp_path / "aneby.txt")])
            sid = p.store.segment_id(p.transcript_id("aneby.txt"), 2)
            p.set_segment_memo(sid, "anna", "Gammalt memo")
            assert "media" not in {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    with Project.open(path) as p:
        assert p.schema_version() == store_schema.SCHEMA_VERSION
        assert [(m.kind, m.text) for m in p.memos()] == [("segment", "Gammalt memo")]
        p.attach_media("aneby.txt", write_wav(tmp_path / "a.wav"))
        assert p.audit_log(actions=["schema.migrate"])[0]["detail"] == {"to": store_schema.SCHEMA_VERSION}
    Store.create(tmp_path / "new.qcode").close()
    schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    assert sqlite3.connect(path).execute(schema).fetchall() == \
        sqlite3.connect(tmp_path / "new.qcode").execute(schema).fetchall()


# ------------------------------------------------------------ command line

def qcode(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_media_commands_attach_list_re_point_and_remove(study, tmp_path):
    path = study.path
    study.close()
    wav = write_wav(tmp_path / "gnosjo_chef.wav")
    out = qcode("media", "add", path, "gnosjo_chef.vtt", wav)
    assert out.exit_code == 0 and out.output == "Attached gnosjo_chef.wav to gnosjo_chef.vtt (audio/wav, 15.7 kB)\n"
    listed = qcode("media", "list", path, "--format", "csv")
    assert listed.output.splitlines()[1].startswith("gnosjo_chef.vtt,ok,audio/wav,16044,")
    (tmp_path / "flyttad").mkdir()
    wav.rename(tmp_path / "flyttad" / "g.wav")
    listed = qcode("media", "list", path)
    assert "missing" in listed.output and "Note: the recording of gnosjo_chef.vtt is missing" in listed.output
    out = qcode("media", "add", path, "gnosjo_chef.vtt", tmp_path / "flyttad" / "g.wav")
    assert out.output.startswith("Re-pointed the recording of gnosjo_chef.vtt to flyttad/g.wav")
    out = qcode("media", "remove", path, "gnosjo_chef.vtt")
    assert out.exit_code == 0 and "Detached the recording of gnosjo_chef.vtt" in out.output
    assert "nothing changed" in qcode("media", "remove", path, "gnosjo_chef.vtt").output


@pytest.mark.parametrize("args, problem", [
    (["media", "add", "{p}", "gnosjo_chef.vtt", "{tmp}/saknas.mp3"], "saknas.mp3: no such file"),
    (["media", "add", "{p}", "okand.vtt", "{tmp}/a.wav"], "no transcript named 'okand.vtt'"),
    (["media", "add", "{p}", "gnosjo_chef.vtt", "{tmp}/aneby.txt"], "unsupported media type '.txt'"),
    (["media", "remove", "{p}", "okand.vtt"], "no transcript named 'okand.vtt'"),
])
def test_bad_media_commands_exit_1_naming_the_problem(study, tmp_path, args, problem):
    write_wav(tmp_path / "a.wav")
    before = state(study)
    path = study.path
    study.close()
    out = qcode(*[a.format(p=path, tmp=tmp_path) for a in args])
    assert out.exit_code == 1 and problem in out.output and "Traceback" not in out.output
    with Project.open(path) as p:
        assert state(p) == before
