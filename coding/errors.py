"""Errors that the library raises for bad input.

Every error names the file (when there is one), the line (when known) and the
problem, so the CLI can print it to stderr and exit non-zero without a
traceback, and the app can show it as a message.
"""

from __future__ import annotations


class QcodeError(Exception):
    """Base class of every error the library reports to a researcher.

    >>> print(QcodeError("unknown parent 'x'", path="book.yaml", line=12))
    book.yaml:12: unknown parent 'x'
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        return where + self.message


class ImportProblem(QcodeError):
    """A transcript or attribute file that cannot be imported."""


class CodebookProblem(QcodeError):
    """A codebook file that is malformed (duplicate ids, unknown parents, cycles ...)."""


class CodingsProblem(QcodeError):
    """A codings file that refers to unknown transcripts, segments or codes.

    ``problems`` lists every problem found (each a string with its row number).
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 problems: list[str] | None = None):
        self.problems = list(problems or [])
        super().__init__(message, path=path, line=line)


class ProjectProblem(QcodeError):
    """A project file that is missing, not a qcode project, or newer than this version."""
