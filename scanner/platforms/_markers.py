"""Weighted text markers for platform detection: patterns only one vendor writes, and how much each counts."""

from __future__ import annotations

import re

Markers = tuple[tuple[re.Pattern[str], int], ...]


def compile_markers(*weighted: tuple[str, int]) -> Markers:
    """``(pattern, weight)`` pairs, compiled multi-line (``^`` matches at every line)."""
    return tuple((re.compile(pattern, re.M), weight) for pattern, weight in weighted)


def marker_score(text: str, markers: Markers) -> int:
    """The sum of the weights of the markers found in ``text``."""
    return sum(weight for pattern, weight in markers if pattern.search(text))
