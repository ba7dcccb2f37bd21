from __future__ import annotations

from checks._baseline import decided, duration, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, LoginLockout


@check(
    id="auth.login_lockout",
    title="Failed logins are limited (login lockout)",
    severity="medium",
    needs=(CONFIG,),
    fixes=("login_lockout",),
    rationale=(
        "Without a limit on failed logins, a password can be guessed at line speed. The level-3 "
        "baseline (GB/T 22239-2019 8.1.4.1 b) asks for login-failure handling: after a few failures "
        "the device must refuse further attempts for a while. The policy sets how many failures "
        "(login_lockout_max_attempts, 5) and how long the lock lasts (login_lockout_min_minutes, 5). "
        "Read per vendor: IOS login block-for / aaa local authentication attempts max-fail, NX-OS "
        "login block-for / aaa authentication rejected, EOS aaa authentication policy lockout, Huawei "
        "local-aaa-user wrong-password (on by default: 3 tries, 5 minutes), H3C password-control "
        "login-attempt (none until password-control enable, then 3 tries and a 1-minute wait), Junos "
        "system login retry-options (10 tries and no lockout-period by default)."
    ),
    messages={
        "ok": "{mechanism}: after {attempts} failed login(s) the device refuses logins {lock}{decided}",
        "none": "nothing limits failed logins: no lockout is configured",
        "weak": "failed logins are not limited as the policy requires: {details}",
    },
)
def login_lockout(facts: Facts, ctx: Context) -> Result:
    max_attempts = ctx.policy.threshold("login_lockout_max_attempts")
    min_minutes = ctx.policy.threshold("login_lockout_min_minutes")
    fix = facts.platform.fix(
        "login_lockout",
        attempts=max_attempts,
        lock_minutes=max(min_minutes, 1),
        lock_seconds=max(min_minutes, 1) * 60,
        version=facts.version or "",
    )
    lockouts = facts.login_lockouts
    if not lockouts:
        return Result.fail("none", fix=fix)
    for lockout in lockouts:
        if not _problems(lockout, max_attempts, min_minutes):
            return Result.ok(
                "ok",
                lockout.evidence,
                mechanism=lockout.mechanism,
                attempts=lockout.attempts,
                lock=duration(lockout.lock_seconds, lock=True),
                decided=decided([lockout.default]),
            )
    details = "; ".join(
        f"{lockout.mechanism}: {', '.join(_problems(lockout, max_attempts, min_minutes))}"
        + (f" ({lockout.default})" if lockout.default else "")
        for lockout in lockouts
    )
    evidence = [e for lockout in lockouts for e in lockout.evidence]
    fix = (*(line for lockout in lockouts for line in lockout.unvoid), *fix)
    return Result.fail("weak", shown(facts, evidence, absent=True), fix, details=details)


def _problems(lockout: LoginLockout, max_attempts: int, min_minutes: int) -> list[str]:
    if lockout.void:
        return [lockout.void]
    if not lockout.enabled:
        return ["not enabled" if lockout.default else "turned off"]
    problems = []
    if lockout.attempts is None:
        problems.append("no limit on failed attempts")
    elif lockout.attempts > max_attempts:
        problems.append(f"{lockout.attempts} failed attempts allowed, at most {max_attempts}")
    lock = lockout.lock_seconds
    if lock == 0:
        problems.append(
            f"no lockout after the failures (the session is only disconnected), {min_minutes} minute(s) required"
        )
    elif lock is not None and lock < min_minutes * 60:
        problems.append(f"logins refused {duration(lock, lock=True)}, at least {min_minutes} minute(s) required")
    return problems
