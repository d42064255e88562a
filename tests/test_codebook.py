"""Codebooks: YAML and CSV, validation that names the line, and the project's copy."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coding import codebook as cb
from coding.errors import CodebookProblem

ROOT = Path(__file__).resolve().parent.parent


def test_nested_yaml_is_read_in_order_with_parents(small_codebook):
    book = cb.load_codebook(small_codebook)
    assert book.name == "Test"
    assert [c.id for c in book.codes] == ["ff", "ff_natverk", "ff_chef", "hi", "hi_ensam"]
    assert book["ff_chef"].parent == "ff"
    assert book["ff_natverk"].color == "#2e7d32"
    assert [c.id for c in book.leaves()] == ["ff_natverk", "ff_chef", "hi_ensam"]
    assert book.depth("hi_ensam") == 1


def test_flat_yaml_with_parent_keys(tmp_path):
    path = tmp_path / "flat.yaml"
    path.write_text("codes:\n- {id: b, parent: a, label_sv: B}\n- {id: a, label_sv: A, label_en: A-en}\n",
                    encoding="utf-8")
    book = cb.load_codebook(path)
    assert [c.id for c in book.codes] == ["a", "b"]
    assert book["b"].label_en == "B"  # a missing English label falls back to the Swedish one


def test_every_problem_is_reported_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "codes:\n"                                  # 1
        "  - id: a\n"                               # 2
        "    label_sv: A\n"                         # 3
        "  - id: a\n"                               # 4
        "    label_sv: A igen\n"                    # 5
        "  - id: b\n"                               # 6
        "    parent: nowhere\n"                     # 7
        "    label_sv: B\n"                         # 8
        "  - id: c\n"                               # 9
        "    label_sv: C\n"                         # 10
        "    colour: red\n",                        # 11
        encoding="utf-8")
    with pytest.raises(CodebookProblem) as info:
        cb.load_codebook(path)
    message = str(info.value)
    assert str(path) in message
    assert "line 4: duplicate id 'a' (first defined at line 2)" in message
    assert "line 6: code 'b' names unknown parent 'nowhere'" in message
    assert "line 9: unknown key(s) colour" in message


def test_cycle_is_reported(tmp_path):
    path = tmp_path / "cycle.csv"
    path.write_text("id,parent,label_sv,label_en\nx,z,X,X\ny,x,Y,Y\nz,y,Z,Z\n", encoding="utf-8")
    with pytest.raises(CodebookProblem, match=r"cycle in parents: x -> z -> y -> x"):
        cb.load_codebook(path)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("codes:\n  - id: a\n    label_sv: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookProblem, match=r"broken.yaml:\d+: is not valid YAML"):
        cb.load_codebook(path)


def test_csv_round_trip_keeps_everything(small_codebook, tmp_path):
    book = cb.load_codebook(small_codebook)
    out = cb.save_codebook(book, tmp_path / "book.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(cb.FIELDS)
    assert rows[1]["parent"] == "ff" and rows[1]["label_sv"] == "Stöd i SE-nätverk"
    again = cb.load_codebook(out)
    assert again.codes == book.codes
    yaml_again = cb.load_codebook(cb.save_codebook(again, tmp_path / "again.yaml"))
    assert yaml_again.codes == book.codes


def test_apply_codebook_updates_and_never_loses_used_codes(project, small_codebook, tmp_path):
    project.load_codebook(small_codebook)
    assert [c.id for c in project.codebook().codes] == ["ff", "ff_natverk", "ff_chef", "hi", "hi_ensam"]
    store = project.store
    with store.transaction():
        store.add_transcript(name="t.txt", format="txt", encoding="utf-8", sha256="h", text="Hej.", n_words=1,
                             segmentation="sentence", language="sv", segments=[(0, 4, None, None, None)])
    project.apply_code("t.txt", 1, "hi_ensam", coder="anna")
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text("codes:\n- id: ff\n  label_sv: Framgång\n  children:\n"
                       "  - id: ff_chef\n    label_sv: Chef\n", encoding="utf-8")
    result = project.load_codebook(smaller, replace=True)
    assert result == {"added": 0, "updated": 2, "removed": 1, "deactivated": 2}
    rows = {r.id: r for r in store.codes()}
    assert set(rows) == {"ff", "ff_chef", "hi", "hi_ensam"}
    assert not rows["hi_ensam"].active and not rows["hi"].active
    assert rows["ff"].label_sv == "Framgång"
    assert project.codings()[0]["code"] == "hi_ensam"


# ------------------------------------------------------------ shipped codebook

SHIPPED = ROOT / "codebooks" / "se_ips.yaml"
TABLES = ROOT / "codebooks" / "jonkoping2014_tables.csv"
SEED000 = ROOT.parent / "shared" / "seeds" / "000_75ad3991db0cbb4b.txt"
COLUMN_CATEGORY = {("inledande", "ff"): "impl.ff", ("inledande", "hi"): "impl.hi",
                   ("praktik", "ff"): "prak.ff", ("praktik", "hi"): "prak.hi", ("praktik", "on"): "prak.on"}


def test_shipped_codebook_is_valid_and_complete():
    book = cb.load_codebook(SHIPPED)
    leaves = {c.id for c in book.leaves()}
    for c in book.leaves():
        assert c.label_sv and c.label_en and c.definition and c.include and c.exclude and c.example, c.id
        assert c.color.startswith("#"), c.id
    rows = list(csv.DictReader(TABLES.open(encoding="utf-8")))
    assert {r["kommun"] for r in rows} >= {"Aneby", "Eksjö", "Gislaved", "Gnosjö", "Jönköping", "Nässjö",
                                           "Sävsjö", "Tranås", "Vaggeryd", "Vetlanda", "Värnamo"}
    for r in rows:
        code = book[r["code_id"]]
        assert r["code_id"] in leaves
        assert code.label_sv == r["label"], r
        category = COLUMN_CATEGORY[(r["table"], r["column"])]
        assert category in {a.id for a in _ancestors(book, code)}, r


def test_seed_table_labels_occur_verbatim_in_the_seed_report():
    if not SEED000.exists():
        pytest.skip("shared/seeds is not beside the repository")
    seed = " ".join(SEED000.read_text(encoding="utf-8").split())
    rows = list(csv.DictReader(TABLES.open(encoding="utf-8")))
    missing = {r["label"] for r in rows if " ".join(r["label"].split()) not in seed}
    assert missing == set()


def _ancestors(book, code):
    out = []
    while code.parent:
        code = book[code.parent]
        out.append(code)
    return out


def test_yaml_words_that_look_boolean_stay_text(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text("codes:\n- id: on\n  label_sv: Önskemål\n  children:\n  - id: no\n    label_sv: No\n"
                    "    label_en: yes\n", encoding="utf-8")
    book = cb.load_codebook(path)
    assert [(c.id, c.parent, c.label_sv, c.label_en) for c in book.codes] == [
        ("on", None, "Önskemål", "Önskemål"), ("no", "on", "No", "yes")]


def test_codebook_csv_neutralises_formulas_and_round_trips(tmp_path):
    book = cb.parse_yaml("codes:\n- id: a\n  label_sv: '@chef'\n  definition: '=1+1 är ingen formel'\n")
    text = cb.to_csv(book)
    assert "'@chef" in text and "'=1+1 är ingen formel" in text
    assert cb.parse_csv(text).codes == book.codes


def test_two_owners_moving_codes_under_each_other_at_once_never_make_a_cycle(tmp_path):
    """Regression: the cycle check ran before the write lock; 45 of 100 such races made a cycle."""
    import threading

    from coding.codebook_edit import add_code, move_code
    from coding.store import Store

    path = tmp_path / "race.qcode"
    refused = 0
    for trial in range(20):
        with Store.create(path, overwrite=True) as store:
            add_code(store, id="a", label_sv="A")
            add_code(store, id="b", label_sv="B")
        barrier = threading.Barrier(2)
        errors: list[Exception] = []

        def move(code, parent, barrier=barrier, errors=errors):
            with Store.open(path) as store:
                barrier.wait()
                try:
                    move_code(store, code, parent, actor=code)
                except CodebookProblem as exc:
                    errors.append(exc)

        threads = [threading.Thread(target=move, args=args) for args in (("a", "b"), ("b", "a"))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        with Store.open(path) as store:
            parents = {c.id: c.parent_id for c in store.codes()}
        assert None in parents.values(), (trial, parents)  # one of them is still at the top: no cycle
        assert len(errors) == 1 and "cycle" in str(errors[0])
        refused += 1
    assert refused == 20


def test_codebook_csv_round_trips_hostile_text_and_neutralises_every_cell(tmp_path):
    book = cb.Codebook([cb.Code("a", label_sv="=cmd|' /C calc'!A0", label_en="'=already", definition="rad\r=två"),
                        cb.Code("b", parent="a", label_sv="-minus", label_en="@at", example='"citat", komma\r\n+1')])
    text = cb.to_csv(book)
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    again = cb.parse_csv(text, path="book.csv")
    line_feeds = [(c.id, c.parent, c.label_sv, c.label_en, c.definition.replace("\r", "\n"),
                   c.example.replace("\r\n", "\n")) for c in book.codes]  # line breaks are kept as LF
    assert [(c.id, c.parent, c.label_sv, c.label_en, c.definition, c.example) for c in again.codes] == line_feeds


def test_a_codebook_csv_with_an_unclosed_quote_names_the_line(tmp_path):
    with pytest.raises(CodebookProblem, match=r"book.csv:3: broken CSV"):
        cb.parse_csv('id,label_sv\na,A\nb,"B\nc,C\n', path="book.csv")


def test_a_cycle_stored_by_an_old_version_is_repaired_with_a_message(tmp_path):
    """Regression: a parent cycle (two opposite moves at once in qcode 0.1) made both codes and their codings
    vanish from every view; opening the project now repairs it and says so."""
    from click.testing import CliRunner

    from coding import Project
    from coding.cli import cli

    path = tmp_path / "demo.qcode"
    Project.demo(path).close()
    with Project.open(path) as p:
        n = p.counts()["codes"]
        p.store.conn.execute("UPDATE codes SET parent_id = 'impl_hi_lag_forankring' "
                             "WHERE id = 'impl_hi_ensam_position'")
        p.store.conn.execute("UPDATE codes SET parent_id = 'impl_hi_ensam_position' "
                             "WHERE id = 'impl_hi_lag_forankring'")
        assert len(p.store.codes()) == n - 2  # what users saw: two codes gone
    result = CliRunner().invoke(cli, ["codebook", "show", str(path)])
    assert result.exit_code == 0 and "cycle" in result.output and "Ensam position som SE-coach" in result.output
    with Project.open(path) as p:
        assert len(p.store.codes()) == n and p.notices == []
        assert p.audit_log(limit=1)[0]["action"] == "code.repair"
