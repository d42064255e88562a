"""The codebook page: tree, edit, add, move, merge, deactivate, import and export (AppTest, real project)."""

from __future__ import annotations

import yaml

from coding import Project
from coding import codings as lib
from coding.codebook import parse_yaml
from app_helpers import chips, messages, open_app, run, segment_ids
PAGE = "app_pages/codebook.py"


def code(path, code_id):
    with Project.open(path) as p:
        return {c.id: c for c in p.store.codes()}.get(code_id)


def last_audit(path):
    with Project.open(path) as p:
        e = p.store.audit_log(limit=1)[0]
        return e["action"], e["target"], e["actor"]


def submit(at, label):
    [b for b in at.form_submit_button if b.label == label][0].click()
    return run(at)


def test_tree_shows_the_hierarchy_with_indented_labels(app_project):
    at = open_app(page=PAGE)
    tree = at.dataframe[0].value
    assert list(tree["id"]) == ["ff", "ff_forankring", "ff_natverk", "ff_pengar", "hi", "hi_ensam", "hi_tid"]
    labels = list(tree["Kod"])
    assert labels[0] == "▸ Framgångsfaktorer" and labels[1] == "\u2003Förankring i ledningen"
    at.text_input(key="qc_cb_search").input("natverk")  # accent-insensitive, ancestors kept
    at = run(at)
    assert list(at.dataframe[0].value["id"]) == ["ff", "ff_natverk"]


def test_edit_a_code_and_move_it(app_project):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_cb_pick").select("hi_tid")
    at = run(at)
    k = "qc_cb_e0_hi_tid_"
    at.text_input(key=k + "label_sv").input("Tidsbrist")
    at.text_area(key=k + "definition_sv").input("För lite tid för SE-arbetet.")
    at.text_area(key=k + "exclude_en").input("Lack of money (code ff_pengar).")
    at.selectbox(key=k + "parent").select("ff")
    at.checkbox(key=k + "nocolour").uncheck()
    at.color_picker(key=k + "colour").pick("#aa3300")
    at = submit(at, "Spara")
    c = code(app_project, "hi_tid")
    assert (c.label_sv, c.definition_sv, c.exclude_en, c.parent_id, c.color) == (
        "Tidsbrist", "För lite tid för SE-arbetet.", "Lack of money (code ff_pengar).", "ff", "#aa3300")
    assert (c.definition_en, c.exclude_sv, c.definition, c.exclude) == ("", "", "", "")
    assert any("hi_tid" in m for m in messages(at.success))
    with Project.open(app_project) as p:
        actions = [e["action"] for e in p.store.audit_log(limit=2)]
    assert sorted(actions) == ["code.move", "code.update"]


def test_moving_a_code_under_its_own_child_is_refused(app_project):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_cb_pick").select("ff")
    at = run(at)
    at.selectbox(key="qc_cb_e0_ff_parent").select("ff_natverk")
    at = submit(at, "Spara")
    assert any("cycle" in m for m in messages(at.error))
    assert code(app_project, "ff").parent_id is None


def test_add_a_code(app_project):
    at = open_app(page=PAGE)
    at.text_input(key="qc_cb_new_id").input("hi_samverkan")
    at.selectbox(key="qc_cb_new_parent").select("hi")
    at.text_input(key="qc_cb_new_sv").input("Svag samverkan")
    at.text_input(key="qc_cb_new_en").input("Weak collaboration")
    at.text_area(key="qc_cb_new_definition_sv").input("Myndigheterna arbetar inte ihop.")
    at.text_area(key="qc_cb_new_definition_en").input("The agencies do not work together.")
    at = submit(at, "Lägg till koden")
    c = code(app_project, "hi_samverkan")
    assert (c.parent_id, c.label_en, c.definition_sv, c.definition_en, c.definition) == (
        "hi", "Weak collaboration", "Myndigheterna arbetar inte ihop.", "The agencies do not work together.", "")
    assert last_audit(app_project) == ("code.add", "hi_samverkan", "anna")
    # a duplicate id is refused with a message
    at.text_input(key="qc_cb_new_id").input("hi_samverkan")
    at.text_input(key="qc_cb_new_sv").input("Igen")
    at = submit(at, "Lägg till koden")
    assert any("exists already" in m for m in messages(at.error))


def test_merge_moves_the_codings(app_project):
    ids = segment_ids(app_project, "aneby_se-coach.txt")
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[1], ids[2]], "hi_tid", coder="anna")
        lib.apply_code_ids(p.store, [ids[3]], "hi_tid", coder="bertil")
    at = open_app(page=PAGE)
    at.selectbox(key="qc_cb_merge_src").select("hi_tid")
    at.selectbox(key="qc_cb_merge_dst").select("hi_ensam")
    at = submit(at, "Slå ihop")
    assert any("Bekräfta" in m for m in messages(at.error))  # not without the confirmation
    assert code(app_project, "hi_tid") is not None
    at.checkbox(key="qc_cb_merge_sure").check()
    at = submit(at, "Slå ihop")
    assert code(app_project, "hi_tid") is None
    with Project.open(app_project) as p:
        assert sorted((c["segment"], c["code"], c["coder"]) for c in p.codings()) == [
            (1, "hi_ensam", "anna"), (2, "hi_ensam", "anna"), (3, "hi_ensam", "bertil")]
    assert last_audit(app_project)[0] == "code.merge"


def test_a_deactivated_code_leaves_the_code_finder_but_keeps_its_codings(app_project):
    ids = segment_ids(app_project, "aneby_se-coach.txt")
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[1]], "hi_tid", coder="anna")
    at = open_app(page=PAGE)
    at.selectbox(key="qc_cb_pick").select("hi_tid")
    at = run(at)
    at.toggle(key="qc_cb_e0_hi_tid_active").set_value(False)
    at = submit(at, "Spara")
    assert code(app_project, "hi_tid").active is False
    assert last_audit(app_project)[0] == "code.deactivate"
    coding = open_app()
    coding.text_input(key="qc_code_q").input("tid")
    coding = run(coding)
    assert not [b for b in coding.button if b.key == "qc_match_hi_tid"]
    # the coding stays and is still shown on its segment
    assert chips(coding, 1) == ["hi_tid"]


def test_import_yaml_and_export_yaml_and_csv(app_project):
    at = open_app(page=PAGE)
    new_book = ("codes:\n- id: onskemal\n  label_sv: Önskemål\n  label_en: Wishes\n  children:\n"
                "  - id: on_utbildning\n    label_sv: Mer utbildning\n    label_en: More training\n")
    at.file_uploader(key="qc_cb_upload_0").set_value(("extra.yaml", new_book.encode(), "application/yaml"))
    at = run(at)
    at.button(key="qc_cb_import_btn").click()
    at = run(at)
    assert code(app_project, "on_utbildning").label_en == "More training"
    assert code(app_project, "hi_tid") is not None  # without "replace" nothing is removed
    assert any("2 nya" in m for m in messages(at.success))
    # a broken file is refused with its line and nothing changes
    at.file_uploader(key="qc_cb_upload_1").set_value(("bad.yaml", b"codes:\n- id: x\n  parent: nope\n  label_sv: X\n",
                                                      "application/yaml"))
    at = run(at)
    at.button(key="qc_cb_import_btn").click()
    at = run(at)
    assert any("nope" in m for m in messages(at.error))
    assert code(app_project, "x") is None
    # export: the download buttons carry the whole codebook
    buttons = {b.key: b for b in at.get("download_button")}
    assert set(buttons) >= {"qc_cb_dl_yaml", "qc_cb_dl_csv"}
    with Project.open(app_project) as p:
        from coding.codebook import codebook_from_store, to_yaml
        exported = to_yaml(codebook_from_store(p.store))
    book = parse_yaml(exported)
    assert {"ff_forankring", "on_utbildning"} <= {c.id for c in book.codes}
    assert yaml.safe_load(exported)["codes"][0]["id"] == "ff"


def test_only_the_owner_edits_the_codebook(app_project):
    at = open_app("bertil", page=PAGE)
    assert at.dataframe[0].value.shape[0] == 7
    assert not at.get("tab") or not [s for s in at.selectbox if s.key == "qc_cb_pick"]
    assert any("projektägaren" in i.value for i in at.info)


def definitions(at) -> dict[str, str]:
    tree = at.dataframe[0].value
    return dict(zip(tree["id"], tree["Definition"]))


def test_the_tree_shows_each_definition_in_the_language_of_the_app(app_project):
    with Project.open(app_project) as p:
        p.update_code("hi_tid", definition_sv="För lite tid för SE-arbetet.",
                      definition_en="Too little time for the SE work.", actor="anna")
    sv = open_app(page=PAGE)
    en = open_app(page=PAGE, lang="en")
    assert definitions(sv)["hi_tid"] == "För lite tid för SE-arbetet."
    assert definitions(en)["hi_tid"] == "Too little time for the SE work."
    # an older code's language-neutral text shows in both languages
    neutral = "Coachen arbetar ensam med SE utan kollegor i samma roll."
    assert definitions(sv)["hi_ensam"] == definitions(en)["hi_ensam"] == neutral
    # the form has a Svenska and an English tab, each with its own texts
    en.selectbox(key="qc_cb_pick").select("hi_tid")
    en = run(en)
    labels = [tab.label for tab in en.tabs]
    assert labels.count("Svenska") == labels.count("English") == 2  # in the edit and in the add form
    assert en.text_area(key="qc_cb_e0_hi_tid_definition_sv").value == "För lite tid för SE-arbetet."
    assert en.text_area(key="qc_cb_e0_hi_tid_definition_en").value == "Too little time for the SE work."


def test_editing_an_older_code_gives_its_neutral_text_to_both_languages(app_project):
    at = open_app(page=PAGE)
    at.selectbox(key="qc_cb_pick").select("ff_forankring")
    at = run(at)
    k = "qc_cb_e0_ff_forankring_"
    old = "Ledningen står bakom SE och har beslutat om arbetssättet."
    assert at.text_area(key=k + "definition_sv").value == at.text_area(key=k + "definition_en").value == old
    at.text_area(key=k + "definition_en").input("Management backs SE and has decided on the way of working.")
    at = submit(at, "Spara")
    c = code(app_project, "ff_forankring")
    assert (c.definition, c.definition_sv, c.definition_en) == (
        "", old, "Management backs SE and has decided on the way of working.")
    assert (c.include, c.include_sv, c.include_en) == ("Chefer eller politiker som uttryckligen stöder SE.", "", "")
    assert [c.text("definition", lang) for lang in ("sv", "en")] == [
        old, "Management backs SE and has decided on the way of working."]


def test_an_empty_language_shows_the_other_languages_text_as_its_placeholder(app_project):
    with Project.open(app_project) as p:
        p.update_code("hi_tid", include_sv="Koden gäller när tiden inte räcker.", actor="anna")
    at = open_app(page=PAGE, lang="en")
    at.selectbox(key="qc_cb_pick").select("hi_tid")
    at = run(at)
    box = at.text_area(key="qc_cb_e0_hi_tid_include_en")
    assert (box.value, box.placeholder) == ("", "Koden gäller när tiden inte räcker.")
    assert at.text_area(key="qc_cb_e0_hi_tid_definition_en").placeholder == "What the code means"
