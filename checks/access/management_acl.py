"""access.management_acl: every way into the management plane names an access list that restricts the sources.

The lists are those the platform read into the ACL model (``Facts.access``); whether one lets
every source in to the service it guards is :func:`scanner.aclsources.open_line`.

An access point whose address families bind lists of their own (``ManagementAccess.by_family``:
the Junos ``lo0`` filters; IOS, NX-OS and EOS, whose ``access-class``, ``use-ipv4acl`` and ``ip
access-group`` filter IPv4 only) is judged per family, each by its own lists; the readers add
the IPv6 way in when a list is bound for it or the device has IPv6 at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from checks._baseline import decided, merge_fixes, shown
from scanner.aclfacts import FAMILY_NAMES, AccessFacts, AccessList, AclFamily, AclLine
from scanner.aclsources import open_line, service_traffic
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, FamilyLists, ManagementAccess


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
        "that the service's traffic reaches (or permits that together hold every source) lets everyone in."
    ),
    messages={
        "ok": "{count} management access point(s), each restricted by an access list: {details}{decided}",
        "none": "no remote management service found to judge",
        "unread": "no vty line or other remote management service read from the configuration",
        "open": "{count} management access point(s) open to any source: {details}",
        "unanalysed": "{count} management access point(s) guarded by a filter netcomply does not analyse: {details}",
    },
)
def management_acl(facts: Facts, ctx: Context) -> Result:
    points = facts.management_access
    if not points:
        return Result.not_applicable("none" if facts.platform.vendor == "juniper" else "unread")
    judged = [j for point in points for j in _judge(point, facts.access)]
    # A way in guarded by a filter the model does not read is neither passed nor failed.
    unanalysed = [j for j in judged if _unanalysed(j)]
    problems = [j for j in judged if j.problem and not _unanalysed(j)]
    if not problems and unanalysed:
        return Result.error(
            "unanalysed",
            list(
                dict.fromkeys(e for j in unanalysed for e in (j.point.evidence, j.bound.evidence if j.bound else None))
            ),
            count=len({id(j.point) for j in unanalysed}),
            details=_details(unanalysed),
        )
    if not problems:
        details = "; ".join(dict.fromkeys(f"{j.point.target}: {j.point.acl}" for j in judged))
        evidence = [e for j in judged for e in (j.point.evidence, j.bound.evidence if j.bound else None)]
        evidence.extend(found.evidence for j in judged for found in j.lists)
        return Result.ok(
            "ok",
            list(dict.fromkeys(evidence)),
            count=len(points),
            details=details,
            decided=decided(p.default for p in points),
        )
    open_to_any = [j for j in problems if j.open is not None]
    if facts.config_incomplete is not None and open_to_any:
        # On a cut configuration a missing binding or list may be in the part that is missing;
        # a list that permits any source fails by its own line.
        problems = open_to_any
    # Access points whose IPv4 fix binds a new list (not those whose open list it narrows).
    rebound = {id(j.point) for j in problems if j.open is None and j.bound is not None and j.bound.family == "ipv4"}
    evidence = []
    fixes: list[tuple[str, ...]] = []
    for j in problems:
        evidence.append(j.point.evidence)
        if j.bound is not None:
            evidence.extend((j.bound.evidence, *j.bound.also))
        if j.open is not None:
            evidence.append(j.open.evidence)
            fixes.append(_restrict(facts, j.lists, j.open))
        else:
            fixes.append(_bind(facts, j.point, j.bound, rebound=id(j.point) in rebound))
    details = _details(problems) + (f"; not judged: {_details(unanalysed)}" if unanalysed else "")
    return Result.fail(
        "open",
        shown(facts, dict.fromkeys(e for e in evidence if e is not None), absent=not open_to_any),
        merge_fixes(fixes),
        count=len({id(j.point) for j in problems}),
        details=details,
    )


@dataclass(frozen=True, slots=True)
class _Judged:
    """One way in: its lists as the model holds them, the line that opens it to any source, why it is open."""

    point: ManagementAccess
    lists: tuple[AccessList, ...] = ()
    open: AclLine | None = None
    problem: str = ""
    bound: FamilyLists | None = None
    # False: the lists were read but not judged (a filter the model does not read, an entry
    # the reader could not analyse before the line that would decide): ``problem`` says why.
    judged: bool = True


def _judge(point: ManagementAccess, access: AccessFacts | None) -> list[_Judged]:
    """Why ``point`` accepts any source: one judgement per address family when each names its
    own lists (``by_family``: a packet meets its own family's lists only), else one."""
    if point.by_family:
        return [_judge_family(point, bound, access) for bound in point.by_family]
    return [_judge_point(point, access)]


def _judge_family(point: ManagementAccess, bound: FamilyLists, access: AccessFacts | None) -> _Judged:
    """One family's way in, judged by that family's lists as :func:`_judge_point` judges named lists
    (not judged when only a list the model does not read guards it: ``bound.unanalysed`` says so)."""
    if bound.unanalysed and not bound.lists:
        return _Judged(point, problem=bound.unanalysed, bound=bound, judged=False)
    acl = "+".join(bound.lists) or None
    alone = replace(point, acl=acl, chain=bound.lists, default=bound.default, by_family=())
    return replace(_judge_point(alone, access, bound.family), point=point, bound=bound)


def _unanalysed(judged: _Judged) -> bool:
    return not judged.judged


def _details(judged: list[_Judged]) -> str:
    return "; ".join(f"{j.point.target}{_over(j)}: {j.problem}" for j in judged)


def _over(judged: _Judged) -> str:
    """`` over IPv6``: which family's way in, when the access point has more than one."""
    if judged.bound is None or len(judged.point.by_family) < 2:
        return ""
    return f" over {FAMILY_NAMES[judged.bound.family]}"


def _judge_point(point: ManagementAccess, access: AccessFacts | None, family: AclFamily | None = None) -> _Judged:
    """Why ``point`` accepts any source (``problem`` empty when its lists restrict the sources);
    ``family``: its lists are of that family only."""
    traffic = service_traffic(point.service)
    if point.inline:
        lists: tuple[AccessList, ...] = point.inline
        # One list per address family: a packet meets only its own family's list, so each is
        # judged apart, and the access point is open when any one of them lets every source in.
        for listed in lists:
            line = open_line((listed,), traffic)
            if line is not None:
                return _Judged(point, lists, line, f"access list {listed.name} permits any source ({line.text})")
    elif point.acl is None:
        return _Judged(point, problem="no access list" + (f" ({point.default})" if point.default else ""))
    else:
        found = [(name, _lookup(access, name, family)) for name in point.lists]
        missing = next((name for name, listed in found if listed is None), None)
        if missing is not None:
            return _Judged(point, problem=f"access list {missing} is named but not defined, so it filters nothing")
        lists = tuple(listed for _, listed in found if listed is not None)
        line = open_line(lists, traffic)
        skipped = _skipped_before(lists, line)
        if skipped:
            where = ", ".join(map(str, skipped))
            return _Judged(
                point,
                lists,
                problem=f"access list {point.acl}: the entries at line(s) {where} could not be analysed, so the "
                "sources it lets in are not known",
                judged=False,
            )
        if line is not None:
            return _Judged(point, lists, line, f"access list {point.acl} permits any source ({line.text})")
    if not any(listed.lines or listed.notes or listed.kind == "filter" for listed in lists):
        # IOS, NX-OS, EOS, VRP and Comware filter nothing with a list that has no entries; a
        # Junos firewall filter without terms ends in its implicit discard.
        return _Judged(point, lists, problem=f"access list {point.acl}: the list has no entries, so it filters nothing")
    return _Judged(point, lists)


def _skipped_before(lists: tuple[AccessList, ...], deciding: AclLine | None) -> list[int]:
    """The entries the reader could not analyse that a packet may meet before ``deciding`` (the line
    that opens the way; None: every entry): an unread entry there may permit or deny anything.

    Lists run in turn, each in its own order; a list whose device reorders its rules
    (``auto_order``) may put an unread entry anywhere.
    """
    skipped: list[int] = []
    if not any(listed.skipped for listed in lists):
        return skipped
    for listed in lists:
        holds = deciding is not None and any(line is deciding for line in listed.lines)
        if holds and not listed.auto_order:
            assert deciding is not None
            skipped.extend(n for n in listed.skipped if n < deciding.evidence.line)
            return skipped
        skipped.extend(listed.skipped)
        if holds:
            return skipped
    return skipped


def _lookup(access: AccessFacts | None, name: str, family: AclFamily | None = None) -> AccessList | None:
    if access is None:
        return None
    if family is not None:
        return access.get(name, family)
    return access.get(name) or access.get(name, "ipv6")


def _bind(
    facts: Facts, point: ManagementAccess, bound: FamilyLists | None = None, *, rebound: bool = False
) -> tuple[str, ...]:
    """A management list and its binding, in the vendor's syntax for this kind of access point
    (for one address family's way in: ``family`` is ``inet`` or ``inet6``).

    A platform that binds IPv6 lists in statements of their own has ``management_acl6[_<service>]``
    fixes. An IOS or EOS community binds both lists in one statement, which replaces the one
    before: its IPv6 fix names again the IPv4 list it keeps (``ipv4``: the point's own, or the one
    its IPv4 fix binds when ``rebound``, MGMT-ACCESS as every ``management_acl_snmp`` of theirs).
    """
    params = {"context": point.context, "acl": point.acl or "", "version": facts.version or ""}
    keys = [f"management_acl_{point.service}", "management_acl"]
    if bound is not None:
        params.update(acl="+".join(bound.lists), family="inet6" if bound.family == "ipv6" else "inet")
        if bound.family == "ipv6":
            ipv4 = next((b.lists for b in point.by_family if b.family == "ipv4" and b.lists), ())
            params["ipv4"] = "MGMT-ACCESS" if rebound or not ipv4 else "+".join(ipv4)
            keys[:0] = [f"management_acl6_{point.service}", "management_acl6"]
    return next((fix for fix in (facts.platform.fix(key, **params) for key in keys) if fix), ())


def _restrict(facts: Facts, lists: tuple[AccessList, ...], line: AclLine) -> tuple[str, ...]:
    """Stop the line letting every source in (remove it, or narrow it where the vendor's fix says
    so), and permit the management sources instead."""
    listed = next((found for found in lists if line in found.lines), lists[0])
    family = "inet6" if listed.family == "ipv6" else "inet"
    narrow = facts.platform.fix(
        f"management_acl_narrow_{listed.kind}", name=listed.name, label=line.label, family=family
    )
    # An IPv6 list gets IPv6 sources where the platform says how (management_acl_permit6_<kind>).
    permit6 = facts.platform.fix(f"management_acl_permit6_{listed.kind}") if listed.family == "ipv6" else ()
    add = permit6 or facts.platform.fix(
        f"management_acl_permit_{listed.kind}", name=listed.name, version=facts.version or ""
    )
    return (*listed.edit, *(narrow or line.remove), *add)
