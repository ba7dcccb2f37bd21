"""``netcomply formats``: the report formats this build can write."""

from __future__ import annotations

import click

from reports import formats


@click.command("formats")
def command() -> None:
    """List the report formats for --format."""
    known = formats()
    width = max(map(len, known), default=10)
    for name, renderer in known.items():
        click.echo(f"{name:<{width}} .{renderer.extension:<5} {renderer.description}")
