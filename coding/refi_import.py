"""Import a REFI-QDA project (``.qdpx``) from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode into a project.

Reading (:mod:`coding.refi_read`), converting positions (:mod:`coding.refi_offsets`) and segmenting
happen first, with no lock held; then everything is written in one transaction, so a bad file changes
nothing. What goes where:

- ``<User>`` → coders (``coder_map`` renames them: ``{"old": "new"}``);
- ``<Code>`` → codes under their parent; a code already in the project (the same GUID, as a qcode
  export gives) is reused, a new one gets an id made from its name (a qcode export's own ids come back);
- ``<TextSource>`` → transcripts, segmented as a .txt import is; a transcript already in the project
  with the same name and text is reused, so a colleague's codings of it come in beside yours;
  PDF, picture, audio and video sources are skipped with the reason;
- ``<PlainTextSelection>`` + ``<Coding>`` → codings of that exact character range (spans);
- ``<Note>`` → memos on the project, a transcript, a code, a segment (a selection's note: the first
  segment it covers) or a coding;
- ``<Variable>`` values of a source and of the ``<Case>``\\ s it belongs to → transcript attributes.

>>> out = getfixture("tmp_path") / "demo.qdpx"
>>> _ = project.export_qdpx(out)
>>> from coding.project import Project
>>> copy = Project.create(getfixture("tmp_path") / "copy.qcode")
>>> report = import_qdpx(copy.store, out)
>>> len(report.transcripts), report.codings == project.store.codings_count(), report.skipped
(16, True, [])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .errors import ImportProblem
from .refi_ids import code_guid
from .refi_read import Archive, Selection, Source

_FALLBACK_CODER = "qdpx"


@dataclass
class QdpxImportReport:
    """What :func:`import_qdpx` did: counts, conversions, skipped sources with reasons, warnings."""

    file: str
    origin: str = ""
    transcripts: list[str] = field(default_factory=list)     # added
    reused: list[str] = field(default_factory=list)          # already in the project (same name and text)
    segments: int = 0
    codes_added: int = 0
    codes_matched: int = 0
    coders: list[str] = field(default_factory=list)
    codings: int = 0
    memos: int = 0
    attributes: int = 0
    conversions: list[str] = field(default_factory=list)
    converted: dict[str, int] = field(default_factory=dict)   # utf16, crlf, crlf1, bom, controls -> sources
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (source, reason)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as lines of text (the CLI prints them).

        >>> QdpxImportReport("x.qdpx", codings=3, coders=["anna"]).lines()[0][:50]
        'Imported x.qdpx: 0 transcripts (0 segments), 0 cod'
        """
        out = [f"Imported {self.file}" + (f" (written by {self.origin})" if self.origin else "")
               + f": {len(self.transcripts)} transcripts ({self.segments} segments), {self.codes_added} codes added "
               f"({self.codes_matched} already there), {self.codings} codings by {len(self.coders)} coders"
               + (f" ({', '.join(self.coders)})" if self.coders else "")
               + f", {self.memos} memos, {self.attributes} attribute values"]
        if self.reused:
            out.append("Already in the project (codings added to them): " + ", ".join(self.reused))
        out += [f"Converted: {c}" for c in self.conversions]
        out += [f"Skipped {name}: {reason}" for name, reason in self.skipped]
        out += [f"Warning: {w}" for w in self.warnings]
        return out


@dataclass
class _Text:
    """One source ready to be written."""

    source: Source
    name: str
    text: str
    spans: list[tuple[Selection, int, int]]      # selection, start, end in ``text``
    transcript_id: int | None = None             # when it is already in the project
    rows: list | None = None                     # segments (new transcripts)
    attributes: dict[str, str] = field(default_factory=dict)


def _stamp(value: str | None) -> str | None:
    """An ``xsd:dateTime`` as the store writes times (UTC, seconds); None when unreadable."""
    try:
        when = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _describe(selection: Selection) -> str:
    return f"project.qde line {selection.line}, <PlainTextSelection guid={selection.guid!r}>"


def _prepare(store, archive: Archive, *, unit: str, language: str, report: QdpxImportReport) -> list[_Text]:
    """Decode every text source, convert its positions, match it with the project's transcripts and segment
    the new ones (no lock held)."""
    from .refi_offsets import decide, decode_source, PositionMap, candidates, store_text
    from .segmentation import segment_many
    from .speakers import split_turns
    from .textclean import one_line

    where = archive.file
    names_in_project = store.transcript_names()
    taken: set[str] = set()
    texts: list[_Text] = []
    counts = {"utf16": 0, "crlf": 0, "crlf1": 0, "bom": 0, "controls": 0}
    for source in archive.sources:
        lost = sum(len(s.codings) for s in source.selections)
        if source.skip is None:
            if source.inline is not None:
                raw, bom = source.inline, False
            else:
                try:
                    decoded = decode_source(source.data or b"")
                except UnicodeDecodeError:
                    source.skip = f"its text ({source.member}) is neither UTF-8 nor UTF-16"
                else:
                    raw, bom = decoded.raw, decoded.bom
            if source.skip is None and not raw.strip():
                source.skip = "its text is empty"
        if source.skip is not None:
            report.skipped.append((source.name, source.skip + (f" ({lost} codings not imported)" if lost else "")))
            continue
        positions = [(s.start, s.end) for s in source.selections]
        mapping = decide(raw, positions, archive.origin)
        if mapping is None:
            prior = PositionMap(raw, candidates(raw, archive.origin)[0])
            bad = next(s for s in source.selections if s.end > prior.units)
            raise ImportProblem(f"{_describe(bad)}: endPosition {bad.end} is beyond the text of source "
                                f"{source.name!r} ({prior.units} characters)", path=where)
        text = mapping.text
        if text != store_text(raw):                       # never: the map builds what a .txt import stores
            raise RuntimeError(f"{where}: the position map of {source.name!r} disagrees with the stored text")
        counts["bom"] += bom
        counts["utf16"] += mapping.convention.utf16
        counts["crlf"] += "\r\n" in raw
        counts["crlf1"] += "\r\n" in raw and mapping.convention.crlf == 1
        counts["controls"] += len(text) != len(raw) - raw.count("\r\n")
        spans = []
        for selection in source.selections:
            start, end = mapping.start(selection.start), mapping.end(selection.end)
            if not text[start:end].strip():
                report.warnings.append(f"{_describe(selection)} in {source.name!r} covers no text; its "
                                       f"{len(selection.codings)} codings were not imported")
                continue
            spans.append((selection, start, end))
        name = one_line(source.name) or source.guid
        if name in names_in_project:
            tid = store.transcript_id(name)
            if store.transcript_text(tid) != text:
                raise ImportProblem(f"project.qde line {source.line}, <{source.kind} guid={source.guid!r}>: a "
                                    f"different transcript named {name!r} is already in the project; rename or "
                                    "delete it first", path=where)
            texts.append(_Text(source, name, text, spans, transcript_id=tid))
            continue
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        texts.append(_Text(source, name, text, spans))
    new = [t for t in texts if t.transcript_id is None]
    segmented = segment_many([(t.text, split_turns(t.text)) for t in new], unit=unit, language=language)
    for t, segments in zip(new, segmented):
        t.rows = [s.as_row() for s in segments]
    what = [(counts["utf16"], "UTF-16 positions (NVivo) converted to characters"),
            (counts["crlf"], "CRLF line ends made LF" + (f", counted as one character in {counts['crlf1']}"
                                                         if counts["crlf1"] else "")),
            (counts["bom"], "byte-order mark removed"),
            (counts["controls"], "control characters removed")]
    report.conversions += [f"{label} in {n} source{'s' if n != 1 else ''}" for n, label in what if n]
    report.converted = {k: n for k, n in counts.items() if n}
    return texts


def _code_rows(store, archive: Archive, report: QdpxImportReport) -> tuple[dict[str, str], list[dict]]:
    """code GUID -> code id for every code of the file, and the rows of the codes to add."""
    from .codebook import _ID
    from .codebook_edit import suggest_id
    from .refi_project import colour

    existing = store.code_ids()
    by_guid = {code_guid(i): i for i in existing}
    taken = set(existing)
    ids: dict[str, str] = {}
    rows: list[dict] = []
    position = store.next_code_position()

    def walk(codes, parent_id):
        nonlocal position
        for code in codes:
            if code.guid in ids:
                report.warnings.append(f"project.qde line {code.line}: code {code.guid!r} appears twice; "
                                       "the first is used")
                continue
            code_id = by_guid.get(code.guid)
            if code_id is not None:
                report.codes_matched += 1
            else:
                claimed = archive.code_ids.get(code.guid)
                if claimed and _ID.match(claimed) and code_guid(claimed) == code.guid and claimed not in taken:
                    code_id = claimed                      # a qcode export's own id (it checks out)
                else:
                    code_id = suggest_id(code.name, parent_id, taken)
                taken.add(code_id)
                rows.append({"id": code_id, "parent_id": parent_id, "position": position, "label_sv": code.name,
                             "label_en": code.name, "definition": code.description,
                             "color": colour(code.color) or "", "active": True})
                position += 1
            ids[code.guid] = code_id
            walk(code.children, code_id)

    walk(archive.codes, None)
    report.codes_added = len(rows)
    return ids, rows


def _coders(archive: Archive, coder_map: dict[str, str] | None, report: QdpxImportReport) -> dict[str | None, str]:
    """user GUID -> coder name (None: codings whose user the file does not say)."""
    from .coders import valid_name
    from .textclean import one_line

    coder_map = coder_map or {}
    unknown = set(coder_map) - set(archive.users.values())
    if unknown:
        raise ImportProblem(f"--coder-map names {', '.join(sorted(unknown))}, who is not a user of this file "
                            f"(its users: {', '.join(sorted(archive.users.values())) or 'none'})", path=archive.file)
    names: dict[str | None, str] = {}
    for guid, name in archive.users.items():
        name = one_line(coder_map.get(name, name))
        if not valid_name(name):
            raise ImportProblem(f"project.qde: <User guid={guid!r}> is called {name!r}, which cannot be a coder's "
                                "name (letters, digits, space . @ - and at most 64 characters); rename it with "
                                "--coder-map OLD=NEW", path=archive.file)
        names[guid] = name
    fallback = next(iter(names.values())) if len(names) == 1 else _FALLBACK_CODER
    names[None] = coder_map.get(fallback, fallback)
    return names


def import_qdpx(store, source, *, name: str | None = None, coder_map: dict[str, str] | None = None,
                actor: str | None = None, unit: str = "sentence", language: str = "sv",
                backup: bool = False) -> QdpxImportReport:
    """Import the REFI-QDA project ``source`` (a path, or bytes named ``name``) into the project of ``store``,
    all or nothing; returns a :class:`QdpxImportReport`. Bad or hostile files raise
    :class:`~coding.errors.ImportProblem` naming the file and the element. ``backup``: an automatic backup
    first when the project holds anything (after the file was read and checked)."""
    from .refi_read import read_qdpx, read_qdpx_bytes

    if isinstance(source, (bytes, bytearray)):
        archive = read_qdpx_bytes(bytes(source), name or "upload.qdpx")
    else:
        archive = read_qdpx(source)
    report = QdpxImportReport(file=archive.file if name is None else name, origin=archive.origin)
    users = _coders(archive, coder_map, report)
    texts = _prepare(store, archive, unit=unit, language=language, report=report)
    plan = _Plan(archive, users, texts, report, unit=unit, language=language)
    plan.check()
    counts = store.counts()
    if backup and (counts["transcripts"] or counts["codes"] or counts["memos"]):
        from .backup import auto_backup

        auto_backup(store, "qdpx-import")
    with store.transaction():
        plan.write(store)
        store.audit("qdpx.import", actor=actor, target=report.file,
                    detail={"origin": report.origin, "transcripts": report.transcripts, "reused": report.reused,
                            "codes_added": report.codes_added, "codings": report.codings, "memos": report.memos,
                            "skipped": [s for s, _ in report.skipped]})
    return report


class _Plan:
    """Everything to write, checked before the transaction starts (one job: the rows)."""

    def __init__(self, archive: Archive, users, texts: list[_Text], report: QdpxImportReport, *, unit: str,
                 language: str):
        self.archive, self.users, self.texts, self.report = archive, users, texts, report
        self.unit, self.language = unit, language

    def coder(self, *guids) -> str:
        for guid in guids:
            if guid is not None:
                if guid not in self.users:
                    self.report.warnings.append(f"user {guid!r} is not among the file's users; the coding is "
                                                f"{self.users[None]!r}'s")
                    self.users[guid] = self.users[None]
                return self.users[guid]
        return self.users[None]

    def check(self) -> None:
        """Codes that point nowhere are errors; attributes from sources and cases."""
        from .textclean import one_line

        known = {c.guid for c in self.archive.all_codes()}
        for t in self.texts:
            for selection, _, _ in t.spans:
                for coding in selection.codings:
                    if coding.code not in known:
                        raise ImportProblem(f"project.qde line {coding.line}, <Coding guid={coding.guid!r}>: its "
                                            f"<CodeRef> points to code {coding.code!r}, which is not in the "
                                            "file's codebook", path=self.archive.file)
        variables = self.archive.variables
        by_source: dict[str, dict[str, str]] = {}
        for case in self.archive.cases:
            for guid in case.sources:
                by_source.setdefault(guid, {}).update(case.values)
        for t in self.texts:
            values = {**by_source.get(t.source.guid, {}), **t.source.values}
            t.attributes = {one_line(variables[g]): one_line(v) for g, v in values.items()
                            if g in variables and one_line(variables[g]) and one_line(v)}

    def write(self, store) -> None:
        import hashlib

        from .segmentation import count_words
        from .textclean import remove_controls

        report, archive = self.report, self.archive
        code_ids, code_rows = _code_rows(store, archive, report)       # under the lock: the codebook as it is now
        if code_rows:
            store.upsert_codes(code_rows)
        names_now = store.transcript_names()
        spans: list[tuple] = []
        coders: set[str] = set()
        notes_used: set[str] = set()
        memos: list[dict] = []

        def memo(guids, default_user, prefix="", **target):
            for guid in guids:
                note = archive.notes.get(guid)
                if note is None:
                    report.warnings.append(f"a <NoteRef> points to note {guid!r}, which is not in the file")
                    continue
                notes_used.add(guid)
                text = remove_controls(note.text).strip()
                if text:
                    text = prefix + text
                    who = self.coder(note.user, default_user)
                    memos.append({"coder": who, "text": text, **target})

        for t in self.texts:
            if t.transcript_id is None:
                if t.name in names_now:
                    raise ImportProblem(f"{t.name}: was added by someone else meanwhile; nothing was imported, "
                                        "try again", path=report.file)
                t.transcript_id = store.add_transcript(
                    name=t.name, format="qdpx", encoding="utf-8", text=t.text, n_words=count_words(t.text),
                    sha256=hashlib.sha256(t.text.encode("utf-8")).hexdigest(), segmentation=self.unit,
                    language=self.language, segments=t.rows, attributes=t.attributes)
                report.transcripts.append(t.name)
                report.segments += len(t.rows)
            else:
                if t.attributes:
                    store.set_attributes(t.transcript_id, t.attributes)
                report.reused.append(t.name)
            report.attributes += len(t.attributes)
            segments = store.segments(t.transcript_id)
            starts = [s.start for s in segments]
            memo(t.source.notes, None, transcript_id=t.transcript_id)
            if t.source.description:
                memos.append({"coder": self.users[None], "text": remove_controls(t.source.description).strip(),
                              "transcript_id": t.transcript_id})
            for selection, start, end in t.spans:
                for coding in selection.codings:
                    who = self.coder(coding.user, selection.user)
                    coders.add(who)
                    notes = [archive.notes[g].text for g in coding.notes if g in archive.notes]
                    notes_used.update(coding.notes)
                    text = "\n\n".join(remove_controls(n).strip() for n in notes if n.strip()) or None
                    spans.append((t.transcript_id, start, end, code_ids[coding.code], who, text,
                                  _stamp(coding.created) or _stamp(selection.created)))
                if selection.notes:
                    segment = _segment_at(segments, starts, start, end)
                    if segment is not None:
                        memo(selection.notes, selection.user, transcript_id=t.transcript_id, segment_id=segment.id)
        for code in archive.all_codes():
            memo(code.notes, None, code_id=code_ids[code.guid])
        memo(archive.project_notes, None)
        for s in archive.sources:                       # a skipped source's notes: about the project, named
            if s.skip:
                about = s.notes + [g for sel in s.selections for g in sel.notes + [n for c in sel.codings
                                                                                   for n in c.notes]]
                memo([g for g in about if g not in notes_used], None, prefix=f"{s.name}: ")
        for guid in archive.notes:                      # a note nothing refers to: about the project
            if guid not in notes_used:
                memo([guid], None)
        coders.update(m["coder"] for m in memos)
        store.ensure_coders(sorted(coders))
        for m in memos:
            if m["text"]:
                store.add_memo(**m)
                report.memos += 1
        report.codings = _write_spans(store, spans, report)
        report.coders = sorted(coders)


def _segment_at(segments, starts, start: int, end: int):
    """The first segment that a range ``[start, end)`` overlaps."""
    import bisect

    i = max(bisect.bisect_right(starts, start) - 1, 0)
    while i < len(segments) and segments[i].end <= start:
        i += 1
    return segments[i] if i < len(segments) and segments[i].start < end else None


def _write_spans(store, spans: list[tuple], report: QdpxImportReport) -> int:
    """Write ``(transcript id, start, end, code id, coder, memo, created_at)`` codings (a whole segment's range
    becomes that segment's coding, any other range a span); returns how many are new."""
    return store.add_spans(spans)
