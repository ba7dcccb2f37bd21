"""The IP address records a scan is reconciled with: the plan (prefixes) and the allocations (addresses).

Whatever they come from (a spreadsheet people keep, a CSV export, NetBox), the records
are the same few types. Addresses are compared as integers (:func:`address_key`): an
IPv4 address is its 32-bit value and an IPv6 address its 128-bit value with bit 128 set,
so both live in one dictionary without ever being equal.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from scanner.model import Evidence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_V6 = 1 << 128

# Words in a record's purpose (or NetBox role) saying the address is shared by design:
# a first-hop redundancy gateway or an anycast address is on several devices at once.
# ("虚拟机", a virtual machine, is not one: only gateway and anycast words count.)
SHARED_WORDS = (
    "vrrp",
    "hsrp",
    "glbp",
    "carp",
    "varp",
    "vip",
    "anycast",
    "virtual ip",
    "virtual-ip",
    "virtual gateway",
    "virtual-router",
    "虚拟网关",
    "虚拟ip",
    "虚拟地址",
    "虚地址",
    "任播",
)
# Words saying a prefix or range is handed out by DHCP: its hosts are not recorded one by one.
POOL_WORDS = ("dhcp", "pool", "dynamic", "动态", "地址池")


def address_key(address: IPAddress) -> int:
    """One integer per address across both families (IPv6 offset by 2**128)."""
    value = int(address)
    return value | _V6 if address.version == 6 else value


def key_address(key: int) -> IPAddress:
    return ipaddress.IPv6Address(key ^ _V6) if key >= _V6 else ipaddress.IPv4Address(key)


def network_bounds(network: IPNetwork) -> tuple[int, int]:
    """The first and last address keys of ``network``."""
    first = address_key(network.network_address)
    return first, first + network.num_addresses - 1


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    latin = "|".join(re.escape(w) for w in words if w.isascii())
    other = "|".join(re.escape(w) for w in words if not w.isascii())
    parts = [f"(?<![a-z0-9])(?:{latin})(?![a-z0-9])"] if latin else []
    parts += [f"(?:{other})"] if other else []
    return re.compile("|".join(parts))


def mentions(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` names one of ``words``: Latin words whole (``vip`` is not in ``vipers``), Chinese anywhere."""
    return bool(text) and _word_pattern(words).search(text.casefold()) is not None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read: a table's file and row, or NetBox's object (its id and URL).

    The evidence line is made (and masked) only when a verdict cites the record: a table of
    half a million rows costs nothing for the rows no finding names.
    """

    source: str
    line: int
    path: str | None = None

    def evidence(self, *fields: str) -> Evidence:
        return Evidence.of(self.source, self.line, " | ".join(f for f in fields if f), self.path)

    def describe(self) -> str:
        return (
            f"{self.source} row {self.line}" if not self.source.startswith("NetBox") else f"{self.source} #{self.line}"
        )


@dataclass(frozen=True, slots=True)
class PlannedPrefix:
    """A prefix of the address plan, with the zone it is planned for (None: any zone)."""

    network: IPNetwork
    zone: str | None
    purpose: str
    vrf: str | None
    origin: Origin

    @property
    def where(self) -> Evidence:
        return self.origin.evidence(str(self.network), self.vrf or "", self.zone or "", self.purpose)


@dataclass(frozen=True, slots=True)
class Allocation:
    """One recorded address: who or what it is allocated to."""

    address: IPAddress
    host: str
    interface: str
    zone: str | None
    purpose: str
    vrf: str | None
    origin: Origin
    # Recorded as shared by design (VRRP/HSRP gateway, anycast): on several devices is no duplicate.
    shared: bool = False
    prefixlen: int | None = None
    # The address's key (address_key), worked out once: the model looks every record up by it.
    key: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", address_key(self.address))

    @property
    def where(self) -> Evidence:
        shown = f"{self.address}/{self.prefixlen}" if self.prefixlen is not None else str(self.address)
        return self.origin.evidence(shown, self.host, self.interface, self.vrf or "", self.zone or "", self.purpose)


@dataclass(frozen=True, slots=True)
class AllocatedRange:
    """A block of addresses allocated as a whole: a DHCP pool (a prefix or a first-last range)."""

    first: int
    last: int
    label: str
    origin: Origin
    kind: Literal["pool", "range"] = "pool"

    def __contains__(self, key: int) -> bool:
        return self.first <= key <= self.last

    @property
    def where(self) -> Evidence:
        return self.origin.evidence(self.label)


@dataclass(frozen=True)
class IpRecords:
    """Everything the records say: the plan, the allocations and the allocated blocks, from ``source``."""

    source: str
    prefixes: tuple[PlannedPrefix, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    ranges: tuple[AllocatedRange, ...] = ()

    @property
    def has_plan(self) -> bool:
        return bool(self.prefixes)

    def describe(self) -> str:
        return (
            f"{self.source}: {len(self.prefixes)} planned prefix(es), {len(self.allocations)} recorded address(es)"
            + (f", {len(self.ranges)} pool(s)" if self.ranges else "")
        )


class RecordsError(Exception):
    """Records that cannot be used (the message names the file, row and column, or the server)."""
