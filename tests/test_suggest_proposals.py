"""Stored suggestion models and their proposals: train, run, list, accept, reject, undo, blind coding, roles.

Real project files (the demo), real scikit-learn models stored in them and read back; no mocks.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from coding import Project
from coding.cli import cli
from coding.errors import QcodeError
from coding.roles import NotAllowed
from coding.suggest import train as train_mod
from conftest import write_interview


@pytest.fixture(scope="module")
def trained_file(demo_file, tmp_path_factory):
    """The demo with three stored models: 1 from anna, 2 from everyone pooled, 3 from the codebook."""
    path = tmp_path_factory.mktemp("trained") / "trained.qcode"
    shutil.copyfile(demo_file, path)
    with Project.open(path) as p:
        p.suggest_train("anna")
        p.suggest_train("all")
        p.suggest_train("codebook")
    return path


@pytest.fixture
def trained(trained_file, tmp_path):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(trained_file, path)
    with Project.open(path) as p:
        yield p


def _rows(path, sql, args=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_a_trained_model_is_kept_with_where_it_came_from(trained):
    codebook, pooled, anna = trained.suggest_models()
    assert (anna.kind, anna.trained_from, anna.coders) == ("model", "anna", ("anna",))
    assert (pooled.trained_from, pooled.coders) == ("all", ("anna", "erik"))
    assert (codebook.kind, codebook.trained_from, codebook.coders, codebook.n_segments) == (
        "codebook", "codebook", (), 0)
    segments = sum(len(trained.segments(t["name"])) for t in trained.transcripts())
    assert anna.n_segments == pooled.n_segments == segments  # every demo transcript is done by both
    assert anna.params["min_examples"] == 5 and anna.qcode_version and anna.created_at
    stored = _rows(trained.path, "SELECT id, length(blob), size FROM models ORDER BY id")
    assert [(i, n) for i, n, _ in stored] == [(i, s) for i, _, s in stored] and all(n > 0 for _, n, _ in stored)
    # the stored estimator is the real one: it proposes the same codes as a fresh fit on the same data
    model = train_mod.load_model(trained.store, anna.id)
    assert len(model.codes_) == anna.n_codes
    actions = [e["action"] for e in trained.store.audit_log(limit=3)]
    assert actions == ["suggest.train"] * 3


def test_nothing_finished_yet_gives_the_codebook_model(project, small_codebook, tmp_path):
    project.load_codebook(small_codebook)
    project.import_files([write_interview(tmp_path / "aneby_coach.txt")])
    project.add_coder("anna")
    info = project.suggest_train("anna")
    assert (info.kind, info.trained_from, info.params["learned_from_wanted"]) == ("codebook", "codebook", "anna")
    summary = project.suggest_run("anna")  # anna has finished nothing: every transcript
    assert summary["kind"] == "codebook" and summary["proposed"] > 0
    assert project.counts()["codings"] == 0
    with pytest.raises(QcodeError, match="no coder named 'nobody'"):
        project.suggest_train("nobody")


def test_run_writes_proposals_never_codings(trained):
    before = trained.store.codings()
    mine = {(c["segment"], c["code"]) for c in before if c["coder"] == "anna" and c["transcript"] == "aneby_chef.txt"}
    summary = trained.suggest_run("anna", ["aneby_chef.txt"], min_score=0.3, model_id=1)
    assert summary["proposed"] > 0 and trained.store.codings() == before
    rows = trained.suggest_list("anna", "aneby_chef.txt")
    assert len(rows) == summary["proposed"] and {r["model"] for r in rows} == {1}
    assert all(r["score"] >= 0.3 for r in rows)
    assert not {(r["segment"], r["code"]) for r in rows} & mine  # never a code anna applied there already
    # the same run again adds nothing
    assert trained.suggest_run("anna", ["aneby_chef.txt"], min_score=0.3, model_id=1)["proposed"] == 0


def test_accept_makes_a_coding_with_provenance_and_one_undo_takes_it_back(trained):
    trained.suggest_run("anna", ["aneby_chef.txt"], min_score=0.2, model_id=1)
    rows = trained.suggest_list("anna", "aneby_chef.txt")
    first_page = sorted({r["segment"] for r in rows})[:30]
    chosen = [r for r in rows if r["segment"] in first_page and r["score"] >= 0.4]
    assert chosen and len(chosen) < len(rows)
    result = trained.suggest_accept("anna", transcript="aneby_chef.txt", segments=first_page, min_score=0.4)
    assert sorted(result.changed) == sorted(r["id"] for r in chosen)
    coded = {(c["segment"], c["code"]) for c in trained.store.codings(coder="anna")
             if c["transcript"] == "aneby_chef.txt"}
    assert {(r["segment"], r["code"]) for r in chosen} <= coded
    sources = trained.store.coding_sources(coder="anna")
    assert sources == {(r["segment_id"], r["code"], "anna"): "suggestion:1" for r in chosen}
    assert {r["id"] for r in trained.suggest_list("anna", state="accepted")} == {r["id"] for r in chosen}
    entry = trained.store.audit_log(limit=1)[0]
    assert entry["action"] == "suggestion.accept" and entry["actor"] == "anna"
    assert sorted(entry["detail"]["proposal_ids"]) == sorted(r["id"] for r in chosen)

    undone = trained.undo("anna")
    assert undone.action == "suggestion.accept" and undone.transcript == "aneby_chef.txt"
    assert trained.store.coding_sources(coder="anna") == {}
    assert {r["id"] for r in trained.suggest_list("anna", "aneby_chef.txt")} == {r["id"] for r in rows}
    assert trained.redo("anna").action == "suggestion.accept"
    assert len(trained.store.coding_sources(coder="anna")) == len(chosen)


def test_a_rejection_is_remembered_and_not_proposed_again_by_that_model(trained):
    trained.suggest_run("anna", ["aneby_chef.txt"], model_id=1)
    first = trained.suggest_list("anna", "aneby_chef.txt")[0]
    trained.suggest_reject("anna", [first["id"]])
    assert first["id"] not in {r["id"] for r in trained.suggest_list("anna", "aneby_chef.txt")}
    assert trained.suggest_run("anna", ["aneby_chef.txt"], model_id=1)["proposed"] == 0
    rejected = trained.suggest_list("anna", "aneby_chef.txt", state="rejected")
    assert [(r["id"], r["state"]) for r in rejected] == [(first["id"], "rejected")] and rejected[0]["decided_at"]
    with pytest.raises(QcodeError, match="was rejected already"):
        trained.suggest_accept("anna", [first["id"]])
    assert trained.undo("anna").action == "suggestion.reject"
    assert first["id"] in {r["id"] for r in trained.suggest_list("anna", "aneby_chef.txt")}


def test_a_new_model_replaces_open_proposals_and_keeps_decided_ones(trained):
    trained.suggest_run("anna", ["aneby_chef.txt"], model_id=1)
    old = trained.suggest_list("anna", "aneby_chef.txt")
    trained.suggest_accept("anna", [old[0]["id"]])
    summary = trained.suggest_run("anna", ["aneby_chef.txt"], model_id=3, min_score=0.1)
    assert summary["replaced"] == len(old) - 1
    assert {r["model"] for r in trained.suggest_list("anna", "aneby_chef.txt")} == {3}
    assert [r["id"] for r in trained.suggest_list("anna", "aneby_chef.txt", state="accepted")] == [old[0]["id"]]


def test_blind_coding_proposes_only_from_the_codebook_or_the_coders_own_codings(trained):
    assert trained.blind_coding()
    # erik is blind to anna's codings: the newest model he may use is the codebook one (3), never 1 or 2
    assert trained.suggest_run("erik", ["aneby_chef.txt"])["model"] == 3
    for model_id in (1, 2):
        with pytest.raises(QcodeError, match="coding is blind"):
            trained.suggest_run("erik", ["aneby_chef.txt"], model_id=model_id)
    # proposals written while blind coding was off are hidden, and refused, once it is on again
    trained.set_blind_coding(False)
    trained.suggest_run("erik", ["eksjo_se-coach.txt"], model_id=2)
    pooled = trained.suggest_list("erik", "eksjo_se-coach.txt")
    assert pooled and {r["model"] for r in pooled} == {2}
    trained.set_blind_coding(True)
    assert trained.suggest_list("erik", "eksjo_se-coach.txt") == []
    with pytest.raises(QcodeError, match="coding is blind"):
        trained.suggest_accept("erik", [pooled[0]["id"]])
    assert trained.store.coding_sources() == {}
    # anna's own model stays hers to use
    assert trained.suggest_run("anna", ["aneby_chef.txt"], model_id=1)["model"] == 1


def test_only_the_coder_a_proposal_is_for_decides_it_and_viewers_decide_nothing(trained):
    trained.add_coder("owner", owner=True)
    trained.set_role("erik", "viewer", actor="owner")
    trained.suggest_run("anna", ["aneby_chef.txt"], model_id=1)
    first = trained.suggest_list("anna", "aneby_chef.txt")[0]
    before = _rows(trained.path, "SELECT id, state FROM proposals ORDER BY id")
    with pytest.raises(NotAllowed, match="is for anna"):  # not even an owner decides for anna
        trained.suggest_accept("owner", [first["id"]])
    with pytest.raises(NotAllowed, match="viewer"):
        trained.suggest_run("erik", ["aneby_chef.txt"], model_id=3)
    assert _rows(trained.path, "SELECT id, state FROM proposals ORDER BY id") == before


def test_uncertain_first_and_a_deleted_transcript_takes_its_proposals(trained):
    trained.suggest_run("anna", ["aneby_chef.txt"], min_score=0.1, model_id=1)
    rows = trained.suggest_list("anna", "aneby_chef.txt", order="uncertain")
    assert [r["uncertainty"] for r in rows] == sorted((r["uncertainty"] for r in rows), reverse=True)
    assert rows[0]["uncertainty"] > rows[-1]["uncertainty"]
    trained.delete_transcript("aneby_chef.txt")
    assert _rows(trained.path, "SELECT count(*) FROM proposals") == [(0,)]


def test_a_model_above_the_size_cap_is_refused_and_nothing_is_stored(trained, monkeypatch):
    from coding.store import suggestions

    monkeypatch.setattr(suggestions, "MAX_MODEL_BYTES", 1000)
    before = trained.suggest_models()
    with pytest.raises(QcodeError, match="more than the 0 MB a project keeps"):
        trained.suggest_train("codebook")
    assert trained.suggest_models() == before


@pytest.mark.parametrize("args, message", [
    (["run", "--coder", "anna", "--model", "99"], "no suggestion model with id 99"),
    (["run", "--coder", "erik", "--model", "1"], "coding is blind"),
    (["accept", "--coder", "anna", "4242"], "no proposal with id 4242"),
    (["reject", "--coder", "anna"], "name the proposals"),
    (["train", "--from", "nobody"], "no coder named 'nobody'"),
    (["list", "--coder", "anna", "--order", "random"], "random"),
])
def test_cli_bad_input_is_a_clear_error_and_changes_nothing(trained_file, tmp_path, args, message):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(trained_file, path)
    before = path.read_bytes()
    out = CliRunner().invoke(cli, ["suggest", args[0], str(path), *args[1:]])
    assert out.exit_code != 0 and message in out.output and "Traceback" not in out.output
    assert path.read_bytes() == before


def test_cli_train_run_list_accept_reject(trained_file, tmp_path):
    import json

    path = tmp_path / "demo.qcode"
    shutil.copyfile(trained_file, path)
    runner = CliRunner()
    out = runner.invoke(cli, ["suggest", "train", str(path), "--from", "anna"])
    assert out.exit_code == 0 and "model 4" in out.output, out.output
    out = runner.invoke(cli, ["suggest", "run", str(path), "--coder", "anna", "--transcript", "aneby_chef.txt",
                              "--transcript", "eksjo_se-coach.txt", "--min-score", "0.3"])
    assert out.exit_code == 0 and "proposals, not codings" in out.output, out.output
    out = runner.invoke(cli, ["suggest", "list", str(path), "--coder", "anna", "--transcript", "aneby_chef.txt",
                              "--format", "json"])
    rows = json.loads(out.output)
    assert rows and {r["model"] for r in rows} == {4}
    out = runner.invoke(cli, ["suggest", "accept", str(path), "--coder", "anna", str(rows[0]["id"])])
    assert out.exit_code == 0 and "1 codings" in out.output, out.output
    out = runner.invoke(cli, ["suggest", "reject", str(path), "--coder", "anna", "--transcript", "aneby_chef.txt",
                              "--segment", str(rows[1]["segment"])])
    assert out.exit_code == 0, out.output
    assert _rows(path, "SELECT state, count(*) FROM proposals WHERE id = ? GROUP BY state", (rows[0]["id"],)) == [
        ("accepted", 1)]
    assert _rows(path, "SELECT source FROM codings WHERE source != ''") == [("suggestion:4",)]
