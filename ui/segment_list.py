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
* keeps the selected segment in view.

Its Python side is :func:`segment_rows` (what is drawn, testable without a
browser) and the two callbacks passed to :func:`segment_list`.

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
.qc-chip .qc-dot { width: .6rem; height: .6rem; border-radius: 50%; flex: 0 0 auto; }
.qc-chip button { border: 0; background: transparent; cursor: pointer; color: #555; font-size: .8rem;
  padding: 0 .3rem; border-radius: .6rem; line-height: 1.2; }
.qc-chip button:hover, .qc-chip button:focus { background: rgba(0,0,0,.1); color: #000; }
.qc-other, .qc-memo { font-size: .8rem; color: #555; font-style: italic; white-space: pre-wrap; }
.qc-empty { color: #777; font-style: italic; padding: .5rem; }
"""

_JS = """
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
  const rows = [];
  for (const s of data.segments || []) {
    const row = el('div', 'qc-seg' + (selected.has(s.pos) ? ' sel' : '') + (hits.has(s.pos) ? ' hit' : ''));
    row.dataset.pos = s.pos;
    row.setAttribute('role', 'option');
    row.setAttribute('aria-selected', selected.has(s.pos) ? 'true' : 'false');
    row.appendChild(el('div', 'qc-num', String(s.pos)));
    const body = el('div', 'qc-body');
    if (s.meta) body.appendChild(el('div', 'qc-meta', s.meta));
    body.appendChild(el('div', 'qc-text', s.text));
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
  root.replaceChildren(...rows);
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
                 colors: dict[str, str], page_label: str = "p. {n}") -> list[dict]:
    """What the list draws for each segment: plain strings (control characters removed), never markup.
    ``page_label`` formats the PDF page a segment starts on ("s. {n}" in Swedish)."""
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
        rows.append({"pos": seg.position, "meta": remove_controls(meta), "text": remove_controls(seg.text),
                     "codes": codes, "others": remove_controls(others),
                     "memo": remove_controls(memos.get(sid) or "")})
    return rows


def list_event(name: str) -> dict | None:
    """The value of the list's last ``pick`` or ``remove`` trigger (None when there is none)."""
    value = st.session_state.get(LIST_KEY)
    if value is None:
        return None
    got = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
    return dict(got) if got else None


def segment_list(rows: list[dict], *, selected, hits, cursor, extend: bool, texts: dict[str, str],
                 on_pick, on_remove) -> None:
    """Mount the list. ``on_pick()`` / ``on_remove()`` read :func:`list_event` (``pick``: pos, extend;
    ``remove``: pos, code)."""
    global _component
    if _component is None:
        _component = st.components.v2.component("qcode_segments", css=_CSS, js=_JS, isolate_styles=False)
    _component(key=LIST_KEY, data={"segments": rows, "selected": list(selected), "hits": list(hits),
                                   "cursor": cursor, "extend": extend, **texts},
               on_pick_change=on_pick, on_remove_change=on_remove)
