"""The IP model's address table gives back every configured address as the host records hold it.

The model keeps addresses in columns and each row's interface and evidence compressed
(scanner/network/ipam/addresses.py); a device's ``addresses`` must decode to exactly the
interfaces, addresses and evidence of its record, and the columns must agree with them.
"""

from __future__ import annotations

import ipaddress
import random
from dataclasses import replace

import pytest

from scanner.checkapi import HostRecord
from scanner.engine import Scanner, ScanOptions
from scanner.facts import Interface, InterfaceAddress
from scanner.model import Evidence, HostInfo
from scanner.network.ipam.addresses import KeySet
from scanner.network.ipam.model import IPAM, AddressCollector, IpModel, build_model
from scanner.network.ipam.records import address_key
from scanner.network.ipam.settings import IpamSettings, vrf_key
from scanner.policy import Policy
from tests.ipamnet import host_inputs


def _evidence(line: int, text: str, source: str = "show running-config", host: str | None = None) -> Evidence:
    return Evidence(source, line, text, "/configs/r9.cfg", host)


def _address(text: str, line: int, **kwargs: object) -> InterfaceAddress:
    return InterfaceAddress(ipaddress.ip_interface(text), _evidence(line, f"ip address {text}"), **kwargs)  # type: ignore[arg-type]


HANDMADE = HostRecord(
    host=HostInfo(name="r9", platform="ios", data={"zone": "office", "role": "core"}),
    platform="ios",
    hostname="R9",
    interfaces=(
        Interface(
            "Vlan10",
            "vlan",
            _evidence(1, "interface Vlan10"),
            description="users",
            addresses=(
                _address("10.1.10.2/24", 2),
                _address("10.1.11.2/24", 3, secondary=True),
                _address("10.1.10.1/24", 4, virtual="vrrp 10"),
                _address("169.254.1.1/16", 5),  # link-local: no one's to allocate
                _address("2001:db8::2/64", 6),
                _address("fe80::1%vlan10/64", 7),
            ),
            vrf="Users",
        ),
        Interface(
            "Loopback0",
            "loopback",
            _evidence(9, "interface Loopback0"),
            addresses=(
                _address("127.0.0.1/8", 10),
                InterfaceAddress(
                    ipaddress.ip_interface("10.255.0.9/32"), _evidence(11, "address 10.255.0.9/32", "show ip int", "r9")
                ),
            ),
            shutdown=True,
        ),
        Interface("Null0", "other", _evidence(12, "interface Null0")),
    ),
)


def _reference(record: HostRecord) -> list[tuple[object, ...]]:
    """What the model held before it kept columns: one entry per address of an addressed interface."""
    rows = []
    for interface in record.interfaces:
        for address in interface.addresses:
            ip = address.address.ip
            if ip.is_link_local or ip.is_loopback or ip.is_unspecified:
                continue
            bare = Interface(
                interface.name,
                interface.kind,
                interface.evidence,
                interface.description,
                (),
                interface.vrf,
                interface.shutdown,
                interface.switchport,
            )
            rows.append((record.host.name, bare, address, vrf_key(interface.vrf), address_key(ip)))
    return rows


def _records() -> list[HostRecord]:
    scanner = Scanner(ScanOptions(policy=Policy.default()), checks=[])
    for item in host_inputs():
        scanner.scan_host(item)
    return [*scanner.records, HANDMADE]


def test_every_address_decodes_as_its_record_holds_it() -> None:
    records = _records()
    model = build_model(records, IpamSettings(), None)
    table = model.table
    network = [r for r in records if r.kind == "network"]
    assert [d.name for d in model.devices] == [r.host.name for r in network]
    for device, record in zip(model.devices, network, strict=True):
        expected = _reference(record)
        decoded = [(a.host, a.interface, a.address, a.vrf, a.key) for a in device.addresses]
        assert decoded == expected, device.name
        assert len(device.rows) == len(expected)
        for row, (_, interface, address, vrf, key) in zip(device.rows, expected, strict=True):
            assert (table.key(row), table.vrf(row), table.kind(row), table.host(row)) == (
                key,
                vrf,
                interface.kind,
                device.name,
            )
            assert (table.virtual(row), table.shutdown(row)) == (address.virtual is not None, interface.shutdown)
            assert table.network(row) == address.address.network
            assert table.version(row) == address.address.version
            network_ = address.address.network
            first = address_key(network_.network_address)
            assert table.bounds(row) == (first, first + network_.num_addresses - 1)
            claim = table.claim(row)
            assert table.detail(row) == (claim.evidence, claim.describe())


def test_the_handmade_record_keeps_its_odd_addresses() -> None:
    model = build_model([HANDMADE], IpamSettings(), None)
    (device,) = model.devices
    texts = [str(a.address.address) for a in device.addresses]
    # link-local and loopback addresses are left out; an IPv6 scope id survives.
    assert texts == ["10.1.10.2/24", "10.1.11.2/24", "10.1.10.1/24", "2001:db8::2/64", "10.255.0.9/32"]
    assert (device.zone, device.role) == ("office", "core")
    other_source = device.addresses[-1].evidence
    assert (other_source.source, other_source.host) == ("show ip int", "r9")


def test_key_set_holds_exactly_its_keys() -> None:
    keys = [
        address_key(ipaddress.ip_address(text))
        for text in ("10.0.0.1", "10.0.0.1", "192.0.2.255", "255.255.255.255", "2001:db8::1", "::ffff:10.0.0.1")
    ]
    held = KeySet(keys)
    assert len(held) == len(set(keys))
    for key in keys:
        assert key in held
    for text in ("10.0.0.2", "0.0.0.0", "2001:db8::2", "10.0.0.0"):
        assert address_key(ipaddress.ip_address(text)) not in held
    assert "10.0.0.1" not in held


def test_key_set_of_many_keys_sorted_in_runs_holds_exactly_them() -> None:
    """More keys than one sorted run (KeySet merges runs): every key held once, none other."""
    rng = random.Random(15)
    keys = [rng.randrange(1 << 32) for _ in range(50_000)]
    keys += keys[:7_000]  # repeated, across runs
    keys += [(1 << 64) + rng.randrange(1 << 64) for _ in range(20)]
    keys += [(1 << 32) - 1, 1 << 32, (1 << 32) + 1]  # the edge of the array and the set beside it
    held = KeySet(keys)
    assert len(held) == len(set(keys))
    assert all(key in held for key in keys[::97])
    absent = {rng.randrange(1 << 32) for _ in range(2_000)} - set(keys)
    assert not any(key in held for key in absent)


def _columns(model: IpModel) -> list[tuple[object, ...]]:
    table = model.table
    return [
        (
            table.key(row),
            table.vrf(row),
            table.kind(row),
            table.host(row),
            table.virtual(row),
            table.shutdown(row),
            table.prefixlens[row],
            table.detail(row),
        )
        for row in range(len(table))
    ]


def test_the_table_gathered_as_hosts_are_accepted_is_the_one_built_at_the_end() -> None:
    """The engine fills the IP model's table record by record (AddressCollector) as it accepts each
    host; the model it builds then is the one built from the packed records alone."""
    scanner = Scanner(ScanOptions(policy=Policy.default()), keep_models=True)
    assert IPAM in scanner.collectors
    for item in host_inputs():
        scanner.scan_host(item)
    findings = scanner.finish()
    assert any(f.check == "ipam.duplicate_address" and f.status.value == "fail" for f in findings)
    assert scanner.network_context is not None
    gathered = scanner.network_context.models[IPAM]
    rebuilt = build_model(list(scanner.records), IpamSettings(), None)
    assert [(d.name, d.first, d.stop) for d in gathered.devices] == [(d.name, d.first, d.stop) for d in rebuilt.devices]
    assert len(gathered.table) > 10
    assert _columns(gathered) == _columns(rebuilt)
    assert [list(d.rows) for d in gathered.duplicates] == [list(d.rows) for d in rebuilt.duplicates]


def test_a_gathered_table_skips_host_records_and_must_match_the_records_it_is_read_with() -> None:
    server = replace(HANDMADE, host=HostInfo(name="srv1", platform="linux"), kind="host")
    records = [HANDMADE, server, replace(HANDMADE, host=HostInfo(name="r10", platform="ios"))]
    collector = AddressCollector()
    for position, record in enumerate(records):
        collector.add(position, record)
    model = build_model(records, IpamSettings(), None, collector)
    assert [d.name for d in model.devices] == ["r9", "r10"]
    assert _columns(model) == _columns(build_model(records, IpamSettings(), None))
    with pytest.raises(ValueError, match="is record 2, not 1"):
        build_model([HANDMADE, records[2]], IpamSettings(), None, collector)
