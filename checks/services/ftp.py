from __future__ import annotations

from checks.services._common import services_disabled
from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, Facts


@check(
    id="services.ftp",
    title="FTP server disabled",
    severity="high",
    needs=(CONFIG,),
    fixes=("disable_ftp",),
    rationale=(
        "FTP sends credentials and files in clear text and lets anyone who can reach the device "
        "read or replace its images and configurations. The form (5.2.3) requires FTP to be disabled; "
        "use SCP or SFTP instead."
    ),
    messages={
        "ok": "no FTP server is enabled{decided}",
        "enabled": "FTP server enabled: {details}{decided}",
    },
)
def ftp_disabled(facts: Facts, ctx: Context) -> Result:
    return services_disabled(facts, ("ftp",), "disable_ftp")
