"""Lookups over the records: the planned prefix holding a subnet, the allocated block holding an address."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from scanner.network.ipam.records import AllocatedRange, IPNetwork, PlannedPrefix
from scanner.network.ipam.settings import vrf_key


class Plan:
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


class Ranges:
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
