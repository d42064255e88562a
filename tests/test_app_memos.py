"""The Memos page, the transcript memo box and the recording player on the coding page, and the
recordings section of the project page: AppTest on the real app and real project files."""

from __future__ import annotations

import io

from coding import Project
from app_helpers import messages, open_app, open_transcript, pick, run, texts
from conftest import write_wav
from ui.text import fmt_time

PAGE = "app_pages/memos.py"
HOSTILE = "<script>alert(1)</script> **fet** [länk](javascript:alert(2)) =cmd"


def memos(path, **filters):
    with Project.open(path) as p:
        return [(m.kind, m.target, m.coder, m.text) for m in p.memos(**filters)]


def rendered(at) -> list[str]:
    """Everything shown as Markdown (where markup would act)."""
    return [m.value for m in at.markdown] + [c.value for c in at.caption] + [x.value for x in at.success]


def write(at, text: str, kind: str = "project", target: str | None = None):
    if kind != "project":
        at.segmented_control(key="qc_memo_kind").set_value(kind)
        at = run(at)
        at.selectbox(key=f"qc_memo_{kind}").select(target)
    at.text_area(key="qc_memo_new").input(text)
    at.button(key="qc_memo_save").click()
    return run(at)


def test_write_memos_on_the_project_a_transcript_and_a_code(app_project):
    at = open_app("anna", page=PAGE)
    at = write(at, HOSTILE)
    at = write(at, "Chefen är ny sedan i höstas", "transcript", "eksjo_chef.txt")
    at = write(at, "Gränsfall mot brist på tid", "code", "hi_ensam")
    assert memos(app_project) == [("project", "project", "anna", HOSTILE),
                                  ("transcript", "eksjo_chef.txt", "anna", "Chefen är ny sedan i höstas"),
                                  ("code", "hi_ensam", "anna", "Gränsfall mot brist på tid")]
    assert at.text_area(key="qc_memo_new").value == ""  # the box is empty for the next memo
    shown = texts(at)
    assert shown[:3] == ["Gränsfall mot brist på tid", "Chefen är ny sedan i höstas", HOSTILE]  # newest first
    assert not any("<script" in m or "javascript:" in m for m in rendered(at))
    assert any("Ensam position som SE\\-coach \\(hi\\_ensam\\)" in c.value for c in at.caption)
    assert [b.label for b in at.download_button] == ["Ladda ner CSV", "Ladda ner MD", "Ladda ner DOCX"]


def test_a_memo_without_its_target_is_not_written(app_project):
    at = open_app("anna", page=PAGE)
    at.segmented_control(key="qc_memo_kind").set_value("transcript")
    at = run(at)
    at.text_area(key="qc_memo_new").input("Om vilket transkript?")
    at.button(key="qc_memo_save").click()
    at = run(at)
    assert memos(app_project) == [] and "Välj först vad memot gäller." in messages(at.warning)
    at.segmented_control(key="qc_memo_kind").set_value("project")
    at.text_area(key="qc_memo_new").input("   ")
    at.button(key="qc_memo_save").click()
    at = run(at)
    assert memos(app_project) == [] and any("needs some text" in m for m in messages(at.error))


def test_search_and_filters_narrow_the_list(app_project):
    with Project.open(app_project) as p:
        p.add_memo("Förankring i ledningen", coder="anna")
        p.add_memo("Ledningen saknas", coder="bertil", transcript="eksjo_chef.txt")
        p.add_memo("Ensam i rollen", coder="bertil", code="hi_ensam")
    at = open_app("anna", page=PAGE)
    assert len(texts(at)) == 3
    at.text_input(key="qc_memos_search").input("LEDNINGEN")
    at = run(at)
    assert texts(at) == ["Ledningen saknas", "Förankring i ledningen"]
    at.text_input(key="qc_memos_search").input("forankring")
    at = run(at)
    assert texts(at) == ["Förankring i ledningen"]
    at.text_input(key="qc_memos_search").input("")
    at.multiselect(key="qc_memos_kinds").set_value(["code"])
    at = run(at)
    assert texts(at) == ["Ensam i rollen"]
    at.multiselect(key="qc_memos_kinds").set_value([])
    at.selectbox(key="qc_memos_coder").select("bertil")
    at.selectbox(key="qc_memos_transcript").select("eksjo_chef.txt")
    at = run(at)
    assert texts(at) == ["Ledningen saknas"]


def test_edit_and_delete_own_memos_with_a_confirmation_and_undo(app_project):
    with Project.open(app_project) as p:
        mine = p.add_memo("Första tanken", coder="anna")
        p.add_memo("Bertils memo", coder="bertil")
    at = open_app("anna", page=PAGE)
    edit_boxes = [x for x in at.text_area if x.key.startswith("qc_memo_edit_")]
    assert len(edit_boxes) == 1 and edit_boxes[0].key.startswith(f"qc_memo_edit_m{mine.id}_")  # bertil's: none
    edit_boxes[0].input("Andra tanken")
    at.button(key=f"{edit_boxes[0].key}_save").click()
    at = run(at)
    assert memos(app_project, coder="anna") == [("project", "project", "anna", "Andra tanken")]
    assert "Memot ändrat." in messages(at.success)

    delete = [b for b in at.button if b.key.startswith("qc_memo_delete_")]
    assert len(delete) == 1 and delete[0].disabled  # not before the confirmation
    [sure] = [x for x in at.checkbox if x.key.startswith("qc_memo_sure_")]
    sure.check()
    at = run(at)
    [delete] = [b for b in at.button if b.key.startswith("qc_memo_delete_")]
    assert not delete.disabled
    delete.click()
    at = run(at)
    assert memos(app_project, coder="anna") == [] and "Andra tanken" not in texts(at)

    at.button(key="qc_memos_undo").click()
    at = run(at)
    assert memos(app_project, coder="anna") == [("project", "project", "anna", "Andra tanken")]
    assert "Ångrat: borttagningen av memot (projektet)." in messages(at.success)
    assert "Andra tanken" in texts(at)


def test_a_viewer_reads_and_downloads_but_writes_nothing(app_project):
    with Project.open(app_project) as p:
        p.add_memo("Annas memo", coder="anna")
        p.add_coder("vera", actor="anna")
        p.set_role("vera", "viewer", actor="anna")
    at = open_app("vera", page=PAGE)
    assert texts(at) == ["Annas memo"]
    assert not [x for x in at.text_area if x.key == "qc_memo_new"]
    assert "Din roll är läsare" in at.info[0].value
    assert len(at.download_button) == 3


def test_the_downloads_are_the_filtered_memos(app_project):
    import docx

    from ui.page_memos import _file

    with Project.open(app_project) as p:
        p.add_memo(HOSTILE, coder="anna")
        listed = p.memos()
    data = _file(str(app_project), "docx", listed, "sv")()
    paragraphs = [x.text for x in docx.Document(io.BytesIO(data)).paragraphs]
    assert paragraphs[:2] == ["Memon: study", "1 memo"] and HOSTILE in paragraphs
    csv_text = _file(str(app_project), "csv", listed, "en")().decode("utf-8")
    assert "'=cmd" not in csv_text.splitlines()[1] and csv_text.splitlines()[1].endswith(HOSTILE)


def test_the_coding_page_shows_and_writes_memos_on_the_open_transcript(app_project):
    with Project.open(app_project) as p:
        p.add_memo("Bertil: intervjun var kort", coder="bertil", transcript="aneby_se-coach.txt")
        p.add_memo("Om ett annat transkript", coder="bertil", transcript="eksjo_chef.txt")
    at = open_app("anna", state={"qc_tmemo_open": True})  # the popover open: its contents are drawn
    assert [e.proto.popover.label for e in at.get("popover") if e.proto.popover.label.startswith("Memon")] == [
        "Memon (1)"]
    assert "Bertil: intervjun var kort" in texts(at) and "Om ett annat transkript" not in texts(at)
    at.text_area(key="qc_tmemo_aneby_se-coach.txt").input("Anna: ljudet brusar <b>")
    at.button(key="qc_tmemo_save_aneby_se-coach.txt").click()
    at = run(at)
    assert memos(app_project, transcript="aneby_se-coach.txt")[-1] == (
        "transcript", "aneby_se-coach.txt", "anna", "Anna: ljudet brusar <b>")
    assert "Memon (2)" in [e.proto.popover.label for e in at.get("popover")]
    at = open_transcript(at, "eksjo_chef.txt")
    assert "Om ett annat transkript" in texts(at) and "Anna: ljudet brusar <b>" not in texts(at)


# ------------------------------------------------------------------ the player

def audio(at):
    return [(a.proto.start_time, a.proto.url) for a in at.get("audio")]


def test_the_player_starts_at_the_selected_segments_time(demo, tmp_path):
    with Project.open(demo) as p:
        p.attach_media("gnosjo_chef.vtt", write_wav(tmp_path / "gnosjo_chef.wav", seconds=2))
        starts = {s.position: s.t_start for s in p.segments("gnosjo_chef.vtt")}
    at = open_transcript(open_app("anna"), "gnosjo_chef.vtt")
    assert not [x for x in at.toggle if x.key == "qc_media_on"]  # nothing selected: no player
    at = pick(at, 5)
    switch = at.toggle(key="qc_media_on")
    assert 0 < starts[5] < starts[13] and int(starts[5]) != int(starts[13])
    assert switch.label == f"Spela upp från {fmt_time(int(starts[5]))}"
    assert audio(at) == []  # drawn only when asked for
    switch.set_value(True)
    at = run(at)
    [(start, url)] = audio(at)
    assert start == int(starts[5]) and url.endswith(".wav")
    at = pick(at, 13)
    assert [s for s, _ in audio(at)] == [int(starts[13])]
    at.button(key="qc_ext_down").click()  # two segments selected: no player
    at = run(at)
    assert not audio(at) and not [x for x in at.toggle if x.key == "qc_media_on"]
    at = pick(at, 5)  # one again: the player is still on
    assert at.toggle(key="qc_media_on").value is True and [s for s, _ in audio(at)] == [int(starts[5])]


def test_no_player_without_a_recording_and_a_warning_when_it_has_moved(demo, tmp_path):
    at = open_transcript(open_app("anna"), "gnosjo_chef.vtt")
    at = pick(at, 5)
    assert not [x for x in at.toggle if x.key == "qc_media_on"] and not at.get("audio")
    wav = write_wav(tmp_path / "gnosjo_chef.wav")
    with Project.open(demo) as p:
        p.attach_media("gnosjo_chef.vtt", wav)
    wav.unlink()
    at = run(at)
    assert not at.get("audio")
    [warning] = messages(at.warning)
    assert "finns inte längre i" in warning and str(wav) in warning


def test_a_transcript_without_times_plays_from_the_start(app_project, tmp_path):
    with Project.open(app_project) as p:
        p.attach_media("aneby_se-coach.txt", write_wav(tmp_path / "a.wav"))
    at = open_app("anna")
    at = pick(at, 2)
    switch = at.toggle(key="qc_media_on")
    assert switch.label.startswith("Spela upp inspelningen")
    switch.set_value(True)
    at = run(at)
    assert [s for s, _ in audio(at)] == [0]


# -------------------------------------------------------- the project page

def test_the_project_page_attaches_by_upload_and_by_path_and_detaches(app_project, tmp_path):
    at = open_app("anna", page="app_pages/project.py")
    data = write_wav(tmp_path / "upload.wav").read_bytes()
    uploaders = [u for u in at.get("file_uploader") if not u.key.startswith("qc_qdpx_")]   # not the .qdpx import
    assert len(uploaders) == 1  # the transcripts' upload box; the recording's comes with a choice
    at.selectbox(key="qc_media_transcript").select("aneby_se-coach.txt")
    at = run(at)
    at.file_uploader(key="qc_media_upload_0").set_value(("Aneby: coach.wav", data, "audio/wav"))
    at.button(key="qc_media_attach").click()
    at = run(at)
    with Project.open(app_project) as p:
        info = p.media("aneby_se-coach.txt")
    assert info.stored_path == "study.qcode.media/Aneby_ coach.wav" and info.path.read_bytes() == data
    assert any("kopplades till aneby_se-coach.txt" in m for m in messages(at.success))

    other = write_wav(tmp_path / "eksjo.wav", seconds=2)
    at.selectbox(key="qc_media_transcript").select("eksjo_chef.txt")
    at = run(at)
    at.text_input(key="qc_media_path").input(str(other))
    at.button(key="qc_media_attach").click()
    at = run(at)
    with Project.open(app_project) as p:
        assert [m.transcript for m in p.media_files()] == ["aneby_se-coach.txt", "eksjo_chef.txt"]

    at.text_input(key="qc_media_path").input(str(tmp_path / "inte_ljud.mp3"))
    (tmp_path / "inte_ljud.mp3").write_text("Intervjuare: hej", encoding="utf-8")
    at.button(key="qc_media_attach").click()
    at = run(at)
    assert any("does not look like a \\.mp3 recording" in e.value for e in at.error)

    at.selectbox(key="qc_media_detach").select("eksjo_chef.txt")
    at.button(key="qc_media_remove").click()
    at = run(at)
    with Project.open(app_project) as p:
        assert [m.transcript for m in p.media_files()] == ["aneby_se-coach.txt"]
    assert other.exists()


def test_a_coder_who_is_no_owner_sees_no_recordings_section(app_project):
    at = open_app("bertil", page="app_pages/project.py")
    assert not [x for x in at.selectbox if x.key == "qc_media_transcript"]
