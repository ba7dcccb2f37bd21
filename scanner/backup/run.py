"""A backup run: each host's configuration, judged, normalized and committed in one commit.

Hosts arrive as the scan's :class:`~scanner.engine.HostInput` (a saved snapshot, an
imported config file, or a live collection), so a backup reads exactly what a scan
reads. A host whose output is refused or missing keeps its last good backup and is
reported as an error; the others are still stored.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scanner.backup.diff import line_changes
from scanner.backup.normalize import normalize
from scanner.backup.safety import refusal
from scanner.backup.settings import BackupSettings
from scanner.backup.store import ConfigStore, StoreError, check_host_name
from scanner.backupstatus import Revision
from scanner.model import HostInfo
from scanner.platforms.resolve import PlatformError, resolve_platform
from scanner.snapshot import HostInput

log = logging.getLogger("netcomply.backup")


class Outcome(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
    FAILED = "failed"

    @property
    def stored(self) -> bool:
        return self in (Outcome.NEW, Outcome.CHANGED, Outcome.UNCHANGED)


@dataclass(frozen=True)
class HostBackup:
    host: HostInfo
    outcome: Outcome
    detail: str = ""
    platform: str | None = None
    previous: Revision | None = None


@dataclass
class BackupReport:
    store: Path
    source: str
    started: datetime
    hosts: list[HostBackup] = field(default_factory=list)
    revision: Revision | None = None
    # What the run repaired before it started (a previous run killed mid-way).
    warnings: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for h in self.hosts if h.outcome is outcome)

    @property
    def ok(self) -> bool:
        return all(h.outcome.stored for h in self.hosts)

    def summary(self) -> str:
        parts = [f"{self.count(o)} {o.value}" for o in Outcome if self.count(o)]
        return f"{len(self.hosts)} host(s): {', '.join(parts) if parts else 'none'}"


def open_store(settings: BackupSettings, now: datetime) -> ConfigStore:
    """The store of ``settings``, created on first use, in the secrets mode asked for."""
    if settings.store is None:
        raise StoreError("no backup store: give --store DIR or set backup.store in the policy")
    store = ConfigStore.open_or_create(settings.store, mask_secrets=bool(settings.mask_secrets), now=now)
    if settings.mask_secrets is True and not store.masked:
        raise StoreError(
            f"the store {store.root} keeps secrets as the devices show them, and masking was asked for "
            "(--mask-secrets or backup.mask_secrets in the policy); a store keeps one mode for its whole "
            "history: use another store for masked backups"
        )
    if settings.mask_secrets is False and store.masked:
        raise StoreError(
            f"the store {store.root} keeps secrets masked, and --keep-secrets was given; a store keeps one mode "
            "for its whole history: use another store to keep secrets as shown"
        )
    return store


def back_up(
    store: ConfigStore,
    items: Iterable[HostInput],
    settings: BackupSettings,
    *,
    source: str,
    now: datetime | None = None,
    accept_shrink: frozenset[str] = frozenset(),
) -> BackupReport:
    """Back up every host of ``items`` into ``store`` with one commit (none when nothing changed)."""
    now = now or datetime.now(UTC)
    report = BackupReport(store=store.root, source=source, started=now)
    with store.locked():
        repaired = store.recover_interrupted()
        if repaired:
            log.warning("%s: %s", store.root, repaired)
            report.warnings.append(repaired)
        store.ensure_clean()
        previous = store.last_changes()
        seen: set[str] = set()
        written = False
        with store.journal(now):
            try:
                for item in items:
                    if item.host.name in seen:
                        result = HostBackup(item.host, Outcome.FAILED, "the same host name appears twice in this run")
                        text = None
                    else:
                        result, text = _one(item, store, previous, settings, accept_shrink)
                    seen.add(item.host.name)
                    report.hosts.append(result)
                    if text is not None:
                        store.write(result.host.name, text)
                        written = True
                if written:
                    report.revision = store.commit(commit_message(report), now)
            except BaseException:
                if written and report.revision is None:
                    store.discard()
                raise
        store.confirm([h.host.name for h in report.hosts if h.outcome.stored], now)
    return report


def _one(
    item: HostInput,
    store: ConfigStore,
    previous: dict[str, Revision],
    settings: BackupSettings,
    accept_shrink: frozenset[str],
) -> tuple[HostBackup, str | None]:
    host = item.host
    last = previous.get(host.name)
    kept = f"; the last good backup, {last.describe()}, is kept" if last else "; nothing stored (no earlier backup)"
    try:
        check_host_name(host.name)
    except StoreError as exc:
        return HostBackup(host, Outcome.FAILED, str(exc)), None
    if item.snapshot is None:
        return HostBackup(host, Outcome.FAILED, f"not collected: {item.error or 'no snapshot'}{kept}"), None
    try:
        platform = resolve_platform(host, item.snapshot)
    except PlatformError as exc:
        return HostBackup(host, Outcome.FAILED, f"{exc}{kept}"), None
    command = platform.commands.config
    recorded = item.snapshot.error_for(command)
    raw = item.snapshot.output(command)
    if recorded or raw is None:
        why = f"collecting {command!r} failed: {recorded}" if recorded else f"no {command!r} output"
        return HostBackup(host, Outcome.FAILED, f"{why}{kept}", platform.name, last), None
    stored = normalize(platform, raw, store.masked).text
    before = store.read_checked_out(host.name)
    reason = refusal(
        platform, raw, stored, before, settings.max_shrink_fraction, accept_shrink=host.name in accept_shrink
    )
    if reason is not None:
        return HostBackup(host, Outcome.REFUSED, f"{reason}{kept}", platform.name, last), None
    if before is None:
        return HostBackup(host, Outcome.NEW, f"{len(stored.splitlines())} lines", platform.name), stored
    if before == stored:
        return HostBackup(host, Outcome.UNCHANGED, "", platform.name, last), None
    changes = line_changes(before.splitlines(), stored.splitlines())
    return HostBackup(host, Outcome.CHANGED, changes.counts, platform.name, last), stored


def commit_message(report: BackupReport) -> str:
    """One line saying what the run changed, then the hosts by outcome."""
    new = [h for h in report.hosts if h.outcome is Outcome.NEW]
    changed = [h for h in report.hosts if h.outcome is Outcome.CHANGED]
    problems = [h for h in report.hosts if not h.outcome.stored]
    head = ", ".join(
        part for part in (f"{len(changed)} changed" if changed else "", f"{len(new)} new" if new else "") if part
    )
    lines = [f"netcomply backup: {head}", ""]
    if changed:
        lines.append("changed: " + ", ".join(f"{h.host.name} ({h.detail})" for h in changed))
    if new:
        lines.append("new: " + ", ".join(h.host.name for h in new))
    unchanged = report.count(Outcome.UNCHANGED)
    if unchanged:
        lines.append(f"unchanged: {unchanged} host(s)")
    if problems:
        lines.append("not stored (last good backup kept): " + ", ".join(h.host.name for h in problems))
    lines.append(f"source: {report.source}")
    return "\n".join(lines) + "\n"
