"""The results store on a real SQLite file: migration, round trip, one transaction per run, history."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from scanner.model import Status
from scanner.policy import Policy
from scanner.store import Scope, Store, StoreError, migrations, resolve_url, schema
from scanner.store.migrations import LATEST
from tests.conftest import LAB
from tests.scanhelpers import scan_folder

WAIVER_POLICY = """
waivers:
  - host: hq-core2
    check: power.redundant
    reason: second PSU ordered, change CHG-2291
    expires: 2099-01-31
"""


@pytest.fixture(scope="module")
def lab_result():
    return scan_folder(LAB / "snapshots", LAB, policy=Policy.from_text(WAIVER_POLICY, "test policy"))


@pytest.fixture
def store(tmp_path: Path):
    with Store(f"sqlite:///{tmp_path / 'runs.db'}") as s:
        yield s


SCOPE = Scope.of(LAB, LAB / "snapshots")


def test_an_empty_database_is_migrated_to_the_latest_schema_with_indexes(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    with Store(f"sqlite:///{path}") as s:
        inspector = inspect(s.engine)
        assert {"runs", "findings", "scan_locks", "netcomply_schema"} <= set(inspector.get_table_names())
        indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("findings")}
        assert ("run_id", "seq") in indexed
        assert ("host", "check_id") in indexed
        assert ("check_id", "status") in indexed
    versions = sqlite3.connect(path).execute("SELECT version FROM netcomply_schema ORDER BY version").fetchall()
    assert versions == [(n,) for n in range(1, LATEST + 1)]
    # Opening again applies nothing twice.
    Store(f"sqlite:///{path}").close()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM netcomply_schema").fetchone() == (LATEST,)


def test_a_version_1_database_is_upgraded_and_its_runs_still_read_back(tmp_path: Path, lab_result) -> None:
    """A store written before message keys existed: the migration adds the columns, old findings have no key."""
    path = tmp_path / "v1.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations._v1(conn)
        schema.schema_version.create(conn)
        conn.execute(schema.schema_version.insert().values(version=1, description="v1", applied_at="2026-01-01"))
        conn.execute(
            text(
                "INSERT INTO runs VALUES ('old-run', 'k', 'lab', '2026-01-01T00:00:00+00:00', NULL, '0.1', 'low', 1,"
                " 1, 1, 1, '{}', '{}', '[]', '{}', '[]', '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO findings (run_id, seq, host, check_id, status, severity, message, platform, evidence,"
                " remediation) VALUES ('old-run', 0, 'r1', 'services.http', 'fail', 3, 'web management enabled',"
                " 'cisco_ios', '[]', '[]')"
            )
        )
    engine.dispose()
    with Store(f"sqlite:///{path}") as upgraded:
        old = upgraded.load("old-run")
        assert old.findings[0].message == "web management enabled" and old.findings[0].key is None
        upgraded.save(lab_result, SCOPE)
        new = upgraded.load(lab_result.run.id)
        assert all(f.key for f in new.findings if f.check == "services.http")
    versions = sqlite3.connect(path).execute("SELECT version FROM netcomply_schema ORDER BY version").fetchall()
    assert versions == [(n,) for n in range(1, LATEST + 1)]


def test_a_database_from_a_newer_netcomply_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO netcomply_schema VALUES (99, 'future', '2099-01-01')")
    with pytest.raises(StoreError, match="newer than this netcomply"):
        Store(f"sqlite:///{path}")


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not an SQLite database at all" * 100)
    with pytest.raises(StoreError, match=r"cannot open the store .*corrupt\.db"):
        Store(f"sqlite:///{path}")


def test_a_run_reads_back_exactly_as_the_scan_produced_it(store: Store, lab_result) -> None:
    store.save(lab_result, SCOPE)
    loaded = store.load(lab_result.run.id)
    assert loaded.to_dict() == lab_result.to_dict()
    assert [h.data for h in loaded.hosts] == [dict(h.data) for h in lab_result.hosts]
    waived = [f for f in loaded.findings if f.status is Status.WAIVED]
    assert waived and waived[0].waiver is not None and waived[0].waiver.expires == date(2099, 1, 31)
    assert loaded.fail_on == lab_result.fail_on
    assert any(e.path for f in loaded.findings for e in f.evidence), "evidence keeps its snapshot file"


def test_a_run_is_written_in_one_transaction(store: Store, lab_result, tmp_path: Path) -> None:
    store.save(lab_result, SCOPE)
    with pytest.raises(StoreError, match="cannot save run"):
        store.save(lab_result, SCOPE)  # same run id: the run row fails, so must its findings
    db = sqlite3.connect(tmp_path / "runs.db")
    assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM findings").fetchone() == (len(lab_result.findings),)


def test_run_references_latest_previous_and_prefixes(store: Store, lab_result) -> None:
    first = lab_result
    second = scan_folder(LAB / "snapshots", LAB)
    store.save(first, SCOPE)
    store.save(second, SCOPE)
    assert store.resolve("latest") == second.run.id
    assert store.resolve("previous") == first.run.id
    assert store.resolve(second.run.id) == second.run.id
    assert store.previous(second.run.id) == first.run.id
    assert store.previous(first.run.id) is None
    with pytest.raises(StoreError, match="no run 'nope'"):
        store.resolve("nope")
    assert [r.id for r in store.runs()] == [second.run.id, first.run.id]


def test_a_unique_prefix_names_a_run_and_an_ambiguous_one_is_refused(store: Store, lab_result) -> None:
    store.save(lab_result, SCOPE)
    assert store.resolve(lab_result.run.id[:-3]) == lab_result.run.id
    other = scan_folder(LAB / "snapshots", LAB)
    other.run.id = lab_result.run.id[:-8] + "ffffffff"
    store.save(other, SCOPE)
    with pytest.raises(StoreError, match="ambiguous"):
        store.resolve(lab_result.run.id[:-8])


def test_history_is_kept_per_scanned_inventory(store: Store, lab_result, tmp_path: Path) -> None:
    elsewhere = tmp_path / "copy"
    shutil.copytree(LAB / "snapshots", elsewhere)
    other_scope = Scope.of(None, elsewhere)
    store.save(lab_result, SCOPE)
    other = scan_folder(elsewhere)
    store.save(other, other_scope)
    assert store.previous(other.run.id) is None, "a run of another inventory is not its predecessor"
    assert store.latest(SCOPE.key) == lab_result.run.id


def test_urls_and_paths_resolve_in_the_documented_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETCOMPLY_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'xdg' / 'netcomply' / 'netcomply.db'}"
    assert resolve_url(None, "postgresql://u@db/n") == "postgresql+psycopg://u@db/n", (
        "plain postgresql:// uses the psycopg 3 driver"
    )
    monkeypatch.setenv("NETCOMPLY_DB", str(tmp_path / "env.db"))
    assert resolve_url(None, "postgresql://u@db/n") == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url("sqlite:///x.db", "ignored") == "sqlite:///x.db"
