"""Render a Vega-Lite chart to PNG or SVG in a separate process.

vl-convert runs native code that can abort the whole process on input it does
not expect (a control character in a label once crashed the app for every
coder). So the rendering runs in a child process: a crash there becomes a
clear error here, and the server keeps running.

Usage (what :func:`render` runs): ``python -m coding.chart_render png|svg < spec.json > out``
"""

from __future__ import annotations

import subprocess
import sys

from .errors import QcodeError

TIMEOUT_SECONDS = 120


def render(spec_json: str, fmt: str) -> bytes:
    """PNG or SVG bytes of a Vega-Lite spec, rendered by vl-convert in a child process (offline)."""
    if fmt not in ("png", "svg"):
        raise QcodeError(f"cannot save a chart as {fmt!r}; use png or svg")
    try:
        done = subprocess.run([sys.executable, "-m", "coding.chart_render", fmt], input=spec_json.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise QcodeError(f"drawing the chart took longer than {TIMEOUT_SECONDS} s; try fewer rows or codes") from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise QcodeError(f"the chart could not be drawn ({reason[0][:200]})")
    return done.stdout


def main() -> None:
    import vl_convert as vlc

    fmt = sys.argv[1]
    spec = sys.stdin.buffer.read().decode("utf-8")
    out = vlc.vegalite_to_svg(spec).encode("utf-8") if fmt == "svg" else bytes(vlc.vegalite_to_png(spec, scale=2))
    sys.stdout.buffer.write(out)


if __name__ == "__main__":
    main()
