"""Reads behind agreement and disagreement review (part of the store; mixed into :class:`coding.store.Store`).

Plain rows only: :mod:`coding.project_agreement` turns them into NumPy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import marks


class AgreementQueries:
    """Queries behind coding.project_agreement; ``self.conn`` is the project's connection."""

    def coder_codings(self, coder: str) -> list[tuple[int, str]]:
        """(segment id, code id) of every coding of ``coder``, in no particular order.

        The whole project at once: 1M codings of three coders read in about
        0.3 s per coder (a plain covering-index scan, no join).
        """
        return self.conn.execute("SELECT segment_id, code_id FROM codings WHERE coder = ?", (coder,)).fetchall()

    def applied_code_ids(self, coders: Sequence[str]) -> set[str]:
        """Codes that any of these coders has applied somewhere."""
        if not coders:
            return set()
        return {r[0] for r in self.conn.execute(
            f"SELECT DISTINCT code_id FROM codings WHERE coder IN ({marks(coders)})", tuple(coders))}

    def codings_in_transcripts(self, transcript_ids: Sequence[int],
                               coders: Sequence[str]) -> list[tuple[int, str, str]]:
        """(segment id, coder, code id) of these coders in these transcripts, in segment order."""
        if not transcript_ids or not coders:
            return []
        out: list[tuple[int, str, str]] = []
        ids = list(transcript_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            out.extend(self.conn.execute(
                f"SELECT segment_id, coder, code_id FROM codings "
                f"WHERE transcript_id IN ({marks(chunk)}) AND coder IN ({marks(coders)}) ORDER BY segment_id, id",
                (*chunk, *coders)))
        return out
