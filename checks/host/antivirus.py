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
    fixes=("install_antivirus", "enable_antivirus", "update_signatures", "schedule_scan"),
    rationale=(
        "The form (5.1.3) requires antivirus on every host, with signatures kept up to date and a "
        "full scan at least once a week. ClamAV's signature date is read from its database and its "
        "scans from cron and systemd timers; Microsoft Defender reports its own state (service, "
        "real-time protection, signature date, days since its last scan). Other products (Tianqing, "
        "360, Huorong, Kingsoft, Rising, Symantec, Trend...) are managed from their console, where "
        "their signature age must be confirmed. A product that is present but switched off "
        "protects nothing."
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
    protecting = [p for p in state.antivirus if not p.problems]
    if not protecting:
        names = ", ".join(p.name for p in state.antivirus)
        if len(state.antivirus) == 1:
            details = ", ".join(state.antivirus[0].problems)
        else:
            details = "; ".join(f"{p.name}: {', '.join(p.problems) or 'no problem found'}" for p in state.antivirus)
        evidence = [e for p in state.antivirus for e in p.evidence]
        return Result.fail(
            "problems", evidence, facts.platform.fix("enable_antivirus"), products=names, details=details
        )
    names = ", ".join(p.name for p in protecting)
    dateable = [p for p in protecting if p.dateable]
    evidence: list[Evidence] = [e for p in protecting for e in p.evidence]
    scans = _scans(protecting, state.jobs)
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
        evidence += [
            p.signatures_evidence for p in dateable if p.signatures_evidence and p.signatures_evidence not in evidence
        ]
        age = (ctx.now - newest).days
        if age < -1:
            # Dated after the scan: the host's clock is wrong, so the real age is unknown.
            problems.append(f"signatures dated {newest.date().isoformat()}, after the scan: their age is unknown")
            fixes += facts.platform.fix("update_signatures")
        elif age > max_age:
            problems.append(f"signatures from {newest.date().isoformat()} are {age} days old (maximum {max_age})")
            fixes += facts.platform.fix("update_signatures")
    max_interval = policy["antivirus_scan_max_interval_days"]
    recorded = [p for p in dateable if p.scan_recorded]
    if recorded:
        scanned, scan_problem = _recorded_scan(recorded, max_interval, evidence)
        if scan_problem:
            problems.append(scan_problem)
            fixes += facts.platform.fix("schedule_scan")
    else:
        schedule_reason = facts.unavailable.get(HOST_SCHEDULE)
        if schedule_reason and not scans:
            return Result.error("no_schedule_data", evidence, products=names, reason=schedule_reason)
        frequent = [j for j in scans if j.interval_days is not None and j.interval_days <= max_interval]
        scanned = _describe(frequent[0]) if frequent else ""
        if frequent:
            evidence.append(frequent[0].evidence)
        elif scans:
            problems.append(
                f"the only scheduled scan runs {_describe(scans[0])} (at least every {max_interval} days required)"
            )
            evidence.append(scans[0].evidence)
            fixes += facts.platform.fix("schedule_scan")
        else:
            problems.append("no scan is scheduled (cron or systemd timer)")
            fixes += facts.platform.fix("schedule_scan")
    if problems:
        return Result.fail("problems", evidence, fixes, products=names, details="; ".join(problems))
    assert newest is not None
    return Result.ok("ok", evidence, products=names, signatures=newest.date().isoformat(), schedule=scanned)


def _recorded_scan(products: list[AntivirusProduct], max_interval: int, evidence: list[Evidence]) -> tuple[str, str]:
    """(how recently the products' own records say they scanned, the problem or "")."""
    evidence += [p.scan_evidence for p in products if p.scan_evidence]
    ages = [(p.last_scan_days, p.name) for p in products if p.last_scan_days is not None]
    if not ages:
        return "", f"{products[0].name} has never scanned the host"
    days, name = min(ages)
    described = f"{days} day(s) ago ({name}'s own record)"
    if days > max_interval:
        return described, f"the last scan was {days} days ago (at least every {max_interval} days required)"
    return described, ""


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
