"""Port labels on a topology drawing, placed so that none covers another label, a device or a title.

A label is tried at a few spots along its link, near the device it names, and kept at
the first spot that is free; a label with no free spot is left out of the drawing (the
link's tooltip still names both ports), so the picture never shows two labels on top
of each other. Offending links are placed first: their ports are what a reader looks for.

Widths are estimated, not measured (no font engine at render time): a character is
counted at 0.7 em, wider than any digit, lower-case letter or slash in common sans-serif
faces, so a real label is never wider than the box reserved for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from netutils.interface import abbreviated_interface_name

CHAR_EM = 0.7
# Distances from the device edge along the link, and sideways offsets, tried in order.
ALONG = (14.0, 24.0, 34.0, 46.0, 58.0, 72.0)
ACROSS = (0.0, 9.0, -9.0)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, gap: float = 1.0) -> bool:
        return not (
            self.x + self.w + gap <= other.x
            or other.x + other.w + gap <= self.x
            or self.y + self.h + gap <= other.y
            or other.y + other.h + gap <= self.y
        )


def text_box(x: float, baseline: float, text: str, size: float, anchor: str = "start") -> Box:
    """The box a line of text occupies (estimated generously), for text drawn at ``x``/``baseline``."""
    width = len(text) * size * CHAR_EM + 2
    left = x - width / 2 if anchor == "middle" else x
    return Box(left, baseline - size, width, size * 1.3)


def port_label(interface: str) -> str:
    """The short form of an interface name (GigabitEthernet1/0/48 -> Gi1/0/48) when it is shorter."""
    short = abbreviated_interface_name(interface)
    return short if len(short) < len(interface) else interface


@dataclass(frozen=True)
class Placed:
    x: float
    y: float  # baseline
    text: str


class LabelPlacer:
    """Greedy placement against fixed obstacles and the labels already placed."""

    def __init__(self, obstacles: list[Box], size: float) -> None:
        self.taken = list(obstacles)
        self.size = size

    def place(self, text: str, start: tuple[float, float], toward: tuple[float, float]) -> Placed | None:
        """A free spot for ``text`` on the segment from ``start`` (the device end) toward ``toward``."""
        (x, y), (nx, ny) = start, toward
        length = math.hypot(nx - x, ny - y)
        if length < 1.0:
            return None
        ux, uy = (nx - x) / length, (ny - y) / length
        for along in ALONG:
            if along > length * 0.5:
                break
            for across in ACROSS:
                cx = x + ux * along - uy * across
                cy = y + uy * along + ux * across
                baseline = cy + self.size * 0.35
                box = text_box(cx, baseline, text, self.size, "middle")
                if not any(box.overlaps(other) for other in self.taken):
                    self.taken.append(box)
                    return Placed(cx, baseline, text)
        return None
