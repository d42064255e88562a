"""A tiny keyboard helper for the coding screen (an inline ``st.components.v2`` component, offline).

Streamlit's button shortcuts cover most keys (J/K, 1–9, N, U). Two things they
cannot do are done here in ~30 lines of JavaScript that ship with the app:

* ``/`` puts the cursor into the code finder;
* ``Enter`` in the code finder applies the best match *for the text as typed*
  (the text travels with the trigger, so a fast typist never gets the match of
  an older query), then leaves the field so J/K and 1–9 work again; ``Esc``
  leaves the field too.

The component draws nothing. Its Python side is :func:`handle_apply`, a plain
function the tests call directly (AppTest cannot run JavaScript).
"""

from __future__ import annotations

import streamlit as st

FINDER_KEY = "qc_code_q"

_JS = """
export default function (component) {
  const { setTriggerValue } = component;
  const finder = () => document.querySelector('.st-key-%(finder)s input');
  const editable = (el) => el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
  const onKey = (e) => {
    const input = finder();
    if (input && e.target === input) {
      if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        e.stopPropagation();
        setTriggerValue('apply', input.value);
        input.blur();
      } else if (e.key === 'Escape') {
        input.blur();
      }
      return;
    }
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !editable(e.target) && input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  };
  // One listener per page, however often Streamlit mounts or re-renders the component: a second
  // listener would apply the code once more for every Enter (and stack "already applied" toasts).
  if (window.__qcodeKeys) document.removeEventListener('keydown', window.__qcodeKeys, true);
  window.__qcodeKeys = onKey;
  document.addEventListener('keydown', onKey, true);
  return () => {
    document.removeEventListener('keydown', onKey, true);
    if (window.__qcodeKeys === onKey) window.__qcodeKeys = null;
  };
}
""" % {"finder": FINDER_KEY}

_component = None


def keyboard_helper(on_apply) -> None:
    """Mount the (invisible) keyboard helper; ``on_apply(text)`` runs when Enter is pressed in the finder."""
    global _component
    if _component is None:
        _component = st.components.v2.component("qcode_keys", js=_JS, isolate_styles=False)

    def _cb():
        value = st.session_state.get("qc_keys", {})
        text = getattr(value, "apply", None) if not isinstance(value, dict) else value.get("apply")
        if text is not None:
            on_apply(str(text))

    with st.container(key="qc-keys-holder", height=1, border=False):
        _component(key="qc_keys", on_apply_change=_cb)
