from __future__ import annotations

from checks.host._common import host_state, listing, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_ACCOUNTS, HOST_AGING, HOST_LOGINS, HostAccount


@check(
    id="host.stale_account",
    kind="host",
    title="No unused personal accounts",
    severity="medium",
    needs=(HOST, HOST_ACCOUNTS, HOST_LOGINS, HOST_AGING),
    fixes=("lock_stale_account",),
    rationale=(
        "Accounts of people who left must be removed (form 5.1.5). A personal account that has not "
        "logged in for months most likely belongs to someone who left or changed roles; it keeps "
        "working for anyone who has its password or key. Lock and expire it (Windows: disable it), "
        "then remove it once its owner is confirmed gone. Disabled accounts and the built-in "
        "superuser (root, Administrator) are not counted."
    ),
    messages={
        "ok": "every personal account logged in within {days} days ({count} account(s))",
        "stale": "{count} account(s) unused for more than {days} days: {details}",
    },
)
def stale_account(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    days = settings(ctx)["stale_account_days"]
    today = ctx.now.date()
    people = [a for a in state.humans() if not a.superuser and not a.disabled and not _expired(a, today)]
    stale: list[tuple[HostAccount, str]] = []
    for account in people:
        if account.last_login is not None:
            idle = (today - account.last_login.date()).days
            if idle > days:
                stale.append((account, f"last login {account.last_login.date().isoformat()}, {idle} days ago"))
        elif account.last_change is not None:
            age = (today - account.last_change).days
            if age > days:
                stale.append((account, f"never logged in, password set {age} days ago"))
        elif account.never_logged_in:
            stale.append((account, "never logged in"))
    if not stale:
        return Result.ok("ok", days=days, count=len(people))
    evidence = [a.login_evidence for a, _ in stale]
    fixes = [line for a, _ in stale for line in facts.platform.fix("lock_stale_account", user=a.name)]
    details = listing([f"{a.name} ({why})" for a, why in stale])
    return Result.fail("stale", evidence, fixes, count=len(stale), days=days, details=details)


def _expired(account: HostAccount, today) -> bool:  # type: ignore[no-untyped-def]
    return account.expires is not None and account.expires <= today
