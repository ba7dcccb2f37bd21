"""The results store on a real PostgreSQL server: migration, round trip, the advisory scan lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from scanner.store import Scope, Store
from scanner.store.lock import advisory_key
from tests.conftest import LAB, ROOT, run_cli
from tests.postgres import postgres_url  # noqa: F401  (fixture)
from tests.scanhelpers import scan_folder


def _fresh_database(url: str, name: str) -> str:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"


def test_an_empty_postgres_database_is_migrated_and_a_run_reads_back(postgres_url: str) -> None:  # noqa: F811
    url = _fresh_database(postgres_url, "roundtrip")
    result = scan_folder(LAB / "snapshots", LAB)
    with Store(url) as store:
        assert {"runs", "findings", "scan_locks", "netcomply_schema"} <= set(inspect(store.engine).get_table_names())
        store.save(result, Scope.of(LAB, LAB / "snapshots"))
        loaded = store.load(result.run.id)
    assert loaded.to_dict() == result.to_dict()
    with Store(url) as again:  # a second program start applies no migration twice
        assert again.load("latest").run.id == result.run.id


HOLDER = """
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
with engine.connect() as conn:
    conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": int(sys.argv[2])})
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_scan_of_the_same_inventory_is_refused_by_the_advisory_lock(
    postgres_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = _fresh_database(postgres_url, "locking")
    key = advisory_key(Scope.of(LAB, LAB / "snapshots").key)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url, str(key)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = run_cli("scan", "-i", str(LAB), "--db", url, "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert refused.returncode == 2, refused.stderr
    assert "another scan of the same inventory is running" in refused.stderr
    plain = url.replace("postgresql+psycopg://", "postgresql://")  # what users type
    done = run_cli("scan", "-i", str(LAB), "--db", plain, "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    assert done.returncode == 1, done.stderr
    listed = run_cli("runs", "--db", url)
    run_id = json.loads((tmp_path / "r.json").read_text())["run"]["id"]
    assert run_id in listed.stdout
