"""Stable REFI-QDA GUIDs for qcode objects (the same in every export)."""
import uuid
NAMESPACE = uuid.UUID("6f1c5a52-2d8e-4f7b-9a51-7d2b8c1f0e33")
def code_guid(code_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "qcode-code:" + code_id))
def user_guid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "qcode-user:" + name))
def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"qcode-{kind}:{key}"))
