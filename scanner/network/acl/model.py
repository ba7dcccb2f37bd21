"""The ACL model of a scan: every device's filters in the order a routed packet meets them, and the zones.

A packet routed by a device from interface ``A`` to interface ``B`` meets, in order:
the inbound list(s) of ``A``, the security policy between their security zones (a
stateful firewall, Junos SRX), the outbound list(s) of ``B``. Each is a :class:`Stage`
with its lines and what it does with a packet none of them matches. A list a use names
but the device does not define is a stage that filters nothing (as IOS, VRP and
Comware treat it), marked so.

Built once per scan by the engine from every host's record (``HostRecord.access``,
``HostRecord.interfaces``) and the inventory's ``data.zones``; read by the
``zone.inter_zone_filter`` check and by ``netcomply acl query``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from scanner.aclfacts import AccessFacts, AccessList, AclLine, AclUse, Action
from scanner.checkapi import HostRecord, ModelUnavailable, NetworkContext
from scanner.facts import Interface, PlatformInfo
from scanner.model import Evidence
from scanner.network.acl.zones import ZONES_KEY, Zones, ZonesError, read_zones

ACL_MODEL = "acl"
# Interfaces that carry no transit traffic between zones.
_NOT_TRANSIT = frozenset({"loopback", "management", "other"})
_VLAN_NUMBER = ("vlanif", "vlan-interface", "vlan", "irb.", "bvi")


@dataclass(frozen=True)
class Stage:
    """One filter a packet meets on its way through a device."""

    label: str
    lines: tuple[AclLine, ...]
    default: Action
    default_basis: str
    evidence: tuple[Evidence, ...] = ()
    # The use named a list the device does not define: it filters nothing.
    missing: str = ""
    use: AclUse | None = None
    interface: str | None = None
    direction: str | None = None
    kind: str = "acl"
    access_list: AccessList | None = None

    @property
    def list_name(self) -> str:
        return self.use.name if self.use is not None else self.label


@dataclass(frozen=True)
class Port:
    """A routed interface of a device and the zone of one of its own addresses."""

    interface: Interface
    zone: str | None
    address: str

    @property
    def name(self) -> str:
        return self.interface.name


@dataclass
class DeviceFilters:
    """One device's filters and routed interfaces, as the model sees them."""

    name: str
    platform: str | None
    access: AccessFacts
    interfaces: tuple[Interface, ...]
    platform_info: PlatformInfo | None = None
    # Why the device's configuration is not recognisably whole (None when it is).
    incomplete: str | None = None

    def routes(self) -> bool:
        routing = self.access.routing
        return routing is not None and (routing.enabled or any(enabled for _, enabled in routing.vrfs))

    def transit(self, interface: Interface) -> bool:
        routing = self.access.routing
        if routing is None or not interface.routed or interface.kind in _NOT_TRANSIT:
            return False
        if interface.kind in routing.inert_kinds:
            return False
        return routing.routes_in(interface.vrf)

    def stages(self, ingress: Interface, egress: Interface) -> list[Stage]:
        """What a packet routed from ``ingress`` to ``egress`` meets, in order."""
        stages = self.interface_stages(ingress, "in")
        zones = self.access.zones
        if zones is not None:
            stages.append(self.policy_stage(ingress.name, egress.name))
        stages.extend(self.interface_stages(egress, "out"))
        return stages

    def interface_stages(self, interface: Interface, direction: str) -> list[Stage]:
        stages = []
        for use in self.access.uses:
            if use.context != "interface" or use.direction != direction or use.family != "ipv4":
                continue
            if not _applies_to(use.target, interface.name):
                continue
            stages.append(self.use_stage(use, interface.name))
        return stages

    def use_stage(self, use: AclUse, interface: str | None = None) -> Stage:
        found = self.access.get(use.name, use.family)
        where = f" on {interface}" if interface else f" ({use.target})"
        label = f"{use.name} {use.direction or ''}{where}".replace("  ", " ")
        if found is None:
            return Stage(
                label=label,
                lines=(),
                default="permit",
                default_basis=f"{use.name} is not defined: {use.missing_effect}",
                evidence=(use.evidence,),
                missing=use.missing_effect,
                use=use,
                interface=interface,
                direction=use.direction,
            )
        return Stage(
            label=label,
            lines=found.lines,
            default=use.default,
            default_basis=use.default_basis,
            evidence=(use.evidence,),
            use=use,
            interface=interface,
            direction=use.direction,
            access_list=found,
        )

    def policy_stage(self, ingress: str, egress: str) -> Stage:
        zones = self.access.zones
        assert zones is not None
        source, destination = zones.zone_of(ingress), zones.zone_of(egress)
        evidence = (zones.evidence,) if zones.evidence else ()
        if source is None or destination is None:
            missing = ingress if source is None else egress
            return Stage(
                label=f"security zones ({missing} is in none)",
                lines=(),
                default="deny",
                default_basis=f"{missing} belongs to no security zone: the firewall forwards none of its traffic",
                evidence=evidence,
                kind="policy",
            )
        policy = zones.policy(source, destination)
        label = f"security policies from-zone {source} to-zone {destination}"
        if policy is None:
            return Stage(
                label,
                (),
                zones.default,
                f"no policy for this zone pair; {zones.default_basis}",
                evidence,
                kind="policy",
            )
        return Stage(
            label,
            policy.rules.lines,
            policy.default,
            policy.default_basis,
            (policy.rules.evidence, *evidence),
            kind="policy",
            access_list=policy.rules,
        )

    def ports(self, zones: Zones) -> list[Port]:
        """Each transit interface once per zone of its own addresses."""
        found = []
        for interface in self.interfaces:
            if not self.transit(interface):
                continue
            seen: set[str | None] = set()
            for address in interface.own_addresses:
                if address.address.version != 4:
                    continue
                zone = zones.zone_of(address.address.ip)
                if zone in seen:
                    continue
                seen.add(zone)
                found.append(Port(interface, zone, str(address.address)))
        return found

    def owns(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Interface | None:
        for interface in self.interfaces:
            if any(a.address.ip == address for a in interface.addresses):
                return interface
        return None

    def connected(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list[Interface]:
        """Routed interfaces whose own subnet holds ``address`` (most specific subnet first)."""
        found = []
        for interface in self.interfaces:
            if not interface.routed:
                continue
            for own in interface.own_addresses:
                if own.address.version == address.version and address in own.address.network:
                    found.append((own.address.network.prefixlen, interface))
                    break
        return [i for _, i in sorted(found, key=lambda item: -item[0])]

    def fix(self, key: str, **params: object) -> tuple[str, ...]:
        """Remediation ``key`` in this device's syntax (empty when the platform has none)."""
        if self.platform_info is None:
            return ()
        return self.platform_info.fix(key, **params)


def _applies_to(target: str, interface: str) -> bool:
    """An interface use names the interface; a VLAN use (``vlan 10``) applies to its VLAN interface."""
    if target == interface or target == "all interfaces":
        return True
    if target.startswith("vlan "):
        number = target.split()[1]
        lowered = interface.lower()
        for prefix in _VLAN_NUMBER:
            if lowered.startswith(prefix) and lowered[len(prefix) :] == number:
                return True
    return False


class DeviceTable(Mapping[str, DeviceFilters]):
    """Each device's filters by name, made from its host record when read.

    The records stay packed (scanner/packedlist.py): a model holding every device's
    decoded access lists and addressed interfaces grew with the estate (some 12 KB per
    generated device, 17 MiB at 1,500). Reading a device decodes its record; iterating the
    model (:meth:`in_order`) decodes the records once, in order. Two reads of a device give
    equal objects, not the same one: nothing may be kept on a device between reads.
    """

    def __init__(self, records: Sequence[HostRecord], positions: dict[str, int]) -> None:
        self._records = records
        self._positions = positions

    def __getitem__(self, name: str) -> DeviceFilters:
        return _device(self._records[self._positions[name]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)

    def in_order(self) -> Iterator[DeviceFilters]:
        """Every device, its record decoded once, as the records are iterated (one pass)."""
        positions = self._positions
        for position, record in enumerate(self._records):
            if record.access is not None and positions.get(record.host.name) == position:
                yield _device(record)


@dataclass
class AclModel:
    zones: Zones
    devices: Mapping[str, DeviceFilters] = field(default_factory=dict)
    # Why a host has no entry (not parsed, not a network device).
    missing: dict[str, str] = field(default_factory=dict)
    # The hosts with access facts, in the order of their records (a name twice if recorded twice):
    # what a check names without reading the records again (each read decodes every record).
    names: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[DeviceFilters]:
        if isinstance(self.devices, DeviceTable):
            return self.devices.in_order()
        return iter(self.devices.values())


def build_acl_model(ctx: NetworkContext) -> AclModel:
    """The ACL model of ``ctx``; a ``data.zones`` that cannot be read makes it unavailable, with the reason."""
    try:
        zones = read_zones((h.name, h.data.get(ZONES_KEY)) for h in ctx.inventory)
    except ZonesError as exc:
        raise ModelUnavailable(f"inventory data.zones: {exc}") from None
    return build_from_records(ctx.hosts, zones)


def build_from_records(records: Sequence[HostRecord], zones: Zones) -> AclModel:
    """The model over ``records``: which hosts have access facts, their filters read when a device is."""
    model = AclModel(zones)
    positions: dict[str, int] = {}
    for position, record in enumerate(records):
        name = record.host.name
        if record.access is None:
            model.missing[name] = "no access-list facts (not a network device, or no configuration)"
        else:
            positions[name] = position
            model.names.append(name)
    model.devices = DeviceTable(records, positions)
    return model


def _device(record: HostRecord) -> DeviceFilters:
    assert record.access is not None
    return DeviceFilters(
        name=record.host.name,
        platform=record.platform,
        access=record.access,
        interfaces=record.interfaces,
        platform_info=record.platform_info,
        incomplete=record.config_incomplete,
    )
