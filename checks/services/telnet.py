from __future__ import annotations

from checks.services._common import services_disabled
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="services.telnet",
    title="Telnet not accepted for management",
    severity="high",
    needs=(CONFIG,),
    fixes=("disable_telnet",),
    rationale=(
        "Telnet carries the login password and the whole session in clear text. Remote management "
        "must use SSH only (form 5.2.3; CIS Cisco IOS 1.2.2 'transport input ssh' on vty lines)."
    ),
    messages={
        "ok": "telnet is not accepted on any vty or management plane{decided}",
        "enabled": "telnet accepted: {details}{decided}",
    },
)
def telnet_disabled(facts: Facts, ctx: Context) -> Result:
    return services_disabled(facts, ("telnet",), "disable_telnet")
