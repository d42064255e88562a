"""SQL behind quote reports (part of the store; mixed into :class:`coding.store.Store`).

:mod:`coding.quotes` asks for every coding of some codes (with the segment it sits on and its memo)
and for the memos written on those segments; it shapes them into a report itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import marks


class QuoteQueries:
    """Reads behind coding.quotes; ``self.conn`` is the project's connection."""

    def quote_codings(self, code_ids: Sequence[str], coders: Sequence[str] | None,
                      transcript_ids: Sequence[int] | None = None) -> list[tuple]:
        """Every coding of these codes by these coders (None: any coder), optionally only in these transcripts:
        (segment id, transcript id, position, start, end, speaker, t_start, t_end, coder, code id, memo), in text
        order.
        """
        if not code_ids or (coders is not None and not coders) or (transcript_ids is not None
                                                                    and not transcript_ids):
            return []
        sql = ("SELECT s.id, s.transcript_id, s.position, s.start, s.\"end\", s.speaker, s.t_start, s.t_end, "
               "c.coder, c.code_id, c.memo FROM codings c JOIN segments s ON s.id = c.segment_id "
               f"WHERE c.code_id IN ({marks(code_ids)})")
        args: list = list(code_ids)
        if coders is not None:
            sql += f" AND c.coder IN ({marks(coders)})"
            args.extend(coders)
        if transcript_ids is not None:
            sql += f" AND c.transcript_id IN ({marks(transcript_ids)})"
            args.extend(transcript_ids)
        return self.conn.execute(sql + " ORDER BY s.transcript_id, s.position, c.coder, c.code_id",
                                 args).fetchall()

    def segment_memo_rows(self, segment_ids: Sequence[int],
                          coders: Sequence[str] | None) -> list[tuple[int, str, str | None, str]]:
        """The memos written on these segments by these coders (None: any coder): (segment id, coder, code id or
        None for a memo on the segment itself, text), oldest first."""
        if not segment_ids or (coders is not None and not coders):
            return []
        out: list[tuple[int, str, str | None, str]] = []
        ids = list(dict.fromkeys(segment_ids))
        for i in range(0, len(ids), 500):  # well below SQLite's limit of host parameters
            chunk = ids[i:i + 500]
            sql = f"SELECT segment_id, coder, code_id, text FROM memos WHERE segment_id IN ({marks(chunk)})"
            args: list = list(chunk)
            if coders is not None:
                sql += f" AND coder IN ({marks(coders)})"
                args.extend(coders)
            out.extend(self.conn.execute(sql + " ORDER BY id", args).fetchall())
        return out
