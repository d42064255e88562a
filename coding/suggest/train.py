"""Train a suggester and keep it in the project, so that every proposal can be traced to its model.

:func:`train` fits a model on a source's finished transcripts and stores it (``models`` table, see
:mod:`coding.store.suggestions`) with what it learned from, how much, its parameters, the time and
the qcode version. The source is

* a coder's name: that coder's codes on the transcripts they marked done;
* ``"consensus"``: the consensus coding; ``"all"``: every done coder pooled;
* ``"codebook"``: no coding at all, the codes' own texts (the cold start).

Only finished transcripts teach. A code with fewer than :data:`~coding.suggest.model.MIN_EXAMPLES`
(5) coded segments in the training data is not learned and never proposed. When nothing is finished
yet, or no code reaches 5 examples, the stored model is the codebook model (kind ``codebook``).

**Blind coding.** While blind coding is on, a coder's proposals may only come from a model trained
on the codebook or on that coder's own codings (:func:`applicable`): a model trained on ``all``,
``consensus`` or a colleague is stored, but never proposes to someone blind to those codings.

>>> info = train(store, "anna")
>>> info.kind, info.trained_from, info.coders, info.n_codes > 10
('model', 'anna', ('anna',), True)
>>> applicable(store, store.models()[0], "erik")   # the demo codes blind: erik may not learn from anna
False
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass

from .. import __version__
from ..errors import QcodeError
from ..roles import require
from .data import SOURCES

__all__ = ["CODEBOOK", "ModelInfo", "applicable", "load_model", "model_info", "models", "train"]

CODEBOOK = "codebook"  # the source of a model made from the codebook's texts alone
#: each TF-IDF vocabulary of a stored model keeps at most this many terms (the most frequent), which caps its size
MAX_FEATURES = 30_000


@dataclass(frozen=True)
class ModelInfo:
    """One stored model: its id, kind (``model`` or ``codebook``), source, the coders who taught it,
    training segments, codes it can propose, parameters, when and by whom, qcode version, size in bytes."""

    id: int
    kind: str
    trained_from: str
    coders: tuple[str, ...]
    n_segments: int
    n_codes: int
    params: dict
    created_at: str
    created_by: str | None
    qcode_version: str
    size: int


def model_info(row: dict) -> ModelInfo:
    """A :class:`ModelInfo` from a row of ``store.models()``."""
    return ModelInfo(**{**row, "coders": tuple(row["coders"])})


def models(store) -> list[ModelInfo]:
    """Every stored model, newest first.

    >>> models(store)
    []
    """
    return [model_info(r) for r in store.models()]


def applicable(store, model, coder: str) -> bool:
    """Whether ``model`` (a row of ``store.models()`` or a :class:`ModelInfo`) may propose codes to ``coder``:
    always without blind coding; with it, only a codebook model or one taught by ``coder`` alone."""
    from ..settings import blind_coding

    kind = model["kind"] if isinstance(model, dict) else model.kind
    coders = tuple(model["coders"] if isinstance(model, dict) else model.coders)
    if not blind_coding(store):
        return True
    return kind == CODEBOOK or coders == (coder,)


def _leaf_codes(store) -> list:
    rows = store.codes(include_inactive=False)
    parents = {r.parent_id for r in rows}
    return [r for r in rows if r.id not in parents]


def _learned(store, source: str, min_examples: int, max_features: int | None):
    """(fitted CodeSuggester, training data), or None when ``source`` has nothing (or too little) to teach."""
    from .data import training_data
    from .model import CodeSuggester

    try:
        data = training_data(store, source)
    except QcodeError:
        if source not in SOURCES and source not in store.coders():
            raise
        return None
    model = CodeSuggester(min_examples=min_examples, max_features=max_features).fit(data.texts, data.labels)
    return (model, data) if model.codes_ else None


def _slim(model) -> None:
    """Drop what a fitted model only keeps for inspection (``stop_words_``: every term cut by the limits)."""
    features = getattr(model, "features_", None)
    for _name, vectorizer in getattr(features, "transformer_list", ()):
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_


def train(store, from_: str = "all", *, actor: str | None = None, min_examples: int | None = None,
          max_features: int | None = MAX_FEATURES) -> ModelInfo:
    """Fit a suggester on ``from_`` (a coder's name, ``"all"``, ``"consensus"`` or ``"codebook"``) and store it.

    Falls back to the codebook model when ``from_`` has no finished transcript or no code with
    ``min_examples`` (default 5) coded segments. One transaction, audited as ``suggest.train``.
    ``max_features`` (default :data:`MAX_FEATURES`) caps each TF-IDF vocabulary (and so the stored size); refused above
    :data:`coding.store.suggestions.MAX_MODEL_BYTES`.
    """
    from ..store.suggestions import MAX_MODEL_BYTES
    from .model import MIN_EXAMPLES, CodebookSuggester

    require(store, actor, "code")
    min_examples = MIN_EXAMPLES if min_examples is None else int(min_examples)
    if min_examples < 1:
        raise QcodeError(f"--min-examples must be at least 1, not {min_examples}")
    learned = None if from_ == CODEBOOK else _learned(store, from_, min_examples, max_features)
    if learned is None:
        codes = _leaf_codes(store)
        if not codes:
            raise QcodeError("the codebook has no active codes: nothing to suggest")
        model, kind, coders, n_segments = CodebookSuggester(max_features=max_features).fit(codes), CODEBOOK, (), 0
        params = {"max_features": max_features, "learned_from_wanted": from_}
    else:
        model, data = learned
        _slim(model)
        kind, n_segments = "model", len(data.texts)
        if from_ == "all":
            coders = tuple(sorted(c for c, sets in data.by_coder.items() if any(s is not None for s in sets)))
        else:
            coders = (from_,)
        params = {"min_examples": min_examples, "max_features": max_features, "C": model.C,
                  "transcripts": len(set(data.groups))}
    blob = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    if len(blob) > MAX_MODEL_BYTES:
        raise QcodeError(f"the trained model takes {len(blob) / 2**20:.0f} MB, more than the "
                         f"{MAX_MODEL_BYTES // 2**20} MB a project keeps; train with --max-features 20000")
    with store.transaction():
        model_id = store.add_model(kind=kind, trained_from=CODEBOOK if kind == CODEBOOK else from_, coders=coders,
                                   n_segments=n_segments, n_codes=len(model.codes_), params=params, blob=blob,
                                   qcode_version=__version__, created_by=actor)
        store.audit("suggest.train", actor=actor, target=f"model {model_id}",
                    detail={"model_id": model_id, "kind": kind, "from": from_, "coders": list(coders),
                            "segments": n_segments, "codes": len(model.codes_), "bytes": len(blob)})
    return next(m for m in models(store) if m.id == model_id)


def load_model(store, model_id: int):
    """The fitted estimator of a stored model (unpickled: a project file is trusted by its owner)."""
    blob = store.model_blob(model_id)
    if blob is None:
        raise QcodeError(f"no suggestion model with id {model_id} in the project")
    return pickle.loads(blob)  # noqa: S301 - the project file is the owner's own (see coding.store.suggestions)
