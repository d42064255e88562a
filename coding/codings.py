"""Codings: which coder applied which code to which segment (or span of text).

Single changes (:func:`apply_code`, :func:`remove_code`) are written at
once and recorded in the audit log. Whole files of codings move in and out
as CSV with the columns ``transcript,segment,code,coder,memo`` where
``segment`` is the 1-based position of the segment in its transcript, and
the optional columns ``start,end``: a row with both is a span of the
transcript's text (character offsets, see :mod:`coding.spans`; ``segment``
then names the segment it starts in and may be empty). Without them a row
codes the whole segment, so older files still import.

>>> apply_code(project.store, "aneby_chef.txt", 3, "impl_hi_ensam_position", coder="anna")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, TextIO

from .actions import ApplyCode, MarkDone, RemoveCode, SetMemo, undo_last  # noqa: F401 (undo_last: public here too)
from .csvsafe import csv_records, csv_writer, safe_row, unneutralise
from .errors import CodingsProblem, QcodeError
from .textclean import remove_controls

CSV_COLUMNS = ("transcript", "segment", "code", "coder", "memo")
SPAN_COLUMNS = ("start", "end")  # optional: a span of text instead of the whole segment
CONSENSUS = "consensus"


def _segment_id(store, transcript: str, position: int) -> int:
    tid = store.transcript_id(transcript)
    if tid is None:
        raise QcodeError(f"no transcript named {transcript!r} in the project")
    sid = store.segment_id(tid, position)
    if sid is not None:
        return sid
    raise QcodeError(f"transcript {transcript!r} has no segment {position}")


def _check_code(store, code: str) -> None:
    if code not in store.code_ids():
        raise QcodeError(f"no code with id {code!r} in the codebook")


def apply_code(store, transcript: str, segment: int, code: str, *, coder: str, memo: str | None = None) -> bool:
    """Apply ``code`` to segment number ``segment`` (1-based) of ``transcript``.

    Returns False when the coder had applied it already (a given memo then replaces the old one).
    The change is one :class:`~coding.actions.ApplyCode`, undoable like a coding made in the app.
    """
    _check_code(store, code)
    sid = _segment_id(store, transcript, segment)
    return bool(ApplyCode(segment_ids=(sid,), code=code, coder=coder, memo=memo).write(store).changed)


def remove_code(store, transcript: str, segment: int, code: str, *, coder: str) -> bool:
    """Remove one coding of ``coder``; returns False if there was none."""
    sid = _segment_id(store, transcript, segment)
    return bool(RemoveCode(segment_ids=(sid,), code=code, coder=coder).write(store).changed)


def list_codings(store, *, coder: str | None = None, transcript: str | None = None) -> list[dict]:
    """Codings as dicts with transcript, segment (1-based), code, coder and memo."""
    tid = None
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
    return [{k: r[k] for k in CSV_COLUMNS} for r in store.codings(coder=coder, transcript_id=tid)]


def read_csv_text(path: str | Path) -> str:
    """The text of a UTF-8 CSV file (BOM allowed), or a :class:`CodingsProblem` naming the file."""
    path = Path(path)
    if not path.exists():
        raise CodingsProblem("no such file", path=str(path))
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodingsProblem("is not UTF-8 text; save the CSV as UTF-8", path=str(path)) from None


def read_codings_csv(path: str | Path) -> list[tuple]:
    """Read a codings CSV into ``(line, transcript, segment, code, coder, memo, start, end)`` tuples, checking
    its columns (``start`` and ``end`` are "" when the file has no such columns or leaves them empty)."""
    return parse_codings_csv(read_csv_text(path), path=str(path))


def parse_codings_csv(text: str, path: str | None = None) -> list[tuple]:
    """Parse codings CSV text; see :func:`read_codings_csv`."""
    records = csv_records(text, path=path, problem=CodingsProblem)
    header = [unneutralise(c.strip()).lower() for c in (records[0][1] if records else [])]
    missing = [c for c in CSV_COLUMNS[:4] if c not in header]
    if missing:
        problem = f"line 1: missing column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}"
        raise CodingsProblem(problem, path=path, problems=[problem])
    idx = [header.index(c) for c in CSV_COLUMNS[:4]]
    memo_idx = header.index("memo") if "memo" in header else None
    span_idx = [header.index(c) if c in header else None for c in SPAN_COLUMNS]
    if (span_idx[0] is None) != (span_idx[1] is None):
        problem = "line 1: a span needs both columns start and end"
        raise CodingsProblem(problem, path=path, problems=[problem])
    width = len(header)
    rows = []
    for line, row in records[1:]:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        t, s, c, k = (unneutralise(row[i].strip()) for i in idx)
        memo = remove_controls(unneutralise(row[memo_idx].strip())) if memo_idx is not None else ""
        start, end = ("" if i is None else row[i].strip() for i in span_idx)
        if t or s or c or k or memo or start or end:
            rows.append((line, t, s, c, k, memo or None, start, end))
    return rows


def _offset(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 12 else None


def import_codings(store, path: str | Path, *, actor: str | None = None) -> dict:
    """Import codings from a CSV file, all or nothing.

    Every unknown transcript, segment number and code is reported with its
    line number; if there is any, nothing is imported. Codings that exist
    already are kept (their memo is updated if the file gives one).
    Returns ``{"rows": n, "added": n}``.

    >>> import_codings(project.store, "transcripts/codings.csv")  # the demo has them already: nothing doubles
    {'rows': 667, 'added': 0}
    """
    rows = read_codings_csv(path)
    return import_codings_rows(store, rows, source=str(path), actor=actor)


def _coder_problem(coder: str) -> str | None:
    """Why ``coder`` cannot be a coder's name in a codings file (None when it can)."""
    from .coders import NAME_RULE, valid_name

    if not coder:
        return "no coder"
    if coder == CONSENSUS:
        return ("coder 'consensus' is reserved for consensus decisions; import those with "
                "'qcode consensus import' so each decision is recorded")
    if not valid_name(coder):
        return f"coder name {coder[:40]!r} is not allowed ({NAME_RULE})"
    return None


def import_codings_rows(store, rows: list[tuple], *, source: str | None = None, actor: str | None = None) -> dict:
    """Validate and insert already-read ``(line, transcript, segment, code, coder, memo[, start, end])`` rows."""
    seg_ids = store.segment_ids_by_position()
    transcripts = store.transcript_names()
    codes = store.code_ids()
    problems: list[str] = []
    good: list[tuple[int, int, str, str, str | None]] = []
    spans: list[tuple] = []
    texts: dict[str, str] = {}
    coder_problems = {k: _coder_problem(k) for k in {row[4] for row in rows}}  # once per name, not per row
    for line, name, pos, code, coder, memo, *span in rows:
        start, end = (span + ["", ""])[:2]
        bad_coder = coder_problems[coder]
        row_problems = []
        if start or end:  # a span of text
            a, b = _offset(start), _offset(end)
            if name in transcripts and name not in texts:
                texts[name] = store.transcript_text(store.transcript_id(name))
            text = texts.get(name)
            if a is None or b is None:
                row_problems.append(f"start {start[:20]!r} and end {end[:20]!r} must both be whole numbers")
            elif text is not None and not (a < b <= len(text) and text[a:b].strip()):
                row_problems.append(f"span {a}–{b} lies outside {name!r} ({len(text):,} characters) or holds "
                                    "only white space")
            elif text is not None and code in codes and not bad_coder:
                spans.append((store.transcript_id(name), a, b, code, coder, memo, None))
                continue
            hit = True
        else:
            number = int(pos) if pos.isascii() and pos.isdigit() and len(pos) <= 9 else None
            hit = seg_ids.get((name, number)) if number is not None else None
            if hit is not None and code in codes and not bad_coder:
                good.append((hit[0], hit[1], code, coder, memo))
                continue
        if bad_coder:
            row_problems.append(bad_coder)
        if name not in transcripts:
            row_problems.append(f"unknown transcript {name!r}")
        elif start or end:
            pass
        elif number is None:
            row_problems.append(f"segment {pos[:20]!r} is not a whole number")
        elif hit is None:
            row_problems.append(f"transcript {name!r} has no segment {pos}")
        if code not in codes:
            row_problems.append(f"unknown code {code!r}")
        problems.append(f"line {line}: " + "; ".join(row_problems))
    if problems:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise CodingsProblem(f"{len(problems)} row(s) refer to unknown transcripts, segments or codes; "
                             "nothing was imported:\n  " + "\n  ".join(shown) + more,
                             path=source, problems=problems)
    good.sort(key=lambda r: (r[0], r[2], r[3]))  # index order: 3-4x faster inserts on large files
    with store.transaction():
        store.ensure_coders({row[3] for row in good} | {row[4] for row in spans})
        added = store.add_codings(good) + store.add_spans(spans)
        n = len(good) + len(spans)
        store.audit("codings.import", actor=actor, target=source,
                    detail={"rows": n, "added": added, **({"spans": len(spans)} if spans else {})})
    return {"rows": n, "added": added}


def export_codings(store, out: TextIO | str | Path, *, coder: str | None = None) -> int:
    """Write codings as CSV (``transcript,segment,code,coder,memo,start,end``); returns the row count.

    A segment coded as a whole leaves ``start`` and ``end`` empty; a span of text gives them (and the
    segment it starts in). Rows come in text order.
    """
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return export_codings(store, fh, coder=coder)
    writer = csv_writer(out)
    writer.writerow(safe_row(CSV_COLUMNS + SPAN_COLUMNS))
    names = store.transcript_names_by_id()
    rows = []
    starts: dict[int, list[tuple[int, int]]] = {}
    for tid, start, end, code, k, memo, _at, pos in store.span_list(coder=coder):
        if pos is None:
            if tid not in starts:
                starts[tid] = [(s.start, s.position) for s in store.segments(tid)]
            pos = next((p for s, p in reversed(starts[tid]) if s <= start), 1)
            rows.append((names[tid], pos, code, k, memo, start, end))
        else:
            rows.append((names[tid], pos, code, k, memo, "", ""))
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[2], r[5] != "", r[5] or 0))
    for row in rows:
        writer.writerow(safe_row(row))
    return len(rows)


def mark_done(store, coder: str, transcripts: Iterable[str] | None = None, *, done: bool = True) -> int:
    """Mark transcripts as finished by ``coder`` (``transcripts=None``: all of them).

    Agreement statistics count only transcripts a coder has marked done.
    ``done=False`` takes the marker back. Returns the number of markers changed.
    """
    if transcripts is None:
        ids = [t["id"] for t in store.transcripts()]
    else:
        ids, unknown = [], []
        for name in transcripts:
            tid = store.transcript_id(name)
            (unknown.append(name) if tid is None else ids.append(tid))
        if unknown:
            raise QcodeError("no transcript named " + ", ".join(repr(u) for u in unknown) + " in the project")
    changed = MarkDone(transcript_ids=tuple(ids), coder=coder, done=done).write(store).n
    return changed


# ------------------------------------------------------- the coding screen
# These work on segment ids (what the app holds); each is one typed action
# (coding.actions) that :func:`coding.actions.undo_last` can reverse.

def apply_code_ids(store, segment_ids, code_id: str, *, coder: str, memo: str | None = None) -> int:
    """Apply ``code_id`` to the segments with these ids (one transaction, one undoable step).

    Returns the number of segments newly coded.
    """
    return ApplyCode(segment_ids=tuple(segment_ids), code=code_id, coder=coder, memo=memo).write(store).n


def remove_code_ids(store, segment_ids, code_id: str, *, coder: str) -> int:
    """Remove the coder's ``code_id`` from these segments (one undoable step); returns how many."""
    return RemoveCode(segment_ids=tuple(segment_ids), code=code_id, coder=coder).write(store).n


def set_segment_memo(store, segment_id: int, coder: str, text: str | None) -> bool:
    """Set the coder's memo on a segment (empty text deletes it); returns False if nothing changed."""
    return bool(SetMemo(segment_id=int(segment_id), coder=coder, text=text).write(store).changed)


def segment_memos(store, transcript_id: int, coder: str) -> dict[int, str]:
    """segment id -> the coder's memo, for one transcript."""
    return store.segment_memos(transcript_id, coder)


def visible_coders(store, transcript_id: int, viewer: str) -> list[str]:
    """The coders whose codes ``viewer`` may see on this transcript (``viewer`` first).

    With blind coding (the default) another coder's codes show only once both
    have marked the transcript done; the ``consensus`` coder is always visible.
    """
    from .settings import blind_coding

    others = [c for c in store.coders() if c != viewer]
    if not blind_coding(store):
        return [viewer, *others]
    done = store.done_coders(transcript_id)
    if viewer not in done:
        return [viewer] + [c for c in others if c == CONSENSUS]
    return [viewer] + [c for c in others if c in done or c == CONSENSUS]


def coding_progress(store, coder: str) -> dict[int, tuple[int, int]]:
    """transcript id -> (segments the coder has coded, segments in all)."""
    coded = store.coded_segment_counts(coder)
    return {tid: (coded.get(tid, 0), n) for tid, n in store.segment_counts().items()}


def segment_codes_by_coder(store, transcript_id: int, coders) -> dict[int, dict[str, list[str]]]:
    """segment id -> coder -> code ids, for one transcript."""
    return store.segment_codes_by_coder(transcript_id, list(coders))


def blinded(store, viewer: str) -> bool:
    """Whether project-wide views (matrix, agreement) must hide other coders' codes from ``viewer``.

    True while blind coding is on and ``viewer`` is coding: they have applied
    codes and not yet marked every transcript done. A project lead who codes
    nothing is not blinded.

    >>> blinded(store, "anna")   # the demo: anna has finished every transcript
    False
    """
    from .settings import blind_coding

    if not blind_coding(store) or store.coded_segment_counts(viewer) == {}:
        return False
    all_ids = set(store.segment_counts())
    return not all_ids <= store.done_transcripts(viewer)
