"""What the IP model is made of: the devices, their configured addresses, ARP sightings, duplicates."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from netutils.interface import canonical_interface_name

from scanner.arptable import ArpTable
from scanner.model import Evidence
from scanner.network.ipam.addresses import AddressTable, ConfiguredAddress

# First-hop redundancy MAC prefixes (VRRP, HSRP v1/v2, GLBP): an address answering from one
# of them and from a real MAC is a gateway seen both ways, not two hosts.
_VIRTUAL_MACS = ((0x00005E000100, 8), (0x00000C07AC00, 8), (0x00000C9FF000, 12), (0x0007B4000000, 16))


def virtual_mac(mac: int) -> bool:
    return any(mac >> bits == prefix >> bits for prefix, bits in _VIRTUAL_MACS)


def interface_key(name: str) -> str:
    """Interface names compared across outputs: ``GE0/0/1`` and ``GigabitEthernet0/0/1`` alike."""
    return canonical_interface_name(name, verify=False).casefold().replace("-", "").replace(" ", "")


@dataclass(frozen=True, slots=True)
class Sighting:
    """An ARP entry as the model refers to it: which device's table, which entry."""

    device: Device
    index: int

    @property
    def table(self) -> ArpTable:
        assert self.device.arp is not None
        return self.device.arp

    @property
    def mac(self) -> int:
        return self.table.macs[self.index]

    @property
    def address(self) -> int:
        return self.table.addresses[self.index]

    @property
    def interface(self) -> str:
        return self.table.names[self.table.interfaces[self.index]]

    @property
    def evidence(self) -> Evidence:
        return self.table.evidence(self.index)


_NO_HOSTS: array[int] = array("I")
_NO_VRFS: list[str] = []


@dataclass(eq=False, slots=True)
class Device:
    """A scanned network device as the IP checks see it.

    Its configured addresses are rows of the model's :class:`AddressTable` (``rows``), read
    column by column; :attr:`addresses` decodes them whole (interface, evidence) on each read.
    """

    name: str
    zone: str | None
    role: str | None
    table: AddressTable = field(repr=False)
    first: int = 0
    stop: int = 0
    arp: ArpTable | None = None
    arp_missing: str | None = None
    # Why the configuration is not whole or was not read (HostRecord.config_incomplete).
    config_incomplete: str | None = None
    # Indexes of the ARP entries that are other hosts (not an address any scanned device
    # configures), first seen in this device's table, and the VRF key of each. Shared empty
    # ones until read_arp_tables gives the device its own (most devices of an estate show none).
    hosts: array[int] = field(default_factory=lambda: _NO_HOSTS)
    host_vrfs: list[str] = field(default_factory=lambda: _NO_VRFS)

    @property
    def rows(self) -> range:
        return range(self.first, self.stop)

    @property
    def addresses(self) -> list[ConfiguredAddress]:
        """Every configured address of the device, decoded (a new list of new objects each read)."""
        return [self.table.claim(row) for row in self.rows]

    @property
    def own(self) -> list[ConfiguredAddress]:
        return [a for a in self.addresses if not a.virtual]

    def sightings(self) -> Iterator[tuple[Sighting, str]]:
        for index, vrf in zip(self.hosts, self.host_vrfs, strict=True):
            yield Sighting(self, index), vrf

    def host_addresses(self) -> Iterator[tuple[int, int, str]]:
        """(entry index, address key, VRF) of the other hosts, without an object per entry."""
        if self.arp is None:
            return
        addresses = self.arp.addresses
        for index, vrf in zip(self.hosts, self.host_vrfs, strict=True):
            yield index, addresses[index], vrf


@dataclass(frozen=True, slots=True)
class Duplicate:
    """One address claimed by several interfaces (own addresses, or an own address and someone's gateway).

    ``rows`` are the claims' rows in the model's address table; :attr:`claims` decodes them."""

    vrf: str
    key: int
    rows: tuple[int, ...]
    table: AddressTable = field(repr=False, compare=False)

    @property
    def claims(self) -> tuple[ConfiguredAddress, ...]:
        return tuple(self.table.claim(row) for row in self.rows)

    @property
    def hosts(self) -> list[str]:
        """The devices claiming the address, each once, in the order of the claims (nothing decoded)."""
        return list(dict.fromkeys(self.table.host(row) for row in self.rows))


class Duplicates(Sequence[Duplicate]):
    """The model's duplicates, kept as rows in arrays (a 10,000-device estate may have 40,000 of
    them); a :class:`Duplicate` is made when one is read."""

    def __init__(self, table: AddressTable) -> None:
        self._table = table
        self._rows = array("I")  # every duplicate's claims, one after another
        self._ends = array("I")
        self._of = array("i", [-1]) * len(table)  # per row: the duplicate it is a claim of, or -1

    def add(self, rows: list[int]) -> None:
        number = len(self._ends)
        for row in rows:
            self._of[row] = number
        self._rows.extend(rows)
        self._ends.append(len(self._rows))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> Duplicate: ...
    @overload
    def __getitem__(self, index: slice) -> list[Duplicate]: ...
    def __getitem__(self, index: int | slice) -> Duplicate | list[Duplicate]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("duplicate index out of range")
        start = self._ends[index - 1] if index else 0
        rows = tuple(self._rows[start : self._ends[index]])
        table = self._table
        return Duplicate(table.vrf(rows[0]), table.key(rows[0]), rows, table)

    def of(self, device: Device) -> list[Duplicate]:
        """The duplicates ``device`` has a claim in, in the model's order."""
        of = self._of
        return [self[number] for number in sorted({of[row] for row in device.rows} - {-1})]


@dataclass(frozen=True)
class MacConflict:
    """One address answering from several MAC addresses (in one ARP table or across several)."""

    vrf: str
    key: int
    sightings: tuple[Sighting, ...]
