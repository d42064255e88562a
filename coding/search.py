"""Full-text search over every transcript of a project, to read the hits in place and code them.

Plain words are searched for; case and accents do not matter ("forankring"
finds "förankring", as OCR text often needs, and the Swedish å, ä and ö
match a and o as well: "har" also finds "här"). Every word must occur in
the segment, in any order; words in double quotes must occur together as a
phrase; a word ending in ``*`` finds every word that begins with it
("förankr*": förankring, förankrat …). Nothing a user types is an error:
operators, brackets and stray quotes are taken as plain text.

>>> hits = search(project.store, "forankring")
>>> [(h.transcript, h.position) for h in hits]
[('aneby_chef.txt', 69), ('eksjo_se-coach.txt', 50), ('gislaved_chef.txt', 59)]
>>> print(hits[0].snippet(50))
… ingen riktig [förankring] utanför vår egen …
>>> count_hits(project.store, "förankr*")
9

Every hit carries its segment id, so the hits can be coded at once:

>>> from coding.codings import apply_code_ids
>>> apply_code_ids(project.store, [h.segment_id for h in hits], "impl_hi_okunskap_ledning_samordningsforbund",
...                coder="anna")
3
"""

from __future__ import annotations

from .errors import QcodeError
from .store.fts import ORDERS
from .store.rows import SearchHit

__all__ = ["ORDERS", "SearchHit", "count_hits", "search"]


def _transcript_id(store, transcript: str | None) -> int | None:
    if transcript is None:
        return None
    tid = store.transcript_id(transcript)
    if tid is None:
        raise QcodeError(f"no transcript named {transcript!r} in the project")
    return tid


def search(store, query: str, *, transcript: str | None = None, limit: int | None = 100, offset: int = 0,
           order: str = "text") -> list[SearchHit]:
    """The segments that contain ``query``, each with its text and the offsets of the words found.

    ``transcript``: search one transcript only (by name). ``order="text"``
    (default) lists hits by transcript name and segment position,
    ``order="rank"`` the best matches first. ``limit`` (None: all) and
    ``offset`` page through many hits; :func:`count_hits` says how many
    there are. An empty query finds nothing.

    >>> [h.position for h in search(project.store, '"ingen riktig förankring"')]
    [69]
    >>> search(project.store, 'AND ( " *')
    []
    """
    if order not in ORDERS:
        raise QcodeError(f"order must be one of {', '.join(ORDERS)}; got {order!r}")
    if limit is not None and limit < 0 or offset < 0:
        raise QcodeError("limit and offset cannot be negative")
    return store.search_segments(query, transcript_id=_transcript_id(store, transcript), limit=limit,
                                 offset=offset, order=order)


def count_hits(store, query: str, *, transcript: str | None = None) -> int:
    """How many segments :func:`search` finds for ``query`` (all of them, whatever its ``limit``).

    >>> count_hits(project.store, "förankring", transcript="aneby_chef.txt")
    1
    """
    return store.search_count(query, transcript_id=_transcript_id(store, transcript))
