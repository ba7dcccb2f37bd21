"""Overlapping scans of one inventory: real processes, a real SQLite file, the scan lock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scanner.store import Scope, Store, schema
from scanner.store.lock import LockBusy, scan_lock
from tests.conftest import LAB, ROOT, run_cli

HOLDER = textwrap.dedent(
    """
    import sys
    from scanner.store import Scope, Store
    from scanner.store.lock import scan_lock
    store = Store(sys.argv[1])
    scope = Scope.of(sys.argv[2], sys.argv[3])
    with scan_lock(store, scope.key, method=sys.argv[4]):
        print("held", flush=True)
        sys.stdin.read()
    """
)


def _hold(url: str, method: str = "file") -> subprocess.Popen[str]:
    """A separate process holding the lab's scan lock until its stdin closes."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, str(LAB), str(LAB / "snapshots"), method],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=30)


def _runs(db: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db)
    return conn.execute(
        "SELECT r.id, count(f.id) FROM runs r LEFT JOIN findings f ON f.run_id = r.id GROUP BY r.id"
    ).fetchall()


def test_a_second_scan_of_the_same_inventory_refuses_and_exits_2(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    holder = _hold(f"sqlite:///{db}")
    try:
        proc = run_cli("scan", "-i", str(LAB), "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    finally:
        _release(holder)
    assert proc.returncode == 2, proc.stderr
    assert "another scan of the same inventory is running" in proc.stderr
    assert f"pid {holder.pid}" in proc.stderr, "the message names who holds the lock"
    assert not (tmp_path / "r.json").exists()
    assert _runs(db) == []
    again = run_cli("scan", "-i", str(LAB), "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    assert again.returncode == 1, again.stderr
    assert len(_runs(db)) == 1


def test_a_lock_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    holder = _hold(f"sqlite:///{db}")
    holder.kill()
    holder.wait(timeout=30)
    proc = run_cli("scan", "-i", str(LAB), "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stderr


def test_two_overlapping_scans_with_lock_wait_both_finish_and_nothing_is_lost(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    env = dict(os.environ, NO_COLOR="1")
    command = [
        sys.executable,
        "-m",
        "scanner",
        "scan",
        "-i",
        str(LAB),
        "--db",
        str(db),
        "--lock-wait",
        "120",
        "-q",
        "-f",
        "json",
    ]
    procs = [
        subprocess.Popen(
            [*command, "-o", str(tmp_path / f"r{i}.json")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, err
    rows = _runs(db)
    assert len(rows) == 2
    import json

    expected = {json.loads((tmp_path / f"r{i}.json").read_text())["summary"]["findings"] for i in range(2)}
    assert {count for _id, count in rows} == expected, "each run has all its findings"


def test_scans_of_different_inventories_do_not_block_each_other(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    holder = _hold(f"sqlite:///{db}")
    try:
        proc = run_cli(
            "scan", "--db", str(db), "-s", str(LAB / "snapshots"), "-q", "-f", "json", "-o", str(tmp_path / "r")
        )
    finally:
        _release(holder)
    assert proc.returncode == 1, proc.stderr


def test_the_database_row_lock_used_for_other_databases(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    holder = _hold(url, method="row")
    try:
        key = Scope.of(LAB, LAB / "snapshots").key
        with (
            Store(url) as store,
            pytest.raises(LockBusy, match=f"pid {holder.pid}"),
            scan_lock(store, key, method="row"),
        ):
            pass
    finally:
        _release(holder)
    with Store(url) as store, scan_lock(store, Scope.of(LAB, LAB / "snapshots").key, method="row"):
        pass


def test_a_stale_row_lock_is_taken_over(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'rows.db'}"
    with Store(url) as store:
        old = (datetime.now(UTC) - timedelta(days=2)).isoformat()
        with store.engine.begin() as conn:
            conn.execute(schema.scan_locks.insert().values(scope_key="k", owner="pid 1 on gone", acquired_at=old))
        with scan_lock(store, "k", method="row", stale_after=timedelta(hours=12)):
            with store.engine.connect() as conn:
                owner = conn.execute(schema.scan_locks.select()).one().owner
            assert owner.startswith(f"pid {os.getpid()} ")
        with store.engine.connect() as conn:
            assert conn.execute(schema.scan_locks.select()).all() == []


def test_lock_wait_gives_up_after_the_given_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    with Store(url) as store:
        held = threading.Event()
        release = threading.Event()

        def hold() -> None:
            with Store(url) as other, scan_lock(other, "k", method="row"):
                held.set()
                release.wait(30)

        thread = threading.Thread(target=hold)
        thread.start()
        held.wait(30)
        started = datetime.now(UTC)
        with pytest.raises(LockBusy), scan_lock(store, "k", method="row", wait=0.6):
            pass
        assert datetime.now(UTC) - started >= timedelta(seconds=0.5)
        release.set()
        thread.join(30)
