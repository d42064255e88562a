"""Proposals for one coder's transcript: scored codes per segment, each saying where it came from.

Nothing here writes to the project: the proposals are returned, and only a coder's action makes
a coding. The learned model (:class:`~coding.suggest.model.CodeSuggester`) is trained on
``source`` (by default the coder's own finished transcripts); while no code has
``min_examples`` coded segments there, the suggestions come from the codebook
(:class:`~coding.suggest.model.CodebookSuggester`, source ``"codebook"``). With blind coding on,
a coder's suggestions may only learn from that coder's own codings.

>>> rows = suggestions(store, coder="anna", transcript="aneby_chef.txt", min_score=0.5)
>>> sorted({r["source"] for r in rows})
['model']
"""

from __future__ import annotations

from ..errors import QcodeError
from .data import SOURCES, training_data
from .model import MIN_EXAMPLES, CodebookSuggester, CodeSuggester

__all__ = ["CODEBOOK_MIN_SCORE", "MODEL_MIN_SCORE", "suggestions"]

#: the default lowest score shown: a probability for the model, a cosine similarity for the codebook
MODEL_MIN_SCORE = 0.5
CODEBOOK_MIN_SCORE = 0.2


def _model(store, source: str, min_examples: int):
    """The learned model, or ``None`` when ``source`` has nothing (or too little) to teach yet."""
    try:
        data = training_data(store, source)
    except QcodeError:
        if source not in SOURCES and source not in store.coders():
            raise
        return None
    model = CodeSuggester(min_examples=min_examples).fit(data.texts, data.labels)
    return model if model.codes_ else None


def suggestions(store, *, coder: str, transcript: str, source: str | None = None,
                min_score: float | None = None, min_examples: int = MIN_EXAMPLES,
                blind: bool = False) -> list[dict]:
    """Proposed codes for the segments of ``transcript``: rows ``segment, code, label, score, source``.

    ``source`` (default: ``coder``) is whose coding teaches the model (a coder, ``"all"`` or
    ``"consensus"``); ``blind=True`` refuses any source but the coder. ``min_score`` defaults to
    :data:`MODEL_MIN_SCORE` for the model and :data:`CODEBOOK_MIN_SCORE` for the codebook.
    Rows are sorted by segment, then by falling score.
    """
    if coder not in store.coders():
        raise QcodeError(f"no coder named {coder!r} in the project")
    tid = store.transcript_id(transcript)
    if tid is None:
        raise QcodeError(f"no transcript named {transcript!r} in the project")
    source = source or coder
    if blind and source != coder:
        raise QcodeError(f"coding is blind: {coder}'s suggestions may only learn from {coder}'s own codings, "
                         f"not from {source!r}")
    if min_score is not None and not 0 <= min_score <= 1:
        raise QcodeError(f"--min-score must be between 0 and 1, not {min_score}")
    segments = store.segments(tid)
    texts = [s.text for s in segments]
    rows = store.codes(include_inactive=False)
    model = _model(store, source, min_examples)
    if model is None:
        parents = {r.parent_id for r in rows}
        model = CodebookSuggester().fit([r for r in rows if r.id not in parents])
        floor = CODEBOOK_MIN_SCORE if min_score is None else min_score
    else:
        floor = MODEL_MIN_SCORE if min_score is None else min_score
    labels = {r.id: r.label_sv or r.label_en or r.id for r in rows}
    active = set(labels)
    proba = model.predict_proba(texts) if texts and model.codes_ else None
    out = []
    for i, seg in enumerate(segments if proba is not None else []):
        for j, code in enumerate(model.codes_):
            score = float(proba[i, j])
            if score >= floor and score > 0 and code in active:
                out.append({"segment": seg.position, "code": code, "label": labels[code],
                            "score": round(score, 3), "source": model.source})
    out.sort(key=lambda r: (r["segment"], -r["score"], r["code"]))
    return out
