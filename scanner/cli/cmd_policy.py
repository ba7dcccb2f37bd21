"""``netcomply policy``: print the default policy or a shipped profile, or check a policy file."""

from __future__ import annotations

from pathlib import Path

import click

from checks import PluginError
from scanner.cli import ScanAbort
from scanner.cli._policy import load_policy
from scanner.policy import PROFILES, PolicyError, default_policy_text, profile_text
from scanner.rules import RuleError


@click.command("policy")
@click.option("--check", "path", type=click.Path(path_type=Path, dir_okay=False), help="Validate this policy file.")
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    help="Print this shipped profile (a policy file extends it with 'profile: NAME').",
)
def command(path: Path | None, profile: str | None) -> None:
    """Print the default policy (a commented YAML to copy and edit), a profile with --profile, or
    validate a file with --check."""
    if path is None:
        click.echo(profile_text(profile) if profile else default_policy_text(), nl=False)
        return
    try:
        policy = load_policy(path)
    except (PolicyError, RuleError, PluginError) as exc:
        raise ScanAbort(str(exc)) from None
    extends = f", profile {policy.profile}" if policy.profile else ""
    click.echo(f"{path}: valid ({len(policy.waivers)} waiver(s), {len(policy.rules)} rule(s){extends})")
