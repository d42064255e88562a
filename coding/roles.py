"""Who may do what in a project: owners, leads, coders and viewers, enforced in the library.

=========  ==========================================================================
role       may
=========  ==========================================================================
owner      everything: import and delete transcripts, set attributes, edit the
           codebook, manage coders and roles, change settings, pseudonymise,
           restore, settle consensus, code
lead       code, and settle consensus (decide disputed segments, copy what coders agree on)
coder      code: apply and remove their own codes, write their memos, mark transcripts done
viewer     read only (matrices, agreement, search)
=========  ==========================================================================

Every library write names who acts (``actor=``, ``coder=``, ``decided_by=``) and
is checked here, so the app, the command line and Python obey the same rules.
``actor=None`` is the local owner: whoever runs ``qcode`` or Python on the
machine that holds the project file can open and change the file anyway. A
project without any owner (a new one, or one made by qcode 0.1) gives owner
rights to everyone until an owner is named.

>>> role_of(store, "anna"), may(store, "anna", "admin")    # the demo project has no owner
('coder', True)
>>> from coding.coders import add_coder
>>> add_coder(store, "sara", owner=True)
>>> may(store, "anna", "admin"), may(store, "anna", "code"), may(store, "sara", "admin")
(False, True, True)
"""

from __future__ import annotations

from .errors import QcodeError

ROLES = ("owner", "lead", "coder", "viewer")
RIGHTS = {
    "owner": frozenset({"admin", "consensus", "code"}),
    "lead": frozenset({"consensus", "code"}),
    "coder": frozenset({"code"}),
    "viewer": frozenset(),
}
WHAT = {"admin": "manage the project (transcripts, attributes, codebook, coders, settings)",
        "consensus": "settle consensus", "code": "code"}


class NotAllowed(QcodeError):
    """The acting coder's role does not allow this."""


def role_of(store, name: str | None) -> str:
    """The role of ``name`` (``owner`` for the local user, ``name=None``; ``coder`` for an unknown name)."""
    if name is None:
        return "owner"
    row = store.coder(name)
    if row is None:
        return "coder"
    return "owner" if row["is_owner"] else (row.get("role") or "coder")


def may(store, name: str | None, right: str) -> bool:
    """Whether ``name`` has ``right`` (``admin``, ``consensus`` or ``code``) in this project."""
    if right not in WHAT:
        raise ValueError(f"unknown right {right!r}")
    if name is None or right in RIGHTS[role_of(store, name)]:
        return True
    return not store.owners()  # a project without owner: everyone has every right until one is named


def require(store, name: str | None, right: str) -> None:
    """Raise :class:`NotAllowed` unless ``name`` has ``right``."""
    if not may(store, name, right):
        raise NotAllowed(f"{name} ({role_of(store, name)}) may not {WHAT[right]}; ask a project owner")


def set_role(store, name: str, role: str, *, actor: str | None = None) -> None:
    """Give a coder a role (owner, lead, coder, viewer); owners only. The last owner cannot step down."""
    require(store, actor, "admin")
    if role not in ROLES:
        raise QcodeError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    row = store.coder(name)
    if row is None:
        raise QcodeError(f"no coder named {name!r}")
    with store.transaction():
        if row["is_owner"] and role != "owner" and store.owners() == [name]:
            raise QcodeError(f"{name} is the only owner; name another owner first")
        before = role_of(store, name)
        store.set_coder(name, is_owner=role == "owner", role=None if role == "owner" else role)
        store.audit("coder.role", actor=actor, target=name, detail={"from": before, "to": role})
