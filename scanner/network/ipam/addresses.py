"""Every address configured on the scanned interfaces, one row each, in columns.

The IP checks compare addresses across the whole estate, but they name an interface or
quote a line only for the addresses a verdict is about. Holding every address as objects
(its interface, its ``ipaddress`` value, its evidence: some 800 bytes an address, 16 MB per
thousand devices) made the scan's memory grow with the estate. The table keeps what the
comparisons read in typed arrays (address key, prefix length, VRF, role, kind, device:
about 20 bytes a row) and the rest of each row (interface, evidence) pickled and
compressed on its own, some 55 bytes; :meth:`AddressTable.claim` decodes a row into a
:class:`ConfiguredAddress` when a check names it.

Rows are compressed one by one, not a device at a time, because a verdict names rows of
other devices at random (an address configured on three devices is quoted on each): a
row decodes in a few microseconds whatever the device. Raw deflate with a 512-byte window
and a preset dictionary made of the first device's rows keeps that cheap both ways.
"""

from __future__ import annotations

import heapq
import ipaddress
import pickle
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scanner.facts import Interface, InterfaceAddress
from scanner.model import Evidence
from scanner.network.ipam.records import IPNetwork, address_key
from scanner.network.ipam.settings import vrf_key

_V6 = 1 << 128
_VIRTUAL = 1
_SHUTDOWN = 2
# Raw deflate, a 512-byte window (the preset dictionary must fit in it, less the 262 bytes deflate keeps
# for lookahead), the least memory: creating a compressor then costs microseconds, not a hundred.
_WBITS = -9
_MEM_LEVEL = 1
_DICTIONARY_SIZE = 512 - 262

# Evidence as a row keeps it: (line, text) when it comes from the device's usual source, path and host.
_Origin = tuple[str, str | None, str | None]
_Kept = tuple[int, str] | Evidence


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


# Keys sorted together at most: a list of every key of an estate (140,000 ints) was 5 MB at once.
_RUN = 16_384


class KeySet:
    """A set of address keys kept as one sorted array (a Python set of 100,000 of them takes 8 MB)."""

    def __init__(self, keys: Iterable[int]) -> None:
        self._narrow = array("Q")
        wide: set[int] = set()
        runs: list[array[int]] = []  # sorted runs of at most _RUN keys, merged below
        pending: list[int] = []
        for key in keys:
            if key >= 1 << 64:
                wide.add(key)
                continue
            pending.append(key)
            if len(pending) >= _RUN:
                runs.append(array("Q", sorted(pending)))
                pending = []
        runs.append(array("Q", sorted(pending)))
        last = -1
        for key in heapq.merge(*runs):
            if key != last:
                self._narrow.append(key)
                last = key
        self._wide = frozenset(wide)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        if key >= 1 << 64:
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


class AddressTable:
    """The configured addresses of every scanned device, in columns (see the module's docstring).

    Rows are added a device at a time (:meth:`add`), in the order of its interfaces and
    their addresses; a device's rows are contiguous.
    """

    def __init__(self) -> None:
        self._keys = array("Q")  # IPv4 keys; an IPv6 key is in _wide
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
        self._details = bytearray()  # each row's interface and evidence, compressed, one after another
        self._ends = array("Q")  # where each row's details end in _details
        self._origins: list[_Origin] = []  # per device: the source, path and host of most of its evidence
        self._dictionary: bytes | None = None
        self._packer: zlib._Compress | None = None
        # While rows are added only: (device number, interface position by name) of each row, which tells
        # interfaces apart as the configurations name them (see :meth:`identities`).
        self._identities = array("Q")

    def __len__(self) -> int:
        return len(self._keys)

    # ---- building ------------------------------------------------------------------

    def add(self, name: str, interfaces: tuple[Interface, ...]) -> tuple[int, int, int]:
        """Add one device's addresses; (device number, first row, end row)."""
        number = len(self.names)
        self.names.append(name)
        first = len(self._keys)
        origin: _Origin | None = None
        positions: dict[str, int] = {}
        details: list[tuple[object, ...]] = []
        for interface in interfaces:
            vrf = self._vrf_number(vrf_key(interface.vrf))
            kind = self._kind_number(interface.kind)
            position = positions.setdefault(interface.name, len(positions))
            for address in interface.addresses:
                value = address.address
                ip = value.ip
                if _skipped(ip):
                    continue
                if origin is None:
                    evidence = address.evidence
                    origin = (evidence.source, evidence.path, evidence.host)
                row = len(self._keys)
                key = address_key(ip)
                if key >= _V6:
                    self._wide[row] = key
                    self._keys.append(0)
                else:
                    self._keys.append(key)
                self.prefixlens.append(value.network.prefixlen)
                self.vrfs.append(vrf)
                self._flags.append(
                    (_VIRTUAL if address.virtual is not None else 0) | (_SHUTDOWN if interface.shutdown else 0)
                )
                self._kinds.append(kind)
                self.devices.append(number)
                self._identities.append(number << 32 | position)
                details.append(
                    (
                        _keep(address.evidence, origin),
                        address.secondary,
                        address.virtual,
                        value if key >= _V6 else None,
                        interface.name,
                        interface.kind,
                        _keep(interface.evidence, origin),
                        interface.description,
                        interface.vrf,
                        interface.shutdown,
                        interface.switchport,
                    )
                )
        self._origins.append(origin or ("", None, None))
        self._pack(details)
        return number, first, len(self._keys)

    def identities(self) -> array[int]:
        """Per row, which interface it is on, as the configurations name it (host, interface name):
        two blocks of one name are one interface. Read once after the last :meth:`add`; the
        table forgets them then."""
        identities, self._identities = self._identities, array("Q")
        return identities

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

    def _pack(self, details: list[tuple[object, ...]]) -> None:
        raws = [pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL) for row in details]
        if self._packer is None and raws:
            self._dictionary = b"".join(raws)[-_DICTIONARY_SIZE:]
            self._packer = zlib.compressobj(6, zlib.DEFLATED, _WBITS, _MEM_LEVEL, zdict=self._dictionary)
        for raw in raws:
            packer = self._packer.copy()  # type: ignore[union-attr]  # a fresh compressor, dictionary loaded
            self._details += packer.compress(raw)
            self._details += packer.flush()
            self._ends.append(len(self._details))

    # ---- columns -------------------------------------------------------------------

    def key(self, row: int) -> int:
        key = self._keys[row]
        return self._wide.get(row, 0) if key == 0 and self._wide else key

    def keys(self, rows: range) -> Iterator[int]:
        wide = self._wide
        keys = self._keys
        if not wide:
            return iter(keys[rows.start : rows.stop])
        return (wide.get(row, keys[row]) for row in rows)

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

    def _fields(self, row: int) -> tuple[Any, ...]:
        start = self._ends[row - 1] if row else 0
        unpacker = zlib.decompressobj(_WBITS, zdict=self._dictionary)  # type: ignore[arg-type]
        raw = unpacker.decompress(self._details[start : self._ends[row]]) + unpacker.flush()
        fields: tuple[Any, ...] = pickle.loads(raw)
        return fields

    def detail(self, row: int) -> tuple[Evidence, str]:
        """The row's evidence and how a message names it (``ConfiguredAddress.describe``), decoding no more."""
        kept, _, virtual, _, name, _, _, _, vrf, _, _ = self._fields(row)
        number = self.devices[row]
        return _evidence(kept, self._origins[number]), _described(self.names[number], name, vrf, virtual)

    def claim(self, row: int) -> ConfiguredAddress:
        """The row decoded: its interface, its address and evidence (new objects each call)."""
        kept, secondary, virtual, wide, name, kind, interface_kept, description, vrf, shutdown, switchport = (
            self._fields(row)
        )
        number = self.devices[row]
        origin = self._origins[number]
        interface = Interface(name, kind, _evidence(interface_kept, origin), description, (), vrf, shutdown, switchport)
        key = self.key(row)
        value = wide if wide is not None else ipaddress.IPv4Interface((key, self.prefixlens[row]))
        address = InterfaceAddress(value, _evidence(kept, origin), secondary, virtual)
        return ConfiguredAddress(self.names[number], interface, address, self.vrf(row), key)


def _keep(evidence: Evidence, origin: _Origin) -> _Kept:
    if (evidence.source, evidence.path, evidence.host) == origin:
        return (evidence.line, evidence.text)
    return evidence


def _evidence(kept: _Kept, origin: _Origin) -> Evidence:
    if isinstance(kept, Evidence):
        return kept
    source, path, host = origin
    return Evidence(source, kept[0], kept[1], path, host)
