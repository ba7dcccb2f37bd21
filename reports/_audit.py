"""The self-assessment form as rows: what was checked, what was found, the result, what to do.

Each item of ``checks/frameworks/selfassessment.yaml`` (framework ``form``), in the form's
order, gives up to three kinds of row, so that no row claims more than was checked:

* the item's checks: 符合 (every assessed host passed), 部分符合 (some failed, or a failure
  is waived), 不符合 (every assessed host failed), 不适用 (the checks ran and concern no host
  for a reason that makes the item inapplicable), or 未核查 when nothing could be assessed;
* 未核查 (not assessed), for what the scan could not judge although the item asks it: a
  check this version lacks or the policy disabled, no host of the check's kind in the
  scan (no servers), hosts that errored, verdicts a check marks as unassessed (no backup
  store, an agent not probed);
* 需人工核查 (check by hand), one per point of the item no check decides (``by_hand``).

Info-level checks are advice (建议): listed with their fix, never deciding a row. Hosts
are counted per item (network-wide checks count every device of the network they
analysed: its neighbours, its access lists). Fixes are grouped per platform, each in its
own syntax; messages and prose fixes are worded in the report's language (checks.i18n),
device lines stay verbatim.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from checks import get_check
from checks.frameworks import Framework, FrameworkItem, HandCheck, frameworks
from checks.i18n import message as worded
from checks.i18n import remediation as worded_fix
from checks.i18n import title as check_title
from reports._audit_text import CONCLUSIONS, KINDS, TEXT
from scanner.checkapi import CheckSpec
from scanner.model import CheckInfo, Finding, ScanResult, Severity, Status
from scanner.platforms import UnknownPlatformError, get_platform

FORM_ID = "form"
MLPS_ID = "mlps"
EVIDENCE_LIMIT = 40
JUDGED = frozenset({"pass", "fail", "waived"})


@dataclass
class FormRow:
    id: str  # the form item
    name: str
    criterion: str
    conclusion: str
    part: str = "checks"  # "checks", "unassessed", "by_hand"
    assessed: int = 0
    found: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)
    mlps: list[tuple[str, str]] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    def conclusion_label(self, lang: str) -> str:
        return CONCLUSIONS[self.conclusion][lang]


@dataclass
class _Outcome:
    """One check of an item over the scan: each concerned host's state, or why there is none."""

    id: str
    title: str
    spec: CheckSpec | None
    advisory: bool = False
    states: dict[str, str] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    missing: str | None = None
    covered: frozenset[str] = frozenset()

    def hosts(self, *states: str) -> list[str]:
        return sorted(h for h, s in self.states.items() if s in states)


def _framework(framework_id: str) -> Framework | None:
    return next((f for f in frameworks() if f.id == framework_id), None)


def spec_of(check_id: str) -> CheckSpec | None:
    """The registered check, or None (an id of another netcomply version, or of a check still to come)."""
    try:
        return get_check(check_id)
    except KeyError:
        return None


def _other_kind(f: Finding) -> bool:
    """A verdict on a host of the other kind (a host check on a switch): the host is not concerned."""
    if f.key is not None:
        return f.key == "other_kind"
    return f.status is Status.NOT_APPLICABLE and f.message.startswith("a check of ")


def _state(findings: list[Finding], spec: CheckSpec | None) -> str:
    statuses = {f.status for f in findings}
    for status, state in ((Status.FAIL, "fail"), (Status.ERROR, "error"), (Status.WAIVED, "waived")):
        if status in statuses:
            return state
    if Status.PASS in statuses:
        return "pass"
    if spec is not None and any(not spec.assessed(f.status, f.key) for f in findings):
        return "unassessed"
    return "na"


class _Scan:
    """What the rows read from a result, indexed once."""

    def __init__(self, result: ScanResult, lang: str) -> None:
        self.result = result
        self.lang = lang
        self.t = TEXT[lang]
        self.ran: dict[str, CheckInfo] = {c.id: c for c in result.checks}
        self.by_check: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
        parsed: set[str] = set()
        for f in result.findings:
            self.by_check[f.check][f.host].append(f)
            if f.status is not Status.ERROR:
                parsed.add(f.host)
        self.network_devices = frozenset(
            h.name for h in result.hosts if h.name in parsed and _kind(h.platform) == "network"
        )
        self.platform_of = {h.name: h.platform for h in result.hosts}
        self._outcomes: dict[str, _Outcome] = {}
        # Checks that name a form item themselves (a policy rule's `clauses: {form: ...}`), beside the framework's.
        self.claimed: dict[str, list[str]] = defaultdict(list)
        for info in result.checks:
            for item_id in info.clauses.get(FORM_ID, ()):
                self.claimed[item_id].append(info.id)

    def checks_of(self, item: FrameworkItem) -> list[str]:
        return list(dict.fromkeys([*item.checks, *self.claimed.get(item.id, [])]))

    def title(self, check_id: str) -> str:
        info = self.ran.get(check_id)
        spec = spec_of(check_id)
        english = info.title if info else (spec.title if spec else check_id)
        return check_title(check_id, self.lang, english)

    def outcome(self, check_id: str) -> _Outcome:
        if check_id not in self._outcomes:
            self._outcomes[check_id] = self._evaluate(check_id)
        return self._outcomes[check_id]

    def _evaluate(self, check_id: str) -> _Outcome:
        t = self.t
        spec = spec_of(check_id)
        out = _Outcome(check_id, self.title(check_id), spec)
        info = self.ran.get(check_id)
        if info is None:
            key = "not_implemented" if spec is None else "not_run"
            out.missing = t[key].format(id=check_id, title=out.title)
            return out
        out.advisory = info.severity is Severity.INFO
        for host, findings in self.by_check.get(check_id, {}).items():
            if all(_other_kind(f) for f in findings):
                continue
            out.states[host] = _state(findings, spec)
            out.findings[host] = findings
        # A network check that files its verdicts on a few devices (a topology breach, on the
        # offending link's end) judged the whole network; one with a verdict on every device
        # (the ipam checks) is counted per device like a host check.
        judged_network = any(s in JUDGED for s in out.states.values())
        if spec is not None and spec.scope == "network" and judged_network and set(out.states) < self.network_devices:
            out.covered = self.network_devices
        if not out.states:
            kind = spec.kind if spec is not None else "network"
            out.missing = t["no_hosts"].format(id=check_id, title=out.title, kind=KINDS[self.lang][kind])
        return out

    def judged_on(self, check_id: str, platforms: tuple[str, ...]) -> bool:
        outcome = self.outcome(check_id)
        return any(
            state in JUDGED and (not platforms or (self.platform_of.get(host) or "") in platforms)
            for host, state in outcome.states.items()
        )


def _kind(platform: str | None) -> str | None:
    if not platform:
        return None
    try:
        return get_platform(platform).kind
    except UnknownPlatformError:
        return None


def _platform_label(name: str | None, t: dict[str, str]) -> str:
    if not name:
        return t["platform_unknown"]
    try:
        return get_platform(name).display_name
    except UnknownPlatformError:
        return name


def _hosts(names: list[str], t: dict[str, str], limit: int = 12) -> str:
    shown = names[:limit]
    more = len(names) - len(shown)
    text = t["sep"].join(shown)
    return f"{text} (+{more})" if more else text


def _mlps_for(item: FrameworkItem, lang: str) -> list[tuple[str, str]]:
    mlps = _framework(MLPS_ID)
    if mlps is None:
        return []
    wanted = set(item.checks)
    out = []
    for clause in mlps.items:
        if item.id in clause.form or wanted.intersection(clause.checks):
            title = clause.title_zh if lang == "zh" and clause.title_zh else clause.title
            out.append((clause.id, title))
    return out


def audit_rows(result: ScanResult, lang: str) -> list[FormRow]:
    form = _framework(FORM_ID)
    if form is None:
        return []
    scan = _Scan(result, lang)
    rows: list[FormRow] = []
    for item in form.items:
        rows.extend(_item_rows(scan, item))
    return rows


def _item_rows(scan: _Scan, item: FrameworkItem) -> list[FormRow]:
    lang, t = scan.lang, scan.t
    name = item.title_zh if lang == "zh" and item.title_zh else item.title
    criterion = (item.criterion_zh if lang == "zh" else item.criterion) or item.criterion or name
    basis = (item.basis_zh if lang == "zh" else item.basis) or item.basis
    mlps = _mlps_for(item, lang)
    rows: list[FormRow] = []
    checks = scan.checks_of(item)
    if checks:
        main = FormRow(
            id=item.id,
            name=name,
            criterion=f"{criterion}\n{basis}" if basis else criterion,
            conclusion="not_assessed",
            mlps=mlps,
            checks=checks,
        )
        unassessed = _judge(scan, main)
        rows.append(main)
        if unassessed and main.conclusion != "not_assessed":
            rows.append(
                FormRow(
                    id=item.id,
                    name=name + t["part_unassessed"],
                    criterion=criterion,
                    conclusion="not_assessed",
                    part="unassessed",
                    found=unassessed,
                    todo=[t["todo_unassessed"]],
                    mlps=mlps,
                    checks=checks,
                )
            )
    for point in item.by_hand:
        if point.until and all(scan.judged_on(c, point.platforms) for c in point.until):
            continue
        rows.append(_by_hand_row(scan, item, name, point, mlps))
    if not rows:
        rows.append(
            FormRow(
                id=item.id,
                name=name,
                criterion=criterion,
                conclusion="manual",
                part="by_hand",
                found=[t["by_hand_found"]],
                todo=[t["todo_manual"].format(what=criterion)],
                mlps=mlps,
            )
        )
    return rows


def _by_hand_row(scan: _Scan, item: FrameworkItem, name: str, point: HandCheck, mlps: list[tuple[str, str]]) -> FormRow:
    t = scan.t
    what = point.what_zh if scan.lang == "zh" and point.what_zh else point.what
    found = [t["by_hand_found"]]
    if point.until:
        key = "by_hand_pending_on" if point.platforms else "by_hand_pending"
        found.append(t[key].format(ids=t["sep"].join(point.until), platforms=t["sep"].join(point.platforms)))
    return FormRow(
        id=item.id,
        name=name + t["part_by_hand"],
        criterion=what,
        conclusion="manual",
        part="by_hand",
        found=found,
        todo=[t["todo_manual"].format(what=what)],
        mlps=mlps,
        checks=list(point.until),
    )


def _judge(scan: _Scan, row: FormRow) -> list[str]:
    """Fill the item's checks row; return what could not be assessed (for its own row)."""
    t = scan.t
    host_states: dict[str, set[str]] = defaultdict(set)
    unassessed: list[str] = []
    errored: set[str] = set()
    any_na = False
    waivers: list[Finding] = []
    for check_id in row.checks:
        outcome = scan.outcome(check_id)
        if outcome.missing is not None:
            unassessed.append(outcome.missing)
            continue
        if outcome.advisory:
            _advice(scan, outcome, row)
            continue
        judged = outcome.hosts(*JUDGED)
        if judged:
            row.found.append(_count_line(scan, outcome))
        for state in ("error", "unassessed"):
            for reason, hosts in _grouped_messages(scan, outcome, state).items():
                key = "error_hosts" if state == "error" else "unassessed_hosts"
                unassessed.append(
                    t[key].format(title=outcome.title, id=check_id, hosts=_hosts(hosts, t), reason=reason)
                )
                if state == "error":
                    errored.update(hosts)
        if not judged:
            na = outcome.hosts("na")
            if na and not outcome.hosts("error", "unassessed"):
                any_na = True
                reason = next(iter(_grouped_messages(scan, outcome, "na")), "")
                row.found.append(t["na_all"].format(title=outcome.title, id=check_id, reason=reason))
            continue
        for host in outcome.covered.difference(judged):
            host_states[host].add("pass")  # analysed with the whole network, no verdict against it
        for host in judged:
            host_states[host].add(outcome.states[host])
        waivers += [f for h in outcome.hosts("waived") for f in outcome.findings[h] if f.status is Status.WAIVED]
        _failures(scan, outcome, row)
    failed = sorted(h for h, s in host_states.items() if "fail" in s)
    ok = sorted(h for h, s in host_states.items() if s & {"pass", "waived"} and "fail" not in s)
    row.assessed = len(failed) + len(ok)
    if row.assessed:
        row.found.append(t["assessed_line"].format(hosts=row.assessed, ok=len(ok), bad=len(failed)))
    else:
        row.found.append(t["none_assessed"])
    if failed:
        row.conclusion = "partial" if ok else "non_compliant"
    elif ok:
        row.conclusion = "partial" if waivers else "compliant"
    elif unassessed:
        row.conclusion = "not_assessed"
    elif any_na:
        row.conclusion = "not_applicable"
    else:
        row.conclusion = "not_assessed"
    for w in waivers:
        if w.waiver is not None:
            row.todo.append(
                t["todo_waiver"].format(
                    host=w.host, check=w.check, expires=w.waiver.expires.isoformat(), reason=w.waiver.reason
                )
            )
    if row.conclusion == "not_assessed":
        row.found.extend(unassessed)
        row.todo.append(t["todo_unassessed"])
    if errored:
        row.todo.append(t["todo_errors"].format(hosts=_hosts(sorted(errored), t)))
    if row.conclusion == "compliant":
        row.todo.append(t["todo_keep"])
    elif row.conclusion == "not_applicable":
        row.todo.append(t["todo_na"])
    if len(row.evidence) > EVIDENCE_LIMIT:
        more = len(row.evidence) - EVIDENCE_LIMIT
        row.evidence = [*row.evidence[:EVIDENCE_LIMIT], t["evidence_more"].format(n=more)]
    return unassessed if row.conclusion != "not_assessed" else []


def _count_line(scan: _Scan, outcome: _Outcome) -> str:
    t = scan.t
    extra = "".join(
        t[key].format(n=len(outcome.hosts(*states)))
        for key, states in (
            ("waived_extra", ("waived",)),
            ("na_extra", ("na",)),
            ("unassessed_extra", ("error", "unassessed")),
        )
        if outcome.hosts(*states)
    )
    failed = outcome.hosts("fail")
    params = {"title": outcome.title, "id": outcome.id, "failed": len(failed), "extra": extra}
    if outcome.covered:
        line = t["network_line"].format(
            covered=len(outcome.covered), passed=len(outcome.covered) - len(failed), **params
        )
    else:
        line = t["check_line"].format(judged=len(outcome.hosts(*JUDGED)), passed=len(outcome.hosts("pass")), **params)
    if failed:
        line += " " + t["failing_hosts"].format(hosts=_hosts(failed, t))
    return line


def _grouped_messages(scan: _Scan, outcome: _Outcome, state: str) -> dict[str, list[str]]:
    """Hosts in ``state``, grouped by the (worded) message that says why."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for host in outcome.hosts(state):
        first = next(
            (f for f in outcome.findings[host] if f.status is not Status.PASS and not _other_kind(f)),
            outcome.findings[host][0],
        )
        grouped[worded(first, scan.lang)].append(host)
    return grouped


def _failures(scan: _Scan, outcome: _Outcome, row: FormRow) -> None:
    """The failing hosts' evidence (worded message, then each line verbatim), and the fixes per platform."""
    t = scan.t
    failing = [f for h in outcome.hosts("fail") for f in outcome.findings[h] if f.status is Status.FAIL]
    for f in failing:
        row.evidence.append(t["evidence_line"].format(host=f.host, message=worded(f, scan.lang)))
        for e in f.evidence:
            where = t["evidence_where"].format(host=e.host or f.host, source=e.source, line=e.line, text=e.text.strip())
            row.evidence.append("  " + where)
    fix = _fixes_by_platform(scan, outcome, failing, t["fix_head"].format(title=outcome.title))
    if fix:
        row.todo.append(fix)


def _advice(scan: _Scan, outcome: _Outcome, row: FormRow) -> None:
    t = scan.t
    judged = outcome.hosts(*JUDGED)
    advised = [f for h in outcome.hosts("fail") for f in outcome.findings[h] if f.status is Status.FAIL]
    row.found.append(
        t["advice_line"].format(
            title=outcome.title, id=outcome.id, judged=len(judged), failed=len(outcome.hosts("fail"))
        )
    )
    fix = _fixes_by_platform(scan, outcome, advised, t["advice_head"].format(title=outcome.title))
    if fix:
        row.todo.append(fix)


def _fixes_by_platform(scan: _Scan, outcome: _Outcome, failing: list[Finding], head: str) -> str | None:
    """``head`` then, per platform, each distinct fix (in that platform's syntax) with the hosts it is for."""
    if not failing:
        return None
    t = scan.t
    english = outcome.spec.remediation if outcome.spec is not None else ""
    groups: dict[str, dict[tuple[str, ...], list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in failing:
        fix = worded_fix(f, scan.lang, english)
        platform = _platform_label(f.platform or scan.platform_of.get(f.host), t)
        hosts = groups[platform][fix]
        if f.host not in hosts:
            hosts.append(f.host)
    lines = [head]
    for platform in sorted(groups):
        for fix, hosts in groups[platform].items():
            if not fix:
                lines.append(t["fix_none"].format(title=platform, hosts=_hosts(hosts, t)))
                continue
            lines.append(t["fix_platform"].format(platform=platform, hosts=_hosts(hosts, t)))
            lines.extend("  " + line for step in fix for line in step.splitlines())
    return "\n".join(lines)
