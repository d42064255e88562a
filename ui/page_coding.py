"""The coding page: read a transcript segment by segment and apply codes, fast.

Layout: the transcript picker and "done" switch run with the page; the working
area (segment list + code panel) is one ``st.fragment``, so a coding click reruns
only that part. The list shows one page of 50 segments (the browser, not Python,
is the bottleneck: see BENCHMARKS.md). Every action is written to the project file
at once through the library (audited, undoable); widget values are read back from
the database on every run, so a reload or a second tab shows the same state.
"""

from __future__ import annotations

import os
import sys
import time
import zlib

import streamlit as st

from coding.textsearch import ambiguous, find_segments, rank_codes

from . import coding_logic as logic
from .actions import act
from . import state
from .i18n import t
from .keys import FINDER_KEY, keyboard_helper
from .media_player import media_player
from .memo_panel import transcript_memo_box
from .code_tree import code_tree, tree_event, tree_nodes
from .segment_list import code_colors, list_event, segment_list, segment_rows
from . import span_panel
from .suggestion_panel import UNCERTAIN_KEY, page_proposals, proposal_chips, suggestion_panel, uncertain_order
from .span_view import page_spans, segments_of, valid_range
from .text import code_label, md_escape

ss = st.session_state
MAX_MATCHES = 8
# QCODE_TIMING=1 prints the server-side time of every working-area run (callback + fragment body) to
# stderr; bench/bench_app.py reads it from a real `streamlit run` server.
TIMING = os.environ.get("QCODE_TIMING") == "1"


def _mark_start() -> None:
    if TIMING and "qc_t0" not in ss:
        ss["qc_t0"] = time.perf_counter()


# ----------------------------------------------------------------- helpers

def _flash(kind: str, message: str) -> None:
    ss.setdefault("qc_flash", []).append((kind, message))


def _w() -> dict:
    """What the callbacks need about the working area (set on every fragment run)."""
    return ss["qc_w"]


def _labels() -> dict[str, str]:
    return ss.get("qc_labels", {})


def _selected_sids() -> list[int]:
    pos2sid = _w()["pos2sid"]
    return [pos2sid[p] for p in ss.get("qc_sel", []) if p in pos2sid]


def _goto(pos: int | None, *, extend: bool = False) -> None:
    """Move the cursor to ``pos`` (selecting it, or extending the selection) and show its page."""
    if pos is None:
        return
    ss.pop("qc_span_sel", None)  # segments are the selection again
    ss.pop("qc_span", None)
    anchor = ss.get("qc_anchor")
    if extend and anchor is not None:
        ss["qc_sel"] = logic.select_range(anchor, pos)
    else:
        ss["qc_sel"] = [pos]
        ss["qc_anchor"] = pos
    ss["qc_cursor"] = pos
    shown = _w()["shown"]
    if pos in shown:
        _set_page(logic.page_of(pos, shown))


def _set_page(page: int) -> None:
    """Show ``page`` of the list (the pagination widget gets a fresh key with that default)."""
    if page != ss.get("qc_page_now"):
        ss["qc_page_want"] = page
        ss["qc_page_gen"] = ss.get("qc_page_gen", 0) + 1


# -------------------------------------------------------------- callbacks

def cb_step(delta: int, extend: bool = False) -> None:
    _mark_start()
    w = _w()
    _goto(logic.step(w["shown"], ss.get("qc_cursor"), delta), extend=extend)


def cb_next_uncoded() -> None:
    _mark_start()
    w = _w()
    coded = _act(lambda p: p.segment_codes(w["tid"], w["coder"]))
    if coded is None:
        return
    sid2pos = {sid: pos for pos, sid in w["pos2sid"].items()}
    pos = logic.next_uncoded(w["positions"], {sid2pos[s] for s in coded if s in sid2pos}, ss.get("qc_cursor"))
    if pos is None:
        _flash("success", t("coding.all_coded"))
        return
    if pos not in w["shown"]:
        ss["qc_only_hits"] = False
        w["shown"] = w["positions"]
    _goto(pos)


def cb_next_hit() -> None:
    w = _w()
    _goto(logic.next_hit(w["hits"], ss.get("qc_cursor")))


def _act(work):
    """Run ``work(project)`` on this tab's project; a library error becomes a message (see ui.actions)."""
    return act(_w()["path"], work, _flash)


def apply_code(code_id: str) -> int:
    """Apply a code to the selected segments (one undoable step); returns segments newly coded."""
    w = _w()
    if ss.get("qc_span_sel"):  # a text selection is the target while there is one
        return apply_span(code_id)
    sids = _selected_sids()
    if not sids:
        _flash("warning", t("coding.select_first"))
        return 0
    n = _act(lambda p: p.apply_code_ids(sids, code_id, coder=w["coder"]))
    if n is None:
        return 0
    ss["qc_recent"] = logic.push_recent(ss.get("qc_recent", []), code_id)
    ss["qc_focus_code"] = code_id
    label = md_escape(_labels().get(code_id, code_id))
    _flash("toast", t("coding.applied", code=label, n=n) if n else t("coding.already", code=label))
    if ss.get("qc_advance") and len(sids) == 1:
        _goto(logic.step(w["shown"], ss.get("qc_cursor"), 1))
    return n


def apply_span(code_id: str) -> int:
    """Apply a code to the pending text selection (one undoable step); it then opens in the side panel.
    Returns 1 when the span is new, else 0."""
    w = _w()
    start, end = ss["qc_span_sel"]
    existed = (start, end, code_id, w["coder"]) in w["spans"]
    span = _act(lambda p: p.code_span(w["name"], start, end, code_id, coder=w["coder"]))
    if span is None:
        return 0
    ss.pop("qc_span_sel", None)
    ss["qc_span"] = (span.start, span.end, span.code, span.coder)
    ss["qc_recent"] = logic.push_recent(ss.get("qc_recent", []), code_id)
    ss["qc_focus_code"] = code_id
    label = md_escape(_labels().get(code_id, code_id))
    _flash("toast", t("span.already" if existed else "span.applied", code=label))
    return 0 if existed else 1


def apply_best_match(text: str) -> str | None:
    """Apply the best match of ``text`` in the code finder (Enter key); returns the code id applied.

    When the best two matches are equally good (e.g. the same label in two phases) nothing is
    applied: the matches stay on screen with their categories and the coder picks one.
    """
    _mark_start()
    ranked = _ranked(_w()["codes"], text)
    if not ranked:
        ss[FINDER_KEY] = ""
        _flash("warning", t("coding.no_match", q=md_escape(text)))
        return None
    if ambiguous(ranked):
        ss[FINDER_KEY] = text  # keep the matches in view
        _flash("warning", t("coding.ambiguous", q=md_escape(text)))
        return None
    ss[FINDER_KEY] = ""
    apply_code(ranked[0].code.id)
    return ranked[0].code.id


def cb_apply(code_id: str, clear: bool = False) -> None:
    _mark_start()
    if clear:
        ss[FINDER_KEY] = ""
    apply_code(code_id)


def cb_remove(code_id: str) -> None:
    _mark_start()
    w = _w()
    sids = _selected_sids()
    if not sids:
        return
    n = _act(lambda p: p.remove_code_ids(sids, code_id, coder=w["coder"]))
    if n is None:
        return
    _flash("toast", t("coding.removed", code=md_escape(_labels().get(code_id, code_id)), n=n))


def synced_key(base: str, value) -> str:
    """A widget key that changes whenever the stored value changes.

    Widgets that show database state (a segment's codes, a memo, the done switch) get a
    fresh key when the database changes, with the stored value as default. The browser
    then can never send back a stale value of an older widget (which would undo a change
    made elsewhere: by a click in the code panel, an undo, another tab).
    """
    return f"{base}_{zlib.crc32(repr(value).encode('utf-8')):08x}"


def cb_list_pick() -> None:
    """A segment was clicked in the list (Shift+click, or extend mode: the range up to it)."""
    _mark_start()
    event = list_event("pick")
    if event and str(event.get("pos", "")).isdigit():
        _goto(int(event["pos"]), extend=bool(event.get("extend")) or bool(ss.get("qc_extend")))


def cb_list_select() -> None:
    """Text was selected in the list (mouse or Shift+arrows): it becomes the target of the code finder and
    of keys 1–9, in place of the selected segments."""
    _mark_start()
    w = _w()
    rng = valid_range(list_event("select"), w["text_end"])
    if rng is None:
        return
    if not set(segments_of(w["segments"], *rng)) <= set(w["on_page"]):  # e.g. across segments the search hides
        _flash("warning", t("span.hidden"))
        return
    ss["qc_span_sel"] = rng
    ss.pop("qc_span", None)
    ss["qc_sel"] = []


def cb_list_span() -> None:
    """A highlight was clicked: open that span (one the coder may see) in the side panel."""
    _mark_start()
    event = list_event("span") or {}
    key = (event.get("start"), event.get("end"), event.get("code"), event.get("coder"))
    if key in _w()["spans"]:
        ss["qc_span"] = key
        ss.pop("qc_span_sel", None)
        ss["qc_sel"] = []  # the passage is the selection now


def cb_list_clear() -> None:
    """Esc in the list: the text selection is dropped."""
    ss.pop("qc_span_sel", None)


def cb_list_remove() -> None:
    """The ✕ of a chip in the list: remove that code from that one segment."""
    _mark_start()
    w = _w()
    event = list_event("remove")
    if not event or not str(event.get("pos", "")).isdigit():
        return
    sid, code_id = w["pos2sid"].get(int(event["pos"])), str(event.get("code", ""))
    if sid is None or code_id not in _labels():
        return
    n = _act(lambda p: p.remove_code_ids([sid], code_id, coder=w["coder"]))
    if n is not None:
        _flash("toast", t("coding.removed", code=md_escape(_labels().get(code_id, code_id)), n=n))


def cb_memo(sid: int, key: str) -> None:
    w = _w()

    def work(project):
        old = project.segment_memos(w["tid"], w["coder"]).get(sid, "")
        if key != synced_key(f"qc_memo_{sid}", old):
            _flash("warning", t("coding.memo_stale"))
            return False
        return project.set_segment_memo(sid, w["coder"], ss.get(key, ""))

    if _act(work):
        _flash("toast", t("coding.memo_saved"))


def cb_undo() -> None:
    _mark_start()
    w = _w()
    undone = _act(lambda p: p.undo(w["coder"]) or False)
    if undone:
        _flash("toast", t("coding.undone", what=md_escape(describe_undo(undone, _labels()))))
    elif undone is False:
        _flash("info", t("coding.nothing_to_undo"))


def cb_redo() -> None:
    _mark_start()
    w = _w()
    redone = _act(lambda p: p.redo(w["coder"]) or False)
    if redone:
        _flash("toast", t("coding.redone", what=md_escape(describe_undo(redone, _labels()))))
    elif redone is False:
        _flash("info", t("coding.nothing_to_redo"))


def describe_undo(undone, labels: dict[str, str]) -> str:
    """What was undone or redone (a :class:`coding.actions.UndoResult`), in the UI language with code labels."""
    if undone.positions:
        where = f"{undone.transcript} #{', '.join(map(str, undone.positions))}"
    else:  # a memo on a transcript, a code or the project
        where = undone.transcript or (labels.get(undone.code, undone.code) if undone.code else t("memos.project"))
    if undone.action in ("memo.add", "memo.edit", "memo.delete"):
        return t(f"memos.undo_{undone.action.split('.')[1]}", where=where)
    if undone.action in ("span.add", "span.remove", "span.change", "span.memo"):
        key = {"span.add": "span.undo_add", "span.remove": "span.undo_remove", "span.change": "span.undo_change",
               "span.memo": "span.undo_memo"}
        return t(key[undone.action], code=labels.get(undone.code, undone.code), where=where)
    if undone.action == "coding.apply":
        return t("coding.undo_apply", code=labels.get(undone.code, undone.code), n=undone.n, where=where)
    if undone.action == "coding.remove":
        return t("coding.undo_remove", code=labels.get(undone.code, undone.code), n=undone.n, where=where)
    return t("coding.undo_memo", where=where)


def cb_done(path: str, name: str, coder: str, key: str, was: bool) -> None:
    def work(project):
        if (coder in [tr for tr in project.transcripts() if tr["name"] == name][0]["done_by"]) != was:
            return  # changed elsewhere meanwhile
        project.mark_done(coder, [name], done=bool(ss.get(key)))

    act(path, work, _flash)


# ------------------------------------------------------------------ page

def _ranked(codes, query: str):
    """The codes matching ``query``, best first (whole words before word starts before substrings,
    labels before ids, codes before categories; ties go to my recent codes)."""
    return rank_codes(codes, query, recent=ss.get("qc_recent", []))


def _matches(codes, query: str):
    return [m.code for m in _ranked(codes, query)]


def category_context(codes, lang: str) -> dict[str, str]:
    """code id -> where it sits: the labels of its top two ancestors ("Implementering – inledande fas ›
    Hinder"), so that near-identical labels of different phases or polarities are told apart."""
    by_id = {c.id: c for c in codes}
    out = {}
    for c in codes:
        chain, node = [], c.parent_id
        while node in by_id and node not in chain:
            chain.append(node)
            node = by_id[node].parent_id
        top = list(reversed(chain))[:2]
        out[c.id] = " › ".join(code_label(by_id[x], lang) for x in top)
    return out


def _read_url(by_name: dict) -> None:
    """Once per browser session: open the transcript and segment the URL names (``?t=NAME&s=12``), so a
    reload, a bookmark or back/forward returns to the same place."""
    if ss.get("qc_url_read"):
        return
    ss["qc_url_read"] = True
    name = st.query_params.get("t")
    if name in by_name:
        ss["qc_transcript"] = name
        segment = st.query_params.get("s", "")
        if segment.isascii() and segment.isdigit() and len(segment) < 9:
            ss["qc_url_segment"] = int(segment)
            ss.pop("qc_tid", None)


def _write_url(name: str, cursor: int | None) -> None:
    """Keep the URL in step with the transcript and the selected segment."""
    want = {"t": name, **({"s": str(cursor)} if cursor else {})}
    if {k: st.query_params.get(k) for k in ("t", "s")} != {"t": want["t"], "s": want.get("s")}:
        st.query_params.from_dict(want)


def _save_filter(name: str) -> None:
    ss.setdefault("qc_filters", {})[name] = list(ss.get(f"qc_filter_{name}") or [])


def render() -> None:
    c = state.ctx()
    with state.open_project(c.path) as project:
        transcripts = project.transcripts()
        progress = project.coding_progress(c.coder)
        blind = project.blind_coding()
    if not transcripts:
        st.title(t("coding.title"))
        st.info(t("coding.no_transcripts"))
        st.page_link("app_pages/project.py", label=t("nav.project"), icon=":material/folder_open:")
        return

    attr_values: dict[str, list[str]] = {}
    for tr in transcripts:
        for k, v in tr["attributes"].items():
            attr_values.setdefault(k, [])
            if v not in attr_values[k]:
                attr_values[k].append(v)
    # One row of header: filter, transcript, done, attributes (a 1280×720 screen keeps room for the text).
    top = st.container(horizontal=True, vertical_alignment="center", gap="small", key="qc-top")
    # The filter's lists are drawn only while its popover is open (five multiselects on every load cost
    # the browser more than the whole segment list); the choice is kept apart from the widgets.
    saved = ss.setdefault("qc_filters", {})
    filters = {name: [v for v in saved.get(name, []) if v in values] for name, values in attr_values.items()}
    if attr_values:
        n_active = sum(1 for sel in filters.values() if sel)
        label = t("coding.filter") + (f" ({n_active})" if n_active else "")
        with top.popover(label, icon=":material/filter_list:", key="qc_filter_open", on_change="rerun"):
            if ss.get("qc_filter_open"):
                for name, values in sorted(attr_values.items()):
                    st.multiselect(md_escape(name), sorted(values), default=filters[name], key=f"qc_filter_{name}",
                                   placeholder=t("ui.all_values"), on_change=_save_filter, args=(name,))
    shown = [tr for tr in transcripts
             if all(not sel or tr["attributes"].get(name) in sel for name, sel in filters.items())]
    if not shown:
        st.warning(t("coding.no_transcript_matches"))
        return
    by_name = {tr["name"]: tr for tr in shown}

    def fmt(name: str) -> str:
        tr = by_name[name]
        done_n, total = progress.get(tr["id"], (0, tr["segments"]))
        pct = round(100 * done_n / total) if total else 0
        mark = " ✓" if c.coder in tr["done_by"] else ""
        return f"{name} — {done_n}/{total} ({pct} %){mark}"

    names = list(by_name)
    _read_url(by_name)
    if ss.get("qc_transcript") not in by_name:
        ss["qc_transcript"] = names[0]
    name = top.selectbox(t("coding.transcript"), names, key="qc_transcript", format_func=fmt,
                         filter_mode="contains", label_visibility="collapsed", width=330,
                         placeholder=t("ui.choose_or_type"))
    tr = by_name[name]

    is_done = c.coder in tr["done_by"]
    done_key = synced_key(f"qc_done_{tr['id']}", is_done)
    top.toggle(t("coding.done"), value=is_done, key=done_key, on_change=cb_done,
               args=(str(c.path), name, c.coder, done_key, is_done), help=t("coding.done_help"))
    transcript_memo_box(c, name, top)
    done_n, total = progress.get(tr["id"], (0, tr["segments"]))
    top.progress(done_n / total if total else 0.0, text=t("coding.progress", n=done_n, total=total), width=190)
    notes = [md_escape(" · ".join(f"{k}: {v}" for k, v in sorted(tr["attributes"].items())))]
    if blind:
        others_done = [x for x in tr["done_by"] if x != c.coder]
        if c.coder in tr["done_by"]:
            msg = t("coding.blind_open", names=", ".join(others_done)) if others_done else t("coding.blind_wait")
        else:
            msg = t("coding.blind_on")
        notes.append(":material/visibility_off: " + md_escape(msg))
    if any(notes):
        with st.container(key="qc-notes"):
            st.caption(" — ".join(n for n in notes if n))

    workspace(str(c.path), tr["id"], name, c.coder, c.lang)


@st.fragment
def workspace(path: str, tid: int, name: str, coder: str, lang: str) -> None:
    t0 = ss.pop("qc_t0", None) or time.perf_counter()
    _workspace(path, tid, name, coder, lang)
    if TIMING:
        print(f"qcode-timing workspace {1000 * (time.perf_counter() - t0):.1f} ms", file=sys.stderr, flush=True)


def _workspace(path: str, tid: int, name: str, coder: str, lang: str) -> None:
    with state.open_project(path) as project:
        segments = project.segments(name)
        memos = project.segment_memos(tid, coder)
        others = [x for x in project.visible_coders(tid, coder) if x != coder]
        theirs = project.segment_codes_by_coder(tid, others) if others else {}
        spans = project.spans(name, viewer=coder)
        proposals = page_proposals(project, name, coder)
        text = project.transcript_text(name) if ss.get("qc_span_sel") or ss.get("qc_span") else ""
        all_codes = project.codes()
        if "qc_recent" not in ss:
            active_ids = {x.id for x in all_codes if x.active}
            ss["qc_recent"] = logic.recent_codes(project.audit_log(limit=500, actor=coder), active_ids)

    if ss.get("qc_tid") != tid:  # another transcript: start at its top (or at the segment the URL names)
        for key in ("qc_sel", "qc_cursor", "qc_anchor", "qc_page_want", "qc_search", "qc_only_hits", "qc_span_sel",
                    "qc_span"):
            ss.pop(key, None)
        ss["qc_tid"] = tid
        wanted = ss.pop("qc_url_segment", None)
        if wanted in {s.position for s in segments}:
            ss["qc_sel"], ss["qc_cursor"], ss["qc_anchor"] = [wanted], wanted, wanted
            ss["qc_page_want"] = (wanted - 1) // logic.PAGE_SIZE + 1
            ss["qc_page_gen"] = ss.get("qc_page_gen", 0) + 1
    codes = [x for x in all_codes if x.active]
    by_id = {x.id: x for x in all_codes}
    labels = {x.id: code_label(x, lang) for x in all_codes}
    ss["qc_labels"] = labels
    positions = [s.position for s in segments]
    by_pos = {s.position: s for s in segments}
    pos2sid = {s.position: s.id for s in segments}

    for kind, message in ss.pop("qc_flash", []):
        if kind == "toast":
            st.toast(message)
        else:
            getattr(st, kind)(message)

    left, right = st.columns([0.66, 0.34], gap="medium")

    # ------------------------------------------------------------ the list
    with left:
        bar = st.container(horizontal=True, vertical_alignment="center", gap="small", key="qc-nav")
        query = bar.text_input(t("coding.search"), key="qc_search", live="300ms", type="search",
                               placeholder=t("coding.search"), width=190, label_visibility="collapsed")
        hits = find_segments(segments, query) if query.strip() else []
        shown_all = positions
        only = bool(ss.get("qc_only_hits")) and bool(hits)
        shown = hits if only else shown_all
        if ss.get(UNCERTAIN_KEY):
            shown = uncertain_order(shown, proposals)
        ss["qc_w"] = {"path": path, "tid": tid, "coder": coder, "pos2sid": pos2sid, "positions": positions,
                      "shown": shown, "hits": hits, "codes": codes, "name": name,
                      "text_end": segments[-1].end if segments else 0,
                      "spans": {(x.start, x.end, x.code, x.coder): x for x in spans}}
        if query.strip():
            bar.toggle(t("coding.only_hits"), key="qc_only_hits", disabled=not hits)
            bar.button(t("coding.next_hit", n=len(hits)), key="qc_next_hit", on_click=cb_next_hit,
                       disabled=not hits, icon=":material/search:")
        for key, label, shortcut, args, icon in (
                ("qc_prev", "coding.prev", "K", (-1,), "arrow_upward"),
                ("qc_next", "coding.next", "J", (1,), "arrow_downward"),
                ("qc_ext_up", "coding.extend_up", "Shift+K", (-1, True), "vertical_align_top"),
                ("qc_ext_down", "coding.extend_down", "Shift+J", (1, True), "vertical_align_bottom")):
            bar.button("", key=key, shortcut=shortcut, on_click=cb_step, args=args, icon=f":material/{icon}:",
                       help=t(label) + f" ({shortcut})")
        bar.button("", key="qc_next_uncoded", shortcut="N", on_click=cb_next_uncoded,
                   icon=":material/skip_next:", help=t("coding.next_uncoded") + " (N)")
        bar.button("", key="qc_undo", shortcut="U", on_click=cb_undo, icon=":material/undo:",
                   help=t("coding.undo_help"))
        bar.button("", key="qc_redo", shortcut="Shift+U", on_click=cb_redo, icon=":material/redo:",
                   help=t("coding.redo_help"))
        pages = logic.n_pages(len(shown))
        want = min(ss.get("qc_page_want", 1), pages)
        list_slot = st.container()
        pager = st.container(key="qc-pager")  # below the list; the page must be known before the list
        page = (pager.pagination(pages, default=want, key=f"qc_page_{ss.get('qc_page_gen', 0)}_{pages}",
                                 max_visible_pages=7) if pages > 1 else 1)
        ss["qc_page_now"] = page
        start = (page - 1) * logic.PAGE_SIZE
        colors = code_colors(all_codes)
        on_page = [by_pos[p] for p in shown[start:start + logic.PAGE_SIZE]]
        ss["qc_w"].update(segments=segments, on_page=[x.position for x in on_page])
        highlights = page_spans(spans, on_page, coder=coder, labels=labels, colors=colors)
        pending = ss.get("qc_span_sel")
        # chips: my codes on whole segments (a code on part of the text shows as its highlight only)
        whole = {}
        for x in spans:
            if x.coder == coder and x.segment is not None and x.segment in pos2sid:
                whole.setdefault(pos2sid[x.segment], []).append(x.code)
        rows = segment_rows(on_page, mine=whole, theirs=theirs, memos=memos, labels=labels, colors=colors,
                            page_label=t("coding.page", n="{n}"), spans=highlights, pending=pending,
                            proposals={p: proposal_chips(r, labels, lang) for p, r in proposals.items()})
        with list_slot:
            segment_list(rows, selected=ss.get("qc_sel", []), hits=hits, cursor=ss.get("qc_cursor"),
                         extend=bool(ss.get("qc_extend")),
                         texts={"aria": t("coding.list_aria"), "remove": t("coding.remove_chip"),
                                "empty": t("coding.no_segments"), "memo_label": t("coding.memo_short"),
                                "proposal": t("suggest.chip")},
                         on_pick=cb_list_pick, on_remove=cb_list_remove, spans=highlights, pending=pending,
                         current=ss.get("qc_span"), on_select=cb_list_select, on_span=cb_list_span,
                         on_clear=cb_list_clear)

    # ------------------------------------------------------- the code panel
    with right, st.container(key="qc-side", border=True):
        span_panel.panel(text, spans, labels=labels, codes=codes, coder=coder, path=path,
                         name=name, flash=_flash)
        _panel(segments, by_pos, whole, memos, codes, by_id, labels, lang)
        suggestion_panel(path, name, coder, [p for p in ss.get("qc_sel", []) if p in by_pos],
                         [x.position for x in on_page], proposals, labels, lang, _flash)
        _tree(all_codes, labels, lang, path, coder, bool(ss.get("qc_sel") or ss.get("qc_span_sel")))

    keyboard_helper(apply_best_match)
    _write_url(name, ss.get("qc_cursor"))


def cb_tree_apply() -> None:
    """A code was clicked in the code tree: apply it to the selection."""
    _mark_start()
    event = tree_event()
    if event and str(event.get("code", "")) in _labels():
        apply_code(str(event["code"]))


def cb_new_code(path: str, coder: str) -> None:
    """The new-code form: add the code to the codebook and, when asked, apply it to the selection."""
    label = " ".join(str(ss.get("qc_new_label") or "").split())
    parent = ss.get("qc_new_parent") or None
    if not label:
        _flash("warning", t("coding.new_code_label_missing"))
        return

    def work(project):
        from coding.codebook_edit import suggest_id

        code_id = suggest_id(label, parent, [c.id for c in project.codes()])
        project.add_code(id=code_id, parent=parent, label_sv=label, label_en=label, actor=coder)
        return code_id

    code_id = act(path, work, _flash)
    if code_id:
        ss["qc_labels"] = {**_labels(), code_id: label}
        _flash("toast", t("coding.new_code_added", code=md_escape(label)))
        ss["qc_new_label"] = ""
        if ss.get("qc_new_apply") and ss.get("qc_sel"):
            apply_code(code_id)


def _tree(all_codes, labels, lang, path: str, coder: str, selected: bool) -> None:
    """The code tree (collapsible, with my / everyone's use of each code) and, when allowed, a new code.
    The counts are read only while the tree is open."""
    active = [c for c in all_codes if c.active]
    # drawn only while open (a closed expander would still build the whole tree on every run)
    with st.expander(t("coding.tree", n=len(active)), icon=":material/account_tree:", key="qc_tree_open",
                     on_change="rerun"):
        if not ss.get("qc_tree_open"):
            return
        with state.open_project(path) as project:
            usage = project.code_usage(coder)
            may_add = project.may_add_codes(coder)
        st.caption(t("coding.tree_help"))
        nodes = tree_nodes(all_codes, usage, labels, code_colors(all_codes),
                           {c.id: c.text("definition", lang) for c in active})
        code_tree(nodes, can_apply=selected, on_apply=cb_tree_apply)
        if may_add:
            with st.popover(t("coding.new_code"), icon=":material/add:"):
                st.text_input(t("coding.new_code_label"), key="qc_new_label", max_chars=200)
                parents = [c.id for c in active]
                focus = ss.get("qc_focus_code")
                by_id = {c.id: c for c in all_codes}
                default = by_id[focus].parent_id if focus in by_id and by_id[focus].parent_id in parents else None
                st.selectbox(t("coding.new_code_parent"), parents, key="qc_new_parent",
                             index=parents.index(default) if default else None,
                             format_func=lambda x: labels.get(x, x), placeholder=t("ui.choose_or_type"))
                st.checkbox(t("coding.new_code_apply"), key="qc_new_apply", value=True, disabled=not selected)
                st.button(t("coding.new_code_add"), key="qc_new_add", on_click=cb_new_code, args=(path, coder),
                          type="primary", icon=":material/add:")


def _panel(segments, by_pos, mine, memos, codes, by_id, labels, lang) -> None:
    """Top to bottom: what is selected, the code finder, my codes on the selection, the memo (always in
    view: nothing above it grows without bound), recent codes, then the focused code's definition."""
    sel = [p for p in ss.get("qc_sel", []) if p in by_pos]
    target = bool(sel) or bool(ss.get("qc_span_sel"))
    if ss.get("qc_span_sel") or ss.get("qc_span"):
        pass  # the passage above is the selection
    elif not sel:
        st.caption(t("coding.nothing_selected"))
    elif len(sel) == 1:
        st.markdown(t("coding.selected_one", n=sel[0]))
    else:
        st.markdown(t("coding.selected_many", a=sel[0], b=sel[-1], n=len(sel)))

    query = st.text_input(t("coding.find_code"), key=FINDER_KEY, live="150ms",
                          placeholder=t("coding.find_placeholder"), help=t("coding.find_help"))
    ranked = _ranked(codes, query)[:MAX_MATCHES] if query.strip() else []
    matches = [m.code for m in ranked]
    if query.strip() and not matches:
        st.caption(t("coding.no_match", q=md_escape(query)))
    elif ambiguous(ranked):
        st.caption(t("coding.ambiguous_hint"))
    where = category_context(codes, lang) if matches else {}
    for i, code in enumerate(matches):
        context = f" · _{md_escape(where[code.id])}_" if where.get(code.id) else ""
        definition = code.text("definition", lang)
        tip = md_escape(f"{code.id}: {definition}" if definition else code.id)
        st.button(md_escape(labels[code.id]) + context, key=f"qc_match_{code.id}",
                  type="primary" if i == 0 and not ambiguous(ranked) else "secondary", on_click=cb_apply,
                  args=(code.id, True), disabled=not target, width="stretch", help=tip)

    if sel:
        sids = [by_pos[p].id for p in sel]
        on_sel = []
        for sid in sids:
            for x in mine.get(sid, []):
                if x not in on_sel:
                    on_sel.append(x)
        if on_sel:
            st.caption(t("coding.on_selection"))
            row = st.container(horizontal=True, gap="small")
            for code_id in on_sel:
                row.button(md_escape(labels.get(code_id, code_id)), key=f"qc_rm_{code_id}",
                           icon=":material/close:", on_click=cb_remove, args=(code_id,),
                           help=t("coding.remove_help"))
        if len(sel) == 1:
            sid = sids[0]
            memo = memos.get(sid, "")
            key = synced_key(f"qc_memo_{sid}", memo)
            with st.container(key="qc-memo"):
                st.text_area(t("coding.memo", n=sel[0]), value=memo, key=key, on_change=cb_memo,
                             args=(sid, key), height=90, placeholder=t("coding.memo_placeholder"))
            media_player(state.ctx(), by_pos[sel[0]].transcript, by_pos[sel[0]].t_start)

    recent = [x for x in ss.get("qc_recent", []) if x in by_id and by_id[x].active]
    if recent:
        st.caption(t("coding.recent"))
        row = st.container(horizontal=True, gap="small")
        for i, code_id in enumerate(recent[:9]):
            row.button(f"{i + 1} · " + md_escape(labels[code_id]), key=f"qc_recent_{code_id}",
                       shortcut=str(i + 1), on_click=cb_apply, args=(code_id,), disabled=not target,
                       help=md_escape(by_id[code_id].text("definition", lang)) or None)

    focus = matches[0].id if matches else ss.get("qc_focus_code")
    if focus in by_id:
        code = by_id[focus]
        with st.container(key="qc-def", border=True):
            st.markdown(f"**{md_escape(labels[focus])}** · `{focus}`")
            for field in ("definition", "include", "exclude", "example"):
                value = code.text(field, lang)
                if value:
                    st.caption(t(f"code.{field}"))
                    st.text(value)

    st.toggle(t("coding.extend_mode"), key="qc_extend", help=t("coding.extend_help"))
    st.toggle(t("coding.advance"), key="qc_advance")
    with st.expander(t("coding.keys_title"), icon=":material/keyboard:", key="qc_keys_open", on_change="rerun"):
        if ss.get("qc_keys_open"):
            st.markdown(t("coding.keys") + "\n" + t("span.keys"))
