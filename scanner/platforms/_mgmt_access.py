"""Which access list guards each way into the management plane (access.management_acl).

The ACL model (``Facts.access``) records where a list is named (``AclUse``), not the services
no list guards; these readers list every management service the device runs, with the name of
the list that restricts its sources or None, so a service left open is reported too, and the
vendor default that decided. The lists themselves are read once, by the ACL model's readers,
and judged there (:mod:`scanner.aclsources`).

- IOS: each ``line vty`` that takes input (``access-class N in``), the HTTP server when on
  (``ip http access-class [ipv4] N``), each SNMP community (its ACL).
- NX-OS: ``line vty`` (``[ip] access-class N in``; no block: none), each SNMP community
  (``use-ipv4acl``/``use-acl``).
- EOS: ``management ssh`` / ``telnet`` / ``api http-commands`` when running (``ip access-group
  N [vrf V] [in]``, also under ``vrf V``), each SNMP community.
- Huawei / H3C: each VTY line (``acl N inbound``; Huawei ``ssh server acl`` and Comware 7 ``ssh
  server acl`` restrict the SSH logins of lines that name none), the HTTP(S) server when on
  (Huawei ``http acl``, H3C ``ip http[s] acl``), each SNMP community (its ACL, or Huawei's
  global ``snmp-agent acl``).

IOS, NX-OS and EOS bind one list per address family: the lists above filter IPv4 only, and IPv6
has its own binding on each access point (``ManagementAccess.by_family``, :func:`per_family`):
``ipv6 access-class N in`` on a vty line (IOS, NX-OS), ``ip http access-class ipv6 N`` (IOS-XE),
``ipv6 N`` (IOS, EOS) or ``use-ipv6acl N`` (NX-OS) on a community, ``ipv6 access-group N``
under EOS ``management ssh|telnet|api http-commands``. The sources:

- Cisco's IOS IPv6 command reference gives ``ipv6 access-class`` as the filter of vty
  connections by an IPv6 access list, beside ``access-class`` for IP (IPv4) lists
  (cisco.com/en/US/docs/ios/ipv6/command/reference/ipv6_05.html); the IOS-XE IPv6 ACL guide
  ("controlling access to a vty", ios-xml/ios/sec_data_acl/configuration/xe-16-9/...
  /ip6-acls-xe.html) binds each family's list apart on the same lines.
- Cisco's IOS-XE note on filtering the web UI (document 221107, "filter traffic destined to
  Cisco IOS XE") binds ``ip http access-class ipv4 L`` and ``ip http access-class ipv6 L6`` apart.
- IOS ``snmp-server community C [view V] [RO|RW] [ipv6 L6] [L]``; NX-OS ``use-ipv4acl`` and
  ``use-ipv6acl`` one per line (Batfish's CiscoNxos_snmp grammar); Arista's AVD templates print
  ``ip access-group L [vrf V] in`` and ``ipv6 access-group L6 [vrf V] in`` under ``management
  ssh``, ``ip|ipv6 access-group`` in each ``vrf`` of ``management api http-commands``, and
  ``snmp-server community C ro ipv6 L6 L``.

So a vty with only ``access-class`` takes IPv6 sessions from every source once the device
speaks IPv6, and it does once any interface has an IPv6 address or ``ipv6 enable``: the
address enables IPv6 on the interface, and ``ipv6 unicast-routing`` only adds forwarding
between interfaces, an interface without it is still an IPv6 host (forum.networklessons.com,
"Stateless autoconfiguration for IPv6", on IOS): :func:`cisco_ipv6_reach`. A list bound for
IPv6 is judged even before IPv6 is configured (one that lets everyone in guards nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scanner.aclfacts import FAMILY_NAMES
from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts, FamilyLists, ManagementAccess, SnmpCommunity
from scanner.model import Evidence

LineEvidence = Callable[[Line], Evidence]
# The line that gives the device IPv6 (None: none does) and that line, or why none does, in words.
Reach = tuple[Evidence | None, str]


def snmp_access(
    facts: Facts, global_acl: tuple[str, Evidence] | None = None, dialect: str | None = None, reach: Reach | None = None
) -> list[ManagementAccess]:
    """One entry per SNMP community (numbered, never named by its value), with its ACL or the global one.

    ``dialect`` and ``reach`` (:func:`cisco_ipv6_reach`) are given where the community's ACL filters
    IPv4 only and an IPv6 list is named apart (``SnmpCommunity.acl6``): the entry is then judged
    per family (:func:`per_family`).
    """
    found = []
    # NX-OS sets a community's group and its ACLs on several lines: one community, one entry.
    by_value: dict[str, list[SnmpCommunity]] = {}
    for community in facts.snmp_communities:
        by_value.setdefault(community.value.reveal(), []).append(community)
    for number, lines in enumerate(by_value.values(), 1):
        bound = next((c for c in lines if c.acl not in (None, "ipv6")), None)
        acl = bound.acl if bound is not None else None
        evidence, default = (bound or lines[0]).evidence, ""
        target = f"SNMP community {number}"
        if dialect is not None and reach is not None:
            bound6 = next((c for c in lines if c.acl6 is not None), None)
            v6 = Bound(bound6.acl6, bound6.evidence) if bound6 is not None else Bound(None, evidence)
            statement = "'use-ipv6acl <list>'" if dialect == "nxos" else "'ipv6 <list>' on the community"
            found.append(per_family("snmp", target, "", Bound(acl, evidence), v6, reach, dialect, statement))
            continue
        if acl is None and global_acl is not None:
            acl, default = global_acl[0], f"no ACL on the community: the global '{global_acl[1].text.strip()}' applies"
        found.append(ManagementAccess("snmp", target, acl, evidence, "", default))
    return found


def web_on(facts: Facts) -> bool:
    return any(s.enabled for s in facts.services_named("http", "https"))


# ---- Cisco style ----------------------------------------------------------------------------

# Interface statements that give an IOS, NX-OS or EOS interface IPv6: any address (a prefix,
# eui-64, autoconfig, dhcp, link-local, use-link-local-only) or link-local only (``ipv6 enable``).
_IPV6_ON = ("ipv6 address ", "ipv6 enable", "ipv6 link-local ")


def cisco_ipv6_reach(tree: ConfigTree, evidence: LineEvidence) -> Reach:
    """The first statement that gives a live interface IPv6, and the interface and statement in words.

    None when no interface has IPv6, with the reason: then no IPv6 packet reaches the device's
    services. An interface shut down takes no packet and is named apart; one without a
    ``shutdown`` line is taken as up (the safe side where a platform's default state varies).
    A loopback counts: its address is reached through the device's other interfaces.
    """
    texts, parents = tree.texts, tree.parents
    shut: str | None = None
    # The IPv6 statements are found in the whole text at once (most configurations have none);
    # each interface is then judged at its first one, in the order of the configuration.
    judged: set[int] = set()
    for first in (i for i in tree.lines_starting("ipv6 ") if texts[i].startswith(_IPV6_ON)):
        index = parents[first]
        if index < 0 or index in judged or parents[index] >= 0 or not texts[index].startswith("interface "):
            continue
        judged.add(index)
        described = f"{texts[index]}: {texts[first]}"
        if any(texts[c] == "shutdown" for c in tree.child_indices(index)):
            shut = shut or described
            continue
        return evidence(Line(tree, first)), described
    if shut is not None:
        return None, f"IPv6 only on an interface shut down ({shut})"
    return None, "no interface has an IPv6 address or 'ipv6 enable'"


@dataclass(frozen=True, slots=True)
class Bound:
    """One address family's binding as read: the list's name (None: none bound) and the line shown for it."""

    acl: str | None
    shown: Evidence | None


_DIALECT_NAMES = {"ios": "IOS", "nxos": "NX-OS", "eos": "EOS"}
_VTY6 = "'ipv6 access-class <list> in'"


def per_family(
    service: str,
    target: str,
    context: str,
    v4: Bound,
    v6: Bound,
    reach: Reach,
    dialect: str,
    statement6: str,
    default4: str = "",
) -> ManagementAccess:
    """An access point whose IPv4 and IPv6 lists are bound apart (``ManagementAccess.by_family``).

    The IPv6 way in is judged when a list is bound for it, or when the device has IPv6 at all
    (``reach``): with no list it then takes IPv6 from every source, which that family's default
    says, shown by the line that gives the device IPv6. Without IPv6 only the IPv4 list is
    judged, and the point's default says why (so a pass says what decided it). ``statement6`` is
    the vendor's IPv6 binding; ``default4`` what the vendor does with no IPv4 list.
    """
    reach_line, reach_text = reach
    if v4.acl is None and v6.acl is not None and not default4:
        default4 = f"only the IPv6 list {v6.acl} is bound, and it filters IPv6 only"
    families = [FamilyLists("ipv4", (v4.acl,) if v4.acl else (), v4.shown, "" if v4.acl else default4)]
    note = ""
    if v6.acl is not None:
        families.append(FamilyLists("ipv6", (v6.acl,), v6.shown))
    elif reach_line is not None:
        vendor = _DIALECT_NAMES.get(dialect, dialect)
        default6 = f"{vendor}: without {statement6} every IPv6 source reaches it, and IPv6 is on: {reach_text}"
        families.append(FamilyLists("ipv6", (), reach_line, default6))
    else:
        note = f"IPv6 is not configured, only IPv4 reaches it: {reach_text}"
    named = [f"{b.lists[0]} ({FAMILY_NAMES[b.family]})" for b in families if b.lists]
    acl = v4.acl if len(families) == 1 else (", ".join(named) or None)
    return ManagementAccess(service, target, acl, v4.shown, context, note, by_family=tuple(families))


def cisco_access(
    facts: Facts,
    lines: Iterable[Line],
    management: Mapping[str, Line],
    http_acls: tuple[Line | None, Line | None],
    evidence: LineEvidence,
    dialect: str,
    reach: Reach,
) -> list[ManagementAccess]:
    """``http_acls``: the IOS ``ip http access-class`` lines for IPv4 and IPv6; ``reach``: :func:`cisco_ipv6_reach`."""
    found: list[ManagementAccess] = []

    def bound(binding: Line | None, acl: str | None, block: Line | None) -> Bound:
        shown = binding or block
        return Bound(acl, evidence(shown) if shown is not None else None)

    if dialect == "eos":
        found.extend(_eos(facts, management, bound, reach))
    else:
        vty = [block for block in lines if block.text.split()[1:2] == ["vty"]]
        for block in vty:
            transport = block.child(r"^transport\s+input\s+")
            if transport is not None and transport.text.split()[2:] == ["none"]:
                continue
            binding = block.child(r"^(?:ip )?access-class \S+ in\b")
            acl = None
            if binding is not None:
                words = binding.text.split()
                acl = words[words.index("access-class") + 1]
            binding6 = block.child(r"^ipv6 access-class \S+ in\b")
            acl6 = binding6.text.split()[2] if binding6 is not None else None
            v4, v6 = bound(binding, acl, block), bound(binding6, acl6, block)
            found.append(per_family("vty", block.text, block.text, v4, v6, reach, dialect, _VTY6))
        if dialect == "nxos" and not vty:
            default = "no 'line vty' block: NX-OS applies no access-class to VTY sessions"
            none = Bound(None, None)
            found.append(per_family("vty", "line vty", "line vty", none, none, reach, dialect, _VTY6, default))
        if dialect == "ios" and web_on(facts):
            http_acl, http_acl6 = http_acls
            acl = http_acl.text.split()[-1] if http_acl is not None else None
            acl6 = http_acl6.text.split()[-1] if http_acl6 is not None else None
            service = _service_evidence(facts)
            v4 = Bound(acl, evidence(http_acl) if http_acl is not None else service)
            v6 = Bound(acl6, evidence(http_acl6) if http_acl6 is not None else service)
            statement = "'ip http access-class ipv6 <list>'"
            found.append(per_family("http", _web_servers_on(facts), "", v4, v6, reach, dialect, statement))
    found.extend(snmp_access(facts, dialect=dialect, reach=reach))
    return found


def _eos(
    facts: Facts,
    management: Mapping[str, Line],
    bound: Callable[[Line | None, str | None, Line | None], Bound],
    reach: Reach,
) -> list[ManagementAccess]:
    found = []
    for name, service in (("ssh", "ssh"), ("telnet", "telnet"), ("api http-commands", "https")):
        block = management.get(name)
        context = f"management {name}"
        statement = f"'ipv6 access-group <list> in' under '{context}'"
        if name == "api http-commands":
            statement = f"'ipv6 access-group <list>' in a 'vrf' of '{context}'"
        if block is None:
            if name == "ssh":
                default = "EOS default: SSH on; no 'management ssh' block, so no access group"
                none = Bound(None, None)
                found.append(per_family(service, context, context, none, none, reach, "eos", statement, default))
            continue
        if name == "ssh" and block.child(r"^shutdown$") is not None:
            continue
        if (name == "telnet" and not _eos_running(block)) or (name != "ssh" and name != "telnet" and not web_on(facts)):
            continue
        binding = _eos_access_group(block, "ip")
        binding6 = _eos_access_group(block, "ipv6")
        v4 = bound(binding, binding.text.split()[2] if binding is not None else None, block)
        v6 = bound(binding6, binding6.text.split()[2] if binding6 is not None else None, block)
        found.append(per_family(service, context, context, v4, v6, reach, "eos", statement))
    return found


def _eos_running(block: Line) -> bool:
    return block.child(r"^no shutdown$") is not None or any(
        vrf.child(r"^no shutdown$") is not None for vrf in block.children_matching(r"^vrf \S+$")
    )


def _eos_access_group(block: Line, family: str) -> Line | None:
    """``ip|ipv6 access-group NAME [vrf V] [in]`` in the block or in one of its ``vrf`` blocks."""
    pattern = rf"^{family} access-group \S+"
    direct = block.child(pattern)
    if direct is not None:
        return direct
    for vrf in block.children_matching(r"^vrf \S+$"):
        nested = vrf.child(pattern)
        if nested is not None:
            return nested
    return None


def _web_servers_on(facts: Facts) -> str:
    """``ip http server`` / ``ip http secure-server``: the IOS web servers that run (one access-class covers both)."""
    statements = {"http": "ip http server", "https": "ip http secure-server"}
    on = [statements[s.name] for s in facts.services_named("http", "https") if s.enabled and s.name in statements]
    return " and ".join(dict.fromkeys(on)) or "ip http server"


def _service_evidence(facts: Facts) -> Evidence | None:
    return next((s.evidence for s in facts.services_named("http", "https") if s.enabled), None)


# ---- VRP / Comware --------------------------------------------------------------------------


def vrp_access(
    facts: Facts,
    vty_lines: Iterable[Line],
    service_acls: Mapping[str, Line],
    evidence: LineEvidence,
    vendor: str,
) -> list[ManagementAccess]:
    """``service_acls``: ``ssh server acl``, ``http acl``, ``snmp-agent acl``... by their statement head."""
    found = []
    ssh_acl = service_acls.get("ssh server acl") or service_acls.get("stelnet server acl")
    for block in vty_lines:
        binding = block.child(r"^acl (?:ipv6 )?(?:name )?\S+ inbound$")
        if binding is not None:
            acl = binding.text.split()[-2]
            found.append(ManagementAccess("vty", block.text, acl, evidence(binding), block.text))
        elif ssh_acl is not None:
            default = f"no 'acl ... inbound' under '{block.text}': '{ssh_acl.text}' restricts its SSH logins"
            acl = ssh_acl.text.split()[-1]
            found.append(ManagementAccess("vty", block.text, acl, evidence(ssh_acl), block.text, default))
        else:
            found.append(ManagementAccess("vty", block.text, None, evidence(block), block.text))
    if vendor == "huawei" and web_on(facts):
        binding = service_acls.get("http acl")
        acl = binding.text.split()[-1] if binding is not None else None
        shown = evidence(binding) if binding is not None else _service_evidence(facts)
        found.append(ManagementAccess("http", "web server", acl, shown))
    elif vendor != "huawei":
        # H3C binds HTTP and HTTPS apart ("ip http acl", "ip https acl"): each server that runs
        # is a way in of its own, so an HTTPS list leaves a running HTTP server open.
        for service in facts.services_named("http", "https"):
            if not service.enabled:
                continue
            head = f"ip {service.name} acl"
            binding = service_acls.get(head)
            acl = binding.text.split()[-1] if binding is not None else None
            shown = evidence(binding) if binding is not None else service.evidence
            found.append(ManagementAccess("http", f"{service.name.upper()} server", acl, shown, head, service.default))
    snmp_global = service_acls.get("snmp-agent acl")
    global_acl = (snmp_global.text.split()[-1], evidence(snmp_global)) if snmp_global is not None else None
    found.extend(snmp_access(facts, global_acl))
    return found
