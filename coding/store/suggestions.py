"""Suggestion models and their proposals (part of the store; schema version 9).

* ``models``: each trained suggester with what it learned from (``trained_from``: a coder's name,
  ``all``, ``consensus`` or ``codebook``; ``coders``: the coders whose codings taught it, JSON),
  how much (``n_segments``, ``n_codes``), its parameters (JSON), when, by whom, by which qcode, and
  the fitted estimator itself as a BLOB (at most :data:`MAX_MODEL_BYTES`).

  The BLOB is a pickle of a scikit-learn estimator. Unpickling runs code, so a project file must be
  trusted like any program: it is, since the owner made it and keeps it (a project file is never
  received from strangers; see README "Serving a team").
* ``proposals``: one proposed code for one coder's segment from one model, with its score and its
  state: ``proposed``, ``accepted`` (a coding was made from it) or ``rejected`` (remembered: that
  model never proposes it again). Unique per model, segment, code and coder.
* ``codings.source``: where a coding came from: ``''`` by hand, ``suggestion:<model id>`` when a
  coder accepted a proposal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .base import marks, now

MAX_MODEL_BYTES = 64 * 1024 * 1024  # a stored model above this is refused (train with fewer features)
STATES = ("proposed", "accepted", "rejected")

TABLES = (
    """CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('model', 'codebook')),
        trained_from TEXT NOT NULL,
        coders TEXT NOT NULL DEFAULT '[]',
        n_segments INTEGER NOT NULL,
        n_codes INTEGER NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        created_by TEXT,
        qcode_version TEXT NOT NULL,
        size INTEGER NOT NULL,
        blob BLOB NOT NULL,
        CHECK (length(blob) <= %d)
    )""" % MAX_MODEL_BYTES,
    """CREATE TABLE proposals (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
        code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE CASCADE,
        coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE ON DELETE CASCADE,
        score REAL NOT NULL,
        state TEXT NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'accepted', 'rejected')),
        created_at TEXT NOT NULL,
        decided_at TEXT,
        UNIQUE (model_id, segment_id, code_id, coder)
    )""",
    "CREATE INDEX proposals_coder_transcript ON proposals(coder, transcript_id, state)",
    "CREATE INDEX proposals_segment ON proposals(segment_id)",
    "ALTER TABLE codings ADD COLUMN source TEXT NOT NULL DEFAULT ''",
)

_MODEL_COLUMNS = ("id", "kind", "trained_from", "coders", "n_segments", "n_codes", "params", "created_at",
                  "created_by", "qcode_version", "size")
_PROPOSAL_COLUMNS = ("id", "model_id", "segment_id", "transcript_id", "code_id", "coder", "score", "state",
                     "created_at", "decided_at", "position", "transcript")


def create(conn) -> None:
    """Schema step 8 -> 9: suggestion models, their proposals, and where a coding came from."""
    for statement in TABLES:
        conn.execute(statement)


def _model_row(row) -> dict:
    out = dict(zip(_MODEL_COLUMNS, row))
    out["coders"] = json.loads(out["coders"] or "[]")
    out["params"] = json.loads(out["params"] or "{}")
    return out


class SuggestionQueries:
    """Reads and writes of ``models``, ``proposals`` and ``codings.source``."""

    # ----------------------------------------------------------------- models
    def add_model(self, *, kind: str, trained_from: str, coders: Sequence[str], n_segments: int, n_codes: int,
                  params: dict, blob: bytes, qcode_version: str, created_by: str | None = None) -> int:
        """Store one trained model; returns its id. A BLOB above ``MAX_MODEL_BYTES`` is refused by the schema."""
        cur = self.conn.execute(
            "INSERT INTO models(kind, trained_from, coders, n_segments, n_codes, params, created_at, created_by, "
            "qcode_version, size, blob) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (kind, trained_from, json.dumps(list(coders), ensure_ascii=False), int(n_segments), int(n_codes),
             json.dumps(params, ensure_ascii=False, sort_keys=True), now(), created_by, qcode_version,
             len(blob), blob))
        return cur.fetchall()[0][0]

    def models(self) -> list[dict]:
        """Every stored model without its BLOB, newest first (``coders`` a list, ``params`` a dict)."""
        return [_model_row(r) for r in self.conn.execute(
            f"SELECT {', '.join(_MODEL_COLUMNS)} FROM models ORDER BY id DESC")]

    def model_blob(self, model_id: int) -> bytes | None:
        """The fitted model of ``model_id`` as stored, or None."""
        row = self.conn.execute("SELECT blob FROM models WHERE id = ?", (int(model_id),)).fetchone()
        return bytes(row[0]) if row else None

    # -------------------------------------------------------------- proposals
    def add_proposals(self, rows: Sequence[tuple[int, int, str, str, float]]) -> int:
        """Insert ``(model id, segment id, code id, coder, score)`` rows as proposed; a row the same model has
        for the same segment, code and coder already (proposed, accepted or rejected) stays as it is.
        Returns how many are new. Call inside a transaction."""
        before = self.conn.total_changes
        stamp = now()
        self.conn.executemany(
            "INSERT INTO proposals(model_id, segment_id, transcript_id, code_id, coder, score, created_at) "
            "VALUES (?1, ?2, (SELECT transcript_id FROM segments WHERE id = ?2), ?3, ?4, ?5, ?6) "
            "ON CONFLICT DO NOTHING", ((m, s, c, k, float(score), stamp) for m, s, c, k, score in rows))
        return self.conn.total_changes - before

    def drop_open_proposals(self, coder: str, transcript_ids: Sequence[int], keep_model: int) -> int:
        """Delete ``coder``'s still open proposals of other models than ``keep_model`` on these transcripts
        (decided ones stay, for the record); returns how many went."""
        if not transcript_ids:
            return 0
        cur = self.conn.execute(
            f"DELETE FROM proposals WHERE coder = ? AND state = 'proposed' AND model_id != ? "
            f"AND transcript_id IN ({marks(transcript_ids)})", (coder, int(keep_model), *map(int, transcript_ids)))
        return cur.rowcount

    def proposals(self, *, coder: str | None = None, transcript_id: int | None = None, state: str | None = None,
                  ids: Sequence[int] | None = None) -> list[dict]:
        """Proposals with their segment's position and transcript name, in text order, best first per segment."""
        clauses, args = [], []
        for column, value in (("p.coder", coder), ("p.transcript_id", transcript_id), ("p.state", state)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if ids is not None:
            clauses.append(f"p.id IN ({marks(ids)})" if ids else "1 = 0")
            args.extend(int(i) for i in ids)
        cond = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = ("SELECT p.id, p.model_id, p.segment_id, p.transcript_id, p.code_id, p.coder, p.score, p.state, "
               "p.created_at, p.decided_at, s.position, t.name FROM proposals p "
               "JOIN segments s ON s.id = p.segment_id JOIN transcripts t ON t.id = p.transcript_id"
               f"{cond} ORDER BY t.name, s.position, p.score DESC, p.code_id")
        return [dict(zip(_PROPOSAL_COLUMNS, r)) for r in self.conn.execute(sql, args)]

    def set_proposal_state(self, ids: Sequence[int], state: str) -> int:
        """Set the state of proposals (``proposed`` clears the decision time); returns rows changed."""
        if state not in STATES:
            raise ValueError(f"unknown proposal state {state!r}")
        if not ids:
            return 0
        stamp = None if state == "proposed" else now()
        cur = self.conn.execute(f"UPDATE proposals SET state = ?, decided_at = ? WHERE id IN ({marks(ids)})",
                                (state, stamp, *map(int, ids)))
        return cur.rowcount

    def add_suggested_coding(self, segment_id: int, code_id: str, coder: str, source: str) -> bool:
        """Apply a code accepted from a proposal, marked with its ``source`` (``suggestion:<model id>``);
        returns False when the coder had applied it already (that coding stays as it was)."""
        cur = self.conn.execute(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at, source) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, NULL, ?4, ?5) "
            "ON CONFLICT(segment_id, code_id, coder) DO UPDATE SET share = NULL, source = excluded.source "
            "WHERE codings.share IS NOT NULL", (int(segment_id), code_id, coder, now(), source))
        return bool(cur.rowcount)

    def coding_sources(self, *, coder: str | None = None,
                       transcript_id: int | None = None) -> dict[tuple[int, str, str], str]:
        """(segment id, code id, coder) -> source of every coding not made by hand (accepted suggestions)."""
        clauses, args = ["source != ''"], []
        if coder is not None:
            clauses.append("coder = ?")
            args.append(coder)
        if transcript_id is not None:
            clauses.append("transcript_id = ?")
            args.append(int(transcript_id))
        return {(s, c, k): src for s, c, k, src in self.conn.execute(
            "SELECT segment_id, code_id, coder, source FROM codings WHERE " + " AND ".join(clauses), args)}
