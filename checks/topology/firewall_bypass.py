from __future__ import annotations

from collections.abc import Iterable

from checks.topology._common import SEPARATION_MESSAGES, separation_check
from scanner.checkapi import NetworkContext, Result, check


@check(
    scope="network",
    models=("topology",),
    id="topology.firewall_bypass",
    title="No external link bypasses the firewall",
    severity="critical",
    rationale=(
        "Every path from a device facing outside networks (the external zone) to any other zone "
        "must cross a firewall. A cable from an edge router straight into an access switch, or "
        "through a switch nobody documented, lets outside traffic in around every firewall rule. "
        "The form (5.2.1) asks that no external link bypasses the firewall. The topology comes "
        "from CDP/LLDP neighbours and the inventory's links.yaml."
    ),
    remediation=(
        "Remove the offending link, or move it behind a firewall so that the only way from the "
        "external zone to the rest of the network crosses one. If the path is legitimate, give the "
        "device in between its real role and zone in the inventory."
    ),
    messages={
        "breach": "link {link} lets zone {source} reach {inside} (zone {zone}) without crossing a {barriers}: "
        "path {path}",
        **SEPARATION_MESSAGES,
    },
)
def firewall_bypass(ctx: NetworkContext) -> Iterable[Result]:
    return separation_check(ctx, lambda settings: settings.external_pairs)
