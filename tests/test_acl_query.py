"""``netcomply acl query``: can A reach B? On the bundled lab (offline and over SSH) and on every platform's switch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.checkapi import HostRecord
from scanner.model import HostInfo
from scanner.network.acl.model import build_from_records
from scanner.network.acl.query import packet, query
from scanner.network.acl.zones import read_zones
from scanner.platforms import get_platform
from tests.aclconfigs import COMMANDS, PLATFORMS, ZONES, Variant, config
from tests.conftest import LAB, run_cli
from tests.labhelpers import running_lab
from tests.scanhelpers import text_snapshot

CONFIG_LINE = {
    "plant-dist1": LAB / "snapshots" / "plant-dist1" / "display_current-configuration.txt",
}


def _line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.strip() == text:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def test_a_modbus_packet_from_the_plant_office_is_denied_by_the_rule_that_says_so() -> None:
    proc = run_cli("acl", "query", "--demo", "--from", "10.30.50.23", "--to", "10.20.30.5", "--proto", "tcp",
                   "--port", "502")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    rule = "rule 10 deny tcp source 10.30.50.0 0.0.0.127 destination 10.20.0.0 0.0.255.255 destination-port eq 502"
    number = _line_of(CONFIG_LINE["plant-dist1"], rule)
    assert "plant-dist1: routes it Vlan-interface50 -> Vlan-interface30: DENY" in proc.stdout
    assert f"{rule} (display current-configuration line {number})" in proc.stdout


def test_an_unlisted_port_passes_the_h3c_filter_by_its_default_and_the_output_says_so() -> None:
    proc = run_cli("acl", "query", "--demo", "--from", "10.30.50.23", "--to", "10.20.30.9", "--port", "3389")
    assert proc.returncode == 0, proc.stderr
    assert "PERMIT" in proc.stdout and "no line matches: H3C packet-filter" in proc.stdout


def test_json_output_names_device_interfaces_list_line_and_decision(tmp_path: Path) -> None:
    proc = run_cli("acl", "query", "--inventory", str(LAB), "--snapshots", str(LAB / "snapshots"), "--from",
                   "10.30.50.23", "--to", "10.20.30.10", "--port", "443", "--format", "json")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["packet"] == {
        "source": "10.30.50.23",
        "destination": "10.20.30.10",
        "protocol": 6,
        "port": 443,
        "source_port": None,
        "icmp_type": None,
    }
    (device,) = [d for d in document["devices"] if d["device"] == "plant-dist1"]
    assert (device["role"], device["ingress"], device["egress"], device["decision"]) == (
        "routes",
        "Vlan-interface50",
        "Vlan-interface30",
        "permit",
    )
    (stage,) = device["filters"]
    assert (stage["list"], stage["interface"], stage["direction"], stage["decision"]) == (
        "3050",
        "Vlan-interface50",
        "in",
        "permit",
    )
    assert stage["line"]["label"] == "5" and stage["line"]["source"] == "display current-configuration"
    assert stage["default"] is None


def test_the_srx_policy_decides_between_its_security_zones() -> None:
    mail = run_cli("acl", "query", "--demo", "--device", "hq-fw1", "--from", "198.51.100.3", "--to", "10.10.0.13",
                   "--port", "25")  # fmt: skip
    assert mail.returncode == 1 and "security policies from-zone untrust to-zone trust" in mail.stdout
    assert "policy DENY-ALL then deny" in mail.stdout
    web = run_cli("acl", "query", "--demo", "--device", "hq-fw1", "--from", "10.10.0.13", "--to", "198.51.100.3",
                  "--port", "443")  # fmt: skip
    assert web.returncode == 0 and "policy WEB then permit" in web.stdout


def test_a_packet_for_the_device_itself_meets_its_login_list() -> None:
    proc = run_cli("acl", "query", "--demo", "--device", "plant-dist1", "--from", "10.20.99.30", "--to",
                   "10.20.99.12", "--port", "22")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "the packet is for the device itself" in proc.stdout and "2002 (ssh server)" in proc.stdout
    outsider = run_cli("acl", "query", "--demo", "--device", "plant-dist1", "--from", "10.20.99.60", "--to",
                       "10.20.99.12", "--port", "22")  # fmt: skip
    assert outsider.returncode == 1 and "no line matches" in outsider.stdout and "refused" in outsider.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "10.0.0.1", "--to", "not-an-address"], "does not appear to be an IPv4 or IPv6 address"),
        (["--from", "10.0.0.1", "--to", "2001:db8::1"], "must both be IPv4 or both IPv6"),
        (["--from", "10.0.0.1", "--to", "10.0.0.2", "--proto", "bogus"], "unknown protocol"),
        (["--from", "10.0.0.1", "--to", "10.0.0.2", "--proto", "gre", "--port", "1"], "--port applies to"),
        (["--from", "10.0.0.1", "--to", "10.0.0.2", "--device", "nosuch"], "--device nosuch"),
    ],
)
def test_bad_queries_are_refused_with_the_reason(args: list[str], message: str) -> None:
    proc = run_cli("acl", "query", "--demo", *args)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def test_live_query_over_ssh_gives_the_offline_answer(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    shutil.copytree(LAB / "snapshots" / "plant-dist1", snapshots / "plant-dist1")
    args = ["--from", "10.30.50.23", "--to", "10.20.30.5", "--port", "502", "--format", "json"]
    offline = run_cli("acl", "query", "--inventory", str(LAB), "--snapshots", str(snapshots), *args)
    with running_lab(snapshots, tmp_path / "inventory", inventory=LAB):
        live = run_cli("acl", "query", "--inventory", str(tmp_path / "inventory"), "--live", *args)
    assert live.returncode == offline.returncode == 1, (live.stderr, offline.stderr)
    answer = json.loads(live.stdout)["devices"]
    assert answer == json.loads(offline.stdout)["devices"]
    assert answer[0]["filters"][0]["line"]["label"] == "10"


DECIDING = {
    # (line deciding office -> historian tcp/443, what decides tcp/502)
    "cisco_ios": ("permit tcp 10.30.30.0 0.0.0.255 host 10.20.10.5 eq 443", "deny   ip 10.30.0.0 0.0.255.255"),
    "cisco_xe": ("permit object-group HISTORIAN-WEB", "deny   ip 10.30.0.0 0.0.255.255"),
    "cisco_nxos": ("10 permit tcp 10.30.30.0/24 addrgroup HISTORIAN eq 443", "20 deny ip 10.30.0.0/16 10.20.0.0/16"),
    "arista_eos": ("10 permit tcp 10.30.30.0/24 host 10.20.10.5 eq https", "20 deny ip 10.30.0.0/16 10.20.0.0/16"),
    "huawei": ("rule 5 permit tcp source 10.30.30.0", "rule 100 deny ip source 10.30.0.0"),
    "hp_comware": ("rule 5 permit tcp source 10.30.30.0", "rule 100 deny ip source 10.30.0.0"),
    "juniper_junos": ("term HISTORIAN then accept", "term NO-PLANT then discard"),
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_decides_a_packet_by_its_own_lines(platform: str) -> None:
    snapshot = text_snapshot("plant-l3", COMMANDS[platform], config(platform, Variant(filters=True)), platform)
    facts = get_platform(platform).parse(snapshot)
    record = HostRecord(HostInfo("plant-l3"), platform, "plant-l3", interfaces=tuple(facts.interfaces),
                        access=facts.access)  # fmt: skip
    model = build_from_records([record], read_zones([("plant-l3", ZONES)]))
    allowed, blocked = DECIDING[platform]
    (web,) = query(model, packet("10.30.30.7", "10.20.10.5", "tcp", 443))
    assert web.action == "permit" and web.decisions[0].line is not None
    assert allowed in web.decisions[0].line.text
    (modbus,) = query(model, packet("10.30.30.7", "10.20.10.5", "tcp", 502))
    assert modbus.action == "deny" and modbus.decisions[0].line is not None
    assert blocked in modbus.decisions[0].line.text
    # The reply direction: a new connection from the historian into the office is refused.
    (back,) = query(model, packet("10.20.10.5", "10.30.30.7", "tcp", 3389))
    assert back.action == "deny"


def test_an_snmp_query_shows_the_community_list_never_the_community() -> None:
    community = "N3tC0mply2026ro"
    assert community in (LAB / "snapshots" / "hq-core1" / "show_running-config.txt").read_text()
    for fmt in ("text", "json"):
        proc = run_cli("acl", "query", "--demo", "--device", "hq-core1", "--from", "10.10.99.25", "--to",
                       "10.10.99.2", "--proto", "udp", "--port", "161", "--format", fmt)  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert "ACL-SNMP-RO" in proc.stdout
        assert community not in proc.stdout + proc.stderr


def test_a_query_on_a_configuration_cut_short_says_it_rests_on_the_part_read(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    shutil.copytree(LAB / "snapshots" / "plant-dist1", snapshots / "plant-dist1")
    path = snapshots / "plant-dist1" / "display_current-configuration.txt"
    text = path.read_text()
    path.write_text(text[: text.rindex("\nreturn")] + "\n")
    args = ["--from", "10.30.50.23", "--to", "10.20.30.5", "--port", "502", "--format", "json"]
    proc = run_cli("acl", "query", "--inventory", str(LAB), "--snapshots", str(snapshots), *args)
    assert proc.returncode == 1, proc.stderr
    (answer,) = json.loads(proc.stdout)["devices"]
    assert answer["device"] == "plant-dist1"
    assert "not recognisably whole" in answer["note"] and "the part read only" in answer["note"]
