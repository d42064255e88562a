"""Copy a whole project between SQLite and PostgreSQL, losslessly and verified (part of the store).

:func:`copy_project` reads every table of the source and writes it to an
empty destination in one transaction: SQLite → PostgreSQL, PostgreSQL →
SQLite, SQLite → SQLite and PostgreSQL → PostgreSQL. It is generic over the
tables: a new table in a later schema is copied without a change here.

* The destination is laid out by the store's own schema steps at the
  source's schema version, on either engine: tables, keys, triggers,
  search index and views, so it opens as a project at once (and is
  migrated forward like any project when the source was older). Types on
  PostgreSQL: INTEGER → ``bigint``, REAL → ``double precision``, TEXT →
  ``text``, BLOB → ``bytea`` (see :mod:`coding.store.pgconn`).
* Derived data is not copied but rebuilt there, as the store rebuilds it:
  the full-text index (FTS5 tables on SQLite, the generated ``search``
  column on PostgreSQL) and the running totals behind matrices
  (:mod:`~coding.store.aggregates`); id counters continue after the copied ids.
* Verification, before the destination is committed: for every table the
  row count and a SHA-256 over its rows in primary-key order, computed on
  the same Python values read from each engine, must be equal.
* The destination must be empty: a new SQLite file (written under a
  temporary name and moved into place only when verified), or a PostgreSQL
  schema that does not exist or holds no table. Nothing is written when the
  copy fails.

>>> report = copy_project(store.path, getfixture("tmp_path") / "copy.qcode")
>>> report.rows["codings"] == store.counts()["codings"]
True
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProjectProblem
from . import aggregates
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_V1, SCHEMA_VERSION
from .url import Location, parse_location

DERIVED_TABLES = ("code_counts", "attr_counts")  # rebuilt by aggregates.rebuild
BATCH = 5_000


@dataclass(frozen=True)
class Table:
    """One table to copy: its columns as (name, kind, not null) with kind integer/real/text/blob,
    its primary key and its UNIQUE constraints."""

    name: str
    columns: tuple[tuple[str, str, bool], ...]
    primary_key: tuple[str, ...] = ()
    uniques: tuple[tuple[str, ...], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c[0] for c in self.columns)

    @property
    def order(self) -> tuple[str, ...]:
        """The columns rows are read in order of: the primary key, else every column."""
        return self.primary_key or self.names


@dataclass
class CopyReport:
    """What :func:`copy_project` copied: rows and SHA-256 per table (equal on both sides), seconds taken."""

    source: str
    dest: str
    rows: dict[str, int] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# ------------------------------------------------------------------ checksum

def _encode(value) -> bytes:
    if value is None:
        return b"n"
    if isinstance(value, bool):  # never stored, but never silently equal to an int either
        return b"?" + str(value).encode()
    if isinstance(value, int):
        return b"i" + str(value).encode() + b";"
    if isinstance(value, float):
        return b"f" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        return b"s" + str(len(data)).encode() + b":" + data
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        return b"b" + str(len(data)).encode() + b":" + data
    raise ProjectProblem(f"a value of an unexpected type ({type(value).__name__}) in the project")


class _Digest:
    """Row count and SHA-256 of a stream of rows (tuples of Python values), passed through unchanged."""

    def __init__(self):
        self.sha = hashlib.sha256()
        self.count = 0

    def feed(self, rows: Iterable[tuple]) -> Iterator[tuple]:
        for row in rows:
            self.sha.update(b"(" + b"".join(_encode(v) for v in row) + b")")
            self.count += 1
            yield row

    def consume(self, rows: Iterable[tuple]) -> tuple[int, str]:
        for _ in self.feed(rows):
            pass
        return self.count, self.sha.hexdigest()


# ------------------------------------------------------------------ SQLite

def _affinity(declared: str, where: str) -> str:
    """SQLite's type affinity rules, limited to the four kinds a project uses."""
    d = declared.upper()
    if "INT" in d:
        return "integer"
    if any(word in d for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if not d or "BLOB" in d:
        return "blob"
    if any(word in d for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    raise ProjectProblem(f"{where}: a column of type {declared} cannot be copied yet")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(conn: sqlite3.Connection) -> list[Table]:
    """The tables that hold a project's own data (not derived data, not SQLite's), in foreign-key order."""
    entries = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    virtual = [name for name, sql in entries if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    tables = {}
    for name, _sql in entries:
        if (name.startswith("sqlite_") or name in DERIVED_TABLES or name in virtual
                or any(name.startswith(v + "_") for v in virtual)):
            continue
        info = conn.execute(f"PRAGMA table_info({_q(name)})").fetchall()
        columns = tuple((c[1], _affinity(c[2], f"{name}.{c[1]}"), bool(c[3]) or c[5] > 0) for c in info)
        key = tuple(c[1] for c in sorted((c for c in info if c[5] > 0), key=lambda c: c[5]))
        uniques = []
        for index in conn.execute(f"PRAGMA index_list({_q(name)})").fetchall():
            if index[3] == "u":
                uniques.append(tuple(r[2] for r in conn.execute(f"PRAGMA index_info({_q(index[1])})")))
        tables[name] = Table(name, columns, key, tuple(sorted(uniques)))
    # parents before children: the store's triggers (a memo's segment) look at rows already written
    order: list[str] = []

    def visit(name, seen=()):
        if name in order or name in seen or name not in tables:
            return
        for fk in conn.execute(f"PRAGMA foreign_key_list({_q(name)})").fetchall():
            visit(fk[2], (*seen, name))
        order.append(name)

    for name in tables:
        visit(name)
    return [tables[name] for name in order]


class _SqliteSource:
    def __init__(self, location: Location):
        path = location.path
        self.location = location
        if not path.is_file():
            raise ProjectProblem("no such project file", path=str(path))
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ProjectProblem("not a qcode project (not an SQLite file)", path=str(path))
        # read only, but not mode=ro: a read-only connection would leave the -wal and -shm files behind
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=10)
        self.conn.execute("PRAGMA query_only=ON")
        if self.conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            self.conn.close()
            raise ProjectProblem("not a qcode project (an SQLite file of another program)", path=str(path))
        self.conn.execute("BEGIN")  # one snapshot for every table, while coders may write
        self.conn.execute("SELECT count(*) FROM meta").fetchone()

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def tables(self) -> list[Table]:
        return _sqlite_tables(self.conn)

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from _sqlite_rows(self.conn, table)

    def close(self) -> None:
        self.conn.close()


def _sqlite_rows(conn: sqlite3.Connection, table: Table) -> Iterator[tuple]:
    cursor = conn.execute(f"SELECT {', '.join(map(_q, table.names))} FROM {_q(table.name)} "
                          f"ORDER BY {', '.join(map(_q, table.order))}")
    while batch := cursor.fetchmany(BATCH):
        yield from batch


class _SqliteDest:
    """A new project file, written under a temporary name and moved into place when verified."""

    def __init__(self, location: Location):
        self.location = location
        self.path = location.path
        if self.path.exists():
            raise ProjectProblem("the destination exists already; copy into a new file", path=str(self.path))
        if not self.path.parent.is_dir():
            raise ProjectProblem("the folder does not exist", path=str(self.path.parent))
        self.part = self.path.with_name(f".{self.path.name}.{os.getpid()}.part")
        self.part.unlink(missing_ok=True)
        from .base import connect

        self.conn = connect(self.part)
        self.conn.execute("BEGIN IMMEDIATE")

    def prepare(self, tables: list[Table], version: int) -> list[Table]:
        """Lay out the schema at ``version`` with the store's own steps; returns the tables in write order."""
        for statement in SCHEMA_V1.split(";"):
            if statement.strip():
                self.conn.execute(statement)
        self.conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        for step in MIGRATIONS[:version - 1]:
            step(self.conn)
        self.conn.execute(f"PRAGMA user_version={version}")
        self.conn.execute("DELETE FROM meta")  # the source's meta rows come instead
        aggregates.drop_coding_triggers(self.conn)  # rebuilt once after the rows (as bulk imports do)
        mine = _sqlite_tables(self.conn)
        theirs = {t.name: t for t in tables}
        _same_tables(theirs, {t.name: t for t in mine}, self.location)
        return [theirs[t.name] for t in mine]

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        statement = (f"INSERT INTO {_q(table.name)} ({', '.join(map(_q, table.names))}) "
                     f"VALUES ({', '.join('?' for _ in table.names)})")
        self.conn.executemany(statement, rows)

    def rebuild_derived(self) -> None:
        aggregates.rebuild(self.conn)
        fts = [name for (name,) in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
        for name in fts:
            self.conn.execute(f"INSERT INTO {_q(name)}({_q(name)}) VALUES ('rebuild')")

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from _sqlite_rows(self.conn, table)

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.execute("PRAGMA journal_mode=DELETE")
        self.conn.close()
        try:
            try:
                os.link(self.part, self.path)  # never replaces a file that appeared meanwhile
            except FileExistsError:
                raise
            except OSError:  # a file system without hard links
                if self.path.exists():
                    raise FileExistsError(str(self.path)) from None
                os.replace(self.part, self.path)
        except FileExistsError:
            raise ProjectProblem("the destination appeared while copying; nothing was written",
                                 path=str(self.path)) from None
        finally:
            self._remove_part()

    def abort(self) -> None:
        try:
            self.conn.close()
        finally:
            self._remove_part()

    def _remove_part(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.part) + suffix).unlink(missing_ok=True)


def _same_tables(source: dict[str, Table], dest: dict[str, Table], location: Location) -> None:
    if set(source) != set(dest):
        extra, missing = sorted(set(source) - set(dest)), sorted(set(dest) - set(source))
        raise ProjectProblem(f"the source's tables differ from the schema they claim (not in the schema: "
                             f"{', '.join(extra) or '-'}; missing: {', '.join(missing) or '-'})",
                             path=location.redacted())
    for name, table in source.items():
        if set(table.names) != set(dest[name].names):
            raise ProjectProblem(f"table {name}: the source's columns ({', '.join(table.names)}) differ from the "
                                 f"schema's ({', '.join(dest[name].names)})", path=location.redacted())


# ------------------------------------------------------------------ the copy

def copy_project(source: str | Path | Location, dest: str | Path | Location) -> CopyReport:
    """Copy the project at ``source`` to the empty ``dest`` (file paths, ``sqlite:///`` or ``postgresql://``
    URLs, see :mod:`coding.store.url`), verify every table and return what was copied.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "again.qcode"
    >>> copy_project(store.path, out).rows["transcripts"] == store.counts()["transcripts"]
    True
    """
    src_loc = source if isinstance(source, Location) else parse_location(source)
    dst_loc = dest if isinstance(dest, Location) else parse_location(dest)
    if src_loc.redacted() == dst_loc.redacted() or (
            not src_loc.is_postgresql and not dst_loc.is_postgresql and dst_loc.path.exists()
            and src_loc.path.exists() and src_loc.path.samefile(dst_loc.path)):
        raise ProjectProblem("the source and the destination are the same project", path=dst_loc.redacted())
    started = time.perf_counter()
    pg_side = dst_loc if dst_loc.is_postgresql else src_loc
    if pg_side.is_postgresql:
        from .pg import PgDest, PgSource, pg_error
    try:
        src = PgSource(src_loc) if src_loc.is_postgresql else _SqliteSource(src_loc)
        try:
            version = src.schema_version()
            if not 1 <= version <= SCHEMA_VERSION:
                raise ProjectProblem(f"the project has schema version {version}; this qcode copies versions 1 "
                                     f"to {SCHEMA_VERSION} (upgrade qcode)", path=src_loc.redacted())
            tables = src.tables()
            dst = PgDest(dst_loc) if dst_loc.is_postgresql else _SqliteDest(dst_loc)
            try:
                report = _copy(src, dst, tables, version)
                dst.commit()
            except BaseException:
                dst.abort()
                raise
        finally:
            src.close()
    except Exception as exc:
        if type(exc).__module__.startswith("psycopg"):  # a driver's message, without any password
            raise pg_error(pg_side, exc, "the copy failed; nothing was written") from None
        raise
    report.source, report.dest = src_loc.redacted(), dst_loc.redacted()
    report.seconds = time.perf_counter() - started
    return report


def _copy(src, dst, tables: list[Table], version: int) -> CopyReport:
    report = CopyReport("", "")
    for table in dst.prepare(tables, version):
        digest = _Digest()
        dst.write(table, digest.feed(src.rows(table)))
        report.rows[table.name], report.sha256[table.name] = digest.count, digest.sha.hexdigest()
    dst.rebuild_derived()
    for table in tables:
        count, sha = _Digest().consume(dst.rows(table))
        if (count, sha) != (report.rows[table.name], report.sha256[table.name]):
            raise ProjectProblem(f"verification failed for table {table.name}: {report.rows[table.name]} rows "
                                 f"read, {count} in the destination, or their contents differ; nothing was written",
                                 path=dst.location.redacted())
    return report
