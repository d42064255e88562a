"""``qcode matrix``, ``qcode report`` and ``qcode cooccurrence`` (registered on the main group)."""

from __future__ import annotations

from .cli import cli  # noqa: F401  (commands are added to this group)
