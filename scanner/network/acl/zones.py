"""Zones as address space: the inventory's ``data.zones`` (defaults.yaml), zone name -> prefixes.

    data:
      zones:
        production-control: [10.20.0.0/16]
        office: [10.30.0.0/16, 10.31.0.0/16]

An address belongs to the zone of the longest prefix that contains it, so a zone may
carve a subnet out of a wider one (``management: [10.10.99.0/24]`` inside ``internal:
[10.10.0.0/16]``). The same prefix in two zones is refused with the reason.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scanner.headerspace import HeaderSpace, cube

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
ZONES_KEY = "zones"


class ZonesError(ValueError):
    """``data.zones`` cannot be used (the message says where and why)."""


@dataclass(frozen=True)
class Zones:
    # (network, zone), longest prefix first.
    prefixes: tuple[tuple[Network, str], ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted({zone for _, zone in self.prefixes}))

    def zone_of(self, address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        for network, zone in self.prefixes:
            if network.version == ip.version and ip in network:
                return zone
        return None

    def networks(self, zone: str, version: int = 4) -> list[Network]:
        return [n for n, z in self.prefixes if z == zone and n.version == version]

    def space(self, zone: str, *, source: bool, version: int = 4) -> HeaderSpace:
        """The packets whose source (or destination) address is in ``zone``, minus the
        longer prefixes of other zones carved out of it."""
        inside = HeaderSpace.of(_cube(n, source) for n in self.networks(zone, version))
        carved = HeaderSpace.of(
            _cube(n, source)
            for n, z in self.prefixes
            if z != zone and n.version == version and any(n.subnet_of(o) for o in self.networks(zone, version))  # type: ignore[arg-type]
        )
        return inside.minus(carved) if carved.cubes else inside

    def __bool__(self) -> bool:
        return bool(self.prefixes)


def _cube(network: Network, source: bool) -> tuple[int, ...]:
    ternary = (int(network.network_address), int(network.netmask))
    return cube(src=ternary) if source else cube(dst=ternary)


def read_zones(declarations: Iterable[tuple[str, Any]]) -> Zones:
    """Zones from each inventory host's ``data.zones`` (``(host, value)`` pairs; defaults give every host the same)."""
    found: dict[Network, str] = {}
    for host, value in declarations:
        if value is None:
            continue
        if not isinstance(value, Mapping):
            raise ZonesError(f"host {host}: data.zones must map each zone name to a list of prefixes")
        for zone, prefixes in value.items():
            if isinstance(prefixes, str):
                prefixes = [prefixes]
            if not isinstance(prefixes, list):
                raise ZonesError(f"host {host}: data.zones.{zone} must be a list of prefixes")
            for text in prefixes:
                try:
                    network = ipaddress.ip_network(str(text), strict=False)
                except ValueError:
                    raise ZonesError(f"host {host}: data.zones.{zone}: {text!r} is not a prefix") from None
                other = found.get(network)
                if other is not None and other != str(zone):
                    raise ZonesError(f"prefix {network} is declared in zones {other} and {zone}")
                found[network] = str(zone)
    ordered = sorted(found.items(), key=lambda item: (-item[0].prefixlen, str(item[0])))
    return Zones(tuple(ordered))
