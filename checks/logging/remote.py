from __future__ import annotations

import ipaddress

from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, LogHost

# Names that always mean the device itself.
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_remote(address: str) -> bool:
    """False for the device itself: 127.0.0.0/8, ::1 (and IPv4-mapped loopback), localhost."""
    name = address.strip("[]").lower()
    if name in _LOCAL_NAMES:
        return False
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return True
    mapped = getattr(ip, "ipv4_mapped", None)
    return not (ip.is_loopback or (mapped is not None and mapped.is_loopback))


@check(
    id="logging.remote",
    title="Logs sent to a remote syslog server",
    severity="medium",
    needs=(CONFIG,),
    fixes=("add_syslog_host",),
    rationale=(
        "Logs kept only on the device are lost on reboot and can be erased by an intruder. "
        "Restarts, logins and access-control changes must be recorded on a remote syslog server "
        "(form: security logs kept; CIS Cisco IOS 2.2.4). A log host on the device itself "
        "(127.0.0.1, ::1, localhost) is not remote, and logging turned off (IOS no logging on or "
        "no logging trap, EOS no logging on, Huawei/H3C undo info-center enable) sends nothing."
    ),
    messages={
        "ok": "logs are sent to {hosts}",
        "missing": "no remote syslog server is configured",
        "local_only": "no remote syslog server is configured: {hosts} is the device itself",
        "off": "logging is turned off on the device, so no log reaches a remote syslog server",
    },
)
def remote_logging(facts: Facts, ctx: Context) -> Result:
    if facts.logging_off is not None:
        evidence = [facts.logging_off, *(h.evidence for h in facts.log_hosts)]
        return Result.fail("off", evidence, fix=facts.platform.fix("add_syslog_host"))
    remote = [h for h in facts.log_hosts if is_remote(h.address)]
    if remote:
        return Result.ok("ok", [h.evidence for h in remote], hosts=_names(remote))
    if facts.log_hosts:
        return Result.fail(
            "local_only",
            [h.evidence for h in facts.log_hosts],
            facts.platform.fix("add_syslog_host"),
            hosts=_names(facts.log_hosts),
        )
    return Result.fail("missing", fix=facts.platform.fix("add_syslog_host"))


def _names(hosts: list[LogHost]) -> str:
    return ", ".join(dict.fromkeys(h.address for h in hosts))
