"""Edit a project's codebook in place: add, change, move, merge and deactivate codes.

Every change is one transaction and one audit entry; codings are never lost
(merging moves them, deactivating keeps them).

>>> from coding.store import Store
>>> store = Store.create("/tmp/doctest-edit.qcode", overwrite=True)
>>> add_code(store, id="hi", label_sv="Hinder", label_en="Obstacles")
>>> add_code(store, id="hi_ensam", parent="hi", label_sv="Ensam position", label_en="Lonely role")
>>> update_code(store, "hi_ensam", label_sv="Ensam position som SE-coach")
>>> [c.label_sv for c in store.codes()]
['Hinder', 'Ensam position som SE-coach']
"""

from __future__ import annotations

from .codebook import _COLOR, _ID
from .errors import CodebookProblem

EDITABLE = ("label_sv", "label_en", "definition", "include", "exclude", "example", "color")


def _codes(store) -> dict:
    return {c.id: c for c in store.codes()}


def _is_below(codes: dict, node: str | None, ancestor: str) -> bool:
    """Whether ``node`` is ``ancestor`` or lies below it in the tree."""
    while node is not None:
        if node == ancestor:
            return True
        node = codes[node].parent_id
    return False


def _check_fields(fields: dict) -> dict:
    bad = set(fields) - set(EDITABLE)
    if bad:
        raise CodebookProblem(f"cannot edit {', '.join(sorted(bad))}; editable: {', '.join(EDITABLE)}")
    clean = {k: ("" if v is None else str(v).strip()) for k, v in fields.items()}
    if clean.get("color") and not _COLOR.match(clean["color"]):
        raise CodebookProblem(f"colour {clean['color']!r} is not of the form #rrggbb")
    for key in ("label_sv", "label_en"):
        if key in clean and not clean[key]:
            raise CodebookProblem(f"{key} must not be empty")
    return clean


def add_code(store, *, id: str, parent: str | None = None, label_sv: str, label_en: str = "",
             definition: str = "", include: str = "", exclude: str = "", example: str = "", color: str = "",
             actor: str | None = None) -> None:
    """Add a code under ``parent`` (None: at the top level), after its siblings."""
    codes = _codes(store)
    code_id = (id or "").strip()
    if not _ID.match(code_id):
        raise CodebookProblem(f"id {code_id!r} may hold only letters, digits, '_', '.' and '-'")
    if code_id in codes:
        raise CodebookProblem(f"a code with id {code_id!r} exists already")
    if parent is not None and parent not in codes:
        raise CodebookProblem(f"unknown parent {parent!r}")
    fields = _check_fields({"label_sv": label_sv or label_en, "label_en": label_en or label_sv,
                            "definition": definition, "include": include, "exclude": exclude, "example": example,
                            "color": color})
    with store.transaction():
        store.upsert_codes([{"id": code_id, "parent_id": parent, "position": store.next_code_position(),
                             "active": True, **fields}])
        store.audit("code.add", actor=actor, target=code_id, detail={"parent": parent, **fields})


def update_code(store, code_id: str, *, actor: str | None = None, **fields) -> None:
    """Change labels, definition, include/exclude rules, example or colour of a code."""
    codes = _codes(store)
    if code_id not in codes:
        raise CodebookProblem(f"no code with id {code_id!r}")
    clean = _check_fields(fields)
    before = {k: getattr(codes[code_id], k) for k in clean}
    with store.transaction():
        store.update_code(code_id, clean)
        store.audit("code.update", actor=actor, target=code_id, detail={"from": before, "to": clean})


def move_code(store, code_id: str, new_parent: str | None, *, actor: str | None = None) -> None:
    """Put a code (with everything below it) under ``new_parent`` (None: top level); refuses cycles."""
    codes = _codes(store)
    if code_id not in codes:
        raise CodebookProblem(f"no code with id {code_id!r}")
    if new_parent is not None:
        if new_parent not in codes:
            raise CodebookProblem(f"unknown parent {new_parent!r}")
        if _is_below(codes, new_parent, code_id):
            raise CodebookProblem(f"cannot move {code_id!r} under {new_parent!r}: that would make a cycle")
    with store.transaction():
        store.update_code(code_id, {"parent_id": new_parent, "position": store.next_code_position()})
        store.audit("code.move", actor=actor, target=code_id,
                    detail={"from": codes[code_id].parent_id, "to": new_parent})


def merge_codes(store, source_id: str, target_id: str, *, actor: str | None = None) -> int:
    """Merge ``source_id`` into ``target_id``: its codings, memos and children move; it disappears.

    Returns the number of codings moved (a coder's duplicate on the same segment is dropped).
    """
    codes = _codes(store)
    for cid in (source_id, target_id):
        if cid not in codes:
            raise CodebookProblem(f"no code with id {cid!r}")
    if source_id == target_id:
        raise CodebookProblem("cannot merge a code into itself")
    if _is_below(codes, target_id, source_id):
        raise CodebookProblem(f"cannot merge {source_id!r} into its own descendant {target_id!r}")
    with store.transaction():
        moved = store.merge_code_into(source_id, target_id)
        store.audit("code.merge", actor=actor, target=target_id, detail={"merged": source_id, "codings": moved})
    return moved


def set_code_active(store, code_id: str, active: bool, *, actor: str | None = None) -> None:
    """Deactivate a code (it leaves the picker; its codings stay) or activate it again."""
    if code_id not in _codes(store):
        raise CodebookProblem(f"no code with id {code_id!r}")
    with store.transaction():
        store.set_code_active([code_id], active)
        store.audit("code.activate" if active else "code.deactivate", actor=actor, target=code_id)
