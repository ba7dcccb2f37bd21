"""The command-line side of live collection, shared by ``netcomply collect`` and ``netcomply scan``."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from scanner.collect.options import (
    DEFAULT_COMMAND_TIMEOUT,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_WORKERS,
    CollectOptions,
    CollectRun,
    HostCollection,
)
from scanner.collect.progress import Reporter, summary
from scanner.inventory import InventoryError
from scanner.model import HostInfo
from scanner.names import UnsafeName
from scanner.snapshot import HostInput, write_snapshot

_OPTION_NAMES = (
    "workers",
    "connect_timeout",
    "command_timeout",
    "known_hosts",
    "accept_new_hostkeys",
    "ssh_key",
    "nornir_log",
)


class CollectAbort(Exception):
    """Live collection cannot start (bad inventory, unreadable known_hosts)."""


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


def save_run(run: CollectRun, out: Path) -> int:
    """Write every collected host in the snapshot layout; a failed host's earlier snapshot is left as it was."""
    saved = 0
    for _host, outcome in run:
        if outcome.snapshot is not None:
            _save(out, outcome)
            saved += 1
    return saved


def _save(out: Path, outcome: HostCollection) -> None:
    assert outcome.snapshot is not None
    try:
        outcome.snapshot.directory = write_snapshot(out, outcome.snapshot)
    except OSError as exc:
        raise CollectAbort(f"cannot save the snapshot of {outcome.name} in {out}: {exc.strerror or exc}") from None
    except UnsafeName as exc:
        raise CollectAbort(f"not saving in {out}: {exc}") from None


def live_inputs(run: CollectRun, save_to: Path | None = None) -> Iterator[HostInput]:
    """The scan's inputs from a collection, saving each collected host first when ``save_to`` is given."""
    for host, outcome in run:
        if outcome.snapshot is None:
            yield HostInput(host=host, snapshot=None, error=str(outcome.error))
            continue
        if save_to is not None:
            _save(save_to, outcome)
        yield HostInput(host=host, snapshot=outcome.snapshot)
