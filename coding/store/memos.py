"""Memos as objects (part of the store; mixed into :class:`coding.store.Store`).

A memo row sits on the project (no target), a transcript, a segment or a code. A coding's memo
is the ``memo`` column of its coding (written with the coding); :meth:`MemoQueries.memo_list`
lists both, so a researcher sees every memo in one place. Adding a memo is
:meth:`coding.store.codings.CodingQueries.add_memo`.
"""

from __future__ import annotations

from .base import now, where

MEMO_COLUMNS = ("id", "transcript_id", "segment_id", "code_id", "coder", "text", "created_at", "updated_at")
LIST_COLUMNS = ("id", "transcript_id", "transcript", "segment_id", "segment", "code_id", "coder", "text",
                "created_at", "updated_at")


class MemoQueries:
    """Reads and writes of ``memos`` and of the memo column of ``codings``."""

    def memo(self, memo_id: int) -> dict | None:
        """One memo row (``id, transcript_id, segment_id, code_id, coder, text, created_at, updated_at``) or None."""
        row = self.conn.execute(f"SELECT {', '.join(MEMO_COLUMNS)} FROM memos WHERE id = ?", (int(memo_id),)).fetchone()
        return dict(zip(MEMO_COLUMNS, row)) if row else None

    def memo_list(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[dict]:
        """Every memo with its transcript's name and segment position, oldest first.

        Rows of the memos table have an ``id``; a coding's memo has ``id`` None (it lives on the
        coding) and carries its segment and code. Keys: ``id, transcript_id, transcript, segment_id,
        segment, code_id, coder, text, created_at, updated_at``.
        """
        memo_clause, memo_args = where(m__coder=coder, m__transcript_id=transcript_id)
        coding_clause, coding_args = where(c__coder=coder, c__transcript_id=transcript_id)
        coding_clause = (coding_clause + " AND" if coding_clause else " WHERE") + " c.memo IS NOT NULL AND c.memo != ''"
        sql = (
            "SELECT * FROM ("
            "SELECT m.id AS id, m.transcript_id AS tid, t.name AS name, m.segment_id AS sid, s.position AS pos, "
            "m.code_id AS code, m.coder AS coder, m.text, m.created_at AS at, m.updated_at "
            "FROM memos m LEFT JOIN segments s ON s.id = m.segment_id "
            "LEFT JOIN transcripts t ON t.id = m.transcript_id" + memo_clause +
            " UNION ALL "
            "SELECT NULL, c.transcript_id, t.name, c.segment_id, s.position, c.code_id, c.coder, c.memo, "
            "c.created_at, c.created_at FROM codings c JOIN segments s ON s.id = c.segment_id "
            "JOIN transcripts t ON t.id = c.transcript_id" + coding_clause +
            # by time (a coding's memo carries its coding's time); at the same time memos before codings' memos
            ") AS u ORDER BY at, id IS NULL, id, name, pos, code, coder")
        return [dict(zip(LIST_COLUMNS, row)) for row in self.conn.execute(sql, memo_args + coding_args)]

    def update_memo(self, memo_id: int, text: str, updated_at: str | None = None) -> bool:
        """Give a memo new text (and ``updated_at``, now unless given); returns whether there was one."""
        cur = self.conn.execute("UPDATE memos SET text = ?, updated_at = ? WHERE id = ?",
                                (text, updated_at or now(), int(memo_id)))
        return cur.rowcount > 0

    def delete_memo(self, memo_id: int) -> bool:
        """Delete one memo; returns whether there was one."""
        return self.conn.execute("DELETE FROM memos WHERE id = ?", (int(memo_id),)).rowcount > 0

    def restore_memo(self, row: dict) -> bool:
        """Put back a deleted memo with its id and times (``row`` as :meth:`memo` gave it).

        Returns False, writing nothing, when its transcript, segment, code or coder is gone meanwhile.
        """
        cur = self.conn.execute(
            f"INSERT INTO memos({', '.join(MEMO_COLUMNS)}) SELECT ?, ?, ?, ?, ?, ?, ?, ? "
            "WHERE (?2 IS NULL OR EXISTS (SELECT 1 FROM transcripts WHERE id = ?2)) "
            "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM segments WHERE id = ?3)) "
            "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM codes WHERE id = ?4)) "
            "AND EXISTS (SELECT 1 FROM coders WHERE name = ?5) "
            "AND NOT EXISTS (SELECT 1 FROM memos WHERE id = ?1)",
            tuple(row[c] for c in MEMO_COLUMNS))
        return cur.rowcount > 0

    def coding_memo(self, segment_id: int, code_id: str, coder: str) -> str | None:
        """The memo of one coding (None when it has none, or there is no such coding)."""
        row = self.conn.execute("SELECT memo FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                (int(segment_id), code_id, coder)).fetchone()
        return row[0] if row else None

    def set_coding_memo(self, segment_id: int, code_id: str, coder: str, text: str | None) -> bool:
        """Set (None: clear) the memo of one coding; returns whether the coding exists."""
        cur = self.conn.execute("UPDATE codings SET memo = ? WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                (text, int(segment_id), code_id, coder))
        return cur.rowcount > 0

    def memo_code_ids(self) -> set[str]:
        """The ids of codes that carry a memo (of the memos table)."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT code_id FROM memos WHERE code_id IS NOT NULL")}
