from __future__ import annotations

from scanner.checkapi import Context, Result, check
from scanner.facts import POWER, Facts, PowerSupply


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
        "on key devices: at least the policy's power.min_working_supplies (2) must report a working "
        "state. A supply whose state the device does not report is not counted as working; a "
        "failed one beyond the required number is reported without failing the check."
    ),
    messages={
        "ok": "{working} of {present} power supplies working ({needed} required){spare}",
        "short": "{working} of {present} power supplies working, {needed} required: {problems}",
        "none": "no power supply reported; the power outputs were not understood",
    },
)
def power_redundant(facts: Facts, ctx: Context) -> Result:
    supplies = facts.power_supplies
    if not supplies:
        return Result.error("none", [])
    needed = ctx.policy.section("power")["min_working_supplies"]
    present = [s for s in supplies if s.status != "absent"]
    working = [s for s in present if s.status == "ok"]
    failed = [s for s in present if s.status == "failed"]
    unknown = [s for s in present if s.status == "unknown"]
    evidence = [s.evidence for s in supplies]
    counts = {"working": len(working), "present": len(present), "needed": needed}
    if len(working) >= needed:
        spare = f"; failed beyond the required number: {_names(failed)}" if failed else ""
        return Result.ok("ok", evidence, spare=spare, **counts)
    problems = []
    if failed:
        problems.append(f"failed: {_names(failed)}")
    if unknown:
        problems.append(f"state not reported (presence from an inventory only): {_names(unknown)}")
    if len(present) < needed:
        problems.append(f"only {len(present)} installed")
    return Result.fail("short", evidence, problems="; ".join(problems), **counts)


def _names(supplies: list[PowerSupply]) -> str:
    return ", ".join(f"{s.name} ({s.detail or s.status})" for s in supplies)
