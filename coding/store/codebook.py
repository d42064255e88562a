"""The codebook: codes in a tree (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations

from collections.abc import Iterable

from .rows import CODE_FIELDS, CodeRow

_FIELDS = set(CODE_FIELDS)


class CodebookQueries:
    """Reads and writes of the ``codes`` table."""

    def codes(self, *, include_inactive: bool = True) -> list[CodeRow]:
        """The codebook in codebook order (depth first, siblings by position)."""
        cursor = self.conn.execute("SELECT * FROM codes ORDER BY position, id")
        # by name: a file not yet migrated (read in tests) lacks the newer columns, which stay empty
        columns = [(i, d[0]) for i, d in enumerate(cursor.description) if d[0] in _FIELDS]
        rows = [CodeRow(**{name: bool(r[i]) if name == "active" else r[i] for i, name in columns}) for r in cursor]
        children: dict[str | None, list[CodeRow]] = {}
        for r in rows:
            children.setdefault(r.parent_id, []).append(r)
        ordered: list[CodeRow] = []

        def walk(parent: str | None) -> None:
            for r in children.get(parent, []):
                if include_inactive or r.active:
                    ordered.append(r)
                walk(r.id)
        walk(None)
        return ordered

    def code_parents(self) -> dict[str, str | None]:
        """code id -> parent id of every stored code, also codes that :meth:`codes` cannot reach."""
        return dict(self.conn.execute("SELECT id, parent_id FROM codes"))

    def code_ids(self) -> set[str]:
        """The ids of every code, active or not."""
        return {r[0] for r in self.conn.execute("SELECT id FROM codes")}

    def upsert_codes(self, codes: Iterable[dict]) -> None:
        """Insert or update codes (dicts with the columns of the codes table; a text left out is empty).

        Parents must come before their children. Call inside a transaction.
        """
        placeholders = ", ".join("?" for _ in CODE_FIELDS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in CODE_FIELDS if c != "id")
        sql = (f"INSERT INTO codes({', '.join(CODE_FIELDS)}) VALUES ({placeholders}) "
               f"ON CONFLICT(id) DO UPDATE SET {updates}")
        defaults = {"parent_id": None, "position": 0, "active": True}
        self.conn.executemany(sql, ([int(c.get("active", True)) if k == "active" else c.get(k, defaults.get(k, ""))
                                     for k in CODE_FIELDS] for c in codes))

    def coded_code_ids(self) -> set[str]:
        """The ids of codes that carry at least one coding."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT code_id FROM codings")}

    def delete_codes(self, ids: Iterable[str]) -> None:
        """Delete codes by id (codes still used by codings are protected by a foreign key)."""
        self.conn.executemany("DELETE FROM codes WHERE id = ?", ((i,) for i in ids))

    def set_code_active(self, ids: Iterable[str], active: bool) -> None:
        """Switch codes on or off for coding (inactive codes keep their codings)."""
        self.conn.executemany("UPDATE codes SET active = ? WHERE id = ?", ((int(active), i) for i in ids))

    def update_code(self, code_id: str, fields: dict) -> None:
        """Change some columns of one code (keys: columns of the codes table except id)."""
        allowed = set(CODE_FIELDS) - {"id"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown code field(s): {', '.join(sorted(bad))}")
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            self.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", (*fields.values(), code_id))

    def next_code_position(self) -> int:
        """One more than the largest position in the codebook (0 for an empty one)."""
        return self.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM codes").fetchone()[0]

    def merge_code_into(self, source: str, target: str) -> int:
        """Move the codings, memos and children of ``source`` to ``target`` and delete ``source``.

        A coder who had applied both codes to a segment keeps one coding. Returns codings moved.
        """
        # segment codings derived from spans are derived again below, from the merged spans
        self.conn.execute("DELETE FROM codings WHERE code_id = ? AND share IS NOT NULL", (source,))
        self.conn.execute("UPDATE codings SET share = NULL WHERE code_id = ? AND share IS NOT NULL AND segment_id IN "
                          "(SELECT segment_id FROM codings o WHERE o.code_id = ? AND o.coder = codings.coder "
                          "AND o.share IS NULL)", (target, source))
        moved = self.conn.execute(
            "UPDATE codings SET code_id = ? WHERE code_id = ? AND NOT EXISTS (SELECT 1 FROM codings o "
            "WHERE o.segment_id = codings.segment_id AND o.coder = codings.coder AND o.code_id = ?)",
            (target, source, target)).rowcount
        self.conn.execute("DELETE FROM codings WHERE code_id = ?", (source,))
        self.conn.execute('DELETE FROM spans WHERE code_id = ? AND EXISTS (SELECT 1 FROM spans o WHERE '
                          'o.transcript_id = spans.transcript_id AND o.coder = spans.coder AND o.code_id = ? '
                          'AND o.start = spans.start AND o."end" = spans."end")', (source, target))
        touched = self.conn.execute("UPDATE spans SET code_id = ? WHERE code_id = ? RETURNING transcript_id, coder",
                                    (target, source)).fetchall()
        moved += len(touched)
        for tid, coder in sorted(set(touched)):
            self.derive(tid, target, coder)
        self.conn.execute("UPDATE memos SET code_id = ? WHERE code_id = ?", (target, source))
        self.conn.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", (target, source))
        self.conn.execute("DELETE FROM codes WHERE id = ?", (source,))
        return moved
