"""Import transcripts into a project: read, segment and store, all or nothing.

One call imports any number of files: every file is read, parsed and
segmented first, with no lock held (coders keep working meanwhile), then all
are written in one short transaction. If one file is broken, every problem is
reported (file by file) and the project is left exactly as it was. A file
whose content is already in the project (same SHA-256) is skipped, not
duplicated.

>>> folder = getfixture("tmp_path")
>>> _ = (folder / "mullsjo_chef.txt").write_text("I: Hur gick det?\\nChef: Bra. Vi fick stöd.\\n", encoding="utf-8")
>>> result = import_files(store, [folder / "mullsjo_chef.txt"], attributes={"kommun": "Mullsjö"})
>>> result.imported, result.segments
(['mullsjo_chef.txt'], 3)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import ImportProblem
from .importers import DEFAULT_MAX_BYTES, ParsedTranscript, decode_text, read_transcript, read_transcript_bytes
from .segmentation import count_words, segment_many
from .textclean import one_line

# Segment this many words at once: large enough for spaCy's batching, small enough for memory.
_BATCH_WORDS = 200_000

Progress = Callable[[int, int, str], None]


@dataclass
class ImportResult:
    """What an import did."""

    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    segments: int = 0
    words: int = 0
    warnings: list[str] = field(default_factory=list)


def parse_attribute_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """Turn ``["kommun=Aneby", "roll=SE-coach"]`` into a dict, with clear errors.

    >>> parse_attribute_pairs(["kommun=Aneby", "roll = Chef"])
    {'kommun': 'Aneby', 'roll': 'Chef'}
    """
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not one_line(name):
            raise ImportProblem(f"attribute {pair!r} is not of the form NAME=VALUE")
        out[one_line(name)] = one_line(value)
    return out


def read_attributes_file(path: str | Path) -> dict[str, dict[str, str]]:
    """Read a sidecar CSV: a ``file`` column with file names, one column per attribute.

    Returns ``{file name: {attribute: value}}``. Comma, semicolon and tab
    delimiters are recognised; empty cells are left out.
    """
    path = Path(path)
    if not path.exists():
        raise ImportProblem("no such attributes file", path=str(path))
    text, _encoding = decode_text(path.read_bytes(), path=str(path))
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect, strict=True)
    try:
        return _attribute_rows(reader, path)
    except csv.Error as exc:
        raise ImportProblem(f"broken CSV: {exc}", path=str(path), line=reader.line_num) from None


def _attribute_rows(reader: csv.DictReader, path: Path) -> dict[str, dict[str, str]]:
    columns = [one_line(c) for c in reader.fieldnames or []]
    lowered = [c.lower() for c in columns]
    key = next((columns[i] for i, c in enumerate(lowered) if c in ("file", "fil", "filename", "filnamn")), None)
    if key is None:
        raise ImportProblem(f"needs a 'file' column naming each transcript file (found: {', '.join(columns)})",
                            path=str(path), line=1)
    out: dict[str, dict[str, str]] = {}
    for row in reader:
        row = {one_line(k or ""): one_line(v or "") for k, v in row.items() if isinstance(v, str) and k is not None}
        name = Path(row.get(key, "")).name
        if not name:
            continue
        if name in out:
            raise ImportProblem(f"file {name!r} is listed twice", path=str(path), line=reader.line_num)
        out[name] = {k: v for k, v in row.items() if k != key and k and v}
    return out


def import_files(store, paths: Sequence[str | Path], *, attributes: dict[str, str] | None = None,
                 attributes_file: str | Path | None = None, unit: str = "sentence", language: str = "sv",
                 clean: bool = False, max_bytes: int | None = DEFAULT_MAX_BYTES, actor: str | None = None,
                 progress: Progress | None = None) -> ImportResult:
    """Import transcript files (txt, md, docx, vtt, srt, csv, pdf) into the project.

    ``attributes`` apply to every file; ``attributes_file`` (a sidecar CSV)
    gives per-file attributes and wins over ``attributes``. ``unit`` is the
    segmentation unit (sentence, paragraph, turn); ``clean`` strips running
    headers/footers and rejoins hyphenated words (for reports and OCR text).
    """
    sidecar = read_attributes_file(attributes_file) if attributes_file else {}
    sources = [(Path(p).name, (lambda p=p: read_transcript(p, clean=clean, max_bytes=max_bytes)))
               for p in paths]
    return _import(store, sources, attributes or {}, sidecar, unit, language, actor, progress)


def import_uploads(store, uploads: Sequence[tuple[str, bytes]], *, attributes: dict[str, str] | None = None,
                   unit: str = "sentence", language: str = "sv", clean: bool = False,
                   max_bytes: int | None = DEFAULT_MAX_BYTES, actor: str | None = None,
                   progress: Progress | None = None) -> ImportResult:
    """Import files given as ``(file name, bytes)`` pairs (uploads in the web app)."""
    sources = [(name, (lambda n=name, d=data: read_transcript_bytes(d, n, clean=clean, max_bytes=max_bytes)))
               for name, data in uploads]
    return _import(store, sources, attributes or {}, {}, unit, language, actor, progress)


def _import(store, sources, attributes, sidecar, unit, language, actor, progress) -> ImportResult:
    """Read, parse and segment every file with no lock held, then write them all in one short transaction.

    Coders keep working while files are parsed and segmented (the slow part); the
    write lock is taken only for the inserts, so a large import makes a coder's click
    wait for the write alone, not for the whole import.
    """
    result = ImportResult()
    problems: list[str] = []
    known_names = store.transcript_names()
    ready: list[tuple[ParsedTranscript, list]] = []
    batch: list[ParsedTranscript] = []
    batch_words = 0
    seen_hashes: dict[str, str] = {}

    def segment_batch():
        nonlocal batch, batch_words
        if batch and not problems:
            segmented = segment_many([(p.text, p.turns) for p in batch], unit=unit, language=language)
            ready.extend((parsed, [s.as_row() for s in segments]) for parsed, segments in zip(batch, segmented))
        batch, batch_words = [], 0

    for i, (name, read) in enumerate(sources, start=1):
        if progress:
            progress(i, len(sources), name)
        try:
            parsed = read()
        except ImportProblem as exc:
            problems.append(str(exc))
            continue
        except OSError as exc:
            problems.append(f"{name}: cannot be read ({exc.strerror or exc})")
            continue
        duplicate = store.transcript_id_by_hash(parsed.sha256)
        if duplicate or parsed.sha256 in seen_hashes:
            other = duplicate[1] if duplicate else seen_hashes[parsed.sha256]
            result.skipped.append((name, f"same content as transcript {other!r}, already imported"))
            continue
        if parsed.name in known_names:
            problems.append(f"{name}: a different transcript named {parsed.name!r} is already in the project; "
                            "rename the file or delete the old transcript first")
            continue
        known_names.add(parsed.name)
        seen_hashes[parsed.sha256] = parsed.name
        result.warnings.extend(f"{name}: {w}" for w in parsed.warnings)
        batch.append(parsed)
        batch_words += len(parsed.text) // 6
        if batch_words >= _BATCH_WORDS:
            segment_batch()
    segment_batch()
    if problems:
        raise ImportProblem(problems[0] if len(problems) == 1 else
                            f"{len(problems)} files could not be imported (nothing was imported):\n  "
                            + "\n  ".join(problems))
    unknown = sorted(set(sidecar) - {name for name, _ in sources})
    if unknown:
        result.warnings.append("attributes file lists files not in this import: " + ", ".join(unknown))
    with store.transaction():
        names_now = store.transcript_names()
        for parsed, rows in ready:
            # checked again under the lock: another import may have added the same file meanwhile
            if parsed.name in names_now or store.transcript_id_by_hash(parsed.sha256):
                raise ImportProblem(f"{parsed.name}: was imported by someone else meanwhile; nothing was "
                                    "imported, try again")
            attrs = {**attributes, **sidecar.get(parsed.name, {})}
            words = count_words(parsed.text)
            store.add_transcript(name=parsed.name, format=parsed.format, encoding=parsed.encoding,
                                 sha256=parsed.sha256, text=parsed.text, n_words=words, segmentation=unit,
                                 language=language, segments=rows, attributes=attrs)
            result.imported.append(parsed.name)
            result.segments += len(rows)
            result.words += words
        if result.imported:
            store.audit("transcripts.import", actor=actor,
                        detail={"files": result.imported, "segments": result.segments, "unit": unit,
                                "language": language})
    return result
