from __future__ import annotations

from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="snmp.community_write",
    title="No read-write SNMP community",
    severity="high",
    needs=(CONFIG,),
    fixes=("readonly_snmp_community",),
    rationale=(
        "A read-write community lets whoever knows or sniffs it change the running configuration "
        "(CIS Cisco IOS 1.5.4). Manage configuration over SSH; keep SNMP read-only."
    ),
    messages={
        "none": "no SNMP v1/v2c community is configured",
        "ok": "all {count} SNMP community(ies) are read-only",
        "write": "read-write SNMP community(ies): {details}",
    },
)
def community_write(facts: Facts, ctx: Context) -> Result:
    communities = facts.snmp_communities
    if not communities:
        return Result.ok("none")
    writable = [c for c in communities if c.access == "rw"]
    if not writable:
        return Result.ok("ok", [c.evidence for c in communities], count=len(communities))
    fixes = [line for c in writable for line in facts.platform.fix("readonly_snmp_community", community=c.value)]
    details = ", ".join(str(c.value) for c in writable)
    return Result.fail("write", [c.evidence for c in writable], fixes, details=details)
