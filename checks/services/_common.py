"""The shape shared by the "service X is disabled" checks."""

from __future__ import annotations

from collections.abc import Iterable

from scanner.checkapi import Result
from scanner.facts import Facts, Service


def services_disabled(facts: Facts, names: tuple[str, ...], fix_key: str, accepted: Iterable[str] = ()) -> Result:
    """Fail when any of ``names`` is enabled, with every enabling line as evidence.

    ``accepted`` names services the policy allows even when on (HTTPS management): they
    are said in the verdict, never failed. When a vendor default (not a statement)
    decided a state, the verdict says which (``decided``).
    """
    allowed = set(accepted)
    named = facts.services_named(*names)
    enabled = [s for s in named if s.enabled and s.name not in allowed]
    if not enabled:
        tolerated = [s for s in named if s.enabled]
        key = "accepted" if tolerated else "ok"
        return Result.ok(key, [s.evidence for s in named], decided=_decided(named), accepted=_details(tolerated))
    blocks = dict.fromkeys(facts.platform.fix(fix_key, context=s.context) for s in enabled)
    fixes = [line for block in blocks for line in block]
    return Result.fail(
        "enabled",
        [s.evidence for s in enabled],
        fixes,
        details=_details(enabled),
        count=len(enabled),
        decided=_decided(enabled),
    )


def _details(services: list[Service]) -> str:
    return "; ".join(dict.fromkeys(s.detail or s.name for s in services))


def _decided(services: list[Service]) -> str:
    defaults = dict.fromkeys(s.default for s in services if s.default)
    return f" (decided by vendor default: {'; '.join(defaults)})" if defaults else ""
