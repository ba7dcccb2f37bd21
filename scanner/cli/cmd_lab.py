"""``netcomply lab``: simulated devices over real SSH, serving saved snapshots."""

from __future__ import annotations

import ipaddress
import signal
import threading
from pathlib import Path

import click

from scanner.cli import ScanAbort, bundled_lab, setup_logging
from scanner.inventory import InventoryError, load_inventory
from scanner.lab import Fault, FaultError, Lab, LabError, load_devices, parse_fault, write_lab_inventory
from scanner.lab.faults import DESCRIPTIONS
from scanner.snapshot import SnapshotError
from scanner.snmp.lab import SnmpLabError, snmpsim_available, start_snmp_agents

_FAULT_HELP = "; ".join(f"{kind.value}: {text}" for kind, text in DESCRIPTIONS.items())
SNMPSIM_INSTALL = "pip install 'netcomply[lab]'"


@click.group("lab")
def command() -> None:
    """Simulated network devices for trying netcomply's live path without a network."""


def _faults(values: tuple[str, ...]) -> dict[str, Fault]:
    faults: dict[str, Fault] = {}
    for value in values:
        host, sep, spec = value.partition("=")
        if not sep or not host.strip():
            raise click.BadParameter(f"expected HOST=FAULT, got {value!r}", param_hint="--fault")
        try:
            faults[host.strip()] = parse_fault(spec)
        except FaultError as exc:
            raise click.BadParameter(str(exc), param_hint="--fault") from None
    return faults


@command.command("serve")
@click.option(
    "--snapshots",
    "-s",
    type=click.Path(path_type=Path, exists=True),
    help="Snapshot folder whose hosts to simulate. Default: the --inventory's snapshots/ folder, "
    "else the bundled lab network (its inventory too).",
)
@click.option(
    "--inventory",
    "-i",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Inventory of those hosts: only its hosts are served; groups, roles, zones and platforms are copied.",
)
@click.option(
    "--inventory-out",
    "-o",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the lab's Nornir inventory (hosts.yaml, groups.yaml, defaults.yaml, known_hosts).",
)
@click.option(
    "--base-port", type=click.IntRange(1, 65535), help="First port (one per host, in order). Default: free ports."
)
@click.option("--address", default="127.0.0.1", show_default=True, help="Loopback address to listen on.")
@click.option(
    "--state",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where the lab keeps its SSH keys (made once, reused). Default: INVENTORY_OUT/.lab-state.",
)
@click.option(
    "--auth",
    type=click.Choice(["password", "key"]),
    default="password",
    show_default=True,
    help="How the written inventory logs in (the devices accept both).",
)
@click.option(
    "--fault", "fault_specs", multiple=True, metavar="HOST=FAULT", help=f"Make a host misbehave. {_FAULT_HELP}."
)
@click.option(
    "--snmp/--no-snmp",
    default=None,
    help="Also serve each host's SNMP agent (snmpsim, from its snapshot). Default: when snmpsim is installed.",
)
@click.option("-v", "--verbose", count=True, help="Log connections (-vv: debug).")
def serve(
    snapshots: Path | None,
    inventory: Path | None,
    inventory_out: Path,
    base_port: int | None,
    address: str,
    state: Path | None,
    auth: str,
    fault_specs: tuple[str, ...],
    snmp: bool | None,
    verbose: int,
) -> None:
    """Serve every host of a snapshot folder over SSH on loopback until interrupted.

    Each device answers its saved outputs with its platform's prompt, echo and refusal
    text, accepts the paging commands, and logs in by password or key. A fault can be
    set per host with --fault or `lab_fault: FAULT` in its meta.yaml. Then, in another
    shell: netcomply scan --inventory INVENTORY_OUT
    """
    setup_logging(verbose, quiet=False)
    faults = _faults(fault_specs)
    try:
        if not ipaddress.ip_address(address).is_loopback:
            raise ValueError
    except ValueError:
        raise click.BadParameter(f"{address} is not a loopback address", param_hint="--address") from None
    if snapshots is None and inventory is None:
        inventory = bundled_lab()
    if snapshots is None:
        snapshots = (inventory or bundled_lab()) / "snapshots"
        if not snapshots.is_dir():
            raise ScanAbort(f"no --snapshots given and {snapshots} does not exist")
    try:
        hosts = load_inventory(inventory) if inventory is not None else None
        devices = load_devices(snapshots, hosts, faults)
    except (InventoryError, LabError, SnapshotError) as exc:
        raise ScanAbort(str(exc)) from None
    state_dir = state or inventory_out / ".lab-state"
    lab = Lab(devices, state_dir, address=address, base_port=base_port)
    stop = threading.Event()
    agents = None
    snmp_off = "" if snmp is None else " (--no-snmp)"
    if snmp is None:
        snmp = snmpsim_available()
        if not snmp:
            snmp_off = f": snmpsim is not installed ({SNMPSIM_INSTALL})"
    elif snmp and not snmpsim_available():
        raise ScanAbort(f"--snmp needs snmpsim: {SNMPSIM_INSTALL}")
    try:
        lab.start()
        if snmp:
            agents = start_snmp_agents(snapshots, {d.name for d in devices}, state_dir / "snmp", address)
    except (LabError, SnmpLabError) as exc:
        lab.stop()
        raise ScanAbort(str(exc)) from None
    try:
        key_file = lab.keys.client_key_path if auth == "key" else None
        write_lab_inventory(
            lab, inventory_out, inventory, key_file=key_file, snmp=agents.host_data() if agents else None
        )
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        ports = sorted(lab.ports.values())
        faulty = sum(1 for d in devices if d.fault is not None)
        snmp_note = f"; SNMP agents on UDP {agents.describe()}" if agents else f"; SNMP simulation off{snmp_off}"
        click.echo(
            f"netcomply lab: {len(devices)} device(s) listening on {address} ports {ports[0]}-{ports[-1]}"
            f"{f' ({faulty} with faults)' if faulty else ''}{snmp_note}; inventory in {inventory_out}; Ctrl-C stops",
            err=False,
        )
        while not stop.wait(0.5):
            pass
    finally:
        if agents is not None:
            agents.stop()
        lab.stop()
