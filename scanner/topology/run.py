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
from scanner.engine import Scanner, ScanOptions
from scanner.model import Finding, HostInfo
from scanner.policy import Policy
from scanner.snapshot import HostInput
from scanner.topology.declared import ATTACHMENT as DECLARED
from scanner.topology.declared import ATTACHMENT_ERROR as DECLARED_ERROR
from scanner.topology.graph import ATTACHMENT as GRAPH
from scanner.topology.graph import Topology, build_topology

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
    scanner = Scanner(options, checks=specs)
    for item in inputs:
        scanner.scan_host(item)
    findings = scanner.finish()
    context = scanner.network_context
    topology = context.attachments.get(GRAPH) if context is not None else None
    if topology is None:
        declared = options.network_attachments.get(DECLARED)
        topology = build_topology(scanner.records, scanner.hosts, declared, scanner.host_errors)
    else:
        for name, reason in scanner.host_errors.items():
            device = topology.devices.get(name)
            if device is not None:
                device.note = f"not scanned: {reason}"
    error = options.network_attachments.get(DECLARED_ERROR)
    if error:
        topology.warnings.append(str(error))
    return TopologyRun(
        topology=topology,
        findings=findings,
        hosts=list(scanner.hosts),
        host_errors=dict(scanner.host_errors),
        generated=options.now,
    )
