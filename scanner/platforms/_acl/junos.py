"""Junos firewall filters, SRX security zones and policies, and where they apply.

Filters (``firewall [family inet|inet6] filter F term T from ... then ...``): terms in
order, the first whose ``from`` conditions all hold decides; several values of one
condition are alternatives; ``address``/``port``/``prefix-list`` match either source or
destination; an ``except`` prefix removes what its longest-prefix match covers. A term
without ``accept``/``discard``/``reject`` accepts (only counters or logging), ``next
term`` decides nothing. Every filter ends with an implicit discard. Interface filters
come from ``family inet filter input|output`` (already read with the interfaces); a
filter on ``lo0`` protects the routing engine.

An SRX in flow mode (``security zones``) passes traffic between its interfaces only as
``security policies from-zone A to-zone B`` allow, the rest goes to ``default-policy``
(``deny-all`` unless set otherwise). Policies are read into an access list per zone
pair, addresses resolved through the zone's (or the global) address book and
applications through the predefined ``junos-*`` set and ``applications``.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from scanner.aclfacts import AccessFacts, AclFamily, AclLine, AclUse, Routing, SecurityZones, ZonePolicy
from scanner.aclnames import ANY_PROTOCOL, ICMP_TYPES, port_number, protocol_number
from scanner.configtree import Line
from scanner.facts import Facts
from scanner.headerspace import ACK, RST, SYN, HeaderSpace, cube
from scanner.platforms._acl.build import ESTABLISHED, MatchDraft, Service, address_range, port_operator, prefix
from scanner.platforms._acl.collect import AccessCollector, EvidenceMaker, LineEvidence, ListDraft

_IMPLICIT_DISCARD = "implicit discard at the end of every Junos firewall filter"
_MISSING = "Junos refuses to commit a reference to an undefined filter; this configuration cannot be the one running"
_TERMINATING = {"accept": "permit", "discard": "deny", "reject": "deny", "routing-instance": "permit"}
_NEUTRAL_THEN = frozenset(
    {"count", "log", "syslog", "sample", "policer", "forwarding-class", "loss-priority", "dscp", "three-color-policer"}
)
_NARROWING_FROM = frozenset(
    {
        "dscp",
        "dscp-except",
        "precedence",
        "precedence-except",
        "ttl",
        "ttl-except",
        "packet-length",
        "packet-length-except",
        "is-fragment",
        "first-fragment",
        "fragment-offset",
        "fragment-offset-except",
        "fragment-flags",
        "interface",
        "interface-group",
        "interface-set",
        "forwarding-class",
        "loss-priority",
        "source-class",
        "destination-class",
        "tcp-flags",
        "icmp-code-except",
        "icmp-type-except",
        "ip-options",
        "traffic-type",
        "flexible-match-mask",
        "flexible-match-range",
    }
)
# Predefined SRX applications (junos-defaults): protocol, destination port(s) or ICMP type.
_APPLICATIONS: dict[str, tuple[int, tuple[int, int] | None, int | None]] = {
    "junos-ftp": (6, (21, 21), None),
    "junos-tftp": (17, (69, 69), None),
    "junos-ssh": (6, (22, 22), None),
    "junos-telnet": (6, (23, 23), None),
    "junos-smtp": (6, (25, 25), None),
    "junos-smtps": (6, (465, 465), None),
    "junos-dns-udp": (17, (53, 53), None),
    "junos-dns-tcp": (6, (53, 53), None),
    "junos-http": (6, (80, 80), None),
    "junos-https": (6, (443, 443), None),
    "junos-pop3": (6, (110, 110), None),
    "junos-imap": (6, (143, 143), None),
    "junos-imaps": (6, (993, 993), None),
    "junos-ntp": (17, (123, 123), None),
    "junos-snmp-get": (17, (161, 161), None),
    "junos-snmp-get-next": (17, (161, 161), None),
    "junos-snmp-set": (17, (161, 161), None),
    "junos-snmp-trap": (17, (162, 162), None),
    "junos-syslog": (17, (514, 514), None),
    "junos-bgp": (6, (179, 179), None),
    "junos-ldap": (6, (389, 389), None),
    "junos-radius": (17, (1812, 1812), None),
    "junos-ike": (17, (500, 500), None),
    "junos-ms-rpc-tcp": (6, (135, 135), None),
    "junos-smb": (6, (445, 445), None),
    "junos-rdp": (6, (3389, 3389), None),
    "junos-ping": (1, None, 8),
    "junos-icmp-ping": (1, None, 8),
    "junos-icmp-all": (1, None, None),
    "junos-gre": (47, None, None),
    "junos-ospf": (89, None, None),
}
ACL_HEADS = frozenset({"firewall", "security", "policy-options", "applications"})


@dataclass
class _Term:
    line: Line
    conditions: dict[str, list[tuple[str, Line]]] = field(default_factory=dict)
    action: str | None = None
    action_line: Line | None = None
    next_term: bool = False


@dataclass
class _Filter:
    name: str
    family: AclFamily
    prefix: list[str]
    line: Line
    terms: dict[str, _Term] = field(default_factory=dict)


@dataclass
class _Policy:
    name: str
    line: Line
    sources: list[str] = field(default_factory=list)
    destinations: list[str] = field(default_factory=list)
    applications: list[str] = field(default_factory=list)
    action: str | None = None
    action_line: Line | None = None


@dataclass
class JunosAccess:
    """Collects the statements under ``firewall``, ``security``, ``policy-options`` and ``applications``."""

    filters: dict[tuple[AclFamily, str], _Filter] = field(default_factory=dict)
    prefix_lists: dict[str, list[str]] = field(default_factory=dict)
    zone_interfaces: list[tuple[str, str, Line]] = field(default_factory=list)
    addresses: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    address_sets: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    policies: dict[tuple[str, str], dict[str, _Policy]] = field(default_factory=dict)
    default_policy: tuple[str, Line] | None = None
    # application -> term ("" without terms) -> attribute -> value
    applications: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    application_sets: dict[str, list[str]] = field(default_factory=dict)
    zones_line: Line | None = None

    def add(self, path: list[str], line: Line) -> None:
        """One statement in effect (``path`` without ``set``), under one of :data:`ACL_HEADS`."""
        words = [w[1:-1] if w[:1] == '"' and w[-1:] == '"' and len(w) >= 2 else w for w in path]
        head = words[0]
        if head == "firewall":
            self._firewall(words, line)
        elif head == "policy-options" and len(words) >= 4 and words[1] == "prefix-list":
            self.prefix_lists.setdefault(words[2], []).append(words[3])
        elif head == "policy-options" and len(words) == 3 and words[1] == "prefix-list":
            self.prefix_lists.setdefault(words[2], [])
        elif head == "security":
            self._security(words, line)
        elif head == "applications":
            self._applications(words)

    # ---- statements ------------------------------------------------------------------

    def _firewall(self, words: list[str], line: Line) -> None:
        rest = words[1:]
        family: AclFamily = "ipv4"
        prefix_words = ["firewall"]
        if rest[:1] == ["family"] and len(rest) > 1:
            if rest[1] not in ("inet", "inet6"):
                return
            family = "ipv6" if rest[1] == "inet6" else "ipv4"
            prefix_words += rest[:2]
            rest = rest[2:]
        if len(rest) < 2 or rest[0] != "filter":
            return
        name = rest[1]
        prefix_words += ["filter", name]
        found = self.filters.get((family, name))
        if found is None:
            found = self.filters[(family, name)] = _Filter(name, family, prefix_words, line)
        if len(rest) < 4 or rest[2] != "term":
            return
        term = found.terms.get(rest[3])
        if term is None:
            term = found.terms[rest[3]] = _Term(line)
        body = rest[4:]
        if len(body) >= 2 and body[0] == "from":
            term.conditions.setdefault(body[1], []).append((" ".join(body[2:]), line))
        elif len(body) >= 2 and body[0] == "then":
            word = body[1]
            if word in _TERMINATING:
                term.action = _TERMINATING[word]
                term.action_line = line
            elif word == "next" and body[2:3] == ["term"]:
                term.next_term = True
            elif word not in _NEUTRAL_THEN:
                term.conditions.setdefault("__then__", []).append((" ".join(body[1:]), line))

    def _security(self, words: list[str], line: Line) -> None:
        if len(words) >= 5 and words[1] == "zones" and words[2] == "security-zone":
            zone = words[3]
            self.zones_line = self.zones_line or line
            if words[4] == "interfaces" and len(words) > 5:
                interface = words[5] if "." in words[5] else f"{words[5]}.0"
                if not any(i == interface for i, _, _ in self.zone_interfaces):
                    self.zone_interfaces.append((interface, zone, line))
            elif words[4] == "address-book" and len(words) > 7:
                self._address_book(zone, words[5:])
        elif len(words) >= 4 and words[1] == "address-book":
            self._address_book("__global__", words[3:])
        elif len(words) >= 4 and words[1] == "policies" and words[2] == "default-policy":
            self.default_policy = (words[3], line)
        elif len(words) >= 9 and words[1] == "policies" and words[2] == "from-zone" and words[4] == "to-zone":
            pair = (words[3], words[5])
            if words[6] != "policy":
                return
            policies = self.policies.setdefault(pair, {})
            policy = policies.get(words[7])
            if policy is None:
                policy = policies[words[7]] = _Policy(words[7], line)
            body = words[8:]
            if len(body) >= 3 and body[0] == "match":
                target = {
                    "source-address": policy.sources,
                    "destination-address": policy.destinations,
                    "application": policy.applications,
                }.get(body[1])
                if target is not None:
                    target.append(body[2])
            elif len(body) >= 2 and body[0] == "then" and body[1] in ("permit", "deny", "reject"):
                policy.action = "permit" if body[1] == "permit" else "deny"
                policy.action_line = line

    def _address_book(self, book: str, words: list[str]) -> None:
        if words[0] == "address" and len(words) >= 3:
            value = " ".join(words[2:])
            self.addresses.setdefault((book, words[1]), []).append(value)
        elif words[0] == "address-set" and len(words) >= 4 and words[2] in ("address", "address-set"):
            self.address_sets.setdefault((book, words[1]), []).append(words[3])

    def _applications(self, words: list[str]) -> None:
        if len(words) >= 5 and words[1] == "application":
            terms = self.applications.setdefault(words[2], {})
            rest = words[3:]
            term = ""
            if rest[0] == "term" and len(rest) >= 4:
                term, rest = rest[1], rest[2:]
            terms.setdefault(term, {})[rest[0]] = rest[1]
        elif len(words) >= 5 and words[1] == "application-set" and words[3] in ("application", "application-set"):
            self.application_sets.setdefault(words[2], []).append(words[4])

    # ---- facts -----------------------------------------------------------------------

    def finish(self, facts: Facts, ev: EvidenceMaker) -> AccessFacts:
        evidence = LineEvidence(ev)
        collector = AccessCollector()
        for (family, name), found in self.filters.items():
            draft = collector.draft(name, "filter", family, evidence(found.line), ())
            for term_name, term in found.terms.items():
                self._term(draft, found, term_name, term, evidence, collector)
        for interface in facts.interfaces:
            for binding in interface.filters:
                physical, _, unit = interface.name.rpartition(".")
                family_word = "inet6" if binding.family == "ipv6" else "inet"
                direction_word = "input" if binding.direction == "in" else "output"
                collector.use(
                    AclUse(
                        name=binding.name,
                        context="control-plane" if interface.kind == "loopback" else "interface",
                        target=interface.name,
                        evidence=binding.evidence,
                        family="ipv6" if binding.family == "ipv6" else "ipv4",
                        direction=binding.direction,
                        default="deny",
                        default_basis=_IMPLICIT_DISCARD,
                        missing_effect=_MISSING,
                        unbind=(
                            f"delete interfaces {physical} unit {unit} family {family_word} filter {direction_word} "
                            f"{binding.name}",
                        ),
                    )
                )
        zones = self._zones(evidence, collector) if self.zone_interfaces else None
        routing = Routing(True, "Junos routes between its logical interfaces that carry family inet (no global switch)")
        return collector.finish(routing, zones)

    def _term(
        self,
        draft: ListDraft,
        found: _Filter,
        term_name: str,
        term: _Term,
        evidence: LineEvidence,
        collector: AccessCollector,
    ) -> None:
        if term.next_term and term.action is None:
            return
        inexact: list[str] = []
        space = HeaderSpace.everything()
        for condition, values in term.conditions.items():
            if condition == "__then__":
                inexact.extend(f"then {v}" for v, _ in values)
                continue
            condition_space = self._condition(condition, values, found.family, inexact, collector, evidence)
            if condition_space is not None:
                space = space.intersect(condition_space)
        line = term.action_line or term.line
        draft.lines.append(
            AclLine(
                action=term.action or "permit",  # type: ignore[arg-type]
                space=space,
                origin=evidence.ref(line),
                label=term_name,
                exact=not inexact,
                inexact="; ".join(inexact),
                remove=(f"delete {' '.join(found.prefix)} term {term_name}",),
            )
        )

    def _condition(
        self,
        condition: str,
        values: list[tuple[str, Line]],
        family: AclFamily,
        inexact: list[str],
        collector: AccessCollector,
        evidence: LineEvidence,
    ) -> HeaderSpace | None:
        texts = [v for v, _ in values]
        if condition in ("source-address", "destination-address", "address"):
            ternaries = _prefixes_with_except(texts)
            return _address_space(condition, ternaries)
        if condition in ("source-prefix-list", "destination-prefix-list", "prefix-list"):
            entries = []
            for text, line in values:
                words = text.split()
                name = words[0] if words else ""
                members = self.prefix_lists.get(name)
                if members is None:
                    collector.missing_names({("prefix-list", name)}, evidence(line))
                    inexact.append(f"prefix-list {name} is not defined")
                    return None
                suffix = " except" if "except" in words[1:] else ""
                entries.extend(f"{m}{suffix}" for m in members)
            kind = condition.replace("-prefix-list", "-address").replace("prefix-list", "address")
            return _address_space(kind, _prefixes_with_except(entries))
        if condition in ("protocol", "next-header", "protocol-except", "next-header-except"):
            numbers = []
            for text in texts:
                number = protocol_number(text) if text not in ANY_PROTOCOL else None
                if number is None:
                    inexact.append(f"protocol {text!r}")
                    return None
                numbers.append(number)
            space = HeaderSpace.of(cube(protocol=(n, n)) for n in numbers)
            return HeaderSpace.everything().minus(space) if condition.endswith("-except") else space
        if condition in ("source-port", "destination-port", "port", "source-port-except", "destination-port-except"):
            intervals = []
            for text in texts:
                interval = _junos_port(text)
                if interval is None:
                    inexact.append(f"{condition} {text}")
                    return None
                intervals.append(interval)
            base = condition.removesuffix("-except")
            if base == "port":
                space = HeaderSpace.of([cube(sport=i) for i in intervals] + [cube(dport=i) for i in intervals])
            elif base == "source-port":
                space = HeaderSpace.of(cube(sport=i) for i in intervals)
            else:
                space = HeaderSpace.of(cube(dport=i) for i in intervals)
            return HeaderSpace.everything().minus(space) if condition.endswith("-except") else space
        if condition in ("icmp-type", "icmp6-type"):
            cubes = []
            for text in texts:
                known = ICMP_TYPES.get(text)
                value = int(text) if text.isdigit() else (known[0] if known else None)
                if value is None:
                    inexact.append(f"icmp-type {text}")
                    return None
                cubes.append(cube(icmp_type=(value, value)))
            return HeaderSpace.of(cubes)
        if condition == "tcp-established":
            return HeaderSpace.of(cube(protocol=(6, 6), flags=f) for f in ESTABLISHED)
        if condition == "tcp-initial":
            return HeaderSpace.of([cube(protocol=(6, 6), flags=(SYN, SYN | ACK))])
        if condition == "tcp-flags" and texts and texts[0].strip('"') in ("syn", "rst"):
            bit = SYN if texts[0].strip('"') == "syn" else RST
            return HeaderSpace.of([cube(flags=(bit, bit))])
        inexact.append(f"from {condition} {' '.join(texts)}".strip())
        return None

    def _zones(self, evidence: LineEvidence, collector: AccessCollector) -> SecurityZones:
        if self.default_policy is not None:
            word, line = self.default_policy
            default = "permit" if word == "permit-all" else "deny"
            basis = f"security policies default-policy {word}"
            default_evidence = evidence(line)
        else:
            default, basis, default_evidence = "deny", "SRX default: default-policy deny-all", None
        policies = []
        for (source, destination), found in self.policies.items():
            draft = ListDraft(
                name=f"from-zone {source} to-zone {destination}",
                kind="security policy",
                family="ipv4",
                evidence=evidence(next(iter(found.values())).line),
                edit=(),
            )
            for name, policy in found.items():
                match = MatchDraft()
                src = self._resolve_addresses(policy.sources, source, match, collector, evidence(policy.line))
                dst = self._resolve_addresses(policy.destinations, destination, match, collector, evidence(policy.line))
                match.src = src
                match.dst = dst
                match.services = self._resolve_applications(policy.applications, match)
                if policy.action is None:
                    continue
                draft.add(
                    policy.action,
                    match,
                    evidence.ref(policy.action_line or policy.line),
                    name,
                    (f"delete security policies from-zone {source} to-zone {destination} policy {name}",),
                )
            policies.append(ZonePolicy(source, destination, draft.finish(), default, basis))  # type: ignore[arg-type]
        return SecurityZones(
            interfaces=tuple((i, z) for i, z, _ in self.zone_interfaces),
            policies=tuple(policies),
            default=default,  # type: ignore[arg-type]
            default_basis=basis,
            evidence=default_evidence or (evidence(self.zones_line) if self.zones_line else None),
        )

    def _resolve_addresses(
        self, names: list[str], zone: str, match: MatchDraft, collector: AccessCollector, where: object
    ) -> list[tuple[int, int]]:
        if not names or any(n in ("any", "any-ipv4") for n in names):
            return [(0, 0)]
        found: list[tuple[int, int]] = []
        for name in names:
            members = self._address(name, zone, set())
            if members is None:
                collector.missing_names({("address-book", name)}, where)  # type: ignore[arg-type]
                match.inexact.append(f"address {name} is not in the address book")
                return [(0, 0)]
            found.extend(members)
        return found

    def _address(self, name: str, zone: str, seen: set[str]) -> list[tuple[int, int]] | None:
        if name in seen:
            return []
        seen.add(name)
        for book in (zone, "__global__", *[b for b, _ in self.addresses]):
            values = self.addresses.get((book, name))
            if values is not None:
                out = []
                for value in values:
                    words = value.split()
                    try:
                        if words[0] == "range-address" and len(words) >= 4:
                            out.extend(address_range(words[1], words[3]))
                        elif "/" in words[0] or _is_address(words[0]):
                            out.append(prefix(words[0]))
                    except ValueError:
                        continue
                return out
            members = self.address_sets.get((book, name))
            if members is not None:
                out = []
                for member in members:
                    resolved = self._address(member, zone, seen)
                    if resolved:
                        out.extend(resolved)
                return out
        return None

    def _resolve_applications(self, names: list[str], match: MatchDraft) -> list[Service]:
        if not names or "any" in names:
            return [Service()]
        services: list[Service] = []
        for name in names:
            resolved = self._application(name, set())
            if resolved is None:
                match.inexact.append(f"application {name} not known")
                return [Service()]
            services.extend(resolved)
        return services

    def _application(self, name: str, seen: set[str]) -> list[Service] | None:
        if name in seen:
            return []
        seen.add(name)
        if name in self.application_sets:
            out: list[Service] = []
            for member in self.application_sets[name]:
                resolved = self._application(member, seen)
                if resolved is None:
                    return None
                out.extend(resolved)
            return out
        if name in self.applications:
            out = []
            for term in self.applications[name].values():
                protocol = protocol_number(term.get("protocol", "")) if term.get("protocol") else None
                if protocol is None:
                    return None
                dport = _junos_port(term["destination-port"]) if "destination-port" in term else (0, 65535)
                sport = _junos_port(term["source-port"]) if "source-port" in term else (0, 65535)
                if dport is None or sport is None:
                    return None
                out.append(Service((protocol, protocol), sport, dport))
            return out
        known = _APPLICATIONS.get(name)
        if known is None:
            return None
        protocol, ports, icmp_type = known
        if ports is not None:
            return [Service((protocol, protocol), dport=ports)]
        if icmp_type is not None:
            return [Service((protocol, protocol), icmp_type=(icmp_type, icmp_type))]
        return [Service((protocol, protocol))]


def _prefixes_with_except(texts: list[str]) -> list[tuple[int, int]] | None:
    """Longest-prefix semantics: a packet matches when its most specific listed prefix is not ``except``."""
    entries: list[tuple[int, tuple[int, int], bool]] = []
    for text in texts:
        words = text.split()
        if not words:
            continue
        found = _prefix(words[0])
        if found is None:
            return None
        entries.append((found[0], found[1], "except" in words[1:]))
    if not any(excepted for _, _, excepted in entries):
        return [ternary for _, ternary, _ in entries]
    entries.sort(key=lambda e: e[0])
    space = HeaderSpace()
    for _, ternary, excepted in entries:
        piece = HeaderSpace.of([cube(src=ternary)])
        space = space.minus(piece) if excepted else space.union(piece)
    return [(c[2], c[3]) for c in space.cubes]


_IPV4_PREFIX = re.compile(r"(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})(?:/(\d{1,2}))?")
_IPV4_FULL = (1 << 32) - 1


def _prefix(text: str) -> tuple[int, tuple[int, int]] | None:
    """``10.1.0.0/16`` (or an address, or IPv6) as (length, (network, mask)); None when it is no prefix.

    Plain IPv4 is read by hand: a 10,000-term filter has tens of thousands of them, and
    :mod:`ipaddress` is the slowest part of reading it. Anything else goes to ipaddress.
    """
    match = _IPV4_PREFIX.fullmatch(text)
    if match is not None:
        octets = [int(part) for part in match.groups()[:4]]
        length = int(match[5]) if match[5] is not None else 32
        if length <= 32 and max(octets) <= 255:
            mask = (_IPV4_FULL << (32 - length)) & _IPV4_FULL
            address = (octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]
            return length, (address & mask, mask)
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    return network.prefixlen, (int(network.network_address), int(network.netmask))


def _address_space(condition: str, ternaries: list[tuple[int, int]] | None) -> HeaderSpace | None:
    if ternaries is None:
        return None
    if condition == "source-address":
        return HeaderSpace.of(cube(src=t) for t in ternaries)
    if condition == "destination-address":
        return HeaderSpace.of(cube(dst=t) for t in ternaries)
    return HeaderSpace.of([cube(src=t) for t in ternaries] + [cube(dst=t) for t in ternaries])


def _junos_port(text: str) -> tuple[int, int] | None:
    text = text.strip('"')
    if "-" in text and all(part.isdigit() for part in text.split("-", 1)):
        low, high = (int(p) for p in text.split("-", 1))
        return (low, high) if low <= high else None
    number = port_number(text, None)
    if number is None:
        return None
    intervals = port_operator("eq", [number])
    return intervals[0] if intervals else None


def _is_address(word: str) -> bool:
    try:
        ipaddress.ip_address(word)
    except ValueError:
        return False
    return True


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word
