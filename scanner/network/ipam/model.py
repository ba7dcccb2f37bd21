"""The IP address model of a scan: every configured address and ARP entry, and the records beside them.

Built once per scan from every host's record (interfaces and the compact ARP table) and
the records the scan was given (``NetworkContext.attachments``). It answers what the IP
checks ask, each in one pass:

* which addresses are configured more than once, and which answer from two MACs;
* which configured addresses and which ARP hosts the records hold (an allocation, or a
  DHCP pool/range they fall in), and which record nothing configures or shows;
* which planned prefix an address or subnet falls in (the most specific one).

Configured addresses are not objects either: they are rows of one
:class:`~scanner.network.ipam.addresses.AddressTable` (address key, prefix, VRF, flags in
arrays; each row's interface and evidence left in its host record), read by column, and
read back from the record only for the rows a verdict names, so the model's memory stays
a few bytes an address. The host records are read once, in order, to build it.

ARP entries are never turned into objects: the model keeps, per device, the indexes of
the entries that are other hosts, and one dictionary from address to its first sighting
(packed in a tuple of integers), so half a million entries are reconciled in a few seconds.
Addresses are compared by their integer key (:func:`~scanner.network.ipam.records.address_key`)
within their VRF (the global table is ""; names folded, vendor spellings of "default" alike).
"""

from __future__ import annotations

import ipaddress
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scanner.checkapi import HostRecord, ModelUnavailable, NetworkContext
from scanner.network.ipam.addresses import AddressTable, ConfiguredAddress, Identities, KeySet
from scanner.network.ipam.arp import read_arp_tables
from scanner.network.ipam.devices import (
    Device,
    Duplicate,
    Duplicates,
    MacConflict,
    Sighting,
    interface_key,
    virtual_mac,
)
from scanner.network.ipam.lookup import Plan, Ranges
from scanner.network.ipam.records import AllocatedRange, Allocation, IPNetwork, IpRecords, PlannedPrefix
from scanner.network.ipam.settings import IpamSettings, IpamSettingsError, read_settings, vrf_key

# The model's parts, for the checks and the export.
__all__ = [
    "ATTACHMENT",
    "ATTACHMENT_ERROR",
    "IPAM",
    "AddressCollector",
    "ConfiguredAddress",
    "Device",
    "Duplicate",
    "Duplicates",
    "IpModel",
    "MacConflict",
    "Sighting",
    "build_ipam_model",
    "build_model",
    "interface_key",
    "ipv4_network",
    "virtual_mac",
]

IPAM = "ipam"
# NetworkContext.attachments keys under which a scan hands the records (or why they could not be read).
ATTACHMENT = "ipam.records"
ATTACHMENT_ERROR = "ipam.records_error"


@dataclass
class IpModel:
    """The scan's addresses and ARP entries, reconciled with the records (``records`` None: none given)."""

    devices: list[Device]
    settings: IpamSettings
    records: IpRecords | None
    duplicates: Duplicates
    conflicts: list[MacConflict]
    # Address keys configured on any scanned interface (any VRF, shut down too) and seen in any ARP table.
    configured_keys: KeySet
    seen_keys: set[int]
    # The device names the records may use for a scanned device (inventory name and hostname), folded;
    # empty when no records were given (nothing reads them then).
    device_names: Mapping[str, str]
    # Every configured address, in columns (Device.rows and Duplicate.rows index it).
    table: AddressTable = field(default_factory=AddressTable)
    _allocations: dict[int, list[Allocation]] = field(default_factory=dict)
    _plan: Plan | None = None
    _ranges: Ranges | None = None

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


class AddressCollector:
    """The model's address table, filled as the scan accepts each host record (``NetworkContext.collected``).

    A record's interfaces are at hand as objects when the scan accepts it (in the scanning
    process) or are decoded then (a worker's record), while workers still scan: the model
    then has its table without decoding every record's interfaces again, at the end, alone.
    """

    def __init__(self) -> None:
        self.table = AddressTable()

    def add(self, position: int, record: HostRecord) -> None:
        if record.kind == "network":
            self.table.add(record.host.name, position, record.interfaces)


def build_ipam_model(ctx: NetworkContext) -> IpModel:
    """The IP model of ``ctx``; records that could not be read leave it without records (the checks say why)."""
    try:
        settings = read_settings(ctx.policy)
    except IpamSettingsError as exc:
        raise ModelUnavailable(str(exc)) from None
    records: IpRecords | None = ctx.attachments.get(ATTACHMENT)
    collected: AddressCollector | None = ctx.collected.get(IPAM)
    return build_model(ctx.hosts, settings, records, collected)


def build_model(
    hosts: Sequence[HostRecord],
    settings: IpamSettings,
    records: IpRecords | None,
    collected: AddressCollector | None = None,
) -> IpModel:
    """The model of ``hosts`` (read once, in order, then again where a verdict names an address) and ``records``.

    ``collected``: the addresses of ``hosts`` gathered already, as the scan accepted each record;
    without it they are gathered here, as the records are read.
    """
    devices: list[Device] = []
    names: dict[str, str] = {}
    collector = collected if collected is not None else AddressCollector()
    table = collector.table
    table.read_from(hosts)
    for number, record in enumerate(hosts):
        if records is not None:  # only the records name devices (Allocation.host)
            for name in (record.host.name, record.hostname):
                if name:
                    names.setdefault(name.casefold(), record.host.name)
        if collected is None:
            collector.add(number, record)
        if record.kind == "network":
            devices.append(_device(table, number, record, len(devices)))
    identities = table.identities()
    declared = _declared(table, settings)
    shared_keys = set(declared)
    if records is not None:
        shared_keys.update(a.key for a in records.allocations if a.shared)
    gateway_keys = {table.key(row) for row in range(len(table)) if table.virtual(row)}
    duplicates = _duplicates(table, identities, declared, shared_keys)
    configured_keys = KeySet(table.key(row) for row in range(len(table)))
    conflicts, seen_keys = read_arp_tables(devices, configured_keys, shared_keys | gateway_keys)
    model = IpModel(
        devices=devices,
        settings=settings,
        records=records,
        duplicates=duplicates,
        conflicts=conflicts,
        configured_keys=configured_keys,
        seen_keys=seen_keys,
        device_names=names,
        table=table,
    )
    if records is not None:
        for allocation in records.allocations:
            model._allocations.setdefault(allocation.key, []).append(allocation)
        model._plan = Plan(records.prefixes)
        model._ranges = Ranges(records.ranges)
    return model


def _device(table: AddressTable, position: int, record: HostRecord, number: int) -> Device:
    """The device of ``record`` (at ``position``), device ``number`` of the table."""
    host = record.host
    at, first, stop = table.device_rows(number)
    if at != position:
        raise ValueError(f"the address table's device {number} is record {at}, not {position}")
    return Device(
        name=host.name,
        zone=host.zone,
        role=host.role,
        table=table,
        first=first,
        stop=stop,
        arp=record.arp,
        arp_missing=record.arp_missing,
        config_incomplete=record.config_incomplete,
    )


def _declared(table: AddressTable, settings: IpamSettings) -> set[int]:
    """The configured addresses the policy declares shared by design (anycast)."""
    if not settings.shared:
        return set()
    return {key for row in range(len(table)) if settings.is_shared(key := table.key(row))}


def _duplicates(table: AddressTable, identities: Identities, declared: set[int], shared_keys: set[int]) -> Duplicates:
    """The addresses configured more than once that collide, in the order of their first claim.

    The rows are sorted by (VRF, address, row) packed in one integer each, so that no
    dictionary of every address is built: a run of equal (VRF, address) is one address's
    claims. The runs are then judged in the order of their first row.
    """
    order = [(table.vrfs[row] << 129 | table.key(row)) << 32 | row for row in _repeated_rows(table)]
    order.sort()
    mask = (1 << 32) - 1
    runs: list[tuple[int, int, int]] = []  # (first row, start, end in order) of each run of two claims or more
    start = 0
    while start < len(order):
        slot = order[start] >> 32
        end = start + 1
        while end < len(order) and order[end] >> 32 == slot:
            end += 1
        if end - start > 1:
            runs.append((order[start] & mask, start, end))
        start = end
    runs.sort()
    found = Duplicates(table)
    for _, start, end in runs:
        rows = [value & mask for value in order[start:end]]
        key = table.key(rows[0])
        # A record marking an address shared (anycast, a VRRP/HSRP gateway) excuses owners only where
        # no configuration shows it as a gateway; where one does, an owner outside the group collides.
        excused = key in declared or (key in shared_keys and not any(table.virtual(r) for r in rows))
        owners = [] if excused else _owners(table, identities, rows)
        if owners:
            found.add(owners)
    return found


def _repeated_rows(table: AddressTable) -> list[int]:
    """The rows whose (VRF, address) may occur more than once: a superset, found with two bit maps.

    Every row's (VRF, address) is hashed into a bit map 8 to 16 times the rows' number; a
    row whose bucket another row reached is a candidate (every repeated row, and one in 8 to
    16 of the others). The exact sort that follows then takes a tenth of the rows at most
    instead of every address of the estate (140,000 sort keys of 50 bytes each at 10,000
    devices); the maps take a bit or two per row.
    """
    count = len(table)
    bits = 1 << max(16, (count * 8).bit_length())
    mask = bits - 1
    seen, twice = bytearray(bits >> 3), bytearray(bits >> 3)
    buckets = array("I")
    for row in range(count):
        bucket = hash((table.vrfs[row], table.key(row))) & mask
        byte, bit = bucket >> 3, 1 << (bucket & 7)
        if seen[byte] & bit:
            twice[byte] |= bit
        else:
            seen[byte] |= bit
        buckets.append(bucket)
    return [row for row, bucket in enumerate(buckets) if twice[bucket >> 3] & (1 << (bucket & 7))]


def _owners(table: AddressTable, identities: Identities, claims: list[int]) -> list[int]:
    """The rows of the live interfaces whose claims on one address collide; [] when they do not.

    Shut-down interfaces do not answer and do not count. Two interfaces owning the address
    collide. A shared gateway (VRRP/HSRP/GLBP/virtual-router) is claimed by several
    devices by design, but an interface owning it without taking part (no gateway
    statement for it on that interface: a VRRP owner has one) collides with the group.
    """
    live = [c for c in claims if not table.shutdown(c)]
    gateway_interfaces = {identities[c] for c in live if table.virtual(c)}
    owners = [c for c in live if not table.virtual(c)]
    if gateway_interfaces:
        outsiders = [c for c in owners if identities[c] not in gateway_interfaces]
        if not outsiders:
            return []
        taken = {identities[c] for c in outsiders}
        members = [c for c in live if table.virtual(c) and identities[c] not in taken]
        return outsiders + members[:1]
    interfaces = {identities[c] for c in owners}
    return owners if len(interfaces) > 1 else []


def ipv4_network(key: int, prefixlen: int = 32) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network((key, prefixlen), strict=False)
