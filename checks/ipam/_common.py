"""What the IP address checks share: the scan's IP model, the state of the records, listings.

Every IP check files one verdict (or a few) per scanned network device, so the audit form
counts devices for item 5.2.4 like for every other item. Without records the checks that
compare with them say "not assessed" (``no_records``, declared ``unassessed``): the form
then reads 未核查, never 符合.

A device whose configuration is not recognisably whole (or was not read) keeps only the
failures its present lines show; every other verdict on it becomes ``error`` with the
reason (:func:`whole_only`), as host checks get from the engine. Verdicts on other devices
that rest on its absent lines say so (duplicate_address, stale_record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from scanner.checkapi import ModelUnavailable, NetworkContext, Result
from scanner.model import Evidence, Status
from scanner.network.ipam.model import ATTACHMENT_ERROR, IPAM, Device, IpModel
from scanner.network.ipam.records import IpRecords

MAX_LISTED = 10
MAX_EVIDENCE = 20

RECORDS_MESSAGES = {
    "no_records": "no IP records were given (netcomply scan --ipam FILE, or ipam.table / ipam.netbox in the "
    "policy), so this was not assessed",
    "bad_records": "cannot judge: the IP records could not be read: {reason}",
    "bad_input": "cannot judge: {reason}",
    "no_addresses": "the device has no interface address and no ARP table: nothing to reconcile",
}


@dataclass(frozen=True)
class Prepared:
    model: IpModel
    records: IpRecords | None


class IpamInputError(Exception):
    """The model or the records cannot be used: every device gets an error with the reason."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key


def prepare(ctx: NetworkContext) -> Prepared:
    try:
        model: IpModel = ctx.models[IPAM]
    except ModelUnavailable as exc:
        raise IpamInputError("bad_input", str(exc)) from None
    error = ctx.attachments.get(ATTACHMENT_ERROR)
    if error:
        raise IpamInputError("bad_records", str(error))
    return Prepared(model, model.records)


def on_devices(ctx: NetworkContext, result: Result) -> Iterator[Result]:
    """``result`` filed on every scanned network device (the IP model's devices, or the records when it failed)."""
    names = [r.host.name for r in ctx.hosts if r.kind == "network"]
    for name in names:
        yield result.on_host(name)


def input_error(ctx: NetworkContext, exc: IpamInputError) -> Iterator[Result]:
    return on_devices(ctx, Result.error(exc.key, reason=str(exc)))


def with_records(ctx: NetworkContext, judge: Callable[[IpModel, IpRecords], Iterable[Result]]) -> Iterable[Result]:
    """What ``judge`` finds on the scan's IP model and records; an error on every device when
    they cannot be used, and "not assessed" on every device without records."""
    try:
        prepared = prepare(ctx)
    except IpamInputError as exc:
        return list(input_error(ctx, exc))
    if prepared.records is None:
        return list(without_records(prepared.model))
    return judge(prepared.model, prepared.records)


def without_records(model: IpModel) -> Iterator[Result]:
    for device in model.devices:
        yield Result.not_applicable("no_records").on_host(device.name)


def listing(items: Sequence[str], limit: int = MAX_LISTED, total: int | None = None) -> str:
    """``"a, b, c and 4 more"``; ``total``: how many there are when ``items`` holds only the first ones."""
    shown = ", ".join(items[:limit])
    count = len(items) if total is None else total
    return shown + (f" and {count - limit} more" if count > limit else "")


def capped(evidence: Iterable[Evidence]) -> list[Evidence]:
    kept: list[Evidence] = []
    for item in evidence:
        if item not in kept:
            kept.append(item)
        if len(kept) >= MAX_EVIDENCE:
            break
    return kept


def vrf_suffix(vrf: str) -> str:
    return f" (vrf {vrf})" if vrf else ""


def nothing_to_reconcile(device: Device) -> bool:
    return not device.rows and device.arp is None


def unwhole(model: IpModel) -> dict[str, str]:
    """Devices whose configuration is not whole (or not read), with the reason."""
    return {d.name: d.config_incomplete for d in model.devices if d.config_incomplete}


def whole_only(model: IpModel, results: Iterable[Result]) -> Iterator[Result]:
    """``results`` with each verdict on a device whose configuration is not whole that rests on
    absence (a pass, not_applicable, a failure without evidence) replaced by one ``error``.

    A generator: a check's verdicts (some 130,000 duplicates in 10,000 generated
    configurations) need not all be held at once by the check."""
    incomplete = unwhole(model)
    errored: set[str] = set()
    for result in results:
        reason = incomplete.get(result.host or "")
        if reason is None or result.status is Status.ERROR or (result.status is Status.FAIL and result.evidence):
            yield result
        elif result.host not in errored:
            errored.add(result.host or "")
            yield Result.error("incomplete", reason=reason).on_host(result.host or "")
