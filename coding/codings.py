"""Codings: which coder applied which code to which segment.

Single changes (:func:`apply_code`, :func:`remove_code`) are written at
once and recorded in the audit log. Whole files of codings move in and out
as CSV with the columns ``transcript,segment,code,coder,memo`` where
``segment`` is the 1-based position of the segment in its transcript.

>>> from coding.project import Project
>>> project = Project.demo("/tmp/doctest-codings.qcode", overwrite=True)  # doctest: +SKIP
>>> apply_code(project.store, "aneby_chef.txt", 3, "impl_hi_ensam_position", coder="anna")  # doctest: +SKIP
True
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, TextIO

from .errors import CodingsProblem, QcodeError

CSV_COLUMNS = ("transcript", "segment", "code", "coder", "memo")
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
    """
    _check_code(store, code)
    sid = _segment_id(store, transcript, segment)
    with store.transaction():
        store.ensure_coders([coder])
        added = store.add_coding(sid, code, coder, memo)
        store.audit("coding.apply", actor=coder, target=f"{transcript}#{segment}",
                    detail={"segment_id": sid, "code": code, "memo": memo, "added": added})
    return added


def remove_code(store, transcript: str, segment: int, code: str, *, coder: str) -> bool:
    """Remove one coding of ``coder``; returns False if there was none."""
    sid = _segment_id(store, transcript, segment)
    with store.transaction():
        removed = store.remove_coding(sid, code, coder)
        if removed:
            store.audit("coding.remove", actor=coder, target=f"{transcript}#{segment}",
                        detail={"segment_id": sid, "code": code})
    return removed


def list_codings(store, *, coder: str | None = None, transcript: str | None = None) -> list[dict]:
    """Codings as dicts with transcript, segment (1-based), code, coder and memo."""
    tid = None
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
    return [{k: r[k] for k in CSV_COLUMNS} for r in store.codings(coder=coder, transcript_id=tid)]


def read_codings_csv(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """Read a codings CSV into ``(line number, row)`` pairs, checking its columns."""
    path = Path(path)
    if not path.exists():
        raise CodingsProblem("no such file", path=str(path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CodingsProblem("is not UTF-8 text; save the CSV as UTF-8", path=str(path)) from None
    return parse_codings_csv(text, path=str(path))


def parse_codings_csv(text: str, path: str | None = None) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS[:4] if c not in columns]
    if missing:
        raise CodingsProblem(f"line 1: missing column(s) {', '.join(missing)}; expected "
                             f"{','.join(CSV_COLUMNS)}", path=path, problems=[f"line 1: missing {missing}"])
    rows = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if any(clean.values()):
            rows.append((reader.line_num, clean))
    return rows


def import_codings(store, path: str | Path, *, actor: str | None = None) -> dict:
    """Import codings from a CSV file, all or nothing.

    Every unknown transcript, segment number and code is reported with its
    line number; if there is any, nothing is imported. Codings that exist
    already are kept (their memo is updated if the file gives one).
    Returns ``{"rows": n, "added": n}``.
    """
    rows = read_codings_csv(path)
    return import_codings_rows(store, rows, source=str(path), actor=actor)


def import_codings_rows(store, rows: list[tuple[int, dict[str, str]]], *, source: str | None = None,
                        actor: str | None = None) -> dict:
    """Validate and insert already-read codings rows (see :func:`import_codings`)."""
    seg_ids = store.segment_ids_by_position()
    transcripts = store.transcript_names()
    codes = store.code_ids()
    problems: list[str] = []
    good: list[tuple[int, str, str, str | None]] = []
    for line, row in rows:
        name, pos, code, coder = row.get("transcript", ""), row.get("segment", ""), row.get("code", ""), \
            row.get("coder", "")
        row_problems = []
        if not coder:
            row_problems.append("no coder")
        if name not in transcripts:
            row_problems.append(f"unknown transcript {name!r}")
        else:
            try:
                sid = seg_ids.get((name, int(pos)))
            except ValueError:
                sid = None
                row_problems.append(f"segment {pos!r} is not a whole number")
            else:
                if sid is None:
                    row_problems.append(f"transcript {name!r} has no segment {pos}")
        if code not in codes:
            row_problems.append(f"unknown code {code!r}")
        if row_problems:
            problems.append(f"line {line}: " + "; ".join(row_problems))
        else:
            good.append((sid, code, coder, row.get("memo") or None))
    if problems:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise CodingsProblem(f"{len(problems)} row(s) refer to unknown transcripts, segments or codes; "
                             "nothing was imported:\n  " + "\n  ".join(shown) + more,
                             path=source, problems=problems)
    with store.transaction():
        store.ensure_coders({coder for _, _, coder, _ in good})
        added = store.add_codings(good)
        store.audit("codings.import", actor=actor, target=source, detail={"rows": len(good), "added": added})
    return {"rows": len(good), "added": added}


def export_codings(store, out: TextIO | str | Path, *, coder: str | None = None) -> int:
    """Write codings as CSV (``transcript,segment,code,coder,memo``); returns the row count."""
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return export_codings(store, fh, coder=coder)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    n = 0
    for name, pos, code, k, memo in store.iter_codings_rows(coder=coder):
        writer.writerow([name, pos, code, k, memo or ""])
        n += 1
    return n


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
    with store.transaction():
        store.ensure_coders([coder])
        changed = store.mark_done(ids, coder, done)
        store.audit("transcripts.done" if done else "transcripts.undone", actor=coder,
                    detail={"transcripts": len(ids), "changed": changed})
    return changed
