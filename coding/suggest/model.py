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
  (one-vs-rest, ``class_weight="balanced"``), multi-label. A code with fewer than
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
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import MultiLabelBinarizer

from ..textsearch import fold

__all__ = ["MIN_EXAMPLES", "CodeSuggester", "CodebookSuggester", "KeywordMatcher", "code_document", "features"]

#: codes with fewer positive training segments than this are not learned (nor suggested)
MIN_EXAMPLES = 5
_WORD = r"(?u)\b\w\w+\b"
_LETTERS = re.compile(r"[^\W\d_]+")


def one_thread():
    """Run BLAS and OpenMP single-threaded: liblinear's many small fits slow down several-fold when
    OpenBLAS threads contend for the cores (18 s instead of 3 s on the demo on a busy 2-core machine)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def features(max_features: int | None = None) -> FeatureUnion:
    """The text features: folded word 1-2-grams and char_wb 3-5-grams, TF-IDF weighted.

    >>> features().fit_transform(["Samverkan fungerar", "samverkan FUNGERAR inte"]).shape[0]
    2
    """
    return FeatureUnion([
        ("words", TfidfVectorizer(preprocessor=fold, token_pattern=_WORD, ngram_range=(1, 2),
                                  sublinear_tf=True, max_features=max_features)),
        ("chars", TfidfVectorizer(preprocessor=fold, analyzer="char_wb", ngram_range=(3, 5),
                                  sublinear_tf=True, min_df=2, max_features=max_features)),
    ])


class CodeSuggester(BaseEstimator):
    """A multi-label code suggester learned from coded segments (see the module docstring).

    ``fit(texts, label_sets)`` takes one set of code ids per text (empty: no code).
    ``predict_proba(texts)`` returns an array (texts x ``codes_``) of probabilities.
    """

    source = "model"

    def __init__(self, min_examples: int = MIN_EXAMPLES, C: float = 1.0, max_features: int | None = None,
                 random_state: int | None = 0):
        self.min_examples = min_examples
        self.C = C
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, texts: Sequence[str], label_sets: Sequence[Iterable[str]]) -> "CodeSuggester":
        with one_thread():
            return self._fit(texts, label_sets)

    def _fit(self, texts: Sequence[str], label_sets: Sequence[Iterable[str]]) -> "CodeSuggester":
        counts = Counter(c for labels in label_sets for c in set(labels))
        self.codes_ = sorted(c for c, n in counts.items() if n >= self.min_examples)
        self.n_segments_ = len(texts)
        self.features_ = features(self.max_features)
        X = self.features_.fit_transform(list(texts))
        if not self.codes_:
            self.classifier_ = None
            return self
        self.binarizer_ = MultiLabelBinarizer(classes=self.codes_)
        keep = set(self.codes_)
        Y = self.binarizer_.fit_transform([[c for c in labels if c in keep] for labels in label_sets])
        base = LogisticRegression(class_weight="balanced", C=self.C, solver="liblinear",
                                  random_state=self.random_state)
        self.classifier_ = OneVsRestClassifier(base).fit(X, Y)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if self.classifier_ is None:
            return np.zeros((len(texts), 0))
        with one_thread():
            proba = np.asarray(self.classifier_.predict_proba(self.features_.transform(list(texts))))
        if len(self.codes_) == 1 and proba.shape[1] == 2:  # one code: scikit-learn answers as binary
            proba = proba[:, 1:]
        return proba

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
