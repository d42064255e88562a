"""How good are the suggestions? Measured on the project's own coding before anyone trusts them.

:func:`evaluate` runs a grouped cross-validation by transcript (``GroupKFold``: a transcript is
never in both the training and the test part of a fold) and reports, on the held-out segments,

* precision, recall and F1 per code, micro and macro, of the learned model
  (:class:`~coding.suggest.model.CodeSuggester`) and, in the same run, of two baselines: the keyword
  matcher built from code labels and scikit-learn's ``DummyClassifier(strategy="prior")``;
* a learning curve: micro-F1 against the number of training segments (a share of each fold's
  training transcripts);
* the model as a coder: Krippendorff's alpha (nominal, pooled over (segment, code) units, from
  :func:`coding.agreement.krippendorff_alpha`) between the model's held-out codes and each human
  coder, next to the human--human alpha on the same segments and codes.

The figures cover the *evaluated codes*: codes with at least ``min_examples`` positive segments
in the training data (the others are never suggested). The result is a plain dict.

>>> result = evaluate(store, "all", folds=2, learning_curve=())
>>> result["model"]["micro"]["f1"] > result["keyword"]["micro"]["f1"]
True
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from ..agreement import krippendorff_alpha
from ..errors import QcodeError
from .data import training_data
from .model import MIN_EXAMPLES, CodeSuggester, KeywordMatcher

__all__ = ["evaluate", "scores"]

LEARNING_CURVE = (0.25, 0.5)


def scores(truth: np.ndarray, predicted: np.ndarray, codes: Sequence[str]) -> dict:
    """Precision, recall and F1 per code, micro and macro, of binary matrices (segments x codes).

    >>> s = scores(np.array([[1, 0], [1, 1]]), np.array([[1, 0], [0, 1]]), ["a", "b"])
    >>> s["micro"]["f1"], s["per_code"]["a"]["recall"]
    (0.8, 0.5)
    """
    from sklearn.metrics import precision_recall_fscore_support

    truth, predicted = np.asarray(truth, dtype=int), np.asarray(predicted, dtype=int)
    p, r, f, support = precision_recall_fscore_support(truth, predicted, average=None, zero_division=0)
    out = {"per_code": {c: {"precision": float(p[j]), "recall": float(r[j]), "f1": float(f[j]),
                            "support": int(support[j]), "predicted": int(predicted[:, j].sum())}
                        for j, c in enumerate(codes)}}
    for average in ("micro", "macro"):
        p, r, f, _ = precision_recall_fscore_support(truth, predicted, average=average, zero_division=0)
        out[average] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    return out


def _binary(label_sets, codes: Sequence[str]) -> np.ndarray:
    index = {c: j for j, c in enumerate(codes)}
    out = np.zeros((len(label_sets), len(codes)), dtype=int)
    for i, labels in enumerate(label_sets):
        for c in labels:
            if c in index:
                out[i, index[c]] = 1
    return out


def _aligned(model: CodeSuggester, texts: list[str], codes: Sequence[str]) -> np.ndarray:
    """The model's probabilities in the column order of ``codes`` (0 for a code it did not learn)."""
    out = np.zeros((len(texts), len(codes)))
    if not texts:
        return out
    proba = model.predict_proba(texts)
    index = {c: j for j, c in enumerate(codes)}
    for k, c in enumerate(model.codes_):
        if c in index:
            out[:, index[c]] = proba[:, k]
    return out


def _alpha(columns: list[np.ndarray]) -> float:
    """Krippendorff's alpha (nominal) of binary coder columns (NaN = missing), units = (segment, code)."""
    table = np.column_stack([c.ravel() for c in columns]).astype(float)
    return float(krippendorff_alpha(table, "nominal"))


def _coder_matrix(sets, codes) -> np.ndarray:
    out = np.full((len(sets), len(codes)), np.nan)
    known = [i for i, s in enumerate(sets) if s is not None]
    if known:
        out[known] = _binary([sets[i] for i in known], codes)
    return out


def evaluate(store, source: str = "all", *, folds: int = 5, threshold: float = 0.5,
             min_examples: int = MIN_EXAMPLES, learning_curve: Sequence[float] = LEARNING_CURVE,
             random_state: int = 0) -> dict:
    """Cross-validate the suggester on ``source``'s coding (a coder, ``"all"`` or ``"consensus"``).

    Returns a dict: ``source``, ``segments``, ``transcripts``, ``codes`` (the evaluated ones),
    ``folds`` (each fold's training and test transcript ids), ``model`` / ``keyword`` / ``prior``
    (each from :func:`scores`), ``learning_curve`` (rows of ``segments``, ``f1``), ``alpha``
    (``model_vs`` per coder, ``human_human``) and ``train_seconds`` (one fit on all the data).
    """
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import GroupKFold

    if not 0 < threshold <= 1:
        raise QcodeError(f"--threshold must be between 0 and 1, not {threshold}")
    data = training_data(store, source)
    groups = np.asarray(data.groups)
    n_groups = len(set(data.groups))
    if folds < 2 or folds > n_groups:
        raise QcodeError(f"--folds must be between 2 and the number of finished transcripts ({n_groups}), "
                         f"not {folds}")
    started = time.perf_counter()
    full = CodeSuggester(min_examples=min_examples, random_state=random_state).fit(data.texts, data.labels)
    train_seconds = time.perf_counter() - started
    codes = list(full.codes_)
    if not codes:
        raise QcodeError(f"no code has {min_examples} coded segments yet in {source!r}'s finished "
                         "transcripts: nothing to evaluate (the codebook still gives cold-start suggestions)")
    truth = _binary(data.labels, codes)
    proba = np.zeros(truth.shape)
    prior = np.zeros(truth.shape, dtype=int)
    book = [c for c in store.codes() if c.id in set(codes)]
    keyword = _aligned(KeywordMatcher().fit(book), data.texts, codes) >= 0.5
    texts = np.asarray(data.texts, dtype=object)
    fold_rows, curve = [], {share: [] for share in learning_curve}
    rng = np.random.default_rng(random_state)
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        fold_rows.append({"train": sorted(set(groups[train].tolist())), "test": sorted(set(groups[test].tolist()))})
        labels = [data.labels[i] for i in train]
        model = CodeSuggester(min_examples=min_examples, random_state=random_state).fit(list(texts[train]), labels)
        proba[test] = _aligned(model, list(texts[test]), codes)
        dummy = DummyClassifier(strategy="prior").fit(np.zeros((len(train), 1)), truth[train])
        prior[test] = np.asarray(dummy.predict(np.zeros((len(test), 1)))).reshape(len(test), len(codes))
        train_groups = sorted(set(groups[train].tolist()))
        for share in learning_curve:
            k = max(1, round(share * len(train_groups)))
            chosen = set(rng.permutation(train_groups)[:k].tolist())
            part = [i for i in train if groups[i] in chosen]
            small = CodeSuggester(min_examples=min_examples, random_state=random_state).fit(
                list(texts[part]), [data.labels[i] for i in part])
            predicted = _aligned(small, list(texts[test]), codes) >= threshold
            curve[share].append((len(part), truth[test], predicted))
    predicted = (proba >= threshold).astype(int)
    result = {
        "source": source, "segments": len(data.texts), "transcripts": n_groups, "codes": codes,
        "threshold": threshold, "min_examples": min_examples, "folds": fold_rows,
        "model": scores(truth, predicted, codes), "keyword": scores(truth, keyword.astype(int), codes),
        "prior": scores(truth, prior, codes), "train_seconds": round(train_seconds, 3),
    }
    rows = []
    for share in learning_curve:
        parts = curve[share]
        t = np.vstack([p[1] for p in parts])
        pr = np.vstack([p[2] for p in parts]).astype(int)
        rows.append({"segments": int(round(np.mean([p[0] for p in parts]))),
                     "f1": scores(t, pr, codes)["micro"]["f1"]})
    rows.append({"segments": int(round(np.mean([len(f) for f in _train_sizes(groups, fold_rows)]))),
                 "f1": result["model"]["micro"]["f1"]})
    result["learning_curve"] = rows
    humans = {c: _coder_matrix(sets, codes) for c, sets in data.by_coder.items()
              if any(s is not None for s in sets)}
    model_col = predicted.astype(float)
    result["alpha"] = {
        "model_vs": {c: _alpha([model_col, m]) for c, m in humans.items()},
        "human_human": _alpha(list(humans.values())) if len(humans) >= 2 else None,
    }
    return result


def _train_sizes(groups: np.ndarray, fold_rows: list[dict]) -> list[np.ndarray]:
    return [np.flatnonzero(np.isin(groups, f["train"])) for f in fold_rows]
