"""The fix for a zone crossing that is not filtered with a default deny, in the device's own syntax.

Where to fix: the list already bound inbound on the interface facing the source zone,
else the one bound outbound toward the destination zone, else the firewall's policy
for the zone pair, else a new list inbound on the source side. What to change: the
lines that let everything through go (a catch-all ``permit ip any any``, or the permits
that together pass all of the zone-to-zone traffic), and a deny of every source-zone
prefix to every destination-zone prefix closes the way; the flows really needed are
permitted above it by hand.
"""

from __future__ import annotations

import re

from scanner.network.acl.crossing import Crossing, StageResult
from scanner.network.acl.model import AclModel, DeviceFilters

_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


def list_name(source: str, destination: str) -> str:
    """A list name every vendor accepts (a letter first, no spaces, at most 32 characters)."""
    name = _NAME_CHARS.sub("-", f"{source}-TO-{destination}".upper()).strip("-")
    return f"Z-{name}"[:32]


def zone_fix(model: AclModel, device: DeviceFilters, crossing: Crossing) -> tuple[str, ...]:
    source, destination = crossing.source, crossing.destination
    assert source.zone is not None and destination.zone is not None
    params: dict[str, object] = {
        "source_zone": source.zone,
        "destination_zone": destination.zone,
        "sources": [str(n) for n in model.zones.networks(source.zone)],
        "destinations": [str(n) for n in model.zones.networks(destination.zone)],
        "interface": source.name,
        "direction": "in",
        "name": list_name(source.zone, destination.zone),
    }
    target = _target(crossing)
    if target is None:
        return device.fix("zone_filter", **params)
    stage = target.stage
    if stage.kind == "policy":
        return device.fix("zone_policy", **params, remove=_removals(target))
    if stage.missing and stage.use is not None:
        return device.fix("zone_filter", **{**params, "name": stage.use.name, "bind": False})
    found = stage.access_list
    assert found is not None and stage.use is not None
    params.update(
        name=found.name,
        interface=stage.interface or source.name,
        direction=stage.direction or "in",
        existing=True,
        edit=found.edit,
        remove=_removals(target),
    )
    return device.fix("zone_filter", **params)


def _target(crossing: Crossing) -> StageResult | None:
    stages = crossing.stages
    for wanted in (
        lambda r: r.stage.interface == crossing.source.name and r.stage.direction == "in",
        lambda r: r.stage.interface == crossing.destination.name and r.stage.direction == "out",
        lambda r: r.stage.kind == "policy",
    ):
        for result in stages:
            if wanted(result):
                return result
    return stages[0] if stages else None


def _removals(target: StageResult) -> list[str]:
    """The catch-all line of ``target`` that lets the rest of the zone-to-zone traffic through, if any."""
    rest = target.traversal.rest_line
    if rest is not None and rest.action == "permit":
        return list(rest.remove)
    return []
