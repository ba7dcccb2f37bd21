"""A configuration as the backup store keeps it: volatile lines out, secrets masked on request.

Both the store and every comparison with it go through :func:`normalize`, so a
device whose configuration did not change gives the very same text each time,
whatever its clock or byte counters said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scanner.masking import mask_line
from scanner.platforms.base import Platform


@dataclass(frozen=True)
class Normalized:
    """The stored form of a configuration, and where each of its lines came from."""

    text: str
    # origin[i]: the 1-based line number, in the text as collected, of line i + 1 here.
    origin: tuple[int, ...]

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@lru_cache(maxsize=64)
def _volatile_re(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def volatile_pattern(platform: Platform) -> re.Pattern[str] | None:
    """One regex for all of the platform's volatile lines (matched at the start of a line)."""
    return _volatile_re(tuple(platform.volatile))


def normalize(platform: Platform, raw: str, mask_secrets: bool = False) -> Normalized:
    """Drop the platform's volatile lines, unify line ends, and mask secrets when asked.

    Masking uses the per-line patterns only (``mask_line(..., scrub=False)``), never the
    process-wide redactor, so the stored text depends on the configuration alone.
    """
    volatile = volatile_pattern(platform)
    kept: list[str] = []
    origin: list[int] = []
    for number, line in enumerate(raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if volatile is not None and volatile.match(line):
            continue
        kept.append(mask_line(line, scrub=False) if mask_secrets else line)
        origin.append(number)
    while kept and not kept[-1].strip():
        kept.pop()
        origin.pop()
    text = "\n".join(kept) + "\n" if kept else ""
    return Normalized(text=text, origin=tuple(origin))
