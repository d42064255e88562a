"""The project store: one SQLite file (the default) or one PostgreSQL schema holds a whole project.

This package is the only place that speaks SQL. Everything else (importers,
the CLI, the Streamlit app) calls the methods of :class:`Store`, whose
public surface is the typed interface :class:`~coding.store.interface.ProjectStore`.

:class:`Store` is one class made of small parts, one module each:

* :mod:`~coding.store.base`: connection, create/open, transactions (nested ones are savepoints), ``meta``;
* :mod:`~coding.store.pgconn`: the PostgreSQL connection (SQL translation, the writer lock, errors);
* :mod:`~coding.store.url`, :mod:`~coding.store.copy`, :mod:`~coding.store.pg`: locations, copying between engines;
* :mod:`~coding.store.schema`: the tables and the migrations that bring an older file forward;
* :mod:`~coding.store.transcripts`: transcripts, attributes, segments;
* :mod:`~coding.store.codebook`: codes;
* :mod:`~coding.store.coders`: coders;
* :mod:`~coding.store.codings`: codings, memos, done-markers;
* :mod:`~coding.store.spans`: codings of any span of text and the segment codings derived from them;
* :mod:`~coding.store.suggestions`: suggestion models, their proposals, where a coding came from;
* :mod:`~coding.store.memos`: the memo list (memos and codings' memos), editing and deleting memos;
* :mod:`~coding.store.media`: audio and video files attached to transcripts (where they are, not their bytes);
* :mod:`~coding.store.audit`: the audit log;
* :mod:`~coding.store.consensus`: consensus decisions;
* :mod:`~coding.store.fts`: full-text search over the segments;
* :mod:`~coding.store.matrix`, :mod:`~coding.store.agreement`: the queries behind matrices and agreement;
* :mod:`~coding.store.quotes`: the queries behind quote reports;
* :mod:`~coding.store.rewrite`: rewriting stored text in place (pseudonymisation), compaction;
* :mod:`~coding.store.aggregates`, :mod:`~coding.store.views`: running totals and readable views (schema only).

**Two engines, one store.** :meth:`Store.create` and :meth:`Store.open` take a file path, an
``sqlite:///`` URL or a ``postgresql://user@host/db?schema=NAME`` URL (:mod:`~coding.store.url`). The
queries are written once; :mod:`~coding.store.pgconn` gives a psycopg connection the surface of an
SQLite one and translates the few SQLite spellings. What differs is written per engine where it is
used, asking ``store.engine``: triggers (SQL on SQLite, PL/pgSQL on PostgreSQL), full-text search (FTS5,
or a tsvector column), catalogue queries, backups and compaction. The schema steps in
:mod:`~coding.store.schema` are one list for both. :mod:`~coding.store.copy` moves a project between them.

The file is opened with the settings that let several coders write at once
(WAL journal, a 10 s busy timeout, foreign keys on). The schema carries a
version number and :func:`migrate` brings an older project forward when the
package is upgraded.

>>> path = getfixture("tmp_path") / "new.qcode"
>>> with Store.create(path) as new:
...     new.schema_version() == SCHEMA_VERSION
True
"""

from __future__ import annotations

from .agreement import AgreementQueries
from .audit import AuditLog
from .base import StoreBase, connect, now
from .codebook import CodebookQueries
from .coders import CoderQueries
from .codings import CodingQueries
from .consensus import ConsensusQueries
from .fts import SearchQueries
from .matrix import MatrixQueries
from .quotes import QuoteQueries
from .media import MediaQueries
from .memos import MemoQueries
from .rows import CodeRow, SearchHit, SegmentRow
from .rewrite import TextRewriteQueries
from .spans import SpanQueries
from .suggestions import SuggestionQueries
from .schema import APPLICATION_ID, SCHEMA_VERSION, migrate
from .transcripts import TranscriptQueries

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "CodeRow",
    "SearchHit",
    "SegmentRow",
    "Store",
    "connect",
    "migrate",
    "now",
]


class Store(TranscriptQueries, CodebookQueries, CoderQueries, CodingQueries, SpanQueries, AuditLog, ConsensusQueries,
            SearchQueries, MatrixQueries, AgreementQueries, TextRewriteQueries, QuoteQueries, MemoQueries,
            MediaQueries, SuggestionQueries, StoreBase):
    """All reads and writes of one project file.

    Use :meth:`create` for a new project and :meth:`open` for an existing
    one. Writes that touch several rows run inside :meth:`transaction`.
    """
