from __future__ import annotations

from checks.services._common import services_disabled
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="services.tftp",
    title="TFTP server disabled",
    severity="high",
    needs=(CONFIG,),
    fixes=("disable_tftp",),
    rationale=(
        "TFTP has no authentication at all: anyone who can reach the device can download the files "
        "it serves. The form (5.2.3) requires TFTP to be disabled."
    ),
    messages={
        "ok": "no TFTP server is enabled{decided}",
        "enabled": "TFTP server enabled: {details}{decided}",
        "cannot_serve": "{platform} cannot act as a TFTP server",
    },
)
def tftp_disabled(facts: Facts, ctx: Context) -> Result:
    if not facts.platform.serves_tftp:
        return Result.not_applicable("cannot_serve", platform=facts.platform.display_name)
    return services_disabled(facts, ("tftp",), "disable_tftp")
