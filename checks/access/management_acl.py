from __future__ import annotations

from checks._baseline import decided, merge_fixes, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, ManagementAccess, SourceList


@check(
    id="access.management_acl",
    title="Remote management restricted to the sources an access list names",
    severity="high",
    needs=(CONFIG,),
    fixes=("management_acl",),
    # Only Junos can run without any remote management service; elsewhere the vty lines are
    # always printed, so finding no way in means the configuration could not be assessed.
    unassessed=("unread",),
    rationale=(
        "A management plane open to every address is open to every compromised host and every guessed "
        "password. The level-3 baseline (GB/T 22239-2019 8.1.4.4 c) asks that management terminals be "
        "restricted by network address; CIS Cisco IOS 1.2.4/1.2.5 ask for an access-class on every vty "
        "line. Every way in must name an access list that exists and does not permit any source: IOS/NX-OS "
        "access-class on the vty lines, EOS ip access-group under management ssh, Huawei and Comware 5 "
        "acl N inbound under user-interface vty, Comware 7 ssh server acl, the HTTP server's ACL when it "
        "runs, each SNMP community's ACL (Huawei snmp-agent acl), a Junos input filter on lo0 and clients "
        "on each SNMP community. A list named but not defined filters nothing, and a permit of any source "
        "(before a deny of everything) lets everyone in."
    ),
    messages={
        "ok": "{count} management access point(s), each restricted by an access list: {details}{decided}",
        "none": "no remote management service found to judge",
        "unread": "no vty line or other remote management service read from the configuration",
        "open": "{count} management access point(s) open to any source: {details}",
    },
)
def management_acl(facts: Facts, ctx: Context) -> Result:
    points = facts.management_access
    if not points:
        return Result.not_applicable("none" if facts.platform.vendor == "juniper" else "unread")
    problems = [(point, problem) for point in points if (problem := _problem(point, facts.source_lists))]
    if not problems:
        details = "; ".join(f"{p.target}: {p.acl}" for p in points)
        evidence = [p.evidence for p in points]
        evidence.extend(facts.source_lists[p.acl].evidence for p in points if p.acl in facts.source_lists)
        return Result.ok(
            "ok",
            list(dict.fromkeys(evidence)),
            count=len(points),
            details=details,
            decided=decided(p.default for p in points),
        )
    open_to_any = [(point, problem) for point, problem in problems if _permits_any(point, facts.source_lists)]
    if facts.config_incomplete is not None and open_to_any:
        # On a cut configuration a missing binding or list may be in the part that is missing;
        # a list that permits any source fails by its own line.
        problems = open_to_any
    evidence = []
    fixes: list[tuple[str, ...]] = []
    for point, _ in problems:
        evidence.append(point.evidence)
        listed = facts.source_lists.get(point.acl or "")
        if listed is not None and listed.any_source is not None:
            evidence.append(listed.any_source)
            fixes.append(_restrict(facts, listed))
        else:
            fixes.append(_bind(facts, point))
    details = "; ".join(f"{point.target}: {problem}" for point, problem in problems)
    return Result.fail(
        "open",
        shown(facts, dict.fromkeys(e for e in evidence if e is not None), absent=not open_to_any),
        merge_fixes(fixes),
        count=len(problems),
        details=details,
    )


def _permits_any(point: ManagementAccess, lists: dict[str, SourceList]) -> bool:
    listed = lists.get(point.acl or "")
    return listed is not None and listed.any_source is not None


def _problem(point: ManagementAccess, lists: dict[str, SourceList]) -> str:
    """Why ``point`` accepts any source ("" when its list restricts the sources)."""
    if point.acl is None:
        return "no access list" + (f" ({point.default})" if point.default else "")
    listed = lists.get(point.acl)
    if listed is None:
        return f"access list {point.acl} is named but not defined, so it filters nothing"
    if listed.any_source is not None:
        return f"access list {point.acl} permits any source ({listed.any_source.text.strip()})"
    if listed.note:
        return f"access list {point.acl}: {listed.note}, so it filters nothing"
    return ""


def _bind(facts: Facts, point: ManagementAccess) -> tuple[str, ...]:
    """A management list and its binding, in the vendor's syntax for this kind of access point."""
    params = {"context": point.context, "acl": point.acl or "", "version": facts.version or ""}
    return facts.platform.fix(f"management_acl_{point.service}", **params) or facts.platform.fix(
        "management_acl", **params
    )


def _restrict(facts: Facts, listed: SourceList) -> tuple[str, ...]:
    """Remove the permit-any line and permit the management sources instead."""
    add = facts.platform.fix(f"management_acl_permit_{listed.kind}", name=listed.name, version=facts.version or "")
    return (*listed.edit, *listed.remove, *add)
