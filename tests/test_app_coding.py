"""The coding page, driven through Streamlit's AppTest on the real app and a real project file."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from coding import Project
from coding import codings as lib
from coding.settings import set_blind_coding
from app_helpers import (APP, ROOT, chips, list_rows, messages, open_app, open_transcript, pick, run,
                         segment_ids, texts, trigger, widget)
from e2e_helpers import make_project

T = "aneby_se-coach.txt"


def codings(path, coder=None):
    with Project.open(path) as p:
        return [(c["transcript"], c["segment"], c["code"], c["coder"]) for c in p.codings(coder=coder)]


def audit_actions(path):
    with Project.open(path) as p:
        return [e["action"] for e in p.store.audit_log()]


def find(at, text):
    at.text_input(key="qc_code_q").input(text)
    return run(at)


def test_segments_show_speaker_time_and_text_of_the_first_transcript(app_project):
    at = open_app()
    shown = texts(at)
    assert "Hur började arbetet med SE?" in shown
    metas = [r["meta"] for r in list_rows(at)]
    assert any(m.startswith("Intervjuare") for m in metas) and any(m.startswith("SE-coach") for m in metas)
    # 11 segments drawn by one list: no widget per segment
    assert [r["pos"] for r in list_rows(at)] == list(range(1, 12))
    assert not [m for m in at.multiselect if m.key and m.key.startswith("qc_codes_")]


def test_transcript_text_is_shown_literally_never_as_html_or_markdown(app_project):
    at = open_transcript(open_app(), "hostile.txt")
    shown = texts(at)
    assert "<script>alert('x')</script> Vad hände sen?" in shown
    assert "<img src=x onerror=alert(1)> och [klicka här](javascript:alert(2)) samt **fet** text." in shown
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("<script" in m or "onerror" in m or "javascript:" in m for m in rendered)


def test_code_finder_is_accent_insensitive_and_applies_to_the_selected_segment(app_project):
    at = open_app()
    at = find(pick(at, 10), "forankring")
    matches = [b for b in at.button if b.key and b.key.startswith("qc_match_")]
    assert [b.key for b in matches] == ["qc_match_ff_forankring"]
    # the definition and include/exclude rules are shown beside the picker
    assert "Ledningen står bakom SE och har beslutat om arbetssättet." in texts(at)
    assert "Allmän välvilja utan beslut (koda inte)." in texts(at)
    matches[0].click()
    at = run(at)
    assert codings(app_project) == [(T, 10, "ff_forankring", "anna")]
    assert audit_actions(app_project)[0] == "coding.apply"
    assert chips(at, 10) == ["ff_forankring"]
    # English label and id are found too
    at = find(at, "LONELY")
    assert [b.key for b in at.button if b.key and b.key.startswith("qc_match_")] == ["qc_match_hi_ensam"]
    at = find(at, "hi_tid")
    assert [b.key for b in at.button if b.key and b.key.startswith("qc_match_")] == ["qc_match_hi_tid"]


def test_applying_without_a_selection_warns_and_writes_nothing(app_project):
    at = find(open_app(), "tid")
    assert at.button(key="qc_match_hi_tid").disabled
    # the Enter path (keyboard helper) with nothing selected
    script = _handler_script(app_project, selected=[], text="tid")
    at2 = AppTest.from_string(script, default_timeout=30).run()
    assert not at2.exception
    assert codings(app_project) == []
    assert any("Markera först" in w.value for w in at2.warning) or at2.session_state["qc_flash"]


def _handler_script(path, selected, text):
    return f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from coding import Project
from ui import page_coding as pc
with Project.open({str(path)!r}) as p:
    segs = p.segments({T!r})
    codes = [c for c in p.store.codes() if c.active]
    tid = p.transcript_id({T!r})
st.session_state["qc_w"] = {{"path": {str(path)!r}, "tid": tid, "coder": "anna",
    "pos2sid": {{s.position: s.id for s in segs}}, "positions": [s.position for s in segs],
    "shown": [s.position for s in segs], "hits": [], "codes": codes}}
st.session_state["qc_sel"] = {selected!r}
st.session_state["qc_cursor"] = ({selected!r} or [None])[-1]
st.session_state["result"] = pc.apply_best_match({text!r})
for kind, msg in st.session_state.get("qc_flash", []):
    if kind == "warning":
        st.warning(msg)
"""


def test_enter_in_the_finder_applies_the_best_match_for_the_typed_text(app_project):
    """The keyboard helper's Python side (the JavaScript part runs in the browser test)."""
    at = AppTest.from_string(_handler_script(app_project, [5], "ensam"), default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["result"] == "hi_ensam"
    assert at.session_state["qc_code_q"] == ""  # the finder is cleared for the next code
    assert codings(app_project) == [(T, 5, "hi_ensam", "anna")]
    # two codes match "stod" equally well (whole word): Enter applies neither, the matches stay in view
    at = AppTest.from_string(_handler_script(app_project, [7], "stod"), default_timeout=30).run()
    assert at.session_state["result"] is None
    assert at.session_state["qc_code_q"] == "stod"
    assert codings(app_project) == [(T, 5, "hi_ensam", "anna")]
    # one more word decides; the category ff ("Framgångsfaktorer") never beats a code
    at = AppTest.from_string(_handler_script(app_project, [7], "stod natverk"), default_timeout=30).run()
    assert at.session_state["result"] == "ff_natverk"
    at = AppTest.from_string(_handler_script(app_project, [7], "finns inte"), default_timeout=30).run()
    assert at.session_state["result"] is None


def test_the_x_on_a_chip_removes_that_code_from_that_segment_only(app_project):
    ids = segment_ids(app_project, T)
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[3], ids[4]], "ff_pengar", coder="anna")
    at = open_app()
    assert chips(at, 3) == ["ff_pengar"] and chips(at, 4) == ["ff_pengar"]
    chip = next(c for r in list_rows(at) if r["pos"] == 3 for c in r["codes"])
    assert chip[1] == "Ekonomiskt stöd från Samordningsförbund" and chip[2].startswith("#")
    at = trigger(at, "qc_list", "remove", {"pos": 3, "code": "ff_pengar", "n": 1})
    assert codings(app_project) == [(T, 4, "ff_pengar", "anna")]
    assert audit_actions(app_project)[0] == "coding.remove"
    assert chips(at, 3) == [] and chips(at, 4) == ["ff_pengar"]
    # a made-up event (unknown code, no such segment) changes nothing
    at = trigger(at, "qc_list", "remove", {"pos": 99, "code": "ff_pengar", "n": 2})
    at = trigger(at, "qc_list", "remove", {"pos": 4, "code": "<script>", "n": 3})
    assert codings(app_project) == [(T, 4, "ff_pengar", "anna")]


def test_the_finder_offers_the_whole_codebook_ranked_with_no_select_all(app_project):
    """Issue 11, item 6: a coder without recent codes (her codings came from CSV) still reaches every code
    from the selected segment, ranked; nothing applies several codes in one click."""
    at = pick(open_app(), 3)
    assert not [m for m in at.multiselect if m.key and m.key.startswith("qc_codes_")]
    with Project.open(app_project) as p:
        every = {c.id for c in p.codes() if c.active and c.parent_id}
    found = set()
    for code in every:
        at.text_input(key="qc_code_q").input(code)
        at = run(at)
        keys = [b.key for b in at.button if b.key and b.key.startswith("qc_match_")]
        assert keys and keys[0] == f"qc_match_{code}", (code, keys)
        found.add(code)
    assert found == every


def test_several_consecutive_segments_are_coded_together_and_undone_together(app_project):
    at = pick(open_app(), 3)
    at.button(key="qc_ext_down").click()
    at = run(at)
    at.button(key="qc_ext_down").click()
    at = run(at)
    assert at.session_state["qc_sel"] == [3, 4, 5]
    assert any("3–5" in m.value for m in at.markdown)
    at = find(at, "pengar")
    at.button(key="qc_match_ff_pengar").click()
    at = run(at)
    assert sorted(codings(app_project)) == [(T, 3, "ff_pengar", "anna"), (T, 4, "ff_pengar", "anna"),
                                            (T, 5, "ff_pengar", "anna")]
    assert audit_actions(app_project).count("coding.apply") == 1  # one step
    # the recent-code button (shortcut 1) applies it again to another selection
    at = pick(at, 8)
    assert at.button(key="qc_recent_ff_pengar").proto.shortcut
    at.button(key="qc_recent_ff_pengar").click()
    at = run(at)
    assert (T, 8, "ff_pengar", "anna") in codings(app_project)
    # undo walks back: first the single coding, then the group of three
    at.button(key="qc_undo").click()
    at = run(at)
    assert len(codings(app_project)) == 3
    at.button(key="qc_undo").click()
    at = run(at)
    assert codings(app_project) == []
    assert any("Ångrat: kod Ekonomiskt stöd från Samordningsförbund på 3 segment" in m
               for m in messages(at.toast)), messages(at.toast)


def test_extend_mode_selects_up_to_the_clicked_segment_and_remove_from_selection(app_project):
    at = pick(open_app(), 2)
    at.toggle(key="qc_extend").set_value(True)
    at = pick(run(at), 6)
    assert at.session_state["qc_sel"] == [2, 3, 4, 5, 6]
    at = find(at, "tid")
    at.button(key="qc_match_hi_tid").click()
    at = run(at)
    assert len(codings(app_project)) == 5
    at.button(key="qc_rm_hi_tid").click()
    at = run(at)
    assert codings(app_project) == []


def test_memo_is_saved_at_once_and_shown_as_text(app_project):
    at = pick(open_app(), 4)
    sid = segment_ids(app_project, T)[4]
    widget(at.text_area, f"qc_memo_{sid}").input("Viktigt: <b>inte fet</b> *inte kursiv*")
    at = run(at)
    with Project.open(app_project) as p:
        assert lib.segment_memos(p.store, p.transcript_id(T), "anna") == {
            sid: "Viktigt: <b>inte fet</b> *inte kursiv*"}
    assert [r["memo"] for r in list_rows(at) if r["pos"] == 4] == ["Viktigt: <b>inte fet</b> *inte kursiv*"]
    assert "memo.set" in audit_actions(app_project)
    # a fresh session (a reload) reads it back from the database
    at2 = pick(open_app(), 4)
    assert widget(at2.text_area, f"qc_memo_{sid}").value == "Viktigt: <b>inte fet</b> *inte kursiv*"


def test_search_is_accent_insensitive_and_jumps_to_hits_and_to_uncoded_segments(app_project):
    at = open_app()
    at.text_input(key="qc_search").input("forankringen")
    at = run(at)
    at.button(key="qc_next_hit").click()
    at = run(at)
    assert at.session_state["qc_sel"] == [10]
    at.toggle(key="qc_only_hits").set_value(True)
    at = run(at)
    assert [r["pos"] for r in list_rows(at)] == [10]
    at.toggle(key="qc_only_hits").set_value(False)
    at.text_input(key="qc_search").input("")
    at = run(at)
    ids = segment_ids(app_project, T)
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[1], ids[2], ids[4]], "hi_tid", coder="anna")
    at = pick(at, 1)
    at.button(key="qc_next_uncoded").click()
    at = run(at)
    assert at.session_state["qc_sel"] == [3]
    at.button(key="qc_next_uncoded").click()
    at = run(at)
    assert at.session_state["qc_sel"] == [5]


def test_mark_transcript_done_is_saved_and_read_back(app_project):
    at = open_app()
    with Project.open(app_project) as p:
        tid = p.transcript_id(T)
    widget(at.toggle, f"qc_done_{tid}").set_value(True)
    at = run(at)
    with Project.open(app_project) as p:
        assert "anna" in [tr for tr in p.transcripts() if tr["name"] == T][0]["done_by"]
    at2 = open_app()
    assert widget(at2.toggle, f"qc_done_{tid}").value is True
    assert "✓" in at2.selectbox(key="qc_transcript").format_func(T)
    widget(at2.toggle, f"qc_done_{tid}").set_value(False)
    run(at2)
    with Project.open(app_project) as p:
        assert "anna" not in [tr for tr in p.transcripts() if tr["name"] == T][0]["done_by"]


def test_blind_coding_hides_the_other_coders_codes_until_both_are_done(app_project):
    ids = segment_ids(app_project, T)
    with Project.open(app_project) as p:
        lib.apply_code_ids(p.store, [ids[5]], "hi_ensam", coder="bertil")
    at = open_app("anna")
    assert not any(r["others"] for r in list_rows(at))
    with Project.open(app_project) as p:
        p.mark_done("bertil", [T])
        p.mark_done("anna", [T])
    at = open_app("anna")
    assert "bertil: Ensam position som SE-coach" in [r["others"] for r in list_rows(at)]
    # the owner can turn blind coding off: then others' codes show at once
    with Project.open(app_project) as p:
        p.mark_done("anna", [T], done=False)
    assert not any(r["others"] for r in list_rows(open_app("anna")))
    with Project.open(app_project) as p:
        set_blind_coding(p.store, False, actor="anna")
    assert "bertil: Ensam position som SE-coach" in [r["others"] for r in list_rows(open_app("anna"))]


def test_a_long_transcript_is_paged_by_50_and_j_moves_across_pages(tmp_path, app_env, monkeypatch):
    path = make_project(tmp_path / "long.qcode", long_segments=1500)
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    at = open_transcript(open_app(), "lang_intervju.vtt")
    assert [r["pos"] for r in list_rows(at)] == list(range(1, 51))
    assert at.get("pagination")[0].proto.num_pages == 30
    at = pick(at, 50)
    at.button(key="qc_next").click()  # J
    at = run(at)
    assert at.session_state["qc_sel"] == [51]
    assert [r["pos"] for r in list_rows(at)] == list(range(51, 101))
    assert all(":" in r["meta"] for r in list_rows(at))  # speaker · time


def test_keyboard_shortcuts_are_bound(app_project):
    at = open_app()
    keys = {b.key: b.proto.shortcut for b in at.button if b.key in
            ("qc_prev", "qc_next", "qc_ext_up", "qc_ext_down", "qc_next_uncoded", "qc_undo", "qc_redo")}
    assert all(keys.values()) and len(keys) == 7


def test_signed_in_coder_sees_and_changes_only_own_codings(tmp_path, app_env, monkeypatch):
    path = make_project(tmp_path / "team.qcode", passwords={"anna": "hemligt ord", "bertil": "annat ord"})
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    monkeypatch.setenv("QCODE_SIGNIN", "1")
    ids = segment_ids(path, T)
    with Project.open(path) as p:
        lib.apply_code_ids(p.store, [ids[2]], "ff_pengar", coder="bertil")
    # a name remembered on this machine is not enough when served beyond localhost: a password is needed
    app_env.mkdir(exist_ok=True)
    (app_env / "app.json").write_text(json.dumps({"coders": {str(path.resolve()): "anna"}}))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.text_input(key="qc_signin_pw")
    assert not list_rows(at)
    assert not at.selectbox  # the page lists no coder names
    at.text_input(key="qc_signin_name").input("anna")
    at.text_input(key="qc_signin_pw").input("fel")
    at.form_submit_button[0].click()
    at = run(at)
    assert any("Fel namn eller lösenord" in e.value for e in at.error)
    at.text_input(key="qc_signin_name").input(" anna ")
    at.text_input(key="qc_signin_pw").input("hemligt ord")
    at.form_submit_button[0].click()
    at = run(at)
    at = run(at)
    assert chips(at, 2) == []  # bertil's coding is not anna's to see or change
    at = pick(at, 2)
    at = find(at, "tid")
    at.button(key="qc_match_hi_tid").click()
    at = run(at)
    assert sorted(codings(path)) == [(T, 2, "ff_pengar", "bertil"), (T, 2, "hi_tid", "anna")]
    assert chips(at, 2) == ["hi_tid"]
    at = trigger(at, "qc_list", "remove", {"pos": 2, "code": "ff_pengar", "n": 1})  # not hers: nothing happens
    assert sorted(codings(path)) == [(T, 2, "ff_pengar", "bertil"), (T, 2, "hi_tid", "anna")]
    at = trigger(at, "qc_list", "remove", {"pos": 2, "code": "hi_tid", "n": 2})
    assert codings(path) == [(T, 2, "ff_pengar", "bertil")]


def test_undo_in_the_app_reverses_a_coding_made_from_the_command_line(app_project):
    """Regression: the CLI's audit entry had ``segment_id``; the app's Undo raised KeyError on it."""
    from click.testing import CliRunner

    from coding.cli import cli

    result = CliRunner().invoke(cli, ["code", str(app_project), "--coder", "anna", "--transcript", T,
                                      "--segment", "4", "--code", "hi_ensam"])
    assert result.exit_code == 0, result.output
    at = open_app()
    at.button(key="qc_undo").click()
    at = run(at)
    assert codings(app_project) == []
    toasts = messages(at.toast)
    assert any("#4" in m and "1 segment" in m for m in toasts), toasts


def test_a_library_error_in_a_callback_is_a_message_not_a_traceback(app_project):
    at = find(pick(open_app(), 3), "pengar")
    with Project.open(app_project) as p:  # meanwhile someone deletes the transcript on screen
        p.delete_transcript(T, actor="anna")
    at.button(key="qc_match_ff_pengar").click()
    at = run(at)  # no exception
    errors = messages(at.error)
    assert any("no longer" in m for m in errors), errors
    at.button(key="qc_undo").click()
    at = run(at)
    assert codings(app_project) == []


def test_the_url_keeps_transcript_and_segment_so_a_reload_returns_there(app_project):
    at = open_app()
    at.selectbox(key="qc_transcript").select("eksjo_chef.txt")
    at = run(at)
    at = pick(at, 7)
    assert (at.query_params["t"], at.query_params["s"]) == ("eksjo_chef.txt", "7")
    # a new browser session (a reload) with that URL opens the same place
    again = AppTest.from_file(APP, default_timeout=60)
    again.session_state["qc_coder"] = "anna"
    again.query_params["t"] = "eksjo_chef.txt"
    again.query_params["s"] = "7"
    again.run()
    assert not again.exception
    assert again.selectbox(key="qc_transcript").value == "eksjo_chef.txt"
    assert again.session_state["qc_sel"] == [7]
    # a URL naming nothing that exists opens the first transcript, without an error
    odd = AppTest.from_file(APP, default_timeout=60)
    odd.session_state["qc_coder"] = "anna"
    odd.query_params["t"] = "<script>"
    odd.query_params["s"] = "²"
    odd.run()
    assert not odd.exception


def test_sign_in_locks_a_name_after_five_wrong_passwords_and_audits_every_attempt(tmp_path, app_env, monkeypatch):
    path = make_project(tmp_path / "team.qcode", passwords={"anna": "hemligt ord"})
    monkeypatch.setenv("QCODE_PROJECT", str(path))
    monkeypatch.setenv("QCODE_SIGNIN", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    for attempt in ["fel"] * 5 + ["hemligt ord"]:
        at.text_input(key="qc_signin_name").input("anna")
        at.text_input(key="qc_signin_pw").input(attempt)
        at.form_submit_button[0].click()
        at = run(at)
    assert any("spärrad" in e.value for e in at.error)  # even the right password waits now
    assert not list_rows(at)
    with Project.open(path) as p:
        actions = [e["action"] for e in p.audit_log(actor="anna")]
    assert actions[:6] == ["signin.locked"] + ["signin.failed"] * 5


def test_a_foreign_host_name_or_a_forwarding_proxy_is_never_local(monkeypatch):
    """DNS rebinding (a foreign name resolving to 127.0.0.1) and same-host proxies must not get local mode."""
    import streamlit as st

    from ui import state

    class Context:
        ip_address = None  # the loopback peer, as Streamlit reports it

        def __init__(self, headers):
            self.headers = headers

    monkeypatch.delenv("QCODE_SIGNIN", raising=False)
    for headers, remote in (({"Host": "localhost:8501"}, False), ({"Host": "127.0.0.1:8501"}, False),
                            ({"Host": "[::1]:8501"}, False), ({"Host": "evil.example:8501"}, True),
                            ({"Host": "localhost:8501", "X-Forwarded-For": "192.0.2.7"}, True)):
        monkeypatch.setattr(st, "context", Context(headers))
        assert state.is_remote() is remote, headers


def test_the_transcript_filter_keeps_its_choice_when_its_popover_closes(app_project):
    at = open_app(state={"qc_filter_open": True})
    at.multiselect(key="qc_filter_kommun").select("Eksjö")
    at = run(at)
    assert [o.split(" — ")[0] for o in at.selectbox(key="qc_transcript").options] == ["eksjo_chef.txt"]
    at.session_state["qc_filter_open"] = False  # closed: its lists are not drawn, the filter stays
    at = run(at)
    assert not [m for m in at.multiselect if m.key == "qc_filter_kommun"]
    assert [o.split(" — ")[0] for o in at.selectbox(key="qc_transcript").options] == ["eksjo_chef.txt"]
    assert list_rows(at)[0]["text"]
