"""The scan: snapshots in, findings out, one host at a time.

For each host the engine resolves the platform, has the platform parse the snapshot
into facts, runs every enabled host check on them and applies the policy (severity
overrides, waivers). Only a small record of each host (its neighbours) is kept for
the network-wide checks that run at the end, so memory stays flat however many hosts
are scanned. Nothing a host does (a bad file, an unknown platform, a check that
raises) stops the others: it becomes an ``error`` finding with the reason.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from checks import load_checks
from checks.rules import PlatformNames, rule_checks, rule_clauses
from scanner import __version__
from scanner.checkapi import (
    KIND_LABELS,
    CheckSpec,
    Context,
    HostRecord,
    NetworkContext,
    NetworkModels,
    RecordCollector,
    Result,
)
from scanner.configtree import Backend
from scanner.facts import ARP, CONFIG, NEIGHBORS, Facts
from scanner.masking import REDACTOR
from scanner.model import CheckInfo, Finding, HostInfo, RunInfo, ScanResult, Severity, Status, Tally, new_finding
from scanner.network import model_builders, model_collectors
from scanner.packedlist import SLICE, PackedList, Pickled
from scanner.platforms import all_platforms
from scanner.platforms.base import Platform
from scanner.platforms.resolve import PlatformError, kind_of, resolve_platform
from scanner.policy import Policy
from scanner.snapshot import HostInput, Snapshot

log = logging.getLogger("netcomply.engine")

_PLAIN = (str, int)  # param types whose equal values format alike (Scanner._wording)
_WORDINGS_KEPT = 1024


@dataclass
class ScanOptions:
    policy: Policy
    backend: Backend = "native"
    fail_on: Severity = Severity.LOW
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    inputs: dict[str, Any] = field(default_factory=dict)
    clauses: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # Called per host after parsing, before the checks: each returns named data for
    # Context.attachments (this is where I/O for a check happens, e.g. a store lookup).
    providers: list[ContextProvider] = field(default_factory=list)
    # Named data for NetworkContext.attachments (copied per run): e.g. the inventory's declared links.
    network_attachments: dict[str, Any] = field(default_factory=dict)
    # Notes for the run's summary known before it starts (e.g. "backups were not checked").
    notes: list[str] = field(default_factory=list)
    # Inventory hosts the selection (--hosts/--group/--role/--site) left out. Network checks
    # know their zone, role and site, so a path through an unscanned firewall is judged as
    # what it is, but no verdict is filed on them.
    outside: list[HostInfo] = field(default_factory=list)


ContextProvider = Callable[[HostInfo, Snapshot, Facts], dict[str, Any]]


def model_releases(network_checks: Sequence[CheckSpec], models: Sequence[str]) -> list[list[str]]:
    """For each network check in run order, the models to let go once it ran: those no later
    check may read (a check that does not say which models it reads may read any)."""
    releases: list[list[str]] = [[] for _ in network_checks]
    for name in models:
        readers = [i for i, spec in enumerate(network_checks) if spec.models is None or name in spec.models]
        if readers:
            releases[readers[-1]].append(name)
    return releases


def only_present_failures(results: list[Result], reason: str) -> list[Result]:
    """The verdicts a configuration that is not recognisably whole can support.

    A failure shown by a line that is there (it carries evidence) stands: more
    configuration cannot remove that line. An ``error`` the check gave itself stands too
    (it claims nothing). Every other verdict (a pass, a failure for a line that is missing,
    not_applicable for lack of a statement) rests on what the missing part might hold, so
    it becomes ``error`` with the reason.
    """
    kept = [r for r in results if (r.status is Status.FAIL and r.evidence) or r.status is Status.ERROR]
    if len(kept) < len(results):
        kept.append(Result.error("incomplete", reason=reason))
    return kept


def _config_unwhole(facts: Facts) -> str | None:
    """Why network checks may not rest on absence from this device's configuration (None: it is whole)."""
    if facts.config_incomplete is not None:
        return facts.config_incomplete
    missing = facts.unavailable.get(CONFIG)
    return f"no configuration was read: {missing}" if missing else None


def scan_checks(policy: Policy) -> list[CheckSpec]:
    """The checks of a scan under ``policy``: shipped, plugins (``checks.PluginError``), and the policy's rules.

    Raises :class:`scanner.rules.RuleError` for a rule the rest of netcomply refuses (an
    unknown platform or framework item, an id already taken), with its file and line.
    """
    registered = load_checks()
    rules = rule_checks(policy.rules, registered, _platform_names())
    return sorted([*registered, *rules], key=lambda spec: spec.id)


@cache
def _platform_names() -> dict[str, PlatformNames]:
    table: dict[str, PlatformNames] = {}
    for platform in all_platforms():
        cls = type(platform)
        entry = PlatformNames(cls.name, (cls.name, *cls.aliases), cls.kind)
        table.update(dict.fromkeys(entry.names, entry))
    return table


def _canonical(name: str) -> str:
    """The platform's own name for an alias a host's inventory may use (``junos`` -> ``juniper_junos``)."""
    entry = _platform_names().get(name)
    return entry.name if entry else name


@dataclass
class HostOutcome:
    """One host scanned: its findings and what the run keeps of it. Picklable (a worker returns it).

    Pickled, its findings and record travel as the pickles the client's packed lists keep
    (:class:`~scanner.packedlist.Pickled`): the client stores them without rebuilding the objects.
    """

    host: HostInfo
    findings: list[Finding] | Pickled[Finding]
    record: HostRecord | Pickled[HostRecord] | None = None
    error: str | None = None
    seconds: float = 0.0
    # Secrets met while parsing, for the redactor of the process that writes the outputs
    # (filled by scanner.parallel, whose workers parse in other processes).
    secrets: list[str] = field(default_factory=list)
    # The record's platform (the client keeps one per host without unpickling the record).
    platform: str | None = None
    # What the run's summary counts of the findings (Scanner.outcome fills it where they are made).
    tally: Tally | None = None

    def __reduce__(self) -> tuple[type[HostOutcome], tuple[Any, ...]]:
        findings = self.findings if isinstance(self.findings, Pickled) else Pickled(self.findings)
        record = self.record
        platform = self.platform
        if isinstance(record, HostRecord):
            platform = record.platform
            record = Pickled([record])
        fields = (self.host, findings, record, self.error, self.seconds, self.secrets, platform, self.tally)
        return (HostOutcome, fields)

    def finding_list(self) -> list[Finding]:
        return self.findings.items() if isinstance(self.findings, Pickled) else self.findings


class Scanner:
    """Runs the checks of a policy over hosts and collects the findings of one run."""

    def __init__(
        self, options: ScanOptions, checks: Iterable[CheckSpec] | None = None, keep_models: bool = False
    ) -> None:
        self.options = options
        # Keep every network model built until the run is done (a caller reads them after the
        # checks); else each goes after the last check that reads it.
        self.keep_models = keep_models
        policy = options.policy
        # The policy's rules are checks of this scan only (scan_checks), never of the process.
        specs = list(checks) if checks is not None else scan_checks(policy)
        self.clauses = {**rule_clauses(policy.rules), **options.clauses}
        self.checks = [s for s in specs if policy.check_enabled(s.id)]
        self.host_checks = [s for s in self.checks if s.scope == "host"]
        self.network_checks = [s for s in self.checks if s.scope == "network"]
        # Packed (scanner.packedlist): a record holds the host's addressed interfaces with their
        # evidence, and both lists grow with the estate.
        self.records: PackedList[HostRecord] = PackedList()
        # Models that gather their input as records are accepted, for the network checks that may read them.
        self.collectors: dict[str, RecordCollector] = {
            name: make()
            for name, make in model_collectors().items()
            if any(spec.models is None or name in spec.models for spec in self.network_checks)
        }
        self.hosts: PackedList[HostInfo] = PackedList()
        self.platforms: dict[str, str | None] = {}  # host name -> platform, of every record
        self.notes: list[str] = list(options.notes)
        self.network_context: NetworkContext | None = None
        self.host_errors: dict[str, str] = {}
        # The summary's counts of every finding accepted here or made by the network checks.
        self.tally = Tally()
        self.severities = {s.id: policy.severity_for(s.id, s.severity) for s in self.checks}
        self._wordings: dict[tuple[str, str, tuple[tuple[str, Any], ...]], tuple[str, dict[str, str]]] = {}
        self._other_kinds: dict[tuple[str, str], Finding] = {}  # (check, platform) -> its first "other kind" verdict

    # ---- per host -------------------------------------------------------------------

    def scan_host(self, item: HostInput) -> list[Finding]:
        outcome = self.outcome(item)
        self.accept(outcome)
        return outcome.finding_list()

    def outcome(self, item: HostInput) -> HostOutcome:
        """Scan one host without recording it here: the step a worker process runs (scanner.parallel)."""
        started = time.perf_counter()
        outcome = self._outcome(item)
        outcome.tally = Tally.of(outcome.finding_list())
        outcome.seconds = time.perf_counter() - started
        return outcome

    def accept(self, outcome: HostOutcome) -> list[Finding] | Pickled[Finding]:
        """Record one host's outcome, scanned here or by a worker, for the network checks and the result."""
        for value in outcome.secrets:
            REDACTOR.add(value)
        host = outcome.host
        if outcome.error is not None:
            log.warning("%s: %s", host.name, outcome.error)
            self.host_errors[host.name] = outcome.error
        self.hosts.append(host)
        self.tally.update(outcome.tally if outcome.tally is not None else Tally.of(outcome.finding_list()))
        record = outcome.record
        position = len(self.records)
        if isinstance(record, Pickled):
            self.records.extend(record)
            self.platforms[host.name] = outcome.platform
            if self.collectors:
                self._collect(position, record.items()[0])
        elif record is not None:
            self.records.append(record)
            self.platforms[host.name] = record.platform
            self._collect(position, record)
        log.debug("%s: scanned in %.3f s", host.name, outcome.seconds)
        return outcome.findings

    def _collect(self, position: int, record: HostRecord) -> None:
        for collector in self.collectors.values():
            collector.add(position, record)

    def _outcome(self, item: HostInput) -> HostOutcome:
        host = item.host
        if item.snapshot is None:
            return self._host_error(host, None, item.error or "no snapshot for this host")
        try:
            platform = resolve_platform(host, item.snapshot)
        except PlatformError as exc:
            return self._host_error(host, None, str(exc))
        if host.platform is None:
            host = replace(host, platform=platform.name)
        try:
            facts = platform.parse(item.snapshot, self.options.backend)
        except Exception as exc:  # a parser bug must not end the run
            log.exception("parsing %s failed", host.name)
            return self._host_error(host, platform.name, f"cannot parse the snapshot: {type(exc).__name__}: {exc}")
        record = HostRecord(
            host=host,
            platform=platform.name,
            hostname=facts.hostname,
            neighbors=tuple(facts.neighbors),
            serials=tuple(facts.serials),
            neighbors_missing=facts.unavailable.get(NEIGHBORS),
            interfaces=tuple(i for i in facts.interfaces if i.addresses),
            arp=facts.arp,
            arp_missing=facts.unavailable.get(ARP),
            access=facts.access.for_network() if facts.access is not None else None,
            platform_info=platform,
            config_incomplete=_config_unwhole(facts),
            kind=platform.kind,
        )
        attachments: dict[str, Any] = {}
        for provider in self.options.providers:
            attachments.update(provider(host, item.snapshot, facts))
        context = Context(host=host, policy=self.options.policy, now=self.options.now, attachments=attachments)
        findings = [f for spec in self.host_checks for f in self._run_host_check(spec, facts, context)]
        # Host checks are done with the configuration: only the small record above outlives them.
        facts.config_view = None
        return HostOutcome(host, findings, record)

    def _run_host_check(self, spec: CheckSpec, facts: Facts, context: Context) -> list[Finding]:
        platform = facts.platform.name
        if spec.kind != facts.platform.kind:
            return [self._other_kind(spec, context.host.name, facts.platform)]
        if spec.platforms is not None and platform not in spec.platforms and _canonical(platform) not in spec.platforms:
            return [
                self._finding(
                    spec,
                    context.host.name,
                    platform,
                    Result.not_applicable("disabled_platform", platform=facts.platform.display_name),
                )
            ]
        if spec.applies is not None:
            reason = spec.applies(context)
            if reason is not None:
                return [
                    self._finding(
                        spec, context.host.name, platform, Result.not_applicable("not_concerned", reason=reason)
                    )
                ]
        for family in spec.needs:
            reason = facts.unavailable.get(family)
            if reason is not None:
                return [self._finding(spec, context.host.name, platform, Result.error("unavailable", reason=reason))]
        try:
            outcome = spec.func(facts, context)  # type: ignore[call-arg,arg-type]
            results = [outcome] if isinstance(outcome, Result) else list(outcome)
        except Exception as exc:
            log.exception("check %s on %s raised", spec.id, context.host.name)
            results = [Result.error("crashed", reason=f"{type(exc).__name__}: {exc}")]
        if facts.config_incomplete is not None and CONFIG in spec.needs and not spec.judges_incomplete:
            results = only_present_failures(results, facts.config_incomplete)
        elif facts.incomplete and not spec.judges_incomplete:
            partial = next((facts.incomplete[f] for f in spec.needs if f in facts.incomplete), None)
            if partial is not None:
                results = only_present_failures(results, partial)
        return [self._finding(spec, r.host or context.host.name, platform, r) for r in results]

    def _other_kind(self, spec: CheckSpec, host: str, platform: Platform) -> Finding:
        """A check of another kind of host (a server check on a switch): not applicable, worded once per platform.

        A third of a network device's verdicts are these; each is the first one made for its
        (check, platform) with the host's name.
        """
        made = self._other_kinds.get((spec.id, platform.name))
        if made is None:
            result = Result.not_applicable("other_kind", kind=KIND_LABELS[spec.kind], platform=platform.display_name)
            made = self._other_kinds[spec.id, platform.name] = self._finding(spec, host, platform.name, result)
        return new_finding(
            host=host,
            check=made.check,
            status=made.status,
            severity=made.severity,
            message=made.message,
            platform=made.platform,
            evidence=(),
            remediation=(),
            waiver=None,
            key=made.key,
            params=dict(made.params),
        )

    def _host_error(self, host: HostInfo, platform: str | None, reason: str) -> HostOutcome:
        result = Result.error("unavailable", reason=reason)
        named = platform or host.platform
        kind = kind_of(named)
        findings = []
        for spec in self.host_checks:
            if kind is not None and spec.kind != kind:
                other = Result.not_applicable("other_kind", kind=KIND_LABELS[spec.kind], platform=named)
                findings.append(self._finding(spec, host.name, named, other))
            else:
                findings.append(self._finding(spec, host.name, named, result))
        return HostOutcome(host, findings, error=reason)

    # ---- whole network ----------------------------------------------------------------

    def finish(self) -> list[Finding]:
        """Run the network checks; their findings in one list (:meth:`network_findings` gives them packed)."""
        return [finding for chunk in self.network_findings() for finding in chunk.items()]

    def network_findings(self) -> Iterator[Pickled[Finding]]:
        """The findings of the network checks in order, pickled a slice at a time.

        A check's results become findings as it yields them and are pickled in slices, so a
        check that files a verdict on every device of a large estate never holds them all as
        objects (127,000 of them were 300 MB). A check that raises keeps none of its verdicts:
        one ``error`` finding stands for it.
        """
        scanned = {h.name for h in self.hosts}
        outside = [h for h in self.options.outside if h.name not in scanned]
        context = NetworkContext(
            hosts=self.records,
            policy=self.options.policy,
            now=self.options.now,
            inventory=[*self.hosts, *outside] if outside else self.hosts,
            attachments=dict(self.options.network_attachments),
            outside=frozenset(h.name for h in outside),
            collected=self.collectors,
        )
        context.models = NetworkModels(model_builders(), context)
        self.network_context = context
        releases = model_releases(self.network_checks, [] if self.keep_models else list(context.models))
        for spec, done_with in zip(self.network_checks, releases, strict=True):
            context.models.declared = spec.models
            tally = Tally()
            try:
                chunks = list(self._network_check(spec, context, tally))
            except Exception as exc:
                log.exception("network check %s raised", spec.id)
                crashed = Result.error("crashed", reason=f"{type(exc).__name__}: {exc}").on_host("(network)")
                error = [self._finding(spec, "(network)", None, crashed)]
                tally = Tally.of(error)
                chunks = [Pickled(error)]
            self.tally.update(tally)
            context.models.declared = None
            for name in done_with:
                context.models.release(name)
                self.collectors.pop(name, None)  # what it gathered (the context's ``collected``) goes too
            yield from chunks

    def _network_check(self, spec: CheckSpec, context: NetworkContext, tally: Tally) -> Iterator[Pickled[Finding]]:
        """The check's findings, pickled a slice at a time, each slice counted into ``tally`` as it goes."""
        platforms = self.platforms
        findings: list[Finding] = []
        for result in spec.func(context):  # type: ignore[call-arg,arg-type]
            if result.host in context.outside:
                continue
            host = result.host or "(network)"
            findings.append(self._finding(spec, host, platforms.get(host), result))
            if len(findings) >= SLICE:
                self._count(findings, tally)
                yield Pickled(findings)
                findings = []
        if findings:
            self._count(findings, tally)
            yield Pickled(findings)

    def _count(self, findings: list[Finding], tally: Tally) -> None:
        """Count a network check's findings, keeping only the host names the run has not counted yet
        (a check with a verdict per device would otherwise hold a second set of every name)."""
        counted = Tally.of(findings)
        counted.hosts -= self.tally.hosts
        tally.update(counted)

    # ---- policy -----------------------------------------------------------------------

    def _finding(self, spec: CheckSpec, host: str, platform: str | None, result: Result) -> Finding:
        policy = self.options.policy
        status = result.status
        message, params = self._wording(spec, result)
        remediation = result.fix or ((spec.remediation,) if spec.remediation and status is Status.FAIL else ())
        waiver = None
        if status is Status.FAIL:
            waiver = policy.waiver_for(host, spec.id)
            if waiver is not None:
                if waiver.expires >= self.options.now.date():
                    status = Status.WAIVED
                    message = f"{message} (waived until {waiver.expires.isoformat()}: {waiver.reason})"
                else:
                    message = f"{message} (waiver expired on {waiver.expires.isoformat()})"
        return new_finding(
            host=host,
            check=spec.id,
            status=status,
            severity=self.severities[spec.id],
            message=message,
            platform=platform,
            evidence=result.evidence,
            remediation=tuple(remediation),
            waiver=waiver,
            key=result.key,
            params=dict(params),
        )

    def _wording(self, spec: CheckSpec, result: Result) -> tuple[str, dict[str, str]]:
        """A result's message and its params as strings, remembered per (check, message key, params).

        Most verdicts repeat across hosts word for word (a network device's "a check of
        server platforms" finding, a pass), and formatting them was a fifth of the host checks'
        time. Only params that are plain ``str`` and ``int`` are remembered: for those, equal
        values format alike (``True == 1`` and ``Decimal("1.0") == Decimal("1.00")`` do not).
        The cache is emptied when full (1,024 wordings), so it stays small on an estate whose
        verdicts differ.
        """
        params = result.params
        plain = all(type(value) in _PLAIN for value in params.values())
        key = (spec.id, result.key, tuple(params.items())) if plain else None
        wording = self._wordings.get(key) if key is not None else None
        if wording is None:
            wording = spec.message(result.key, params), {name: format(value) for name, value in params.items()}
            if key is not None:
                if len(self._wordings) >= _WORDINGS_KEPT:
                    self._wordings.clear()
                self._wordings[key] = wording
        return wording

    def check_infos(self) -> list[CheckInfo]:
        return [
            CheckInfo(
                id=s.id,
                title=s.title,
                severity=self.severities[s.id],
                rationale=s.rationale,
                clauses=self.clauses.get(s.id, {}),
                remediation=s.remediation,
                origin=s.origin,
            )
            for s in self.checks
        ]


HostItem = HostInput | Callable[[], HostInput]
"""A host to scan: its input, or a picklable callable that reads it where it is called (a worker)."""


class StepRunner(Protocol):
    """Runs :meth:`Scanner.outcome` elsewhere (scanner.parallel: processes, a Dask cluster), outcomes in input order."""

    def outcomes(self, items: Iterable[HostItem], options: ScanOptions) -> Iterator[HostOutcome]: ...


def load_item(item: HostItem) -> HostInput:
    return item if isinstance(item, HostInput) else item()


def run_scan(
    items: Iterable[HostItem],
    options: ScanOptions,
    on_findings: Callable[[HostInfo, list[Finding]], None] | None = None,
    runner: StepRunner | None = None,
) -> ScanResult:
    """Scan every host of ``items`` (consumed one at a time, here or by ``runner``) and return the run."""
    with fewer_collections():
        return _run_scan(items, options, on_findings, runner)


# Container objects allocated (net) between two runs of the cyclic garbage collector during a scan.
SCAN_GC_THRESHOLD = 2_000
_gc_lock = threading.Lock()
_gc_depth = 0  # fewer_collections blocks open in this process
_gc_saved: tuple[int, ...] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (a scan), as it was after.

    A scan makes and frees millions of container objects (trees, facts, findings) that
    reference counting frees alone. At Python's default threshold (700) the collector still
    ran over a thousand times on 1,000 configurations, and each of its full collections
    walks every object the process holds: 0.28 s of a 3.8 s offline scan, 2.6 s of 37 at
    10,000. At 2,000 it ran a fifth as often (0.07 s, 0.26 s), peak memory unchanged; a
    threshold of 10,000 saved a little more (0.08 s at 10,000 configurations) but grew the
    peak by 2 to 3 MiB. Cyclic garbage waits a little longer; a collector the process
    switched off (threshold 0) stays off.

    The threshold belongs to the process: blocks that overlap in several threads (a client
    and a Dask worker in one process) share one raise, and the last to leave restores it.
    """
    global _gc_saved, _gc_depth
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = threshold = gc.get_threshold()
            if threshold[0] != 0:
                gc.set_threshold(max(threshold[0], SCAN_GC_THRESHOLD), *threshold[1:])
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_saved is not None:
                gc.set_threshold(*_gc_saved)


def _run_scan(
    items: Iterable[HostItem],
    options: ScanOptions,
    on_findings: Callable[[HostInfo, list[Finding]], None] | None,
    runner: StepRunner | None,
) -> ScanResult:
    started = datetime.now(UTC)
    scanner = Scanner(options)
    findings: PackedList[Finding] = PackedList()
    if runner is None:
        outcomes: Iterable[HostOutcome] = (scanner.outcome(load_item(item)) for item in items)
    else:
        outcomes = runner.outcomes(items, options)
    for outcome in outcomes:
        findings.extend(scanner.accept(outcome))
        if on_findings is not None:
            on_findings(outcome.host, outcome.finding_list())
    for chunk in scanner.network_findings():
        findings.extend(chunk)
    # The network models (the topology graph) are done with: released before the summary reads the findings.
    scanner.network_context = None
    if not scanner.host_checks and not scanner.network_checks:
        scanner.notes.append("no checks are enabled by the policy")
    return build_result(findings, scanner, options, started, scanner.tally)


def build_result(
    findings: Sequence[Finding], scanner: Scanner, options: ScanOptions, started: datetime, tally: Tally | None = None
) -> ScanResult:
    """The run's result; its summary from ``tally`` when the findings were counted as they were made, else read here."""
    checks = scanner.check_infos()
    return ScanResult(
        run=RunInfo(
            id=f"{started.strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:8]}",
            started=started,
            finished=datetime.now(UTC),
            version=__version__,
            inputs=options.inputs,
        ),
        findings=findings,
        checks=checks,
        hosts=scanner.hosts,
        summary=(tally if tally is not None else Tally.of(findings)).summary(checks, options.fail_on, scanner.notes),
        fail_on=options.fail_on,
    )
