"""Configuration backups: a git-backed store of each device's configuration.

``store`` (the repository), ``normalize`` (volatile lines, masking), ``safety`` (what
is refused), ``run`` (a backup run), ``provider`` (the scan's lookup for
``backup.current``), ``diff`` (what changed between two backups).
"""

from scanner.backup.diff import backup_diff

__all__ = ["backup_diff"]
