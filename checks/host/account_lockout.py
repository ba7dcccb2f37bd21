from __future__ import annotations

from checks.host._common import host_state, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_LOCKOUT, LockoutPolicy


@check(
    id="host.account_lockout",
    kind="host",
    title="Accounts locked after repeated failed logins",
    severity="medium",
    needs=(HOST, HOST_LOCKOUT),
    fixes=("set_lockout",),
    rationale=(
        "Password guessing is stopped by locking an account after a few failed logins (MLPS "
        "8.1.4.1 b): login-failure handling). An account must be locked after at most "
        "hosts.lockout_max_tries failures, for at least hosts.lockout_min_minutes minutes or "
        "until an administrator unlocks it. Windows: LockoutBadCount and LockoutDuration of the "
        "local security policy. Linux: pam_faillock (deny, unlock_time, on the module's lines or "
        "in /etc/security/faillock.conf, with its preauth and authfail lines in every auth stack) "
        "or pam_tally2 (deny, unlock_time)."
    ),
    messages={
        "ok": "accounts are locked after {tries} failed login(s), {duration} ({mechanism}){defaults}",
        "none": "failed logins never lock an account ({mechanism}); at most {max_tries} allowed{defaults}",
        "weak": "{details} ({mechanism}){defaults}",
    },
)
def account_lockout(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    lockout = state.lockout
    assert lockout is not None
    policy = settings(ctx)
    max_tries = policy["lockout_max_tries"]
    min_minutes = policy["lockout_min_minutes"]
    minutes = max(min_minutes, 15)
    fix = facts.platform.fix(
        "set_lockout", tries=max_tries, minutes=minutes, seconds=minutes * 60, enable=state.lockout_enable_command
    )
    defaults = f"; {'; '.join(lockout.defaults)}" if lockout.defaults else ""
    evidence = list(lockout.evidence)
    if lockout.threshold is None:
        return Result.fail("none", evidence, fix, mechanism=lockout.mechanism, max_tries=max_tries, defaults=defaults)
    problems = list(lockout.gaps)
    if lockout.threshold > max_tries:
        problems.append(f"accounts are locked only after {lockout.threshold} failed logins (at most {max_tries})")
    if not lockout.until_unlocked and lockout.minutes is not None and lockout.minutes < min_minutes:
        problems.append(f"a locked account unlocks after {_minutes(lockout)} (at least {min_minutes} minutes)")
    if problems:
        return Result.fail(
            "weak", evidence, fix, details="; ".join(problems), mechanism=lockout.mechanism, defaults=defaults
        )
    return Result.ok(
        "ok",
        evidence,
        tries=lockout.threshold,
        duration=_duration(lockout),
        mechanism=lockout.mechanism,
        defaults=defaults,
    )


def _minutes(lockout: LockoutPolicy) -> str:
    value = lockout.minutes or 0
    return f"{value:g} minute(s)"


def _duration(lockout: LockoutPolicy) -> str:
    if lockout.until_unlocked:
        return "until an administrator unlocks them"
    return f"for {_minutes(lockout)}"
