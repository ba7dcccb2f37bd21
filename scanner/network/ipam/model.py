"""The IP address model of a scan: every configured address and ARP entry, and the records beside them.

Built once per scan from every host's record (interfaces and the compact ARP table) and
the records the scan was given (``NetworkContext.attachments``). It answers what the IP
checks ask, each in one pass:

* which addresses are configured more than once, and which answer from two MACs;
* which configured addresses and which ARP hosts the records hold (an allocation, or a
  DHCP pool/range they fall in), and which record nothing configures or shows;
* which planned prefix an address or subnet falls in (the most specific one).

ARP entries are never turned into objects: the model keeps, per device, the indexes of
the entries that are other hosts, and one dictionary from address to its first sighting
(packed in a tuple of integers), so half a million entries are reconciled in a few seconds.
Addresses are compared by their integer key (:func:`~scanner.network.ipam.records.address_key`)
within their VRF (the global table is ""; names folded, vendor spellings of "default" alike).
"""

from __future__ import annotations

import bisect
import ipaddress
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from netutils.interface import canonical_interface_name

from scanner.arptable import ArpTable
from scanner.checkapi import HostRecord, ModelUnavailable, NetworkContext
from scanner.facts import Interface, InterfaceAddress
from scanner.model import Evidence, HostInfo
from scanner.network.ipam.records import (
    AllocatedRange,
    Allocation,
    IPNetwork,
    IpRecords,
    PlannedPrefix,
    address_key,
)
from scanner.network.ipam.settings import IpamSettings, IpamSettingsError, read_settings, vrf_key

IPAM = "ipam"
# NetworkContext.attachments keys under which a scan hands the records (or why they could not be read).
ATTACHMENT = "ipam.records"
ATTACHMENT_ERROR = "ipam.records_error"

# First-hop redundancy MAC prefixes (VRRP, HSRP v1/v2, GLBP): an address answering from one
# of them and from a real MAC is a gateway seen both ways, not two hosts.
_VIRTUAL_MACS = ((0x00005E000100, 8), (0x00000C07AC00, 8), (0x00000C9FF000, 12), (0x0007B4000000, 16))


def virtual_mac(mac: int) -> bool:
    return any(mac >> bits == prefix >> bits for prefix, bits in _VIRTUAL_MACS)


def interface_key(name: str) -> str:
    """Interface names compared across outputs: ``GE0/0/1`` and ``GigabitEthernet0/0/1`` alike."""
    return canonical_interface_name(name, verify=False).casefold().replace("-", "").replace(" ", "")


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
        vrf = f" vrf {self.interface.vrf}" if self.interface.vrf else ""
        role = f" ({self.address.virtual})" if self.address.virtual else ""
        return f"{self.host} {self.interface.name}{vrf}{role}"


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


@dataclass(eq=False)
class Device:
    """A scanned network device as the IP checks see it."""

    name: str
    host: HostInfo
    zone: str | None
    addresses: list[ConfiguredAddress] = field(default_factory=list)
    arp: ArpTable | None = None
    arp_missing: str | None = None
    # Indexes of the ARP entries that are other hosts (not an address any scanned device
    # configures), first seen in this device's table, and the VRF key of each.
    hosts: array[int] = field(default_factory=lambda: array("I"))
    host_vrfs: list[str] = field(default_factory=list)

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


@dataclass(frozen=True)
class Duplicate:
    """One address claimed by several interfaces (own addresses, or an own address and someone's gateway)."""

    vrf: str
    key: int
    claims: tuple[ConfiguredAddress, ...]


@dataclass(frozen=True)
class MacConflict:
    """One address answering from several MAC addresses (in one ARP table or across several)."""

    vrf: str
    key: int
    sightings: tuple[Sighting, ...]


class _Plan:
    """Longest-prefix match over the planned prefixes (a dictionary per prefix length)."""

    def __init__(self, prefixes: Iterable[PlannedPrefix]) -> None:
        self._by_length: dict[tuple[int, int], dict[int, list[PlannedPrefix]]] = {}
        for prefix in prefixes:
            network = prefix.network
            shift = network.max_prefixlen - network.prefixlen
            slot = self._by_length.setdefault((network.version, network.prefixlen), {})
            slot.setdefault(int(network.network_address) >> shift, []).append(prefix)
        self._lengths = {
            version: sorted((length for v, length in self._by_length if v == version), reverse=True)
            for version in (4, 6)
        }

    def covering(self, network: IPNetwork, vrf: str) -> PlannedPrefix | None:
        """The most specific planned prefix that holds all of ``network`` (in its VRF, or planned for any VRF)."""
        value = int(network.network_address)
        for length in self._lengths[network.version]:
            if length > network.prefixlen:
                continue
            found = self._by_length[(network.version, length)].get(value >> (network.max_prefixlen - length))
            if found:
                for prefix in found:
                    if prefix.vrf is None or vrf_key(prefix.vrf) == vrf:
                        return prefix
        return None


class _Ranges:
    """Which allocated block (pool or range) an address key falls in: bisect over merged intervals."""

    def __init__(self, ranges: Iterable[AllocatedRange]) -> None:
        merged: list[tuple[int, int, AllocatedRange]] = []
        for item in sorted(ranges, key=lambda r: (r.first, -r.last)):
            if merged and item.first <= merged[-1][1]:
                first, last, kept = merged[-1]
                merged[-1] = (first, max(last, item.last), kept)
            else:
                merged.append((item.first, item.last, item))
        self._firsts = [m[0] for m in merged]
        self._merged = merged

    def find(self, key: int) -> AllocatedRange | None:
        index = bisect.bisect_right(self._firsts, key) - 1
        if index >= 0 and key <= self._merged[index][1]:
            return self._merged[index][2]
        return None


@dataclass
class IpModel:
    """The scan's addresses and ARP entries, reconciled with the records (``records`` None: none given)."""

    devices: list[Device]
    settings: IpamSettings
    records: IpRecords | None
    duplicates: list[Duplicate]
    conflicts: list[MacConflict]
    # Address keys configured on any scanned interface (any VRF, shut down too) and seen in any ARP table.
    configured_keys: set[int]
    seen_keys: set[int]
    # The device names the records may use for a scanned device (inventory name and hostname), folded.
    device_names: Mapping[str, str]
    _allocations: dict[int, list[Allocation]] = field(default_factory=dict)
    _plan: _Plan | None = None
    _ranges: _Ranges | None = None

    def device(self, name: str) -> Device | None:
        return next((d for d in self.devices if d.name == name), None)

    # ---- the records -------------------------------------------------------------------

    def recorded(self, key: int, vrf: str) -> Allocation | None:
        """The allocation recording this address (one with no VRF matches every VRF)."""
        for allocation in self._allocations.get(key, ()):
            if allocation.vrf is None or vrf_key(allocation.vrf) == vrf:
                return allocation
        return None

    def pooled(self, key: int) -> AllocatedRange | None:
        return self._ranges.find(key) if self._ranges is not None else None

    def planned(self, network: IPNetwork, vrf: str) -> PlannedPrefix | None:
        return self._plan.covering(network, vrf) if self._plan is not None else None

    def named_device(self, name: str) -> str | None:
        """The scanned device a record's host column names, if it names one."""
        return self.device_names.get(name.strip().casefold()) if name else None


def build_ipam_model(ctx: NetworkContext) -> IpModel:
    """The IP model of ``ctx``; records that could not be read leave it without records (the checks say why)."""
    try:
        settings = read_settings(ctx.policy)
    except IpamSettingsError as exc:
        raise ModelUnavailable(str(exc)) from None
    records: IpRecords | None = ctx.attachments.get(ATTACHMENT)
    return build_model(ctx.hosts, settings, records)


def build_model(hosts: Iterable[HostRecord], settings: IpamSettings, records: IpRecords | None) -> IpModel:
    devices = [_device(record) for record in hosts if record.kind == "network"]
    shared_keys = _shared_keys(devices, settings, records)
    gateway_keys = {a.key for d in devices for a in d.addresses if a.virtual}
    configured: dict[tuple[str, int], list[ConfiguredAddress]] = {}
    configured_keys: set[int] = set()
    for device in devices:
        for item in device.addresses:
            configured_keys.add(item.key)
            configured.setdefault((item.vrf, item.key), []).append(item)
    duplicates = []
    for (vrf, key), claims in configured.items():
        owners = _owners(claims) if key not in shared_keys else []
        if owners:
            duplicates.append(Duplicate(vrf, key, tuple(owners)))
    conflicts, seen_keys = _read_arp(devices, configured_keys, shared_keys | gateway_keys)
    names: dict[str, str] = {}
    for record in hosts:
        for name in (record.host.name, record.hostname):
            if name:
                names.setdefault(name.casefold(), record.host.name)
    model = IpModel(
        devices=devices,
        settings=settings,
        records=records,
        duplicates=duplicates,
        conflicts=conflicts,
        configured_keys=configured_keys,
        seen_keys=seen_keys,
        device_names=names,
    )
    if records is not None:
        for allocation in records.allocations:
            model._allocations.setdefault(allocation.key, []).append(allocation)
        model._plan = _Plan(records.prefixes)
        model._ranges = _Ranges(records.ranges)
    return model


def _device(record: HostRecord) -> Device:
    device = Device(
        name=record.host.name,
        host=record.host,
        zone=record.host.zone,
        arp=record.arp,
        arp_missing=record.arp_missing,
    )
    for interface in record.interfaces:
        vrf = vrf_key(interface.vrf)
        for address in interface.addresses:
            ip = address.address.ip
            if ip.is_link_local or ip.is_loopback or ip.is_unspecified:
                continue
            device.addresses.append(ConfiguredAddress(record.host.name, interface, address, vrf, address_key(ip)))
    return device


def _shared_keys(devices: list[Device], settings: IpamSettings, records: IpRecords | None) -> set[int]:
    """Addresses several devices own by design (anycast): the policy's list and records marked so."""
    shared = {k for d in devices for a in d.addresses if settings.is_shared(k := a.key)}
    if records is not None:
        shared.update(a.key for a in records.allocations if a.shared)
    return shared


def _owners(claims: list[ConfiguredAddress]) -> list[ConfiguredAddress]:
    """The live interfaces whose claims on one address collide; [] when they do not.

    Shut-down interfaces do not answer and do not count. Two interfaces owning the address
    collide. A shared gateway (VRRP/HSRP/GLBP/virtual-router) is claimed by several
    devices by design, but an interface owning it without taking part (no gateway
    statement for it on that interface: a VRRP owner has one) collides with the group.
    """
    live = [c for c in claims if not c.interface.shutdown]
    gateway_interfaces = {(c.host, c.interface.name) for c in live if c.virtual}
    owners = [c for c in live if not c.virtual]
    if gateway_interfaces:
        outsiders = [c for c in owners if (c.host, c.interface.name) not in gateway_interfaces]
        if not outsiders:
            return []
        taken = {(c.host, c.interface.name) for c in outsiders}
        members = [c for c in live if c.virtual and (c.host, c.interface.name) not in taken]
        return outsiders + members[:1]
    interfaces = {(c.host, c.interface.name) for c in owners}
    return owners if len(interfaces) > 1 else []


def _read_arp(
    devices: list[Device], configured_keys: set[int], shared_keys: set[int]
) -> tuple[list[MacConflict], set[int]]:
    """One pass over every ARP table: which entries are other hosts, first seen where; which addresses answer
    from two MACs. Returns the conflicts and every address key seen."""
    # (VRF, address) -> (MAC, device number, entry index) of the first sighting; whether it is on the
    # subnet of its interface is worked out only when a second sighting with another MAC comes.
    first: dict[tuple[str, int], tuple[int, int, int]] = {}
    extra: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    names_of: list[list[_Named]] = []
    for number, device in enumerate(devices):
        table = device.arp
        names = _interface_names(device, table)
        names_of.append(names)
        if table is None:
            continue
        addresses, macs, interfaces, vrfs, table_names = (
            table.addresses,
            table.macs,
            table.interfaces,
            table.vrfs,
            table.names,
        )
        hosts, host_vrfs = device.hosts, device.host_vrfs
        for index in range(len(addresses)):
            key = addresses[index]
            vrf_index = vrfs[index]
            vrf = vrf_key(table_names[vrf_index]) if vrf_index else names[interfaces[index]][0]
            slot = (vrf, key)
            seen = first.get(slot)
            if seen is None:
                first[slot] = (macs[index], number, index)
                if key not in configured_keys:
                    hosts.append(index)
                    host_vrfs.append(vrf)
                continue
            if key in shared_keys or not _on_link(key, names[interfaces[index]][1]):
                continue
            sighting = (macs[index], number, index)
            first_table = devices[seen[1]].arp
            assert first_table is not None
            if not _on_link(key, names_of[seen[1]][first_table.interfaces[seen[2]]][1]):
                first[slot] = sighting
            elif seen[0] != sighting[0]:
                extra.setdefault(slot, []).append(sighting)
    conflicts = []
    for slot, others in extra.items():
        sightings = [first[slot], *others]
        if any(virtual_mac(s[0]) for s in sightings):
            continue
        conflicts.append(MacConflict(slot[0], slot[1], tuple(Sighting(devices[s[1]], s[2]) for s in sightings)))
    return conflicts, {key for _, key in first}


_Named = tuple[str, tuple[tuple[int, int], ...] | None]
_UNKNOWN: _Named = ("", None)


def _interface_names(device: Device, table: ArpTable | None) -> list[_Named]:
    """Per name index of ``table``: (VRF key, subnets as key bounds) of the interface it names, when known."""
    if table is None:
        return [_UNKNOWN]
    by_key: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    for item in device.addresses:
        _, bounds = by_key.setdefault(interface_key(item.interface.name), (item.vrf, []))
        network = item.network
        first = address_key(network.network_address)
        bounds.append((first, first + network.num_addresses - 1))
    names: list[_Named] = []
    for name in table.names:
        found = by_key.get(interface_key(name)) if name else None
        names.append((found[0], tuple(found[1])) if found else _UNKNOWN)
    return names


def _on_link(key: int, bounds: tuple[tuple[int, int], ...] | None) -> bool:
    """False for an entry outside every subnet of the interface it was learnt on (proxy ARP answers)."""
    return bounds is None or any(first <= key <= last for first, last in bounds)


def ipv4_network(key: int, prefixlen: int = 32) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network((key, prefixlen), strict=False)
