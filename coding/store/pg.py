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


def pg_error(location: Location, exc: Exception, doing: str) -> ProjectProblem:
    message = location.scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
    return ProjectProblem(f"{doing}: {message}", path=location.redacted())


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


def tables(conn, schema: str) -> list[Table]:
    columns: dict[str, list] = {}
    for table, column, kind, notnull in conn.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum", (schema,)):
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
    return [Table(name, tuple(cols), keys.get(name, ()), tuple(sorted(uniques.get(name, []))))
            for name, cols in columns.items()]


def rows_in_order(conn, schema: str, table: Table) -> Iterator[tuple]:
    from psycopg import sql

    kinds = dict((c[0], c[1]) for c in table.columns)
    order = sql.SQL(", ").join(sql.SQL("{} COLLATE \"C\"").format(sql.Identifier(c)) if kinds[c] == "text"
                               else sql.Identifier(c) for c in table.order)
    query = sql.SQL("SELECT {} FROM {}.{} ORDER BY {}").format(
        sql.SQL(", ").join(map(sql.Identifier, table.names)), sql.Identifier(schema), sql.Identifier(table.name),
        order)
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
        return tables(self.conn, self.location.schema)

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from rows_in_order(self.conn, self.location.schema, table)

    def close(self) -> None:
        self.conn.close()


class PgDest:
    """A schema that does not exist or holds no table; everything is written in one transaction."""

    def __init__(self, location: Location):
        from psycopg import sql

        self.location = location
        self.schema = sql.Identifier(location.schema)
        self.conn = connect(location)
        try:
            exists = self.conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                                       (location.schema,)).fetchone()
            if exists:
                relations = self.conn.execute(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = %s", (location.schema,)).fetchone()[0]
                if relations:
                    raise ProjectProblem(f"the schema {location.schema} is not empty; copy into a new schema "
                                         "(?schema=NAME)", path=location.redacted())
            else:
                self.conn.execute(sql.SQL("CREATE SCHEMA {}").format(self.schema))
        except BaseException:
            self.abort()
            raise

    def prepare(self, tables: list[Table], version: int) -> list[Table]:
        from psycopg import sql

        for table in tables:
            parts = [sql.SQL("{} {}{}").format(sql.Identifier(name), sql.SQL(PG_TYPES[kind]),
                                               sql.SQL(" NOT NULL" if notnull else ""))
                     for name, kind, notnull in table.columns]
            if table.primary_key:
                parts.append(sql.SQL("PRIMARY KEY ({})").format(
                    sql.SQL(", ").join(map(sql.Identifier, table.primary_key))))
            for unique in table.uniques:
                parts.append(sql.SQL("UNIQUE ({})").format(sql.SQL(", ").join(map(sql.Identifier, unique))))
            self.conn.execute(sql.SQL("CREATE TABLE {}.{} ({})").format(
                self.schema, sql.Identifier(table.name), sql.SQL(", ").join(parts)))
        return tables

    def write(self, table: Table, rows: Iterable[tuple]) -> None:
        from psycopg import sql

        statement = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
            self.schema, sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, table.names)))
        allowed = [_PY_TYPES[kind] for _, kind, _ in table.columns]
        with self.conn.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types([PG_TYPES[kind] for _, kind, _ in table.columns])
            for row in rows:
                for value, types, column in zip(row, allowed, table.columns):
                    if value is not None and type(value) not in types:
                        raise ProjectProblem(
                            f"table {table.name}, column {column[0]}: a value of type {type(value).__name__} "
                            f"that a PostgreSQL {PG_TYPES[column[1]]} column cannot hold unchanged (row "
                            f"{dict(zip(table.order, (row[table.names.index(c)] for c in table.order)))}); "
                            "nothing was written", path=self.location.redacted())
                copy.write_row(row)

    def rebuild_derived(self) -> None:
        """Nothing: derived data is not kept on PostgreSQL in this step."""

    def rows(self, table: Table) -> Iterator[tuple]:
        yield from rows_in_order(self.conn, self.location.schema, table)

    def commit(self) -> None:
        self.conn.commit()
        self.conn.close()

    def abort(self) -> None:
        try:
            self.conn.rollback()
        finally:
            self.conn.close()
