"""The exports meant for a report, made from the demo project and read back: Word on A4 with one table
per category (turned when wide), Markdown the same, Excel sheets and headers in the chosen language,
the heat map grouped by category with its legend inside the image. Expected values are worked out here
from the codebook and the matrix, not taken from the layout code."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import docx
import openpyxl
import pytest
from PIL import Image

from coding import Project, exports
from coding.docx_tables import is_header_row
from coding.matrix import build_matrix, report_table
from coding.specs import MEASURES, MatrixSpec

HOSTILE = '=HYPERLINK("http://evil","x")'
FORMULA_START = ("=", "+", "-", "@")


def export(path, fmt: str, **spec):
    with Project.open(path) as p:
        spec = MatrixSpec(**spec)
        return build_matrix(p.store, spec), p.codebook(), exports.export_matrix(p.store, spec, fmt)


def groups(book, matrix) -> list[tuple[str, list[str]]]:
    """The expected categories: the top two levels above each column, in codebook order."""
    out: dict[str, list[str]] = {}
    for code in matrix.columns:
        chain = [code.id]
        while book[chain[-1]].parent:
            chain.append(book[chain[-1]].parent)
        top = chain[1:][-2:][::-1]
        out.setdefault(": ".join(book[c].label_sv for c in top), []).append(code.id)
    return list(out.items())


def cm(length) -> float:
    return round(length.cm, 1)


def usable_cm(document) -> float:
    s = document.sections[0]
    return (s.page_width - s.left_margin - s.right_margin) / 360000


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


# ------------------------------------------------------------------------ Word

def test_word_matrix_is_landscape_a4_with_one_turned_table_per_category(demo):
    m, book, data = export(demo, "docx", measure="count")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (cm(section.page_width), cm(section.page_height)) == (29.7, 21.0)
    assert cm(section.left_margin) == cm(section.right_margin) == cm(section.top_margin) == 2.0
    assert headings(document, 1) == ["Antal segment per kommun"]
    expected = groups(book, m)
    assert len(expected) == 7 and headings(document, 2) == [title for title, _ in expected]
    assert expected[0][0] == "Implementering – inledande fas: Framgångsfaktorer"
    ids = {c.id for c in book.codes}
    kommuner = [str(k) for k in m.table.index]
    assert len(document.tables) == len(expected)
    for table, (_, codes) in zip(document.tables, expected):
        # more codes than fit across the page: codes down the side, the municipalities across
        assert [c.text for c in table.rows[0].cells] == ["Kod", *kommuner]
        assert is_header_row(table.rows[0]) and not any(is_header_row(r) for r in table.rows[1:])
        assert [r.cells[0].text for r in table.rows[1:]] == [book[c].label_sv for c in codes]
        for row, code in zip(table.rows[1:], codes):
            assert [c.text for c in row.cells[1:]] == [str(int(m.table.loc[k, code])) for k in kommuner]
        assert not {c.text for row in table.rows for c in row.cells} & ids  # labels, never ids
        widths = [c.width.cm for c in table.rows[1].cells]
        assert sum(widths) == pytest.approx(usable_cm(document), abs=0.05) and widths[0] > widths[1]
        assert all(r.font.size.pt == 9 for c in table.rows[1].cells for p in c.paragraphs for r in p.runs)


def test_word_matrix_of_few_columns_stays_portrait_unturned_with_percent_in_swedish(demo):
    m, book, data = export(demo, "docx", measure="share", level="category", under=("impl",), margins=True)
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert (cm(section.page_width), cm(section.page_height)) == (21.0, 29.7)
    assert cm(section.left_margin) == 2.5
    assert headings(document, 1) == ["Andel av intervjuerna per kommun"]
    expected = groups(book, m)
    assert [t for t, _ in expected] == ["Implementering – inledande fas: Framgångsfaktorer",
                                        "Implementering – inledande fas: Hinder"]
    for table, (_, codes) in zip(document.tables, expected):
        assert len(codes) == 4
        assert [c.text for c in table.rows[0].cells] == ["Kommun", *[book[c].label_sv for c in codes]]
        body = table.rows[1:]
        assert [r.cells[0].text for r in body] == [*map(str, m.table.index), "Totalt"]
        for row, kommun in zip(body, m.table.index):
            assert [c.text for c in row.cells[1:]] == [f"{round(m.table.loc[kommun, c] * 100)} %" for c in codes]
        assert all(r.bold for c in body[-1].cells for p in c.paragraphs for r in p.runs)  # the total row
        assert sum(c.width.cm for c in body[0].cells) == pytest.approx(16.0, abs=0.05)
    english = docx.Document(io.BytesIO(export(demo, "docx", measure="share", level="category", under=("impl",),
                                              language="en")[2]))
    assert english.tables[0].rows[0].cells[0].text == "Municipality"
    assert headings(english, 1) == ["Share of interviews by municipality"]
    assert all(re.fullmatch(r"\d+%", c.text) for r in english.tables[0].rows[1:] for c in r.cells[1:])


def test_word_report_is_a4_with_a_repeated_header_and_fitted_columns(demo, tmp_path):
    with Project.open(demo) as p:
        narrow = report_table(p.store, ["impl.ff", "impl.hi"])
        wide = report_table(p.store, ["impl.ff", "impl.hi", "prak.ff", "prak.hi"])
    document = docx.Document(exports.report_docx(narrow, tmp_path / "b.docx", title="Inledande fas"))
    section = document.sections[0]
    assert (cm(section.page_width), cm(section.page_height), cm(section.left_margin)) == (21.0, 29.7, 2.5)
    table = document.tables[0]
    assert is_header_row(table.rows[0]) and [c.text for c in table.rows[0].cells] == [
        "Kommun", "Framgångsfaktorer", "Hinder"]
    widths = [c.width.cm for c in table.rows[1].cells]
    assert sum(widths) == pytest.approx(16.0, abs=0.05) and widths[0] == pytest.approx(3.5, abs=0.01)
    aneby = next(r for r in table.rows if r.cells[0].text == "Aneby")
    assert [p.text for p in aneby.cells[2].paragraphs] == narrow.rows[0][1][1]
    document = docx.Document(exports.report_docx(wide, tmp_path / "c.docx"))
    assert cm(document.sections[0].page_width) == 29.7
    assert sum(c.width.cm for c in document.tables[0].rows[0].cells) == pytest.approx(25.7, abs=0.05)


# -------------------------------------------------------------------- Markdown

def test_markdown_matrix_has_a_table_per_category_and_the_language_s_numbers(demo):
    m, book, data = export(demo, "md", measure="share", under=("impl",), coders=("anna",))
    text = data.decode("utf-8")
    expected = groups(book, m)
    assert re.findall(r"^## (.+)$", text, re.M) == [t for t, _ in expected]
    kommuner = list(map(str, m.table.index))
    for _, codes in expected:
        code = codes[0]
        cells = " | ".join(f"{round(m.table.loc[k, code] * 100)} %" for k in kommuner)
        assert f"| {book[code].label_sv} | {cells} |" in text
    assert text.count("| Kod | " + " | ".join(kommuner) + " |") == 2
    assert not re.search(r"\d\.\d", text) and "impl_" not in text
    english = export(demo, "md", measure="share", under=("impl",), coders=("anna",), language="en")[2].decode()
    assert "| Code | Aneby |" in english and re.search(r"\| \d+% \|", english) and " %" not in english
    narrow = export(demo, "md", measure="presence", level="category", under=("impl.hi",))[2].decode()
    assert narrow.splitlines()[2].startswith("| Kommun | Implementeringsprocess och styrning |")


# ----------------------------------------------------------------------- Excel

@pytest.mark.parametrize("language, sheets, headers", [
    ("sv", ["Antal segment", "Förekomst", "Intervjuer", "Andel", "Segment"],
     ("Kategori", "Kommun", "Totalt", ["Kommun", "Kolumn", "Intervju", "Segment", "Talare", "Koder", "Kod-id",
                                        "Kodare", "Text"])),
    ("en", ["Segment count", "Presence", "Interviews", "Share", "Segments"],
     ("Category", "Municipality", "Total", ["Municipality", "Column", "Interview", "Segment", "Speaker", "Codes",
                                            "Code ids", "Coders", "Text"])),
])
def test_excel_sheets_and_headers_are_in_the_language(demo, language, sheets, headers):
    m, book, data = export(demo, "xlsx", measure="count", under=("impl",), language=language)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == sheets
    category, rows, total, segment_headers = headers
    expected = groups(book, m)
    label = "label_sv" if language == "sv" else "label_en"
    for measure, name in zip(MEASURES, sheets):
        ws = wb[name]
        assert [ws["A1"].value, ws["A2"].value] == [category, rows]
        # the category row: each category over its codes (merged), then the code labels
        spans = sorted((r.min_col, r.max_col) for r in ws.merged_cells.ranges)
        assert spans == [(2, 21), (22, 41)]
        assert ws.cell(1, 2).value.endswith(("Framgångsfaktorer", "Success factors"))
        codes = [c for _, cs in expected for c in cs]
        assert [ws.cell(2, i).value for i in range(2, len(codes) + 2)] == [getattr(book[c], label) for c in codes]
        assert ws.cell(2, len(codes) + 2).value == total and ws.cell(len(m.table.index) + 3, 1).value == total
        with Project.open(demo) as p:
            table = build_matrix(p.store, MatrixSpec(measure=measure, under=("impl",))).table
        first = [ws.cell(3, i).value for i in range(2, len(codes) + 2)]
        assert ws["A3"].value == str(table.index[0])
        assert first == pytest.approx([float(v) for v in table.iloc[0]])
        assert all(isinstance(v, (int, float)) for v in first)  # numbers stay numbers
        if measure == "share":
            assert ws.cell(3, 2).number_format == "0%"
        assert ws.freeze_panes == "B3"
    segments = wb[sheets[-1]]
    assert [c.value for c in segments[1]] == segment_headers
    row = [c.value for c in segments[2]]
    assert row[6] in {c.id for c in book.codes} and row[5] == getattr(book[row[6]], label)


def test_sheet_names_are_valid():
    taken: list[str] = []
    for name in ("Antal segment: [alla]*?", "a/b\\c " * 10, "'citerad'", "Andel", "andel", ""):
        title = exports.sheet_title(name, taken)
        assert 0 < len(title) <= 31 and not set(title) & set("[]:*?/\\") and title[0] != "'" != title[-1]
        assert title.lower() not in {t.lower() for t in taken}
        taken.append(title)
    assert taken[3:5] == ["Andel", "andel (2)"]


# ------------------------------------------------------------ hostile labels

def test_hostile_labels_stay_text_in_every_cell_of_every_export(demo):
    with Project.open(demo) as p:
        p.update_code("impl_hi_ensam_position", label_sv=HOSTILE, label_en=HOSTILE)
        p.update_code("impl", label_sv="+Implementering", label_en="+Implementation")
        for name in ("aneby_chef.txt", "aneby_se-coach.docx"):
            p.set_attributes(name, {"kommun": "@Aneby"})
    for language in ("sv", "en"):
        _, _, data = export(demo, "xlsx", measure="presence", under=("impl",), language=language)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for ws in wb for row in ws.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]  # never a formula, headers included
        assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
        header = [c.value for ws in wb.worksheets[:4] for row in ws.iter_rows(max_row=2) for c in row]
        assert HOSTILE in header and any(str(v).startswith("+Impl") for v in header)
        assert "@Aneby" in [c.value for c in wb.worksheets[0]["A"]]
        segments = [c.value for c in wb.worksheets[-1]["F"]]
        assert HOSTILE in segments
    text = export(demo, "csv", measure="presence", under=("impl",))[2].decode("utf-8")
    for row in csv.reader(io.StringIO(text)):
        assert not [c for c in row if c.startswith(FORMULA_START)]  # '@Aneby is neutralised
    document = docx.Document(io.BytesIO(export(demo, "docx", measure="presence", under=("impl",))[2]))
    assert HOSTILE in [r.cells[0].text for t in document.tables for r in t.rows]
    assert headings(document, 2)[0].startswith("+Implementering")
    md = export(demo, "md", measure="presence", under=("impl",))[2].decode("utf-8")
    assert f"| {HOSTILE} |" in md and "| Kod | @Aneby |" in md


# ------------------------------------------------------------------- heat map

def test_heat_map_is_grouped_by_category_with_swedish_or_english_titles(demo):
    with Project.open(demo) as p:
        m = build_matrix(p.store, "kommun", "count")
        book = p.codebook()
    expected = groups(book, m)
    spec = exports.heatmap(m).to_dict()
    assert spec["facet"]["row"]["field"] == "category"
    assert spec["facet"]["row"]["sort"] == [t for t, _ in expected]
    assert spec["facet"]["row"]["header"]["labelLimit"] == 0  # category headings never cut
    assert spec["resolve"]["scale"]["y"] == "independent"  # each panel lists only its own codes
    inner = spec["spec"]["encoding"]
    order = [c for _, codes in expected for c in codes]
    assert len(inner["y"]["sort"]) == len(order)
    for label, code in zip(inner["y"]["sort"], order):  # codebook order, full labels (long ones wrapped)
        flat = label.replace("\n", " ")
        assert flat == book[code].label_sv or (flat.endswith("…") and book[code].label_sv.startswith(flat[:-1]))
    assert inner["y"]["axis"]["labelLimit"] == 0 and "split" in inner["y"]["axis"]["labelExpr"]
    longest = max(order, key=lambda c: len(book[c].label_sv))
    assert len(book[longest].label_sv) > 120 and "\n" in inner["y"]["sort"][order.index(longest)]
    assert inner["x"]["title"] == "Kommun" and inner["x"]["sort"] == list(map(str, m.table.index))
    assert inner["color"]["title"] == "Antal segment" and inner["color"]["legend"]["orient"] == "top"
    assert [t["title"] for t in inner["tooltip"]] == ["Kommun", "Kod", "Kategori", "Antal segment"]
    rows = next(iter(spec["datasets"].values()))
    full = {r["code"]: r["label"] for r in rows}
    assert full[longest] == book[longest].label_sv  # the tooltip shows the whole label
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    english = exports.heatmap(m, language="en").to_dict()
    assert [t["title"] for t in english["spec"]["encoding"]["tooltip"]] == [
        "Municipality", "Code", "Category", "Segment count"]
    assert english["spec"]["encoding"]["x"]["title"] == "Municipality"
    assert english["facet"]["row"]["sort"][0] == "Implementation – initial phase: Success factors"
    assert "locale" not in english.get("config", {})


def _translate(element) -> tuple[float, float]:
    found = re.match(r"translate\(([-\d.]+),([-\d.]+)\)", element.get("transform") or "")
    return (float(found.group(1)), float(found.group(2))) if found else (0.0, 0.0)


def legend_box(svg: str) -> tuple[float, float, float, float]:
    """The colour gradient of the legend in image coordinates: (left, top, right, bottom)."""
    root = ET.fromstring(svg)

    def walk(node, x, y, in_legend):
        dx, dy = _translate(node)
        x, y = x + dx, y + dy
        in_legend = in_legend or "role-legend-gradient" in (node.get("class") or "")
        if in_legend and node.tag.endswith("path"):
            w, h = map(float, re.match(r"M0,0h([\d.]+)v([\d.]+)", node.get("d")).groups())
            return x, y, x + w, y + h
        for child in node:
            box = walk(child, x, y, in_legend)
            if box:
                return box
        return None

    return walk(root, 0.0, 0.0, False)


@pytest.mark.parametrize("measure, language, tick", [("count", "sv", ">Antal segment<"),
                                                    ("share", "sv", ">50\u00a0%<"), ("share", "en", ">50%<")])
def test_heat_map_image_holds_its_legend(demo, measure, language, tick):
    with Project.open(demo) as p:
        m = build_matrix(p.store, "kommun", measure, under=["impl"])
    chart = exports.heatmap(m, language=language)
    svg = exports.chart_bytes(chart, "svg").decode("utf-8")
    width, height = (float(re.search(fr'{k}="([\d.]+)"', svg).group(1)) for k in ("width", "height"))
    left, top, right, bottom = legend_box(svg)
    assert 0 <= left < right <= width and 0 <= top < bottom <= height
    assert tick in svg  # legend title / tick labels in the language (a space before % in Swedish)
    image = Image.open(io.BytesIO(exports.chart_bytes(chart, "png"))).convert("RGB")
    assert image.size == (round(width * 2), round(height * 2))  # drawn at twice the size
    middle = image.getpixel((int(left + right), int(top + bottom)))  # the legend's centre, at scale 2
    assert middle != (255, 255, 255) and middle[2] > middle[0]  # drawn, and blue
    w, h = image.size
    edges = [image.getpixel((x, y)) for x in range(0, w, 3) for y in (0, h - 1)] + \
            [image.getpixel((x, y)) for y in range(0, h, 3) for x in (0, w - 1)]
    assert set(edges) == {(255, 255, 255)}  # nothing runs off the image
