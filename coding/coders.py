"""Coders and their passwords (salted scrypt hashes; the password itself is never stored).

>>> add_coder(store, "sara", password="hemligt ord", owner=True)
>>> check_password(store, "sara", "hemligt ord"), check_password(store, "sara", "fel")
(True, False)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re

from .errors import QcodeError

# scrypt parameters (RFC 7914); n=2**14, r=8 takes ~50 ms and 16 MB: slow for guessing, quick for a sign-in.
_N, _R, _P = 2 ** 14, 8, 1
_NAME = re.compile(r"^[\w][\w .@-]{0,63}$")
NAME_RULE = "1–64 letters, digits, spaces or . @ - _, starting with a letter or digit"


def valid_name(name: str) -> bool:
    """Whether ``name`` can be a coder's name (no markup, line breaks or control characters)."""
    return bool(_NAME.fullmatch(name or ""))


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` as ``scrypt$n$r$p$salt$hash`` (base64)."""
    if not password:
        raise QcodeError("the password must not be empty")
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    if not stored or not password:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def add_coder(store, name: str, *, password: str | None = None, owner: bool = False,
              actor: str | None = None) -> None:
    """Add a coder (optionally with a password, optionally as project owner)."""
    from .roles import require

    name = (name or "").strip()
    if owner or actor != name:  # registering oneself as a plain coder needs no rights (local mode)
        require(store, actor, "admin")
    if not valid_name(name):
        raise QcodeError(f"coder name {name!r} must be {NAME_RULE}")
    if name in store.coders():
        raise QcodeError(f"there is already a coder named {name!r}")
    with store.transaction():
        store.ensure_coders([name])
        store.set_coder(name, password_hash=hash_password(password) if password else None, is_owner=owner)
        store.audit("coder.add", actor=actor, target=name, detail={"owner": owner, "password": bool(password)})


def set_password(store, name: str, password: str, *, actor: str | None = None) -> None:
    """Set or change a coder's password."""
    from .roles import require

    if actor != name:  # everyone may set their own password
        require(store, actor, "admin")
    if name not in store.coders():
        raise QcodeError(f"no coder named {name!r}")
    with store.transaction():
        store.set_coder(name, password_hash=hash_password(password))
        store.audit("coder.password", actor=actor, target=name)


def check_password(store, name: str, password: str) -> bool:
    """Whether ``password`` is the coder's password (False for unknown coders or coders without one)."""
    row = store.coder(name)
    return bool(row) and verify_password(password, row["password_hash"])


MAX_FAILED_SIGNINS = 5            # wrong passwords in a row before a coder's sign-in is locked ...
LOCKOUT_SECONDS = 15 * 60         # ... for this long (every attempt, good or bad, is in the audit log)
SIGNIN_OK, SIGNIN_FAILED, SIGNIN_LOCKED = "signin.ok", "signin.failed", "signin.locked"


def sign_in(store, name: str, password: str, *, client: str | None = None) -> str:
    """Check a sign-in and record it in the audit log; returns ``"ok"``, ``"failed"`` or ``"locked"``.

    After :data:`MAX_FAILED_SIGNINS` wrong passwords in a row for one name, that name is
    locked for :data:`LOCKOUT_SECONDS` (even the right password is refused meanwhile), which
    turns guessing from 50 tries in 35 s into 5 tries per quarter of an hour. Unknown names
    are locked the same way, so the answer never tells whether a coder exists.

    >>> add_coder(store, "sara", password="ett långt lösenord")
    >>> [sign_in(store, "sara", "fel") for _ in range(5)][-1], sign_in(store, "sara", "ett långt lösenord")
    ('failed', 'locked')
    """
    import time
    from datetime import datetime

    name = one_line_name(name)
    with store.transaction():
        failures, now = 0, time.time()
        for entry in store.audit_log(limit=200, actor=name):
            if entry["action"] not in (SIGNIN_OK, SIGNIN_FAILED):
                continue
            if entry["action"] == SIGNIN_OK:
                break
            at = datetime.fromisoformat(entry["at"]).timestamp() if entry.get("at") else now
            if now - at > LOCKOUT_SECONDS:
                break
            failures += 1
        detail = {"client": client} if client else None
        if failures >= MAX_FAILED_SIGNINS:
            store.audit(SIGNIN_LOCKED, actor=name, target=name, detail=detail)
            return "locked"
        ok = check_password(store, name, password)
        store.audit(SIGNIN_OK if ok else SIGNIN_FAILED, actor=name, target=name, detail=detail)
    return "ok" if ok else "failed"


def one_line_name(name: str) -> str:
    """A typed coder name as stored: surrounding spaces and control characters removed."""
    from .textclean import one_line

    return one_line(name or "")[:64]


def list_coders(store) -> list[dict]:
    """Coders with ``name``, ``is_owner``, ``role`` and ``has_password``."""
    from .roles import role_of

    return [{"name": r["name"], "is_owner": bool(r["is_owner"]), "role": role_of(store, r["name"]),
             "has_password": bool(r["password_hash"])}
            for r in (store.coder(n) for n in store.coders())]
