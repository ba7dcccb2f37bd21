"""``netcomply acl query``: can A reach B? Where the scanned devices filter one packet, and what decides it."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from scanner.checkapi import ModelUnavailable
from scanner.cli import ScanAbort, setup_logging
from scanner.cli._sources import demo_source, host_filter_options, log_options, resolve_hosts, source_options
from scanner.collect.cli import CollectAbort, live_inputs, live_options, run_collection
from scanner.collect.options import CollectOptions
from scanner.engine import Scanner, ScanOptions
from scanner.hostsource import HostFilter, offline_inputs
from scanner.masking import REDACTOR
from scanner.network.acl.model import ACL_MODEL, AclModel
from scanner.network.acl.query import DeviceAnswer, Packet, describe, packet, query
from scanner.policy import Policy, PolicyError
from scanner.snapshot import HostInput, SnapshotError

EXIT_DENIED = 1


@click.group("acl")
def command() -> None:
    """Access lists across the network: where a packet is filtered and by which line."""


@command.command("query")
@source_options
@host_filter_options
@click.option("--live", is_flag=True, help="Collect over SSH even when the inventory has a snapshots/ folder.")
@live_options
@log_options
@click.option("--from", "source", required=True, metavar="ADDRESS", help="Source address of the packet.")
@click.option("--to", "destination", required=True, metavar="ADDRESS", help="Destination address of the packet.")
@click.option(
    "--proto", default="tcp", show_default=True, help="Protocol: tcp, udp, icmp, gre, ... or a number (0-255)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), help="Destination port (tcp, udp, sctp); the ICMP type for icmp."
)
@click.option("--sport", type=click.IntRange(0, 65535), help="Source port (default: an ephemeral port, 49152).")
@click.option("--device", help="Only this device (its inventory name).")
@click.option("--policy", "-p", type=click.Path(path_type=Path, dir_okay=False), help="Policy YAML (as for scan).")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
def query_command(
    inventory: Path | None,
    snapshots: Path | None,
    demo: bool,
    selected: HostFilter,
    live: bool,
    collect_options: CollectOptions,
    verbose: int,
    quiet: bool,
    source: str,
    destination: str,
    proto: str,
    port: int | None,
    sport: int | None,
    device: str | None,
    policy: Path | None,
    fmt: str,
) -> None:
    """For each device and interface where a packet from --from to --to would be filtered, the
    decision and the line that decides it (or the default the vendor applies when no line does).

    A device is on the packet's way where its connected subnets put it: it routes the packet
    between the interface facing the source and the one facing the destination, or the
    packet enters or leaves it there, or the device owns the destination (its login, SNMP
    and control-plane lists then decide). Reads the same inventory and snapshots as `scan`
    (offline), or collects over SSH with --live.

    Exit status: 0 permitted wherever it is filtered, 1 denied on some device, 2 the query
    could not be answered.
    """
    setup_logging(verbose, quiet)
    try:
        wanted = packet(source, destination, proto, port, sport)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        loaded_policy = Policy.load(policy)
    except PolicyError as exc:
        raise ScanAbort(str(exc)) from None
    if demo:
        inventory = demo_source(inventory, snapshots, demo, live=live)
    hosts_source = resolve_hosts(inventory, snapshots, live=live)
    try:
        if hosts_source.live:
            assert hosts_source.inventory is not None
            run = run_collection(hosts_source.inventory, selected, collect_options, verbose=verbose, quiet=quiet)
            items: Iterable[HostInput] = live_inputs(run)
        else:
            assert hosts_source.snapshots is not None
            items = offline_inputs(hosts_source.snapshots, hosts_source.hosts, selected)
        model, errors = build_model(items, loaded_policy)
    except (SnapshotError, CollectAbort) as exc:
        raise ScanAbort(str(exc)) from None
    if device is not None and device not in model.devices:
        known = ", ".join(sorted(model.devices)) or "none"
        raise ScanAbort(f"--device {device}: no such device with access-list facts (devices: {known})")
    answers = query(model, wanted, device)
    text = render_json(wanted, answers, errors) if fmt == "json" else render_text(wanted, answers, errors)
    sys.stdout.write(REDACTOR.scrub(text))
    sys.stdout.flush()
    sys.exit(EXIT_DENIED if any(a.filtered and a.action == "deny" for a in answers) else 0)


def build_model(items: Iterable[HostInput], policy: Policy) -> tuple[AclModel, dict[str, str]]:
    """Parse every host once (the scan's engine, no checks) and build the ACL model from their records."""
    scanner = Scanner(ScanOptions(policy=policy), checks=[])
    for item in items:
        scanner.scan_host(item)
    scanner.finish()
    assert scanner.network_context is not None
    try:
        model: AclModel = scanner.network_context.models[ACL_MODEL]
    except ModelUnavailable as exc:
        raise ScanAbort(str(exc)) from None
    return model, dict(scanner.host_errors)


def _where(answer: DeviceAnswer) -> str:
    if answer.role == "routes":
        return f"routes it {answer.ingress} -> {answer.egress}"
    if answer.role == "enters":
        return f"receives it on {answer.ingress} (the source's subnet)"
    if answer.role == "leaves":
        return f"sends it out of {answer.egress} (the destination's subnet)"
    return f"owns {answer.egress}'s address: the packet is for the device itself"


def render_text(packet: Packet, answers: list[DeviceAnswer], errors: dict[str, str]) -> str:
    out = [f"netcomply acl query: {describe(packet)}"]
    if not answers:
        out.append("no scanned device has an interface in the subnet of the source or the destination")
    for answer in answers:
        verdict = answer.action if answer.filtered else "not filtered"
        out.append(f"{answer.device}: {_where(answer)}: {verdict.upper() if answer.filtered else verdict}")
        if answer.note:
            out.append(f"  {answer.note}")
        for item in answer.decisions:
            stage, decision = item.stage, item.decision
            if decision.line is not None:
                line = decision.line
                why = f"line {line.label}: {line.text} ({line.evidence.source} line {line.evidence.line})"
            else:
                why = f"no line matches: {stage.default_basis}"
            out.append(f"  {decision.action:6} {stage.label}: {why}")
            for maybe in decision.maybe:
                out.append(f"         (line {maybe.label} may match first: {maybe.inexact})")
    for host, reason in sorted(errors.items()):
        out.append(f"not read: {host}: {reason}")
    return "\n".join(out) + "\n"


def render_json(packet: Packet, answers: list[DeviceAnswer], errors: dict[str, str]) -> str:
    document: dict[str, Any] = {
        "packet": {
            "source": str(packet.source),
            "destination": str(packet.destination),
            "protocol": packet.protocol,
            "port": packet.port,
            "source_port": packet.source_port,
            "icmp_type": packet.icmp_type,
        },
        "devices": [
            {
                "device": a.device,
                "role": a.role,
                "ingress": a.ingress,
                "egress": a.egress,
                "decision": a.action if a.filtered else None,
                "note": a.note or None,
                "filters": [
                    {
                        "list": item.stage.list_name,
                        "label": item.stage.label,
                        "kind": item.stage.kind,
                        "interface": item.stage.interface,
                        "direction": item.stage.direction,
                        "decision": item.decision.action,
                        "line": _line(item.decision.line),
                        "default": item.stage.default_basis if item.decision.line is None else None,
                        "maybe": [_line(m) for m in item.decision.maybe],
                    }
                    for item in a.decisions
                ],
            }
            for a in answers
        ],
        "errors": errors,
    }
    return json.dumps(document, indent=2) + "\n"


def _line(line: Any) -> dict[str, Any] | None:
    if line is None:
        return None
    return {
        "label": line.label,
        "text": line.text,
        "action": line.action,
        "source": line.evidence.source,
        "line": line.evidence.line,
        "exact": line.exact,
    }
