"""Audio and video files attached to transcripts (part of the store; mixed into :class:`coding.store.Store`).

The project keeps where a file is, its size, SHA-256 and MIME type, never its bytes (interview
recordings are large). One file per transcript; see :mod:`coding.media` for the checks.
"""

from __future__ import annotations

from .base import now

MEDIA_COLUMNS = ("transcript_id", "path", "size", "sha256", "mime", "added_by", "added_at")


class MediaQueries:
    """Reads and writes of ``media``."""

    def set_media(self, transcript_id: int, *, path: str, size: int, sha256: str, mime: str,
                  added_by: str | None = None) -> None:
        """Attach a media file to a transcript (replacing the one it had)."""
        self.conn.execute(
            f"INSERT INTO media({', '.join(MEDIA_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(transcript_id) DO UPDATE SET path = excluded.path, size = excluded.size, "
            "sha256 = excluded.sha256, mime = excluded.mime, added_by = excluded.added_by, "
            "added_at = excluded.added_at", (int(transcript_id), path, int(size), sha256, mime, added_by, now()))

    def media(self, transcript_id: int) -> dict | None:
        """``transcript_id, path, size, sha256, mime, added_by, added_at`` of a transcript's media file, or None."""
        row = self.conn.execute(f"SELECT {', '.join(MEDIA_COLUMNS)} FROM media WHERE transcript_id = ?",
                                (int(transcript_id),)).fetchone()
        return dict(zip(MEDIA_COLUMNS, row)) if row else None

    def media_list(self) -> list[dict]:
        """Every attached media file with its transcript's name (key ``transcript``), by transcript name."""
        keys = ("transcript", *MEDIA_COLUMNS)
        return [dict(zip(keys, row)) for row in self.conn.execute(
            "SELECT t.name, " + ", ".join(f"m.{c}" for c in MEDIA_COLUMNS) +
            " FROM media m JOIN transcripts t ON t.id = m.transcript_id ORDER BY t.name")]

    def remove_media(self, transcript_id: int) -> bool:
        """Detach a transcript's media file (the file itself stays); returns whether there was one."""
        return self.conn.execute("DELETE FROM media WHERE transcript_id = ?", (int(transcript_id),)).rowcount > 0
