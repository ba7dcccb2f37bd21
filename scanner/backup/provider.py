"""The scan's side of backups: look each host up in the store before the checks run.

``backup.current`` may not read a git repository itself (checks do no I/O), so this
context provider does, per host, and attaches a :class:`BackupStatus` under the name
``backup``. With no store configured nothing is attached, the check says
``not_applicable``, and the run's summary notes that backups were not checked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from scanner.backup.diff import line_changes
from scanner.backup.git import BlobReader, GitError
from scanner.backup.normalize import normalize
from scanner.backup.settings import BackupSettings
from scanner.backup.store import ConfigStore, StoreError, config_path
from scanner.backupstatus import ATTACHMENT, BackupStatus, Revision
from scanner.engine import ScanOptions
from scanner.facts import Facts
from scanner.model import Evidence, HostInfo
from scanner.snapshot import Snapshot

log = logging.getLogger("netcomply.backup")

MAX_EVIDENCE = 8
NOT_CHECKED_NOTE = (
    "backups were not checked: no backup store is configured (give `netcomply scan --backup-store DIR`, "
    "or set backup.store in the policy)"
)


class BackupProvider:
    """A context provider reading one store for the whole scan (one ``git cat-file`` process)."""

    def __init__(self, settings: BackupSettings) -> None:
        assert settings.store is not None
        self.settings = settings
        self.where = str(settings.store)
        self.error: str | None = None
        self._store: ConfigStore | None = None
        self._reader: BlobReader | None = None
        self._blobs: dict[str, str] = {}
        self._changes: dict[str, Revision] = {}
        self._confirmed: dict[str, datetime] = {}
        try:
            self._store = ConfigStore.open(settings.store)
            self._blobs = self._store.blobs()
            self._changes = self._store.last_changes(self._blobs)
            self._confirmed = self._store.confirmed()
            self._reader = self._store.reader()
        except (StoreError, GitError, OSError) as exc:
            self.error = str(exc)
            log.warning("backup store: %s", exc)

    def __reduce__(self) -> tuple[type[BackupProvider], tuple[BackupSettings]]:
        # A worker process (--jobs, --cluster) opens the store itself, with its own reader.
        return (BackupProvider, (self.settings,))

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def __call__(self, host: HostInfo, snapshot: Snapshot, facts: Facts) -> dict[str, Any]:
        try:
            status = self.status(host, snapshot, facts)
        except Exception as exc:  # a store problem must not end the scan
            log.exception("backup lookup of %s failed", host.name)
            status = BackupStatus(self.where, self.settings.max_age_days, error=f"{type(exc).__name__}: {exc}")
        return {ATTACHMENT: status}

    def status(self, host: HostInfo, snapshot: Snapshot, facts: Facts) -> BackupStatus:
        base = {"store": self.where, "max_age_days": self.settings.max_age_days}
        if self.error is not None or self._store is None or self._reader is None:
            return BackupStatus(**base, error=self.error or "the store is closed")
        changed = self._changes.get(host.name)
        blob = self._blobs.get(host.name)
        if changed is None or blob is None:
            return BackupStatus(**base)
        try:
            path = config_path(host.name)
            stored = self._store.read_blob(host.name, blob, self._reader)
        except (StoreError, GitError) as exc:
            return BackupStatus(**base, error=str(exc))
        status = BackupStatus(**base, changed=changed, confirmed=self._confirmed.get(host.name))
        command = facts.platform.commands.config
        raw = snapshot.output(command)
        if stored is None or raw is None:
            return status
        running = normalize(facts.platform, raw, self._store.masked)
        if running.text == stored:
            return status
        changes = line_changes(stored.splitlines(), running.lines)
        evidence = [
            Evidence.of(command, running.origin(number), text, snapshot.path_of(command))
            for number, text in changes.added
        ][: MAX_EVIDENCE // 2]
        backup_source = f"backup {changed.short}"
        backup_path = str(self._store.root / path)
        evidence += [Evidence.of(backup_source, number, text, backup_path) for number, text in changes.removed][
            : MAX_EVIDENCE - len(evidence)
        ]
        return BackupStatus(
            **base,
            changed=changed,
            confirmed=self._confirmed.get(host.name),
            added=len(changes.added),
            removed=len(changes.removed),
            evidence=tuple(evidence),
        )


@contextmanager
def backup_check(options: ScanOptions, settings: BackupSettings, enabled: bool = True) -> Iterator[None]:
    """Give the scan ``options`` the store lookup for ``backup.current``, or the note that backups were not checked."""
    if not enabled:
        yield
        return
    if settings.store is None:
        options.notes.append(NOT_CHECKED_NOTE)
        yield
        return
    provider = BackupProvider(settings)
    options.providers.append(provider)
    options.inputs.setdefault("backup_store", str(settings.store))
    try:
        yield
    finally:
        provider.close()
