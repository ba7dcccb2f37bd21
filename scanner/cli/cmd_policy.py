"""``netcomply policy``: print the default policy, or check a policy file."""

from __future__ import annotations

from pathlib import Path

import click

from checks import PluginError
from scanner.cli import ScanAbort
from scanner.cli._policy import load_policy
from scanner.policy import PolicyError, default_policy_text
from scanner.rules import RuleError


@click.command("policy")
@click.option("--check", "path", type=click.Path(path_type=Path, dir_okay=False), help="Validate this policy file.")
def command(path: Path | None) -> None:
    """Print the default policy (a commented YAML to copy and edit), or validate a file with --check."""
    if path is None:
        click.echo(default_policy_text(), nl=False)
        return
    try:
        policy = load_policy(path)
    except (PolicyError, RuleError, PluginError) as exc:
        raise ScanAbort(str(exc)) from None
    click.echo(f"{path}: valid ({len(policy.waivers)} waiver(s), {len(policy.rules)} rule(s))")
