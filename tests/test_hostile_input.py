"""Hostile and careless input: control characters never reach storage, small files cannot eat the machine."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from coding import codebook as cb
from coding.errors import CodebookProblem, ImportProblem
from conftest import write_interview

CONTROLS = "\x1b[31m\x00\x07\x08\x0b\x0c\x7f\x85\x9b"


def stored_text(project) -> str:
    """The stored text of the tables data comes into, read on the project's own connection (either engine)."""
    parts = []
    for table, columns in (("transcripts", "name, text"), ("attributes", "name, value"),
                           ("codes", "id, label_sv, label_en, definition, include, exclude, example"),
                           ("codings", "coder, memo"), ("memos", "text")):
        for row in project.store.conn.execute(f"SELECT {columns} FROM {table}"):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def test_control_characters_are_removed_at_every_way_in(project, small_codebook, tmp_path):
    interview = tmp_path / "eksjo.txt"
    interview.write_text("Intervjuare: Hur\x1b[31m började det?\nSE-coach: Det var\x1b ensamt.\x85\n"
                         + "Intervjuare: Berätta mer om hur samverkan med Arbetsförmedlingen fungerade.\n" * 3,
                         encoding="utf-8")
    attrs = tmp_path / "attributes.csv"
    attrs.write_text("file,kommun,roll,kommentar\neksjo.txt,Eks\x1bjö,SE\x1b[31m\x85-coach,"
                     + "Intervjun gjordes på plats i kommunhuset under förmiddagen. " * 3 + "\n", encoding="utf-8")
    book = tmp_path / "book.csv"
    book.write_text(f"id,parent,label_sv,label_en,definition\nhi,,Hinder{CONTROLS},Obstacles,\n"
                    f'hi_x,hi,Ensam\x1b position,Alone,"Rad ett\nrad två\x00"\n', encoding="utf-8")
    project.load_codebook(book)
    project.import_files([interview], attributes_file=attrs)
    project.set_attributes("eksjo.txt", {"fas": "inledande\x1b\x00", "datum\x07": "2013"})
    project.apply_code("eksjo.txt", 2, "hi_x", coder="anna", memo=f"memo{CONTROLS} här")
    sid = project.segments("eksjo.txt")[0].id
    project.set_segment_memo(sid, "anna", "segment\x1bmemo")
    project.add_code(id="hi_y", parent="hi", label_sv="Ny\x1b kod", definition="med\x00 nul", actor="anna")
    codings = tmp_path / "codings.csv"
    codings.write_text(f"transcript,segment,code,coder,memo\neksjo.txt,1,hi_y,anna,csv{CONTROLS}memo\n",
                       encoding="utf-8")
    project.import_codings(codings)
    text = stored_text(project)
    bad = [hex(ord(ch)) for ch in text if (ord(ch) < 32 and ch not in "\t\n") or 0x7f <= ord(ch) <= 0x9f]
    assert bad == []
    assert "Eksjö" in text and "SE[31m-coach" in text and "Rad ett\nrad två" in text  # visible text stays


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    lines.append("codes: [{id: x, label_sv: *i}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines), encoding="utf-8")
    assert bomb.stat().st_size < 2048
    start = time.perf_counter()
    with pytest.raises(CodebookProblem, match=r"bomb.yaml:2: .*aliases .* not allowed"):
        cb.load_codebook(bomb)
    assert time.perf_counter() - start < 2


def test_a_codebook_nested_thousands_deep_is_an_error_not_a_recursion_error(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("codes: " + "[{id: c, label_sv: C, children: " * 3000 + "[]" + "}]" * 3000, encoding="utf-8")
    with pytest.raises(CodebookProblem, match="nested more than 100 levels"):
        cb.load_codebook(deep)
    chain = tmp_path / "chain.csv"
    chain.write_text("id,parent,label_sv\n" + "".join(f"c{i},{'c' + str(i - 1) if i else ''},C\n"
                                                     for i in range(3000)), encoding="utf-8")
    with pytest.raises(CodebookProblem, match="more than 20 levels deep"):
        cb.load_codebook(chain)


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked(project, tmp_path):
    from docx import Document

    real = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Intervjuare: Hej.")
    doc.save(real)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(io.BytesIO(real.getvalue())) as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = data.replace(b"</w:body>", b"<!--" + b" " * (100 * 1024 * 1024) + b"--></w:body>")
                out.writestr(item.filename, body)
            else:
                out.writestr(item, data)
    assert bomb.stat().st_size < 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(ImportProblem, match=r"bomb.docx: unpacks to .* no ordinary Word document"):
        project.import_files([bomb])
    assert time.perf_counter() - start < 3
    assert project.transcripts() == []


def test_an_attributes_file_with_an_unclosed_quote_names_the_line(project, tmp_path):
    attrs = tmp_path / "attributes.csv"
    attrs.write_text('file,kommun\na.txt,"Aneby\nb.txt,Eksjö\n', encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"attributes.csv:\d+: broken CSV"):
        project.import_files([write_interview(tmp_path / "a.txt")], attributes_file=attrs)
    assert project.transcripts() == []
