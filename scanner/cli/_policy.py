"""The policy as every command loads it: validated against the checks that exist."""

from __future__ import annotations

from pathlib import Path

from checks import PluginError
from scanner.engine import scan_checks
from scanner.policy import Policy, PolicyError, unknown_check
from scanner.rules import RuleError


def load_policy(path: Path | None) -> Policy:
    """The policy file (the default when None), its rules and the installed plugins checked, and every
    check id it names checked against the checks of a scan under it (shipped, plugins, its rules).

    Raises ``PolicyError`` (a refused rule or plugin too, with its own message).
    """
    policy = Policy.load(path)
    try:
        known = known_check_ids(policy)
    except (RuleError, PluginError) as exc:
        raise PolicyError(str(exc)) from None
    policy.check_ids(known)
    return policy


def known_check_ids(policy: Policy) -> list[str]:
    return [spec.id for spec in scan_checks(policy)]


def restrict_checks(policy: Policy, listed: str) -> None:
    """Run only the checks ``--checks`` names; every id or pattern must name one (with a did-you-mean)."""
    wanted = [item.strip() for item in listed.split(",") if item.strip()]
    if not wanted:
        raise PolicyError("--checks: name at least one check id or pattern")
    known = known_check_ids(policy)
    for item in wanted:
        problem = unknown_check(item, known)
        if problem:
            raise PolicyError(f"--checks: {problem}")
    policy.data["checks"]["enable"] = wanted
