"""The qcode command line, run as a user runs it (a real subprocess for the entry points)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from coding.cli import cli
from conftest import ROOT, write_interview


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_python_m_coding_help_lists_commands_with_examples():
    out = subprocess.run([sys.executable, "-m", "coding", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0
    for command in ("init", "import", "transcripts", "segments", "codebook", "codings", "done", "demo"):
        assert command in out.stdout
    assert "qcode import study.qcode" in out.stdout


def test_a_whole_session(tmp_path, small_codebook):
    proj = tmp_path / "s.qcode"
    assert run("init", proj, "--codebook", small_codebook).exit_code == 0
    interview = write_interview(tmp_path / "aneby.txt")
    result = run("import", proj, interview, "--attr", "kommun=Aneby", "--attr", "roll=SE-coach")
    assert result.exit_code == 0, result.output
    assert "Imported 1 file(s): 9 segments" in result.output
    listed = json.loads(run("transcripts", proj, "--format", "json").output)
    words = len(interview.read_text(encoding="utf-8").split())
    assert listed == [{"name": "aneby.txt", "format": "txt", "words": words, "segments": 9, "kommun": "Aneby",
                       "roll": "SE-coach", "done_by": ""}]
    assert run("code", proj, "--coder", "anna", "--transcript", "aneby.txt", "--segment", 6,
               "--code", "hi_ensam").exit_code == 0
    segs = run("segments", proj, "aneby.txt", "--coder", "anna", "--format", "csv").output.splitlines()
    assert segs[0] == "segment,start,end,speaker,t_start,t_end,codes,text"
    assert segs[6].startswith("6,") and ",hi_ensam," in segs[6]
    exported = tmp_path / "codings.csv"
    assert run("codings", "export", proj, "-o", exported).exit_code == 0
    assert exported.read_text(encoding="utf-8").splitlines()[1] == "aneby.txt,6,hi_ensam,anna,,,"
    assert run("done", proj, "--coder", "anna", "--all").exit_code == 0
    assert json.loads(run("transcripts", proj, "--format", "json").output)[0]["done_by"] == "anna"
    book = tmp_path / "out.csv"
    assert run("codebook", "export", proj, book).exit_code == 0
    assert (book.read_text(encoding="utf-8").splitlines()[0]
            == "id,parent,label_sv,label_en,definition_sv,definition_en,include_sv,include_en,exclude_sv,"
               "exclude_en,example_sv,example_en,color")
    tree = run("codebook", "show", proj).output.splitlines()
    assert tree[:2] == ["Framgångsfaktorer  [ff]", "  Stöd i SE-nätverk  [ff_natverk]"]


def test_errors_go_to_stderr_without_traceback_and_exit_non_zero(tmp_path):
    proj = tmp_path / "s.qcode"
    subprocess.run([sys.executable, "-m", "coding", "init", str(proj)], check=True, capture_output=True, cwd=ROOT)
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    out = subprocess.run([sys.executable, "-m", "coding", "import", str(proj), str(bad)], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 1
    assert "broken.docx" in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""
    cyc = tmp_path / "cycle.csv"
    cyc.write_text("id,parent,label_sv\na,b,A\nb,a,B\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "coding", "codebook", "import", str(proj), str(cyc)],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 1 and "cycle" in out.stderr and "cycle.csv" in out.stderr
    assert "Traceback" not in out.stderr


def test_done_needs_transcripts_or_all(tmp_path):
    proj = tmp_path / "s.qcode"
    run("init", proj)
    result = CliRunner().invoke(cli, ["done", str(proj), "--coder", "anna"])
    assert result.exit_code == 2
    assert "--transcript" in result.output


def test_coders_and_blind_coding_from_the_command_line(tmp_path):
    proj = tmp_path / "s.qcode"
    run("init", proj)
    out = CliRunner().invoke(cli, ["coders", "add", str(proj), "sara", "--owner", "--password"],
                             input="hemligt\nhemligt\n")
    assert out.exit_code == 0, out.output
    assert run("coders", "add", proj, "erik").exit_code == 0
    assert json.loads(run("coders", "list", proj, "--format", "json").output) == [
        {"name": "erik", "is_owner": False, "has_password": False},
        {"name": "sara", "is_owner": True, "has_password": True}]
    from coding import Project
    from coding.coders import check_password

    with Project.open(proj) as p:
        assert check_password(p.store, "sara", "hemligt")
    assert run("blind", proj).output.strip() == "Blind coding is on"
    assert run("blind", proj, "off").output.strip() == "Blind coding is off"
    again = CliRunner().invoke(cli, ["coders", "add", str(proj), "erik"])
    assert again.exit_code == 1 and "already a coder named 'erik'" in again.output


def test_delete_transcript_asks_first_then_deletes_with_its_codings(tmp_path):
    from coding import Project

    proj = tmp_path / "demo.qcode"
    Project.demo(proj).close()
    refused = CliRunner().invoke(cli, ["delete-transcript", str(proj), "aneby_chef.txt"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    with Project.open(proj) as p:
        assert "aneby_chef.txt" in [t["name"] for t in p.transcripts()]
        before = len(p.codings())
        own = len(p.codings(transcript="aneby_chef.txt"))
    assert own > 0
    done = run("delete-transcript", proj, "aneby_chef.txt", "--coder", "sara", "--yes")
    assert f"{own} codings" in done.output
    with Project.open(proj) as p:
        assert "aneby_chef.txt" not in [t["name"] for t in p.transcripts()]
        assert len(p.codings()) == before - own
        assert p.audit_log(limit=1)[0]["actor"] == "sara"
    unknown = CliRunner().invoke(cli, ["delete-transcript", str(proj), "aneby_chef.txt", "--yes"])
    assert unknown.exit_code == 1 and "no transcript named" in unknown.output


def test_backup_then_restore_brings_back_a_deleted_transcript(tmp_path):
    from coding import Project

    proj, copy = tmp_path / "demo.qcode", tmp_path / "copy.qcode"
    Project.demo(proj).close()
    made = run("backup", proj, copy)
    assert "16 transcripts" in made.output and copy.exists()
    again = CliRunner().invoke(cli, ["backup", str(proj), str(copy)])
    assert again.exit_code == 1 and "exists already" in again.output
    run("delete-transcript", proj, "aneby_chef.txt", "--yes")
    listed = json.loads(run("backups", proj, "--format", "json").output)
    assert listed and all(Path(r["file"]).exists() for r in listed)  # the automatic backup before deleting
    restored = run("restore", proj, copy, "--yes")
    assert "16 transcripts" in restored.output
    with Project.open(proj) as p:
        assert "aneby_chef.txt" in [t["name"] for t in p.transcripts()]
    assert len(json.loads(run("backups", proj, "--format", "json").output)) == len(listed) + 1  # before restore


def test_search_finds_the_words_across_transcripts_with_their_offsets(tmp_path):
    from coding import Project

    proj = tmp_path / "demo.qcode"
    Project.demo(proj).close()
    found = json.loads(run("search", proj, "forankring", "--format", "json").output)
    assert [(h["transcript"], h["segment"]) for h in found] == [
        ("aneby_chef.txt", 69), ("eksjo_se-coach.txt", 50), ("gislaved_chef.txt", 59)]
    for hit in found:
        assert [hit["text"][a:b].lower() for a, b in hit["matches"]] == ["förankring"]
    paged = CliRunner().invoke(cli, ["search", str(proj), "förankring", "--limit", "2", "--offset", "1"])
    assert paged.exit_code == 0 and "2–3 of 3 segment(s) found" in paged.output
    assert "[förankring]" in paged.output and "aneby_chef.txt" not in paged.output
    one = run("search", proj, '"ingen riktig förankring"', "--transcript", "aneby_chef.txt", "--format", "csv")
    assert one.output.splitlines()[1].startswith("aneby_chef.txt,69,Chef,")


def test_every_undoable_action_undoes_from_every_entry_point(tmp_path):
    """apply, remove and memo, made from Python, the CLI or the app's library path, undo alike (CLI `undo`)."""
    from coding import Project

    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    runner = CliRunner()

    def cli_run(*args):
        result = runner.invoke(cli, [args[0], str(path), *args[1:]])
        assert result.exit_code == 0, result.output
        return result.output

    def state():
        with Project.open(path) as p:
            tid = p.transcript_id("aneby_chef.txt")
            return (sorted((c["segment"], c["code"]) for c in p.codings(coder="sara")),
                    p.segment_memos(tid, "sara"))

    start = state()
    makers = {
        "python apply": lambda: Project.open(path).apply_code("aneby_chef.txt", 4, "impl_hi_ensam_position",
                                                              coder="sara"),
        "cli apply": lambda: cli_run("code", "--coder", "sara", "--transcript", "aneby_chef.txt", "--segment", "5",
                                     "--code", "impl_hi_ensam_position"),
        "app apply": lambda: Project.open(path).apply_code_ids(
            [Project.open(path).segments("aneby_chef.txt")[5].id], "impl_hi_ensam_position", coder="sara"),
        "cli memo": lambda: cli_run("memo", "--coder", "sara", "--transcript", "aneby_chef.txt", "--segment", "7",
                                    "En anteckning"),
    }
    for name, make in makers.items():
        make()
        assert state() != start, name
        assert "Undid" in cli_run("undo", "--coder", "sara"), name
        assert state() == start, name
    # removals: code from Python, remove from the CLI, undo from Python brings it back
    with Project.open(path) as p:
        p.apply_code("aneby_chef.txt", 9, "impl_hi_ensam_position", coder="sara")
    coded = state()
    cli_run("uncode", "--coder", "sara", "--transcript", "aneby_chef.txt", "--segment", "9",
            "--code", "impl_hi_ensam_position")
    with Project.open(path) as p:
        assert p.undo("sara").action == "coding.remove"
    assert state() == coded
    assert "Nothing to undo" in cli_run("undo", "--coder", "nobody")


def test_init_force_asks_and_keeps_a_backup_and_export_never_overwrites_silently(tmp_path):
    from coding import Project
    from coding.backup import list_backups

    path = tmp_path / "study.qcode"
    Project.demo(path).close()
    runner = CliRunner()
    refused = runner.invoke(cli, ["init", str(path), "--force"], input="n\n")
    assert refused.exit_code != 0
    with Project.open(path) as p:
        assert p.counts()["codings"] > 0
    done = runner.invoke(cli, ["init", str(path), "--force", "--owner", "anna"], input="y\n")
    assert done.exit_code == 0, done.output
    assert list_backups(path)  # the replaced project is kept
    with Project.open(path) as p:
        assert p.counts()["codings"] == 0 and p.role_of("anna") == "owner"
    out = tmp_path / "codings.csv"
    out.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(cli, ["codings", "export", str(path), "-o", str(out)])
    assert result.exit_code == 1 and "exists already" in result.output and out.read_text() == "mine\n"
    assert runner.invoke(cli, ["codings", "export", str(path), "-o", str(out), "--force"]).exit_code == 0
