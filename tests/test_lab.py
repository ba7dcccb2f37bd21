"""The bundled lab network: the demo, and the first fixture of the whole pipeline."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path

import yaml

from scanner.model import Status
from tests.conftest import FIXTURES, LAB, ROOT, run_cli
from tests.scanhelpers import by_host_and_check, scan_folder

EXPECTED = yaml.safe_load((FIXTURES / "lab_expected.yaml").read_text())


def test_lab_scan_matches_the_expected_verdict_of_every_host_and_check() -> None:
    result = scan_folder(LAB / "snapshots", inventory=LAB)
    found = by_host_and_check(result)
    mismatches = []
    for host, checks in EXPECTED.items():
        for check, status in checks.items():
            finding = found.get((host, check))
            actual = finding.status.value if finding else "missing"
            if actual != status:
                mismatches.append(f"{host} {check}: expected {status}, got {actual} ({finding and finding.message})")
    assert not mismatches, "\n".join(mismatches)
    assert {h.name for h in result.hosts} == set(EXPECTED)


def test_lab_failures_carry_evidence_lines_that_exist_in_the_snapshot() -> None:
    result = scan_folder(LAB / "snapshots", inventory=LAB)
    for finding in result.findings:
        if finding.status is not Status.FAIL:
            continue
        for evidence in finding.evidence:
            assert evidence.path, finding
            lines = Path(evidence.path).read_text().splitlines()
            raw = lines[evidence.line - 1].strip()
            shown = evidence.text.strip()
            if "***" not in shown:
                assert raw == shown, f"{finding.host} {finding.check}: line {evidence.line} is {raw!r}"


def test_netcomply_scan_without_an_inventory_says_how_to_give_one(tmp_path: Path) -> None:
    """A forgotten --inventory is an error naming the ways to give hosts, never a silent demo scan."""
    proc = run_cli("scan", cwd=tmp_path)
    assert proc.returncode == 2
    for option in ("--inventory", "--snapshots", "--demo"):
        assert option in proc.stderr, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr


def test_the_demo_never_enters_the_users_results_database_unless_db_is_given(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    default_db = tmp_path / "xdg" / "netcomply" / "netcomply.db"
    proc = run_cli("scan", "--demo", "-q", "-f", "json", "-o", str(tmp_path / "demo.json"), cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    assert not default_db.exists()
    notes = json.loads((tmp_path / "demo.json").read_text())["summary"]["notes"]
    assert "the demo run is not saved to the results database (give --db to save it)" in notes
    db = tmp_path / "demo.db"
    proc = run_cli("scan", "--demo", "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "d.json"), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    run_id = json.loads((tmp_path / "d.json").read_text())["run"]["id"]
    assert sqlite3.connect(db).execute("SELECT id FROM runs").fetchall() == [(run_id,)]
    both = run_cli("scan", "--demo", "-i", str(LAB), cwd=tmp_path)
    assert both.returncode == 2 and "leave out --inventory" in both.stderr


def test_netcomply_scan_demo_scans_the_lab(tmp_path: Path) -> None:
    proc = run_cli("scan", "--demo", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    for host in EXPECTED:
        assert host in out
    assert "Failures" in out and "hq-acc1" in out and "services.telnet" in out
    assert "show running-config:" in out, "failures show the offending line with its number"
    assert "no ip http server" in out, "failures show the fix"


def test_dev_py_scan_is_the_demo_unless_hosts_are_named() -> None:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert dev.demo_unless_hosts_given([]) == ["--demo"]
    assert dev.demo_unless_hosts_given(["-f", "json"]) == ["--demo", "-f", "json"]
    for named in (["-i", "inv"], ["--inventory=inv"], ["-sconfigs"], ["--snapshots", "s"], ["--demo"]):
        assert dev.demo_unless_hosts_given(named) == named


def test_dev_py_test_runs_on_every_core_unless_the_arguments_choose() -> None:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert dev.parallel_unless_told([]) == ["-n", "auto", "--dist", "loadfile"]
    assert dev.parallel_unless_told(["-q", "tests/test_lab.py"]) == [
        "-n",
        "auto",
        "--dist",
        "loadfile",
        "-q",
        "tests/test_lab.py",
    ]
    for chosen in (["-n", "0"], ["-n0"], ["--numprocesses=3"], ["-p", "no:xdist"]):
        assert dev.parallel_unless_told(chosen) == chosen
