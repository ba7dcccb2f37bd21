from __future__ import annotations

from scanner.checkapi import Context, Result, check
from scanner.facts import POWER, Facts


def _concerns(ctx: Context) -> str | None:
    roles = ctx.policy.section("power")["dual_power_roles"]
    if ctx.host.critical or (ctx.host.role in roles):
        return None
    role = ctx.host.role or "no role"
    return f"role {role} and not critical: dual power not required (policy roles: {', '.join(roles)})"


@check(
    id="power.redundant",
    title="Key devices have dual power supplies",
    severity="medium",
    needs=(POWER,),
    applies=_concerns,
    remediation=("Install a second power supply fed from a separate circuit (or UPS), and replace any failed unit."),
    rationale=(
        "A core, distribution, edge or firewall device with one power supply takes its whole "
        "segment down with a single PSU or circuit failure. The form (5.2.3) requires dual power "
        "on key devices."
    ),
    messages={
        "ok": "{present} power supplies present, none failed{unverified}",
        "single": "only {present} power supply present",
        "failed": "{failed} of {present} power supplies failed: {names}",
    },
)
def power_redundant(facts: Facts, ctx: Context) -> Result:
    supplies = facts.power_supplies
    present = [s for s in supplies if s.status != "absent"]
    failed = [s for s in present if s.status == "failed"]
    evidence = [s.evidence for s in supplies]
    if failed:
        names = ", ".join(f"{s.name} ({s.detail or s.status})" for s in failed)
        return Result.fail("failed", evidence, failed=len(failed), present=len(present), names=names)
    if len(present) < 2:
        return Result.fail("single", evidence, present=len(present))
    unknown = [s for s in present if s.status == "unknown"]
    unverified = " (status not reported by the device; presence from the inventory)" if unknown else ""
    return Result.ok("ok", evidence, present=len(present), unverified=unverified)
