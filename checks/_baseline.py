"""Wording shared by the device-baseline checks (issue 16): durations and the defaults that decided."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scanner.facts import Facts
from scanner.model import Evidence


def duration(seconds: int | None, *, lock: bool = False) -> str:
    """``for 5 minute(s)``; None is a lock lifted only by an administrator (``lock``) or no timeout."""
    if seconds is None:
        return "until an administrator unlocks them" if lock else "never"
    if seconds == 0:
        return "not at all (the session is only disconnected)" if lock else "never"
    if seconds % 60:
        return f"for {seconds} second(s)" if lock else f"{seconds} second(s)"
    minutes = seconds // 60
    return f"for {minutes} minute(s)" if lock else f"{minutes} minute(s)"


def decided(defaults: Iterable[str]) -> str:
    """`` (decided by vendor default: ...)`` for the defaults that decided a verdict, or ``""``."""
    named = list(dict.fromkeys(d for d in defaults if d))
    return f" (decided by vendor default: {'; '.join(named)})" if named else ""


def merge_fixes(fixes: Iterable[Sequence[str]]) -> list[str]:
    """Several fixes as one script: each top-level statement with its indented lines given once.

    Two vty lines fixed with the same access list give the list once and both bindings, not
    the list twice (a device would add its entries twice).
    """
    blocks: dict[tuple[str, ...], None] = {}
    for fix in fixes:
        block: list[str] = []
        for line in fix:
            if block and not line.startswith(" "):
                blocks.setdefault(tuple(block))
                block = []
            block.append(line)
        if block:
            blocks.setdefault(tuple(block))
    return [line for block in blocks for line in block]


def shown(facts: Facts, evidence: Iterable[Evidence | None], *, absent: bool) -> list[Evidence | None]:
    """The evidence a failure may carry: none when it rests on something missing and the
    configuration is not recognisably whole (``Facts.config_incomplete``).

    The engine keeps a failure on a cut configuration only when it carries evidence (a line that
    is there fails by itself). A failure for a missing statement, a vendor default, or a weaker
    mechanism where a stronger one may follow, could be undone by the part that is missing, so
    it goes without evidence and the engine reports ``error`` instead.
    """
    return [] if absent and facts.config_incomplete is not None else list(evidence)
