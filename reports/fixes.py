"""Fix scripts: per device, the configuration commands that bring it to the policy (``netcomply fix``).

For each device with failures, the commands of every failing finding (shipped checks,
plugins and the policy's rules alike) merged into one script in the device's own
syntax (``scanner.remediation``), between the commands that enter and leave
configuration mode. Failures whose remediation is advice rather than commands (add a
power supply, move a link) are listed as comments, as are waived failures and checks
that could not be judged: the script is complete only for what it says it covers.
"""

from __future__ import annotations

from collections import defaultdict

from reports import RenderOptions, renderer
from scanner.model import Finding, ScanResult, Status
from scanner.platforms import UnknownPlatformError, get_platform
from scanner.platforms.base import Platform
from scanner.remediation import fix_script


@renderer("fixes", extension="txt", description="Per device, the configuration commands that fix its failures")
def render_fixes(result: ScanResult, options: RenderOptions) -> str:
    advice = {c.id: c.remediation for c in result.checks}
    by_host: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_host[finding.host].append(finding)
    order = [h.name for h in result.hosts] + sorted(set(by_host) - {h.name for h in result.hosts})
    devices = [_device(name, by_host[name], advice) for name in order if by_host.get(name)]
    shown = [text for text in devices if text]
    out = [
        f"# netcomply fixes: run {result.run.id}, {len(shown)} device(s) with something to fix, "
        f"{len(devices) - len(shown)} without.",
        "# Review every script before applying it. <...> are placeholders to fill in; a masked value "
        "(<pu***>) names a secret the device holds.",
    ]
    for text in shown:
        out += ["", *text]
    return "\n".join(out) + "\n"


def _device(host: str, findings: list[Finding], advice: dict[str, str]) -> list[str]:
    failed = [f for f in findings if f.status is Status.FAIL]
    waived = sorted({f.check for f in findings if f.status is Status.WAIVED})
    errors = sorted({f.check for f in findings if f.status is Status.ERROR})
    if not failed and not errors:
        return []
    platform = _platform(next((f.platform for f in findings if f.platform), None))
    comment = (platform.comment[:1] if platform else "") or "#"
    name = platform.display_name if platform else "unknown platform"
    checks = sorted({f.check for f in failed})
    out = [f"{comment} {host} ({name}): {len(checks)} failing check(s){': ' + ', '.join(checks) if checks else ''}"]
    blocks = []
    for finding in failed:
        commands = _commands(finding, advice)
        if commands:
            blocks.append(commands)
        else:
            hint = " ".join(finding.remediation) or "no fix is known; see the report"
            out.append(f"{comment} {finding.check}: not fixed by commands here: {hint}")
    if waived:
        out.append(f"{comment} waived, not fixed here: {', '.join(waived)}")
    if errors:
        out.append(f"{comment} could not be judged (no fix known until they can): {', '.join(errors)}")
    if blocks:
        script = fix_script(platform, blocks)
        enter, leave = platform.config_mode if platform and platform.config_mode else (None, None)
        out += [line for line in (enter, *script, leave) if line]
    return out


def _commands(finding: Finding, advice: dict[str, str]) -> list[str]:
    """The finding's remediation when it is device commands, [] when it is the check's general advice."""
    general = advice.get(finding.check, "")
    if not finding.remediation or (general and list(finding.remediation) == [general]):
        return []
    return list(finding.remediation)


def _platform(name: str | None) -> Platform | None:
    if not name:
        return None
    try:
        return get_platform(name)
    except UnknownPlatformError:
        return None
