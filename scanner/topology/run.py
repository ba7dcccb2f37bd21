"""Discover the topology of a set of hosts: parse each snapshot's neighbours, run the topology checks.

The same engine as ``netcomply scan`` (one host at a time, only a small record kept per
host), with only the topology checks enabled, so the diagram shows exactly the graph
and the findings a scan would report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from checks import load_checks
from checks.frameworks import clauses_by_check
from scanner.checkapi import ModelUnavailable
from scanner.engine import Scanner, ScanOptions
from scanner.model import Finding, HostInfo
from scanner.network.topology.graph import Topology, build_topology
from scanner.network.topology.model import TOPOLOGY
from scanner.policy import Policy
from scanner.snapshot import HostInput

TOPOLOGY_FAMILY = "topology"


@dataclass
class TopologyRun:
    topology: Topology
    findings: list[Finding]
    hosts: list[HostInfo]
    host_errors: dict[str, str] = field(default_factory=dict)
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))


def discover(
    inputs: Iterable[HostInput],
    policy: Policy,
    attachments: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> TopologyRun:
    """Parse every host of ``inputs`` and run the enabled topology checks once over the network."""
    options = ScanOptions(
        policy=policy,
        now=now or datetime.now(UTC),
        clauses=clauses_by_check(),
        network_attachments=dict(attachments or {}),
    )
    specs = [s for s in load_checks() if s.family == TOPOLOGY_FAMILY and s.scope == "network"]
    scanner = Scanner(options, checks=specs, keep_models=True)
    for item in inputs:
        scanner.scan_host(item)
    findings = scanner.finish()
    assert scanner.network_context is not None
    try:
        topology: Topology = scanner.network_context.models[TOPOLOGY]
    except ModelUnavailable as exc:
        declared_error = str(exc)
        topology = build_topology(scanner.records, scanner.hosts, None, scanner.host_errors)
        topology.warnings.append(declared_error)
    for name, reason in scanner.host_errors.items():
        device = topology.devices.get(name)
        if device is not None:
            device.note = f"not scanned: {reason}"
    return TopologyRun(
        topology=topology,
        findings=findings,
        hosts=list(scanner.hosts),
        host_errors=dict(scanner.host_errors),
        generated=options.now,
    )
