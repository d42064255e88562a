"""Where a project lives: a file path, an ``sqlite:///`` URL or a ``postgresql://`` URL (part of the store).

:func:`parse_location` turns what a researcher typed into a :class:`Location`.
A plain path or ``sqlite:///study.qcode`` (``sqlite:////abs/study.qcode`` for
an absolute path, as in SQLAlchemy) is an SQLite project file;
``postgresql://user@host:port/db?schema=NAME`` is a project on a PostgreSQL
server.

Several projects in one PostgreSQL database: **one schema per project**
(``?schema=study_a``, ``?schema=study_b``); without ``schema=`` the project
is in the schema ``qcode``. A schema name is lower-case letters, digits and
``_`` (at most 63 characters, not starting with a digit or ``pg_``), so it is
the same name for psql, pg_dump and qcode without quoting rules.

Passwords: give none in the URL. libpq (under psycopg) reads ``PGPASSWORD``
or ``~/.pgpass`` by itself; qcode never reads or stores a password. If a URL
does carry one, it is passed to libpq unchanged and :meth:`Location.redacted`
(what every message, log and audit entry shows) replaces it with ``***``.

>>> parse_location("postgresql://anna:secret@db.example.org:5433/qual?schema=study_a").redacted()
'postgresql://anna:***@db.example.org:5433/qual?schema=study_a'
>>> parse_location("sqlite:///study.qcode").path
PosixPath('study.qcode')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..errors import ProjectProblem

DEFAULT_SCHEMA = "qcode"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_PG_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class Location:
    """A parsed project location: ``engine`` is ``"sqlite"`` (with ``path``) or ``"postgresql"`` (with
    ``conninfo``, the URL libpq connects to without qcode's own ``schema`` parameter, and ``schema``)."""

    engine: str
    path: Path | None = None
    conninfo: str | None = None
    schema: str | None = None

    @property
    def is_postgresql(self) -> bool:
        return self.engine == "postgresql"

    def redacted(self) -> str:
        """The location as it may be shown anywhere: a URL's password replaced by ``***``.

        >>> parse_location("postgresql://u:pw@h/db").redacted()
        'postgresql://u:***@h/db?schema=qcode'
        """
        if not self.is_postgresql:
            return str(self.path)
        parts = urlsplit(self.conninfo)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            if ":" in userinfo:
                userinfo = userinfo.split(":", 1)[0] + ":***"
            netloc = f"{userinfo}@{host}"
        query = [(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query)]
        query.append(("schema", self.schema))
        return _unsplit(parts.scheme, netloc, parts.path, urlencode(query, safe="*"))

    def scrub(self, text: str) -> str:
        """``text`` (say, a driver's error message) with this location's password, if any, replaced."""
        if self.is_postgresql:
            parts = urlsplit(self.conninfo)
            secrets = [parts.password] + [v for k, v in parse_qsl(parts.query) if k.lower() == "password"]
            for secret in filter(None, secrets):
                text = text.replace(secret, "***")
            text = text.replace(self.conninfo, self.redacted())
        return text

    def __str__(self) -> str:
        return self.redacted()

    def __repr__(self) -> str:
        return f"Location({self.redacted()!r})"


def parse_location(text: str | Path) -> Location:
    """Parse a project location (see the module's description).

    >>> parse_location("study.qcode")
    Location('study.qcode')
    >>> parse_location("postgresql://anna@localhost/qual?schema=Study")
    Traceback (most recent call last):
    ...
    coding.errors.ProjectProblem: postgresql://anna@localhost/qual?schema=Study: the schema name must be ...
    """
    if isinstance(text, Path):
        return Location("sqlite", path=text)
    raw = str(text)
    scheme = raw.split(":", 1)[0].lower() if "://" in raw else ""
    if scheme == "sqlite":
        rest = raw.split("://", 1)[1]
        if not rest.startswith("/") or rest == "/":
            raise ProjectProblem("an SQLite URL is sqlite:///relative/path or sqlite:////absolute/path", path=raw)
        return Location("sqlite", path=Path(rest[1:]))
    if scheme in _PG_SCHEMES:
        return _postgresql(raw)
    if scheme:
        raise ProjectProblem(f"unknown kind of location '{scheme}://' (a file path, sqlite:/// or postgresql://)",
                             path=_hide_password(raw))
    return Location("sqlite", path=Path(raw))


def _postgresql(raw: str) -> Location:
    parts = urlsplit(raw)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schemas = [v for k, v in query if k == "schema"]
    schema = schemas[-1] if schemas else DEFAULT_SCHEMA
    conninfo = _unsplit(parts.scheme, parts.netloc, parts.path, urlencode([(k, v) for k, v in query if k != "schema"]))
    location = Location("postgresql", conninfo=conninfo, schema=schema)
    if not _SCHEMA_NAME.fullmatch(schema) or schema.startswith("pg_"):
        raise ProjectProblem("the schema name must be lower-case letters, digits and _ (at most 63, not "
                             "starting with a digit or pg_)", path=_hide_password(raw))
    if parts.fragment:
        raise ProjectProblem("a PostgreSQL URL has no #fragment", path=location.redacted())
    return location


def _unsplit(scheme: str, netloc: str, path: str, query: str) -> str:
    """A URL from its parts, keeping ``//`` without a host (``postgresql:///qual``: the local server's socket),
    which ``urlunsplit`` drops.

    >>> _unsplit("postgresql", "", "/qual", "")
    'postgresql:///qual'
    """
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


def _hide_password(raw: str) -> str:
    parts = urlsplit(raw)
    if parts.password:
        return raw.replace(parts.password, "***")
    return raw
