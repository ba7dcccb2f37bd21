"""What the host checks share: the host state, the policy's `hosts` section, account roles, port specs."""

from __future__ import annotations

from typing import Any

from scanner.checkapi import Context
from scanner.facts import Facts
from scanner.hostfacts import HostAccount, HostState


def host_state(facts: Facts) -> HostState:
    if facts.host_state is None:
        raise ValueError(f"{facts.platform.display_name} does not describe a server's state")
    return facts.host_state


def settings(ctx: Context) -> dict[str, Any]:
    return ctx.policy.section("hosts")


def is_admin(account: HostAccount, ctx: Context) -> bool:
    """The superuser (root, Windows' Administrator), an account the platform knows as an administrator
    (Windows: a member of Administrators), or a member of one of the policy's admin groups."""
    return account.superuser or account.admin or bool(set(account.groups) & set(settings(ctx)["admin_groups"]))


def port_spec(value: object) -> tuple[int, str | None]:
    """``"23/tcp"`` -> (23, "tcp"); ``80`` or ``"80"`` -> (80, None) (either protocol)."""
    text = str(value).strip().lower()
    port, _, protocol = text.partition("/")
    return int(port), (protocol or None)


def port_matches(specs: list[object], port: int, protocol: str) -> bool:
    for spec in specs:
        wanted_port, wanted_protocol = port_spec(spec)
        if wanted_port == port and wanted_protocol in (None, protocol):
            return True
    return False


def listing(names: list[str], limit: int = 8) -> str:
    """``a, b, c`` or ``a, b, ... (12 in all)``."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])}, ... ({len(names)} in all)"
