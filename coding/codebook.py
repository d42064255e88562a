"""Codebooks: a tree of categories and codes, read from and written to YAML or CSV.

YAML is the canonical, human-edited format. Codes nest under ``children``
(any depth), or name their ``parent`` (flat lists); both may be mixed::

    codebook:
      name: SE/IPS
      version: "1.0"
    codes:
      - id: impl
        label_sv: Implementering
        label_en: Implementation
        children:
          - id: impl_ff_funding
            label_sv: Ekonomiskt stöd från Samordningsförbund
            label_en: Funding from the coordination association
            definition_sv: ...
            definition_en: ...

Every code's ``definition``, ``include`` and ``exclude`` rules and ``example`` come in
Swedish and English (``definition_sv``, ``definition_en``, … ``example_en``); read them
with ``code.text("definition", language)``. The language-neutral keys of older codebooks
(``definition``, ``include``, ``exclude``, ``example``) are still read and serve both
languages.

CSV has the columns of :data:`FIELDS` (``id,parent,label_sv,label_en,definition_sv,definition_en,
include_sv,include_en,exclude_sv,exclude_en,example_sv,example_en,color``); the neutral columns
may be added and are written only when a code has neutral text.

Validation reports every problem at once, each with its line: duplicate ids,
unknown parents, cycles, unknown keys, missing labels, malformed colours.

>>> book = parse_yaml("codes:\\n- id: a\\n  label_sv: A\\n  children:\\n  - id: b\\n    label_sv: B\\n")
>>> [(c.id, c.parent) for c in book.codes]
[('a', None), ('b', 'a')]
>>> print(to_csv(book).splitlines()[2])
b,a,B,B,,,,,,,,,
>>> book = parse_yaml("codes:\\n- id: a\\n  label_sv: A\\n  definition_sv: På svenska\\n  definition_en: In English\\n")
>>> book["a"].text("definition", "sv"), book["a"].text("definition", "en")
('På svenska', 'In English')
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .csvsafe import csv_records, csv_writer, safe_row, unneutralise
from .store.rows import LANGUAGE_FIELDS, TEXT_FIELDS, BilingualTexts
from .textclean import one_line, remove_controls
from .errors import CodebookProblem

MAX_BYTES = 5 * 1024 * 1024  # a codebook file larger than this is refused (the SE/IPS codebook is 0.1 MB)
MAX_DEPTH = 20  # levels of codes below the top; deeper is refused (and could not be shown)
MAX_YAML_NESTING = 100  # YAML collections inside each other, counting the keys and lists of every level
_LONG_FIELDS = TEXT_FIELDS + LANGUAGE_FIELDS  # texts that may run over several lines
FIELDS = ("id", "parent", "label_sv", "label_en", *LANGUAGE_FIELDS, "color")  # what an export writes
_READ_FIELDS = FIELDS + TEXT_FIELDS  # what a codebook may hold: also the neutral texts of older codebooks
_YAML_KEYS = set(_READ_FIELDS) | {"children"}
_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class Code(BilingualTexts):
    """One node of the codebook: a category or a code (a category is a code with children).

    ``definition`` … ``example`` are language-neutral (older codebooks), ``definition_sv`` …
    ``example_en`` the texts per language; :meth:`text` picks the reader's.
    """

    id: str
    parent: str | None = None
    label_sv: str = ""
    label_en: str = ""
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str = ""
    definition_sv: str = ""
    definition_en: str = ""
    include_sv: str = ""
    include_en: str = ""
    exclude_sv: str = ""
    exclude_en: str = ""
    example_sv: str = ""
    example_en: str = ""
    line: int | None = field(default=None, compare=False)

    def label(self, language: str = "sv") -> str:
        return self.label_en if language == "en" else self.label_sv


@dataclass
class Codebook:
    """A validated codebook: codes in codebook order (every parent before its children)."""

    codes: list[Code]
    name: str = ""
    version: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.codes}

    def __getitem__(self, code_id: str) -> Code:
        return self._by_id[code_id]

    def __contains__(self, code_id: str) -> bool:
        return code_id in self._by_id

    def __len__(self) -> int:
        return len(self.codes)

    def children(self, code_id: str | None) -> list[Code]:
        """The direct children of a code (``None``: the top level), in order."""
        return [c for c in self.codes if c.parent == code_id]

    def descendants(self, code_id: str) -> list[Code]:
        """Every code below ``code_id``, in codebook order."""
        out: list[Code] = []
        for child in self.children(code_id):
            out.append(child)
            out.extend(self.descendants(child.id))
        return out

    def leaves(self) -> list[Code]:
        """Codes without children (the ones coders usually apply)."""
        parents = {c.parent for c in self.codes}
        return [c for c in self.codes if c.id not in parents]

    def depth(self, code_id: str) -> int:
        depth, code = 0, self._by_id[code_id]
        while code.parent is not None:
            depth, code = depth + 1, self._by_id[code.parent]
        return depth


# ----------------------------------------------------------------- reading

class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers the line of every mapping as ``__line__``.

    It refuses aliases (``*name``: a 2 KB "billion laughs" file would otherwise expand to
    gigabytes) and collections nested deeper than :data:`MAX_YAML_NESTING`.
    """

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in a codebook",
                                              event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_YAML_NESTING:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_YAML_NESTING} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# YAML 1.1 reads on/off/yes/no as booleans: an id "on" or a label "No" must stay text.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load_codebook(path: str | Path, *, known_ids=()) -> Codebook:
    """Read a codebook from a ``.yaml``/``.yml``, ``.csv`` or REFI-QDA ``.qdc`` file (``known_ids``: see
    :func:`coding.refi_codebook.qdc_to_codebook`).

    >>> book = load_codebook("codebooks/se_ips.yaml")
    >>> book["impl_hi_ensam_position"].label_sv
    'Ensam position som SE-coach'
    """
    path = Path(path)
    if path.suffix.lower() == ".qdc":
        from .refi_codebook import load_qdc
        return load_qdc(path, known_ids=known_ids)
    if not path.exists():
        raise CodebookProblem("no such file", path=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise CodebookProblem(f"the file is larger than {MAX_BYTES // 2 ** 20} MB; that is no codebook",
                              path=str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookProblem(f"is not UTF-8 text (byte {exc.start}); save the codebook as UTF-8",
                              path=str(path)) from None
    if path.suffix.lower() == ".csv":
        return parse_csv(text, path=str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        return parse_yaml(text, path=str(path))
    raise CodebookProblem("unknown codebook format; use .yaml, .yml, .csv or .qdc", path=str(path))


def _check_length(text: str, path: str | None) -> None:
    if len(text) > MAX_BYTES:
        raise CodebookProblem(f"the text is larger than {MAX_BYTES // 2 ** 20} MB; that is no codebook", path=path)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise TypeError
    return str(value).strip()


def parse_yaml(text: str, path: str | None = None) -> Codebook:
    """Parse codebook YAML (nested ``children`` and/or ``parent`` keys)."""
    _check_length(text, path)
    try:
        doc = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodebookProblem(f"is not valid YAML: {getattr(exc, 'problem', exc)}", path=path,
                              line=mark.line + 1 if mark else None) from None
    if isinstance(doc, list):
        doc = {"codes": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("codes"), list):
        raise CodebookProblem("has no 'codes:' list (see codebooks/se_ips.yaml for the format)", path=path)
    header = doc.get("codebook") or {}
    problems: list[tuple[int | None, str]] = []
    raw: list[dict] = []

    def walk(items, parent, line):
        if not isinstance(items, list):
            problems.append((line, "'children' must be a list of codes"))
            return
        for item in items:
            if not isinstance(item, dict):
                problems.append((line, f"a code must be a mapping with id and labels, not {item!r}"))
                continue
            item_line = item.pop("__line__", None)
            unknown = sorted(set(item) - _YAML_KEYS)
            if unknown:
                problems.append((item_line, f"unknown key(s) {', '.join(unknown)}; "
                                            f"allowed: {', '.join(sorted(_YAML_KEYS))}"))
            children = item.pop("children", None)
            entry = {"line": item_line}
            for key in _READ_FIELDS:
                try:
                    entry[key] = _text(item.get(key))
                except TypeError:
                    problems.append((item_line, f"'{key}' must be text"))
                    entry[key] = ""
            if parent is not None:
                if entry["parent"] and entry["parent"] != parent:
                    problems.append((item_line, f"code {entry['id']!r} sits under {parent!r} but names "
                                                f"parent {entry['parent']!r}"))
                entry["parent"] = parent
            raw.append(entry)
            if children is not None:
                walk(children, entry["id"] or None, item_line)

    walk(doc["codes"], None, None)
    return _build(raw, problems, path, name=_text(header.get("name")) if isinstance(header, dict) else "",
                  version=_text(header.get("version")) if isinstance(header, dict) else "",
                  description=_text(header.get("description")) if isinstance(header, dict) else "")


def parse_csv(text: str, path: str | None = None) -> Codebook:
    """Parse codebook CSV with the columns of :data:`FIELDS` (``id`` and a label required; the neutral
    ``definition``, ``include``, ``exclude`` and ``example`` of older codebooks are read too)."""
    _check_length(text, path)
    records = csv_records(text, path=path, problem=CodebookProblem)
    columns = [unneutralise(c.strip()) for c in (records[0][1] if records else [])]
    if "id" not in columns or not ({"label_sv", "label_en"} & set(columns)):
        raise CodebookProblem(f"needs the columns {','.join(FIELDS)} (found: {','.join(columns) or 'none'})",
                              path=path, line=1)
    unknown = sorted(set(columns) - set(_READ_FIELDS))
    problems: list[tuple[int | None, str]] = []
    if unknown:
        problems.append((1, f"unknown column(s) {', '.join(unknown)}"))
    raw = []
    for line, cells in records[1:]:
        row = dict(zip(columns, cells))
        if not any((v or "").strip() for k, v in row.items() if k):
            continue
        entry = {key: unneutralise((row.get(key) or "").strip()) for key in _READ_FIELDS}
        entry["line"] = line
        raw.append(entry)
    return _build(raw, problems, path)


def _build(raw: list[dict], problems: list, path: str | None, **header) -> Codebook:
    for entry in raw:  # text from outside: no control characters; ids, labels and colours on one line
        for key in _READ_FIELDS:
            entry[key] = remove_controls(entry[key]).strip() if key in _LONG_FIELDS else one_line(entry[key])
    header = {k: one_line(v) if k != "description" else remove_controls(v).strip() for k, v in header.items()}
    first_line: dict[str, int | None] = {}
    for entry in raw:
        cid, line = entry["id"], entry["line"]
        if not cid:
            problems.append((line, "a code without an id"))
            continue
        if not _ID.match(cid):
            problems.append((line, f"id {cid!r} may hold only letters, digits, '_', '.' and '-'"))
        if cid in first_line:
            problems.append((line, f"duplicate id {cid!r} (first defined at line {first_line[cid]})"))
        else:
            first_line[cid] = line
        if not entry["label_sv"] and not entry["label_en"]:
            problems.append((line, f"code {cid!r} has no label (label_sv or label_en)"))
        if entry["color"] and not _COLOR.match(entry["color"]):
            problems.append((line, f"colour {entry['color']!r} of code {cid!r} is not of the form #rrggbb"))
    for entry in raw:
        parent = entry["parent"] or None
        if parent is not None and parent not in first_line:
            problems.append((entry["line"], f"code {entry['id']!r} names unknown parent {parent!r}"))
    parents = {e["id"]: (e["parent"] or None) for e in raw if e["id"]}
    checked: set[str] = set()  # codes whose chain of parents is known to end at the top: O(n) in all
    for cid in parents:
        chain, on_chain, node = [], {}, cid
        while node is not None and node in parents and node not in checked and node not in on_chain:
            on_chain[node] = len(chain)
            chain.append(node)
            node = parents[node]
        if node is not None and node in on_chain:
            loop = chain[on_chain[node]:]
            problems.append((first_line.get(cid), "cycle in parents: " + " -> ".join(loop + [node])))
        checked.update(chain)
    if not problems:
        for cid in parents:
            depth, node = 0, parents[cid]
            while node is not None and depth <= MAX_DEPTH:
                depth, node = depth + 1, parents.get(node)
            if depth > MAX_DEPTH:
                problems.append((first_line.get(cid), f"code {cid!r} lies more than {MAX_DEPTH} levels deep; "
                                                      "a codebook this deep cannot be shown or coded"))
                break
    if problems:
        problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
        lines = [f"line {ln}: {msg}" if ln else msg for ln, msg in problems]
        more = f"\n  … and {len(lines) - 50} more" if len(lines) > 50 else ""
        message = (lines[0] if len(lines) == 1 else
                   f"{len(lines)} problems in the codebook:\n  " + "\n  ".join(lines[:50]) + more)
        raise CodebookProblem(message, path=path)

    codes = [Code(id=e["id"], parent=e["parent"] or None, label_sv=e["label_sv"] or e["label_en"],
                  label_en=e["label_en"] or e["label_sv"], color=e["color"], line=e["line"],
                  **{key: e[key] for key in _LONG_FIELDS}) for e in raw]
    return Codebook(_tree_order(codes), **header)


def _tree_order(codes: list[Code]) -> list[Code]:
    """Order codes depth first, keeping the file's order among siblings."""
    children: dict[str | None, list[Code]] = {}
    for c in codes:
        children.setdefault(c.parent, []).append(c)
    out: list[Code] = []

    def walk(parent):
        for c in children.get(parent, []):
            out.append(c)
            walk(c.id)
    walk(None)
    return out


# ----------------------------------------------------------------- writing

def to_yaml(book: Codebook) -> str:
    """The codebook as nested YAML (the canonical format): every text in Swedish and English
    (and a neutral text of an older codebook as it was)."""

    def node(code: Code) -> dict:
        out = {"id": code.id}
        for key in _YAML_ORDER:
            value = getattr(code, key)
            if value:
                out[key] = value
        kids = book.children(code.id)
        if kids:
            out["children"] = [node(k) for k in kids]
        return out

    header = {k: v for k, v in (("name", book.name), ("version", book.version),
                                ("description", book.description)) if v}
    doc = {"codebook": header} if header else {}
    doc["codes"] = [node(c) for c in book.children(None)]
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


_YAML_ORDER = ("label_sv", "label_en",
               *(key for f in TEXT_FIELDS for key in (f, f"{f}_sv", f"{f}_en")), "color")


def columns(book: Codebook) -> tuple[str, ...]:
    """The fields an export of ``book`` writes: :data:`FIELDS`, then the neutral ``definition``,
    ``include``, ``exclude``, ``example`` if any code has such text (an older codebook).

    >>> columns(parse_yaml("codes:\\n- id: a\\n  label_sv: A\\n  definition: Äldre\\n"))[-1]
    'definition'
    """
    return (*FIELDS, *(f for f in TEXT_FIELDS if any(getattr(c, f) for c in book.codes)))


def to_csv(book: Codebook) -> str:
    """The codebook as CSV, one row per code, parents before children, with the :func:`columns` of ``book``."""
    columns_ = columns(book)
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(safe_row(columns_))
    for c in book.codes:
        writer.writerow(safe_row([(c.parent or "") if key == "parent" else getattr(c, key) for key in columns_]))
    return buf.getvalue()


def save_codebook(book: Codebook, path: str | Path, lang: str = "sv") -> Path:
    """Write the codebook to ``path``; the suffix (.yaml/.yml/.csv/.qdc) picks the format. A REFI-QDA
    ``.qdc`` holds one language, ``lang``; the others hold both."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        from .refi_codebook import save_qdc
        save_qdc(book, path, lang=lang)
    elif suffix == ".csv":
        path.write_text(to_csv(book), encoding="utf-8")
    elif suffix in (".yaml", ".yml"):
        path.write_text(to_yaml(book), encoding="utf-8")
    else:
        raise CodebookProblem("unknown codebook format; use .yaml, .yml, .csv or .qdc", path=str(path))
    return path


# ----------------------------------------------------------- in a project

def codebook_from_store(store, *, include_inactive: bool = True) -> Codebook:
    """The codebook a project holds."""
    codes = [Code(id=r.id, parent=r.parent_id, label_sv=r.label_sv, label_en=r.label_en, color=r.color,
                  **{key: getattr(r, key) for key in _LONG_FIELDS})
             for r in store.codes(include_inactive=include_inactive)]
    return Codebook(codes, name=store.meta("codebook_name") or "", version=store.meta("codebook_version") or "",
                    description=store.meta("codebook_description") or "")


def apply_codebook(store, book: Codebook, *, replace: bool = False, actor: str | None = None,
                   source: str | None = None) -> dict:
    """Put a codebook into a project, in one transaction.

    New codes are added and existing ones (same id) updated. With
    ``replace=True`` codes missing from ``book`` are removed, or deactivated
    when they carry codings or memos (neither is ever lost). Returns counts.
    """
    existing = store.code_ids()
    new_ids = [c.id for c in book.codes]
    rows = [{"id": c.id, "parent_id": c.parent, "position": i, "label_sv": c.label_sv, "label_en": c.label_en,
             "color": c.color, "active": True, **{key: getattr(c, key) for key in _LONG_FIELDS}}
            for i, c in enumerate(book.codes)]
    result = {"added": len(set(new_ids) - existing), "updated": len(set(new_ids) & existing),
              "removed": 0, "deactivated": 0}
    with store.transaction():
        store.upsert_codes(rows)
        if replace:
            gone = existing - set(new_ids)
            parents = {r.id: r.parent_id for r in store.codes()}
            used = set()
            for code_id in (store.coded_code_ids() | store.memo_code_ids()) & gone:  # keep a used code, its parents
                while code_id is not None and code_id in gone:
                    used.add(code_id)
                    code_id = parents.get(code_id)
            store.set_code_active(used, False)
            store.delete_codes(sorted(gone - used, key=lambda i: -_depth(parents, i)))
            result["removed"], result["deactivated"] = len(gone - used), len(used)
        for key in ("name", "version", "description"):
            if getattr(book, key):
                store.set_meta(f"codebook_{key}", getattr(book, key))
        store.audit("codebook.import", actor=actor, target=source,
                    detail={**result, "codes": len(book.codes), "replace": replace})
    return result


def _depth(parents: dict, code_id: str) -> int:
    depth, node = 0, parents.get(code_id)
    while node is not None:
        depth, node = depth + 1, parents.get(node)
    return depth
