"""Edge paths that never cross a device box.

Devices sit in rows; between rows there is free space. An edge between rows r1 < r2
leaves the upper device from its bottom side, enters the lower one from its top side,
and crosses every row in between vertically through a gap between two devices (the
gap nearest the straight line, or the free space beside the row). A red line that
seems to run through a firewall would tell the auditor the opposite of the truth;
this keeps the drawing honest. Edges of one row arc above it.

Each device spreads its edge ends along its side, ordered by where they go, so
parallel lines stay apart and port labels do not all sit on one point.
"""

from __future__ import annotations

from bisect import bisect_right

from scanner.model import Finding
from scanner.network.topology.graph import Topology
from scanner.topology.compare import Differences
from scanner.topology.diagram import GAP_X, NODE_H, NODE_W, Diagram, lay_out

_MARGIN = 4.0
_SPREAD = 5.0


def _gap_x(xs: list[float], target: float) -> float:
    """An x in row ``xs`` (left sides of its devices, sorted) where a vertical line meets no device."""
    index = bisect_right(xs, target) - 1
    for box in (index, index + 1):
        if 0 <= box < len(xs) and xs[box] - _MARGIN <= target <= xs[box] + NODE_W + _MARGIN:
            left, right = xs[box] - GAP_X / 2, xs[box] + NODE_W + GAP_X / 2
            return left if target - left < right - target else right
    return target


def route(diagram: Diagram) -> None:
    nodes = diagram.nodes
    # First the crossings of intermediate rows, from the device centres...
    middles: dict[int, list[tuple[float, float]]] = {}
    crossings: dict[tuple[int, int], int] = {}
    ends: dict[tuple[str, str], list[tuple[float, int, int]]] = {}
    for index, edge in enumerate(diagram.edges):
        upper, lower = nodes[edge.a], nodes[edge.b]
        if upper.row > lower.row:
            upper, lower = lower, upper
        if upper.row == lower.row and abs(upper.x - lower.x) <= NODE_W + GAP_X + 1:
            left, right = (upper, lower) if upper.x < lower.x else (lower, upper)
            path = [(left.x + NODE_W, left.cy), (right.x, right.cy)]
            edge.points = path if left is nodes[edge.a] else path[::-1]
            continue
        if upper.row == lower.row:
            edge.bow = True
            ends.setdefault((upper.name, "top"), []).append((lower.cx, index, 0))
            ends.setdefault((lower.name, "top"), []).append((upper.cx, index, 1))
            continue
        points: list[tuple[float, float]] = []
        span = lower.cy - upper.cy
        for row in range(upper.row + 1, lower.row):
            y, xs = diagram.rows[row]
            target = upper.cx + (lower.cx - upper.cx) * ((y + NODE_H / 2 - upper.cy) / span)
            x = _gap_x(xs, target)
            # Lines through the same gap are set a few pixels apart, so each stays traceable.
            used = crossings.get((row, round(x)), 0)
            crossings[(row, round(x))] = used + 1
            x += ((used + 1) // 2) * _SPREAD * (1 if used % 2 else -1)
            points += [(x, y - 2), (x, y + NODE_H + 2)]
        middles[index] = points
        first = points[0][0] if points else lower.cx
        last = points[-1][0] if points else upper.cx
        ends.setdefault((upper.name, "bottom"), []).append((first, index, 0))
        ends.setdefault((lower.name, "top"), []).append((last, index, 1))
    # ...then each device spreads its ends along its side, in the order they leave.
    attach: dict[tuple[int, int], tuple[float, float]] = {}
    for (name, side), items in ends.items():
        node = nodes[name]
        items.sort()
        y = node.y + NODE_H if side == "bottom" else node.y
        for position, (_towards, index, which) in enumerate(items):
            attach[(index, which)] = (node.x + NODE_W * (position + 1) / (len(items) + 1), y)
    for index, edge in enumerate(diagram.edges):
        if edge.points:
            continue
        path = [attach[(index, 0)], *middles.get(index, []), attach[(index, 1)]]
        if nodes[edge.a].row > nodes[edge.b].row:
            path.reverse()
        edge.points = _simplified(path)


def _simplified(path: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop the points that lie on the line between their neighbours (a straight run through several rows)."""
    if len(path) < 3:
        return path
    kept = [path[0]]
    for index in range(1, len(path) - 1):
        (ax, ay), (bx, by), (cx, cy) = kept[-1], path[index], path[index + 1]
        if abs((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) > 0.5 * max(abs(cx - ax) + abs(cy - ay), 1.0):
            kept.append(path[index])
    kept.append(path[-1])
    return kept


def build_diagram(
    topology: Topology,
    findings: list[Finding],
    barrier_roles: frozenset[str],
    differences: Differences | None = None,
    title: str = "netcomply topology",
    generated: str = "",
) -> Diagram:
    """The drawing of ``topology``: devices laid out by zone and site, then every link routed between them."""
    diagram = lay_out(topology, findings, barrier_roles, differences, title, generated)
    route(diagram)
    return diagram
