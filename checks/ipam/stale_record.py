"""ipam.stale_record (info): records of addresses nothing uses any more."""

from __future__ import annotations

from collections.abc import Iterable

from checks.ipam._common import (
    RECORDS_MESSAGES,
    capped,
    listing,
    unwhole,
    whole_only,
    with_records,
)
from scanner.checkapi import NetworkContext, Result, check
from scanner.network.ipam.model import IpModel
from scanner.network.ipam.records import Allocation, IpRecords


@check(
    scope="network",
    models=("ipam",),
    id="ipam.stale_record",
    title="IP records name only addresses in use",
    severity="info",
    rationale=(
        "A record of an address that no device configures and no ARP table shows is "
        "probably an allocation never released (a host removed, a project ended): the "
        "records no longer describe the network, and the address looks taken when it is "
        "free. A host that is switched off looks the same, so this is advice, judged on "
        "the device whose subnet holds the address; records outside every scanned subnet "
        "are not judged."
    ),
    remediation="Confirm the host is gone, then release the address in the allocation table (or NetBox).",
    messages={
        "ok": "the {count} recorded address(es) in this device's subnets are all in use",
        "stale": "{count} recorded address(es) in this device's subnets are configured nowhere and in no ARP "
        "table: {addresses}",
        "unsure": "{count} recorded address(es) in this device's subnets look unused ({addresses}), but {others} "
        "device(s) have no whole configuration ({devices}) whose missing lines may configure them, so this was not "
        "assessed",
        "no_arp": "no ARP table to see this device's subnets ({reason}), so they were not assessed",
        **RECORDS_MESSAGES,
    },
    unassessed=("no_records", "no_arp", "unsure"),
)
def stale_record(ctx: NetworkContext) -> Iterable[Result]:
    return with_records(ctx, _judge)


def _judge(model: IpModel, records: IpRecords) -> Iterable[Result]:
    stale, counted = _by_gateway(model, records.allocations)
    incomplete = unwhole(model)
    results = []
    for device in model.devices:
        if device.arp is None:
            results.append(Result.not_applicable("no_arp", reason=device.arp_missing or "not collected"))
        elif stale.get(device.name) and [n for n in incomplete if n != device.name]:
            items = stale[device.name]
            others = [n for n in incomplete if n != device.name]
            results.append(
                Result.not_applicable(
                    "unsure",
                    count=len(items),
                    addresses=listing([_describe(a) for a in items]),
                    others=len(others),
                    devices=listing(others),
                )
            )
        elif stale.get(device.name):
            items = stale[device.name]
            results.append(
                Result.fail(
                    "stale",
                    capped(a.where for a in items),
                    count=len(items),
                    addresses=listing([_describe(a) for a in items]),
                )
            )
        elif all(model.table.virtual(row) for row in device.rows):
            results.append(Result.not_applicable("no_addresses"))
        else:
            results.append(Result.ok("ok", count=counted.get(device.name, 0)))
    return whole_only(model, [r.on_host(d.name) for r, d in zip(results, model.devices, strict=True)])


def _describe(allocation: Allocation) -> str:
    who = " ".join(x for x in (allocation.host, allocation.interface) if x)
    return f"{allocation.address} ({who})" if who else str(allocation.address)


ByDevice = dict[str, list[Allocation]]
# The address itself, without the family bit of an IPv6 key (records.address_key).
_VALUE = (1 << 128) - 1


def _by_gateway(model: IpModel, allocations: Iterable[Allocation]) -> tuple[ByDevice, dict[str, int]]:
    """Stale records per device whose subnet holds them (the most specific subnet, a device with an ARP
    table first), and how many records each device's subnets hold."""
    # (version, prefix length) -> network bits -> the device watching that subnet ("" : none has an ARP table)
    subnets: dict[tuple[int, int], dict[int, str]] = {}
    table = model.table
    for device in model.devices:
        for row in device.rows:
            if table.virtual(row) or table.shutdown(row):
                continue
            version, prefixlen = table.version(row), table.prefixlens[row]
            slot = subnets.setdefault((version, prefixlen), {})
            bits = (table.key(row) & _VALUE) >> ((32 if version == 4 else 128) - prefixlen)
            if not slot.get(bits):
                slot[bits] = device.name if device.arp is not None else ""
    lengths = {version: sorted((length for v, length in subnets if v == version), reverse=True) for version in (4, 6)}
    stale: dict[str, list[Allocation]] = {}
    counted: dict[str, int] = {}
    for allocation in allocations:
        address = allocation.address
        value = int(address)
        gateway = None
        for length in lengths[address.version]:
            gateway = subnets[(address.version, length)].get(value >> (address.max_prefixlen - length))
            if gateway is not None:
                break
        if not gateway:
            continue
        counted[gateway] = counted.get(gateway, 0) + 1
        key = allocation.key
        if key not in model.configured_keys and key not in model.seen_keys:
            stale.setdefault(gateway, []).append(allocation)
    return stale, counted
