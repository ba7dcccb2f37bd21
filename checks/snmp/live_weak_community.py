from __future__ import annotations

from scanner.checkapi import Context, Result, check
from scanner.facts import Facts

SNMP_PROBE = "snmp_probe"


@check(
    id="snmp.live_weak_community",
    unassessed=("not_probed", "inconclusive"),
    title="The SNMP agent answers no weak or default community",
    severity="high",
    fixes=("remove_snmp_community",),
    rationale=(
        "A configuration can hide a community as cipher text, and an agent can answer communities "
        "its saved configuration does not show (defaults, another view, a forgotten line). The only "
        "proof is to ask the agent: netcomply tries the policy's dictionary of default and weak "
        "communities against it. One that answers gives anyone on the network the device's state, "
        "or its configuration when it allows writes. The form (5.2.3) requires strong communities."
    ),
    messages={
        "answered": "{agent} answered {count} weak or default community(ies): {details}",
        "ok": "{agent} answered none of {tried} weak or default communities ({alive})",
        "not_probed": (
            "the SNMP agent was not probed: run `netcomply scan --snmp` with the host's address in the inventory"
        ),
        "inconclusive": "cannot judge: {reason}",
        "no_agent": "no SNMP agent listens: {reason}",
        "unreadable": "cannot judge: {reason}",
    },
)
def live_weak_community(facts: Facts, ctx: Context) -> Result:
    probe = facts.snmp_probe
    if probe is None:
        reason = facts.unavailable.get(SNMP_PROBE)
        if reason is not None:
            return Result.error("unreadable", reason=reason)
        return Result.not_applicable("not_probed")
    if probe.answered:
        details = "; ".join(
            _describe(a.community, a.length, a.origin, a.version, a.write, probe.write_tested) for a in probe.answered
        )
        fixes = [
            line for a in probe.answered for line in facts.platform.fix("remove_snmp_community", community=a.community)
        ]
        return Result.fail(
            "answered",
            [a.evidence for a in probe.answered],
            fixes,
            agent=probe.agent,
            count=len(probe.answered),
            details=details,
        )
    if probe.no_agent:
        return Result.not_applicable("no_agent", reason=probe.reason)
    if not probe.alive:
        # Silence from an agent not shown to be answering is no refusal: never a pass.
        return Result.error("inconclusive", [probe.evidence], reason=probe.reason)
    return Result.ok("ok", [probe.evidence], agent=probe.agent, tried=probe.tried, alive=probe.reason)


def _describe(community: str, length: int, origin: str, version: str, write: bool | None, tested: bool) -> str:
    if write is True:
        access = "WRITE allowed"
    elif write is False:
        access = "write refused"
    elif tested:
        access = "write unknown"
    else:
        access = "write not tested (--snmp-write-test)"
    return f"{community} ({length} characters, from {origin}, SNMPv{version}, {access})"
