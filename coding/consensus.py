"""The consensus coding: the team's decisions, written as the coder ``consensus``.

:func:`decide` and :func:`accept` settle one segment, :func:`consensus_from_agreement`
copies every segment the coders agree on, :func:`import_consensus` records
decisions from a CSV; :func:`decisions` lists who decided what and when. Every
write records an audit entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from dataclasses import dataclass
from typing import ClassVar

from .actions import Action, Result
from .roles import require
from .codings import CONSENSUS, read_csv_text
from .disagreements import _done_by_all, disagreements  # noqa: F401  (disagreements: for the examples)
from .errors import CodingsProblem, QcodeError
from .specs import _names, check_coders

__all__ = ["CONSENSUS_CSV_COLUMNS", "accept", "consensus_from_agreement", "decide", "decisions",
           "import_consensus", "read_consensus_csv"]



def _check_decider(decided_by: str | None) -> str:
    name = (decided_by or "").strip()
    if not name:
        raise QcodeError("say who decides (decided_by / --by NAME)")
    return name


@dataclass(frozen=True)
class DecideConsensus(Action):
    """A lead settles one segment: the ``consensus`` coder's codes there become exactly ``codes``.

    One row of the store's ``consensus_decisions`` table and its audit entry, written together.
    """

    ACTION: ClassVar[str] = "consensus.decide"
    segment_id: int
    codes: tuple[str, ...]
    decided_by: str
    how: str = "manual"
    note: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.decided_by, "consensus")
        before = store.coder_segment_codes(self.segment_id, CONSENSUS)
        store.ensure_coders([CONSENSUS])
        added, removed = store.set_segment_codes(self.segment_id, CONSENSUS, list(self.codes))
        entry = store.add_consensus_decision(self.segment_id, codes=list(self.codes), before=before, how=self.how,
                                             note=self.note, decided_by=self.decided_by)
        return Result(self.ACTION, (tuple(added), tuple(removed)), entry)


def _decide(store, segment_id: int, codes: list[str], decided_by: str, how: str, note: str | None,
            location: tuple) -> dict:
    """Write one decision; call inside a transaction with validated arguments."""
    _, name, position = location
    result = DecideConsensus(segment_id=segment_id, codes=tuple(codes), decided_by=decided_by, how=how,
                             note=note)._apply(store)
    added, removed = (list(x) for x in result.changed)
    return {"segment_id": segment_id, "transcript": name, "segment": position, "codes": codes,
            "added": added, "removed": removed, "decided_by": decided_by, "audit_id": result.audit_id}


def decide(store, segment_id: int, codes: Iterable[str], *, decided_by: str, how: str = "manual",
           note: str | None = None) -> dict:
    """Settle one segment: the ``consensus`` coder's codes there become exactly ``codes``.

    ``codes`` may be empty (decided: no code). One transaction; the audit log
    records who decided, when, the codes before and after, ``how`` (e.g.
    ``"accept anna"``) and an optional ``note``; :func:`decisions` lists them.
    The ``consensus`` coder is created on first use. Returns what changed.

    >>> d = disagreements(store, ["anna", "erik"])[0]  # the demo
    >>> decide(store, d["segment_id"], ["impl_hi_okunskap_ledning_samordningsforbund"], decided_by="sara")
    ...
    {'segment_id': 44, 'transcript': 'aneby_chef.txt', 'segment': 44, 'codes': [...], 'added': [...], ...}
    """
    decided_by = _check_decider(decided_by)
    codes = [codes] if isinstance(codes, str) else list(dict.fromkeys(_names(codes)))
    known = store.code_ids()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise QcodeError(f"no code with id {', '.join(repr(u) for u in unknown)} in the codebook")
    location = store.segment_location(segment_id)
    if location is None:
        raise QcodeError(f"no segment with id {segment_id} in the project")
    with store.transaction():
        return _decide(store, int(segment_id), codes, decided_by, how, note, location)


def accept(store, segment_id: int, coder: str, *, decided_by: str, note: str | None = None) -> dict:
    """Settle a segment by taking one coder's codes as the consensus (the "one click" decision).

    >>> d = disagreements(store, ["anna", "erik"])[0]  # the demo: anna coded this segment, erik did not
    >>> accept(store, d["segment_id"], "erik", decided_by="sara")["codes"]
    []
    """
    check_coders(store, [coder], minimum=1)
    if coder == CONSENSUS:
        raise QcodeError("accept takes the codes of one of the coders, not of consensus itself")
    return decide(store, segment_id, store.coder_segment_codes(segment_id, coder), decided_by=decided_by,
                  how=f"accept {coder}", note=note)


def decisions(store, *, transcript: str | None = None, latest: bool = False) -> list[dict]:
    """The consensus decisions, oldest first: who decided what, when and how.

    Each record: ``id, decided_at, decided_by, segment_id, transcript,
    segment, codes, before, how, note``. ``latest=True`` keeps only the last
    decision on each segment.

    >>> _ = accept(store, disagreements(store, ["anna", "erik"])[0]["segment_id"], "anna", decided_by="sara")
    >>> decisions(store)[-1]["decided_by"]
    'sara'
    """
    tid = None
    if transcript is not None:
        tid = store.transcript_id(transcript)
        if tid is None:
            raise QcodeError(f"no transcript named {transcript!r} in the project")
    rows = store.consensus_decisions(transcript_id=tid)
    if latest:
        last = {r["segment_id"]: r for r in rows}
        rows = sorted(last.values(), key=lambda r: r["id"])
    return rows


def consensus_from_agreement(store, coders: str | Sequence[str], *, decided_by: str,
                             transcripts: Sequence[str] | None = None, overwrite: bool = False) -> dict:
    """Copy every segment on which all the coders agree into the ``consensus`` coding.

    Looks at the transcripts every coder has marked done (optionally only
    ``transcripts``). Where all their code sets are equal, the consensus gets
    the same codes, so the team only has to decide the disagreements.
    Segments already settled -- with a recorded decision or consensus codes
    -- are left alone unless ``overwrite=True``. One transaction, one audit
    entry (``consensus.agreed``). Returns counts: ``transcripts``,
    ``segments`` (reviewed), ``agreed``, ``disagreements``, ``written``
    (agreed segments given codes), ``codings`` (rows added), ``skipped``.

    >>> consensus_from_agreement(store, ["anna", "erik"], decided_by="sara")  # doctest: +NORMALIZE_WHITESPACE
    {'transcripts': 16, 'segments': 1756, 'agreed': 1714, 'disagreements': 42, 'written': 298, 'codings': 299,
     'skipped': 0}
    """
    decided_by = _check_decider(decided_by)
    coders = check_coders(store, coders)
    if CONSENSUS in coders:
        raise QcodeError("the consensus coder cannot be one of the coders it is made from")
    tids = _done_by_all(store, coders)
    if transcripts is not None:
        wanted = {}
        for name in transcripts:
            tid = store.transcript_id(name)
            if tid is None:
                raise QcodeError(f"no transcript named {name!r} in the project")
            wanted[tid] = name
        not_done = [n for t, n in wanted.items() if t not in tids]
        if not_done:
            raise QcodeError(f"not marked done by all of {', '.join(coders)}: {', '.join(not_done)}")
        tids = set(wanted)
    runs = store.transcript_segment_ids()
    transcript_of = {sid: tid for tid in tids for sid in runs.get(tid, ())}
    segments = sorted(transcript_of)
    by_segment: dict[int, dict[str, set[str]]] = {}
    for sid, coder, code in store.codings_in_transcripts(sorted(tids), coders):
        by_segment.setdefault(sid, {}).setdefault(coder, set()).add(code)
    empty: dict[str, set[str]] = {}
    agreed: dict[int, set[str]] = {}
    for sid in segments:
        sets = by_segment.get(sid, empty)
        first = sets.get(coders[0], set())
        if all(sets.get(c, set()) == first for c in coders[1:]):
            agreed[sid] = first
    settled = store.decided_segment_ids() | store.coded_segment_ids(CONSENSUS)
    skipped = 0 if overwrite else sum(1 for sid in agreed if sid in settled)
    target = agreed if overwrite else {s: v for s, v in agreed.items() if s not in settled}
    with store.transaction():
        store.ensure_coders([CONSENSUS])
        if overwrite:
            for sid, codes in target.items():
                if sid in settled:
                    store.set_segment_codes(sid, CONSENSUS, codes)
        added = store.add_codings([(sid, transcript_of[sid], c, CONSENSUS, None)
                                   for sid, codes in target.items() for c in sorted(codes)])
        result = {"transcripts": len(tids), "segments": int(len(segments)), "agreed": len(agreed),
                  "disagreements": int(len(segments)) - len(agreed),
                  "written": sum(1 for v in target.values() if v), "codings": added, "skipped": skipped}
        store.audit("consensus.agreed", actor=decided_by, target=",".join(coders),
                    detail={**result, "coders": coders, "overwrite": overwrite})
    return result


CONSENSUS_CSV_COLUMNS = ("transcript", "segment", "code")


def read_consensus_csv(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """Read a decisions CSV (``transcript,segment,code``) into ``(line number, row)`` pairs.

    A broken file (an unclosed quote, a huge cell) is an error naming the line.
    """
    from .csvsafe import csv_records, unneutralise

    records = csv_records(read_csv_text(path), path=str(path), problem=CodingsProblem)
    columns = [unneutralise(c.strip()).lower() for c in (records[0][1] if records else [])]
    missing = [c for c in CONSENSUS_CSV_COLUMNS if c not in columns]
    if missing:
        raise CodingsProblem(f"line 1: missing column(s) {', '.join(missing)}; expected "
                             f"{','.join(CONSENSUS_CSV_COLUMNS)}", path=str(path),
                             problems=[f"line 1: missing {', '.join(missing)}"])
    rows = []
    for line, cells in records[1:]:
        clean = {name: unneutralise(value.strip()) for name, value in zip(columns, cells) if name}
        if any(clean.get(c) for c in ("transcript", "segment")) or clean.get("code"):
            rows.append((line, clean))
    return rows


def import_consensus(store, path: str | Path, *, decided_by: str) -> dict:
    """Record consensus decisions from a CSV, all or nothing.

    Columns ``transcript,segment,code`` (``segment`` = 1-based position;
    other columns are ignored). A segment with several codes has several
    rows; a row with an empty ``code`` records the decision "no code" (rows
    with codes for the same segment add to it). Every segment named in the
    file gets exactly the codes listed for it, as one decision each (see
    :func:`decide`). Every unknown transcript, segment or code is reported
    with its line number; if there is any, nothing is recorded. Returns
    ``{"rows": n, "segments": n, "codings": n}``.

    >>> beslut = project.path.parent / "beslut.csv"
    >>> _ = beslut.write_text("transcript,segment,code\\n"
    ...     "aneby_chef.txt,44,impl_hi_okunskap_ledning_samordningsforbund\\naneby_chef.txt,85,\\n", encoding="utf-8")
    >>> import_consensus(store, beslut, decided_by="sara")
    {'rows': 2, 'segments': 2, 'codings': 1}
    """
    decided_by = _check_decider(decided_by)
    rows = read_consensus_csv(path)
    seg_ids = {key: sid for key, (sid, _) in store.segment_ids_by_position().items()}
    transcripts = store.transcript_names()
    known = store.code_ids()
    problems: list[str] = []
    wanted: dict[int, list[str]] = {}
    where: dict[int, tuple[str, int]] = {}
    for line, row in rows:
        name, pos, code = row.get("transcript", ""), row.get("segment", ""), row.get("code", "")
        row_problems, sid = [], None
        if name not in transcripts:
            row_problems.append(f"unknown transcript {name!r}")
        else:
            try:
                sid = seg_ids.get((name, int(pos)))
            except ValueError:
                row_problems.append(f"segment {pos!r} is not a whole number")
            else:
                if sid is None:
                    row_problems.append(f"transcript {name!r} has no segment {pos}")
        if code and code not in known:
            row_problems.append(f"unknown code {code!r}")
        if row_problems:
            problems.append(f"line {line}: " + "; ".join(row_problems))
            continue
        codes = wanted.setdefault(sid, [])
        where[sid] = (name, int(pos))
        if code and code not in codes:
            codes.append(code)
    if problems:
        shown = problems[:50]
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise CodingsProblem(f"{len(problems)} row(s) refer to unknown transcripts, segments or codes; "
                             "nothing was recorded:\n  " + "\n  ".join(shown) + more,
                             path=str(path), problems=problems)
    total = 0
    with store.transaction():
        for sid, codes in wanted.items():
            name, pos = where[sid]
            _decide(store, sid, codes, decided_by, f"csv {Path(path).name}", None, (None, name, pos))
            total += len(codes)
    return {"rows": len(rows), "segments": len(wanted), "codings": total}
