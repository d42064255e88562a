"""Where the app keeps what it must remember: the project path, the coder, the language.

* The project comes from ``streamlit run app.py -- --project FILE`` (or a URL:
  ``sqlite:///FILE``, ``postgresql://USER@HOST/DB?schema=NAME``), the
  environment variable ``QCODE_PROJECT``, a project the user opened in this tab,
  the last project opened on this machine, or the demo project (built on first start).
  A project file is a :class:`~pathlib.Path`, a project on PostgreSQL a :class:`ProjectURL`;
  the pages show either with :func:`shown`, which never shows a password.
* On a local machine the coder's name (per project) and the UI language are
  remembered in a small JSON file (``~/.config/qcode/app.json``; the folder can be
  moved with ``QCODE_CONFIG_DIR``).
* When the app is served beyond localhost (a client that is not on the loopback
  address, or ``QCODE_SIGNIN=1`` for deployments behind a proxy), coders sign in with
  a password and nothing is remembered on the server for them.

Each script run, fragment run and callback opens the project itself with
:func:`open_project` and closes it at the end (one SQLite connection per run).
"""

from __future__ import annotations

import json
import ipaddress
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import streamlit as st

from coding import Project
from coding.store.url import Location, parse_location

DEMO_FILE = "demo.qcode"
LANGS = ("sv", "en")


# ------------------------------------------------------------ local config

def config_path() -> Path:
    base = os.environ.get("QCODE_CONFIG_DIR")
    folder = Path(base) if base else Path.home() / ".config" / "qcode"
    return folder / "app.json"


def load_config() -> dict:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_config(**changes) -> None:
    """Merge ``changes`` into the local config file (silently skipped if it cannot be written)."""
    data = load_config()
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path = config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


# ------------------------------------------------------------ project path

class ProjectURL(str):
    """A project on PostgreSQL as the app passes it around: the URL itself (what :meth:`Project.open` is
    given; it stays on the server) with the few things the pages ask of a project file's path.

    >>> url = ProjectURL("postgresql://anna:secret@localhost/qual?schema=study")
    >>> url.name, url.stem, url.where
    ('study', 'study', 'postgresql://anna:***@localhost/qual?schema=study')
    """

    @property
    def location(self) -> Location:
        return parse_location(str(self))

    @property
    def where(self) -> str:
        """The URL without its password (what may be shown)."""
        return self.location.redacted()

    @property
    def name(self) -> str:
        return self.location.schema

    @property
    def stem(self) -> str:
        return self.name

    def resolve(self) -> "ProjectURL":
        return self

    def exists(self) -> bool:
        return True  # known only by connecting: opening the project says whether it is there

    def __repr__(self) -> str:
        return f"ProjectURL({self.where!r})"


def place(value: str | Path) -> Path | ProjectURL:
    """A project as typed (a path, ``sqlite:///FILE`` or ``postgresql://…``) as the app keeps it.

    A malformed URL raises :class:`coding.errors.ProjectProblem` (its message hides any password).

    >>> place("sqlite:///study.qcode"), place("postgresql://anna@localhost/qual")
    (PosixPath('study.qcode'), ProjectURL('postgresql://anna@localhost/qual?schema=qcode'))
    """
    if isinstance(value, (Path, ProjectURL)):
        return value
    text = str(value).strip()
    if "://" not in text:
        return Path(text).expanduser()
    location = parse_location(text)
    return ProjectURL(text) if location.is_postgresql else location.path.expanduser()


def shown(path: Path | ProjectURL | str) -> str:
    """The project as it may be shown on a page: a file's path, or the URL without its password."""
    if isinstance(path, ProjectURL):
        return path.where
    if isinstance(path, str) and "://" in path:
        try:
            return parse_location(path).redacted()
        except Exception:
            return "postgresql://…"
    return str(path)


def project_key(path: Path | ProjectURL | str) -> str:
    """The key of a project in the local config (coders per project): a file's resolved path, or the
    URL without its password."""
    path = place(path)
    return path.where if isinstance(path, ProjectURL) else str(Path(path).resolve())


def _rememberable(path: Path | ProjectURL) -> bool:
    """Whether the project may be written to the config file: never a URL that carries a password."""
    return not isinstance(path, ProjectURL) or "***" not in path.where

def project_from_argv(argv: list[str] | None = None) -> str | None:
    """The value of ``--project FILE`` or ``--project=FILE`` in the script's arguments."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--project" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--project="):
            return arg.split("=", 1)[1]
    return None


def given_project() -> str | None:
    """The project named on the command line or in ``QCODE_PROJECT`` (None if neither)."""
    return project_from_argv() or os.environ.get("QCODE_PROJECT") or None


def project_path() -> Path | None:
    """The project this tab works on, or None when the demo has yet to be built."""
    chosen = st.session_state.get("qc_project")
    if chosen:
        return place(chosen)
    given = given_project()
    if given:
        return place(given)
    if not is_remote():
        last = load_config().get("last_project")
        if last and "://" in last:
            try:
                return place(last)
            except Exception:  # a location an older or newer qcode wrote: ignore it
                pass
        elif last and Path(last).exists():
            return Path(last)
    demo = Path(DEMO_FILE).resolve()
    return demo if demo.exists() else None


def demo_path() -> Path:
    return Path(DEMO_FILE).resolve()


def choose_project(path: str | Path) -> None:
    """Work on ``path`` (a file or a URL) in this tab from now on (and remember it on a local machine, unless
    its URL carries a password)."""
    path = place(path)
    value = str(path) if isinstance(path, ProjectURL) else str(Path(path).resolve())
    st.session_state["qc_project"] = value
    for key in [k for k in st.session_state if k.startswith("qc_") and k != "qc_project"
                and k not in ("qc_lang",)]:
        del st.session_state[key]
    if not is_remote() and _rememberable(path):
        save_config(last_project=value)


@contextmanager
def open_project(path: str | Path) -> Iterator[Project]:
    """Open the project for one script run or callback and close it afterwards."""
    project = Project.open(path)
    try:
        yield project
    finally:
        project.close()


# ------------------------------------------------------------ who and where

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
SESSION_HOURS = 8  # a remote sign-in lasts this long without use (QCODE_SESSION_HOURS)


def is_remote() -> bool:
    """Whether coders must sign in with a password.

    Local (password-free, owner rights on a project without owner) only when the browser is
    on this machine (loopback peer address), the page was asked for under a local host name
    (a foreign name resolving to 127.0.0.1 is DNS rebinding) and no proxy forwarded the
    request. ``QCODE_SIGNIN=1`` always asks for a password (a proxy on the same machine, an
    SSH tunnel); ``make run ADDRESS=0.0.0.0`` sets it.
    """
    if os.environ.get("QCODE_SIGNIN", "").strip().lower() in ("1", "true", "yes", "on"):
        return True
    try:
        ip = st.context.ip_address  # None for 127.0.0.1 and ::1
        headers = st.context.headers
    except Exception:  # no client context (e.g. bare script runs)
        return False
    if isinstance(ip, str) and bool(ip) and not is_loopback(ip):
        return True
    if headers is None or not hasattr(headers, "get"):
        return False
    if any(isinstance(headers.get(h), str) and headers.get(h) for h in ("X-Forwarded-For", "X-Real-Ip", "Forwarded")):
        return True
    host = headers.get("Host")
    return isinstance(host, str) and bool(host.strip()) and _host_name(host.strip().lower()) not in LOCAL_HOSTS


def _host_name(host: str) -> str:
    """The Host header without its port: ``localhost:8501`` -> ``localhost``, ``[::1]:8501`` -> ``[::1]``."""
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def client_address() -> str | None:
    """The browser's address as the server sees it (for the audit log of sign-ins)."""
    try:
        headers = st.context.headers
        forwarded = headers.get("X-Forwarded-For") if headers is not None else None
        address = st.context.ip_address
    except Exception:
        return None
    for value in (forwarded, address):
        if isinstance(value, str) and value:
            return value[:100]
    return "local"


def session_expired() -> bool:
    """Whether this tab's remote sign-in has been unused for longer than :data:`SESSION_HOURS`."""
    import time

    try:
        hours = float(os.environ.get("QCODE_SESSION_HOURS", SESSION_HOURS))
    except ValueError:
        hours = SESSION_HOURS
    now = time.time()
    last = st.session_state.get("qc_seen_at")
    st.session_state["qc_seen_at"] = now
    return last is not None and now - last > hours * 3600


def is_loopback(ip: str) -> bool:
    """Whether ``ip`` is this machine (also ``::ffff:127.0.0.1``, what a dual-stack server sees)."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def language() -> str:
    lang = st.session_state.get("qc_lang")
    if lang not in LANGS:
        lang = load_config().get("lang") if not is_remote() else None
        lang = lang if lang in LANGS else "sv"
        st.session_state["qc_lang"] = lang
    return lang


def set_language(lang: str) -> None:
    if lang in LANGS:
        st.session_state["qc_lang"] = lang
        if not is_remote():
            save_config(lang=lang)


def remembered_coder(path: Path | ProjectURL) -> str | None:
    if is_remote():
        return None
    return (load_config().get("coders") or {}).get(project_key(path))


def set_coder(path: Path, name: str | None) -> None:
    """Make ``name`` the coder of this tab (remembered per project on a local machine)."""
    if name:
        st.session_state["qc_coder"] = name
    else:
        st.session_state.pop("qc_coder", None)
    if not is_remote():
        save_config(coders={project_key(path): name})


@dataclass(frozen=True)
class Ctx:
    """What every page needs to know about this run."""

    path: Path | ProjectURL  # a project file, or a project on PostgreSQL (show it with shown())
    coder: str | None
    lang: str
    remote: bool
    is_owner: bool
    can_admin: bool  # may add coders, change settings and edit the codebook


def ctx() -> Ctx:
    return st.session_state["qc_ctx"]
