"""SQL for agreement and consensus (part of the store; mixed into :class:`coding.store.Store`)."""

from __future__ import annotations


class AgreementQueries:
    """Queries behind coding.project_agreement; ``self.conn`` is the project's connection."""
