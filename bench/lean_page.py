"""The baseline of bench/bench_coding_page.py: the leanest Streamlit page that shows the same segments.

One page of 50 segments as plain text and ONE code picker in a side column, the body in a fragment; no
widgets per segment, no custom component. Run by the benchmark as ``streamlit run bench/lean_page.py --
--project FILE``; ``?t=NAME`` picks the transcript.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coding import Project  # noqa: E402

st.set_page_config(layout="wide")
path = sys.argv[sys.argv.index("--project") + 1]
with Project.open(path) as project:
    transcripts = [t["name"] for t in project.transcripts()]
    codes = [c for c in project.codes() if c.active]
name = st.query_params.get("t", transcripts[0])
if name not in transcripts:
    name = transcripts[0]
name = st.selectbox("Transcript", transcripts, index=transcripts.index(name), key="lean_t")


@st.fragment
def body(name: str) -> None:
    with Project.open(path) as project:
        segments = project.segments(name)[:50]
    left, right = st.columns([0.66, 0.34])
    with left, st.container(key="lean-list"):
        for s in segments:
            st.text(f"{s.position} {s.speaker or ''}\n{s.text}")
    with right:
        st.selectbox("Code", [c.id for c in codes], format_func=lambda c: c, key="lean_code")


body(name)
