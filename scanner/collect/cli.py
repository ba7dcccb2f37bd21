"""The command-line side of live collection, shared by ``netcomply collect`` and ``netcomply scan``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from scanner.collect.options import (
    DEFAULT_COMMAND_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_WORKERS,
    CollectOptions,
    CollectRun,
)
from scanner.collect.progress import Reporter, summary
from scanner.collect.remote import LiveTarget
from scanner.collect.saving import CollectAbort, live_inputs, save_run
from scanner.inventory import InventoryError
from scanner.model import HostInfo

_OPTION_NAMES = (
    "workers",
    "connect_timeout",
    "command_timeout",
    "known_hosts",
    "accept_new_hostkeys",
    "ssh_key",
    "nornir_log",
)


def _positive(_ctx: click.Context, param: click.Parameter, value: float | int) -> float | int:
    if value is not None and value <= 0:
        raise click.BadParameter(f"must be greater than 0 (got {value})")
    return value


def live_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the SSH collection options to a command; it receives them as ``collect_options``."""
    options = [
        click.option(
            "--workers",
            "-w",
            type=int,
            default=DEFAULT_WORKERS,
            show_default=True,
            callback=_positive,
            help="Live: devices collected at the same time.",
        ),
        click.option(
            "--connect-timeout",
            type=float,
            default=DEFAULT_CONNECT_TIMEOUT,
            show_default=True,
            callback=_positive,
            help="Live: seconds for TCP, SSH, login and the first prompt of one device.",
        ),
        click.option(
            "--command-timeout",
            type=float,
            default=DEFAULT_COMMAND_TIMEOUT,
            show_default=True,
            callback=_positive,
            help="Live: seconds for one command's whole output (a late output is discarded, never cut short).",
        ),
        click.option(
            "--known-hosts",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Live: SSH known_hosts file to check device keys against. "
            "Default: the inventory's known_hosts if it has one, else ~/.ssh/known_hosts.",
        ),
        click.option(
            "--accept-new-hostkeys",
            is_flag=True,
            help="Live: learn the key of a device not yet in known_hosts (first contact). A changed key still fails.",
        ),
        click.option(
            "--ssh-key",
            type=click.Path(path_type=Path, dir_okay=False, exists=True),
            help="Live: private key to log in with (else the inventory's netmiko key_file, a password, or ssh-agent).",
        ),
        click.option(
            "--nornir-log",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Live: also write Nornir's own log to this file (off by default).",
        ),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in _OPTION_NAMES}
        kwargs["collect_options"] = CollectOptions(**values)
        return func(*args, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def run_collection(
    inventory: Path,
    selected: Callable[[HostInfo], bool],
    options: CollectOptions,
    *,
    verbose: int = 0,
    quiet: bool = False,
    log_failures: bool = True,
) -> CollectRun:
    from scanner.collect.hostkeys import KnownHostsError
    from scanner.collect.ssh import collect

    reporter = Reporter(verbose=verbose, quiet=quiet, log_failures=log_failures)
    try:
        run = collect(inventory, selected, options, on_start=reporter.start, on_host=reporter.host)
    except (InventoryError, KnownHostsError) as exc:
        raise CollectAbort(str(exc)) from None
    finally:
        reporter.stop()
    if not quiet:
        click.echo(f"netcomply: {summary(run, options.workers)}", err=True)
    return run


def remote_targets(
    inventory: Path, selected: Callable[[HostInfo], bool], options: CollectOptions, save_to: Path | None, quiet: bool
) -> list[LiveTarget]:
    """The hosts of a live scan for a cluster's workers to collect (scanner.collect.remote), checked here first."""
    from scanner.collect.hostkeys import KnownHosts, KnownHostsError
    from scanner.collect.remote import live_targets

    try:
        targets = live_targets(inventory, selected, options, save_to)
        if targets:
            KnownHosts(targets[0].plan.known_hosts)  # unreadable: stop here, not on every worker
    except (InventoryError, KnownHostsError) as exc:
        raise CollectAbort(str(exc)) from None
    if not quiet:
        click.echo(f"netcomply: collecting {len(targets)} host(s) on the cluster's workers", err=True)
    return targets


__all__ = ["CollectAbort", "live_inputs", "live_options", "remote_targets", "run_collection", "save_run"]
