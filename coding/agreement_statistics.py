"""The registry of agreement statistics: name -> function, label, chance-corrected?, two coders only?, source.

The CLI's ``--statistic`` choices and help, the agreement page's options and
:class:`coding.specs.AgreementSpec`'s validation all read this registry, so a
new statistic is one :func:`register_statistic` call (plus its tests; the tests
in ``tests/test_registries.py`` run every registered statistic through the same
invariants).

Each function takes a *units x coders* float table of one code's binary
values (1 applied, 0 not applied, NaN missing) and returns a float, NaN when
the statistic is undefined. The formulas live in :mod:`coding.agreement`; the
functions here import it when first called, so reading the registry (e.g. for
``qcode --help``) does not import NumPy.

>>> [s.name for s in statistics()]
['alpha', 'kappa', 'fleiss', 'percent', 'positive', 'ac1', 'bp']
>>> get_statistic("kappa").two_coders_only, get_statistic("percent").chance_corrected
(True, False)
>>> get_statistic("bp").function([[1, 1], [0, 0], [1, 0], [0, 0]])
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .errors import QcodeError

__all__ = ["ALL", "Statistic", "applicable", "get_statistic", "register_statistic", "statistic_names",
           "statistics"]

#: the word that asks for every statistic that applies to the number of coders
ALL = "all"
_BINARY = [0.0, 1.0]


@dataclass(frozen=True)
class Statistic:
    """One agreement statistic.

    ``function(table)``: a units x coders table (NaN = missing) -> float.
    ``per_code``: optional fast path taking a (codes x units x coders) int8
    array (-1 missing) and returning one value per code.
    """

    name: str
    label: str
    function: Callable
    chance_corrected: bool
    two_coders_only: bool
    source: str
    per_code: Callable | None = None


_REGISTRY: dict[str, Statistic] = {}


def register_statistic(statistic: Statistic) -> Statistic:
    """Add a statistic (or replace one of the same name); its name becomes a CLI choice and an app option."""
    if not statistic.name or statistic.name == ALL:
        raise QcodeError(f"a statistic cannot be named {statistic.name!r}")
    _REGISTRY[statistic.name] = statistic
    return statistic


def statistics() -> list[Statistic]:
    """Every registered statistic, in registry order."""
    return list(_REGISTRY.values())


def statistic_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_statistic(name: str) -> Statistic:
    """The statistic called ``name``; an unknown name raises :class:`QcodeError` listing the choices."""
    try:
        return _REGISTRY[str(name).strip().lower()]
    except KeyError:
        raise QcodeError(f"unknown statistic {name!r}; choose from {', '.join(_REGISTRY)} or {ALL}") from None


def applicable(n_coders: int) -> tuple[str, ...]:
    """The statistics defined for ``n_coders`` coders (what ``all`` means)."""
    return tuple(s.name for s in _REGISTRY.values() if not s.two_coders_only or n_coders == 2)


# ----------------------------------------------------------------- built-ins

def _formula(name: str, *args, **kwargs) -> Callable:
    """``table -> coding.agreement.<name>(table, *args, **kwargs)``, importing NumPy only when called."""
    def compute(table):
        from . import agreement

        return getattr(agreement, name)(table, *args, **kwargs)

    compute.__name__ = name
    return compute


_alpha = _formula("krippendorff_alpha", "nominal")
_alpha_per_code = _formula("alpha_per_column_binary")
_kappa = _formula("cohen_kappa")
_fleiss = _formula("fleiss_kappa")
_percent = _formula("percent_agreement")
_positive = _formula("positive_agreement")
_ac1 = _formula("gwet_ac1", categories=_BINARY)
_bp = _formula("brennan_prediger", categories=_BINARY)


for _s in (
    Statistic("alpha", "Krippendorff's alpha (nominal)", _alpha, True, False,
              "Krippendorff (2011), Computing Krippendorff's Alpha-Reliability", per_code=_alpha_per_code),
    Statistic("kappa", "Cohen's kappa", _kappa, True, True,
              "Cohen (1960), Educational and Psychological Measurement 20(1)"),
    Statistic("fleiss", "Fleiss' kappa", _fleiss, True, False,
              "Fleiss (1971), Psychological Bulletin 76(5); missing ratings as in Gwet (2014)"),
    Statistic("percent", "percent agreement", _percent, False, False,
              "Gwet (2014), Handbook of Inter-Rater Reliability, ch. 2"),
    Statistic("positive", "positive agreement", _positive, False, False,
              "Cicchetti & Feinstein (1990), J Clin Epidemiol 43(6): 2a/(2a+b+c); several coders: Uebersax (1982)"),
    Statistic("ac1", "Gwet's AC1", _ac1, True, False,
              "Gwet (2008), British Journal of Mathematical and Statistical Psychology 61"),
    Statistic("bp", "Brennan-Prediger kappa", _bp, True, False,
              "Brennan & Prediger (1981), Educational and Psychological Measurement 41"),
):
    register_statistic(_s)
del _s
