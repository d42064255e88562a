"""qcode in the browser: code interview transcripts as a team.

    streamlit run app.py                       # the demo project (built on first start)
    streamlit run app.py -- --project FILE     # a given project file
    QCODE_PROJECT=FILE streamlit run app.py    # the same, by environment variable
    streamlit run app.py -- --project "postgresql://USER@HOST/DB?schema=NAME"   # a project on PostgreSQL

A thin front over the ``coding`` library: every page opens the project for one
run, calls library functions and closes it. No SQL and no statistics here.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

_T0 = time.perf_counter()

import streamlit as st  # noqa: E402

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ui import state  # noqa: E402
from ui.i18n import t  # noqa: E402
from ui.widgets import inject_css, identity_gate, load_context, sidebar_controls  # noqa: E402

st.set_page_config(page_title="qcode", page_icon=":material/format_quote:", layout="wide")
if os.environ.get("QCODE_SIGNIN", "").strip().lower() in ("1", "true", "yes", "on"):
    # Served to a team: an unexpected error shows its type only, never a traceback with server paths
    # (the traceback goes to the server's console). Library errors are shown as messages anyway.
    st.set_option("client.showErrorDetails", "type")
inject_css()

lang = state.language()
ctx = load_context()  # None when no project can be opened, or nobody is signed in yet

PAGES = ROOT / "app_pages"
pages = {
    "coding": st.Page(str(PAGES / "coding.py"), title=t("nav.coding"), icon=":material/edit_note:",
                      url_path="coding"),
    "project": st.Page(str(PAGES / "project.py"), title=t("nav.project"), icon=":material/folder_open:",
                       url_path="project"),
    "codebook": st.Page(str(PAGES / "codebook.py"), title=t("nav.codebook"), icon=":material/account_tree:",
                        url_path="codebook"),
    "search": st.Page(str(PAGES / "search.py"), title=t("nav.search"), icon=":material/search:",
                      url_path="search"),
    "memos": st.Page(str(PAGES / "memos.py"), title=t("nav.memos"), icon=":material/sticky_note_2:",
                     url_path="memos"),
}
# Room for the analysis pages (their own issues): they appear once their files exist.
for name, icon in (("matrix", ":material/table_chart:"), ("agreement", ":material/handshake:"),
                   ("quotes", ":material/format_quote:")):
    if (PAGES / f"{name}.py").exists():
        pages[name] = st.Page(str(PAGES / f"{name}.py"), title=t(f"nav.{name}"), icon=icon, url_path=name)

if ctx is None:
    # No project yet, or no coder: only the project page (open/create) or the sign-in.
    if st.session_state.get("qc_open_error") or state.project_path() is None:
        nav = st.navigation([st.Page(str(PAGES / "project.py"), title=t("nav.project"),
                                     icon=":material/folder_open:", url_path="project", default=True)])
    else:
        # The sign-in answers on every page's address too, so a bookmark or reload of /coding?t=…&s=…
        # signs in first and then opens that very place (no "page not found").
        gate = [st.Page(identity_gate, title=t("nav.signin"), icon=":material/person:", url_path="signin",
                        default=True)]
        gate += [st.Page(identity_gate, title=t("nav.signin"), url_path=name) for name in pages]
        nav = st.navigation(gate, position="hidden")
    sidebar_controls(None)
    nav.run()
else:
    groups = {t("nav.work"): [pages["coding"], pages["search"], pages["memos"], pages["project"], pages["codebook"]]}
    analysis = [pages[n] for n in ("matrix", "agreement", "quotes") if n in pages]
    if analysis:
        groups[t("nav.analysis")] = analysis
    # The app's root opens the coding page under its own address (/coding), so that reloads, bookmarks and
    # back/forward of /coding?t=…&s=… work: Streamlit serves a default page only at the root.
    home = st.Page(lambda: st.switch_page(pages["coding"], query_params=st.query_params.to_dict()),
                   title=t("nav.coding"), url_path="home", default=True, visibility="hidden")
    groups[t("nav.work")].insert(0, home)
    nav = st.navigation(groups)
    sidebar_controls(ctx)
    nav.run()

if os.environ.get("QCODE_TIMING") == "1":  # server-side time of a whole run, for bench/bench_app.py
    print(f"qcode-timing app {1000 * (time.perf_counter() - _T0):.1f} ms", file=sys.stderr, flush=True)
