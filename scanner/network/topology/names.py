"""Matching what neighbours call each other to the names the inventory uses.

Two problems, one module: an interface has many spellings (``Gi0/0/1``,
``GigabitEthernet0/0/1``; H3C ``XGE1/0/49`` = ``Ten-GigabitEthernet1/0/49``), and a
device has many names (inventory name, configured hostname with or without domain,
NX-OS ``name(SERIAL)`` device ids, serial numbers, management addresses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from netutils.interface import canonical_interface_name

# Huawei VRP and H3C Comware spellings netutils does not know (or knows another way).
# Huawei XGigabitEthernet and H3C Ten-GigabitEthernet are both 10G and abbreviate to XGE.
_VENDOR_NAMES = {
    "XGigabitEthernet": "TenGigabitEthernet",
    "Ten-GigabitEthernet": "TenGigabitEthernet",
    "XGE": "TenGigabitEthernet",
    "10GE": "TenGigabitEthernet",
    "25GE": "TwentyFiveGigE",
    "WGE": "TwentyFiveGigE",
    "Twenty-FiveGigE": "TwentyFiveGigE",
    "40GE": "FortyGigabitEthernet",
    "FortyGigE": "FortyGigabitEthernet",
    "100GE": "HundredGigabitEthernet",
    "HGE": "HundredGigabitEthernet",
    "HundredGigE": "HundredGigabitEthernet",
    "400GE": "FourHundredGigabitEthernet",
    "Eth-Trunk": "Eth-Trunk",
    "BAGG": "Bridge-Aggregation",
    "Bridge-Aggregation": "Bridge-Aggregation",
    "RAGG": "Route-Aggregation",
    "MGE": "M-GigabitEthernet",
    "MEth": "MEth",
    "Vlanif": "Vlanif",
    "Vlan-interface": "Vlan-interface",
}
_JUNOS_UNIT_ZERO = re.compile(r"^([a-z]{2,4}-\d+/\d+/\d+)\.0$")
_SERIAL_IN_NAME = re.compile(r"^(?P<name>.+?)\s*\((?P<serial>[A-Za-z0-9]{6,})\)$")
_MAC = re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$|^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$", re.I)


@lru_cache(maxsize=65536)
def interface_key(name: str) -> str:
    """One spelling per interface, for comparing names: ``gi0/0/1`` and ``GigabitEthernet0/0/1`` agree.

    The key is for comparison only; diagrams show names as the device printed them.
    """
    text = name.strip().replace(" ", "")
    if not text:
        return ""
    unit = _JUNOS_UNIT_ZERO.match(text)
    if unit:
        text = unit.group(1)
    try:
        canonical = canonical_interface_name(text, addl_name_map=_VENDOR_NAMES)
    except (ValueError, IndexError):
        canonical = text
    return canonical.lower()


def short_name(name: str) -> str:
    """``hq-core1.corp.example`` -> ``hq-core1`` (an address stays whole)."""
    name = name.strip()
    if re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+", name):
        return name
    return name.split(".", 1)[0]


def split_serial(name: str) -> tuple[str, str | None]:
    """NX-OS CDP device ids carry the serial: ``hq-dc1(FDO21520ABC)`` -> (``hq-dc1``, ``FDO21520ABC``)."""
    match = _SERIAL_IN_NAME.match(name.strip())
    if match is None:
        return name.strip(), None
    return match.group("name").strip(), match.group("serial")


def looks_like_mac(name: str) -> bool:
    """An LLDP chassis id given instead of a system name."""
    return bool(_MAC.match(name.strip()))


@dataclass
class _Index:
    """A lookup table that forgets keys claimed by two different hosts (an ambiguous key matches nothing)."""

    table: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)

    def add(self, key: str | None, host: str) -> None:
        if not key:
            return
        key = key.strip().lower()
        if not key or key in self.ambiguous:
            return
        known = self.table.get(key)
        if known is None:
            self.table[key] = host
        elif known != host:
            del self.table[key]
            self.ambiguous.add(key)

    def get(self, key: str | None) -> str | None:
        if not key:
            return None
        return self.table.get(key.strip().lower())


@dataclass(frozen=True)
class Match:
    host: str
    how: str  # "name", "short name", "serial", "address"


class NameIndex:
    """Resolves a neighbour as reported (name, serial, address) to an inventory host name.

    Order: full name, name without domain, serial (in the name or advertised), management
    address. A key that two hosts share (two devices behind one NAT address, the lab's
    127.0.0.1) is dropped rather than guessed.
    """

    def __init__(self) -> None:
        self._names = _Index()
        self._short = _Index()
        self._serials = _Index()
        self._addresses = _Index()

    def add_host(
        self,
        host: str,
        names: Iterable[str | None] = (),
        serials: Iterable[str | None] = (),
        addresses: Iterable[str | None] = (),
    ) -> None:
        for name in (host, *names):
            if not name:
                continue
            self._names.add(name, host)
            self._short.add(short_name(name), host)
        for serial in serials:
            self._serials.add(serial, host)
        for address in addresses:
            self._addresses.add(address, host)

    def resolve(self, name: str, serial: str | None = None, address: str | None = None) -> Match | None:
        bare, embedded = split_serial(name)
        for candidate in dict.fromkeys((name.strip(), bare)):
            found = self._names.get(candidate)
            if found:
                return Match(found, "name")
        found = self._short.get(short_name(bare))
        if found:
            return Match(found, "short name")
        for candidate in (embedded, serial):
            found = self._serials.get(candidate)
            if found:
                return Match(found, "serial")
        found = self._addresses.get(address)
        if found:
            return Match(found, "address")
        return None
