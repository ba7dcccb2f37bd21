"""What a topology drawing shows, and where: devices grouped by zone, links, and the findings on them.

The layout is computed here, in pure Python, so SVG and HTML need no Graphviz binary:
zones are stacked bands (external first), each band holds one row per tier of role
(edge, firewall, core, distribution, access, ...), and the order within a row follows
the mean position of the neighbours already placed (the barycentre heuristic), which
keeps a site's devices together and links short. Linear in the size of the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.model import Evidence, Finding, Status
from scanner.network.topology.graph import Device, Link, Topology
from scanner.topology.compare import Differences, describe_declared

ZONE_ORDER = ("external", "dmz", "internal", "management", "production-control")
TIERS = {
    "edge": 0,
    "router": 0,
    "firewall": 1,
    "isolation": 1,
    "core": 2,
    "distribution": 3,
    "access": 4,
    "server": 5,
}
OTHER_TIER = 6
NO_ZONE = "(no zone)"
UNMANAGED_GROUP = "not in the inventory"

NODE_W, NODE_H = 150, 44
GAP_X, GAP_Y = 26, 34
PAD, TITLE_H, GROUP_GAP = 18, 26, 28
MAX_PER_ROW = 12
TOP = 64  # room for the title and legend
SEPARATION_CHECKS = ("topology.firewall_bypass", "topology.zone_partition")
PROBLEM = (Status.FAIL, Status.ERROR)


@dataclass
class NodeView:
    device: Device
    x: float
    y: float
    group: str
    barrier: bool
    row: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.device.name

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2

    @property
    def cy(self) -> float:
        return self.y + NODE_H / 2


@dataclass
class EdgeView:
    a: str
    b: str
    links: list[Link]
    kind: str  # "link", "breach", "missing"
    findings: list[Finding] = field(default_factory=list)
    label: str = ""
    # The drawn path (from ``a`` to ``b``), set by scanner.topology.routing; ``bow``: same-row arc.
    points: list[tuple[float, float]] = field(default_factory=list)
    bow: bool = False

    @property
    def title(self) -> str:
        lines = [link.describe() + f" [{', '.join(sorted(link.sources))}]" for link in self.links] or [self.label]
        lines += [f"{f.check}: {f.message}" for f in self.findings]
        return "\n".join(lines)


@dataclass
class GroupView:
    name: str
    x: float
    y: float
    w: float
    h: float
    count: int


@dataclass
class Diagram:
    title: str
    width: float
    height: float
    nodes: dict[str, NodeView]
    edges: list[EdgeView]
    groups: list[GroupView]
    findings: list[Finding]
    differences: Differences | None
    warnings: list[str]
    topology: Topology
    generated: str = ""
    # Per row of devices: its y and the sorted x of its devices (edges are routed through the gaps).
    rows: list[tuple[float, list[float]]] = field(default_factory=list)

    @property
    def breaches(self) -> list[EdgeView]:
        return [e for e in self.edges if e.kind == "breach"]


def group_of(device: Device) -> str:
    if device.zone:
        return device.zone
    return NO_ZONE if device.managed else UNMANAGED_GROUP


def _group_key(name: str) -> tuple[int, str]:
    if name in ZONE_ORDER:
        return ZONE_ORDER.index(name), ""
    if name == NO_ZONE:
        return len(ZONE_ORDER) + 1, ""
    if name == UNMANAGED_GROUP:
        return len(ZONE_ORDER) + 2, ""
    return len(ZONE_ORDER), name


def lay_out(
    topology: Topology,
    findings: list[Finding],
    barrier_roles: frozenset[str],
    differences: Differences | None = None,
    title: str = "netcomply topology",
    generated: str = "",
) -> Diagram:
    nodes, rows = _layout(topology, barrier_roles)
    topology_findings = [f for f in findings if f.check.startswith("topology.")]
    for finding in topology_findings:
        if finding.status in PROBLEM and finding.host in nodes:
            nodes[finding.host].findings.append(finding)
    edges = _edges(topology, topology_findings, differences)
    width = max((n.x + NODE_W for n in nodes.values()), default=400) + PAD * 2
    groups = _groups(nodes, width)
    height = max((g.y + g.h for g in groups), default=TOP) + PAD
    diagram = Diagram(
        title=title,
        width=max(width, 640),
        height=height,
        nodes=nodes,
        edges=edges,
        groups=groups,
        findings=topology_findings,
        differences=differences,
        warnings=list(topology.warnings),
        topology=topology,
        generated=generated,
        rows=rows,
    )
    return diagram


Rows = list[tuple[float, list[float]]]


def _column_of(device: Device, devices: dict[str, Device]) -> str:
    """The site column a device is drawn in; a neighbour outside the inventory goes with its first reporter."""
    if device.site:
        return device.site
    for reporter, _ in device.reported_by:
        site = devices[reporter].site if reporter in devices else None
        if site:
            return site
    return ""


def _layout(topology: Topology, barrier_roles: frozenset[str]) -> tuple[dict[str, NodeView], Rows]:
    """Bands per zone, rows per tier, and one column block per site (a site's devices stay together).

    A tier's rows are shared by every site block, so a row is one y across the drawing
    and edges can be routed through its gaps.
    """
    devices = topology.devices
    by_group: dict[str, dict[int, dict[str, list[Device]]]] = {}
    columns: dict[str, int] = {}
    for device in devices.values():
        tier = TIERS.get(device.role or "", OTHER_TIER)
        column = _column_of(device, devices)
        tiers = by_group.setdefault(group_of(device), {})
        members = tiers.setdefault(tier, {}).setdefault(column, [])
        members.append(device)
        columns[column] = max(columns.get(column, 1), min(len(members), MAX_PER_ROW))
    order = sorted(columns, key=lambda c: (c == "", c))
    offsets: dict[str, float] = {}
    x = PAD * 2
    for column in order:
        offsets[column] = x
        x += columns[column] * (NODE_W + GAP_X) + GAP_X * 2
    placed: dict[str, NodeView] = {}
    rows: Rows = []
    adjacency = topology.graph.adj

    def barycentre(device: Device) -> tuple[float, str]:
        xs = [placed[n].cx for n in adjacency[device.name] if n in placed]
        return (sum(xs) / len(xs) if xs else float("inf")), device.name

    y = TOP + PAD
    for group in sorted(by_group, key=_group_key):
        y += TITLE_H
        for tier in sorted(by_group[group]):
            blocks = by_group[group][tier]
            height = max(-(-len(members) // columns[column]) for column, members in blocks.items())
            row_xs: list[list[float]] = [[] for _ in range(height)]
            for column, members in blocks.items():
                members.sort(key=barycentre)
                width = columns[column]
                for index, device in enumerate(members):
                    row, col = divmod(index, width)
                    in_row = min(width, len(members) - row * width)
                    left = offsets[column] + (width - in_row) * (NODE_W + GAP_X) / 2
                    node_x = left + col * (NODE_W + GAP_X)
                    row_xs[row].append(node_x)
                    placed[device.name] = NodeView(
                        device=device,
                        x=node_x,
                        y=y + row * (NODE_H + GAP_Y),
                        group=group,
                        barrier=device.role in barrier_roles if device.role else False,
                        row=len(rows) + row,
                    )
            for xs in row_xs:
                rows.append((y, sorted(xs)))
                y += NODE_H + GAP_Y
        y += PAD + GROUP_GAP
    return placed, rows


def _groups(nodes: dict[str, NodeView], width: float) -> list[GroupView]:
    spans: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for node in nodes.values():
        span = spans.setdefault(node.group, [node.y, node.y])
        span[0], span[1] = min(span[0], node.y), max(span[1], node.y)
        counts[node.group] = counts.get(node.group, 0) + 1
    groups = []
    for name, (top, bottom) in sorted(spans.items(), key=lambda item: _group_key(item[0])):
        y = top - TITLE_H - PAD / 2
        groups.append(GroupView(name, PAD, y, width - PAD * 2, bottom + NODE_H + PAD - y, counts[name]))
    return groups


def _edges(topology: Topology, findings: list[Finding], differences: Differences | None) -> list[EdgeView]:
    # A breach finding's first evidence line is the offending link's own (CDP/LLDP or links.yaml line).
    by_evidence: dict[Evidence, Link] = {}
    for link in topology.links:
        for evidence in link.evidence:
            by_evidence.setdefault(evidence, link)
    flagged: dict[frozenset[str], list[Finding]] = {}
    for finding in findings:
        if finding.check in SEPARATION_CHECKS and finding.status is not Status.PASS and finding.evidence:
            link = by_evidence.get(finding.evidence[0])
            if link is not None:
                flagged.setdefault(frozenset((link.a, link.b)), []).append(finding)
    edges = []
    for a, b, data in topology.graph.edges(data=True):
        found = flagged.get(frozenset((a, b)), [])
        kind = "breach" if any(f.status is Status.FAIL for f in found) else "link"
        edges.append(EdgeView(a, b, list(data["links"]), kind, found))
    if differences is not None:
        for declared, a, b in differences.missing_between:
            edges.append(EdgeView(a, b, [], "missing", label=f"declared, not seen: {describe_declared(declared)}"))
    # Breaches last, so they are drawn on top.
    edges.sort(key=lambda e: {"link": 0, "missing": 1, "breach": 2}[e.kind])
    return edges
