"""SQL for matrices, co-occurrence and drill-down (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations


class MatrixQueries:
    """Queries behind coding.matrix; ``self.conn`` is the project's connection."""
