"""The audit log: who changed what, when (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from .base import marks, now, where


class AuditLog:
    """Writes and reads of the ``audit`` table; ``self.conn`` is the project's connection."""

    def audit(self, action: str, *, actor: str | None = None, target: str | None = None,
              detail: dict | None = None) -> int:
        """Record one change in the audit log; returns the log entry's id."""
        cur = self.conn.execute(
            "INSERT INTO audit(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (now(), actor, action, target,
             json.dumps(detail, ensure_ascii=False) if detail is not None else None))
        return cur.fetchall()[0][0]

    def change_counter(self) -> int:
        """A number that grows with every recorded change (the newest audit entry's id).

        Every write of the library records an audit entry in the same
        transaction, so UIs can key their caches on this number.
        """
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]

    def audit_log(self, *, limit: int | None = None, actor: str | None = None,
                  actions: Sequence[str] | None = None, since: str | None = None,
                  until: str | None = None) -> list[dict]:
        """The audit log, newest first: ``id, at, actor, action, target, detail`` (a dict or None).

        Filters: one ``actor``, any of ``actions``, and ``since``/``until`` as ISO times or dates
        (``until`` a date includes that whole day).
        """
        clause, args = where(actor=actor)
        extra = []
        if actions:
            extra.append(f"action IN ({marks(actions)})")
            args.extend(actions)
        if since:
            extra.append("at >= ?")
            args.append(since)
        if until:
            extra.append("at < ?")
            args.append(until + "~" if len(until) == 10 else until)  # "~" sorts after every time of that day
        if extra:
            clause = (clause + " AND " if clause else " WHERE ") + " AND ".join(extra)
        sql = "SELECT id, at, actor, action, target, detail FROM audit" + clause + " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = []
        for id_, at, act, action, target, detail in self.conn.execute(sql, args):
            rows.append({"id": id_, "at": at, "actor": act, "action": action, "target": target,
                         "detail": json.loads(detail) if detail else None})
        return rows

    def audit_actions(self) -> list[str]:
        """Every kind of action in the log, sorted."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT action FROM audit ORDER BY action")]

    def audit_entries(self, actor: str, actions: Sequence[str]) -> Iterator[dict]:
        """The actor's audit entries of the given actions, newest first (streamed)."""
        for id_, action, target, detail in self.conn.execute(
                f"SELECT id, action, target, detail FROM audit WHERE actor = ? AND action IN ({marks(actions)}) "
                "ORDER BY id DESC", (actor, *actions)):
            yield {"id": id_, "action": action, "target": target, "detail": json.loads(detail) if detail else {}}
