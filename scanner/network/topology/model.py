"""The topology model of a scan: the graph built from every host's neighbours and the inventory's links.yaml."""

from __future__ import annotations

from scanner.checkapi import ModelUnavailable, NetworkContext
from scanner.network.topology.declared import ATTACHMENT, ATTACHMENT_ERROR, DeclaredTopology
from scanner.network.topology.graph import Topology, build_topology

TOPOLOGY = "topology"
# The reason shown on inventory hosts the scan's selection left out.
OUTSIDE_SELECTION = "outside this scan's selection"


def build_topology_model(ctx: NetworkContext) -> Topology:
    """The graph of ``ctx``; a links.yaml that cannot be read makes the model unavailable, with its reason."""
    error = ctx.attachments.get(ATTACHMENT_ERROR)
    if error:
        raise ModelUnavailable(str(error))
    declared: DeclaredTopology | None = ctx.attachments.get(ATTACHMENT)
    errors = dict.fromkeys(ctx.outside, OUTSIDE_SELECTION)
    return build_topology(ctx.hosts, ctx.inventory, declared, errors)
