"""SQL for matrices, co-occurrence and drill-down (part of the store; mixed into :class:`coding.store.Store`).

The heavy lifting happens here, in SQLite: codings are grouped per
(transcript, column) with the covering index on
``codings(coder, transcript_id, code_id, segment_id)``; what remains (a few
thousand rows) is shaped into a matrix by :mod:`coding.matrix`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .base import marks as _marks


class MatrixQueries:
    """Queries behind coding.matrix; ``self.conn`` is the project's connection."""

    def _coder_filter(self, coders: Sequence[str] | None, alias: str = "") -> tuple[str, list]:
        if not coders:
            return "", []
        return f" AND {alias}coder IN ({_marks(coders)})", list(coders)

    def _load_code_map(self, code_map: dict[str, str]) -> None:
        """Fill the temporary table ``code_map(code_id, col)`` (which column each code counts for)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS code_map (code_id TEXT PRIMARY KEY, col TEXT NOT NULL)")
        self.conn.execute("DELETE FROM temp.code_map")
        self.conn.executemany("INSERT INTO temp.code_map VALUES (?, ?)", code_map.items())

    def transcript_code_counts(self, coders: Sequence[str] | None, code_map: dict[str, str] | None = None
                               ) -> list[tuple[int, str, int]]:
        """(transcript id, column, distinct coded segments) for the given coders.

        Without ``code_map`` columns are code ids. With one, each code counts
        for the column it maps to (codes not in the map are left out) and a
        segment carrying several codes of one column counts once.
        """
        where, args = self._coder_filter(coders)
        if code_map is None:
            distinct = "count(*)" if coders and len(coders) == 1 else "count(DISTINCT segment_id)"
            return self.conn.execute(
                f"SELECT transcript_id, code_id, {distinct} FROM codings WHERE 1 = 1{where} "
                "GROUP BY transcript_id, code_id", args).fetchall()
        self._load_code_map(code_map)
        where, args = self._coder_filter(coders, "c.")
        return self.conn.execute(
            "SELECT c.transcript_id, m.col, count(DISTINCT c.segment_id) FROM codings c "
            f"JOIN temp.code_map m ON m.code_id = c.code_id WHERE 1 = 1{where} "
            "GROUP BY c.transcript_id, m.col", args).fetchall()

    def speaker_code_counts(self, coders: Sequence[str] | None, code_map: dict[str, str]
                            ) -> list[tuple[int, str | None, str, int]]:
        """(transcript id, speaker, column, distinct coded segments): rows by segment speaker."""
        self._load_code_map(code_map)
        where, args = self._coder_filter(coders, "c.")
        return self.conn.execute(
            "SELECT c.transcript_id, s.speaker, m.col, count(DISTINCT c.segment_id) FROM codings c "
            "JOIN temp.code_map m ON m.code_id = c.code_id JOIN segments s ON s.id = c.segment_id "
            f"WHERE 1 = 1{where} GROUP BY c.transcript_id, s.speaker, m.col", args).fetchall()

    def transcript_speakers(self) -> list[tuple[int, str | None]]:
        """(transcript id, speaker) for every speaker that has segments."""
        return self.conn.execute("SELECT DISTINCT transcript_id, speaker FROM segments").fetchall()

    def cooccurrence_counts(self, coders: Sequence[str] | None, code_map: dict[str, str], scope: str,
                            transcript_ids: Iterable[int] | None = None) -> list[tuple[str, str, int]]:
        """(column a, column b, n): segments (scope "segment") or transcripts where both occur; a <= b."""
        self._load_code_map(code_map)
        where, args = self._coder_filter(coders, "c.")
        unit = "c.segment_id" if scope == "segment" else "c.transcript_id"
        restrict = ""
        if transcript_ids is not None:
            ids = list(transcript_ids)
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS scope_t (id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM temp.scope_t")
            self.conn.executemany("INSERT INTO temp.scope_t VALUES (?)", ((i,) for i in ids))
            restrict = " AND c.transcript_id IN (SELECT id FROM temp.scope_t)"
        return self.conn.execute(
            f"WITH u AS (SELECT DISTINCT {unit} AS unit, m.col AS col FROM codings c "
            f"JOIN temp.code_map m ON m.code_id = c.code_id WHERE 1 = 1{where}{restrict}) "
            "SELECT a.col, b.col, count(*) FROM u a JOIN u b ON a.unit = b.unit AND a.col <= b.col "
            "GROUP BY a.col, b.col", args).fetchall()

    def cell_codings(self, transcript_ids: Sequence[int], code_ids: Sequence[str], coders: Sequence[str] | None,
                     speaker: str | None = None, by_speaker: bool = False) -> list[tuple]:
        """The codings behind a matrix cell: (segment id, transcript id, position, start, end, speaker,
        t_start, coder, code id), in text order."""
        if not transcript_ids or not code_ids:
            return []
        where, args = self._coder_filter(coders, "c.")
        speaker_sql = ""
        if by_speaker:
            speaker_sql = " AND s.speaker IS ?"
            args.append(speaker)
        return self.conn.execute(
            "SELECT s.id, s.transcript_id, s.position, s.start, s.\"end\", s.speaker, s.t_start, c.coder, c.code_id "
            "FROM codings c JOIN segments s ON s.id = c.segment_id "
            f"WHERE c.transcript_id IN ({_marks(transcript_ids)}) AND c.code_id IN ({_marks(code_ids)}){where}"
            f"{speaker_sql} ORDER BY s.transcript_id, s.position, c.coder, c.code_id",
            [*transcript_ids, *code_ids, *args]).fetchall()

    def segment_window(self, transcript_id: int, first: int, last: int) -> list[tuple[int, int, int, str | None]]:
        """(position, start, end, speaker) of the segments first..last of a transcript."""
        return self.conn.execute(
            'SELECT position, start, "end", speaker FROM segments WHERE transcript_id = ? AND position BETWEEN ? AND ? '
            "ORDER BY position", (transcript_id, first, last)).fetchall()

    def codings_frame_rows(self, coders: Sequence[str] | None = None) -> list[tuple[int, int, str, str]]:
        """(transcript id, segment id, code id, coder) of every coding (for exports and baselines)."""
        where, args = self._coder_filter(coders)
        return self.conn.execute(
            f"SELECT transcript_id, segment_id, code_id, coder FROM codings WHERE 1 = 1{where}", args).fetchall()

    # Running totals (see coding.store.aggregates): a few thousand rows instead of every coding.
    def attribute_code_totals(self, coder_key: str, name: str) -> list[tuple[str, str, int, int]]:
        """(attribute value, code id, segments, transcripts) for one coder ('' = any coder)."""
        return self.conn.execute(
            "SELECT value, code_id, segments, transcripts FROM attr_counts WHERE coder = ? AND name = ?",
            (coder_key, name)).fetchall()

    def totals_recount_differences(self) -> list[tuple[str, tuple, tuple | None, tuple | None]]:
        """Where the running totals differ from a recount over the codings: (table, key, stored, recounted)
        rows, empty when ``code_counts`` and ``attr_counts`` are exact (the same sums as
        :data:`coding.store.aggregates.REBUILD`; changes nothing). For tests and ``qcode check``-style audits.
        """
        recount = ("SELECT coder, transcript_id, code_id, count(*) AS n FROM codings "
                   "GROUP BY coder, transcript_id, code_id "
                   "UNION ALL SELECT '', transcript_id, code_id, count(DISTINCT segment_id) FROM codings "
                   "GROUP BY transcript_id, code_id")
        queries = {
            "code_counts": ("SELECT coder, transcript_id, code_id, segments FROM code_counts", recount),
            "attr_counts": (
                "SELECT coder, name, value, code_id, segments, transcripts FROM attr_counts",
                f"SELECT c.coder, a.name, a.value, c.code_id, sum(c.n), count(*) FROM ({recount}) "
                "AS c JOIN attributes a ON a.transcript_id = c.transcript_id "
                "GROUP BY c.coder, a.name, a.value, c.code_id"),
        }
        out = []
        for table, (stored_sql, recount_sql) in queries.items():
            width = 3 if table == "code_counts" else 4
            stored = {tuple(r[:width]): tuple(r[width:]) for r in self.conn.execute(stored_sql)}
            fresh = {tuple(r[:width]): tuple(r[width:]) for r in self.conn.execute(recount_sql)}
            for key in sorted(stored.keys() | fresh.keys(), key=repr):
                if stored.get(key) != fresh.get(key):
                    out.append((table, key, stored.get(key), fresh.get(key)))
        return out

    def transcript_code_totals(self, coders: Sequence[str] | None) -> list[tuple[int, str, int]]:
        """(transcript id, code id, segments). One coder or None ('' = any coder): exact segment
        counts; several coders: the largest of their counts (> 0 exactly where any of them coded)."""
        if not coders:
            return self.conn.execute(
                "SELECT transcript_id, code_id, segments FROM code_counts WHERE coder = ''").fetchall()
        if len(coders) == 1:
            return self.conn.execute("SELECT transcript_id, code_id, segments FROM code_counts WHERE coder = ?",
                                     (coders[0],)).fetchall()
        return self.conn.execute(
            f"SELECT transcript_id, code_id, max(segments) FROM code_counts WHERE coder IN ({_marks(coders)}) "
            "GROUP BY transcript_id, code_id", list(coders)).fetchall()
