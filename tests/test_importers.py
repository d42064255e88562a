"""Tests of coding.importers: real files written in tmp_path, exact offsets and speakers."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from pathlib import Path

import docx
import pytest

from coding.errors import ImportProblem
from coding.importers import (
    ParsedTranscript,
    Turn,
    clean_document_text,
    decode_text,
    parse_time,
    read_transcript,
    read_transcript_bytes,
    split_turns,
)

SEEDS = Path("/work/shared/seeds")
SWEDISH = "Vi började på AME i Växjö, Åsa och Örjan var där."


def utterances(p: ParsedTranscript) -> list[tuple[str | None, str]]:
    """(speaker, utterance) of every turn."""
    return [(t.speaker, p.text[t.start:t.end]) for t in p.turns]


def check_turn_invariants(p: ParsedTranscript) -> None:
    """Turns are in order, do not overlap, lie inside the text and are stripped."""
    previous_end = 0
    for t in p.turns:
        assert previous_end <= t.start < t.end <= len(p.text)
        chunk = p.text[t.start:t.end]
        assert chunk == chunk.strip()
        previous_end = t.end


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --------------------------------------------------------------------------- encodings

INTERVIEW = f"Intervju med SE-coach, Aneby\n\nIntervjuare: Hur började det?\nIP: {SWEDISH}\n"


@pytest.mark.parametrize("codec, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("cp1252", "cp1252"),
    ("latin-1", "cp1252"),      # identical bytes for text; see decode_text
    ("utf-16", "utf-16"),       # Word's "Unicode text" (with a BOM)
])
def test_txt_encodings_keep_swedish_letters(tmp_path, codec, expected):
    path = write(tmp_path, "aneby.txt", INTERVIEW.encode(codec))
    p = read_transcript(path)
    assert p.encoding == expected
    assert p.text == INTERVIEW                        # BOM stripped, å ä ö Å Ä Ö intact
    assert utterances(p) == [(None, "Intervju med SE-coach, Aneby"),
                             ("Intervjuare", "Hur började det?"), ("IP", SWEDISH)]


def test_cp1252_specific_characters(tmp_path):
    text = "IP: Det var ”bra” – tänk 5 € … ja.\n"
    p = read_transcript(write(tmp_path, "a.txt", text.encode("cp1252")))
    assert p.encoding == "cp1252"
    assert p.text == text


def test_line_endings_are_normalised(tmp_path):
    p = read_transcript(write(tmp_path, "a.txt", b"I: Hej\r\nIP: Hall\xe5\r\rI: Sista\rrad\x0cny sida"))
    assert p.text == "I: Hej\nIP: Hallå\n\nI: Sista\nrad\nny sida"
    assert utterances(p) == [("I", "Hej"), ("IP", "Hallå"), ("I", "Sista\nrad\nny sida")]


def test_decode_text_directly():
    assert decode_text("å\r\n".encode("utf-8")) == ("å\n", "utf-8")
    assert decode_text("\ufeffå".encode("utf-8")) == ("å", "utf-8-sig")
    assert decode_text("Hej på dig".encode("latin-1")) == ("Hej på dig", "cp1252")


@pytest.mark.parametrize("data, message", [
    (b"Hej d\x81r, vi ses\n", "neither UTF-8 nor Windows-1252"),
    (b"\x81\x8d\x00\x9d\x90\xff\xfe\x00\x01", "binary"),
    (bytes(range(256)) * 40, "binary"),
    (bytes(range(1, 32)) * 100, "binary"),
    (b"Rad ett\nrad tv\xe5 med \x01 styrtecken\n", "control character 0x01"),
    ("Hälsning från Åsa".encode("utf-8") + b" och \xe5sa", "mixes UTF-8"),
    (b"\xa7\xb0\xb1\xb2\xb3\xb4\xb5\xb6 \xb9\xba\xbb\xbc\xbd\xbe\xbf", "too few letters"),
])
def test_non_text_bytes_are_refused(tmp_path, data, message):
    path = write(tmp_path, "broken.txt", data)
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    assert message in str(caught.value)
    assert caught.value.path == str(path)


def test_bad_byte_error_names_the_line(tmp_path):
    path = write(tmp_path, "a.txt", b"I: rad ett\nIP: rad tv\xe5\nI: tre \x90\n")
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    assert caught.value.line == 3
    assert "0x90" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:3: ")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t ", "\ufeff\n".encode("utf-8")])
def test_empty_file(tmp_path, data):
    with pytest.raises(ImportProblem, match="is empty"):
        read_transcript(write(tmp_path, "empty.txt", data))


# --------------------------------------------------------------------------- speaker labels

@pytest.mark.parametrize("line, speaker, utterance, t_start", [
    ("Intervjuare: Hur började det?", "Intervjuare", "Hur började det?", None),
    ("I: Hur?", "I", "Hur?", None),
    ("IP: Så här.", "IP", "Så här.", None),
    ("Int: Berätta.", "Int", "Berätta.", None),
    ("SE-coach: Vi träffas.", "SE-coach", "Vi träffas.", None),
    ("Chef: Budgeten.", "Chef", "Budgeten.", None),
    ("Chef 2: Budgeten.", "Chef 2", "Budgeten.", None),
    ("Handläggare AF: Beslutet.", "Handläggare AF", "Beslutet.", None),
    ("Deltagare 3: Jobbet.", "Deltagare 3", "Jobbet.", None),
    ("Interviewer: How?", "Interviewer", "How?", None),
    ("Respondent: Like this.", "Respondent", "Like this.", None),
    ("R: Like this.", "R", "Like this.", None),
    ("Moderator: Welcome.", "Moderator", "Welcome.", None),
    ("intervjuare: små bokstäver", "intervjuare", "små bokstäver", None),
    ("IP2: Ja.", "IP2", "Ja.", None),
    ("Talare 1: Hej.", "Talare 1", "Hej.", None),
    ("[00:01:23] Anna: Hej.", "Anna", "Hej.", 83.0),
    ("[00:01:23.500] Anna: Hej.", "Anna", "Hej.", 83.5),
    ("(00:01:23) Anna: Hej.", "Anna", "Hej.", 83.0),
    ("00:01:23 Anna: Hej.", "Anna", "Hej.", 83.0),
    ("[01:23] IP: Hej.", "IP", "Hej.", 83.0),
    ("[1:02:03] IP: Hej.", "IP", "Hej.", 3723.0),
    ("Anna [00:01:23]: Hej.", "Anna", "Hej.", 83.0),
    ("Anna Svensson (00:00:05): Hej.", "Anna Svensson", "Hej.", 5.0),
    ("**Intervjuare:** Hej.", "Intervjuare", "Hej.", None),
    ("**Intervjuare**: Hej.", "Intervjuare", "Hej.", None),
    ("*IP:* Hej.", "IP", "Hej.", None),
])
def test_speaker_conventions(line, speaker, utterance, t_start):
    text = f"Rubrik\n{line}\n"
    turns = split_turns(text)
    assert [(t.speaker, text[t.start:t.end], t.t_start) for t in turns] == [
        (None, "Rubrik", None), (speaker, utterance, t_start)]


def test_bare_names_need_two_lines():
    text = "Anna: Hej.\nAnna Svensson: Hej Anna.\nAnna: Hur mår du?\nAnna Svensson: Bra."
    turns = split_turns(text)
    assert [(t.speaker, text[t.start:t.end]) for t in turns] == [
        ("Anna", "Hej."), ("Anna Svensson", "Hej Anna."), ("Anna", "Hur mår du?"), ("Anna Svensson", "Bra.")]
    assert [(t.start, t.end) for t in turns] == [(6, 10), (26, 35), (42, 53), (69, 73)]


def test_name_and_time_on_a_line_of_their_own():
    text = "Anna Svensson   0:03\nHej och välkommen.\n\nBertil 0:15\nTack.\nAnna Svensson   1:02\nSå.\n"
    turns = split_turns(text)
    assert [(t.speaker, text[t.start:t.end], t.t_start) for t in turns] == [
        ("Anna Svensson", "Hej och välkommen.", 3.0), ("Bertil", "Tack.", 15.0), ("Anna Svensson", "Så.", 62.0)]
    # Bertil's name occurs once: a document with two or more name-time lines is in that style


def test_single_name_time_line_is_text():
    text = "Protokoll\nMöte 2 14:00\nVi pratade."
    assert [t.speaker for t in split_turns(text)] == [None]


def test_false_positives_are_not_labels():
    text = ("Intervjuare: Vad är viktigast?\n"
            "IP: Det här är viktigt: vi måste samverka.\n"
            "Viktigt: det tar tid.\n"
            "Chefen menade: ingen budget.\n"
            "Det var kl. 10:30 som vi sågs, se https://fourum.se\n"
            "https://example.org: länk\n"
            "AME:s verksamhet växer.\n"
            "Datum: 2013-10-02\n"
            "2013: 1 st\n"
            "I Aneby: två coacher\n"
            "En mening som är lång och har många ord innan kolon kommer: så.\n")
    p_turns = split_turns(text)
    assert [t.speaker for t in p_turns] == ["Intervjuare", "IP"]
    assert text[p_turns[1].start:p_turns[1].end] == text[text.index("Det här"):].rstrip()


def test_false_positive_guard_counts_repeats():
    # a capitalised word before a colon is a name once it starts two lines (documented trade-off)
    text = "Anna: Hej.\nViktigt: nej.\nViktigt: ja.\n"
    assert [(t.speaker, text[t.start:t.end]) for t in split_turns(text)] == [
        (None, "Anna: Hej."), ("Viktigt", "nej."), ("Viktigt", "ja.")]
    assert [t.speaker for t in split_turns("Anna: Hej.\nViktigt: nej.\n")] == [None]


def test_continuation_paragraphs_and_blank_lines(tmp_path):
    text = ("Intervju med SE-coach, Aneby, 2013-10-02\n\n"
            "Intervjuare: Hur började det?\n\n"
            "IP: Vi började 2012.\n\n"
            "Sedan kom fler.\n"
            "Och ännu fler.\n\n\n"
            "Intervjuare: Tack.\n")
    p = read_transcript(write(tmp_path, "aneby_coach.txt", text))
    assert p.name == "aneby_coach.txt" and p.format == "txt"
    assert utterances(p) == [
        (None, "Intervju med SE-coach, Aneby, 2013-10-02"),
        ("Intervjuare", "Hur började det?"),
        ("IP", "Vi började 2012.\n\nSedan kom fler.\nOch ännu fler."),
        ("Intervjuare", "Tack."),
    ]
    assert [(t.start, t.end) for t in p.turns] == [(0, 40), (55, 71), (77, 125), (141, 146)]
    check_turn_invariants(p)


def test_label_alone_on_its_line_then_text():
    text = "Intervjuare:\nHur började det?\nIP:\n\nSå här.\nI:\nIP: Ja."
    turns = split_turns(text)
    # "I:" with nothing after it gives no turn
    assert [(t.speaker, text[t.start:t.end]) for t in turns] == [
        ("Intervjuare", "Hur började det?"), ("IP", "Så här."), ("IP", "Ja.")]


def test_text_without_labels_is_one_turn(tmp_path):
    p = read_transcript(write(tmp_path, "notes.md", "# Workshop\n\nVi pratade om samverkan.\n"))
    assert p.format == "md"
    assert utterances(p) == [(None, "# Workshop\n\nVi pratade om samverkan.")]


def test_markdown_bold_labels(tmp_path):
    p = read_transcript(write(tmp_path, "i.md", "**Intervjuare:** Hej.\n\n**IP:** Hej själv.\n"))
    assert utterances(p) == [("Intervjuare", "Hej."), ("IP", "Hej själv.")]
    assert p.text == "**Intervjuare:** Hej.\n\n**IP:** Hej själv.\n"


def test_parse_time():
    assert parse_time("00:01:23") == 83.0
    assert parse_time("01:23") == 83.0
    assert parse_time("1:02:03.25") == 3723.25
    assert parse_time("83,5") == 83.5
    for bad in ("", "1:75", "ab", "1:2:3:4", "-3"):
        with pytest.raises(ValueError):
            parse_time(bad)


# --------------------------------------------------------------------------- .docx

def make_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("Intervju med chef, Växjö")
    d.add_paragraph("")
    p = d.add_paragraph()
    p.add_run("Intervjuare:").bold = True
    p.add_run(" Hur går det för Åsa?")
    d.add_paragraph("IP: Det går bra, även för Örjan.")
    d.add_paragraph("Vi har fått mer stöd.")      # continuation paragraph
    d.add_paragraph("")
    d.add_paragraph("Intervjuare: Något mer?")
    table = d.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text = "Kommun"
    table.cell(0, 2).text = "Hinder"
    table.cell(1, 0).text = "Aneby"
    table.cell(1, 1).text = "Ensam"
    table.cell(1, 2).text = "Låg\nförankring"
    d.add_paragraph("IP: Nej.")
    d.save(path)
    return path


def test_docx(tmp_path):
    path = make_docx(tmp_path / "växjö_chef.docx")
    p = read_transcript(path)
    assert p.format == "docx" and p.encoding is None
    assert p.text == ("Intervju med chef, Växjö\n\n"
                      "Intervjuare: Hur går det för Åsa?\n"
                      "IP: Det går bra, även för Örjan.\n"
                      "Vi har fått mer stöd.\n\n"
                      "Intervjuare: Något mer?\n"
                      "Kommun | Hinder\n"
                      "Aneby | Ensam | Låg förankring\n"
                      "IP: Nej.")
    assert utterances(p) == [
        (None, "Intervju med chef, Växjö"),
        ("Intervjuare", "Hur går det för Åsa?"),
        ("IP", "Det går bra, även för Örjan.\nVi har fått mer stöd."),
        ("Intervjuare", "Något mer?"),
        (None, "Kommun | Hinder\nAneby | Ensam | Låg förankring"),  # a table is said by nobody
        ("IP", "Nej."),
    ]
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    check_turn_invariants(p)


def test_docx_upload_bytes(tmp_path):
    data = make_docx(tmp_path / "a.docx").read_bytes()
    p = read_transcript_bytes(data, "uploads/Chef Växjö.DOCX")
    assert p.name == "Chef Växjö.DOCX" and p.format == "docx"
    assert p.turns[1].speaker == "Intervjuare"


def test_docx_that_is_not_a_docx(tmp_path):
    path = write(tmp_path, "bild.docx", bytes(range(256)) * 10)
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: is not a valid .docx file (not a zip archive; a .docx file is one)"


def test_docx_truncated(tmp_path):
    data = make_docx(tmp_path / "full.docx").read_bytes()
    path = write(tmp_path, "halv.docx", data[: len(data) // 2])
    with pytest.raises(ImportProblem, match=r"halv\.docx: is not a valid \.docx file \(damaged or truncated zip"):
        read_transcript(path)


def test_docx_zip_without_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hej")
    with pytest.raises(ImportProblem, match=r"is not a valid \.docx file"):
        read_transcript(write(tmp_path, "zip.docx", buffer.getvalue()))


def test_old_word_doc_renamed(tmp_path):
    with pytest.raises(ImportProblem, match="old binary Word .doc file"):
        read_transcript(write(tmp_path, "gammal.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))


def test_empty_docx(tmp_path):
    d = docx.Document()
    d.add_paragraph("  ")
    d.save(tmp_path / "tom.docx")
    with pytest.raises(ImportProblem, match="is empty"):
        read_transcript(tmp_path / "tom.docx")


# --------------------------------------------------------------------------- .vtt and .srt

VTT = """WEBVTT
Kind: captions

NOTE exported from Teams

1
00:00:01.000 --> 00:00:04.500
<v Anna Svensson>Hej och <b>välkommen</b>!</v>

2
00:00:04.500 --> 00:00:06.000
<v Anna Svensson>Vi börjar &amp; kör.</v>

00:00:06.000 --> 00:00:09.250 align:start
<v.loud Bertil>Tack, <c.yellow>det</c> är
bra att vara här.</v>

00:00:10.000 --> 00:00:11.000
Intervjuare: Hur började det?

00:00:11.000 --> 00:00:12.000
musik

00:01:00.000 --> 00:01:02.000
Intervjuare: Och sen?
"""


def test_vtt_voices_times_and_merging(tmp_path):
    p = read_transcript(write(tmp_path, "teams.vtt", VTT))
    assert p.format == "vtt" and p.encoding == "utf-8"
    assert p.text == ("Anna Svensson: Hej och välkommen!\n"
                      "Vi börjar & kör.\n"
                      "Bertil: Tack, det är bra att vara här.\n"
                      "Intervjuare: Hur började det?\n"
                      "musik\n"
                      "Intervjuare: Och sen?")
    assert [(t.speaker, p.text[t.start:t.end], t.t_start, t.t_end) for t in p.turns] == [
        ("Anna Svensson", "Hej och välkommen!\nVi börjar & kör.", 1.0, 6.0),
        ("Bertil", "Tack, det är bra att vara här.", 6.0, 9.25),
        ("Intervjuare", "Hur började det?", 10.0, 11.0),
        (None, "musik", 11.0, 12.0),
        ("Intervjuare", "Och sen?", 60.0, 62.0),
    ]
    check_turn_invariants(p)


def test_vtt_broken_timestamp_names_file_and_line(tmp_path):
    broken = VTT.replace("00:00:06.000 --> 00:00:09.250", "00:00:06.000 --> 00:00:9,2x0")
    path = write(tmp_path, "trasig.vtt", broken)
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    assert caught.value.line == 14
    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}:14: broken cue timing '00:00:06.000 --> 00:00:9,2x0 align:start'")


def test_vtt_impossible_time_and_reversed_cue(tmp_path):
    with pytest.raises(ImportProblem, match="broken cue timing") as caught:
        read_transcript(write(tmp_path, "a.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:75.000\nHej\n"))
    assert caught.value.line == 3
    with pytest.raises(ImportProblem, match="ends before it starts") as caught:
        read_transcript(write(tmp_path, "b.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nHej\n"))
    assert caught.value.line == 3


def test_vtt_text_outside_cue(tmp_path):
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHej\n\nandra stycket\n"
    with pytest.raises(ImportProblem, match="text outside any cue") as caught:
        read_transcript(write(tmp_path, "a.vtt", text))
    assert caught.value.line == 6


def test_vtt_without_header(tmp_path):
    with pytest.raises(ImportProblem, match="not a valid .vtt file .*WEBVTT"):
        read_transcript(write(tmp_path, "a.vtt", "00:00:01.000 --> 00:00:02.000\nHej\n"))


def test_vtt_name_prefixes_follow_the_label_rules(tmp_path):
    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnna: Hej.\n\n"
            "00:00:02.000 --> 00:00:03.000\nViktigt: en gång.\n\n"
            "00:00:03.000 --> 00:00:04.000\nBo: Hej Anna.\n  \nmed en rad till\n\n"
            "00:00:04.000 --> 00:00:05.000\nAnna: Hej Bo.\n\n"
            "00:00:05.000 --> 00:00:06.000\nAnna:\n")
    p = read_transcript(write(tmp_path, "a.vtt", text))
    assert p.text == "Anna: Hej.\nViktigt: en gång.\nBo: Hej Anna. med en rad till\nAnna: Hej Bo.\nAnna:"
    assert [(t.speaker, p.text[t.start:t.end], t.t_start) for t in p.turns] == [
        ("Anna", "Hej.", 1.0),
        (None, "Viktigt: en gång.", 2.0),                  # a name used once is text
        (None, "Bo: Hej Anna. med en rad till", 3.0),
        ("Anna", "Hej Bo.", 4.0),
        (None, "Anna:", 5.0),                              # a label with no text stays text
    ]


SRT = """1
00:00:01,000 --> 00:00:03,000
Intervjuare: Hur började <i>det</i>?

2
00:00:03,500 --> 00:00:05,000
IP: Vi började
i Växjö.

3
00:00:05,000 --> 00:00:07,000
IP: Med Åsa.
"""


def test_srt(tmp_path):
    p = read_transcript(write(tmp_path, "a.srt", SRT.encode("cp1252")))
    assert p.format == "srt" and p.encoding == "cp1252"
    assert p.text == "Intervjuare: Hur började det?\nIP: Vi började i Växjö.\nMed Åsa."
    assert [(t.speaker, p.text[t.start:t.end], t.t_start, t.t_end) for t in p.turns] == [
        ("Intervjuare", "Hur började det?", 1.0, 3.0),
        ("IP", "Vi började i Växjö.\nMed Åsa.", 3.5, 7.0),
    ]


def test_srt_broken_timestamp(tmp_path):
    path = write(tmp_path, "a.srt", SRT.replace("00:00:03,500 --> 00:00:05,000", "00:00:03,500 --> 00:0O:05,000"))
    with pytest.raises(ImportProblem, match="broken cue timing") as caught:
        read_transcript(path)
    assert caught.value.line == 6


# --------------------------------------------------------------------------- .csv

def test_csv_semicolon_swedish_headers(tmp_path):
    data = ('Talare;Yttrande;Tid;Slut\n'
            'Intervjuare;Hur började det?;00:00:05;00:00:09\n'
            'IP;"Vi började; i Växjö\nmed Åsa.";00:01:23;\n'
            ';;;\n'
            'Chef 2;;;\n'
            ';Utan talare;90;\n')
    p = read_transcript(write(tmp_path, "a.csv", data.encode("utf-8-sig")))
    assert p.format == "csv" and p.encoding == "utf-8-sig"
    assert p.text == "Intervjuare: Hur började det?\nIP: Vi började; i Växjö\nmed Åsa.\nUtan talare"
    assert [(t.speaker, p.text[t.start:t.end], t.t_start, t.t_end) for t in p.turns] == [
        ("Intervjuare", "Hur började det?", 5.0, 9.0),
        ("IP", "Vi började; i Växjö\nmed Åsa.", 83.0, None),
        (None, "Utan talare", 90.0, None),
    ]
    assert p.warnings == ["skipped 1 rows with an empty text column"]


def test_csv_comma_and_tab(tmp_path):
    p = read_transcript(write(tmp_path, "a.csv", "Speaker,Text\nAnna,\"Hi, there\"\nBo,Hello\n"))
    assert utterances(p) == [("Anna", "Hi, there"), ("Bo", "Hello")]
    p = read_transcript(write(tmp_path, "b.csv", "Namn\tTranscript\nAnna\tHej\n"))
    assert utterances(p) == [("Anna", "Hej")]


def test_csv_without_text_column(tmp_path):
    path = write(tmp_path, "a.csv", "Talare;Kommentar\nAnna;Hej\n")
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: no text column in the header row (found columns: 'Talare', 'Kommentar')")
    assert "text / utterance / yttrande / transcript" in message


def test_csv_unclosed_quote(tmp_path):
    path = write(tmp_path, "a.csv", 'talare;text\nA;hej\nB;"aldrig stängd\nC;hej\n')
    with pytest.raises(ImportProblem, match="malformed CSV") as caught:
        read_transcript(path)
    assert caught.value.line == 3


def test_csv_bad_time_names_line(tmp_path):
    path = write(tmp_path, "a.csv", 'talare;text;tid\nA;"två\nrader";00:00:01\nB;hej;klockan tre\n')
    with pytest.raises(ImportProblem, match="cannot read the start time 'klockan tre'") as caught:
        read_transcript(path)
    assert caught.value.line == 4


# --------------------------------------------------------------------------- clean=True

OCR_PAGE = """Foérstudie om efterstod 0-{page}

Det finns {word} personer med funktionsnedsattning som trots kompetens och
férutsattningar att vara sjalvforsorjande &r arbetslosa. Ett {word} problem hand-
lar ofta om att hitta ratt stod for SE-
coacher och {word} arbetsgivar-
och arbetstagarsidan i {word}.
Vi behover samverka mer.

{page}
"""

REPORT = ("Hallbart arbetsliv i Ovanaker projekttid: oktober 2020 till augusti 2023\n\n"
          "Sammanfattning\n\nDet ar svarare att komma i\n\n"
          "Hallbart arbetsliv i Ovanaker projekttid: oktober 2020 till augusti 2023\n\n"
          "arbete jamfort med andra.\n\n"
          "Hallbart arbetsliv i Ovanaker projekttid: oktober 2020 till augusti 2023\n\n"
          "Slut.\n")


def test_clean_removes_running_headers_and_page_numbers(tmp_path):
    words = ("ett", "två", "tre")
    text = "".join(OCR_PAGE.format(page=n, word=w) for n, w in zip((2, 3, 4), words))
    p = read_transcript(write(tmp_path, "forstudie.txt", text), clean=True)
    paragraph = ("Det finns {0} personer med funktionsnedsattning som trots kompetens och "
                 "férutsattningar att vara sjalvforsorjande &r arbetslosa. Ett {0} problem "
                 "handlar ofta om att hitta ratt stod for SE-coacher och {0} arbetsgivar- och arbetstagarsidan i {0}.\n"
                 "Vi behover samverka mer.")   # repeated 3 times but part of a paragraph: kept
    assert p.text == "\n\n".join(paragraph.format(w) for w in words)
    assert p.warnings == [
        'removed 3 repeated header/footer lines: "Foérstudie om efterstod 0-2" ×3',
        "removed 3 page-number lines",
        "rejoined 3 words hyphenated across line breaks",
        "joined 12 hard-wrapped lines to the line above",
    ]
    assert utterances(p) == [(None, p.text)]


def test_clean_joins_sentence_across_page_header(tmp_path):
    p = read_transcript(write(tmp_path, "ovanaker.txt", REPORT), clean=True)
    assert p.text == "Sammanfattning\n\nDet ar svarare att komma i arbete jamfort med andra.\n\nSlut.\n"
    assert p.warnings[0].startswith("removed 3 repeated header/footer lines")


def test_clean_page_number_forms():
    text = "Ett.\n\nSida 3 av 17\n\nTva.\n- 12 -\nTre.\n3 (17)\nFyra.\n2013\nFem.\np. 4\n"
    assert clean_document_text(text) == "Ett.\n\nTva.\n\nTre.\n\nFyra.\n2013\nFem."


def test_without_clean_nothing_changes(tmp_path):
    p = read_transcript(write(tmp_path, "ovanaker.txt", REPORT))
    assert p.text == REPORT and p.warnings == []


def test_clean_keeps_speaker_lines_and_short_repeats():
    text = ("Intervjuare: Ja.\nIP: Ja.\nIntervjuare: Ja.\nIP: Ja.\nintervjuare: ja.\n"
            "Mm.\nMm.\nMm.\n")
    assert clean_document_text(text) == text.rstrip("\n") + "\n"


def test_clean_document_text_docstring_example():
    assert clean_document_text("Ett problem hand-\nlar ofta om\natt hitta rätt.") == \
        "Ett problem handlar ofta om att hitta rätt."


def test_clean_on_docx(tmp_path):
    d = docx.Document()
    for n, place in enumerate(("Aneby", "Eksjö", "Nässjö"), start=1):
        d.add_paragraph(f"Rapport om samverkan sida {n}")
        d.add_paragraph("")
        d.add_paragraph(f"Samverkan i {place} med AF-")
        d.add_paragraph(f"handläggare fungerar i {place}.")
        d.add_paragraph("")
    d.save(tmp_path / "r.docx")
    p = read_transcript(tmp_path / "r.docx", clean=True)
    assert p.text == "\n\n".join(f"Samverkan i {place} med AF-handläggare fungerar i {place}."
                                 for place in ("Aneby", "Eksjö", "Nässjö")) + "\n"
    assert p.warnings == ['removed 3 repeated header/footer lines: "Rapport om samverkan sida 1" ×3',
                          "joined 3 hard-wrapped lines to the line above"]


@pytest.mark.skipif(not SEEDS.exists(), reason="seed reports not available")
def test_clean_on_real_seeds():
    ovanaker = read_transcript(next(SEEDS.glob("001_*.txt")), clean=True)
    assert "projekttid: oktober 2020" not in ovanaker.text
    assert "samlade bedomning om fordelar" in ovanaker.text          # joined over the page number
    forstudie = read_transcript(next(SEEDS.glob("003_*.txt")), clean=True)
    assert "Ett problem handlar ofta om" in forstudie.text
    assert "hand-\nlar" not in forstudie.text
    assert any(w.startswith("rejoined") for w in forstudie.warnings)


# --------------------------------------------------------------------------- limits and misc

def test_size_limit(tmp_path):
    path = write(tmp_path, "stor.txt", "I: " + "a" * 98)      # 101 bytes
    with pytest.raises(ImportProblem) as caught:
        read_transcript(path, max_bytes=100)
    assert str(caught.value) == (f"{path}: the file is 101 bytes, larger than the import limit of 100 bytes; "
                                 "raise the limit with --max-size (in MB; max_bytes= in Python) or split the file")
    assert read_transcript(path, max_bytes=101).turns[0].speaker == "I"
    assert read_transcript(path, max_bytes=None).turns[0].end == 101
    with pytest.raises(ImportProblem, match="101 bytes, larger than the import limit of 100 bytes"):
        read_transcript_bytes(path.read_bytes(), "stor.txt", max_bytes=100)


def test_size_limit_checked_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "stor.txt", "x" * 3000)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("file was opened"))
    with pytest.raises(ImportProblem, match=r"2\.9 KB, larger than the import limit of 1\.0 KB"):
        read_transcript(path, max_bytes=1024)


@pytest.mark.parametrize("name, message", [
    ("a.odt", "unsupported file type '.odt'.*save it as .docx or .txt"),
    ("a.doc", "unsupported file type '.doc'.*save it as .docx"),
    ("README", "unsupported file type without a suffix"),
])
def test_unsupported_suffix(tmp_path, name, message):
    with pytest.raises(ImportProblem, match=message):
        read_transcript(write(tmp_path, name, "I: hej"))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportProblem, match="file not found"):
        read_transcript(tmp_path / "finns_inte.txt")
    (tmp_path / "mapp.txt").mkdir()
    with pytest.raises(ImportProblem, match="is a folder"):
        read_transcript(tmp_path / "mapp.txt")


def test_name_override_sha_and_upper_case_suffix(tmp_path):
    data = "IP: Hej".encode("utf-8")
    p = read_transcript(write(tmp_path, "X.TXT", data), name="aneby_ip.txt")
    assert p.name == "aneby_ip.txt" and p.format == "txt"
    assert p.sha256 == hashlib.sha256(data).hexdigest()
    assert p.turns == [Turn(4, 7, "IP")]


def test_clean_is_ignored_for_subtitles(tmp_path):
    p = read_transcript(write(tmp_path, "a.srt", SRT), clean=True)
    assert p.warnings == ["clean ignored: .srt files have no pages to clean"]


def test_speed_and_linear_regexes(tmp_path):
    lines = []
    for i in range(2500):
        lines.append(f"Intervjuare: Fråga nummer {i} om hur samverkan fungerar i kommunen?")
        lines.append("IP: " + "Vi har arbetat med SE-coacher och handläggare på AF länge nu. " * 4)
        lines.append("Det här är viktigt: fortsättning utan talare i samma tur.")
    text = "\n".join(lines)                               # about 105,000 words
    path = write(tmp_path, "stor.txt", text)
    started = time.perf_counter()
    p = read_transcript(path)
    elapsed = time.perf_counter() - started
    assert len(p.turns) == 5000
    assert elapsed < 1.0                                  # typically ~0.03 s
    # pathological lines: no spaces, many short words, colons far away
    hard = "a" * 200_000 + "\n" + "Ord " * 50_000 + ":\n" + "Aa Bb Cc Dd Ee" * 20_000 + "\n"
    started = time.perf_counter()
    assert [t.speaker for t in split_turns(hard)] == [None]
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("kind,expected", [("sheet", "it is an Excel workbook, not a Word document"),
                                           ("zip", "a zip archive, but not an Office document")])
def test_other_zip_files_renamed_docx_are_named_as_what_they_are(tmp_path, kind, expected):
    import zipfile

    import openpyxl

    path = tmp_path / "intervju.docx"
    if kind == "sheet":
        openpyxl.Workbook().save(path)
    else:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", "hej")
    with pytest.raises(ImportProblem) as info:
        read_transcript(path)
    assert str(info.value) == f"{path}: is not a valid .docx file ({expected})"


def test_rows_of_a_word_table_are_said_by_nobody(tmp_path):
    """Regression: the rows of a table in a .docx interview were spoken by the last speaker."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Intervjuare: Vilka träffar ni?")
    doc.add_paragraph("SE-coach: Vi träffar flera aktörer, här är listan.")
    table = doc.add_table(rows=2, cols=2)
    for r, (a, b) in enumerate((("Arbetsförmedlingen", "varje vecka"), ("Försäkringskassan", "varje månad"))):
        table.rows[r].cells[0].text, table.rows[r].cells[1].text = a, b
    doc.add_paragraph("Intervjuare: Tack.")
    path = tmp_path / "nassjo_se-coach.docx"
    doc.save(path)
    parsed = read_transcript(path)
    said = [(t.speaker, parsed.text[t.start:t.end].strip()) for t in parsed.turns]
    assert said == [("Intervjuare", "Vilka träffar ni?"),
                    ("SE-coach", "Vi träffar flera aktörer, här är listan."),
                    (None, "Arbetsförmedlingen | varje vecka\nFörsäkringskassan | varje månad"),
                    ("Intervjuare", "Tack.")]
