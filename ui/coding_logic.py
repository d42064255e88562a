"""Pure helpers of the coding screen (no Streamlit, no SQL): selection, pages, navigation.

>>> select_range(3, 7)
[3, 4, 5, 6, 7]
>>> page_of(51, list(range(1, 101)), 50)
2
>>> next_uncoded([1, 2, 3, 4], coded={1, 2, 4}, after=1)
3
>>> next_uncoded([1, 2, 3, 4], coded={1, 2, 3, 4}, after=1) is None
True
"""

from __future__ import annotations

from typing import Iterable, Sequence

PAGE_SIZE = 50


def select_range(a: int, b: int) -> list[int]:
    lo, hi = min(a, b), max(a, b)
    return list(range(lo, hi + 1))


def page_of(position: int, shown: Sequence[int], page_size: int = PAGE_SIZE) -> int:
    """The 1-based page on which ``position`` stands in the list of shown positions (1 if absent)."""
    try:
        return shown.index(position) // page_size + 1
    except ValueError:
        return 1


def n_pages(n: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-n // page_size))


def step(positions: Sequence[int], current: int | None, delta: int) -> int | None:
    """The position ``delta`` steps from ``current`` in ``positions`` (clamped); the first one if none."""
    if not positions:
        return None
    if current is None or current not in positions:
        return positions[0] if delta >= 0 else positions[-1]
    i = positions.index(current) + delta
    return positions[max(0, min(len(positions) - 1, i))]


def next_uncoded(positions: Sequence[int], coded: Iterable[int], after: int | None) -> int | None:
    """The first position after ``after`` not in ``coded``, wrapping round; None if all are coded."""
    coded = set(coded)
    todo = [p for p in positions if p not in coded]
    if not todo:
        return None
    if after is None:
        return todo[0]
    later = [p for p in todo if p > after]
    return later[0] if later else todo[0]


def next_hit(hits: Sequence[int], after: int | None) -> int | None:
    """The next search hit after ``after``, wrapping round."""
    if not hits:
        return None
    later = [p for p in hits if after is None or p > after]
    return later[0] if later else hits[0]


def recent_codes(audit_entries: Iterable[dict], active: set[str], limit: int = 9) -> list[str]:
    """The coder's most recently applied codes (newest first, unique, active only) from audit entries."""
    out: list[str] = []
    for entry in audit_entries:
        if entry.get("action") not in ("coding.apply", "span.add", "span.change"):
            continue
        code = (entry.get("detail") or {}).get("code")
        if code in active and code not in out:
            out.append(code)
            if len(out) >= limit:
                break
    return out


def push_recent(recent: list[str], code: str, limit: int = 9) -> list[str]:
    return ([code] + [c for c in recent if c != code])[:limit]
