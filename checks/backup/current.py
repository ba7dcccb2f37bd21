from __future__ import annotations

from datetime import timedelta

from scanner.backupstatus import ATTACHMENT, BackupStatus
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


def _configured(ctx: Context) -> str | None:
    if ATTACHMENT in ctx.attachments:
        return None
    return "no backup store is configured (netcomply scan --backup-store DIR, or backup.store in the policy)"


def _age(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return "less than an hour"
    if hours < 48:
        return f"{int(hours)} hour(s)"
    return f"{int(hours // 24)} days"


@check(
    id="backup.current",
    unassessed=("not_concerned",),
    title="Configuration backed up, and the backup is current",
    severity="medium",
    needs=(CONFIG,),
    applies=_configured,
    remediation=(
        "Run `netcomply backup` (nightly, from cron) so the store holds the device's running configuration; "
        "find out who changed the device and why when the running configuration differs from the backup."
    ),
    rationale=(
        "A device that fails or is misconfigured can only be restored from a backup of its current "
        "configuration, and a change nobody backed up is a change nobody reviewed. The form (5.2.3) "
        "requires device configurations to be backed up."
    ),
    messages={
        "ok": "the backup of {changed} matches the running configuration (last confirmed {age} ago)",
        "no_backup": "the backup store {store} holds no backup of this host",
        "old": "the last backup was confirmed {age} ago (policy: at most {max_days} days); the backup job is "
        "not running for this host",
        "differs": "the running configuration differs from the backup of {changed}: {added} line(s) added, "
        "{removed} removed",
        "old_and_differs": "the last backup was confirmed {age} ago (policy: at most {max_days} days), and the "
        "running configuration differs from it ({changed}): {added} line(s) added, {removed} removed",
        "store_error": "cannot read the backup store: {reason}",
    },
)
def backup_current(facts: Facts, ctx: Context) -> Result:
    status: BackupStatus = ctx.attachments[ATTACHMENT]
    if status.error is not None:
        return Result.error("store_error", reason=status.error)
    confirmed = status.last_confirmed
    if status.changed is None or confirmed is None:
        return Result.fail("no_backup", store=status.store)
    age = ctx.now - confirmed
    old = age > timedelta(days=status.max_age_days)
    params = {
        "changed": status.changed.describe(),
        "age": _age(age),
        "max_days": status.max_age_days,
        "added": status.added,
        "removed": status.removed,
    }
    if old and status.differs:
        return Result.fail("old_and_differs", status.evidence, **params)
    if status.differs:
        return Result.fail("differs", status.evidence, **params)
    if old:
        return Result.fail("old", **params)
    return Result.ok("ok", **params)
