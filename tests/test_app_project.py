"""The project page and the app's start: who is coding, open/create, import, attributes, progress, coders."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from coding import Project
from coding import codings as lib
from coding.coders import check_password, list_coders
from app_helpers import APP, list_rows, messages, open_app, run, segment_ids
from e2e_helpers import INTERVIEW

PAGE = "app_pages/project.py"


def test_first_start_asks_who_is_coding_and_remembers_the_name(app_project, app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.selectbox(key="qc_who_pick").options == ["anna", "bertil"]
    at.text_input(key="qc_who_new").input("cecilia")
    at.form_submit_button[0].click()
    at = run(at)
    assert list_rows(at)[0]["pos"] == 1  # the coding page
    with Project.open(app_project) as p:
        assert "cecilia" in [c["name"] for c in list_coders(p.store)]
    remembered = json.loads((app_env / "app.json").read_text())["coders"]
    assert remembered[str(app_project.resolve())] == "cecilia"
    # a new session on this machine starts as cecilia without asking
    at2 = AppTest.from_file(APP, default_timeout=60).run()
    assert list_rows(at2)[0]["pos"] == 1
    assert any("cecilia" in m for m in messages(at2.sidebar.caption))
    # switching coder forgets the name
    at2.button(key="qc_signout").click()
    at2 = run(at2)
    assert at2.selectbox(key="qc_who_pick")


def test_the_demo_project_opens_by_default_on_first_start(tmp_path, app_env, monkeypatch):
    """No --project and no QCODE_PROJECT: the demo is built in the working folder (or a clear message)."""
    monkeypatch.chdir(tmp_path)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    if (tmp_path / "demo.qcode").exists():
        with Project.open(tmp_path / "demo.qcode") as p:
            assert p.transcripts()
        assert at.selectbox(key="qc_who_pick") or list_rows(at)
    else:  # the demo corpus is not there: the project page says why and offers open/create
        assert at.error and at.button(key="qc_new_btn")


def test_create_a_new_project_makes_me_owner(tmp_path, app_env, monkeypatch):
    monkeypatch.setenv("QCODE_PROJECT", str(tmp_path / "missing.qcode"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("missing.qcode" in m for m in messages(at.error))
    target = tmp_path / "ny.qcode"
    at.text_input(key="qc_new_path").input(str(target))
    at.text_input(key="qc_new_owner").input("doris")
    at.button(key="qc_new_btn").click()
    at = run(at)
    assert target.exists()
    with Project.open(target) as p:
        assert list_coders(p.store) == [{"name": "doris", "is_owner": True, "role": "owner", "has_password": False}]
    assert any("doris" in m for m in messages(at.sidebar.caption))
    assert any("Inga transkript än" in i.value for i in at.info)  # still on the project page: upload next


def test_upload_several_transcripts_with_progress_and_attributes(app_project):
    at = open_app(page=PAGE)
    at.file_uploader(key="qc_upload_0").set_value([
        ("gnosjo_chef.txt", INTERVIEW.replace("SE-coach", "Chef").replace("gärna", "mer").encode(), "text/plain"),
        ("tranas.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Intervjuare>Hur gick det?\n\n"
                       b"00:00:05.000 --> 00:00:09.000\n<v Chef>Bra. Vi fick st\xc3\xb6d.\n", "text/vtt")])
    at = run(at)
    at.button(key="qc_import_btn").click()
    at = run(at)
    assert any("2 transkript importerade" in m for m in messages(at.success)), messages(at.success)
    with Project.open(app_project) as p:
        names = [tr["name"] for tr in p.transcripts()]
        assert {"gnosjo_chef.txt", "tranas.vtt"} <= set(names)
        assert [s.t_start for s in p.segments("tranas.vtt")][:1] == [1.0]
        assert "transcripts.import" in [e["action"] for e in p.store.audit_log()]
    # the uploader is emptied after a successful import
    assert at.file_uploader(key="qc_upload_1")


def test_a_broken_upload_imports_nothing_and_says_why(app_project):
    at = open_app(page=PAGE)
    at.file_uploader(key="qc_upload_0").set_value([
        ("ok.txt", b"Intervjuare: Hej.\nChef: Hej.\n", "text/plain"),
        ("broken.vtt", b"WEBVTT\n\n00:00:09.000 --> 00:00:01.000\nBakl\xc3\xa4nges\n", "text/vtt")])
    at = run(at)
    at.button(key="qc_import_btn").click()
    at = run(at)
    assert any("broken.vtt" in m for m in messages(at.error))
    with Project.open(app_project) as p:
        assert "ok.txt" not in [tr["name"] for tr in p.transcripts()]


def test_uploads_beyond_the_size_limit_get_a_clear_message(app_project, monkeypatch):
    monkeypatch.setenv("QCODE_MAX_UPLOAD_MB", "0.001")  # 1 kB
    at = open_app(page=PAGE)
    at.file_uploader(key="qc_upload_0").set_value(("stor.txt", ("Intervjuare: Hej. " * 200).encode(),
                                                   "text/plain"))
    at = run(at)
    at.button(key="qc_import_btn").click()
    at = run(at)
    assert any("stor.txt" in m and "0.001 MB" in m for m in messages(at.error))
    with Project.open(app_project) as p:
        assert "stor.txt" not in [tr["name"] for tr in p.transcripts()]


def test_attributes_are_edited_in_a_table_and_saved_at_once(app_project):
    at = open_app(page=PAGE)
    editor = at.data_editor[0]
    frame = editor.value
    assert list(frame.columns) == ["kommun", "roll"]
    row = list(frame.index).index("hostile.txt")
    at.session_state["qc_attrs_0"] = {"edited_rows": {row: {"kommun": "Gnosjö", "roll": "Chef"}},
                                      "added_rows": [], "deleted_rows": []}
    at = run(at)
    with Project.open(app_project) as p:
        attrs = {tr["name"]: tr["attributes"] for tr in p.transcripts()}
        assert attrs["hostile.txt"] == {"kommun": "Gnosjö", "roll": "Chef"}
        assert p.store.audit_log()[0]["action"] == "transcript.attributes"
    # a new attribute column, then clearing a cell removes the attribute
    at.text_input(key="qc_new_attr").input("fas")
    at.button(key="qc_add_attr").click()
    at = run(at)
    assert "fas" in list(at.data_editor[0].value.columns)
    at.session_state["qc_attrs_1"] = {"edited_rows": {row: {"fas": "inledande", "roll": None}},
                                      "added_rows": [], "deleted_rows": []}
    at = run(at)
    with Project.open(app_project) as p:
        attrs = {tr["name"]: tr["attributes"] for tr in p.transcripts()}
        assert attrs["hostile.txt"] == {"kommun": "Gnosjö", "fas": "inledande"}


def test_progress_per_transcript_and_coder(app_project):
    ids = segment_ids(app_project, "aneby_se-coach.txt")
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[1], ids[2], ids[3]], "hi_tid", coder="bertil")
        p.mark_done("bertil", ["aneby_se-coach.txt"])
    at = open_app(page=PAGE)
    table = [d.value for d in at.dataframe if "bertil" in d.value.columns][0]
    row = table[table["Transkript"] == "aneby_se-coach.txt"].iloc[0]
    assert row["bertil"] == "3/11 ✓" and row["anna"] == "0/11"


def test_owner_adds_coders_with_passwords_and_sets_blind_coding(app_project):
    at = open_app(page=PAGE)
    at.text_input(key="qc_add_coder_name").input("cecilia")
    at.text_input(key="qc_add_coder_pw").input("ett långt lösenord")
    [b for b in at.form_submit_button if b.label == "Lägg till"][0].click()
    at = run(at)
    with Project.open(app_project) as p:
        assert check_password(p.store, "cecilia", "ett långt lösenord")
        row = p.store.coder("cecilia")
        assert "ett långt lösenord" not in str(row["password_hash"]) and row["password_hash"].startswith("scrypt$")
    assert at.toggle(key="qc_blind").value is True
    at.toggle(key="qc_blind").set_value(False)
    at = run(at)
    with Project.open(app_project) as p:
        from coding.settings import blind_coding
        assert blind_coding(p.store) is False
        assert p.store.audit_log()[0]["action"] == "setting.change"


def test_a_coder_who_is_not_the_owner_cannot_manage_coders(app_project):
    at = open_app("bertil", page=PAGE)
    assert not [t for t in at.toggle if t.key == "qc_blind"]
    assert not [x for x in at.text_input if x.key == "qc_add_coder_name"]
    assert at.selectbox(key="qc_pw_who").options == ["bertil"]


def test_language_switch_to_english(app_project):
    at = open_app()
    assert at.button(key="qc_next").help.startswith("Nästa")
    at.segmented_control(key="qc_lang_widget").set_value("en")
    at = run(at)
    assert at.button(key="qc_next").help.startswith("Next")
    at = run(at.switch_page(PAGE))
    assert at.title[0].value == "Project"


def test_audit_log_is_shown(app_project):
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [segment_ids(app_project, "eksjo_chef.txt")[1]], "hi_tid", coder="anna")
    at = open_app(page=PAGE)
    log = at.dataframe[-1].value
    assert "coding.apply" in list(log["Vad"])


def test_owner_deletes_a_transcript_after_confirming_and_it_is_audited(app_project):
    with Project.open(app_project) as p:
        p.apply_code("aneby_se-coach.txt", 2, "hi_ensam", coder="anna")
        before = {t["name"] for t in p.transcripts()}
    at = open_app(page=PAGE)
    at.selectbox(key="qc_delete_name").select("aneby_se-coach.txt")
    at = run(at)
    assert any("aneby_se-coach.txt" in m and "1 kodningar" in m for m in messages(at.warning))
    assert at.button(key="qc_delete_btn").disabled  # nothing happens without the confirmation
    at.checkbox(key="qc_delete_sure").check()
    at = run(at)
    at.button(key="qc_delete_btn").click()
    at = run(at)
    with Project.open(app_project) as p:
        assert {t["name"] for t in p.transcripts()} == before - {"aneby_se-coach.txt"}
        assert p.codings(coder="anna") == []
        entry = p.audit_log(limit=1)[0]
        assert (entry["action"], entry["actor"], entry["target"]) == ("transcript.delete", "anna",
                                                                     "aneby_se-coach.txt")
        assert entry["detail"]["codings"] == 1
    assert any("togs bort" in m for m in messages(at.success))


def test_a_coder_who_is_not_the_owner_cannot_delete_transcripts(app_project):
    at = open_app("bertil", page=PAGE)
    assert not [s for s in at.selectbox if s.key == "qc_delete_name"]


def test_owner_reviews_and_applies_pseudonymisation_with_the_key_outside_the_project(app_project, tmp_path):
    interview = tmp_path / "nassjo_chef.txt"
    interview.write_text("Intervjuare: Hur började det?\n"
                         "Chef: Vår coach Lena Berg ringde mig på 070-123 45 67 och sa att Lena hade hittat ett "
                         "jobb åt en deltagare i Nässjö.\n", encoding="utf-8")
    with Project.open(app_project) as p:
        p.import_files([interview], attributes={"kommun": "Nässjö"})
    key = tmp_path / "keys" / "nyckel.json"
    key.parent.mkdir()
    at = open_app(page=PAGE)
    at.text_input(key="qc_pseudo_key").input(str(key))
    at.text_area(key="qc_pseudo_names").input("Lena Berg")
    at = run(at)
    at.button(key="qc_pseudo_propose").click()
    at = run(at)
    plan = at.session_state["qc_pseudo_plan"]
    assert {f.text for f in plan.findings} >= {"Lena Berg", "Lena", "070-123 45 67"}
    assert at.button(key="qc_pseudo_apply").disabled  # nothing changes before the confirmation
    with Project.open(app_project) as p:
        assert "Lena Berg" in p.store.transcript_text(p.transcript_id("nassjo_chef.txt"))
    at.checkbox(key="qc_pseudo_sure").check()
    at = run(at)
    at.button(key="qc_pseudo_apply").click()
    at = run(at)
    with Project.open(app_project) as p:
        text = p.store.transcript_text(p.transcript_id("nassjo_chef.txt"))
    assert "Lena" not in text and "070-123" not in text and "[Person 1]" in text and "Nässjö" in text
    assert key.exists() and "Lena Berg" in key.read_text(encoding="utf-8")
    assert b"Lena Berg" not in app_project.read_bytes()
    assert any("Nyckeln finns i" in m for m in messages(at.success))


def test_an_owner_gives_roles_and_a_project_without_owner_offers_to_name_one(tmp_path, app_env, monkeypatch):
    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    at = open_app("anna", page=PAGE)
    assert any("ingen ägare" in m for m in messages(at.info))
    at.button(key="qc_become_owner").click()
    at = run(at)
    at.selectbox(key="qc_role_who").select("erik")
    at.selectbox(key="qc_role_new").select("viewer")
    at.button(key="qc_role_btn").click()
    at = run(at)
    with Project.open(path) as p:
        assert (p.role_of("anna"), p.role_of("erik")) == ("owner", "viewer")


def test_the_audit_log_filters_by_coder_and_action_and_exports_csv(app_project):
    with Project.open(app_project) as p:
        p.apply_code("aneby_se-coach.txt", 2, "hi_ensam", coder="bertil")
        p.sign_in("anna", "fel")
    at = open_app(page=PAGE)
    at.selectbox(key="qc_audit_who").select("anna")
    at.multiselect(key="qc_audit_what").select("signin.failed")
    at = run(at)
    frame = at.dataframe[-1].value
    assert list(frame.iloc[:, 2]) == ["signin.failed"]
    with Project.open(app_project) as p:
        out = __import__("io").StringIO()
        assert p.export_audit_log(out, actor="bertil") == 1
        assert "coding.apply" in out.getvalue() and out.getvalue().startswith("id,at,actor,action")


def test_on_this_machine_a_name_with_a_password_needs_it(tmp_path, app_env, monkeypatch):
    """Regression: locally anyone could switch to the owner's name without the owner's password."""
    path = tmp_path / "demo.qcode"
    with Project.demo(path) as p:
        p.add_coder("olga", owner=True, password="ägarens lösenord")
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="qc_who_pick").select("olga")
    at.form_submit_button[0].click()
    at = run(at)
    assert any("lösenord" in m for m in messages(at.error))
    assert not list_rows(at)
    at.selectbox(key="qc_who_pick").select("olga")
    at.text_input(key="qc_who_pw").input("ägarens lösenord")
    at.form_submit_button[0].click()
    at = run(at)
    assert list_rows(at)[0]["pos"] == 1  # in, as olga
    monkeypatch.setenv("QCODE_CONFIG_DIR", str(tmp_path / "another-user"))
    at2 = AppTest.from_file(APP, default_timeout=60).run()  # a name without a password is still just picked
    at2.selectbox(key="qc_who_pick").select("anna")
    at2.form_submit_button[0].click()
    at2 = run(at2)
    assert not at2.error
