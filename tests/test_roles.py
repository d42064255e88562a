"""Roles (owner, lead, coder, viewer) are enforced by the library, for the app, the CLI and Python alike."""

from __future__ import annotations

import pytest

from coding import Project
from coding.errors import QcodeError
from coding.roles import NotAllowed


@pytest.fixture
def team(tmp_path):
    with Project.demo(tmp_path / "demo.qcode") as p:
        p.add_coder("olga", owner=True)
        p.add_coder("lena", actor="olga")
        p.set_role("lena", "lead", actor="olga")
        p.add_coder("vera", actor="olga")
        p.set_role("vera", "viewer", actor="olga")
        yield p


def test_each_role_has_its_rights(team):
    assert [team.role_of(n) for n in ("olga", "lena", "anna", "vera")] == ["owner", "lead", "coder", "viewer"]
    assert [team.may(n, "admin") for n in ("olga", "lena", "anna", "vera")] == [True, False, False, False]
    assert [team.may(n, "consensus") for n in ("olga", "lena", "anna", "vera")] == [True, True, False, False]
    assert [team.may(n, "code") for n in ("olga", "lena", "anna", "vera")] == [True, True, True, False]


def test_a_coder_cannot_manage_the_project(team, tmp_path):
    interview = tmp_path / "ny.txt"
    interview.write_text("Intervjuare: Hej?\nChef: Hej.\n", encoding="utf-8")
    before = team.counts()
    for attempt in (lambda: team.import_files([interview], actor="anna"),
                    lambda: team.set_attributes("aneby_chef.txt", {"kommun": "Eksjö"}, actor="anna"),
                    lambda: team.delete_transcript("aneby_chef.txt", actor="anna"),
                    lambda: team.add_code(id="x", label_sv="X", actor="anna"),
                    lambda: team.merge_codes("impl_hi_ensam_position", "impl_hi_lag_forankring", actor="anna"),
                    lambda: team.set_blind_coding(False, actor="anna"),
                    lambda: team.add_coder("mallory", owner=True, actor="anna"),
                    lambda: team.set_password("olga", "nytt lösenord", actor="anna"),
                    lambda: team.set_role("anna", "owner", actor="anna")):
        with pytest.raises(NotAllowed, match="anna \\(coder\\) may not manage the project"):
            attempt()
    assert team.counts() == before
    team.set_password("anna", "mitt eget lösenord", actor="anna")  # one's own password is one's own
    team.import_files([interview], actor="olga")
    team.import_files([], actor=None)  # Python and the CLI act as the local owner


def test_only_owners_and_leads_settle_consensus_and_viewers_cannot_code(team):
    sid = team.segments("aneby_chef.txt")[2].id
    with pytest.raises(NotAllowed, match="settle consensus"):
        team.decide(sid, ["impl_hi_ensam_position"], decided_by="anna")
    assert team.decide(sid, ["impl_hi_ensam_position"], decided_by="lena")["codes"] == ["impl_hi_ensam_position"]
    with pytest.raises(NotAllowed, match="vera \\(viewer\\) may not code"):
        team.apply_code("aneby_chef.txt", 2, "impl_hi_ensam_position", coder="vera")
    with pytest.raises(NotAllowed):
        team.mark_done("vera")
    assert team.apply_code("aneby_chef.txt", 2, "impl_hi_ensam_position", coder="lena")


def test_the_last_owner_cannot_step_down_and_role_changes_are_audited(team):
    with pytest.raises(QcodeError, match="only owner"):
        team.set_role("olga", "coder", actor="olga")
    team.set_role("lena", "owner", actor="olga")
    team.set_role("olga", "coder", actor="lena")
    entry = team.audit_log(limit=1)[0]
    assert (entry["action"], entry["actor"], entry["target"], entry["detail"]) == \
        ("coder.role", "lena", "olga", {"from": "owner", "to": "coder"})


def test_a_project_without_owner_gives_everyone_every_right_until_one_is_named(tmp_path):
    with Project.demo(tmp_path / "demo.qcode") as p:
        assert p.may("anna", "admin") and p.may("erik", "consensus")
        p.add_coder("olga", owner=True, actor="anna")
        assert not p.may("anna", "admin") and p.may("olga", "admin")
