"""Coders and their sign-in data (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations

from collections.abc import Iterable

from .base import now


class CoderQueries:
    """Reads and writes of the ``coders`` table."""

    def ensure_coders(self, names: Iterable[str]) -> None:
        """Add the coders that do not exist yet."""
        self.conn.executemany("INSERT OR IGNORE INTO coders(name, created_at) VALUES (?, ?)",
                              ((n, now()) for n in set(names)))

    def coders(self) -> list[str]:
        """Every coder's name, sorted."""
        return [r[0] for r in self.conn.execute("SELECT name FROM coders ORDER BY name")]

    def coder(self, name: str) -> dict | None:
        """``name, password_hash, is_owner, role, created_at`` of one coder, or None."""
        cur = self.conn.execute("SELECT * FROM coders WHERE name = ?", (name,))  # * : files before schema 4
        row = cur.fetchone()                                                   # have no role column
        if row is None:
            return None
        found = dict(zip((d[0] for d in cur.description), row))
        return {k: found.get(k, "coder" if k == "role" else None)
                for k in ("name", "password_hash", "is_owner", "role", "created_at")}

    def set_coder(self, name: str, *, password_hash: str | None = None, is_owner: bool | None = None,
                  role: str | None = None) -> None:
        """Change a coder's password hash, owner flag and/or role (None leaves it as it is)."""
        if password_hash is not None:
            self.conn.execute("UPDATE coders SET password_hash = ? WHERE name = ?", (password_hash, name))
        if is_owner is not None:
            self.conn.execute("UPDATE coders SET is_owner = ? WHERE name = ?", (int(is_owner), name))
        if role is not None:
            self.conn.execute("UPDATE coders SET role = ? WHERE name = ?", (role, name))

    def owners(self) -> list[str]:
        """The names of the project's owners, sorted."""
        return [r[0] for r in self.conn.execute("SELECT name FROM coders WHERE is_owner = 1 ORDER BY name")]
