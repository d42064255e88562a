"""Codebooks: YAML and CSV, validation that names the line, and the project's copy."""

from __future__ import annotations

import csv
import json
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
        for lang in ("sv", "en"):
            assert all(c.text(f, lang) for f in ("definition", "include", "exclude", "example")), (c.id, lang)
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


def test_every_text_of_the_shipped_codebook_is_in_swedish_and_english():
    book = cb.load_codebook(SHIPPED)
    assert len(book) == 146
    for c in book.codes:
        assert c.label_sv and c.label_en, c.id
        assert not any(getattr(c, f) for f in cb.TEXT_FIELDS), c.id  # no language-neutral text left
        for f in cb.TEXT_FIELDS:
            sv, en = getattr(c, f"{f}_sv"), getattr(c, f"{f}_en")
            assert bool(sv) == bool(en), (c.id, f)  # a text in one language is in the other too
            if sv:
                assert sv != en, (c.id, f)
        assert c.definition_sv, c.id
    leaves = book.leaves()
    # Examples: the Swedish one quotes a report verbatim (or is marked as made up), the English one translates it
    for c in leaves:
        quote = c.example_sv[c.example_sv.index("«"):c.example_sv.rindex("»") + 1]
        assert quote not in c.example_en, c.id
        made_up = c.example_sv.startswith("Påhittat exempel")
        assert made_up == c.example_en.startswith("Illustrative example"), c.id
        assert made_up or c.example_en.endswith("our translation)"), c.id
    ensam = book["impl_hi_ensam_position"]
    assert ensam.text("definition", "sv").startswith("Låg kunskap om, och ibland ointresse för, SE")
    assert ensam.text("definition", "en").startswith("Low knowledge of, and sometimes lack of interest in, SE")
    assert "«De har saknat någon att bolla med i det dagliga arbetet" in ensam.text("example", "sv")


def test_the_shipped_swedish_quotes_are_those_of_the_reports():
    """Every quote in example_sv is a report's words: each occurs verbatim in one of the four reports."""
    reports = sorted(SEED000.parent.glob("*.txt"))
    if not reports:
        pytest.skip("shared/seeds is not beside the repository")
    texts = [" ".join(r.read_text(encoding="utf-8").split()) for r in reports]
    book = cb.load_codebook(SHIPPED)
    quotes = [c.example_sv[c.example_sv.index("«") + 1:c.example_sv.rindex("»")] for c in book.leaves()
              if not c.example_sv.startswith("Påhittat exempel")]
    assert len(quotes) == len(book.leaves()) - 3
    assert [q for q in quotes if not any(q in text for text in texts)] == []


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


# ------------------------------------------------------------ Swedish and English

BILINGUAL = """\
codebook:
  name: Tvåspråkig
codes:
  - id: hi
    label_sv: Hinder
    label_en: Obstacles
    definition_sv: Det som gjorde arbetet svårare.
    definition_en: What made the work harder.
    children:
      - id: hi_ensam
        label_sv: Ensam position som SE-coach
        label_en: Lonely SE-coach role
        definition_sv: Coachen är ensam om SE i verksamheten.
        definition_en: The coach is the only one doing SE in the unit.
        include_sv: Saknar kollegor att bolla med.
        include_en: Missing colleagues to talk the work over with.
        exclude_sv: Delad tjänst (hi_splittrad).
        exclude_en: A split post (hi_splittrad).
        example_sv: "«Jag har ingen att bolla med.»"
        example_en: "«I have no one to talk things over with.»"
      - id: hi_tid
        label_sv: Brist på tid
        label_en: Lack of time
        definition_sv: För lite tid för SE-arbetet.
"""


def test_bilingual_texts_are_read_per_language_and_fall_back_to_the_other(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    book = cb.load_codebook(path)
    ensam = book["hi_ensam"]
    assert [ensam.text(f, "sv") for f in ("definition", "include", "exclude", "example")] == [
        "Coachen är ensam om SE i verksamheten.", "Saknar kollegor att bolla med.", "Delad tjänst (hi_splittrad).",
        "«Jag har ingen att bolla med.»"]
    assert [ensam.text(f, "en") for f in ("definition", "include", "exclude", "example")] == [
        "The coach is the only one doing SE in the unit.", "Missing colleagues to talk the work over with.",
        "A split post (hi_splittrad).", "«I have no one to talk things over with.»"]
    assert book["hi_tid"].text("definition", "en") == "För lite tid för SE-arbetet."  # no English: the Swedish
    assert book["hi_tid"].text("example", "sv") == ""
    with pytest.raises(ValueError, match="unknown text field 'label'"):
        ensam.text("label", "sv")


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_bilingual_codebook_round_trips_through_yaml_and_csv(tmp_path, suffix):
    path = tmp_path / "book.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    book = cb.load_codebook(path)
    out = cb.save_codebook(book, tmp_path / f"out{suffix}")
    again = cb.load_codebook(out)
    assert again.codes == book.codes
    assert again["hi_ensam"].example_en == "«I have no one to talk things over with.»"
    text = out.read_text(encoding="utf-8")
    for key in ("definition_sv", "definition_en", "include_sv", "include_en", "exclude_sv", "exclude_en",
                "example_sv", "example_en"):
        assert key in text
    if suffix == ".csv":
        header = text.splitlines()[0].split(",")
        assert header == list(cb.FIELDS)  # no neutral columns: no code has neutral text
        assert "definition" not in header
    else:
        assert "\n    definition:" not in text and "definition_sv: Det som gjorde arbetet svårare." in text


def test_an_older_codebook_still_loads_and_reads_its_neutral_text_in_both_languages(tmp_path):
    path = tmp_path / "old.yaml"
    path.write_text("codes:\n- id: ff\n  label_sv: Framgång\n  children:\n  - id: ff_chef\n"
                    "    label_sv: Positiv chef\n    definition: Chefen stöder SE.\n    include: Uttalat stöd.\n"
                    "    exclude: Allmän välvilja.\n    example: «Chefen var med.»\n", encoding="utf-8")
    book = cb.load_codebook(path)
    chef = book["ff_chef"]
    for lang in ("sv", "en"):
        assert [chef.text(f, lang) for f in ("definition", "include", "exclude", "example")] == [
            "Chefen stöder SE.", "Uttalat stöd.", "Allmän välvilja.", "«Chefen var med.»"]
    assert (chef.definition_sv, chef.definition_en) == ("", "")
    # an export keeps the neutral text as it is (its language is not guessed), and reads back the same
    csv_text = cb.to_csv(book)
    assert csv_text.splitlines()[0] == ",".join(cb.FIELDS) + ",definition,include,exclude,example"
    assert cb.parse_csv(csv_text).codes == book.codes
    yaml_text = cb.to_yaml(book)
    assert "definition: Chefen stöder SE." in yaml_text and "definition_sv" not in yaml_text
    assert cb.parse_yaml(yaml_text).codes == book.codes
    # an older CSV (neutral columns only) loads too
    old_csv = "id,parent,label_sv,label_en,definition,include,exclude,example,color\nx,,X,X,Def,In,Ut,Ex,\n"
    x = cb.parse_csv(old_csv, path="old.csv")["x"]
    assert (x.text("definition", "en"), x.text("example", "sv")) == ("Def", "Ex")


def test_a_neutral_text_comes_before_the_other_language(tmp_path):
    book = cb.parse_yaml("codes:\n- id: a\n  label_sv: A\n  definition: Båda språken\n  definition_en: English\n")
    assert (book["a"].text("definition", "sv"), book["a"].text("definition", "en")) == ("Båda språken", "English")


def test_bilingual_keys_are_validated_with_their_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("codes:\n"                          # 1
                    "  - id: a\n"                       # 2
                    "    label_sv: A\n"                 # 3
                    "    definition_de: Auf Deutsch\n"  # 4
                    "  - id: b\n"                       # 5
                    "    label_sv: B\n"                 # 6
                    "    example_en: [a, list]\n",      # 7
                    encoding="utf-8")
    with pytest.raises(CodebookProblem) as info:
        cb.load_codebook(path)
    message = str(info.value)
    assert "line 2: unknown key(s) definition_de" in message
    assert "line 5: 'example_en' must be text" in message
    with pytest.raises(CodebookProblem, match=r"book.csv: line 1: unknown column\(s\) include_fi"):
        cb.parse_csv("id,label_sv,include_fi\na,A,x\n", path="book.csv")


def test_bilingual_texts_go_into_a_project_and_out_again(project, tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    project.load_codebook(path)
    rows = {c.id: c for c in project.store.codes()}
    assert (rows["hi_ensam"].include_sv, rows["hi_ensam"].include_en) == (
        "Saknar kollegor att bolla med.", "Missing colleagues to talk the work over with.")
    assert rows["hi_ensam"].text("example", "en") == "«I have no one to talk things over with.»"
    assert project.codebook().codes == cb.load_codebook(path).codes
    project.export_codebook(tmp_path / "out.csv")
    assert cb.load_codebook(tmp_path / "out.csv").codes == cb.load_codebook(path).codes


def test_cli_shows_the_texts_in_the_chosen_language(project, tmp_path):
    from click.testing import CliRunner

    from coding.cli import cli

    path = tmp_path / "book.yaml"
    path.write_text(BILINGUAL, encoding="utf-8")
    project.load_codebook(path)
    project.close()
    runner = CliRunner()
    en = runner.invoke(cli, ["codebook", "show", project.where, "--lang", "en", "--texts"])
    assert en.exit_code == 0, en.output
    assert "  Lonely SE-coach role  [hi_ensam]\n      Definition: The coach is the only one doing SE in the unit." \
        in en.output
    assert "      Example: «I have no one to talk things over with.»" in en.output
    assert "Definition: För lite tid för SE-arbetet." in en.output  # no English text: the Swedish one
    sv = runner.invoke(cli, ["codebook", "show", project.where, "--texts"])
    assert "      Inkludera när: Saknar kollegor att bolla med." in sv.output
    plain = runner.invoke(cli, ["codebook", "show", project.where])
    assert "Definition" not in plain.output
    rows = json.loads(runner.invoke(cli, ["codebook", "show", project.where, "--format", "json"]).output)
    assert rows[1]["example_sv"] == "«Jag har ingen att bolla med.»" and "definition" not in rows[1]


def test_the_review_of_disagreements_reads_the_codes_texts_in_both_languages(demo_file, tmp_path):
    import shutil

    from click.testing import CliRunner

    from coding import Project
    from coding.cli import cli

    path = tmp_path / "demo.qcode"
    shutil.copyfile(demo_file, path)
    with Project.open(path) as p:
        found = p.disagreements(["anna", "erik"])
        codes = {c.id: c for c in p.store.codes()}
    involved = [i for d in found for i in d["involved"]]
    assert involved
    for i in involved:
        code = codes[i["id"]]
        for field in ("definition", "include", "exclude"):
            assert i[f"{field}_sv"] == code.text(field, "sv") and i[f"{field}_en"] == code.text(field, "en")
            assert i[field] == i[f"{field}_sv"]
    first = found[0]["involved"][0]
    assert first["definition_sv"] and first["definition_en"] and first["definition_sv"] != first["definition_en"]
    rows = {}
    for lang in ("sv", "en"):
        out = CliRunner().invoke(cli, ["disagreements", str(path), "--coders", "anna,erik", "--format", "csv",
                                       "--lang", lang])
        assert out.exit_code == 0, out.output
        rows[lang] = list(csv.DictReader(out.output.splitlines()))[0]["definitions"]
    assert f"{first['id']}: {first['definition_sv']}" in rows["sv"]
    assert f"{first['id']}: {first['definition_en']}" in rows["en"]
