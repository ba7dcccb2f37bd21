from __future__ import annotations

from checks._baseline import decided, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, ChangeLog, Facts


@check(
    id="logging.config_changes",
    title="Configuration changes logged with the user who made them",
    severity="medium",
    needs=(CONFIG,),
    fixes=("log_config_changes",),
    rationale=(
        "Who changed what, and when, is the first question after an incident and an audit item: the "
        "form asks that access-control changes are logged, and the level-3 baseline (GB/T 22239-2019 "
        "8.1.4.3 a/b) that audit covers every user and important actions. IOS logs changes with "
        "archive / log config / logging enable (or command accounting of level 15); EOS with aaa "
        "accounting commands to logging or a server; Junos with a syslog file or host receiving "
        "change-log or interactive-commands; NX-OS keeps its accounting log by default; Huawei and H3C "
        "record every command with its user in the information center by default, unless it is turned "
        "off (undo info-center enable) or the command records are filtered out."
    ),
    messages={
        "ok": "configuration changes are logged with the user: {details}{decided}",
        "off": "configuration changes are not logged: {details}",
        "none": "configuration changes are not logged with the user who made them: no change log is configured",
    },
)
def config_changes(facts: Facts, ctx: Context) -> Result:
    logs = facts.change_logs
    kept = [log for log in logs if log.enabled and log.with_user]
    if kept:
        return Result.ok(
            "ok",
            [e for log in kept for e in log.evidence],
            details="; ".join(_describe(log) for log in kept),
            decided=decided(log.default for log in kept),
        )
    fix = facts.platform.fix("log_config_changes")
    off = [log for log in logs if not log.enabled or not log.with_user]
    if off:
        # Another change log may follow the cut of a configuration that is not whole.
        evidence = shown(facts, (e for log in off for e in log.evidence), absent=True)
        return Result.fail("off", evidence, fix, details="; ".join(_describe(log, off=True) for log in off))
    return Result.fail("none", fix=fix)


def _describe(log: ChangeLog, off: bool = False) -> str:
    if off:
        shown = ", ".join(e.text.strip() for e in log.evidence) or log.default
        return f"{log.mechanism}: no change is recorded" + (f" ({shown})" if shown else "")
    return f"{log.mechanism}, {log.where}" if log.where else log.mechanism
