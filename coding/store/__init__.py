"""The project store: one SQLite file holds a whole project.

This is the only module that speaks SQL. Everything else (importers, the
CLI, the Streamlit app) calls the methods of :class:`Store`.

The file is opened with the settings that let several coders write at once
(WAL journal, a 10 s busy timeout, foreign keys on). The schema carries a
version number in the ``meta`` table and :func:`migrate` brings an older
project forward when the package is upgraded.

>>> from coding.store import Store
>>> store = Store.create("/tmp/doctest-store.qcode", overwrite=True)
>>> store.schema_version() == SCHEMA_VERSION
True
>>> store.close()
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import sqlite_utils

from . import aggregates as store_aggregates
from ..errors import ProjectProblem
from .agreement import AgreementQueries
from .matrix import MatrixQueries

SCHEMA_VERSION = 2
APPLICATION_ID = 0x51434F44  # "QCOD": marks the SQLite file as a qcode project
BUSY_TIMEOUT_MS = 10_000
BULK_ROWS = 20_000  # from this many codings on, totals are rebuilt once instead of per row

# Each entry upgrades the schema from version i to i + 1 (index i - 1 is i -> i + 1).
# A new project is created at version 1 and brought forward by the same steps,
# so new and upgraded projects are identical.
MIGRATIONS: list = [store_aggregates.create]  # 1 -> 2: running totals for matrices


def now() -> str:
    """The current UTC time as an ISO 8601 string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


_SCHEMA_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE transcripts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL,
    encoding TEXT,
    sha256 TEXT NOT NULL UNIQUE,
    text TEXT NOT NULL,
    n_words INTEGER NOT NULL,
    segmentation TEXT NOT NULL,
    language TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE attributes (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (transcript_id, name)
) WITHOUT ROWID;
CREATE INDEX attributes_name_value ON attributes(name, value);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    speaker TEXT,
    t_start REAL,
    t_end REAL,
    UNIQUE (transcript_id, position)
);
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES codes(id) ON UPDATE CASCADE,
    position INTEGER NOT NULL,
    label_sv TEXT NOT NULL,
    label_en TEXT NOT NULL,
    definition TEXT NOT NULL DEFAULT '',
    include TEXT NOT NULL DEFAULT '',
    exclude TEXT NOT NULL DEFAULT '',
    example TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX codes_parent ON codes(parent_id);
CREATE TABLE coders (
    name TEXT PRIMARY KEY,
    password_hash TEXT,
    is_owner INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    segment_id INTEGER NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    code_id TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    memo TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (segment_id, code_id, coder)
);
CREATE INDEX codings_code ON codings(code_id);
-- transcript_id is the segment's (copied on insert) so that matrices group codings without a join
CREATE INDEX codings_coder_transcript ON codings(coder, transcript_id, code_id, segment_id);
CREATE TABLE done (
    transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    done_at TEXT NOT NULL,
    PRIMARY KEY (transcript_id, coder)
) WITHOUT ROWID;
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    transcript_id INTEGER REFERENCES transcripts(id) ON DELETE CASCADE,
    segment_id INTEGER REFERENCES segments(id) ON DELETE CASCADE,
    code_id TEXT REFERENCES codes(id) ON UPDATE CASCADE,
    coder TEXT NOT NULL REFERENCES coders(name) ON UPDATE CASCADE,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX memos_segment ON memos(segment_id);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
"""


@dataclass(frozen=True)
class SegmentRow:
    """One segment as the library hands it out (text sliced from the transcript)."""

    id: int
    transcript: str
    position: int
    start: int
    end: int
    speaker: str | None
    t_start: float | None
    t_end: float | None
    text: str


@dataclass(frozen=True)
class CodeRow:
    """One code of the project's codebook, in codebook order."""

    id: str
    parent_id: str | None
    position: int
    label_sv: str
    label_en: str
    definition: str
    include: str
    exclude: str
    example: str
    color: str
    active: bool


_CODE_FIELDS = ("id", "parent_id", "position", "label_sv", "label_en", "definition",
                "include", "exclude", "example", "color", "active")


def _where(**filters) -> tuple[str, list]:
    """`` WHERE a = ? AND b = ?`` and its arguments for the filters that are not None.

    A double underscore stands for the dot of a table alias: ``c__coder`` filters ``c.coder``.
    """
    given = [(column, value) for column, value in filters.items() if value is not None]
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"{c.replace('__', '.')} = ?" for c, _ in given), [v for _, v in given]


def connect(path: str | Path) -> sqlite3.Connection:
    """Open an SQLite connection with the settings several coders need."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class Store(MatrixQueries, AgreementQueries):
    """All reads and writes of one project file.

    Use :meth:`create` for a new project and :meth:`open` for an existing
    one. Writes that touch several rows run inside :meth:`transaction`.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)

    # ------------------------------------------------------------------ open
    @classmethod
    def create(cls, path: str | Path, *, overwrite: bool = False) -> "Store":
        """Create a new, empty project file (refuses to overwrite unless asked)."""
        path = Path(path)
        if path.exists():
            if not overwrite:
                raise ProjectProblem("a file with this name exists already; choose another name or overwrite it "
                                     "(--force on the command line, overwrite=True in Python)", path=str(path))
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        if path.parent and not path.parent.exists():
            raise ProjectProblem("the folder does not exist", path=str(path.parent))
        conn = connect(path)
        store = cls(conn, path)
        with store.transaction():
            for statement in _SCHEMA_V1.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
            conn.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (now(),))
            for step in MIGRATIONS[:SCHEMA_VERSION - 1]:
                step(conn)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            store.set_meta("schema_version", str(SCHEMA_VERSION))
        return store

    @classmethod
    def open(cls, path: str | Path) -> "Store":
        """Open an existing project file and migrate it forward if it is older."""
        path = Path(path)
        if not path.exists():
            raise ProjectProblem("no such project file (create one with 'qcode init')", path=str(path))
        with open(path, "rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise ProjectProblem("not a qcode project (not an SQLite file)", path=str(path))
        conn = connect(path)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            conn.close()
            raise ProjectProblem("not a qcode project (an SQLite file of another program)", path=str(path))
        store = cls(conn, path)
        migrate(store)
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run the enclosed writes as one transaction (nested calls join the outer one)."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        return int(self.meta("schema_version") or 0)

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # ----------------------------------------------------------------- audit
    def audit(self, action: str, *, actor: str | None = None, target: str | None = None,
              detail: dict | None = None) -> int:
        """Record one change in the audit log; returns the log entry's id."""
        cur = self.conn.execute(
            "INSERT INTO audit(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (now(), actor, action, target,
             json.dumps(detail, ensure_ascii=False) if detail is not None else None))
        return cur.lastrowid

    def change_counter(self) -> int:
        """A number that grows with every recorded change (the newest audit entry's id).

        Every write of the library records an audit entry in the same
        transaction, so UIs can key their caches on this number.
        """
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]

    def audit_log(self, *, limit: int | None = None, actor: str | None = None) -> list[dict]:
        """The audit log, newest first."""
        where, args = _where(actor=actor)
        sql = "SELECT id, at, actor, action, target, detail FROM audit" + where + " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = []
        for id_, at, act, action, target, detail in self.conn.execute(sql, args):
            rows.append({"id": id_, "at": at, "actor": act, "action": action, "target": target,
                         "detail": json.loads(detail) if detail else None})
        return rows

    # ----------------------------------------------------------- transcripts
    def transcript_id_by_hash(self, sha256: str) -> tuple[int, str] | None:
        row = self.conn.execute("SELECT id, name FROM transcripts WHERE sha256 = ?", (sha256,)).fetchone()
        return (row[0], row[1]) if row else None

    def transcript_names(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT name FROM transcripts")}

    def add_transcript(self, *, name: str, format: str, encoding: str | None, sha256: str, text: str,
                       n_words: int, segmentation: str, language: str,
                       segments: Sequence[tuple], attributes: dict[str, str] | None = None) -> int:
        """Insert one transcript with its segments and attributes; returns its id.

        ``segments`` holds ``(start, end, speaker, t_start, t_end)`` tuples in
        text order; positions are numbered from 1. Call inside a transaction.
        """
        cur = self.conn.execute(
            "INSERT INTO transcripts(name, format, encoding, sha256, text, n_words, segmentation, language, "
            "imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, format, encoding, sha256, text, n_words, segmentation, language, now()))
        tid = cur.lastrowid
        self.conn.executemany(
            'INSERT INTO segments(transcript_id, position, start, "end", speaker, t_start, t_end) '
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((tid, i, *seg) for i, seg in enumerate(segments, start=1)))
        if attributes:
            self.set_attributes(tid, attributes)
        return tid

    def set_attributes(self, transcript_id: int, attributes: dict[str, str | None]) -> None:
        """Set (or, with value None, remove) attributes of one transcript."""
        for key, value in attributes.items():
            if value is None or value == "":
                self.conn.execute("DELETE FROM attributes WHERE transcript_id = ? AND name = ?",
                                  (transcript_id, key))
            else:
                self.conn.execute(
                    "INSERT INTO attributes(transcript_id, name, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(transcript_id, name) DO UPDATE SET value = excluded.value",
                    (transcript_id, key, str(value)))

    def delete_transcript(self, transcript_id: int) -> None:
        self.conn.execute("DELETE FROM transcripts WHERE id = ?", (transcript_id,))

    def transcript_id(self, name: str) -> int | None:
        row = self.conn.execute("SELECT id FROM transcripts WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def transcripts(self) -> list[dict]:
        """Every transcript with its attributes, segment count and done-markers, by name."""
        rows = self.conn.execute(
            "SELECT t.id, t.name, t.format, t.encoding, t.n_words, t.segmentation, t.language, "
            "t.imported_at, (SELECT count(*) FROM segments s WHERE s.transcript_id = t.id) "
            "FROM transcripts t ORDER BY t.name").fetchall()
        attrs = self._attributes_by_transcript()
        done = self._done_by_transcript()
        out = []
        for tid, name, fmt, enc, n_words, seg, lang, at, n_seg in rows:
            out.append({"id": tid, "name": name, "format": fmt, "encoding": enc, "words": n_words,
                        "segments": n_seg, "segmentation": seg, "language": lang, "imported_at": at,
                        "attributes": attrs.get(tid, {}), "done_by": done.get(tid, [])})
        return out

    def _attributes_by_transcript(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for tid, name, value in self.conn.execute(
                "SELECT transcript_id, name, value FROM attributes ORDER BY transcript_id, name"):
            out.setdefault(tid, {})[name] = value
        return out

    def _done_by_transcript(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for tid, coder in self.conn.execute("SELECT transcript_id, coder FROM done ORDER BY coder"):
            out.setdefault(tid, []).append(coder)
        return out

    def attribute_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT name FROM attributes ORDER BY name")]

    def transcript_text(self, transcript_id: int) -> str:
        row = self.conn.execute("SELECT text FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()
        return row[0] if row else ""

    def segments(self, transcript_id: int) -> list[SegmentRow]:
        """The segments of one transcript in order, with their text."""
        row = self.conn.execute("SELECT name, text FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()
        if row is None:
            return []
        name, text = row
        return [SegmentRow(sid, name, pos, start, end, speaker, ts, te, text[start:end])
                for sid, pos, start, end, speaker, ts, te in self.conn.execute(
                    'SELECT id, position, start, "end", speaker, t_start, t_end FROM segments '
                    "WHERE transcript_id = ? ORDER BY position", (transcript_id,))]

    def segment_id(self, transcript_id: int, position: int) -> int | None:
        row = self.conn.execute("SELECT id FROM segments WHERE transcript_id = ? AND position = ?",
                                (transcript_id, position)).fetchone()
        return row[0] if row else None

    def segment_ids_by_position(self) -> dict[tuple[str, int], tuple[int, int]]:
        """Map (transcript name, 1-based position) to (segment id, transcript id), for the whole project."""
        return {(name, pos): (sid, tid) for name, pos, sid, tid in self.conn.execute(
            "SELECT t.name, s.position, s.id, t.id FROM segments s JOIN transcripts t ON t.id = s.transcript_id")}

    # ----------------------------------------------------------------- codes
    def codes(self, *, include_inactive: bool = True) -> list[CodeRow]:
        """The codebook in codebook order (depth first, siblings by position)."""
        rows = [CodeRow(*r[:-1], bool(r[-1])) for r in self.conn.execute(
            "SELECT " + ", ".join(_CODE_FIELDS) + " FROM codes ORDER BY position, id")]
        children: dict[str | None, list[CodeRow]] = {}
        for r in rows:
            children.setdefault(r.parent_id, []).append(r)
        ordered: list[CodeRow] = []

        def walk(parent: str | None) -> None:
            for r in children.get(parent, []):
                if include_inactive or r.active:
                    ordered.append(r)
                walk(r.id)
        walk(None)
        return ordered

    def code_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM codes")}

    def upsert_codes(self, codes: Iterable[dict]) -> None:
        """Insert or update codes (dicts with the columns of the codes table).

        Parents must come before their children. Call inside a transaction.
        """
        placeholders = ", ".join("?" for _ in _CODE_FIELDS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in _CODE_FIELDS if c != "id")
        sql = (f"INSERT INTO codes({', '.join(_CODE_FIELDS)}) VALUES ({placeholders}) "
               f"ON CONFLICT(id) DO UPDATE SET {updates}")
        defaults = {"parent_id": None, "position": 0, "active": True}
        self.conn.executemany(sql, ([int(c.get("active", True)) if k == "active" else c.get(k, defaults.get(k, ""))
                                     for k in _CODE_FIELDS] for c in codes))

    def coded_code_ids(self) -> set[str]:
        """The ids of codes that carry at least one coding."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT code_id FROM codings")}

    def delete_codes(self, ids: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM codes WHERE id = ?", ((i,) for i in ids))

    def set_code_active(self, ids: Iterable[str], active: bool) -> None:
        self.conn.executemany("UPDATE codes SET active = ? WHERE id = ?", ((int(active), i) for i in ids))

    def update_code(self, code_id: str, fields: dict) -> None:
        """Change some columns of one code (keys: columns of the codes table except id)."""
        allowed = set(_CODE_FIELDS) - {"id"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown code field(s): {', '.join(sorted(bad))}")
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            self.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", (*fields.values(), code_id))

    def next_code_position(self) -> int:
        return self.conn.execute("SELECT coalesce(max(position), -1) + 1 FROM codes").fetchone()[0]

    def merge_code_into(self, source: str, target: str) -> int:
        """Move the codings, memos and children of ``source`` to ``target`` and delete ``source``.

        A coder who had applied both codes to a segment keeps one coding. Returns codings moved.
        """
        moved = self.conn.execute(
            "UPDATE codings SET code_id = ? WHERE code_id = ? AND NOT EXISTS (SELECT 1 FROM codings o "
            "WHERE o.segment_id = codings.segment_id AND o.coder = codings.coder AND o.code_id = ?)",
            (target, source, target)).rowcount
        self.conn.execute("DELETE FROM codings WHERE code_id = ?", (source,))
        self.conn.execute("UPDATE memos SET code_id = ? WHERE code_id = ?", (target, source))
        self.conn.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", (target, source))
        self.conn.execute("DELETE FROM codes WHERE id = ?", (source,))
        return moved

    # ---------------------------------------------------------------- coders
    def ensure_coders(self, names: Iterable[str]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO coders(name, created_at) VALUES (?, ?)",
                              ((n, now()) for n in set(names)))

    def coders(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM coders ORDER BY name")]

    def coder(self, name: str) -> dict | None:
        row = self.conn.execute("SELECT name, password_hash, is_owner, created_at FROM coders WHERE name = ?",
                                (name,)).fetchone()
        return dict(zip(("name", "password_hash", "is_owner", "created_at"), row)) if row else None

    def set_coder(self, name: str, *, password_hash: str | None = None, is_owner: bool | None = None) -> None:
        if password_hash is not None:
            self.conn.execute("UPDATE coders SET password_hash = ? WHERE name = ?", (password_hash, name))
        if is_owner is not None:
            self.conn.execute("UPDATE coders SET is_owner = ? WHERE name = ?", (int(is_owner), name))

    # --------------------------------------------------------------- codings
    def add_coding(self, segment_id: int, code_id: str, coder: str, memo: str | None = None) -> bool:
        """Apply a code; returns False if this coder had already applied it (the memo is then updated)."""
        cur = self.conn.execute(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, ?4, ?5) "
            "ON CONFLICT(segment_id, code_id, coder) DO NOTHING",
            (segment_id, code_id, coder, memo, now()))
        if cur.rowcount == 0:
            if memo is not None:
                self.conn.execute("UPDATE codings SET memo = ? WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                  (memo, segment_id, code_id, coder))
            return False
        return True

    def remove_coding(self, segment_id: int, code_id: str, coder: str) -> bool:
        cur = self.conn.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?",
                                (segment_id, code_id, coder))
        return cur.rowcount > 0

    def add_codings(self, rows: Sequence[tuple[int, int, str, str, str | None]]) -> int:
        """Bulk insert (segment id, transcript id, code id, coder, memo) rows; existing ones keep
        their row but take a new memo. Returns the number of rows newly added. Call inside a transaction."""
        before = self.codings_count()
        stamp = now()
        bulk = len(rows) >= BULK_ROWS
        if bulk:
            store_aggregates.drop_coding_triggers(self.conn)
        self.conn.executemany(
            "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(segment_id, code_id, coder) DO UPDATE SET memo = excluded.memo "
            "WHERE excluded.memo IS NOT NULL AND excluded.memo IS NOT codings.memo",
            ((s, t, c, k, m, stamp) for s, t, c, k, m in rows))
        if bulk:
            store_aggregates.rebuild(self.conn)
        return self.codings_count() - before

    def codings(self, *, coder: str | None = None, transcript_id: int | None = None) -> list[dict]:
        """Codings with transcript name and 1-based segment position, in text order."""
        keys = ("transcript", "segment", "code", "coder", "memo", "segment_id", "created_at")
        return [dict(zip(keys, row)) for row in self.iter_codings_rows(coder=coder, transcript_id=transcript_id)]

    def iter_codings_rows(self, *, coder: str | None = None, transcript_id: int | None = None) -> Iterator[tuple]:
        """Stream (transcript, segment position, code, coder, memo, segment id, created at) rows in text order."""
        where, args = _where(c__coder=coder, c__transcript_id=transcript_id)
        yield from self.conn.execute(
            "SELECT t.name, s.position, c.code_id, c.coder, c.memo, c.segment_id, c.created_at FROM codings c "
            "JOIN segments s ON s.id = c.segment_id JOIN transcripts t ON t.id = c.transcript_id"
            + where + " ORDER BY t.name, s.position, c.coder, c.code_id", args)

    def codings_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM codings").fetchone()[0]

    def segment_codes(self, transcript_id: int, coder: str) -> dict[int, list[str]]:
        """For one transcript and coder: segment id -> the code ids applied."""
        out: dict[int, list[str]] = {}
        for sid, code in self.conn.execute(
                "SELECT segment_id, code_id FROM codings WHERE transcript_id = ? AND coder = ? ORDER BY id",
                (transcript_id, coder)):
            out.setdefault(sid, []).append(code)
        return out

    def add_codings_to_segments(self, segment_ids: Sequence[int], code_id: str, coder: str,
                                memo: str | None = None) -> list[int]:
        """Apply one code to several segments; returns the ids of segments newly coded."""
        added = []
        stamp = now()
        for sid in segment_ids:
            cur = self.conn.execute(
                "INSERT INTO codings(segment_id, transcript_id, code_id, coder, memo, created_at) "
            "VALUES (?1, (SELECT transcript_id FROM segments WHERE id = ?1), ?2, ?3, ?4, ?5) "
                "ON CONFLICT(segment_id, code_id, coder) DO NOTHING", (sid, code_id, coder, memo, stamp))
            if cur.rowcount:
                added.append(sid)
        return added

    def remove_codings_from_segments(self, segment_ids: Sequence[int], code_id: str,
                                     coder: str) -> list[tuple[int, str | None]]:
        """Remove one coder's code from several segments; returns (segment id, old memo) of each removed row."""
        removed = []
        for sid in segment_ids:
            rows = self.conn.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ? "
                                     "RETURNING memo", (sid, code_id, coder)).fetchall()
            if rows:
                removed.append((sid, rows[0][0]))
        return removed

    def segment_codes_by_coder(self, transcript_id: int, coders: Sequence[str]) -> dict[int, dict[str, list[str]]]:
        """For one transcript: segment id -> coder -> code ids, for the given coders."""
        out: dict[int, dict[str, list[str]]] = {}
        if not coders:
            return out
        marks = ", ".join("?" for _ in coders)
        for sid, coder, code in self.conn.execute(
                f"SELECT segment_id, coder, code_id FROM codings WHERE transcript_id = ? AND coder IN ({marks}) "
                "ORDER BY id", (transcript_id, *coders)):
            out.setdefault(sid, {}).setdefault(coder, []).append(code)
        return out

    def coded_segment_counts(self, coder: str) -> dict[int, int]:
        """transcript id -> number of its segments that ``coder`` has coded at least once."""
        return {tid: n for tid, n in self.conn.execute(
            "SELECT transcript_id, count(DISTINCT segment_id) FROM codings WHERE coder = ? GROUP BY transcript_id",
            (coder,))}

    def segment_counts(self) -> dict[int, int]:
        """transcript id -> number of segments."""
        return dict(self.conn.execute("SELECT transcript_id, count(*) FROM segments GROUP BY transcript_id"))

    def segment_memo(self, segment_id: int, coder: str) -> str | None:
        row = self.conn.execute("SELECT text FROM memos WHERE segment_id = ? AND coder = ? AND code_id IS NULL",
                                (segment_id, coder)).fetchone()
        return row[0] if row else None

    def set_segment_memo(self, segment_id: int, coder: str, text: str | None) -> None:
        """Replace the coder's memo on a segment (None or empty: delete it)."""
        self.conn.execute("DELETE FROM memos WHERE segment_id = ? AND coder = ? AND code_id IS NULL",
                          (segment_id, coder))
        if text:
            tid = self.conn.execute("SELECT transcript_id FROM segments WHERE id = ?", (segment_id,)).fetchone()[0]
            self.add_memo(coder=coder, text=text, transcript_id=tid, segment_id=segment_id)

    def segment_memos(self, transcript_id: int, coder: str) -> dict[int, str]:
        return dict(self.conn.execute(
            "SELECT segment_id, text FROM memos WHERE transcript_id = ? AND coder = ? AND segment_id IS NOT NULL "
            "AND code_id IS NULL", (transcript_id, coder)))

    def audit_entries(self, actor: str, actions: Sequence[str]) -> Iterator[dict]:
        """The actor's audit entries of the given actions, newest first (streamed)."""
        marks = ", ".join("?" for _ in actions)
        for id_, action, target, detail in self.conn.execute(
                f"SELECT id, action, target, detail FROM audit WHERE actor = ? AND action IN ({marks}) "
                "ORDER BY id DESC", (actor, *actions)):
            yield {"id": id_, "action": action, "target": target, "detail": json.loads(detail) if detail else {}}

    # ------------------------------------------------------------------ done
    def mark_done(self, transcript_ids: Iterable[int], coder: str, done: bool = True) -> int:
        """Mark (or unmark) transcripts as finished by a coder; returns rows changed."""
        before = self.conn.total_changes
        if done:
            self.conn.executemany("INSERT OR IGNORE INTO done(transcript_id, coder, done_at) VALUES (?, ?, ?)",
                                  ((t, coder, now()) for t in transcript_ids))
        else:
            self.conn.executemany("DELETE FROM done WHERE transcript_id = ? AND coder = ?",
                                  ((t, coder) for t in transcript_ids))
        return self.conn.total_changes - before

    def done_coders(self, transcript_id: int) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT coder FROM done WHERE transcript_id = ?", (transcript_id,))}

    def done_transcripts(self, coder: str) -> set[int]:
        return {r[0] for r in self.conn.execute("SELECT transcript_id FROM done WHERE coder = ?", (coder,))}

    # ----------------------------------------------------------------- memos
    def add_memo(self, *, coder: str, text: str, transcript_id: int | None = None,
                 segment_id: int | None = None, code_id: str | None = None) -> int:
        stamp = now()
        cur = self.conn.execute(
            "INSERT INTO memos(transcript_id, segment_id, code_id, coder, text, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (transcript_id, segment_id, code_id, coder, text, stamp, stamp))
        return cur.lastrowid

    def memos(self, *, segment_id: int | None = None, transcript_id: int | None = None) -> list[dict]:
        where, args = _where(segment_id=segment_id, transcript_id=transcript_id)
        sql = "SELECT id, transcript_id, segment_id, code_id, coder, text, created_at, updated_at FROM memos" + where
        keys = ("id", "transcript_id", "segment_id", "code_id", "coder", "text", "created_at", "updated_at")
        return [dict(zip(keys, r)) for r in self.conn.execute(sql + " ORDER BY id", args)]

    # ----------------------------------------------------------------- stats
    def counts(self) -> dict[str, int]:
        """How many rows each main table holds (for `qcode info` and tests)."""
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("transcripts", "segments", "codes", "coders", "codings", "memos", "done", "audit")}


def migrate(store: Store) -> int:
    """Bring a project's schema up to :data:`SCHEMA_VERSION`; returns the steps applied."""
    version = store.schema_version()
    if version > SCHEMA_VERSION:
        raise ProjectProblem(f"the project was written by a newer qcode (schema {version}; "
                             f"this version reads up to {SCHEMA_VERSION}); upgrade qcode",
                             path=str(store.path))
    steps = 0
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version - 1]
        with store.transaction():
            step(store.conn)
            version += 1
            store.set_meta("schema_version", str(version))
            store.conn.execute(f"PRAGMA user_version={version}")
            store.audit("schema.migrate", detail={"to": version})
        steps += 1
    return steps
