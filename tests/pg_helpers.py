"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` binaries, a fresh cluster in a
temporary folder, a random port on 127.0.0.1, stopped and removed at the end.

``make test`` installs the package when ``initdb``/``pg_ctl`` are missing. Without them the tests fail
with a message in CI (``CI`` set) and are skipped on a developer's machine.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SUPERUSER = "qcode"


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]),
                         reverse=True):
        if os.path.exists(f"{folder}/initdb") and os.path.exists(f"{folder}/pg_ctl"):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_as() -> list[str]:
    """initdb refuses to run as root: run the server as the user ``postgres`` (or ``nobody``) then."""
    if os.getuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"]
    raise RuntimeError("running as root and neither the user postgres nor nobody exists to run PostgreSQL")


class Server:
    """One running cluster; :attr:`url` connects as the superuser ``qcode`` (trust authentication)."""

    def __init__(self, binaries: Path):
        self.bin = binaries
        self.prefix = _run_as()
        self.folder = Path(tempfile.mkdtemp(prefix="qcode-pg-"))
        if self.prefix:
            os.chown(self.folder, pwd.getpwnam(self.prefix[2]).pw_uid, -1)
        self.data = self.folder / "data"
        self.port = _free_port()
        self.url = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _cmd(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.prefix, *args], capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        self._cmd(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                  "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        deadline = time.monotonic() + 30
        import psycopg

        while True:
            try:
                psycopg.connect(self.url, connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.data.exists():
            self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def database(self, name: str) -> str:
        """Create a database ``name`` and return its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"


    def writing_transactions(self, database: str) -> list[tuple[int, str]]:
        """(backend pid, state) of the sessions on ``database`` inside a transaction that has written
        something (it holds a transaction id): e.g. an import between its first insert and its commit."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute("SELECT pid, state FROM pg_stat_activity WHERE datname = %s "
                                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()", (database,)).fetchall()


def start_server() -> Server:
    """Start a throwaway server, or fail (in CI) / skip (elsewhere) when PostgreSQL is not installed."""
    binaries = find_binaries()
    if binaries is None:
        message = ("PostgreSQL is not installed (initdb/pg_ctl not found): `make test` installs Debian's "
                   "postgresql package, or run `apt-get install postgresql`")
        if os.environ.get("CI", "").lower() not in ("", "0", "false"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    server = Server(binaries)
    try:
        server.start()
    except BaseException:
        log = server.folder / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        server.stop()
        raise RuntimeError(f"could not start the throwaway PostgreSQL server\n{detail}") from None
    return server


_databases = iter(range(1, 10_000))


def new_database(server: Server) -> str:
    """A new, empty database on ``server`` (its URL), so tests never see each other's schemas."""
    return server.database(f"t{os.getpid()}_{next(_databases)}")

