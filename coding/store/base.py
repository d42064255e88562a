"""Opening a project file, transactions and the ``meta`` table (part of the store).

:class:`StoreBase` is the root of :class:`coding.store.Store`: it owns the
connection, creates and opens files (through :mod:`coding.store.schema`) and
runs transactions. The other parts of the store are mixins that only use
``self.conn``.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ProjectProblem

BUSY_TIMEOUT_MS = 10_000


def now() -> str:
    """The current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def on_postgresql(conn) -> bool:
    """Whether ``conn`` (an :class:`sqlite3.Connection` or a :class:`~coding.store.pgconn.PgConnection`) is a
    PostgreSQL one: the schema steps ask this where the two engines differ."""
    return getattr(conn, "engine", "sqlite") == "postgresql"


def where(**filters) -> tuple[str, list]:
    """`` WHERE a = ? AND b = ?`` and its arguments for the filters that are not None.

    A double underscore stands for the dot of a table alias: ``c__coder`` filters ``c.coder``.

    >>> where(c__coder="anna", transcript_id=None)
    (' WHERE c.coder = ?', ['anna'])
    """
    given = [(column, value) for column, value in filters.items() if value is not None]
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{c.replace('__', '.')} = ?" for c, _ in given), [v for _, v in given]


def marks(values) -> str:
    """``?, ?, ?``: one placeholder per value."""
    return ", ".join("?" for _ in values)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open an SQLite connection with the settings several coders need.

    Autocommit mode (``isolation_level=None``): the store opens its own
    transactions with :meth:`StoreBase.transaction`.
    """
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


_savepoints = itertools.count(1)


class StoreBase:
    """The connection, file creation and opening, transactions and ``meta``."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, location=None):
        from .url import Location

        self.conn = conn
        self.path = path  # the project file; None for a project on PostgreSQL
        self.location = location or Location("sqlite", path=path)
        self.engine = "postgresql" if on_postgresql(conn) else "sqlite"
        self._db = None

    @property
    def where(self) -> str:
        """Where the project is, as it may be shown anywhere (a file path, or a URL without its password)."""
        return self.location.redacted()

    @property
    def db(self):
        """sqlite-utils on the same connection: schema introspection, migrations (add_column,
        create_view, enable_fts). Queries stay in plain SQL: they are all fixed statements
        with parameters, which sqlite-utils would only wrap.

        Made on first use: ``import sqlite_utils`` imports pandas and numpy, which would cost
        ``qcode --help`` and every light command about half a second.
        """
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # ------------------------------------------------------------------ open
    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False):
        """Create a new, empty project file (refuses to overwrite unless asked)."""
        from . import schema

        location = _location(path)
        if location.is_postgresql:
            return cls._create_pg(location, overwrite=overwrite)
        path = location.path
        if path.exists():
            if not overwrite:
                raise ProjectProblem("a file with this name exists already; choose another name or overwrite it "
                                     "(--force on the command line, overwrite=True in Python)", path=str(path))
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        if path.parent and not path.parent.exists():
            raise ProjectProblem("the folder does not exist", path=str(path.parent))
        store = cls(connect(path), path)
        schema.create(store)
        return store

    @classmethod
    def open(cls, path: str | Path):
        """Open an existing project file and migrate it forward if it is older."""
        from . import schema

        location = _location(path)
        if location.is_postgresql:
            return cls._open_pg(location)
        path = location.path
        if not path.exists():
            raise ProjectProblem("no such project file (create one with 'qcode init')", path=str(path))
        with open(path, "rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise ProjectProblem("not a qcode project (not an SQLite file)", path=str(path))
        conn = connect(path)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != schema.APPLICATION_ID:
            conn.close()
            raise ProjectProblem("not a qcode project (an SQLite file of another program)", path=str(path))
        store = cls(conn, path)
        schema.migrate(store)
        return store

    @classmethod
    def _create_pg(cls, location, *, overwrite: bool):
        from . import pgconn, schema

        conn = pgconn.connect(location)
        try:
            pgconn.create_schema(conn, overwrite=overwrite)
            store = cls(conn, None, location)
            schema.create(store)
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def _open_pg(cls, location):
        from . import pgconn, schema

        conn = pgconn.connect(location)
        try:
            if not pgconn.has_project(conn):
                raise ProjectProblem(f"no qcode project in the schema {location.schema} (create one with "
                                     "'qcode init')", path=location.redacted())
            store = cls(conn, None, location)
            try:
                version = store.meta("schema_version")
            except sqlite3.Error:
                version = None
            if version is None:
                raise ProjectProblem(f"the schema {location.schema} holds tables of another program, not a qcode "
                                     "project", path=location.redacted())
            schema.migrate(store)
        except BaseException:
            conn.close()
            raise
        return store

    def backup_to(self, path: str | Path, *, standalone: bool = True) -> None:
        """Write a consistent copy of the whole project to ``path`` (SQLite's online backup: safe while
        others write). ``standalone``: a new file without a ``-wal`` beside it; ``standalone=False``
        copies page by page into a live project file, which its other connections then see at once."""
        if self.engine == "postgresql":
            if not standalone:
                raise ProjectProblem("a PostgreSQL project is restored with 'qcode copy BACKUP URL' into a new "
                                     "schema", path=self.where)
            from .copy import copy_project

            copy_project(self.location, path)
            return
        target = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            self.conn.backup(target)
            if standalone:
                target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()

    def checkpoint(self) -> None:
        """Write the ``-wal`` file's pages into the project file and empty it (nothing on PostgreSQL)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection (the file stays as it is)."""
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------- transaction
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the enclosed writes as one transaction.

        The outermost block takes the write lock at once (``BEGIN IMMEDIATE``,
        so two coders never deadlock on an upgrade from read to write). A
        block nested inside another is a savepoint: if it fails, only its own
        writes are undone and the error goes on to the outer block, which
        may catch it and carry on (as in sqlite-utils' ``Database.atomic``).
        """
        if self.conn.in_transaction:
            name = f"qcode_{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                # an error such as a RAISE(ROLLBACK) may already have ended the whole transaction
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # ------------------------------------------------------------------ meta
    def schema_version(self) -> int:
        """The version of the file's schema (see :data:`coding.store.schema.SCHEMA_VERSION`)."""
        return int(self.meta("schema_version") or 0)

    def meta(self, key: str) -> str | None:
        """One value of the project's ``meta`` table (None when unset)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        """Set one value of the ``meta`` table."""
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def counts(self) -> dict[str, int]:
        """How many rows each main table holds (for `qcode info` and tests)."""
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("transcripts", "segments", "codes", "coders", "codings", "memos", "done", "audit")}


def discard_new_project(where) -> None:
    """Remove a project that was created a moment ago and must not stay (say, its first import failed):
    the file with its ``-wal`` and ``-shm``, or the PostgreSQL schema with everything in it. Only for a
    project this process created: it asks nothing.

    >>> from coding.store import Store
    >>> path = getfixture("tmp_path") / "gone.qcode"
    >>> Store.create(path).close(); discard_new_project(path); path.exists()
    False
    """
    location = _location(where)
    if not location.is_postgresql:
        for suffix in ("", "-wal", "-shm"):
            Path(str(location.path) + suffix).unlink(missing_ok=True)
        return
    from . import pgconn

    conn = pgconn.connect(location)
    try:
        conn.execute(f'DROP SCHEMA IF EXISTS "{location.schema}" CASCADE')
    finally:
        conn.close()


def _location(where):
    from .url import Location, parse_location

    return where if isinstance(where, Location) else parse_location(where)


def file_counts(path: str | Path) -> dict[str, int]:
    """Transcripts and codings in a project file, read without changing it (for backup listings)."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("transcripts", "codings")}
    finally:
        conn.close()
