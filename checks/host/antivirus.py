from __future__ import annotations

import re

from checks.host._common import host_state, settings
from scanner.checkapi import Context, Result, check
from scanner.facts import HOST, Facts
from scanner.hostfacts import HOST_ANTIVIRUS, HOST_SCHEDULE, AntivirusProduct, ScheduledJob
from scanner.model import Evidence


@check(
    id="host.antivirus",
    kind="host",
    title="Antivirus installed, signatures current, scans at least weekly",
    severity="high",
    needs=(HOST, HOST_ANTIVIRUS),
    fixes=("install_antivirus", "update_signatures", "schedule_scan"),
    rationale=(
        "The form (5.1.3) requires antivirus on every host, with signatures kept up to date and a "
        "full scan at least once a week. ClamAV's signature date is read from its database; other "
        "products (Tianqing, Huorong, Kingsoft, Rising, Symantec, Trend...) are managed from their "
        "console, where their signature age must be confirmed."
    ),
    messages={
        "ok": "{products}: signatures from {signatures}; scanned {schedule}",
        "managed": "{products} found; its signature age and scan schedule are managed in its console{extra}",
        "missing": "no antivirus found (looked for {known})",
        "problems": "{products}: {details}",
        "no_schedule_data": "{products} found, but the scan schedule cannot be read: {reason}",
    },
)
def antivirus(facts: Facts, ctx: Context) -> Result:
    state = host_state(facts)
    policy = settings(ctx)
    if not state.antivirus:
        known = ", ".join(state.antivirus_searched) or "the products of scanner/data/antivirus.yaml"
        return Result.fail(
            "missing", fix=facts.platform.fix("install_antivirus", install=state.install_command), known=known
        )
    names = ", ".join(p.name for p in state.antivirus)
    dateable = [p for p in state.antivirus if p.dateable]
    evidence: list[Evidence] = [e for p in state.antivirus for e in p.evidence]
    scans = _scans(state.antivirus, state.jobs)
    if not dateable:
        extra = f"; scheduled scan: {_describe(scans[0])}" if scans else ""
        return Result.ok("managed", evidence, products=names, extra=extra)
    problems: list[str] = []
    fixes: list[str] = []
    max_age = policy["antivirus_signature_max_age_days"]
    newest = max((p.signatures for p in dateable if p.signatures), default=None)
    if newest is None:
        problems.append("no signature database")
        fixes += facts.platform.fix("update_signatures")
    else:
        age = (ctx.now - newest).days
        if age > max_age:
            problems.append(f"signatures from {newest.date().isoformat()} are {age} days old (maximum {max_age})")
            fixes += facts.platform.fix("update_signatures")
    schedule_reason = facts.unavailable.get(HOST_SCHEDULE)
    if schedule_reason and not scans:
        return Result.error("no_schedule_data", evidence, products=names, reason=schedule_reason)
    max_interval = policy["antivirus_scan_max_interval_days"]
    frequent = [j for j in scans if j.interval_days is not None and j.interval_days <= max_interval]
    if not frequent:
        if scans:
            problems.append(
                f"the only scheduled scan runs {_describe(scans[0])} (at least every {max_interval} days required)"
            )
            evidence.append(scans[0].evidence)
        else:
            problems.append("no scan is scheduled (cron or systemd timer)")
        fixes += facts.platform.fix("schedule_scan")
    if problems:
        return Result.fail("problems", evidence, fixes, products=names, details="; ".join(problems))
    assert newest is not None
    evidence.append(frequent[0].evidence)
    return Result.ok(
        "ok", evidence, products=names, signatures=newest.date().isoformat(), schedule=_describe(frequent[0])
    )


def _scans(products: list[AntivirusProduct], jobs: list[ScheduledJob]) -> list[ScheduledJob]:
    """Jobs that run a scan command of a found product, most frequent first."""
    commands = {c for p in products for c in p.scan_commands}
    if not commands:
        return []
    pattern = re.compile(r"(?:^|[\s/;&|])(" + "|".join(map(re.escape, sorted(commands))) + r")(?=\s|$|;)")
    found = [j for j in jobs if pattern.search(j.command)]
    return sorted(found, key=lambda j: j.interval_days if j.interval_days is not None else float("inf"))


def _describe(job: ScheduledJob) -> str:
    if job.interval_days is None:
        return f"on '{job.schedule}' ({job.source})"
    if job.interval_days < 1:
        return f"several times a day ('{job.schedule}', {job.source})"
    return f"every {job.interval_days:g} day(s) at most ('{job.schedule}', {job.source})"
