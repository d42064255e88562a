"""One way for the app to change a project: open it, run the library, turn errors into messages.

Every callback that writes goes through :func:`act`. A library error
(:class:`coding.QcodeError`: bad input, an unknown code, a refused edit) and a
database that stays busy beyond its timeout become a message in the page's
language, never a Streamlit traceback; the project file is left as the library
left it (each library write is one transaction).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable, TypeVar

from coding import Project, QcodeError

from . import state
from .i18n import t
from .text import md_escape

T = TypeVar("T")
Report = Callable[[str, str], None]  # (kind, Markdown message): "error", "warning", "info", "toast", "success"


def act(path: str | Path, work: Callable[[Project], T], report: Report) -> T | None:
    """Run ``work(project)`` on the project at ``path``; on failure ``report`` a message and return None."""
    try:
        with state.open_project(path) as project:
            return work(project)
    except QcodeError as exc:
        report("error", md_escape(str(exc)).replace("\\\n", "\n"))
    except sqlite3.OperationalError as exc:  # "database is locked" after the busy timeout, a read-only file …
        report("error", t("app.db_error", error=md_escape(str(exc))))
    return None
