from __future__ import annotations

from collections.abc import Iterable

from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="acl.undefined_reference",
    title="Every access list a configuration names is defined",
    severity="medium",
    needs=(CONFIG,),
    rationale=(
        "An interface, vty line, SNMP community or route-map that names an access list nobody defined "
        "looks protected but is not: IOS applies no filter at all for an undefined interface ACL, and "
        "Huawei and H3C let every packet through a missing list. The same holds for an object group, "
        "prefix list or address-book entry a rule names. Form 5.2.2 asks for sane access control between "
        "VLANs; a filter that exists only by name is none."
    ),
    messages={
        "ok": "all {count} reference(s) to access lists name a defined list",
        "none": "no access list is referenced",
        "undefined": "{context} {target} names access list {name}, which is not defined: {effect}",
        "undefined_name": "{kind} {name} is used by a rule but not defined: the rule matches other packets than it "
        "says",
        "unseen": "cannot judge: {context} {target} names access list {name}, which the part of the configuration "
        "read does not define ({reason})",
        "unseen_name": "cannot judge: {kind} {name} is used by a rule but not defined in the part of the "
        "configuration read ({reason})",
    },
)
def undefined_reference(facts: Facts, ctx: Context) -> Iterable[Result]:
    access = facts.access
    if access is None or not (access.uses or access.undefined):
        yield Result.ok("none")
        return
    failed = False
    # A definition may stand in the part of a configuration that is not there: a missing one
    # is then no failure, only a reference netcomply cannot judge.
    partial = facts.config_incomplete
    for use in access.uses:
        if access.get(use.name, use.family) is not None:
            continue
        failed = True
        direction = f" {use.direction}" if use.direction else ""
        if partial is not None:
            yield Result.error(
                "unseen",
                [use.evidence],
                context=f"{use.context}{direction}",
                target=use.target,
                name=use.name,
                reason=partial,
            )
            continue
        fix = facts.platform.fix("acl_define", name=use.name, context=use.context)
        yield Result.fail(
            "undefined",
            [use.evidence],
            fix,
            context=f"{use.context}{direction}",
            target=use.target,
            name=use.name,
            effect=use.missing_effect or "the reference has no effect",
        )
    for reference in access.undefined:
        failed = True
        if partial is not None:
            key = "unseen_name"
            yield Result.error(key, [reference.evidence], kind=reference.kind, name=reference.name, reason=partial)
            continue
        yield Result.fail("undefined_name", [reference.evidence], kind=reference.kind, name=reference.name)
    if not failed:
        yield Result.ok("ok", [u.evidence for u in access.uses[:40]], count=len(access.uses))
