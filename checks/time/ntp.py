from __future__ import annotations

from checks._baseline import shown
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts, NtpServer


@check(
    id="time.ntp",
    title="Clock synchronised to NTP servers",
    severity="medium",
    needs=(CONFIG,),
    fixes=("ntp_server", "ntp_enable", "ntp_authenticate"),
    rationale=(
        "Logs are evidence only when their time stamps can be trusted and compared across devices: "
        "the level-3 baseline (GB/T 22239-2019 8.1.4.3 b) asks that audit records carry the date and "
        "time, which needs a synchronised clock. The device must use at least the policy's number of "
        "NTP servers (time.ntp.min_servers, 1), with the NTP client running: NX-OS no feature ntp, "
        "Huawei/H3C undo ntp-service enable, and Comware 7 without ntp-service enable leave the servers "
        "unused. The device's own clock (127.127.x.x, ntp master) is no server. Whether each server is "
        "authenticated (a trusted key) is reported; time.ntp.require_authentication makes it required."
    ),
    messages={
        "ok": "{count} NTP server(s): {servers}; {auth}{notes}",
        "not_required": "the policy requires no NTP server (time.ntp.min_servers: 0); {count} configured",
        "off": "NTP is not running ({why}): the {count} configured server(s) are not used{notes}",
        "few": "{count} NTP server(s) configured, at least {minimum} required{notes}",
        "unauthenticated": "{count} NTP server(s) used without authentication: {details}",
        "unread": "the platform read no NTP settings",
    },
)
def ntp(facts: Facts, ctx: Context) -> Result:
    settings = ctx.policy.section("time")["ntp"]
    minimum, require_auth = settings["min_servers"], settings["require_authentication"]
    sync = facts.time_sync
    if sync is None:
        return Result.error("unread")
    servers = sync.servers
    notes = "".join(f"; {note}" for note in sync.notes)
    if minimum == 0:
        return Result.not_applicable("not_required", count=len(servers))
    if not sync.running:
        why = sync.off_default or (sync.off_evidence.text.strip() if sync.off_evidence else "turned off")
        return Result.fail(
            "off",
            shown(
                facts,
                [sync.off_evidence, *(s.evidence for s in servers)],
                absent=bool(sync.off_default) or sync.off_evidence is None,
            ),
            facts.platform.fix("ntp_enable", context=sync.context, version=facts.version or ""),
            why=why,
            count=len(servers),
            notes=notes,
        )
    if len(servers) < minimum:
        return Result.fail(
            "few",
            shown(facts, (s.evidence for s in servers), absent=True),
            facts.platform.fix("ntp_server", version=facts.version or ""),
            count=len(servers),
            minimum=minimum,
            notes=notes,
        )
    plain = [s for s in servers if not s.authenticated]
    if require_auth and plain:
        return Result.fail(
            "unauthenticated",
            shown(facts, (s.evidence for s in plain), absent=True),
            facts.platform.fix("ntp_authenticate", server=plain[0].address),
            count=len(plain),
            details="; ".join(f"{s.address} ({s.auth_detail})" for s in plain),
        )
    return Result.ok(
        "ok",
        [s.evidence for s in servers],
        count=len(servers),
        servers=", ".join(_name(s) for s in servers),
        auth=_auth_summary(servers),
        notes=notes,
    )


def _name(server: NtpServer) -> str:
    return f"{server.address} (vrf {server.vrf})" if server.vrf else server.address


def _auth_summary(servers: tuple[NtpServer, ...]) -> str:
    plain = [s for s in servers if not s.authenticated]
    if not plain:
        return "all authenticated"
    return "not authenticated: " + "; ".join(f"{s.address} ({s.auth_detail})" for s in plain)
