"""The code tree beside the transcript: the codebook as a collapsible tree you can code from.

Each code shows its colour, its label and how often it is used: segments I coded
with it / segments anyone coded with it (a category sums its codes). A click on
a code applies it to the selected segments. Like the segment list, the tree is
one small ``st.components.v2`` element drawn with DOM calls only (labels are
``textContent``, never HTML), so 146 codes cost the page one element, not 146
buttons. Which branches are open is remembered in the browser tab.

:func:`tree_nodes` builds what is drawn (testable without a browser):

>>> from coding.codebook import Code
>>> codes = [Code(id="ff", label_sv="Framgång"), Code(id="ff_a", parent="ff", label_sv="Stöd", color="#112233"),
...          Code(id="ff_b", parent="ff", label_sv="Tid")]
>>> [(n["id"], n["mine"], n["all"], [c["id"] for c in n["children"]]) for n in
...  tree_nodes(codes, {"ff_a": (2, 3)}, {"ff": "Framgång", "ff_a": "Stöd", "ff_b": "Tid"}, {})]
[('ff', 2, 3, ['ff_a', 'ff_b'])]
"""

from __future__ import annotations

import streamlit as st

from coding.textclean import remove_controls

TREE_KEY = "qc_tree"

_CSS = """
.qc-tree { font-size: .86rem; line-height: 1.35; max-height: 22rem; overflow-y: auto; }
.qc-tree details { margin-left: .55rem; }
.qc-tree > details { margin-left: 0; }
.qc-tree summary { cursor: pointer; padding: .08rem 0; color: #333; font-weight: 600; list-style-position: outside; }
.qc-tree .qc-leaf { display: flex; align-items: center; gap: .35rem; width: 100%; text-align: left; border: 0;
  background: transparent; padding: .1rem .3rem; margin-left: .55rem; border-radius: 4px; cursor: pointer;
  font: inherit; color: #222; }
.qc-tree .qc-leaf:hover, .qc-tree .qc-leaf:focus { background: rgba(224, 148, 0, .14); outline: none; }
.qc-tree .qc-leaf[disabled] { cursor: default; color: #555; }
.qc-tree .qc-leaf[disabled]:hover { background: transparent; }
.qc-tree .qc-dot { width: .6rem; height: .6rem; border-radius: 50%; flex: 0 0 auto; }
.qc-tree .qc-name { flex: 1 1 auto; min-width: 0; }
.qc-tree .qc-n { flex: 0 0 auto; font-size: .75rem; color: #777; font-variant-numeric: tabular-nums; }
"""

_JS = """
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  if (!data) return;
  let root = parentElement.querySelector('.qc-tree');
  if (!root) {
    root = document.createElement('div');
    root.className = 'qc-tree';
    root.setAttribute('role', 'tree');
    parentElement.appendChild(root);
  }
  const openKey = 'qcode-tree-open';
  let open;
  try { open = new Set(JSON.parse(sessionStorage.getItem(openKey) || '[]')); } catch (e) { open = new Set(); }
  const color = (c) => (/^#[0-9a-fA-F]{6}$/.test(c || '') ? c : '#999999');
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const count = (n) => el('span', 'qc-n', n.mine + ' / ' + n.all);
  const draw = (node) => {
    if (node.children && node.children.length) {
      const d = el('details');
      d.open = open.has(node.id);
      const s = el('summary');
      s.appendChild(el('span', 'qc-name', node.label));
      s.appendChild(document.createTextNode(' '));
      s.appendChild(count(node));
      d.appendChild(s);
      d.addEventListener('toggle', () => {
        if (d.open) open.add(node.id); else open.delete(node.id);
        try { sessionStorage.setItem(openKey, JSON.stringify([...open])); } catch (e) {}
      });
      for (const c of node.children) d.appendChild(draw(c));
      return d;
    }
    const b = el('button', 'qc-leaf');
    b.type = 'button';
    b.dataset.code = node.id;
    b.title = (node.tip || '');
    b.disabled = !data.can_apply;
    const dot = el('span', 'qc-dot');
    dot.style.background = color(node.color);
    b.appendChild(dot);
    b.appendChild(el('span', 'qc-name', node.label));
    b.appendChild(count(node));
    b.addEventListener('click', () => setTriggerValue('apply', { code: node.id, n: Date.now() }));
    return b;
  };
  root.replaceChildren(...(data.nodes || []).map(draw));
}
"""

_component = None


def tree_nodes(codes, usage: dict[str, tuple[int, int]], labels: dict[str, str], colors: dict[str, str],
               tips: dict[str, str] | None = None) -> list[dict]:
    """The active codes as nested nodes (``id``, ``label``, ``color``, ``mine``, ``all``, ``children``); a
    category's counts are the sums over itself and everything below it."""
    active = [c for c in codes if getattr(c, "active", True)]
    ids = {c.id for c in active}
    kids: dict[str | None, list] = {}
    for c in active:
        parent = getattr(c, "parent_id", None) if hasattr(c, "parent_id") else c.parent
        kids.setdefault(parent if parent in ids else None, []).append(c)

    def node(c, seen) -> dict:
        children = [node(k, seen | {c.id}) for k in kids.get(c.id, []) if k.id not in seen]
        mine, anyone = usage.get(c.id, (0, 0))
        return {"id": c.id, "label": remove_controls(labels.get(c.id, c.id)), "color": colors.get(c.id, ""),
                "tip": remove_controls((tips or {}).get(c.id, "")), "children": children,
                "mine": mine + sum(x["mine"] for x in children), "all": anyone + sum(x["all"] for x in children)}

    return [node(c, {c.id}) for c in kids.get(None, [])]


def tree_event() -> dict | None:
    """The tree's last ``apply`` trigger (``{"code": id}``), or None."""
    value = st.session_state.get(TREE_KEY)
    if value is None:
        return None
    got = value.get("apply") if isinstance(value, dict) else getattr(value, "apply", None)
    return dict(got) if got else None


def code_tree(nodes: list[dict], *, can_apply: bool, on_apply) -> None:
    """Mount the tree; ``on_apply()`` reads :func:`tree_event` when a code is clicked."""
    global _component
    if _component is None:
        _component = st.components.v2.component("qcode_tree", css=_CSS, js=_JS, isolate_styles=False)
    _component(key=TREE_KEY, data={"nodes": nodes, "can_apply": can_apply}, on_apply_change=on_apply)
