"""Network-scope models: what the whole scanned network is, built once per scan from every host's record.

This layer sits between the platforms (which give each host's facts) and the checks
(which judge). The engine builds each model when a network check first reads it from
``NetworkContext.models`` and hands the same object to every later check; a check never
builds or caches one itself. A model may also gather part of its input as the scan accepts
each host's record (``model_collectors``). A model is one package here with one builder:

* ``topology``: the graph of devices and links (CDP/LLDP, links.yaml), :mod:`scanner.network.topology`.
* ``acl``: every device's filters in the order a routed packet meets them, and the inventory's
  zones as address space (``data.zones``), :mod:`scanner.network.acl`.
* ``ipam``: every configured address and ARP entry beside the IP records (allocation table
  or NetBox), :mod:`scanner.network.ipam`.
"""

from __future__ import annotations

from collections.abc import Callable

from scanner.checkapi import ModelBuilder, RecordCollector
from scanner.network.acl.model import ACL_MODEL, build_acl_model
from scanner.network.ipam.model import IPAM, AddressCollector, build_ipam_model
from scanner.network.topology.model import TOPOLOGY, build_topology_model

__all__ = ["ACL_MODEL", "IPAM", "TOPOLOGY", "model_builders", "model_collectors"]


def model_builders() -> dict[str, ModelBuilder]:
    """Every network model by name, with the function that builds it from a scan's network context."""
    return {TOPOLOGY: build_topology_model, ACL_MODEL: build_acl_model, IPAM: build_ipam_model}


def model_collectors() -> dict[str, Callable[[], RecordCollector]]:
    """The models that gather part of their input record by record as the scan accepts each host
    (``NetworkContext.collected``), with what makes their collector. The IP model: decoding every
    record's interfaces at the end was most of its build."""
    return {IPAM: AddressCollector}
