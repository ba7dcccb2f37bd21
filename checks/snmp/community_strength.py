from __future__ import annotations

from checks._strength import weaknesses, words_for
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, SnmpCommunity


@check(
    id="snmp.community_strength",
    unassessed=("unmeasured",),
    title="SNMP communities are strong",
    severity="high",
    needs=(CONFIG,),
    fixes=("remove_snmp_community",),
    rationale=(
        "An SNMP v1/v2c community is a password sent in clear text; a short or default one "
        "(public, private, the vendor's name) is guessed in seconds and gives the device's whole "
        "state, or its configuration when writable. The form (5.2.3) requires communities of more "
        "than 8 characters mixing letters and digits. A clear-text community is measured the same "
        "way on every vendor; how the device stores it (Huawei/H3C simple where cipher was possible) "
        "is reported beside the verdict, not counted as weakness."
    ),
    messages={
        "none": "no SNMP v1/v2c community is configured",
        "ok": "{count} SNMP community(ies), all strong{storage}",
        "weak": "weak SNMP community(ies): {details}{storage}",
        "unmeasured": (
            "{cipher} community(ies) stored only as cipher text cannot be measured from the configuration "
            "({clear} clear-text one(s) strong); {probe}"
        ),
    },
)
def community_strength(facts: Facts, ctx: Context) -> Result:
    communities = facts.snmp_communities
    if not communities:
        return Result.ok("none")
    policy = ctx.policy
    words = words_for(policy.weak_words, facts.platform.vendor, facts.hostname, ctx.host.name)
    weak = []
    for community in communities:
        if not community.measurable:
            continue
        reasons = weaknesses(
            community.value.reveal(),
            min_length=policy.threshold("snmp_community_min_length"),
            require_mix=policy.threshold("require_letters_and_digits"),
            min_classes=policy.threshold("password_min_classes"),
            words=words,
        )
        if reasons:
            weak.append((community, reasons))
    storage = _storage_note(communities)
    if weak:
        details = "; ".join(f"{c.value} ({', '.join(r)})" for c, r in weak)
        fixes = [line for c, _ in weak for line in facts.platform.fix("remove_snmp_community", community=c.value)]
        return Result.fail("weak", [c.evidence for c, _ in weak], fixes, details=details, storage=storage)
    cipher = [c for c in communities if not c.measurable]
    if cipher:
        return Result.not_applicable(
            "unmeasured", cipher=len(cipher), clear=len(communities) - len(cipher), probe=probe_verdict(facts)
        )
    return Result.ok("ok", [c.evidence for c in communities], count=len(communities), storage=storage)


def _storage_note(communities: list[SnmpCommunity]) -> str:
    """How many communities the device keeps in clear text although it could keep cipher text."""
    clear = [c for c in communities if c.could_encrypt]
    if not clear:
        return ""
    names = ", ".join(str(c.value) for c in clear)
    return f"; stored in clear text where the device can store cipher text: {names}"


def probe_verdict(facts: Facts) -> str:
    """What the live SNMP probe says of the communities the configuration cannot show."""
    probe = facts.snmp_probe
    if probe is None:
        return "the live SNMP probe (snmp.live_weak_community) judges them"
    if probe.answered:
        return (
            f"the live SNMP probe of {probe.agent} found {len(probe.answered)} weak or default community(ies) "
            "answered (see snmp.live_weak_community)"
        )
    if probe.alive:
        return f"the live SNMP probe of {probe.agent} found none of {probe.tried} weak or default communities answered"
    return f"the live SNMP probe could not judge them: {probe.reason}"
