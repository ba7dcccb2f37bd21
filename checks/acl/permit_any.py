from __future__ import annotations

from collections.abc import Iterable

from checks.acl._common import applied_lists, unread_entries, where
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts
from scanner.headerspace import HeaderSpace


@check(
    id="acl.permit_any",
    title="No applied access list permits any traffic from anywhere to anywhere",
    severity="medium",
    needs=(CONFIG,),
    rationale=(
        "A line that permits every protocol from any source to any destination (permit ip any any, "
        "Huawei/H3C rule permit ip, a Junos term that accepts without a from, an SRX policy matching "
        "any/any/any) ends the list: nothing after it is ever reached and no default deny applies. On an "
        "interface it turns the filter into a pass-through; on the vty lines or SNMP it lets anyone in. "
        "The level-3 baseline asks that only explicitly allowed traffic passes (GB/T 22239 8.1.3.2 a)."
    ),
    messages={
        "ok": "{count} applied list(s), none with a line permitting everything{note}",
        "none": "no access list is applied",
        "permit_any": "{list} line {label} permits any traffic ({where}): {text}",
    },
)
def permit_any(facts: Facts, ctx: Context) -> Iterable[Result]:
    access = facts.access
    applied = list(applied_lists(access)) if access is not None else []
    if not applied:
        yield Result.ok("none")
        return
    everything = HeaderSpace.everything()
    failed = False
    for found, uses in applied:
        for line in found.lines:
            if line.action != "permit" or not line.exact or not line.space.covers(everything):
                continue
            failed = True
            fix = (*found.edit, *line.remove, *facts.platform.fix("acl_rule_placeholder", name=found.name))
            yield Result.fail(
                "permit_any",
                [line.evidence, *(u.evidence for u in uses)],
                fix,
                list=f"{found.kind} {found.name}",
                label=line.label,
                where=where(uses),
                text=line.text,
            )
    if not failed:
        unread = unread_entries(found for found, _ in applied)
        note = f" ({unread})" if unread else ""
        yield Result.ok("ok", [u.evidence for _, uses in applied for u in uses][:40], count=len(applied), note=note)
