"""REFI-QDA codebooks (``.qdc``): write a project's codebook for other QDA tools, and read theirs.

The format is the codebook exchange standard of the Rotterdam Exchange Format Initiative
(REFI, www.qdasoftware.org, ``Codebook-mrt2019.xsd`` in ``coding/data/refi/``): a ``<CodeBook>``
in the namespace ``urn:QDA-XML:codebook:1.0`` holding nested ``<Code guid name isCodable color>``
elements, each with an optional ``<Description>``. NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette
read and write it.

Writing is strict: one language per file, every export validated against the schema. A code's
GUID is derived from its id (UUID version 5), so exporting the same codebook twice gives the same
GUIDs. Reading is lenient about what other tools add (unknown or empty elements such as an empty
``<Sets/>``), strict about safety: no DOCTYPE, no entities, no network, at most :data:`MAX_BYTES`.

>>> from coding.codebook import parse_yaml
>>> book = parse_yaml("codes:\\n- id: a\\n  label_sv: Stöd\\n  label_en: Support\\n  color: '#1f77b4'\\n"
...                   "  children:\\n  - id: b\\n    label_sv: Chefen\\n    label_en: The manager\\n")
>>> data = codebook_to_qdc(book, lang="en")
>>> back = qdc_to_codebook(data, "book.qdc")
>>> [(c.id, c.parent, c.label_en, c.color) for c in back.codes]
[('support', None, 'Support', '#1F77B4'), ('support_the_manager', 'support', 'The manager', '')]
>>> [c.id for c in qdc_to_codebook(data, "book.qdc", known_ids={"a", "b"}).codes]  # our own GUIDs
['a', 'b']
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import refi_ids
from .errors import CodebookProblem

if TYPE_CHECKING:
    from .codebook import Codebook

NAMESPACE = "urn:QDA-XML:codebook:1.0"
MAX_BYTES = 20 * 1024 * 1024  # a .qdc file larger than this is refused
_Q = "{%s}" % NAMESPACE
_LABELS = {"sv": {"include": "Inkludera när", "exclude": "Exkludera när", "example": "Exempel"},
           "en": {"include": "Include when", "exclude": "Exclude when", "example": "Example"}}


def code_guid(code_id: str) -> str:
    """The GUID a code gets in every export, .qdc and .qdpx alike (:mod:`coding.refi_ids`).

    >>> code_guid("impl") == code_guid("impl") != code_guid("impl_ff")
    True
    """
    return refi_ids.code_guid(code_id)


@functools.lru_cache(maxsize=1)
def _schema():
    from lxml import etree

    xsd = resources.files("coding") / "data" / "refi" / "Codebook-mrt2019.xsd"
    with xsd.open("rb") as f:
        return etree.XMLSchema(etree.parse(f, _safe_parser()))


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_blank_text=True)


# ----------------------------------------------------------------- writing

def _as_codebook(codebook_or_store):
    from . import codebook as codebook_mod

    if isinstance(codebook_or_store, codebook_mod.Codebook):
        return codebook_or_store
    store = getattr(codebook_or_store, "store", codebook_or_store)  # a Project works too
    return codebook_mod.codebook_from_store(store)


def _color(value: str) -> str:
    value = (value or "").strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return "#" + value.upper() if len(value) == 6 else ""


def _description(code, lang: str) -> str:
    from .textclean import remove_controls

    parts = [code.text("definition", lang).strip()]
    for field in ("include", "exclude", "example"):
        text = code.text(field, lang).strip()
        if text:
            parts.append(f"{_LABELS[lang][field]}: {text}")
    return remove_controls("\n\n".join(p for p in parts if p)).strip()


def codebook_to_qdc(codebook_or_store, lang: str = "sv") -> bytes:
    """The codebook (a ``Codebook``, a store or a ``Project``) as a REFI-QDA ``.qdc`` file in ``lang``.

    Codes nest as in the codebook; ``name`` is the label in ``lang``, ``<Description>`` the definition
    followed by the include and exclude rules and the example, each as a labelled paragraph. The
    result is validated against the REFI schema.

    >>> data = codebook_to_qdc(store, lang="sv")
    >>> data[:38]
    b"<?xml version='1.0' encoding='UTF-8'?>"
    >>> "Implementering – inledande fas".encode() in data
    True
    """
    from lxml import etree

    from .segmentation import LANGUAGES
    from .textclean import one_line

    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    book = _as_codebook(codebook_or_store)
    if not book.codes:
        raise CodebookProblem("the codebook has no codes; a REFI-QDA codebook needs at least one")
    other = "en" if lang == "sv" else "sv"
    root = etree.Element(_Q + "CodeBook", nsmap={None: NAMESPACE}, origin="qcode")
    codes = etree.SubElement(root, _Q + "Codes")

    def add(parent_element, code) -> None:
        element = etree.SubElement(parent_element, _Q + "Code", guid=code_guid(code.id),
                                   name=one_line(code.label(lang) or code.label(other) or code.id),
                                   isCodable="true")
        if _color(code.color):
            element.set("color", _color(code.color))
        description = _description(code, lang)
        if description:
            etree.SubElement(element, _Q + "Description").text = description
        for child in book.children(code.id):
            add(element, child)

    for top in book.children(None):
        add(codes, top)
    doc = etree.ElementTree(root)
    schema = _schema()
    if not schema.validate(doc):
        raise CodebookProblem(f"the export does not match the REFI-QDA codebook schema: {schema.error_log.last_error}")
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def save_qdc(codebook_or_store, path: str | Path, lang: str = "sv") -> Path:
    """Write :func:`codebook_to_qdc` to ``path``."""
    path = Path(path)
    path.write_bytes(codebook_to_qdc(codebook_or_store, lang=lang))
    return path


# ----------------------------------------------------------------- reading

def load_qdc(path: str | Path, *, known_ids=()) -> Codebook:
    """Read a ``.qdc`` file; see :func:`qdc_to_codebook`."""
    path = Path(path)
    if not path.is_file():
        raise CodebookProblem("no such file", path=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise CodebookProblem(f"the file is larger than {MAX_BYTES // 2 ** 20} MB; that is no codebook",
                              path=str(path))
    return qdc_to_codebook(path.read_bytes(), str(path), known_ids=known_ids)


def _parse(data: bytes, source: str):
    from lxml import etree

    if len(data) > MAX_BYTES:
        raise CodebookProblem(f"the file is larger than {MAX_BYTES // 2 ** 20} MB; that is no codebook", path=source)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"<", b"\xff\xfe", b"\xfe\xff")):  # UTF-8 text or UTF-16 with its BOM
        raise CodebookProblem("is not XML; a REFI-QDA codebook (.qdc) is an XML file", path=source)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise CodebookProblem("holds a DOCTYPE or entity declarations, which a REFI-QDA codebook never has; "
                              "refused for safety", path=source)
    try:
        tree = etree.fromstring(data, _safe_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise CodebookProblem(f"is not valid XML: {exc.msg}", path=source, line=exc.lineno or None) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # e.g. written in UTF-16
        raise CodebookProblem("holds a DOCTYPE, which a REFI-QDA codebook never has; refused for safety",
                              path=source)
    for element in tree.iter():
        if element.tag is etree.Entity:
            raise CodebookProblem("holds an entity reference, which a REFI-QDA codebook never has; "
                                  "refused for safety", path=source, line=element.sourceline)
    return tree.getroot()


def qdc_to_codebook(data: bytes, source: str, *, known_ids=()) -> Codebook:
    """Read a REFI-QDA codebook (bytes of a ``.qdc`` file named ``source``) into a ``Codebook``.

    Each ``<Code>`` becomes a code under its parent element; its ``name`` is both labels, its
    ``<Description>`` the definition, a valid ``color`` its colour. A code whose GUID is the one
    :func:`code_guid` gives one of ``known_ids`` keeps that id (a qcode export coming back); any
    other gets an id made from its name (as :func:`coding.codebook_edit.suggest_id`). Elements this
    reader does not know are skipped. Errors name ``source`` and the line.

    >>> qdc = b'''<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
    ... <Code guid="8a1b7c2e-0000-4000-8000-000000000001" name="Barriers" isCodable="true">
    ...   <Code guid="8a1b7c2e-0000-4000-8000-000000000002" name="Time" isCodable="true"/>
    ... </Code></Codes><Sets/></CodeBook>'''
    >>> [(c.id, c.parent, c.label_sv) for c in qdc_to_codebook(qdc, "taguette.qdc").codes]
    [('barriers', None, 'Barriers'), ('barriers_time', 'barriers', 'Time')]
    """
    from lxml import etree

    from .codebook import _READ_FIELDS, _build
    from .codebook_edit import suggest_id

    root = _parse(data, source)
    if root.tag != _Q + "CodeBook":
        found = etree.QName(root.tag)
        raise CodebookProblem(f"the root element is <{found.localname}> in namespace "
                              f"{found.namespace or '(none)'!r}; a REFI-QDA codebook has <CodeBook> in "
                              f"namespace {NAMESPACE!r}", path=source, line=root.sourceline)
    containers = [el for el in root if el.tag == _Q + "Codes"]
    if not containers:
        raise CodebookProblem("has no <Codes> element", path=source, line=root.sourceline)
    by_guid = {code_guid(i).lower(): i for i in known_ids}
    taken: set[str] = set()
    raw: list[dict] = []
    problems: list[tuple[int | None, str]] = []

    def walk(parent_element, parent_id):
        for element in parent_element:
            if element.tag != _Q + "Code":
                continue  # <Description>, unknown extensions, comments
            name = (element.get("name") or "").strip()
            if not name:
                problems.append((element.sourceline, "a <Code> without a name"))
                continue
            guid = (element.get("guid") or "").strip().strip("{}").lower()
            code_id = by_guid.get(guid)
            if code_id is None or code_id in taken:
                code_id = suggest_id(name, parent_id, taken)
            taken.add(code_id)
            description = "".join(d.text or "" for d in element if d.tag == _Q + "Description")
            color = (element.get("color") or "").strip()
            entry = dict.fromkeys(_READ_FIELDS, "")
            entry.update(id=code_id, parent=parent_id or "", label_sv=name, label_en=name,
                         definition=description, color=_color(color) if _valid_color(color) else "",
                         line=element.sourceline)
            raw.append(entry)
            walk(element, code_id)

    for container in containers:
        walk(container, None)
    if not raw and not problems:
        raise CodebookProblem("holds no <Code>", path=source, line=containers[0].sourceline)
    return _build(raw, problems, source)


def _valid_color(value: str) -> bool:
    from .codebook import _COLOR

    return bool(_COLOR.match(value))
