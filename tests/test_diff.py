"""Run diff semantics, and `netcomply diff` on real scans of a changed configuration."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.cli import diff_handlers
from scanner.cli.diff_handlers import DiffHandler, DiffRequest
from scanner.model import Evidence, Finding, RunInfo, ScanResult, Severity, Status, summarize
from scanner.store.diff import diff_runs
from tests.conftest import LAB, run_cli

# A web server switched on (services.http fails), restricted to the management hosts as the
# rest of the device is (so access.management_acl does not fail with it).
HTTP_SERVER_ON = "\nip http server\nip http access-class ipv4 ACL-VTY-MGMT\nend"


def _result(run_id: str, verdicts: dict[tuple[str, str], str | list[str]]) -> ScanResult:
    findings = []
    for (host, check), statuses in verdicts.items():
        for i, status in enumerate([statuses] if isinstance(statuses, str) else statuses):
            findings.append(Finding(host, check, Status(status), Severity.HIGH, f"{check} on {host} #{i}"))
    return ScanResult(
        run=RunInfo(run_id, datetime.now(UTC), None, "test", {}),
        findings=findings,
        checks=[],
        hosts=[],
        summary=summarize(findings, [], Severity.LOW, []),
    )


def _pairs(findings) -> set[tuple[str, str]]:
    return {(f.host, f.check) for f in findings}


def test_new_fixed_and_still_failing_pairs() -> None:
    old = _result("a", {("r1", "x.a"): "fail", ("r1", "x.b"): "fail", ("r2", "x.a"): "pass", ("r2", "x.c"): "fail"})
    new = _result(
        "b", {("r1", "x.a"): "fail", ("r1", "x.b"): "pass", ("r2", "x.a"): "fail", ("r2", "x.c"): "not_applicable"}
    )
    diff = diff_runs(old, new)
    assert _pairs(diff.new_failures) == {("r2", "x.a")}
    assert _pairs(diff.fixed) == {("r1", "x.b"), ("r2", "x.c")}
    assert _pairs(diff.still_failing) == {("r1", "x.a")}
    assert diff.changed and diff.new_pairs == {("r2", "x.a")}


def test_a_failure_that_cannot_be_judged_now_is_not_called_fixed() -> None:
    old = _result("a", {("r1", "x.a"): "fail", ("r1", "x.b"): "fail", ("r1", "x.c"): "fail", ("gone", "x.a"): "fail"})
    new = _result("b", {("r1", "x.a"): "error", ("r1", "x.b"): "waived", ("r1", "x.c"): "fail"})
    diff = diff_runs(old, new)
    assert diff.fixed == []
    assert {(f.host, f.check, now) for f, now in diff.no_longer_checked} == {
        ("r1", "x.a", "error"),
        ("r1", "x.b", "waived"),
        ("gone", "x.a", "absent"),
    }
    assert diff.new_errors == [], "an error where a failure was is reported once, as no longer checked"


def test_several_findings_of_one_check_count_as_one_pair_and_messages_may_change() -> None:
    old = _result("a", {("r1", "snmp.x"): ["fail", "pass"]})
    new = _result("b", {("r1", "snmp.x"): ["pass", "fail", "fail"]})
    diff = diff_runs(old, new)
    assert diff.new_failures == [] and len(diff.still_failing) == 2
    assert not diff.changed


def _with_evidence(run_id: str, lines: list[tuple[int, str]]) -> ScanResult:
    evidence = tuple(Evidence("show running-config", n, text) for n, text in lines)
    finding = Finding("r1", "snmp.community_write", Status.FAIL, Severity.HIGH, "rw", evidence=evidence)
    return ScanResult(
        run=RunInfo(run_id, datetime.now(UTC), None, "test", {}),
        findings=[finding],
        checks=[],
        hosts=[],
        summary=summarize([finding], [], Severity.LOW, []),
    )


def test_a_new_line_of_evidence_inside_a_failing_check_is_a_change_a_moved_one_is_not() -> None:
    one = [(12, "snmp-server community pr*** RW")]
    moved = [(40, "snmp-server community pr*** RW")]
    two = [(40, "snmp-server community pr*** RW"), (41, "snmp-server community pr*** RW")]
    assert not diff_runs(_with_evidence("a", one), _with_evidence("b", moved)).changed
    diff = diff_runs(_with_evidence("a", one), _with_evidence("b", two))
    assert diff.changed and diff.new_failures == [] and len(diff.still_failing) == 1
    [change] = diff.changed_failures
    assert [e.text for e in change.added] == ["snmp-server community pr*** RW"], "masked alike, still counted twice"
    assert change.removed == ()
    back = diff_runs(_with_evidence("b", two), _with_evidence("c", one))
    assert back.changed and len(back.changed_failures[0].removed) == 1 and back.fixed == []


def test_identical_runs_have_no_change_and_a_new_error_is_a_change() -> None:
    verdicts = {("r1", "x.a"): "fail", ("r1", "x.b"): "pass"}
    assert not diff_runs(_result("a", verdicts), _result("b", verdicts)).changed
    diff = diff_runs(_result("a", verdicts), _result("b", {**verdicts, ("r1", "x.b"): "error"}))
    assert diff.changed and _pairs(diff.new_errors) == {("r1", "x.b")}


def test_without_an_earlier_run_every_failure_is_new() -> None:
    diff = diff_runs(None, _result("b", {("r1", "x.a"): "fail", ("r1", "x.b"): "pass"}))
    assert _pairs(diff.new_failures) == {("r1", "x.a")} and diff.old_run is None
    assert "no earlier run" in diff.summary_text()


@pytest.fixture
def lab_copy(tmp_path: Path) -> Path:
    target = tmp_path / "lab"
    shutil.copytree(LAB, target)
    return target


def _scan(lab: Path, db: Path) -> None:
    proc = run_cli("scan", "-i", str(lab), "--db", str(db), "-q", "-f", "json", "-o", str(lab.parent / "r.json"))
    assert proc.returncode in (0, 1), proc.stderr


def test_netcomply_diff_of_the_last_two_runs(lab_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    _scan(lab_copy, db)
    config = lab_copy / "snapshots" / "hq-core1" / "show_running-config.txt"
    config.write_text(config.read_text().replace("\nend", HTTP_SERVER_ON))
    _scan(lab_copy, db)
    proc = run_cli("diff", "--db", str(db))
    assert proc.returncode == 1, proc.stderr
    assert "New failures (1):" in proc.stdout and "hq-core1 services.http" in proc.stdout
    as_json = json.loads(run_cli("diff", "--db", str(db), "--json").stdout)
    assert [(f["host"], f["check"]) for f in as_json["new_failures"]] == [("hq-core1", "services.http")]
    runs = json.loads(run_cli("runs", "--db", str(db), "--json").stdout)
    newer, older = runs[0]["id"], runs[1]["id"]
    reverse = json.loads(run_cli("diff", older, newer, "--db", str(db), "--json").stdout)
    assert reverse["new_run"] == newer and reverse["old_run"] == older
    back = json.loads(run_cli("diff", newer, older, "--db", str(db), "--json").stdout)
    assert [(f["host"], f["check"]) for f in back["fixed"]] == [("hq-core1", "services.http")]
    same = run_cli("diff", newer, newer, "--db", str(db))
    assert same.returncode == 0 and "new failures: 0, fixed: 0" in same.stdout


def test_a_new_rw_community_on_a_device_already_failing_is_reported_by_diff_and_on_change(
    lab_copy: Path, tmp_path: Path
) -> None:
    """hq-edge1 already fails snmp.community_write (`snmp-server community pr*** RW`); a second one is news."""
    db = tmp_path / "runs.db"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hook = f'cat > "{inbox}/$NETCOMPLY_RUN_ID.txt"'

    def scan() -> None:
        args = ("-i", str(lab_copy), "--db", str(db), "--on-change", hook, "-q", "-f", "json", "-o", str(tmp_path))
        proc = run_cli("scan", *args)
        assert proc.returncode == 1, proc.stderr

    scan()
    config = lab_copy / "snapshots" / "hq-edge1" / "show_running-config.txt"
    text = config.read_text()
    assert "snmp-server community private RW\n" in text
    config.write_text(
        text.replace(
            "snmp-server community private RW\n",
            "snmp-server community private RW\nsnmp-server community pr1vate9x RW ACL-SNMP-RO\n",
        )
    )
    scan()
    proc = run_cli("diff", "--db", str(db))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "new failures: 0" in proc.stdout and "changed while failing: 1" in proc.stdout
    assert "hq-edge1 snmp.community_write" in proc.stdout
    assert "+ show running-config:274: snmp-server community pr1*** RW ACL-SNMP-RO" in proc.stdout
    assert "pr1vate9x" not in proc.stdout and "private" not in proc.stdout, "communities stay masked"
    as_json = json.loads(run_cli("diff", "--db", str(db), "--json").stdout)
    [change] = as_json["changed_failures"]
    assert (change["host"], change["check"]) == ("hq-edge1", "snmp.community_write")
    assert [e["line"] for e in change["added"]] == [274] and change["removed"] == []
    hooks = sorted(inbox.iterdir(), key=lambda p: p.stat().st_mtime)
    assert len(hooks) == 2, "--on-change ran for the first run and for the change"
    assert "Changed while failing (1):" in hooks[-1].read_text()


def test_netcomply_diff_explains_what_it_cannot_compare(tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    proc = run_cli("diff", "--db", str(db))
    assert proc.returncode == 2 and "no latest run" in proc.stderr
    proc = run_cli("diff", "hq-core1", "--db", str(db))
    assert proc.returncode == 2
    assert "not stored run ids" in proc.stderr and "asked: backups, runs" in proc.stderr


def test_a_registered_handler_claims_host_names_before_the_run_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook the configuration-backup module uses for `netcomply diff HOST --from REV --to REV`."""
    seen: list[DiffRequest] = []
    backups = DiffHandler(
        name="backups",
        usage="HOST [--from REV] [--to REV]",
        claims=lambda r: len(r.targets) == 1 and r.targets[0].startswith("hq-"),
        run=lambda r: seen.append(r) or 0,
    )
    others = [h for h in diff_handlers.handlers() if h.name != "backups"]
    monkeypatch.setattr(diff_handlers, "_HANDLERS", [backups, *others])
    diff_handlers.handlers.cache_clear()
    monkeypatch.setattr(diff_handlers, "HANDLER_MODULES", ())
    try:
        handler, asked = diff_handlers.dispatch(DiffRequest(targets=("hq-core1",)))
        assert handler is backups and asked == ["backups"]
        handler, asked = diff_handlers.dispatch(DiffRequest(targets=()))
        assert handler is not None and handler.name == "runs" and asked == ["backups", "runs"]
    finally:
        diff_handlers.handlers.cache_clear()
