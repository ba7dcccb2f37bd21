"""Access lists, where they are used, and whether the device routes: the vendor-neutral ACL facts.

Every vendor's filter syntax is read into these types (the readers are in
``scanner/platforms/_acl``): IOS/IOS-XE/NX-OS/EOS standard, extended and named ACLs,
Huawei ``acl number|name`` rules, H3C ``acl basic|advanced`` rules, Junos firewall
filters and SRX security policies. Each line's match is a
:class:`~scanner.headerspace.HeaderSpace` in first-match order; what the vendor does
with a packet no line matches is stated per *use* (``default``), because it differs
by where a list is applied: an IOS interface ACL denies it, a Huawei ``traffic-filter``
or an H3C ``packet-filter`` lets it pass, a Huawei login ACL refuses it.

A line whose match netcomply cannot represent exactly (DSCP, time ranges, fragments, an
undefined object group...) keeps an over-approximation of what it matches and says so
(``exact=False`` with the reason): analyses use it only where a larger set errs on the
safe side (a line it might shadow, traffic it might permit), never to claim coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scanner.headerspace import HeaderSpace
from scanner.model import Evidence, packed_fast

Action = Literal["permit", "deny"]
AclFamily = Literal["ipv4", "ipv6"]
# How messages name each family.
FAMILY_NAMES: dict[AclFamily, str] = {"ipv4": "IPv4", "ipv6": "IPv6"}
Direction = Literal["in", "out"]
# Where a list is named: traffic through an interface, logins (vty, ssh/telnet servers),
# SNMP, the control plane (Junos lo0), a security policy between zones, or a use that only
# selects traffic (route-map, NAT, QoS class) and filters nothing by itself.
UseContext = Literal["interface", "login", "snmp", "management", "control-plane", "selection"]

ACCESS = "access"


@packed_fast
@dataclass(frozen=True, slots=True)
class LineRef:
    """Where a line is: its :class:`Evidence` (masked) is made only when something cites it.

    Lists of thousands of lines are read on every scan, but few lines ever appear in a
    finding; masking each one as it is read would cost more than parsing it. Plain data,
    so a host's record pickles (worker processes, packed record lists).
    """

    source: str
    line: int
    raw: str
    path: str | None = None

    def evidence(self) -> Evidence:
        return Evidence.of(self.source, self.line, self.raw, self.path)


@packed_fast
@dataclass(frozen=True, slots=True)
class AclLine:
    """One rule/entry/term, in evaluation order.

    ``label`` is how the vendor names the line (IOS sequence, Huawei/H3C rule id, Junos
    term name, or its position). ``remove`` holds the commands that delete it, in the
    vendor's syntax, entered from the list's ``edit`` commands. ``origin`` is where it
    was read (:attr:`evidence` makes the masked evidence on demand).
    """

    action: Action
    space: HeaderSpace
    origin: LineRef | Evidence
    label: str
    exact: bool = True
    inexact: str = ""
    remove: tuple[str, ...] = ()

    @property
    def evidence(self) -> Evidence:
        origin = self.origin
        return origin if isinstance(origin, Evidence) else origin.evidence()

    @property
    def text(self) -> str:
        return self.evidence.text.strip()


# The slots of the two classes a reader makes per entry, set directly: a frozen dataclass's
# __init__ sets each field through object.__setattr__, which costs twice as much, and a
# Cisco reader makes one line and one reference per entry, 140,000 of each per 1,000 hosts.
_new = object.__new__
_REF_SLOTS = ("source", "line", "raw", "path")
_LINE_SLOTS = ("action", "space", "origin", "label", "exact", "inexact", "remove")
_ref_source, _ref_line, _ref_raw, _ref_path = (LineRef.__dict__[name].__set__ for name in _REF_SLOTS)
_action, _space, _origin, _label, _exact, _inexact, _remove = (AclLine.__dict__[name].__set__ for name in _LINE_SLOTS)


def exact_line(
    action: Action,
    space: HeaderSpace,
    source: str,
    line: int,
    raw: str,
    path: str | None,
    label: str,
    remove: tuple[str, ...],
) -> AclLine:
    """``AclLine(action, space, LineRef(source, line, raw, path), label, True, "", remove)``, made faster."""
    ref = _new(LineRef)
    _ref_source(ref, source)
    _ref_line(ref, line)
    _ref_raw(ref, raw)
    _ref_path(ref, path)
    made = _new(AclLine)
    _action(made, action)
    _space(made, space)
    _origin(made, ref)
    _label(made, label)
    _exact(made, True)
    _inexact(made, "")
    _remove(made, remove)
    return made


@packed_fast
@dataclass(frozen=True, slots=True)
class AccessList:
    """A named list of lines evaluated in order: the first line that matches decides.

    ``edit`` enters the list's configuration mode (``ip access-list extended NAME``,
    ``acl number 3000``; empty for Junos set commands); ``kind`` is the vendor's word
    for it (standard, extended, basic, advanced, filter, policy).
    """

    name: str
    kind: str
    family: AclFamily
    lines: tuple[AclLine, ...]
    evidence: Evidence
    edit: tuple[str, ...] = ()
    # Huawei/H3C "match-order auto": the device orders rules by specificity, not by number.
    auto_order: bool = False
    notes: tuple[str, ...] = ()
    # Line numbers of the entries the reader could not analyse (a note says why of each): the
    # sources the list lets in are not known past the first of them.
    skipped: tuple[int, ...] = ()


@packed_fast
@dataclass(frozen=True, slots=True)
class AclUse:
    """A place where a list is named: an interface direction, the vty lines, an SNMP community...

    ``default`` is what the device does with a packet no line matches in this use, and
    ``default_basis`` says why (the vendor's documented default, or a configured
    ``packet-filter default deny``). ``unbind`` removes the reference, in vendor syntax.
    """

    name: str
    context: UseContext
    target: str
    evidence: Evidence
    family: AclFamily = "ipv4"
    direction: Direction | None = None
    default: Action = "deny"
    default_basis: str = ""
    # What the device does when the list is not defined (IOS: the interface filters nothing).
    missing_effect: str = ""
    unbind: tuple[str, ...] = ()

    @property
    def filters(self) -> bool:
        """Whether this use drops packets (a selection use only classifies them)."""
        return self.context != "selection"


@packed_fast
@dataclass(frozen=True, slots=True)
class Routing:
    """Whether the device forwards IP between its L3 interfaces, and what says so.

    ``evidence`` is the line that decided (``ip routing``, ``no ip routing``, ``feature
    interface-vlan``), or None when the vendor's default did (``basis`` names it).
    ``vrfs`` lists VRFs with their own setting (EOS ``ip routing vrf X``): True routes.
    """

    enabled: bool
    basis: str
    evidence: Evidence | None = None
    vrfs: tuple[tuple[str, bool], ...] = ()
    # Interface kinds that do not route even with an address (NX-OS SVIs without feature interface-vlan).
    inert_kinds: tuple[str, ...] = ()

    def routes_in(self, vrf: str | None) -> bool:
        for name, enabled in self.vrfs:
            if name == vrf:
                return enabled
        return self.enabled


@packed_fast
@dataclass(frozen=True, slots=True)
class ZonePolicy:
    """A stateful firewall's policy between two of its security zones (Junos SRX ``security policies``).

    ``lines`` are the policies from ``source`` to ``destination`` in order; ``default``
    is the device's ``default-policy`` for what none matches.
    """

    source: str
    destination: str
    rules: AccessList
    default: Action
    default_basis: str


@packed_fast
@dataclass(frozen=True, slots=True)
class SecurityZones:
    """The security zones of a stateful firewall: each interface's zone and the policies between zones."""

    interfaces: tuple[tuple[str, str], ...]
    policies: tuple[ZonePolicy, ...]
    default: Action
    default_basis: str
    evidence: Evidence | None = None

    def zone_of(self, interface: str) -> str | None:
        for name, zone in self.interfaces:
            if name == interface:
                return zone
        return None

    def policy(self, source: str, destination: str) -> ZonePolicy | None:
        for policy in self.policies:
            if policy.source == source and policy.destination == destination:
                return policy
        return None


@packed_fast
@dataclass(frozen=True, slots=True)
class Unmodelled:
    """Filtering netcomply does not analyse (a QoS traffic policy that drops, a zone-pair firewall)."""

    what: str
    evidence: Evidence
    interface: str | None = None


@packed_fast
@dataclass(frozen=True, slots=True)
class NamedReference:
    """A name a rule uses that is defined nowhere: an object group, a prefix list, an address-book entry."""

    kind: str
    name: str
    evidence: Evidence


@dataclass
class AccessFacts:
    """A device's access lists by (family, name), their uses, routing, and any stateful zones."""

    lists: dict[tuple[AclFamily, str], AccessList] = field(default_factory=dict)
    uses: list[AclUse] = field(default_factory=list)
    routing: Routing | None = None
    zones: SecurityZones | None = None
    unmodelled: list[Unmodelled] = field(default_factory=list)
    undefined: list[NamedReference] = field(default_factory=list)
    # Other names a list answers to (a Huawei named ACL with a number): (family, alias) -> name.
    aliases: dict[tuple[AclFamily, str], str] = field(default_factory=dict)

    def get(self, name: str, family: AclFamily = "ipv4") -> AccessList | None:
        found = self.lists.get((family, name))
        if found is None and (family, name) in self.aliases:
            found = self.lists.get((family, self.aliases[(family, name)]))
        return found

    def uses_of(self, name: str, family: AclFamily = "ipv4") -> list[AclUse]:
        return [u for u in self.uses if u.name == name and u.family == family]

    def for_network(self) -> AccessFacts:
        """These facts without the lists no filtering use names: what a host's record keeps.

        The network models (ACL model, ``netcomply acl query``) reach a list only through a
        use that filters (an interface, the logins, SNMP, a management service, the control
        plane) or a zone policy; a list nothing applies, or only a route-map or NAT selects,
        can decide no packet there. The host checks read the whole facts (every list) before
        the record is made; the record is pickled into the scan's packed host records and
        decoded by every network check that walks them, so unused lists would be paid for
        many times over (a generated estate has some 140 unapplied entries per device).
        """
        kept: dict[tuple[AclFamily, str], AccessList] = {}
        for use in self.uses:
            if not use.filters:
                continue
            found = self.get(use.name, use.family)
            if found is not None:
                kept[(found.family, found.name)] = found
        if len(kept) == len(self.lists):
            return self
        lists = {key: value for key, value in self.lists.items() if key in kept}
        aliases = {key: name for key, name in self.aliases.items() if (key[0], name) in kept}
        return AccessFacts(lists, self.uses, self.routing, self.zones, self.unmodelled, self.undefined, aliases)
