"""The IP address checks on a multi-vendor network (tests/ipamnet.py) and the bundled lab, with and without records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks import get_check
from checks.frameworks import clauses_by_check
from scanner.engine import ScanOptions, run_scan
from scanner.model import Finding, ScanResult, Severity, Status
from scanner.network.ipam.model import ATTACHMENT, ATTACHMENT_ERROR
from scanner.network.ipam.table import records_from_rows
from scanner.policy import Policy
from tests.conftest import FIXTURES, run_cli
from tests.ipamnet import DEVICES, TABLE_ROWS, host_inputs

RECORD_CHECKS = ("ipam.unrecorded_address", "ipam.unrecorded_host", "ipam.outside_plan", "ipam.stale_record")
POLICY = """
ipam:
  zone_aliases: {生产控制大区: production-control, 管理信息大区: management}
"""


def _scan(
    attachments: dict[str, object] | None = None,
    without_arp: frozenset[str] = frozenset(),
    policy: str = POLICY,
) -> ScanResult:
    options = ScanOptions(
        policy=Policy.from_text(policy, "test policy"),
        clauses=clauses_by_check(),
        network_attachments=dict(attachments or {}),
    )
    return run_scan(host_inputs(without_arp), options)


def _with_table(**kwargs: object) -> ScanResult:
    records = records_from_rows("plant.csv", TABLE_ROWS)
    return _scan({ATTACHMENT: records}, **kwargs)  # type: ignore[arg-type]


def _findings(result: ScanResult, check: str) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.check == check:
            found.setdefault(finding.host, []).append(finding)
    return found


def _statuses(result: ScanResult, check: str) -> dict[str, list[str]]:
    return {host: sorted(f.status.value for f in items) for host, items in _findings(result, check).items()}


# ---- duplicates: no records needed ----------------------------------------------------------


def test_duplicates_configured_twice_gateway_taken_and_two_macs() -> None:
    result = _scan()
    found = _findings(result, "ipam.duplicate_address")
    assert _statuses(result, "ipam.duplicate_address") == {
        "r1": ["fail", "fail", "fail"],
        "r2": ["fail"],
        "sw1": ["pass"],
        "sw2": ["fail"],
        "fw": ["pass"],
        "leaf": ["fail"],
    }
    messages = {f.message for f in found["r1"]}
    assert "10.0.0.1 is configured on GigabitEthernet0/1 and on sw2 GigabitEthernet1/0/48" in messages
    assert "10.20.0.1 is configured on Vlan20 and on leaf Vlan20" in messages
    assert "10.20.0.50 answers from 2 MAC addresses: 3c:52:82:01:00:50, f0:de:f1:c9:00:50 (ARP of r1, r2)" in messages
    (leaf,) = found["leaf"]
    assert leaf.message == "10.20.0.1 is configured on Vlan20 and on r1 Vlan20 (hsrp 20)"
    assert [e.text.strip() for e in leaf.evidence] == ["ip address 10.20.0.1/24", "standby 20 ip 10.20.0.1"]
    (sw2,) = found["sw2"]
    assert [(e.source, e.text.strip()) for e in sw2.evidence] == [
        ("display current-configuration", "ip address 10.0.0.1 255.255.255.252"),
        ("show running-config", "ip address 10.0.0.1 255.255.255.252"),
    ]
    conflict = next(f for f in found["r2"])
    assert [(e.source, e.line) for e in conflict.evidence] == [("show ip arp vrf all", 12), ("show ip arp", 7)]


def test_shared_gateways_shut_interfaces_and_other_vrfs_are_not_duplicates() -> None:
    messages = " ".join(f.message for f in _scan().findings if f.check == "ipam.duplicate_address")
    assert "10.40.0.1" not in messages  # VRRP owner (sw1) and backup (sw2)
    assert "10.30.0.2" not in messages  # r1's Vlan30 is shut down
    assert "192.0.2.1" not in messages  # vrf OOB on r1, vrf management on r2
    assert "10.20.0.51" not in messages  # seen by r1 and r2 with the same MAC


def test_declared_anycast_addresses_are_not_duplicates() -> None:
    policy = POLICY + '  shared_addresses: ["10.0.0.1"]\n'
    statuses = _statuses(_scan(policy=policy), "ipam.duplicate_address")
    assert statuses["sw2"] == ["pass"]


def test_without_records_the_other_checks_are_not_assessed() -> None:
    result = _scan()
    for check in RECORD_CHECKS:
        spec = get_check(check)
        for finding in result.findings:
            if finding.check == check:
                assert finding.status is Status.NOT_APPLICABLE
                assert finding.message.startswith("no IP records were given")
                assert finding.message.endswith("so this was not assessed")
                assert not spec.assessed(finding.status, "no_records")


# ---- with the plant's allocation table --------------------------------------------------------


def test_unrecorded_addresses_and_addresses_recorded_for_another_device() -> None:
    result = _with_table()
    assert _statuses(result, "ipam.unrecorded_address") == {
        "r1": ["fail"],
        "r2": ["fail"],
        "sw1": ["pass"],
        "sw2": ["fail", "fail"],
        "fw": ["pass"],
        "leaf": ["pass"],
    }
    found = _findings(result, "ipam.unrecorded_address")
    assert (
        found["r1"][0].message
        == "1 interface address(es) not in the IP records (plant.csv): 192.0.2.1/30 (GigabitEthernet0/0)"
    )
    elsewhere = sorted(f.message for f in found["sw2"])
    assert elsewhere == [
        "10.0.0.1 (GigabitEthernet1/0/48) is recorded for r1 (plant.csv row 9)",
        "10.40.0.2 (Vlan-interface40) is recorded for sw1 (plant.csv row 18)",
    ]
    assert found["sw2"][0].evidence[1].source == "plant.csv"


def test_unrecorded_hosts_in_arp_tables_pools_count_as_recorded() -> None:
    result = _with_table()
    assert _statuses(result, "ipam.unrecorded_host") == {
        "r1": ["fail"],
        "r2": ["fail"],
        "sw1": ["fail"],
        "sw2": ["pass"],
        "fw": ["pass"],
        "leaf": ["pass"],
    }
    found = _findings(result, "ipam.unrecorded_host")
    assert found["r1"][0].message == (
        "2 host(s) in the ARP table not in the IP records (plant.csv): "
        "10.0.0.2 (38:91:d5:e2:00:48, GigabitEthernet0/1), 10.20.0.52 (3c:52:82:01:00:52, Vlan20)"
    )
    assert [e.line for e in found["r1"][0].evidence] == [3, 9]
    assert found["r2"][0].message.endswith("192.0.2.2 (00:50:56:a0:02:02, mgmt0)")
    # 10.40.0.150 is in the DHCP pool 10.40.0.128/25; 10.40.0.20 was judged on sw1, where it was seen first.
    assert found["sw2"][0].message == "the 1 host(s) of this ARP table are in the IP records (plant.csv)"


def test_outside_the_plan_and_in_another_zones_prefix() -> None:
    result = _with_table()
    assert _statuses(result, "ipam.outside_plan") == {
        "r1": ["fail"],
        "r2": ["fail"],
        "sw1": ["fail"],
        "sw2": ["pass"],
        "fw": ["pass"],
        "leaf": ["fail", "fail"],
    }
    found = _findings(result, "ipam.outside_plan")
    assert found["sw1"][0].message == "1 subnet(s) or address(es) outside every planned prefix: 10.30.0.0/24 (Vlanif30)"
    assert sorted(f.message for f in found["leaf"]) == [
        "10.0.0.4/30 (Ethernet49/1) lies in 10.0.0.0/24, planned for zone 生产控制大区 (plant.csv row 3); "
        "this device is in zone management",
        "10.20.0.0/24 (Vlan20) lies in 10.20.0.0/24, planned for zone 生产控制大区 (plant.csv row 4); "
        "this device is in zone management",
    ]


def test_a_firewall_joins_zones_by_design() -> None:
    """fw's 10.50.0.0/24 is planned for 管理信息大区 while fw sits in production-control: no finding."""
    fw = _findings(_with_table(), "ipam.outside_plan")["fw"]
    assert [f.status for f in fw] == [Status.PASS]


def test_without_zone_aliases_the_chinese_zone_names_do_not_match() -> None:
    records = records_from_rows("plant.csv", TABLE_ROWS)
    result = _scan({ATTACHMENT: records}, policy="")
    assert Status.FAIL in {f.status for f in _findings(result, "ipam.outside_plan")["sw2"]}


def test_stale_records_are_filed_on_the_device_whose_subnet_holds_them() -> None:
    result = _with_table()
    statuses = _statuses(result, "ipam.stale_record")
    assert statuses == {
        "r1": ["pass"],
        "r2": ["pass"],
        "sw1": ["fail"],
        "sw2": ["pass"],
        "fw": ["pass"],
        "leaf": ["pass"],
    }
    (stale,) = _findings(result, "ipam.stale_record")["sw1"]
    assert stale.severity is Severity.INFO
    assert stale.message.endswith("10.40.0.99 (RTU-99)")
    assert stale.evidence[0].line == 20
    # 10.99.0.5 lies in no scanned subnet: nothing could have shown it, so it is not judged.
    assert "10.99.0.5" not in " ".join(f.message for f in result.findings)


def test_a_device_without_arp_table_is_not_assessed_and_its_subnets_judged_by_its_neighbour() -> None:
    result = _with_table(without_arp=frozenset({"sw1"}))
    host = _findings(result, "ipam.unrecorded_host")["sw1"][0]
    assert host.status is Status.NOT_APPLICABLE
    assert host.message == "no ARP table (display arp: not in the snapshot), so its hosts were not assessed"
    assert not get_check("ipam.unrecorded_host").assessed(host.status, "no_arp")
    assert _statuses(result, "ipam.stale_record")["sw2"] == ["fail"]

    # Nothing else about sw1 becomes an error because its ARP table is missing.
    def errors(scanned: ScanResult) -> set[str]:
        return {f.check for f in scanned.findings if f.host == "sw1" and f.status is Status.ERROR}

    assert errors(result) == errors(_with_table())


def test_a_configuration_cut_short_gives_no_pass_and_qualifies_what_rests_on_it() -> None:
    # leaf's configuration stops before EOS's closing `end`: its missing lines may hold any address.
    platform, config, arp, data = DEVICES["leaf"]
    cut = config.removesuffix("!\nend\n")
    assert cut != config
    devices = {**DEVICES, "leaf": (platform, cut, arp, data)}
    options = ScanOptions(
        policy=Policy.from_text(POLICY, "test policy"),
        clauses=clauses_by_check(),
        network_attachments={ATTACHMENT: records_from_rows("plant.csv", TABLE_ROWS)},
    )
    result = run_scan(host_inputs(devices=devices), options)
    # Its recorded addresses no longer make a pass; what it shows stays a failure with its line.
    (unrecorded,) = _findings(result, "ipam.unrecorded_address")["leaf"]
    assert unrecorded.status is Status.ERROR
    assert "not recognisably whole" in unrecorded.message
    duplicate = _findings(result, "ipam.duplicate_address")["leaf"]
    assert [f.status for f in duplicate] == [Status.FAIL]
    assert duplicate[0].evidence[0].text.strip() == "ip address 10.20.0.1/24"
    # Other devices' passes say which configuration they could not compare with.
    (fw,) = _findings(result, "ipam.duplicate_address")["fw"]
    assert fw.status is Status.PASS
    assert fw.message.endswith(
        "1 other device(s) have no whole configuration (leaf), whose missing lines were not compared"
    )
    # sw1's stale record could be configured in leaf's missing lines: not assessed, not a finding.
    (stale,) = _findings(result, "ipam.stale_record")["sw1"]
    assert stale.status is Status.NOT_APPLICABLE
    assert "10.40.0.99 (RTU-99)" in stale.message
    assert not get_check("ipam.stale_record").assessed(stale.status, "unsure")
    # With every configuration whole, the same network gives neither.
    whole = _with_table()
    assert _statuses(whole, "ipam.unrecorded_address")["leaf"] == ["pass"]
    assert _statuses(whole, "ipam.stale_record")["sw1"] == ["fail"]
    assert "whole" not in _findings(whole, "ipam.duplicate_address")["fw"][0].message


def test_a_device_whose_configuration_was_not_read_is_judged_from_its_arp_table_only() -> None:
    platform, _config, arp, data = DEVICES["sw1"]
    options = ScanOptions(
        policy=Policy.from_text(POLICY, "test policy"),
        clauses=clauses_by_check(),
        network_attachments={ATTACHMENT: records_from_rows("plant.csv", TABLE_ROWS)},
    )
    result = run_scan(host_inputs(devices={**DEVICES, "sw1": (platform, "", arp, data)}), options)
    for check in ("ipam.duplicate_address", "ipam.unrecorded_address", "ipam.stale_record"):
        (finding,) = _findings(result, check)["sw1"]
        assert finding.status is Status.ERROR
        assert "no configuration was read: display current-configuration: empty output" in finding.message
    # Its ARP table still shows a host nobody recorded, with the line.
    (host,) = _findings(result, "ipam.unrecorded_host")["sw1"]
    assert host.status is Status.FAIL
    assert host.evidence[0].source == "display arp"
    assert "(sw1)" in _findings(result, "ipam.duplicate_address")["fw"][0].message


def test_a_gateway_recorded_as_shared_still_collides_with_an_owner_outside_its_group() -> None:
    # The table records 10.20.0.1 as the HSRP gateway of r1/r2; leaf owning it is still a duplicate.
    found = _findings(_with_table(), "ipam.duplicate_address")
    assert [f.message for f in found["leaf"]] == ["10.20.0.1 is configured on Vlan20 and on r1 Vlan20 (hsrp 20)"]


def test_records_that_could_not_be_read_are_an_error_but_duplicates_are_still_judged() -> None:
    result = _scan({ATTACHMENT_ERROR: "allocation table plant.csv: row 7, column 1 (IP地址): 'x' is not an IP address"})
    for check in RECORD_CHECKS:
        for finding in _findings(result, check).values():
            assert [f.status for f in finding] == [Status.ERROR]
            assert "row 7, column 1" in finding[0].message
    assert _statuses(result, "ipam.duplicate_address")["fw"] == ["pass"]
    assert result.summary.exit_code != 0


def test_records_without_prefix_rows_leave_the_plan_not_assessed() -> None:
    rows = TABLE_ROWS[:2] + [r for r in TABLE_ROWS[2:] if not r[1]]
    result = _scan({ATTACHMENT: records_from_rows("plant.csv", rows)})
    for items in _findings(result, "ipam.outside_plan").values():
        assert [f.status for f in items] == [Status.NOT_APPLICABLE]
        assert items[0].message == (
            "the IP records have no planned prefix (plant.csv has no prefix rows), so the plan was not assessed"
        )


# ---- the bundled lab, through the CLI ----------------------------------------------------------


def _lab_scan(tmp_path: Path, *args: str) -> tuple[int, dict[tuple[str, str], list[dict[str, object]]], dict]:  # type: ignore[type-arg]
    out = tmp_path / "scan.json"
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    proc = run_cli("scan", "--demo", "-p", str(policy), "-f", "json", "-o", str(out), *args)
    document = json.loads(out.read_text())
    found: dict[tuple[str, str], list[dict[str, object]]] = {}
    for finding in document["findings"]:
        if finding["check"].startswith("ipam."):
            found.setdefault((finding["check"], finding["host"]), []).append(finding)
    return proc.returncode, found, document


def test_the_lab_against_its_allocation_table(tmp_path: Path) -> None:
    code, found, document = _lab_scan(tmp_path, "--ipam", str(FIXTURES / "ipam" / "lab_allocation_table.csv"))
    assert code == 1
    failed = sorted(key for key, items in found.items() if any(f["status"] == "fail" for f in items))
    assert failed == [
        ("ipam.duplicate_address", "dc-leaf1"),
        ("ipam.duplicate_address", "dc-leaf2"),
        ("ipam.outside_plan", "hq-dist1"),
        ("ipam.outside_plan", "hq-edge1"),
        ("ipam.outside_plan", "plant-dist1"),
        ("ipam.outside_plan", "plant-rtr1"),
        ("ipam.stale_record", "hq-dist1"),
        ("ipam.unrecorded_address", "hq-acc3"),
        ("ipam.unrecorded_host", "hq-dist1"),
    ]
    assert not [key for key, items in found.items() if any(f["status"] == "error" for f in items)]
    rogue = found[("ipam.unrecorded_host", "hq-dist1")][0]
    assert "10.10.20.77 (f0:de:f1:c9:00:77, Vlan20)" in rogue["message"]
    assert rogue["evidence"][0]["source"] == "show ip arp vrf all"
    assert rogue["evidence"][0]["path"].endswith("hq-dist1/show_ip_arp_vrf_all.txt")
    assert document["run"]["inputs"]["ipam"].endswith("9 planned prefix(es), 83 recorded address(es), 1 pool(s)")


def test_a_bad_table_on_the_command_line_is_an_error_for_the_ipam_checks_only(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("IP地址,设备名称\n10.10.99.300,core\n", encoding="utf-8")
    code, found, document = _lab_scan(tmp_path, "--ipam", str(table))
    assert code != 0
    unrecorded = found[("ipam.unrecorded_address", "hq-core1")][0]
    assert unrecorded["status"] == "error"
    assert f"{table}: row 2, column 1 (IP地址): '10.10.99.300' is not an IP address" in str(unrecorded["message"])
    assert found[("ipam.duplicate_address", "dc-leaf1")][0]["status"] == "fail"
    other_errors = [f for f in document["findings"] if f["status"] == "error" and not f["check"].startswith("ipam.")]
    assert other_errors == []


@pytest.mark.parametrize("where", ["policy", "relative"])
def test_the_table_named_in_the_policy(tmp_path: Path, where: str) -> None:
    source = FIXTURES / "ipam" / "lab_allocation_table.csv"
    policy = tmp_path / "conf" / "policy.yaml"
    policy.parent.mkdir()
    if where == "relative":
        (policy.parent / "ip.csv").write_bytes(source.read_bytes())
        table = "ip.csv"
    else:
        table = str(source)
    policy.write_text(POLICY + f"  table: {table}\n", encoding="utf-8")
    out = tmp_path / "scan.json"
    proc = run_cli("scan", "--demo", "-p", str(policy), "-f", "json", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    document = json.loads(out.read_text())
    host = next(f for f in document["findings"] if f["check"] == "ipam.unrecorded_host" and f["host"] == "hq-dist1")
    assert host["status"] == "fail"


def test_the_audit_form_item_5_2_4_with_the_lab_table() -> None:
    """With records, the form judges 5.2.4 from the checks; only the IP management system stays by hand."""
    from reports._audit import audit_rows
    from scanner.hostsource import offline_inputs
    from scanner.inventory import load_inventory
    from scanner.network.ipam.table import read_table
    from tests.conftest import LAB

    options = ScanOptions(
        policy=Policy.from_text(POLICY, "test policy"),
        clauses=clauses_by_check(),
        network_attachments={ATTACHMENT: read_table(FIXTURES / "ipam" / "lab_allocation_table.csv")},
    )
    result = run_scan(offline_inputs(LAB / "snapshots", load_inventory(LAB)), options)
    rows = [r for r in audit_rows(result, "zh") if r.id == "5.2.4"]
    assert [r.part for r in rows] == ["checks", "by_hand"]
    checks, by_hand = rows
    assert checks.conclusion == "partial"
    assert checks.assessed == 15
    assert any(line.startswith("网络中发现的主机地址均已登记（ipam.unrecorded_host）") for line in checks.found)
    assert by_hand.criterion.startswith("IP地址管理系统")
