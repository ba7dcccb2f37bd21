"""Topology benchmark: graph build + every topology check on a 5,000-device campus, against the whole scan.

    python -m bench.topology [--devices 5000] [--sites 10] [--repeat 5] [--profile]

Generates (seeded, cached in bench/out/) a campus-like network as real snapshots and a
Nornir inventory: per site an edge router (zone external), two firewalls, two cores (one
at the last site), distribution pairs, dual-homed access switches, management switches,
and a production-control block behind an isolation device; plus known faults: edge
router -> access switch bypasses, one bypass through an unmanaged switch, one
management <-> production-control cable, IP phones as unmanaged neighbours. Every
device has a ~1,500-line IOS configuration (bench/genconfigs.py), show version and
show cdp neighbors detail.

Reports (wall times on this machine, printed, never asserted):

* the whole offline scan of those devices (engine in-process, every check, default policy);
* within it, the network phase (graph build + the four topology checks);
* the same phase alone from the kept host records, best of --repeat, and its share of
  the whole scan (target: under 5%);
* rendering the 5,000-device diagram as SVG, HTML and JSON (time and size);
* found vs injected faults, so a fast wrong answer does not pass unnoticed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.genconfigs import _ios
from testbed.topology_net import Report, cdp_detail, show_version

OUT = Path(__file__).resolve().parent / "out"
ACCESS_PER_DIST_PAIR = 40


@dataclass
class Campus:
    hosts: dict[str, dict[str, object]] = field(default_factory=dict)
    cdp: dict[str, list[Report]] = field(default_factory=dict)
    bypasses: int = 0
    partition_breaches: int = 0
    single_core_sites: int = 0

    def add(self, name: str, zone: str, role: str, site: str) -> str:
        self.hosts[name] = {"platform": "cisco_ios", "data": {"zone": zone, "role": role, "site": site}}
        self.cdp[name] = []
        return name

    def cable(self, a: str, a_if: str, b: str, b_if: str) -> None:
        for local, local_if, remote, remote_if in ((a, a_if, b, b_if), (b, b_if, a, a_if)):
            if local in self.cdp:
                self.cdp[local].append(Report(local_if, remote, remote_if))


class Ports:
    """Hands out the next free port of each device."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def __call__(self, device: str, kind: str = "GigabitEthernet1/0/") -> str:
        self.used[device] = self.used.get(device, 0) + 1
        return f"{kind}{self.used[device]}"


def build_campus(devices: int, sites: int, rng: random.Random) -> Campus:
    campus = Campus()
    port = Ports()
    per_site = devices // sites  # the last site's cores are one short; the count stays within a few
    for s in range(sites):
        site = f"s{s:02d}"
        edge = campus.add(f"{site}-edge1", "external", "edge", site)
        fws = [campus.add(f"{site}-fw{i}", "internal", "firewall", site) for i in (1, 2)]
        single = s == sites - 1
        cores = [campus.add(f"{site}-core{i}", "internal", "core", site) for i in ((1,) if single else (1, 2))]
        campus.single_core_sites += single
        for fw in fws:
            campus.cable(edge, port(edge), fw, port(fw))
            for core in cores:
                campus.cable(fw, port(fw), core, port(core, "TenGigabitEthernet1/1/"))
        if len(cores) == 2:
            campus.cable(cores[0], port(cores[0], "TenGigabitEthernet1/1/"), cores[1], port(cores[1], "Te1/1/"))
        iso = campus.add(f"{site}-iso1", "production-control", "isolation", site)
        for core in cores:
            campus.cable(core, port(core), iso, port(iso))
        plant = [campus.add(f"{site}-plant{i:02d}", "production-control", "access", site) for i in range(1, 11)]
        for sw in plant:
            campus.cable(iso, port(iso), sw, port(sw))
        mgmt = [campus.add(f"{site}-mgmt{i}", "management", "access", site) for i in (1, 2)]
        for sw in mgmt:
            for core in cores:
                campus.cable(core, port(core), sw, port(sw))
        site_end = (s + 1) * per_site
        access_index = 0
        pair = 0
        while len(campus.hosts) < site_end:
            dists = [campus.add(f"{site}-dist{pair:02d}{x}", "internal", "distribution", site) for x in "ab"]
            pair += 1
            for dist in dists:
                for core in cores:
                    campus.cable(core, port(core, "TenGigabitEthernet1/1/"), dist, port(dist, "Te1/1/"))
            campus.cable(dists[0], port(dists[0], "Te1/1/"), dists[1], port(dists[1], "Te1/1/"))
            for _ in range(ACCESS_PER_DIST_PAIR):
                if len(campus.hosts) >= site_end:
                    break
                acc = campus.add(f"{site}-acc{access_index:04d}", "internal", "access", site)
                access_index += 1
                for dist in dists:
                    campus.cable(dist, port(dist), acc, port(acc, "GigabitEthernet1/1/"))
                if rng.random() < 0.05:
                    phone = f"SEP{rng.randrange(16**12):012X}"
                    campus.cdp[acc].append(Report(port(acc), phone, "Port 1", platform="Cisco IP Phone 8845"))
        # Known faults.
        if s % 4 == 1:
            victim = f"{site}-acc{access_index // 2:04d}"
            campus.cable(edge, port(edge), victim, port(victim))
            campus.bypasses += 1
        if s == 2:
            rogue = f"{site}-rogue-switch"
            victim = f"{site}-acc{access_index // 3:04d}"
            campus.cdp[edge].append(Report(port(edge), rogue, "Gi0/1"))
            campus.cdp[victim].append(Report(port(victim), rogue, "Gi0/2"))
            campus.bypasses += 1
        if s == 3:
            campus.cable(mgmt[0], port(mgmt[0]), plant[0], port(plant[0]))
            campus.partition_breaches += 1
    return campus


def write_campus(folder: Path, devices: int, sites: int, seed: int = 2026) -> Campus:
    rng = random.Random(seed)
    campus = build_campus(devices, sites, rng)
    marker = folder / ".complete"
    if marker.exists():
        return campus
    inventory, snapshots = folder / "inventory", folder / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    inventory.mkdir(parents=True, exist_ok=True)
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(campus.hosts, sort_keys=False))
    for index, (name, reports) in enumerate(campus.cdp.items()):
        target = snapshots / name
        target.mkdir(exist_ok=True)
        config = _ios(rng, name, bad=rng.random() < 0.35)
        (target / "show_running-config.txt").write_text("\n".join(config) + "\n")
        (target / "show_version.txt").write_text(show_version(name, f"FOC{index:08d}"))
        (target / "show_cdp_neighbors_detail.txt").write_text(cdp_detail(reports))
        (target / "meta.yaml").write_text("platform: cisco_ios\nsource: bench/topology.py\n")
    marker.write_text("ok")
    return campus


def whole_scan(folder: Path):  # type: ignore[no-untyped-def]
    """The offline scan as `netcomply scan` runs it; returns (scanner, findings, seconds, network seconds)."""
    from checks.frameworks import clauses_by_check
    from scanner.engine import Scanner, ScanOptions
    from scanner.hostsource import offline_inputs
    from scanner.inventory import load_inventory
    from scanner.network.topology.declared import network_attachments
    from scanner.policy import Policy

    inventory = folder / "inventory"
    options = ScanOptions(
        policy=Policy.default(), clauses=clauses_by_check(), network_attachments=network_attachments(inventory)
    )
    start = time.perf_counter()
    scanner = Scanner(options)
    findings = []
    for item in offline_inputs(folder / "snapshots", load_inventory(inventory)):
        findings.extend(scanner.scan_host(item))
    network_start = time.perf_counter()
    findings.extend(scanner.finish())
    end = time.perf_counter()
    return scanner, findings, end - start, end - network_start


def topology_phase(scanner) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Graph build + each topology check, from the records the scan kept (a fresh context each time)."""
    from checks import load_checks
    from scanner.checkapi import NetworkContext, NetworkModels
    from scanner.network import model_builders
    from scanner.network.topology.model import TOPOLOGY

    context = NetworkContext(
        hosts=scanner.records,
        policy=scanner.options.policy,
        now=scanner.options.now,
        inventory=list(scanner.hosts),
        attachments=dict(scanner.options.network_attachments),
    )
    times: dict[str, float] = {}
    start = time.perf_counter()
    context.models = NetworkModels(model_builders(), context)
    context.models[TOPOLOGY]
    times["graph_build"] = time.perf_counter() - start
    for spec in load_checks():
        if spec.family == "topology":
            start = time.perf_counter()
            list(spec.func(context))  # type: ignore[call-arg,arg-type]
            times[spec.id] = time.perf_counter() - start
    times["total"] = sum(times.values())
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the topology phase (best is reported)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the topology phase")
    args = parser.parse_args()

    folder = OUT / f"topology-{args.devices}"
    started = time.perf_counter()
    campus = write_campus(folder, args.devices, args.sites)
    generate_s = time.perf_counter() - started

    scanner, findings, scan_s, network_s = whole_scan(folder)
    phases = [topology_phase(scanner) for _ in range(args.repeat)]
    best = min(phases, key=lambda p: p["total"])

    from scanner.model import Status
    from scanner.network.topology.model import TOPOLOGY
    from scanner.topology.export import render_json
    from scanner.topology.html import render_html
    from scanner.topology.routing import build_diagram
    from scanner.topology.svg import render_svg

    topology = scanner.network_context.models[TOPOLOGY]
    start = time.perf_counter()
    diagram = build_diagram(topology, findings, frozenset({"firewall", "isolation"}))
    layout_s = time.perf_counter() - start
    rendered = {}
    for name, render in (("svg", render_svg), ("html", render_html), ("json", render_json)):
        start = time.perf_counter()
        text = render(diagram)
        rendered[name] = {"s": round(time.perf_counter() - start, 3), "mib": round(len(text.encode()) / 2**20, 1)}

    def count(check: str) -> int:
        return sum(1 for f in findings if f.check == check and f.status is Status.FAIL)

    figures = {
        "devices": len(topology.managed),
        "unmanaged_neighbours": len(topology.unmanaged),
        "links": len(topology.links),
        "findings": len(findings),
        "generate_s": round(generate_s, 1),
        "whole_offline_scan_s": round(scan_s, 2),
        "network_phase_in_scan_s": round(network_s, 3),
        "topology_phase_best_s": {k: round(v, 4) for k, v in best.items()},
        "topology_share_of_scan_pct": round(100 * best["total"] / scan_s, 2),
        "network_phase_share_of_scan_pct": round(100 * network_s / scan_s, 2),
        "target_pct": 5,
        "diagram_layout_s": round(layout_s, 3),
        "render": rendered,
        "faults": {
            "firewall_bypass": {"injected": campus.bypasses, "found": count("topology.firewall_bypass")},
            "zone_partition": {"injected": campus.partition_breaches, "found": count("topology.zone_partition")},
            "single_core_sites": {"injected": campus.single_core_sites, "found": count("topology.core_redundancy")},
        },
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures, indent=2))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(topology_phase, scanner)
        pstats.Stats(profiler).sort_stats("cumtime").print_stats(20)


if __name__ == "__main__":
    main()
