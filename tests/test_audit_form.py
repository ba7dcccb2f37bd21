"""The audit form tells what was checked: rows of a real scan without servers and without a
backup store, advice that never decides, hand-check rows, counts, Chinese wording, fixes per
platform, local time; and the workbook, opened with openpyxl."""

from __future__ import annotations

import io
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from checks.frameworks import Framework, FrameworkItem, HandCheck
from reports import render
from reports._audit import FormRow, audit_rows
from scanner.model import CheckInfo, Finding, HostInfo, RunInfo, ScanResult, Severity, Status, summarize
from scanner.policy import Policy
from tests.conftest import FIXTURES, LAB, run_cli
from tests.scanhelpers import scan_folder

LINUX = FIXTURES / "linux"
WINDOWS = FIXTURES / "windows"


@pytest.fixture(scope="module")
def lab_result() -> ScanResult:
    """The bundled lab: network devices only, and no backup store given."""
    return scan_folder(LAB / "snapshots", inventory=LAB)


@pytest.fixture(scope="module")
def rows(lab_result: ScanResult) -> list[FormRow]:
    return audit_rows(lab_result, "zh")


def _rows(rows: list[FormRow], item: str, part: str | None = None) -> list[FormRow]:
    return [r for r in rows if r.id == item and (part is None or r.part == part)]


def _one(rows: list[FormRow], item: str, part: str) -> FormRow:
    [row] = _rows(rows, item, part)
    return row


def test_without_servers_the_host_items_read_not_assessed_never_not_applicable(rows: list[FormRow]) -> None:
    for item in ("5.1.3", "5.2.5", "5.2.6"):
        main = _one(rows, item, "checks")
        assert main.conclusion == "not_assessed", (item, main.found)
        assert main.assessed == 0 and "本项未核查任何设备或主机。" in main.found
        assert any("本次扫描中没有服务器（主机），未核查" in line for line in main.found), main.found
        assert not any("无需整改" in line for line in main.todo), "never 'no fix needed' when nothing was assessed"
    assert not [r for r in rows if r.conclusion == "not_applicable"], "nothing in the lab is truly inapplicable"
    # 5.1.5: the devices' passwords were judged; the hosts' part is a row of its own.
    accounts = _one(rows, "5.1.5", "checks")
    assert accounts.conclusion == "partial" and accounts.assessed == 15
    host_part = _one(rows, "5.1.5", "unassessed")
    assert host_part.conclusion == "not_assessed"
    assert {c for c in ("host.password_policy", "host.stale_account") if any(c in line for line in host_part.found)}
    assert host_part.todo and "无需整改" not in "".join(host_part.todo)


def test_without_a_backup_store_backups_are_not_assessed_in_their_own_row(rows: list[FormRow]) -> None:
    devices = _one(rows, "5.2.3", "checks")
    assert devices.conclusion == "partial"
    assert not any(line.startswith("设备配置已备份且备份为最新") for line in devices.found), "not counted as judged"
    missing = _one(rows, "5.2.3", "unassessed")
    backup = next(line for line in missing.found if "backup.current" in line)
    assert "未提供配置备份库" in backup and "--backup-store" in backup
    probe = next(line for line in missing.found if line.startswith("SNMP代理不响应弱口令"))
    assert "netcomply scan --snmp" in probe


def test_with_a_linux_server_the_host_items_are_assessed(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    shutil.copytree(LAB / "snapshots", snaps)
    shutil.copytree(LINUX / "linux-violating", snaps / "srv1")
    rows = audit_rows(scan_folder(snaps), "zh")
    antivirus = _one(rows, "5.1.3", "checks")
    assert antivirus.conclusion in ("compliant", "partial", "non_compliant") and antivirus.assessed == 1
    patches = _one(rows, "5.2.5", "checks")
    assert patches.assessed == 1
    assert _one(rows, "5.2.5", "by_hand").criterion.startswith("Windows主机补丁"), "no Windows host was judged"


def test_with_windows_hosts_the_form_items_judge_them_and_retire_the_patch_hand_check(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    for name in ("win-compliant", "win-violating"):
        shutil.copytree(WINDOWS / name, snaps / name)
    rows = audit_rows(scan_folder(snaps, now=datetime(2026, 11, 21, tzinfo=UTC)), "zh")  # a day after collection
    patches = _one(rows, "5.2.5", "checks")
    assert (patches.conclusion, patches.assessed) == ("partial", 2)
    assert "主机补丁及时更新（host.patches）：核查2台，符合1台，不符合1台。 不符合：win-violating" in patches.found
    assert not _rows(rows, "5.2.5", "by_hand"), "a judged Windows host retires the hand check of Windows patches"
    antivirus = _one(rows, "5.1.3", "checks")
    assert (antivirus.conclusion, antivirus.assessed) == ("partial", 2)
    accounts = _one(rows, "5.1.5", "checks")
    assert accounts.assessed == 2 and "host.account_lockout" in accounts.checks
    for check in ("host.password_policy", "host.password_age", "host.empty_password", "host.account_lockout"):
        counted = f"（{check}）：核查2台，符合1台，不符合1台。 不符合：win-violating"
        assert any(counted in line for line in accounts.found), check
    unjudged = _one(rows, "5.2.6", "unassessed")
    assert any("host.ssh_hardening" in line and "不支持Windows" in line for line in unjudged.found)


def test_items_no_check_decides_get_hand_check_rows_saying_what_to_look_at(rows: list[FormRow]) -> None:
    wanted = {
        "5.2.1": ["网络拓扑图"],
        "5.1.5": ["口令更换", "离职人员账号"],
        "5.2.4": ["IP地址管理系统", "IP地址规划", "《计算机IP地址分配表》"],
        "5.2.5": ["Windows主机补丁"],
    }
    for item, points in wanted.items():
        by_hand = _rows(rows, item, "by_hand")
        assert all(r.conclusion == "manual" for r in by_hand)
        for point in points:
            assert any(point in r.criterion for r in by_hand), (item, point)
            assert any(point in line for r in by_hand for line in r.todo)
    # Without IP records the ipam checks that compare with them are not assessed: their
    # hand-check points stay, beside the one point no check decides (the management system).
    ip = _one(rows, "5.2.4", "unassessed")
    assert all(c in "".join(ip.found) for c in ("ipam.unrecorded_address", "ipam.unrecorded_host", "ipam.outside_plan"))
    # zone.inter_zone_filter judged the lab's routing devices: the VLAN access-control point is retired.
    assert not any("VLAN间访问控制" in r.criterion for r in _rows(rows, "5.2.2", "by_hand"))


def test_the_form_items_follow_the_form(rows: list[FormRow]) -> None:
    names = {r.id: r.name for r in rows if r.part == "checks"}
    assert names["5.2.5"] == "补丁管理" and names["5.2.6"] == "系统安全配置"
    patches = _one(rows, "5.2.5", "checks")
    assert "Windows系统主机补丁安装齐全" in patches.criterion and patches.checks == ["host.patches"]
    assert _one(rows, "5.2.6", "checks").checks == ["host.insecure_services", "host.ssh_hardening", "host.firewall"]
    names = {r.name for r in _rows(rows, "5.2.4")}
    assert names == {"IP地址管理", "IP地址管理（未核查部分）", "IP地址管理（人工核查）"}
    ip = _one(rows, "5.2.4", "checks")
    assert ip.assessed == 15 and any("ipam.duplicate_address" in line for line in ip.found)
    logging = _one(rows, "other.logging", "checks")
    assert "《中华人民共和国网络安全法》第二十一条" in logging.criterion, "the row cites where it comes from"


def test_each_item_states_how_many_hosts_were_assessed(rows: list[FormRow]) -> None:
    topology = _one(rows, "5.2.1", "checks")
    assert topology.assessed == 15, "the topology checks judged the whole network, not the hosts they filed under"
    assert any("依据全网15台设备分析" in line for line in topology.found)
    assert any(line.startswith("本项共核查15台：") for line in topology.found)
    zoning = _one(rows, "5.2.2", "checks")
    assert zoning.assessed == 15 and "mgmt-sw1" in "".join(zoning.evidence)
    # The zone crossing the plant's L3 switch routes unfiltered is shown with its interface lines.
    assert zoning.conclusion == "non_compliant" or zoning.conclusion == "partial"
    assert "plant-dist1" in "".join(zoning.evidence)


def test_the_chinese_form_words_messages_and_prose_fixes_in_chinese(rows: list[FormRow]) -> None:
    text = "\n".join(line for r in rows for line in [*r.found, *r.evidence, *r.todo])
    for english in ("telnet accepted", "web management enabled", "Remove the offending link", "core device(s)"):
        assert english not in text
    assert "hq-acc1：接受Telnet登录：line vty 0 4: transport input telnet ssh" in text, "device text verbatim"
    assert "hq-acc1 show running-config 第443行：transport input telnet ssh" in text
    assert "拆除违规链路" in text


def test_fixes_are_grouped_per_platform_each_in_its_own_syntax(rows: list[FormRow]) -> None:
    devices = _one(rows, "5.2.3", "checks")
    telnet = next(line for line in devices.todo if line.startswith("禁止Telnet远程管理："))
    blocks = dict(re.findall(r"\n(\S[^\n]*（[^）]*）)：((?:\n  [^\n]*)+)", telnet))
    assert "transport input ssh" in blocks["Cisco IOS（hq-acc1）"]
    assert "protocol inbound ssh" in blocks["Huawei VRP（hq-acc2）"]
    assert "transport input" not in blocks["Huawei VRP（hq-acc2）"]


def _synthetic(findings: list[Finding], checks: list[CheckInfo]) -> ScanResult:
    return ScanResult(
        run=RunInfo("r", datetime(2026, 12, 1, 2, 15, tzinfo=UTC), None, "test", {}),
        findings=findings,
        checks=checks,
        hosts=[HostInfo("r1", "cisco_ios")],
        summary=summarize(findings, checks, Severity.LOW, []),
    )


def test_info_findings_are_advice_and_never_decide_an_item() -> None:
    archive = Finding(
        "r1",
        "backup.device_archive",
        Status.FAIL,
        Severity.INFO,
        "x",
        "cisco_ios",
        remediation=("archive",),
        key="none",
    )
    http = Finding("r1", "services.http", Status.PASS, Severity.HIGH, "ok", "cisco_ios", key="ok")
    checks = [
        CheckInfo("backup.device_archive", "archive", Severity.INFO, ""),
        CheckInfo("services.http", "http", Severity.HIGH, ""),
    ]
    row = next(r for r in audit_rows(_synthetic([archive, http], checks), "zh") if r.id == "5.2.3")
    assert row.conclusion == "compliant"
    assert any(line.startswith("建议 · 设备自身保存配置归档：") and "archive" in line for line in row.todo)
    promoted = [CheckInfo("backup.device_archive", "archive", Severity.LOW, ""), checks[1]]
    archive_low = Finding(**{**_fields(archive), "severity": Severity.LOW})
    row = next(r for r in audit_rows(_synthetic([archive_low, http], promoted), "zh") if r.id == "5.2.3")
    assert row.conclusion == "non_compliant", "a policy that raises the severity makes it decide"


def _fields(f: Finding) -> dict:
    return {name: getattr(f, name) for name in f.__dataclass_fields__}


def test_a_check_not_registered_or_not_run_reads_not_assessed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks still to come slot in by id: until they exist the row says so."""
    import reports._audit as audit

    item = FrameworkItem(
        id="5.2.4",
        title="IP",
        title_zh="IP地址管理",
        checks=("ipam.not_yet_written", "services.ftp"),
        by_hand=(HandCheck("records", "分配记录", until=("ipam.not_yet_written",)),),
    )
    form = Framework(id="form", title="form", items=(item,))
    monkeypatch.setattr(audit, "_framework", lambda fid: form if fid == "form" else None)
    rows = audit_rows(_synthetic([], []), "zh")
    main = _one(rows, "5.2.4", "checks")
    assert main.conclusion == "not_assessed"
    assert "ipam.not_yet_written：本版本netcomply尚无此检查项。" in main.found
    assert any("services.ftp" in line and "未执行" in line for line in main.found)
    assert _one(rows, "5.2.4", "by_hand").conclusion == "manual"


def test_disabled_checks_and_errors_are_not_assessed_in_a_real_scan(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    shutil.copytree(LAB / "snapshots", snaps)
    (snaps / "hq-acc1" / "show_running-config.txt").write_text("")
    policy = Policy.from_text("checks:\n  disable: [services.ftp]\n", "test policy")
    rows = audit_rows(scan_folder(snaps, LAB, policy=policy), "en")
    missing = _one(rows, "5.2.3", "unassessed")
    assert any("services.ftp" in line and "not run in this scan" in line for line in missing.found)
    assert any("hq-acc1 could not be judged" in line for line in missing.found)
    main = _one(rows, "5.2.3", "checks")
    assert any("Repair collection (hq-acc1)" in line for line in main.todo)


def test_the_form_shows_local_time_with_its_offset(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    proc = run_cli("scan", "--demo", "--db", str(db), "-q", "-f", "json", "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 1, proc.stderr
    form = tmp_path / "form.html"
    shown = run_cli("report", "--db", str(db), "-f", "audit-zh", "-o", str(form), env={"TZ": "Asia/Shanghai"})
    assert shown.returncode == 0, shown.stderr
    run_id = re.search(r"T(\d{2})(\d{2})\d{2}Z", form.read_text())
    assert run_id is not None
    local_hour = (int(run_id.group(1)) + 8) % 24
    assert re.search(
        rf"扫描时间 \d{{4}}-\d{{2}}-\d{{2}} {local_hour:02d}:{run_id.group(2)} \(UTC\+08:00\)", form.read_text()
    )


# ---- the workbook ------------------------------------------------------------------------


def _workbook(data: str | bytes):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    assert isinstance(data, bytes)
    return load_workbook(io.BytesIO(data))


def test_the_workbook_has_the_form_every_finding_and_the_hosts(lab_result: ScanResult, rows: list[FormRow]) -> None:
    book = _workbook(render("audit-xlsx", lab_result))
    assert book.sheetnames == ["自查评估表", "全部结果", "设备清单"]
    form, findings, hosts = (book[name] for name in book.sheetnames)
    assert [c.value for c in form[1]] == ["序号", "检查项", "检查内容", "核查结果", "证据", "整改建议"]
    body = list(form.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in body] == [(row.id, row.conclusion_label("zh")) for row in rows]
    assert findings.max_row - 1 == len(lab_result.findings)
    assert {r[0] for r in hosts.iter_rows(min_row=2, values_only=True)} == {h.name for h in lab_result.hosts}
    advice = [r for r in findings.iter_rows(min_row=2, values_only=True) if r[2] == "backup.device_archive"]
    assert {r[4] for r in advice} >= {"建议"}, "an info failure is listed as advice"
    for sheet in (form, findings, hosts):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        widths = [sheet.column_dimensions[sheet.cell(1, c).column_letter].width for c in range(1, sheet.max_column + 1)]
        assert sum(widths) <= 145, f"{sheet.title}: {widths} is wider than an A4 landscape page"
        assert all(cell.alignment.wrap_text for cell in sheet[2])


def test_the_workbook_in_english_from_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    proc = run_cli("scan", "--demo", "--no-store", "-q", "-f", "audit-xlsx", "--lang", "en", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    book = _workbook(out.read_bytes())
    assert book.sheetnames == ["Self-assessment form", "All findings", "Hosts"]
    form = book["Self-assessment form"]
    assert [c.value for c in form[1]] == ["No.", "Item", "What is checked", "Result", "Evidence", "What to do"]
    results = {r[3] for r in form.iter_rows(min_row=2, values_only=True)}
    assert {"Not assessed", "Check by hand", "Partially compliant"} <= results


def test_the_workbook_never_turns_device_text_into_a_formula() -> None:
    hostile = Finding(
        "r1",
        "services.http",
        Status.FAIL,
        Severity.HIGH,
        '=HYPERLINK("http://x","y")',
        "cisco_ios",
        remediation=("=1+1",),
    )
    book = _workbook(render("audit-xlsx", _synthetic([hostile], [CheckInfo("services.http", "h", Severity.HIGH, "")])))
    cells = [c for row in book["全部结果"].iter_rows(min_row=2) for c in row if str(c.value or "").startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
