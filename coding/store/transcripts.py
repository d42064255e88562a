"""Transcripts, their attributes and segments (part of the store; mixed into :class:`coding.store.Store`).

A segment is a slice ``transcripts.text[start:end]``; since schema 3 the
slice is also stored in ``segments.text`` (written once, on import), which
feeds the full-text index and the readable views (see :mod:`coding.store.fts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import now
from .rows import SegmentRow

_ROWS_PER_INSERT = 2_000  # x 9 columns: below SQLite's limit of 32,766 variables per statement


class TranscriptQueries:
    """Reads and writes of ``transcripts``, ``attributes`` and ``segments``."""

    # ----------------------------------------------------------- transcripts
    def add_transcript(self, *, name: str, format: str, encoding: str | None, sha256: str, text: str,
                       n_words: int, segmentation: str, language: str,
                       segments: Sequence[tuple], attributes: dict[str, str] | None = None) -> int:
        """Insert one transcript with its segments and attributes; returns its id.

        ``segments`` holds ``(start, end, speaker, t_start, t_end)`` tuples in
        text order, optionally with a sixth item, the segment's page (PDF
        imports); positions are numbered from 1. Call inside a transaction.
        """
        cur = self.conn.execute(
            "INSERT INTO transcripts(name, format, encoding, sha256, text, n_words, segmentation, language, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (name, format, encoding, sha256, text, n_words, segmentation, language, now()))
        tid = cur.fetchall()[0][0]  # all rows: SQLite ends a RETURNING statement only then
        rows = [(tid, i, start, end, speaker, ts, te, page[0] if page else None, text[start:end])
                for i, (start, end, speaker, ts, te, *page) in enumerate(segments, start=1)]
        # Many rows per INSERT statement: the full-text index (coding.store.fts) is updated by a
        # trigger, and FTS5 writes its pending terms out at the end of every statement. One row per
        # statement (executemany) made importing 30,000 segments 1.1 s instead of 0.3 s; sqlite-utils'
        # insert_all does the same but at most 999 variables (124 rows) per statement: 0.6 s.
        # On PostgreSQL whole columns go as arrays (unnest), 10,000 rows per statement: no statement of
        # 18,000 parameters to parse and plan.
        pg = self.engine == "postgresql"
        step = 10_000 if pg else _ROWS_PER_INSERT
        for first in range(0, len(rows), step):
            chunk = rows[first:first + step]
            if pg:
                self.conn.execute(
                    'INSERT INTO segments(transcript_id, position, start, "end", speaker, t_start, t_end, page, text) '
                    "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], "
                    "?::double precision[], ?::double precision[], ?::bigint[], ?::text[])",
                    [list(c) if i not in (5, 6) else [None if v is None else float(v) for v in c]  # one type
                     for i, c in enumerate(zip(*chunk))])
                continue
            self.conn.execute(
                'INSERT INTO segments(transcript_id, position, start, "end", speaker, t_start, t_end, page, text) '
                'VALUES ' + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)), [v for row in chunk for v in row])
        if attributes:
            self.set_attributes(tid, attributes)
        return tid

    def delete_transcript(self, transcript_id: int) -> None:
        """Delete a transcript with its segments, attributes, codings, memos and done-markers."""
        self.conn.execute("DELETE FROM transcripts WHERE id = ?", (transcript_id,))

    def transcript_id(self, name: str) -> int | None:
        """The id of the transcript called ``name``, or None."""
        row = self.conn.execute("SELECT id FROM transcripts WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def transcript_id_by_hash(self, sha256: str) -> tuple[int, str] | None:
        """(id, name) of the transcript with this text hash, or None."""
        row = self.conn.execute("SELECT id, name FROM transcripts WHERE sha256 = ?", (sha256,)).fetchone()
        return (row[0], row[1]) if row else None

    def transcript_names(self) -> set[str]:
        """The names of all transcripts."""
        return {r[0] for r in self.conn.execute("SELECT name FROM transcripts")}

    def transcript_names_by_id(self) -> dict[int, str]:
        """transcript id -> name, for every transcript."""
        return dict(self.conn.execute("SELECT id, name FROM transcripts"))

    def transcripts(self) -> list[dict]:
        """Every transcript with its attributes, segment count and done-markers, by name."""
        rows = self.conn.execute(
            "SELECT t.id, t.name, t.format, t.encoding, t.n_words, t.segmentation, t.language, "
            "t.imported_at, (SELECT count(*) FROM segments s WHERE s.transcript_id = t.id) "
            "FROM transcripts t ORDER BY t.name").fetchall()
        attrs: dict[int, dict[str, str]] = {}
        for tid, name, value in self.conn.execute(
                "SELECT transcript_id, name, value FROM attributes ORDER BY transcript_id, name"):
            attrs.setdefault(tid, {})[name] = value
        done: dict[int, list[str]] = {}
        for tid, coder in self.conn.execute("SELECT transcript_id, coder FROM done ORDER BY coder"):
            done.setdefault(tid, []).append(coder)
        out = []
        for tid, name, fmt, enc, n_words, seg, lang, at, n_seg in rows:
            out.append({"id": tid, "name": name, "format": fmt, "encoding": enc, "words": n_words,
                        "segments": n_seg, "segmentation": seg, "language": lang, "imported_at": at,
                        "attributes": attrs.get(tid, {}), "done_by": done.get(tid, [])})
        return out

    def transcript_text(self, transcript_id: int) -> str:
        """The whole text of one transcript ("" if there is no such transcript)."""
        row = self.conn.execute("SELECT text FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()
        return row[0] if row else ""

    # ------------------------------------------------------------ attributes
    def set_attributes(self, transcript_id: int, attributes: dict[str, str | None]) -> None:
        """Set (or, with value None or "", remove) attributes of one transcript."""
        for key, value in attributes.items():
            if value is None or value == "":
                self.conn.execute("DELETE FROM attributes WHERE transcript_id = ? AND name = ?",
                                  (transcript_id, key))
            else:
                self.conn.execute(
                    "INSERT INTO attributes(transcript_id, name, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(transcript_id, name) DO UPDATE SET value = excluded.value",
                    (transcript_id, key, str(value)))

    def attribute_names(self) -> list[str]:
        """The names of the attributes any transcript carries, sorted."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT name FROM attributes ORDER BY name")]

    def attribute_values(self, name: str) -> dict[int, str]:
        """transcript id -> value of attribute ``name``.

        Transcripts without the attribute are left out. An empty value counts
        as no value (:meth:`set_attributes` never stores one, so this only
        matters for files edited by hand).
        """
        return dict(self.conn.execute("SELECT transcript_id, value FROM attributes WHERE name = ? "
                                      "AND value IS NOT NULL AND value != ''", (name,)))

    # -------------------------------------------------------------- segments
    def segments(self, transcript_id: int) -> list[SegmentRow]:
        """The segments of one transcript in order, with their text."""
        row = self.conn.execute("SELECT name FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()
        if row is None:
            return []
        return [SegmentRow(sid, row[0], pos, start, end, speaker, ts, te, text, page)
                for sid, pos, start, end, speaker, ts, te, text, page in self.conn.execute(
                    'SELECT id, position, start, "end", speaker, t_start, t_end, text, page FROM segments '
                    "WHERE transcript_id = ? ORDER BY position", (transcript_id,))]

    def segment_id(self, transcript_id: int, position: int) -> int | None:
        """The id of a transcript's segment at a 1-based position, or None."""
        row = self.conn.execute("SELECT id FROM segments WHERE transcript_id = ? AND position = ?",
                                (transcript_id, position)).fetchone()
        return row[0] if row else None

    def segment_ids_by_position(self) -> dict[tuple[str, int], tuple[int, int]]:
        """(transcript name, 1-based position) -> (segment id, transcript id), for the whole project."""
        return {(name, pos): (sid, tid) for name, pos, sid, tid in self.conn.execute(
            "SELECT t.name, s.position, s.id, t.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id")}

    def segment_location(self, segment_id: int) -> tuple[int, str, int] | None:
        """(transcript id, transcript name, 1-based position) of a segment, or None."""
        row = self.conn.execute(
            "SELECT s.transcript_id, t.name, s.position FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE s.id = ?", (int(segment_id),)).fetchone()
        return tuple(row) if row else None

    def segment_counts(self) -> dict[int, int]:
        """transcript id -> number of segments."""
        return dict(self.conn.execute("SELECT transcript_id, count(*) FROM segments GROUP BY transcript_id"))

    def transcript_segment_ids(self) -> dict[int, Sequence[int]]:
        """transcript id -> the ids of its segments, ascending (transcripts without segments are left out).

        A transcript's segments are inserted together, so their ids usually
        form one unbroken run; that run is then returned as a ``range`` (one
        row read per transcript instead of one per segment, which matters at
        600,000 segments), otherwise as a list.

        >>> ids = store.transcript_segment_ids()
        >>> sum(len(v) for v in ids.values()) == store.counts()["segments"]
        True
        """
        out: dict[int, Sequence[int]] = {}
        broken = []
        for tid, lo, hi, n in self.conn.execute(
                "SELECT transcript_id, min(id), max(id), count(*) FROM segments GROUP BY transcript_id"):
            if hi - lo + 1 == n:
                out[tid] = range(lo, hi + 1)
            else:
                broken.append(tid)
        for tid in broken:
            out[tid] = [r[0] for r in self.conn.execute(
                "SELECT id FROM segments WHERE transcript_id = ? ORDER BY id", (tid,))]
        return out
