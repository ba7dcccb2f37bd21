"""What a collection is asked to do and what it returns: plain data, no SSH library.

Kept apart from :mod:`scanner.collect.ssh` so the command line can describe and check
options (and an offline scan can start) without importing Nornir, Netmiko and paramiko.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scanner.collect.errors import CollectError
from scanner.model import HostInfo
from scanner.snapshot import Snapshot

if TYPE_CHECKING:
    from scanner.platforms import Platform

DEFAULT_WORKERS = 100
DEFAULT_CONNECT_TIMEOUT = 15.0
DEFAULT_COMMAND_TIMEOUT = 60.0
# Netmiko's own default. Its login sleeps scale with this, but on the lab a lower value
# (0.1) saved no time per device and cost CPU in busier polling (bench/collect_lab.py);
# what made Netmiko slow per device was its send_command path, which Session replaces.
DEFAULT_DELAY_FACTOR = 1.0


@dataclass(frozen=True)
class CollectOptions:
    workers: int = DEFAULT_WORKERS
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    command_timeout: float = DEFAULT_COMMAND_TIMEOUT
    known_hosts: Path | None = None
    accept_new_hostkeys: bool = False
    ssh_key: Path | None = None
    nornir_log: Path | None = None
    delay_factor: float = DEFAULT_DELAY_FACTOR
    # Which of a platform's commands to run (default: all of them); a backup needs only the config.
    commands: Callable[[Platform], tuple[str, ...]] | None = None


@dataclass
class HostCollection:
    """One host's outcome: ``snapshot`` when collected, else ``error``."""

    name: str
    snapshot: Snapshot | None = None
    error: CollectError | None = None
    seconds: float = 0.0
    login_seconds: float | None = None


@dataclass
class CollectRun:
    hosts: list[HostInfo]
    results: dict[str, HostCollection]
    seconds: float
    known_hosts: Path
    learned_hostkeys: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[HostInfo, HostCollection]]:
        for host in self.hosts:
            yield host, self.results[host.name]

    @property
    def failed(self) -> list[HostCollection]:
        return [r for r in self.results.values() if r.error is not None]


def default_known_hosts(inventory: Path) -> Path:
    """The inventory's own known_hosts when it has one (a lab's), else the user's ~/.ssh/known_hosts."""
    local = inventory / "known_hosts"
    return local if local.is_file() else Path("~/.ssh/known_hosts").expanduser()
