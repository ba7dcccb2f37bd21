"""A real PostgreSQL server for store tests: a throwaway cluster on a free 127.0.0.1 port.

Debian's ``postgresql`` package provides initdb/pg_ctl and the ``postgres`` user (the
server refuses to run as root, so the cluster belongs to that user). The fixture skips,
saying why, where the server or the psycopg driver is missing; CI installs both.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SERVER_USER = "postgres"


def _binary(name: str) -> str | None:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("the psycopg driver is not installed (pip install -e '.[test]')")
    try:
        owner = pwd.getpwnam(SERVER_USER)
    except KeyError:
        pytest.skip(f"no {SERVER_USER} user to own the test cluster (Debian package postgresql creates it)")
    if os.geteuid() != 0 and os.geteuid() != owner.pw_uid:
        pytest.skip(f"the test cluster runs as {SERVER_USER}: run the tests as root or as {SERVER_USER}")

    # Not under pytest's own temporary tree: its parents are private to root, and the
    # server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="netcomply-pg-"))
    os.chmod(root, 0o755)
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    for path in (root, sockets):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def as_server(*args: str) -> subprocess.CompletedProcess[str]:
        command = list(args) if os.geteuid() == owner.pw_uid else ["runuser", "-u", SERVER_USER, "--", *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=root)

    init = as_server(initdb, "-D", str(data), "-U", "netcomply", "--auth=trust", "-E", "UTF8", "--no-sync")
    assert init.returncode == 0, init.stderr
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    start = as_server(pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "start")
    assert start.returncode == 0, start.stderr + (root / "server.log").read_text(errors="replace")
    try:
        yield f"postgresql+psycopg://netcomply@127.0.0.1:{port}/postgres"
    finally:
        as_server(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)
