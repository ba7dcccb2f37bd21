"""SARIF 2.1.0 for code-scanning tools: a rule per check, a result per finding.

A result's location is the snapshot (or backup) file that holds the evidence and
the line in it, relative to the snapshot folder (``uriBaseId`` SNAPSHOTS) when it
lies inside it. Failures have level error/warning/note by severity; a waived failure
carries a suppression with the waiver's reason and expiry; passes and not-applicable
verdicts are results of kind ``pass`` / ``notApplicable``. Hosts that could not be
judged are tool execution notifications, as SARIF intends for analysis errors.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from reports import RenderOptions, renderer
from scanner.model import Evidence, Finding, ScanResult, Severity, Status

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/netcomply/netcomply"
BASE_ID = "SNAPSHOTS"

_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads properties.security-severity (0.0-10.0) to rank alerts.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


@lru_cache(maxsize=4096)
def _uri(path_text: str, base: Path | None) -> tuple[str, str | None]:
    """(uri, uriBaseId) of a snapshot file: relative to the snapshot folder when inside it."""
    path = Path(path_text)
    if base is not None:
        try:
            return path.resolve().relative_to(base).as_posix(), BASE_ID
        except ValueError:
            pass
    return (path.resolve().as_uri() if path.is_absolute() or base is not None else path.as_posix()), None


def _artifact(evidence: Evidence, base: Path | None) -> dict[str, Any]:
    uri, base_id = _uri(evidence.path or "", base)
    return {"uri": uri, "uriBaseId": base_id} if base_id else {"uri": uri}


def _location(evidence: Evidence, host: str, base: Path | None) -> dict[str, Any]:
    host = evidence.host or host
    location: dict[str, Any] = {
        "logicalLocations": [{"name": host, "fullyQualifiedName": f"{host}/{evidence.source}", "kind": "device"}]
    }
    if evidence.path:
        region: dict[str, Any] = {"snippet": {"text": evidence.text}}
        if evidence.line >= 1:
            region["startLine"] = evidence.line
        location["physicalLocation"] = {"artifactLocation": _artifact(evidence, base), "region": region}
    location["message"] = {"text": f"{evidence.where}: {evidence.text}"}
    return location


def _fingerprint(f: Finding) -> str:
    return hashlib.sha256(f"{f.host}\0{f.check}\0{f.status.value}".encode()).hexdigest()[:32]


def _result(f: Finding, rule_index: dict[str, int], base: Path | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.check,
        "message": {"text": f"{f.host}: {f.message}"},
        "partialFingerprints": {"netcomplyHostCheck/v1": _fingerprint(f)},
        "properties": {"host": f.host, "platform": f.platform, "status": f.status.value},
    }
    if f.check in rule_index:
        out["ruleIndex"] = rule_index[f.check]
    if f.status is Status.FAIL or f.status is Status.WAIVED:
        out["kind"] = "fail"
        out["level"] = _LEVEL[f.severity]
    elif f.status is Status.PASS:
        out["kind"] = "pass"
        out["level"] = "none"
    else:
        out["kind"] = "notApplicable"
        out["level"] = "none"
    locations = [_location(e, f.host, base) for e in f.evidence]
    out["locations"] = locations or [
        {"logicalLocations": [{"name": f.host, "fullyQualifiedName": f.host, "kind": "device"}]}
    ]
    if f.remediation:
        out["properties"]["remediation"] = list(f.remediation)
    if f.status is Status.WAIVED and f.waiver is not None:
        out["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{f.waiver.reason} (until {f.waiver.expires.isoformat()})",
            }
        ]
    return out


@renderer("sarif", extension="sarif", description="SARIF 2.1.0: a rule per check, a result per finding")
def render_sarif(result: ScanResult, options: RenderOptions) -> str:
    snapshots = result.run.inputs.get("snapshots")
    base = Path(snapshots).resolve() if snapshots else None
    if base is not None and base.is_file():
        base = base.parent
    rules = []
    for c in result.checks:
        tags = ["security", "compliance", *(f"{fw}:{item}" for fw, items in c.clauses.items() for item in items)]
        rules.append(
            {
                "id": c.id,
                "name": "".join(part.capitalize() for part in c.id.replace(".", "_").split("_")),
                "shortDescription": {"text": c.title},
                "fullDescription": {"text": c.rationale or c.title},
                "help": {"text": c.rationale or c.title},
                "defaultConfiguration": {"level": _LEVEL[c.severity]},
                "properties": {"tags": tags, "security-severity": _SECURITY_SEVERITY[c.severity]},
            }
        )
    rule_index = {c.id: i for i, c in enumerate(result.checks)}
    results = [_result(f, rule_index, base) for f in result.findings if f.status is not Status.ERROR]
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{f.host}: {f.check}: {f.message}"},
            "descriptor": {"id": f.check},
            "locations": [{"logicalLocations": [{"name": f.host, "fullyQualifiedName": f.host, "kind": "device"}]}],
        }
        for f in result.findings
        if f.status is Status.ERROR
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "netcomply",
                "version": result.run.version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": f"netcomply/{result.run.id}"},
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "startTimeUtc": result.run.started.isoformat().replace("+00:00", "Z"),
                **(
                    {"endTimeUtc": result.run.finished.isoformat().replace("+00:00", "Z")}
                    if result.run.finished
                    else {}
                ),
                "exitCode": result.summary.exit_code,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if base is not None:
        run["originalUriBaseIds"] = {BASE_ID: {"uri": base.as_uri() + "/"}}
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    # Compact: SARIF is read by tools, and json's C encoder only runs without indentation (4x faster here).
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
