from __future__ import annotations

from collections.abc import Iterable

from checks.topology._common import SEPARATION_MESSAGES, separation_check
from scanner.checkapi import NetworkContext, Result, check


@check(
    scope="network",
    models=("topology",),
    id="topology.zone_partition",
    title="Separated zones are partitioned (production control / management)",
    severity="high",
    rationale=(
        "The production-control network and the management-information network must be "
        "partitioned: no path between them may avoid a firewall or isolation device. A direct "
        "cable between a management switch and a plant switch joins the two zones. The form "
        "(5.2.2) asks for this partition; the policy lists the zone pairs (topology.separated_zones)."
    ),
    remediation=(
        "Remove the link that joins the two zones, or route it through a firewall or isolation "
        "device; then confirm each device's `zone` in the inventory."
    ),
    messages={
        "breach": "link {link} joins zone {source} to {inside} (zone {zone}) without crossing a {barriers}: "
        "path {path}",
        **SEPARATION_MESSAGES,
    },
)
def zone_partition(ctx: NetworkContext) -> Iterable[Result]:
    return separation_check(ctx, lambda settings: settings.internal_pairs)
