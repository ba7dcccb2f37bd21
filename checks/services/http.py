from __future__ import annotations

from checks.services._common import services_disabled
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="services.http",
    title="HTTP/HTTPS management server disabled",
    severity="high",
    needs=(CONFIG,),
    fixes=("disable_http",),
    rationale=(
        "A web management server on a network device is a large, often unpatched attack surface, "
        "and plain HTTP sends credentials in clear text. The self-assessment form (5.2.3) requires "
        "HTTP services on network devices to be disabled."
    ),
    messages={
        "ok": "no HTTP or HTTPS management server is enabled",
        "enabled": "web management enabled: {details}",
    },
)
def http_disabled(facts: Facts, ctx: Context) -> Result:
    return services_disabled(facts, ("http", "https"), "disable_http")
