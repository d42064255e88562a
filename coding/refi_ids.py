"""Stable REFI-QDA GUIDs for qcode objects: the same in every export, .qdc and .qdpx alike.

>>> code_guid("impl_hi_ensam_position") == code_guid("impl_hi_ensam_position")
True
>>> user_guid("anna") != code_guid("anna")
True
"""

import uuid

NAMESPACE = uuid.UUID("6f1c5a52-2d8e-4f7b-9a51-7d2b8c1f0e33")


def code_guid(code_id: str) -> str:
    """The GUID of a code (from its id)."""
    return str(uuid.uuid5(NAMESPACE, "qcode-code:" + code_id))


def user_guid(name: str) -> str:
    """The GUID of a coder (from the name)."""
    return str(uuid.uuid5(NAMESPACE, "qcode-user:" + name))


def guid(kind: str, key: str) -> str:
    """The GUID of any other object (``kind`` such as ``source`` or ``selection``, ``key`` unique in it)."""
    return str(uuid.uuid5(NAMESPACE, f"qcode-{kind}:{key}"))
