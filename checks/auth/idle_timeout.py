from __future__ import annotations

from checks._baseline import decided, duration, merge_fixes, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, IdleTimeout


@check(
    id="auth.idle_timeout",
    title="Idle management sessions time out",
    severity="medium",
    needs=(CONFIG,),
    fixes=("idle_timeout",),
    # Every platform but Junos always prints its console and vty lines: none read is a
    # configuration netcomply could not assess, not a device without management sessions.
    unassessed=("unread",),
    rationale=(
        "A management session left open on an unattended console or terminal is a logged-in "
        "administrator anyone can use. The level-3 baseline (GB/T 22239-2019 8.1.4.1 b) asks that "
        "connections time out; every management line or session must end after at most the policy's "
        "idle_timeout_max_minutes (10), and one that never times out fails, whichever line it is on: "
        "IOS/NX-OS exec-timeout on con/vty/aux (IOS default 10 minutes, NX-OS default never; "
        "exec-timeout 0 0 never), EOS management ssh / console idle-timeout (default never), Huawei/H3C "
        "idle-timeout under user-interface / line (default 10 minutes; Comware 7 line class settings "
        "apply to lines that set none; a Huawei local-user idle-timeout applies to that account), Junos "
        "idle-timeout of every login class given to a configured user (predefined classes have none; "
        "root's console is not judged)."
    ),
    messages={
        "ok": "{count} management session type(s), each idle at most {limit} minute(s): {details}{decided}",
        "none": "no management session to judge: {reason}",
        "unread": "no console or vty line read from the configuration, so no session could be judged",
        "long": "{count} management session type(s) idle longer than {limit} minute(s): {details}",
    },
)
def idle_timeout(facts: Facts, ctx: Context) -> Result:
    limit = ctx.policy.threshold("idle_timeout_max_minutes")
    sessions = facts.idle_timeouts
    if not sessions:
        if facts.platform.vendor == "juniper":
            return Result.not_applicable("none", reason="no login class is given to a configured user")
        return Result.not_applicable("unread")
    too_long = [s for s in sessions if s.seconds is None or s.seconds > limit * 60]
    if not too_long:
        details = "; ".join(f"{s.session}: {duration(s.seconds)}" for s in sessions)
        return Result.ok(
            "ok",
            [s.evidence for s in sessions],
            count=len(sessions),
            limit=limit,
            details=details,
            decided=decided(s.default for s in sessions),
        )
    if facts.config_incomplete is not None:
        # On a cut configuration only a line that sets too long a timeout proves a failure.
        too_long = [s for s in too_long if s.evidence is not None and not s.default] or too_long
    set_here = all(s.evidence is not None and not s.default for s in too_long)
    fixes = [
        facts.platform.fix("idle_timeout", context=s.context, minutes=limit, users=s.users, version=facts.version or "")
        for s in too_long
    ]
    return Result.fail(
        "long",
        shown(facts, (s.evidence for s in too_long), absent=not set_here),
        merge_fixes(fixes),
        count=len(too_long),
        limit=limit,
        details="; ".join(_describe(s) for s in too_long),
    )


def _describe(session: IdleTimeout) -> str:
    users = f" (users {', '.join(session.users)})" if session.users else ""
    text = f"{session.session}{users}: {'never times out' if session.seconds is None else duration(session.seconds)}"
    if session.default:
        return f"{text} ({session.default})"
    if session.evidence is not None:
        return f"{text} ({session.evidence.text.strip()})"
    return text
