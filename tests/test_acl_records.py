"""A host's access facts in its record: they survive pickling, and the record keeps what filters.

Every host record is pickled into the scan's packed record list (scanner/packedlist.py) and
decoded by each network check, and worker processes send records back pickled: the ACL
types pickle as their field values (no dataclass state per object), so a round trip must
give back equal facts, evidence of every line included. A record keeps only the lists a
filtering use reaches (AccessFacts.for_network); the ACL model must decide alike on it.
"""

from __future__ import annotations

import ipaddress
import pickle
from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest

from checks.zone.inter_zone_filter import inter_zone_filter
from scanner.aclfacts import AccessFacts, AclLine, LineRef, exact_line
from scanner.checkapi import NetworkContext, NetworkModels
from scanner.engine import HostOutcome, Scanner, ScanOptions
from scanner.headerspace import SYN, Cube, HeaderSpace, cube
from scanner.model import Evidence, HostInfo
from scanner.network import model_builders
from scanner.network.acl.lines import decide
from scanner.network.acl.model import DeviceFilters, build_from_records
from scanner.network.acl.zones import read_zones
from scanner.packedlist import PackedList
from scanner.platforms import get_platform
from scanner.policy import Policy
from scanner.snapshot import HostInput
from tests.aclconfigs import COMMANDS, PLATFORMS, ZONES, Variant, config
from tests.conftest import LAB
from tests.scanhelpers import load_snapshot, text_snapshot

FULL = 0xFFFFFFFF


def packet(src: str, dst: str, protocol: int, dport: int) -> Cube:
    s, d = int(ipaddress.ip_address(src)), int(ipaddress.ip_address(dst))
    return (protocol, protocol, s, FULL, d, FULL, 40000, 40000, dport, dport, 8, 8, 0, 0, SYN, 0x3F)


# Office to control (Modbus, HTTPS, SSH), control to office, and a stranger's UDP.
PACKETS = [
    packet("10.30.1.5", "10.20.1.5", 6, 502),
    packet("10.30.1.5", "10.20.1.5", 6, 443),
    packet("10.99.0.7", "10.20.1.5", 6, 443),
    packet("10.30.1.5", "10.20.1.5", 6, 22),
    packet("10.20.1.5", "10.30.1.5", 6, 445),
    packet("192.0.2.1", "10.20.1.5", 17, 161),
]
LAB_DEVICES = sorted(p.name for p in (LAB / "snapshots").iterdir() if p.is_dir())


def outcome(input_: HostInput) -> HostOutcome:
    return Scanner(ScanOptions(policy=Policy.default())).outcome(input_)


def lab_record_access(name: str) -> AccessFacts | None:
    snapshot = load_snapshot(LAB / "snapshots" / name)
    record = outcome(HostInput(host=HostInfo(name=name), snapshot=snapshot)).record
    assert record is not None
    return record.access


def full_access(platform: str, text: str) -> AccessFacts:
    facts = get_platform(platform).parse(text_snapshot("plant-l3", COMMANDS[platform], text, platform))
    assert facts.access is not None
    return facts.access


@pytest.mark.parametrize("name", LAB_DEVICES)
def test_a_lab_devices_record_survives_pickling_and_packing_equal(name: str) -> None:
    snapshot = load_snapshot(LAB / "snapshots" / name)
    record = outcome(HostInput(host=HostInfo(name=name), snapshot=snapshot)).record
    assert record is not None
    back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
    # A platform (its fixes) and an ARP table (typed arrays) have no equality of their own.
    assert replace(back, platform_info=None, arp=None) == replace(record, platform_info=None, arp=None)
    assert back.access == record.access
    packed = PackedList([record.access, record.access])
    assert list(packed) == [record.access, record.access]
    if record.access is None:
        return
    # Line by line, with each line's place and masked evidence (what a finding cites).
    for key, acl in record.access.lists.items():
        again = back.access.lists[key]
        assert again.lines == acl.lines and again.evidence == acl.evidence
        for line, copy in zip(acl.lines, again.lines, strict=True):
            assert copy.space.cubes == line.space.cubes and copy.evidence == line.evidence
    assert back.access.uses == record.access.uses and back.access.routing == record.access.routing
    assert back.access.zones == record.access.zones


def test_the_lab_has_access_lists_with_lines_and_security_zones_to_round_trip() -> None:
    # The test above must not pass on records without lines: the lab holds both kinds.
    found = {name: lab_record_access(name) for name in LAB_DEVICES}
    assert sum(len(acl.lines) for a in found.values() if a for acl in a.lists.values()) > 20
    assert any(a is not None and a.zones is not None and a.zones.policies for a in found.values())


def test_line_references_and_evidence_pickle_as_themselves() -> None:
    ref = LineRef("show running-config", 12, " permit tcp any any eq 22", "snap/r1/run.txt")
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert pickle.loads(pickle.dumps(ref)).evidence() == ref.evidence()
    evidence = Evidence.of("show running-config", 3, "snmp-server community S3cretCommunity RO 10")
    back = pickle.loads(pickle.dumps(evidence))
    assert back == evidence and "S3cretCommunity" not in back.text


UNUSED_IOS = "ip access-list extended NOBODY-USES\n permit tcp 10.1.1.0 0.0.0.255 any eq 22\n deny ip any any\n"


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_record_keeps_every_list_a_filtering_use_reaches_and_decides_alike(platform: str) -> None:
    access = full_access(platform, config(platform, Variant(filters=True)))
    kept = access.for_network()
    filtering = [u for u in access.uses if u.filters]
    assert filtering, "the configuration applies lists"
    for use in filtering:
        whole, record = access.get(use.name, use.family), kept.get(use.name, use.family)
        assert record == whole
    assert kept.uses == access.uses and kept.routing == access.routing and kept.unmodelled == access.unmodelled
    # The ACL model decides every filtering use alike on both, by the same line.
    device, trimmed = (DeviceFilters("r1", platform, a, ()) for a in (access, kept))
    for use in filtering:
        stage, same = device.use_stage(use), trimmed.use_stage(use)
        assert stage.lines, f"{use.name} has lines"
        for point in PACKETS:
            assert decide(stage.lines, point, stage.default) == decide(same.lines, point, same.default)


def test_the_record_leaves_out_a_list_nothing_applies_and_one_a_route_map_only_selects() -> None:
    text = config("cisco_ios", Variant(filters=True))
    text = text.replace("\nend", f"\n{UNUSED_IOS}!\nroute-map RM permit 10\n match ip address SELECT\n!\n"
                        "ip access-list extended SELECT\n permit ip 10.9.0.0 0.0.255.255 any\n!\nend")  # fmt: skip
    access = full_access("cisco_ios", text)
    assert {"NOBODY-USES", "SELECT"} <= {name for _, name in access.lists}
    kept = access.for_network()
    assert not {"NOBODY-USES", "SELECT"} & {name for _, name in kept.lists}
    assert {name for _, name in kept.lists} == {u.name for u in access.uses if u.filters and access.get(u.name)}
    # The host checks still see every list: the facts themselves are not trimmed.
    assert ("ipv4", "NOBODY-USES") in access.lists


def test_a_huawei_list_named_by_its_number_is_kept_with_its_alias() -> None:
    # A Huawei named ACL with a number can be applied by the number (scanner/platforms/_acl/vrp.py).
    access = full_access("huawei", config("huawei", Variant(filters=True)))
    kept = access.for_network()
    for use in (u for u in access.uses if u.filters):
        assert kept.get(use.name, use.family) == access.get(use.name, use.family)
    for (family, alias), name in kept.aliases.items():
        assert (family, name) in kept.lists, alias


def test_the_acl_model_over_packed_records_reads_the_devices_a_list_of_them_gives() -> None:
    records = []
    for name in LAB_DEVICES:
        snapshot = load_snapshot(LAB / "snapshots" / name)
        record = outcome(HostInput(host=HostInfo(name=name), snapshot=snapshot)).record
        assert record is not None
        records.append(record)
    zones = read_zones([("lab", ZONES)])
    listed, packed = build_from_records(records, zones), build_from_records(PackedList(records), zones)
    assert list(packed.devices) == list(listed.devices) and packed.missing == listed.missing
    assert len(listed.devices) >= 10

    def plain(device: DeviceFilters) -> DeviceFilters:
        assert device.platform_info is not None and device.platform_info.name == device.platform
        return replace(device, platform_info=None)

    assert [plain(d) for d in packed] == [plain(d) for d in listed]
    for name in listed.devices:
        assert plain(packed.devices[name]) == plain(listed.devices[name])
    assert "no-such-device" not in packed.devices


def test_without_zones_the_zone_check_names_each_host_with_access_facts_once_in_record_order() -> None:
    """The check names hosts from the model's one pass over the records (not a second read of them)."""
    records = []
    for name in LAB_DEVICES[:4]:
        snapshot = load_snapshot(LAB / "snapshots" / name)
        record = outcome(HostInput(host=HostInfo(name=name), snapshot=snapshot)).record
        assert record is not None and record.access is not None
        records.append(record)
    # A host whose platform reads no access lists has no verdict here.
    records.insert(1, replace(records[0], host=HostInfo(name="server-1"), access=None))
    hosts = [r.host for r in records]
    context = NetworkContext(hosts=PackedList(records), policy=Policy.default(), now=datetime.now(UTC), inventory=hosts)
    context.models = NetworkModels(model_builders(), context)
    results = list(inter_zone_filter(context))
    assert [(r.host, r.key) for r in results] == [(name, "no_zones") for name in LAB_DEVICES[:4]]


def test_a_line_made_by_exact_line_is_the_dataclass_s_own_and_pickles_alike() -> None:
    """exact_line sets the slots itself: it must set every field, as the constructor would."""
    space = HeaderSpace((cube(protocol=(6, 6), dport=(22, 22)),))
    made = exact_line(
        "permit", space, "show running-config", 12, " 10 permit tcp any any eq 22", "r1.cfg", "10", (" no 10",)
    )
    expected = AclLine(
        "permit",
        space,
        LineRef("show running-config", 12, " 10 permit tcp any any eq 22", "r1.cfg"),
        "10",
        True,
        "",
        (" no 10",),
    )
    assert made == expected and hash(made) == hash(expected)
    assert [getattr(made, f.name) for f in fields(AclLine)] == [getattr(expected, f.name) for f in fields(AclLine)]
    assert [getattr(made.origin, f.name) for f in fields(LineRef)] == [
        "show running-config",
        12,
        " 10 permit tcp any any eq 22",
        "r1.cfg",
    ]
    assert pickle.loads(pickle.dumps(made)) == expected
    assert made.evidence == expected.evidence
