"""The policy as every command loads it: validated against the checks that exist."""

from __future__ import annotations

from pathlib import Path

from checks import load_checks
from scanner.policy import Policy, PolicyError, unknown_check


def load_policy(path: Path | None) -> Policy:
    """The policy file (the default when None), its check ids checked against the shipped checks."""
    return Policy.load(path, known_checks=known_check_ids())


def known_check_ids() -> list[str]:
    return [spec.id for spec in load_checks()]


def restrict_checks(policy: Policy, listed: str) -> None:
    """Run only the checks ``--checks`` names; every id or pattern must name one (with a did-you-mean)."""
    wanted = [item.strip() for item in listed.split(",") if item.strip()]
    if not wanted:
        raise PolicyError("--checks: name at least one check id or pattern")
    known = known_check_ids()
    for item in wanted:
        problem = unknown_check(item, known)
        if problem:
            raise PolicyError(f"--checks: {problem}")
    policy.data["checks"]["enable"] = wanted
