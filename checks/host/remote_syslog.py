from __future__ import annotations

from checks.host._common import host_state
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_SYSLOG


@check(
    id="host.remote_syslog",
    kind="host",
    platforms=("linux",),
    title="Logs forwarded to a remote log server",
    severity="medium",
    needs=(HOST, HOST_SYSLOG),
    fixes=("add_syslog_host",),
    rationale=(
        "Logs kept only on the server are lost with it and can be erased by an intruder. Logins, "
        "restarts and access-control changes must be kept on a remote log server (rsyslog @/@@ "
        "or omfwd, syslog-ng network destinations, systemd-journal-upload)."
    ),
    messages={
        "ok": "logs are forwarded to {targets}",
        "missing": "no remote log target in rsyslog, syslog-ng or systemd-journal-upload",
    },
)
def remote_syslog(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    if state.log_targets:
        targets = ", ".join(dict.fromkeys(f"{t.address} ({t.via})" for t in state.log_targets))
        return Result.ok("ok", [t.evidence for t in state.log_targets], targets=targets)
    return Result.fail("missing", fix=facts.platform.fix("add_syslog_host"))
