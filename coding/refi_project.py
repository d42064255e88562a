"""Export a whole project as a REFI-QDA project archive (``.qdpx``), for NVivo, ATLAS.ti, MAXQDA, QualCoder.

The archive is a zip with ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``, validated against the
REFI-QDA 2019 schema shipped in ``coding/data/refi/`` before anything is written) and one
``sources/<guid>.txt`` per transcript: the stored text, UTF-8 without BOM; beside them ``qcode-ids.json``
holds each code's id by its GUID, so importing the archive again keeps the ids (:mod:`coding.refi_import`).

What goes where:

- every coder (the consensus coder too) is a ``<User>``; every code a ``<Code>`` in the hierarchy, with
  its label and definition in the chosen language and its colour;
- every transcript is a ``<TextSource>``; each coder's codings of a segment are ``<Coding>``\\ s under one
  ``<PlainTextSelection>`` of that segment (a selection has one creating user), and each coder's codings of
  any other span of text (:mod:`coding.spans`) one ``<PlainTextSelection>`` of that span;
- memos are ``<Note>``\\ s, referred to (``<NoteRef>``) from the project, the source, the selection (a
  segment's memo), the code or the coding they are about;
- attributes are ``<Variable>``\\ s with a value on each source; ``<Cases>`` are the municipalities
  (attribute ``kommun``; a transcript without one is a case of its own).

GUIDs are derived from names (:mod:`coding.refi_ids`), so two exports of the same project agree.

Positions (``startPosition``/``endPosition``) count Unicode code points of the stored text. NVivo counts
UTF-16 code units; the two agree unless the text holds characters outside the Basic Multilingual Plane
(emoji and the like). Such sources are still written in code points and named in the summary
(``non_bmp_sources``).

>>> out = getfixture("tmp_path") / "demo.qdpx"
>>> summary = export_qdpx(project, out)
>>> summary["sources"], summary["users"]
(16, 2)
>>> import zipfile; "project.qde" in zipfile.ZipFile(out).namelist()
True
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import QcodeError
from .refi_ids import code_guid, guid, user_guid

NS = "urn:QDA-XML:project:1.0"
SIDECAR = "qcode-ids.json"      # code ids by GUID, read back by coding.refi_read
CASE_ATTRIBUTE = "kommun"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_COLOUR = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def xml_text(text: str | None) -> str:
    """``text`` with every character XML 1.0 cannot hold removed (controls, lone surrogates, U+FFFE …).

    >>> xml_text("a\\x00b\\x1b]]><script>")
    'ab]]><script>'
    """
    return _NOT_XML.sub("", text or "")


def colour(value: str | None) -> str | None:
    """A code's colour as ``#RRGGBB`` (None when it is not a hex colour).

    >>> colour("#a1b"), colour("1f77b4"), colour("red")
    ('#AA11BB', '#1F77B4', None)
    """
    m = _COLOUR.fullmatch((value or "").strip())
    if not m:
        return None
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def xml_datetime(stamp: str | None) -> str | None:
    """A stored time as an ``xsd:dateTime`` in UTC (None when it cannot be read).

    >>> xml_datetime("2014-03-12T09:30:00+01:00"), xml_datetime("2014-03-12 09:30:00"), xml_datetime("x")
    ('2014-03-12T08:30:00Z', '2014-03-12T09:30:00Z', None)
    """
    return _xml_datetime(stamp)


@lru_cache(maxsize=65536)  # an export asks for the same few stamps a million times
def _xml_datetime(stamp: str | None) -> str | None:
    try:
        when = datetime.fromisoformat((stamp or "").strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def schema_path(name: str = "Project-mrt2019.xsd"):
    """The shipped REFI-QDA schema ``name`` (a path-like resource)."""
    return resources.files("coding.data.refi").joinpath(name)


def validate(root) -> None:
    """Check a ``<Project>`` element against the REFI-QDA project schema; raise ``lxml``'s error if it fails."""
    from lxml import etree

    with resources.as_file(schema_path()) as xsd:
        schema = etree.XMLSchema(etree.parse(str(xsd)))
    schema.assertValid(root)


_SAFE = re.compile(r"[\w\-:.#/ ]*")  # GUIDs, numbers, times, colours: nothing to remove


def _set(element, **attributes) -> None:
    for key, value in attributes.items():
        if value is not None:
            value = value if isinstance(value, str) else str(value)
            element.set(key, value if _SAFE.fullmatch(value) else xml_text(value))


class _Builder:
    """Collects the project's rows and builds the ``<Project>`` element (one job: the XML)."""

    def __init__(self, store, lang: str):
        from lxml import etree

        self.E = etree
        self.store = store
        self.lang = lang
        self.users: dict[str, str] = {}
        self.note_elements: list = []
        self.counts = {"selections": 0, "codings": 0}
        self.transcripts: list[dict] = []

    def el(self, parent, tag: str, text: str | None = None, **attributes):
        element = self.E.SubElement(parent, f"{{{NS}}}{tag}")
        _set(element, **attributes)
        if text is not None:
            element.text = xml_text(text)
        return element

    def user(self, name: str) -> str:
        found = self.users.get(name)
        if found is None:
            found = self.users[name] = user_guid(name)
        return found

    def note(self, memo: dict, name: str) -> str:
        """A ``<Note>`` for one memo row; returns its GUID (for the ``<NoteRef>``)."""
        key = f"m{memo['id']}" if memo.get("id") is not None else \
            f"c{memo['transcript']}:{memo['segment']}:{memo['coder']}:{memo['code_id']}"
        note_guid = guid("note", key)
        self.note_elements.append((note_guid, name, memo))
        return note_guid

    # ------------------------------------------------------------------ parts
    def build(self, project_name: str):
        E = self.E
        store = self.store
        root = E.Element(f"{{{NS}}}Project", nsmap={None: NS})
        _set(root, name=project_name, origin="qcode", creationDateTime=xml_datetime(datetime.now(timezone.utc)
                                                                                    .isoformat()))
        for name in store.coders():
            self.user(name)
        codes = store.codes(include_inactive=True)
        memos = store.memo_list()
        for m in memos:
            self.user(m["coder"])
        codings = list(store.iter_codings_rows())
        for row in codings:
            self.user(row[3])

        if self.users:
            users = self.el(root, "Users")
            for name, user in sorted(self.users.items()):
                self.el(users, "User", guid=user, name=name)

        code_memos: dict[str, list[dict]] = {}
        transcript_memos: dict[int, list[dict]] = {}
        segment_memos: dict[tuple[int, str], list[dict]] = {}
        coding_memos: dict[tuple[int, str, str], dict] = {}
        project_memos: list[dict] = []
        for m in memos:
            if m["segment_id"] is not None and m["code_id"] is not None:
                coding_memos[(m["segment_id"], m["coder"], m["code_id"])] = m
            elif m["segment_id"] is not None:
                segment_memos.setdefault((m["segment_id"], m["coder"]), []).append(m)
            elif m["code_id"] is not None:
                code_memos.setdefault(m["code_id"], []).append(m)
            elif m["transcript_id"] is not None:
                transcript_memos.setdefault(m["transcript_id"], []).append(m)
            else:
                project_memos.append(m)

        if codes:
            self._codebook(self.el(self.el(root, "CodeBook"), "Codes"), codes, code_memos)

        self.transcripts = transcripts = store.transcripts()
        names = sorted({k for t in transcripts for k in t["attributes"]})
        if names:
            variables = self.el(root, "Variables")
            for name in names:
                self.el(variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable="Text")
        if transcripts:
            self._cases(self.el(root, "Cases"), transcripts)
            sources = self.el(root, "Sources")
            by_segment: dict[int, dict[str, list[tuple]]] = {}
            for row in codings:
                by_segment.setdefault(row[5], {}).setdefault(row[3], []).append(row)
            texts = {}
            for t in transcripts:
                texts[t["id"]] = self._source(sources, t, names, by_segment, transcript_memos, segment_memos,
                                              coding_memos)
        else:
            texts = {}
        project_refs = [self.note(m, "Memo: project") for m in project_memos]
        if self.note_elements:
            notes = self.el(root, "Notes")
            for note_guid, name, memo in self.note_elements:
                note = self.el(notes, "Note", guid=note_guid, name=name, creatingUser=self.user(memo["coder"]),
                               creationDateTime=xml_datetime(memo.get("created_at")),
                               modifiedDateTime=xml_datetime(memo.get("updated_at")))
                self.el(note, "PlainTextContent", memo["text"] or "")
        for ref in project_refs:
            self.el(root, "NoteRef", targetGUID=ref)
        return root, texts, {"codes": len(codes), "notes": len(self.note_elements), "variables": len(names)}

    def _codebook(self, parent, codes, code_memos) -> None:
        children: dict[str | None, list] = {}
        known = {c.id for c in codes}
        for c in codes:
            children.setdefault(c.parent_id if c.parent_id in known else None, []).append(c)

        def add(under, code, seen):
            label = (code.label_en if self.lang == "en" else code.label_sv) or code.label_sv or code.label_en
            element = self.el(under, "Code", guid=code_guid(code.id), name=label or code.id, isCodable="true",
                              color=colour(code.color))
            definition = code.text("definition", self.lang)
            if definition:
                self.el(element, "Description", definition)
            for m in code_memos.get(code.id, []):
                self.el(element, "NoteRef", targetGUID=self.note(m, f"Memo: {label or code.id}"))
            for child in children.get(code.id, []):
                if child.id not in seen:
                    add(element, child, seen | {child.id})

        for code in children.get(None, []):
            add(parent, code, {code.id})

    def _cases(self, parent, transcripts) -> None:
        cases: dict[str, tuple[str, list[dict]]] = {}
        for t in transcripts:
            value = (t["attributes"].get(CASE_ATTRIBUTE) or "").strip()
            key = f"{CASE_ATTRIBUTE}:{value}" if value else f"transcript:{t['name']}"
            cases.setdefault(key, (value or t["name"], []))[1].append(t)
        for key, (name, members) in sorted(cases.items(), key=lambda kv: kv[1][0]):
            case = self.el(parent, "Case", guid=guid("case", key), name=name)
            shared = {k: v for k, v in members[0]["attributes"].items()
                      if all(m["attributes"].get(k) == v for m in members)}
            for attr, value in sorted(shared.items()):
                self._value(case, attr, value)
            for t in members:
                self.el(case, "SourceRef", targetGUID=guid("source", t["name"]))

    def _value(self, parent, attr: str, value: str) -> None:
        holder = self.el(parent, "VariableValue")
        self.el(holder, "VariableRef", targetGUID=guid("variable", attr))
        self.el(holder, "TextValue", value)

    def _source(self, parent, t, names, by_segment, transcript_memos, segment_memos, coding_memos) -> str:
        store = self.store
        source_guid = guid("source", t["name"])
        source = self.el(parent, "TextSource", guid=source_guid, name=t["name"],
                         plainTextPath=f"internal://{source_guid}.txt",
                         creationDateTime=xml_datetime(t.get("imported_at")))
        text = store.transcript_text(t["id"])
        memo_coders: dict[int, set[str]] = {}
        for sid, coder in segment_memos:
            memo_coders.setdefault(sid, set()).add(coder)
        for seg in store.segments(t["id"]):
            coders = set(by_segment.get(seg.id, {})) | memo_coders.get(seg.id, set())
            for coder in sorted(coders):
                rows = by_segment.get(seg.id, {}).get(coder, [])
                key = f"{t['name']}:{seg.position}:{coder}"
                stamps = sorted(r[6] for r in rows if r[6]) or \
                    sorted(m["created_at"] for m in segment_memos.get((seg.id, coder), []) if m["created_at"])
                selection = self.el(source, "PlainTextSelection", guid=guid("selection", key),
                                    name=f"{t['name']} #{seg.position}", startPosition=seg.start,
                                    endPosition=seg.end, creatingUser=self.user(coder),
                                    creationDateTime=xml_datetime(stamps[0]) if stamps else None)
                self.counts["selections"] += 1
                for r in rows:
                    coding = self.el(selection, "Coding", guid=guid("coding", f"{key}:{r[2]}"),
                                     creatingUser=self.user(coder), creationDateTime=xml_datetime(r[6]))
                    self.el(coding, "CodeRef", targetGUID=code_guid(r[2]))
                    memo = coding_memos.get((seg.id, coder, r[2]))
                    if memo is not None:
                        self.el(coding, "NoteRef",
                                targetGUID=self.note(memo, f"Memo: {t['name']} #{seg.position} · {r[2]}"))
                    self.counts["codings"] += 1
                for m in segment_memos.get((seg.id, coder), []):
                    self.el(selection, "NoteRef", targetGUID=self.note(m, f"Memo: {t['name']} #{seg.position}"))
        self._spans(source, t)
        for m in transcript_memos.get(t["id"], []):
            self.el(source, "NoteRef", targetGUID=self.note(m, f"Memo: {t['name']}"))
        for attr in names:
            value = t["attributes"].get(attr)
            if value not in (None, ""):
                self._value(source, attr, value)
        return text


    def _spans(self, source, t) -> None:
        """One ``<PlainTextSelection>`` per coder and span of text that is not one whole segment."""
        by_range: dict[tuple[int, int, str], list[tuple]] = {}
        for row in self.store.span_list(transcript_id=t["id"]):
            if row[7] is None:  # not one whole segment (those were written above)
                by_range.setdefault((row[1], row[2], row[4]), []).append(row)
        for (start, end, coder), rows in sorted(by_range.items()):
            key = f"{t['name']}:{start}-{end}:{coder}"
            stamps = sorted(r[6] for r in rows if r[6])
            selection = self.el(source, "PlainTextSelection", guid=guid("selection", key),
                                name=f"{t['name']} {start}–{end}", startPosition=start, endPosition=end,
                                creatingUser=self.user(coder),
                                creationDateTime=xml_datetime(stamps[0]) if stamps else None)
            self.counts["selections"] += 1
            for r in rows:
                coding = self.el(selection, "Coding", guid=guid("coding", f"{key}:{r[3]}"),
                                 creatingUser=self.user(coder), creationDateTime=xml_datetime(r[6]))
                self.el(coding, "CodeRef", targetGUID=code_guid(r[3]))
                if r[5]:
                    memo = {"id": None, "transcript": t["name"], "segment": f"{start}-{end}", "coder": coder,
                            "code_id": r[3], "text": r[5], "created_at": r[6], "updated_at": r[6]}
                    self.el(coding, "NoteRef", targetGUID=self.note(memo, f"Memo: {t['name']} {start}–{end} · {r[3]}"))
                self.counts["codings"] += 1


def _code_ids(store) -> str:
    """``qcode-ids.json``: each code's id by its GUID, so an import of this file gives the codes their ids
    back (other tools ignore the file; an import checks that each id gives its GUID)."""
    import json

    return json.dumps({"codes": {code_guid(c.id): c.id for c in store.codes(include_inactive=True)}},
                      ensure_ascii=False, indent=1)


def export_qdpx(project_or_store, path: str | Path, lang: str = "sv", *, overwrite: bool = True) -> dict:
    """Write the whole project (sources, codebook, coders, codings, memos, attributes) as a REFI-QDA
    ``.qdpx`` archive at ``path``; returns a summary (counts, the path, sources whose positions NVivo
    would count differently).

    ``lang``: the language of code labels and definitions (``sv`` or ``en``). With ``overwrite=False`` an
    existing file is refused. The file appears whole or not at all.

    >>> out = getfixture("tmp_path") / "demo.qdpx"
    >>> s = export_qdpx(store, out, lang="en")
    >>> s["codings"] == store.codings_count(), s["non_bmp_sources"]
    (True, [])
    """
    from lxml import etree

    if lang not in ("sv", "en"):
        raise QcodeError(f"unknown language {lang!r}; choose sv or en")
    store = getattr(project_or_store, "store", project_or_store)
    path = Path(path)
    if path.exists() and not overwrite:
        raise QcodeError(f"{path} already exists (use --force to overwrite it)")
    if not path.parent.is_dir():
        raise QcodeError(f"{path}: the folder {path.parent} does not exist")

    builder = _Builder(store, lang)
    project_name = Path(getattr(store, "path", "") or "qcode").stem or "qcode"
    root, texts, counts = builder.build(project_name)
    try:
        validate(root)
    except etree.DocumentInvalid as exc:  # a bug in this module, never the researcher's data
        raise RuntimeError(f"the REFI-QDA project for {path} does not match the schema: {exc}") from exc
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    handle, temp = tempfile.mkstemp(prefix=".qdpx-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for t in builder.transcripts:
                archive.writestr(f"sources/{guid('source', t['name'])}.txt", texts[t["id"]].encode("utf-8"))
            archive.writestr(SIDECAR, _code_ids(store))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    transcripts = builder.transcripts
    cases = root.find(f"{{{NS}}}Cases")
    return {"path": str(path), "sources": len(transcripts), "users": len(builder.users),
            "codes": counts["codes"], "selections": builder.counts["selections"],
            "codings": builder.counts["codings"], "notes": counts["notes"], "variables": counts["variables"],
            "cases": 0 if cases is None else len(cases),
            "non_bmp_sources": sorted(t["name"] for t in transcripts
                                      if any(ord(ch) > 0xFFFF for ch in texts[t["id"]]))}
