"""Running the real scan engine on snapshot folders, for tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks.frameworks import clauses_by_check
from scanner.configtree import Backend
from scanner.engine import ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Finding, HostInfo, ScanResult, Severity
from scanner.policy import Policy
from scanner.snapshot import FLAT_KEY, HostInput, Snapshot, SnapshotSource


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


PLATFORM_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "platforms"
# Host data that makes every host check apply (power.redundant needs a key device).
KEY_DEVICE = {"role": "core", "critical": True}


def load_snapshot(directory: Path) -> Snapshot:
    return SnapshotSource(directory.name, directory, flat=False).load()


def flat_snapshot(path: Path) -> Snapshot:
    """A single config file, as a flat folder (RANCID, Oxidized) gives it: no platform named."""
    return SnapshotSource(path.stem, path, flat=True).load()


def text_snapshot(host: str, command: str, text: str, platform: str | None = None) -> Snapshot:
    return Snapshot(host=host, platform=platform, outputs={command or FLAT_KEY: text})


def scan(
    snapshot: Snapshot,
    data: dict[str, Any] | None = None,
    platform: str | None = None,
    backend: Backend = "native",
    policy: Policy | None = None,
) -> ScanResult:
    """Scan one snapshot in-process, the way `netcomply scan` does, as a host with ``data``."""
    host = HostInfo(name=snapshot.host, platform=platform, data=KEY_DEVICE if data is None else data)
    options = ScanOptions(policy=policy or Policy.default(), backend=backend, clauses=clauses_by_check())
    return run_scan([HostInput(host=host, snapshot=snapshot)], options)


def by_check(result: ScanResult) -> dict[str, Finding]:
    """One finding per check (host checks give one each)."""
    findings: dict[str, Finding] = {}
    for finding in result.findings:
        assert finding.check not in findings, f"two findings for {finding.check}"
        findings[finding.check] = finding
    return findings


def scan_snapshot_dir(directory: Path, policy: Policy | None = None, **host_data: Any) -> dict[str, Finding]:
    """Scan one host folder as a host with the given inventory data; findings by check id."""
    return by_check(scan(load_snapshot(directory), host_data, policy=policy))


def by_host_and_check(result: ScanResult) -> dict[tuple[str, str], Finding]:
    return {(f.host, f.check): f for f in result.findings}
