"""``netcomply topology``: draw the topology discovered from CDP/LLDP neighbours, with its findings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scanner.cli import ScanAbort, setup_logging
from scanner.cli._policy import load_policy
from scanner.cli._sources import demo_source, log_options, resolve_hosts, source_options
from scanner.escaping import for_terminal
from scanner.files import atomic_write
from scanner.hostsource import HostFilter, offline_inputs
from scanner.model import Status
from scanner.network.topology.declared import DeclaredError, load_declared, network_attachments
from scanner.network.topology.settings import TopologySettingsError, read_settings
from scanner.policy import PolicyError
from scanner.snapshot import SnapshotError
from scanner.topology.compare import compare
from scanner.topology.export import render_dot, render_json
from scanner.topology.html import render_html
from scanner.topology.routing import build_diagram
from scanner.topology.run import discover
from scanner.topology.svg import render_svg

RENDERERS = {"svg": render_svg, "html": render_html, "dot": render_dot, "json": render_json}


@click.command("topology")
@source_options
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="html",
    show_default=True,
    help="svg: the drawing; html: one self-contained page (drawing, findings, differences; works offline); "
    "dot: Graphviz source; json: nodes, links and findings (usable as --declared next time).",
)
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write here (default: stdout).")
@click.option(
    "--declared",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The documented topology (YAML `links:` like links.yaml, or an earlier --format json output): "
    "every difference from what is discovered is listed.",
)
@click.option(
    "--policy", "-p", type=click.Path(path_type=Path, dir_okay=False), help="Policy YAML (its `topology:` section)."
)
@click.option("--site", help="Only hosts at this site.")
@log_options
def command(
    inventory: Path | None,
    snapshots: Path | None,
    demo: bool,
    fmt: str,
    output: Path | None,
    declared: Path | None,
    policy: Path | None,
    site: str | None,
    verbose: int,
    quiet: bool,
) -> None:
    """Draw the network as discovered from CDP/LLDP neighbours: devices grouped by zone, firewalls
    marked, each offending link (firewall bypass, zone partition breach) in red with its finding.

    Neighbour names are matched to inventory hosts by name (with or without domain), serial
    number and management address; neighbours not in the inventory are drawn too. With
    --declared, the documented topology is compared with the discovered one and every
    difference is listed (the form's "accurate, current topology diagram").

    Exit status: 0 drawn; 2 the inputs cannot be used.
    """
    setup_logging(verbose, quiet)
    try:
        loaded_policy = load_policy(policy)
        settings = read_settings(loaded_policy)
    except (PolicyError, TopologySettingsError) as exc:
        raise ScanAbort(str(exc)) from None
    try:
        documented = load_declared(declared) if declared is not None else None
    except DeclaredError as exc:
        raise ScanAbort(str(exc)) from None

    source = resolve_hosts(demo_source(inventory, snapshots, demo), snapshots, can_collect=False)
    inventory, snapshots, hosts = source.inventory, source.snapshots, source.hosts
    assert snapshots is not None

    try:
        run = discover(
            offline_inputs(snapshots, hosts, HostFilter(site=site)), loaded_policy, network_attachments(inventory)
        )
    except SnapshotError as exc:
        raise ScanAbort(str(exc)) from None
    if not run.hosts:
        raise ScanAbort("no host matched: check the inventory, the snapshot folder and --site")

    differences = compare(documented, run.topology) if documented is not None else None
    diagram = build_diagram(
        run.topology,
        run.findings,
        settings.barrier_roles,
        differences,
        title=f"netcomply topology: {source.network_name(site)}",
        generated=run.generated.strftime("%Y-%m-%d %H:%M UTC"),
    )
    text = RENDERERS[fmt](diagram)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            atomic_write(output, text)
        except OSError as exc:
            raise ScanAbort(f"cannot write {output}: {exc.strerror or exc}") from None
    if not quiet:
        topology = run.topology
        failed = sum(1 for f in run.findings if f.status is Status.FAIL)
        errors = sum(1 for f in run.findings if f.status is Status.ERROR)
        summary = (
            f"netcomply topology: {len(topology.devices)} devices ({len(topology.managed)} in the inventory, "
            f"{len(run.host_errors)} not scanned), {len(topology.links)} links, {len(diagram.breaches)} offending "
            f"link(s), {failed} failed check(s), {errors} error(s)"
        )
        if differences is not None:
            summary += f", {differences.count} difference(s) from {declared}"
        if output is not None:
            summary += f"; wrote {output}"
        click.echo(for_terminal(summary), err=True)
        for warning in run.topology.warnings:
            click.echo(for_terminal(f"netcomply topology: warning: {warning}"), err=True)
