"""``netcomply fix``: scan, then write per device the commands that bring it to the policy.

It is `netcomply scan` with the `fixes` report and nothing stored: the same inventory,
snapshot, policy, collection and host selection options (its parameters are the scan's),
plus host names as arguments. Exit status: 0 the scripts were written, 2 the input was
refused or a check could not be judged on some host (its fix is unknown, so that
host's script is not complete).
"""

from __future__ import annotations

import click

from scanner.cli.cmd_scan import command as scan_command
from scanner.model import Severity

# Scan options that make no sense for a fix script: it is one format, never stored, never a verdict.
_NOT_FOR_FIX = frozenset({"formats", "fail_on", "db", "no_store", "on_change", "lock_wait", "exit_status"})
_FIXED = {
    "exit_status": "judged",
    "formats": "fixes",
    "fail_on": Severity.INFO,
    "db": None,
    "no_store": True,
    "on_change": None,
    "lock_wait": 0.0,
}


@click.command(
    "fix",
    params=[
        click.Argument(["names"], nargs=-1, metavar="[HOST]..."),
        *(p for p in scan_command.params if p.name not in _NOT_FOR_FIX),
    ],
)
def command(names: tuple[str, ...], host_names: str | None, **options: object) -> None:
    """Print, per device, the configuration commands that fix its failures.

    The commands of every failing check and rule of the policy, merged per section and
    ordered for the platform (hier_config; Junos as set lines), between the commands that
    enter and leave configuration mode. Hosts: HOST arguments and/or --hosts/--group/
    --role/--site (default: all). Secrets are placeholders, never values.
    """
    wanted = [*names, *(host_names.split(",") if host_names else [])]
    callback = scan_command.callback
    assert callback is not None
    callback(**options, **_FIXED, host_names=",".join(wanted) or None)
