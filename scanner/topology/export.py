"""The topology as data: JSON (for tools, and as a declared baseline for the next run) and Graphviz DOT."""

from __future__ import annotations

import json
from typing import Any

from scanner.escaping import dot_string
from scanner.masking import REDACTOR
from scanner.model import Status
from scanner.topology.diagram import Diagram, group_of

SCHEMA = "netcomply-topology/1"


def to_data(diagram: Diagram) -> dict[str, Any]:
    topology = diagram.topology
    flagged = {frozenset((e.a, e.b)): [f.check for f in e.findings] for e in diagram.edges if e.findings}
    links = []
    for link in topology.links:
        item = link.to_dict()
        checks = flagged.get(frozenset((link.a, link.b)))
        if checks:
            item["findings"] = sorted(set(checks))
        links.append(item)
    nodes = []
    for device in topology.devices.values():
        item = device.to_dict()
        view = diagram.nodes.get(device.name)
        if view is not None and view.barrier:
            item["barrier"] = True
        nodes.append(item)
    failed = [f for f in diagram.findings if f.status is Status.FAIL]
    return {
        "schema": SCHEMA,
        "generated": diagram.generated,
        "summary": {
            "devices": len(topology.devices),
            "managed": len(topology.managed),
            "unmanaged": len(topology.unmanaged),
            "links": len(topology.links),
            "failures": len(failed),
            "offending_links": len(diagram.breaches),
            "differences": diagram.differences.count if diagram.differences is not None else None,
        },
        "nodes": nodes,
        "links": links,
        "findings": [f.to_dict() for f in diagram.findings],
        "differences": diagram.differences.to_dict() if diagram.differences is not None else None,
        "warnings": diagram.warnings,
    }


def render_json(diagram: Diagram) -> str:
    return REDACTOR.scrub(json.dumps(to_data(diagram), indent=2, ensure_ascii=False) + "\n")


_dot_id = dot_string


def render_dot(diagram: Diagram) -> str:
    """Graphviz DOT: one cluster per zone, firewalls as octagons, offending links red and labelled."""
    topology = diagram.topology
    lines = [
        "graph topology {",
        f"  label={_dot_id(diagram.title)}; labelloc=t; fontname=Helvetica;",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname=Helvetica, fontsize=10];',
        '  edge [fontname=Helvetica, fontsize=8, color="#8a99a8"];',
    ]
    groups: dict[str, list[str]] = {}
    for device in topology.devices.values():
        groups.setdefault(group_of(device), []).append(device.name)
    for index, (group, members) in enumerate(groups.items()):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f'    label={_dot_id(group)}; style=rounded; color="#9aa7b4";')
        for name in members:
            device = topology.devices[name]
            view = diagram.nodes[name]
            label = name + "\n" + (device.role or ("not in the inventory" if not device.managed else "no role"))
            attrs = [f"label={_dot_id(label)}"]
            if view.barrier:
                attrs += ["shape=octagon", 'fillcolor="#fde3cf"', 'color="#b9461a"', "penwidth=2.5"]
            elif not device.managed:
                attrs += ['style="rounded,dashed"', 'color="#7f8c8d"']
            if view.findings:
                attrs.append(f"tooltip={_dot_id('; '.join(f.message for f in view.findings))}")
            lines.append(f"    {_dot_id(name)} [{', '.join(attrs)}];")
        lines.append("  }")
    for edge in diagram.edges:
        attrs: list[str] = []
        if edge.kind == "breach":
            ports = edge.links[0].describe(edge.a) if edge.links else ""
            attrs += ['color="#d62728"', "penwidth=3", f"label={_dot_id(ports)}"]
            attrs.append(f"tooltip={_dot_id('; '.join(f.message for f in edge.findings))}")
        elif edge.kind == "missing":
            attrs += ['color="#e69f00"', "style=dashed", f"label={_dot_id(edge.label)}"]
        else:
            link = edge.links[0]
            tail, head = link.interface_of(edge.a), link.interface_of(edge.b)
            if tail:
                attrs.append(f"taillabel={_dot_id(tail)}")
            if head:
                attrs.append(f"headlabel={_dot_id(head)}")
            if len(edge.links) > 1:
                attrs.append(f"penwidth=2, label={_dot_id(f'x{len(edge.links)}')}")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_dot_id(edge.a)} -- {_dot_id(edge.b)}{suffix};")
    lines.append("}")
    return REDACTOR.scrub("\n".join(lines) + "\n")
