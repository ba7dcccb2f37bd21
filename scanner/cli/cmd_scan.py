"""``netcomply scan``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from checks import PluginError
from checks.frameworks import clauses_by_check
from reports import RenderOptions
from scanner.backup.provider import backup_check
from scanner.backup.settings import BackupSettings
from scanner.cli import ScanAbort, setup_logging
from scanner.cli._policy import load_policy, restrict_checks
from scanner.cli._report_options import report_options
from scanner.cli._scale import ScanProgress, scale_options
from scanner.cli._sources import demo_source, host_filter_options, log_options, resolve_hosts, source_options
from scanner.cli._store import DB_HELP, options_from_diff, policy_database
from scanner.collect.cli import CollectAbort, live_inputs, live_options, run_collection, save_run
from scanner.collect.options import CollectOptions
from scanner.configtree import BACKENDS
from scanner.configtree_reference import ReferenceParserMissing, require_ciscoconfparse
from scanner.engine import HostItem, ScanOptions, StepRunner, load_item, run_scan
from scanner.hostsource import HostFilter, offline_tasks
from scanner.ipam.source import records_input, records_source
from scanner.model import Finding, HostInfo, Severity, Status
from scanner.network.topology.declared import network_attachments
from scanner.output import OutputError, parse_formats, write_reports
from scanner.parallel import ClusterError
from scanner.policy import PolicyError
from scanner.rules import RuleError
from scanner.snapshot import SnapshotError
from scanner.snmp.cli import SnmpAbort, SnmpCliOptions, run_probe, snmp_inputs, snmp_options
from scanner.store import Scope, StoreError
from scanner.store.history import open_recorder, run_on_change
from scanner.store.lock import LockBusy

log = logging.getLogger("netcomply.scan")

# The checks that compare the network with the IP records (ipam.duplicate_address needs none).
IPAM_CHECKS_WITH_RECORDS = ("ipam.unrecorded_address", "ipam.unrecorded_host", "ipam.outside_plan", "ipam.stale_record")


def _severity(_ctx: click.Context, _param: click.Parameter, value: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("scan")
@source_options
@click.option(
    "--policy", "-p", type=click.Path(path_type=Path, dir_okay=False), help="Policy YAML (see `netcomply policy`)."
)
@report_options
@click.option(
    "--fail-on",
    default="low",
    show_default=True,
    callback=_severity,
    help="Exit 1 when a failure has at least this severity: info, low, medium, high, critical.",
)
@click.option(
    "--parser",
    "backend",
    type=click.Choice(BACKENDS),
    default="native",
    show_default=True,
    help="Configuration tree builder: netcomply's own, or ciscoconfparse (the slower reference).",
)
@click.option(
    "--backup-store",
    "--store",
    "backup_store",
    type=click.Path(path_type=Path, file_okay=False),
    help="Configuration backup store (see `netcomply backup`) that backup.current checks each host against; "
    "not the results database (--db). Default: backup.store in the policy; without one, backups are not checked.",
)
@click.option(
    "--ipam",
    "ipam_table",
    type=click.Path(path_type=Path, dir_okay=False),
    help="IP allocation table (.csv or .xlsx, English or Chinese headers) the network is reconciled with "
    "(form 5.2.4). Default: ipam.table or ipam.netbox in the policy; without records only duplicate "
    "addresses are judged.",
)
@host_filter_options
@click.option(
    "--checks",
    "only_checks",
    metavar="IDS",
    help="Run only these checks: ids or patterns, comma-separated (services.*,snmp.community_strength); "
    "each must name a check. The policy's checks.disable still applies.",
)
@click.option("--live", is_flag=True, help="Collect over SSH even when the inventory has a snapshots/ folder.")
@click.option(
    "--save-snapshots",
    type=click.Path(path_type=Path, file_okay=False),
    help="Live: also save what was collected in this snapshot folder (replays offline with --snapshots).",
)
@live_options
@snmp_options
@scale_options
@log_options
@click.option("--db", metavar="URL|PATH", help=DB_HELP)
@click.option("--no-store", is_flag=True, help="Do not save this run to the results database.")
@click.option(
    "--on-change",
    metavar="CMD",
    help="Shell command run with the diff summary on stdin when the result changed since the last run of "
    "this inventory (or, on a first run, when anything failed), e.g. 'mail -s netcomply admin@example.org'. "
    "Needs the store.",
)
@click.option(
    "--log-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also log to this file (at least INFO level), rotated at 5 MB, 5 files kept.",
)
@click.option(
    "--lock-wait",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="Seconds to wait when another scan of the same inventory holds the lock (then exit 2).",
)
# `netcomply fix` runs this command for its scripts: their exit status says whether every check
# could be judged (0) or not (2), not whether something failed.
@click.option("--exit-status", type=click.Choice(["verdict", "judged"]), default="verdict", hidden=True)
def command(
    inventory: Path | None,
    snapshots: Path | None,
    demo: bool,
    policy: Path | None,
    formats: str,
    output: Path | None,
    lang: str | None,
    fail_on: Severity,
    backend: str,
    backup_store: Path | None,
    ipam_table: Path | None,
    selected: HostFilter,
    only_checks: str | None,
    live: bool,
    save_snapshots: Path | None,
    collect_options: CollectOptions,
    snmp_options: SnmpCliOptions,
    runner: StepRunner,
    verbose: int,
    quiet: bool,
    db: str | None,
    no_store: bool,
    on_change: str | None,
    log_file: Path | None,
    lock_wait: float,
    exit_status: str,
) -> None:
    """Scan devices against the policy and report every verdict with its evidence.

    With no options, scans the bundled lab network offline. With --snapshots, scans
    saved outputs (hosts and platforms from the inventory when given, else from the
    folder's meta.yaml files or detected from the configuration text). With an
    inventory that has no snapshots/ folder (or with --live), collects every device
    over SSH first (see `netcomply collect --help` for credentials and host keys).
    """
    setup_logging(verbose, quiet, log_file)
    try:
        wanted = parse_formats(formats)
        loaded_policy = load_policy(policy)
        if only_checks is not None:
            restrict_checks(loaded_policy, only_checks)
        backups = BackupSettings.from_policy(loaded_policy, backup_store)
        ipam_source = records_source(loaded_policy, ipam_table)
        if backend == "ciscoconfparse":
            require_ciscoconfparse()
    except (PolicyError, RuleError, PluginError, OutputError, ReferenceParserMissing) as exc:
        raise ScanAbort(str(exc)) from None

    demo_unsaved = demo and db is None and not no_store
    if demo:
        inventory = demo_source(inventory, snapshots, demo, live=live)
        # A demo run is not the user's network: it is not recorded unless a database is named.
        no_store = no_store or db is None
    source = resolve_hosts(inventory, snapshots, live=live)
    inventory, snapshots, hosts, live = source.inventory, source.snapshots, source.hosts, source.live
    if save_snapshots is not None and not live:
        raise ScanAbort("--save-snapshots saves a live collection; this scan reads saved snapshots")

    kept = save_snapshots if live else snapshots
    options = ScanOptions(
        policy=loaded_policy,
        backend=backend,  # type: ignore[arg-type]
        fail_on=fail_on,
        inputs={
            "mode": "live" if live else "offline",
            "inventory": str(inventory) if inventory else None,
            "snapshots": str(kept) if kept else None,
            "policy": loaded_policy.source,
            "parser": backend,
        },
        clauses=clauses_by_check(),
        network_attachments=network_attachments(inventory),
        outside=[h for h in (hosts or {}).values() if not selected(h)],
    )
    if any(loaded_policy.check_enabled(c) for c in IPAM_CHECKS_WITH_RECORDS):
        ipam = records_input(ipam_source)
        options.network_attachments.update(ipam.attachments)
        options.notes.extend(ipam.notes)
        options.inputs["ipam"] = ipam.described
    if demo_unsaved:
        options.notes.append("the demo run is not saved to the results database (give --db to save it)")

    def log_host(host: HostInfo, findings: list[Finding]) -> None:
        failed = sum(1 for f in findings if f.status is Status.FAIL)
        errors = sum(1 for f in findings if f.status is Status.ERROR)
        log.info("%s: %d finding(s), %d failed, %d error(s)", host.name, len(findings), failed, errors)

    try:
        recorder = open_recorder(
            db, no_store, policy_database(loaded_policy), Scope.of(inventory, snapshots), lock_wait
        )
    except StoreError as exc:
        raise ScanAbort(f"{exc} (--no-store scans without saving)") from None
    exit_code = 0
    try:
        with recorder.locked():
            try:
                if live:
                    assert inventory is not None
                    run = run_collection(
                        inventory, selected, collect_options, verbose=verbose, quiet=quiet, log_failures=False
                    )
                    if save_snapshots is not None:
                        save_run(run, save_snapshots)
                    listed: list[HostItem] = list(live_inputs(run))
                else:
                    assert snapshots is not None
                    # Read where each host is scanned: by a --jobs or --cluster worker, or here in turn.
                    listed = list(offline_tasks(snapshots, hosts, selected))
                items: Iterable[HostItem] = listed
                if snmp_options.enabled:
                    snmp_run = run_probe(hosts, selected, loaded_policy, snmp_options)
                    options.inputs["snmp"] = {"agents": len(snmp_run.collections), "requests": snmp_run.requests}
                    loaded = (load_item(item) for item in listed)
                    items = snmp_inputs(loaded, snmp_run, hosts, save_snapshots if live else snapshots)
                with (
                    backup_check(options, backups, loaded_policy.check_enabled("backup.current")),
                    ScanProgress(len(listed), quiet) as bar,
                ):

                    def progress(host: HostInfo, findings: list[Finding]) -> None:
                        bar.advance(host, findings)
                        log_host(host, findings)

                    result = run_scan(items, options, progress, runner)
            except (SnapshotError, CollectAbort, SnmpAbort, ClusterError) as exc:
                raise ScanAbort(str(exc)) from None
            if not result.hosts:
                raise ScanAbort("no host matched: check the inventory, the snapshot folder and the filters")
            exit_code = result.summary.exit_code
            if exit_status == "judged":
                exit_code = 2 if result.summary.by_status.get(Status.ERROR.value) else 0
            diff = None
            try:
                diff = recorder.record(result)
            except StoreError as exc:
                log.error("%s; the reports are still written", exc)
                exit_code = exit_code or 2
            try:
                write_reports(
                    result, wanted, output, quiet=quiet, options=options_from_diff(diff, RenderOptions(lang=lang))
                )
            except OutputError as exc:
                raise ScanAbort(str(exc)) from None
    except LockBusy as exc:
        raise ScanAbort(f"{exc}; not scanning (--lock-wait SECONDS waits for it)") from None
    finally:
        if recorder.store is not None:
            recorder.store.close()
    if on_change and diff is not None and diff.changed:
        run_on_change(on_change, diff, result)
    sys.exit(exit_code)
