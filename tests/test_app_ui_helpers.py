"""The app's helpers that need no browser: words in both languages, escaping, selection logic."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import app_helpers  # noqa: F401  (puts the project root on sys.path)
from ui import coding_logic as logic
from ui.i18n import STRINGS, t
from ui.state import project_from_argv
from ui.text import fmt_time, md_escape

ROOT = Path(__file__).resolve().parent.parent


def test_every_string_has_both_languages_with_the_same_placeholders():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key, (sv, en) in STRINGS.items():
        assert sv.strip() and en.strip(), key
        assert fields(sv) == fields(en), key


def test_every_key_used_in_the_app_exists():
    used = set()
    for path in [ROOT / "app.py", *(ROOT / "ui").glob("*.py")]:
        used |= set(re.findall(r'\bt\("([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert used and not (used - set(STRINGS)), used - set(STRINGS)
    assert t("nav.coding", "en") == "Coding" and t("nav.coding", "sv") == "Kodning"


@pytest.mark.parametrize("text", ["*fet*", "[länk](javascript:alert(1))", "<img src=x onerror=alert(1)>",
                                  ":red[röd] :material/home:", "# rubrik", "1. lista", "$x^2$", "a_b_c"])
def test_md_escape_leaves_no_markdown_syntax(text):
    escaped = md_escape(text)
    # every special character is preceded by a backslash; unescaping gives the text back
    assert re.sub(r"\\(.)", r"\1", escaped) == text
    for ch in "*[]()<>:#$_":
        assert not re.search(r"(?<!\\)" + re.escape(ch), escaped), (ch, escaped)


def test_times_and_argv():
    assert fmt_time(None) == "" and fmt_time(5) == "00:05" and fmt_time(7322) == "2:02:02"
    assert project_from_argv(["--project", "a.qcode"]) == "a.qcode"
    assert project_from_argv(["--x", "--project=b.qcode"]) == "b.qcode"
    assert project_from_argv(["-q", "tests"]) is None


def test_selection_and_navigation_logic():
    positions = list(range(1, 121))
    assert logic.step(positions, None, 1) == 1 and logic.step(positions, 120, 1) == 120
    assert logic.step(positions, 50, 1) == 51 and logic.page_of(51, positions) == 2
    assert logic.select_range(7, 4) == [4, 5, 6, 7]
    assert logic.n_pages(1500) == 30 and logic.n_pages(0) == 1
    assert logic.next_hit([3, 9], 9) == 3 and logic.next_hit([], 1) is None
    entries = [{"action": "coding.apply", "detail": {"code": c}} for c in ["a", "b", "a", "gone", "c"]]
    assert logic.recent_codes(entries, {"a", "b", "c"}) == ["a", "b", "c"]
    assert logic.push_recent(["a", "b"], "b") == ["b", "a"]


def test_loopback_addresses_count_as_this_machine():
    from ui.state import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("192.0.2.7") and not is_loopback("2001:db8::1") and not is_loopback("nonsense")
