"""What the topology checks prove: zone separation and core redundancy, as graph questions.

Separation: a breadth-first search from every device of the source zone that never
enters a barrier device (a firewall, an isolation device). Every edge by which it
reaches a device of a protected zone is an offending link, and the search tree gives
the shortest path that led there. Unmanaged neighbours and devices without a zone are
crossed like any switch. One pass per zone pair: linear in the size of the network.

Core redundancy: per site, enough core devices (a declared spare counts), and no core
whose loss cuts managed devices of the site off the rest (an articulation point of the
site's graph).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from scanner.network.topology.graph import Link, Topology
from scanner.network.topology.settings import ZonePair


@dataclass(frozen=True)
class Breach:
    """A path between separated zones that crosses no barrier; ``links`` join ``outside`` to ``inside``."""

    pair: ZonePair
    outside: str
    inside: str
    links: tuple[Link, ...]
    path: tuple[str, ...]

    @property
    def edge(self) -> frozenset[str]:
        return frozenset((self.outside, self.inside))


def is_barrier(topology: Topology, node: str, barrier_roles: frozenset[str]) -> bool:
    role = topology.devices[node].role
    return role is not None and role in barrier_roles


def separation_breaches(topology: Topology, pair: ZonePair, barrier_roles: frozenset[str]) -> list[Breach]:
    devices = topology.devices
    adjacency = topology.graph.adj
    barrier = {name for name, d in devices.items() if d.role is not None and d.role in barrier_roles}
    sources = [name for name, d in devices.items() if d.zone == pair.source and name not in barrier]
    parent: dict[str, str | None] = dict.fromkeys(sources)
    queue = deque(sources)
    entries: list[tuple[str, str]] = []
    while queue:
        node = queue.popleft()
        for neighbor in adjacency[node]:
            if neighbor in barrier:
                continue
            if pair.covers(devices[neighbor].zone):
                entries.append((node, neighbor))
                continue
            if neighbor not in parent:
                parent[neighbor] = node
                queue.append(neighbor)
    breaches = []
    for outside, inside in entries:
        path = [inside, outside]
        step = parent[outside]
        while step is not None:
            path.append(step)
            step = parent[step]
        breaches.append(
            Breach(
                pair=pair,
                outside=outside,
                inside=inside,
                links=tuple(topology.links_between(outside, inside)),
                path=tuple(reversed(path)),
            )
        )
    return breaches


def zones_present(topology: Topology) -> set[str]:
    return {d.zone for d in topology.devices.values() if d.zone}


def describe_path(topology: Topology, path: Iterable[str]) -> str:
    """``hq-edge1 Gi0/0/2 -> Gi1/0/48 hq-acc1 Gi1/0/1 -> Gi0/1 hq-dist1``."""
    nodes = list(path)
    parts = [nodes[0]]
    for left, right in itertools.pairwise(nodes):
        links = topology.links_between(left, right)
        link = links[0] if links else None
        out_if = link.interface_of(left) if link else None
        in_if = link.interface_of(right) if link else None
        parts.append(f"{out_if or '?'} -> {in_if or '?'} {right}" if link and (out_if or in_if) else f"-> {right}")
    return " ".join(parts)


@dataclass
class SiteCores:
    """The core devices of one site and what losing each would cut off."""

    site: str | None
    cores: list[str]
    spares: list[str]
    # core -> managed devices of the site that lose every path to the rest without it
    cut: dict[str, list[str]] = field(default_factory=dict)
    # core -> (devices that seem cut off, devices without neighbour data on both sides): a link
    # between two devices whose neighbours were not read is unknown and may join the parts.
    unproven: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.site if self.site is not None else "(no site)"


def core_sites(
    topology: Topology, core_roles: frozenset[str], leaf_roles: frozenset[str] = frozenset()
) -> list[SiteCores]:
    """Every site with at least one core-role device (spares included), with its articulation cores.

    A core counts as cutting the site only when a device it alone connects has a role
    outside ``leaf_roles`` (a single-homed access switch is the access layer's problem).
    """
    by_site: dict[str | None, SiteCores] = {}
    members: dict[str | None, set[str]] = {}
    for device in topology.devices.values():
        if not device.managed:
            continue
        members.setdefault(device.site, set()).add(device.name)
        if device.role in core_roles:
            entry = by_site.setdefault(device.site, SiteCores(device.site, [], []))
            (entry.spares if device.spare else entry.cores).append(device.name)
    for site, entry in by_site.items():
        entry.cores.sort()
        entry.spares.sort()
        if entry.cores:
            entry.cut, entry.unproven = _cut_by_core(topology, members[site], entry.cores, leaf_roles)
    return sorted(by_site.values(), key=lambda s: (s.site is None, s.site or ""))


def _cut_by_core(
    topology: Topology, site_members: set[str], cores: list[str], leaf_roles: frozenset[str]
) -> tuple[dict[str, list[str]], dict[str, tuple[list[str], list[str]]]]:
    graph = topology.graph
    devices = topology.devices
    # The site's devices plus the unmanaged ones hanging off them (an unknown switch can join two halves).
    nodes = set(site_members)
    for member in site_members:
        nodes.update(n for n in graph.adj[member] if not devices[n].managed)
    nodes = {n for n in nodes if not devices[n].spare}
    site_graph = graph.subgraph(nodes)
    articulation = set(nx.articulation_points(site_graph)) & set(cores)
    cut: dict[str, list[str]] = {}
    unproven: dict[str, tuple[list[str], list[str]]] = {}
    unread = {n for n in nodes if devices[n].managed and not devices[n].scanned}
    for core in sorted(articulation):
        rest = site_graph.subgraph(nodes - {core})
        components = sorted(nx.connected_components(rest), key=lambda c: (-_managed_count(topology, c), min(c)))
        # The part that keeps the most managed devices (and the other cores) is "the site";
        # the managed devices of every other part are cut off.
        other_cores = set(cores) - {core}
        main = next((c for c in components if c & other_cores), components[0]) if components else set()
        lost = sorted(n for comp in components if comp is not main for n in comp if devices[n].managed)
        if not any(devices[n].role not in leaf_roles for n in lost):
            continue
        unread_lost, unread_main = sorted(unread.intersection(lost)), sorted((unread & main) - {core})
        if unread_lost and unread_main:
            unproven[core] = (lost, unread_lost + unread_main)
        else:
            cut[core] = lost
    return cut, unproven


def _managed_count(topology: Topology, nodes: set[str]) -> int:
    return sum(1 for n in nodes if topology.devices[n].managed)
