"""What changed between two runs: new failures, fixed ones, still-failing ones.

The unit compared is a (host, check) pair: it *fails* in a run when any finding of
that check on that host failed (a check may report several findings, e.g. one per
weak community; their messages may change from run to run without the pair's state
changing). A waived failure is not a failure. A pair that failed before and is now
neither failing nor passing (the host errored, the check was waived, disabled or the
host left the inventory) is not "fixed": it is listed apart as no longer checked.

A pair failing in both runs is compared by its evidence too: a second read-write
community or one more telnet vty leaves the status "fail" but is a change a person must
hear about. Evidence lines are compared as a multiset of (device, command, masked text),
without line numbers, so a line that only moved is no change while two masked lines that
read alike still count twice. Failures without evidence are compared by status only
(their messages may carry counts and ages that change every run).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from scanner.model import Evidence, Finding, ScanResult, Status

Pair = tuple[str, str]


@dataclass(frozen=True)
class FailureChange:
    """A pair failing in both runs whose evidence changed: what appeared and what went."""

    finding: Finding
    added: tuple[Evidence, ...]
    removed: tuple[Evidence, ...]


@dataclass
class RunDiff:
    old_run: str | None
    new_run: str
    new_failures: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    still_failing: list[Finding] = field(default_factory=list)
    changed_failures: list[FailureChange] = field(default_factory=list)
    no_longer_checked: list[tuple[Finding, str]] = field(default_factory=list)
    new_errors: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Anything a person should hear about: new, fixed or changed failures, pairs gone unchecked, new errors."""
        return bool(
            self.new_failures or self.fixed or self.changed_failures or self.no_longer_checked or self.new_errors
        )

    @property
    def new_pairs(self) -> frozenset[Pair]:
        return frozenset((f.host, f.check) for f in self.new_failures)

    def to_dict(self) -> dict[str, object]:
        def brief(f: Finding) -> dict[str, str]:
            return {"host": f.host, "check": f.check, "severity": f.severity.label, "message": f.message}

        return {
            "old_run": self.old_run,
            "new_run": self.new_run,
            "changed": self.changed,
            "new_failures": [brief(f) for f in self.new_failures],
            "fixed": [brief(f) for f in self.fixed],
            "still_failing": [brief(f) for f in self.still_failing],
            "changed_failures": [
                {
                    **brief(c.finding),
                    "added": [e.to_dict() for e in c.added],
                    "removed": [e.to_dict() for e in c.removed],
                }
                for c in self.changed_failures
            ],
            "no_longer_checked": [{**brief(f), "now": now} for f, now in self.no_longer_checked],
            "new_errors": [brief(f) for f in self.new_errors],
        }

    def summary_text(self) -> str:
        """Plain text for a notification mail or a terminal."""
        lines = [
            f"netcomply: run {self.new_run} compared with "
            + (f"run {self.old_run}" if self.old_run else "no earlier run of this inventory"),
            f"  new failures: {len(self.new_failures)}, fixed: {len(self.fixed)}, "
            f"still failing: {len(self.still_failing)}, changed while failing: {len(self.changed_failures)}, "
            f"no longer checked: {len(self.no_longer_checked)}, "
            f"new errors: {len(self.new_errors)}",
        ]
        sections: list[tuple[str, list[str]]] = [
            ("New failures", [_line(f) for f in self.new_failures]),
            ("Fixed", [_line(f) for f in self.fixed]),
            ("Changed while failing", [_change_lines(c) for c in self.changed_failures]),
            ("No longer checked", [f"{_line(f)} (now {now})" for f, now in self.no_longer_checked]),
            ("New errors", [_line(f) for f in self.new_errors]),
            ("Still failing", [_line(f) for f in self.still_failing]),
        ]
        for title, items in sections:
            if items:
                lines.append("")
                lines.append(f"{title} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
        return "\n".join(lines) + "\n"


def _line(f: Finding) -> str:
    return f"[{f.severity.label}] {f.host} {f.check}: {f.message}"


def _change_lines(change: FailureChange) -> str:
    lines = [_line(change.finding)]
    lines += [f"    + {_where(e)}: {e.text}" for e in change.added]
    lines += [f"    - {_where(e)}: {e.text}" for e in change.removed]
    return "\n".join(lines)


def _where(e: Evidence) -> str:
    return e.where


EvidenceKey = tuple[str | None, str, str]


def _proof(findings: list[Finding]) -> Counter[EvidenceKey]:
    """The failing findings' evidence as a multiset, line numbers left out (a moved line is no change)."""
    return Counter((e.host, e.source, e.text) for f in findings if f.status is Status.FAIL for e in f.evidence)


def _evidence_change(before: list[Finding], after: list[Finding]) -> FailureChange | None:
    old, new = _proof(before), _proof(after)
    if old == new or not (old or new):
        return None
    gained, lost = new - old, old - new
    added = _pick(after, gained)
    removed = _pick(before, lost)
    failing = [f for f in after if f.status is Status.FAIL]
    worst = max(failing, key=lambda f: f.severity)
    return FailureChange(worst, added, removed)


def _pick(findings: list[Finding], wanted: Counter[EvidenceKey]) -> tuple[Evidence, ...]:
    """The evidence lines of ``findings`` that ``wanted`` counts, each as often as counted."""
    left = Counter(wanted)
    picked = []
    for f in findings:
        if f.status is not Status.FAIL:
            continue
        for e in f.evidence:
            key = (e.host, e.source, e.text)
            if left[key] > 0:
                left[key] -= 1
                picked.append(e)
    return tuple(picked)


def _by_pair(result: ScanResult) -> dict[Pair, list[Finding]]:
    pairs: dict[Pair, list[Finding]] = defaultdict(list)
    for f in result.findings:
        pairs[(f.host, f.check)].append(f)
    return pairs


def _state(findings: list[Finding]) -> Status:
    """The pair's state: fail beats error beats waived beats pass beats not applicable."""
    statuses = {f.status for f in findings}
    for status in (Status.FAIL, Status.ERROR, Status.WAIVED, Status.PASS, Status.NOT_APPLICABLE):
        if status in statuses:
            return status
    return Status.NOT_APPLICABLE


def _first(findings: list[Finding], status: Status) -> Finding:
    return next(f for f in findings if f.status is status)


def diff_runs(old: ScanResult | None, new: ScanResult) -> RunDiff:
    """Compare ``new`` with ``old`` (None: no earlier run, so every failure and error is new)."""
    diff = RunDiff(old_run=old.run.id if old else None, new_run=new.run.id)
    before = _by_pair(old) if old else {}
    after = _by_pair(new)
    for pair in sorted(after):
        now = _state(after[pair])
        then = _state(before[pair]) if pair in before else None
        if now is Status.FAIL:
            target = diff.still_failing if then is Status.FAIL else diff.new_failures
            target.extend(f for f in after[pair] if f.status is Status.FAIL)
            if then is Status.FAIL:
                change = _evidence_change(before[pair], after[pair])
                if change is not None:
                    diff.changed_failures.append(change)
        elif now is Status.ERROR and then is not Status.ERROR and then is not Status.FAIL:
            diff.new_errors.append(_first(after[pair], Status.ERROR))
        if then is Status.FAIL and now is not Status.FAIL:
            failed = [f for f in before[pair] if f.status is Status.FAIL]
            if now in (Status.PASS, Status.NOT_APPLICABLE):
                diff.fixed.extend(failed)
            else:
                diff.no_longer_checked.extend((f, now.value) for f in failed)
    for pair in sorted(set(before) - set(after)):
        if _state(before[pair]) is Status.FAIL:
            diff.no_longer_checked.extend((f, "absent") for f in before[pair] if f.status is Status.FAIL)
    return diff
