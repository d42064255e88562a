"""Agreement, the disagreement review and the consensus coding, under their old common name.

The code lives in three modules by concern: :mod:`coding.agreement_design`
(what the statistics are computed on, and the tables), :mod:`coding.disagreements`
(the review) and :mod:`coding.consensus` (the team's decisions). This module
re-exports them so that ``from coding.project_agreement import agreement``
keeps working.

>>> table = agreement(store, ["anna", "erik"])
>>> table[table.code == POOLED][["statistic", "value", "units", "codes"]].round(3)
    statistic  value   units  codes
107     alpha  0.935  131700     75
"""

from __future__ import annotations

from .agreement_design import (  # noqa: F401
    AGREEMENT_UNITS,
    CASE_ATTRIBUTES,
    CODE_LEVELS,
    COLUMNS,
    MEAN,
    NO_VALUE,
    POOLED,
    PROJECT_SCOPE,
    STATISTIC_LABELS,
    STATISTICS,
    AgreementSpec,
    agreement,
    agreement_by_code,
    case_agreement,
    case_attribute,
    check_coders,
)
from .consensus import (  # noqa: F401
    CONSENSUS_CSV_COLUMNS,
    accept,
    consensus_from_agreement,
    decide,
    decisions,
    import_consensus,
    read_consensus_csv,
)
from .disagreements import disagreements  # noqa: F401
from .unitizing_agreement import unitizing_agreement, unitizing_table  # noqa: F401

__all__ = [
    "AGREEMENT_UNITS", "CASE_ATTRIBUTES", "CODE_LEVELS", "COLUMNS", "CONSENSUS_CSV_COLUMNS", "MEAN", "NO_VALUE",
    "POOLED", "PROJECT_SCOPE", "STATISTICS", "STATISTIC_LABELS", "AgreementSpec", "accept", "agreement",
    "agreement_by_code", "case_agreement", "case_attribute", "check_coders", "consensus_from_agreement", "decide",
    "decisions", "disagreements", "import_consensus", "read_consensus_csv",
    "unitizing_agreement", "unitizing_table",
]
