"""Wording shared by the device-baseline checks (issue 16): durations and the defaults that decided."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


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
