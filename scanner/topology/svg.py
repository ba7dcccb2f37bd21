"""The topology as a standalone SVG: zones as bands, firewalls marked, offending links in red.

Hand-written SVG from :mod:`scanner.topology.diagram`'s layout: no Graphviz binary at
run time, and the same drawing is embedded in the HTML page. Every element carries a
``<title>`` (shown as a tooltip) with the ports, the sources (CDP/LLDP/declared) and
the findings.
"""

from __future__ import annotations

from scanner.escaping import xml_attr, xml_text
from scanner.masking import REDACTOR
from scanner.topology.diagram import NODE_H, NODE_W, TOP, Diagram, EdgeView, NodeView
from scanner.topology.labels import Box, LabelPlacer, Placed, port_label, text_box

ZONE_FILL = {
    "external": "#fdecea",
    "dmz": "#fff4e0",
    "internal": "#eaf2fb",
    "management": "#eaf6ec",
    "production-control": "#f2ecfa",
}
PORT_LABEL_LIMIT = 80
PORT_FONT = 9.0
ZONE_TITLE_FONT = 13.0
NAME_FONT = 12.0

STYLE = """
.zone rect{stroke:#9aa7b4;stroke-width:1}
.zone-titles text{font:600 13px sans-serif;fill:#34495e;paint-order:stroke;stroke:#ffffff;stroke-width:4px}
.zone.unmanaged rect{stroke-dasharray:6 4;fill:#ffffff}
.node rect{fill:#ffffff;stroke:#34495e;stroke-width:1.3}
.node .name{font:600 12px sans-serif;fill:#1b2631}
.node .sub{font:10px sans-serif;fill:#566573}
.node.barrier rect{fill:#fde3cf;stroke:#b9461a;stroke-width:3}
.node.barrier .sub{fill:#8a3412;font-weight:600}
.node.unmanaged rect{fill:#f4f6f7;stroke:#7f8c8d;stroke-dasharray:4 3}
.node.unscanned .name{fill:#7f8c8d;font-style:italic}
.node .badge{fill:#d62728}
.node .badge-text{font:700 10px sans-serif;fill:#ffffff}
.edge{stroke:#8a99a8;stroke-width:1.3;fill:none}
.edge.multi{stroke-width:2.6}
.edge.breach{stroke:#d62728;stroke-width:4}
.edge.missing{stroke:#e69f00;stroke-width:2;stroke-dasharray:7 5}
.edge.declared{stroke-dasharray:2 3}
.port{font:9px sans-serif;fill:#566573;paint-order:stroke;stroke:#ffffff;stroke-width:3px}
.port.breach{fill:#b21f1f;font-weight:700}
.title{font:600 16px sans-serif;fill:#1b2631}
.legend text{font:11px sans-serif;fill:#34495e}
.hl rect{stroke:#1f77b4 !important;stroke-width:4 !important}
.edge.hl{stroke:#1f77b4;stroke-width:5}
"""


def _attr(value: object) -> str:
    return xml_attr(str(value))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_svg(diagram: Diagram, *, standalone: bool = True) -> str:
    """The SVG document (``standalone``: with the XML declaration, for a .svg file)."""
    names = {name: f"n{i}" for i, name in enumerate(diagram.nodes)}
    finding_ids = {id(f): i for i, f in enumerate(diagram.findings)}
    out: list[str] = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    width, height = round(diagram.width), round(diagram.height)
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" id="topology" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">\n'
    )
    out.append(f"<title>{xml_text(diagram.title)}</title>\n<style>{STYLE}</style>\n")
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    out.append(f'<text class="title" x="18" y="28">{xml_text(diagram.title)}</text>\n')
    out.append(_legend())
    for group in diagram.groups:
        fill = ZONE_FILL.get(group.name, "#f6f7f8")
        extra = " unmanaged" if group.name == "not in the inventory" else ""
        out.append(
            f'<g class="zone{extra}" data-zone={_attr(group.name)}><rect x="{group.x:.0f}" y="{group.y:.0f}" '
            f'width="{group.w:.0f}" height="{group.h:.0f}" rx="10" fill="{fill}"/></g>\n'
        )
    ports = _port_labels(diagram, len(diagram.edges) <= PORT_LABEL_LIMIT)
    out.append('<g id="edges">\n')
    for index, edge in enumerate(diagram.edges):
        out.append(_edge(diagram, edge, index, names, ports.get(index, []), finding_ids))
    out.append('</g>\n<g class="zone-titles">\n')
    for group in diagram.groups:
        title = xml_text(_zone_title(group.name, group.count))
        out.append(f'<text x="{group.x + 12:.0f}" y="{group.y + 19:.0f}">{title}</text>\n')
    out.append('</g>\n<g id="nodes">\n')
    for node in diagram.nodes.values():
        out.append(_node(node, names[node.name]))
    out.append("</g>\n</svg>\n")
    return REDACTOR.scrub("".join(out))


def _zone_title(name: str, count: int) -> str:
    label = f"zone {name}" if not name.startswith(("(", "not ")) else name
    return f"{label} ({count} device{'s' if count != 1 else ''})"


def _zone_title_box(x: float, y: float, name: str, count: int) -> Box:
    return text_box(x, y, _zone_title(name, count), ZONE_TITLE_FONT)


def _port_labels(diagram: Diagram, all_links: bool) -> dict[int, list[tuple[str, Placed]]]:
    """Where each edge's port labels go (css class and spot), offending links first; see labels.py."""
    obstacles = [Box(0, 0, diagram.width, TOP - 6)]
    obstacles += [Box(n.x - 2, n.y - 2, NODE_W + 4, NODE_H + 4) for n in diagram.nodes.values()]
    obstacles += [_zone_title_box(g.x + 12, g.y + 19, g.name, g.count) for g in diagram.groups]
    placer = LabelPlacer(obstacles, PORT_FONT)
    order = sorted(range(len(diagram.edges)), key=lambda i: diagram.edges[i].kind != "breach")
    placed: dict[int, list[tuple[str, Placed]]] = {}
    for index in order:
        edge = diagram.edges[index]
        if not edge.links or not (all_links or edge.kind == "breach") or edge.bow:
            continue
        a, b = diagram.nodes[edge.a], diagram.nodes[edge.b]
        points = edge.points or [(a.cx, a.cy), (b.cx, b.cy)]
        css = "port breach" if edge.kind == "breach" else "port"
        for node, start, toward in ((a, points[0], points[1]), (b, points[-1], points[-2])):
            interface = edge.links[0].interface_of(node.name)
            spot = placer.place(port_label(interface), start, toward) if interface else None
            if spot is not None:
                placed.setdefault(index, []).append((css, spot))
    return placed


def _edge(
    diagram: Diagram,
    edge: EdgeView,
    index: int,
    names: dict[str, str],
    labels: list[tuple[str, Placed]],
    finding_ids: dict[int, int],
) -> str:
    a, b = diagram.nodes[edge.a], diagram.nodes[edge.b]
    classes = ["edge", edge.kind] if edge.kind != "link" else ["edge"]
    if len(edge.links) > 1:
        classes.append("multi")
    if edge.links and all(link.sources == {"declared"} for link in edge.links):
        classes.append("declared")
    points = edge.points or [(a.cx, a.cy), (b.cx, b.cy)]
    if edge.bow:
        (x1, y1), (x2, y2) = points[0], points[-1]
        lift = NODE_H * 0.8 + min(abs(x2 - x1) / 10, 40)
        shape = f'<path d="M{x1:.1f},{y1:.1f} Q{(x1 + x2) / 2:.1f},{min(y1, y2) - lift:.1f} {x2:.1f},{y2:.1f}"'
    else:
        shape = '<polyline points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"'
    found = " ".join(f"f{finding_ids[id(f)]}" for f in edge.findings if id(f) in finding_ids)
    marks = f" data-findings={_attr(found)}" if found else ""
    parts = [
        f'{shape} id="e{index}" class={_attr(" ".join(classes))} data-a={_attr(names[edge.a])} '
        f"data-b={_attr(names[edge.b])}{marks}><title>{xml_text(edge.title)}</title>"
        + ("</path>" if edge.bow else "</polyline>")
    ]
    for css, spot in labels:
        parts.append(
            f'<text class="{css}" x="{spot.x:.1f}" y="{spot.y:.1f}" text-anchor="middle">{xml_text(spot.text)}</text>'
        )
    return "".join(parts) + "\n"


def _node(node: NodeView, element_id: str) -> str:
    device = node.device
    classes = ["node"]
    if node.barrier:
        classes.append("barrier")
    if not device.managed:
        classes.append("unmanaged")
    elif not device.scanned:
        classes.append("unscanned")
    role = device.role or ("not in the inventory" if not device.managed else "no role")
    sub = role.upper() if node.barrier else role
    if device.site:
        sub += f" · {device.site}"
    if device.spare:
        sub += " · spare"
    tooltip = [device.name, f"zone: {device.zone or '-'}  role: {device.role or '-'}  site: {device.site or '-'}"]
    if device.platform:
        tooltip.append(f"platform: {device.platform}")
    if device.address and not device.managed:
        tooltip.append(f"address: {device.address}")
    if device.note:
        tooltip.append(device.note)
    if device.reported_by:
        seen = ", ".join(dict.fromkeys(f"{h} {i}" for h, i in device.reported_by))
        tooltip.append(f"seen by: {seen}")
    tooltip += [f"{f.check}: {f.message}" for f in node.findings]
    x, y = node.x, node.y
    badge = ""
    # The name stops short of the badge: at most what fits at 0.75 em per (bold) character.
    room = NODE_W - 8 - (16 if node.findings else 6)
    name = _short(device.name, int(room / (NAME_FONT * 0.75)))
    if node.findings:
        badge = (
            f'<circle class="badge" cx="{x + NODE_W - 4:.0f}" cy="{y + 4:.0f}" r="9"/>'
            f'<text class="badge-text" x="{x + NODE_W - 4:.0f}" y="{y + 7.5:.0f}" text-anchor="middle">'
            f"{len(node.findings)}</text>"
        )
    return (
        f'<g id="{element_id}" class={_attr(" ".join(classes))} data-name={_attr(device.name)}>'
        f"<title>{xml_text(chr(10).join(tooltip))}</title>"
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        f'<text class="name" x="{x + 8:.0f}" y="{y + 18:.0f}">{xml_text(name)}</text>'
        f'<text class="sub" x="{x + 8:.0f}" y="{y + 34:.0f}">{xml_text(_short(sub, 26))}</text>'
        f"{badge}</g>\n"
    )


def _legend() -> str:
    x, y = 18, 38
    items = [
        f'<rect x="{x}" y="{y}" width="22" height="14" rx="3" fill="#fde3cf" stroke="#b9461a" stroke-width="3"/>'
        f'<text x="{x + 28}" y="{y + 11}">firewall / isolation</text>',
        f'<rect x="{x + 140}" y="{y}" width="22" height="14" rx="3" fill="#f4f6f7" stroke="#7f8c8d" '
        f'stroke-dasharray="4 3"/><text x="{x + 168}" y="{y + 11}">not in inventory</text>',
        f'<line x1="{x + 275}" y1="{y + 7}" x2="{x + 305}" y2="{y + 7}" stroke="#d62728" stroke-width="4"/>'
        f'<text x="{x + 311}" y="{y + 11}">offending link</text>',
        f'<line x1="{x + 405}" y1="{y + 7}" x2="{x + 435}" y2="{y + 7}" stroke="#e69f00" stroke-width="2" '
        f'stroke-dasharray="7 5"/><text x="{x + 441}" y="{y + 11}">declared, not seen</text>',
    ]
    return f'<g class="legend">{"".join(items)}</g>\n'
