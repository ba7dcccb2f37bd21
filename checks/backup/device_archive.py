from __future__ import annotations

import re

from scanner.checkapi import Context, Result, check
from scanner.facts import CONFIG, ConfigArchive, Facts
from scanner.masking import mask_line

FIX = "archive_config"
# Transfers that carry the configuration, secrets included, in clear text: the scheme of a
# URL or device path (IOS "tftp://...", Junos archive-sites), or, when the target is a bare
# server, the protocol the statement names (Huawei "transport-type ftp").
_CLEAR_TEXT = re.compile(r"^(tftp|ftp|http|rcp):", re.IGNORECASE)
_CLEAR_TEXT_WORD = re.compile(r"\b(tftp|ftp)\b", re.IGNORECASE)


def _clear_text(archive: ConfigArchive) -> bool:
    if archive.target and ":" in archive.target:
        return bool(_CLEAR_TEXT.match(archive.target))
    return bool(_CLEAR_TEXT_WORD.search(archive.evidence.text))


def _shown(target: str | None) -> str:
    if not target:
        return "the device's own storage"
    return mask_line(target)


@check(
    id="backup.device_archive",
    title="The device keeps an archive of its own configuration",
    severity="info",
    needs=(CONFIG,),
    fixes=(FIX,),
    rationale=(
        "A device that archives its configuration on every save (IOS `archive`, Huawei "
        "`set save-configuration`, H3C `archive configuration`) keeps a restore point even when the "
        "central backup is out of reach. The transfer must not be TFTP or FTP: they carry the "
        "configuration, secrets included, in clear text, and the form (5.2.3) wants them disabled."
    ),
    messages={
        "ok": "the device archives its configuration to {targets}",
        "clear_text": "the device archives its configuration over a clear-text protocol: {targets}; TFTP/FTP "
        "carry the configuration, secrets included, unencrypted: a finding against the services "
        "requirement (form 5.2.3: FTP and TFTP disabled); archive to local flash, scp: or sftp: instead",
        "none": "the device keeps no archive of its own configuration",
        "not_supported": "{platform}: netcomply does not read a configuration archive setting on this platform",
    },
)
def device_archive(facts: Facts, ctx: Context) -> Result:
    fix = facts.platform.fix(FIX)
    if not facts.archives:
        if not fix:
            return Result.not_applicable("not_supported", platform=facts.platform.display_name)
        return Result.fail("none", fix=fix)
    evidence = [a.evidence for a in facts.archives]
    clear = [a for a in facts.archives if _clear_text(a)]
    if clear:
        targets = ", ".join(dict.fromkeys(_shown(a.target) for a in clear))
        return Result.fail("clear_text", [a.evidence for a in clear], fix=fix, targets=targets)
    targets = ", ".join(dict.fromkeys(_shown(a.target) for a in facts.archives))
    return Result.ok("ok", evidence, targets=targets)
