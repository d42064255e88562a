"""qcode: a toolkit for coding qualitative interviews (library; no Streamlit here).

``from coding import Project`` is the entry point. Names are loaded on first use
(PEP 562), so ``import coding`` alone, and with it ``qcode --help``, stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import QcodeError
    from .project import Project

__all__ = ["Project", "QcodeError", "__version__"]


def __getattr__(name: str):
    if name == "Project":
        from .project import Project

        return Project
    if name == "QcodeError":
        from .errors import QcodeError

        return QcodeError
    raise AttributeError(f"module 'coding' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
