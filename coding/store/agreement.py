"""SQL for agreement and consensus (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations

import json
from typing import Iterable, Sequence

import numpy as np

DECIDE_ACTION = "consensus.decide"
AGREED_ACTION = "consensus.agreed"


def _now() -> str:
    from . import now

    return now()


class AgreementQueries:
    """Queries behind coding.project_agreement; ``self.conn`` is the project's connection."""

    # ------------------------------------------------------------ the data
    def segment_transcripts(self) -> tuple[np.ndarray, np.ndarray]:
        """Every segment's id and its transcript's id, as two int64 arrays ordered by segment id.

        Segments are inserted a transcript at a time, so each transcript's ids
        usually form one unbroken range; then 1 row per transcript is read
        instead of 1 per segment.
        """
        ranges = self.conn.execute(
            "SELECT transcript_id, min(id), max(id), count(*) FROM segments GROUP BY transcript_id "
            "ORDER BY min(id)").fetchall()
        if all(hi - lo + 1 == n for _, lo, hi, n in ranges):
            if not ranges:
                return np.empty(0, np.int64), np.empty(0, np.int64)
            lo = np.array([r[1] for r in ranges], dtype=np.int64)
            n = np.array([r[3] for r in ranges], dtype=np.int64)
            tid = np.repeat(np.array([r[0] for r in ranges], dtype=np.int64), n)
            starts = np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n)
            return starts + np.arange(len(tid), dtype=np.int64), tid
        rows = self.conn.execute("SELECT id, transcript_id FROM segments ORDER BY id").fetchall()
        arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
        return arr[:, 0].copy(), arr[:, 1].copy()

    def done_by_coders(self, coders: Sequence[str]) -> list[tuple[int, str]]:
        """(transcript id, coder) for every done-marker of these coders."""
        if not coders:
            return []
        marks = ", ".join("?" for _ in coders)
        return self.conn.execute(f"SELECT transcript_id, coder FROM done WHERE coder IN ({marks})",
                                 tuple(coders)).fetchall()

    def code_rowids(self) -> dict[str, int]:
        """code id -> the row number SQLite keeps for it (used to read codings as plain integers)."""
        return dict(self.conn.execute("SELECT id, rowid FROM codes"))

    def coder_codings_packed(self, coder: str, shift: int) -> np.ndarray:
        """All codings of ``coder`` as int64 ``segment_id << shift | code rowid``.

        One integer per coding keeps a million codings cheap to read; callers
        choose ``shift`` so that every code rowid fits below ``1 << shift``.
        """
        cur = self.conn.execute(
            "SELECT (c.segment_id << ?) | k.rowid FROM codings c JOIN codes k ON k.id = c.code_id "
            "WHERE c.coder = ?", (int(shift), coder))
        return np.fromiter((v for (v,) in cur), dtype=np.int64)

    def applied_code_ids(self, coders: Sequence[str]) -> set[str]:
        """Codes that any of these coders has applied somewhere."""
        if not coders:
            return set()
        marks = ", ".join("?" for _ in coders)
        return {r[0] for r in self.conn.execute(
            f"SELECT DISTINCT code_id FROM codings WHERE coder IN ({marks})", tuple(coders))}

    def attribute_by_transcript(self, name: str) -> dict[int, str]:
        """transcript id -> value of attribute ``name`` (transcripts without it are absent)."""
        return dict(self.conn.execute("SELECT transcript_id, value FROM attributes WHERE name = ? "
                                      "AND value IS NOT NULL AND value != ''", (name,)))

    def transcript_names_by_id(self) -> dict[int, str]:
        return dict(self.conn.execute("SELECT id, name FROM transcripts"))

    def codings_in_transcripts(self, transcript_ids: Sequence[int],
                               coders: Sequence[str]) -> list[tuple[int, str, str]]:
        """(segment id, coder, code id) of these coders in these transcripts, in segment order."""
        if not transcript_ids or not coders:
            return []
        out: list[tuple[int, str, str]] = []
        marks = ", ".join("?" for _ in coders)
        ids = list(transcript_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            tmarks = ", ".join("?" for _ in chunk)
            out.extend(self.conn.execute(
                f"SELECT segment_id, coder, code_id FROM codings "
                f"WHERE transcript_id IN ({tmarks}) AND coder IN ({marks}) ORDER BY segment_id, id",
                (*chunk, *coders)))
        return out

    def segment_id_map(self) -> dict[tuple[str, int], int]:
        """(transcript name, 1-based position) -> segment id, for the whole project."""
        return {(name, pos): sid for name, pos, sid in self.conn.execute(
            "SELECT t.name, s.position, s.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id")}

    def segment_location(self, segment_id: int) -> tuple[int, str, int] | None:
        """(transcript id, transcript name, 1-based position) of a segment, or None."""
        row = self.conn.execute(
            "SELECT s.transcript_id, t.name, s.position FROM segments s JOIN transcripts t ON t.id = s.transcript_id "
            "WHERE s.id = ?", (int(segment_id),)).fetchone()
        return tuple(row) if row else None

    def coder_segment_codes(self, segment_id: int, coder: str) -> list[str]:
        """The codes ``coder`` applied to one segment, sorted."""
        return [r[0] for r in self.conn.execute(
            "SELECT code_id FROM codings WHERE segment_id = ? AND coder = ? ORDER BY code_id",
            (int(segment_id), coder))]

    # ---------------------------------------------------------- consensus
    def set_segment_codes(self, segment_id: int, coder: str, codes: Iterable[str]) -> tuple[list[str], list[str]]:
        """Make ``codes`` exactly the codes ``coder`` has on a segment; returns (added, removed).

        Codes kept keep their row (and memo). Call inside a transaction.
        """
        wanted = set(codes)
        have = set(self.coder_segment_codes(segment_id, coder))
        removed = sorted(have - wanted)
        added = sorted(wanted - have)
        self.conn.executemany("DELETE FROM codings WHERE segment_id = ? AND coder = ? AND code_id = ?",
                              ((segment_id, coder, c) for c in removed))
        stamp = _now()
        self.conn.executemany(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, NULL, ?4)",
            ((segment_id, c, coder, stamp) for c in added))
        return added, removed

    def coded_segment_ids(self, coder: str) -> set[int]:
        """Segments on which ``coder`` has at least one code."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT segment_id FROM codings WHERE coder = ?",
                                                (coder,))}

    def consensus_decisions(self, *, transcript_id: int | None = None) -> list[dict]:
        """Every recorded consensus decision, oldest first, with the segment's transcript and position."""
        sql = ("SELECT a.id, a.at, a.actor, a.detail, s.id, t.name, s.position FROM audit a "
               "LEFT JOIN segments s ON s.id = json_extract(a.detail, '$.segment_id') "
               "LEFT JOIN transcripts t ON t.id = s.transcript_id WHERE a.action = ?")
        args: list = [DECIDE_ACTION]
        if transcript_id is not None:
            sql += " AND s.transcript_id = ?"
            args.append(int(transcript_id))
        out = []
        for id_, at, actor, detail, sid, name, pos in self.conn.execute(sql + " ORDER BY a.id", args):
            d = json.loads(detail) if detail else {}
            out.append({"id": id_, "decided_at": at, "decided_by": actor, "segment_id": d.get("segment_id", sid),
                        "transcript": name, "segment": pos, "codes": d.get("codes", []),
                        "before": d.get("before", []), "how": d.get("how", ""), "note": d.get("note")})
        return out

    def decided_segment_ids(self) -> set[int]:
        """Segments with at least one recorded consensus decision."""
        return {int(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT json_extract(detail, '$.segment_id') FROM audit WHERE action = ?", (DECIDE_ACTION,))
            if r[0] is not None}
