from __future__ import annotations

from checks.host._common import host_state, listing, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_ACCOUNTS, HOST_AGING, HOST_PASSWORD_RULES
from scanner.model import Evidence


@check(
    id="host.password_age",
    kind="host",
    title="Passwords changed within the maximum age",
    severity="medium",
    # Accounts and their aging (/etc/shadow; Windows: local_users.json) are read inside:
    # the policy's maximum age (PASS_MAX_DAYS, MaximumPasswordAge) fails on its own.
    needs=(HOST, HOST_PASSWORD_RULES),
    fixes=("set_max_password_age", "set_account_max_days", "force_password_change"),
    rationale=(
        "The form (5.1.5) requires passwords to be changed within six months. The server must "
        "expire passwords (Linux: PASS_MAX_DAYS in /etc/login.defs for new accounts, each "
        "account's own maximum for existing ones; Windows: MaximumPasswordAge of the local "
        "security policy, and no account set to 'password never expires'), and no person's "
        "password may be older than the maximum."
    ),
    messages={
        "ok": "passwords expire within {days} days and every person's password is younger ({count} account(s))",
        "old": "{count} problem(s) with password age (maximum {days} days): {details}",
        "old_unread": (
            "{count} problem(s) with password age (maximum {days} days): {details}; "
            "each account's own aging could not be read: {reason}"
        ),
    },
)
def password_age(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    limit = settings(ctx)["password_max_age_days"]
    today = ctx.now.date()
    rules = state.password_rules
    problems: list[str] = []
    evidence: list[Evidence] = []
    fixes: list[str] = []
    if rules is not None and (rules.max_days is None or rules.max_days > limit):
        if rules.max_days is None:
            problems.append(f"{rules.max_days_setting}: passwords never expire {rules.max_days_applies}")
        else:
            problems.append(f"{rules.max_days_setting} {rules.max_days} {rules.max_days_applies}")
        if rules.max_days_evidence:
            evidence.append(rules.max_days_evidence)
        fixes += facts.platform.fix("set_max_password_age", days=limit)
    unread = facts.unavailable.get(HOST_ACCOUNTS) or facts.unavailable.get(HOST_AGING)
    if unread is not None:
        # /etc/login.defs alone already decides a failure; a pass needs every account's aging.
        if problems:
            return Result.fail(
                "old_unread", evidence, fixes, count=len(problems), days=limit, details=listing(problems), reason=unread
            )
        return Result.error("unavailable", reason=unread)
    accounts = [a for a in state.humans() if a.password == "set"]
    for account in accounts:
        reasons = []
        if account.max_days is None or account.max_days > limit:
            reasons.append("never expires" if account.max_days is None else f"expires after {account.max_days} days")
            fixes += facts.platform.fix("set_account_max_days", days=limit, user=account.name)
        if account.must_change:
            pass
        elif account.last_change is None:
            reasons.append("no date of last change")
            fixes += facts.platform.fix("force_password_change", user=account.name)
        elif (today - account.last_change).days > limit:
            age = (today - account.last_change).days
            reasons.append(f"last changed {account.last_change.isoformat()} ({age} days ago)")
            fixes += facts.platform.fix("force_password_change", user=account.name)
        if reasons:
            problems.append(f"{account.name} ({', '.join(reasons)})")
            evidence += account.aging_evidence
    if not problems:
        return Result.ok(
            "ok", [a.aging_evidence[0] for a in accounts if a.aging_evidence], days=limit, count=len(accounts)
        )
    return Result.fail("old", evidence, fixes, count=len(problems), days=limit, details=listing(problems))
