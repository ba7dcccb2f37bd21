"""The topology checks on small hand-written networks with known answers, through the real engine.

Each network is written as Cisco IOS snapshots (CDP/LLDP outputs parsed by ntc-templates)
plus a Nornir inventory, and scanned exactly as `netcomply scan` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.frameworks import frameworks
from scanner.engine import ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Finding, Status
from scanner.network.topology.declared import network_attachments
from scanner.policy import Policy
from testbed.topology_net import Net

TOPOLOGY_ONLY = "checks: {enable: ['topology.*']}\n"


def scan(tmp_path: Path, net: Net, policy: str = TOPOLOGY_ONLY, links: str | None = None) -> list[Finding]:
    inventory, snapshots = net.write(tmp_path)
    if links is not None:
        (inventory / "links.yaml").write_text(links)
    options = ScanOptions(
        policy=Policy.from_text(policy, "test policy"), network_attachments=network_attachments(inventory)
    )
    return run_scan(offline_inputs(snapshots, load_inventory(inventory)), options).findings


def of(findings: list[Finding], check: str, status: Status | None = None) -> list[Finding]:
    return [f for f in findings if f.check == check and (status is None or f.status is status)]


def campus() -> Net:
    """Site hq: edge router -> firewall -> two cores -> distribution -> two access switches. No bypass."""
    net = Net()
    net.add("hq-edge1", zone="external", role="edge", site="hq")
    net.add("hq-fw1", zone="internal", role="firewall", site="hq")
    net.add("hq-core1", zone="internal", role="core", site="hq")
    net.add("hq-core2", zone="internal", role="core", site="hq")
    net.add("hq-dist1", zone="internal", role="distribution", site="hq")
    net.add("hq-acc1", zone="internal", role="access", site="hq")
    net.add("hq-acc2", zone="internal", role="access", site="hq")
    net.link("hq-edge1", "GigabitEthernet0/0/1", "hq-fw1", "GigabitEthernet0/0")
    net.link("hq-fw1", "GigabitEthernet0/1", "hq-core1", "GigabitEthernet1/0/1")
    net.link("hq-fw1", "GigabitEthernet0/2", "hq-core2", "GigabitEthernet1/0/1")
    net.link("hq-core1", "GigabitEthernet1/0/2", "hq-core2", "GigabitEthernet1/0/2")
    net.link("hq-core1", "GigabitEthernet1/0/3", "hq-dist1", "GigabitEthernet1/0/49")
    net.link("hq-core2", "GigabitEthernet1/0/3", "hq-dist1", "GigabitEthernet1/0/50")
    net.link("hq-dist1", "GigabitEthernet1/0/1", "hq-acc1", "GigabitEthernet1/0/49")
    net.link("hq-dist1", "GigabitEthernet1/0/2", "hq-acc2", "GigabitEthernet1/0/49")
    return net


def test_a_path_through_the_firewall_is_not_a_bypass(tmp_path: Path) -> None:
    findings = scan(tmp_path, campus())
    bypass = of(findings, "topology.firewall_bypass")
    assert [f.status for f in bypass] == [Status.PASS]
    assert "external and every other zone" in bypass[0].message
    assert [f.status for f in of(findings, "topology.core_redundancy")] == [Status.PASS, Status.PASS]


def test_bypass_through_an_access_switch_names_the_link_and_the_path(tmp_path: Path) -> None:
    net = campus()
    net.link("hq-edge1", "GigabitEthernet0/0/2", "hq-acc1", "GigabitEthernet1/0/48")
    failed = of(scan(tmp_path, net), "topology.firewall_bypass", Status.FAIL)
    assert len(failed) == 1
    finding = failed[0]
    assert finding.host == "hq-acc1"
    assert finding.severity.label == "critical"
    assert "hq-edge1 GigabitEthernet0/0/2 <-> hq-acc1 GigabitEthernet1/0/48" in finding.message
    assert "path hq-edge1 GigabitEthernet0/0/2 -> GigabitEthernet1/0/48 hq-acc1" in finding.message
    # Evidence: the CDP lines of both ends of the offending link, each with its file.
    sources = {(Path(e.path or "").parent.name, e.source, e.text) for e in finding.evidence}
    assert ("hq-acc1", "show cdp neighbors detail", "Device ID: hq-edge1") in sources
    assert ("hq-edge1", "show cdp neighbors detail", "Device ID: hq-acc1") in sources
    assert all(e.line > 0 for e in finding.evidence)
    # Each line names the device whose neighbour table holds it, as every report shows it.
    assert {e.host for e in finding.evidence} == {"hq-acc1", "hq-edge1"}
    assert all(e.host == Path(e.path or "").parent.name for e in finding.evidence)
    assert any(e.where.startswith("hq-edge1 show cdp neighbors detail:") for e in finding.evidence)
    assert finding.remediation


def test_bypass_through_an_unmanaged_neighbour(tmp_path: Path) -> None:
    net = campus()
    net.add("rogue-sw", in_inventory=False, snapshot=False)
    net.link("hq-edge1", "GigabitEthernet0/0/3", "rogue-sw", "GigabitEthernet0/1")
    net.link("rogue-sw", "GigabitEthernet0/2", "hq-acc2", "GigabitEthernet1/0/47")
    findings = scan(tmp_path, net)
    failed = of(findings, "topology.firewall_bypass", Status.FAIL)
    assert len(failed) == 1
    assert failed[0].host == "hq-acc2"
    assert "rogue-sw GigabitEthernet0/2 <-> hq-acc2 GigabitEthernet1/0/47" in failed[0].message
    assert "path hq-edge1 GigabitEthernet0/0/3 -> GigabitEthernet0/1 rogue-sw" in failed[0].message
    # The unknown switch itself is reported (informational) by both devices that see it.
    unmanaged = of(findings, "topology.unmanaged_neighbor", Status.FAIL)
    assert {f.host for f in unmanaged} == {"hq-edge1", "hq-acc2"}
    assert all(f.severity.label == "info" and "rogue-sw" in f.message for f in unmanaged)


def test_two_bypasses_are_two_findings_and_a_parallel_legitimate_path_does_not_hide_them(tmp_path: Path) -> None:
    net = campus()
    net.link("hq-edge1", "GigabitEthernet0/0/2", "hq-acc1", "GigabitEthernet1/0/48")
    net.link("hq-edge1", "GigabitEthernet0/0/3", "hq-dist1", "GigabitEthernet1/0/40")
    failed = of(scan(tmp_path, net), "topology.firewall_bypass", Status.FAIL)
    assert sorted(f.host for f in failed) == ["hq-acc1", "hq-dist1"]


def test_partition_breach_between_management_and_production_control(tmp_path: Path) -> None:
    net = campus()
    net.add("mgmt-sw1", zone="management", role="access", site="hq")
    net.add("plant-sw1", zone="production-control", role="access", site="plant")
    net.add("plant-iso1", zone="production-control", role="isolation", site="plant")
    net.link("hq-core1", "GigabitEthernet1/0/10", "mgmt-sw1", "GigabitEthernet1/0/49")
    net.link("mgmt-sw1", "GigabitEthernet1/0/1", "plant-iso1", "GigabitEthernet0/1")
    net.link("plant-iso1", "GigabitEthernet0/2", "plant-sw1", "GigabitEthernet0/0/1")
    findings = scan(tmp_path / "isolated", net)
    assert [f.status for f in of(findings, "topology.zone_partition")] == [Status.PASS]

    net.link("mgmt-sw1", "GigabitEthernet1/0/2", "plant-sw1", "GigabitEthernet0/0/2")
    failed = of(scan(tmp_path / "breached", net), "topology.zone_partition", Status.FAIL)
    assert len(failed) == 1
    assert failed[0].host == "mgmt-sw1"
    assert "plant-sw1 GigabitEthernet0/0/2 <-> mgmt-sw1 GigabitEthernet1/0/2" in failed[0].message
    assert "zone production-control" in failed[0].message and "zone management" in failed[0].message


def test_partition_breach_through_a_third_zone_counts(tmp_path: Path) -> None:
    net = campus()
    net.add("mgmt-sw1", zone="management", role="access", site="hq")
    net.add("plant-sw1", zone="production-control", role="access", site="plant")
    net.link("hq-acc2", "GigabitEthernet1/0/1", "mgmt-sw1", "GigabitEthernet1/0/49")
    net.link("hq-acc1", "GigabitEthernet1/0/1", "plant-sw1", "GigabitEthernet0/0/1")
    failed = of(scan(tmp_path, net), "topology.zone_partition", Status.FAIL)
    assert len(failed) == 1
    assert "path plant-sw1" in failed[0].message and "hq-dist1" in failed[0].message


def test_single_core_fails_and_a_declared_spare_satisfies(tmp_path: Path) -> None:
    net = Net()
    net.add("plant-core1", zone="production-control", role="core", site="plant")
    net.add("plant-sw1", zone="production-control", role="access", site="plant")
    net.link("plant-core1", "GigabitEthernet1/0/1", "plant-sw1", "GigabitEthernet0/1")
    failed = of(scan(tmp_path / "single", net), "topology.core_redundancy", Status.FAIL)
    assert [(f.host, f.message) for f in failed] == [
        ("plant-core1", "site plant has 1 core device(s) (plant-core1) and no declared spare; 2 required")
    ]

    net.add("plant-core-spare", zone="production-control", role="core", site="plant", spare=True, snapshot=False)
    passed = of(scan(tmp_path / "spare", net), "topology.core_redundancy")
    assert [(f.host, f.status) for f in passed] == [("plant-core1", Status.PASS)]
    assert "spare plant-core-spare" in passed[0].message


def test_a_core_that_alone_connects_part_of_the_site_fails(tmp_path: Path) -> None:
    net = campus()
    net.add("hq-dist2", zone="internal", role="distribution", site="hq")
    net.add("hq-acc3", zone="internal", role="access", site="hq")
    net.link("hq-core1", "GigabitEthernet1/0/4", "hq-dist2", "GigabitEthernet1/0/49")
    net.link("hq-dist2", "GigabitEthernet1/0/1", "hq-acc3", "GigabitEthernet1/0/49")
    findings = of(scan(tmp_path, net), "topology.core_redundancy")
    by_host = {f.host: f for f in findings}
    assert by_host["hq-core1"].status is Status.FAIL
    assert by_host["hq-core1"].message == "site hq: losing core hq-core1 cuts off 2 device(s): hq-acc3, hq-dist2"
    assert any(e.text == "Device ID: hq-dist2" for e in by_host["hq-core1"].evidence)
    assert by_host["hq-core2"].status is Status.PASS


def test_a_cut_that_an_unknown_link_could_close_is_not_called_a_failure(tmp_path: Path) -> None:
    """hq-core2 and hq-dist1 are not scanned: their link to each other is unknown, so hq-core1
    only seems to be the one path to the distribution layer; one unread side alone proves nothing missing."""
    net = campus()
    net.devices["hq-core2"].snapshot = False
    net.devices["hq-dist1"].snapshot = False
    findings = {f.host: f for f in of(scan(tmp_path / "both", net), "topology.core_redundancy")}
    assert findings["hq-core1"].status is Status.NOT_APPLICABLE
    assert findings["hq-core1"].message == (
        "site hq: cannot tell whether losing core hq-core1 cuts off 3 device(s) (hq-acc1, hq-acc2, hq-dist1): "
        "no neighbour data from hq-dist1, hq-core2, whose links to each other are unknown"
    )
    net = campus()
    net.add("hq-dist2", zone="internal", role="distribution", site="hq")
    net.link("hq-core1", "GigabitEthernet1/0/4", "hq-dist2", "GigabitEthernet1/0/49")
    net.devices["hq-dist2"].snapshot = False
    findings = {f.host: f for f in of(scan(tmp_path / "one", net), "topology.core_redundancy")}
    assert findings["hq-core1"].status is Status.FAIL
    assert findings["hq-core1"].message == "site hq: losing core hq-core1 cuts off 1 device(s): hq-dist2"


def test_an_access_switch_with_one_uplink_does_not_make_its_core_a_failure(tmp_path: Path) -> None:
    net = campus()
    net.add("mgmt-sw1", zone="management", role="access", site="hq")
    net.link("hq-core1", "GigabitEthernet1/0/10", "mgmt-sw1", "GigabitEthernet0/1")
    findings = of(scan(tmp_path / "leaf", net), "topology.core_redundancy")
    assert [f.status for f in findings] == [Status.PASS, Status.PASS]
    policy = TOPOLOGY_ONLY + "topology:\n  leaf_roles: []\n"
    findings = of(scan(tmp_path / "strict", net, policy=policy), "topology.core_redundancy", Status.FAIL)
    assert [f.message for f in findings] == ["site hq: losing core hq-core1 cuts off 1 device(s): mgmt-sw1"]


def test_a_site_with_no_core_role_is_not_judged_and_other_sites_are(tmp_path: Path) -> None:
    net = campus()
    net.add("branch-sw1", zone="internal", role="access", site="branch")
    findings = of(scan(tmp_path, net), "topology.core_redundancy")
    assert {f.host for f in findings} == {"hq-core1", "hq-core2"}


def test_declared_link_in_links_yaml_is_part_of_the_graph_with_its_line_as_evidence(tmp_path: Path) -> None:
    links = (
        "# links discovery cannot see\n"
        "nodes:\n"
        "  isp-a: {zone: external, role: router}\n"
        "links:\n"
        "  - a: isp-a\n"
        "    b: hq-edge1\n"
        "    b_interface: GigabitEthernet0/0/0\n"
        "  - a: isp-a\n"
        "    b: hq-acc2\n"
        "    b_interface: Gi1/0/46\n"
        "    note: media converter, no LLDP\n"
    )
    failed = of(scan(tmp_path, campus(), links=links), "topology.firewall_bypass", Status.FAIL)
    assert len(failed) == 1
    assert failed[0].host == "hq-acc2"
    assert "isp-a <-> hq-acc2 Gi1/0/46" in failed[0].message
    evidence = failed[0].evidence[0]
    assert (evidence.source, evidence.line) == ("links.yaml", 8)


def test_a_broken_links_yaml_is_an_error_finding_and_the_scan_goes_on(tmp_path: Path) -> None:
    findings = scan(tmp_path, campus(), policy="checks: {enable: ['*']}\n", links="links:\n  - a: hq-edge1\n    c: x\n")
    errors = [f for f in findings if f.check.startswith("topology.")]
    assert errors and all(f.status is Status.ERROR for f in errors)
    assert all("links.yaml line 2" in f.message and "unknown key" in f.message for f in errors)
    assert of(findings, "services.http"), "host checks still ran"


def test_a_bad_topology_policy_is_an_error_finding(tmp_path: Path) -> None:
    policy = TOPOLOGY_ONLY + "topology:\n  separated_zones: [[management]]\n"
    findings = [f for f in scan(tmp_path, campus(), policy=policy) if f.check != "topology.unmanaged_neighbor"]
    assert findings and all(f.status is Status.ERROR for f in findings)
    assert "separated_zones[0] must be a pair of zones" in findings[0].message


def test_policy_can_separate_other_zones_and_other_barrier_roles(tmp_path: Path) -> None:
    net = campus()
    net.add("dmz-web", zone="dmz", role="server", site="hq")
    net.link("hq-acc1", "GigabitEthernet1/0/5", "dmz-web", "eth0")
    policy = TOPOLOGY_ONLY + "topology:\n  separated_zones: [[dmz, internal]]\n  barrier_roles: [firewall]\n"
    findings = scan(tmp_path, net, policy=policy)
    failed = of(findings, "topology.zone_partition", Status.FAIL)
    assert [f.host for f in failed] == ["hq-acc1"]
    assert of(findings, "topology.firewall_bypass") == [], "no external pair in this policy: no verdict"


def test_a_firewall_whose_snapshot_is_missing_is_still_a_barrier(tmp_path: Path) -> None:
    net = campus()
    net.devices["hq-fw1"].snapshot = False
    findings = scan(tmp_path, net)
    bypass = of(findings, "topology.firewall_bypass")
    assert [f.status for f in bypass] == [Status.PASS]
    assert "1 device(s) without neighbour data" in bypass[0].message and "hq-fw1" in bypass[0].message


def test_unmanaged_neighbours_can_be_ignored_by_pattern(tmp_path: Path) -> None:
    net = campus()
    net.add("SEP001122334455", in_inventory=False, snapshot=False)
    net.link("hq-acc1", "GigabitEthernet1/0/2", "SEP001122334455", "Port 1")
    findings = scan(tmp_path / "reported", net)
    assert [f.host for f in of(findings, "topology.unmanaged_neighbor", Status.FAIL)] == ["hq-acc1"]
    policy = TOPOLOGY_ONLY + "topology:\n  ignore_unmanaged: ['sep*']\n"
    findings = scan(tmp_path / "ignored", net, policy=policy)
    assert not of(findings, "topology.unmanaged_neighbor", Status.FAIL)


def test_no_zone_data_gives_no_verdict_never_a_pass(tmp_path: Path) -> None:
    net = Net()
    net.add("a", role="access")
    net.add("b", role="access")
    net.link("a", "Gi1/0/1", "b", "Gi1/0/1")
    findings = scan(tmp_path, net)
    assert {f.check for f in findings} == {"topology.unmanaged_neighbor"}


def test_a_zone_with_nothing_to_separate_from_is_not_applicable_on_its_devices(tmp_path: Path) -> None:
    net = Net()
    net.add("edge", zone="external", role="edge")
    net.add("fw", role="firewall")
    net.link("edge", "Gi0/0", "fw", "Gi0/0")
    findings = of(scan(tmp_path, net), "topology.firewall_bypass")
    assert [(f.host, f.status) for f in findings] == [("edge", Status.NOT_APPLICABLE)]
    assert "(network)" not in {f.host for f in scan(tmp_path / "again", campus())}


@pytest.mark.parametrize(
    ("item", "check"),
    [
        ("5.2.1", "topology.firewall_bypass"),
        ("5.2.1", "topology.core_redundancy"),
        ("5.2.1", "topology.unmanaged_neighbor"),
        ("5.2.2", "topology.zone_partition"),
    ],
)
def test_checks_answer_their_form_items(item: str, check: str) -> None:
    form = next(f for f in frameworks() if f.id == "form")
    assert check in next(i for i in form.items if i.id == item).checks
