"""Helpers for the app tests (AppTest on the real app.py and a real project file).

The fixtures (``app_env``, ``app_project``, ``demo_file``, ``demo``) live in ``tests/conftest.py``; import the
helpers you need: ``from app_helpers import open_app, run``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
for p in (str(ROOT), str(TESTS)):
    if p not in sys.path:
        sys.path.insert(0, p)

from streamlit.testing.v1 import AppTest  # noqa: E402

from coding import Project  # noqa: E402

APP = str(ROOT / "app.py")


def open_app(coder: str | None = "anna", *, page: str | None = None, lang: str | None = None,
             state: dict | None = None) -> AppTest:
    """Run the app once (as ``coder``, on ``page`` such as "app_pages/codebook.py")."""
    at = AppTest.from_file(APP, default_timeout=60)
    if coder:
        at.session_state["qc_coder"] = coder
    if lang:
        at.session_state["qc_lang"] = lang
    for k, v in (state or {}).items():
        at.session_state[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(markdown: str) -> str:
    """A Markdown string with its backslash escapes removed (what the reader sees)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def messages(elements) -> list[str]:
    return [plain(e.value) for e in elements]


def texts(at: AppTest) -> list[str]:
    """What ``st.text`` shows, plus the text of every segment the coding page's list draws."""
    return [x.value for x in at.text] + [r["text"] for r in list_rows(at)]


def component(at: AppTest, key: str):
    """The ``st.components.v2`` element with ``key`` (AppTest shows it as an UnknownElement), or None."""
    def walk(node):
        children = getattr(node, "children", None) or {}
        for child in (children.values() if isinstance(children, dict) else children):
            if type(child).__name__ == "UnknownElement" and getattr(child, "key", None) == key:
                return child
            found = walk(child)
            if found is not None:
                return found
        return None
    return walk(at.main)


def list_data(at: AppTest) -> dict:
    """The data the coding page hands its segment list (segments, selection, hits …); {} when not shown."""
    import json

    element = component(at, "qc_list")
    return json.loads(element.proto.json) if element is not None and element.proto.json else {}


def list_rows(at: AppTest) -> list[dict]:
    """The segments drawn by the list: ``pos``, ``meta``, ``text``, ``codes`` ([id, label, colour]), ``others``,
    ``memo``."""
    return list_data(at).get("segments", [])


def trigger(at: AppTest, key: str, event: str, value) -> AppTest:
    """Send a component event the way the browser does (one trigger payload), run, and return ``at``."""
    import json

    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    element = component(at, key)
    assert element is not None, f"no component with key {key!r} on the page"
    states = at._tree.get_widget_states()
    state = WidgetState(id=_make_trigger_id(element.proto.id, "events"))
    state.json_trigger_value = json.dumps([{"event": event, "value": value}])
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def pick(at: AppTest, pos: int, *, extend: bool = False) -> AppTest:
    """Click segment ``pos`` in the list (Shift+click with ``extend``)."""
    return trigger(at, "qc_list", "pick", {"pos": pos, "extend": extend, "n": 1})


def chips(at: AppTest, pos: int) -> list[str]:
    """The code ids shown as my chips on segment ``pos``."""
    return [c[0] for r in list_rows(at) if r["pos"] == pos for c in r["codes"]]


def segment_ids(path: Path, transcript: str) -> dict[int, int]:
    with Project.open(path) as p:
        return {s.position: s.id for s in p.segments(transcript)}


def widget(elements, base: str):
    """The one widget whose key is ``base`` plus the suffix that follows the stored value."""
    found = [w for w in elements if w.key and w.key.rsplit("_", 1)[0] == base]
    assert len(found) == 1, (base, [w.key for w in elements])
    return found[0]


def open_transcript(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="qc_transcript").select(name)
    return run(at)


