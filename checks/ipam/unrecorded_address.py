"""ipam.unrecorded_address: every address a device is configured with is in the IP records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from checks.ipam._common import (
    RECORDS_MESSAGES,
    capped,
    listing,
    whole_only,
    with_records,
)
from scanner.checkapi import NetworkContext, Result, check
from scanner.network.ipam.model import ConfiguredAddress, Device, IpModel
from scanner.network.ipam.records import IpRecords


@check(
    scope="network",
    models=("ipam",),
    id="ipam.unrecorded_address",
    title="Every interface address is in the IP records",
    severity="medium",
    rationale=(
        "The form (5.2.4) asks for IP allocation records that match the network: an address "
        "configured on a device but missing from the records (or recorded for another "
        "device) means the records are not kept, and the next allocation may hand it out "
        "again. Interfaces that are shut down are not in use and are left out."
    ),
    remediation="Add the address to the allocation table (or NetBox) with the device and interface, "
    "or correct the record that names another device.",
    messages={
        "ok": "all {count} interface address(es) are in the IP records ({source})",
        "unrecorded": "{count} interface address(es) not in the IP records ({source}): {addresses}",
        "elsewhere": "{address} ({interface}) is recorded for {recorded} ({where})",
        **RECORDS_MESSAGES,
    },
    unassessed=("no_records",),
)
def unrecorded_address(ctx: NetworkContext) -> Iterable[Result]:
    return with_records(
        ctx,
        lambda model, records: whole_only(
            model, (r for device in model.devices for r in _device(model, records, device))
        ),
    )


def _device(model: IpModel, records: IpRecords, device: Device) -> Iterator[Result]:
    table = model.table
    live = [row for row in device.rows if not table.shutdown(row)]
    if not live:
        yield Result.not_applicable("no_addresses").on_host(device.name)
        return
    missing: list[ConfiguredAddress] = []
    elsewhere: list[Result] = []
    for row in live:
        allocation = model.recorded(table.key(row), table.vrf(row))
        if allocation is None:
            missing.append(table.claim(row))
            continue
        named = model.named_device(allocation.host)
        if named is not None and named != device.name and not table.virtual(row):
            item = table.claim(row)
            elsewhere.append(
                Result.fail(
                    "elsewhere",
                    [item.evidence, allocation.where],
                    address=str(item.address.address.ip),
                    interface=item.interface.name,
                    recorded=allocation.host,
                    where=allocation.origin.describe(),
                )
            )
    if missing:
        yield Result.fail(
            "unrecorded",
            capped(a.evidence for a in missing),
            count=len(missing),
            source=records.source,
            addresses=listing([f"{a.address.address} ({a.interface.name})" for a in missing]),
        ).on_host(device.name)
    for result in elsewhere:
        yield result.on_host(device.name)
    if not missing and not elsewhere:
        yield Result.ok("ok", count=len(live), source=records.source).on_host(device.name)
