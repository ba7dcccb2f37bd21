"""The bundled lab network: the demo, and the first fixture of the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import yaml

from scanner.model import Status
from tests.conftest import FIXTURES, LAB, run_cli
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


def test_netcomply_scan_with_no_arguments_scans_the_lab(tmp_path: Path) -> None:
    proc = run_cli("scan", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    for host in EXPECTED:
        assert host in out
    assert "Failures" in out and "hq-acc1" in out and "services.telnet" in out
    assert "show running-config:" in out, "failures show the offending line with its number"
    assert "no ip http server" in out, "failures show the fix"
