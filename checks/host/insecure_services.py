from __future__ import annotations

from checks.host._common import host_state, listing, port_matches, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_LISTENERS, Listener

_NAMES = {21: "ftp", 23: "telnet", 69: "tftp", 80: "http", 512: "rexec", 513: "rlogin", 514: "rsh"}


@check(
    id="host.insecure_services",
    kind="host",
    title="No clear-text or unauthenticated services listening",
    severity="high",
    needs=(HOST, HOST_LISTENERS),
    fixes=("disable_service",),
    rationale=(
        "Telnet, FTP, rsh/rlogin/rexec and plain HTTP send passwords and data in clear text; TFTP "
        "has no authentication at all. The form requires them disabled (5.2.3, hosts 5.2.5). "
        "Listeners are read from `ss -tulpn` (Linux) or Get-NetTCPConnection/Get-NetUDPEndpoint "
        "(Windows, with the services hosted in each process). "
        "Ports the policy allows (hosts.allowed_ports) are accepted; with hosts.expected_ports "
        "set, any other listening port fails too. Sockets bound to loopback only are not reachable "
        "from the network and are not counted."
    ),
    messages={
        "ok": "no insecure service listens ({count} listening socket(s) reachable from the network)",
        "found": "{count} insecure or unexpected listening service(s): {details}",
    },
)
def insecure_services(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    policy = settings(ctx)
    insecure_processes = {str(p).lower() for p in policy["insecure_processes"]}
    exposed = [s for s in state.listeners if not s.loopback_only]
    bad: list[tuple[Listener, str]] = []
    for sock in exposed:
        if port_matches(policy["allowed_ports"], sock.port, sock.protocol):
            continue
        if port_matches(policy["insecure_ports"], sock.port, sock.protocol):
            bad.append((sock, _NAMES.get(sock.port, "insecure port")))
        elif sock.process.lower() in insecure_processes or (sock.unit or "").lower() in insecure_processes:
            bad.append((sock, f"{sock.unit or sock.process} on a non-standard port"))
        elif policy["expected_ports"] and not port_matches(policy["expected_ports"], sock.port, sock.protocol):
            bad.append((sock, "not in hosts.expected_ports"))
    if not bad:
        return Result.ok("ok", count=len(exposed))
    fixes: list[str] = []
    for sock, _ in bad:
        unit = (sock.process if sock.unit is None else sock.unit) or f"<the service on {sock.port}/{sock.protocol}>"
        if sock.port == 23 and not sock.process and sock.unit is None:
            unit = "telnet.socket"
        fixes += facts.platform.fix("disable_service", unit=unit)
    details = listing(
        [f"{s.port}/{s.protocol} on {s.address} ({why}{', ' + s.process if s.process else ''})" for s, why in bad]
    )
    return Result.fail(
        "found", [s.evidence for s, _ in bad], list(dict.fromkeys(fixes)), count=len(bad), details=details
    )
