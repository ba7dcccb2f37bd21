"""Access lists of the Cisco family (IOS/IOS-XE, NX-OS, EOS), where they are used, and IP routing.

Dialects differ where it matters:

* ``ios``: numbered lists (``access-list 10``/``access-list 101``: 1-99 and 1300-1999
  standard, 100-199 and 2000-2699 extended), ``ip access-list standard|extended NAME``,
  ``object-group network|service``; a running configuration prints entries without
  sequence numbers, so a line is removed by its text (``no permit ...``). IP routing is
  on unless ``no ip routing`` (IOS routers; an IOS switch that does not route says
  ``no ip routing`` or has no ``ip routing`` line, which netcomply cannot tell from a
  router's, so the configuration's own line decides and its absence is reported).
* ``nxos``: ``ip access-list NAME`` with sequence numbers, ``object-group ip address|port``
  used as ``addrgroup``/``portgroup``; routed ports always route, SVIs only with
  ``feature interface-vlan``.
* ``eos``: ``ip access-list [standard] NAME`` with sequence numbers; IP routing is off
  unless ``ip routing`` (per VRF: ``ip routing vrf NAME``).

Every list denies what it does not match (the implicit final deny), wherever it is used.
"""

from __future__ import annotations

import re

from scanner.aclfacts import AccessFacts, AclFamily, AclUse, Routing, Unmodelled, UseContext, exact_line
from scanner.aclnames import ANY_PROTOCOL, ICMP_TYPES, port_number, protocol_number
from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts
from scanner.platforms._acl.build import Service, address_range, host, port_operator, prefix, subnet_mask, wildcard
from scanner.platforms._acl.cisco_ace import EntryError, parse_entry, simple_entry
from scanner.platforms._acl.collect import AccessCollector, EvidenceMaker, LineEvidence, ListDraft
from scanner.platforms._acl.groups import ObjectGroups

_IMPLICIT_DENY = "implicit deny at the end of every Cisco access list"
_MISSING = {
    "ios": "IOS applies no filter when the named access list does not exist (everything passes)",
    "nxos": "NX-OS keeps the reference but the list does not exist, so it filters nothing as configured",
    "eos": "EOS keeps the reference but the list does not exist, so it filters nothing as configured",
}
# ip access-list <word> ... where <word> is a global setting, not a list name.
_GLOBAL_WORDS = frozenset(
    {
        "logging",
        "log-update",
        "resequence",
        "persistent",
        "role-based",
        "fqdn",
        "match-local-traffic",
        "helper",
        "counters",
        "payload",
        "audit",
        "dynamic-extend",
        "compiled",
    }
)
_SEQUENCE = re.compile(r"^\d+$")
# The first words of the top-level statements read below (the others, interfaces and VLANs
# by the hundred, are passed over at once).
_STATEMENT_WORDS = frozenset(
    {
        "access-list",
        "ip",
        "ipv6",
        "no",
        "feature",
        "line",
        "management",
        "route-map",
        "class-map",
        "crypto",
        "router",
        "ntp",
        "snmp-server",
    }
)


def numbered_kind(number: str) -> str | None:
    """``standard`` or ``extended`` for an IOS numbered list; None for other ranges (MAC, protocol-type...)."""
    if not number.isdigit():
        return None
    value = int(number)
    if 1 <= value <= 99 or 1300 <= value <= 1999:
        return "standard"
    if 100 <= value <= 199 or 2000 <= value <= 2699:
        return "extended"
    return None


def read_cisco_access(tree: ConfigTree, facts: Facts, ev: EvidenceMaker, dialect: str) -> AccessFacts:
    """Every access list, object group and ACL use of a Cisco-family configuration."""
    evidence = LineEvidence(ev)
    collector = AccessCollector()
    groups = ObjectGroups()
    texts = tree.texts
    roots = tree.top_indices()
    # Object groups first: entries may name a group defined further down.
    for index in roots:
        if texts[index].startswith("object-group "):
            _object_group(Line(tree, index), groups, dialect)
    routing_lines: dict[str, Line] = {}
    for index in roots:
        text = texts[index]
        first = text.partition(" ")[0]
        if first not in _STATEMENT_WORDS or text.startswith("ip route "):
            continue
        if first == "access-list":
            _numbered_entry(Line(tree, index), collector, groups, evidence)
        elif first in ("ip", "ipv6") and text.startswith(("ip access-list ", "ipv6 access-list ")):
            _named_list(Line(tree, index), collector, groups, evidence, dialect)
        elif text in ("ip routing", "no ip routing", "feature interface-vlan") or text.startswith(
            ("ip routing vrf ", "no ip routing vrf ")
        ):
            routing_lines[text] = Line(tree, index)
        elif first == "line" and text.startswith("line vty"):
            _access_class(Line(tree, index), collector, evidence, dialect)
        elif first == "management":
            _management(Line(tree, index), collector, evidence, dialect)
        elif first in ("route-map", "class-map", "crypto"):
            _selection_children(Line(tree, index), collector, evidence)
        elif first == "router":
            _distribute_lists(Line(tree, index), collector, evidence)
        elif text.startswith(("ip nat inside source list ", "ip nat outside source list ")):
            words = text.split()
            _select(collector, words[5], text, evidence(Line(tree, index)), "NAT")
        elif text.startswith("ntp access-group "):
            words = [w for w in text.split() if w not in ("ipv4", "ipv6")]
            if len(words) >= 4:
                line = Line(tree, index)
                _management_use(collector, words[3], "ntp", text, evidence(line), dialect, line)
        elif text.startswith("ip http access-class "):
            words = text.split()
            line = Line(tree, index)
            family: AclFamily = "ipv6" if words[3:4] == ["ipv6"] else "ipv4"
            _management_use(collector, words[-1], "http server", text, evidence(line), dialect, line, family)
        elif text.startswith("snmp-server group ") and " access " in f" {text} ":
            words = text.split()
            position = words.index("access")
            if position + 1 < len(words):
                name = words[position + 1]
                if name == "ipv6" and position + 2 < len(words):
                    continue
                _snmp_use(collector, name, text, evidence(Line(tree, index)), dialect)
    for community in facts.snmp_communities:
        if community.acl:
            _snmp_use(collector, community.acl, "snmp-server community", community.evidence, dialect)
        if community.acl6:
            _snmp_use(collector, community.acl6, "snmp-server community", community.evidence, dialect, "ipv6")
    _interface_uses(tree, facts, collector, evidence, dialect)
    return collector.finish(_routing(routing_lines, evidence, dialect))


# ---- lists ------------------------------------------------------------------------------


def _numbered_entry(line: Line, collector: AccessCollector, groups: ObjectGroups, evidence: LineEvidence) -> None:
    words = line.text.split()
    if len(words) < 3:
        return
    number = words[1]
    kind = numbered_kind(number)
    if kind is None or words[2] == "remark":
        return
    draft = collector.draft(number, kind, "ipv4", evidence(line), (f"ip access-list {kind} {number}",))
    body = words[2:]
    _entry(collector, draft, body, line, evidence, groups, standard=kind == "standard", ipv6=False, label=None)


def _named_list(
    line: Line, collector: AccessCollector, groups: ObjectGroups, evidence: LineEvidence, dialect: str
) -> None:
    words = line.text.split()
    family: AclFamily = "ipv6" if words[0] == "ipv6" else "ipv4"
    rest = words[2:]
    if not rest or rest[0] in _GLOBAL_WORDS:
        return
    kind = "extended"
    if rest[0] in ("standard", "extended"):
        kind = rest[0]
        rest = rest[1:]
    if not rest:
        return
    name = rest[0]
    edit = (" ".join(words[: len(words) - len(rest) + 1]),)
    draft = collector.draft(name, kind, family, evidence(line), edit)
    standard = kind == "standard"
    ipv6 = family == "ipv6"
    tree = line.tree
    texts, linenos, indents = tree.texts, tree.linenos, tree.indents
    # The common extended IPv4 entry (``[seq] permit tcp A W B W eq P``) is added here from its
    # text as it stands, without the split and join, the Line and the draft of the general
    # reader below: lists run to thousands of entries on every device. It is the line
    # _entry would add (parse_entry tries the same reader, on entries of up to nine words).
    simple = not standard and not ipv6
    by_number = dialect in ("nxos", "eos")
    lines = draft.lines
    source, path = evidence.source, evidence.path
    for child in tree.child_indices(line.index):
        text = texts[child]
        if simple:
            first, _, after = text.partition(" ")
            label: str | None
            label, body = (first, after) if first.isdecimal() else (None, text)
            found = simple_entry(body) if body.count(" ") <= 8 else None
            if found is not None:
                action, space, by_text = found
                raw = " " * indents[child] + text
                # IOS prints no sequence numbers in a running configuration: an entry is removed by its text.
                remove = (f" no {label}",) if by_number and label is not None else by_text
                shown = label or f"#{len(lines) + 1}"
                lines.append(exact_line(action, space, source, linenos[child], raw, path, shown, remove))  # type: ignore[arg-type]
                continue
        body_words = text.split()
        if not body_words:
            continue
        label = None
        if _SEQUENCE.match(body_words[0]):
            label, body_words = body_words[0], body_words[1:]
        elif body_words[0] == "sequence" and len(body_words) > 2 and body_words[1].isdigit():
            label, body_words = body_words[1], body_words[2:]
        if not body_words or body_words[0] not in ("permit", "deny", "dynamic", "evaluate"):
            continue
        _entry(
            collector,
            draft,
            body_words,
            Line(tree, child),
            evidence,
            groups,
            standard=standard,
            ipv6=ipv6,
            label=label,
            dialect=dialect,
        )


def _entry(
    collector: AccessCollector,
    draft: ListDraft,
    body: list[str],
    line: Line,
    evidence: LineEvidence,
    groups: ObjectGroups,
    *,
    standard: bool,
    ipv6: bool,
    label: str | None,
    dialect: str = "ios",
) -> None:
    missing_before = len(groups.missing)
    try:
        entry = parse_entry(body, standard=standard, groups=groups, ipv6=ipv6)
    except EntryError as exc:
        draft.skip(line.lineno, " ".join(body), exc)
        return
    if len(groups.missing) != missing_before:
        collector.missing_names(groups.missing, evidence(line))
    position = len(draft.lines) + 1
    shown = label or f"#{position}"
    # IOS prints no sequence numbers in a running configuration: an entry is removed by its text.
    by_number = label is not None and dialect in ("nxos", "eos")
    remove = (f" no {label}",) if by_number else (f" no {' '.join(body)}",)
    draft.add(entry.action, entry.match, evidence.ref(line), shown, remove)


# ---- object groups ----------------------------------------------------------------------


def _object_group(line: Line, groups: ObjectGroups, dialect: str) -> None:
    words = line.text.split()
    if len(words) < 3:
        return
    kind_words = words[1:-1]
    name = words[-1]
    kind = " ".join(kind_words)
    if kind in ("network", "ip address", "ipv6 address", "ipv4 address"):
        members: list = []
        nested = groups.nested.setdefault(("network", name), [])
        for child in line.children:
            body = child.text.split()
            if body and body[0].isdigit():
                body = body[1:]
            if not body or body[0] == "description":
                continue
            try:
                if body[0] == "host" and len(body) > 1:
                    members.append(host(body[1]))
                elif body[0] == "group-object" and len(body) > 1:
                    nested.append(body[1])
                elif body[0] == "range" and len(body) > 2:
                    members.extend(address_range(body[1], body[2]))
                elif body[0] == "any":
                    members.append((0, 0))
                elif "/" in body[0]:
                    members.append(prefix(body[0]))
                elif len(body) > 1 and body[1].startswith("/"):
                    members.append(prefix(body[0] + body[1]))
                elif len(body) > 1:
                    # IOS network groups take a subnet mask; NX-OS address groups a wildcard.
                    members.append(subnet_mask(body[0], body[1]) if dialect == "ios" else wildcard(body[0], body[1]))
            except ValueError:
                continue
        groups.network_members[name] = members
    elif kind in ("ip port",):
        ports: list = []
        for child in line.children:
            body = child.text.split()
            if body and body[0].isdigit():
                body = body[1:]
            if len(body) >= 2:
                values = [port_number(w, None) for w in body[1:]]
                intervals = port_operator(body[0], [v for v in values if v is not None])
                if intervals:
                    ports.extend(intervals)
        groups.port_members[name] = ports
    elif kind == "service":
        services: list[Service] = []
        nested = groups.nested.setdefault(("service", name), [])
        for child in line.children:
            body = child.text.split()
            if not body or body[0] == "description":
                continue
            if body[0] == "group-object" and len(body) > 1:
                nested.append(body[1])
                continue
            services.extend(_service_member(body))
        groups.service_members[name] = services


def _service_member(body: list[str]) -> list[Service]:
    """``tcp eq 22``, ``tcp-udp range 1 10``, ``tcp source eq 80``, ``icmp echo``, ``ip``, ``esp``, ``47``."""
    protocol_word, rest = body[0], body[1:]
    if protocol_word in ANY_PROTOCOL:
        return [Service()]
    if protocol_word == "tcp-udp":
        numbers = [6, 17]
    else:
        number = protocol_number(protocol_word)
        if number is None:
            return [Service()]
        numbers = [number]
    if numbers == [1] and rest:
        known = ICMP_TYPES.get(rest[0])
        if known is not None:
            code = (known[1], known[1]) if known[1] is not None else (0, 255)
            return [Service((1, 1), icmp_type=(known[0], known[0]), icmp_code=code)]
        if rest[0].isdigit():
            return [Service((1, 1), icmp_type=(int(rest[0]), int(rest[0])))]
    sport = [(0, 65535)]
    dport = [(0, 65535)]
    position = 0
    while position < len(rest):
        target = "dport"
        if rest[position] == "source":
            target = "sport"
            position += 1
        elif rest[position] == "destination":
            position += 1
        if position >= len(rest):
            break
        operator = rest[position]
        count = 2 if operator == "range" else 1
        values = [port_number(w, numbers[0]) for w in rest[position + 1 : position + 1 + count]]
        intervals = port_operator(operator, [v for v in values if v is not None]) or [(0, 65535)]
        if target == "sport":
            sport = intervals
        else:
            dport = intervals
        position += 1 + count
    return [Service((n, n), s, d) for n in numbers for s in sport for d in dport]


# ---- uses --------------------------------------------------------------------------------


def _interface_uses(
    tree: ConfigTree, facts: Facts, collector: AccessCollector, evidence: LineEvidence, dialect: str
) -> None:
    for interface in facts.interfaces:
        for binding in interface.filters:
            keyword = (
                "ipv6 traffic-filter"
                if binding.family == "ipv6" and dialect == "ios"
                else ("ipv6 access-group" if binding.family == "ipv6" else "ip access-group")
            )
            collector.use(
                AclUse(
                    name=binding.name,
                    context="interface",
                    target=interface.name,
                    evidence=binding.evidence,
                    family="ipv6" if binding.family == "ipv6" else "ipv4",
                    direction=binding.direction,
                    default="deny",
                    default_basis=_IMPLICIT_DENY,
                    missing_effect=_MISSING[dialect],
                    unbind=(f"interface {interface.name}", f" no {keyword} {binding.name} {binding.direction}"),
                )
            )
    # Zone-based firewalls are rare: their statements are looked for in the whole text at once,
    # and each is taken where it stands, under a top-level interface block.
    texts, parents = tree.texts, tree.parents
    for child in tree.lines_starting("zone-member security "):
        block = parents[child]
        on_interface = block >= 0 and parents[block] < 0 and texts[block].startswith("interface ")
        words = texts[block].split() if on_interface else []
        if len(words) > 1:
            collector.unmodelled.append(
                Unmodelled(
                    f"zone-based firewall ({texts[child]}): its zone-pair policies are not analysed",
                    evidence(Line(tree, child)),
                    interface=words[1],
                )
            )


def _access_class(line: Line, collector: AccessCollector, evidence: LineEvidence, dialect: str) -> None:
    for child in line.children:
        words = child.text.split()
        if len(words) >= 3 and words[0] in ("access-class", "ipv6") and "access-class" in words[:2]:
            family: AclFamily = "ipv6" if words[0] == "ipv6" else "ipv4"
            position = words.index("access-class")
            name = words[position + 1]
            direction = words[position + 2] if position + 2 < len(words) else "in"
            if direction not in ("in", "out"):
                continue
            collector.use(
                AclUse(
                    name=name,
                    context="login",
                    target=line.text,
                    evidence=evidence(child),
                    family=family,
                    direction=direction,  # type: ignore[arg-type]
                    default="deny",
                    default_basis=_IMPLICIT_DENY,
                    missing_effect=_MISSING[dialect],
                    unbind=(line.text, f" no {child.text}"),
                )
            )


def _management(line: Line, collector: AccessCollector, evidence: LineEvidence, dialect: str) -> None:
    """EOS ``management ssh|telnet|api http-commands`` blocks: ``ip access-group NAME [vrf V] in``."""
    stack = [(line, [line.text])]
    while stack:
        block, path = stack.pop()
        for child in block.children:
            words = child.text.split()
            if len(words) >= 2 and words[0] in ("ip", "ipv6") and words[1] == "access-group" and len(words) >= 3:
                collector.use(
                    AclUse(
                        name=words[2],
                        context="login",
                        target=" / ".join(path),
                        evidence=evidence(child),
                        family="ipv6" if words[0] == "ipv6" else "ipv4",
                        direction="in",
                        default="deny",
                        default_basis=_IMPLICIT_DENY,
                        missing_effect=_MISSING[dialect],
                        unbind=(*path, f"{' ' * len(path)}no {child.text}"),
                    )
                )
            elif child.children:
                stack.append((child, [*path, child.text]))


def _management_use(
    collector: AccessCollector,
    name: str,
    what: str,
    text: str,
    evidence: object,
    dialect: str,
    line: Line,
    family: AclFamily = "ipv4",
) -> None:
    collector.use(
        AclUse(
            name=name,
            context="management",
            target=what,
            evidence=evidence,  # type: ignore[arg-type]
            family=family,
            default="deny",
            default_basis=_IMPLICIT_DENY,
            missing_effect=_MISSING[dialect],
            unbind=(f"no {text}",),
        )
    )


def _snmp_use(
    collector: AccessCollector, name: str, text: str, evidence: object, dialect: str, family: AclFamily = "ipv4"
) -> None:
    collector.use(
        AclUse(
            name=name,
            context="snmp",
            target="SNMP community" if "community" in text else "SNMP group",
            evidence=evidence,  # type: ignore[arg-type]
            family=family,
            default="deny",
            default_basis=_IMPLICIT_DENY,
            missing_effect=_MISSING[dialect],
        )
    )


def _select(collector: AccessCollector, name: str, what: str, evidence: object, label: str) -> None:
    context: UseContext = "selection"
    collector.use(
        AclUse(
            name=name,
            context=context,
            target=f"{label}: {what}",
            evidence=evidence,  # type: ignore[arg-type]
            missing_effect="the statement selects nothing (or everything, depending on the feature) without the list",
        )
    )


_MATCH_ADDRESS = re.compile(r"^match (?:ip(?:v6)? )?(?:address|access-group)(?: name)? (?P<names>.+)$")


def _selection_children(line: Line, collector: AccessCollector, evidence: LineEvidence) -> None:
    for child in line.children:
        match = _MATCH_ADDRESS.match(child.text)
        if match is None:
            continue
        names = match["names"].split()
        if names and names[0] in ("prefix-list", "prefix-lists"):
            continue
        for name in names:
            _select(collector, name, f"{line.text} / {child.text}", evidence(child), line.text.split()[0])


def _distribute_lists(line: Line, collector: AccessCollector, evidence: LineEvidence) -> None:
    for child in line.children:
        words = child.text.split()
        if len(words) >= 2 and words[0] == "distribute-list" and words[1] not in ("prefix", "route-map", "gateway"):
            _select(collector, words[1], f"{line.text} / {child.text}", evidence(child), "routing")


# ---- routing ------------------------------------------------------------------------------


def _routing(lines: dict[str, Line], evidence: LineEvidence, dialect: str) -> Routing:
    vrfs: list[tuple[str, bool]] = []
    for text in lines:
        if text.startswith("ip routing vrf "):
            vrfs.append((text.split()[3], True))
        elif text.startswith("no ip routing vrf "):
            vrfs.append((text.split()[4], False))
    if dialect == "eos":
        if "ip routing" in lines:
            return Routing(True, "ip routing", evidence(lines["ip routing"]), tuple(vrfs))
        if "no ip routing" in lines:
            return Routing(False, "no ip routing", evidence(lines["no ip routing"]), tuple(vrfs))
        return Routing(False, "EOS default: IP routing is off without 'ip routing'", None, tuple(vrfs))
    if dialect == "nxos":
        if "feature interface-vlan" in lines:
            return Routing(
                True,
                "NX-OS routes between L3 interfaces; feature interface-vlan",
                evidence(lines["feature interface-vlan"]),
            )
        return Routing(
            True,
            "NX-OS routes between routed ports; SVIs need feature interface-vlan, which is off",
            None,
            inert_kinds=("vlan",),
        )
    if "no ip routing" in lines:
        return Routing(False, "no ip routing", evidence(lines["no ip routing"]))
    if "ip routing" in lines:
        return Routing(True, "ip routing", evidence(lines["ip routing"]))
    return Routing(True, "IOS default: routing is on unless 'no ip routing' is configured", None)
