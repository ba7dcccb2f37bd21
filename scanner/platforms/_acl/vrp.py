"""Access lists of Huawei VRP and H3C Comware, their uses, and routing.

Lists: Huawei ``acl [number] N`` / ``acl name NAME [advance|basic|N]`` / ``acl ipv6 ...``;
H3C ``acl basic|advanced N`` / ``acl basic|advanced name NAME`` / ``acl number N``
(Comware 5) / ``acl ipv6 basic|advanced ...``. Numbers 2000-2999 are basic (source
only), 3000-3999 advanced. Rules: ``rule [ID] permit|deny [PROTOCOL] [source A W|any]
[destination A W|any] [source-port|destination-port OP P [P2]] [icmp-type T] ...``, keywords
in any order; a wildcard of ``0`` is a host. Rules are matched by rule ID
(``match-order config``, the default) or depth-first (``match-order auto``).

What passes when no rule matches depends on the use, and these vendors differ from
Cisco here: an interface ``traffic-filter`` (Huawei) or ``packet-filter`` (H3C) is a
hardware filter that lets unmatched packets through (H3C: unless ``packet-filter
default deny``); a login, SNMP or service ACL (software ACL) refuses them.
"""

from __future__ import annotations

import re

from scanner.aclfacts import AccessFacts, AclFamily, AclUse, Routing, Unmodelled
from scanner.aclnames import ANY_PROTOCOL, ICMP_TYPES, port_number, protocol_number
from scanner.configtree import ConfigTree, Line
from scanner.facts import Facts
from scanner.headerspace import ACK, FIN, PSH, RST, SYN, URG
from scanner.platforms._acl.build import (
    ANY_TERNARY,
    ESTABLISHED,
    SCTP,
    TCP,
    UDP,
    MatchDraft,
    address_range,
    host,
    port_operator,
    prefix,
    prefix_length,
    subnet_mask,
    wildcard,
)
from scanner.platforms._acl.collect import AccessCollector, EvidenceMaker, LineEvidence, ListDraft
from scanner.platforms._acl.groups import ObjectGroups

_FLAGS = {"fin": FIN, "syn": SYN, "rst": RST, "psh": PSH, "ack": ACK, "urg": URG}
_NEUTRAL = frozenset({"logging", "counting", "statistics"})
_NARROWING = {
    "time-range": 1,
    "vpn-instance": 1,
    "dscp": 1,
    "precedence": 1,
    "tos": 1,
    "fragment": 0,
    "fragment-type": 1,
    "none-first-fragment": 0,
    "ttl-expired": 0,
    "ttl": 2,
    "igmp-type": 1,
    "packet-length": 2,
    "source-mac": 1,
    "destination-mac": 1,
}
_HUAWEI_FILTER_DEFAULT = "Huawei traffic-filter: packets that match no rule are permitted (hardware ACL default)"
_H3C_FILTER_DEFAULT = "H3C packet-filter: packets that match no rule are permitted (no 'packet-filter default deny')"
_H3C_FILTER_DENY = "packet-filter default deny"
_SOFTWARE_DEFAULT = "{vendor} login/SNMP/service ACL: packets that match no rule are refused (software ACL default)"
_MISSING = "a missing list filters nothing: every packet passes this use"
_SERVICE_ACL = re.compile(
    r"^(?P<what>ftp(?: server)?|telnet server|ssh server|stelnet server|ssh ipv4 server|http|ip https?|"
    r"snmp-agent|ntp-service(?: access \S+)?|sftp server|scp server|netconf)(?: ipv6)? acl (?:name )?(?P<name>\S+)"
)


def read_vrp_access(tree: ConfigTree, facts: Facts, ev: EvidenceMaker, vendor: str) -> AccessFacts:
    """Every ACL of a Huawei (``vendor="huawei"``) or H3C (``"h3c"``) configuration, with its uses."""
    evidence = LineEvidence(ev)
    collector = AccessCollector()
    groups = ObjectGroups()
    roots = list(tree.roots())
    filter_default_deny: Line | None = None
    for line in roots:
        if line.text.startswith("object-group "):
            _object_group(line, groups)
        elif line.text == _H3C_FILTER_DENY:
            filter_default_deny = line
    for line in roots:
        text = line.text
        first = text.partition(" ")[0]
        if first == "acl":
            _list(line, collector, groups, evidence, vendor)
        elif first in ("user-interface", "line") and " vty" in f" {text}":
            _login(line, collector, evidence, vendor)
        elif first == "traffic-filter":
            _global_filter(line, collector, evidence)
        elif (first == "traffic" and text.startswith("traffic classifier ")) or first == "route-policy":
            _classifier(line, collector, evidence)
        elif text.startswith("nat outbound ") and len(text.split()) > 2:
            collector.use(
                AclUse(
                    name=text.split()[2],
                    context="selection",
                    target=text,
                    evidence=evidence(line),
                    missing_effect="the NAT rule translates nothing without the list",
                )
            )
        elif first == "snmp-agent" and " acl " in text and " community " not in text:
            words = text.split()
            names = [w for w in words[words.index("acl") + 1 :] if w not in ("ipv6", "name")]
            if names:
                collector.use(
                    AclUse(
                        name=names[0],
                        context="snmp",
                        target=" ".join(words[:3]),
                        evidence=evidence(line),
                        default="deny",
                        default_basis=_SOFTWARE_DEFAULT.format(vendor="Huawei" if vendor == "huawei" else "H3C"),
                        missing_effect=_MISSING,
                    )
                )
        elif (match := _SERVICE_ACL.match(text)) is not None and " community " not in text:
            login = match["what"].startswith(("telnet", "ssh", "stelnet"))
            collector.use(
                AclUse(
                    name=match["name"],
                    context="login" if login else "management",
                    target=match["what"],
                    evidence=evidence(line),
                    default="deny",
                    default_basis=_SOFTWARE_DEFAULT.format(vendor="Huawei" if vendor == "huawei" else "H3C"),
                    missing_effect=_MISSING,
                    unbind=(f"undo {text}",),
                )
            )
    for community in facts.snmp_communities:
        if community.acl and community.acl != "ipv6":
            collector.use(
                AclUse(
                    name=community.acl,
                    context="snmp",
                    target="SNMP community",
                    evidence=community.evidence,
                    default="deny",
                    default_basis=_SOFTWARE_DEFAULT.format(vendor="Huawei" if vendor == "huawei" else "H3C"),
                    missing_effect=_MISSING,
                )
            )
    _interface_uses(tree, facts, collector, evidence, vendor, filter_default_deny)
    routing = Routing(
        True,
        f"{'Huawei VRP' if vendor == 'huawei' else 'H3C Comware'} routes between its VLANIF and routed "
        "interfaces (there is no global routing switch)",
    )
    return collector.finish(routing)


# ---- lists ------------------------------------------------------------------------------

_LIST_KINDS = ("basic", "advanced", "advance")


def _list(line: Line, collector: AccessCollector, groups: ObjectGroups, evidence: LineEvidence, vendor: str) -> None:
    words = line.text.split()[1:]
    family: AclFamily = "ipv4"
    if words and words[0] == "ipv6":
        family, words = "ipv6", words[1:]
    kind: str | None = None
    name: str | None = None
    auto = False
    position = 0
    while position < len(words):
        word = words[position]
        if word in _LIST_KINDS:
            kind = "advanced" if word.startswith("advance") else "basic"
        elif word in ("mac", "user", "user-defined", "link", "arp", "ucl"):
            return
        elif word == "number" and position + 1 < len(words):
            name = name or words[position + 1]
            position += 1
        elif word == "name" and position + 1 < len(words):
            name = words[position + 1]
            position += 1
        elif word == "match-order" and position + 1 < len(words):
            auto = words[position + 1] == "auto"
            position += 1
        elif word.isdigit():
            if name is None:
                name = word
            kind = kind or _kind_of_number(word)
        elif word in ("description", "step"):
            break
        position += 1
    if name is None:
        return
    if kind is None:
        kind = _kind_of_number(name) or "advanced"
    if kind is None or kind not in ("basic", "advanced"):
        return
    number_kind = _kind_of_number(name)
    if name.isdigit() and number_kind is None:
        return
    draft = collector.draft(name, kind, family, evidence(line), (line.text,))
    number = next((w for w in words if w.isdigit() and _kind_of_number(w)), None)
    if number is not None and number != name:
        collector.aliases[(family, number)] = name
    draft.auto_order = draft.auto_order or auto
    for child in line.children:
        body = child.text.split()
        if len(body) < 2 or body[0] != "rule":
            continue
        label = None
        rest = body[1:]
        if rest[0].isdigit():
            label, rest = rest[0], rest[1:]
        if not rest or rest[0] not in ("permit", "deny"):
            continue
        missing_before = len(groups.missing)
        try:
            match = _rule(rest[1:], basic=kind == "basic", groups=groups, ipv6=family == "ipv6")
        except ValueError as exc:
            draft.skip(child.lineno, child.text, exc)
            continue
        if len(groups.missing) != missing_before:
            collector.missing_names(groups.missing, evidence(child))
        shown = label or f"#{len(draft.lines) + 1}"
        remove = (f" undo rule {label}",) if label else (f" undo {child.text}",)
        draft.add(rest[0], match, evidence.ref(child), shown, remove)
    if draft.auto_order:
        _depth_first(draft)


def _kind_of_number(word: str) -> str | None:
    if not word.isdigit():
        return None
    value = int(word)
    if 2000 <= value <= 2999:
        return "basic"
    if 3000 <= value <= 3999:
        return "advanced"
    return None


def _rule(words: list[str], *, basic: bool, groups: ObjectGroups, ipv6: bool) -> MatchDraft:
    match = MatchDraft()
    protocol: int | None = None
    position = 0
    if not basic and words and not _is_keyword(words[0]):
        word = words[0]
        position = 1
        if word not in ANY_PROTOCOL:
            protocol = protocol_number(word)
            if protocol is None:
                match.inexact.append(f"unknown protocol {word!r}")
            else:
                match.protocol(protocol)
    sport = dport = None
    while position < len(words):
        word = words[position]
        position += 1
        if word in ("source", "destination"):
            values, position = _address(words, position, groups, match)
            if word == "source":
                match.src = values
            else:
                match.dst = values
        elif word in ("source-port", "destination-port"):
            intervals, position = _ports(words, position, protocol, groups, match)
            if word == "source-port":
                sport = intervals
            else:
                dport = intervals
        elif word == "icmp-type" and position < len(words):
            position = _icmp(words, position, match)
        elif word == "established" and protocol == TCP:
            match.flags = list(ESTABLISHED)
        elif word == "tcp-flag":
            position = _huawei_flags(words, position, match)
        elif word in _FLAGS and protocol == TCP and position < len(words) and words[position] in ("0", "1"):
            bit = _FLAGS[word]
            on = words[position] == "1"
            position += 1
            match.flags = [((v | bit) if on else (v & ~bit), c | bit) for v, c in match.flags]
        elif word in _NEUTRAL:
            continue
        elif word in _NARROWING:
            taken = words[position : position + _NARROWING[word]]
            position += _NARROWING[word]
            match.inexact.append(" ".join([word, *taken]))
        else:
            match.inexact.append(f"option {word!r} not modelled")
    if protocol in (TCP, UDP, SCTP) and (sport is not None or dport is not None):
        match.sport = sport or match.sport
        match.dport = dport or match.dport
    elif sport is not None or dport is not None:
        match.inexact.append("ports given for a protocol without ports")
    return match


def _is_keyword(word: str) -> bool:
    return word in ("source", "destination", "source-port", "destination-port", "logging", "time-range", "fragment")


def _address(words: list[str], position: int, groups: ObjectGroups, match: MatchDraft) -> tuple[list, int]:
    if position >= len(words):
        raise ValueError("address expected")
    word = words[position]
    if word == "any":
        return [ANY_TERNARY], position + 1
    if word == "object-group" and position + 1 < len(words):
        return groups.networks(words[position + 1], match), position + 2
    if "/" in word:
        return [prefix(word)], position + 1
    following = words[position + 1] if position + 1 < len(words) else None
    if following is not None:
        if following == "0":
            return [host(word)], position + 2
        if "." in following or ":" in following:
            return [wildcard(word, following)], position + 2
        if following.isdigit():
            # A prefix length (VRP accepts "10.1.1.0 24" in place of a wildcard).
            return [prefix_length(word, int(following))], position + 2
    return [host(word)], position + 1


def _ports(
    words: list[str], position: int, protocol: int | None, groups: ObjectGroups, match: MatchDraft
) -> tuple[list, int]:
    if position >= len(words):
        raise ValueError("port operator expected")
    operator = words[position]
    if operator == "object-group" and position + 1 < len(words):
        return groups.ports(words[position + 1], match), position + 2
    count = 2 if operator == "range" else 1
    values = []
    for word in words[position + 1 : position + 1 + count]:
        number = port_number(word, protocol)
        if number is None:
            match.inexact.append(f"unknown port {word!r}")
            return [(0, 65535)], position + 1 + count
        values.append(number)
    intervals = port_operator(operator, values)
    if intervals is None:
        raise ValueError(f"bad port operator {operator!r}")
    return intervals, position + 1 + count


def _icmp(words: list[str], position: int, match: MatchDraft) -> int:
    word = words[position]
    if word.isdigit():
        icmp_type = int(word)
        code = words[position + 1] if position + 1 < len(words) and words[position + 1].isdigit() else None
        match.icmp = [((icmp_type, icmp_type), (int(code), int(code)) if code else (0, 255))]
        return position + (2 if code else 1)
    known = ICMP_TYPES.get(word)
    if known is None:
        match.inexact.append(f"ICMP message {word!r} not known")
        return position + 1
    code_interval = (known[1], known[1]) if known[1] is not None else (0, 255)
    match.icmp = [((known[0], known[0]), code_interval)]
    return position + 1


def _huawei_flags(words: list[str], position: int, match: MatchDraft) -> int:
    """``tcp-flag syn ack`` (each flag set), ``tcp-flag established``."""
    value = care = 0
    while position < len(words) and (words[position] in _FLAGS or words[position] == "established"):
        if words[position] == "established":
            match.flags = list(ESTABLISHED)
        else:
            value |= _FLAGS[words[position]]
            care |= _FLAGS[words[position]]
        position += 1
    if care:
        match.flags = [(v | value, c | care) for v, c in match.flags]
    return position


def _depth_first(draft: ListDraft) -> None:
    """``match-order auto``: rules with the narrower match first (protocol, source, destination, ports), then by ID."""

    def key(item: tuple[int, object]) -> tuple[int, ...]:
        position, line = item
        cubes = line.space.cubes  # type: ignore[attr-defined]
        if not cubes:
            return (0, 0, 0, 0, position)
        c = cubes[0]
        protocol_any = 1 if c[1] - c[0] > 0 else 0
        return (protocol_any, -bin(c[3]).count("1"), -bin(c[5]).count("1"), (c[9] - c[8]) + (c[7] - c[6]), position)

    ordered = sorted(enumerate(draft.lines), key=key)
    draft.lines = [line for _, line in ordered]
    draft.notes.append("match-order auto: rules evaluated depth-first (narrowest match first), as the device does")


# ---- object groups (Comware 7) ------------------------------------------------------------


def _object_group(line: Line, groups: ObjectGroups) -> None:
    """``object-group ip address NAME`` with ``[N] network host address A|subnet A M|range A B|group-object G``."""
    words = line.text.split()
    if len(words) < 4 or words[1] not in ("ip", "ipv6"):
        return
    kind, name = words[2], words[3]
    if kind == "address":
        members: list = []
        nested = groups.nested.setdefault(("network", name), [])
        for child in line.children:
            body = child.text.split()
            if body and body[0].isdigit():
                body = body[1:]
            if len(body) < 2 or body[0] != "network":
                if body[:1] == ["group-object"] and len(body) > 1:
                    nested.append(body[1])
                continue
            try:
                if body[1] == "host" and len(body) >= 4:
                    members.append(host(body[3]))
                elif body[1] == "subnet" and len(body) >= 4:
                    mask = body[3]
                    members.append(prefix_length(body[2], int(mask)) if mask.isdigit() else subnet_mask(body[2], mask))
                elif body[1] == "range" and len(body) >= 4:
                    members.extend(address_range(body[2], body[3]))
                elif body[1] == "group-object" and len(body) >= 3:
                    nested.append(body[2])
            except ValueError:
                continue
        groups.network_members[name] = members
    elif kind == "port":
        ports: list = []
        for child in line.children:
            body = child.text.split()
            if body and body[0].isdigit():
                body = body[1:]
            if len(body) >= 2 and body[0] == "port":
                body = body[1:]
            if len(body) >= 2:
                values = [port_number(w, None) for w in body[1:3]]
                intervals = port_operator(body[0], [v for v in values if v is not None])
                if intervals:
                    ports.extend(intervals)
        groups.port_members[name] = ports


# ---- uses ---------------------------------------------------------------------------------


def _interface_uses(
    tree: ConfigTree,
    facts: Facts,
    collector: AccessCollector,
    evidence: LineEvidence,
    vendor: str,
    default_deny: Line | None,
) -> None:
    if vendor == "huawei":
        basis, default = _HUAWEI_FILTER_DEFAULT, "permit"
    elif default_deny is not None:
        basis, default = f"H3C packet-filter: {_H3C_FILTER_DENY} (line {default_deny.lineno})", "deny"
    else:
        basis, default = _H3C_FILTER_DEFAULT, "permit"
    for interface in facts.interfaces:
        for binding in interface.filters:
            if vendor == "huawei":
                statement = f"traffic-filter {binding.direction}bound acl {'ipv6 ' if binding.family == 'ipv6' else ''}"
                unbind = (f"interface {interface.name}", f" undo {statement}{binding.name}")
            else:
                unbind = (f"interface {interface.name}", f" undo packet-filter {binding.name} {binding.direction}bound")
            collector.use(
                AclUse(
                    name=binding.name,
                    context="interface",
                    target=interface.name,
                    evidence=binding.evidence,
                    family="ipv6" if binding.family == "ipv6" else "ipv4",
                    direction=binding.direction,
                    default=default,  # type: ignore[arg-type]
                    default_basis=basis,
                    missing_effect=_MISSING,
                    unbind=unbind,
                )
            )
    for index in tree.top_indices():
        if not tree.texts[index].startswith("interface "):
            continue
        name = tree.texts[index].split()[1] if len(tree.texts[index].split()) > 1 else ""
        for child in tree.child_indices(index):
            text = tree.texts[child]
            if text.startswith(("traffic-policy ", "qos apply policy ")):
                collector.unmodelled.append(
                    Unmodelled(
                        f"QoS policy ({text}): its classifiers and deny behaviours are not analysed",
                        evidence(Line(tree, child)),
                        interface=name,
                    )
                )


def _login(line: Line, collector: AccessCollector, evidence: LineEvidence, vendor: str) -> None:
    """``user-interface vty 0 4`` / ``line vty 0 63`` with ``acl [ipv6] N inbound``."""
    for child in line.children:
        words = child.text.split()
        if len(words) < 3 or words[0] != "acl":
            continue
        family: AclFamily = "ipv4"
        rest = words[1:]
        if rest[0] == "ipv6":
            family, rest = "ipv6", rest[1:]
        rest = [w for w in rest if w not in ("basic", "advanced", "mac", "name")]
        if len(rest) < 2 or rest[-1] not in ("inbound", "outbound"):
            continue
        collector.use(
            AclUse(
                name=rest[0],
                context="login",
                target=line.text,
                evidence=evidence(child),
                family=family,
                direction="in" if rest[-1] == "inbound" else "out",
                default="deny",
                default_basis=_SOFTWARE_DEFAULT.format(vendor="Huawei" if vendor == "huawei" else "H3C"),
                missing_effect=_MISSING,
                unbind=(line.text, f" undo {child.text}"),
            )
        )


def _global_filter(line: Line, collector: AccessCollector, evidence: LineEvidence) -> None:
    """Huawei system view ``traffic-filter [vlan V] inbound|outbound acl [ipv6] N|name X``."""
    words = line.text.split()
    target = "all interfaces"
    rest = words[1:]
    if rest[:1] == ["vlan"] and len(rest) > 1:
        target = f"vlan {rest[1]}"
        rest = rest[2:]
    if len(rest) < 3 or rest[0] not in ("inbound", "outbound") or rest[1] != "acl":
        return
    names = [w for w in rest[2:] if w not in ("ipv6", "name")]
    if not names:
        return
    collector.use(
        AclUse(
            name=names[0],
            context="interface",
            target=target,
            evidence=evidence(line),
            family="ipv6" if "ipv6" in rest else "ipv4",
            direction="in" if rest[0] == "inbound" else "out",
            default="permit",
            default_basis=_HUAWEI_FILTER_DEFAULT,
            missing_effect=_MISSING,
            unbind=(f"undo {line.text}",),
        )
    )


def _classifier(line: Line, collector: AccessCollector, evidence: LineEvidence) -> None:
    for child in line.children:
        words = child.text.split()
        if len(words) >= 3 and words[0] == "if-match" and "acl" in words[1:3]:
            names = [w for w in words[words.index("acl") + 1 :] if w not in ("name", "ipv6")]
            if names:
                collector.use(
                    AclUse(
                        name=names[0],
                        context="selection",
                        target=f"{line.text} / {child.text}",
                        evidence=evidence(child),
                        missing_effect="the classifier matches nothing without the list",
                    )
                )
