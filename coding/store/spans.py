"""Spans: codings of any stretch of text (part of the store; schema version 8).

A coding is a character range of a transcript's stored text (0-based code
point offsets, ``end`` exclusive). Two tables hold them:

* ``codings``: a segment coded as a whole (``share IS NULL``). A span that is
  exactly one segment's ``[start, end)`` is stored here, so coding a segment
  (the keys, the CSV import) works as it always did;
* ``spans``: every other range, with code, coder, memo and time.

Every statistic reads segments, so the segments a span counts for are
*derived* into ``codings`` with the share of the segment's non-space
characters that the coder's spans of that code cover (``share`` 0 < s ≤ 1).
The rule (:data:`MIN_OVERLAP_KEY`, a project setting): a span counts for a
segment when it covers at least one non-space character of it and at least
``min_overlap`` of its non-space characters (default 0: any overlap). A
derived row never replaces a segment coded as a whole; it follows its spans
(added, removed, moved by pseudonymisation, merged codes) through
:meth:`SpanQueries.derive`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from . import aggregates
from .base import marks, now
from .codings import BULK_ROWS

MIN_OVERLAP_KEY = "setting.min_overlap"  # the project setting behind the rule (see coding.settings)

TABLE = """
CREATE TABLE IF NOT EXISTS spans (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    memo TEXT,
    created_at TEXT NOT NULL,
    CHECK (start >= 0 AND "end" > start),
    UNIQUE (transcript_id, coder, code_id, start, "end")
)"""


def create(conn) -> None:
    """Schema step 7 -> 8: the spans table and the share of a derived segment coding."""
    conn.execute(TABLE)
    conn.execute("ALTER TABLE codings ADD COLUMN share REAL")


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges covering the same characters.

    >>> merge_ranges([(5, 9), (0, 3), (2, 4), (9, 12)])
    [(0, 4), (5, 12)]
    """
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def covered_share(seg_start: int, seg_text: str, ranges: Sequence[tuple[int, int]]) -> tuple[int, float]:
    """(non-space characters of the segment covered by ``ranges``, their share of the segment's non-space
    characters). ``ranges`` are merged absolute ranges; ``seg_text`` starts at ``seg_start``.

    >>> covered_share(10, "ab cd", [(13, 40)])
    (2, 0.5)
    """
    total = sum(1 for ch in seg_text if not ch.isspace())
    if not total:
        return 0, 0.0
    covered = 0
    seg_end = seg_start + len(seg_text)
    for start, end in ranges:
        lo, hi = max(start, seg_start), min(end, seg_end)
        if lo < hi:
            covered += sum(1 for ch in seg_text[lo - seg_start:hi - seg_start] if not ch.isspace())
    return covered, covered / total


class SpanQueries:
    """Reads and writes of ``spans`` and the segment codings derived from them."""

    def min_overlap(self) -> float:
        """The project's overlap rule: the share of a segment's non-space characters a span must cover (0: any)."""
        value = self.meta(MIN_OVERLAP_KEY)
        try:
            return min(1.0, max(0.0, float(value))) if value is not None else 0.0
        except ValueError:
            return 0.0

    def whole_segment(self, transcript_id: int, start: int, end: int) -> int | None:
        """The id of the segment whose range is exactly ``[start, end)``, or None."""
        row = self.conn.execute('SELECT id FROM segments WHERE transcript_id = ? AND start = ? AND "end" = ?',
                                (transcript_id, start, end)).fetchone()
        return row[0] if row else None

    def add_span(self, transcript_id: int, start: int, end: int, code_id: str, coder: str,
                 memo: str | None = None, created_at: str | None = None) -> bool:
        """Store one span (a whole segment becomes its segment coding); returns whether it is new.

        An existing span takes a given memo. Call inside a transaction.
        """
        sid = self.whole_segment(transcript_id, start, end)
        if sid is not None:
            return self._code_whole(sid, transcript_id, code_id, coder, memo, created_at)
        cur = self.conn.execute(
            'INSERT INTO spans(transcript_id, start, "end", code_id, coder, memo, created_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (transcript_id, start, end, code_id, coder, memo, created_at or now()))
        if not cur.rowcount:
            if memo is not None:
                self.conn.execute('UPDATE spans SET memo = ? WHERE transcript_id = ? AND start = ? AND "end" = ? '
                                  "AND code_id = ? AND coder = ?", (memo, transcript_id, start, end, code_id, coder))
            return False
        self.derive(transcript_id, code_id, coder)
        return True

    def _code_whole(self, segment_id, transcript_id, code_id, coder, memo, created_at) -> bool:
        row = self.conn.execute("SELECT share FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                (segment_id, code_id, coder)).fetchone()
        if row is None:
            self.conn.execute("INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?)",
                              (segment_id, transcript_id, code_id, coder, memo, created_at or now()))
            return True
        if row[0] is not None:  # derived from spans until now: coded as a whole from here on
            self.conn.execute("UPDATE codings SET share = NULL, memo = ? WHERE segment_id = ? AND code_id = ? "
                              "AND coder = ?", (memo, segment_id, code_id, coder))
            return True
        if memo is not None:
            self.conn.execute("UPDATE codings SET memo = ? WHERE segment_id = ? AND code_id = ? AND coder = ?",
                              (memo, segment_id, code_id, coder))
        return False

    def remove_span(self, transcript_id: int, start: int, end: int, code_id: str,
                    coder: str) -> tuple[bool, str | None]:
        """Remove one span (or the segment coding it is); returns (whether there was one, its memo)."""
        sid = self.whole_segment(transcript_id, start, end)
        if sid is not None:
            rows = self.conn.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                     "AND share IS NULL RETURNING memo", (sid, code_id, coder)).fetchall()
            if rows:
                self.derive(transcript_id, code_id, coder)
            return bool(rows), (rows[0][0] if rows else None)
        rows = self.conn.execute('DELETE FROM spans WHERE transcript_id = ? AND start = ? AND "end" = ? '
                                 "AND code_id = ? AND coder = ? RETURNING memo",
                                 (transcript_id, start, end, code_id, coder)).fetchall()
        if rows:
            self.derive(transcript_id, code_id, coder)
        return bool(rows), (rows[0][0] if rows else None)

    def add_spans(self, rows: Sequence[tuple]) -> int:
        """Bulk insert ``(transcript id, start, end, code id, coder, memo, created at)`` rows; whole segments
        become segment codings. Returns how many are new. Call inside a transaction."""
        rows = list(rows)
        if not rows:
            return 0
        whole = {(tid, s, e): sid for sid, tid, s, e in self.conn.execute(
            f'SELECT id, transcript_id, start, "end" FROM segments WHERE transcript_id IN '
            f'({marks(sorted({r[0] for r in rows}))})', sorted({r[0] for r in rows}))}
        stamp = now()
        segment_rows, span_rows = [], []
        for tid, start, end, code_id, coder, memo, created_at in rows:
            sid = whole.get((tid, start, end))
            if sid is not None:
                segment_rows.append((sid, tid, code_id, coder, memo, created_at or stamp))
            else:
                span_rows.append((tid, start, end, code_id, coder, memo, created_at or stamp))
        before = self.codings_count() + self.spans_count()
        bulk = len(segment_rows) >= BULK_ROWS      # as add_codings: totals rebuilt once, not per row
        if bulk:
            aggregates.drop_coding_triggers(self.conn)
        self.conn.executemany(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(segment_id, code_id, coder) DO UPDATE SET share = NULL, "
            "memo = coalesce(excluded.memo, codings.memo)", segment_rows)
        if bulk:
            aggregates.rebuild(self.conn)
        self.conn.executemany(
            'INSERT INTO spans(transcript_id, start, "end", code_id, coder, memo, created_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET memo = coalesce(excluded.memo, spans.memo)",
            span_rows)
        added = self.codings_count() + self.spans_count() - before
        for tid in sorted({r[0] for r in span_rows}):
            self.derive_transcript(tid)
        return added

    def spans_count(self) -> int:
        """How many spans (codings that are not one whole segment) the project holds."""
        return self.conn.execute("SELECT count(*) FROM spans").fetchone()[0]

    def span_rows(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[tuple]:
        """``(transcript id, start, end, code id, coder)`` of every coding as a span (segment codings as their
        segment's range; derived rows left out), ordered by transcript, start, end, coder, code."""
        return [r[:5] for r in self.span_list(coder=coder, transcript_id=transcript_id)]

    def span_list(self, *, coder: str | None = None, transcript_id: int | None = None,
                  coders: Sequence[str] | None = None) -> list[tuple]:
        """``(transcript id, start, end, code id, coder, memo, created at, segment position or None)`` of every
        coding as a span, in text order; ``coders`` limits to those coders."""
        clauses, args = [], []
        if coder is not None:
            clauses.append("coder = ?")
            args.append(coder)
        if coders is not None:
            clauses.append(f"coder IN ({marks(coders)})" if coders else "0")
            args.extend(coders)
        if transcript_id is not None:
            clauses.append("transcript_id = ?")
            args.append(int(transcript_id))
        cond = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = ("SELECT * FROM ("
               'SELECT c.transcript_id AS transcript_id, s.start AS start, s."end" AS "end", c.code_id AS code_id, '
               "c.coder AS coder, c.memo, c.created_at, s.position "
               "FROM codings c JOIN segments s ON s.id = c.segment_id "
               "WHERE c.share IS NULL "
               'UNION ALL SELECT transcript_id, start, "end", code_id, coder, memo, created_at, NULL FROM spans'
               f') AS u{cond} ORDER BY transcript_id, start, "end", coder, code_id')
        return self.conn.execute(sql, args).fetchall()

    # ------------------------------------------------------------ derived rows
    def derive(self, transcript_id: int, code_id: str, coder: str) -> None:
        """Bring the segment codings derived from one coder's spans of one code in one transcript up to date."""
        ranges = merge_ranges(self.conn.execute(
            'SELECT start, "end" FROM spans WHERE transcript_id = ? AND code_id = ? AND coder = ?',
            (transcript_id, code_id, coder)).fetchall())
        wanted: dict[int, float] = {}
        if ranges:
            rule = self.min_overlap()
            segments = self.conn.execute('SELECT id, start, "end" FROM segments WHERE transcript_id = ? '
                                         "ORDER BY start", (transcript_id,)).fetchall()
            ends = [e for _, _, e in segments]
            touched: dict[int, tuple[int, int]] = {}
            for lo, hi in ranges:  # only the segments some range overlaps
                i = bisect_right(ends, lo)
                while i < len(segments) and segments[i][1] < hi:
                    touched.setdefault(i, segments[i][1:])
                    i += 1
            text = self.transcript_text(transcript_id) if touched else ""
            range_ends = [e for _, e in ranges]
            for i, (start, end) in sorted(touched.items()):
                first = bisect_right(range_ends, start)
                near = [r for r in ranges[first:first + 1 + (end - start)] if r[0] < end]
                covered, share = covered_share(start, text[start:end], near)
                if covered and share + 1e-12 >= rule:
                    wanted[segments[i][0]] = share
        have = dict(self.conn.execute(
            "SELECT segment_id, share FROM codings WHERE transcript_id = ? AND code_id = ? AND coder = ?",
            (transcript_id, code_id, coder)).fetchall())
        gone = [sid for sid, share in have.items() if share is not None and sid not in wanted]
        self.conn.executemany("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?",
                              ((sid, code_id, coder) for sid in gone))
        stamp = now()
        for sid, share in wanted.items():
            if sid not in have:
                self.conn.execute("INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at, "
                                  "share) VALUES (?, ?, ?, ?, NULL, ?, ?)",
                                  (sid, transcript_id, code_id, coder, stamp, share))
            elif have[sid] is not None and abs(have[sid] - share) > 1e-12:
                self.conn.execute("UPDATE codings SET share = ? WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                  (share, sid, code_id, coder))

    def derive_transcript(self, transcript_id: int) -> None:
        """Bring every derived segment coding of one transcript up to date (after its text or spans moved)."""
        triples = {(code, coder) for code, coder in self.conn.execute(
            "SELECT code_id, coder FROM spans WHERE transcript_id = ? UNION "
            "SELECT code_id, coder FROM codings WHERE transcript_id = ? AND share IS NOT NULL",
            (transcript_id, transcript_id))}
        for code, coder in sorted(triples):
            self.derive(transcript_id, code, coder)

    def derive_all(self) -> int:
        """Re-derive every span's segment codings (after the overlap rule changed); returns transcripts touched."""
        tids = [r[0] for r in self.conn.execute(
            "SELECT transcript_id FROM spans UNION SELECT transcript_id FROM codings WHERE share IS NOT NULL")]
        for tid in tids:
            self.derive_transcript(tid)
        return len(tids)

    # ------------------------------------------------------------ moving text
    def span_offsets(self, transcript_id: int) -> list[tuple[int, int, int]]:
        """``(span id, start, end)`` of one transcript's spans (for rewriting its text)."""
        return self.conn.execute('SELECT id, start, "end" FROM spans WHERE transcript_id = ? ORDER BY id',
                                 (transcript_id,)).fetchall()

    def move_spans(self, transcript_id: int, offsets: Iterable[tuple[int, int, int]]) -> None:
        """Give spans new ``(span id, start, end)`` offsets (the text was rewritten) and re-derive the transcript."""
        by_key: dict[tuple, list] = defaultdict(list)
        for sid, start, end in offsets:
            by_key[(start, end)].append(sid)
        self.conn.executemany('UPDATE spans SET start = ?, "end" = ? WHERE id = ? AND transcript_id = ?',
                              ((s, e, sid, transcript_id) for (s, e), ids in by_key.items() for sid in ids))
        self.derive_transcript(transcript_id)

    # ------------------------------------------------------------ memos on spans
    def span_memo(self, transcript_id: int, start: int, end: int, code_id: str,
                  coder: str) -> tuple[bool, str | None]:
        """(whether the coder has that span, its memo); a whole segment's span is its segment coding."""
        sid = self.whole_segment(transcript_id, start, end)
        if sid is not None:
            row = self.conn.execute("SELECT memo FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                    "AND share IS NULL", (sid, code_id, coder)).fetchone()
        else:
            row = self.conn.execute('SELECT memo FROM spans WHERE transcript_id = ? AND start = ? AND "end" = ? '
                                    "AND code_id = ? AND coder = ?",
                                    (transcript_id, start, end, code_id, coder)).fetchone()
        return (row is not None), (row[0] if row else None)

    def set_span_memo(self, transcript_id: int, start: int, end: int, code_id: str, coder: str,
                      text: str | None) -> bool:
        """Set (None: clear) the memo of one span; returns whether the span exists."""
        sid = self.whole_segment(transcript_id, start, end)
        if sid is not None:
            cur = self.conn.execute("UPDATE codings SET memo = ? WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                    "AND share IS NULL", (text, sid, code_id, coder))
        else:
            cur = self.conn.execute('UPDATE spans SET memo = ? WHERE transcript_id = ? AND start = ? AND "end" = ? '
                                    "AND code_id = ? AND coder = ?", (text, transcript_id, start, end, code_id, coder))
        return cur.rowcount > 0
