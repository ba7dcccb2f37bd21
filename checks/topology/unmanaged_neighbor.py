from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from checks.topology._common import INPUT_MESSAGES, TopologyInputError, input_error, prepare
from scanner.checkapi import NetworkContext, Result, check
from scanner.network.topology.graph import Device
from scanner.network.topology.names import interface_key


@check(
    scope="network",
    models=("topology",),
    id="topology.unmanaged_neighbor",
    unassessed=("no_data",),
    title="Every neighbour seen is in the inventory",
    severity="info",
    rationale=(
        "A CDP/LLDP neighbour that the inventory does not list is a device nobody audits, and the "
        "way an undocumented link shows up. The form (5.2.1) asks for an accurate, current "
        "topology: add the device to the inventory, declare it in links.yaml (`nodes:`), or "
        "ignore its kind in the policy (topology.ignore_unmanaged: phones, access points)."
    ),
    remediation=(
        "Add the neighbour to the inventory (with its zone and role), or declare it under `nodes:` "
        "in the inventory's links.yaml; remove it if it should not be there."
    ),
    messages={
        "unmanaged": "neighbour {name}{detail} on {interface} is not in the inventory",
        "ok": "all {count} neighbour(s) are in the inventory or declared",
        "no_data": "no neighbour data: {reason}",
        **INPUT_MESSAGES,
    },
)
def unmanaged_neighbor(ctx: NetworkContext) -> Iterable[Result]:
    try:
        prepared = prepare(ctx)
    except TopologyInputError as exc:
        return [input_error(exc)]
    topology = prepared.topology
    ignore = prepared.settings.ignore_unmanaged
    reported: dict[str, list[Result]] = {}
    for device in topology.unmanaged:
        if device.declared or _ignored(device, ignore):
            continue
        seen = {(host, interface_key(interface or "")): interface for host, interface in device.reported_by}
        for (host, _key), interface in seen.items():
            evidence = [e for link in topology.links_between(host, device.name) for e in link.evidence]
            reported.setdefault(host, []).append(
                Result.fail(
                    "unmanaged", evidence, name=device.name, detail=_detail(device), interface=interface or "?"
                ).on_host(host)
            )
    results: list[Result] = []
    for device in topology.managed:
        if device.name in reported:
            results.extend(reported[device.name])
        elif device.scanned:
            count = sum(1 for _ in topology.neighbors(device.name))
            results.append(Result.ok("ok", count=count).on_host(device.name))
        elif device.note:
            results.append(Result.not_applicable("no_data", reason=device.note).on_host(device.name))
    return results


def _ignored(device: Device, patterns: tuple[str, ...]) -> bool:
    values = [v.lower() for v in (device.name, device.platform) if v]
    return any(fnmatch.fnmatchcase(v, p.lower()) for p in patterns for v in values)


def _detail(device: Device) -> str:
    platform = device.platform
    if platform and len(platform) > 60:
        platform = platform[:59] + "…"
    parts = [p for p in (platform, device.address) if p]
    return f" ({', '.join(parts)})" if parts else ""
