"""The topology checks on the bundled lab network, whose deliberate faults are known.

Every lab device is in the inventory (hq-fw1 Junos, plant-sw1 H3C, plant-core1 Huawei
among them), so each test asserts one expected verdict: no branch on what the code found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Finding, Status
from scanner.network.topology.declared import network_attachments
from scanner.policy import Policy
from scanner.topology.run import TopologyRun, discover


@pytest.fixture(scope="module")
def run(lab: Path) -> TopologyRun:
    if not (lab / "hosts.yaml").is_file():
        pytest.skip(f"the bundled lab inventory is not at {lab}")
    return discover(offline_inputs(lab / "snapshots", load_inventory(lab)), Policy.default(), network_attachments(lab))


def failed(run: TopologyRun, check: str) -> list[Finding]:
    return [f for f in run.findings if f.check == check and f.status is Status.FAIL]


def managed(run: TopologyRun, name: str) -> bool:
    device = run.topology.devices.get(name)
    return device is not None and device.managed


def test_the_edge_router_to_access_switch_cable_is_a_firewall_bypass(run: TopologyRun) -> None:
    bypasses = failed(run, "topology.firewall_bypass")
    direct = [f for f in bypasses if f.host == "hq-acc1"]
    assert len(direct) == 1
    assert "hq-edge1 GigabitEthernet0/0/2 <-> hq-acc1 GigabitEthernet1/0/48" in direct[0].message
    assert managed(run, "hq-fw1") and run.topology.devices["hq-fw1"].role == "firewall"
    assert bypasses == direct, "the paths through hq-fw1 are legitimate"


def test_the_management_to_plant_cable_breaks_the_partition(run: TopologyRun) -> None:
    assert managed(run, "plant-sw1")
    breaches = failed(run, "topology.zone_partition")
    assert len(breaches) == 1
    assert "mgmt-sw1" in breaches[0].message and "plant-sw1" in breaches[0].message


def test_hq_has_redundant_cores_and_the_plant_one(run: TopologyRun) -> None:
    results = {f.host: f for f in run.findings if f.check == "topology.core_redundancy"}
    assert results["hq-core1"].status is Status.PASS
    assert results["hq-core2"].status is Status.PASS
    assert managed(run, "plant-core1")
    assert results["plant-core1"].status is Status.FAIL
    assert "site plant has 1 core device(s)" in results["plant-core1"].message


def test_every_lab_link_is_matched_on_both_ends(run: TopologyRun) -> None:
    """Links between two scanned lab devices are reported from both sides and merged into one."""
    topology = run.topology
    for link in topology.links:
        a, b = topology.devices[link.a], topology.devices[link.b]
        if a.scanned and b.scanned:
            assert len(link.evidence) >= 2, link.describe()
            assert link.a_interface and link.b_interface, link.describe()
