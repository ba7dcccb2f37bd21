"""What several renderers compute from a result: scores, groupings, clause titles, templates."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from checks.frameworks import frameworks
from scanner.escaping import strip_controls
from scanner.model import CheckInfo, Finding, ScanResult, Status, failing_count, incomplete_hosts


@dataclass(frozen=True)
class Score:
    """Verdicts of one check or host. ``percent`` is pass / (pass + fail + waived); None when nothing was judged."""

    key: str
    title: str
    counts: Counter[str]

    @property
    def judged(self) -> int:
        return self.counts["pass"] + self.counts["fail"] + self.counts["waived"]

    @property
    def percent(self) -> int | None:
        return round(100 * self.counts["pass"] / self.judged) if self.judged else None


def scores_by_check(result: ScanResult) -> list[Score]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in result.findings:
        counts[f.check][f.status.value] += 1
    return [Score(c.id, c.title, counts.get(c.id, Counter())) for c in result.checks]


def scores_by_host(result: ScanResult) -> list[Score]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for f in result.findings:
        counts[f.host][f.status.value] += 1
    names = [h.name for h in result.hosts] + sorted(set(counts) - {h.name for h in result.hosts})
    return [Score(n, n, counts.get(n, Counter())) for n in names]


def overall_percent(result: ScanResult) -> int | None:
    s = result.summary.by_status
    judged = s.get("pass", 0) + s.get("fail", 0) + s.get("waived", 0)
    return round(100 * s.get("pass", 0) / judged) if judged else None


def check_index(result: ScanResult) -> dict[str, CheckInfo]:
    return {c.id: c for c in result.checks}


def by_status(result: ScanResult, status: Status) -> list[Finding]:
    return sorted((f for f in result.findings if f.status is status), key=lambda f: (-int(f.severity), f.check, f.host))


def grouped(findings: list[Finding], key: str) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[getattr(f, key)].append(f)
    return sorted(groups.items(), key=lambda kv: (-max(int(f.severity) for f in kv[1]), kv[0]))


@cache
def clause_titles() -> dict[str, dict[str, tuple[str, str | None]]]:
    """{framework id: {item id: (title, Chinese title)}}."""
    return {fw.id: {item.id: (item.title, item.title_zh) for item in fw.items} for fw in frameworks()}


@cache
def framework_titles() -> dict[str, tuple[str, str | None]]:
    return {fw.id: (fw.title, fw.title_zh) for fw in frameworks()}


@cache
def jinja_env():  # type: ignore[no-untyped-def]
    """Templates under reports/templates, HTML-escaped by default."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_without_controls,
    )
    return env


def _without_controls(value: object) -> object:
    """Every value a template prints loses escape sequences and control characters (device text); escaping follows."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(strip_controls(str(value)))
    if isinstance(value, str):
        return strip_controls(value)
    return value


def exit_reason(result: ScanResult) -> str:
    """What the exit status rests on, naming both counts when some host could not be fully scanned."""
    failing = failing_count(result.findings, result.fail_on)
    failures = f"{failing} failure(s) at or above {result.fail_on.label}"
    incomplete = incomplete_hosts(result.findings)
    if not incomplete:
        return f": {failures}" if failing else ""
    shown = ", ".join(incomplete[:5]) + (f" and {len(incomplete) - 5} more" if len(incomplete) > 5 else "")
    return f": {len(incomplete)} host(s) not fully scanned ({shown}), {failures}"
