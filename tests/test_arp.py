"""ARP tables of every platform: the collected commands, the readers, the compact table, the missing case.

The captures under tests/fixtures/arp/ntc-templates are ntc-templates' own test files
(Apache-2.0, see the README there): real device output for each platform's command.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scanner.arptable import ipv4_int, ipv4_text, mac_int, mac_text
from scanner.facts import ARP
from scanner.platforms import get_platform
from scanner.platforms._arp import _tolerant, read_arp
from scanner.snapshot import Snapshot, slugify
from tests.conftest import FIXTURES, ROOT

CAPTURES = FIXTURES / "arp" / "ntc-templates"
LAB = ROOT / "scanner" / "lab" / "network" / "snapshots"

# platform -> (its ARP command, the snapshot file the slug rule gives)
COMMANDS = {
    "cisco_ios": ("show ip arp", "show_ip_arp.txt"),
    "cisco_xe": ("show ip arp", "show_ip_arp.txt"),
    "cisco_nxos": ("show ip arp vrf all", "show_ip_arp_vrf_all.txt"),
    "arista_eos": ("show ip arp", "show_ip_arp.txt"),
    "huawei": ("display arp", "display_arp.txt"),
    "hp_comware": ("display arp", "display_arp.txt"),
    "juniper_junos": ("show arp no-resolve", "show_arp_no-resolve.txt"),
}

# capture -> (ntc platform, command, entries read, (first address, MAC, interface, VRF, line))
EXPECTED = {
    "cisco_ios_show_ip_arp.raw": (
        "cisco_ios",
        "show ip arp",
        7,
        ("172.16.233.229", "00:00:0c:59:f8:92", "Ethernet0/0", None, 2),
    ),
    "cisco_nxos_show_ip_arp.raw": (
        "cisco_nxos",
        "show ip arp vrf all",
        22,
        ("1.1.1.2", "3c:60:f4:0e:f9:c3", "Ethernet1/41", None, 10),
    ),
    "arista_eos_show_ip_arp.raw": (
        "arista_eos",
        "show ip arp",
        3,
        ("172.25.0.2", "00:4c:62:11:02:1e", "Vlan101", None, 2),
    ),
    "arista_eos_show_ip_arp1.raw": (
        "arista_eos",
        "show ip arp",
        5,
        ("10.1.1.1", "00:4c:62:11:11:3e", "Vlan1", "MGMT", 3),
    ),
    "hp_comware_display_arp.raw": (
        "hp_comware",
        "display arp",
        3,
        ("10.20.10.1", "00:1e:c1:dc:fc:01", "M-GE0/0/0", None, 3),
    ),
    "juniper_junos_show_arp_no-resolve.raw": (
        "juniper_junos",
        "show arp no-resolve",
        9,
        ("10.1.100.130", "00:00:00:00:00:04", "vlan.20", None, 2),
    ),
    "huawei_vrp_display_arp_brief.raw": (
        "huawei_vrp",
        "display arp",
        3,
        ("192.168.120.251", "60:de:44:74:96:40", "Vlanif1", None, 3),
    ),
    "huawei_vrpv8_display_arp_all.excerpt.raw": (
        "huawei_vrp",
        "display arp",
        22,
        ("192.168.0.1", "4c:f5:5b:2e:3d:0a", "Eth0/0/0", "__LOCAL_OAM_VPN__", 4),
    ),
}


def _rows(table):  # type: ignore[no-untyped-def]
    return [(e.address, e.mac, e.interface, e.vrf, e.line) for e in table]


@pytest.mark.parametrize("platform", sorted(COMMANDS))
def test_every_platform_collects_its_arp_command_under_the_slug_rule(platform: str) -> None:
    command, filename = COMMANDS[platform]
    commands = get_platform(platform).commands
    assert commands.arp == (command,)
    assert command in commands.all
    assert f"{slugify(command)}.txt" == filename


@pytest.mark.parametrize("capture", sorted(EXPECTED))
def test_real_captures_are_read_with_line_numbers(capture: str) -> None:
    ntc, command, count, (address, mac, interface, vrf, line) = EXPECTED[capture]
    text = (CAPTURES / capture).read_text()
    table = read_arp(ntc, command, text, str(CAPTURES / capture))
    assert len(table) == count
    first = table.entry(0)
    assert (ipv4_text(first.address), mac_text(first.mac), first.interface, first.vrf, first.line) == (
        address,
        mac,
        interface,
        vrf,
        line,
    )
    evidence = table.evidence(0)
    assert evidence.source == command
    assert evidence.line == line
    assert evidence.text == text.splitlines()[line - 1].rstrip()
    assert address in evidence.text


@pytest.mark.parametrize("capture", sorted(EXPECTED))
def test_the_tolerant_reader_agrees_with_the_ntc_templates(capture: str) -> None:
    """The fallback reader is our own code: on every real capture it reads what the template reads."""
    ntc, command, _, _ = EXPECTED[capture]
    text = (CAPTURES / capture).read_text()
    assert _rows(_tolerant(command, text, None)) == _rows(read_arp(ntc, command, text, None))


def test_comware_entries_are_learnt_on_the_vlan_interface_not_the_port() -> None:
    table = read_arp("hp_comware", "display arp", (CAPTURES / "hp_comware_display_arp.raw").read_text(), None)
    assert [e.interface for e in table] == ["M-GE0/0/0", "Vlan-interface1", "Vlan-interface1"]


def test_eos_sections_give_the_vrf_and_the_svi_before_the_port() -> None:
    table = read_arp("arista_eos", "show ip arp", (CAPTURES / "arista_eos_show_ip_arp1.raw").read_text(), None)
    assert [(ipv4_text(e.address), e.interface, e.vrf) for e in table] == [
        ("10.1.1.1", "Vlan1", "MGMT"),
        ("172.16.0.1", "Vlan101", "default"),
        ("172.16.0.2", "Vlan1000", "default"),
        ("172.16.0.3", "Ethernet1", "default"),
        ("10.10.1.1", "Vlan1", "default"),
    ]


def test_huawei_vpn_instance_column_and_the_two_macs_of_one_address() -> None:
    """The VRP8 capture shows 10.110.138.110 twice in VPN instance IuB_UP with two MACs (a real conflict)."""
    text = (CAPTURES / "huawei_vrpv8_display_arp_all.excerpt.raw").read_text()
    table = read_arp("huawei_vrp", "display arp", text, None)
    found = [(mac_text(e.mac), e.vrf) for e in table if ipv4_text(e.address) == "10.110.138.110"]
    assert found == [
        ("34:6e:9d:5e:0c:92", "IuB_UP"),
        ("90:55:ae:e1:93:4b", "IuB_UP"),
        ("a4:a1:c2:c0:d1:33", "LTE-S1X2"),
    ]


def test_output_the_template_refuses_is_read_by_the_tolerant_reader() -> None:
    """A timestamp banner and an entry with a flag make the NX-OS template stop with an error."""
    text = (
        "Time source is NTP, 10:01:07.123 CST Mon Nov 3 2026\n"
        "IP ARP Table for context default\n"
        "Total number of entries: 3\n"
        "Address         Age       MAC Address     Interface\n"
        "10.1.1.10       00:01:02  0050.56a0.0010  Vlan10\n"
        "10.1.1.11*      00:00:40  0050.56a0.0011  Vlan10\n"
        "10.1.1.12       00:00:13  INCOMPLETE      Vlan10\n"
    )
    table = read_arp("cisco_nxos", "show ip arp vrf all", text, None)
    assert [(ipv4_text(e.address), e.line) for e in table] == [("10.1.1.10", 5), ("10.1.1.11", 6)]


def test_incomplete_entries_and_the_unspecified_address_are_nobody() -> None:
    text = (
        "Protocol  Address          Age (min)  Hardware Addr   Type   Interface\n"
        "Internet  10.9.0.5                 0   Incomplete      ARPA\n"
        "Internet  0.0.0.0                  -   0000.0c07.ac01  ARPA   Vlan9\n"
        "Internet  10.9.0.6                 3   0050.56a0.0906  ARPA   Vlan9\n"
    )
    table = read_arp("cisco_ios", "show ip arp", text, None)
    assert [ipv4_text(e.address) for e in table] == ["10.9.0.6"]


def test_address_and_mac_spellings() -> None:
    assert ipv4_int("10.1.2.3") == 0x0A010203
    assert ipv4_int("10.1.2") is None
    assert ipv4_int("10.1.2.300") is None
    assert mac_int("0000.0c07.ac01") == mac_int("0000-0c07-ac01") == mac_int("00:00:0c:07:ac:01") == 0x00000C07AC01
    assert mac_int("Incomplete") is None
    assert mac_int("00:00:0c:07:ac") is None
    assert mac_text(0x00000C07AC01) == "00:00:0c:07:ac:01"


def test_a_table_costs_a_few_dozen_bytes_per_entry_besides_its_text() -> None:
    lines = ["Protocol  Address          Age (min)  Hardware Addr   Type   Interface"]
    lines += [
        f"Internet  10.{i // 65536}.{i // 256 % 256}.{i % 256}  5  0050.56a0.{i % 65536:04x}  ARPA  Vlan{i % 50}"
        for i in range(5000)
    ]
    table = read_arp("cisco_ios", "show ip arp", "\n".join(lines), None)
    assert len(table) == 5000
    arrays = (table.addresses, table.macs, table.interfaces, table.vrfs, table.lines, table.starts)
    per_entry = sum(sys.getsizeof(a) for a in arrays) / len(table)
    assert per_entry < 40
    assert len(table.names) == 51


def test_lab_devices_show_their_arp_tables() -> None:
    for platform, (_, filename) in COMMANDS.items():
        if platform == "cisco_xe":
            continue
        assert any((folder / filename).is_file() for folder in LAB.iterdir()), platform


def test_missing_arp_output_only_makes_the_arp_family_unavailable() -> None:
    platform = get_platform("cisco_ios")
    config = (FIXTURES / "platforms" / "cisco_ios" / "pass" / "show_running-config.txt").read_text()
    facts = platform.parse(Snapshot(host="r1", platform="cisco_ios", outputs={"show running-config": config}))
    assert facts.arp is None
    assert facts.unavailable[ARP] == "show ip arp: not in the snapshot"
    assert "config" not in facts.unavailable


def test_an_arp_table_the_device_refused_is_unavailable_with_the_reason(tmp_path: Path) -> None:
    platform = get_platform("hp_comware")
    config = (LAB / "hq-acc3" / "display_current-configuration.txt").read_text()
    outputs = {
        "display current-configuration": config,
        "display arp": "                 ^\n % Unrecognized command found at '^' position.\n",
    }
    facts = platform.parse(Snapshot(host="sw", platform="hp_comware", outputs=outputs))
    assert facts.arp is None
    assert "rejected by the device" in facts.unavailable[ARP]
