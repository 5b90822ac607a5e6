"""A throwaway PostgreSQL cluster for the tests marked ``postgres``.

``pg_cluster()`` runs ``initdb`` in a temporary directory, starts the server on a free loopback
port (its socket in that directory too), creates the database ``posdb``, yields its URL
``postgresql+psycopg://postgres@127.0.0.1:PORT/posdb``, and at the end stops the server and
deletes the directory. Nothing is installed or left behind; no system service is touched.

initdb refuses to run as root, so as root the binaries run as the ``postgres`` OS user
(``runuser -u postgres --``, else ``su postgres -c``) with the directory handed to that user.

Durability is switched off (fsync, synchronous_commit, full_page_writes): the data dies with
the test run anyway, and it makes ``CREATE DATABASE`` per test cheap.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

OS_USER = "postgres"
DATABASE = "posdb"
_START_TRIES = 3


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb, or initdb's dir on PATH."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name))

    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.is_file()]
    if candidates:
        return max(candidates, key=version).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_server_user(argv: Sequence[str]) -> list[str]:
    if os.geteuid() != 0:
        return list(argv)
    if shutil.which("runuser"):
        return ["runuser", "-u", OS_USER, "--", *argv]
    return ["su", OS_USER, "-s", "/bin/sh", "-c", shlex.join(argv)]


def _run(argv: Sequence[str], what: str) -> None:
    done = subprocess.run(
        _as_server_user(argv), capture_output=True, text=True, timeout=120, check=False, cwd="/"
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {done.returncode}): {shlex.join(argv)}\n"
            f"{done.stdout}\n{done.stderr}"
        )


@contextmanager
def pg_cluster() -> Iterator[str]:
    """Start a throwaway cluster and yield the URL of its database ``posdb``."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) not found under "
            "/usr/lib/postgresql/*/bin or on PATH; install the Debian package postgresql "
            "(scripts/ensure_postgres.sh does)"
        )
    root = Path(tempfile.mkdtemp(prefix="desktop-pos-pg-"))
    data = root / "data"
    logfile = root / "server.log"
    started = False
    try:
        if os.geteuid() == 0:
            shutil.chown(root, user=OS_USER, group=None)
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                OS_USER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            "initdb",
        )
        port = 0
        for attempt in range(1, _START_TRIES + 1):
            port = _free_port()
            options = (
                f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            try:
                _run(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-o",
                        options,
                        "-l",
                        str(logfile),
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ],
                    "pg_ctl start",
                )
                started = True
                break
            except RuntimeError as exc:
                if attempt == _START_TRIES:  # the port may have been taken in between: retry
                    log = logfile.read_text(errors="replace")[-2000:] if logfile.exists() else ""
                    raise RuntimeError(f"{exc}\nserver log:\n{log}") from exc
        _run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", OS_USER, DATABASE],
            "createdb",
        )
        yield f"postgresql+psycopg://{OS_USER}@127.0.0.1:{port}/{DATABASE}"
    finally:
        try:
            if started:
                _run(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                    "pg_ctl stop",
                )
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _admin_connection(url: str) -> psycopg.Connection[tuple[object, ...]]:
    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        dbname=parsed.database,
        autocommit=True,
    )


def create_database(url: str, name: str) -> str:
    """Create database ``name`` in the cluster of ``url``; return its URL."""
    with _admin_connection(url) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    """Drop database ``name`` of the cluster of ``url``, closing any connection still open."""
    with _admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
