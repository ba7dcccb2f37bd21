"""What the topology checks share: the graph of the scan (built once), the policy section, attribution."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from scanner.checkapi import ModelUnavailable, NetworkContext, Result
from scanner.model import Evidence
from scanner.network.topology.analysis import Breach, describe_path, separation_breaches
from scanner.network.topology.graph import Topology
from scanner.network.topology.model import TOPOLOGY
from scanner.network.topology.settings import TopologySettings, TopologySettingsError, ZonePair, read_settings

INPUT_MESSAGES = {
    "bad_input": "cannot judge: {reason}",
}
# The zone-separation checks (firewall_bypass, zone_partition) word their breach each its own way.
SEPARATION_MESSAGES = {
    "ok": "every path between {pair} crosses a {barriers} ({devices} devices, {links} links){note}",
    "absent": "no device of {zone} in the inventory: nothing to separate ({pair})",
    **INPUT_MESSAGES,
}


class TopologyInputError(Exception):
    """The policy section or links.yaml cannot be used: every topology check reports it as an error."""


@dataclass(frozen=True)
class Prepared:
    topology: Topology
    settings: TopologySettings
    # Inventory hosts the scan's selection left out: a verdict goes to a scanned host first.
    outside: frozenset[str] = frozenset()


def prepare(ctx: NetworkContext) -> Prepared:
    """The policy's topology settings and the scan's topology model (built by the engine)."""
    try:
        settings = read_settings(ctx.policy)
    except TopologySettingsError as exc:
        raise TopologyInputError(f"policy {ctx.policy.source}: {exc}") from None
    try:
        topology: Topology = ctx.models[TOPOLOGY]
    except ModelUnavailable as exc:
        raise TopologyInputError(str(exc)) from None
    return Prepared(topology, settings, ctx.outside)


def input_error(exc: TopologyInputError) -> Result:
    return Result.error("bad_input", reason=str(exc))


def owner(topology: Topology, *candidates: str, outside: frozenset[str] = frozenset()) -> str | None:
    """The host a finding is filed under: the first inventory device among ``candidates``,
    one inside the scan's selection before one ``outside`` it."""
    managed = [n for n in candidates if (d := topology.devices.get(n)) is not None and d.managed]
    return next((n for n in managed if n not in outside), managed[0] if managed else None)


def path_evidence(topology: Topology, path: tuple[str, ...], first: tuple[str, str]) -> list[Evidence]:
    """The CDP/LLDP (or links.yaml) lines behind every hop of ``path``, the offending link's first."""
    hops = [first] + [(a, b) for a, b in itertools.pairwise(path) if {a, b} != set(first)]
    evidence: list[Evidence] = []
    for a, b in hops:
        for link in topology.links_between(a, b):
            evidence.extend(e for e in link.evidence if e not in evidence)
    return evidence


def unscanned_note(topology: Topology) -> str:
    """A note for passes: devices whose links are known only from their neighbours' reports."""
    missing = sorted(d.name for d in topology.managed if not d.scanned)
    if not missing:
        return ""
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return f" ({len(missing)} device(s) without neighbour data, their links known only from neighbours: {shown})"


def separation_results(prepared: Prepared, pairs: tuple[ZonePair, ...]) -> list[Result]:
    """One failure per offending edge of every pair; else a pass (or not_applicable) on each source-zone device.

    Verdicts are filed under inventory devices, never under a pseudo-host: a pair whose
    source zone has no device in the inventory concerns no host and yields nothing.
    """
    topology, settings = prepared.topology, prepared.settings
    zones = {d.zone for d in topology.devices.values() if d.zone}
    barriers = " or ".join(sorted(settings.barrier_roles)) + " device"
    results: list[Result] = []
    seen: set[frozenset[str]] = set()
    for pair in pairs:
        members = sorted(
            d.name
            for d in topology.managed
            if d.zone == pair.source and not (d.role and d.role in settings.barrier_roles)
        )
        if not members:
            continue
        if not any(pair.covers(z) for z in zones):
            absent = pair.describe().split(" and ", 1)[1]
            results += [Result.not_applicable("absent", pair=pair.describe(), zone=absent).on_host(m) for m in members]
            continue
        found = [b for b in separation_breaches(topology, pair, settings.barrier_roles) if b.edge not in seen]
        for breach in found:
            seen.add(breach.edge)
            results.append(_breach_result(topology, breach, barriers, prepared.outside))
        if not found:
            passed = Result.ok(
                "ok",
                pair=pair.describe(),
                barriers=barriers,
                devices=len(topology.devices),
                links=len(topology.links),
                note=unscanned_note(topology),
            )
            results += [passed.on_host(m) for m in members]
    return results


def _breach_result(topology: Topology, breach: Breach, barriers: str, outside: frozenset[str]) -> Result:
    inside = topology.devices[breach.inside]
    link_text = "; ".join(link.describe(breach.outside) for link in breach.links)
    result = Result.fail(
        "breach",
        path_evidence(topology, breach.path, (breach.outside, breach.inside)),
        link=link_text,
        source=breach.pair.source,
        zone=inside.zone,
        inside=breach.inside,
        barriers=barriers,
        path=describe_path(topology, breach.path),
    )
    host = owner(topology, breach.inside, breach.outside, *reversed(breach.path), outside=outside)
    return result.on_host(host) if host else result


def separation_check(ctx: NetworkContext, pairs_of: Callable[[TopologySettings], tuple[ZonePair, ...]]) -> list[Result]:
    """A zone-separation check over the zone pairs ``pairs_of`` picks from the topology settings."""
    try:
        prepared = prepare(ctx)
    except TopologyInputError as exc:
        return [input_error(exc)]
    pairs = pairs_of(prepared.settings)
    return separation_results(prepared, pairs) if pairs else []
