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
        """``name, password_hash, is_owner, created_at`` of one coder, or None."""
        row = self.conn.execute("SELECT name, password_hash, is_owner, created_at FROM coders WHERE name = ?",
                                (name,)).fetchone()
        return dict(zip(("name", "password_hash", "is_owner", "created_at"), row)) if row else None

    def set_coder(self, name: str, *, password_hash: str | None = None, is_owner: bool | None = None) -> None:
        """Change a coder's password hash and/or owner flag (None leaves it as it is)."""
        if password_hash is not None:
            self.conn.execute("UPDATE coders SET password_hash = ? WHERE name = ?", (password_hash, name))
        if is_owner is not None:
            self.conn.execute("UPDATE coders SET is_owner = ? WHERE name = ?", (int(is_owner), name))
