"""Consensus decisions: who settled a disputed segment, when, how (part of the store, schema 3).

A decision makes the ``consensus`` coder's codes on one segment exactly
``codes``. Each decision is one row of ``consensus_decisions`` and one audit
entry (action ``consensus.decide``) written together by
:meth:`ConsensusQueries.add_consensus_decision`; the row's ``id`` is the id of
that audit entry. Schema 3 fills the table from the audit entries of older
files. A decision goes with its segment (``ON DELETE CASCADE``) -- the audit
log keeps the history.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from .base import on_postgresql

DECIDE_ACTION = "consensus.decide"

# Plain DDL, not sqlite-utils' create(): its foreign keys cannot say ON DELETE CASCADE.
TABLE = """
CREATE TABLE consensus_decisions (
    id INTEGER PRIMARY KEY,           -- = audit.id of the entry that records the decision
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    how TEXT NOT NULL DEFAULT '',
    codes TEXT NOT NULL DEFAULT '[]',  -- JSON list of code ids: the consensus codes after the decision
    before TEXT NOT NULL DEFAULT '[]', -- JSON list of code ids: the consensus codes before it
    note TEXT
)"""
INDEX = "CREATE INDEX consensus_decisions_segment ON consensus_decisions(segment_id)"

# One decision row from one audit row ({a} is the audit row, "a" in the migration).
_FROM_AUDIT = """
INSERT OR IGNORE INTO consensus_decisions(id, segment_id, decided_by, decided_at, how, codes, before, note)
SELECT {a}.id, json_extract({a}.detail, '$.segment_id'), coalesce({a}.actor, ''), {a}.at,
       coalesce(json_extract({a}.detail, '$.how'), ''), coalesce(json_extract({a}.detail, '$.codes'), '[]'),
       coalesce(json_extract({a}.detail, '$.before'), '[]'), json_extract({a}.detail, '$.note')
"""


_PG_FROM_AUDIT = """
INSERT INTO consensus_decisions(id, segment_id, decided_by, decided_at, how, codes, before, note)
SELECT a.id, (a.detail::json ->> 'segment_id')::bigint, coalesce(a.actor, ''), a.at,
       coalesce(a.detail::json ->> 'how', ''), coalesce((a.detail::json -> 'codes')::text, '[]'),
       coalesce((a.detail::json -> 'before')::text, '[]'), a.detail::json ->> 'note'
FROM audit a WHERE a.action = ?
AND (a.detail::json ->> 'segment_id')::bigint IN (SELECT id FROM segments) ORDER BY a.id
ON CONFLICT DO NOTHING"""


def create(conn: sqlite3.Connection) -> None:
    """Create the table and fill it from the audit log (part of schema 3).

    Decisions on segments that no longer exist stay in the audit log only.
    """
    conn.execute(TABLE)
    conn.execute(INDEX)
    if on_postgresql(conn):
        conn.execute(_PG_FROM_AUDIT, (DECIDE_ACTION,))
        return
    conn.execute(_FROM_AUDIT.format(a="a") + "FROM audit a WHERE a.action = ? AND "
                 "json_extract(a.detail, '$.segment_id') IN (SELECT id FROM segments) ORDER BY a.id",
                 (DECIDE_ACTION,))


class ConsensusQueries:
    """Writes and reads of ``consensus_decisions``; ``self.conn`` is the project's connection."""

    def add_consensus_decision(self, segment_id: int, *, codes: Sequence[str], before: Sequence[str],
                               how: str, note: str | None, decided_by: str) -> int:
        """Record one decision and its audit entry; returns the decision's id (= the audit entry's id).

        ``codes`` are the consensus codes after the decision, ``before`` the
        ones before it. Only records: changing the consensus codings is the
        caller's (``set_segment_codes``), in the same transaction.
        """
        location = self.segment_location(segment_id)
        if location is None:
            raise ValueError(f"no segment with id {segment_id}")
        _, name, position = location
        codes, before = list(codes), list(before)
        entry = self.audit(DECIDE_ACTION, actor=decided_by, target=f"{name}#{position}",
                           detail={"segment_id": int(segment_id), "codes": codes, "before": before,
                                   "added": sorted(set(codes) - set(before)),
                                   "removed": sorted(set(before) - set(codes)), "how": how, "note": note})
        decided_at = self.conn.execute("SELECT at FROM audit WHERE id = ?", (entry,)).fetchone()[0]
        self.conn.execute(
            "INSERT INTO consensus_decisions(id, segment_id, decided_by, decided_at, how, codes, before, "
            "note) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET segment_id = excluded.segment_id, "
            "decided_by = excluded.decided_by, decided_at = excluded.decided_at, how = excluded.how, "
            "codes = excluded.codes, before = excluded.before, note = excluded.note",
            (entry, int(segment_id), decided_by, decided_at, how or "", json.dumps(codes, ensure_ascii=False),
             json.dumps(before, ensure_ascii=False), note))
        return entry

    def consensus_decisions(self, *, transcript_id: int | None = None) -> list[dict]:
        """Every recorded consensus decision, oldest first, with the segment's transcript and position.

        Each record: ``id, decided_at, decided_by, segment_id, transcript,
        segment, codes, before, how, note``.
        """
        sql = ("SELECT d.id, d.decided_at, d.decided_by, d.segment_id, t.name, s.position, d.codes, d.before, "
               "d.how, d.note FROM consensus_decisions d JOIN segments s ON s.id = d.segment_id "
               "JOIN transcripts t ON t.id = s.transcript_id")
        args: list = []
        if transcript_id is not None:
            sql += " WHERE s.transcript_id = ?"
            args.append(int(transcript_id))
        return [{"id": id_, "decided_at": at, "decided_by": by, "segment_id": sid, "transcript": name,
                 "segment": pos, "codes": json.loads(codes), "before": json.loads(before), "how": how,
                 "note": note}
                for id_, at, by, sid, name, pos, codes, before, how, note
                in self.conn.execute(sql + " ORDER BY d.id", args)]

    def decided_segment_ids(self) -> set[int]:
        """Segments with at least one recorded consensus decision."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT segment_id FROM consensus_decisions")}
