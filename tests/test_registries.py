"""The registries (agreement statistics, matrix exporters, transcript readers) and the invariants every
entry must keep. A new statistic, export format or import format is one registry entry; these tests then
run it through the same checks, and fail until its read-back / sample / NaN rule is added here."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re

import numpy as np
import pytest
from click.testing import CliRunner

from coding import Project
from coding import agreement_statistics as registry
from coding import exports, importers
from coding.agreement_design import agreement
from coding.cli import cli
from coding.matrix import build_matrix
from coding.specs import MEASURES, AgreementSpec, MatrixSpec
from app_helpers import open_app
from ui.page_agreement import stat_label

NAMES = [s.name for s in registry.statistics()]


# ------------------------------------------------------------------ statistics

def coder_table(store, coders, code: str, transcripts: list[str]) -> np.ndarray:
    """Units (segments of ``transcripts``) x coders, 1 where the coder applied ``code``: real codings."""
    rows = []
    for name in transcripts:
        tid = store.transcript_id(name)
        for seg in store.segments(tid):
            rows.append([1.0 if code in store.coder_segment_codes(seg.id, c) else 0.0 for c in coders])
    return np.array(rows)


@pytest.fixture(scope="module")
def demo_tables(demo_file):
    """Two real tables from the demo: anna and erik on two codes they both use, over four interviews."""
    with Project.open(demo_file) as p:
        names = [t["name"] for t in p.transcripts()][:4]
        return {code: coder_table(p.store, ["anna", "erik"], code, names)
                for code in ("impl_ff_positiv_ledning_chef", "impl_hi_ensam_position")}


def three_coders(table: np.ndarray) -> np.ndarray:
    """A third coder who agrees with the first except on every seventh unit, and misses every fifth."""
    third = table[:, 0].copy()
    third[::7] = 1 - third[::7]
    third[::5] = np.nan
    return np.column_stack([table, third])


def test_the_registry_lists_every_statistic_with_its_facts():
    assert NAMES == ["alpha", "kappa", "fleiss", "percent", "positive", "ac1", "bp"]
    for s in registry.statistics():
        assert s.label and s.source and callable(s.function)
        assert isinstance(s.chance_corrected, bool) and isinstance(s.two_coders_only, bool)
    assert [s.name for s in registry.statistics() if s.two_coders_only] == ["kappa"]
    assert [s.name for s in registry.statistics() if not s.chance_corrected] == ["percent", "positive"]
    assert registry.applicable(3) == ("alpha", "fleiss", "percent", "positive", "ac1", "bp")


@pytest.mark.parametrize("name", NAMES)
def test_every_statistic_is_symmetric_in_coder_order(name, demo_tables):
    stat = registry.get_statistic(name)
    for table in demo_tables.values():
        tables = [table] if stat.two_coders_only else [table, three_coders(table)]
        for t in tables:
            values = [stat.function(t[:, list(order)]) for order in itertools.permutations(range(t.shape[1]))]
            assert all(math.isfinite(v) for v in values), (name, values)
            assert all(math.isclose(v, values[0], rel_tol=1e-12, abs_tol=1e-12) for v in values), (name, values)


@pytest.mark.parametrize("name", NAMES)
def test_every_statistic_is_symmetric_on_the_project(name, demo):
    with Project.open(demo) as p:
        ab = agreement(p.store, AgreementSpec(coders=("anna", "erik"), statistics=(name,)))
        ba = agreement(p.store, AgreementSpec(coders=("erik", "anna"), statistics=(name,)))
    assert len(ab) == len(ba) > 10
    assert np.allclose(ab["value"].to_numpy(float), ba["value"].to_numpy(float), equal_nan=True)


#: statistics whose chance term does not come from the data: still defined when every value is the same
DEFINED_WHEN_ALL_IDENTICAL = {"percent": 1.0, "ac1": 1.0, "bp": 1.0}


@pytest.mark.parametrize("name", NAMES)
def test_every_statistic_is_nan_when_undefined(name, demo_tables):
    stat = registry.get_statistic(name)
    real = demo_tables["impl_hi_ensam_position"]
    # no pairable unit: each unit coded by one coder only
    lonely = real.copy()
    lonely[::2, 0] = np.nan
    lonely[1::2, 1] = np.nan
    assert math.isnan(stat.function(lonely))
    # every unit the same single category (nobody applied the code)
    same = np.zeros_like(real)
    value = stat.function(same)
    if name in DEFINED_WHEN_ALL_IDENTICAL:
        assert value == DEFINED_WHEN_ALL_IDENTICAL[name]
    else:
        assert math.isnan(value), (name, value)
    # and the per-code fast path, where there is one, agrees with the function
    if stat.per_code is not None:
        arr = np.stack([np.where(np.isnan(t), -1, t).astype(np.int8) for t in (real, lonely, same)])
        fast = stat.per_code(arr)
        slow = [stat.function(t) for t in (real, lonely, same)]
        assert np.allclose(fast, slow, equal_nan=True)


def test_the_cli_and_the_app_offer_the_registry(demo):
    result = CliRunner().invoke(cli, ["agreement", "--help"])
    assert result.exit_code == 0
    help_text = re.sub(r"\s+", " ", result.output)
    for s in registry.statistics():
        assert s.name in help_text and s.label in help_text
    bad = CliRunner().invoke(cli, ["agreement", str(demo), "--coders", "anna,erik", "--statistic", "tau"])
    assert bad.exit_code == 2 and "alpha" in bad.output and "bp" in bad.output
    at = open_app("anna", page="app_pages/agreement.py")
    assert at.multiselect(key="qc_ag_stats").options == [stat_label(s) for s in registry.applicable(2)]


def test_a_new_statistic_is_one_registry_entry(demo, monkeypatch):
    from coding.agreement import scott_pi

    scott = registry.Statistic("scott", "Scott's pi", scott_pi, True, True, "Scott (1955)")
    monkeypatch.setitem(registry._REGISTRY, "scott", scott)
    assert AgreementSpec(coders="anna,erik", statistics="all").statistics[-1] == "scott"
    with pytest.raises(Exception, match="exactly 2 coders"):
        AgreementSpec(coders="anna,erik,sara", statistics="scott")
    with Project.open(demo) as p:
        table = agreement(p.store, "anna,erik", statistics=["scott", "kappa"])
    row = table[table.code == "impl_ff_positiv_ledning_chef"].set_index("statistic")["value"]
    assert math.isfinite(row["scott"]) and abs(row["scott"] - row["kappa"]) < 0.01


# ------------------------------------------------------------------- exporters

def _read_csv(data: bytes, m) -> None:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == [m.rows, *map(str, m.table.columns)]
    assert [r[0] for r in rows[1:]] == [str(r) for r in m.table.index]
    assert [int(v) for v in rows[1][1:]] == [int(v) for v in m.table.iloc[0]]


def _read_json(data: bytes, m) -> None:
    records = json.loads(data)
    assert [r[m.rows] for r in records] == [str(r) for r in m.table.index]
    assert {k: v for k, v in records[0].items() if k != m.rows} == {str(c): int(v) for c, v in m.table.iloc[0]
                                                                    .items()}


def _read_md(data: bytes, m) -> None:
    """One table per category under its heading; wide ones turned (codes as rows, the rows as columns)."""
    text = data.decode("utf-8")
    labels = m.labels("sv")
    sections = text.split("## ")[1:]
    assert [s.splitlines()[0] for s in sections] == [title for title, _ in m.categories("sv")]
    for section, (_, columns) in zip(sections, m.categories("sv")):
        lines = [line for line in section.splitlines()[2:] if line]
        assert lines[0] == "| Kod | " + " | ".join(map(str, m.table.index)) + " |" and lines[1].startswith("|---")
        assert len(lines) == 2 + len(columns)
        first = columns[0]
        assert lines[2] == f"| {labels[first]} | " + " | ".join(str(int(v)) for v in m.table[first]) + " |"


def _read_xlsx(data: bytes, m) -> None:
    from openpyxl import load_workbook

    from coding.matrix_layout import measure_name

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [*(measure_name(x) for x in MEASURES), "Segment"]
    sheet = wb[measure_name(m.measure)]
    assert sheet["A2"].value == "Kommun" and sheet["A3"].value == str(m.table.index[0])
    assert [c.value for c in sheet[3][1:len(m.table.columns) + 1]] == [int(v) for v in m.table.iloc[0]]
    assert sheet.max_row == len(m.table.index) + 3  # categories, labels, rows, Total


def _read_docx(data: bytes, m) -> None:
    import docx

    tables = docx.Document(io.BytesIO(data)).tables
    assert len(tables) == len(m.categories("sv"))
    labels = m.labels("sv")
    for table, (_, columns) in zip(tables, m.categories("sv")):
        assert [c.text for c in table.rows[0].cells] == ["Kod", *map(str, m.table.index)]
        assert [c.text for c in table.columns[0].cells][1:] == [labels[c] for c in columns]


def _read_png(data: bytes, m) -> None:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def _read_svg(data: bytes, m) -> None:
    text = data.decode("utf-8")
    assert "<svg" in text[:400] and str(m.table.index[0]) in text


READ_BACK = {"csv": _read_csv, "json": _read_json, "md": _read_md, "xlsx": _read_xlsx, "docx": _read_docx,
             "png": _read_png, "svg": _read_svg}


def test_every_exporter_has_a_read_back_test():
    assert set(READ_BACK) == set(exports.EXPORTERS)
    for e in exports.exporters():
        assert e.suffix and "/" in e.mime and e.description and e.title


@pytest.mark.parametrize("name", list(exports.EXPORTERS))
def test_every_exporter_writes_a_file_that_reads_back(name, demo, tmp_path):
    spec = MatrixSpec(rows="kommun", measure="presence", coders=("anna",), under=("impl",))
    e = exports.get_exporter(name)
    with Project.open(demo) as p:
        m = build_matrix(p.store, spec)
        data = exports.export_matrix(p.store, spec, name)
        path = exports.write_matrix(p.store, spec, tmp_path / f"matrix.{e.suffix}")
    assert data and path.stat().st_size > 0
    READ_BACK[name](data, m)
    READ_BACK[name](path.read_bytes(), m)
    # the CLI writes the same format (text formats byte for byte)
    out = tmp_path / f"cli.{e.suffix}"
    result = CliRunner().invoke(cli, ["matrix", str(demo), "--measure", "presence", "--coder", "anna",
                                      "--under", "impl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    READ_BACK[name](out.read_bytes(), m)
    if not e.binary:
        assert out.read_bytes() == data


def test_the_cli_and_the_matrix_page_list_the_exporters(demo):
    result = CliRunner().invoke(cli, ["matrix", "--help"])
    help_text = re.sub(r"\s+", " ", result.output)
    for e in exports.exporters():
        assert f"{e.name} = {e.description}" in help_text
    binary = [e.name for e in exports.exporters() if e.binary]
    refused = CliRunner().invoke(cli, ["matrix", str(demo), "--format", binary[0]])
    assert refused.exit_code == 2 and "needs -o FILE" in refused.output
    at = open_app("anna", page="app_pages/matrix.py")
    buttons = {b.key: b for b in at.get("download_button") if b.key and b.key.startswith("qc_mx_dl_")}
    assert sorted(buttons) == sorted(f"qc_mx_dl_{e.name}" for e in exports.exporters())


# --------------------------------------------------------------------- readers

INTERVIEW = ["Intervjuare: Hur började arbetet med SE?",
             "SE-coach: Vi fick pengar från Samordningsförbundet.",
             "Intervjuare: Och ledningen?",
             "SE-coach: Vår chef stod bakom förankringen."]


def _txt(path):
    path.write_text("\n".join(INTERVIEW) + "\n", encoding="utf-8")


def _md(path):
    path.write_text("\n".join(f"**{line.replace(': ', ':** ', 1)}" for line in INTERVIEW) + "\n", encoding="utf-8")


def _docx(path):
    import docx

    document = docx.Document()
    for line in INTERVIEW:
        document.add_paragraph(line)
    document.save(path)


def _vtt(path):
    cues = [f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000\n<v {line.split(': ')[0]}>{line.split(': ', 1)[1]}"
            for i, line in enumerate(INTERVIEW)]
    path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")


def _srt(path):
    cues = [f"{i + 1}\n00:00:{i * 5:02d},000 --> 00:00:{i * 5 + 4:02d},000\n{line}" for i, line in enumerate(INTERVIEW)]
    path.write_text("\n\n".join(cues) + "\n", encoding="utf-8")


def _csv(path):
    rows = ["speaker,text,start"] + [f"{line.split(': ')[0]},\"{line.split(': ', 1)[1]}\",{i * 5}"
                                     for i, line in enumerate(INTERVIEW)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _pdf(path):
    from pdf_helpers import write_pdf

    write_pdf(path, [INTERVIEW[:2], INTERVIEW[2:]])


SAMPLES = {".txt": _txt, ".md": _md, ".docx": _docx, ".vtt": _vtt, ".srt": _srt, ".csv": _csv, ".pdf": _pdf}


def test_every_reader_has_a_sample_and_a_description():
    assert set(SAMPLES) == set(importers.READERS)
    assert importers.supported_suffixes() == importers.SUPPORTED_SUFFIXES == (
        ".txt", ".md", ".docx", ".vtt", ".srt", ".csv", ".pdf")
    for reader in importers.readers():
        assert reader.description and reader.suffixes


@pytest.mark.parametrize("suffix", list(importers.READERS))
def test_every_reader_reads_a_real_file(suffix, tmp_path):
    path = tmp_path / f"aneby_se-coach{suffix}"
    SAMPLES[suffix](path)
    parsed = importers.read_transcript(path)
    assert parsed.format == suffix[1:]
    speakers = [t.speaker for t in parsed.turns if t.speaker]
    assert speakers == ["Intervjuare", "SE-coach", "Intervjuare", "SE-coach"], (suffix, parsed.turns)
    said = [parsed.text[t.start:t.end] for t in parsed.turns if t.speaker]
    assert said[1] == "Vi fick pengar från Samordningsförbundet."
    # the same bytes through the upload path
    again = importers.read_transcript_bytes(path.read_bytes(), path.name)
    assert again.text == parsed.text


def test_the_import_help_and_the_upload_box_list_the_readers(app_project):
    result = CliRunner().invoke(cli, ["import", "--help"])
    for suffix in importers.READERS:
        assert suffix in result.output
    at = open_app("anna", page="app_pages/project.py")
    uploader = [u for u in at.get("file_uploader") if u.key.startswith("qc_upload_")]   # not the .qdpx import
    assert len(uploader) == 1
    assert sorted(uploader[0].proto.type) == sorted(importers.READERS)


def test_a_new_import_format_is_one_registry_entry(tmp_path, monkeypatch):
    def read_log(data, fmt, where, clean, warnings):
        text = data.decode("utf-8").replace(" | ", ": ")
        return text, importers.split_turns(text), "utf-8"

    monkeypatch.setattr(importers, "READERS", dict(importers.READERS))
    importers.register_reader(importers.Reader((".log",), read_log, "chat log, 'Name | text' per line"))
    path = tmp_path / "chat.log"
    path.write_text("Intervjuare | Hur började det?\nSE-coach | Med pengar.\n", encoding="utf-8")
    parsed = importers.read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["Intervjuare", "SE-coach"]
    assert ".log" in importers.supported_suffixes()
    with pytest.raises(ValueError, match="lower case and starts with a dot"):
        importers.register_reader(importers.Reader(("LOG",), read_log, "x"))


@pytest.mark.parametrize("name", list(exports.EXPORTERS))
def test_every_exporter_survives_control_characters_already_stored(name, demo, tmp_path):
    """Regression: an ESC in a municipality name crashed the SVG/PNG renderer (the whole server) and broke
    XLSX and DOCX. Values stored by an old version (before input was cleaned) must still export."""
    import shutil

    path = tmp_path / "dirty.qcode"
    shutil.copyfile(demo, path)
    with Project.open(path) as p:
        p.store.conn.execute("UPDATE attributes SET value = ? WHERE name = 'kommun' AND value = 'Aneby'",
                             ("Ane\x1bby\x00\x07",))
        p.store.conn.execute("UPDATE codes SET label_sv = 'Ensam\x1b[31m\x0b position' "
                             "WHERE id = 'impl_hi_ensam_position'")
        spec = MatrixSpec(rows="kommun", measure="presence", coders=("anna",), under=("impl",))
        data = exports.export_matrix(p.store, spec, name)
    assert data
    if name in ("csv", "json", "md", "svg"):
        assert "\x1b" not in data.decode("utf-8") or name == "json"  # JSON escapes it as \u001b


def test_xlsx_text_cells_are_text_and_need_no_apostrophe(demo, tmp_path):
    """Regression: 206 cells starting with - + @ showed a literal apostrophe in Excel."""
    import shutil

    from openpyxl import load_workbook

    path = tmp_path / "minus.qcode"
    shutil.copyfile(demo, path)
    with Project.open(path) as p:
        p.store.conn.execute("UPDATE attributes SET value = '-Aneby' WHERE name = 'kommun' AND value = 'Aneby'")
        p.store.conn.execute("UPDATE attributes SET value = '=1+1' WHERE name = 'kommun' AND value = 'Eksjö'")
        spec = MatrixSpec(rows="kommun", measure="presence", coders=("anna",), under=("impl",))
        data = exports.export_matrix(p.store, spec, "xlsx")
    sheet = load_workbook(io.BytesIO(data))["Förekomst"]
    cells = {c.value: c.data_type for c in sheet["A"] if c.value}
    assert cells["-Aneby"] == "s" and cells["=1+1"] == "s"  # shown as typed, never run as a formula
    assert not any(str(v).startswith("'") for v in cells)
