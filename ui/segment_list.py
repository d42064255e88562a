"""The coding screen's segment list: one page of segments drawn by one small component.

Fifty segments as Streamlit widgets (a button and a code box each) cost the
browser about 2.5 s per full load (BENCHMARKS.md, "The coding page"); drawn as
one ``st.components.v2`` element they cost about as much as plain text. The
component ships inline (no node build, nothing downloaded) and draws with DOM
calls only: every piece of transcript text, speaker, code label and memo is set
as ``textContent``, never parsed as HTML, so transcript text stays data.

What it does:

* shows each segment's number, speaker and time, its text, my codes as chips in
  the code's colour (✕ removes one), the other coders' codes and my memo;
* a click selects a segment, Shift+click (or "extend" mode) selects the range
  up to it; the choice shows at once, before the server answers;
* keeps the selected segment in view;
* draws the spans (character ranges coded by me and the coders I may see) as
  highlights in the code's colour, one stacked underline per code, so
  overlapping codes stay visible; hover or focus shows code and coder (set as
  text), a click (or Enter) on a highlight opens that span in the side panel
  (a stretch coded only as whole segments is selected by a click, like any
  segment: its chips are its controls);
* turns a text selection made with the mouse or Shift+arrows, inside one
  segment or across several, into the exact character offsets of the stored
  transcript text (code points, end exclusive; a selection edge outside the
  text snaps to the nearest text edge), shows it as the pending selection and
  keeps it selected after the redraw; Esc clears it.

Its Python side is :func:`segment_rows` (what is drawn, testable without a
browser) and the callbacks passed to :func:`segment_list`.

>>> from coding.store.rows import SegmentRow
>>> seg = SegmentRow(7, "aneby_chef.txt", 3, 0, 20, "Lena", 65.0, 70.0, "Vi (paus) började <b>")
>>> rows = segment_rows([seg],
...                     mine={7: ["a"]}, theirs={7: {"erik": ["b"]}}, memos={7: "Bra"},
...                     labels={"a": "Ensam position", "b": "Stöd"}, colors={"a": "#1f77b4", "b": "javascript:x"})
>>> rows[0]["text"], rows[0]["meta"], rows[0]["codes"], rows[0]["others"], rows[0]["memo"]
('Vi (paus) började <b>', 'Lena · 01:05', [['a', 'Ensam position', '#1f77b4']], 'erik: Stöd', 'Bra')
"""

from __future__ import annotations

import re

import streamlit as st

from coding.textclean import remove_controls

from .span_view import shown_text, text_pieces
from .text import fmt_time

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
LIST_KEY = "qc_list"

_CSS = """
.qc-list { max-height: max(16rem, calc(100vh - 13rem)); overflow-y: auto; overscroll-behavior: contain;
  padding-right: .3rem; font-size: .95rem; line-height: 1.45; }
.qc-seg { display: flex; gap: .55rem; padding: .3rem .45rem .35rem .35rem; border-left: 4px solid transparent;
  border-radius: 4px; cursor: pointer; }
.qc-seg:hover { background: rgba(128, 128, 128, .07); }
.qc-seg.hit { border-left-color: #4a90d9; }
.qc-seg.sel { border-left-color: #e09400; background: rgba(224, 148, 0, .11); }
.qc-num { flex: 0 0 2.6rem; text-align: right; font-size: .78rem; color: #777; padding-top: .12rem;
  font-variant-numeric: tabular-nums; }
.qc-seg.sel .qc-num { color: #9a6400; font-weight: 600; }
.qc-body { flex: 1 1 auto; min-width: 0; }
.qc-meta { font-size: .78rem; color: #6b6b6b; }
.qc-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.qc-chips { display: flex; flex-wrap: wrap; gap: .25rem; margin-top: .15rem; }
.qc-chip { display: inline-flex; align-items: center; gap: .2rem; font-size: .78rem; line-height: 1.3;
  padding: .05rem .15rem .05rem .45rem; border-radius: .7rem; border: 1px solid rgba(0,0,0,.15);
  background: #f3f3f3; color: #222; }
.qc-props { display: flex; flex-wrap: wrap; gap: .25rem; margin-top: .15rem; }
.qc-prop { font-size: .75rem; line-height: 1.3; padding: .02rem .45rem; border-radius: .7rem;
  border: 1.5px dashed #8a6d3b; color: #6b4f1d; background: transparent; font-style: italic; }
.qc-chip .qc-dot { width: .6rem; height: .6rem; border-radius: 50%; flex: 0 0 auto; }
.qc-chip button { border: 0; background: transparent; cursor: pointer; color: #555; font-size: .8rem;
  padding: 0 .3rem; border-radius: .6rem; line-height: 1.2; }
.qc-chip button:hover, .qc-chip button:focus { background: rgba(0,0,0,.1); color: #000; }
.qc-other, .qc-memo { font-size: .8rem; color: #555; font-style: italic; white-space: pre-wrap; }
.qc-empty { color: #777; font-style: italic; padding: .5rem; }
.qc-text { cursor: text; }
.qc-hl { border-radius: 2px; cursor: pointer; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
.qc-hl:focus { outline: 2px solid #4a90d9; outline-offset: 1px; }
.qc-hl.qc-cur { outline: 2px solid #e09400; outline-offset: 1px; }
.qc-pend { background: rgba(255, 170, 0, .38) !important; outline: 1px dashed #b36b00; }
.qc-tip { position: fixed; z-index: 1000; max-width: 22rem; padding: .25rem .5rem; border-radius: 4px;
  background: #222; color: #fff; font-size: .78rem; line-height: 1.35; white-space: pre-line; pointer-events: none; }
"""

_JS = """
// ---- text selection -> character offsets into the transcript's stored text (code points, end exclusive)
const codePoints = (str) => { let n = 0; for (const _ of str) n++; return n; };
const textEls = (root) => [...root.querySelectorAll('.qc-text')];
// a DOM point -> offset into the transcript: inside a segment's text exactly; elsewhere (a number, speaker,
// chip, the gap between two segments) the nearest text edge in the direction of the selection
function offsetOf(root, node, off, isStart) {
  const els = textEls(root);
  const order = isStart ? els : els.slice().reverse();
  for (const t of order) {
    const r = document.createRange();
    r.selectNodeContents(t);
    const c = r.comparePoint(node, off);
    if (c === 0) {
      const before = document.createRange();
      before.setStart(t, 0);
      before.setEnd(node, off);
      return Number(t.dataset.start) + codePoints(before.toString());
    }
    if (isStart && c < 0) return Number(t.dataset.start);
    if (!isStart && c > 0) return Number(t.dataset.end);
  }
  return null;
}
// offset into the transcript -> a DOM point in the drawn text (null when that text is not on this page)
function pointAt(root, abs, isEnd) {
  const els = textEls(root).filter((t) => Number(t.dataset.start) <= abs && abs <= Number(t.dataset.end));
  // at the edge of two segments: a start opens the later one, an end closes the earlier one
  const t = isEnd ? els[0] : els[els.length - 1];
  if (!t) return null;
  let left = abs - Number(t.dataset.start);
  const walk = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const chars = [...n.data];
    if (left <= chars.length) return [n, chars.slice(0, left).join('').length];
    left -= chars.length;
  }
  return [t, t.childNodes.length];
}
function selection(component, root, data) {
  const { setTriggerValue } = component;
  const report = () => {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    if (!range.intersectsNode(root)) return;
    const start = offsetOf(root, range.startContainer, range.startOffset, true);
    const end = offsetOf(root, range.endContainer, range.endOffset, false);
    if (start == null || end == null || end <= start) return;
    if (root.dataset.sent === start + ':' + end) return;
    root.dataset.sent = start + ':' + end;
    setTriggerValue('select', { start: start, end: end, n: Date.now() });
  };
  const pending = data.pending || null;
  root.dataset.sent = pending ? pending[0] + ':' + pending[1] : '';
  // the pending selection stays a real selection after the redraw, so Shift+arrows go on extending it
  const editable = (x) => x && (x.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(x.tagName));
  if (pending && !editable(document.activeElement)) {  // never steal the selection of a field being typed in
    const a = pointAt(root, pending[0], false), b = pointAt(root, pending[1], true);
    if (a && b) {
      const r = document.createRange();
      r.setStart(a[0], a[1]);
      r.setEnd(b[0], b[1]);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
    }
  }
  const onUp = () => setTimeout(report, 0);
  const onKeyUp = (e) => {
    if ((e.shiftKey && e.key.startsWith('Arrow')) || e.key === 'Shift') {
      const sel = window.getSelection();
      if (sel && sel.anchorNode && root.contains(sel.anchorNode)) report();
    }
  };
  const onKeyDown = (e) => {
    if (e.key !== 'Escape' || editable(e.target)) return;
    const sel = window.getSelection();
    const mine = sel && sel.anchorNode && root.contains(sel.anchorNode);
    if (!root.dataset.sent && !mine) return;
    if (mine) sel.removeAllRanges();
    root.dataset.sent = '';
    for (const m of root.querySelectorAll('.qc-pend')) m.classList.remove('qc-pend');
    setTriggerValue('clear', { n: Date.now() });
  };
  // one set of listeners per page, however often the list is drawn
  const old = window.__qcodeSpanListeners;
  if (old) {
    old.root.removeEventListener('mouseup', old.onUp);
    document.removeEventListener('keyup', old.onKeyUp, true);
    document.removeEventListener('keydown', old.onKeyDown, true);
  }
  root.addEventListener('mouseup', onUp);
  document.addEventListener('keyup', onKeyUp, true);
  document.addEventListener('keydown', onKeyDown, true);
  window.__qcodeSpanListeners = { root, onUp, onKeyUp, onKeyDown };
}

export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  if (!data) return;
  let root = parentElement.querySelector('.qc-list');
  if (!root) {
    root = document.createElement('div');
    root.className = 'qc-list';
    root.setAttribute('role', 'listbox');
    root.setAttribute('aria-multiselectable', 'true');
    parentElement.appendChild(root);
  }
  root.setAttribute('aria-label', data.aria || '');
  // the list fills the screen below the controls above it (whatever their height), never beyond it
  const fit = () => {
    const list = document.querySelector('.qc-list');
    if (!list) return;
    const top = list.getBoundingClientRect().top + window.scrollY;
    list.style.maxHeight = Math.max(256, window.innerHeight - top - 16) + 'px';
  };
  fit();
  if (!window.__qcodeFit) { window.__qcodeFit = true; window.addEventListener('resize', fit); }
  const selected = new Set(data.selected || []);
  const hits = new Set(data.hits || []);
  const color = (c) => (/^#[0-9a-fA-F]{6}$/.test(c || '') ? c : '#999999');
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  // ---- highlights: the text cut into pieces; a piece under spans gets one underline per code
  const spans = data.spans || [];
  const tint = (c) => 'rgba(' + [1, 3, 5].map((i) => parseInt(color(c).slice(i, i + 2), 16)).join(',') + ',.16)';
  let tip = document.querySelector('.qc-tip');
  if (!tip) { tip = el('div', 'qc-tip'); tip.hidden = true; document.body.appendChild(tip); }
  const showTip = (m) => {
    tip.textContent = m.dataset.tip;
    tip.hidden = false;
    const r = m.getBoundingClientRect();
    tip.style.left = Math.max(4, Math.min(r.left, innerWidth - tip.offsetWidth - 4)) + 'px';
    tip.style.top = (r.top > tip.offsetHeight + 8 ? r.top - tip.offsetHeight - 4 : r.bottom + 4) + 'px';
  };
  const hideTip = () => { tip.hidden = true; };
  const innermost = (on) => on.map((k) => spans[k]).sort((a, b) => (a[1] - a[0]) - (b[1] - b[0]) || a[0] - b[0])[0];
  const cur = data.current || null;
  const textOf = (s) => {
    const t = el('div', 'qc-text');
    t.dataset.start = s.start;
    t.dataset.end = s.end;
    if (!s.pieces) { t.textContent = s.text; return t; }
    for (const [text, on, pend] of s.pieces) {
      if (!on.length && !pend) { t.appendChild(document.createTextNode(text)); continue; }
      const m = el('span', 'qc-hl' + (pend ? ' qc-pend' : ''), text);
      if (on.length) {
        const bands = on.slice(0, 4);
        m.style.boxShadow = bands.map((k, i) => 'inset 0 -' + (3 * (i + 1)) + 'px 0 ' + color(spans[k][5])).join(', ');
        m.style.paddingBottom = (3 * bands.length - 2) + 'px';
        m.style.backgroundColor = tint(spans[on[0]][5]);
        m.dataset.tip = on.map((k) => spans[k][4] + ' \\u2014 ' + spans[k][3]).join('\\n');
        m.setAttribute('aria-label', m.dataset.tip);
        m.addEventListener('mouseenter', () => showTip(m));
        m.addEventListener('mouseleave', hideTip);
        // a part coded only as whole segments: its chips are its controls, a click selects the segment
        const parts = on.filter((k) => !spans[k][7]);
        if (!parts.length) { t.appendChild(m); continue; }
        m.tabIndex = 0;
        m.setAttribute('role', 'button');
        const top = innermost(parts);
        if (cur && parts.some((k) => spans[k][0] === cur[0] && spans[k][1] === cur[1] && spans[k][2] === cur[2]
                                   && spans[k][3] === cur[3])) m.classList.add('qc-cur');
        const open = (e) => {
          e.stopPropagation();
          hideTip();
          setTriggerValue('span', { start: top[0], end: top[1], code: top[2], coder: top[3], n: Date.now() });
        };
        m.addEventListener('click', (e) => {
          if (String(window.getSelection() || '').length > 0) return; // a drag that ended here: a selection
          open(e);
        });
        m.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(e); }
        });
        m.addEventListener('focus', () => showTip(m));
        m.addEventListener('blur', hideTip);
      }
      t.appendChild(m);
    }
    return t;
  };
  const rows = [];
  for (const s of data.segments || []) {
    const row = el('div', 'qc-seg' + (selected.has(s.pos) ? ' sel' : '') + (hits.has(s.pos) ? ' hit' : ''));
    row.dataset.pos = s.pos;
    row.setAttribute('role', 'option');
    row.setAttribute('aria-selected', selected.has(s.pos) ? 'true' : 'false');
    row.appendChild(el('div', 'qc-num', String(s.pos)));
    const body = el('div', 'qc-body');
    if (s.meta) body.appendChild(el('div', 'qc-meta', s.meta));
    body.appendChild(textOf(s));
    if (s.codes && s.codes.length) {
      const chips = el('div', 'qc-chips');
      for (const [id, label, c] of s.codes) {
        const chip = el('span', 'qc-chip');
        chip.dataset.code = id;
        const dot = el('span', 'qc-dot');
        dot.style.background = color(c);
        chip.appendChild(dot);
        chip.appendChild(el('span', null, label));
        const x = el('button', null, '✕');
        x.type = 'button';
        x.title = (data.remove || '') + ' ' + label;
        x.setAttribute('aria-label', x.title);
        x.addEventListener('click', (e) => {
          e.stopPropagation();
          chip.style.opacity = '.35';
          setTriggerValue('remove', { pos: s.pos, code: id, n: Date.now() });
        });
        chip.appendChild(x);
        chips.appendChild(chip);
      }
      body.appendChild(chips);
    }
    if (s.proposals && s.proposals.length) {
      const props = el('div', 'qc-props');
      for (const [id, label, score] of s.proposals) {
        const p = el('span', 'qc-prop', label + ' · ' + score);
        p.dataset.code = id;
        p.title = (data.proposal || '') + ' ' + score;
        props.appendChild(p);
      }
      body.appendChild(props);
    }
    if (s.others) body.appendChild(el('div', 'qc-other', s.others));
    if (s.memo) body.appendChild(el('div', 'qc-memo', (data.memo_label || 'Memo') + ': ' + s.memo));
    row.appendChild(body);
    row.addEventListener('click', (e) => {
      if (window.getSelection && String(window.getSelection()).length > 0) return; // reading, not picking
      const extend = e.shiftKey || !!data.extend;
      // show the choice at once; the server's answer redraws the list
      if (!extend) for (const r of root.querySelectorAll('.qc-seg.sel')) r.classList.remove('sel');
      row.classList.add('sel');
      setTriggerValue('pick', { pos: s.pos, extend: extend, n: Date.now() });
    });
    rows.push(row);
  }
  if (!rows.length) rows.push(el('div', 'qc-empty', data.empty || ''));
  hideTip();
  root.replaceChildren(...rows);
  selection(component, root, data);
  if (data.cursor != null) {
    // keep the selected segment in view, scrolling the list only (never the page); again once the
    // page has settled, since a fresh page lays the list out after this first draw
    const reveal = () => {
      fit();
      const row = root.querySelector('.qc-seg[data-pos="' + Number(data.cursor) + '"]');
      if (!row) return;
      const r = row.getBoundingClientRect(), l = root.getBoundingClientRect();
      if (r.top < l.top) root.scrollTop -= (l.top - r.top) + 8;
      else if (r.bottom > l.bottom) root.scrollTop += (r.bottom - l.bottom) + 8;
    };
    requestAnimationFrame(reveal);
    if (root.dataset.revealed !== String(data.cursor)) {
      root.dataset.revealed = String(data.cursor);
      for (const ms of [150, 500, 1200]) setTimeout(reveal, ms);
    }
  }
}
"""

_component = None
# Tableau 10: colours for codes the codebook gives none (stable: picked by the code id)
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")


def code_colors(codes) -> dict[str, str]:
    """code id -> its colour: the codebook's, else a stable one from :data:`PALETTE`.

    >>> from coding.codebook import Code
    >>> code_colors([Code(id="a", label_sv="A", color="#112233"), Code(id="b", label_sv="B")])["a"]
    '#112233'
    >>> code_colors([Code(id="b", label_sv="B")])["b"] in PALETTE
    True
    """
    import zlib

    return {c.id: c.color if _COLOR.match(c.color or "") else PALETTE[zlib.crc32(c.id.encode()) % len(PALETTE)]
            for c in codes}


def segment_rows(segments, *, mine: dict, theirs: dict, memos: dict, labels: dict[str, str],
                 colors: dict[str, str], page_label: str = "p. {n}", spans: list | None = None,
                 pending: tuple[int, int] | None = None, proposals: dict | None = None) -> list[dict]:
    """What the list draws for each segment: plain strings (control characters removed), never markup.
    ``page_label`` formats the PDF page a segment starts on ("s. {n}" in Swedish). The text is the
    stored text with the same length (``start``/``end``: its offsets in the transcript), so a selection
    maps to exact offsets; ``spans`` (from :func:`ui.span_view.page_spans`) and the ``pending`` text
    selection cut it into ``pieces`` (see :func:`ui.span_view.text_pieces`). ``proposals`` (position ->
    ``[code, label, score]`` rows, :func:`ui.suggestion_panel.proposal_chips`) are a model's suggestions,
    drawn apart from the chips (dashed, with their score)."""
    rows = []
    for seg in segments:
        sid = seg.id
        codes = [[c, remove_controls(labels.get(c, c)), colors.get(c, "") if _COLOR.match(colors.get(c, "") or "")
                  else ""] for c in mine.get(sid, []) if c in labels]
        others = "\n".join(f"{who}: " + ", ".join(labels.get(x, x) for x in their)
                           for who, their in sorted(theirs.get(sid, {}).items()) if their)
        page = getattr(seg, "page", None)
        meta = " · ".join(x for x in (seg.speaker or "", fmt_time(seg.t_start),
                                      page_label.format(n=page) if page else "") if x)
        text = shown_text(seg.text)
        row = {"pos": seg.position, "meta": remove_controls(meta), "text": text, "start": seg.start,
               "end": seg.start + len(text), "codes": codes, "others": remove_controls(others),
               "memo": remove_controls(memos.get(sid) or "")}
        if proposals and proposals.get(seg.position):
            row["proposals"] = [[c, remove_controls(label), score] for c, label, score in proposals[seg.position]]
        if spans or pending:
            pieces = text_pieces(text, seg.start, spans or [], pending)
            if len(pieces) > 1 or pieces[0][1] or pieces[0][2]:
                row["pieces"] = pieces
        rows.append(row)
    return rows


def list_event(name: str) -> dict | None:
    """The value of the list's last ``pick``, ``remove``, ``select``, ``span`` or ``clear`` trigger (None
    when there is none)."""
    value = st.session_state.get(LIST_KEY)
    if value is None:
        return None
    got = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
    return dict(got) if got else None


def segment_list(rows: list[dict], *, selected, hits, cursor, extend: bool, texts: dict[str, str],
                 on_pick, on_remove, spans: list | None = None, pending=None, current=None,
                 on_select=None, on_span=None, on_clear=None) -> None:
    """Mount the list. The callbacks read :func:`list_event`: ``pick`` (pos, extend), ``remove`` (pos,
    code), ``select`` (start, end: a text selection), ``span`` (start, end, code, coder: a highlight
    clicked), ``clear`` (Esc). ``spans`` are the page's highlights (:func:`ui.span_view.page_spans`),
    ``pending`` the text selection waiting for a code, ``current`` the span shown in the side panel."""
    global _component
    if _component is None:
        _component = st.components.v2.component("qcode_segments", css=_CSS, js=_JS, isolate_styles=False)
    noop = _noop
    _component(key=LIST_KEY, data={"segments": rows, "selected": list(selected), "hits": list(hits),
                                   "cursor": cursor, "extend": extend, "spans": spans or [],
                                   "pending": list(pending) if pending else None,
                                   "current": list(current) if current else None, **texts},
               on_pick_change=on_pick, on_remove_change=on_remove, on_select_change=on_select or noop,
               on_span_change=on_span or noop, on_clear_change=on_clear or noop)


def _noop() -> None:
    return None
