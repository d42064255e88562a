"""Older project files, made at their own schema version, are brought forward without losing anything.

An old file is made the way the older qcode made it: the schema is created
with the migration list cut at that version (the steps themselves never
change), and transcripts are inserted with that version's SQL (before
schema 3 a segment had no ``text`` column). Everything else is written by
today's library functions, which an old file supports.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
import sqlite_utils

from coding import Project
from coding import project_agreement as pa
from coding.codings import CONSENSUS, mark_done, set_segment_memo
from coding.matrix import build_matrix, cooccurrence
from coding.store import Store
from coding.store import schema as store_schema

INTERVIEWS = {
    "aneby_chef.txt": ("Aneby", [
        ("Intervjuare", "Hur gick förankringen i ledningen?"),
        ("Chef", "Förankring i ledningen var avgörande för oss."),
        ("Chef", "Vi fick stöd från Samordningsförbundet."),
        ("Intervjuare", "Och nätverket?"),
        ("Chef", "Nätverket gav råd, här och där."),
    ]),
    "eksjo_coach.txt": ("Eksjö", [
        ("Intervjuare", "Hur började arbetet?"),
        ("SE-coach", "Det var ensamt i rollen, ingen forankring alls."),  # OCR lost the dots
        ("SE-coach", "Sen kom nätverket och det blev bättre."),
    ]),
    "gnosjo_coach.txt": ("Gnosjö", [
        ("Intervjuare", "Vad var svårast?"),
        ("SE-coach", "Att följa metoden när chefen inte förstod."),
        ("SE-coach", "Förankringsarbetet tog ett år."),
    ]),
}
CODES = [("ff", None, "Framgångsfaktorer", "Success factors"),
         ("ff_chef", "ff", "Positiv ledning", "Supportive management"),
         ("ff_natverk", "ff", "Stöd i SE-nätverk", "Support in the SE network"),
         ("hi", None, "Hinder", "Obstacles"),
         ("hi_ensam", "hi", "Ensam position", "Lonely role")]


def add_transcript_before_v3(store: Store, name: str, kommun: str, turns: list[tuple[str, str]]) -> int:
    """Insert a transcript with the SQL of schema 1 and 2 (segments without a text column)."""
    text, spans = "", []
    for speaker, said in turns:
        start = len(text) + len(speaker) + 2
        text += f"{speaker}: {said}\n"
        spans.append((start, start + len(said), speaker))
    conn = store.conn
    tid = conn.execute(
        "INSERT INTO transcripts(name, format, encoding, sha256, text, n_words, segmentation, language, imported_at) "
        "VALUES (?, 'txt', 'utf-8', ?, ?, ?, 'turn', 'sv', '2026-01-01T00:00:00+00:00')",
        (name, hashlib.sha256(text.encode()).hexdigest(), text, len(text.split()))).lastrowid
    conn.executemany('INSERT INTO segments(transcript_id, position, start, "end", speaker) VALUES (?, ?, ?, ?, ?)',
                     [(tid, i, a, b, sp) for i, (a, b, sp) in enumerate(spans, start=1)])
    store.set_attributes(tid, {"kommun": kommun})
    return tid


def add_codes_before_v5(store: Store, codes) -> None:
    """Insert codes with the SQL of schemas 1 to 4 (one language-neutral definition and example)."""
    store.conn.executemany(
        "INSERT INTO codes(id, parent_id, position, label_sv, label_en, definition, example) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(i, parent, n, sv, en, f"Definition of {en}", f"«{sv}»" if parent else "")
         for n, (i, parent, sv, en) in enumerate(codes)])


def old_codes(store: Store) -> list[tuple]:
    """The codes as every schema has them (the columns of schema 1)."""
    return store.conn.execute("SELECT id, parent_id, position, label_sv, label_en, definition, include, exclude, "
                              "example, color, active FROM codes ORDER BY id").fetchall()


def code_before_v8(store: Store, name: str, position: int, code: str, coder: str) -> None:
    """Apply a code as qcode did before schema 8 (no ``share`` column), with its audit entry."""
    sid = store.segment_id(store.transcript_id(name), position)
    with store.transaction():
        store.ensure_coders([coder])
        store.conn.execute("INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
                           "VALUES (?, ?, ?, ?, NULL, '2024-01-01T00:00:00+00:00')",
                           (sid, store.transcript_id(name), code, coder))
        store.audit("coding.apply", actor=coder, target=f"{name}#{position}",
                    detail={"segment_ids": [sid], "code": code, "memo": None})


def decide_before_v3(store: Store, segment_id: int, codes: list[str], *, decided_by: str, how: str,
                     note: str | None = None) -> None:
    """Record a consensus decision as qcode did before schema 3: the codings and an audit entry only."""
    _, name, position = store.segment_location(segment_id)
    with store.transaction():
        before = store.coder_segment_codes(segment_id, CONSENSUS)
        store.ensure_coders([CONSENSUS])
        added, removed = sorted(set(codes) - set(before)), sorted(set(before) - set(codes))
        store.conn.executemany("DELETE FROM codings WHERE segment_id = ? AND coder = ? AND code_id = ?",
                               [(segment_id, CONSENSUS, c) for c in removed])
        for code in added:
            code_before_v8(store, name, position, code, CONSENSUS)
        store.audit("consensus.decide", actor=decided_by, target=f"{name}#{position}",
                    detail={"segment_id": segment_id, "codes": codes, "before": before, "added": added,
                            "removed": removed, "how": how, "note": note})


def make_old_project(path, version: int, monkeypatch) -> None:
    """A project file at schema ``version`` with transcripts, codes, codings, memos, done-markers
    and two consensus decisions recorded the old way: in the audit log only."""
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", version)
        p = Project.create(path)
        store = p.store
        assert store.schema_version() == version
        assert "text" not in sqlite_utils.Database(store.conn)["segments"].columns_dict
        with store.transaction():
            add_codes_before_v5(store, CODES)
            for name, (kommun, turns) in INTERVIEWS.items():
                add_transcript_before_v3(store, name, kommun, turns)
        for name, coder, position, code in [
                ("aneby_chef.txt", "anna", 2, "ff_chef"), ("aneby_chef.txt", "erik", 2, "ff_chef"),
                ("aneby_chef.txt", "anna", 3, "ff_natverk"), ("aneby_chef.txt", "anna", 5, "ff_natverk"),
                ("aneby_chef.txt", "erik", 5, "ff_natverk"), ("eksjo_coach.txt", "anna", 2, "hi_ensam"),
                ("eksjo_coach.txt", "erik", 3, "ff_natverk"), ("gnosjo_coach.txt", "anna", 2, "hi"),
                ("gnosjo_coach.txt", "erik", 2, "hi"), ("gnosjo_coach.txt", "erik", 3, "ff_chef")]:
            code_before_v8(store, name, position, code, coder)
        set_segment_memo(store, store.segment_id(store.transcript_id("eksjo_coach.txt"), 2), "anna", "ensam!")
        for coder in ("anna", "erik"):
            mark_done(store, coder)
        sid = store.segment_id(store.transcript_id("aneby_chef.txt"), 3)
        decide_before_v3(store, sid, ["ff_natverk"], decided_by="sara", how="manual", note="talk 3/12")
        decide_before_v3(store, sid, [], decided_by="per", how="accept erik")  # changed their mind
        assert "consensus_decisions" not in sqlite_utils.Database(store.conn).table_names()
        p.close()


def codings_as_before(store: Store, coder: str | None = None) -> list[tuple]:
    """The codings as every schema holds them (read with SQL that needs no column added later)."""
    return store.conn.execute(
        "SELECT t.name, s.position, c.code_id, c.coder, c.memo FROM codings c JOIN segments s ON s.id = c.segment_id "
        "JOIN transcripts t ON t.id = c.transcript_id" + (" WHERE c.coder = ?" if coder is not None else "") +
        " ORDER BY t.name, s.position, c.coder, c.code_id", (coder,) if coder is not None else ()).fetchall()


def snapshot(store: Store) -> dict:
    """Everything the migration must leave as it was."""
    counts = store.counts()
    counts.pop("audit")  # the migration adds its own entry
    return {
        "counts": counts,
        "codings": codings_as_before(store),
        "memos": store.memos(),
        "transcripts": store.transcripts(),
        "codes": old_codes(store),
        "matrix": build_matrix(store, "kommun", "count").table.to_json(orient="split"),
        "matrix_any": build_matrix(store, "transcript", "presence",
                                   coders=["anna", "erik"]).table.to_json(orient="split"),
        "cooccurrence": cooccurrence(store).to_json(orient="split"),
        "agreement": pa.agreement(store, ["anna", "erik"]).to_json(orient="split"),
        "consensus": codings_as_before(store, CONSENSUS),
    }


def decisions_in_audit(store: Store) -> list[dict]:
    """The decisions as schema 2 kept them: audit entries, read back here by hand."""
    out = []
    for e in reversed(store.audit_log()):
        if e["action"] == "consensus.decide":
            d = e["detail"]
            sid = d["segment_id"]
            _, name, pos = store.segment_location(sid)
            out.append({"id": e["id"], "decided_at": e["at"], "decided_by": e["actor"], "segment_id": sid,
                        "transcript": name, "segment": pos, "codes": d["codes"], "before": d["before"],
                        "how": d["how"], "note": d["note"]})
    return out


def schema_of(path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = {(t, n, " ".join((sql or "").split())) for t, n, sql in
            conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    conn.close()
    return rows


def test_a_version_2_project_is_migrated_to_3_with_everything_intact(tmp_path, monkeypatch):
    path = tmp_path / "v2.qcode"
    make_old_project(path, 2, monkeypatch)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()

    # Read the old file with today's code without migrating it: a raw Store on its connection.
    from coding.store.base import connect
    raw = Store(connect(path), path)
    before = snapshot(raw)
    expected_decisions = decisions_in_audit(raw)
    raw.close()
    assert [d["how"] for d in expected_decisions] == ["manual", "accept erik"]

    store = Store.open(path)
    assert store.schema_version() == store_schema.SCHEMA_VERSION
    last = store.audit_log(limit=1)[0]
    assert (last["action"], last["detail"]) == ("schema.migrate", {"to": store_schema.SCHEMA_VERSION})
    assert snapshot(store) == before

    # every coding is now the span of its segment (schema 8), and the codings read as before
    spans = store.span_list()
    assert len(spans) == len(before["codings"]) and store.spans_count() == 0
    names = store.transcript_names_by_id()
    assert sorted((names[t], pos, code, coder) for t, _s, _e, code, coder, _m, _a, pos in spans) == \
        sorted(row[:4] for row in before["codings"])
    for tid, start, end, _code, _coder, _memo, _at, pos in spans:
        segment = store.segments(tid)[pos - 1]
        assert (segment.start, segment.end) == (start, end)
    assert [tuple(c[k] for k in ("transcript", "segment", "code", "coder", "memo")) for c in store.codings()] == \
        before["codings"]

    # consensus decisions: a table now, filled from the audit log, same records as before
    assert store.consensus_decisions() == expected_decisions
    assert pa.decisions(store, latest=True)[0]["decided_by"] == "per"
    assert store.decided_segment_ids() == {expected_decisions[0]["segment_id"]}

    # every segment's text is its slice of the transcript, and the index knows it
    for t in store.transcripts():
        text = store.transcript_text(t["id"])
        assert [s.text for s in store.segments(t["id"])] == [text[s.start:s.end] for s in store.segments(t["id"])]
    store.conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('integrity-check')")
    found = {(h.transcript, h.position) for h in store.search_segments("förankring")}
    assert found == {("aneby_chef.txt", 2), ("eksjo_coach.txt", 2)}
    assert {(h.transcript, h.position) for h in store.search_segments("forankring")} == found
    store.close()

    # the views read like the tables they join, in any SQLite tool
    db = sqlite_utils.Database(path)
    assert db["segments_view"].count == sum(len(turns) for _, turns in INTERVIEWS.values())
    row = next(db.query("SELECT * FROM codings_view WHERE coder = 'anna' AND memo IS NULL AND transcript = ? "
                        "AND segment = 2", ["aneby_chef.txt"]))
    assert (row["code_id"], row["label_sv"], row["label_en"]) == ("ff_chef", "Positiv ledning", "Supportive management")
    assert row["text"] == "Förankring i ledningen var avgörande för oss."
    assert db["codings_view"].count == len(before["codings"])
    db.close()

    # the migrated file has exactly the schema of a new one
    Store.create(tmp_path / "new.qcode").close()
    assert schema_of(path) == schema_of(tmp_path / "new.qcode")


def test_an_old_project_moved_to_postgresql_is_migrated_there_by_the_same_steps(tmp_path, monkeypatch,
                                                                               pg_database):
    from coding.store import pgconn
    from coding.store.copy import copy_project
    from coding.store.url import parse_location

    path = tmp_path / "v2.qcode"
    make_old_project(path, 2, monkeypatch)
    url = parse_location(f"{pg_database}?schema=old_v2")
    copy_project(path, url)  # laid out at version 2 on PostgreSQL, as the file is
    raw = Store(pgconn.connect(url), None, url)  # read without migrating
    assert raw.schema_version() == 2
    before = snapshot(raw)
    expected_decisions = decisions_in_audit(raw)
    raw.close()

    with Store.open(url) as store:  # steps 3 … SCHEMA_VERSION, on PostgreSQL
        assert store.schema_version() == store_schema.SCHEMA_VERSION
        assert snapshot(store) == before
        assert store.consensus_decisions() == expected_decisions  # read back from the audit log's JSON
        assert {(h.transcript, h.position) for h in store.search_segments("forankring")} == \
            {("aneby_chef.txt", 2), ("eksjo_coach.txt", 2)}
        assert len(store.span_list()) == len(before["codings"])
    with Store.open(path) as file_store:  # and the same as the file migrated on SQLite
        assert snapshot(file_store) == before


def test_a_version_1_project_is_migrated_with_its_totals(tmp_path, monkeypatch):
    path = tmp_path / "v1.qcode"
    make_old_project(path, 1, monkeypatch)
    assert "code_counts" not in sqlite_utils.Database(path).table_names()
    p = Project.open(path)
    assert p.store.schema_version() == store_schema.SCHEMA_VERSION
    migrations = [e["detail"] for e in p.store.audit_log() if e["action"] == "schema.migrate"]
    assert migrations == [{"to": v} for v in range(store_schema.SCHEMA_VERSION, 1, -1)]
    totals = p.store.attribute_code_totals("anna", "kommun")
    assert ("Aneby", "ff_natverk", 2, 1) in totals
    assert build_matrix(p.store, "kommun", "count", coders=["anna"]).table.loc["Aneby", "ff_natverk"] == 2
    assert p.store.search_count("nätverket") == 3
    assert len(p.store.consensus_decisions()) == 2
    p.close()
    assert schema_of(path) == schema_of(Store.create(tmp_path / "new.qcode").path)


def test_a_file_of_a_newer_qcode_is_refused_and_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "future.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", store_schema.SCHEMA_VERSION + 1)
        patch.setattr(store_schema, "MIGRATIONS", [*store_schema.MIGRATIONS, lambda conn: None])
        Store.create(path).close()
    before = schema_of(path)
    from coding.errors import ProjectProblem

    with pytest.raises(ProjectProblem, match="newer qcode"):
        Store.open(path)
    assert schema_of(path) == before


def test_a_version_3_project_gets_roles_and_keeps_its_owners(tmp_path, monkeypatch):
    from coding.roles import role_of

    path = tmp_path / "v3.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", 3)
        with Project.create(path) as p:
            p.store.ensure_coders(["anna", "erik"])
            p.store.set_coder("anna", is_owner=True)
    with Project.open(path) as p:
        assert p.store.schema_version() == store_schema.SCHEMA_VERSION
        assert (role_of(p.store, "anna"), role_of(p.store, "erik")) == ("owner", "coder")


def test_a_version_4_project_gets_segment_pages_and_keeps_everything(tmp_path, monkeypatch):
    """Schema 5 gives segments a page (PDF imports); the segments of older imports have none."""
    from pdf_helpers import write_pdf

    path = tmp_path / "v4.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", 4)
        with Project.create(path) as p, p.store.transaction():
            assert "page" not in sqlite_utils.Database(p.store.conn)["segments"].columns_dict
            tid = add_transcript_before_v3(p.store, "aneby_chef.txt", "Aneby", INTERVIEWS["aneby_chef.txt"][1])
            text = p.store.transcript_text(tid)
            p.store.conn.execute('UPDATE segments SET text = substr(?, start + 1, "end" - start)', (text,))
            before = p.store.conn.execute('SELECT position, start, "end", speaker, text FROM segments '
                                          "ORDER BY position").fetchall()
            assert before[1][4] == "Förankring i ledningen var avgörande för oss."
    with Project.open(path) as p:
        assert p.store.schema_version() == store_schema.SCHEMA_VERSION
        assert p.store.audit_log(limit=1)[0]["detail"] == {"to": store_schema.SCHEMA_VERSION}
        segments = p.segments("aneby_chef.txt")
        assert [(s.position, s.start, s.end, s.speaker, s.text) for s in segments] == before
        assert {s.page for s in segments} == {None}
        report = write_pdf(tmp_path / "rapport.pdf", [["Sida ett."], ["Sida två."]])
        p.import_files([report])
        assert [(s.text, s.page) for s in p.segments("rapport.pdf")] == [("Sida ett.", 1), ("Sida två.", 2)]
    db = sqlite_utils.Database(path)
    assert [(r["transcript"], r["page"], r["text"]) for r in db.query(
        "SELECT * FROM segments_view WHERE transcript = 'rapport.pdf' OR position = 1 ORDER BY id")] == [
        ("aneby_chef.txt", None, "Hur gick förankringen i ledningen?"), ("rapport.pdf", 1, "Sida ett."),
        ("rapport.pdf", 2, "Sida två.")]
    db.close()
    assert schema_of(path) == schema_of(Store.create(tmp_path / "new.qcode").path)


def test_a_version_4_project_keeps_its_codes_and_their_texts_in_both_languages(tmp_path, monkeypatch):
    """Schema 5 gives each code's texts a Swedish and an English column; the old text stays language-neutral
    (its language is not guessed) and is read in both languages."""
    path = tmp_path / "v4.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", 4)
        with Project.create(path) as p:
            add_codes_before_v5(p.store, CODES)
            p.store.conn.execute("UPDATE codes SET include = 'När coachen är ensam', exclude = 'Inte nätverk' "
                                 "WHERE id = 'hi_ensam'")
            with p.store.transaction():
                add_transcript_before_v3(p.store, "aneby_chef.txt", "Aneby", INTERVIEWS["aneby_chef.txt"][1])
            code_before_v8(p.store, "aneby_chef.txt", 2, "ff_chef", "anna")
            assert "definition_sv" not in sqlite_utils.Database(p.store.conn)["codes"].columns_dict
            before = old_codes(p.store)
            codings = codings_as_before(p.store)
    with Project.open(path) as p:
        assert p.store.schema_version() == store_schema.SCHEMA_VERSION
        assert old_codes(p.store) == before
        assert codings_as_before(p.store) == codings
        codes = {c.id: c for c in p.store.codes()}
        ensam = codes["hi_ensam"]
        assert (ensam.definition_sv, ensam.definition_en, ensam.example_sv, ensam.example_en) == ("", "", "", "")
        for lang in ("sv", "en"):
            assert ensam.text("definition", lang) == "Definition of Lonely role"
            assert ensam.text("include", lang) == "När coachen är ensam"
            assert ensam.text("example", lang) == "«Ensam position»"
        book = p.codebook()
        assert book["hi_ensam"].text("exclude", "en") == "Inte nätverk"
        assert [c.id for c in book.codes] == [c[0] for c in CODES]
        # written in one language afterwards, the other language keeps the old text
        p.update_code("hi_ensam", definition_en="The coach works alone.")
        ensam = {c.id: c for c in p.store.codes()}["hi_ensam"]
        assert (ensam.text("definition", "en"), ensam.text("definition", "sv")) == (
            "The coach works alone.", "Definition of Lonely role")
    Store.create(tmp_path / "new.qcode").close()
    assert schema_of(path) == schema_of(tmp_path / "new.qcode")


def test_a_version_8_project_gets_suggestion_tables_and_keeps_its_codings(tmp_path, monkeypatch):
    """Schema 9 adds models, proposals and codings.source; every existing coding was made by hand ('')."""
    path = tmp_path / "v8.qcode"
    with monkeypatch.context() as patch:
        patch.setattr(store_schema, "SCHEMA_VERSION", 8)
        with Project.create(path) as p:
            add_codes_before_v5(p.store, CODES)
            with p.store.transaction():
                add_transcript_before_v3(p.store, "aneby_chef.txt", "Aneby", INTERVIEWS["aneby_chef.txt"][1])
            p.apply_code("aneby_chef.txt", 2, "ff_chef", coder="anna")
            p.apply_code("aneby_chef.txt", 3, "ff_natverk", coder="erik")
            assert "source" not in sqlite_utils.Database(p.store.conn)["codings"].columns_dict
            assert "proposals" not in sqlite_utils.Database(p.store.conn).table_names()
            before = p.store.codings()
    with Project.open(path) as p:
        assert p.store.schema_version() == store_schema.SCHEMA_VERSION == 9
        assert p.store.codings() == before
        assert p.store.conn.execute("SELECT DISTINCT source FROM codings").fetchall() == [("",)]
        assert p.store.models() == [] and p.store.proposals() == []
        assert p.store.coding_sources() == {}
    Store.create(tmp_path / "new.qcode").close()
    assert schema_of(path) == schema_of(tmp_path / "new.qcode")
