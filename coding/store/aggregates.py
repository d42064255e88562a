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
    for statement in (*CODING_TRIGGERS, *COUNT_TRIGGERS, *ATTRIBUTE_TRIGGERS):
        conn.execute(statement)


def drop_coding_triggers(conn: sqlite3.Connection) -> None:
    """Switch the per-row totals off for a bulk write (call :func:`rebuild` afterwards)."""
    for name in ("codings_counts_ai", "codings_counts_ad", "codings_counts_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute both totals from the codings and attributes, and switch the coding triggers on."""
    for name in ("code_counts_ai", "code_counts_ad", "code_counts_au"):
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in REBUILD:
        conn.execute(statement)
    for statement in (*CODING_TRIGGERS, *COUNT_TRIGGERS):
        conn.execute(statement)
