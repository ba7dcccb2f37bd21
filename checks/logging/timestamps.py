from __future__ import annotations

from checks._baseline import decided, merge_fixes, shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="logging.timestamps",
    title="Log messages carry the date and time",
    severity="low",
    needs=(CONFIG,),
    fixes=("log_timestamps",),
    rationale=(
        "A log line stamped with the time since boot (or nothing) cannot be placed in time after a "
        "restart or matched with other devices' logs. Audit records must carry the date and time "
        "(GB/T 22239-2019 8.1.4.3 b). IOS stamps log messages only with service timestamps log "
        "datetime (the default is no stamp; uptime is not a date); Huawei info-center timestamp log/trap "
        "boot and H3C info-center timestamp [loghost] boot/none fail; NX-OS, EOS and Junos always stamp "
        "the date and time."
    ),
    messages={
        "ok": "log messages carry the date and time: {details}{decided}",
        "undated": "log messages without the date and time: {details}",
        "unread": "the platform read no log time stamp settings",
    },
)
def timestamps(facts: Facts, ctx: Context) -> Result:
    stamps = facts.log_timestamps
    if not stamps:
        return Result.error("unread")
    undated = [s for s in stamps if not s.datetime]
    if undated:
        fixes = [facts.platform.fix("log_timestamps", context=s.context or s.destination) for s in undated]
        return Result.fail(
            "undated",
            shown(facts, (s.evidence for s in undated), absent=any(s.default or s.evidence is None for s in undated)),
            merge_fixes(fixes),
            details="; ".join(f"{s.destination}: {s.detail}" for s in undated),
        )
    return Result.ok(
        "ok",
        [s.evidence for s in stamps],
        details="; ".join(dict.fromkeys(s.detail for s in stamps if not s.default)) or "by default",
        decided=decided(s.default for s in stamps),
    )
