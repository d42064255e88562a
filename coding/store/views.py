"""Readable views, so a project file makes sense in Datasette or ``sqlite-utils query`` (schema 3).

* ``segments_view``: each segment with its transcript's name, position,
  speaker, times, text and (since schema 5) page;
* ``codings_view``: each coding with transcript name, segment position,
  code id and labels, coder, memo, date and the segment's text.

Nothing in the library reads them; they are for people looking at the file.
"""

from __future__ import annotations

import sqlite3

from .base import on_postgresql

VIEWS = {
    "segments_view": """
        SELECT s.id, s.transcript_id, t.name AS transcript, s.position, s.speaker, s.t_start, s.t_end,
               s.start, s."end", s.text
        FROM segments s JOIN transcripts t ON t.id = s.transcript_id""",
    "codings_view": """
        SELECT c.id, t.name AS transcript, s.position AS segment, c.segment_id, c.code_id,
               k.label_sv, k.label_en, c.coder, c.memo, c.created_at, s.speaker, s.text
        FROM codings c JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = c.transcript_id
        JOIN codes k ON k.id = c.code_id""",
}


def create(conn: sqlite3.Connection) -> None:
    """Create (or replace) the views (part of schema 3)."""
    for name, sql in VIEWS.items():
        _create_view(conn, name, sql)


def _create_view(conn, name: str, sql: str) -> None:
    if on_postgresql(conn):
        conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.execute(f"CREATE VIEW {name} AS {sql.strip()}")
        return
    import sqlite_utils  # here, not at the top: it imports pandas and numpy (see StoreBase.db)

    sqlite_utils.Database(conn).create_view(name, sql.strip(), replace=True)


# Schema 5: the page a segment starts on (PDF imports) in segments_view too.
SEGMENTS_VIEW_5 = """
        SELECT s.id, s.transcript_id, t.name AS transcript, s.position, s.speaker, s.t_start, s.t_end,
               s.page, s.start, s."end", s.text
        FROM segments s JOIN transcripts t ON t.id = s.transcript_id"""


def add_page(conn: sqlite3.Connection) -> None:
    """Replace ``segments_view`` with one that shows each segment's page (part of schema 5)."""
    _create_view(conn, "segments_view", SEGMENTS_VIEW_5)
