"""Live collection on the workers of a scan (``netcomply scan --live --cluster``): hosts travel, not snapshots.

The client reads the inventory once and turns each selected host into a picklable
:class:`LiveTarget`: its resolved Netmiko connection parameters and its password,
resolved where the user is (the variable named by ``password_env``, the inventory,
``NETCOMPLY_PASSWORD``, or the one prompt) and carried as a
:class:`~scanner.masking.Secret`, so whatever prints a task's arguments (a Dask worker's
"compute failed" log) shows it masked, and the worker's redactor learns it on arrival.

A worker is handed a shard of targets (the scan's step calls :meth:`LiveTarget.load_batch`
with all of them) and collects the shard at once with the same Nornir task as
``netcomply collect`` (:func:`scanner.collect.ssh.collect_hosts`: same timeouts, host-key
checks and typed errors), saves the snapshots when asked, then parses and checks them
there. What the worker needs at the same path as the client: the known_hosts file (keys it
learns are written under a lock, :mod:`scanner.collect.hostkeys`), an ``--ssh-key`` or
inventory key file, and the ``--save-snapshots`` folder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scanner.collect.credentials import CredentialSource
from scanner.collect.options import CollectOptions, CollectRun, default_known_hosts
from scanner.inventory import InventoryError, host_infos, load_nornir_inventory
from scanner.masking import Secret
from scanner.model import HostInfo
from scanner.snapshot import HostInput

log = logging.getLogger("netcomply.collect")

CONNECTION = "netmiko"
# Netmiko connection extras that hold a secret: the enable secret, a key's passphrase.
SECRET_EXTRAS = ("secret", "passphrase")


@dataclass(frozen=True)
class LivePlan:
    """What every target of one scan shares: the collection options, the known_hosts file, where to save."""

    options: CollectOptions
    known_hosts: Path
    save_to: Path | None = None


@dataclass(frozen=True)
class LiveTarget:
    """One inventory host as a worker collects it: connection parameters resolved, password masked."""

    host: HostInfo
    plan: LivePlan
    hostname: str | None
    port: int | None
    username: str | None
    platform: str | None
    password: Secret | None = None
    # Netmiko's extras without its secret-valued ones, which travel masked in ``hidden``.
    extras: dict[str, Any] = field(default_factory=dict)
    hidden: dict[str, Secret] = field(default_factory=dict)

    def __call__(self) -> HostInput:
        return self.load_batch([self])[0]

    @classmethod
    def load_batch(cls, targets: Sequence[LiveTarget]) -> list[HostInput]:
        """Collect ``targets`` at once (Nornir threads, at most ``--workers``); inputs in their order."""
        return collect_targets(targets)


def live_targets(
    inventory: Path,
    selected: Callable[[HostInfo], bool],
    options: CollectOptions,
    save_to: Path | None = None,
) -> list[LiveTarget]:
    """The selected hosts of ``inventory`` as targets for the workers, in inventory order.

    Raises :class:`InventoryError` for an inventory that cannot be used (before anything is sent).
    """
    nornir_inventory = load_nornir_inventory(inventory)
    infos = host_infos(nornir_inventory)
    plan = LivePlan(
        options=replace(options, nornir_log=None),  # Nornir's log file is the client's; workers log to their own
        known_hosts=(options.known_hosts or default_known_hosts(inventory)).resolve(),
        save_to=save_to.resolve() if save_to is not None else None,
    )
    credentials = CredentialSource(options.ssh_key)
    hosts = [nornir_inventory.hosts[name] for name, info in infos.items() if selected(info)]
    credentials.prompt_if_needed(hosts, _extras)
    targets = []
    for host in hosts:
        params = host.get_connection_parameters(CONNECTION)
        extras = _extras(host)
        hidden = {name: Secret(str(extras.pop(name))) for name in SECRET_EXTRAS if extras.get(name)}
        targets.append(
            LiveTarget(
                host=infos[host.name],
                plan=plan,
                hostname=params.hostname,
                port=params.port,
                username=params.username,
                platform=host.platform,
                password=credentials.for_host(host, extras).password,
                extras=extras,
                hidden=hidden,
            )
        )
    return targets


def _extras(host: Any) -> dict[str, Any]:
    return dict(host.get_connection_parameters(CONNECTION).extras or {})


def collect_targets(targets: Sequence[LiveTarget]) -> list[HostInput]:
    """On the worker: an in-memory Nornir inventory of ``targets``, collected and saved as ``collect`` would."""
    from nornir.core.inventory import ConnectionOptions, Defaults, Groups, Host, Hosts, Inventory

    from scanner.collect.hostkeys import KnownHosts, KnownHostsError
    from scanner.collect.saving import live_inputs
    from scanner.collect.ssh import collect_hosts

    if not targets:
        return []
    plan = targets[0].plan
    hosts = Hosts()
    for target in targets:
        if target.plan != plan:
            raise ValueError("a shard of live targets shares one plan")
        hosts[target.host.name] = Host(
            name=target.host.name,
            hostname=target.host.address,
            username=target.username,
            password=target.password.reveal() if target.password else None,
            platform=target.platform,
            connection_options={
                CONNECTION: ConnectionOptions(
                    hostname=target.hostname,
                    port=target.port,
                    username=target.username,
                    platform=target.platform,
                    extras={**target.extras, **{name: value.reveal() for name, value in target.hidden.items()}},
                )
            },
        )
    inventory = Inventory(hosts=hosts, groups=Groups(), defaults=Defaults())
    options = replace(plan.options, workers=max(1, min(plan.options.workers, len(targets))))
    try:
        known_hosts = KnownHosts(plan.known_hosts, accept_new=options.accept_new_hostkeys)
    except KnownHostsError as exc:  # unreadable here: every host of the shard fails with the reason
        reason = f"cannot collect on worker {os.uname().nodename}: {exc}"
        return [HostInput(host=t.host, snapshot=None, error=reason) for t in targets]
    # The password came resolved from the client; the worker's own environment (NETCOMPLY_PASSWORD,
    # an ssh-agent) serves only the hosts it left without one.
    names = [t.host.name for t in targets]
    results = collect_hosts(inventory, names, options, known_hosts, CredentialSource(options.ssh_key))
    run = CollectRun(hosts=[t.host for t in targets], results=results, seconds=0.0, known_hosts=plan.known_hosts)
    for outcome in results.values():
        if outcome.error is not None:
            log.debug("%s: %s", outcome.name, outcome.error)
    return list(live_inputs(run, plan.save_to))


__all__ = ["InventoryError", "LivePlan", "LiveTarget", "collect_targets", "live_targets"]
