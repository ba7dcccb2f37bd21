"""The inbound default of a Linux host's firewall: nftables, iptables (legacy or nft), firewalld.

A packet for the host passes every base chain hooked on ``input`` in its family (ip and
inet for IPv4, ip6 and inet for IPv6; iptables' INPUT is one of them). Unsolicited
traffic is refused by default when one of those chains ends in drop or reject: its
policy, or an unconditional last rule (firewalld's own chains end in ``reject``), with no
unconditional accept before it (``policy drop`` after a bare ``accept`` refuses nothing). A
running firewalld refuses it too unless its default zone's target is ACCEPT. Each IP
family is one scope: an open IPv6 path is as open as an IPv4 one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scanner.hostfacts import FirewallScope, FirewallState
from scanner.model import Evidence
from scanner.platforms._linux.pam import EvidenceMaker

_FAMILIES = {"ip": ("IPv4",), "ip6": ("IPv6",), "inet": ("IPv4", "IPv6")}
_COUNTER = re.compile(r"\bcounter(?: packets \d+ bytes \d+)?\s*")
_COMMENT = re.compile(r'\s*comment\s+"[^"]*"')


@dataclass
class Layer:
    """One filter on the inbound path: its name, whether it refuses by default, and why."""

    name: str
    families: tuple[str, ...]
    blocks: bool
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


def _nft_verdict(rule: str) -> str | None:
    """ "accept" or "refuse" for a rule without a condition (counters and comments aside), else None."""
    text = _COMMENT.sub("", _COUNTER.sub("", rule)).strip()
    if text == "accept":
        return "accept"
    if text == "drop" or text == "reject" or text.startswith("reject with "):
        return "refuse"
    return None


_IPT_UNCONDITIONAL = re.compile(
    r"-A INPUT(?: -m comment --comment (?:\"[^\"]*\"|\S+))? -j (ACCEPT|DROP|REJECT)(?: --reject-with \S+)?"
)


def _ipt_verdict(rule: str) -> str | None:
    match = _IPT_UNCONDITIONAL.fullmatch(rule.strip())
    if not match:
        return None
    return "accept" if match.group(1) == "ACCEPT" else "refuse"


def nft_layers(text: str, ev: EvidenceMaker) -> list[Layer]:
    """Every base chain hooked on input in ``nft list ruleset``."""
    layers: list[Layer] = []
    family = table = chain = ""
    hook_line: tuple[int, str] | None = None
    policy = ""
    rules: list[tuple[int, str]] = []
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        table_match = re.match(r"^table\s+(\S+)\s+(\S+)\s*\{", stripped)
        if table_match and depth == 0:
            family, table, depth = table_match.group(1), table_match.group(2), 1
            continue
        chain_match = re.match(r"^chain\s+(\S+)\s*\{", stripped)
        if chain_match and depth == 1:
            chain, depth, hook_line, policy, rules = chain_match.group(1), 2, None, "", []
            continue
        if stripped.startswith("}"):
            if depth == 2 and hook_line is not None and family in _FAMILIES:
                layers.append(_nft_layer(family, table, chain, policy, hook_line, rules, ev))
            depth = max(0, depth - 1)
            continue
        if depth == 2:
            hook = re.search(r"\btype\s+filter\s+hook\s+input\b", stripped)
            if hook:
                hook_line = (number, line)
                found = re.search(r"\bpolicy\s+(accept|drop)\b", stripped)
                policy = found.group(1) if found else "accept"
            elif stripped and not stripped.startswith("#") and not stripped.startswith("type "):
                rules.append((number, line))
    return layers


def _nft_layer(
    family: str,
    table: str,
    chain: str,
    policy: str,
    hook: tuple[int, str],
    rules: list[tuple[int, str]],
    ev: EvidenceMaker,
) -> Layer:
    name = f"nftables {family} {table} {chain}"
    evidence = [ev(*hook)]
    for number, rule in rules:
        verdict = _nft_verdict(rule)
        if verdict is None:
            continue
        evidence.append(ev(number, rule))
        if verdict == "accept":
            return Layer(name, _FAMILIES[family], False, f"accepts everything at {rule.strip()} ({name})", evidence)
        return Layer(name, _FAMILIES[family], True, f"ends in {rule.strip()} ({name})", evidence)
    return Layer(name, _FAMILIES[family], policy == "drop", f"policy {policy} ({name})", evidence)


def iptables_layer(text: str, ev: EvidenceMaker, family: str) -> Layer | None:
    """The filter table's INPUT chain in ``iptables-save`` / ``ip6tables-save``; None when it has none."""
    tool = "iptables" if family == "IPv4" else "ip6tables"
    in_filter = False
    policy: tuple[int, str, str] | None = None
    decided: tuple[int, str, str] | None = None  # the first rule without a condition: it ends the chain
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("*"):
            in_filter = stripped == "*filter"
            continue
        if not in_filter:
            continue
        match = re.match(r"^:INPUT\s+(\S+)", stripped)
        if match:
            policy = (number, line, match.group(1).upper())
        elif stripped.startswith("-A INPUT ") and decided is None:
            verdict = _ipt_verdict(stripped)
            if verdict is not None:
                decided = (number, line, verdict)
    if policy is None:
        return None
    name = f"{tool} INPUT"
    evidence = [ev(policy[0], policy[1])]
    if decided is not None:
        evidence.append(ev(decided[0], decided[1]))
        if decided[2] == "accept":
            return Layer(name, (family,), False, f"accepts everything at {decided[1].strip()} ({name})", evidence)
        return Layer(name, (family,), True, f"ends in {decided[1].strip()} ({name})", evidence)
    return Layer(name, (family,), policy[2] == "DROP", f"policy {policy[2]} ({name})", evidence)


def firewalld_layer(state: str, listing: str | None, ev: EvidenceMaker, list_ev: EvidenceMaker) -> Layer | None:
    """firewalld when it runs: its default zone's target (``default``, REJECT and DROP refuse)."""
    if state.strip() != "running":
        return None
    zone = "the default zone"
    target = None
    evidence = [ev(1, state.strip())]
    for number, line in enumerate((listing or "").splitlines(), 1):
        stripped = line.strip()
        if number == 1 and stripped:
            zone = f"zone {stripped.split()[0]}"
        match = re.match(r"^target:\s*(\S+)", stripped)
        if match:
            target = match.group(1)
            evidence.append(list_ev(number, line))
    if target is None:
        unknown = "firewalld runs, its default zone's target unknown"
        return Layer("firewalld", ("IPv4", "IPv6"), False, unknown, evidence)
    blocks = target.upper() != "ACCEPT"
    return Layer("firewalld", ("IPv4", "IPv6"), blocks, f"target {target} (firewalld {zone})", evidence)


def empty_output(text: str, ev: EvidenceMaker) -> Evidence:
    """Evidence that a tool showed no filter: its output's first line, or that it printed nothing."""
    first = next((line for line in text.splitlines() if line.strip()), None)
    return ev(1, first if first is not None else "(no output: no rules loaded)")


def state(layers: list[Layer], tools: tuple[str, ...], shown: tuple[Evidence, ...] = ()) -> FirewallState:
    """``shown``: what the tools printed when they hold no filter, the evidence of an open path."""
    scopes = []
    for family in ("IPv4", "IPv6"):
        mine = [layer for layer in layers if family in layer.families]
        blocking = [layer for layer in mine if layer.blocks]
        evidence = tuple(e for layer in (blocking or mine) for e in layer.evidence)
        if not mine:
            summary = f"no inbound filter (looked in {', '.join(tools)})" if tools else "no firewall tool installed"
            scopes.append(FirewallScope(f"{family} inbound", False, False, summary, shown))
            continue
        summary = "; ".join(layer.summary for layer in (blocking or mine))
        scopes.append(FirewallScope(f"{family} inbound", True, bool(blocking), summary, evidence))
    return FirewallState(tools, tuple(scopes))
