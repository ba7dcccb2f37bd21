"""Every report format, rendered from a real scan, validated against its schema or a strict parser.

The scan covers the bundled lab plus a host with known secrets in its config and a
host whose snapshot cannot be parsed, with a waiver in the policy: every kind of
verdict reaches every format. No known secret may appear in any of them, nor in the
results database.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from checks.frameworks import frameworks
from reports import RenderOptions, formats, render
from reports.csv_report import COLUMNS
from scanner.escaping import for_markdown
from scanner.model import ScanResult, Severity, Status
from scanner.policy import Policy
from scanner.store import Scope, Store
from tests.conftest import FIXTURES, LAB, ROOT
from tests.scanhelpers import scan_folder

SECRETS = {
    "community": "Vq8ReportCommunity",
    "rw_community": "Rw5ReportWrite",
    "clear_password": "Cl3arReportPass",
    "key": "K3yReportOspfKey",
}
LEAKY = """version 15.2
service timestamps debug datetime msec
hostname leaky9
interface GigabitEthernet0/1
 ip address 192.0.2.9 255.255.255.0
 ip ospf message-digest-key 1 md5 {key}
snmp-server community {community} RO
snmp-server community {rw_community} RW
username boss privilege 15 password 0 {clear_password}
ip http server
end
"""
POLICY = """
waivers:
  - host: plant-rtr1
    check: services.ftp
    reason: vendor tool needs FTP until migration, change CHG-7
    expires: 2099-06-30
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    root = tmp_path_factory.mktemp("report-scan")
    snaps = root / "snapshots"
    shutil.copytree(LAB / "snapshots", snaps)
    leaky = snaps / "leaky9"
    leaky.mkdir()
    (leaky / "show_running-config.txt").write_text(LEAKY.format(**SECRETS))
    (leaky / "meta.yaml").write_text("platform: cisco_ios\n")
    broken = snaps / "broken1"
    broken.mkdir()
    (broken / "show_running-config.txt").write_text("\x00\x01 garbage that no platform recognises\n")
    result = scan_folder(snaps, policy=Policy.from_text(POLICY, "test policy"))
    result.run.inputs["snapshots"] = str(snaps)  # as `netcomply scan` records it
    return result


@pytest.fixture(scope="module")
def options(result: ScanResult) -> RenderOptions:
    failing = [(f.host, f.check) for f in result.findings if f.status is Status.FAIL]
    return RenderOptions(new_since_last=frozenset(failing[:2]), previous_run="20260101T000000Z-00000000")


def _text(name: str, result: ScanResult, options: RenderOptions) -> str:
    out = render(name, result, options)
    assert isinstance(out, str)
    return out


def test_the_scan_has_every_kind_of_verdict(result: ScanResult) -> None:
    statuses = {f.status for f in result.findings}
    assert {Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE, Status.WAIVED} <= statuses


def test_json_matches_the_netcomply_1_schema(result: ScanResult, options: RenderOptions) -> None:
    schema = json.loads((ROOT / "reports" / "schema" / "netcomply-1.schema.json").read_text())
    jsonschema.validate(json.loads(_text("json", result, options)), schema)


def test_junit_is_valid_against_the_jenkins_xsd_and_carries_evidence(result: ScanResult, options) -> None:
    xml = _text("junit", result, options)
    schema = xmlschema.XMLSchema(str(FIXTURES / "schemas" / "junit-10.xsd"))
    schema.validate(xml)
    doc = schema.to_dict(xml)
    suites = {s["@name"]: s for s in doc["testsuite"]}
    assert set(suites) == {h.name for h in result.hosts}
    leaky = {c["@name"]: c for c in suites["leaky9"]["testcase"]}
    assert "show running-config:" in leaky["services.http"]["failure"][0]["$"], "the failure body has evidence"
    assert "no ip http server" in leaky["services.http"]["failure"][0]["$"], "and the fix"
    broken = {c["@name"]: c for c in suites["broken1"]["testcase"]}
    assert "error" in broken["services.http"]
    plant = {c["@name"]: c for c in suites["plant-rtr1"]["testcase"]}
    assert "skipped" in plant["services.ftp"], "a waived failure is skipped with its reason"
    failures = sum(int(s["@failures"]) for s in doc["testsuite"])
    failing = {(f.host, f.check) for f in result.findings if f.status is Status.FAIL and f.severity > Severity.INFO}
    assert failures == len(failing)
    advice = [f for f in result.findings if f.status is Status.FAIL and f.severity is Severity.INFO]
    assert advice, "the lab has info-level failures (backup.device_archive)"
    for f in advice:
        case = {c["@name"]: c for c in suites[f.host]["testcase"]}[f.check]
        assert "failure" not in case, f"info finding {f.host} {f.check} counted as a JUnit failure"
        assert "advice (info, not a failure)" in case["system-out"][0]


def test_sarif_is_valid_2_1_0_with_a_rule_per_check_and_file_locations(result: ScanResult, options) -> None:
    document = json.loads(_text("sarif", result, options))
    schema = json.loads((FIXTURES / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(document)
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [c.id for c in result.checks]
    judged = [f for f in result.findings if f.status is not Status.ERROR]
    assert len(run["results"]) == len(judged)
    http = next(r for r in run["results"] if r["ruleId"] == "services.http" and r["properties"]["host"] == "leaky9")
    physical = http["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "leaky9/show_running-config.txt", "uriBaseId": "SNAPSHOTS"}
    assert physical["region"]["startLine"] == 10
    assert http["level"] == "error" and http["kind"] == "fail"
    waived = next(
        r for r in run["results"] if r["ruleId"] == "services.ftp" and r["properties"]["host"] == "plant-rtr1"
    )
    assert waived["suppressions"][0]["justification"].startswith("vendor tool needs FTP")
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {n["locations"][0]["logicalLocations"][0]["name"] for n in notes} == {"broken1"}


def test_csv_has_one_row_per_finding_with_the_documented_columns(result: ScanResult, options) -> None:
    rows = list(csv.reader(io.StringIO(_text("csv", result, options), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(result.findings) + 1
    assert all(len(r) == len(COLUMNS) for r in rows)
    records = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    http = next(r for r in records if r["host"] == "leaky9" and r["check"] == "services.http")
    assert http["status"] == "fail" and http["evidence"].startswith("show running-config:10: ip http server")
    assert http["evidence_file"].endswith("leaky9/show_running-config.txt")
    assert sum(r["new_since_last_run"] == "yes" for r in records) >= 1
    waived = next(r for r in records if r["status"] == "waived")
    assert waived["waiver_expires"] == "2099-06-30"


class _StrictHTML(HTMLParser):
    """Fails on unbalanced tags and collects what a self-contained page must not reference."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "path", "col"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.external.append(value)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


@pytest.mark.parametrize("name", ["html", "audit-zh", "audit-en"])
def test_html_pages_are_well_formed_and_self_contained(result: ScanResult, options, name: str) -> None:
    page = _text(name, result, options)
    parser = _StrictHTML()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    assert parser.external == [], "no CDN, no external file"


def test_html_report_groups_failures_and_shows_waivers_and_new_marks(result: ScanResult, options) -> None:
    page = _text("html", result, options)
    for section in ("failures-by-check", "failures-by-host", "errors", "waivers", "check-scores", "host-scores"):
        assert f'id="{section}"' in page
    assert "<svg" in page and "2099-06-30" in page
    assert page.count('<span class="new"') >= 2
    assert "no ip http server" in page


def test_markdown_lists_failures_with_evidence_and_fixes(result: ScanResult, options) -> None:
    text = _text("markdown", result, options)
    assert text.startswith("# netcomply report")
    new = options.new_since_last or frozenset()
    failures = [f for f in result.findings if f.status is Status.FAIL]
    marked = [f for f in failures if (f.host, f.check) in new]
    assert len(marked) == 2 and text.count(") **NEW**: ") == 2
    for f in failures:
        mark = " **NEW**" if f in marked else ""
        assert f"- **{for_markdown(f.host)}** ({f.severity.label}){mark}: {for_markdown(f.message)}" in text, f
    assert "`show running-config:10` `ip http server`" in text
    assert "## Could not judge" in text and "## Waivers" in text


def _form_items() -> list[str]:
    form = next(f for f in frameworks() if f.id == "form")
    return [item.id for item in form.items]


@pytest.mark.parametrize(
    ("name", "manual", "words"),
    [("audit-zh", "需人工核查", "评估标准"), ("audit-en", "Check by hand", "Criterion")],
)
def test_audit_form_has_rows_for_every_form_item_with_mlps_clauses(result, options, name, manual, words) -> None:
    page = _text(name, result, options)
    assert words in page
    for item in _form_items():
        assert f'data-item="{item}"' in page
    row_524 = page.split('data-item="5.2.4" data-part="by_hand"')[1].split("</tr>")[0]
    assert manual in row_524, "an IP management system cannot be judged by a scanner"
    row_523 = page.split('data-item="5.2.3" data-part="checks"')[1].split("</tr>")[0]
    assert "c-partial" in row_523 or "c-non_compliant" in row_523
    assert "8.1.4.4 b)" in row_523 and "leaky9" in row_523
    unassessed_523 = page.split('data-item="5.2.3" data-part="unassessed"')[1].split("</tr>")[0]
    assert "broken1" in unassessed_523, "hosts that could not be judged are named, in a row of their own"


@pytest.mark.parametrize(("name", "header"), [("audit-zh-docx", "评估结论"), ("audit-en-docx", "Conclusion")])
def test_audit_docx_opens_with_the_form_table(result: ScanResult, options, name: str, header: str) -> None:
    from docx import Document

    data = render(name, result, options)
    assert isinstance(data, bytes)
    document = Document(io.BytesIO(data))
    table = document.tables[0]
    assert header in [c.text for c in table.rows[0].cells]
    assert list(dict.fromkeys(row.cells[0].text for row in table.rows[1:])) == _form_items()
    texts = "\n".join(c.text for row in table.rows for c in row.cells)
    assert "8.1.4.1 a)" in texts


def _all_text_of(name: str, data: str | bytes) -> str:
    if isinstance(data, str):
        return data
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize("name", sorted(formats()))
def test_no_known_secret_in_any_format(result: ScanResult, options: RenderOptions, name: str) -> None:
    text = _all_text_of(name, render(name, result, options))
    assert "leaky9" in text, "the host with the secrets reached this format"
    for label, secret in SECRETS.items():
        assert secret not in text, f"{label} leaked into {name}"


def test_no_known_secret_in_the_results_database(result: ScanResult, tmp_path: Path) -> None:
    path = tmp_path / "runs.db"
    with Store(f"sqlite:///{path}") as store:
        store.save(result, Scope.of(None, tmp_path))
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("runs.db"))
    assert b"leaky9" in raw
    for label, secret in SECRETS.items():
        assert secret.encode() not in raw, f"{label} leaked into the database"


def _logging_result(*statuses: str, server: str | None = None) -> ScanResult:
    """Verdicts of the item's device checks (logging.remote, the change log, time stamps, NTP) on
    routers r0, r1...; with ``server``, host.remote_syslog's on a server too."""
    from datetime import UTC, date, datetime

    from checks.frameworks import frameworks
    from scanner.model import CheckInfo, Finding, RunInfo, Severity, Waiver, summarize

    item = next(i for f in frameworks() if f.id == "form" for i in f.items if i.id == "other.logging")
    device_checks = [c for c in item.checks if not c.startswith("host.")]
    checks = [CheckInfo(c, c, Severity.MEDIUM, "") for c in device_checks]
    if server is not None:
        checks.append(CheckInfo("host.remote_syslog", "Host logs forwarded", Severity.MEDIUM, ""))
    findings = [
        Finding(
            f"r{i}",
            check,
            Status(s),
            Severity.MEDIUM,
            f"verdict {s}",
            remediation=("logging host <syslog-server>",) if s == "fail" and check == "logging.remote" else (),
            waiver=Waiver(f"r{i}", check, "new syslog server in Q3", date(2099, 9, 30)) if s == "waived" else None,
        )
        for check in device_checks
        for i, s in enumerate(statuses)
    ]
    if server is not None:
        findings.append(Finding("srv", "host.remote_syslog", Status(server), Severity.MEDIUM, f"verdict {server}"))
    return ScanResult(
        run=RunInfo("r", datetime.now(UTC), None, "test", {}),
        findings=findings,
        checks=checks,
        hosts=[],
        summary=summarize(findings, checks, Severity.LOW, []),
    )


@pytest.mark.parametrize(
    ("statuses", "server", "conclusion"),
    [
        (("pass", "pass"), "pass", "compliant"),
        (("pass", "fail"), None, "partial"),
        (("fail", "fail", "not_applicable"), None, "non_compliant"),
        (("not_applicable", "not_applicable"), "not_applicable", "not_applicable"),
        (("not_applicable", "not_applicable"), None, "not_assessed"),  # host.remote_syslog did not run
        (("error", "not_applicable"), "not_applicable", "not_assessed"),
        (("pass", "waived"), "pass", "partial"),
    ],
)
def test_audit_conclusions_follow_the_hosts_verdicts(
    statuses: tuple[str, ...], server: str | None, conclusion: str
) -> None:
    from reports._audit import audit_rows

    rows = [r for r in audit_rows(_logging_result(*statuses, server=server), "en") if r.id == "other.logging"]
    row = rows[0]
    assert row.conclusion == conclusion
    if "fail" in statuses:
        assert any("logging host <syslog-server>" in line for line in row.todo)
    if "waived" in statuses:
        assert any("2099-09-30" in line and "new syslog server in Q3" in line for line in row.todo)
    if "error" in statuses:
        assert any("could not be judged" in line for line in row.found)
        assert any("Repair collection (r0)" in line for line in row.todo)
    if conclusion != "not_applicable":
        assert not any("nothing to do" in line.lower() for r in rows for line in r.todo)
