"""IP address benchmark: 10,000 devices with 500,000 ARP entries reconciled with an allocation table.

    python -m bench.ipam [--devices 10000] [--entries 500000] [--repeat 3] [--profile]

Generates (seeded) a network of routed distribution switches, each the gateway of a few
/24 subnets full of hosts, and access switches with a management address; every device
has its interface facts and an ARP table printed the IOS way (``show ip arp``), read by
the real reader (scanner/platforms/_arp.py) into the compact table the host record keeps.
The allocation table (CSV, Chinese headers) plans every subnet and records every address,
less known faults: unrecorded hosts, unrecorded interface addresses, stale records,
subnets outside the plan or planned for another zone, addresses configured twice and
addresses answering from two MACs.

Reports (wall times on this machine, printed, never asserted):

* reading the ARP outputs into host records (the scan's per-host share of the work);
* the memory the host records' ARP tables keep (typed arrays and the output text), per entry;
* reading the allocation table;
* the reconciliation: the IP model built once and the five ipam checks, best of --repeat;
* found vs injected faults, so a fast wrong answer does not pass unnoticed.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import ipaddress
import json
import os
import pstats
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scanner.checkapi import HostRecord, NetworkContext, NetworkModels
from scanner.facts import Interface, InterfaceAddress
from scanner.model import Evidence, HostInfo, Status
from scanner.network import model_builders
from scanner.network.ipam.model import ATTACHMENT
from scanner.network.ipam.table import read_table
from scanner.platforms._arp import read_arp
from scanner.policy import Policy

OUT = Path(__file__).resolve().parent / "out"
CHECKS = ("duplicate_address", "unrecorded_address", "unrecorded_host", "outside_plan", "stale_record")
SUBNETS_PER_GATEWAY = 4
ZONES = ("internal", "production-control")
POLICY = "ipam:\n  zone_aliases: {生产控制大区: production-control, 内网: internal}\n"
ARP_HEADER = "Protocol  Address          Age (min)  Hardware Addr   Type   Interface"


@dataclass
class Network:
    records: list[HostRecord] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    interfaces: dict[str, list[Interface]] = field(default_factory=dict)
    hosts: dict[str, HostInfo] = field(default_factory=dict)
    table_rows: list[list[str]] = field(default_factory=list)
    entries: int = 0
    faults: dict[str, int] = field(default_factory=dict)


def _mac(value: int) -> str:
    raw = f"{value:012x}"
    return f"{raw[0:4]}.{raw[4:8]}.{raw[8:12]}"


def _interface(name: str, address: str, line: int, vrf: str | None = None) -> Interface:
    evidence = Evidence.of("show running-config", line, f" ip address {address}")
    value = ipaddress.ip_interface(address)
    return Interface(
        name=name,
        kind="vlan" if name.startswith("Vlan") else "physical",
        evidence=evidence,
        addresses=(InterfaceAddress(value, evidence),),
        vrf=vrf,
    )


def build_network(devices: int, entries: int, rng: random.Random) -> Network:
    """Gateways hold (almost) every ARP entry; access switches a management address and their gateway."""
    net = Network()
    faults = dict.fromkeys(
        (
            "unrecorded_host",
            "unrecorded_address",
            "stale_record",
            "outside_plan",
            "other_zone",
            "configured_twice",
            "two_macs",
        ),
        0,
    )
    gateways = max(1, devices // 10)
    access = devices - gateways
    per_subnet = max(1, (entries - access * 2) // (gateways * SUBNETS_PER_GATEWAY))
    rows = net.table_rows
    rows.append(["IP地址分配表（基准测试）", "", "", "", "", ""])
    rows.append(["IP地址", "网段", "设备名称/使用人", "接口", "区域", "用途"])
    mac = 0x3C5282000000
    mgmt_gateway = "10.250.0.1"
    rows.append(["", "10.250.0.0/16", "", "", "", "设备管理网"])
    rows.append([mgmt_gateway, "", "mgmt-gw", "", "", "管理网关"])
    for g in range(gateways):
        name = f"gw{g:05d}"
        zone = ZONES[g % 2]
        zone_word = "内网" if zone == "internal" else "生产控制大区"
        net.hosts[name] = HostInfo(name=name, platform="cisco_ios", data={"zone": zone, "role": "distribution"})
        interfaces = []
        lines = [ARP_HEADER]
        for s in range(SUBNETS_PER_GATEWAY):
            block = g * SUBNETS_PER_GATEWAY + s
            network = ipaddress.ip_network(f"10.{block // 256}.{block % 256}.0/24")
            base = int(network.network_address)
            gateway_ip = ipaddress.ip_address(base + 1)
            vlan = f"Vlan{100 + s}"
            interfaces.append(_interface(vlan, f"{gateway_ip}/24", 10 + s))
            outside = block % 997 == 5
            other_zone = block % 991 == 7
            planned_zone = zone_word if not other_zone else ("生产控制大区" if zone == "internal" else "内网")
            if outside:
                faults["outside_plan"] += 1
            else:
                rows.append(["", str(network), "", "", planned_zone, "办公网段"])
                faults["other_zone"] += other_zone
            if block % 1499 == 11:
                faults["unrecorded_address"] += 1
            else:
                rows.append([str(gateway_ip), "", name, vlan, planned_zone, "网关"])
            lines.append(f"Internet  {gateway_ip!s:<16}        -   {_mac(0x7C210E000000 + block)}  ARPA   {vlan}")
            for h in range(per_subnet):
                host_ip = ipaddress.ip_address(base + 10 + h)
                mac += 1
                lines.append(f"Internet  {host_ip!s:<16}        3   {_mac(mac)}  ARPA   {vlan}")
                net.entries += 1
                key = block * 1000 + h
                if key % 997 == 13:
                    faults["unrecorded_host"] += 1
                    continue
                rows.append([str(host_ip), "", f"user{key}", "", planned_zone, "办公电脑"])
            if block % 1999 == 3:  # a recorded host nobody uses any more
                rows.append([str(ipaddress.ip_address(base + 250)), "", "retired", "", planned_zone, "已下线"])
                faults["stale_record"] += 1
        net.interfaces[name] = interfaces
        net.texts[name] = "\n".join(lines) + "\n"
    # Faults between devices: a gateway address configured on a second gateway, a host answering from two MACs.
    # (gw g+2 is in the same zone as gw g: the duplicate is only a duplicate.)
    for g in range(0, gateways - 2, 211):
        victim = net.interfaces[f"gw{g:05d}"][0]
        net.interfaces[f"gw{g + 2:05d}"].append(
            Interface(name="Vlan999", kind="vlan", evidence=victim.evidence, addresses=victim.addresses)
        )
        faults["configured_twice"] += 2
        block = g * SUBNETS_PER_GATEWAY
        host_ip = ipaddress.ip_address(int(ipaddress.ip_address(f"10.{block // 256}.{block % 256}.0")) + 10)
        net.texts[f"gw{g + 1:05d}"] += (
            f"Internet  {host_ip!s:<16}        1   {_mac(0xF0DEF1000000 + g)}  ARPA   Vlan999\n"
        )
        net.entries += 1
        faults["two_macs"] += 2
    for a in range(access):
        name = f"acc{a:05d}"
        address = ipaddress.ip_address(int(ipaddress.ip_address("10.250.0.0")) + 10 + a)
        net.hosts[name] = HostInfo(name=name, platform="cisco_ios", data={"zone": ZONES[a % 2], "role": "access"})
        net.interfaces[name] = [_interface("Vlan99", f"{address}/16", 12)]
        net.texts[name] = (
            f"{ARP_HEADER}\nInternet  {address!s:<16}        -   {_mac(0x0019E8000000 + a)}  ARPA   Vlan99\n"
            f"Internet  {mgmt_gateway:<16}        2   {_mac(0x0000AA000001)}  ARPA   Vlan99\n"
        )
        net.entries += 2
        rows.append([str(address), "", name, "Vlan99", "", "管理地址"])
    net.faults = faults
    return net


def expected(faults: dict[str, int]) -> dict[str, int]:
    """The addresses the failing verdicts should name, from the injected faults: an address configured
    twice is also recorded for the other device (ipam.unrecorded_address), and both devices of a
    duplicate fail."""
    return {
        "duplicate_address": faults["configured_twice"] + faults["two_macs"],
        "unrecorded_address": faults["unrecorded_address"] + faults["configured_twice"] // 2,
        "unrecorded_host": faults["unrecorded_host"],
        "outside_plan": faults["outside_plan"] + faults["other_zone"],
        "stale_record": faults["stale_record"],
    }


def read_records(net: Network) -> tuple[list[HostRecord], float]:
    """Every device's ARP output read by the real reader into the record the engine keeps."""
    records = []
    started = time.perf_counter()
    for name, host in net.hosts.items():
        table = read_arp("cisco_ios", "show ip arp", net.texts[name], f"snapshots/{name}/show_ip_arp.txt")
        records.append(
            HostRecord(
                host=host, platform="cisco_ios", hostname=name, interfaces=tuple(net.interfaces[name]), arp=table
            )
        )
    return records, time.perf_counter() - started


def reconcile(records: list[HostRecord], records_attachment: Any, policy: Policy) -> tuple[float, dict[str, int]]:
    from checks import get_check

    started = time.perf_counter()
    context = NetworkContext(
        hosts=records,
        policy=policy,
        now=datetime.now(UTC),
        inventory=[r.host for r in records],
        attachments={ATTACHMENT: records_attachment},
    )
    context.models = NetworkModels(model_builders(), context)
    failed = dict.fromkeys(CHECKS, 0)
    for name in CHECKS:
        for result in get_check(f"ipam.{name}").func(context):  # type: ignore[call-arg,arg-type]
            if result.status is Status.FAIL:
                # A verdict lists several addresses ("count"), or names one.
                failed[name] += int(result.params.get("count", 1))
    return time.perf_counter() - started, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the reconciliation (best is reported)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the reconciliation")
    args = parser.parse_args()

    started = time.perf_counter()
    net = build_network(args.devices, args.entries, random.Random(18))
    generate_s = time.perf_counter() - started

    records, parse_s = read_records(net)
    arp_bytes = text_bytes = 0
    for record in records:
        table = record.arp
        assert table is not None
        arrays = (table.addresses, table.macs, table.interfaces, table.vrfs, table.lines, table.starts)
        arp_bytes += sum(sys.getsizeof(a) for a in arrays)
        text_bytes += sys.getsizeof(table.text) + sum(sys.getsizeof(n) for n in table.names)
    entries = sum(len(r.arp) for r in records if r.arp is not None)

    OUT.mkdir(parents=True, exist_ok=True)
    table_path = OUT / f"ipam-{args.devices}.csv"
    with table_path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(net.table_rows)
    started = time.perf_counter()
    table = read_table(table_path)
    table_s = time.perf_counter() - started

    policy = Policy.from_text(POLICY, "bench policy")
    runs = [reconcile(records, table, policy) for _ in range(args.repeat)]
    best_s = min(s for s, _ in runs)
    failed = runs[0][1]
    faults = net.faults
    figures = {
        "devices": len(records),
        "arp_entries": entries,
        "allocation_rows": len(table.allocations) + len(table.prefixes),
        "generate_s": round(generate_s, 1),
        "arp_read_s": round(parse_s, 2),
        "arp_read_us_per_entry": round(1e6 * parse_s / entries, 2),
        "arp_arrays_bytes_per_entry": round(arp_bytes / entries, 1),
        "arp_text_bytes_per_entry": round(text_bytes / entries, 1),
        "arp_tables_mib": round((arp_bytes + text_bytes) / 2**20, 1),
        "table_read_s": round(table_s, 2),
        "reconcile_best_s": round(best_s, 2),
        "reconcile_runs_s": [round(s, 2) for s, _ in runs],
        "addresses_failed": failed,
        "addresses_expected": expected(faults),
        "faults_injected": faults,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(reconcile, records, table, policy)
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(25)


if __name__ == "__main__":
    main()
