"""Codings, memos and done-markers (part of the store; mixed into :class:`coding.store.Store`).

A coding is one coder's code on one segment (``UNIQUE(segment_id, code_id,
coder)``); it carries its segment's transcript id so that matrices group
codings without a join. Running totals follow every change through
triggers (:mod:`coding.store.aggregates`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence

from . import aggregates
from .base import marks, now, where

# a segment coded as a whole takes over a row derived from spans (coding.store.spans); an existing one stays
ON_CONFLICT_WHOLE = ("ON CONFLICT(segment_id, code_id, coder) DO UPDATE SET share = NULL, memo = excluded.memo "
                     "WHERE codings.share IS NOT NULL")
BULK_ROWS = 20_000  # from this many codings on, totals are rebuilt once instead of per row
STATEMENT_ROWS = 500  # rows per INSERT statement where one statement writes many


class CodingQueries:
    """Reads and writes of ``codings``, ``memos`` and ``done``."""

    # --------------------------------------------------------------- codings
    def add_coding(self, segment_id: int, code_id: str, coder: str, memo: str | None = None) -> bool:
        """Apply a code; returns False if this coder had already applied it (the memo is then updated)."""
        cur = self.conn.execute(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, ?4, ?5) "
            + ON_CONFLICT_WHOLE, (segment_id, code_id, coder, memo, now()))
        if cur.rowcount == 0:
            if memo is not None:
                self.conn.execute("UPDATE codings SET memo = ? WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                  (memo, segment_id, code_id, coder))
            return False
        return True

    def remove_coding(self, segment_id: int, code_id: str, coder: str) -> bool:
        """Remove one coding; returns whether there was one."""
        cur = self.conn.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                "AND share IS NULL RETURNING transcript_id", (segment_id, code_id, coder)).fetchall()
        for (tid,) in cur:
            self._rederive(tid, code_id, coder)
        return bool(cur)

    def add_codings(self, rows: Sequence[tuple[int, int, str, str, str | None]]) -> int:
        """Bulk insert (segment id, transcript id, code id, coder, memo) rows; existing ones keep
        their row but take a new memo. Returns the number of rows newly added. Call inside a transaction."""
        # Plain SQL, not sqlite-utils' insert_all/upsert_all: those cannot express "keep the row, take
        # the new memo only when one is given", and build a dict per row. A row given twice is one row
        # with the last memo given (as row-by-row writing leaves it; PostgreSQL's upsert needs it so).
        before = self.codings_count()
        stamp = now()
        merged: dict[tuple, list] = {}
        for s, t, c, k, m in rows:
            row = merged.setdefault((s, c, k), [s, t, c, k, None, stamp])
            if m is not None:
                row[4] = m
        values = list(merged.values())
        bulk = len(values) >= BULK_ROWS
        if bulk:
            aggregates.drop_coding_triggers(self.conn)
        upsert = ("ON CONFLICT(segment_id, code_id, coder) DO UPDATE SET share = NULL, "
                  "memo = coalesce(excluded.memo, codings.memo) WHERE codings.share IS NOT NULL "
                  "OR (excluded.memo IS NOT NULL AND excluded.memo IS NOT codings.memo)")
        if self.engine == "postgresql":
            # Whole columns as arrays, one statement per 10,000 rows: the running totals' statement
            # trigger runs once per statement, not once per row (1,000 codings: 3 s -> 0.1 s), and
            # the server parses one statement instead of thousands.
            for at in range(0, len(values), 10_000):
                columns = [list(c) for c in zip(*values[at:at + 10_000])]
                self.conn.execute(
                    "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) SELECT * FROM "
                    "unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[]) " + upsert, columns)
        else:
            self.conn.executemany("INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
                                  "VALUES (?, ?, ?, ?, ?, ?) " + upsert, values)
        if bulk:
            aggregates.rebuild(self.conn)
        return self.codings_count() - before

    def add_codings_to_segments(self, segment_ids: Sequence[int], code_id: str, coder: str,
                                memo: str | None = None) -> list[int]:
        """Apply one code to several segments; returns the ids of segments newly coded."""
        # One statement per 500 segments, not one per segment: the running totals' trigger then runs once
        # per statement on PostgreSQL (a click on 5 segments: 3 ms instead of 12 ms).
        ids = list(dict.fromkeys(int(sid) for sid in segment_ids))
        stamp = now()
        added: set[int] = set()
        for at in range(0, len(ids), STATEMENT_ROWS):
            chunk = ids[at:at + STATEMENT_ROWS]
            found = self.conn.execute(
                "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
                f"SELECT id, transcript_id, ?, ?, ?, ? FROM segments WHERE id IN ({marks(chunk)}) "
                + ON_CONFLICT_WHOLE + " RETURNING segment_id", (code_id, coder, memo, stamp, *chunk)).fetchall()
            added.update(sid for (sid,) in found)
            if len(chunk) > len(found):  # a segment that does not exist is an error, as a foreign key's
                known = {sid for (sid,) in self.conn.execute(
                    f"SELECT id FROM segments WHERE id IN ({marks(chunk)})", chunk)}
                missing = [sid for sid in chunk if sid not in known]
                if missing:
                    raise sqlite3.IntegrityError(f"no segment with id {missing[0]}")
        return [sid for sid in ids if sid in added]

    def remove_codings_from_segments(self, segment_ids: Sequence[int], code_id: str,
                                     coder: str) -> list[tuple[int, str | None]]:
        """Remove one coder's code from several segments; returns (segment id, old memo) of each removed row."""
        removed = []
        for sid in segment_ids:
            rows = self.conn.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                     "AND share IS NULL RETURNING memo, transcript_id",
                                     (sid, code_id, coder)).fetchall()
            if rows:
                removed.append((sid, rows[0][0]))
                self._rederive(rows[0][1], code_id, coder)
        return removed

    def set_segment_codes(self, segment_id: int, coder: str, codes: Iterable[str]) -> tuple[list[str], list[str]]:
        """Make ``codes`` exactly the codes ``coder`` has on a segment; returns (added, removed).

        Codes kept keep their row (and memo). Call inside a transaction.
        """
        wanted = set(codes)
        have = {c for c, share in self.conn.execute(
            "SELECT code_id, share FROM codings WHERE segment_id = ? AND coder = ?", (int(segment_id), coder))
            if share is None}
        removed = sorted(have - wanted)
        added = sorted(wanted - have)
        for code in removed:
            self.remove_coding(segment_id, code, coder)
        stamp = now()
        self.conn.executemany(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, NULL, ?4) " + ON_CONFLICT_WHOLE,
            ((segment_id, c, coder, stamp) for c in added))
        return added, removed

    def codings(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[dict]:
        """Codings with transcript name and 1-based segment position, in text order."""
        keys = ("transcript", "segment", "code", "coder", "memo", "segment_id", "created_at")
        return [dict(zip(keys, row)) for row in self.iter_codings_rows(coder=coder, transcript_id=transcript_id)]

    def iter_codings_rows(self, *, coder: str | None = None, transcript_id: int | None = None) -> Iterator[tuple]:
        """Stream (transcript, segment position, code, coder, memo, segment id, created at) rows in text order:
        the segments coded as a whole (not those a span counts for; see :meth:`span_list`)."""
        clause, args = where(c__coder=coder, c__transcript_id=transcript_id)
        clause = (clause + " AND" if clause else " WHERE") + " c.share IS NULL"
        yield from self.conn.execute(
            "SELECT t.name, s.position, c.code_id, c.coder, c.memo, c.segment_id, c.created_at FROM codings c "
            "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = c.transcript_id"
            + clause + " ORDER BY t.name, s.position, c.coder, c.code_id", args)

    def _rederive(self, transcript_id: int, code_id: str, coder: str) -> None:
        """After a segment coding went: the coder's spans of that code may still count for the segment."""
        if self.conn.execute("SELECT 1 FROM spans WHERE transcript_id = ? AND code_id = ? AND coder = ? LIMIT 1",
                             (transcript_id, code_id, coder)).fetchone():
            self.derive(transcript_id, code_id, coder)

    def codings_count(self) -> int:
        """How many codings the project holds."""
        return self.conn.execute("SELECT count(*) FROM codings").fetchone()[0]

    def coder_segment_codes(self, segment_id: int, coder: str) -> list[str]:
        """The codes ``coder`` applied to one segment, sorted."""
        return [r[0] for r in self.conn.execute(
            "SELECT code_id FROM codings WHERE segment_id = ? AND coder = ? ORDER BY code_id",
            (int(segment_id), coder))]

    def segment_codes(self, transcript_id: int, coder: str) -> dict[int, list[str]]:
        """For one transcript and coder: segment id -> the code ids applied."""
        out: dict[int, list[str]] = {}
        for sid, code in self.conn.execute(
                "SELECT segment_id, code_id FROM codings WHERE transcript_id = ? AND coder = ? ORDER BY id",
                (transcript_id, coder)):
            out.setdefault(sid, []).append(code)
        return out

    def segment_codes_by_coder(self, transcript_id: int, coders: Sequence[str]) -> dict[int, dict[str, list[str]]]:
        """For one transcript: segment id -> coder -> code ids, for the given coders."""
        out: dict[int, dict[str, list[str]]] = {}
        if not coders:
            return out
        for sid, coder, code in self.conn.execute(
                "SELECT segment_id, coder, code_id FROM codings "
                f"WHERE transcript_id = ? AND coder IN ({marks(coders)}) "
                "ORDER BY id", (transcript_id, *coders)):
            out.setdefault(sid, {}).setdefault(coder, []).append(code)
        return out

    def coded_segment_counts(self, coder: str) -> dict[int, int]:
        """transcript id -> number of its segments that ``coder`` has coded at least once."""
        return {tid: n for tid, n in self.conn.execute(
            "SELECT transcript_id, count(DISTINCT segment_id) FROM codings WHERE coder = ? GROUP BY transcript_id",
            (coder,))}

    def code_usage(self, coder: str) -> dict[str, tuple[int, int]]:
        """code id -> (segments ``coder`` coded with it, segments anyone coded with it), from the running
        totals (each segment counted once per code)."""
        out: dict[str, tuple[int, int]] = {}
        for code, who, n in self.conn.execute(
                "SELECT code_id, coder, sum(segments) FROM code_counts WHERE coder IN (?, '') "
                "GROUP BY code_id, coder", (coder,)):
            mine, anyone = out.get(code, (0, 0))
            out[code] = (mine, n) if who == "" else (n, anyone)
        return out

    def coded_segment_ids(self, coder: str) -> set[int]:
        """Segments on which ``coder`` has at least one code."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT segment_id FROM codings WHERE coder = ?",
                                                (coder,))}

    # ----------------------------------------------------------------- memos
    def add_memo(self, *, coder: str, text: str, transcript_id: int | None = None,
                 segment_id: int | None = None, code_id: str | None = None) -> int:
        """Write a memo (on a transcript, a segment and/or a code); returns its id. A segment's memo belongs
        to the segment's transcript (filled in when not given)."""
        stamp = now()
        if segment_id is not None and transcript_id is None:
            row = self.conn.execute("SELECT transcript_id FROM segments WHERE id = ?", (segment_id,)).fetchone()
            transcript_id = row[0] if row else None
        cur = self.conn.execute(
            "INSERT INTO memos(transcript_id, segment_id, code_id, coder, text, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (transcript_id, segment_id, code_id, coder, text, stamp, stamp))
        return cur.fetchall()[0][0]

    def memos(self, *, segment_id: int | None = None, transcript_id: int | None = None) -> list[dict]:
        """Memos (optionally of one segment or transcript), oldest first."""
        clause, args = where(segment_id=segment_id, transcript_id=transcript_id)
        sql = "SELECT id, transcript_id, segment_id, code_id, coder, text, created_at, updated_at FROM memos" + clause
        keys = ("id", "transcript_id", "segment_id", "code_id", "coder", "text", "created_at", "updated_at")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]

    def segment_memo(self, segment_id: int, coder: str) -> str | None:
        """The coder's memo on a segment (not on a code there), or None."""
        row = self.conn.execute("SELECT text FROM memos WHERE segment_id = ? AND coder = ? AND code_id IS NULL",
                                (segment_id, coder)).fetchone()
        return row[0] if row else None

    def set_segment_memo(self, segment_id: int, coder: str, text: str | None) -> None:
        """Replace the coder's memo on a segment (None or empty: delete it).

        An existing memo keeps its id and creation time (the memo list and undo refer to it).
        """
        if not text:
            self.conn.execute("DELETE FROM memos WHERE segment_id = ? AND coder = ? AND code_id IS NULL",
                              (segment_id, coder))
            return
        updated = self.conn.execute("UPDATE memos SET text = ?, updated_at = ? WHERE segment_id = ? AND coder = ? "
                                    "AND code_id IS NULL", (text, now(), segment_id, coder)).rowcount
        if not updated:
            tid = self.conn.execute("SELECT transcript_id FROM segments WHERE id = ?", (segment_id,)).fetchone()[0]
            self.add_memo(coder=coder, text=text, transcript_id=tid, segment_id=segment_id)

    def segment_memos(self, transcript_id: int, coder: str) -> dict[int, str]:
        """segment id -> the coder's memo, for one transcript."""
        return dict(self.conn.execute(
            "SELECT segment_id, text FROM memos WHERE transcript_id = ? AND coder = ? AND segment_id IS NOT NULL "
            "AND code_id IS NULL", (transcript_id, coder)))

    # ------------------------------------------------------------------ done
    def mark_done(self, transcript_ids: Iterable[int], coder: str, done: bool = True) -> int:
        """Mark (or unmark) transcripts as finished by a coder; returns rows changed."""
        before = self.conn.total_changes
        if done:
            self.conn.executemany("INSERT OR IGNORE INTO done(transcript_id, coder, done_at) VALUES (?, ?, ?)",
                                  ((t, coder, now()) for t in transcript_ids))
        else:
            self.conn.executemany("DELETE FROM done WHERE transcript_id = ? AND coder = ?",
                                  ((t, coder) for t in transcript_ids))
        return self.conn.total_changes - before

    def done_coders(self, transcript_id: int) -> set[str]:
        """The coders who marked a transcript done."""
        return {r[0] for r in self.conn.execute("SELECT coder FROM done WHERE transcript_id = ?", (transcript_id,))}

    def done_transcripts(self, coder: str) -> set[int]:
        """The ids of the transcripts a coder marked done."""
        return {r[0] for r in self.conn.execute("SELECT transcript_id FROM done WHERE coder = ?", (coder,))}

    def done_by_coders(self, coders: Sequence[str]) -> list[tuple[int, str]]:
        """(transcript id, coder) for every done-marker of these coders."""
        if not coders:
            return []
        return self.conn.execute(f"SELECT transcript_id, coder FROM done WHERE coder IN ({marks(coders)})",
                                 tuple(coders)).fetchall()
