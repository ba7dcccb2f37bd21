"""ipam.unrecorded_host: every host a device's ARP table shows is in the IP records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from checks.ipam._common import (
    RECORDS_MESSAGES,
    capped,
    listing,
    with_records,
)
from scanner.arptable import ipv4_text, mac_text
from scanner.checkapi import NetworkContext, Result, check
from scanner.network.ipam.model import Device, IpModel, Sighting
from scanner.network.ipam.records import IpRecords


@check(
    scope="network",
    models=("ipam",),
    id="ipam.unrecorded_host",
    title="Every host seen on the network is in the IP records",
    severity="medium",
    rationale=(
        "A computer answering on the network whose address nobody recorded is either an "
        "allocation the records missed or a device nobody registered (MLPS 8.1.3.1 b: "
        "unauthorised devices on the internal network are detected). The ARP tables of "
        "the routing devices show who is there; addresses in a recorded DHCP pool or range "
        "count as recorded. A host seen by several devices is judged on the first one."
    ),
    remediation="Register the host in the allocation table (or NetBox), or find it by its MAC address "
    "(the switch's MAC address table) and remove it from the network.",
    messages={
        "ok": "the {count} host(s) of this ARP table are in the IP records ({source})",
        "unrecorded": "{count} host(s) in the ARP table not in the IP records ({source}): {hosts}",
        "no_arp": "no ARP table ({reason}), so its hosts were not assessed",
        **RECORDS_MESSAGES,
    },
    unassessed=("no_records", "no_arp"),
)
def unrecorded_host(ctx: NetworkContext) -> Iterable[Result]:
    return with_records(
        ctx, lambda model, records: [r for device in model.devices for r in _device(model, records, device)]
    )


def _device(model: IpModel, records: IpRecords, device: Device) -> Iterator[Result]:
    if device.arp is None:
        yield Result.not_applicable("no_arp", reason=device.arp_missing or "not collected").on_host(device.name)
        return
    missing: list[Sighting] = []
    count = 0
    for index, key, vrf in device.host_addresses():
        count += 1
        if model.recorded(key, vrf) is None and model.pooled(key) is None:
            missing.append(Sighting(device, index))
    if not missing:
        yield Result.ok("ok", count=count, source=records.source).on_host(device.name)
        return
    yield Result.fail(
        "unrecorded",
        capped(s.evidence for s in missing),
        count=len(missing),
        source=records.source,
        hosts=listing([f"{ipv4_text(s.address)} ({mac_text(s.mac)}, {s.interface or '?'})" for s in missing]),
    ).on_host(device.name)
