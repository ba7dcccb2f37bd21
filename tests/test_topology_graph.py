"""Building the graph: neighbour names to inventory hosts, interface spellings, both directions merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.checkapi import HostRecord
from scanner.engine import Scanner, ScanOptions
from scanner.facts import Neighbor
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Evidence, HostInfo
from scanner.network.topology.declared import DeclaredError, parse_declared
from scanner.network.topology.graph import build_topology
from scanner.network.topology.names import interface_key
from scanner.policy import Policy
from testbed.topology_net import Net


def host(name: str, address: str | None = None, **data: object) -> HostInfo:
    return HostInfo(name=name, platform="cisco_ios", address=address, data=data)


def record(
    info: HostInfo, *neighbors: Neighbor, hostname: str | None = None, serials: tuple[str, ...] = ()
) -> HostRecord:
    return HostRecord(
        host=info, platform="cisco_ios", hostname=hostname or info.name, neighbors=neighbors, serials=serials
    )


def seen(
    local_if: str,
    name: str,
    remote_if: str | None,
    *,
    address: str | None = None,
    serial: str | None = None,
    protocol: str = "cdp",
    line: int = 1,
) -> Neighbor:
    return Neighbor(
        protocol=protocol,  # type: ignore[arg-type]
        local_interface=local_if,
        remote_name=name,
        remote_interface=remote_if,
        evidence=Evidence.of(f"show {protocol} neighbors detail", line, f"Device ID: {name}"),
        remote_address=address,
        remote_serial=serial,
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Gi0/0/1", "GigabitEthernet0/0/1"),
        ("gi1/0/48", "GigabitEthernet1/0/48"),
        ("Te1/1/1", "TenGigabitEthernet1/1/1"),
        ("XGE1/0/49", "Ten-GigabitEthernet1/0/49"),  # H3C
        ("XGE0/0/1", "XGigabitEthernet0/0/1"),  # Huawei
        ("10GE1/0/1", "TenGigabitEthernet1/0/1"),  # Huawei CloudEngine
        ("GE1/0/1", "GigabitEthernet1/0/1"),
        ("HGE1/0/1", "HundredGigE1/0/1"),
        ("Eth1/1", "Ethernet1/1"),
        ("Et1", "Ethernet1"),
        ("BAGG1", "Bridge-Aggregation1"),
        ("Eth-Trunk1", "Eth-Trunk1"),
        ("Po1", "Port-channel1"),
        ("ge-0/0/0.0", "ge-0/0/0"),  # Junos unit 0 is the port
        ("GigabitEthernet 1/0/1", "GigabitEthernet1/0/1"),
    ],
)
def test_interface_spellings_agree(one: str, other: str) -> None:
    assert interface_key(one) == interface_key(other)


@pytest.mark.parametrize(("one", "other"), [("Gi0/1", "Gi0/2"), ("Eth-Trunk1", "Eth-Trunk2"), ("Te1/0/1", "Gi1/0/1")])
def test_different_interfaces_stay_different(one: str, other: str) -> None:
    assert interface_key(one) != interface_key(other)


def test_names_with_domain_configured_hostname_serial_and_address_all_resolve() -> None:
    core = host("hq-core1", "10.0.0.1")
    dc = host("hq-dc1", "10.0.0.2")
    dist = host("hq-dist2", "10.0.9.9")
    spare = host("hq-spare", serial="SPARE123X")
    reporter = host("hq-acc1", "10.0.0.9")
    records = [
        record(
            reporter,
            seen("Gi1/0/1", "hq-core1.corp.example", "Gi1/0/10"),  # domain
            seen("Gi1/0/2", "CORE-B", "Gi1/0/11"),  # configured hostname of hq-dc1
            seen("Gi1/0/3", "nexus(FDO21520ABC)", "Eth1/1"),  # serial in an NX-OS device id
            seen("Gi1/0/4", "switch", "Gi0/1", address="10.0.9.9"),  # management address only
            seen("Gi1/0/5", "unknown", "Gi0/1", serial="SPARE123X", protocol="lldp"),  # advertised serial
        ),
        record(core),
        record(dc, hostname="CORE-B", serials=("FDO21520ABC",)),
        record(dist),
    ]
    topology = build_topology(records, [core, dc, dist, spare, reporter])
    pairs = sorted((link.other("hq-acc1"), link.interface_of("hq-acc1")) for link in topology.links)
    assert pairs == [
        ("hq-core1", "Gi1/0/1"),
        ("hq-dc1", "Gi1/0/2"),
        ("hq-dc1", "Gi1/0/3"),
        ("hq-dist2", "Gi1/0/4"),
        ("hq-spare", "Gi1/0/5"),
    ]
    assert not topology.unmanaged


def test_a_shared_address_matches_nothing_rather_than_the_wrong_host() -> None:
    a, b = host("lab-a", "127.0.0.1"), host("lab-b", "127.0.0.1")
    reporter = host("lab-c", "127.0.0.1")
    topology = build_topology([record(reporter, seen("Gi0/1", "mystery", "Gi0/2", address="127.0.0.1"))], [a, b])
    assert [d.name for d in topology.unmanaged] == ["mystery"]
    assert topology.devices["mystery"].reported_by == [("lab-c", "Gi0/1")]


def test_both_directions_and_both_protocols_make_one_link() -> None:
    a, b = host("sw-a"), host("sw-b")
    records = [
        record(
            a,
            seen("GigabitEthernet1/0/1", "sw-b", "TenGigabitEthernet1/1/1"),
            seen("Gi1/0/1", "sw-b.corp", "Te1/1/1", protocol="lldp"),
        ),
        record(b, seen("Te1/1/1", "sw-a", "Gi1/0/1", protocol="lldp")),
    ]
    topology = build_topology(records, [a, b])
    assert len(topology.links) == 1
    link = topology.links[0]
    assert link.sources == {"cdp", "lldp"}
    assert (link.interface_of("sw-a"), link.interface_of("sw-b")) == ("GigabitEthernet1/0/1", "Te1/1/1")
    assert len(link.evidence) == 3


def test_huawei_and_h3c_abbreviations_merge_both_directions() -> None:
    h3c, huawei = host("plant-sw1"), host("plant-core1")
    records = [
        record(h3c, seen("XGE1/0/49", "plant-core1", "XGigabitEthernet0/0/1", protocol="lldp")),
        record(huawei, seen("XGE0/0/1", "plant-sw1", "Ten-GigabitEthernet1/0/49", protocol="lldp")),
    ]
    topology = build_topology(records, [h3c, huawei])
    assert len(topology.links) == 1


def test_lldp_port_number_joins_the_other_sides_own_report() -> None:
    """LLDP may give the remote port as a number; the device's own report of the port wins."""
    a, b = host("sw-a"), host("sw-b")
    records = [
        record(a, seen("Gi1/0/2", "sw-b", "502", protocol="lldp")),
        record(b, seen("ge-0/0/0.0", "sw-a", "Gi1/0/2", protocol="lldp")),
    ]
    topology = build_topology(records, [a, b])
    assert len(topology.links) == 1
    assert topology.links[0].interface_of("sw-b") == "ge-0/0/0.0"


def test_parallel_cables_stay_separate_links() -> None:
    a, b = host("sw-a"), host("sw-b")
    records = [
        record(a, seen("Gi1/0/1", "sw-b", "Gi1/0/1"), seen("Gi1/0/2", "sw-b", "Gi1/0/2")),
        record(b, seen("Gi1/0/1", "sw-a", "Gi1/0/1"), seen("Gi1/0/2", "sw-a", "Gi1/0/2")),
    ]
    topology = build_topology(records, [a, b])
    assert len(topology.links) == 2
    assert len(topology.links_between("sw-a", "sw-b")) == 2
    assert topology.graph.number_of_edges() == 1


def test_one_unmanaged_neighbour_seen_by_two_hosts_is_one_node() -> None:
    a, b = host("sw-a"), host("sw-b")
    records = [
        record(a, seen("Gi1/0/1", "hub.corp.example", "Gi0/1")),
        record(b, seen("Gi1/0/1", "HUB", "Gi0/2")),
    ]
    topology = build_topology(records, [a, b])
    assert [d.name for d in topology.unmanaged] == ["hub.corp.example"]
    assert topology.graph.degree("hub.corp.example") == 2


def test_a_neighbour_naming_the_host_itself_is_ignored() -> None:
    a = host("sw-a")
    topology = build_topology([record(a, seen("Gi1/0/1", "sw-a", "Gi1/0/2"))], [a])
    assert not topology.links


def test_name_matching_through_the_real_parsers(tmp_path: Path) -> None:
    """CDP on one side with a domain name, LLDP with abbreviations on the other: one link, no unmanaged node."""
    net = Net()
    net.add("hq-core1", hostname="hq-core1", address="10.1.0.1")
    net.add("hq-acc1", address="10.1.0.2")
    net.link(
        "hq-core1",
        "GigabitEthernet1/0/3",
        "hq-acc1",
        "GigabitEthernet1/0/49",
        a_calls_b="hq-acc1.corp.example",
    )
    net.link("hq-acc1", "Gi1/0/50", "hq-core1", "Gi1/0/4", protocol="lldp")
    inventory, snapshots = net.write(tmp_path)
    scanner = Scanner(ScanOptions(policy=Policy.default()), checks=[])
    for item in offline_inputs(snapshots, load_inventory(inventory)):
        scanner.scan_host(item)
    topology = build_topology(scanner.records, scanner.hosts)
    assert not topology.unmanaged
    assert sorted(link.describe("hq-acc1") for link in topology.links) == [
        "hq-acc1 Gi1/0/50 <-> hq-core1 Gi1/0/4",
        "hq-acc1 GigabitEthernet1/0/49 <-> hq-core1 GigabitEthernet1/0/3",
    ]
    assert all(d.scanned for d in topology.devices.values())


def test_declared_files_reject_bad_shapes_with_the_line() -> None:
    with pytest.raises(DeclaredError, match=r"x.yaml line 2: a link needs both ends"):
        parse_declared("links:\n  - a: sw-a\n", "x.yaml")
    with pytest.raises(DeclaredError, match="not valid YAML"):
        parse_declared("links: [\n", "x.yaml")
    with pytest.raises(DeclaredError, match="unknown key"):
        parse_declared("routers: []\n", "x.yaml")
    declared = parse_declared("links:\n  - {a: sw-a, b: sw-b, a_interface: Gi0/1}\n", "x.yaml")
    assert declared.links[0].a_interface == "Gi0/1"
    assert declared.links[0].evidence is not None and declared.links[0].evidence.line == 2
