"""The ACL readers agree with a reference: Aerleon's generated lists and its own packet check.

Aerleon (Apache-2.0, the maintained Capirca) writes one policy as Cisco IOS, NX-OS, Arista
EOS and Junos filters, and answers with ``aclcheck`` which term of the policy a packet
meets first. For seeded random policies (addresses of every prefix length, TCP/UDP port
ranges and single ports, source ports, ICMP, accept and deny) the generated text is put in
a whole device configuration, read by netcomply's parser of that platform, and each packet
is decided by netcomply's first-match over the header spaces it read. Both must give the
same action for every packet, the implicit deny included. Packets are drawn at the edges
of each term's prefixes and port ranges, where a wildcard or an operator read wrongly
shows.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Any

import pytest

pytest.importorskip("aerleon", reason="aerleon (the reference) is in the test extras: pip install -e '.[test]'")

from aerleon import api
from aerleon.lib import aclcheck, naming, policy, policy_builder

from scanner.headerspace import SYN
from scanner.network.acl.lines import decide
from scanner.platforms import get_platform
from tests.aclconfigs import COMMANDS
from tests.scanhelpers import text_snapshot

# Aerleon target -> (netcomply platform, target options, generated file suffix).
TARGETS = {
    "cisco": ("cisco_ios", "EDGE extended", "acl"),
    "cisconx": ("cisco_nxos", "EDGE", "nxacl"),
    "arista": ("arista_eos", "EDGE", "eacl"),
    "juniper": ("juniper_junos", "EDGE inet", "jcl"),
}
PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1}
FULL = (1 << 32) - 1
SEEDS = range(6)


def _network(rng: random.Random) -> ipaddress.IPv4Network:
    length = rng.choice([8, 12, 16, 20, 23, 24, 25, 27, 30, 32])
    address = ipaddress.IPv4Address(rng.randrange(10 << 24, 11 << 24))
    return ipaddress.ip_network(f"{address}/{length}", strict=False)


def _ports(rng: random.Random) -> tuple[int, int]:
    low = rng.choice([22, 53, 80, 443, 502, 1024, 3389, 8000, rng.randrange(1, 65000)])
    return (low, low) if rng.random() < 0.5 else (low, min(65535, low + rng.randrange(1, 2000)))


def random_policy(seed: int, terms: int = 24) -> tuple[dict[str, Any], naming.Naming, list[dict[str, Any]]]:
    """A policy of ``terms`` terms, its definitions, and each term's draw (to aim packets at)."""
    rng = random.Random(seed)
    networks: dict[str, Any] = {}
    services: dict[str, Any] = {}
    body: list[dict[str, Any]] = []
    drawn: list[dict[str, Any]] = []
    for index in range(terms):
        term: dict[str, Any] = {"name": f"t{index}", "action": rng.choice(["accept", "deny"])}
        draw: dict[str, Any] = {"src": [], "dst": [], "ports": [], "sports": []}
        for side, key in (("source-address", "src"), ("destination-address", "dst")):
            if rng.random() < 0.75:
                name = f"N{index}{key.upper()}"
                prefixes = [_network(rng) for _ in range(rng.choice([1, 1, 2]))]
                networks[name] = {"values": [{"address": str(p)} for p in prefixes]}
                term[side] = name
                draw[key] = prefixes
        protocol = rng.choice(["tcp", "udp", "tcp", "icmp", None])
        if protocol is not None:
            term["protocol"] = protocol
        if protocol in ("tcp", "udp"):
            for side, key in (("destination-port", "ports"), ("source-port", "sports")):
                if rng.random() < (0.8 if key == "ports" else 0.2):
                    name = f"S{index}{key.upper()}"
                    low, high = _ports(rng)
                    services[name] = [{"port": str(low) if low == high else f"{low}-{high}", "protocol": protocol}]
                    term[side] = name
                    draw[key] = [(low, high)]
        body.append(term)
        drawn.append(draw)
    definitions = naming.Naming()
    definitions.ParseDefinitionsObject({"networks": networks, "services": services}, "")
    return {"terms": body}, definitions, drawn


def _policy_for(target: str, terms: dict[str, Any]) -> dict[str, Any]:
    options = TARGETS[target][1]
    return {"filename": f"edge_{target}", "filters": [{"header": {"targets": {target: options}}, **terms}]}


def _body_lines(generated: str) -> list[str]:
    """The list as a running configuration shows it: no header comments, remarks or ``exit``."""
    keep = []
    for line in generated.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("!", "no ip access-list", "remark", "exit")):
            continue
        keep.append(line.rstrip())
    return keep


def device_config(target: str, generated: str) -> str:
    """A whole configuration of the target's platform with the list applied inbound on Vlan10."""
    body = _body_lines(generated)
    if target == "cisco":
        return "\n".join(["hostname r1", *body, "interface Vlan10", " ip address 10.255.10.1 255.255.255.0",
                          " ip access-group EDGE in", "line vty 0 4", " transport input ssh", "end", ""])  # fmt: skip
    if target == "cisconx":
        return "\n".join(["hostname r1", "feature interface-vlan", *body, "interface Vlan10", "  no shutdown",
                          "  ip address 10.255.10.1/24", "  ip access-group EDGE in", "line console", "line vty",
                          "boot nxos bootflash:/nxos.9.3.8.bin", ""])  # fmt: skip
    if target == "arista":
        return "\n".join(["hostname r1", *body, "interface Vlan10", "   ip address 10.255.10.1/24",
                          "   ip access-group EDGE in", "ip routing", "end", ""])  # fmt: skip
    text = "\n".join(body).replace("replace: filter", "filter").replace("interface-specific;", "")
    without_comments = []
    inside = False
    for line in text.splitlines():
        if line.strip().startswith("/*"):
            inside = True
        if not inside:
            without_comments.append(line)
        if inside and line.strip().endswith("*/"):
            inside = False
    interfaces = (
        "interfaces {\n    irb {\n        unit 10 {\n            family inet {\n                filter {\n"
        "                    input EDGE;\n                }\n                address 10.255.10.1/24;\n"
        "            }\n        }\n    }\n}\n"
    )
    return "system {\n    host-name r1;\n}\n" + interfaces + "\n".join(without_comments) + "\n"


def _edges(prefixes: list[ipaddress.IPv4Network]) -> list[ipaddress.IPv4Address]:
    points = []
    for prefix in prefixes:
        first, last = int(prefix.network_address), int(prefix.broadcast_address)
        points += [first, last, first - 1, last + 1, (first + last) // 2]
    return [ipaddress.IPv4Address(p) for p in points if 0 <= p <= FULL]


def packets(
    drawn: list[dict[str, Any]], seed: int, count: int = 600
) -> list[tuple[str, str, str, int | None, int | None]]:
    """Packets at the edges of the terms' prefixes and port ranges, and some anywhere."""
    rng = random.Random(seed * 7919)
    out = []
    for _ in range(count):
        draw = rng.choice(drawn)
        src = rng.choice(_edges(draw["src"]) or [ipaddress.IPv4Address(rng.randrange(10 << 24, 11 << 24))])
        dst = rng.choice(_edges(draw["dst"]) or [ipaddress.IPv4Address(rng.randrange(10 << 24, 11 << 24))])
        protocol = rng.choice(["tcp", "tcp", "udp", "icmp"])
        dport = sport = None
        if protocol != "icmp":
            low, high = rng.choice(draw["ports"] or [_ports(rng)])
            dport = max(1, min(65535, rng.choice([low, high, low - 1, high + 1, rng.randrange(1, 65536)])))
            slow, shigh = rng.choice(draw["sports"] or [(40000, 40000)])
            sport = max(1, min(65535, rng.choice([slow, shigh, slow - 1, shigh + 1, rng.randrange(1024, 65536)])))
        out.append((str(src), str(dst), protocol, sport, dport))
    return out


def reference_action(
    pol: policy.Policy, src: str, dst: str, protocol: str, sport: int | None, dport: int | None
) -> str:
    check = aclcheck.AclCheck(pol, src, dst, sport or "any", dport or "any", protocol)
    exact = check.ExactMatches()
    if not exact:
        return "deny"  # every one of these platforms denies what no line matches on an interface
    return "permit" if exact[0].action == "accept" else "deny"


def point(src: str, dst: str, protocol: str, sport: int | None, dport: int | None) -> tuple[int, ...]:
    number = PROTOCOL_NUMBERS[protocol]
    s, d = int(ipaddress.IPv4Address(src)), int(ipaddress.IPv4Address(dst))
    sp, dp = sport or 0, dport or 0
    return (number, number, s, FULL, d, FULL, sp, sp, dp, dp, 8, 8, 0, 0, SYN, 0x3F)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("seed", SEEDS)
def test_netcomply_decides_every_packet_as_aerleon_does(target: str, seed: int) -> None:
    terms, definitions, drawn = random_policy(seed)
    whole = _policy_for(target, terms)
    platform, _, suffix = TARGETS[target]
    generated = api.Generate([whole], definitions)
    assert generated is not None
    text = device_config(target, generated[f"edge_{target}.{suffix}"])
    facts = get_platform(platform).parse(text_snapshot("r1", COMMANDS[platform], text, platform))
    assert facts.config_incomplete is None, facts.config_incomplete
    assert facts.access is not None
    acl = facts.access.get("EDGE")
    assert acl is not None, text
    assert all(line.exact for line in acl.lines), [line.inexact for line in acl.lines if not line.exact]
    (use,) = [u for u in facts.access.uses if u.name == "EDGE"]
    assert use.context == "interface" and use.default == "deny"
    reference = policy.FromBuilder(policy_builder.PolicyBuilder(whole, definitions))
    disagreements = []
    decided_by_a_line: dict[str, int] = {"permit": 0, "deny": 0}
    for src, dst, protocol, sport, dport in packets(drawn, seed):
        expected = reference_action(reference, src, dst, protocol, sport, dport)
        decision = decide(acl.lines, point(src, dst, protocol, sport, dport), use.default)
        if decision.line is not None:
            decided_by_a_line[decision.action] += 1
        if decision.action != expected:
            shown = decision.line.text if decision.line else "(default)"
            disagreements.append(f"{protocol} {src}:{sport} -> {dst}:{dport}: aerleon {expected}, netcomply {shown}")
    assert not disagreements, disagreements[:10]
    # The packets exercise permitting and denying lines, not only the default.
    assert min(decided_by_a_line.values()) >= 25, decided_by_a_line
