"""The schema of a project file and the steps that bring an older file forward.

A new project is created at version 1 (:data:`SCHEMA_V1`) and brought to
:data:`SCHEMA_VERSION` by the same :data:`MIGRATIONS` an older file walks
through when it is opened, so new and upgraded projects are identical. The
file carries its version in ``meta.schema_version`` and ``PRAGMA
user_version``, and is marked as a qcode project by ``PRAGMA application_id``.

To change the schema, append one step (a function of the connection) to
:data:`MIGRATIONS` and raise :data:`SCHEMA_VERSION` by one.
"""

from __future__ import annotations

import sqlite3

from ..errors import ProjectProblem
from . import aggregates, consensus, fts, spans, suggestions, views
from .base import now, on_postgresql

SCHEMA_VERSION = 9
APPLICATION_ID = 0x51434F44  # "QCOD": marks the SQLite file as a qcode project


SCHEMA_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    encoding TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    n_words INTEGER NOT NULL,
    segmentation TEXT NOT NULL,
    language TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE attributes (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (transcript_id, name)
) WITHOUT ROWID;
CREATE INDEX attributes_name_value ON attributes(name, value);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT,
    t_start REAL,
    t_end REAL,
    UNIQUE (transcript_id, position)
);
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES codes(id) ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    include TEXT NOT NULL DEFAULT '',
    exclude TEXT NOT NULL DEFAULT '',
    example TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX codes_parent ON codes(parent_id);
CREATE TABLE coders (
    name TEXT PRIMARY KEY,
    password_hash TEXT,
    is_owner INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    memo TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (segment_id, code_id, coder)
);
CREATE INDEX codings_code ON codings(code_id);
-- transcript_id is the segment's (copied on insert) so that matrices group codings without a join
CREATE INDEX codings_coder_transcript ON codings(coder, transcript_id, code_id, segment_id);
CREATE TABLE done (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    done_at TEXT NOT NULL,
    PRIMARY KEY (transcript_id, coder)
) WITHOUT ROWID;
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER REFERENCES transcripts(id) ON DELETE CASCADE,
    segment_id INTEGER REFERENCES segments(id) ON DELETE CASCADE,
    code_id TEXT REFERENCES codes(id) ON UPDATE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memos_segment ON memos(segment_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
"""


def _version_3(conn: sqlite3.Connection) -> None:
    """2 -> 3: segment text and full-text search, the consensus decisions table, readable views."""
    fts.create(conn)
    consensus.create(conn)
    views.create(conn)


def _version_4(conn: sqlite3.Connection) -> None:
    """3 -> 4: roles. Owners keep ``is_owner``; every other coder gets a role (coder, lead or viewer)."""
    conn.execute("ALTER TABLE coders ADD COLUMN role TEXT NOT NULL DEFAULT 'coder' "
                 "CHECK (role IN ('coder', 'lead', 'viewer'))")


def _version_5(conn: sqlite3.Connection) -> None:
    """4 -> 5: a segment's page (PDF imports; NULL for formats without pages), shown in ``segments_view``."""
    conn.execute("ALTER TABLE segments ADD COLUMN page INTEGER")
    views.add_page(conn)


MEMO_TARGET_RULE = "a memo belongs to the project, a transcript, a segment of its transcript or a code"


# The same rule on PostgreSQL: one PL/pgSQL function behind both triggers.
_PG_MEMO_TARGET = (
    f"""CREATE OR REPLACE FUNCTION qcode_memos_target() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (NEW.segment_id IS NOT NULL AND NEW.transcript_id IS DISTINCT FROM
              (SELECT transcript_id FROM segments WHERE id = NEW.segment_id))
           OR (NEW.segment_id IS NULL AND NEW.code_id IS NOT NULL AND NEW.transcript_id IS NOT NULL) THEN
            RAISE EXCEPTION '{MEMO_TARGET_RULE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    "CREATE OR REPLACE TRIGGER memos_target_insert BEFORE INSERT ON memos FOR EACH ROW "
    "EXECUTE FUNCTION qcode_memos_target()",
    "CREATE OR REPLACE TRIGGER memos_target_update BEFORE UPDATE OF transcript_id, segment_id, code_id ON memos "
    "FOR EACH ROW EXECUTE FUNCTION qcode_memos_target()",
)


def _version_6(conn: sqlite3.Connection) -> None:
    """5 -> 6: memos as objects (on the project, a transcript, a segment or a code) and media files.

    A memo's transcript is always its segment's, and a code memo names no transcript without a
    segment (triggers keep that true for every writer). ``media`` holds one audio or video file per
    transcript: where it is (relative to the project file when it lies beside it), its size, SHA-256
    and MIME type; never its bytes.
    """
    pg = on_postgresql(conn)
    for statement in (
            "CREATE INDEX memos_transcript ON memos(transcript_id)",
            "CREATE INDEX memos_code ON memos(code_id)",
            *(_PG_MEMO_TARGET if pg else ()),
            *(() if pg else (f"""CREATE TRIGGER memos_target_{name} BEFORE {when} ON memos
                 WHEN (NEW.segment_id IS NOT NULL AND NEW.transcript_id IS NOT
                       (SELECT transcript_id FROM segments WHERE id = NEW.segment_id))
                   OR (NEW.segment_id IS NULL AND NEW.code_id IS NOT NULL AND NEW.transcript_id IS NOT NULL)
                 BEGIN SELECT RAISE(ABORT, '{MEMO_TARGET_RULE}'); END"""
              for name, when in (("insert", "INSERT"), ("update", "UPDATE OF transcript_id, segment_id, code_id")))),
            """CREATE TABLE media (
                transcript_id INTEGER PRIMARY KEY REFERENCES transcripts(id) ON DELETE CASCADE,
                path TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                mime TEXT NOT NULL,
                added_by TEXT,
                added_at TEXT NOT NULL
            )"""):
        conn.execute(statement)


def _version_7(conn: sqlite3.Connection) -> None:
    """6 -> 7: a code's definition, include and exclude rules and example in Swedish and English.

    The existing texts stay in the language-neutral columns (their language is not guessed);
    readers fall back to them in both languages.
    """
    for column in ("definition_sv", "definition_en", "include_sv", "include_en",
                   "exclude_sv", "exclude_en", "example_sv", "example_en"):
        conn.execute(f"ALTER TABLE codes ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


# Each entry upgrades the schema from version i to i + 1 (index i - 1 is i -> i + 1).
MIGRATIONS: list = [
    aggregates.create,  # 1 -> 2: running totals for matrices
    _version_3,         # 2 -> 3: search, consensus decisions, views
    _version_4,         # 3 -> 4: roles
    _version_5,         # 4 -> 5: segment pages
    _version_6,         # 5 -> 6: memos as objects, media files
    _version_7,         # 6 -> 7: code texts in Swedish and English
    spans.create,       # 7 -> 8: codings of any span of text
    suggestions.create,  # 8 -> 9: suggestion models, proposals, codings.source
]


def create(store) -> None:
    """Lay out a new, empty project in ``store``'s file: version 1, then every migration."""
    conn = store.conn
    with store.transaction():
        for statement in SCHEMA_V1.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
        conn.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (now(),))
        for step in MIGRATIONS[:SCHEMA_VERSION - 1]:
            step(conn)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        store.set_meta("schema_version", str(SCHEMA_VERSION))


def migrate(store) -> int:
    """Bring a project's schema up to :data:`SCHEMA_VERSION`; returns the steps applied.

    Each step runs in its own transaction and leaves an audit entry
    (``schema.migrate``); a file written by a newer qcode is refused.
    """
    version = store.schema_version()
    if version > SCHEMA_VERSION:
        raise ProjectProblem(f"the project was written by a newer qcode (schema {version}; "
                             f"this version reads up to {SCHEMA_VERSION}); upgrade qcode",
                             path=store.where)
    steps = 0
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version - 1]
        with store.transaction():
            step(store.conn)
            version += 1
            store.set_meta("schema_version", str(version))
            store.conn.execute(f"PRAGMA user_version={version}")
            store.audit("schema.migrate", detail={"to": version})
        steps += 1
    return steps
