"""Traffic a device routes from one declared zone to another, and whether it is filtered with a default deny.

For each ordered pair of transit interfaces of a routing device whose addresses lie in
different zones (same VRF), the traffic from the first zone's address space to the
second's is pushed through the stages it meets (:meth:`DeviceFilters.stages`). Stateless
filters compose by intersection, so each stage is judged on all of that traffic. The
way is *filtered with a default deny* when some stage treats what its specific lines
leave over with a deny (its implicit or configured default, or a catch-all deny line).
It fails when:

* ``unfiltered``: no stage at all (no list either way, no firewall policy);
* ``permits_all``: the stages let every packet between the zones through;
* ``default_permit``: what no specific line matches passes, because every stage's rest is
  a permit: a Huawei ``traffic-filter`` / H3C ``packet-filter`` without a final deny, or
  a catch-all ``permit ip any any`` line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scanner.headerspace import HeaderSpace
from scanner.network.acl.lines import Traversal, traverse
from scanner.network.acl.model import AclModel, DeviceFilters, Port, Stage

Verdict = Literal["filtered", "unfiltered", "permits_all", "default_permit", "undecided"]


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    traversal: Traversal


@dataclass(frozen=True)
class Crossing:
    """Traffic from ``source.zone`` to ``destination.zone`` routed by ``device`` from one port to the other."""

    device: str
    source: Port
    destination: Port
    stages: tuple[StageResult, ...]
    verdict: Verdict
    space: HeaderSpace

    @property
    def failed(self) -> bool:
        return self.verdict not in ("filtered", "undecided")


def crossings(model: AclModel, device: DeviceFilters) -> list[Crossing]:
    """Every zone-to-zone way through ``device`` (empty when it routes between no two zones)."""
    if not device.routes():
        return []
    ports = [p for p in device.ports(model.zones) if p.zone is not None]
    found = []
    for source in ports:
        for destination in ports:
            if source.zone == destination.zone or source.interface.vrf != destination.interface.vrf:
                continue
            found.append(crossing(model, device, source, destination))
    return found


def crossing(model: AclModel, device: DeviceFilters, source: Port, destination: Port) -> Crossing:
    assert source.zone is not None and destination.zone is not None
    space = model.zones.space(source.zone, source=True).intersect(model.zones.space(destination.zone, source=False))
    # Stateless filters compose by intersection, so each stage is judged on all of the traffic.
    results = [
        StageResult(stage, traverse(stage.lines, space, stage.default))
        for stage in device.stages(source.interface, destination.interface)
    ]
    return Crossing(device.name, source, destination, tuple(results), _verdict(results), space)


def _verdict(results: list[StageResult]) -> Verdict:
    if not results:
        return "unfiltered"
    if all(r.traversal.permits_all for r in results):
        # Everything passes; say why when a vendor default (not a line) lets it through.
        by_default = any(r.traversal.rest == "permit" and r.traversal.rest_line is None for r in results)
        return "default_permit" if by_default else "permits_all"
    if any(r.traversal.rest == "deny" for r in results):
        return "filtered"
    if any(r.traversal.undecided for r in results):
        return "undecided"
    return "default_permit"
