"""The ``ipam:`` section of the policy, as the IP model and checks read it."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field

from scanner.network.ipam.records import address_key, network_bounds
from scanner.policy import Policy

# VRF names that mean the global routing table, whatever the vendor calls it.
GLOBAL_VRFS = frozenset({"", "default", "global", "_public_", "public", "inet.0", "master"})


class IpamSettingsError(Exception):
    """The policy's ipam section cannot be used (the message names the key)."""


def vrf_key(name: str | None) -> str:
    """The VRF an address lives in, compared across devices: "" for the global table."""
    if name is None:
        return ""
    folded = name.strip().casefold()
    return "" if folded in GLOBAL_VRFS else folded


@dataclass(frozen=True)
class IpamSettings:
    # Address key ranges shared by several devices by design (anycast RP, anycast gateways).
    shared: tuple[tuple[int, int], ...] = ()
    # Zone names as the records write them -> inventory zone names (folded).
    zone_aliases: Mapping[str, str] = field(default_factory=dict)

    def is_shared(self, key: int) -> bool:
        return any(first <= key <= last for first, last in self.shared)

    def zone(self, name: str | None) -> str | None:
        """A zone name as the inventory spells it (aliases applied), folded for comparison."""
        if not name or not name.strip():
            return None
        folded = name.strip().casefold()
        return self.zone_aliases.get(folded, folded)


def read_settings(policy: Policy) -> IpamSettings:
    try:
        section = policy.section("ipam")
    except KeyError:
        return IpamSettings()
    shared: list[tuple[int, int]] = []
    for index, item in enumerate(section.get("shared_addresses") or []):
        try:
            network = ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            raise IpamSettingsError(
                f"policy {policy.source}: ipam.shared_addresses[{index}]: {item!r} is not an address or prefix"
            ) from None
        shared.append(network_bounds(network) if network.num_addresses > 1 else (address_key(network[0]),) * 2)
    aliases = {
        str(k).strip().casefold(): str(v).strip().casefold() for k, v in (section.get("zone_aliases") or {}).items()
    }
    return IpamSettings(shared=tuple(shared), zone_aliases=aliases)
