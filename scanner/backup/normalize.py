"""A configuration as the backup store keeps it: volatile lines out, secrets masked on request.

Both the store and every comparison with it go through :func:`normalize`, so a
device whose configuration did not change gives the very same text each time,
whatever its clock or byte counters said.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from scanner.masking import mask_text
from scanner.platforms.base import Platform


@dataclass(frozen=True)
class Normalized:
    """The stored form of a configuration, and which lines of the collected text it left out."""

    text: str
    # 1-based numbers, in the text as collected, of the lines removed (ascending).
    removed: tuple[int, ...] = ()

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def origin(self, number: int) -> int:
        """The line number, in the text as collected, of line ``number`` (1-based) of the stored text."""
        original = number
        while True:
            skipped = bisect.bisect_right(self.removed, original)
            if number + skipped == original:
                return original
            original = number + skipped


@lru_cache(maxsize=64)
def _volatile_re(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("^(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.M)


def volatile_pattern(platform: Platform) -> re.Pattern[str] | None:
    """One regex for all of the platform's volatile lines, anchored at the start of any line."""
    return _volatile_re(tuple(platform.volatile))


def normalize(platform: Platform, raw: str, mask_secrets: bool = False) -> Normalized:
    """Drop the platform's volatile lines, unify line ends, and mask secrets when asked.

    Masking uses the per-line patterns only (``mask_text(..., scrub=False)``), never the
    process-wide redactor, so the stored text depends on the configuration alone.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    removed: list[int] = []
    volatile = volatile_pattern(platform)
    if volatile is not None:
        pieces: list[str] = []
        position = 0
        line_number, counted_to = 1, 0
        for match in volatile.finditer(text):
            start = match.start()
            end = text.find("\n", start)
            end = len(text) if end < 0 else end + 1
            line_number += text.count("\n", counted_to, start)
            counted_to = start
            removed.append(line_number)
            pieces.append(text[position:start])
            position = end
        if removed:
            pieces.append(text[position:])
            text = "".join(pieces)
    text = text.rstrip()
    if mask_secrets:
        text = mask_text(text, scrub=False)
    return Normalized(text=text + "\n" if text else "", removed=tuple(removed))
