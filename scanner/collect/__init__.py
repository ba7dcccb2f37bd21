"""Live collection: pull each platform's command set from devices and produce Snapshots.

``ssh`` drives Nornir and Netmiko; ``connection`` holds the session and its host-key
check; ``credentials`` and ``hostkeys`` say who we are and whom we trust. The snapshots
feed the same engine as an offline scan, and saved with
:func:`~scanner.snapshot.write_snapshot` they replay offline byte for byte.
"""

from typing import Any

from scanner.collect.errors import CollectError, Reason
from scanner.collect.options import CollectOptions, CollectRun, HostCollection

__all__ = ["CollectError", "CollectOptions", "CollectRun", "HostCollection", "Reason", "collect"]


def __getattr__(name: str) -> Any:
    """``collect`` is imported on first use: it brings Nornir, Netmiko and paramiko."""
    if name == "collect":
        from scanner.collect.ssh import collect

        return collect
    raise AttributeError(name)
