"""Which access list guards each way into the management plane (access.management_acl).

The ACL model (``Facts.access``) records where a list is named (``AclUse``), not the services
no list guards; these readers list every management service the device runs, with the name of
the list that restricts its sources or None, so a service left open is reported too, and the
vendor default that decided. The lists themselves are read once, by the ACL model's readers,
and judged there (:mod:`scanner.aclsources`).

- IOS: each ``line vty`` that takes input (``access-class N in``), the HTTP server when on
  (``ip http access-class N``), each SNMP community (its ACL).
- NX-OS: ``line vty`` (``[ip] access-class N in``; no block: none), each SNMP community
  (``use-ipv4acl``/``use-acl``).
- EOS: ``management ssh`` / ``telnet`` / ``api http-commands`` when running (``ip access-group
  N in``, also under ``vrf V``), each SNMP community.
- Huawei / H3C: each VTY line (``acl N inbound``; Huawei ``ssh server acl`` and Comware 7 ``ssh
  server acl`` restrict the SSH logins of lines that name none), the HTTP(S) server when on
  (Huawei ``http acl``, H3C ``ip http[s] acl``), each SNMP community (its ACL, or Huawei's
  global ``snmp-agent acl``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from scanner.configtree import Line
from scanner.facts import Facts, ManagementAccess, SnmpCommunity
from scanner.model import Evidence

LineEvidence = Callable[[Line], Evidence]


def snmp_access(facts: Facts, global_acl: tuple[str, Evidence] | None = None) -> list[ManagementAccess]:
    """One entry per SNMP community (numbered, never named by its value), with its ACL or the global one."""
    found = []
    # NX-OS sets a community's group and its ACL on two lines: one community, one entry.
    by_value: dict[str, list[SnmpCommunity]] = {}
    for community in facts.snmp_communities:
        by_value.setdefault(community.value.reveal(), []).append(community)
    for number, lines in enumerate(by_value.values(), 1):
        bound = next((c for c in lines if c.acl not in (None, "ipv6")), None)
        acl = bound.acl if bound is not None else None
        evidence, default = (bound or lines[0]).evidence, ""
        if acl is None and global_acl is not None:
            acl, default = global_acl[0], f"no ACL on the community: the global '{global_acl[1].text.strip()}' applies"
        found.append(ManagementAccess("snmp", f"SNMP community {number}", acl, evidence, "", default))
    return found


def web_on(facts: Facts) -> bool:
    return any(s.enabled for s in facts.services_named("http", "https"))


# ---- Cisco style ----------------------------------------------------------------------------


def cisco_access(
    facts: Facts,
    lines: Iterable[Line],
    management: Mapping[str, Line],
    http_acl: Line | None,
    evidence: LineEvidence,
    dialect: str,
) -> list[ManagementAccess]:
    found: list[ManagementAccess] = []
    if dialect == "eos":
        found.extend(_eos(facts, management, evidence))
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
            found.append(ManagementAccess("vty", block.text, acl, evidence(binding or block), block.text))
        if dialect == "nxos" and not vty:
            default = "no 'line vty' block: NX-OS applies no access-class to VTY sessions"
            found.append(ManagementAccess("vty", "line vty", None, None, "line vty", default))
        if dialect == "ios" and web_on(facts):
            acl = http_acl.text.split()[-1] if http_acl is not None else None
            shown = evidence(http_acl) if http_acl is not None else _service_evidence(facts)
            found.append(ManagementAccess("http", _web_servers_on(facts), acl, shown))
    found.extend(snmp_access(facts))
    return found


def _eos(facts: Facts, management: Mapping[str, Line], evidence: LineEvidence) -> list[ManagementAccess]:
    found = []
    for name, service in (("ssh", "ssh"), ("telnet", "telnet"), ("api http-commands", "https")):
        block = management.get(name)
        context = f"management {name}"
        if block is None:
            if name == "ssh":
                default = "EOS default: SSH on; no 'management ssh' block, so no access group"
                found.append(ManagementAccess(service, context, None, None, context, default))
            continue
        if name == "ssh" and block.child(r"^shutdown$") is not None:
            continue
        if (name == "telnet" and not _eos_running(block)) or (name != "ssh" and name != "telnet" and not web_on(facts)):
            continue
        binding = _eos_access_group(block)
        acl = binding.text.split()[2] if binding is not None else None
        found.append(ManagementAccess(service, context, acl, evidence(binding or block), context))
    return found


def _eos_running(block: Line) -> bool:
    return block.child(r"^no shutdown$") is not None or any(
        vrf.child(r"^no shutdown$") is not None for vrf in block.children_matching(r"^vrf \S+$")
    )


def _eos_access_group(block: Line) -> Line | None:
    """``ip access-group NAME [vrf V] in`` in the block or in one of its ``vrf`` blocks."""
    direct = block.child(r"^ip access-group \S+")
    if direct is not None:
        return direct
    for vrf in block.children_matching(r"^vrf \S+$"):
        nested = vrf.child(r"^ip access-group \S+")
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
