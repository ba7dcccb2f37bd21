"""What the scan knows about one host's backup: the attachment ``backup.current`` reads.

Core data: the backup provider (scanner/backup) fills it, the check reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scanner.model import Evidence


@dataclass(frozen=True)
class Revision:
    """A commit of the store: its id and its committer date."""

    rev: str
    when: datetime

    @property
    def short(self) -> str:
        return self.rev[:10]

    def describe(self) -> str:
        return f"{self.when.strftime('%Y-%m-%d %H:%M UTC')} ({self.short})"


# The name under which the backup provider attaches a BackupStatus to a check's context.
ATTACHMENT = "backup"


@dataclass(frozen=True)
class BackupStatus:
    """What the store says about one host, for ``backup.current``."""

    store: str
    max_age_days: int
    error: str | None = None
    changed: Revision | None = None
    confirmed: datetime | None = None
    added: int = 0
    removed: int = 0
    evidence: tuple[Evidence, ...] = ()

    @property
    def has_backup(self) -> bool:
        return self.changed is not None

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def last_confirmed(self) -> datetime | None:
        """The later of the last change committed and the last run that found the device unchanged."""
        if self.changed is None:
            return None
        if self.confirmed is None:
            return self.changed.when
        return max(self.changed.when, self.confirmed)
