"""A tiny Streamlit app that mounts the coding page's segment list alone, for the browser tests of its
text selection and highlights (tests/test_e2e_spans.py).

It reads a JSON file named by ``QCODE_LIST_CASE``: ``{"text": ..., "segments": [[start, end, speaker], ...],
"spans": [[start, end, code, coder], ...], "labels": {code: label}, "colors": {code: colour}}`` and shows
what the list sent back (pending selection, clicked span, every event) as JSON in ``.st-key-list-out``.
"""

from __future__ import annotations

if __name__ == "__main__":  # run by `streamlit run`, never when pytest collects doctests
    import json
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import streamlit as st

    from coding.store.rows import SegmentRow
    from ui.segment_list import list_event, segment_list, segment_rows
    from ui.span_view import page_spans

    case = json.loads(Path(os.environ["QCODE_LIST_CASE"]).read_text(encoding="utf-8"))
    text = case["text"]
    segments = [SegmentRow(i + 1, "t.txt", i + 1, a, b, who, None, None, text[a:b])
                for i, (a, b, who) in enumerate(case["segments"])]
    ss = st.session_state
    ss.setdefault("events", [])

    def _log(name: str) -> dict | None:
        event = list_event(name)
        ss["events"].append([name, event])
        return event

    def on_select() -> None:
        event = _log("select")
        ss["pending"] = (event["start"], event["end"])

    def on_span() -> None:
        event = _log("span")
        ss["current"] = [event["start"], event["end"], event["code"], event["coder"]]
        ss.pop("pending", None)

    def on_clear() -> None:
        _log("clear")
        ss.pop("pending", None)

    def on_pick() -> None:
        _log("pick")
        ss.pop("pending", None)

    spans = page_spans(case.get("spans", []), segments, coder="anna", labels=case.get("labels", {}),
                       colors=case.get("colors", {}))
    rows = segment_rows(segments, mine={}, theirs={}, memos={}, labels=case.get("labels", {}),
                        colors=case.get("colors", {}), spans=spans, pending=ss.get("pending"))
    segment_list(rows, selected=[], hits=[], cursor=None, extend=False, texts={"aria": "list"},
                 on_pick=on_pick, on_remove=lambda: _log("remove"), spans=spans, pending=ss.get("pending"),
                 current=ss.get("current"), on_select=on_select, on_span=on_span, on_clear=on_clear)
    with st.container(key="list-out"):
        st.code(json.dumps({"pending": ss.get("pending"), "current": ss.get("current"), "events": ss["events"]}),
                language=None)
