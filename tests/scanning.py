"""Helpers to scan a snapshot in-process, the way `netcomply scan` does, for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.configtree import Backend
from scanner.engine import HostInput, ScanOptions, run_scan
from scanner.model import Finding, HostInfo, ScanResult
from scanner.policy import Policy
from scanner.snapshot import FLAT_KEY, Snapshot, SnapshotSource

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
    snapshot: Snapshot, data: dict[str, Any] | None = None, platform: str | None = None, backend: Backend = "native"
) -> ScanResult:
    host = HostInfo(name=snapshot.host, platform=platform, data=KEY_DEVICE if data is None else data)
    return run_scan([HostInput(host=host, snapshot=snapshot)], ScanOptions(policy=Policy.default(), backend=backend))


def by_check(result: ScanResult) -> dict[str, Finding]:
    """One finding per check (host checks give one each)."""
    findings: dict[str, Finding] = {}
    for finding in result.findings:
        assert finding.check not in findings, f"two findings for {finding.check}"
        findings[finding.check] = finding
    return findings
