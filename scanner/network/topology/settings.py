"""The ``topology:`` section of the policy, read and checked once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner.policy import Policy

ANY_ZONE = "*"


class TopologySettingsError(Exception):
    """The policy's topology section cannot be used."""


@dataclass(frozen=True)
class ZonePair:
    """Zones that only a barrier device may join. ``targets`` None means every other zone."""

    source: str
    targets: frozenset[str] | None

    def covers(self, zone: str | None) -> bool:
        if zone is None or zone == self.source:
            return False
        return self.targets is None or zone in self.targets

    def describe(self) -> str:
        if self.targets is None:
            return f"{self.source} and every other zone"
        return f"{self.source} and {', '.join(sorted(self.targets))}"


@dataclass(frozen=True)
class TopologySettings:
    external_zone: str
    pairs: tuple[ZonePair, ...]
    barrier_roles: frozenset[str]
    core_roles: frozenset[str]
    min_cores_per_site: int
    ignore_unmanaged: tuple[str, ...]
    leaf_roles: frozenset[str] = frozenset()

    @property
    def external_pairs(self) -> tuple[ZonePair, ...]:
        return tuple(p for p in self.pairs if p.source == self.external_zone)

    @property
    def internal_pairs(self) -> tuple[ZonePair, ...]:
        return tuple(p for p in self.pairs if p.source != self.external_zone)


def _words(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TopologySettingsError(f"topology.{where} must be a list of names")
    return [v.strip() for v in value]


def read_settings(policy: Policy) -> TopologySettings:
    try:
        section = policy.section("topology")
    except KeyError:
        raise TopologySettingsError("the policy has no topology section") from None
    external = section.get("external_zone")
    if not isinstance(external, str) or not external.strip():
        raise TopologySettingsError("topology.external_zone must name a zone")
    external = external.strip()
    pairs = []
    for index, raw in enumerate(section.get("separated_zones") or []):
        if not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(z, str) and z.strip() for z in raw):
            raise TopologySettingsError(f"topology.separated_zones[{index}] must be a pair of zones, e.g. [a, b]")
        first, second = (z.strip() for z in raw)
        if first == ANY_ZONE and second == ANY_ZONE:
            raise TopologySettingsError(f"topology.separated_zones[{index}]: at most one side may be '*'")
        if first == second:
            raise TopologySettingsError(f"topology.separated_zones[{index}]: a zone cannot be separated from itself")
        # The external zone (or the named side of a '*' pair) is where paths start from.
        if first == ANY_ZONE or second == external:
            first, second = second, first
        pairs.append(ZonePair(first, None if second == ANY_ZONE else frozenset({second})))
    return TopologySettings(
        external_zone=external,
        pairs=_merge_pairs(pairs),
        barrier_roles=frozenset(_words(section.get("barrier_roles"), "barrier_roles")),
        core_roles=frozenset(_words(section.get("core_roles"), "core_roles")),
        min_cores_per_site=_min_cores(section.get("min_cores_per_site")),
        ignore_unmanaged=tuple(_words(section.get("ignore_unmanaged") or [], "ignore_unmanaged")),
        leaf_roles=frozenset(_words(section.get("leaf_roles") or [], "leaf_roles")),
    )


def _min_cores(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise TopologySettingsError("topology.min_cores_per_site must be a whole number >= 1")
    return value


def _merge_pairs(pairs: list[ZonePair]) -> tuple[ZonePair, ...]:
    """One pair per source zone: [a, b] and [a, c] become a -> {b, c}; a '*' pair absorbs the rest."""
    merged: dict[str, frozenset[str] | None] = {}
    for pair in pairs:
        if pair.source in merged:
            known = merged[pair.source]
            merged[pair.source] = None if known is None or pair.targets is None else known | pair.targets
        else:
            merged[pair.source] = pair.targets
    return tuple(ZonePair(source, targets) for source, targets in merged.items())
