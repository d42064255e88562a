"""Helpers for the app tests, the browser tests and bench/bench_app.py.

They build real project files (real SQLite, real import pipeline) and start the
real app with ``streamlit run``; nothing is mocked.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coding import Project  # noqa: E402
from coding.codebook import apply_codebook, load_codebook, parse_yaml  # noqa: E402
from coding.coders import add_coder  # noqa: E402

CODEBOOK_YAML = """\
codebook:
  name: Test SE/IPS
codes:
  - id: ff
    label_sv: Framgångsfaktorer
    label_en: Success factors
    children:
      - id: ff_forankring
        label_sv: Förankring i ledningen
        label_en: Anchoring in management
        definition: Ledningen står bakom SE och har beslutat om arbetssättet.
        include: Chefer eller politiker som uttryckligen stöder SE.
        exclude: Allmän välvilja utan beslut (koda inte).
        example: "Vår chef var med från början."
        color: "#2e7d32"
      - id: ff_natverk
        label_sv: Stöd i SE-nätverk
        label_en: Support in the SE network
        definition: Coachen får stöd av andra coacher i ett nätverk.
      - id: ff_pengar
        label_sv: Ekonomiskt stöd från Samordningsförbund
        label_en: Funding from the coordination association
  - id: hi
    label_sv: Hinder
    label_en: Obstacles
    children:
      - id: hi_ensam
        label_sv: Ensam position som SE-coach
        label_en: Lonely SE-coach role
        definition: Coachen arbetar ensam med SE utan kollegor i samma roll.
      - id: hi_tid
        label_sv: Brist på tid
        label_en: Lack of time
"""

INTERVIEW = """\
Intervjuare: Hur började arbetet med SE? Berätta gärna.
SE-coach: Vi fick pengar från Samordningsförbundet. Det var avgörande.
Sen var jag ganska ensam i rollen, det var tungt.
Intervjuare: Hade du stöd någonstans?
SE-coach: Ja, i SE-nätverket träffade jag andra coacher. Där fick jag råd!
Intervjuare: Och ledningen?
SE-coach: Vår chef stod bakom förankringen från början. Det gjorde skillnad.
"""

# Text that must be shown literally (never as HTML or Markdown).
HOSTILE = """\
Intervjuare: <script>alert('x')</script> Vad hände sen?
SE-coach: <img src=x onerror=alert(1)> och [klicka här](javascript:alert(2)) samt **fet** text.
"""


def write_long_vtt(path: Path, n_segments: int = 1500) -> Path:
    """A WebVTT interview of ``n_segments`` sentences (two per cue, alternating speakers), ~2 hours."""
    assert n_segments % 2 == 0
    lines = ["WEBVTT", ""]
    t = 0.0
    for i in range(n_segments // 2):
        who = "Intervjuare" if i % 2 == 0 else "SE-coach"
        a = f"Det här är mening {2 * i + 1} om arbetet med förankring och stöd i kommunen."
        b = f"Vi pratade också om tid och nätverk, fortsättning {2 * i + 2}."
        start, end = t, t + 9.5
        lines += [f"{_ts(start)} --> {_ts(end)}", f"<v {who}>{a} {b}", ""]
        t += 10.0
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _ts(seconds: float) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"


def make_project(path: Path, *, long_segments: int = 0, hostile: bool = False, coders=("anna", "bertil"),
                 owner: str | None = "anna", passwords: dict[str, str] | None = None,
                 codebook: Path | None = None, sources: Path | None = None):
    """Create a project file with the test codebook (or ``codebook``), a short interview (and optionally
    a long one). ``path`` may be a PostgreSQL URL (a str) too; the interviews are then written to
    ``sources``."""
    if not (isinstance(path, str) and "://" in path):
        path = Path(path)
    folder = sources or path.parent / (path.stem + "-sources")
    folder.mkdir(exist_ok=True)
    files = []
    short = folder / "aneby_se-coach.txt"
    short.write_text(INTERVIEW, encoding="utf-8")
    files.append(short)
    chef = folder / "eksjo_chef.txt"
    chef.write_text(INTERVIEW.replace("SE-coach", "Chef").replace("Samordningsförbundet", "kommunen"),
                    encoding="utf-8")
    files.append(chef)
    if hostile:
        bad = folder / "hostile.txt"
        bad.write_text(HOSTILE, encoding="utf-8")
        files.append(bad)
    if long_segments:
        files.append(write_long_vtt(folder / "lang_intervju.vtt", long_segments))
    with Project.create(path, overwrite=True) as project:
        book = load_codebook(codebook) if codebook else parse_yaml(CODEBOOK_YAML)
        apply_codebook(project.store, book, source=str(codebook or "test.yaml"))
        project.import_files(files, unit="sentence")
        project.set_attributes("aneby_se-coach.txt", {"kommun": "Aneby", "roll": "SE-coach"})
        project.set_attributes("eksjo_chef.txt", {"kommun": "Eksjö", "roll": "Chef"})
        for name in coders:
            add_coder(project.store, name, owner=(name == owner),
                      password=(passwords or {}).get(name))
    return path


# ----------------------------------------------------------------- a real server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(project: Path, *, config_dir: Path, env: dict | None = None, timeout: float = 30,
                     app: Path | None = None):
    """Run ``streamlit run app.py`` (or ``app``) on ``project``; yields the base URL; stops the server
    afterwards."""
    port = free_port()
    app = Path(app or ROOT / "app.py")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--", "--project", str(project)]
    full_env = {**os.environ, "QCODE_CONFIG_DIR": str(config_dir), **(env or {})}
    log = open(config_dir / "streamlit.log", "wb")
    proc = subprocess.Popen(cmd, cwd=str(app.parent), env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("streamlit exited: " + (config_dir / "streamlit.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not become healthy in time")
            time.sleep(0.1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions"]


def require_chromium() -> None:
    """Skip the calling test module when Chromium is missing, but fail in CI (CI=true) so it cannot pass silently."""
    import pytest

    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing in CI: run `make browser` (apt-get install chromium) first",
                    pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing; install it with `make browser` to run the browser tests",
                allow_module_level=True)


# Where character ``abs`` of a transcript is drawn in the segment list: [x, y] of its left or right edge
# (page.evaluate(CHAR_BOX, [abs, 'left'])); the browser tests and bench/bench_spans.py drag between them.
CHAR_BOX = """([abs, side]) => {
  const t = [...document.querySelectorAll('.qc-text')].find(
    (e) => Number(e.dataset.start) <= abs && abs < Number(e.dataset.end));
  let left = abs - Number(t.dataset.start);
  const walk = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const chars = [...n.data];
    if (left < chars.length) {
      const u = chars.slice(0, left).join('').length;
      const r = document.createRange();
      r.setStart(n, u); r.setEnd(n, u + chars[left].length);
      const b = r.getClientRects()[0];
      return [side === 'left' ? b.left + 1 : b.right - 1, b.top + b.height / 2];
    }
    left -= chars.length;
  }
  return null;
}"""
