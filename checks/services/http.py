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
        "HTTP services on network devices to be disabled. One rule on every vendor: any web "
        "management server fails, HTTPS included (IOS ip http secure-server, NX-API, EOS eAPI, "
        "Huawei http secure-server, H3C ip https, Junos web-management https), unless the policy's "
        "services.allow_https_management accepts HTTPS; plain HTTP always fails."
    ),
    messages={
        "ok": "no HTTP or HTTPS management server is enabled{decided}",
        "accepted": (
            "no plain-HTTP management server; HTTPS management accepted by the policy "
            "(services.allow_https_management): {accepted}{decided}"
        ),
        "enabled": "web management enabled: {details}{decided}",
    },
)
def http_disabled(facts: Facts, ctx: Context) -> Result:
    accepted = ("https",) if ctx.policy.section("services")["allow_https_management"] else ()
    return services_disabled(facts, ("http", "https"), "disable_http", accepted)
