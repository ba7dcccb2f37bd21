"""A backup run as a scan result, so every report format (JSON, console...) can show it.

Each host gets one ``backup.current`` finding: ``pass`` when its backup was stored or
found unchanged, ``error`` (with the reason) when it was refused or not collected.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from checks import get_check
from scanner import __version__
from scanner.backup.run import BackupReport, HostBackup, Outcome
from scanner.model import CheckInfo, Finding, RunInfo, ScanResult, Severity, Status, summarize

CHECK_ID = "backup.current"


def _message(host: HostBackup, report: BackupReport) -> str:
    commit = f" (commit {report.revision.short})" if report.revision else ""
    if host.outcome is Outcome.NEW:
        return f"first backup stored, {host.detail}{commit}"
    if host.outcome is Outcome.CHANGED:
        return f"changed configuration stored, {host.detail} lines{commit}"
    if host.outcome is Outcome.UNCHANGED:
        since = f" since {host.previous.describe()}" if host.previous else ""
        return f"unchanged{since}"
    return f"not backed up: {host.detail}"


def backup_result(report: BackupReport, fail_on: Severity = Severity.LOW) -> ScanResult:
    spec = get_check(CHECK_ID)
    findings = [
        Finding(
            host=h.host.name,
            check=CHECK_ID,
            status=Status.PASS if h.outcome.stored else Status.ERROR,
            severity=spec.severity,
            message=_message(h, report),
            platform=h.platform or h.host.platform,
        )
        for h in report.hosts
    ]
    checks = [CheckInfo(id=spec.id, title=spec.title, severity=spec.severity, rationale=spec.rationale)]
    notes = [f"backup store {report.store}: " + (f"commit {report.revision.rev}" if report.revision else "no commit")]
    return ScanResult(
        run=RunInfo(
            id=f"{report.started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}",
            started=report.started,
            finished=datetime.now(UTC),
            version=__version__,
            inputs={"mode": "backup", "source": report.source, "store": str(report.store)},
        ),
        findings=findings,
        checks=checks,
        hosts=[replace(h.host, platform=h.platform or h.host.platform) for h in report.hosts],
        summary=summarize(findings, checks, fail_on, notes),
        fail_on=fail_on,
    )
