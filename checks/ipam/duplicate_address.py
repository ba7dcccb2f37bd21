"""ipam.duplicate_address: one address, one interface; one address, one MAC."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from checks.ipam._common import (
    MAX_LISTED,
    RECORDS_MESSAGES,
    IpamInputError,
    capped,
    input_error,
    listing,
    nothing_to_reconcile,
    prepare,
    unwhole,
    vrf_suffix,
    whole_only,
)
from scanner.arptable import mac_text
from scanner.checkapi import NetworkContext, Result, check
from scanner.network.ipam.model import Device, Duplicate, IpModel, MacConflict
from scanner.network.ipam.records import key_address


@check(
    scope="network",
    models=("ipam",),
    id="ipam.duplicate_address",
    title="No IP address is used twice",
    severity="high",
    rationale=(
        "Two interfaces with the same address, or an address that answers from two MAC "
        "addresses, cut hosts off at random and hide who uses an address: an IP address "
        "plan (form 5.2.4) allocates each address once. Gateways shared by design (VRRP, "
        "HSRP, GLBP, virtual-router, anycast addresses declared as such) are not duplicates."
    ),
    remediation=(
        "Give one of the interfaces another address from the plan (or declare the shared "
        "gateway as VRRP/HSRP/anycast); for an address answering from two MACs, find the "
        "second host by its MAC (the switch's MAC table) and re-address it."
    ),
    messages={
        "ok": "no address of this device is configured elsewhere, and no address in its ARP table "
        "({entries} entries) answers from two MAC addresses",
        "ok_no_arp": "no address of this device is configured elsewhere (its ARP table was not read: {reason})",
        "ok_partial": "no address of this device is configured elsewhere in the configurations read, and no address "
        "in its ARP table ({entries} entries) answers from two MAC addresses; {count} other device(s) have no whole "
        "configuration ({devices}), whose missing lines were not compared",
        "ok_no_arp_partial": "no address of this device is configured elsewhere in the configurations read (its ARP "
        "table was not read: {reason}); {count} other device(s) have no whole configuration ({devices}), whose "
        "missing lines were not compared",
        "configured": "{address}{vrf} is configured on {here} and on {others}",
        "configured_here": "{address}{vrf} is configured on several interfaces of this device: {here}",
        "macs": "{address}{vrf} answers from {mac_count} MAC addresses: {macs} (ARP of {devices})",
        **RECORDS_MESSAGES,
    },
)
def duplicate_address(ctx: NetworkContext) -> Iterable[Result]:
    try:
        model = prepare(ctx).model
    except IpamInputError as exc:
        if exc.key == "bad_records":
            # The records are not needed here: judge from the network alone.
            model = ctx.models["ipam"]
        else:
            return list(input_error(ctx, exc))
    return whole_only(model, _results(model))


def _results(model: IpModel) -> Iterator[Result]:
    conflicts: dict[str, list[MacConflict]] = {}
    for conflict in model.conflicts:
        for host in dict.fromkeys(s.device.name for s in conflict.sightings):
            conflicts.setdefault(host, []).append(conflict)
    incomplete = unwhole(model)
    for device in model.devices:
        if nothing_to_reconcile(device):
            yield Result.not_applicable("no_addresses").on_host(device.name)
            continue
        found = False
        for duplicate in model.duplicates.of(device):
            found = True
            yield _configured(device, duplicate).on_host(device.name)
        for conflict in conflicts.get(device.name, ()):
            found = True
            yield _macs(device, conflict).on_host(device.name)
        if found:
            continue
        others = [name for name in incomplete if name != device.name]
        partial = {"count": len(others), "devices": listing(others)} if others else {}
        suffix = "_partial" if others else ""
        if device.arp is not None:
            yield Result.ok("ok" + suffix, entries=len(device.arp), **partial).on_host(device.name)
        else:
            reason = device.arp_missing or "not collected"
            yield Result.ok("ok_no_arp" + suffix, reason=reason, **partial).on_host(device.name)


def _configured(device: Device, duplicate: Duplicate) -> Result:
    """The failure on ``device``; the other devices' claims are decoded only as far as the message
    and the evidence show them (an address may be configured on hundreds of devices)."""
    table = duplicate.table
    here = [table.claim(r) for r in duplicate.rows if table.host(r) == device.name]
    other_rows = [r for r in duplicate.rows if table.host(r) != device.name]
    evidence = capped(chain((c.evidence for c in here), (table.detail(r)[0] for r in other_rows)))
    params = {"address": str(key_address(duplicate.key)), "vrf": vrf_suffix(duplicate.vrf)}
    if not other_rows:
        return Result.fail("configured_here", evidence, here=listing([c.interface.name for c in here]), **params)
    shown = [table.detail(r)[1] for r in other_rows[:MAX_LISTED]]
    return Result.fail(
        "configured",
        evidence,
        here=listing([c.interface.name for c in here]),
        others=listing(shown, total=len(other_rows)),
        **params,
    )


def _macs(device: Device, conflict: MacConflict) -> Result:
    mine = [s for s in conflict.sightings if s.device is device]
    ordered = mine + [s for s in conflict.sightings if s.device is not device]
    macs = list(dict.fromkeys(mac_text(s.mac) for s in ordered))
    return Result.fail(
        "macs",
        capped(s.evidence for s in ordered),
        address=str(key_address(conflict.key)),
        vrf=vrf_suffix(conflict.vrf),
        mac_count=len(macs),
        macs=listing(macs),
        devices=listing(list(dict.fromkeys(s.device.name for s in ordered))),
    )
