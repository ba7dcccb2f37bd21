"""When a collected configuration must not replace the last good backup.

A failed collection looks like a configuration change: an empty output, one cut off
by a dropped session, or a device that answered with an error. Storing it would
push the good backup one commit down, and a restore would take the broken one. So
each output is judged before it is written; a refused output leaves the store as it
was and is reported as an error for its host.
"""

from __future__ import annotations

from scanner.platforms.base import Platform
from scanner.snapshot import rejection


def refusal(
    platform: Platform,
    raw: str,
    stored: str,
    previous: str | None,
    max_shrink_fraction: float,
    accept_shrink: bool = False,
) -> str | None:
    """Why ``raw`` (as collected; ``stored`` once normalized) must not be committed, or None when it may.

    ``previous`` is the host's last stored backup. A ``max_shrink_fraction`` of 0.5
    refuses an output less than half the size of the previous backup.
    """
    if not raw.strip():
        return "the configuration output is empty"
    refused = rejection(raw)
    if refused:
        return f"the device refused the command ({refused})"
    problem = platform.config_problem(raw)
    if problem is not None:
        return f"the output is not a {platform.display_name} configuration: {problem}"
    truncation = platform.config_truncation(raw)
    if truncation is not None:
        return f"the configuration is truncated: {truncation}"
    if previous and not accept_shrink and max_shrink_fraction < 1.0:
        floor = len(previous) * (1.0 - max_shrink_fraction)
        if len(stored) < floor:
            lost = 1.0 - len(stored) / len(previous)
            return (
                f"the configuration shrank by {lost:.0%} against the last backup ({len(previous)} -> {len(stored)} "
                f"bytes; the policy refuses more than {max_shrink_fraction:.0%}); if the change is real, run again "
                "with --accept-shrink for this host"
            )
    return None
