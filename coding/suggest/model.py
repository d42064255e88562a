"""The suggester's estimators, in scikit-learn style (``fit`` / ``predict_proba`` / ``get_params``).

Features
--------
Segment text is lower-cased and accent-folded with :func:`coding.textsearch.fold` (so OCR text
without å/ä/ö matches), then turned into TF-IDF weights of

* word uni- and bigrams over a regex tokenizer (runs of letters and digits; spaCy's tokenizer is
  not used: a regex gives the same words for interview prose and keeps training fast), and
* character n-grams of 3 to 5 letters inside word boundaries (``char_wb``), which catch inflected
  Swedish forms (``samverkan``/``samverkade``) without a lemmatizer.

Estimators
----------
* :class:`CodeSuggester` -- learned from codings: one logistic regression per code
  (one-vs-rest, ``class_weight="balanced"``), multi-label; on large data (above 10,000 or 20,000
  segments) it samples and uses word stems to stay fast (see the class). A code with fewer than
  ``min_examples`` (default :data:`MIN_EXAMPLES` = 5) positive segments in the training data is
  not learned and never suggested.
* :class:`CodebookSuggester` -- the cold start: the TF-IDF cosine similarity between a segment and
  each code's label, definition, include rule and example (Swedish and English), so suggestions
  exist before anyone has coded. Its scores are similarities, not probabilities.
* :class:`KeywordMatcher` -- the baseline: a code is predicted when a folded word of at least five
  letters from its label occurs in the segment.

>>> texts = ["vi samverkar med kommunen", "ingen samverkan alls", "budget och pengar",
...          "pengar saknas", "samverkan fungerar", "pengarna tog slut"] * 2
>>> labels = [{"samv"}, {"samv"}, {"ekon"}, {"ekon"}, {"samv"}, {"ekon"}] * 2
>>> model = CodeSuggester(min_examples=5).fit(texts, labels)
>>> model.codes_
['ekon', 'samv']
>>> [model.codes_[i] for i in model.predict_proba(["samverkan med skolan"]).argmax(axis=1)]
['samv']
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from ..textsearch import fold

__all__ = ["MIN_EXAMPLES", "CodeSuggester", "CodebookSuggester", "KeywordMatcher", "code_document", "features"]

#: codes with fewer positive training segments than this are not learned (nor suggested)
MIN_EXAMPLES = 5
#: above this many training segments, each code's regression samples the segments without it (see CodeSuggester)
MAX_ROWS = 10_000
#: above this many training segments, word stems replace the char n-grams (see CodeSuggester)
CHAR_LIMIT = 20_000
_STEM_WORDS = re.compile(r"[^\W\d_]{6,}")
_WORD = r"(?u)\b\w\w+\b"
_LETTERS = re.compile(r"[^\W\d_]+")


def one_thread():
    """Run BLAS and OpenMP single-threaded: liblinear's many small fits slow down several-fold when
    OpenBLAS threads contend for the cores (18 s instead of 3 s on the demo on a busy 2-core machine)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def stems(doc: str) -> list[str]:
    """The first five letters of each folded word of six or more letters: a cheap stand-in for char n-grams
    (``samverkan``, ``samverkade`` -> ``samve~``), used when the training data is large.

    >>> stems("Samverkan och SAMVERKADE")
    ['samve~', 'samve~']
    """
    return [w[:5] + "~" for w in _STEM_WORDS.findall(fold(doc))]


def features(max_features: int | None = None, chars: bool = True) -> FeatureUnion:
    """The text features: folded word 1-2-grams and char_wb 3-5-grams (``chars=False``: 5-letter stems,
    see :func:`stems`), TF-IDF weighted.

    >>> features().fit_transform(["Samverkan fungerar", "samverkan FUNGERAR inte"]).shape[0]
    2
    """
    words = TfidfVectorizer(preprocessor=fold, token_pattern=_WORD, ngram_range=(1, 2), sublinear_tf=True,
                            max_features=max_features)
    if chars:
        return FeatureUnion([("words", words), (
            "chars", TfidfVectorizer(preprocessor=fold, analyzer="char_wb", ngram_range=(3, 5),
                                     sublinear_tf=True, min_df=2, max_features=max_features))])
    return FeatureUnion([("words", words), (
        "stems", TfidfVectorizer(analyzer=stems, sublinear_tf=True, min_df=2, max_features=max_features))])


class CodeSuggester(BaseEstimator):
    """A multi-label code suggester learned from coded segments (see the module docstring).

    ``fit(texts, label_sets)`` takes one set of code ids per text (empty: no code).
    ``predict_proba(texts)`` returns an array (texts x ``codes_``) of probabilities.

    For large training data: above ``char_limit`` segments the char n-grams give way to word stems
    (:func:`stems`; the char analyzer is the slowest part of a fit), and above ``max_rows`` segments each
    code's logistic regression sees all its positive segments and a random sample of the others up to
    ``max_rows`` rows (the balanced class weights keep the decision the same in expectation). Below both
    limits -- every project of interviews so far -- the model is the full one.
    """

    source = "model"

    def __init__(self, min_examples: int = MIN_EXAMPLES, C: float = 1.0, max_features: int | None = None,
                 random_state: int | None = 0, max_rows: int | None = MAX_ROWS, char_limit: int = CHAR_LIMIT):
        self.min_examples = min_examples
        self.C = C
        self.max_features = max_features
        self.random_state = random_state
        self.max_rows = max_rows
        self.char_limit = char_limit

    def fit(self, texts: Sequence[str], label_sets: Sequence[Iterable[str]]) -> "CodeSuggester":
        with one_thread():
            return self._fit(texts, label_sets)

    def _fit(self, texts: Sequence[str], label_sets: Sequence[Iterable[str]]) -> "CodeSuggester":
        counts = Counter(c for labels in label_sets for c in set(labels))
        self.codes_ = sorted(c for c, n in counts.items() if n >= self.min_examples)
        self.n_segments_ = n = len(texts)
        self.features_ = features(self.max_features, chars=n <= self.char_limit)
        X = self.features_.fit_transform(list(texts)).tocsr()
        self.coef_ = self.intercept_ = None
        if not self.codes_:
            return self
        index = {c: j for j, c in enumerate(self.codes_)}
        Y = np.zeros((n, len(self.codes_)), dtype=bool)
        for i, labels in enumerate(label_sets):
            for c in labels:
                if c in index:
                    Y[i, index[c]] = True
        rng = np.random.default_rng(self.random_state)
        coef = np.zeros((X.shape[1], len(self.codes_)))
        intercept = np.zeros(len(self.codes_))
        for j in range(len(self.codes_)):
            y = Y[:, j]
            Xj = X
            if self.max_rows and n > self.max_rows:
                pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
                k = min(len(neg), max(self.max_rows - len(pos), len(pos)))
                rows = np.sort(np.concatenate([pos, rng.choice(neg, k, replace=False)]))
                Xj, y = X[rows], y[rows]
            if y.all() or not y.any():  # one class only: a constant answer
                intercept[j] = 30.0 if y.all() else -30.0
                continue
            model = LogisticRegression(class_weight="balanced", C=self.C, solver="liblinear",
                                       random_state=self.random_state).fit(Xj, y)
            coef[:, j], intercept[j] = model.coef_[0], model.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self.coef_ is None:
            return np.zeros((len(texts), 0))
        from scipy.special import expit

        with one_thread():
            X = self.features_.transform(list(texts))
            return expit(np.asarray(X @ self.coef_) + self.intercept_)

    def predict(self, texts: Sequence[str], threshold: float = 0.5) -> list[set[str]]:
        """The code sets whose probability reaches ``threshold``."""
        return _sets(self.predict_proba(texts), self.codes_, threshold)


def code_document(code) -> str:
    """The text a code is recognised by: its labels, definitions, include rules and examples (sv and en)."""
    parts = [code.label_sv, code.label_en]
    for name in ("definition", "include", "example"):
        for lang in ("sv", "en"):
            parts.append(code.text(name, lang))
    return " ".join(dict.fromkeys(p for p in parts if p))


class CodebookSuggester(BaseEstimator):
    """Cold-start suggestions: cosine similarity between a segment and each code's texts.

    ``fit(codes)`` takes codebook codes (``coding.codebook.Code`` or ``coding.store.CodeRow``);
    ``predict_proba(texts)`` returns similarities in [0, 1] (texts x ``codes_``).
    """

    source = "codebook"

    def __init__(self, max_features: int | None = None):
        self.max_features = max_features

    def fit(self, codes: Sequence, label_sets=None) -> "CodebookSuggester":
        self.codes_ = [c.id for c in codes]
        self.documents_ = [code_document(c) for c in codes]
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not self.codes_:
            return np.zeros((len(texts), 0))
        vec = features(self.max_features)
        # idf from the codebook and the segments together: words every segment has weigh little
        vec.fit(self.documents_ + list(texts))
        codes = _normalise(vec.transform(self.documents_))
        segs = _normalise(vec.transform(list(texts)))
        return np.asarray((segs @ codes.T).todense())

    def predict(self, texts: Sequence[str], threshold: float = 0.2) -> list[set[str]]:
        return _sets(self.predict_proba(texts), self.codes_, threshold)


class KeywordMatcher(BaseEstimator):
    """Baseline: a code is predicted when a folded word of ≥ ``min_letters`` letters of its label occurs.

    >>> from coding.codebook import Code
    >>> m = KeywordMatcher().fit([Code(id="s", label_sv="Samverkan")])
    >>> m.predict(["God SAMVERKAN här", "ingenting"])
    [{'s'}, set()]
    """

    source = "keyword"

    def __init__(self, min_letters: int = 5):
        self.min_letters = min_letters

    def fit(self, codes: Sequence, label_sets=None) -> "KeywordMatcher":
        self.codes_ = [c.id for c in codes]
        self.words_ = [{w for w in _LETTERS.findall(fold(f"{c.label_sv} {c.label_en}"))
                        if len(w) >= self.min_letters} for c in codes]
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.codes_)))
        for i, text in enumerate(texts):
            words = set(_LETTERS.findall(fold(text)))
            for j, keys in enumerate(self.words_):
                if keys & words:
                    out[i, j] = 1.0
        return out

    def predict(self, texts: Sequence[str], threshold: float = 0.5) -> list[set[str]]:
        return _sets(self.predict_proba(texts), self.codes_, threshold)


def _normalise(matrix):
    from sklearn.preprocessing import normalize

    return normalize(matrix)


def _sets(proba: np.ndarray, codes: Sequence[str], threshold: float) -> list[set[str]]:
    return [{codes[j] for j in np.flatnonzero(row >= threshold)} for row in proba]
