"""Full-text search over every segment (part of the store, schema version 3).

The index is an SQLite FTS5 table, ``segments_fts``, made by sqlite-utils'
``Table.enable_fts`` over the column ``segments.text`` and kept in step by
its triggers (``segments_ai``, ``segments_ad``, ``segments_au``): importing a
transcript indexes its segments, deleting one (segments go by ``ON DELETE
CASCADE``, which fires the triggers) removes them.

Why a ``segments.text`` column and an *external-content* index: a segment's
text is the slice ``transcripts.text[start:end]``, and FTS5 can only index
a column. Storing the slice once per segment (on import; segments never
change afterwards) lets the index keep no copy of its own (``content=
"segments"``), lets the readable views show the text without slicing, and
lets Datasette and ``sqlite-utils search`` find the index by its usual name.
A contentless index would save the copy but SQLite 3.40 (Debian 12) cannot
delete from one without the original text, and it could not highlight. The
price is the transcripts' text once more plus the index: the demo project
grows from 0.81 to 1.09 MB, a 200-transcript bench corpus (120,000
segments, 200,000 codings) from 66 to 82 MB -- about +80 MB at 1,000
transcripts (600,000 segments). Upgrading that 200-transcript file to
schema 3 takes about 2.5 s, once.

Matching is accent-insensitive (``unicode61 remove_diacritics 2``) and
ignores case, in Swedish and English alike. The tokenizer folds the Swedish
letters too: å and ä become a, ö becomes o. So "forankring" (as in OCR text
that lost its dots) finds "förankring", and "förankring" finds
"forankring" -- but "har" also finds "här" and "for" finds "för". For a
qualitative search (the researcher reads every hit) that is the better
side to err on.
"""

from __future__ import annotations

import re
import sqlite3

from .base import on_postgresql
from .rows import SearchHit

TOKENIZE = "unicode61 remove_diacritics 2"
FTS_TABLE = "segments_fts"
ORDERS = ("text", "rank")
_START, _END = "\x01", "\x02"  # highlight markers (control characters never occur in imported text)


# On PostgreSQL: PostgreSQL's own text search. ``segments.search`` is a generated tsvector of the
# segment's text, lower-cased and with its diacritics removed by ``qcode_fold`` (the same folding as
# FTS5's remove_diacritics: å, ä → a, ö → o), parsed by the 'simple' configuration (no stemming, no
# stop words), under a GIN index. Queries fold their words the same way (:func:`fold`).
_FOLD_FROM = "àáâãäåāăąçćčďđèéêëēĕėęěìíîïĩīĭįıñńňòóôõöøōŏőùúûüũūŭůűųýÿźżžśšşţťŕřĺľłğ"
_FOLD_TO = "aaaaaaaaacccddeeeeeeeeeiiiiiiiiinnnooooooooouuuuuuuuuuyyzzzsssttrrlllg"  # each letter's base letter
_FOLD = str.maketrans(_FOLD_FROM, _FOLD_TO)
_PG_FTS = (
    "CREATE OR REPLACE FUNCTION qcode_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    f"RETURN replace(replace(replace(translate(lower(t), '{_FOLD_FROM}', '{_FOLD_TO}'), 'æ', 'ae'), 'œ', 'oe'), "
    "'ß', 'ss')",
    "ALTER TABLE segments ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, qcode_fold(text))) STORED",
    "CREATE INDEX segments_search ON segments USING gin (search)",
)


def fold(text: str) -> str:
    """Lower case without diacritics, as ``qcode_fold`` in PostgreSQL.

    >>> fold("Förankring i Ålands SE-nätverk")
    'forankring i alands se-natverk'
    """
    return text.lower().translate(_FOLD).replace("æ", "ae").replace("œ", "oe").replace("ß", "ss")


def create(conn: sqlite3.Connection) -> None:
    """Add ``segments.text``, fill it from the transcripts and build the index (part of schema 3)."""
    pg = on_postgresql(conn)
    if pg:
        conn.execute("ALTER TABLE segments ADD COLUMN text TEXT NOT NULL DEFAULT ''")
    else:
        import sqlite_utils  # here, not at the top: it imports pandas and numpy (see StoreBase.db)

        db = sqlite_utils.Database(conn)
        db["segments"].add_column("text", str, not_null_default="")
    # The slices are cut in Python, where start/end were computed: the same characters by
    # construction. SQL's substr() would give the same code points but reads the whole transcript
    # again for every segment: 9.6 s instead of 0.9 s for the 120,000 segments of a 20% bench corpus.
    for tid, text in conn.execute("SELECT id, text FROM transcripts").fetchall():
        conn.executemany('UPDATE segments SET text = ? WHERE id = ?',
                         ((text[start:end], sid) for sid, start, end in conn.execute(
                             'SELECT id, start, "end" FROM segments WHERE transcript_id = ?', (tid,)).fetchall()))
    if pg:
        for statement in _PG_FTS:
            conn.execute(statement)
    else:
        db["segments"].enable_fts(["text"], tokenize=TOKENIZE, create_triggers=True)


def _terms(query: str) -> list[tuple[str, bool, bool]]:
    """(text, is a phrase, is a prefix) of every term of what a user typed (see :func:`match_expression`):
    the one reading of a query behind both engines' search."""
    out = []
    for phrase, word in _TERM.findall(query or ""):
        text, prefix = (phrase, False) if not word else (word.rstrip("*"), word.endswith("*"))
        if any(ch.isalnum() for ch in text):
            out.append((text, bool(phrase), prefix))
    return out


_WORD = re.compile(r"\w+")


def _pg_query(terms) -> tuple[str, list]:
    """A tsquery expression (with parameters) that needs every term: words, phrases, prefixes."""
    parts, args = [], []
    for text, phrase, prefix in terms:
        words = _WORD.findall(fold(text))
        if not words:
            continue
        if prefix and not phrase:
            parts.append("to_tsquery('simple'::regconfig, ?)")
            args.append(" <-> ".join("'" + w + "'" for w in words) + ":*")
        else:
            parts.append(("phraseto_tsquery" if len(words) > 1 else "plainto_tsquery") + "('simple'::regconfig, ?)")
            args.append(" ".join(words))
    return " && ".join(parts), args


def _pg_highlights(text: str, terms) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of ``text`` that match ``terms`` (folded; phrases as runs of words)."""
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    found: list[tuple[int, int]] = []
    for term, _phrase, prefix in terms:
        wanted = _WORD.findall(fold(term))
        if not wanted:
            continue
        for i in range(len(words) - len(wanted) + 1):
            run = words[i:i + len(wanted)]
            if all(w[2] == t or (prefix and j == len(wanted) - 1 and w[2].startswith(t))
                   for j, (w, t) in enumerate(zip(run, wanted))):
                found.append((run[0][0], run[-1][1]))  # a phrase is one stretch, as FTS5 marks it
    merged: list[list[int]] = []
    for a, b in sorted(found):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')


def match_expression(query: str) -> str | None:
    """Turn what a user typed into a safe FTS5 query; None when nothing is left to search for.

    Every word must occur (in any order); words in double quotes must occur
    together, as a phrase; a word ending in ``*`` matches every word that
    begins with it. Everything else is taken literally, so FTS5's own syntax
    (``AND``, ``OR``, ``NOT``, ``NEAR``, parentheses, ``:``, ``^``) never
    raises an error.

    >>> match_expression('förankring "stöd i nätverket" coach*')
    '"förankring" "stöd i nätverket" "coach"*'
    >>> match_expression('AND ( " *')
    '"AND"'
    >>> match_expression('" * (') is None
    True
    """
    return " ".join('"' + text.replace('"', '""') + '"' + ("*" if prefix else "")
                    for text, _phrase, prefix in _terms(query)) or None


def _offsets(marked: str) -> tuple[tuple[int, int], ...]:
    """Offsets of the ``\\x01…\\x02`` marked stretches, in the text without the markers."""
    out, plain, start = [], 0, None
    for piece in re.split(f"([{_START}{_END}])", marked):
        if piece == _START:
            start = plain
        elif piece == _END:
            if start is not None:
                out.append((start, plain))
            start = None
        else:
            plain += len(piece)
    return tuple(out)


class SearchQueries:
    """Full-text search over the segments; ``self.conn`` is the project's connection."""

    def search_segments(self, query: str, *, transcript_id: int | None = None, limit: int | None = 100,
                        offset: int = 0, order: str = "text") -> list[SearchHit]:
        """The segments that match ``query`` (see :func:`match_expression`), with the matches' offsets.

        ``order="text"`` lists hits by transcript name and position,
        ``order="rank"`` best match first (FTS5's bm25). ``limit=None``: all.
        """
        if order not in ORDERS:
            raise ValueError(f"order must be one of {', '.join(ORDERS)}; got {order!r}")
        expression = match_expression(query)
        if expression is None:
            return []
        if self.engine == "postgresql":
            return self._pg_search(query, transcript_id=transcript_id, limit=limit, offset=offset, order=order)
        sql = ("SELECT s.id, s.transcript_id, t.name, s.position, s.speaker, s.text, "
               f"highlight({FTS_TABLE}, 0, '{_START}', '{_END}') "
               f"FROM {FTS_TABLE} JOIN segments s ON s.id = {FTS_TABLE}.rowid "
               f"JOIN transcripts t ON t.id = s.transcript_id WHERE {FTS_TABLE} MATCH ?")
        args: list = [expression]
        if transcript_id is not None:
            sql += " AND s.transcript_id = ?"
            args.append(int(transcript_id))
        sql += " ORDER BY " + ("t.name, s.position" if order == "text" else f"{FTS_TABLE}.rank, s.id")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        hits = []
        for sid, tid, name, pos, speaker, text, marked in self.conn.execute(sql, args):
            spans = _offsets(marked) if marked is not None and marked.replace(_START, "").replace(_END, "") == text \
                else ()
            hits.append(SearchHit(sid, tid, name, pos, speaker, text, spans))
        return hits

    def search_count(self, query: str, *, transcript_id: int | None = None) -> int:
        """How many segments match ``query`` (all of them, whatever a search's ``limit``)."""
        expression = match_expression(query)
        if expression is None:
            return 0
        if self.engine == "postgresql":
            tsquery, args = _pg_query(_terms(query))
            sql = f"SELECT count(*) FROM segments s WHERE s.search @@ ({tsquery})"
            if transcript_id is not None:
                sql += " AND s.transcript_id = ?"
                args.append(int(transcript_id))
            return self.conn.execute(sql, args).fetchone()[0]
        sql = f"SELECT count(*) FROM {FTS_TABLE} JOIN segments s ON s.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH ?"
        args: list = [expression]
        if transcript_id is not None:
            sql += " AND s.transcript_id = ?"
            args.append(int(transcript_id))
        return self.conn.execute(sql, args).fetchone()[0]

    def _pg_search(self, query: str, *, transcript_id, limit, offset, order) -> list[SearchHit]:
        terms = _terms(query)
        tsquery, args = _pg_query(terms)
        sql = ("SELECT s.id, s.transcript_id, t.name, s.position, s.speaker, s.text FROM segments s "
               f"JOIN transcripts t ON t.id = s.transcript_id WHERE s.search @@ ({tsquery})")
        if transcript_id is not None:
            sql += " AND s.transcript_id = ?"
            args.append(int(transcript_id))
        if order == "text":
            sql += " ORDER BY t.name, s.position"
        else:
            sql += f" ORDER BY ts_rank(s.search, ({tsquery})) DESC, s.id"
            args += args[:len(args) - (transcript_id is not None)]
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [int(limit), int(offset)]
        return [SearchHit(sid, tid, name, pos, speaker, text, _pg_highlights(text, terms))
                for sid, tid, name, pos, speaker, text in self.conn.execute(sql, args)]
