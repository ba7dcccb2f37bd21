"""Live collection: pull each platform's command set from devices and produce Snapshots.

``ssh`` drives Nornir and Netmiko; ``connection`` holds the session and its host-key
check; ``credentials`` and ``hostkeys`` say who we are and whom we trust. The snapshots
feed the same engine as an offline scan, and saved with
:func:`~scanner.snapshot.write_snapshot` they replay offline byte for byte.
"""

from scanner.collect.errors import CollectError, Reason
from scanner.collect.ssh import CollectOptions, CollectRun, HostCollection, collect

__all__ = ["CollectError", "CollectOptions", "CollectRun", "HostCollection", "Reason", "collect"]
