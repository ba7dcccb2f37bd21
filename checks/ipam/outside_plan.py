"""ipam.outside_plan: every subnet and address lies in the IP plan, in a prefix planned for its zone."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from checks.ipam._common import (
    RECORDS_MESSAGES,
    capped,
    listing,
    whole_only,
    with_records,
)
from scanner.arptable import ipv4_text
from scanner.checkapi import NetworkContext, Result, check
from scanner.model import Evidence
from scanner.network.ipam.model import Device, IpModel, Sighting, ipv4_network
from scanner.network.ipam.records import IPNetwork, IpRecords

# Interfaces that reach the management network whatever the device's zone.
_ZONELESS_KINDS = frozenset({"management"})


@check(
    scope="network",
    models=("ipam",),
    id="ipam.outside_plan",
    title="Addresses follow the IP address plan (prefix and zone)",
    severity="medium",
    rationale=(
        "An IP address plan gives each zone its prefixes (form 5.2.4; MLPS 8.1.2.1 c: "
        "addresses allocated per network zone). A subnet outside every planned prefix was "
        "never planned; one in a prefix planned for another zone joins zones that should be "
        "kept apart. The zone of a device is its inventory zone; management interfaces and "
        "barrier devices (firewalls, isolation devices), which join zones by design, are not "
        "compared by zone."
    ),
    remediation="Re-address the subnet from a prefix planned for the device's zone, or add the prefix "
    "to the plan (a prefix row of the allocation table) with its zone.",
    messages={
        "ok": "all {count} subnet(s) of this device lie in planned prefixes",
        "ok_zone": "all {count} subnet(s) of this device lie in planned prefixes, none planned for another zone "
        "than {zone}",
        "outside": "{count} subnet(s) or address(es) outside every planned prefix: {items}",
        "other_zone": "{subnet} ({interface}) lies in {prefix}, planned for zone {planned} ({where}); "
        "this device is in zone {zone}",
        "no_plan": "the IP records have no planned prefix ({source} has no prefix rows), so the plan was not assessed",
        **RECORDS_MESSAGES,
    },
    unassessed=("no_records", "no_plan"),
)
def outside_plan(ctx: NetworkContext) -> Iterable[Result]:
    return with_records(ctx, lambda model, records: _judge(model, records, _barrier_roles(ctx)))


def _judge(model: IpModel, records: IpRecords, barriers: frozenset[str]) -> Iterable[Result]:
    if not records.has_plan:
        return [Result.not_applicable("no_plan", source=records.source).on_host(d.name) for d in model.devices]
    return whole_only(
        model,
        (
            r
            for device in model.devices
            for r in _device(model, records, device, zoned=(device.role or "") not in barriers)
        ),
    )


def _barrier_roles(ctx: NetworkContext) -> frozenset[str]:
    try:
        return frozenset(str(r) for r in ctx.policy.section("topology").get("barrier_roles") or ())
    except KeyError:
        return frozenset()


def _device(model: IpModel, records: IpRecords, device: Device, *, zoned: bool) -> Iterator[Result]:
    table = model.table
    own = [row for row in device.rows if not table.virtual(row) and not table.shutdown(row)]
    if not own and device.arp is None:
        yield Result.not_applicable("no_addresses").on_host(device.name)
        return
    settings = model.settings
    zone = settings.zone(device.zone) if zoned else None
    outside: list[tuple[str, Evidence]] = []
    other_zone: list[Result] = []
    subnets: dict[tuple[str, IPNetwork], int] = {}
    for row in own:
        subnets.setdefault((table.vrf(row), table.network(row)), row)
    for (vrf, network), row in subnets.items():
        prefix = model.planned(network, vrf)
        if prefix is None:
            item = table.claim(row)
            outside.append((f"{network} ({item.interface.name})", item.evidence))
            continue
        planned = settings.zone(prefix.zone)
        if zone and planned and planned != zone and table.kind(row) not in _ZONELESS_KINDS:
            item = table.claim(row)
            other_zone.append(
                Result.fail(
                    "other_zone",
                    [item.evidence, prefix.where],
                    subnet=str(network),
                    interface=item.interface.name,
                    prefix=str(prefix.network),
                    planned=prefix.zone,
                    where=prefix.origin.describe(),
                    zone=device.zone,
                )
            )
    outside.extend(_off_link_hosts(model, device, own))
    if outside:
        yield Result.fail(
            "outside",
            capped(e for _, e in outside),
            count=len(outside),
            items=listing([text for text, _ in outside]),
        ).on_host(device.name)
    for result in other_zone:
        yield result.on_host(device.name)
    if not outside and not other_zone:
        if zone:
            yield Result.ok("ok_zone", count=len(subnets), zone=device.zone).on_host(device.name)
        else:
            yield Result.ok("ok", count=len(subnets)).on_host(device.name)


def _off_link_hosts(model: IpModel, device: Device, own: list[int]) -> Iterator[tuple[str, Evidence]]:
    """ARP hosts outside every subnet of the device (those inside are judged with their subnet)."""
    table = model.table
    spans = sorted(table.bounds(row) for row in own if table.version(row) == 4)
    merged: list[list[int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    firsts = [m[0] for m in merged]
    for index, key, vrf in device.host_addresses():
        at = bisect.bisect_right(firsts, key) - 1
        if at >= 0 and key <= merged[at][1]:
            continue
        if model.planned(ipv4_network(key), vrf) is None:
            sighting = Sighting(device, index)
            yield f"{ipv4_text(key)} (ARP, {sighting.interface or '?'})", sighting.evidence
