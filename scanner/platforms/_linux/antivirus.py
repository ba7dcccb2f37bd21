"""Antivirus products (scanner/data/antivirus.yaml) and the cron jobs and systemd timers that could run a scan."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime

from scanner.hostfacts import AntivirusProduct, ScheduledJob
from scanner.model import Evidence
from scanner.platforms._linux.commands import antivirus_products

EvidenceMaker = Callable[[int, str], Evidence]

_CLAMAV_VERSION = re.compile(r"^ClamAV\s+(?P<version>[\w.+~-]+)(?:/(?P<db>\d+)/(?P<date>.+?))?\s*$")


def clamav_version(text: str, ev: EvidenceMaker) -> tuple[datetime | None, Evidence] | None:
    """``clamscan --version``: ``ClamAV 1.0.3/27154/Mon Jan 15 08:21:00 2024`` (the date is daily.cvd's build)."""
    for number, line in enumerate(text.splitlines(), 1):
        match = _CLAMAV_VERSION.match(line.strip())
        if match:
            when = None
            if match.group("date"):
                try:
                    when = datetime.strptime(" ".join(match.group("date").split()), "%a %b %d %H:%M:%S %Y")
                    when = when.replace(tzinfo=UTC)
                except ValueError:
                    when = None
            return when, ev(number, line)
    return None


def products(
    clamscan: tuple[datetime | None, Evidence] | None,
    processes: dict[str, Evidence],
    paths: dict[str, Evidence],
) -> list[AntivirusProduct]:
    found = []
    for spec in antivirus_products():
        evidence = [processes[p] for p in spec.processes if p in processes]
        evidence += [paths[p] for p in spec.paths if p in paths]
        running = any(p in processes for p in spec.processes)
        signatures = signatures_evidence = None
        if spec.name == "ClamAV" and clamscan is not None:
            signatures, signatures_evidence = clamscan
            evidence.insert(0, signatures_evidence)
        if not evidence:
            continue
        found.append(
            AntivirusProduct(
                name=spec.name,
                running=running,
                evidence=tuple(evidence),
                signatures=signatures,
                signatures_evidence=signatures_evidence,
                dateable=spec.dateable,
                scan_commands=spec.scans,
            )
        )
    return found


def process_names(text: str, ev: EvidenceMaker) -> dict[str, Evidence]:
    names: dict[str, Evidence] = {}
    for number, line in enumerate(text.splitlines(), 1):
        name = line.strip()
        if name:
            names.setdefault(name, ev(number, line))
    return names


def existing_paths(text: str, ev: EvidenceMaker) -> dict[str, Evidence]:
    return {line.strip(): ev(n, line) for n, line in enumerate(text.splitlines(), 1) if line.startswith("/")}


# ---- schedules ------------------------------------------------------------------------

_CRON_NICKNAMES = {
    "@yearly": 366.0,
    "@annually": 366.0,
    "@monthly": 31.0,
    "@weekly": 7.0,
    "@daily": 1.0,
    "@midnight": 1.0,
    "@hourly": 1 / 24,
}
_RUN_PARTS = {"cron.hourly": 1 / 24, "cron.daily": 1.0, "cron.weekly": 7.0, "cron.monthly": 31.0}
_WEEKDAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
    """The values a cron field allows (``*/2``, ``1-5``, ``mon,fri``), None when it cannot be read."""
    result: set[int] = set()
    for part in field.lower().split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _number(first, names), _number(last, names)
            if start is None or end is None:
                return None
        else:
            start = _number(part, names)
            if start is None:
                return None
            end = high if step > 1 else start
        result.update(range(start, end + 1, step))
    return result


def _number(text: str, names: dict[str, int] | None) -> int | None:
    if text.isdigit():
        return int(text)
    if names and text[:3] in names:
        return names[text[:3]]
    return None


def _max_gap(days: set[int], period: int) -> float:
    """The longest wait between two consecutive days of a cycle of ``period`` days."""
    ordered = sorted(days)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[0] + period - ordered[-1])
    return float(max(gaps))


def cron_interval(fields: list[str]) -> float | None:
    """Longest gap between runs, in days, of ``minute hour dom month dow`` (or a nickname)."""
    if fields[0].startswith("@"):
        return _CRON_NICKNAMES.get(fields[0].lower())
    if len(fields) < 5:
        return None
    _minute, hour, dom, month, dow = fields[:5]
    months = _values(month, 1, 12)
    if months is None:
        return None
    dows = _values(dow, 0, 7, _WEEKDAYS)
    doms = _values(dom, 1, 31)
    if dows is None or doms is None:
        return None
    dows = {d % 7 for d in dows}
    if dom == "*" and dow == "*":
        hours = _values(hour, 0, 23)
        interval = 1.0 if hours is None or len(hours) == 1 else _max_gap(hours, 24) / 24
    elif dom == "*":
        interval = _max_gap(dows, 7)
    elif dow == "*":
        interval = _max_gap(doms, 31)
    else:  # cron runs when either field matches
        interval = min(_max_gap(dows, 7), _max_gap(doms, 31))
    if len(months) < 12:
        interval = max(interval, _max_gap(months, 12) * 31)
    return interval


def cron_jobs(source: str, text: str, ev: EvidenceMaker, *, with_user: bool, path_prefixed: bool) -> list[ScheduledJob]:
    """Cron lines of /etc/crontab, /etc/cron.d, spool crontabs, and commands inside cron.{daily,weekly,...} scripts."""
    jobs = []
    for number, line in enumerate(text.splitlines(), 1):
        path, content = source, line
        if path_prefixed:
            path, sep, content = line.partition(":")
            if not sep:
                continue
        body = content.strip()
        if not body or body.startswith("#"):
            continue
        folder = path.rsplit("/", 2)[-2] if path.count("/") >= 2 else ""
        if folder in _RUN_PARTS:
            jobs.append(ScheduledJob(path, folder, body, _RUN_PARTS[folder], ev(number, line)))
            continue
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", body):
            continue
        fields = body.split()
        width = 1 if fields[0].startswith("@") else 5
        user_in_line = with_user and not path.startswith("/var/spool/cron")
        skip = width + (1 if user_in_line else 0)
        if len(fields) <= skip:
            continue
        jobs.append(
            ScheduledJob(
                path, " ".join(fields[:width]), " ".join(fields[skip:]), cron_interval(fields), ev(number, line)
            )
        )
    return jobs


_CALENDAR_WORDS = {
    "minutely": 1 / 1440,
    "hourly": 1 / 24,
    "daily": 1.0,
    "weekly": 7.0,
    "monthly": 31.0,
    "quarterly": 92.0,
    "semiannually": 184.0,
    "yearly": 366.0,
    "annually": 366.0,
}
_SPAN_UNITS = {
    "us": 1e-6 / 86400,
    "ms": 1e-3 / 86400,
    "s": 1 / 86400,
    "sec": 1 / 86400,
    "m": 1 / 1440,
    "min": 1 / 1440,
    "h": 1 / 24,
    "hr": 1 / 24,
    "d": 1.0,
    "day": 1.0,
    "days": 1.0,
    "w": 7.0,
    "week": 7.0,
    "weeks": 7.0,
    "month": 30.44,
    "months": 30.44,
    "M": 30.44,
    "y": 365.25,
    "year": 365.25,
}


def calendar_interval(spec: str) -> float | None:
    """Longest gap of a systemd ``OnCalendar=`` expression, in days (None when not understood)."""
    spec = spec.strip()
    if spec.lower() in _CALENDAR_WORDS:
        return _CALENDAR_WORDS[spec.lower()]
    parts = spec.split()
    weekdays: set[int] | None = None
    if parts and re.match(r"^[A-Za-z]", parts[0]):
        weekdays = set()
        for chunk in parts[0].lower().split(","):
            if ".." in chunk:
                first, last = (_WEEKDAYS.get(x[:3]) for x in chunk.split("..", 1))
                if first is None or last is None:
                    return None
                weekdays.update(range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)])
            elif chunk[:3] in _WEEKDAYS:
                weekdays.add(_WEEKDAYS[chunk[:3]])
            else:
                return None
        parts = parts[1:]
    day = "*"
    if parts and "-" in parts[0]:
        day = parts[0].rsplit("-", 1)[1]
    if weekdays:
        return _max_gap(weekdays, 7)
    if day == "*" or day.startswith("*/"):
        return 1.0
    days = _values(day.replace("..", "-"), 1, 31)
    return _max_gap(days, 31) if days else None


def span_days(value: str) -> float | None:
    """``7d``, ``1w``, ``12h``, ``1d 12h``, ``3600`` (seconds) in days."""
    total = 0.0
    matches = re.findall(r"(\d+(?:\.\d+)?)\s*([A-Za-z]*)", value)
    if not matches:
        return None
    for number, unit in matches:
        factor = _SPAN_UNITS.get(unit or "s")
        if factor is None:
            return None
        total += float(number) * factor
    return total


def timer_jobs(text: str, ev: EvidenceMaker) -> list[ScheduledJob]:
    """``systemctl cat TIMER SERVICE``: the timer's schedule and the service's ExecStart lines."""
    schedules: list[tuple[str, float | None, Evidence]] = []
    commands: list[tuple[str, Evidence]] = []
    source = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("# /") and not source:
            source = stripped[2:]
        key, sep, value = stripped.partition("=")
        if not sep:
            continue
        key = key.strip()
        if key == "OnCalendar" and value.strip():
            schedules.append((value.strip(), calendar_interval(value), ev(number, line)))
        elif key in ("OnUnitActiveSec", "OnUnitInactiveSec") and value.strip():
            schedules.append((f"{key}={value.strip()}", span_days(value), ev(number, line)))
        elif key == "ExecStart" and value.strip():
            commands.append((value.strip().lstrip("-@:+!"), ev(number, line)))
    if not schedules:
        return []
    known = [s for s in schedules if s[1] is not None]
    schedule, interval, evidence = min(known, key=lambda s: s[1]) if known else schedules[0]  # type: ignore[arg-type,return-value]
    return [
        ScheduledJob(source or "systemd timer", schedule, command, interval, evidence) for command, _ in commands
    ] or [ScheduledJob(source or "systemd timer", schedule, "", interval, evidence)]
