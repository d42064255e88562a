"""Read a REFI-QDA project archive (``.qdpx``) written by any tool into plain dataclasses; writes nothing.

Safe first: the zip is checked before anything is unpacked (at most :data:`MAX_MEMBERS` members, no
member above :data:`MAX_MEMBER_BYTES` or a compression ratio above :data:`MAX_RATIO`, at most
:data:`MAX_TOTAL_BYTES` in all, no absolute paths or ``..``), members are read in memory only and
never beyond their limit, and ``project.qde`` is parsed with no DOCTYPE, no entities and no network.

Lenient second: namespace prefixes, unknown and empty elements (an empty ``<Sets/>``) are ignored; the
sources folder may be ``Sources/`` or ``sources/``; a text may be a file (``internal://x.txt``, a plain
relative path) or inline ``<PlainTextContent>``. Sources that are not text (PDF, pictures, audio,
video) are kept with the reason they cannot be imported, never dropped silently.

>>> import io, zipfile
>>> qde = '''<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="QualCoder 3.5">
... <Users><User guid="u1" name="lena"/></Users>
... <CodeBook><Codes><Code guid="c1" name="Stöd" isCodable="true"/></Codes></CodeBook>
... <Sources><TextSource guid="s1" name="intervju" plainTextPath="internal://s1.txt">
...   <PlainTextSelection guid="x1" startPosition="0" endPosition="3" creatingUser="u1">
...     <Coding guid="k1" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
... </TextSource></Sources></Project>'''.encode()
>>> data = io.BytesIO()
>>> with zipfile.ZipFile(data, "w") as z:
...     z.writestr("project.qde", qde); z.writestr("sources/s1.txt", "Hej då".encode())
>>> archive = read_qdpx_bytes(data.getvalue(), "demo.qdpx")
>>> archive.origin, archive.users, [c.name for c in archive.codes]
('QualCoder 3.5', {'u1': 'lena'}, ['Stöd'])
>>> source = archive.sources[0]
>>> source.data.decode(), [(s.start, s.end, [c.code for c in s.codings]) for s in source.selections]
('Hej då', [(0, 3, ['c1'])])
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImportProblem

MAX_MEMBERS = 50_000                    # members in one archive
MAX_MEMBER_BYTES = 1024 * 1024 ** 2     # unpacked size of one member (project.qde of a very large project)
MAX_SOURCE_BYTES = 256 * 1024 ** 2      # unpacked size of one source text
MAX_TOTAL_BYTES = 4 * 1024 ** 3         # unpacked size of everything read
MAX_RATIO = 200                         # unpacked/packed size of a member above RATIO_FLOOR (zip bombs)
RATIO_FLOOR = 1024 ** 2
MAX_SIDECAR_BYTES = 16 * 1024 ** 2      # qcode's own ``qcode-ids.json``
SIDECAR = "qcode-ids.json"              # written by coding.refi_project

_SCHEMES = re.compile(r"^(internal|relative|absolute)://", re.I)
_TEXT_TAGS = ("TextSource",)
_OTHER_SOURCES = {"PDFSource": "a PDF", "PictureSource": "a picture", "AudioSource": "a recording (audio)",
                  "VideoSource": "a recording (video)"}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


# ---------------------------------------------------------------------------------------------- dataclasses

@dataclass
class Code:
    """One ``<Code>`` with the codes below it."""

    guid: str
    name: str
    color: str | None = None
    description: str = ""
    children: list["Code"] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # GUIDs of the notes about the code
    line: int | None = None


@dataclass
class Coding:
    """One ``<Coding>`` of a selection: which code, by whom, when."""

    guid: str
    code: str                                           # the code's GUID
    user: str | None = None                             # the creating user's GUID
    created: str | None = None
    notes: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Selection:
    """One ``<PlainTextSelection>``: positions as the file counts them (see :mod:`coding.refi_offsets`)."""

    guid: str
    start: int
    end: int
    user: str | None = None
    created: str | None = None
    codings: list[Coding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Source:
    """One source. ``data`` holds a text source's bytes (or ``inline`` its text); ``skip`` says why a
    source cannot be imported (not text, text missing)."""

    guid: str
    name: str
    kind: str                                           # the element: TextSource, PDFSource …
    data: bytes | None = None
    inline: str | None = None
    member: str | None = None                           # where in the archive the text was
    selections: list[Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)   # variable GUID -> value
    description: str = ""
    skip: str | None = None
    line: int | None = None


@dataclass
class Note:
    """One ``<Note>`` (a memo)."""

    guid: str
    name: str
    text: str
    user: str | None = None
    created: str | None = None
    member: str | None = None                           # a text kept in a file (plainTextPath), not inline


@dataclass
class Case:
    """One ``<Case>``: its variable values hold for every source it names."""

    guid: str
    name: str
    values: dict[str, str] = field(default_factory=dict)   # variable GUID -> value
    sources: list[str] = field(default_factory=list)


@dataclass
class Archive:
    """Everything read from one ``.qdpx``."""

    file: str
    origin: str = ""
    name: str = ""
    users: dict[str, str] = field(default_factory=dict)    # GUID -> name
    codes: list[Code] = field(default_factory=list)        # the top-level codes
    sources: list[Source] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)  # GUID -> name
    cases: list[Case] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)
    code_ids: dict[str, str] = field(default_factory=dict)   # code GUID -> qcode id (qcode's own exports)
    warnings: list[str] = field(default_factory=list)

    def all_codes(self) -> list[Code]:
        """Every code, parents before children."""
        out, todo = [], list(reversed(self.codes))
        while todo:
            code = todo.pop()
            out.append(code)
            todo.extend(reversed(code.children))
        return out


# ---------------------------------------------------------------------------------------------- the zip

def read_qdpx(path: str | Path) -> Archive:
    """Read the ``.qdpx`` at ``path``; see :func:`read_qdpx_bytes`."""
    path = Path(path)
    if not path.is_file():
        raise ImportProblem("no such file", path=str(path))
    try:
        with path.open("rb") as f:
            return _read(f, str(path))
    except OSError as exc:
        raise ImportProblem(f"cannot be read ({exc.strerror or exc})", path=str(path)) from None


def read_qdpx_bytes(data: bytes, name: str) -> Archive:
    """Read a ``.qdpx`` given as bytes (an upload) named ``name``. Every problem raises
    :class:`~coding.errors.ImportProblem` naming the file, the member and the element."""
    return _read(io.BytesIO(data), name)


def _read(handle, where: str) -> Archive:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportProblem("is not a zip archive; a REFI-QDA project (.qdpx) is a zip with project.qde inside",
                            path=where) from None
    with archive:
        members = _check_members(archive, where)
        qdes = sorted((n.count("/"), n) for n in members if n.lower().endswith(".qde"))
        qde_name = next((n for _, n in qdes if posixpath.basename(n).lower() == "project.qde"), None) or \
            (qdes[0][1] if qdes else None)
        if qde_name is None:
            raise ImportProblem("holds no project.qde; is it a REFI-QDA project (.qdpx)?", path=where)
        base = posixpath.dirname(qde_name)         # a tool that zipped the project's folder: paths start there
        if base:
            members = {n[len(base) + 1:]: info for n, info in members.items() if n.startswith(base + "/")}
        budget = [MAX_TOTAL_BYTES]
        result = parse_project(_member(archive, members[posixpath.basename(qde_name)], MAX_MEMBER_BYTES, budget,
                                       where), where)
        _load_sources(result, archive, members, budget, where)
        sidecar = next((n for n in members if n.lower() == SIDECAR), None)
        if sidecar is not None:
            result.code_ids = _sidecar(_member(archive, members[sidecar], MAX_SIDECAR_BYTES, budget, where))
    return result


def _check_members(archive: zipfile.ZipFile, where: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ImportProblem(f"holds {len(infos)} files, more than the {MAX_MEMBERS} a .qdpx may hold; refused",
                            path=where)
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = name.split("/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            raise ImportProblem(f"member {info.filename!r} points outside the archive; refused for safety",
                                path=where)
        if info.is_dir():
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise ImportProblem(f"member {info.filename!r} unpacks to {info.file_size // 1024 ** 2} MB, more than "
                                f"{MAX_MEMBER_BYTES // 1024 ** 2} MB; refused", path=where)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ImportProblem(f"member {info.filename!r} is compressed {info.file_size // max(info.compress_size, 1)}"
                                f" to 1 (a zip bomb?); refused", path=where)
        total += info.file_size
        members[posixpath.normpath(name)] = info
    if total > MAX_TOTAL_BYTES:
        raise ImportProblem(f"unpacks to {total // 1024 ** 2} MB, more than {MAX_TOTAL_BYTES // 1024 ** 2} MB; "
                            "refused", path=where)
    return members


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, budget: list[int], where: str) -> bytes:
    """A member's bytes, read in chunks and stopped at ``limit`` (the sizes in a zip's header may lie)."""
    limit = min(limit, budget[0])
    chunks, size = [], 0
    try:
        with archive.open(info) as f:
            while True:
                chunk = f.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit or size > MAX_RATIO * max(info.compress_size, 1) + RATIO_FLOOR:
                    raise ImportProblem(f"member {info.filename!r} unpacks to more than it may; refused "
                                        "(a zip bomb?)", path=where)
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise ImportProblem(f"member {info.filename!r} cannot be unpacked ({exc})", path=where) from None
    budget[0] -= size
    return b"".join(chunks)


def _sidecar(data: bytes) -> dict[str, str]:
    """qcode's own code ids by GUID (written by :func:`coding.refi_project.export_qdpx`); anything odd: none."""
    try:
        ids = json.loads(data.decode("utf-8")).get("codes", {})
    except (ValueError, AttributeError, UnicodeDecodeError):
        return {}
    if not isinstance(ids, dict):
        return {}
    return {str(k).lower(): v for k, v in ids.items() if isinstance(v, str)}


def _find(path: str, folders: dict[str, str]) -> str | None:
    """The member a ``plainTextPath`` names: ``internal://x.txt``, ``relative://x.txt`` or a plain path, in
    ``Sources/`` or ``sources/`` (or at the top); never a file outside the archive."""
    scheme = _SCHEMES.match(path)
    if scheme and scheme.group(1).lower() == "absolute":
        return None
    inside = (path[scheme.end():] if scheme else path).lstrip("/").replace("\\", "/")
    candidates = [inside, f"sources/{inside}", f"sources/{posixpath.basename(inside)}"]
    return next((folders[c.lower()] for c in candidates if c and c.lower() in folders), None)


def _load_sources(result: Archive, archive, members: dict[str, zipfile.ZipInfo], budget, where: str) -> None:
    folders: dict[str, str] = {}                 # lower-cased path -> member name
    for name in members:
        folders.setdefault(name.lower(), name)
    for note in result.notes.values():
        found = _find(note.member, folders) if note.member else None
        if found is not None:
            note.text = _member(archive, members[found], MAX_SOURCE_BYTES, budget, where).decode("utf-8-sig",
                                                                                                "replace")
    for source in result.sources:
        if source.skip or source.inline is not None:
            continue
        path = source.member or ""
        if _SCHEMES.match(path) and path.lower().startswith("absolute"):
            source.skip = f"its text is a file outside the archive ({path})"
            continue
        found = _find(path, folders)
        if found is None:
            source.skip = (f"its text {path!r} is not in the archive" if path else
                           "it has no plain text (plainTextPath) in the archive")
            continue
        source.member = found
        source.data = _member(archive, members[found], MAX_SOURCE_BYTES, budget, where)


# ---------------------------------------------------------------------------------------------- the XML

_DECLARATIONS = [text.encode(codec) for text in ("<!DOCTYPE", "<!ENTITY")
                 for codec in ("utf-8", "utf-16-le", "utf-16-be")]


def _parser_options() -> dict:
    return {"resolve_entities": False, "no_network": True, "huge_tree": False, "load_dtd": False,
            "dtd_validation": False}


def _refuse_declarations(data: bytes, where: str) -> None:
    if any(d in data for d in _DECLARATIONS):
        raise ImportProblem("project.qde holds a DOCTYPE or entity declarations, which a REFI-QDA project never "
                            "has; refused for safety", path=where)


def _check_tree(tree, where: str) -> None:
    from lxml import etree

    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ImportProblem("project.qde holds a DOCTYPE, which a REFI-QDA project never has; refused for safety",
                            path=where)
    for element in tree.iter():
        if element.tag is etree.Entity:
            raise ImportProblem(f"project.qde line {element.sourceline}: holds an entity reference; refused for "
                                "safety", path=where)
    root = tree.getroot()
    if _local(root) != "Project":
        raise ImportProblem(f"project.qde: the root element is <{_local(root)}>; a REFI-QDA project has <Project>",
                            path=where)


def parse_project(data: bytes, where: str) -> Archive:
    """``project.qde`` as an :class:`Archive`, parsed as a stream: each source is read into dataclasses as
    soon as its element ends and then dropped from the tree, so a file with a million selections never
    holds them all as XML at once (the collector is paused meanwhile: millions of new objects, no cycles)."""
    import gc

    from lxml import etree

    _refuse_declarations(data, where)
    walker = _Parser(where)
    sources: list[Source] = []
    root = None
    depth = 0
    paused = gc.isenabled()
    gc.disable()
    try:
        for event, element in etree.iterparse(io.BytesIO(data), events=("start", "end"), **_parser_options()):
            if event == "start":
                depth += 1
                root = element if root is None else root
                continue
            depth -= 1
            if depth == 2 and _local(element.getparent()) == "Sources":
                sources.append(walker.source(element))
                element.getparent().remove(element)
        if root is None:
            raise ImportProblem("project.qde is empty", path=where)
        _check_tree(root.getroottree(), where)
        result = walker.project(root)
    except etree.XMLSyntaxError as exc:
        raise ImportProblem(f"project.qde line {exc.lineno}: not valid XML ({exc.msg})", path=where) from None
    finally:
        if paused:
            gc.enable()
    result.sources = sources + result.sources
    return result


_LOCAL: dict[str, str] = {}


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""                                # comments, processing instructions
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1]
    return name


def _kids(element, name: str | None = None):
    return [c for c in element if _local(c) and (name is None or _local(c) == name)]


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


class _Parser:
    """Turns the ``<Project>`` element into an :class:`Archive` (one job: the XML's structure)."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, element, what: str):
        raise ImportProblem(f"project.qde line {element.sourceline}, {self.describe(element)}: {what}",
                            path=self.where)

    @staticmethod
    def describe(element) -> str:
        guid = element.get("guid")
        return f"<{_local(element)}" + (f" guid={guid!r}" if guid else "") + ">"

    def project(self, root) -> Archive:
        out = Archive(file=self.where, origin=(root.get("origin") or "").strip(), name=root.get("name") or "")
        for child in _kids(root):
            tag = _local(child)
            if tag == "Users":
                for user in _kids(child, "User"):
                    guid = _guid(user.get("guid"))
                    if guid:
                        out.users[guid] = (user.get("name") or "").strip() or guid
            elif tag == "CodeBook":
                for codes in _kids(child, "Codes"):
                    out.codes.extend(self.code(c) for c in _kids(codes, "Code"))
            elif tag == "Variables":
                for var in _kids(child, "Variable"):
                    guid = _guid(var.get("guid"))
                    if guid and (var.get("name") or "").strip():
                        out.variables[guid] = var.get("name").strip()
            elif tag == "Cases":
                out.cases.extend(self.case(c) for c in _kids(child, "Case"))
            elif tag == "Sources":
                for source in _kids(child):
                    out.sources.append(self.source(source))
            elif tag == "Notes":
                for note in _kids(child, "Note"):
                    parsed = self.note(note)
                    if parsed is not None:
                        out.notes[parsed.guid] = parsed
            elif tag == "NoteRef":
                out.project_notes.extend(self.refs([child]))
        return out

    def refs(self, elements) -> list[str]:
        return [g for g in (_guid(e.get("targetGUID")) for e in elements) if g]

    def code(self, element) -> Code:
        guid = _guid(element.get("guid"))
        if not guid:
            self.fail(element, "a code without a guid")
        name = " ".join((element.get("name") or "").split()) or guid
        code = Code(guid=guid, name=name, color=element.get("color"), line=element.sourceline,
                    description=_text(next(iter(_kids(element, "Description")), None)).strip(),
                    notes=self.refs(_kids(element, "NoteRef")))
        code.children = [self.code(c) for c in _kids(element, "Code")]
        return code

    def case(self, element) -> Case:
        return Case(guid=_guid(element.get("guid")), name=(element.get("name") or "").strip(),
                    values=self.values(element), sources=self.refs(_kids(element, "SourceRef")))

    def values(self, element) -> dict[str, str]:
        out = {}
        for holder in _kids(element, "VariableValue"):
            ref = self.refs(_kids(holder, "VariableRef"))
            value = next((_text(v).strip() for v in _kids(holder) if _local(v) in _VALUE_TAGS), "")
            if ref and value:
                out[ref[0]] = value
        return out

    def note(self, element) -> Note | None:
        guid = _guid(element.get("guid"))
        content = _kids(element, "PlainTextContent")
        if not guid:
            return None
        return Note(guid=guid, name=(element.get("name") or "").strip(), text=_text(content[0]) if content else "",
                    user=_guid(element.get("creatingUser")) or None, created=element.get("creationDateTime"),
                    member=None if content else (element.get("plainTextPath") or "").strip() or None)

    def source(self, element) -> Source:
        tag = _local(element)
        guid = _guid(element.get("guid"))
        name = " ".join((element.get("name") or "").split())
        if not guid:
            self.fail(element, "a source without a guid")
        source = Source(guid=guid, name=name or guid, kind=tag, line=element.sourceline,
                        notes=self.refs(_kids(element, "NoteRef")), values=self.values(element),
                        description=_text(next(iter(_kids(element, "Description")), None)).strip())
        if tag not in _TEXT_TAGS:
            what = _OTHER_SOURCES.get(tag, f"a <{tag}>")
            source.skip = f"it is {what}, not a text; qcode imports text sources only"
            return source
        inline = _kids(element, "PlainTextContent")
        if inline:
            source.inline = _text(inline[0])
        else:
            source.member = (element.get("plainTextPath") or "").strip() or None
        for sel in _kids(element, "PlainTextSelection"):
            source.selections.append(self.selection(sel))
        return source

    def selection(self, element) -> Selection:
        positions = []
        for attr in ("startPosition", "endPosition"):
            value = (element.get(attr) or "").strip()
            if not (value.isascii() and value.isdigit() and len(value) <= 12):
                self.fail(element, f"{attr} {value!r} is not a position (a whole number ≥ 0)")
            positions.append(int(value))
        start, end = positions
        if end < start:
            self.fail(element, f"endPosition {end} comes before startPosition {start}")
        selection = Selection(guid=_guid(element.get("guid")), start=start, end=end, line=element.sourceline,
                              user=_guid(element.get("creatingUser")) or None,
                              created=element.get("creationDateTime"))
        for child in element:                    # one pass over the children (large files have millions)
            tag = _local(child)
            if tag == "Coding":
                code, notes = None, []
                for ref in child:
                    kind = _local(ref)
                    if kind == "CodeRef" and code is None:
                        code = _guid(ref.get("targetGUID")) or None
                    elif kind == "NoteRef":
                        notes.extend(self.refs([ref]))
                if code is None:
                    self.fail(child, "a coding without a <CodeRef>")
                selection.codings.append(Coding(guid=_guid(child.get("guid")), code=code, line=child.sourceline,
                                                user=_guid(child.get("creatingUser")) or None,
                                                created=child.get("creationDateTime"), notes=notes))
            elif tag == "NoteRef":
                selection.notes.extend(self.refs([child]))
        return selection
