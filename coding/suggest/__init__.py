"""Code suggestions learned from the team's own coding: local, measured, only ever proposed.

The package *proposes*: it stores models and proposals, and only a coder's accept makes a coding.

* :mod:`coding.suggest.model` -- the estimators: :class:`~coding.suggest.model.CodeSuggester`
  (learned, scikit-learn style), :class:`~coding.suggest.model.CodebookSuggester` (cold start from
  the codebook's texts) and the keyword baseline.
* :mod:`coding.suggest.data` -- the training data read from a project (only done transcripts teach).
* :mod:`coding.suggest.evaluate` -- grouped cross-validation, baselines, learning curve and the
  model as a coder (Krippendorff's alpha next to the human--human alpha).
* :mod:`coding.suggest.run` -- a preview of proposals for one coder's transcript (writes nothing).
* :mod:`coding.suggest.train` -- train a model and keep it in the project; which models may propose to whom.
* :mod:`coding.suggest.proposals` -- write proposals, list them, accept (one undoable step) or reject them.

scikit-learn is imported by those modules, never by this one, so ``import coding`` and
``qcode --help`` stay fast.
"""
