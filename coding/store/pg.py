"""The PostgreSQL side of :mod:`coding.store.copy`: connecting, reading a schema's tables, writing them
(part of the store).

A project on PostgreSQL is one schema (see :mod:`coding.store.url`). Its tables mirror the SQLite
file's: INTEGER → ``bigint``, REAL → ``double precision``, TEXT → ``text``, BLOB → ``bytea``, with NOT
NULL, primary keys and UNIQUE constraints. psycopg is imported only here, and only when a PostgreSQL
location is used. Every message names the location without its password.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import ProjectProblem
from .copy import BATCH, Table
from .url import Location

PG_TYPES = {"integer": "bigint", "real": "double precision", "text": "text", "blob": "bytea"}
_FROM_PG = {"bigint": "integer", "double precision": "real", "text": "text", "bytea": "blob"}
_PY_TYPES = {"integer": (int,), "real": (float,), "text": (str,), "blob": (bytes,)}


def pg_message(location: Location, exc: Exception) -> str:
    """The first line of a driver's message, without the location's password."""
    return location.scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def pg_error(location: Location, exc: Exception, doing: str) -> ProjectProblem:
    return ProjectProblem(f"{doing}: {pg_message(location, exc)}", path=location.redacted())


def connect(location: Location, *, application: str = "qcode copy"):
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a dependency of qcode
        raise ProjectProblem("PostgreSQL needs the psycopg package (pip install 'psycopg[binary]')",
                             path=location.redacted()) from None
    try:
        return psycopg.connect(location.conninfo, connect_timeout=15, application_name=application)
    except psycopg.Error as exc:
        raise pg_error(location, exc, "cannot connect to the PostgreSQL server") from None


def column_kinds(conn, schema: str, table: str) -> list[tuple[str, str]]:
    """(column, kind) of one table, kind integer/real/text/blob."""
    return [(name, _FROM_PG[kind]) for name, kind in conn.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
        "ORDER BY a.attnum", (f'"{schema}"."{table}"',)).fetchall()]


def write_order(conn, schema: str, names: list[str]) -> list[str]:
    """``names`` with every table after the tables its foreign keys point to."""
    parents: dict[str, set] = {name: set() for name in names}
    for child, parent in conn.execute(
            "SELECT c.relname, p.relname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND con.contype = 'f'", (schema,)):
        if child in parents and parent in parents and parent != child:
            parents[child].add(parent)
    order: list[str] = []

    def visit(name, seen=()):
        if name in order or name in seen:
            return
        for parent in sorted(parents[name]):
            visit(parent, (*seen, name))
        order.append(name)

    for name in sorted(names):
        visit(name)
    return order


def project_tables(conn, schema: str) -> list[Table]:
    """The tables that hold a project's own data: not the running totals, not generated columns."""
    from .copy import DERIVED_TABLES

    columns: dict[str, list] = {}
    for table, column, kind, notnull in conn.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "AND a.attgenerated = '' ORDER BY c.relname, a.attnum", (schema,)):
        if table in DERIVED_TABLES:
            continue
        if kind not in _FROM_PG:
            raise ProjectProblem(f"{table}.{column}: a column of type {kind} cannot be copied yet")
        columns.setdefault(table, []).append((column, _FROM_PG[kind], notnull))
    keys: dict[str, tuple] = {}
    uniques: dict[str, list] = {}
    for table, kind, names in conn.execute(
            "SELECT c.relname, con.contype, ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY "
            "AS k(num, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num "
            "ORDER BY k.ord)::text[] "
            "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND con.contype IN ('p', 'u')", (schema,)):
        if kind == "p":
            keys[table] = tuple(names)
        else:
            uniques.setdefault(table, []).append(tuple(names))
    tables = {name: Table(name, tuple(cols), keys.get(name, ()), tuple(sorted(uniques.get(name, []))))
              for name, cols in columns.items()}
    return [tables[name] for name in write_order(conn, schema, list(tables))]


def rows_in_order(conn, schema: str, table: Table, *, named: bool = True) -> Iterator[tuple]:
    from psycopg import sql

    kinds = dict((c[0], c[1]) for c in table.columns)
    order = sql.SQL(", ").join(sql.SQL("{} COLLATE \"C\"").format(sql.Identifier(c)) if kinds[c] == "text"
                               else sql.Identifier(c) for c in table.order)
    query = sql.SQL("SELECT {} FROM {}.{} ORDER BY {}").format(
        sql.SQL(", ").join(map(sql.Identifier, table.names)), sql.Identifier(schema), sql.Identifier(table.name),
        order)
    if not named:  # inside an explicitly begun transaction of an autocommit connection
        with conn.cursor() as cursor:
            cursor.execute(query)
            while batch := cursor.fetchmany(BATCH):
                yield from batch
        return
    with conn.cursor(name=f"qcode_copy_{table.name}") as cursor:  # server-side: rows arrive in batches
        cursor.itersize = BATCH
        cursor.execute(query)
        yield from cursor


class PgSource:
    """A project's schema, read in one snapshot (REPEATABLE READ, read only)."""

    def __init__(self, location: Location):
        import psycopg

        self.location = location
        self.conn = connect(location)
        try:
            self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one snapshot for every table
            self.conn.read_only = True
            present = self.conn.execute("SELECT to_regclass(%s)", (f'"{location.schema}".meta',)).fetchone()[0]
            if present is None:
                raise ProjectProblem(f"no qcode project in the schema {location.schema}", path=location.redacted())
        except BaseException:
            self.conn.close()
            raise

    def schema_version(self) -> int:
        from psycopg import sql

        row = self.conn.execute(sql.SQL("SELECT value FROM {}.meta WHERE key = 'schema_version'").format(
            sql.Identifier(self.location.schema))).fetchone()
        return int(row[0]) if row else 0

    def tables(self) -> list[Table]:
        return project_tables(self.conn, self.location.schema)

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from rows_in_order(self.conn, self.location.schema, table)

    def close(self) -> None:
        self.conn.close()


class PgDest:
    """A schema that does not exist or holds no table, laid out by the store's own schema steps (tables,
    triggers, search, views) at the source's version; everything is written in one transaction."""

    def __init__(self, location: Location):
        from . import pgconn

        self.location = location
        self.conn = pgconn.connect(location, application="qcode copy")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            if pgconn.schema_exists(self.conn):
                if pgconn.relations(self.conn):
                    raise ProjectProblem(f"the schema {location.schema} is not empty; copy into a new schema "
                                         "(?schema=NAME)", path=location.redacted())
            else:
                self.conn.execute(f'CREATE SCHEMA "{location.schema}"')
        except BaseException:
            self.abort()
            raise

    def prepare(self, tables: list[Table], version: int) -> list[Table]:
        """Lay out the schema at ``version``; returns the source's tables in this schema's write order."""
        from . import aggregates
        from .copy import _same_tables
        from .schema import MIGRATIONS, SCHEMA_V1

        for statement in SCHEMA_V1.split(";"):
            if statement.strip():
                self.conn.execute(statement)
        for step in MIGRATIONS[:version - 1]:
            step(self.conn)
        self.conn.execute("DELETE FROM meta")  # the source's meta rows come instead
        aggregates.drop_coding_triggers(self.conn)  # rebuilt once after the rows (as bulk imports do)
        mine = {t.name: t for t in project_tables(self.conn.raw, self.location.schema)}
        theirs = {t.name: t for t in tables}
        _same_tables(theirs, mine, self.location)
        return [theirs[name] for name in write_order(self.conn.raw, self.location.schema, list(mine))]

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        from psycopg import sql

        statement = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
            sql.Identifier(self.location.schema), sql.Identifier(table.name),
            sql.SQL(", ").join(map(sql.Identifier, table.names)))
        kinds = dict(column_kinds(self.conn.raw, self.location.schema, table.name))
        allowed = [_PY_TYPES[kinds[name]] for name in table.names]
        with self.conn.raw.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types([PG_TYPES[kinds[name]] for name in table.names])
            for row in rows:
                for value, types, name in zip(row, allowed, table.names):
                    if value is not None and type(value) not in types:
                        raise ProjectProblem(
                            f"table {table.name}, column {name}: a value of type {type(value).__name__} "
                            f"that a PostgreSQL {PG_TYPES[kinds[name]]} column cannot hold unchanged (row "
                            f"{dict(zip(table.order, (row[table.names.index(c)] for c in table.order)))}); "
                            "nothing was written", path=self.location.redacted())
                copy.write_row(row)

    def rebuild_derived(self) -> None:
        """The running totals from the copied rows, and every id counter past the copied ids."""
        from . import aggregates

        aggregates.rebuild(self.conn)
        for table, column in self.conn.raw.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s "
                "AND is_identity = 'YES'", (self.location.schema,)).fetchall():
            self.conn.execute(f'SELECT setval(pg_get_serial_sequence(\'"{self.location.schema}"."{table}"\', '
                              f"'{column}'), coalesce((SELECT max(\"{column}\") FROM \"{table}\"), 0) + 1, false)")

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from rows_in_order(self.conn.raw, self.location.schema, table, named=False)

    def commit(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.close()

    def abort(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.raw.execute("ROLLBACK")
        finally:
            self.conn.close()
