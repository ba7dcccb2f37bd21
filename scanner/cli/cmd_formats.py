"""``netcomply formats``: the report formats this build can write."""

from __future__ import annotations

import click

from reports import formats


@click.command("formats")
def command() -> None:
    """List the report formats for --format."""
    for name, renderer in formats().items():
        click.echo(f"{name:<10} .{renderer.extension:<5} {renderer.description}")
