"""Code suggestions learned from the team's own coding: local, measured, never applied.

The package only *proposes*; nothing in it writes to a project.

* :mod:`coding.suggest.model` -- the estimators: :class:`~coding.suggest.model.CodeSuggester`
  (learned, scikit-learn style), :class:`~coding.suggest.model.CodebookSuggester` (cold start from
  the codebook's texts) and the keyword baseline.
* :mod:`coding.suggest.data` -- the training data read from a project (only done transcripts teach).
* :mod:`coding.suggest.evaluate` -- grouped cross-validation, baselines, learning curve and the
  model as a coder (Krippendorff's alpha next to the human--human alpha).
* :mod:`coding.suggest.run` -- proposals for one coder's transcript.

scikit-learn is imported by those modules, never by this one, so ``import coding`` and
``qcode --help`` stay fast.
"""
