"""One scan of a scope at a time: overlapping cron jobs must not run the same scan together.

The lock lives with the store, so every program sharing the store sees it:

* SQLite file: an ``flock`` on a file beside the database
  (``netcomply.db.<scope>.lock``). The kernel drops it when the process dies, so a
  crashed scan never leaves a stale lock.
* PostgreSQL: a session advisory lock (``pg_try_advisory_lock``), held on a
  connection kept open for the scan; dropped by the server when that connection ends.
* MySQL / MariaDB: ``GET_LOCK``, the same way.
* Any other database: a row in ``scan_locks`` (its primary key is the scope). A row
  older than ``stale_after`` is taken over, since nothing can release a row for a
  process that died.

The holder's process id, host name and start time go into the lock, so the second
scan can say who holds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import IntegrityError

from scanner.store import Store, schema

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class LockBusy(Exception):
    """Another scan of the same scope holds the lock."""


def _owner() -> str:
    return f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC).isoformat(timespec='seconds')}"


def advisory_key(scope_key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"netcomply:{scope_key}".encode()).digest()[:8], "big", signed=True)


def lock_method(store: Store) -> str:
    if store.sqlite_path is not None and fcntl is not None:
        return "file"
    backend = store.url.get_backend_name()
    if backend == "postgresql":
        return "postgresql"
    if backend in ("mysql", "mariadb"):
        return "mysql"
    if backend == "sqlite" and store.sqlite_path is None:
        return "none"
    return "row"


@contextlib.contextmanager
def scan_lock(
    store: Store,
    scope_key: str,
    *,
    wait: float = 0.0,
    method: str | None = None,
    stale_after: timedelta = timedelta(hours=12),
) -> Iterator[None]:
    """Hold the scan lock of ``scope_key`` for the ``with`` block; :class:`LockBusy` after ``wait`` seconds."""
    method = method or lock_method(store)
    if method == "none":  # an in-memory database is private to this process
        yield
        return
    acquire = {"file": _file_lock, "postgresql": _pg_lock, "mysql": _mysql_lock, "row": _row_lock}[method]
    with acquire(store, scope_key, wait, stale_after):
        yield


def _poll(try_once: Any, wait: float) -> Any:
    deadline = time.monotonic() + wait
    while True:
        outcome = try_once()
        if outcome is not None:
            return outcome
        if time.monotonic() >= deadline:
            return None
        time.sleep(min(0.5, max(0.05, deadline - time.monotonic())))


def lock_file_path(store: Store, scope_key: str) -> Path:
    path = store.sqlite_path
    assert path is not None
    return path.with_name(f"{path.name}.{scope_key}.lock")


@contextlib.contextmanager
def _file_lock(store: Store, scope_key: str, wait: float, _stale: timedelta) -> Iterator[None]:
    path = lock_file_path(store, scope_key)
    handle = path.open("a+", encoding="utf-8")
    try:

        def try_once() -> bool | None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return None
            return True

        if _poll(try_once, wait) is None:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockBusy(f"another scan of the same inventory is running ({holder}; lock file {path})")
        handle.seek(0)
        handle.truncate()
        handle.write(_owner() + "\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    finally:
        handle.close()


@contextlib.contextmanager
def _pg_lock(store: Store, scope_key: str, wait: float, _stale: timedelta) -> Iterator[None]:
    key = advisory_key(scope_key)
    with store.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        got = _poll(
            lambda: True if conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar() else None, wait
        )
        if got is None:
            raise LockBusy(f"another scan of the same inventory is running (PostgreSQL advisory lock {key} is held)")
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})


@contextlib.contextmanager
def _mysql_lock(store: Store, scope_key: str, wait: float, _stale: timedelta) -> Iterator[None]:
    name = f"netcomply:{scope_key}"
    with store.engine.connect() as conn:
        got = conn.execute(text("SELECT GET_LOCK(:n, :w)"), {"n": name, "w": int(wait)}).scalar()
        if got != 1:
            raise LockBusy(f"another scan of the same inventory is running (MySQL lock {name} is held)")
        try:
            yield
        finally:
            conn.execute(text("SELECT RELEASE_LOCK(:n)"), {"n": name})


@contextlib.contextmanager
def _row_lock(store: Store, scope_key: str, wait: float, stale_after: timedelta) -> Iterator[None]:
    table = schema.scan_locks
    owner = _owner()

    def try_once() -> bool | None:
        now = datetime.now(UTC)
        try:
            with store.engine.begin() as conn:
                row = conn.execute(select(table.c.acquired_at).where(table.c.scope_key == scope_key)).first()
                if row is not None and datetime.fromisoformat(row.acquired_at) < now - stale_after:
                    conn.execute(delete(table).where(table.c.scope_key == scope_key))
                conn.execute(insert(table).values(scope_key=scope_key, owner=owner, acquired_at=now.isoformat()))
        except IntegrityError:
            return None
        return True

    if _poll(try_once, wait) is None:
        with store.engine.connect() as conn:
            holder = conn.execute(select(table.c.owner).where(table.c.scope_key == scope_key)).scalar()
        raise LockBusy(
            f"another scan of the same inventory is running ({holder or 'unknown holder'}; database lock row)"
        )
    try:
        yield
    finally:
        with store.engine.begin() as conn:
            conn.execute(delete(table).where((table.c.scope_key == scope_key) & (table.c.owner == owner)))
