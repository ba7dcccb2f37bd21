"""The ACL checks on a whole L3-switch configuration of every platform (tests/aclconfigs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.model import Finding, Status
from scanner.platforms import get_platform
from tests.aclconfigs import COMMANDS, PLATFORMS, ZONES, Variant, config
from tests.scanhelpers import scan, text_snapshot
from tests.verdicthelpers import facts, ios, line_of

# How each platform writes the lines the tests look for.
PERMIT_ANY = {
    "cisco_ios": "permit ip any any",
    "cisco_xe": "permit ip any any",
    "cisco_nxos": "50 permit ip any any",
    "arista_eos": "50 permit ip any any",
    "huawei": "rule 25 permit ip",
    "hp_comware": "rule 25 permit ip",
    "juniper_junos": "term REST then accept",
}
SHADOWED = {
    "cisco_ios": "permit tcp 10.99.0.0 0.0.0.255 any eq 443",
    "cisco_xe": "permit tcp 10.99.0.0 0.0.0.255 any eq 443",
    "cisco_nxos": "40 permit tcp 10.99.0.0/24 any eq 443",
    "arista_eos": "40 permit tcp 10.99.0.0/24 any eq https",
    "huawei": "rule 20 permit tcp source 10.99.0.0 0.0.0.255 destination-port eq 443",
    "hp_comware": "rule 20 permit tcp source 10.99.0.0 0.0.0.255 destination-port eq 443",
    "juniper_junos": "term WEB-ADMIN then accept",
}
UNDEFINED = {
    "cisco_ios": "UPLINK-IN",
    "cisco_xe": "UPLINK-IN",
    "cisco_nxos": "UPLINK-IN",
    "arista_eos": "UPLINK-IN",
    "huawei": "3999",
    "hp_comware": "3999",
    "juniper_junos": "UPLINK-IN",
}
# A line of the fix that binds a new list to the office or historian interface.
BINDING = {
    "cisco_ios": " ip access-group Z-",
    "cisco_xe": " ip access-group Z-",
    "cisco_nxos": " ip access-group Z-",
    "arista_eos": " ip access-group Z-",
    "huawei": " traffic-filter inbound acl name Z-",
    "hp_comware": " packet-filter name Z-",
    "juniper_junos": "family inet filter input Z-",
}


def findings(platform: str, text: str, zones: dict | None = None) -> dict[str, list[Finding]]:
    snapshot = text_snapshot("plant-l3", COMMANDS[platform], text, platform)
    data = {"role": "distribution", "zones": ZONES if zones is None else zones}
    result = scan(snapshot, data, platform=platform)
    found: dict[str, list[Finding]] = {}
    for finding in result.findings:
        found.setdefault(finding.check, []).append(finding)
    return found


def failed(found: dict[str, list[Finding]], check: str) -> list[Finding]:
    return [f for f in found[check] if f.status is Status.FAIL]


def texts(finding: Finding) -> list[str]:
    return [e.text.strip() for e in finding.evidence]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_switch_with_faults_fails_each_acl_check_with_the_offending_lines(platform: str) -> None:
    found = findings(platform, config(platform, Variant(faults=True)))

    permit_any = failed(found, "acl.permit_any")
    assert len(permit_any) == 1, found["acl.permit_any"]
    assert PERMIT_ANY[platform] in texts(permit_any[0])[0]
    assert permit_any[0].remediation, "the fix removes the line in the vendor's syntax"

    shadowed = failed(found, "acl.shadowed_rule")
    assert len(shadowed) == 1, found["acl.shadowed_rule"]
    shown = texts(shadowed[0])
    assert SHADOWED[platform] in shown[0]
    # Covered by the two /25 halves together: both are cited, the /24 line alone is not enough.
    assert len(shown) == 3, shown
    if platform == "juniper_junos":
        assert "term WEB-LOW" in shown[1] and "term WEB-HIGH" in shown[2]
    else:
        assert "10.99.0.0" in shown[1] and ("0.0.0.127" in shown[1] or "/25" in shown[1])
        assert "10.99.0.128" in shown[2]
    assert "(the same action: redundant)" in shadowed[0].message

    undefined = failed(found, "acl.undefined_reference")
    assert len(undefined) == 1 and UNDEFINED[platform] in undefined[0].message
    assert undefined[0].evidence and UNDEFINED[platform] in undefined[0].evidence[0].text

    zone = failed(found, "zone.inter_zone_filter")
    assert len(zone) == 1, found["zone.inter_zone_filter"]
    assert "production-control" in zone[0].message and "office" in zone[0].message
    assert "no access list either way" in zone[0].message
    assert any("10.20.10.1" in t for t in texts(zone[0])) and any("10.30.30.1" in t for t in texts(zone[0]))
    assert any(line.startswith(BINDING[platform]) or BINDING[platform] in line for line in zone[0].remediation)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_same_switch_filtered_with_a_default_deny_passes(platform: str) -> None:
    found = findings(platform, config(platform, Variant(filters=True)))
    for check in ("acl.permit_any", "acl.shadowed_rule", "acl.undefined_reference", "zone.inter_zone_filter"):
        statuses = [f.status for f in found[check]]
        assert statuses == [Status.PASS], (check, [f.message for f in found[check]])
    assert "filtered with a default deny" in found["zone.inter_zone_filter"][0].message


@pytest.mark.parametrize("platform", ["huawei", "hp_comware"])
def test_huawei_and_h3c_filters_without_a_final_deny_let_the_rest_through(platform: str) -> None:
    found = findings(platform, config(platform, Variant(filters=True, final_deny=False)))
    zone = failed(found, "zone.inter_zone_filter")
    assert len(zone) == 1
    word = "traffic-filter" if platform == "huawei" else "packet-filter"
    assert "what no rule matches passes" in zone[0].message and word in zone[0].message
    # The fix adds the final deny to the list already bound, in the vendor's syntax.
    fix = zone[0].remediation
    assert any(line.startswith("acl ") and "30" in line for line in fix)
    assert " rule deny ip source 10.30.0.0 0.0.255.255 destination 10.20.0.0 0.0.255.255" in fix


def test_h3c_packet_filter_default_deny_is_a_default_deny() -> None:
    text = config("hp_comware", Variant(filters=True, final_deny=False)).replace(
        "#\nvlan batch", "#\n packet-filter default deny\n#\nvlan batch"
    )
    found = findings("hp_comware", text)
    assert [f.status for f in found["zone.inter_zone_filter"]] == [Status.PASS]
    assert "packet-filter default deny" in found["zone.inter_zone_filter"][0].message


@pytest.mark.parametrize("platform", ["cisco_ios", "arista_eos"])
def test_a_switch_that_does_not_route_passes_with_the_line_that_says_so(platform: str) -> None:
    found = findings(platform, config(platform, Variant(routing=False)))
    zone = found["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.PASS]
    assert "does not route" in zone[0].message and "no ip routing" in zone[0].message
    assert [e.text for e in zone[0].evidence] == ["no ip routing"]


def test_eos_without_ip_routing_does_not_route_by_default() -> None:
    text = config("arista_eos", Variant()).replace("ip routing\n", "")
    zone = findings("arista_eos", text)["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.PASS]
    assert "EOS default" in zone[0].message and not zone[0].evidence


def test_an_acl_bound_only_outbound_on_the_office_side_leaves_the_office_unfiltered() -> None:
    # A careless fix: the list stands on Vlan30 but outbound, so office traffic enters unfiltered.
    text = (
        config("cisco_ios", Variant(filters=True))
        .replace(" ip access-group OFFICE-TO-PC in", " ip access-group OFFICE-TO-PC out")
        .replace(" ip access-group PC-TO-OFFICE in", "")
    )
    zone = failed(findings("cisco_ios", text), "zone.inter_zone_filter")
    assert len(zone) == 1 and "office -> production-control" in zone[0].message


def test_a_list_that_denies_other_traffic_and_ends_in_permit_any_is_no_default_deny() -> None:
    text = (
        config("cisco_ios", Variant(filters=True))
        .replace(
            " deny   ip 10.30.0.0 0.0.255.255 10.20.0.0 0.0.255.255 log\n permit ip 10.30.0.0 0.0.255.255 any",
            " deny   tcp 10.30.0.0 0.0.255.255 10.20.0.0 0.0.255.255 eq telnet\n permit ip any any",
        )
        .replace(" ip access-group PC-TO-OFFICE in", "")
    )
    zone = failed(findings("cisco_ios", text), "zone.inter_zone_filter")
    assert len(zone) == 1
    assert "permits the rest" in zone[0].message and "permit ip any any" in zone[0].message
    assert " no permit ip any any" in zone[0].remediation, "the fix removes the catch-all from the list"


def test_a_list_that_permits_all_between_the_zones_fails_as_such() -> None:
    text = config("cisco_ios", Variant(filters=True)).replace(
        " permit tcp 10.30.30.0 0.0.0.255 host 10.20.10.5 eq 443",
        " permit ip 10.30.0.0 0.0.255.255 10.20.0.0 0.0.255.255",
    )
    zone = failed(findings("cisco_ios", text), "zone.inter_zone_filter")
    assert len(zone) == 1 and "every packet passes" in zone[0].message


def test_interfaces_of_two_zones_in_different_vrfs_do_not_route_to_each_other() -> None:
    text = config("cisco_ios", Variant()).replace(
        " description office\n", " description office\n vrf forwarding OFFICE\n"
    )
    zone = findings("cisco_ios", text)["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.PASS] and "different VRFs" in zone[0].message


def test_without_declared_zones_the_check_says_where_to_declare_them() -> None:
    zone = findings("cisco_ios", config("cisco_ios", Variant()), zones={})["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.NOT_APPLICABLE]
    assert "data.zones" in zone[0].message


def test_overlapping_zone_declarations_are_refused_with_the_reason() -> None:
    bad = {"office": ["10.30.0.0/16"], "plant": ["10.30.0.0/16"]}
    zone = findings("cisco_ios", config("cisco_ios", Variant()), zones=bad)["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.ERROR]
    assert "10.30.0.0/16" in zone[0].message and "office" in zone[0].message and "plant" in zone[0].message


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_renders_every_acl_fix(platform: str) -> None:
    target = get_platform(platform)
    for key, params in (
        (
            "acl_define",
            {"name": "3999" if platform in ("huawei", "hp_comware") else "UPLINK-IN", "context": "interface"},
        ),
        ("acl_rule_placeholder", {"name": "MGMT-IN"}),
        (
            "zone_filter",
            {
                "name": "Z-OFFICE-TO-PLANT",
                "interface": "irb.30" if platform == "juniper_junos" else "Vlan30",
                "direction": "in",
                "sources": ["10.30.0.0/16"],
                "destinations": ["10.20.0.0/16"],
                "source_zone": "office",
                "destination_zone": "plant",
            },
        ),
    ):
        lines = target.fix(key, **params)
        assert lines and all(line.strip() for line in lines), (platform, key)
    zone_lines = target.fix("zone_filter", **params)
    assert any("10.30.0.0" in line for line in zone_lines) and any("10.20.0.0" in line for line in zone_lines)


def test_lab_snapshot_directory_has_the_zone_crossing_device() -> None:
    from tests.conftest import LAB

    assert (LAB / "snapshots" / "plant-dist1" / "display_current-configuration.txt").is_file()
    assert Path(LAB / "defaults.yaml").read_text().count("zones:") == 1


# The statement each platform prints last (NX-OS: its `line vty` section), cut off to make a part.
LAST_STATEMENT = {
    "cisco_ios": "\nend",
    "cisco_xe": "\nend",
    "cisco_nxos": "\nline vty",
    "arista_eos": "\nend",
    "huawei": "\nreturn",
    "hp_comware": "\nreturn",
}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_test_configuration_is_whole_as_the_device_prints_it(platform: str) -> None:
    """The verdicts above are full ones only because each builder prints a whole configuration."""
    for variant in (Variant(), Variant(faults=True), Variant(filters=True), Variant(filters=True, final_deny=False)):
        snapshot = text_snapshot("plant-l3", COMMANDS[platform], config(platform, variant), platform)
        assert get_platform(platform).parse(snapshot).config_incomplete is None, variant


@pytest.mark.parametrize("platform", sorted(LAST_STATEMENT))
def test_a_configuration_cut_short_keeps_the_faults_its_lines_show_and_judges_nothing_it_may_lack(
    platform: str,
) -> None:
    whole = config(platform, Variant(faults=True))
    cut = whole[: whole.rindex(LAST_STATEMENT[platform])] + "\n"
    found = findings(platform, cut)

    # A permit-any line and a shadowed line are there: more configuration cannot remove them.
    assert len(failed(found, "acl.permit_any")) == 1, found["acl.permit_any"]
    assert len(failed(found, "acl.shadowed_rule")) == 1, found["acl.shadowed_rule"]
    # The undefined list may be defined in the part that is missing: no failure, no pass.
    undefined = found["acl.undefined_reference"]
    assert [f.status for f in undefined] == [Status.ERROR], undefined
    assert UNDEFINED[platform] in undefined[0].message and "not recognisably whole" in undefined[0].message
    assert undefined[0].evidence, "the reference it could not judge is shown"
    # No filter between the zones is an absence: it could be in the missing part.
    zone = found["zone.inter_zone_filter"]
    assert [f.status for f in zone] == [Status.ERROR], zone
    assert "not recognisably whole" in zone[0].message


def test_a_filtered_configuration_cut_short_gives_no_zone_pass() -> None:
    whole = config("huawei", Variant(filters=True))
    found = findings("huawei", whole[: whole.rindex("\nreturn")] + "\n")
    assert [f.status for f in found["zone.inter_zone_filter"]] == [Status.ERROR]
    assert Status.PASS not in {f.status for f in found["acl.undefined_reference"]}


def test_an_ios_zone_based_firewall_is_named_as_filtering_not_analysed() -> None:
    """zone-member security on an interface: its zone-pair policies are not modelled, so the reader
    says so with the interface's line (never a silent 'no filter'); without one, nothing is said."""
    config = ios(
        "zone security INSIDE\n!\nzone security OUTSIDE\n!\n"
        "interface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n zone-member security INSIDE\n!\n"
        "interface GigabitEthernet0/1\n ip address 192.0.2.1 255.255.255.0\n zone-member security OUTSIDE\n!\n"
    )
    access = facts("cisco_ios", config).access
    assert access is not None
    assert [(u.interface, u.evidence.line) for u in access.unmodelled] == [
        ("GigabitEthernet0/0", line_of(config, " zone-member security INSIDE")),
        ("GigabitEthernet0/1", line_of(config, " zone-member security OUTSIDE")),
    ]
    assert all("zone-pair policies are not analysed" in u.what for u in access.unmodelled)
    plain = facts("cisco_ios", ios("interface GigabitEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n!\n")).access
    assert plain is not None and plain.unmodelled == []
