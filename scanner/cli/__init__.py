"""The ``netcomply`` command. Each ``cmd_*.py`` module here contributes one subcommand."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
from pathlib import Path

import click

from scanner import __version__
from scanner.escaping import for_terminal
from scanner.masking import RedactingFilter

EXIT_INCOMPLETE = 2


class ScanAbort(click.ClickException):
    """The run cannot start or finish (bad inventory, bad policy): exit status 2, as DESIGN.md says."""

    exit_code = EXIT_INCOMPLETE

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"netcomply: error: {for_terminal(self.format_message())}", err=True, file=file)


def bundled_lab() -> Path:
    """The demo lab network shipped inside the package (scanner/lab/network: inventory and snapshots)."""
    return Path(__file__).resolve().parents[1] / "lab" / "network"


NO_INVENTORY = (
    "no inventory in this folder (./inventory/hosts.yaml): give --inventory DIR (a Nornir inventory), "
    "--snapshots DIR (saved configurations, e.g. a RANCID or Oxidized folder) or --demo (the bundled lab network)"
)


def default_inventory() -> Path | None:
    """./inventory when the current folder has one (Nornir's convention); None otherwise.

    The bundled lab is never a silent default: a user who forgot --inventory must not get
    the demo's findings (and have them saved as their own) instead of an error.
    """
    local = Path("inventory")
    if (local / "hosts.yaml").is_file():
        return local
    return None


class TerminalSafeFilter(logging.Filter):
    """Log lines carry host names and device text: no escape sequence of theirs reaches the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = for_terminal(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def setup_logging(verbose: int, quiet: bool, log_file: Path | None = None) -> None:
    level = logging.WARNING
    if verbose == 1:
        level = logging.INFO
    elif verbose >= 2:
        level = logging.DEBUG
    if quiet:
        level = logging.ERROR
    root = logging.getLogger("netcomply")
    root.setLevel(level)
    root.propagate = False
    root.handlers.clear()
    handler: logging.Handler
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler = RichHandler(show_path=False, markup=False, rich_tracebacks=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    handler.addFilter(TerminalSafeFilter())
    handler.setLevel(level)
    root.addHandler(handler)
    if log_file is not None:
        from logging.handlers import RotatingFileHandler

        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(log_file, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        file_handler.addFilter(RedactingFilter())
        file_handler.setLevel(min(level, logging.INFO))
        root.setLevel(min(level, logging.INFO))
        root.addHandler(file_handler)


class LazyCommands(click.Group):
    """Subcommands from the ``cmd_<name>.py`` modules, imported only when used.

    A module is one subcommand (its ``command``), named like the module; importing it
    loads only what that command needs, so `netcomply scan` does not pay for SQL,
    SSH or SNMP libraries another command uses.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = [m.name[4:] for m in pkgutil.iter_modules(__path__) if m.name.startswith("cmd_")]
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        command: click.Command = importlib.import_module(f"{__name__}.cmd_{cmd_name}").command
        return command


@click.group(cls=LazyCommands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="netcomply")
def main() -> None:
    """netcomply: prove that network devices and hosts meet the security policy.

    Every verdict carries its evidence (device, command, line) and the fix in the
    vendor's own syntax. Start with `netcomply scan --demo`, which scans the bundled
    lab network, then `netcomply scan --inventory DIR` or `--snapshots DIR`.

    Exit status of `scan`: 0 all checks passed (or were waived), 1 a failure at or
    above --fail-on, 2 the scan could not complete for some host (2 wins over 1).
    """
