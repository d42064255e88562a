"""Proposals: codes a stored model proposes for a coder's segments, until the coder accepts or rejects them.

:func:`run` writes proposals (never codings) from the newest model that may propose to the coder
(see :func:`coding.suggest.train.applicable`): never a code the coder has applied to that segment
already, and never again one the coder accepted or rejected from the same model. A new run replaces
the coder's still open proposals of older models on those transcripts.

:func:`accept` turns proposals into the coder's own codings, marked with where they came from
(``codings.source = 'suggestion:<model id>'``), as one undoable step (:class:`AcceptProposals`);
:func:`reject` remembers a "no" (:class:`RejectProposals`, undoable too). Only the coder a proposal
is for can decide it, and nothing becomes a coding without that decision.

>>> from coding.suggest.train import train
>>> _ = train(store, "anna")
>>> summary = run(store, coder="anna", transcripts=["aneby_chef.txt"])
>>> summary["kind"], summary["proposed"] > 0
('model', True)
>>> first = list_proposals(store, coder="anna", transcript="aneby_chef.txt")[0]
>>> accept(store, coder="anna", ids=[first["id"]]).n
1
>>> store.coding_sources(coder="anna") == {(first["segment_id"], first["code"], "anna"): f"suggestion:{first['model']}"}
True
>>> from coding.actions import undo_last
>>> undo_last(store, "anna").describe()
'Undid accepting suggestion(s) (aneby_chef.txt #...)'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Sequence

from ..actions import Action, Result
from ..errors import QcodeError
from ..roles import NotAllowed, require
from .train import CODEBOOK, applicable, load_model

__all__ = ["AcceptProposals", "RejectProposals", "SUGGEST_ACTIONS", "accept", "list_proposals", "reject", "run",
           "uncertainty"]

ORDERS = ("text", "uncertain")


def _threshold(kind: str) -> float:
    from .run import CODEBOOK_MIN_SCORE, MODEL_MIN_SCORE

    return CODEBOOK_MIN_SCORE if kind == CODEBOOK else MODEL_MIN_SCORE


def uncertainty(score: float, kind: str = "model") -> float:
    """How unsure the model is, 0 (sure) to 1 (on its threshold): closeness of ``score`` to the threshold.

    >>> uncertainty(0.5), uncertainty(1.0), uncertainty(0.75)
    (1.0, 0.0, 0.5)
    """
    t = _threshold(kind)
    return round(1 - abs(score - t) / max(t, 1 - t), 6)


def _transcript_ids(store, coder: str, transcripts: Sequence[str] | None) -> list[int]:
    if transcripts:
        ids = []
        for name in transcripts:
            tid = store.transcript_id(name)
            if tid is None:
                raise QcodeError(f"no transcript named {name!r} in the project")
            ids.append(tid)
        return ids
    done = store.done_transcripts(coder)
    return [tid for tid in sorted(store.transcript_names_by_id()) if tid not in done]


def _model_row(store, coder: str, model_id: int | None) -> dict:
    rows = store.models()
    if model_id is not None:
        row = next((r for r in rows if r["id"] == int(model_id)), None)
        if row is None:
            raise QcodeError(f"no suggestion model with id {model_id} in the project")
        if not applicable(store, row, coder):
            raise QcodeError(f"coding is blind: model {row['id']} learned from {row['trained_from']!r}, and "
                             f"{coder}'s suggestions may only come from the codebook or {coder}'s own codings")
        return row
    row = next((r for r in rows if applicable(store, r, coder)), None)
    if row is None:  # the cold start: the codebook model, stored like any other so proposals trace to it
        from .train import train

        model_id = train(store, CODEBOOK, actor=coder).id
        row = next(r for r in store.models() if r["id"] == model_id)
    return row


def run(store, *, coder: str, transcripts: Sequence[str] | None = None, min_score: float | None = None,
        model_id: int | None = None) -> dict:
    """Write ``coder``'s proposals for ``transcripts`` (default: those the coder has not marked done).

    The model is ``model_id`` or the newest one that may propose to ``coder`` (none yet: the codebook
    model is trained and stored first, see :func:`coding.suggest.train.train`); ``min_score`` defaults
    to 0.5 for a learned model and 0.2 (a cosine similarity) for the codebook model. Predicts with no
    lock held, then writes in one transaction. Returns ``model``, ``kind``, ``transcripts``,
    ``proposed`` (new proposals) and ``replaced`` (open proposals of older models dropped).
    """
    require(store, coder, "code")
    if min_score is not None and not 0 <= min_score <= 1:
        raise QcodeError(f"--min-score must be between 0 and 1, not {min_score}")
    tids = _transcript_ids(store, coder, transcripts)
    row = _model_row(store, coder, model_id)
    floor = _threshold(row["kind"]) if min_score is None else min_score
    model = load_model(store, row["id"])
    active = {c.id for c in store.codes(include_inactive=False)}
    columns = [(j, c) for j, c in enumerate(model.codes_) if c in active]
    rows = []
    for tid in tids:
        segments = store.segments(tid)
        if not segments or not columns:
            continue
        proba = model.predict_proba([s.text for s in segments])
        have = store.segment_codes(tid, coder)
        for i, seg in enumerate(segments):
            mine = set(have.get(seg.id, ()))
            for j, code in columns:
                score = float(proba[i, j])
                if score >= floor and score > 0 and code not in mine:
                    rows.append((row["id"], seg.id, code, coder, round(score, 4)))
    with store.transaction():
        store.ensure_coders([coder])
        replaced = store.drop_open_proposals(coder, tids, row["id"])
        proposed = store.add_proposals(rows)
        store.audit("suggest.run", actor=coder, target=f"model {row['id']}",
                    detail={"model_id": row["id"], "transcripts": len(tids), "proposed": proposed,
                            "replaced": replaced, "min_score": floor})
    return {"model": row["id"], "kind": row["kind"], "transcripts": len(tids), "proposed": proposed,
            "replaced": replaced}


def list_proposals(store, *, coder: str, transcript: str | None = None, state: str | None = "proposed",
                   order: str = "text", min_score: float | None = None) -> list[dict]:
    """``coder``'s proposals: rows ``id, transcript, segment, segment_id, code, label, score, uncertainty,
    state, model, kind, decided_at``. ``state=None`` lists decided ones too; ``order="uncertain"`` puts the
    proposals the model is least sure of first. With blind coding on, proposals of a model that may not
    propose to ``coder`` are left out.
    """
    if order not in ORDERS:
        raise QcodeError(f"unknown order {order!r}; choose one of {', '.join(ORDERS)}")
    tid = None
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
    models = {m["id"]: m for m in store.models()}
    labels = {c.id: c.label_sv or c.label_en or c.id for c in store.codes()}
    out = []
    for p in store.proposals(coder=coder, transcript_id=tid, state=state):
        model = models[p["model_id"]]
        if not applicable(store, model, coder) or (min_score is not None and p["score"] < min_score):
            continue
        out.append({"id": p["id"], "transcript": p["transcript"], "segment": p["position"],
                    "segment_id": p["segment_id"], "code": p["code_id"], "label": labels.get(p["code_id"], ""),
                    "score": p["score"], "uncertainty": uncertainty(p["score"], model["kind"]),
                    "state": p["state"], "model": p["model_id"], "kind": model["kind"],
                    "decided_at": p["decided_at"]})
    if order == "uncertain":
        out.sort(key=lambda r: (-r["uncertainty"], r["transcript"], r["segment"], r["code"]))
    return out


def _decidable(store, ids: Sequence[int], coder: str) -> list[dict]:
    """The proposals ``ids``, checked: they exist, are ``coder``'s, still open, from a model allowed to propose."""
    require(store, coder, "code")
    ids = sorted({int(i) for i in ids})
    if not ids:
        raise QcodeError("no proposal selected")
    rows = store.proposals(ids=ids)
    missing = sorted(set(ids) - {r["id"] for r in rows})
    if missing:
        raise QcodeError(f"no proposal with id {', '.join(map(str, missing))} in the project")
    models = {m["id"]: m for m in store.models()}
    for r in rows:
        if r["coder"] != coder:
            raise NotAllowed(f"proposal {r['id']} is for {r['coder']}; only they can accept or reject it")
        if r["state"] != "proposed":
            raise QcodeError(f"proposal {r['id']} was {r['state']} already")
        if not applicable(store, models[r["model_id"]], coder):
            raise QcodeError(f"coding is blind: proposal {r['id']} comes from a model that learned from others' "
                             "codings")
    return rows


def _place(store, segment_ids) -> tuple[str | None, tuple[int, ...]]:
    places = sorted({loc for loc in map(store.segment_location, segment_ids) if loc}, key=lambda p: p[2])
    return (places[0][1] if places else None), tuple(p[2] for p in places)


def _target(store, segment_ids) -> str | None:
    name, positions = _place(store, segment_ids)
    return f"{name}#{positions[0]}" if name else None


@dataclass(frozen=True)
class AcceptProposals(Action):
    """A coder accepts proposals: each becomes the coder's coding with ``source = 'suggestion:<model id>'``.

    ``added`` (read back from the audit log) holds ``(segment id, code, model id)`` of the codings made;
    a code the coder had applied already is accepted without a second coding.
    """

    ACTION: ClassVar[str] = "suggestion.accept"
    UNDOABLE: ClassVar[bool] = True
    proposal_ids: tuple[int, ...]
    coder: str
    added: tuple[tuple[int, str, int], ...] = field(default=(), compare=False)
    segments: tuple[int, ...] = field(default=(), compare=False)

    def _apply(self, store) -> Result:
        rows = _decidable(store, self.proposal_ids, self.coder)
        added = []
        for r in rows:
            if store.add_suggested_coding(r["segment_id"], r["code_id"], self.coder, f"suggestion:{r['model_id']}"):
                added.append((r["segment_id"], r["code_id"], r["model_id"]))
        ids = [r["id"] for r in rows]
        store.set_proposal_state(ids, "accepted")
        segments = sorted({r["segment_id"] for r in rows})
        audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, segments),
                               detail={"proposal_ids": ids, "codings": [list(a) for a in added],
                                       "segment_ids": segments, "codes": sorted({r["code_id"] for r in rows})})
        return Result(self.ACTION, tuple(ids), audit_id, {"codings": len(added)})

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "AcceptProposals":
        return cls(proposal_ids=tuple(d["proposal_ids"]), coder=coder,
                   added=tuple((int(s), c, int(m)) for s, c, m in d.get("codings", ())),
                   segments=tuple(d.get("segment_ids", ())))

    @property
    def segment_ids(self) -> tuple[int, ...]:
        return self.segments

    @property
    def code(self) -> str | None:
        codes = {c for _s, c, _m in self.added}
        return codes.pop() if len(codes) == 1 else None

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        return _place(store, self.segments)

    def reverse(self, store) -> None:
        for sid, code, _model in self.added:
            store.remove_coding(sid, code, self.coder)
        store.set_proposal_state(self.proposal_ids, "proposed")

    def forward(self, store) -> None:
        for sid, code, model in self.added:
            store.add_suggested_coding(sid, code, self.coder, f"suggestion:{model}")
        store.set_proposal_state(self.proposal_ids, "accepted")


@dataclass(frozen=True)
class RejectProposals(Action):
    """A coder rejects proposals: remembered, so their model never proposes them again."""

    ACTION: ClassVar[str] = "suggestion.reject"
    UNDOABLE: ClassVar[bool] = True
    proposal_ids: tuple[int, ...]
    coder: str
    segments: tuple[int, ...] = field(default=(), compare=False)

    def _apply(self, store) -> Result:
        rows = _decidable(store, self.proposal_ids, self.coder)
        ids = [r["id"] for r in rows]
        store.set_proposal_state(ids, "rejected")
        segments = sorted({r["segment_id"] for r in rows})
        audit_id = store.audit(self.ACTION, actor=self.coder, target=_target(store, segments),
                               detail={"proposal_ids": ids, "segment_ids": segments,
                                       "codes": sorted({r["code_id"] for r in rows})})
        return Result(self.ACTION, tuple(ids), audit_id)

    @classmethod
    def from_detail(cls, d: dict, coder: str) -> "RejectProposals":
        return cls(proposal_ids=tuple(d["proposal_ids"]), coder=coder, segments=tuple(d.get("segment_ids", ())))

    @property
    def segment_ids(self) -> tuple[int, ...]:
        return self.segments

    code = None

    def place(self, store) -> tuple[str | None, tuple[int, ...]]:
        return _place(store, self.segments)

    def reverse(self, store) -> None:
        store.set_proposal_state(self.proposal_ids, "proposed")

    def forward(self, store) -> None:
        store.set_proposal_state(self.proposal_ids, "rejected")


SUGGEST_ACTIONS: dict[str, type] = {cls.ACTION: cls for cls in (AcceptProposals, RejectProposals)}


def _chosen(store, coder: str, ids, transcript, segments, min_score) -> list[int]:
    if ids is not None:
        return [int(i) for i in ids]
    if transcript is None:
        raise QcodeError("name the proposals (ids) or a transcript (with segments and a lowest score)")
    rows = list_proposals(store, coder=coder, transcript=transcript, min_score=min_score)
    if segments is not None:
        wanted = {int(s) for s in segments}
        rows = [r for r in rows if r["segment"] in wanted]
    if not rows:
        raise QcodeError(f"no open proposal for {coder} there (see `qcode suggest list`)")
    return [r["id"] for r in rows]


def accept(store, *, coder: str, ids: Sequence[int] | None = None, transcript: str | None = None,
           segments: Sequence[int] | None = None, min_score: float | None = None) -> Result:
    """Accept proposals as ``coder``'s codings in one undoable step: by ``ids``, or every open one of
    ``transcript`` (on ``segments``, 1-based positions, e.g. a page; scoring at least ``min_score``).
    ``Result.changed`` holds the proposal ids, ``Result.detail["codings"]`` how many codings were made."""
    return AcceptProposals(proposal_ids=tuple(_chosen(store, coder, ids, transcript, segments, min_score)),
                           coder=coder).write(store)


def reject(store, *, coder: str, ids: Sequence[int] | None = None, transcript: str | None = None,
           segments: Sequence[int] | None = None, max_score: float | None = None) -> Result:
    """Reject proposals in one undoable step: by ``ids``, or every open one of ``transcript`` (on
    ``segments``; scoring at most ``max_score``). A rejected proposal is never proposed again by its model."""
    chosen = _chosen(store, coder, ids, transcript, segments, None)
    if max_score is not None and ids is None:
        keep = {r["id"] for r in list_proposals(store, coder=coder, transcript=transcript) if r["score"] <= max_score}
        chosen = [i for i in chosen if i in keep]
        if not chosen:
            raise QcodeError(f"no open proposal for {coder} there scores at most {max_score}")
    return RejectProposals(proposal_ids=tuple(chosen), coder=coder).write(store)
