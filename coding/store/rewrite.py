"""SQL for rewriting stored text (part of the store; mixed into :class:`coding.store.Store`).

Used by :mod:`coding.pseudonymise`: a transcript's text is replaced together
with the character offsets of all its segments, so codings (which point at
segments) stay on the same words; free-text columns that may quote people
(memos, code examples, the audit log's details) are read and rewritten as
plain rows; :meth:`TextRewriteQueries.compact` makes sure no old text
survives in freed pages of the file or in its ``-wal`` file.

Every method expects ``self.conn`` (the project's connection); writes must run
inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator, Sequence

# Text columns besides transcripts.text that may hold names: (table, key column, text column).
FREE_TEXT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("memos", "id", "text"),
    ("codings", "id", "memo"),
    ("codes", "id", "label_sv"),
    ("codes", "id", "label_en"),
    ("codes", "id", "definition"),
    ("codes", "id", "include"),
    ("codes", "id", "exclude"),
    ("codes", "id", "example"),
    *(("codes", "id", f"{field}_{lang}") for field in ("definition", "include", "exclude", "example")
      for lang in ("sv", "en")),
    ("audit", "id", "target"),
    ("audit", "id", "detail"),
)


class TextRewriteQueries:
    """Reads and writes behind coding.pseudonymise; ``self.conn`` is the project's connection."""

    # ----------------------------------------------------------------- reads
    def rewrite_transcripts(self) -> list[tuple[int, str, str]]:
        """(id, name, text) of every transcript, by name."""
        return self.conn.execute("SELECT id, name, text FROM transcripts ORDER BY name").fetchall()

    def rewrite_segments(self, transcript_id: int) -> list[tuple[int, int, int, str | None]]:
        """(segment id, start, end, speaker) of one transcript's segments, in order."""
        return self.conn.execute('SELECT id, start, "end", speaker FROM segments WHERE transcript_id = ? '
                                 "ORDER BY position", (transcript_id,)).fetchall()

    def rewrite_attributes(self) -> list[tuple[int, str, str, str]]:
        """(transcript id, transcript name, attribute name, value) of every attribute."""
        return self.conn.execute(
            "SELECT a.transcript_id, t.name, a.name, a.value FROM attributes a "
            "JOIN transcripts t ON t.id = a.transcript_id WHERE a.value IS NOT NULL "
            "ORDER BY t.name, a.name").fetchall()

    def free_text_cells(self) -> Iterator[tuple[str, str, object, str]]:
        """(table, column, row key, value) of every non-empty cell of :data:`FREE_TEXT_COLUMNS`."""
        for table, key, column in FREE_TEXT_COLUMNS:
            for row_key, value in self.conn.execute(
                    f'SELECT {key}, "{column}" FROM {table} WHERE "{column}" IS NOT NULL AND "{column}" != \'\''):
                yield table, column, row_key, value

    def all_text_cells(self) -> Iterator[tuple[str, str, str]]:
        """(table, column, value) of every text value in the project, for leak checks."""
        if self.engine == "postgresql":
            for table, column in self.conn.execute(
                    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND data_type = 'text' AND table_name IN (SELECT table_name FROM "
                    "information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE') "
                    "ORDER BY table_name, ordinal_position").fetchall():
                for (value,) in self.conn.execute(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'):
                    yield table, column, value
            return
        tables = [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            columns = [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for (value,) in self.conn.execute(
                        f'SELECT "{column}" FROM "{table}" WHERE typeof("{column}") = \'text\''):
                    yield table, column, value

    # ---------------------------------------------------------------- writes
    def replace_transcript_text(self, transcript_id: int, new_text: str,
                                segment_offsets: Sequence[tuple[int, int, int]], *,
                                sha256: str, n_words: int) -> None:
        """Store a transcript's new text and its segments' new offsets.

        ``segment_offsets`` holds ``(segment id, start, end)`` for *every*
        segment of the transcript, with offsets into ``new_text``. Checks
        that each offset lies inside the new text and that no segment is
        left out; raises ``ValueError`` otherwise (the caller's transaction
        then rolls back).
        """
        n = self.conn.execute("SELECT count(*) FROM segments WHERE transcript_id = ?", (transcript_id,)).fetchone()[0]
        ids = {sid for sid, _, _ in segment_offsets}
        if len(ids) != n or len(segment_offsets) != n:
            raise ValueError(f"transcript {transcript_id} has {n} segments, {len(ids)} new offsets were given")
        for sid, start, end in segment_offsets:
            if not 0 <= start <= end <= len(new_text):
                raise ValueError(f"segment {sid}: offsets {start}-{end} lie outside the new text")
        changed = self.conn.execute("UPDATE transcripts SET text = ?, sha256 = ?, n_words = ? WHERE id = ?",
                                    (new_text, sha256, n_words, transcript_id)).rowcount
        if not changed:
            raise ValueError(f"no transcript with id {transcript_id}")
        moved = 0
        for sid, start, end in segment_offsets:
            # the segment's own copy of its text (what the search index reads) follows the new text
            moved += self.conn.execute('UPDATE segments SET start = ?, "end" = ?, text = ? '
                                       "WHERE id = ? AND transcript_id = ?",
                                       (start, end, new_text[start:end], sid, transcript_id)).rowcount
        if moved != n:
            raise ValueError(f"only {moved} of the {n} segments belong to transcript {transcript_id}")

    def rename_speakers(self, transcript_id: int, names: dict[str, str]) -> int:
        """Replace speaker labels of one transcript's segments (old -> new); returns segments changed."""
        changed = 0
        for old, new in names.items():
            changed += self.conn.execute("UPDATE segments SET speaker = ? WHERE transcript_id = ? AND speaker = ?",
                                         (new, transcript_id, old)).rowcount
        return changed

    def replace_attribute_values(self, rows: Iterable[tuple[int, str, str]]) -> int:
        """Set ``(transcript id, attribute name, new value)`` rows; the matrix totals follow by trigger."""
        changed = 0
        for tid, name, value in rows:
            changed += self.conn.execute("UPDATE attributes SET value = ? WHERE transcript_id = ? AND name = ?",
                                         (value, tid, name)).rowcount
        return changed

    def update_free_text_cells(self, rows: Iterable[tuple[str, str, object, str | None]]) -> int:
        """Write ``(table, column, row key, new value)`` rows of :data:`FREE_TEXT_COLUMNS`; returns rows changed."""
        allowed = {(table, column): key for table, key, column in FREE_TEXT_COLUMNS}
        changed = 0
        for table, column, row_key, value in rows:
            key = allowed.get((table, column))
            if key is None:
                raise ValueError(f"{table}.{column} is not a free-text column")
            changed += self.conn.execute(f'UPDATE {table} SET "{column}" = ? WHERE {key} = ?',
                                         (value, row_key)).rowcount
        return changed

    # --------------------------------------------------------------- compact
    def compact(self, *, wait_ms: int = 2000) -> bool:
        """Rebuild the file so that no deleted text survives in it or in its ``-wal`` file.

        Runs ``VACUUM`` with ``secure_delete`` on, then a truncating WAL
        checkpoint. Must run outside a transaction. Waits at most ``wait_ms``
        for other connections; returns False when they kept it from finishing
        (run it again when no one else is reading the project).
        """
        if self.engine == "postgresql":  # VACUUM FULL rewrites every table without its dead rows
            if self.conn.in_transaction:
                raise RuntimeError("compact() must run outside a transaction")
            self.conn.execute("VACUUM FULL")
            return True
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'segments_fts'").fetchone():
            # FTS5 keeps deleted terms in its index until segments merge: rebuild it from the new text
            self.conn.execute("INSERT INTO segments_fts(segments_fts) VALUES ('rebuild')")
        self.conn.execute("PRAGMA secure_delete = ON")
        (before,) = self.conn.execute("PRAGMA busy_timeout").fetchone()
        self.conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            self.conn.execute("VACUUM")
        except sqlite3.OperationalError:          # another connection is reading: "database is locked"
            vacuumed = False
        else:
            vacuumed = True
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(before)}")
        busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return vacuumed and busy == 0
