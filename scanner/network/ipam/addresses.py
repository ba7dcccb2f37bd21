"""Every address configured on the scanned interfaces, one row each, in columns.

The IP checks compare addresses across the whole estate, but they name an interface or
quote a line only for the addresses a verdict is about. Holding every address as objects
(its interface, its ``ipaddress`` value, its evidence: some 800 bytes an address, 16 MB per
thousand devices) made the scan's memory grow with the estate. The table keeps what the
comparisons read in typed arrays (address key, prefix length, VRF, role, kind, device:
about 20 bytes a row) and, for the rest of a row (interface, evidence), where it is in the
host records the table was built from (the scan keeps those packed anyway): the record's
number per device, the interface's and the address's positions per row, 6 bytes.
:meth:`AddressTable.claim` reads a row back from its record when a check names it.

Keeping each row's details compressed beside the columns instead took some 45 bytes a
row, 6.5 MB at 10,000 devices, for what the records already hold. Reading a row of
another device decodes one batch of records (a few dozen), a couple of milliseconds;
verdicts name other devices' rows only for duplicates, and a device's own rows come in
record order.
"""

from __future__ import annotations

import heapq
import ipaddress
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scanner.facts import Interface, InterfaceAddress
from scanner.model import Evidence
from scanner.network.ipam.records import IPNetwork, address_key
from scanner.network.ipam.settings import vrf_key

if TYPE_CHECKING:
    from scanner.checkapi import HostRecord

_V6 = 1 << 128
_VIRTUAL = 1
_SHUTDOWN = 2


@dataclass(frozen=True, slots=True)
class ConfiguredAddress:
    """An address configured on a device's interface (``key``: its :func:`address_key`)."""

    host: str
    interface: Interface
    address: InterfaceAddress
    vrf: str
    key: int

    @property
    def virtual(self) -> bool:
        return self.address.virtual is not None

    @property
    def evidence(self) -> Evidence:
        return self.address.evidence

    @property
    def network(self) -> IPNetwork:
        return self.address.address.network

    def describe(self) -> str:
        return _described(self.host, self.interface.name, self.interface.vrf, self.address.virtual)


def _described(host: str, interface: str, vrf: str | None, virtual: str | None) -> str:
    """How a message names a claim: ``r1 Vlan10 vrf OT (vrrp 10)``."""
    return f"{host} {interface}" + (f" vrf {vrf}" if vrf else "") + (f" ({virtual})" if virtual else "")


_NARROW = 1 << 32
# Keys sorted together at most: a list of every key of an estate (140,000 ints) was 5 MB at once.
_RUN = 16_384


class KeySet:
    """A set of address keys kept as one sorted array (a Python set of 100,000 of them takes 8 MB).

    IPv4 keys (below 2**32) are in the array, four bytes each; IPv6 keys (offset by 2**128,
    see :func:`address_key`) in a frozenset beside it.
    """

    def __init__(self, keys: Iterable[int]) -> None:
        self._narrow = array("I")
        wide: set[int] = set()
        runs: list[array[int]] = []  # sorted runs of at most _RUN keys, merged below
        pending: list[int] = []
        for key in keys:
            if key >= _NARROW:
                wide.add(key)
                continue
            pending.append(key)
            if len(pending) >= _RUN:
                runs.append(array("I", sorted(pending)))
                pending = []
        runs.append(array("I", sorted(pending)))
        last = -1
        for key in heapq.merge(*runs):
            if key != last:
                self._narrow.append(key)
                last = key
        self._wide = frozenset(wide)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        if key >= _NARROW:
            return key in self._wide
        narrow = self._narrow
        at = bisect_left(narrow, key)
        return at < len(narrow) and narrow[at] == key

    def __len__(self) -> int:
        return len(self._narrow) + len(self._wide)


def _skipped(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Addresses that are no one's to allocate: link-local, loopback, unspecified."""
    if ip.version == 4:
        value = int(ip)
        return value >> 16 == 0xA9FE or value >> 24 == 127 or value == 0
    return ip.is_link_local or ip.is_loopback or ip.is_unspecified


class Identities:
    """Which interface each row is on, as one integer per row: device number and named position."""

    __slots__ = ("_devices", "_positions")

    def __init__(self, devices: array[int], positions: array[int]) -> None:
        self._devices = devices
        self._positions = positions

    def __getitem__(self, row: int) -> int:
        return self._devices[row] << 32 | self._positions[row]


class AddressTable:
    """The configured addresses of every scanned device, in columns (see the module's docstring).

    Rows are added a device at a time (:meth:`add`, which names each device's position in the
    sequence of host records), in the order of its interfaces and their addresses; a device's
    rows are contiguous. :meth:`read_from` gives the table that sequence.
    """

    def __init__(self) -> None:
        self._records: Sequence[HostRecord] = ()
        self._firsts = array("I")  # per device: its first row
        self._keys = array("I")  # IPv4 keys; an IPv6 key is in _wide (and 0 here)
        self._wide: dict[int, int] = {}
        self.prefixlens = array("B")
        self.vrfs = array("H")  # index into vrf_names
        self.vrf_names: list[str] = []
        self._vrf_numbers: dict[str, int] = {}
        self._flags = array("B")
        self._kinds = array("B")  # index into _kind_names
        self._kind_names: list[str] = []
        self.devices = array("I")  # device number of each row
        self.names: list[str] = []  # host name of each device number
        self._record_numbers = array("I")  # per device: its record's position in ``records``
        # Per row: the position of its interface in the record's interfaces, and of the address in the interface's.
        self._interface_positions = array("I")
        self._address_positions = array("H")
        # While rows are added only: the position of each row's interface among the device's interface
        # names, which tells interfaces apart as the configurations name them (see :meth:`identities`).
        self._named_positions = array("I")

    def __len__(self) -> int:
        return len(self._keys)

    # ---- building ------------------------------------------------------------------

    def add(self, name: str, record: int, interfaces: tuple[Interface, ...]) -> None:
        """Add one device's addresses (``interfaces`` of the record at position ``record``)."""
        number = len(self.names)
        self.names.append(name)
        self._record_numbers.append(record)
        first = len(self._keys)
        self._firsts.append(first)
        positions: dict[str, int] = {}
        for interface_position, interface in enumerate(interfaces):
            vrf = self._vrf_number(vrf_key(interface.vrf))
            kind = self._kind_number(interface.kind)
            position = positions.setdefault(interface.name, len(positions))
            flags = _SHUTDOWN if interface.shutdown else 0
            for address_position, address in enumerate(interface.addresses):
                value = address.address
                ip = value.ip
                if _skipped(ip):
                    continue
                row = len(self._keys)
                key = address_key(ip)
                if key >= _V6:
                    self._wide[row] = key
                    self._keys.append(0)
                else:
                    self._keys.append(key)
                self.prefixlens.append(value.network.prefixlen)
                self.vrfs.append(vrf)
                self._flags.append(flags | (_VIRTUAL if address.virtual is not None else 0))
                self._kinds.append(kind)
                self.devices.append(number)
                self._named_positions.append(position)
                self._interface_positions.append(interface_position)
                self._address_positions.append(address_position)

    def read_from(self, records: Sequence[HostRecord]) -> None:
        """The sequence of records the rows were added from: a row's interface and evidence are read back there."""
        self._records = records

    def device_rows(self, number: int) -> tuple[int, int, int]:
        """(record position, first row, end row) of device ``number``, in the order :meth:`add` was called."""
        stop = self._firsts[number + 1] if number + 1 < len(self._firsts) else len(self._keys)
        return self._record_numbers[number], self._firsts[number], stop

    def identities(self) -> Identities:
        """Per row, which interface it is on, as the configurations name it (host, interface name):
        two blocks of one name are one interface. Read once after the last :meth:`add`; the
        table forgets them then."""
        positions, self._named_positions = self._named_positions, array("I")
        return Identities(self.devices, positions)

    def _vrf_number(self, vrf: str) -> int:
        number = self._vrf_numbers.get(vrf)
        if number is None:
            number = self._vrf_numbers[vrf] = len(self.vrf_names)
            self.vrf_names.append(vrf)
        return number

    def _kind_number(self, kind: str) -> int:
        if kind not in self._kind_names:
            self._kind_names.append(kind)
        return self._kind_names.index(kind)

    # ---- columns -------------------------------------------------------------------

    def key(self, row: int) -> int:
        key = self._keys[row]
        return self._wide.get(row, 0) if key == 0 and self._wide else key

    def vrf(self, row: int) -> str:
        return self.vrf_names[self.vrfs[row]]

    def virtual(self, row: int) -> bool:
        return bool(self._flags[row] & _VIRTUAL)

    def shutdown(self, row: int) -> bool:
        return bool(self._flags[row] & _SHUTDOWN)

    def kind(self, row: int) -> str:
        return self._kind_names[self._kinds[row]]

    def host(self, row: int) -> str:
        return self.names[self.devices[row]]

    def version(self, row: int) -> int:
        return 6 if row in self._wide else 4

    def network(self, row: int) -> IPNetwork:
        """The subnet of the row's interface address (a new object each call)."""
        key = self.key(row)
        if key >= _V6:
            return ipaddress.IPv6Network((key ^ _V6, self.prefixlens[row]), strict=False)
        return ipaddress.IPv4Network((key, self.prefixlens[row]), strict=False)

    def bounds(self, row: int) -> tuple[int, int]:
        """First and last address key of the row's subnet."""
        key = self.key(row)
        size = (128 if key >= _V6 else 32) - self.prefixlens[row]
        first = key >> size << size
        return first, first + (1 << size) - 1

    # ---- decoded rows --------------------------------------------------------------

    def _read(self, row: int) -> tuple[Interface, InterfaceAddress]:
        record = self._records[self._record_numbers[self.devices[row]]]
        interface = record.interfaces[self._interface_positions[row]]
        return interface, interface.addresses[self._address_positions[row]]

    def detail(self, row: int) -> tuple[Evidence, str]:
        """The row's evidence and how a message names it (``ConfiguredAddress.describe``)."""
        interface, address = self._read(row)
        return address.evidence, _described(self.host(row), interface.name, interface.vrf, address.virtual)

    def claim(self, row: int) -> ConfiguredAddress:
        """The row as its record holds it: the interface (without its other addresses), the address."""
        interface, address = self._read(row)
        bare = replace(interface, addresses=())
        return ConfiguredAddress(self.host(row), bare, address, self.vrf(row), self.key(row))
