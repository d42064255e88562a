"""The ``qcode`` command line: the library's functions, one command each.

Every command takes the project file first. Lists print as an aligned table,
or as CSV/JSON with ``--format``. Errors go to stderr with the file and line
concerned and exit with status 1 (2 for a wrong command line).

The group, its error handling and the shared option decorators live in
:mod:`coding.cli.base`; each topic module registers its commands on the group.
The analysis commands (``matrix``, ``agreement`` …) import pandas and numpy,
so their modules are loaded only when one of them runs (see ``LAZY_COMMANDS``).
"""

from __future__ import annotations

from . import backups, codebook, coders, codings, project, pseudonymise, search, transcripts  # noqa: F401  (they register their commands)
from . import media, memos, spans  # noqa: F401  (they register their commands)
from . import copy  # noqa: F401  (registers `qcode copy`)
from .base import FORMATS, LAZY_COMMANDS, _emit, _Group, _open, cli, format_option, project_argument

__all__ = ["FORMATS", "LAZY_COMMANDS", "_Group", "_emit", "_open", "cli", "format_option", "main",
           "project_argument"]


def main(argv=None):
    """Entry point of the ``qcode`` console script."""
    return cli.main(args=argv, prog_name="qcode")


if __name__ == "__main__":  # pragma: no cover
    main()
