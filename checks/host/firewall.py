from __future__ import annotations

from checks.host._common import host_state, listing
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_FIREWALL, FirewallScope


@check(
    id="host.firewall",
    kind="host",
    title="Host firewall on, blocking unsolicited inbound traffic by default",
    severity="high",
    needs=(HOST, HOST_FIREWALL),
    fixes=("enable_firewall",),
    rationale=(
        "A host firewall that drops what no rule allows keeps a forgotten or newly installed "
        "service from being reachable (MLPS 8.1.3.2 a): by default, everything but permitted "
        "traffic is refused; form 5.2.5). Windows: every firewall profile (Domain, Private, "
        "Public) enabled with DefaultInboundAction Block (NotConfigured is the Windows default, "
        "Block), as the active store reports it. Linux: the inbound path of IPv4 and of IPv6 ends "
        "in drop or reject, by a base chain's policy or a final rule (nftables, iptables), or "
        "firewalld runs with a default zone whose target is not ACCEPT."
    ),
    messages={
        "ok": "{tools}: {scopes}{defaults}",
        "open": "{count} of {total} inbound path(s) not blocked by default ({tools}): {details}{defaults}",
    },
)
def firewall(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    fw = state.firewall
    assert fw is not None
    tools = ", ".join(fw.tools) or "no firewall tool found"
    defaults = "; ".join(s.default_note for s in fw.scopes if s.default_note)
    defaults = f"; {defaults}" if defaults else ""
    evidence = list(dict.fromkeys(e for s in fw.scopes for e in s.evidence))
    open_scopes = [s for s in fw.scopes if not (s.enabled and s.inbound_blocked)]
    if not open_scopes:
        return Result.ok("ok", evidence, tools=tools, scopes=_describe(list(fw.scopes)), defaults=defaults)
    targets = ",".join(s.fix_target for s in open_scopes if s.fix_target)
    fix = facts.platform.fix("enable_firewall", profiles=targets)
    return Result.fail(
        "open",
        evidence,
        fix,
        count=len(open_scopes),
        total=len(fw.scopes),
        tools=tools,
        details=_describe(open_scopes),
        defaults=defaults,
    )


def _describe(scopes: list[FirewallScope]) -> str:
    return listing([f"{s.name} {s.summary}" for s in scopes])
