"""Running the real scan engine on snapshot folders, for tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks.frameworks import clauses_by_check
from scanner.engine import HostInput, ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Finding, HostInfo, ScanResult, Severity
from scanner.policy import Policy
from scanner.snapshot import discover


def scan_folder(
    snapshots: Path,
    inventory: Path | None = None,
    policy: Policy | None = None,
    backend: str = "native",
    now: datetime | None = None,
) -> ScanResult:
    hosts = load_inventory(inventory) if inventory else None
    options = ScanOptions(
        policy=policy or Policy.default(),
        backend=backend,  # type: ignore[arg-type]
        fail_on=Severity.LOW,
        now=now or datetime.now(UTC),
        clauses=clauses_by_check(),
    )
    return run_scan(offline_inputs(snapshots, hosts), options)


def scan_snapshot_dir(directory: Path, policy: Policy | None = None, **host_data: Any) -> dict[str, Finding]:
    """Scan one host folder as a host with the given inventory data; findings by check id."""
    source = next(s for s in discover(directory.parent) if s.path == directory)
    host = HostInfo(name=directory.name, data=host_data)
    options = ScanOptions(policy=policy or Policy.default(), clauses=clauses_by_check())
    result = run_scan([HostInput(host=host, snapshot=source.load())], options)
    return {f.check: f for f in result.findings}


def by_host_and_check(result: ScanResult) -> dict[tuple[str, str], Finding]:
    return {(f.host, f.check): f for f in result.findings}
