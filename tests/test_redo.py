"""Redo: what an undo reversed comes back, from the CLI, Python and the app alike; a new change ends it."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from coding import Project
from coding.cli import cli


@pytest.fixture
def demo(tmp_path, demo_file):
    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    project = Project.open(path)
    yield project
    project.close()


def _codes(project, name, position, coder="sara"):
    sid = project.segments(name)[position - 1].id
    tid = next(t["id"] for t in project.transcripts() if t["name"] == name)
    return project.segment_codes(tid, coder).get(sid, [])


def test_redo_brings_back_apply_remove_and_memo_in_order(demo):
    name = "aneby_chef.txt"
    sid = demo.segments(name)[1].id
    demo.apply_code(name, 2, "impl_hi_ensam_position", coder="sara")
    demo.set_segment_memo(sid, "sara", "första")
    demo.remove_code_ids([sid], "impl_hi_ensam_position", coder="sara")
    before = (sorted(_codes(demo, name, 2)), demo.segment_memos(demo.transcripts()[0]["id"], "sara"))

    undone = [demo.undo("sara").action for _ in range(3)]
    assert undone == ["coding.remove", "memo.set", "coding.apply"][: len(undone)]
    assert "impl_hi_ensam_position" not in _codes(demo, name, 2)

    redone = [demo.redo("sara") for _ in range(3)]
    assert [r.action for r in redone] == ["coding.apply", "memo.set", "coding.remove"]
    assert all(r.redone and r.transcript == name and r.positions == (2,) for r in redone)
    assert (sorted(_codes(demo, name, 2)), demo.segment_memos(demo.transcripts()[0]["id"], "sara")) == before
    assert demo.redo("sara") is None
    # what redo did is undone like any change
    assert demo.undo("sara").action == "coding.remove"
    assert "impl_hi_ensam_position" in _codes(demo, name, 2)


def test_a_new_change_after_undo_ends_redo(demo):
    name = "aneby_chef.txt"
    demo.apply_code(name, 4, "impl_hi_ensam_position", coder="sara")
    assert demo.undo("sara") is not None
    demo.apply_code(name, 5, "impl_hi_ensam_position", coder="sara")
    assert demo.redo("sara") is None
    assert "impl_hi_ensam_position" not in _codes(demo, name, 4)


def test_redo_is_per_coder(demo):
    name = "aneby_chef.txt"
    demo.apply_code(name, 6, "impl_hi_ensam_position", coder="sara")
    demo.undo("sara")
    assert demo.redo("olle") is None
    assert demo.redo("sara").positions == (6,)


def test_cli_redo(tmp_path, demo_file):
    runner = CliRunner()
    p = str(shutil.copyfile(demo_file, tmp_path / "cli.qcode"))
    assert runner.invoke(cli, ["code", p, "--coder", "anna", "--transcript", "aneby_chef.txt", "--segment", "7",
                               "--code", "impl_hi_ensam_position"]).exit_code == 0
    assert "Undid applying" in runner.invoke(cli, ["undo", p, "--coder", "anna"]).output
    out = runner.invoke(cli, ["redo", p, "--coder", "anna"])
    assert out.exit_code == 0 and "Redid applying impl_hi_ensam_position to 1 segment(s) (aneby_chef.txt #7)" \
        in out.output
    assert "Nothing to redo for anna" in runner.invoke(cli, ["redo", p, "--coder", "anna"]).output


def test_redo_covers_memos_on_the_project_and_a_transcript(demo):
    """Memos written on the Memos page are undone and redone like codings (a new memo ends the redo too)."""
    memo = demo.add_memo("Första intrycket", coder="sara", transcript="aneby_chef.txt")
    memo_id = memo if isinstance(memo, int) else memo.id
    demo.edit_memo(memo_id, "Andra intrycket", coder="sara")

    def texts():
        return [m.text for m in demo.memos(coder="sara")]

    assert demo.undo("sara").action == "memo.edit" and texts() == ["Första intrycket"]
    assert demo.undo("sara").action == "memo.add" and texts() == []
    assert demo.redo("sara").action == "memo.add" and texts() == ["Första intrycket"]
    redone = demo.redo("sara")
    assert (redone.action, redone.redone, redone.transcript) == ("memo.edit", True, "aneby_chef.txt")
    assert texts() == ["Andra intrycket"]
    demo.delete_memo(memo_id, coder="sara")
    assert demo.undo("sara").action == "memo.delete" and texts() == ["Andra intrycket"]
    demo.add_memo("Om projektet", coder="sara")  # a new change: the delete is not redone any more
    assert demo.redo("sara") is None and sorted(texts()) == ["Andra intrycket", "Om projektet"]
