"""Running totals that make matrices instant (part of the store; schema version 2).

Two tables are kept up to date by triggers as coders work:

* ``code_counts(coder, transcript_id, code_id, segments)``: how many segments
  of a transcript a coder coded with a code; the row with ``coder = ''``
  counts the segments coded by *any* coder (each segment once);
* ``attr_counts(coder, name, value, code_id, segments, transcripts)``: the
  same summed over the transcripts that carry an attribute value (e.g.
  ``kommun = Aneby``), with the number of those transcripts where it occurs.

A municipality × code matrix then reads a few thousand rows instead of
scanning every coding. Bulk imports switch the coding triggers off and
rebuild the totals once (:func:`rebuild`), which is much faster than a
trigger per row.
"""

from __future__ import annotations

import sqlite3

from .base import on_postgresql

ANY_CODER = ""

TABLES = (
    """CREATE TABLE IF NOT EXISTS code_counts (
        coder TEXT NOT NULL,
        transcript_id INTEGER NOT NULL,
        code_id TEXT NOT NULL,
        segments INTEGER NOT NULL,
        PRIMARY KEY (coder, transcript_id, code_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS code_counts_transcript ON code_counts(transcript_id)",
    """CREATE TABLE IF NOT EXISTS attr_counts (
        coder TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        code_id TEXT NOT NULL,
        segments INTEGER NOT NULL,
        transcripts INTEGER NOT NULL,
        PRIMARY KEY (coder, name, value, code_id)
    ) WITHOUT ROWID""",
)

# Triggers on codings: one per change; a changed coding is a removal plus an addition.
_ADD = """
    INSERT INTO code_counts VALUES ({n}.coder, {n}.transcript_id, {n}.code_id, 1)
        ON CONFLICT DO UPDATE SET segments = segments + 1;
    INSERT INTO code_counts SELECT '', {n}.transcript_id, {n}.code_id, 1
        WHERE NOT EXISTS (SELECT 1 FROM codings o WHERE o.segment_id = {n}.segment_id
                          AND o.code_id = {n}.code_id AND o.coder <> {n}.coder)
        ON CONFLICT DO UPDATE SET segments = segments + 1;
"""
_REMOVE = """
    UPDATE code_counts SET segments = segments - 1
        WHERE coder = {o}.coder AND transcript_id = {o}.transcript_id AND code_id = {o}.code_id;
    UPDATE code_counts SET segments = segments - 1
        WHERE coder = '' AND transcript_id = {o}.transcript_id AND code_id = {o}.code_id
        AND NOT EXISTS (SELECT 1 FROM codings x WHERE x.segment_id = {o}.segment_id AND x.code_id = {o}.code_id);
    DELETE FROM code_counts WHERE transcript_id = {o}.transcript_id AND code_id = {o}.code_id
        AND coder IN ({o}.coder, '') AND segments <= 0;
"""
CODING_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS codings_counts_ai AFTER INSERT ON codings BEGIN" + _ADD.format(n="new") + "END",
    "CREATE TRIGGER IF NOT EXISTS codings_counts_ad AFTER DELETE ON codings BEGIN" + _REMOVE.format(o="old")
    + "END",
    "CREATE TRIGGER IF NOT EXISTS codings_counts_au AFTER UPDATE OF segment_id, transcript_id, code_id, coder "
    "ON codings BEGIN" + _REMOVE.format(o="old").replace("x.segment_id = old.segment_id",
                                                         "x.segment_id = old.segment_id AND x.id <> new.id")
    + _ADD.format(n="new") + "END",
)

_ATTR_ADD = """
    INSERT INTO attr_counts SELECT {c}.coder, a.name, a.value, {c}.code_id, {c}.segments, 1
        FROM attributes a WHERE a.transcript_id = {c}.transcript_id
        ON CONFLICT DO UPDATE SET segments = segments + excluded.segments, transcripts = transcripts + 1;
"""
_ATTR_REMOVE = """
    UPDATE attr_counts SET segments = segments - {c}.segments, transcripts = transcripts - 1
        WHERE coder = {c}.coder AND code_id = {c}.code_id
        AND (name, value) IN (SELECT name, value FROM attributes WHERE transcript_id = {c}.transcript_id);
    DELETE FROM attr_counts WHERE coder = {c}.coder AND code_id = {c}.code_id AND transcripts <= 0;
"""
COUNT_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS code_counts_ai AFTER INSERT ON code_counts BEGIN" + _ATTR_ADD.format(c="new")
    + "END",
    "CREATE TRIGGER IF NOT EXISTS code_counts_ad AFTER DELETE ON code_counts BEGIN" + _ATTR_REMOVE.format(c="old")
    + "END",
    """CREATE TRIGGER IF NOT EXISTS code_counts_au AFTER UPDATE OF segments ON code_counts BEGIN
        UPDATE attr_counts SET segments = segments + new.segments - old.segments
            WHERE coder = new.coder AND code_id = new.code_id
            AND (name, value) IN (SELECT name, value FROM attributes WHERE transcript_id = new.transcript_id);
    END""",
)

_VALUE_ADD = """
    INSERT INTO attr_counts SELECT c.coder, {a}.name, {a}.value, c.code_id, c.segments, 1
        FROM code_counts c WHERE c.transcript_id = {a}.transcript_id AND {a}.value IS NOT NULL
        ON CONFLICT DO UPDATE SET segments = segments + excluded.segments, transcripts = transcripts + 1;
"""
_VALUE_REMOVE = """
    UPDATE attr_counts SET
        segments = segments - (SELECT c.segments FROM code_counts c WHERE c.transcript_id = {a}.transcript_id
                               AND c.coder = attr_counts.coder AND c.code_id = attr_counts.code_id),
        transcripts = transcripts - 1
        WHERE name = {a}.name AND value = {a}.value
        AND (coder, code_id) IN (SELECT coder, code_id FROM code_counts WHERE transcript_id = {a}.transcript_id);
    DELETE FROM attr_counts WHERE name = {a}.name AND value = {a}.value AND transcripts <= 0;
"""
ATTRIBUTE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS attributes_counts_ai AFTER INSERT ON attributes BEGIN"
    + _VALUE_ADD.format(a="new") + "END",
    "CREATE TRIGGER IF NOT EXISTS attributes_counts_ad AFTER DELETE ON attributes BEGIN"
    + _VALUE_REMOVE.format(a="old") + "END",
    "CREATE TRIGGER IF NOT EXISTS attributes_counts_au AFTER UPDATE OF value ON attributes BEGIN"
    + _VALUE_REMOVE.format(a="old") + _VALUE_ADD.format(a="new") + "END",
)

REBUILD = (
    "DELETE FROM attr_counts",
    "DELETE FROM code_counts",
    "INSERT INTO code_counts SELECT coder, transcript_id, code_id, count(*) FROM codings "
    "GROUP BY coder, transcript_id, code_id",
    "INSERT INTO code_counts SELECT '', transcript_id, code_id, count(DISTINCT segment_id) FROM codings "
    "GROUP BY transcript_id, code_id",
    "INSERT INTO attr_counts SELECT c.coder, a.name, a.value, c.code_id, sum(c.segments), count(*) "
    "FROM code_counts c JOIN attributes a ON a.transcript_id = c.transcript_id "
    "GROUP BY c.coder, a.name, a.value, c.code_id",
)


def create(conn: sqlite3.Connection) -> None:
    """Create the tables and triggers and fill the totals (the migration to schema 2)."""
    for statement in TABLES:
        conn.execute(statement)
    rebuild(conn)
    pg = on_postgresql(conn)
    for statement in (PG_ATTRIBUTE_TRIGGERS if pg else (*CODING_TRIGGERS, *COUNT_TRIGGERS, *ATTRIBUTE_TRIGGERS)):
        conn.execute(statement)


def drop_coding_triggers(conn: sqlite3.Connection) -> None:
    """Switch the per-row totals off for a bulk write (call :func:`rebuild` afterwards)."""
    on = " ON codings" if on_postgresql(conn) else ""
    for name in ("codings_counts_ai", "codings_counts_ad", "codings_counts_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute both totals from the codings and attributes, and switch the coding triggers on."""
    pg = on_postgresql(conn)
    for name in ("code_counts_ai", "code_counts_ad", "code_counts_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON code_counts" if pg else ""))
    for statement in REBUILD:
        conn.execute(statement)
    for statement in ((*PG_CODING_TRIGGERS, *PG_COUNT_TRIGGERS) if pg else (*CODING_TRIGGERS, *COUNT_TRIGGERS)):
        conn.execute(statement)


# ------------------------------------------------------------------ PostgreSQL
# The same totals kept by PL/pgSQL triggers. The codings' trigger is per statement with transition
# tables: PostgreSQL runs AFTER row triggers when the whole statement is done, so a per-row "no other
# coder has this segment" test (as in SQLite) would see every row of a multi-row write at once. The
# set-wise form computes, for every (segment, code) a statement touched, whether it was coded by anyone
# before and after the statement. The totals' own triggers (attr_counts) are per row: they look at no
# row of their own table.
_PG_CODINGS = """
CREATE OR REPLACE FUNCTION qcode_codings_counts_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH old_c AS (SELECT * FROM {old}), new_c AS (SELECT * FROM {new}),
    pairs AS (SELECT transcript_id, segment_id, code_id FROM old_c
              UNION SELECT transcript_id, segment_id, code_id FROM new_c),
    anyone AS (
        SELECT p.transcript_id, p.code_id,
               (EXISTS (SELECT 1 FROM codings c WHERE c.segment_id = p.segment_id AND c.code_id = p.code_id))::int
             - (EXISTS (SELECT 1 FROM codings c WHERE c.segment_id = p.segment_id AND c.code_id = p.code_id
                        AND c.id NOT IN (SELECT id FROM new_c))
                OR EXISTS (SELECT 1 FROM old_c o WHERE o.segment_id = p.segment_id AND o.code_id = p.code_id))::int
               AS d
        FROM pairs p),
    delta AS (
        SELECT coder, transcript_id, code_id, sum(d) AS d FROM (
            SELECT coder, transcript_id, code_id, 1 AS d FROM new_c
            UNION ALL SELECT coder, transcript_id, code_id, -1 FROM old_c
            UNION ALL SELECT '', transcript_id, code_id, d FROM anyone) x
        GROUP BY coder, transcript_id, code_id HAVING sum(d) <> 0)
    INSERT INTO code_counts AS k (coder, transcript_id, code_id, segments)
        SELECT coder, transcript_id, code_id, d FROM delta ORDER BY coder, transcript_id, code_id
        ON CONFLICT (coder, transcript_id, code_id) DO UPDATE SET segments = k.segments + excluded.segments;
    {delete}
    RETURN NULL;
END $$"""
_NONE = "(SELECT * FROM codings WHERE false) AS nothing"
# Totals that fell to 0: only a removal can make them, and only in the transcripts it touched.
_PG_EMPTIED = "DELETE FROM code_counts WHERE segments <= 0 AND transcript_id IN (SELECT transcript_id FROM old_rows);"
PG_CODING_TRIGGERS = (
    _PG_CODINGS.format(op="insert", old=_NONE, new="new_rows", delete=""),
    _PG_CODINGS.format(op="delete", old="old_rows", new=_NONE, delete=_PG_EMPTIED),
    _PG_CODINGS.format(op="update", old="old_rows", new="new_rows", delete=_PG_EMPTIED),
    "CREATE OR REPLACE TRIGGER codings_counts_ai AFTER INSERT ON codings REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION qcode_codings_counts_insert()",
    "CREATE OR REPLACE TRIGGER codings_counts_ad AFTER DELETE ON codings REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION qcode_codings_counts_delete()",
    "CREATE OR REPLACE TRIGGER codings_counts_au AFTER UPDATE ON codings "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION qcode_codings_counts_update()",
)


def _pg_row_trigger(name: str, table: str, when: str, body: str) -> tuple[str, str]:
    function = (f"CREATE OR REPLACE FUNCTION qcode_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body}\nRETURN NULL;\nEND $$")
    trigger = (f"CREATE OR REPLACE TRIGGER {name} AFTER {when} ON {table} FOR EACH ROW "
               f"EXECUTE FUNCTION qcode_{name}()")
    return function, trigger


def _pg_conflict(sql: str) -> str:
    return sql.replace("ON CONFLICT DO UPDATE SET segments = segments + excluded.segments, "
                       "transcripts = transcripts + 1",
                       "ON CONFLICT (coder, name, value, code_id) DO UPDATE SET "
                       "segments = attr_counts.segments + excluded.segments, "
                       "transcripts = attr_counts.transcripts + 1")


PG_COUNT_TRIGGERS = (
    *_pg_row_trigger("code_counts_ai", "code_counts", "INSERT", _pg_conflict(_ATTR_ADD.format(c="NEW"))),
    *_pg_row_trigger("code_counts_ad", "code_counts", "DELETE", _ATTR_REMOVE.format(c="OLD")),
    *_pg_row_trigger("code_counts_au", "code_counts", "UPDATE OF segments", """
        UPDATE attr_counts SET segments = segments + NEW.segments - OLD.segments
            WHERE coder = NEW.coder AND code_id = NEW.code_id
            AND (name, value) IN (SELECT name, value FROM attributes WHERE transcript_id = NEW.transcript_id);"""),
)
PG_ATTRIBUTE_TRIGGERS = (
    *_pg_row_trigger("attributes_counts_ai", "attributes", "INSERT", _pg_conflict(_VALUE_ADD.format(a="NEW"))),
    *_pg_row_trigger("attributes_counts_ad", "attributes", "DELETE", _VALUE_REMOVE.format(a="OLD")),
    *_pg_row_trigger("attributes_counts_au", "attributes", "UPDATE OF value",
                     _VALUE_REMOVE.format(a="OLD") + _pg_conflict(_VALUE_ADD.format(a="NEW"))),
)
