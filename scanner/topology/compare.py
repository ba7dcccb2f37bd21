"""A declared topology (the documented diagram) against the discovered one: what differs.

The form asks for an accurate, current topology diagram; this is how "accurate" is
shown: every documented link that discovery does not see, every discovered link that
the document lacks, and links whose ports differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scanner.network.topology.declared import DeclaredLink, DeclaredTopology
from scanner.network.topology.graph import Link, Topology
from scanner.network.topology.names import interface_key, short_name


@dataclass
class Differences:
    source: str
    missing_links: list[DeclaredLink] = field(default_factory=list)
    undocumented_links: list[Link] = field(default_factory=list)
    port_mismatches: list[tuple[DeclaredLink, Link]] = field(default_factory=list)
    missing_devices: list[str] = field(default_factory=list)
    undocumented_devices: list[str] = field(default_factory=list)
    # Missing links whose two ends are devices of the topology (a diagram draws them dashed).
    missing_between: list[tuple[DeclaredLink, str, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.missing_links)
            + len(self.undocumented_links)
            + len(self.port_mismatches)
            + len(self.missing_devices)
            + len(self.undocumented_devices)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "declared": self.source,
            "missing_links": [_declared_dict(d) for d in self.missing_links],
            "undocumented_links": [link.to_dict() for link in self.undocumented_links],
            "port_mismatches": [
                {"declared": _declared_dict(d), "discovered": link.to_dict()} for d, link in self.port_mismatches
            ],
            "missing_devices": self.missing_devices,
            "undocumented_devices": self.undocumented_devices,
        }


def _declared_dict(link: DeclaredLink) -> dict[str, Any]:
    out: dict[str, Any] = {
        "a": link.a,
        "a_interface": link.a_interface,
        "b": link.b,
        "b_interface": link.b_interface,
    }
    if link.evidence is not None and link.evidence.line:
        out["line"] = link.evidence.line
    if link.note:
        out["note"] = link.note
    return out


def describe_declared(link: DeclaredLink) -> str:
    left = f"{link.a} {link.a_interface}" if link.a_interface else link.a
    right = f"{link.b} {link.b_interface}" if link.b_interface else link.b
    return f"{left} <-> {right}"


class _Lookup:
    def __init__(self, topology: Topology) -> None:
        self.exact: dict[str, str] = {}
        self.short: dict[str, str | None] = {}
        for name in topology.devices:
            self.exact[name.lower()] = name
            key = short_name(name).lower()
            self.short[key] = None if key in self.short and self.short[key] != name else name

    def find(self, name: str) -> str | None:
        return self.exact.get(name.strip().lower()) or self.short.get(short_name(name).lower())


def _ports_agree(declared: DeclaredLink, link: Link, a: str, b: str) -> bool:
    for node, wanted in ((a, declared.a_interface), (b, declared.b_interface)):
        found = link.interface_of(node)
        if wanted and found and interface_key(wanted) != interface_key(found):
            return False
    return True


def compare(declared: DeclaredTopology, topology: Topology) -> Differences:
    diff = Differences(source=declared.source)
    lookup = _Lookup(topology)
    used: set[int] = set()
    named: set[str] = set()
    for name in declared.nodes:
        node = lookup.find(name)
        if node is None:
            diff.missing_devices.append(name)
        else:
            named.add(node)
    for item in declared.links:
        a, b = lookup.find(item.a), lookup.find(item.b)
        for given, node in ((item.a, a), (item.b, b)):
            if node is None:
                if given not in diff.missing_devices:
                    diff.missing_devices.append(given)
            else:
                named.add(node)
        if a is None or b is None:
            diff.missing_links.append(item)
            continue
        candidates = [link for link in topology.links_between(a, b) if link.id not in used]
        agreeing = [link for link in candidates if _ports_agree(item, link, a, b)]
        if agreeing:
            used.add(agreeing[0].id)
        elif candidates:
            used.add(candidates[0].id)
            diff.port_mismatches.append((item, candidates[0]))
        else:
            diff.missing_links.append(item)
            diff.missing_between.append((item, a, b))
    diff.undocumented_links = [link for link in topology.links if link.id not in used]
    diff.undocumented_devices = sorted(
        name for name in topology.devices if name not in named and topology.graph.degree(name) > 0
    )
    return diff
