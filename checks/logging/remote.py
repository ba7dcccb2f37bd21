from __future__ import annotations

from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="logging.remote",
    title="Logs sent to a remote syslog server",
    severity="medium",
    needs=(CONFIG,),
    fixes=("add_syslog_host",),
    rationale=(
        "Logs kept only on the device are lost on reboot and can be erased by an intruder. "
        "Restarts, logins and access-control changes must be recorded on a remote syslog server "
        "(form: security logs kept; CIS Cisco IOS 2.2.4)."
    ),
    messages={
        "ok": "logs are sent to {hosts}",
        "missing": "no remote syslog server is configured",
        "off": "logging is turned off on the device, so no log reaches a remote syslog server",
    },
)
def remote_logging(facts: Facts, ctx: Context) -> Result:
    if facts.logging_off is not None:
        evidence = [facts.logging_off, *(h.evidence for h in facts.log_hosts)]
        return Result.fail("off", evidence, fix=facts.platform.fix("add_syslog_host"))
    if facts.log_hosts:
        hosts = ", ".join(dict.fromkeys(h.address for h in facts.log_hosts))
        return Result.ok("ok", [h.evidence for h in facts.log_hosts], hosts=hosts)
    return Result.fail("missing", fix=facts.platform.fix("add_syslog_host"))
