"""Project settings kept in the project file (e.g. blind coding).

>>> blind_coding(store)   # the demo project
True
>>> set_blind_coding(store, False, actor="owner")
>>> blind_coding(store)
False
"""

from __future__ import annotations

_PREFIX = "setting."


def get_setting(store, key: str, default: str | None = None) -> str | None:
    """A project setting, or ``default`` when it was never set."""
    value = store.meta(_PREFIX + key)
    return default if value is None else value


def set_setting(store, key: str, value: str | None, *, actor: str | None = None) -> None:
    """Change a project setting (audited); owners only."""
    from .roles import require

    require(store, actor, "admin")
    with store.transaction():
        old = store.meta(_PREFIX + key)
        store.set_meta(_PREFIX + key, value)
        store.audit("setting.change", actor=actor, target=key, detail={"from": old, "to": value})


def blind_coding(store) -> bool:
    """Whether coders are blind to each other's codes until both have marked a transcript done (default on)."""
    return get_setting(store, "blind_coding", "1") == "1"


def set_blind_coding(store, on: bool, *, actor: str | None = None) -> None:
    set_setting(store, "blind_coding", "1" if on else "0", actor=actor)


def coders_add_codes(store) -> bool:
    """Whether coders (not only owners) may add new codes while coding (default off: the owner decides).

    >>> coders_add_codes(store)
    False
    """
    return get_setting(store, "coders_add_codes", "0") == "1"


def set_coders_add_codes(store, on: bool, *, actor: str | None = None) -> None:
    set_setting(store, "coders_add_codes", "1" if on else "0", actor=actor)
