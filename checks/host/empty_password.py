from __future__ import annotations

from checks.host._common import host_state
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_ACCOUNTS, HOST_AGING


@check(
    id="host.empty_password",
    kind="host",
    title="No account without a password",
    severity="critical",
    needs=(HOST, HOST_ACCOUNTS, HOST_AGING),
    fixes=("lock_empty_password",),
    rationale=(
        "An account whose password is empty lets anyone log in as it wherever the login service "
        "accepts empty passwords. Every account must have a password or be locked (form 5.1.5). "
        "On Windows an enabled account with PasswordRequired false may have an empty password "
        "(Windows does not tell whether it has one), and an enabled Guest account is a login "
        "without a password of one's own: both fail."
    ),
    messages={
        "ok": "no account has an empty password ({count} login account(s) examined)",
        "empty": "account(s) that can log in without a password: {names}",
    },
)
def empty_password(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    empty = [a for a in state.accounts if a.password in ("empty", "not_required")]
    if not empty:
        return Result.ok("ok", count=len(state.humans()))
    fixes = [line for a in empty for line in facts.platform.fix("lock_empty_password", user=a.name)]
    evidence = [e for a in empty for e in (a.aging_evidence or (a.evidence,))]
    names = ", ".join(f"{a.name} ({a.password_note})" if a.password_note else a.name for a in empty)
    return Result.fail("empty", evidence, fixes, names=names)
