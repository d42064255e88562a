"""The code tree on the coding page: every active code, its use (mine / everyone's), a click codes the
selection; a new code from the coding page when the owner allows it."""

from __future__ import annotations

import pytest

from coding import Project
from coding import codings as lib
from coding.errors import QcodeError
from app_helpers import chips, component, open_app as _open_app, pick, run, segment_ids, trigger

T = "aneby_se-coach.txt"


def open_app(coder):
    """The coding page with the code tree open (a closed tree draws nothing)."""
    return _open_app(coder, state={"qc_tree_open": True})


def tree(at) -> list[dict]:
    import json

    element = component(at, "qc_tree")
    return json.loads(element.proto.json)["nodes"] if element is not None else []


def flat(nodes):
    for n in nodes:
        yield n
        yield from flat(n["children"])


def test_a_closed_tree_draws_nothing(app_project):
    at = _open_app("anna")
    assert component(at, "qc_tree") is None and [e.label for e in at.expander if e.label.startswith("Kodträd")]


def test_the_tree_shows_every_active_code_with_my_and_everyones_use(app_project):
    ids = segment_ids(app_project, T)
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[1], ids[2]], "hi_tid", coder="anna")
        lib.apply_code_ids(p.store, [ids[2], ids[3]], "hi_tid", coder="bertil")
        active = {c.id for c in p.codes() if c.active}
        usage = p.code_usage("anna")
    assert usage["hi_tid"] == (2, 3)  # segment 2 coded by both counts once for "everyone"
    at = open_app("anna")
    nodes = {n["id"]: n for n in flat(tree(at))}
    assert set(nodes) == active
    assert (nodes["hi_tid"]["mine"], nodes["hi_tid"]["all"]) == (2, 3)
    parent = next(n for n in flat(tree(at)) if any(c["id"] == "hi_tid" for c in n["children"]))
    assert parent["all"] >= 3 and all(n["color"].startswith("#") for n in nodes.values())


def test_a_click_in_the_tree_codes_the_selection(app_project):
    at = pick(open_app("anna"), 4)
    at = trigger(at, "qc_tree", "apply", {"code": "ff_pengar", "n": 1})
    assert chips(at, 4) == ["ff_pengar"]
    nodes = {n["id"]: n for n in flat(tree(at))}
    assert nodes["ff_pengar"]["mine"] == 1
    at = trigger(at, "qc_tree", "apply", {"code": "no_such_code", "n": 2})  # a made-up event: nothing
    with Project.open(app_project) as p:
        assert [(c["segment"], c["code"]) for c in p.codings()] == [(4, "ff_pengar")]


def test_a_new_code_from_the_coding_page_only_when_allowed(app_project):
    # the owner (anna) may always; bertil, a coder, only once the owner allows it
    at = open_app("bertil")
    assert not [b for b in at.button if b.key == "qc_new_add"]
    with Project.open(app_project) as p:
        with pytest.raises(QcodeError):
            p.add_code(id="x_new", parent=None, label_sv="Ny", actor="bertil")
        p.set_coders_add_codes(True, actor="anna")
    at = pick(open_app("bertil"), 5)
    at.text_input(key="qc_new_label").input("Stöd från chefen")
    at.selectbox(key="qc_new_parent").select("ff")
    at = run(at)
    at.button(key="qc_new_add").click()
    at = run(at)
    with Project.open(app_project) as p:
        new = [c for c in p.codes() if c.label_sv == "Stöd från chefen"]
        assert [(c.id, c.parent_id) for c in new] == [("ff_stod_fran_chefen", "ff")]
        assert [(c["segment"], c["code"], c["coder"]) for c in p.codings()] == [(5, "ff_stod_fran_chefen", "bertil")]
        assert p.audit_log(limit=2)[1]["action"] == "code.add"
    assert chips(at, 5) == ["ff_stod_fran_chefen"]
