"""The one pass over every ARP table of a scan: the other hosts each device shows first, and the
addresses that answer from two MAC addresses.

No object per entry: a dictionary from (VRF, address) to its first sighting packed in a tuple
of integers, and per device the indexes of its entries that are other hosts. Whether an entry
lies on the subnet of the interface it was learnt on (a proxy-ARP answer does not) is worked
out only when a second sighting with another MAC comes.
"""

from __future__ import annotations

from array import array

from scanner.arptable import ArpTable
from scanner.network.ipam.devices import Device, MacConflict, Sighting, interface_key, virtual_mac
from scanner.network.ipam.records import address_key
from scanner.network.ipam.settings import vrf_key


def read_arp_tables(
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
        device.hosts, device.host_vrfs = array("I"), []
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
