"""The result model every stage shares: evidence, findings, a scan run.

One model, many renderers (checkov's lesson): reports, the store and the exit code
all read a :class:`ScanResult` and nothing else.
"""

from __future__ import annotations

import enum
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypeVar

from scanner.masking import mask_line

_Cls = TypeVar("_Cls", bound=type)


def packed_fast(cls: _Cls) -> _Cls:
    """Pickle a frozen slots dataclass as its class and field values, rebuilt through ``__init__``.

    A scan pickles every finding and host record into its packed lists (scanner.packedlist),
    and workers send them back: the dataclass's own ``__getstate__``/``__setstate__`` call
    ``fields()`` for every object and were a tenth of an offline scan's time.
    """
    values = operator.attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return (cls, values(self))

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls


_new = object.__new__


def _slot_setters(cls: type, names: tuple[str, ...]) -> tuple[Any, ...]:
    """The slot setters of ``cls``'s fields ``names``, which must be all its fields, in order.

    Objects made many times per host (evidence, findings) are made by setting their slots
    directly: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__`` and takes keywords, twice the cost.
    """
    if names != tuple(f.name for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: the fields are {[f.name for f in fields(cls)]}, not {list(names)}")
    return tuple(cls.__dict__[name].__set__ for name in names)


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class Status(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    WAIVED = "waived"

    def __str__(self) -> str:
        return self.value


@packed_fast
@dataclass(frozen=True, slots=True)
class Evidence:
    """One line of device output that supports a verdict. ``text`` is always masked.

    ``host`` names the device whose output holds the line when that is not always the
    finding's own host (a topology verdict rests on the CDP/LLDP lines of both ends).
    """

    source: str
    line: int
    text: str
    path: str | None = None
    host: str | None = None

    @classmethod
    def of(cls, source: str, line: int, raw_text: str, path: str | None = None) -> Evidence:
        """The evidence of one line as the device printed it, masked: the one place readers make evidence.

        Made through the slots (see :func:`_slot_setters`): readers make some fifty per host.
        """
        made = _new(cls)
        _ev_source(made, source)
        _ev_line(made, line)
        _ev_text(made, mask_line(raw_text.rstrip()))
        _ev_path(made, path)
        _ev_host(made, None)
        return made

    @property
    def where(self) -> str:
        """``[device ]command:line``: where a reader finds the line."""
        return f"{self.host} {self.source}:{self.line}" if self.host else f"{self.source}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "line": self.line, "text": self.text}
        if self.path:
            out["path"] = self.path
        if self.host:
            out["host"] = self.host
        return out


_ev_source, _ev_line, _ev_text, _ev_path, _ev_host = _slot_setters(Evidence, ("source", "line", "text", "path", "host"))


@packed_fast
@dataclass(frozen=True, slots=True)
class Waiver:
    host: str
    check: str
    reason: str
    expires: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "check": self.check,
            "reason": self.reason,
            "expires": self.expires.isoformat(),
        }


@packed_fast
@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict. ``message`` is English; ``key`` and ``params`` (already formatted, masked
    strings) name the check's message template it came from, so a report in another
    language can word it again (see checks.i18n). Findings of older runs have no key."""

    host: str
    check: str
    status: Status
    severity: Severity
    message: str
    platform: str | None = None
    evidence: tuple[Evidence, ...] = ()
    remediation: tuple[str, ...] = ()
    waiver: Waiver | None = None
    key: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "host": self.host,
            "check": self.check,
            "status": self.status.value,
            "severity": self.severity.label,
            "message": self.message,
            "platform": self.platform,
            "evidence": [e.to_dict() for e in self.evidence],
            "remediation": list(self.remediation),
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver.to_dict()
        if self.key is not None:
            out["message_key"] = self.key
            out["message_params"] = dict(self.params)
        return out


_FINDING_FIELDS = (
    "host", "check", "status", "severity", "message", "platform", "evidence", "remediation", "waiver", "key", "params"
)  # fmt: skip
(_f_host, _f_check, _f_status, _f_severity, _f_message, _f_platform, _f_evidence, _f_remediation, _f_waiver, _f_key,
 _f_params) = _slot_setters(Finding, _FINDING_FIELDS)  # fmt: skip


def new_finding(
    host: str,
    check: str,
    status: Status,
    severity: Severity,
    message: str,
    platform: str | None,
    evidence: tuple[Evidence, ...],
    remediation: tuple[str, ...],
    waiver: Waiver | None,
    key: str | None,
    params: Mapping[str, str],
) -> Finding:
    """``Finding(...)`` with every field given, made through its slots: the engine makes one per check and host."""
    made = _new(Finding)
    _f_host(made, host)
    _f_check(made, check)
    _f_status(made, status)
    _f_severity(made, severity)
    _f_message(made, message)
    _f_platform(made, platform)
    _f_evidence(made, evidence)
    _f_remediation(made, remediation)
    _f_waiver(made, waiver)
    _f_key(made, key)
    _f_params(made, params)
    return made


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What a report needs to know about a check that ran."""

    id: str
    title: str
    severity: Severity
    rationale: str
    clauses: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The check's general advice, given as a finding's remediation when the failure has no
    # commands of its own (so a renderer of commands, `fixes`, can leave it out).
    remediation: str = ""
    # "" for netcomply's own checks, "plugin DIST (ENTRY)", "rule FILE:LINE".
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "severity": self.severity.label,
            "rationale": self.rationale,
            "clauses": {k: list(v) for k, v in self.clauses.items()},
        }
        if self.remediation:
            out["remediation"] = self.remediation
        if self.origin:
            out["origin"] = self.origin
        return out


@packed_fast
@dataclass(frozen=True, slots=True)
class HostInfo:
    """An inventory host as the scan sees it; ``data`` is the merged Nornir host data."""

    name: str
    platform: str | None = None
    address: str | None = None
    groups: tuple[str, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def role(self) -> str | None:
        role = self.data.get("role")
        return str(role) if role is not None else None

    @property
    def zone(self) -> str | None:
        zone = self.data.get("zone")
        return str(zone) if zone is not None else None

    @property
    def site(self) -> str | None:
        site = self.data.get("site")
        return str(site) if site is not None else None

    @property
    def critical(self) -> bool:
        return bool(self.data.get("critical", False))


SCHEMA_ID = "netcomply/1"


@dataclass
class RunInfo:
    id: str
    started: datetime
    finished: datetime | None
    version: str
    inputs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat() if self.finished else None,
            "netcomply_version": self.version,
            "inputs": self.inputs,
        }


@dataclass
class Summary:
    hosts: int
    checks: int
    findings: int
    by_status: dict[str, int]
    by_severity: dict[str, int]
    exit_code: int
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "hosts": self.hosts,
            "checks": self.checks,
            "findings": self.findings,
            "by_status": self.by_status,
            "failures_by_severity": self.by_severity,
            "exit_code": self.exit_code,
            "notes": self.notes,
        }


def exit_code_for(findings: Iterable[Finding], fail_on: Severity) -> int:
    """0 all passed or waived; 2 some host could not be fully scanned; else 1 a failure at or above ``fail_on``.

    2 wins over 1 (DESIGN.md): an incomplete scan must never look like an ordinary
    failing one to cron, whatever else failed.
    """
    failed = False
    for finding in findings:
        if finding.status is Status.ERROR:
            return 2
        if finding.status is Status.FAIL and finding.severity >= fail_on:
            failed = True
    return 1 if failed else 0


def incomplete_hosts(findings: Iterable[Finding]) -> list[str]:
    """The hosts with at least one ``error`` finding: what a scan could not judge, sorted."""
    return sorted({f.host for f in findings if f.status is Status.ERROR})


def failing_count(findings: Iterable[Finding], fail_on: Severity) -> int:
    """How many failures are at or above ``fail_on`` (those that make the exit status 1)."""
    return sum(1 for f in findings if f.status is Status.FAIL and f.severity >= fail_on)


@dataclass
class Tally:
    """What a run's summary counts of its findings, gathered as they are made.

    A scan keeps its findings packed (scanner.packedlist): counting them at the end decoded
    every one again. The engine tallies each host's findings where they are made (a worker
    sends its tally with the outcome) and adds the tallies up.
    """

    hosts: set[str] = field(default_factory=set)
    counts: Counter[tuple[Status, Severity]] = field(default_factory=Counter)

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Tally:
        tally = cls()
        for finding in findings:
            tally.hosts.add(finding.host)
            tally.counts[finding.status, finding.severity] += 1
        return tally

    def update(self, other: Tally) -> None:
        self.hosts |= other.hosts
        self.counts.update(other.counts)

    def summary(self, checks: Iterable[CheckInfo], fail_on: Severity, notes: list[str]) -> Summary:
        by_status: Counter[str] = Counter()
        by_severity: Counter[str] = Counter()
        for (status, severity), count in self.counts.items():
            by_status[status.value] += count
            if status is Status.FAIL:
                by_severity[severity.label] += count
        failed = any(s is Status.FAIL and severity >= fail_on for s, severity in self.counts)
        return Summary(
            hosts=len(self.hosts),
            checks=len(list(checks)),
            findings=self.counts.total(),
            by_status={s.value: by_status.get(s.value, 0) for s in Status},
            by_severity={s.label: by_severity.get(s.label, 0) for s in Severity},
            exit_code=2 if by_status[Status.ERROR.value] else 1 if failed else 0,
            notes=notes,
        )


def summarize(findings: Iterable[Finding], checks: Iterable[CheckInfo], fail_on: Severity, notes: list[str]) -> Summary:
    """The counts of a run, read in one pass over ``findings`` (a scan may keep them packed: each pass decodes)."""
    return Tally.of(findings).summary(checks, fail_on, notes)


@dataclass
class ScanResult:
    """A finished run: what every renderer and the store consume."""

    run: RunInfo
    # A list, or a scanner.packedlist.PackedList (a scan's findings, compressed).
    findings: Sequence[Finding]
    checks: list[CheckInfo]
    hosts: list[HostInfo]
    summary: Summary
    fail_on: Severity = Severity.LOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "run": self.run.to_dict(),
            "summary": self.summary.to_dict(),
            "checks": [c.to_dict() for c in self.checks],
            "hosts": [
                {
                    "name": h.name,
                    "platform": h.platform,
                    "role": h.role,
                    "zone": h.zone,
                    "site": h.site,
                }
                for h in self.hosts
            ],
            "findings": [f.to_dict() for f in self.findings],
        }
