"""ACL benchmark: one device with a 10,000-line access list, parsed and analysed.

    python -m bench.acl [--lines 10000] [--vendor ios|huawei|junos|all] [--repeat 3] [--profile]

Generates (seeded) a realistic configuration per vendor: an L3 switch with two SVIs in
two zones and one long list on the office SVI: host-to-host service permits, subnet
permits with port ranges, denies of industrial ports, a few object-group-free
duplicates, and injected lines that two earlier lines cover together (a /24 after its
two /25 halves); a final deny (an explicit one on Huawei, whose traffic-filter permits
what no rule matches).

Reports (wall times on this machine, printed, never asserted):

* parsing the whole configuration into facts (the platform's own parser);
* the analysis: every line's reachability (acl.shadowed_rule), the permit-any search
  (acl.permit_any), the zone crossing through the list (zone.inter_zone_filter), and one
  packet decided (netcomply acl query); with the target of under one second;
* found vs injected shadowed lines, so a fast wrong answer does not pass unnoticed.
"""

from __future__ import annotations

import argparse
import cProfile
import ipaddress
import pstats
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from scanner.aclfacts import AccessList
from scanner.checkapi import HostRecord
from scanner.facts import Facts
from scanner.headerspace import HeaderSpace
from scanner.model import HostInfo
from scanner.network.acl.crossing import crossings
from scanner.network.acl.lines import unreachable_lines
from scanner.network.acl.model import build_from_records
from scanner.network.acl.query import packet, query
from scanner.network.acl.zones import read_zones
from scanner.platforms import get_platform
from scanner.snapshot import Snapshot

ZONES = {"office": ["10.30.0.0/16"], "production-control": ["10.20.0.0/16"]}
PORTS = (22, 80, 443, 502, 102, 2404, 20000, 1433, 3389, 8080, 161, 123)


@dataclass(frozen=True)
class Rule:
    action: str
    protocol: str
    source: ipaddress.IPv4Network
    destination: ipaddress.IPv4Network
    ports: tuple[int, int] | None


def rules(count: int, seed: int = 17) -> tuple[list[Rule], list[int]]:
    """``count`` rules (the last a deny of everything) and the positions of those two earlier halves cover."""
    rng = random.Random(seed)
    out: list[Rule] = []
    injected: list[int] = []
    while len(out) < count - 1:
        kind = rng.random()
        src = ipaddress.ip_network(f"10.30.{rng.randrange(256)}.{rng.randrange(1, 255)}/32")
        dst = ipaddress.ip_network(f"10.20.{rng.randrange(256)}.{rng.randrange(1, 255)}/32")
        port = rng.choice(PORTS)
        if kind < 0.6:
            out.append(Rule("permit", "tcp", src, dst, (port, port)))
        elif kind < 0.8:
            low = rng.randrange(1024, 60000)
            out.append(Rule("permit", "udp", src.supernet(new_prefix=24), dst.supernet(new_prefix=24), (low, low + 99)))
        elif kind < 0.97:
            out.append(Rule("deny", "tcp", src.supernet(new_prefix=24), dst.supernet(new_prefix=16), (port, port)))
        elif len(out) < count - 4:
            # A /24 after its two /25 halves with the same action: covered by the two together.
            whole = src.supernet(new_prefix=24)
            low_half, high_half = whole.subnets(new_prefix=25)
            service = (port, port)
            out += [
                Rule("deny", "tcp", low_half, dst, service),
                Rule("deny", "tcp", high_half, dst, service),
                Rule("deny", "tcp", whole, dst, service),
            ]
            injected.append(len(out) - 1)
    out.append(Rule("deny", "ip", ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("0.0.0.0/0"), None))
    return out, injected


def _wildcard(network: ipaddress.IPv4Network) -> str:
    if network.prefixlen == 32:
        return f"host {network.network_address}"
    if network.prefixlen == 0:
        return "any"
    return f"{network.network_address} {network.hostmask}"


def _vrp_address(network: ipaddress.IPv4Network) -> str:
    if network.prefixlen == 0:
        return "any"
    return f"{network.network_address} {network.hostmask if network.prefixlen < 32 else 0}"


def ios_config(items: list[Rule]) -> str:
    lines = ["hostname bench-l3", "ip routing", "!", "ip access-list extended OFFICE-IN"]
    for rule in items:
        ports = ""
        if rule.ports:
            ports = (
                f" eq {rule.ports[0]}" if rule.ports[0] == rule.ports[1] else f" range {rule.ports[0]} {rule.ports[1]}"
            )
        lines.append(f" {rule.action} {rule.protocol} {_wildcard(rule.source)} {_wildcard(rule.destination)}{ports}")
    lines += [
        "!",
        "interface Vlan20",
        " ip address 10.20.0.1 255.255.255.0",
        "!",
        "interface Vlan30",
        " ip address 10.30.0.1 255.255.255.0",
        " ip access-group OFFICE-IN in",
        "!",
        "line vty 0 4",
        " transport input ssh",
        "!",
        "end",
    ]
    return "\n".join(lines) + "\n"


def huawei_config(items: list[Rule]) -> str:
    lines = ["#", "sysname bench-l3", "#", "acl number 3030"]
    for position, rule in enumerate(items, 1):
        ports = ""
        if rule.ports:
            low, high = rule.ports
            ports = f" destination-port eq {low}" if low == high else f" destination-port range {low} {high}"
        lines.append(
            f" rule {position * 5} {rule.action} {rule.protocol} source {_vrp_address(rule.source)} "
            f"destination {_vrp_address(rule.destination)}{ports}"
        )
    lines += [
        "#",
        "interface Vlanif20",
        " ip address 10.20.0.1 255.255.255.0",
        "#",
        "interface Vlanif30",
        " ip address 10.30.0.1 255.255.255.0",
        " traffic-filter inbound acl 3030",
        "#",
        "return",
    ]
    return "\n".join(lines) + "\n"


def junos_config(items: list[Rule]) -> str:
    base = "set firewall family inet filter OFFICE-IN term"
    lines = ["set version 21.4R3-S5.4", "set system host-name bench-l3"]
    for position, rule in enumerate(items, 1):
        term = f"{base} T{position}"
        if rule.source.prefixlen:
            lines.append(f"{term} from source-address {rule.source}")
        if rule.destination.prefixlen:
            lines.append(f"{term} from destination-address {rule.destination}")
        if rule.protocol != "ip":
            lines.append(f"{term} from protocol {rule.protocol}")
        if rule.ports:
            low, high = rule.ports
            lines.append(f"{term} from destination-port {low if low == high else f'{low}-{high}'}")
        lines.append(f"{term} then {'accept' if rule.action == 'permit' else 'discard'}")
    lines += [
        "set interfaces irb unit 20 family inet address 10.20.0.1/24",
        "set interfaces irb unit 30 family inet address 10.30.0.1/24",
        "set interfaces irb unit 30 family inet filter input OFFICE-IN",
    ]
    return "\n".join(lines) + "\n"


VENDORS: dict[str, tuple[str, str, Callable[[list[Rule]], str]]] = {
    "ios": ("cisco_ios", "show running-config", ios_config),
    "huawei": ("huawei", "display current-configuration", huawei_config),
    "junos": ("juniper_junos", "show configuration | display set", junos_config),
}


def best(repeat: int, step: Callable[[], object]) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return min(times), result


def analyse(facts: Facts) -> dict[str, object]:
    """Every ACL analysis the checks and the query run on this device."""
    access = facts.access
    assert access is not None
    found: dict[str, object] = {}
    lists: list[AccessList] = list(access.lists.values())
    found["unreachable"] = [u.index for item in lists for u in unreachable_lines(item).unreachable]
    everything = HeaderSpace.everything()
    found["permit_any"] = sum(1 for item in lists for line in item.lines if line.space.covers(everything))
    record = HostRecord(
        HostInfo(facts.host), facts.platform.name, facts.hostname, interfaces=tuple(facts.interfaces), access=access
    )
    model = build_from_records([record], read_zones([("bench", ZONES)]))
    device = model.devices[facts.host]
    found["crossings"] = [c.verdict for c in crossings(model, device)]
    answers = query(model, packet("10.30.0.9", "10.20.0.4", "tcp", 502))
    found["query"] = [a.action for a in answers]
    return found


def run(vendor: str, count: int, repeat: int, profile: bool) -> None:
    platform_name, command, render = VENDORS[vendor]
    items, injected = rules(count)
    text = render(items)
    platform = get_platform(platform_name)
    snapshot = Snapshot(host="bench-l3", platform=platform_name, outputs={command: text})
    parse_time, facts = best(repeat, lambda: platform.parse(snapshot))
    assert isinstance(facts, Facts) and facts.access is not None
    lines = sum(len(item.lines) for item in facts.access.lists.values())
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        analyse(facts)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
    analysis_time, found = best(repeat, lambda: analyse(facts))
    assert isinstance(found, dict)
    verdict = "under" if analysis_time < 1.0 else "OVER"
    print(
        f"{vendor:7} {lines:6} ACL lines ({len(text) // 1024} KB config): parse {parse_time:.2f} s, "
        f"analysis {analysis_time:.2f} s ({verdict} the 1 s target), "
        f"parse + analysis {parse_time + analysis_time:.2f} s"
    )
    unreachable = set(found["unreachable"])  # type: ignore[arg-type]
    missed = [i for i in injected if i not in unreachable]
    print(
        f"        shadowed lines found {len(unreachable)}: {len(injected) - len(missed)} of the {len(injected)} "
        f"injected (covered by two halves){f', MISSED {missed[:5]}' if missed else ''}, the rest covered by "
        f"the random rules by chance; permit-any lines {found['permit_any']}, "
        f"zone crossings {found['crossings']}, query tcp/502 office -> production-control: {found['query']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--vendor", choices=[*VENDORS, "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    for vendor in VENDORS if args.vendor == "all" else [args.vendor]:
        run(vendor, args.lines, args.repeat, args.profile)


if __name__ == "__main__":
    main()
