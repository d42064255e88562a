"""The specs of the analyses: every option of a matrix or an agreement table, with its default, in one place.

A spec is a frozen (hashable, comparable) dataclass. The CLI builds one from
its options, the app from its widgets, and a researcher in Python passes one
(or the keyword arguments of :func:`coding.matrix.build_matrix` /
:func:`coding.project_agreement.agreement`, which build one). Equal choices
give equal specs, whoever made them.

Input is normalised and checked once, when the spec is made (lists become
tuples, ``"anna,erik"`` becomes ``("anna", "erik")``, an unknown measure or
statistic raises :class:`~coding.errors.QcodeError`); what needs the project
(do these coders exist?) is checked by ``validated(store)``.

The rules live here too: **"all coders" means every coder except**
``consensus``: the consensus coding is a coding of its own, counted only when
asked for by name.

>>> spec = MatrixSpec(measure="presence", coders="anna", where=["roll=Chef"])
>>> spec.coders, spec.where, spec.level
(('anna',), (('roll', ('Chef',)),), 'code')
>>> spec == MatrixSpec(measure="presence", coders=["anna"], where={"roll": "Chef"})
True
>>> MatrixSpec().coders_for(store) is None  # the demo has no consensus coding: simply every coder
True
>>> store.ensure_coders(["consensus"])     # once it has one, "all coders" leaves it out
>>> MatrixSpec().coders_for(store), MatrixSpec(coders="consensus").coders_for(store)
(['anna', 'erik'], ['consensus'])
>>> AgreementSpec(coders="anna,erik", statistics="all").statistics
('alpha', 'kappa', 'fleiss', 'percent', 'positive', 'ac1', 'bp')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Iterable

from . import agreement_statistics as registry
from .codings import CONSENSUS
from .errors import QcodeError
from .segmentation import LANGUAGES

__all__ = ["AGREEMENT_UNITS", "CASE_ATTRIBUTES", "CODE_LEVELS", "LANGUAGES", "MEASURES", "AgreementSpec",
           "MatrixSpec", "check_coders", "human_coders"]

#: what each cell of a matrix counts (see :mod:`coding.matrix`)
MEASURES: tuple[str, ...] = ("count", "presence", "transcripts", "share")
#: the columns of a matrix, the rows of an agreement table: each code, or the categories above them
#: (a matrix also takes a depth: 0 = top level)
CODE_LEVELS: tuple[str, ...] = ("code", "category")
#: what agreement is computed on: segments, or cases (the values of a case attribute)
AGREEMENT_UNITS: tuple[str, ...] = ("segment", "case")
#: attributes whose values are the cases by default
CASE_ATTRIBUTES: tuple[str, ...] = ("kommun", "municipality")
#: ``by`` values meaning "one scope: the whole project"
_PROJECT_SCOPES = ("", "code", "project", "all")


def _names(value) -> tuple[str, ...]:
    """``"a, b"`` or ``["a", "b,c"]`` -> ``("a", "b", "c")`` (empty parts dropped, order kept)."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(p.strip() for item in items if item is not None for p in str(item).split(",") if p.strip())


def _where(value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Attribute filters as a sorted tuple: from ``{"roll": "Chef"}``, ``{"roll": [...]}``,
    ``["roll=Chef", "fas=inledande"]`` or the tuple form itself."""
    if not value:
        return ()
    out: dict[str, set[str]] = {}
    if isinstance(value, dict):
        pairs = [(k, v) for k, v in value.items()]
    elif isinstance(value, str):
        pairs = [value]
    else:
        pairs = list(value)
    for pair in pairs:
        if isinstance(pair, str):
            name, sep, val = pair.partition("=")
            if not sep or not name.strip():
                raise QcodeError(f"filter {pair!r} is not of the form ATTRIBUTE=VALUE")
            out.setdefault(name.strip(), set()).add(val.strip())
            continue
        name, vals = pair
        vals = [vals] if isinstance(vals, str) else list(vals)
        if vals:
            out.setdefault(str(name).strip(), set()).update(str(v) for v in vals)
    return tuple(sorted((k, tuple(sorted(v))) for k, v in out.items() if v))


def _level(value, *, depth: bool):
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or (not isinstance(value, int) and value not in CODE_LEVELS):
        extra = " or a depth (0, 1, …)" if depth else ""
        raise QcodeError(f"unknown level {value!r}; use {', '.join(CODE_LEVELS)}{extra}")
    if isinstance(value, int):
        if not depth:
            raise QcodeError(f"level must be one of {', '.join(CODE_LEVELS)}; got {value!r}")
        if value < 0:
            raise QcodeError(f"a depth is 0 or more; got {value}")
    return value


def human_coders(store) -> list[str]:
    """Every coder of the project except ``consensus``: what "all coders" means."""
    return [c for c in store.coders() if c != CONSENSUS]


def check_coders(store, coders: str | Iterable[str], *, minimum: int = 2) -> list[str]:
    """The coders as a list (``"anna,erik"`` or ``["anna", "erik"]``), checked against the project.

    >>> check_coders(store, "anna, erik")
    ['anna', 'erik']
    """
    names = list(_names(coders))
    dupes = sorted({c for i, c in enumerate(names) if c in names[:i]})
    if dupes:
        raise QcodeError(f"coder(s) given twice: {', '.join(dupes)}")
    if len(names) < minimum:
        raise QcodeError(f"agreement needs at least {minimum} coders (e.g. --coders anna,erik); "
                         f"got {len(names)}: {', '.join(names) or 'none'}")
    _check_known(store, names)
    return names


def _check_known(store, coders: Iterable[str]) -> None:
    known = store.coders()
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise QcodeError(f"no coder named {', '.join(repr(u) for u in unknown)} in the project "
                         f"(coders: {', '.join(known) or 'none'})")


class _Spec:
    """What both specs share: ``get_params``, ``replace`` and setting normalised fields."""

    def _set(self, name: str, value) -> None:
        object.__setattr__(self, name, value)

    def get_params(self) -> dict:
        """Every option and its value (the defaults are the field defaults: one place)."""
        return asdict(self)  # type: ignore[arg-type]

    @classmethod
    def defaults(cls) -> dict:
        """Every option with its default value."""
        return {f.name: f.default for f in fields(cls)}  # type: ignore[arg-type]

    def replace(self, **changes):
        """A copy with some options changed (checked like a new spec)."""
        return replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class MatrixSpec(_Spec):
    """Every option of a rows × codes matrix (see :mod:`coding.matrix`).

    ``rows``: a transcript attribute, ``"transcript"`` or ``"speaker"``
    (None: ``kommun``/``municipality`` if the transcripts have one, else
    ``transcript``). ``measure``: one of :data:`MEASURES`. ``coders``: whose
    codings count (None: every coder except ``consensus``; name
    ``consensus`` to count the consensus coding). ``level``: ``code``,
    ``category`` or a depth. ``where``: attribute filters. ``under``: only
    codes below these categories. ``language`` and ``margins``: how it is
    written out.
    """

    rows: str | None = None
    measure: str = "count"
    coders: tuple[str, ...] | None = None
    level: str | int = "code"
    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    under: tuple[str, ...] = ()
    language: str = "sv"
    margins: bool = False

    def __post_init__(self) -> None:
        self._set("rows", (str(self.rows).strip() or None) if self.rows is not None else None)
        if self.measure not in MEASURES:
            raise QcodeError(f"unknown measure {self.measure!r}; choose one of {', '.join(MEASURES)}")
        self._set("coders", _names(self.coders) or None)
        self._set("level", _level(self.level, depth=True))
        self._set("where", _where(self.where))
        self._set("under", _names(self.under))
        if self.language not in LANGUAGES:
            raise QcodeError(f"unknown language {self.language!r}; choose one of {', '.join(LANGUAGES)}")
        self._set("margins", bool(self.margins))

    def coders_for(self, store) -> list[str] | None:
        """The coders whose codings count, checked against the project.

        The chosen coders; with none chosen, every coder except ``consensus``
        (None when there is no consensus coding, i.e. simply everyone; an
        empty list when only ``consensus`` has coded).
        """
        if self.coders:
            _check_known(store, self.coders)
            return list(self.coders)
        everyone = store.coders()
        if CONSENSUS not in everyone:
            return None
        return [c for c in everyone if c != CONSENSUS]

    def rows_for(self, store) -> str:
        """``rows``, or the default rows of this project."""
        if self.rows:
            return self.rows
        names = store.attribute_names()
        return next((n for n in CASE_ATTRIBUTES if n in names), "transcript")

    def validated(self, store) -> "MatrixSpec":
        """The spec with ``rows`` filled in, after checking the coders exist in the project."""
        self.coders_for(store)
        return self.replace(rows=self.rows_for(store))

    def where_dict(self) -> dict[str, set[str]]:
        return {k: set(v) for k, v in self.where}

    def file_stem(self) -> str:
        return f"matrix-{self.rows or 'rows'}-{self.measure}"


@dataclass(frozen=True)
class AgreementSpec(_Spec):
    """Every option of an agreement table (see :mod:`coding.project_agreement`).

    ``coders``: two or more, in the order of the table's columns.
    ``statistics``: names from :mod:`coding.agreement_statistics` or
    ``"all"`` (every statistic defined for this many coders; Cohen's kappa
    only for two). ``by``: None (the whole project), ``"transcript"`` or an
    attribute. ``level``: ``code`` or ``category``. ``codes``: only these
    codes (rolled up at ``level``). ``unit``: ``segment`` or ``case``;
    ``case_attribute`` names the cases (None: ``kommun``, else
    ``municipality``; ignored for segments). ``require_all_done``: a case
    counts for a coder only when the coder has finished all its transcripts.
    ``ci``, ``n_boot``, ``seed``, ``ci_level``: a bootstrap interval for
    alpha. ``overall``: add the pooled and mean rows.
    """

    coders: tuple[str, ...] = ()
    statistics: tuple[str, ...] = ("alpha",)
    by: str | None = None
    level: str = "code"
    codes: tuple[str, ...] | None = None
    unit: str = "segment"
    case_attribute: str | None = None
    require_all_done: bool = True
    ci: bool = False
    n_boot: int = 1000
    seed: int = 0
    ci_level: float = 0.95
    overall: bool = True

    def __post_init__(self) -> None:
        coders = _names(self.coders)
        dupes = sorted({c for i, c in enumerate(coders) if c in coders[:i]})
        if dupes:
            raise QcodeError(f"coder(s) given twice: {', '.join(dupes)}")
        if len(coders) < 2:
            raise QcodeError(f"agreement needs at least 2 coders (e.g. --coders anna,erik); "
                             f"got {len(coders)}: {', '.join(coders) or 'none'}")
        self._set("coders", coders)
        wanted: list[str] = []
        for name in _names(self.statistics) or ("alpha",):
            name = name.lower()
            if name == registry.ALL:
                wanted.extend(registry.applicable(len(coders)))
                continue
            stat = registry.get_statistic(name)
            if stat.two_coders_only and len(coders) != 2:
                raise QcodeError(f"{stat.label} is defined for exactly 2 coders (got {len(coders)}); use "
                                 f"{', '.join(registry.applicable(len(coders))[:3])} for more coders")
            wanted.append(stat.name)
        self._set("statistics", tuple(dict.fromkeys(wanted)))
        by = None if self.by is None else str(self.by).strip()
        self._set("by", None if by is None or by in _PROJECT_SCOPES else by)
        if self.level not in CODE_LEVELS:
            raise QcodeError(f"level must be one of {', '.join(CODE_LEVELS)}; got {self.level!r}")
        self._set("codes", None if self.codes is None else _names(self.codes))
        if self.unit not in AGREEMENT_UNITS:
            raise QcodeError(f"unit must be one of {', '.join(AGREEMENT_UNITS)}; got {self.unit!r}")
        if self.unit != "case":
            self._set("case_attribute", None)
        elif self.case_attribute is not None:
            self._set("case_attribute", str(self.case_attribute).strip() or None)
        self._set("require_all_done", bool(self.require_all_done))
        self._set("ci", bool(self.ci))
        if int(self.n_boot) < 1:
            raise QcodeError(f"n_boot (bootstrap replicates) must be at least 1; got {self.n_boot}")
        self._set("n_boot", int(self.n_boot))
        self._set("seed", int(self.seed))
        if not 0 < float(self.ci_level) < 1:
            raise QcodeError(f"ci_level must lie between 0 and 1; got {self.ci_level}")
        self._set("ci_level", float(self.ci_level))
        self._set("overall", bool(self.overall))

    def case_attribute_for(self, store) -> str | None:
        """The attribute whose values are the cases (None for segments), checked against the project."""
        if self.unit != "case":
            return None
        names = store.attribute_names()
        if self.case_attribute:
            if self.case_attribute not in names:
                raise QcodeError(f"no transcript has the attribute {self.case_attribute!r} "
                                 f"(attributes: {', '.join(names) or 'none'})")
            return self.case_attribute
        for name in CASE_ATTRIBUTES:
            if name in names:
                return name
        raise QcodeError("no case attribute: give one (e.g. --case-attribute region); the transcripts have "
                         f"{', '.join(names) or 'no attributes'}")

    def validated(self, store) -> "AgreementSpec":
        """The spec with the case attribute filled in, after checking the coders exist in the project."""
        _check_known(store, self.coders)
        return self.replace(case_attribute=self.case_attribute_for(store))
