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
    return [x.value for x in at.text]


def segment_ids(path: Path, transcript: str) -> dict[int, int]:
    with Project.open(path) as p:
        return {s.position: s.id for s in p.segments(transcript)}


def widget(elements, base: str):
    """The one widget whose key is ``base`` plus the suffix that follows the stored value."""
    found = [w for w in elements if w.key and w.key.rsplit("_", 1)[0] == base]
    assert len(found) == 1, (base, [w.key for w in elements])
    return found[0]


def codes_box(at: AppTest, sid: int):
    return widget(at.multiselect, f"qc_codes_{sid}")


def open_transcript(at: AppTest, name: str) -> AppTest:
    at.selectbox(key="qc_transcript").select(name)
    return run(at)


