"""Edit a project's codebook in place: add, change, move, merge and deactivate codes.

Every change is one transaction and one audit entry; codings are never lost
(merging moves them, deactivating keeps them).

>>> add_code(store, id="hi_nytt", parent="impl.hi", label_sv="Nytt hinder", label_en="New obstacle")
>>> update_code(store, "hi_nytt", label_sv="Nytt hinder i inledningen")
>>> [c.label_sv for c in store.codes() if c.id == "hi_nytt"]
['Nytt hinder i inledningen']
>>> update_code(store, "hi_nytt", definition_sv="Ett nytt hinder.", definition_en="A new obstacle.")
>>> [c.text("definition", "en") for c in store.codes() if c.id == "hi_nytt"]
['A new obstacle.']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .actions import Action, Result
from .codebook import _COLOR, _ID, _LONG_FIELDS
from .roles import require
from .store.rows import LANGUAGE_FIELDS
from .textclean import one_line, remove_controls
from .errors import CodebookProblem

# definition … example: language-neutral (older codebooks); definition_sv … example_en: per language
EDITABLE = ("label_sv", "label_en", "definition", "include", "exclude", "example", "color", *LANGUAGE_FIELDS)


def _codes(store) -> dict:
    return {c.id: c for c in store.codes()}


def _is_below(codes: dict, node: str | None, ancestor: str) -> bool:
    """Whether ``node`` is ``ancestor`` or lies below it in the tree."""
    seen: set[str] = set()
    while node is not None and node not in seen:  # a stored cycle (an old file) must not loop forever
        if node == ancestor:
            return True
        seen.add(node)
        node = codes[node].parent_id if node in codes else None
    return False


def _known(codes: dict, code_id: str, meanwhile: str = "") -> None:
    if code_id not in codes:
        raise CodebookProblem(f"no code with id {code_id!r}{meanwhile}")


def _check_fields(fields: dict) -> dict:
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise CodebookProblem(f"cannot edit {', '.join(sorted(bad))}; editable: {', '.join(EDITABLE)}")
    clean = {k: ("" if v is None else remove_controls(str(v)).strip() if k in _LONG_FIELDS else one_line(str(v)))
             for k, v in fields.items()}
    if clean.get("color") and not _COLOR.match(clean["color"]):
        raise CodebookProblem(f"colour {clean['color']!r} is not of the form #rrggbb")
    for key in ("label_sv", "label_en"):
        if key in clean and not clean[key]:
            raise CodebookProblem(f"{key} must not be empty")
    return clean


@dataclass(frozen=True)
class AddCode(Action):
    """Add a code under ``parent`` (None: at the top level), after its siblings.

    Texts per language go in ``definition_sv`` … ``example_en``; ``definition`` … ``example``
    are language-neutral (shown in both languages when a language has no text of its own)."""

    ACTION: ClassVar[str] = "code.add"
    id: str
    label_sv: str
    parent: str | None = None
    label_en: str = ""
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str = ""
    actor: str | None = None
    definition_sv: str = ""
    definition_en: str = ""
    include_sv: str = ""
    include_en: str = ""
    exclude_sv: str = ""
    exclude_en: str = ""
    example_sv: str = ""
    example_en: str = ""

    def _apply(self, store) -> Result:
        from .settings import coders_add_codes

        # owners add codes; coders too when the owner has allowed it (a new code while coding)
        require(store, self.actor, "code" if coders_add_codes(store) else "admin")
        codes = _codes(store)  # read inside the write transaction: no other edit can slip in between
        code_id = (self.id or "").strip()
        if not _ID.match(code_id):
            raise CodebookProblem(f"id {code_id!r} may hold only letters, digits, '_', '.' and '-'")
        if code_id in codes:
            raise CodebookProblem(f"a code with id {code_id!r} exists already")
        if self.parent is not None and self.parent not in codes:
            raise CodebookProblem(f"unknown parent {self.parent!r}")
        fields = _check_fields({"label_sv": self.label_sv or self.label_en, "label_en": self.label_en or self.label_sv,
                                "definition": self.definition, "include": self.include, "exclude": self.exclude,
                                "example": self.example, "color": self.color,
                                **{key: getattr(self, key) for key in LANGUAGE_FIELDS}})
        store.upsert_codes([{"id": code_id, "parent_id": self.parent, "position": store.next_code_position(),
                             "active": True, **fields}])
        audit_id = store.audit(self.ACTION, actor=self.actor, target=code_id, detail={"parent": self.parent, **fields})
        return Result(self.ACTION, (code_id,), audit_id)


@dataclass(frozen=True)
class UpdateCode(Action):
    """Change labels, definition, include/exclude rules, example (any of them per language: ``definition_sv``
    … ``example_en``) or colour of a code."""

    ACTION: ClassVar[str] = "code.update"
    code_id: str
    fields: tuple[tuple[str, str], ...]
    actor: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.actor, "admin")
        codes = _codes(store)
        _known(codes, self.code_id)
        clean = _check_fields(dict(self.fields))
        before = {k: getattr(codes[self.code_id], k) for k in clean}
        store.update_code(self.code_id, clean)
        audit_id = store.audit(self.ACTION, actor=self.actor, target=self.code_id,
                               detail={"from": before, "to": clean})
        return Result(self.ACTION, (self.code_id,), audit_id)


@dataclass(frozen=True)
class MoveCode(Action):
    """Put a code (with everything below it) under ``new_parent`` (None: top level); refuses cycles."""

    ACTION: ClassVar[str] = "code.move"
    code_id: str
    new_parent: str | None
    actor: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.actor, "admin")
        codes = _codes(store)
        _known(codes, self.code_id)
        if self.new_parent is not None:
            if self.new_parent not in codes:
                raise CodebookProblem(f"unknown parent {self.new_parent!r}")
            if _is_below(codes, self.new_parent, self.code_id):
                raise CodebookProblem(f"cannot move {self.code_id!r} under {self.new_parent!r}: "
                                      "that would make a cycle")
        store.update_code(self.code_id, {"parent_id": self.new_parent, "position": store.next_code_position()})
        audit_id = store.audit(self.ACTION, actor=self.actor, target=self.code_id,
                               detail={"from": codes[self.code_id].parent_id, "to": self.new_parent})
        return Result(self.ACTION, (self.code_id,), audit_id)


@dataclass(frozen=True)
class MergeCodes(Action):
    """Merge ``source_id`` into ``target_id``: its codings, memos and children move; it disappears."""

    ACTION: ClassVar[str] = "code.merge"
    source_id: str
    target_id: str
    actor: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.actor, "admin")
        codes = _codes(store)
        for cid in (self.source_id, self.target_id):
            _known(codes, cid, " (was it merged or deleted meanwhile?)")
        if self.source_id == self.target_id:
            raise CodebookProblem("cannot merge a code into itself")
        if _is_below(codes, self.target_id, self.source_id):
            raise CodebookProblem(f"cannot merge {self.source_id!r} into its own descendant {self.target_id!r}")
        moved = store.merge_code_into(self.source_id, self.target_id)
        audit_id = store.audit(self.ACTION, actor=self.actor, target=self.target_id,
                               detail={"merged": self.source_id, "codings": moved})
        return Result(self.ACTION, tuple(range(moved)), audit_id)


@dataclass(frozen=True)
class SetCodeActive(Action):
    """Deactivate a code (it leaves the picker; its codings stay) or activate it again."""

    ACTION: ClassVar[str] = "code.activate"
    code_id: str
    active: bool
    actor: str | None = None

    def _apply(self, store) -> Result:
        require(store, self.actor, "admin")
        _known(_codes(store), self.code_id)
        store.set_code_active([self.code_id], self.active)
        audit_id = store.audit("code.activate" if self.active else "code.deactivate", actor=self.actor,
                               target=self.code_id)
        return Result(self.ACTION, (self.code_id,), audit_id)


def add_code(store, *, id: str, parent: str | None = None, label_sv: str, label_en: str = "",
             definition: str = "", include: str = "", exclude: str = "", example: str = "", color: str = "",
             actor: str | None = None, **texts: str) -> None:
    """Add a code under ``parent`` (None: at the top level), after its siblings.

    ``texts``: the definition, rules and example per language (``definition_sv``, ``definition_en``,
    … ``example_en``); ``definition`` … ``example`` are language-neutral.

    >>> add_code(store, id="hi_avstand", parent="impl.hi", label_sv="Långt avstånd", label_en="Long distance",
    ...          definition_sv="Lokalerna ligger långt bort.", definition_en="The premises are far away.")
    >>> [c.text("definition", "sv") for c in store.codes() if c.id == "hi_avstand"]
    ['Lokalerna ligger långt bort.']
    """
    bad = set(texts) - set(LANGUAGE_FIELDS)
    if bad:
        raise CodebookProblem(f"cannot set {', '.join(sorted(bad))}; a code has {', '.join(EDITABLE)}")
    AddCode(id=id, parent=parent, label_sv=label_sv, label_en=label_en, definition=definition, include=include,
            exclude=exclude, example=example, color=color, actor=actor, **texts).write(store)


def suggest_id(label: str, parent: str | None, existing) -> str:
    """A free code id for a new code named ``label`` under ``parent`` (letters folded to ASCII).

    >>> suggest_id("Stöd från chefen", "impl.ff", {"impl_ff_stod_fran_chefen"})
    'impl_ff_stod_fran_chefen_2'
    """
    import re
    import unicodedata

    def slug(text: str) -> str:
        ascii_ = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "_", ascii_).strip("_")

    base = "_".join(x for x in (slug(parent or ""), slug(label)[:40]) if x) or "kod"
    taken, candidate, n = set(existing), base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def update_code(store, code_id: str, *, actor: str | None = None, **fields) -> None:
    """Change labels, definition, include/exclude rules, example (per language: ``definition_sv`` …
    ``example_en``) or colour of a code."""
    UpdateCode(code_id=code_id, fields=tuple(fields.items()), actor=actor).write(store)


def move_code(store, code_id: str, new_parent: str | None, *, actor: str | None = None) -> None:
    """Put a code (with everything below it) under ``new_parent`` (None: top level); refuses cycles.

    The check runs inside the write transaction, so two owners moving two codes
    under each other at the same moment cannot make a cycle: the second is refused.
    """
    MoveCode(code_id=code_id, new_parent=new_parent, actor=actor).write(store)


def merge_codes(store, source_id: str, target_id: str, *, actor: str | None = None) -> int:
    """Merge ``source_id`` into ``target_id``: its codings, memos and children move; it disappears.

    Returns the number of codings moved (a coder's duplicate on the same segment is dropped).
    """
    return MergeCodes(source_id=source_id, target_id=target_id, actor=actor).write(store).n


def set_code_active(store, code_id: str, active: bool, *, actor: str | None = None) -> None:
    """Deactivate a code (it leaves the picker; its codings stay) or activate it again."""
    SetCodeActive(code_id=code_id, active=active, actor=actor).write(store)


def repair_cycles(store) -> list[str]:
    """Find codes whose parents form a cycle (possible in files of qcode 0.1, where two owners could move
    codes under each other at once) and put one code of each cycle at the top level, so that the codes and
    their codings show again. Returns one message per repair (empty: nothing was wrong); audited.

    >>> repair_cycles(store)   # the demo's codebook is a proper tree
    []
    """
    parents = store.code_parents()
    reaches_top: set[str] = set()
    repairs: list[str] = []
    for start in sorted(parents):
        chain, node = [], start
        while node is not None and node not in reaches_top and node not in chain:
            chain.append(node)
            node = parents.get(node)
        if node is None or node in reaches_top:
            reaches_top.update(chain)
            continue
        loop = chain[chain.index(node):]
        cut = min(loop)
        with store.transaction():
            store.update_code(cut, {"parent_id": None})
            store.audit("code.repair", target=cut, detail={"cycle": loop, "moved_to_top": cut})
        parents[cut] = None
        reaches_top.update(chain)
        repairs.append(f"the codes {' -> '.join(loop + [node])} were each other's parents (a cycle); "
                       f"{cut!r} was moved to the top level so that they and their codings show again")
    return repairs
