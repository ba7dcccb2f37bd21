from __future__ import annotations

from collections.abc import Iterable

from scanner.checkapi import ModelUnavailable, NetworkContext, Result, check
from scanner.model import Evidence
from scanner.network.acl.crossing import Crossing, crossings
from scanner.network.acl.model import ACL_MODEL, AclModel, DeviceFilters, Port
from scanner.network.acl.remedy import zone_fix

NETWORK = "(network)"
_NOT_TRANSIT = frozenset({"loopback", "management", "other"})
MAX_EVIDENCE = 40


@check(
    scope="network",
    models=("acl",),
    id="zone.inter_zone_filter",
    title="Traffic a device routes between two zones is filtered with a default deny",
    severity="high",
    unassessed=("no_zones",),
    rationale=(
        "A device that routes between its L3 interfaces (an L3 switch with SVIs or VLANIF, a router, a "
        "Junos unit), whatever its role in the inventory, joins every zone its interfaces sit in. The form "
        "(5.2.2) asks that access control between VLANs be sane and the level-3 baseline (GB/T 22239 "
        "8.1.3.2 a) that only explicitly permitted traffic crosses a zone boundary. So between interfaces in "
        "two declared zones (data.zones in the inventory) some filter must stand, must not pass everything, "
        "and must deny what its rules do not permit: Huawei traffic-filter and H3C packet-filter lists let "
        "unmatched packets through, so they need a final deny."
    ),
    remediation="Filter the traffic between the zones on the device, permitting only the flows needed.",
    messages={
        "bad_input": "cannot judge: {reason}",
        "incomplete": "cannot judge: {reason}; interfaces, filters or the routing the missing part holds could "
        "change the verdict",
        "no_zones": "no zones are declared: add data.zones (zone -> prefixes) to the inventory's defaults.yaml",
        "one_zone": "its routed interfaces lie in {zones}: no traffic between two zones passes it",
        "not_routing": "interfaces in zones {zones}, but it does not route between them: {basis}",
        "separated": "interfaces in zones {zones}, but none of them route to each other: {reason}",
        "unfiltered": "routes between zone {first} and zone {second} without a default deny: {details}",
        "unmodelled": "cannot judge traffic between zone {first} and zone {second}: {what}",
        "undecided": "cannot judge traffic between zone {first} and zone {second}: its lists split it into too many "
        "pieces to decide exactly ({what})",
        "ok": "traffic between zones is filtered with a default deny: {details}",
    },
)
def inter_zone_filter(ctx: NetworkContext) -> Iterable[Result]:
    try:
        model: AclModel = ctx.models[ACL_MODEL]
    except ModelUnavailable as exc:
        devices = [r.host.name for r in ctx.hosts if r.access is not None and r.host.name not in ctx.outside]
        for name in devices or [NETWORK]:
            yield Result.error("bad_input", reason=str(exc)).on_host(name)
        return
    if not model.zones:
        # The model's names, not ctx.hosts: reading the records again would decode every one.
        for name in model.names:
            if name not in ctx.outside:
                yield Result.not_applicable("no_zones").on_host(name)
        return
    for device in model:
        if device.name in ctx.outside:
            continue
        for result in judge(model, device):
            yield result.on_host(device.name)


def judge(model: AclModel, device: DeviceFilters) -> Iterable[Result]:
    if device.incomplete is not None:
        # Every verdict here rests also on what is absent (no filter, no deny, no other zone).
        yield Result.error("incomplete", reason=device.incomplete)
        return
    zoned = _zones_of_interfaces(model, device)
    if len(zoned) < 2:
        yield Result.not_applicable("one_zone", zones=", ".join(sorted(zoned)) or "no declared zone")
        return
    names = ", ".join(sorted(zoned))
    routing = device.access.routing
    if routing is None or not device.routes():
        basis = routing.basis if routing is not None else "no routing facts"
        evidence = [routing.evidence] if routing is not None and routing.evidence else []
        yield Result.ok("not_routing", evidence, zones=names, basis=basis)
        return
    found = crossings(model, device)
    if not found:
        yield Result.ok("separated", zones=names, reason=_why_separated(device, model))
        return
    groups: dict[tuple[str, str], list[Crossing]] = {}
    for item in found:
        pair = tuple(sorted((item.source.zone or "", item.destination.zone or "")))
        groups.setdefault(pair, []).append(item)  # type: ignore[arg-type]
    passed: list[Crossing] = []
    for (first, second), items in sorted(groups.items()):
        failing = [c for c in items if c.failed]
        undecided = [c for c in items if c.verdict == "undecided"]
        if not failing and undecided:
            yield Result.error(
                "undecided",
                _evidence(undecided, with_rules=False),
                first=first,
                second=second,
                what="; ".join(_describe(c) for c in undecided),
            )
            continue
        if not failing:
            passed.extend(items)
            continue
        unmodelled = [
            u
            for u in device.access.unmodelled
            if u.interface in {n for c in failing for n in (c.source.name, c.destination.name)}
        ]
        if unmodelled:
            yield Result.error(
                "unmodelled",
                [u.evidence for u in unmodelled],
                first=first,
                second=second,
                what="; ".join(u.what for u in unmodelled),
            )
            continue
        fix = [line for crossing in failing for line in zone_fix(model, device, crossing)]
        yield Result.fail(
            "unfiltered",
            _evidence(failing, with_rules=True),
            _dedupe_blocks(fix),
            first=first,
            second=second,
            details="; ".join(_describe(c) for c in failing),
        )
    if passed:
        yield Result.ok("ok", _evidence(passed, with_rules=True), details="; ".join(_describe(c) for c in passed))


def _zones_of_interfaces(model: AclModel, device: DeviceFilters) -> set[str]:
    zones = set()
    for interface in device.interfaces:
        if not interface.routed or interface.kind in _NOT_TRANSIT:
            continue
        for address in interface.own_addresses:
            if address.address.version == 4:
                zone = model.zones.zone_of(address.address.ip)
                if zone is not None:
                    zones.add(zone)
    return zones


def _why_separated(device: DeviceFilters, model: AclModel) -> str:
    routing = device.access.routing
    if routing is not None and routing.inert_kinds:
        return routing.basis
    ports = [p for p in device.ports(model.zones) if p.zone is not None]
    if not ports:
        return "its interfaces in these zones do not route (" + (routing.basis if routing else "no routing") + ")"
    vrfs = sorted({p.interface.vrf or "default" for p in ports})
    return f"the interfaces of different zones are in different VRFs ({', '.join(vrfs)})"


def _port(port: Port) -> str:
    return f"{port.name} {port.address}"


def _describe(crossing: Crossing) -> str:
    head = (
        f"{crossing.source.zone} -> {crossing.destination.zone} ({_port(crossing.source)} -> "
        f"{_port(crossing.destination)})"
    )
    stages = crossing.stages
    if crossing.verdict == "unfiltered":
        return f"{head}: no access list either way"
    if crossing.verdict == "permits_all":
        lines = [f"{r.stage.label} line {line.label} ({line.text})" for r in stages for line in r.traversal.permitting]
        return f"{head}: every packet passes ({'; '.join(lines[:3]) or 'no rule denies any of it'})"
    if crossing.verdict == "default_permit":
        reasons = []
        for result in stages:
            traversal = result.traversal
            rest = traversal.rest_line
            if rest is not None:
                reasons.append(f"{result.stage.label} line {rest.label} ({rest.text}) permits the rest")
            elif traversal.rest is not None:
                reasons.append(f"{result.stage.label}: {result.stage.default_basis}")
        return f"{head}: what no rule matches passes ({'; '.join(reasons)})"
    deniers = []
    for result in stages:
        traversal = result.traversal
        if traversal.rest != "deny":
            continue
        if traversal.rest_line is not None:
            deniers.append(f"{result.stage.label} line {traversal.rest_line.label} denies the rest")
        else:
            deniers.append(f"{result.stage.label} ({result.stage.default_basis})")
    return f"{head}: {'; '.join(deniers) or 'denied'}"


def _evidence(items: list[Crossing], with_rules: bool) -> list[Evidence]:
    evidence: list[Evidence] = []

    def add(item: Evidence | None) -> None:
        if item is not None and item not in evidence and len(evidence) < MAX_EVIDENCE:
            evidence.append(item)

    for crossing in items:
        for port in (crossing.source, crossing.destination):
            address = next((a for a in port.interface.own_addresses if str(a.address) == port.address), None)
            add(address.evidence if address else port.interface.evidence)
        for result in crossing.stages:
            for item in result.stage.evidence:
                add(item)
            if with_rules and result.traversal.rest_line is not None:
                add(result.traversal.rest_line.evidence)
            if with_rules and crossing.verdict == "permits_all":
                for line in result.traversal.permitting:
                    add(line.evidence)
    return evidence


def _dedupe_blocks(lines: list[str]) -> list[str]:
    """Fix lines with each mode line (``interface X``, ``ip access-list ...``) and its children kept once."""
    out: list[str] = []
    seen_blocks: set[tuple[str, ...]] = set()
    block: list[str] = []
    for line in [*lines, ""]:
        if block and (not line.startswith(" ") or not line):
            key = tuple(block)
            if key not in seen_blocks:
                seen_blocks.add(key)
                out.extend(block)
            block = []
        if line:
            block.append(line)
    return out
