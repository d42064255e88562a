"""The disagreement review: every segment where the coders' codes differ, in context, for the consensus meeting.

Only transcripts that *all* the coders have marked done are reviewed (see
:mod:`coding.agreement_design` on done transcripts). Settling a segment is
:mod:`coding.consensus`.
"""

from __future__ import annotations

from typing import Sequence

from .codings import CONSENSUS
from .errors import QcodeError
from .specs import check_coders

__all__ = ["disagreements"]



def _done_by_all(store, coders: list[str]) -> set[int]:
    sets = [store.done_transcripts(c) for c in coders]
    return set.intersection(*sets) if sets else set()


_RULES = ("definition", "include", "exclude")  # shown beside a disagreement: plain (Swedish), _sv and _en


def _unknown_code(code: str) -> dict:
    return {"id": code, "label_sv": "", "label_en": "", **{f"{f}{s}": "" for f in _RULES for s in ("", "_sv", "_en")}}


def _code_info(store) -> tuple[dict[str, int], dict[str, dict]]:
    order, info = {}, {}
    for i, c in enumerate(store.codes()):
        order[c.id] = i
        info[c.id] = {"id": c.id, "label_sv": c.label_sv, "label_en": c.label_en,
                      **{f"{field}{suffix}": c.text(field, lang) for field in _RULES
                         for suffix, lang in (("", "sv"), ("_sv", "sv"), ("_en", "en"))}}
    return order, info


def _latest_decisions(store, transcript_id: int | None = None) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for d in store.consensus_decisions(transcript_id=transcript_id):
        latest[int(d["segment_id"])] = d
    return latest


def _spans_in(segment, spans, coders) -> dict[str, list[dict]]:
    """The coders' spans (not whole segments) that overlap a segment: ``{coder: [{code, start, end,
    span_start, span_end}]}`` with ``start``/``end`` clipped to the segment's text and counted from its start."""
    out: dict[str, list[dict]] = {}
    for _tid, start, end, code, coder, *_ in spans:
        if start < segment.end and end > segment.start:
            out.setdefault(coder, []).append({
                "code": code, "start": max(start, segment.start) - segment.start,
                "end": min(end, segment.end) - segment.start, "span_start": start, "span_end": end})
    return {c: out[c] for c in coders if c in out}


def disagreements(store, coders: str | Sequence[str], *, transcript: str | None = None) -> list[dict]:
    """Every segment where the coders' code sets differ, with context and the codes' definitions.

    Only transcripts that *all* the coders have marked done are reviewed.
    Each record (in transcript and segment order) holds ``segment_id,
    transcript, segment`` (1-based position), ``speaker, text``, ``before`` and
    ``after`` (the texts of the neighbouring segments, "" at the ends),
    ``codes`` ({coder: [code ids]}), ``agreed`` (codes every coder applied),
    ``disputed`` (codes some but not all applied), ``involved`` (for each
    code any coder applied: ``id, label_sv, label_en, definition, include,
    exclude, applied_by``; the texts in Swedish, and per language as
    ``definition_sv``, ``definition_en`` … ``exclude_en``), and the state of the review: ``decided``,
    ``consensus`` (the consensus codes, or None while undecided),
    ``decided_by`` and ``decided_at``; ``spans`` ({coder: [{code, start, end, span_start, span_end}]})
    holds the coders' codings of parts of the text (:mod:`coding.spans`) that touch the segment, ``start``
    and ``end`` counted in the segment's ``text``, so a review can show both coders' ranges.

    >>> for d in disagreements(store, ["anna", "erik"], transcript="aneby_chef.txt"):
    ...     print(d["segment"], d["codes"])
    44 {'anna': ['impl_hi_okunskap_ledning_samordningsforbund'], 'erik': []}
    85 {'anna': ['prak_hi_svart_folja_metoden'], 'erik': []}
    """
    coders = check_coders(store, coders)
    tids = _done_by_all(store, coders)
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
        if tid not in tids:
            missing = [c for c in coders if tid not in store.done_transcripts(c)]
            raise QcodeError(f"{transcript!r} is not marked done by {', '.join(missing)}; only finished "
                             "transcripts are compared (qcode done)")
        tids = {tid}
    by_segment: dict[int, dict[str, set[str]]] = {}
    for sid, coder, code in store.codings_in_transcripts(sorted(tids), coders):
        by_segment.setdefault(sid, {}).setdefault(coder, set()).add(code)
    differing = {sid for sid, sets in by_segment.items()
                 if len({frozenset(sets.get(c, ())) for c in coders}) > 1}
    if not differing:
        return []
    order, info = _code_info(store)
    sort = lambda ids: sorted(ids, key=lambda c: (order.get(c, len(order)), c))  # noqa: E731
    names = store.transcript_names_by_id()
    consensus_codes: dict[int, set[str]] = {}
    out: list[dict] = []
    for tid in sorted(tids, key=lambda t: names.get(t, "")):
        segs = store.segments(tid)
        if not any(s.id in differing for s in segs):
            continue
        latest = _latest_decisions(store, tid)
        consensus_codes.clear()
        for sid, _, code in store.codings_in_transcripts([tid], [CONSENSUS]):
            consensus_codes.setdefault(sid, set()).add(code)
        spans = [r for r in store.span_list(transcript_id=tid, coders=coders) if r[7] is None]
        for i, s in enumerate(segs):
            if s.id not in differing:
                continue
            sets = {c: by_segment[s.id].get(c, set()) for c in coders}
            union = set().union(*sets.values())
            common = set.intersection(*sets.values())
            decision = latest.get(s.id)
            decided = decision is not None or s.id in consensus_codes
            out.append({
                "segment_id": s.id, "transcript": s.transcript, "segment": s.position, "speaker": s.speaker,
                "text": s.text, "before": segs[i - 1].text if i > 0 else "",
                "after": segs[i + 1].text if i + 1 < len(segs) else "",
                "codes": {c: sort(v) for c, v in sets.items()}, "agreed": sort(common),
                "disputed": sort(union - common),
                "involved": [{**info.get(code, _unknown_code(code)),
                              "applied_by": [c for c in coders if code in sets[c]]} for code in sort(union)],
                "decided": decided,
                "consensus": sort(consensus_codes.get(s.id, set())) if decided else None,
                "decided_by": decision["decided_by"] if decision else None,
                "decided_at": decision["decided_at"] if decision else None,
                "spans": _spans_in(s, spans, coders),
            })
    return out
