"""``netcomply hosts``: tools for servers that netcomply cannot reach (isolated zones)."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.files import atomic_write


@click.group("hosts")
def command() -> None:
    """Servers collected offline: print the script an operator runs on the host."""


@command.command("windows-script")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the script to this file (default: print it).",
)
def windows_script(output: Path | None) -> None:
    """Print the read-only PowerShell 5.1 script that writes a Windows host's snapshot folder.

    Run it on the host as an administrator, no module needed:

    \b
      powershell.exe -NoProfile -ExecutionPolicy Bypass -File netcomply-windows.ps1 -OutputFolder E:\\snapshots
      (-UpdateCab D:\\wsusscn2.cab searches an offline update catalogue; -HostName names the folder)

    then scan what it wrote: netcomply scan --snapshots E:\\snapshots (with the host in the
    inventory as platform: windows, or named in the folder's meta.yaml, which it is).
    """
    from scanner.platforms._windows.script import render

    text = render()
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write(output, text.encode("ascii"))
    click.echo(f"wrote {output}", err=True)
