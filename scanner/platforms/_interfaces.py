"""Interfaces of every platform: their addresses (own and shared gateway ones), VRF, state and filters.

One reader per syntax family, each a pass over the interface blocks only:

* Cisco style (IOS/IOS-XE, NX-OS, EOS): ``interface X`` blocks with ``ip address A M|A/L
  [secondary]``, ``ipv6 address``, ``ip vrf forwarding``/``vrf forwarding``/``vrf member``/``vrf``,
  shared gateways (HSRP ``standby N ip``/``hsrp N`` + ``ip``, VRRP ``vrrp N ip|ipv4|address``,
  GLBP, EOS ``ip virtual-router address`` and ``ip address virtual``), ``ip access-group N
  in|out``, ``ipv6 traffic-filter``/``ipv6 access-group``, ``switchport``/``no switchport``.
* VRP style (Huawei VRP, H3C Comware): ``interface X`` blocks with ``ip address A M|L [sub]``,
  ``ip binding vpn-instance``, ``vrrp vrid N virtual-ip``, Huawei ``traffic-filter
  inbound|outbound acl N``, H3C ``packet-filter N inbound|outbound``, ``port link-type``/
  ``portswitch``/``port link-mode``.
* Junos set form: ``interfaces IF unit N family inet address A/L [vrrp-group G virtual-address V]``,
  ``family inet filter input|output NAME``, ``family ethernet-switching``, ``disable``,
  ``routing-instances R interface IF.N``. Each logical unit is an interface ``IF.N``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat

from scanner.configtree import ConfigTree, Line
from scanner.facts import FilterBinding, Interface, InterfaceAddress, InterfaceAddressValue, InterfaceKind
from scanner.model import Evidence

LineEvidence = Callable[[Line], Evidence]

_KINDS: tuple[tuple[re.Pattern[str], InterfaceKind], ...] = tuple(
    (re.compile(pattern, re.I), kind)
    for pattern, kind in (
        (r"^(?:loopback|lo\d*(?:\.\d+)?$|inloopback)", "loopback"),
        (r"^null\d", "other"),
        (r"^(?:mgmt|management|meth|m-gigabitethernet|m-ethernet|fxp\d|em\d|me\d)", "management"),
        (r"^(?:vlan|vlanif|vlan-interface|irb|bvi|bdif)", "vlan"),
        (r"^(?:tunnel|tun|gr-|ip-|st0)", "tunnel"),
        (r"^(?:port-channel|po\d|eth-trunk|bridge-aggregation|route-aggregation|ae\d|bundle-ether)", "aggregate"),
    )
)


@lru_cache(maxsize=4096)
def interface_kind(name: str, *, unit: bool = False) -> InterfaceKind:
    """What an interface is, from its name (``Vlanif10`` -> vlan); a dotted name is a subinterface."""
    for pattern, kind in _KINDS:
        if pattern.match(name):
            return kind
    if "." in name and not unit:
        return "subinterface"
    return "physical"


# The spellings of an IPv4 prefix length the fast path reads: "0".."32" and the 33 contiguous netmasks.
_PREFIX_TEXTS: dict[str, int] = {
    **{str(length): length for length in range(33)},
    **{str(ipaddress.IPv4Address((0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF)): length for length in range(33)},
}


def _dotted_quad(text: str) -> int | None:
    """The integer of a plain dotted-quad IPv4 address, else None.

    ``inet_pton`` reads exactly what ``ipaddress`` reads the same way (ASCII digits, no
    leading zero); anything else (IPv6, other spellings) is left to :mod:`ipaddress`."""
    try:
        return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):  # ValueError: a NUL or a character not ASCII
        return None


def _address(text: str, mask: str | None = None) -> InterfaceAddressValue | None:
    """``10.1.1.1/24``, ``10.1.1.1 255.255.255.0`` or ``10.1.1.1 24`` as an interface address; None if not one.

    The common IPv4 spellings are read here and built from integers (``ipaddress`` parses the
    same text four times over, a few percent of a scan); every other text goes to
    ``ipaddress.ip_interface``, which decides it."""
    if mask is None:
        address, slash, length = text.partition("/")
    else:
        address, slash, length = text, "/", mask
    prefixlen = _PREFIX_TEXTS.get(length) if slash else 32
    if prefixlen is not None:
        value = _dotted_quad(address)
        if value is not None:
            return ipaddress.IPv4Interface((value, prefixlen))
    try:
        if mask is None:
            return ipaddress.ip_interface(text)
        return ipaddress.ip_interface(f"{text}/{mask}")
    except ValueError:
        return None


def _within(address: str, own: Iterable[InterfaceAddress]) -> InterfaceAddressValue | None:
    """A shared gateway address given without a prefix takes the prefix of the subnet it lies in."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    for candidate in own:
        if ip in candidate.address.network:
            return ipaddress.ip_interface(f"{ip}/{candidate.address.network.prefixlen}")
    return ipaddress.ip_interface(f"{ip}/{ip.max_prefixlen}")


@dataclass
class _Draft:
    name: str
    kind: InterfaceKind
    evidence: Evidence
    description: str = ""
    addresses: list[InterfaceAddress] = field(default_factory=list)
    # (address text, protocol label, evidence) of shared gateways, resolved against the own addresses at the end.
    shared: list[tuple[str, str, Evidence]] = field(default_factory=list)
    vrf: str | None = None
    shutdown: bool = False
    switchport: bool | None = None
    filters: list[FilterBinding] = field(default_factory=list)

    def finish(self, default_switchport: bool = False) -> Interface:
        addresses = list(self.addresses)
        for text, label, evidence in self.shared:
            value = _within(text, self.addresses)
            if value is not None:
                addresses.append(InterfaceAddress(value, evidence, virtual=label))
        switchport = self.switchport if self.switchport is not None else default_switchport
        if self.addresses:
            switchport = False
        return Interface(
            name=self.name,
            kind=self.kind,
            evidence=self.evidence,
            description=self.description,
            addresses=tuple(addresses),
            vrf=self.vrf,
            shutdown=self.shutdown,
            switchport=switchport,
            filters=tuple(self.filters),
        )


def _blocks_with(tree: ConfigTree, statement: tuple[str, ...]) -> list[tuple[int, str]]:
    """(index, name) of the ``interface`` blocks holding a line that starts with one of ``statement``, in order.

    The lines are tested in one sweep (``map``/``compress`` over ``str.startswith`` run in C),
    so a configuration of hundreds of bridging ports costs little more than its tree.
    """
    texts, parents = tree.texts, tree.parents
    hits = compress(range(len(texts)), map(str.startswith, texts, repeat(statement)))
    blocks: dict[int, str] = {}
    for index in hits:
        parent = parents[index]
        if parent >= 0 and parent not in blocks and texts[parent].startswith("interface "):
            words = texts[parent].split()
            if len(words) > 1 and parents[parent] < 0:
                blocks[parent] = words[1]
    return sorted(blocks.items())


# ---- Cisco style ------------------------------------------------------------------------

_CISCO_IP = re.compile(r"^ip(?:v4)? address (?P<a>[\d.]+)(?:/(?P<l>\d+)| (?P<m>[\d.]+))?(?P<sec> secondary)?\b")
_CISCO_IPV6 = re.compile(r"^ipv6 address (?P<a>[0-9a-fA-F:]+/\d+)(?! link-local)")
_CISCO_VRF = re.compile(r"^(?:ip vrf forwarding|vrf forwarding|vrf member|vrf) (?P<v>\S+)$")
_CISCO_FILTER = re.compile(r"^(?P<fam>ip|ipv6) (?:port )?(?:access-group|traffic-filter) (?P<n>\S+) (?P<d>in|out)\b")
# Shared gateway addresses written on one line.
_CISCO_SHARED = (
    (re.compile(r"^standby (?:(?P<g>\d+) )?ip (?P<a>[\d.]+)"), "hsrp"),
    (re.compile(r"^vrrp (?P<g>\d+) (?:ip|ipv4) (?P<a>[\d.]+)"), "vrrp"),
    (re.compile(r"^glbp (?P<g>\d+) ip (?P<a>[\d.]+)"), "glbp"),
    (re.compile(r"^ip virtual-router address (?P<a>[\d.]+)"), "virtual-router"),
)
_CISCO_EOS_VARP = re.compile(r"^ip address virtual (?P<a>[\d.]+/\d+)")
# Blocks whose children name the shared address: NX-OS ``hsrp N`` / ``vrrp N``, IOS-XE ``vrrp N address-family ipv4``.
_CISCO_GROUP_BLOCK = re.compile(r"^(?P<p>hsrp|vrrp) (?P<g>\d+)(?: address-family ipv4)?$")
_CISCO_GROUP_ADDRESS = re.compile(r"^(?:ip|address) (?P<a>[\d.]+)(?: secondary| primary)?$")


# First words of the interface statements the readers use: a block with none of them (a
# bridging port, most of a switch's configuration) is skipped without building anything.
_CISCO_WORDS = frozenset({"ip", "ipv4", "ipv6", "vrf", "standby", "vrrp", "glbp", "hsrp"})
_VRP_WORDS = frozenset({"ip", "ipv6", "vrrp", "traffic-filter", "packet-filter"})
_CISCO_STATEMENT = tuple(sorted(f"{word} " for word in _CISCO_WORDS))
_VRP_STATEMENT = tuple(sorted(f"{word} " for word in _VRP_WORDS))


def cisco_interfaces(tree: ConfigTree, evidence: LineEvidence, *, default_switchport: bool = False) -> list[Interface]:
    """The layer-3 interfaces of an IOS/IOS-XE, NX-OS or EOS configuration.

    Listed: every interface with an address, a shared gateway or an applied filter. A
    bridging port with none of them is not (it takes no part in addressing or filtering),
    which keeps the facts of a 48-port switch small. ``default_switchport``: whether an
    Ethernet port with no switchport statement bridges (EOS: yes; IOS and NX-OS defaults
    vary by model, so they are read as not bridging unless the configuration says so).
    """
    found: list[Interface] = []
    texts = tree.texts
    for index, name in _blocks_with(tree, _CISCO_STATEMENT):
        children = tree.child_indices(index)
        kind = interface_kind(name)
        draft = _Draft(name, kind, evidence(Line(tree, index)))
        for child in children:
            text = texts[child]
            first = text.partition(" ")[0]
            if first == "description":
                draft.description = text[len("description ") :].strip()
            elif text == "shutdown":
                draft.shutdown = True
            elif text == "no shutdown":
                draft.shutdown = False
            elif first == "switchport":
                draft.switchport = True if draft.switchport is None else draft.switchport
            elif text == "no switchport":
                draft.switchport = False
            elif first in _CISCO_WORDS:
                _cisco_statement(tree, child, text, draft, evidence)
        found.append(draft.finish(default_switchport and kind == "physical"))
    return found


def _cisco_statement(tree: ConfigTree, index: int, text: str, draft: _Draft, evidence: LineEvidence) -> None:
    line = Line(tree, index)
    if match := _CISCO_IP.match(text):
        value = _address(match["a"], match["l"] or match["m"])
        if value is not None:
            draft.addresses.append(InterfaceAddress(value, evidence(line), secondary=bool(match["sec"])))
        return
    if match := _CISCO_EOS_VARP.match(text):
        value = _address(match["a"])
        if value is not None:
            draft.addresses.append(InterfaceAddress(value, evidence(line), virtual="virtual-router"))
        return
    if match := _CISCO_IPV6.match(text):
        value = _address(match["a"])
        if value is not None:
            draft.addresses.append(InterfaceAddress(value, evidence(line)))
        return
    if match := _CISCO_VRF.match(text):
        draft.vrf = match["v"]
        return
    if match := _CISCO_FILTER.match(text):
        family = "ipv6" if match["fam"] == "ipv6" else "ipv4"
        draft.filters.append(FilterBinding(match["n"], match["d"], evidence(line), family))  # type: ignore[arg-type]
        return
    for pattern, protocol in _CISCO_SHARED:
        if match := pattern.match(text):
            group = match.groupdict().get("g")
            label = f"{protocol} {group}" if group else protocol
            draft.shared.append((match["a"], label, evidence(line)))
            return
    if match := _CISCO_GROUP_BLOCK.match(text):
        for child in tree.child_indices(index):
            inner = _CISCO_GROUP_ADDRESS.match(tree.texts[child])
            if inner:
                draft.shared.append((inner["a"], f"{match['p']} {match['g']}", evidence(Line(tree, child))))


# ---- VRP style (Huawei, H3C) ----------------------------------------------------------------

_VRP_IP = re.compile(r"^ip address (?P<a>[\d.]+) (?P<m>[\d.]+)(?P<sub> sub)?\b")
_VRP_IPV6 = re.compile(r"^ipv6 address (?P<a>[0-9a-fA-F:]+)(?:/(?P<l>\d+)| (?P<l2>\d+))(?! link-local)")
_VRP_VRF = re.compile(r"^ip binding vpn-instance (?P<v>\S+)$")
_VRP_VRRP = re.compile(r"^vrrp (?:ipv6 )?vrid (?P<g>\d+) virtual-ip (?P<a>[\d.:a-fA-F]+)")
# Huawei: traffic-filter inbound|outbound acl [ipv6] [name] N ; H3C: packet-filter [ipv6] [name] N inbound|outbound
_HUAWEI_FILTER = re.compile(r"^traffic-filter (?P<d>inbound|outbound) acl (?P<fam>ipv6 )?(?:name )?(?P<n>\S+)")
_VRP_ETHERNET = re.compile(r"^(?:\S*ethernet|\d*ge|xge|fge|hge|wge)\d", re.I)
_H3C_FILTER = re.compile(r"^packet-filter (?P<fam>ipv6 )?(?:name )?(?P<n>\S+) (?P<d>inbound|outbound)\b")


def vrp_interfaces(tree: ConfigTree, evidence: LineEvidence) -> list[Interface]:
    """The layer-3 interfaces of a Huawei VRP or H3C Comware configuration (flattened from ``#`` sections).

    Listed as for the Cisco style: interfaces with an address, a VRRP gateway or an applied
    filter. A physical Ethernet port bridges unless it is made a routed port (``undo
    portswitch``, ``port link-mode route``) or carries an address.
    """
    found: list[Interface] = []
    texts = tree.texts
    for index, name in _blocks_with(tree, _VRP_STATEMENT):
        children = tree.child_indices(index)
        kind = interface_kind(name)
        draft = _Draft(name, kind, evidence(Line(tree, index)))
        for child in children:
            text = texts[child]
            if text.startswith("description "):
                draft.description = text[len("description ") :].strip()
            elif text == "shutdown":
                draft.shutdown = True
            elif text == "undo shutdown":
                draft.shutdown = False
            elif text in ("undo portswitch", "port link-mode route"):
                draft.switchport = False
            elif text in ("portswitch", "port link-mode bridge") or text.startswith("port link-type "):
                draft.switchport = True if draft.switchport is None else draft.switchport
            elif text.partition(" ")[0] in _VRP_WORDS:
                _vrp_statement(Line(tree, child), text, draft, evidence)
        ethernet_port = kind == "physical" and _VRP_ETHERNET.match(name) is not None
        found.append(draft.finish(default_switchport=ethernet_port))
    return found


def _vrp_statement(line: Line, text: str, draft: _Draft, evidence: LineEvidence) -> None:
    if match := _VRP_IP.match(text):
        value = _address(match["a"], match["m"])
        if value is not None:
            draft.addresses.append(InterfaceAddress(value, evidence(line), secondary=bool(match["sub"])))
    elif match := _VRP_IPV6.match(text):
        value = _address(match["a"], match["l"] or match["l2"])
        if value is not None:
            draft.addresses.append(InterfaceAddress(value, evidence(line)))
    elif match := _VRP_VRF.match(text):
        draft.vrf = match["v"]
    elif match := _VRP_VRRP.match(text):
        draft.shared.append((match["a"], f"vrrp {match['g']}", evidence(line)))
    elif match := _HUAWEI_FILTER.match(text) or _H3C_FILTER.match(text):
        direction = "in" if match["d"] == "inbound" else "out"
        family = "ipv6" if match["fam"] else "ipv4"
        draft.filters.append(FilterBinding(match["n"], direction, evidence(line), family))  # type: ignore[arg-type]


# ---- Junos set form ------------------------------------------------------------------------


@dataclass
class JunosInterfaces:
    """Collects the ``interfaces`` and ``routing-instances ... interface`` statements of a Junos configuration."""

    units: dict[str, _Draft] = field(default_factory=dict)
    disabled: dict[str, bool] = field(default_factory=dict)
    physical_descriptions: dict[str, str] = field(default_factory=dict)
    instances: dict[str, str] = field(default_factory=dict)

    def add(self, path: list[str], line: Line, evidence: LineEvidence) -> None:
        """One effective statement (``path``, no ``set``) under ``interfaces`` or ``routing-instances``."""
        if path[0] == "routing-instances":
            if len(path) >= 4 and path[2] == "interface":
                self.instances[path[3]] = _unquote(path[1])
            return
        if len(path) < 3:
            return
        physical = path[1]
        rest = path[2:]
        if rest[0] == "disable":
            self.disabled[physical] = True
            return
        if rest[0] == "description" and len(rest) > 1:
            self.physical_descriptions[physical] = _unquote(" ".join(rest[1:]))
            return
        if rest[0] != "unit" or len(rest) < 2:
            return
        name = f"{physical}.{rest[1]}"
        draft = self.units.get(name)
        if draft is None:
            draft = self.units[name] = _Draft(name, interface_kind(physical, unit=True), evidence(line))
        self._unit(draft, rest[2:], line, evidence)

    def _unit(self, draft: _Draft, words: list[str], line: Line, evidence: LineEvidence) -> None:
        if not words:
            return
        if words[0] == "disable":
            draft.shutdown = True
        elif words[0] == "description" and len(words) > 1:
            draft.description = _unquote(" ".join(words[1:]))
        elif words[0] == "family" and len(words) > 1:
            family, rest = words[1], words[2:]
            if family == "ethernet-switching":
                draft.switchport = True
            elif family in ("inet", "inet6"):
                self._family(draft, family, rest, line, evidence)

    def _family(self, draft: _Draft, family: str, rest: list[str], line: Line, evidence: LineEvidence) -> None:
        if len(rest) >= 2 and rest[0] == "address":
            value = _address(rest[1])
            if value is None:
                return
            if not any(a.address == value and a.virtual is None for a in draft.addresses):
                draft.addresses.append(InterfaceAddress(value, evidence(line)))
            if (
                len(rest) >= 6
                and rest[2] in ("vrrp-group", "vrrp-inet6-group")
                and rest[4]
                in (
                    "virtual-address",
                    "virtual-inet6-address",
                )
            ):
                draft.shared.append((rest[5], f"vrrp {rest[3]}", evidence(line)))
        elif len(rest) >= 3 and rest[0] == "filter" and rest[1] in ("input", "output", "input-list", "output-list"):
            direction = "in" if rest[1].startswith("input") else "out"
            names = [w.strip("[]") for w in rest[2:] if w.strip("[]")]
            for filter_name in names:
                draft.filters.append(
                    FilterBinding(
                        _unquote(filter_name),
                        direction,  # type: ignore[arg-type]
                        evidence(line),
                        "ipv6" if family == "inet6" else "ipv4",
                    )
                )

    def interfaces(self) -> list[Interface]:
        found = []
        for name, draft in self.units.items():
            physical = name.rsplit(".", 1)[0]
            draft.shutdown = draft.shutdown or self.disabled.get(physical, False)
            draft.description = draft.description or self.physical_descriptions.get(physical, "")
            draft.vrf = self.instances.get(name)
            found.append(draft.finish())
        return found


def _unquote(word: str) -> str:
    return word[1:-1] if len(word) >= 2 and word[0] == word[-1] == '"' else word
