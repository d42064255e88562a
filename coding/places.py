"""Where a project is and where its side files go, for a project file and a project on PostgreSQL alike.

A project file keeps its side folders beside it: ``<name>.backups/`` (automatic backups) and
``<name>.media/`` (recordings uploaded in the app). A project on PostgreSQL has no file and no
folder, so its side folders are in a per-user data folder on the machine that runs qcode:
``$QCODE_USER_DATA_DIR`` if set, else ``$XDG_DATA_HOME/qcode``, else ``~/.local/share/qcode``, then
``backups/`` or ``media/`` and one folder per project named by server, port, database and schema
(``127.0.0.1-5432-qual-study``). No password ever appears in these names.

>>> side_folder("study.qcode", "backups")
PosixPath('study.qcode.backups')
>>> import os; os.environ["QCODE_USER_DATA_DIR"] = "/srv/qcode"
>>> side_folder("postgresql://anna:secret@db.example.org/qual?schema=study", "backups")
PosixPath('/srv/qcode/backups/db.example.org-5432-qual-study')
>>> project_name("postgresql://anna@db.example.org/qual?schema=study"), project_name("/home/anna/study.qcode")
('study', 'study')
>>> del os.environ["QCODE_USER_DATA_DIR"]
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .store.url import Location, parse_location

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def location_of(project) -> Location:
    """The :class:`~coding.store.url.Location` of a project given as a path, a URL, a Location, a store or a
    :class:`~coding.project.Project`.

    >>> location_of("sqlite:///study.qcode").path
    PosixPath('study.qcode')
    """
    if isinstance(project, Location):
        return project
    store = getattr(project, "store", project)
    location = getattr(store, "location", None)
    if isinstance(location, Location):
        return location
    return parse_location(project if isinstance(project, Path) else str(project))


def data_home() -> Path:
    """The per-user data folder of qcode (see the module's description).

    >>> data_home().name
    'qcode'
    """
    given = os.environ.get("QCODE_USER_DATA_DIR")
    if given:
        return Path(given).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share") / "qcode"


def project_name(project) -> str:
    """A short name of the project for file names and titles: the file's stem, or the PostgreSQL schema.

    >>> project_name("postgresql://anna@localhost/qual?schema=study_a")
    'study_a'
    """
    location = location_of(project)
    return location.schema if location.is_postgresql else location.path.stem


def _server_slug(location: Location) -> str:
    parts = urlsplit(location.conninfo)
    host = parts.hostname or "local"
    try:
        port = parts.port or 5432
    except ValueError:
        port = 5432
    database = unquote(parts.path.lstrip("/")) or "default"
    return _UNSAFE.sub("_", f"{host}-{port}-{database}-{location.schema}")[:150]


def side_folder(project, kind: str) -> Path:
    """The folder of a project's ``kind`` side files (``"backups"``, ``"media"``): beside a project file,
    in :func:`data_home` for a project on PostgreSQL.

    >>> side_folder("interviews/study.qcode", "media")
    PosixPath('interviews/study.qcode.media')
    """
    location = location_of(project)
    if location.is_postgresql:
        return data_home() / kind / _server_slug(location)
    p = location.path
    return p.with_name(p.name + "." + kind)


def project_exists(project) -> bool:
    """Whether there is a project at ``project`` already: a file, or a qcode project in the PostgreSQL schema.

    >>> project_exists(getfixture("tmp_path") / "none.qcode")
    False
    """
    return what_is_at(project) == "project"


def what_is_at(project) -> str:
    """``"project"`` (a project file, or a qcode project in the schema), ``"empty schema"`` (a PostgreSQL
    schema without one, made beforehand, say by the database administrator with its grants) or
    ``"nothing"``.

    >>> what_is_at(getfixture("tmp_path") / "none.qcode")
    'nothing'
    """
    location = location_of(project)
    if not location.is_postgresql:
        return "project" if location.path.exists() else "nothing"
    from .store import pgconn

    conn = pgconn.connect(location)
    try:
        if pgconn.has_project(conn):
            return "project"
        return "empty schema" if pgconn.schema_exists(conn) else "nothing"
    finally:
        conn.close()
