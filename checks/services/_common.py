"""The shape shared by the "service X is disabled" checks."""

from __future__ import annotations

from scanner.checkapi import Result
from scanner.facts import Facts


def services_disabled(facts: Facts, names: tuple[str, ...], fix_key: str) -> Result:
    """Fail when any of ``names`` is enabled, with every enabling line as evidence."""
    enabled = [s for s in facts.services_named(*names) if s.enabled]
    if not enabled:
        disabled = [s.evidence for s in facts.services_named(*names)]
        return Result.ok("ok", disabled)
    blocks = dict.fromkeys(facts.platform.fix(fix_key, context=s.context) for s in enabled)
    fixes = [line for block in blocks for line in block]
    details = "; ".join(s.detail or s.name for s in enabled)
    return Result.fail("enabled", [s.evidence for s in enabled], fixes, details=details, count=len(enabled))
