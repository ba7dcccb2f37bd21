"""From the fields a rule names to its header space: what every vendor's reader shares.

A reader fills a :class:`MatchDraft` field by field (each field a list of alternatives:
``eq 22 23`` is two ports, an object group of three networks is three patterns) and
calls :meth:`MatchDraft.space`: the match is the product of the fields. Conditions the
model has no field for (DSCP, TTL, time ranges, fragments) are noted in ``inexact``;
the line then keeps the wider match and is marked inexact.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from itertools import product
from typing import NamedTuple

from scanner.headerspace import ACK, MAX_ICMP, MAX_PORT, MAX_PROTOCOL, RST, Cube, HeaderSpace, cube

Ternary = tuple[int, int]
Interval = tuple[int, int]

ANY_TERNARY: Ternary = (0, 0)
ANY_PORT: Interval = (0, MAX_PORT)
ANY_ICMP: Interval = (0, MAX_ICMP)
ANY_PROTOCOL: Interval = (0, MAX_PROTOCOL)
# A product of alternatives larger than this is kept as the wider match of its fields.
PRODUCT_CAP = 50_000
WIDTH = {"ipv4": 32, "ipv6": 128}
TCP, UDP, SCTP, ICMP, ICMPV6 = 6, 17, 132, 1, 58


class AddressError(ValueError):
    """Text that is not an address in the form the rule expects."""


def full(width: int) -> int:
    return (1 << width) - 1


def address_value(text: str) -> int:
    """An IPv4 or IPv6 address as an integer (dotted quads parsed directly: lists have thousands)."""
    if text.count(".") == 3:
        try:
            packed = socket.inet_pton(socket.AF_INET, text)
        except OSError:
            raise AddressError(f"{text!r} is not an address") from None
        return int.from_bytes(packed, "big")
    return int(ipaddress.ip_address(text))


def host(text: str) -> Ternary:
    return address_value(text), full(32 if "." in text else 128)


def wildcard(address: str, mask: str) -> Ternary:
    """``10.1.0.0 0.0.255.255``: the wildcard's 1 bits are free (any pattern, contiguous or not)."""
    value = address_value(address)
    width = 32 if "." in address else 128
    care = full(width) & ~address_value(mask)
    return value & care, care


def subnet_mask(address: str, mask: str) -> Ternary:
    """``10.1.0.0 255.255.0.0``: a subnet mask's 1 bits are fixed."""
    care = address_value(mask)
    return address_value(address) & care, care


def prefix(text: str) -> Ternary:
    """``10.1.0.0/16`` (host bits ignored, as devices do)."""
    network = ipaddress.ip_network(text, strict=False)
    return int(network.network_address), int(network.netmask)


def prefix_length(address: str, length: int) -> Ternary:
    return prefix(f"{address}/{length}")


def address_range(first: str, last: str) -> list[Ternary]:
    """``range 10.0.0.5 10.0.0.9`` as the prefixes that cover it exactly."""
    low, high = ipaddress.ip_address(first), ipaddress.ip_address(last)
    if high < low:
        raise AddressError(f"range {first} {last} is empty")
    return [
        (int(n.network_address), int(n.netmask))
        for n in ipaddress.summarize_address_range(low, high)  # type: ignore[type-var]
    ]


def port_operator(operator: str, values: list[int]) -> list[Interval] | None:
    """``eq 22 23``, ``neq 23``, ``lt 1024``, ``gt 1023``, ``range 1 100`` as intervals; None if malformed."""
    if not values:
        return None
    if operator == "eq":
        return [(v, v) for v in values]
    if operator == "neq":
        v = values[0]
        return [i for i in ((0, v - 1), (v + 1, MAX_PORT)) if i[0] <= i[1]]
    if operator == "lt":
        return [(0, values[0] - 1)] if values[0] > 0 else []
    if operator == "gt":
        return [(values[0] + 1, MAX_PORT)] if values[0] < MAX_PORT else []
    if operator == "range" and len(values) >= 2:
        low, high = values[0], values[1]
        return [(low, high)] if low <= high else []
    return None


ESTABLISHED: list[Ternary] = [(ACK, ACK), (RST, ACK | RST)]


class Service(NamedTuple):
    """A protocol with its ports or ICMP message: one member of a service object group, or of a rule."""

    protocol: Interval = ANY_PROTOCOL
    sport: Interval = ANY_PORT
    dport: Interval = ANY_PORT
    icmp_type: Interval = ANY_ICMP
    icmp_code: Interval = ANY_ICMP


class ReadyMatch:
    """A rule whose header space is already built (the Cisco reader's common entry), exact.

    It answers what :meth:`ListDraft.add` asks of a :class:`MatchDraft`.
    """

    __slots__ = ("_space",)

    exact = True
    inexact: tuple[str, ...] = ()

    def __init__(self, space: HeaderSpace) -> None:
        self._space = space

    def space(self) -> HeaderSpace:
        return self._space


@dataclass
class MatchDraft:
    """The alternatives of each field of one rule; the rule matches their product."""

    protocols: list[Interval] = field(default_factory=lambda: [ANY_PROTOCOL])
    src: list[Ternary] = field(default_factory=lambda: [ANY_TERNARY])
    dst: list[Ternary] = field(default_factory=lambda: [ANY_TERNARY])
    sport: list[Interval] = field(default_factory=lambda: [ANY_PORT])
    dport: list[Interval] = field(default_factory=lambda: [ANY_PORT])
    icmp: list[tuple[Interval, Interval]] = field(default_factory=lambda: [(ANY_ICMP, ANY_ICMP)])
    flags: list[Ternary] = field(default_factory=lambda: [ANY_TERNARY])
    inexact: list[str] = field(default_factory=list)
    # Protocol/port alternatives that go together (a service object group): replaces the
    # product of protocols, ports and ICMP messages above when set.
    services: list[Service] | None = None

    def protocol(self, number: int) -> None:
        self.protocols = [(number, number)]

    def service_list(self) -> list[Service]:
        if self.services is not None:
            return self.services
        return [
            Service(p, sp, dp, ic[0], ic[1])
            for p, sp, dp, ic in product(self.protocols, self.sport, self.dport, self.icmp)
        ]

    def space(self) -> HeaderSpace:
        services = self.service_list()
        count = len(services) * len(self.src) * len(self.dst) * len(self.flags)
        if count > PRODUCT_CAP:
            self.inexact.append(f"{count} combinations of object-group members, kept as their widest match")
            return HeaderSpace.of([self._widest(services)])
        return HeaderSpace.of(
            cube(
                protocol=sv.protocol,
                src=s,
                dst=d,
                sport=sv.sport,
                dport=sv.dport,
                icmp_type=sv.icmp_type,
                icmp_code=sv.icmp_code,
                flags=fl,
            )
            for sv, s, d, fl in product(services, self.src, self.dst, self.flags)
        )

    def _widest(self, services: list[Service]) -> Cube:
        def interval(values: list[Interval]) -> Interval:
            return min(v[0] for v in values), max(v[1] for v in values)

        def ternary(values: list[Ternary]) -> Ternary:
            care = values[0][1]
            value = values[0][0]
            for v, c in values[1:]:
                care &= c & ~(v ^ value)
            return value & care, care

        return cube(
            protocol=interval([s.protocol for s in services]),
            src=ternary(self.src),
            dst=ternary(self.dst),
            sport=interval([s.sport for s in services]),
            dport=interval([s.dport for s in services]),
            icmp_type=interval([s.icmp_type for s in services]),
            icmp_code=interval([s.icmp_code for s in services]),
            flags=ternary(self.flags),
        )

    @property
    def exact(self) -> bool:
        return not self.inexact
