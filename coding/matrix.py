"""Matrices of rows × codes: the municipality × factor tables our users publish.

Rows are any transcript attribute (default ``kommun``/``municipality``), or
``"transcript"``, or ``"speaker"`` (the speaker of each segment). Columns are
codes (``level="code"``), the categories just above the leaves
(``level="category"``: codings roll up from each leaf to its parent), or the
ancestors at a given depth (``level=0`` for the top level, ``1`` below it …).

Measures (each cell):

* ``count`` — coded segments (a segment counts once per column, whichever coders coded it);
* ``presence`` — 1 if the code occurs at least once in the row, else 0;
* ``transcripts`` — the number of transcripts (interviews) of the row in which it occurs;
* ``share`` — ``transcripts`` divided by the number of transcripts in the row.

Margins (``Matrix.with_margins()``) add a ``Total`` row and column holding
sums; for ``share`` the total row holds the share over all transcripts in
scope and the total column is left empty.

Every option is a field of :class:`coding.specs.MatrixSpec`; :func:`build_matrix`
takes a spec or the same options as keyword arguments. Without chosen coders
every coder counts except ``consensus`` (name it to count the consensus
coding): the CLI, the app and Python agree on that because the spec decides it.

>>> m = build_matrix(project.store, MatrixSpec(rows="kommun", measure="presence", coders=("anna",)))
>>> int(m.table.loc["Aneby", "impl_hi_ensam_position"])
1
>>> build_matrix(project.store, rows="kommun", measure="presence", coders=["anna"]).table.equals(m.table)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Sequence

from .codebook import Code, Codebook, codebook_from_store
from .errors import QcodeError
from .specs import CASE_ATTRIBUTES, MEASURES, MatrixSpec

if TYPE_CHECKING:  # pandas is imported where a table is built, so that importing this module stays light
    import pandas as pd

__all__ = ["MEASURES", "MISSING", "TOTAL", "Matrix", "MatrixSpec", "ReportTable", "build_matrix", "cell_segments",
           "column_map", "cooccurrence", "default_rows", "matrix_segments", "parse_where", "report_table",
           "swedish_sort_key", "transcripts_in_scope"]

SPECIAL_ROWS = ("transcript", "speaker")
DEFAULT_ROW_ATTRIBUTES = CASE_ATTRIBUTES
MISSING = "—"
TOTAL = "Total"

_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "é": "e", "ü": "y"})


def swedish_sort_key(value) -> str:
    """Sort key that puts å, ä, ö after z, as Swedish readers expect (Vaggeryd, Vetlanda, Värnamo, Åseda)."""
    return str(value).lower().translate(_SWEDISH_ORDER)


def default_rows(store) -> str:
    """``kommun`` or ``municipality`` if transcripts carry one, else ``transcript``."""
    return MatrixSpec().rows_for(store)


def _coders(store, coders) -> list[str] | None:
    """Whose codings count: the chosen coders, else every coder except ``consensus`` (see MatrixSpec)."""
    return MatrixSpec(coders=coders).coders_for(store)


@dataclass
class Matrix:
    """A rows × columns table of one measure, with the codes behind its columns."""

    table: pd.DataFrame
    measure: str
    rows: str
    columns: list[Code]
    row_transcripts: dict[str, int] = field(default_factory=dict)
    book: Codebook | None = None

    def labels(self, language: str = "sv") -> dict[str, str]:
        """Column id -> label; a label shared by several columns gets its id added to stay unique."""
        labels = {c.id: c.label(language) for c in self.columns}
        seen: dict[str, int] = {}
        for label in labels.values():
            seen[label] = seen.get(label, 0) + 1
        return {cid: (f"{label} [{cid}]" if seen[label] > 1 else label) for cid, label in labels.items()}

    def categories(self, language: str = "sv") -> list[tuple[str, list[str]]]:
        """The columns grouped by category, in codebook order: ``(category label, [column ids])``.

        A column's category is the top of its branch and the level below it (phase and polarity in
        the SE/IPS codebook); a column at the top level has none (label ``""``), and so has every
        column when the matrix does not know its codebook.

        >>> m = build_matrix(project.store, MatrixSpec(under=("impl",)))
        >>> [(label, len(columns)) for label, columns in m.categories()]
        [('Implementering – inledande fas: Framgångsfaktorer', 20), ('Implementering – inledande fas: Hinder', 20)]
        >>> m.categories("en")[1][0]
        'Implementation – initial phase: Obstacles'
        """
        groups: dict[tuple, tuple[str, list[str]]] = {}
        for code in self.columns:
            chain = []
            parent = code.parent
            while self.book is not None and parent is not None and parent in self.book:
                chain.append(self.book[parent])
                parent = chain[-1].parent
            top = list(reversed(chain[-2:]))
            label = ": ".join(c.label(language) or c.id for c in top)
            groups.setdefault(tuple(c.id for c in top), (label, []))[1].append(code.id)
        return list(groups.values())

    def with_margins(self) -> pd.DataFrame:
        """The table with a ``Total`` row and column (sums; for share see the module doc)."""
        import pandas as pd

        table = self.table.copy()
        if self.measure == "share":
            overall = {}
            total_t = sum(self.row_transcripts.values())
            for col in table.columns:
                with_code = (table[col] * pd.Series(self.row_transcripts)).sum()
                overall[col] = with_code / total_t if total_t else float("nan")
            table[TOTAL] = float("nan")
            table.loc[TOTAL] = pd.Series({**overall, TOTAL: float("nan")})
            return table
        table[TOTAL] = table.sum(axis=1)
        table.loc[TOTAL] = table.sum(axis=0)
        return table

    def labelled(self, language: str = "sv", margins: bool = False) -> pd.DataFrame:
        """The table with code labels (in ``language``) as column headers."""
        table = self.with_margins() if margins else self.table.copy()
        return table.rename(columns=self.labels(language))


# ------------------------------------------------------------------ columns

def column_map(book: Codebook, level="code", under: Iterable[str] | None = None,
               active: Iterable[str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Which column each code counts for, and the columns in codebook order.

    ``under`` keeps only codes below (or equal to) these categories.
    """
    scope = _scope(book, under)
    leaves = {c.id for c in book.leaves()}
    mapping: dict[str, str] = {}
    for code in book.codes:
        if code.id not in scope:
            continue
        if level == "code":
            mapping[code.id] = code.id
        elif level == "category":
            mapping[code.id] = code.parent if code.id in leaves and code.parent else code.id
        else:
            try:
                depth = int(level)
            except (TypeError, ValueError):
                raise QcodeError(f"unknown level {level!r}; use code, category or a depth (0, 1, …)") from None
            mapping[code.id] = _ancestor_at(book, code, depth)
    # Base columns: where the leaves land (a non-leaf code coded directly is added by the caller).
    targets = {mapping[c] for c in mapping if c in leaves}
    columns = [c.id for c in book.codes if c.id in targets]
    return mapping, columns


def _scope(book: Codebook, under: Iterable[str] | None) -> set[str]:
    if not under:
        return {c.id for c in book.codes}
    scope: set[str] = set()
    for cat in under:
        if cat not in book:
            raise QcodeError(f"no code or category with id {cat!r} in the codebook")
        scope.add(cat)
        scope.update(c.id for c in book.descendants(cat))
    return scope


def _ancestor_at(book: Codebook, code: Code, depth: int) -> str:
    chain = [code]
    while chain[-1].parent is not None:
        chain.append(book[chain[-1].parent])
    chain.reverse()  # top level first
    return chain[min(depth, len(chain) - 1)].id


# --------------------------------------------------------------------- rows

def parse_where(pairs: Iterable[str] | dict | None) -> dict[str, set[str]]:
    """``["roll=SE-coach", "roll=Chef", "fas=inledande"]`` -> ``{"roll": {...}, "fas": {...}}``."""
    if not pairs:
        return {}
    if isinstance(pairs, dict):
        return {k: ({v} if isinstance(v, str) else set(v)) for k, v in pairs.items()}
    out: dict[str, set[str]] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QcodeError(f"filter {pair!r} is not of the form ATTRIBUTE=VALUE")
        out.setdefault(name.strip(), set()).add(value.strip())
    return out


def transcripts_in_scope(store, where: dict[str, set[str]] | None) -> dict[int, str]:
    """transcript id -> name, for the transcripts whose attributes match every filter."""
    names = store.transcript_names_by_id()
    for attr, values in (where or {}).items():
        having = store.attribute_values(attr)
        names = {t: n for t, n in names.items() if having.get(t) in values}
    return names


def _row_of_transcript(store, rows: str, scope: dict[int, str]) -> dict[int, str]:
    if rows == "transcript":
        return dict(scope)
    values = store.attribute_values(rows)
    if not values and rows not in store.attribute_names():
        known = ", ".join(store.attribute_names()) or "none"
        raise QcodeError(f"no transcript has the attribute {rows!r} (attributes: {known}; or use transcript, "
                         "speaker)")
    return {t: values.get(t, MISSING) for t in scope}


# ------------------------------------------------------------------- matrix

def build_matrix(store, rows: str | MatrixSpec | None = None, measure: str = "count", *,
                 coders: Sequence[str] | None = None, level="code", where=None, under: Iterable[str] | None = None,
                 book: Codebook | None = None) -> Matrix:
    """Build a rows × codes matrix of one measure (see the module doc).

    Pass a :class:`~coding.specs.MatrixSpec`, or its options as keyword
    arguments: ``coders``: whose codings count (None: every coder except
    ``consensus``; ``["consensus"]``: the consensus coding). ``where``:
    attribute filters such as ``{"roll": "SE-coach"}`` or ``["fas=inledande"]``.
    ``under``: only codes below these categories.

    >>> m = build_matrix(project.store, "kommun", "count", where=["roll=Chef"])
    """
    import pandas as pd

    if isinstance(rows, MatrixSpec):
        spec = rows
    else:
        spec = MatrixSpec(rows=rows, measure=measure, coders=coders, level=level, where=where, under=under)
    measure, level = spec.measure, spec.level
    rows = spec.rows_for(store)
    coders = spec.coders_for(store)
    under = list(spec.under) or None
    book = book or codebook_from_store(store)
    mapping, columns = column_map(book, level, under)
    filters = spec.where_dict()
    scope = transcripts_in_scope(store, filters)
    single = coders is None or len(coders) == 1

    if rows == "speaker":
        row_of = {(t, sp): sp if sp is not None else MISSING for t, sp in store.transcript_speakers() if t in scope}
    else:
        row_of = _row_of_transcript(store, rows, scope)
    n_transcripts: dict[str, int] = {}
    for row in row_of.values():
        n_transcripts[row] = n_transcripts.get(row, 0) + 1
    row_names = sorted(set(row_of.values()), key=swedish_sort_key)

    if coders == []:
        # Only the consensus coder has coded, and "all coders" leaves it out: nothing counts.
        table = pd.DataFrame()
    elif rows not in SPECIAL_ROWS and level == "code" and single and not filters and MISSING not in n_transcripts:
        # Fastest: the running totals per attribute value (coding.store.aggregates).
        key = coders[0] if coders else ""
        keyed = [(value, code, segments if measure == "count" else transcripts)
                 for value, code, segments, transcripts in store.attribute_code_totals(key, rows)
                 if code in mapping]
        table = _pivot(keyed)
    elif rows != "speaker" and (measure != "count" or (single and level == "code")):
        # Running totals per transcript: exact counts for one coder, presence for several.
        per_code = store.transcript_code_totals(coders)
        if measure == "count":
            keyed = [(row_of[t], mapping[code], n) for t, code, n in per_code if t in row_of and code in mapping]
            table = _pivot(keyed)
        else:
            present = {(t, mapping[code]) for t, code, n in per_code if n > 0 and t in row_of and code in mapping}
            table = _pivot([(row_of[t], col, 1) for t, col in present])
    else:
        # Everything else counts distinct segments over the codings themselves.
        if rows == "speaker":
            counts = store.speaker_code_counts(coders, mapping)
            keyed = [((t, sp), col, n) for t, sp, col, n in counts if (t, sp) in row_of]
        else:
            counts = store.transcript_code_counts(coders, None if level == "code" and not under else mapping)
            keyed = [(t, col, n) for t, col, n in counts if t in row_of]
        if measure == "count":
            table = _pivot([(row_of[u], col, n) for u, col, n in keyed])
        else:
            present = {(u[0] if rows == "speaker" else u, row_of[u], col) for u, col, n in keyed if n > 0}
            table = _pivot([(row, col, 1) for _, row, col in present])

    # Columns: the codebook's leaves in scope, plus any non-leaf code that was coded directly.
    columns = columns + [c.id for c in book.codes if c.id in set(table.columns) and c.id not in columns]
    order = {c.id: i for i, c in enumerate(book.codes)}
    columns.sort(key=lambda c: order.get(c, len(order)))
    table = table.reindex(index=row_names, columns=columns, fill_value=0).fillna(0).astype(int)
    if measure == "presence":
        table = (table > 0).astype(int)
    elif measure == "share":
        denominators = pd.Series(n_transcripts).reindex(table.index).to_numpy(dtype=float)[:, None]
        table = pd.DataFrame(table.to_numpy() / denominators, index=table.index, columns=table.columns)
    table.index.name = rows
    table.columns.name = None
    return Matrix(table=table, measure=measure, rows=rows, columns=[book[c] for c in columns],
                  row_transcripts=n_transcripts, book=book)


def _pivot(keyed: list[tuple]) -> pd.DataFrame:
    """(row, column, value) triples -> a rows × columns frame (sums of the values)."""
    import pandas as pd

    frame = pd.DataFrame(keyed, columns=["row", "col", "n"])
    if frame.empty:
        return pd.DataFrame()
    return frame.pivot_table(index="row", columns="col", values="n", aggfunc="sum", fill_value=0)


# ------------------------------------------------------------- drill-down

def cell_segments(store, row: str, column: str, *, rows: str | None = None, coders: Sequence[str] | None = None,
                  level="code", where=None, context: int = 1, book: Codebook | None = None) -> list[dict]:
    """The coded segments behind one cell, each with a little context before and after.

    Returns dicts with ``transcript``, ``position``, ``speaker``, ``t_start``,
    ``text``, ``codes`` (the code ids that put it in the cell), ``coders``,
    and ``before`` / ``after`` (lists of ``{position, speaker, text}``).
    """
    rows = rows or default_rows(store)
    coders = _coders(store, coders)
    book = book or codebook_from_store(store)
    mapping, _ = column_map(book, level)
    codes = [c for c, col in mapping.items() if col == column]
    if not codes:
        raise QcodeError(f"no column {column!r} at level {level!r}")
    if coders == []:
        return []
    scope = transcripts_in_scope(store, parse_where(where))
    if rows == "speaker":
        tids = list(scope)
        hits = store.cell_codings(tids, codes, coders, speaker=None if row == MISSING else row, by_speaker=True)
    else:
        row_of = _row_of_transcript(store, rows, scope)
        tids = [t for t, r in row_of.items() if r == row]
        hits = store.cell_codings(tids, codes, coders)
    names = store.transcript_names_by_id()
    texts: dict[int, str] = {}
    out: dict[int, dict] = {}
    for sid, tid, pos, start, end, speaker, t_start, coder, code in hits:
        if sid not in out:
            text = texts.setdefault(tid, store.transcript_text(tid))
            window = store.segment_window(tid, pos - context, pos + context)
            out[sid] = {"transcript": names[tid], "position": pos, "speaker": speaker, "t_start": t_start,
                        "text": text[start:end], "codes": [], "coders": [],
                        "before": [{"position": p, "speaker": sp, "text": text[a:b]} for p, a, b, sp in window
                                   if p < pos],
                        "after": [{"position": p, "speaker": sp, "text": text[a:b]} for p, a, b, sp in window
                                  if p > pos]}
        if code not in out[sid]["codes"]:
            out[sid]["codes"].append(code)
        if coder not in out[sid]["coders"]:
            out[sid]["coders"].append(coder)
    return sorted(out.values(), key=lambda s: (s["transcript"], s["position"]))


# ------------------------------------------------------------ co-occurrence

def cooccurrence(store, *, scope: str = "segment", coders: Sequence[str] | None = None, level="code", where=None,
                 under: Iterable[str] | None = None, book: Codebook | None = None) -> pd.DataFrame:
    """Code × code: in how many segments (``scope="segment"``) or transcripts both codes occur.

    The diagonal holds the number of units with that code. Symmetric.
    """
    import pandas as pd

    if scope not in ("segment", "transcript"):
        raise QcodeError("scope must be 'segment' or 'transcript'")
    coders = _coders(store, coders)
    book = book or codebook_from_store(store)
    mapping, columns = column_map(book, level, under)
    tids = transcripts_in_scope(store, parse_where(where)) if where else None
    pairs = [] if coders == [] else store.cooccurrence_counts(coders, mapping, scope, tids)
    used = {a for a, _, _ in pairs} | {b for _, b, _ in pairs}
    order = {c.id: i for i, c in enumerate(book.codes)}
    columns = sorted(set(columns) | used, key=lambda c: order.get(c, len(order)))
    table = pd.DataFrame(0, index=columns, columns=columns, dtype=int)
    for a, b, n in pairs:
        table.loc[a, b] = n
        table.loc[b, a] = n
    return table


# ------------------------------------------------------------- report table

@dataclass
class ReportTable:
    """One row per case, one column per category, cells list the codes present (the layout of the
    municipality tables of the Jönköping SE evaluation, Gustafsson 2014)."""

    row_header: str
    headers: list[str]
    rows: list[tuple[str, list[list[str]]]]  # (row label, [labels present, per column])

    def to_frame(self, separator: str = "; ") -> pd.DataFrame:
        import pandas as pd

        data = [[label, *(separator.join(cell) for cell in cells)] for label, cells in self.rows]
        return pd.DataFrame(data, columns=[self.row_header, *self.headers])


def report_table(store, columns: Sequence[str], *, rows: str | None = None, coders: Sequence[str] | None = None,
                 where=None, language: str = "sv", book: Codebook | None = None) -> ReportTable:
    """Build the report table: for each row (e.g. municipality) and each chosen category, the labels of
    the codes under that category that occur in the row's interviews, in codebook order.

    >>> t = report_table(project.store, ["impl.ff", "impl.hi"], coders=["anna"])
    >>> t.rows[0]
    ('Aneby', [['Ekonomiskt stöd från Samordningsförbund', ...], ['Implementeringen gick för snabbt', ...]])
    """
    book = book or codebook_from_store(store)
    if not columns:
        raise QcodeError("choose at least one category for the report's columns")
    for col in columns:
        if col not in book:
            raise QcodeError(f"no category with id {col!r} in the codebook")
    presence = build_matrix(store, rows, "presence", coders=coders, level="code", where=where, under=columns,
                            book=book)
    rows = presence.rows
    table = presence.table
    out = []
    for row in table.index:
        cells = []
        for col in columns:
            ids = [col] + [c.id for c in book.descendants(col)]
            cells.append([book[c].label(language) for c in ids if c in table.columns and table.loc[row, c] > 0])
        out.append((str(row), cells))
    header = {"kommun": "Kommun", "municipality": "Municipality"}.get(rows, rows[:1].upper() + rows[1:])
    if language == "en" and rows == "kommun":
        header = "Municipality"
    return ReportTable(row_header=header, headers=[book[c].label(language) for c in columns], rows=out)


def matrix_segments(store, matrix: Matrix, *, coders: Sequence[str] | None = None, level="code",
                    where=None) -> list[dict]:
    """Every coded segment behind a matrix (no context): transcript, position, speaker, text, the
    matrix row and columns it counts for, its codes and coders. For the XLSX export."""
    coders = _coders(store, coders)
    if coders == []:
        return []
    book = matrix.book or codebook_from_store(store)
    mapping, _ = column_map(book, level)
    wanted = {c.id for c in matrix.columns}
    codes = [c for c, col in mapping.items() if col in wanted]
    scope = transcripts_in_scope(store, parse_where(where))
    row_of = (_row_of_transcript(store, matrix.rows, scope) if matrix.rows != "speaker" else None)
    hits = store.cell_codings(list(scope), codes, coders)
    names = store.transcript_names_by_id()
    texts: dict[int, str] = {}
    out: dict[int, dict] = {}
    for sid, tid, pos, start, end, speaker, t_start, coder, code in hits:
        seg = out.get(sid)
        if seg is None:
            text = texts.setdefault(tid, store.transcript_text(tid))
            row = row_of[tid] if row_of is not None else (speaker if speaker is not None else MISSING)
            seg = out[sid] = {"row": row, "column": "", "transcript": names[tid], "position": pos,
                              "speaker": speaker, "t_start": t_start, "text": text[start:end], "codes": [],
                              "coders": [], "_cols": []}
        if code not in seg["codes"]:
            seg["codes"].append(code)
        if mapping[code] not in seg["_cols"]:
            seg["_cols"].append(mapping[code])
        if coder not in seg["coders"]:
            seg["coders"].append(coder)
    for seg in out.values():
        seg["column"] = ", ".join(seg.pop("_cols"))
    return list(out.values())
