"""backup.current through real scans of the lab against a real store; backup.device_archive per platform."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from checks.frameworks import clauses_by_check, frameworks
from scanner.backup.provider import NOT_CHECKED_NOTE, backup_check
from scanner.backup.settings import BackupSettings
from scanner.backup.store import STATE_FILE, git_object_id
from scanner.engine import ScanOptions, run_scan
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.model import Finding, ScanResult, Status
from scanner.policy import Policy
from tests.backuphelpers import CONFIG, LAB_HOSTS, copy_lab, edit_config, needs_git, run_backup
from tests.conftest import FIXTURES, LAB
from tests.scanhelpers import load_snapshot, scan_snapshot_dir
from tests.scanhelpers import scan as scan_one

pytestmark = needs_git

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def scan(snapshots: Path, store: Path | None, now: datetime = NOW, **backup_policy: object) -> ScanResult:
    policy = Policy.from_text(yaml.safe_dump({"backup": backup_policy} if backup_policy else {}), "test policy")
    options = ScanOptions(policy=policy, now=now, clauses=clauses_by_check())
    with backup_check(options, BackupSettings.from_policy(policy, store)):
        return run_scan(offline_inputs(snapshots, load_inventory(LAB)), options)


def current(result: ScanResult) -> dict[str, Finding]:
    return {f.host: f for f in result.findings if f.check == "backup.current"}


@pytest.fixture()
def snaps(tmp_path: Path) -> Path:
    return copy_lab(tmp_path / "snapshots")


def test_backup_current_passes_when_the_store_matches_every_running_config(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW - timedelta(hours=3))
    edit_config(
        snaps,
        "hq-core1",
        "! Last configuration change at 10:27:41 CST Thu Nov 12 2026 by netadmin",
        "! Last configuration change at 19:00:00 CST Fri Nov 20 2026 by netadmin",
    )
    result = scan(snaps, store)
    found = current(result)
    assert {h: f.status for h, f in found.items()} == dict.fromkeys(found, Status.PASS)
    assert sorted(found) == LAB_HOSTS
    assert "matches the running configuration" in found["hq-core1"].message
    assert "3 hour(s)" in found["hq-core1"].message
    assert NOT_CHECKED_NOTE not in result.summary.notes
    assert result.run.inputs["backup_store"] == str(store)


def test_backup_current_fails_with_a_masked_diff_summary_when_the_device_changed(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW - timedelta(days=1))
    edit_config(snaps, "hq-core1", "N3tC0mply2026ro", "Zq8Wx4Rt7Kp2vN")
    edit_config(snaps, "hq-core1", "hostname hq-core1\n", "hostname hq-core1\nip http server\n")

    finding = current(scan(snaps, store))["hq-core1"]

    assert finding.status is Status.FAIL
    assert "differs from the backup of" in finding.message
    assert "2 line(s) added, 1 removed" in finding.message
    assert finding.remediation and "netcomply backup" in finding.remediation[0]
    texts = [e.text for e in finding.evidence]
    assert "ip http server" in texts
    assert "snmp-server community Zq8*** RO ACL-SNMP-RO" in texts
    assert "snmp-server community N3t*** RO ACL-SNMP-RO" in texts
    assert all("Zq8Wx4Rt7Kp2vN" not in t and "N3tC0mply2026ro" not in t for t in texts)
    running = (snaps / "hq-core1" / CONFIG).read_text().splitlines()
    for evidence in finding.evidence:
        if evidence.source == "show running-config":
            assert evidence.path == str(snaps / "hq-core1" / CONFIG)
            assert running[evidence.line - 1] == "ip http server" or "***" in evidence.text
            assert running[evidence.line - 1].startswith(evidence.text.split("***")[0])
        else:
            assert evidence.source.startswith("backup ")
            stored = Path(evidence.path or "").read_text().splitlines()
            assert stored[evidence.line - 1].startswith(evidence.text.split("***")[0])
    others = current(scan(snaps, store))
    assert others["hq-core2"].status is Status.PASS


def test_backup_current_fails_when_the_store_has_no_backup_of_the_host(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW)
    shutil.copytree(snaps / "mgmt-sw1", snaps / "mgmt-sw2")
    finding = current(scan(snaps, store))["mgmt-sw2"]
    assert finding.status is Status.FAIL
    assert finding.message == f"the backup store {store} holds no backup of this host"


def test_backup_current_fails_when_the_backup_is_older_than_the_policy_allows(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW - timedelta(days=10))

    old = current(scan(snaps, store))["hq-edge1"]
    assert old.status is Status.FAIL
    assert "confirmed 10 days ago (policy: at most 7 days)" in old.message
    assert current(scan(snaps, store, max_age_days=14))["hq-edge1"].status is Status.PASS

    run_backup(store, snaps, now=NOW - timedelta(days=1))
    assert current(scan(snaps, store))["hq-edge1"].status is Status.PASS, "an unchanged run confirms the backup"

    (store / ".git" / STATE_FILE).unlink()
    cloned = current(scan(snaps, store))["hq-edge1"]
    assert cloned.status is Status.FAIL, "without the run record (a clone), the commit date is the age"
    assert "10 days ago" in cloned.message


def test_old_and_different_says_both(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW - timedelta(days=30))
    edit_config(snaps, "plant-rtr1", "ntp server 10.20.99.2\n", "")
    finding = current(scan(snaps, store))["plant-rtr1"]
    assert finding.status is Status.FAIL
    assert "30 days ago" in finding.message and "0 line(s) added, 1 removed" in finding.message
    assert [e.source.split()[0] for e in finding.evidence] == ["backup"]


def test_masked_store_compares_the_masked_running_config(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW, mask_secrets=True)
    assert {f.status for f in current(scan(snaps, store)).values()} == {Status.PASS}


def test_without_a_store_backup_current_is_not_applicable_and_the_summary_says_so(snaps: Path) -> None:
    result = scan(snaps, None)
    found = current(result)
    assert {f.status for f in found.values()} == {Status.NOT_APPLICABLE}
    assert "no backup store is configured" in found["hq-core1"].message
    assert NOT_CHECKED_NOTE in result.summary.notes


def test_a_store_that_cannot_be_read_is_an_error_per_host_and_the_scan_goes_on(tmp_path: Path, snaps: Path) -> None:
    result = scan(snaps, tmp_path / "no-such-store")
    found = current(result)
    assert {f.status for f in found.values()} == {Status.ERROR}
    assert "does not exist" in found["hq-core1"].message
    http = next(f for f in result.findings if f.host == "hq-edge1" and f.check == "services.http")
    assert http.status is not Status.ERROR


def test_store_named_in_the_policy_relative_to_the_policy_file(tmp_path: Path, snaps: Path) -> None:
    run_backup(tmp_path / "backups", snaps, now=NOW)
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("backup:\n  store: backups\n")
    settings = BackupSettings.from_policy(Policy.load(policy_file))
    assert settings.store == tmp_path / "backups"


def test_the_shrink_fraction_must_be_a_fraction() -> None:
    from scanner.policy import PolicyError

    with pytest.raises(PolicyError, match="between 0 and 1"):
        BackupSettings.from_policy(Policy.from_text("backup:\n  max_shrink_fraction: 2\n", "p.yaml"))
    with pytest.raises(PolicyError, match=r"backup\.storage"):
        Policy.from_text("backup:\n  storage: /tmp/x\n", "p.yaml")


def test_both_checks_answer_form_item_5_2_3() -> None:
    form = next(f for f in frameworks() if f.id == "form")
    item = next(i for i in form.items if i.id == "5.2.3")
    assert "backup.current" in item.checks and "backup.device_archive" in item.checks


# ---- backup.device_archive -------------------------------------------------------------------


def _ios_with(tmp_path: Path, block: str) -> Path:
    host = tmp_path / "sw1"
    shutil.copytree(FIXTURES / "platforms" / "cisco_ios" / "pass", host)
    config = host / CONFIG
    text = config.read_text()
    config.write_text(text.replace("\nend", f"\n{block}\nend", 1) if block else text)
    return host


def test_device_archive_passes_on_an_ios_archive_to_flash(tmp_path: Path) -> None:
    host = _ios_with(tmp_path, "archive\n path flash:archive/sw1-cfg\n write-memory\n time-period 1440\n!")
    finding = scan_snapshot_dir(host)["backup.device_archive"]
    assert finding.status is Status.PASS
    assert finding.message == "the device archives its configuration to flash:archive/sw1-cfg"
    assert finding.evidence[0].text.strip() == "path flash:archive/sw1-cfg"


@pytest.mark.parametrize("url", ["tftp://10.0.0.5/sw1-cfg", "ftp://backup:Arch1veP4ss@10.0.0.5/sw1-cfg"])
def test_device_archive_over_tftp_or_ftp_is_a_finding_against_services(tmp_path: Path, url: str) -> None:
    host = _ios_with(tmp_path, f"archive\n path {url}\n write-memory\n!")
    finding = scan_snapshot_dir(host)["backup.device_archive"]
    assert finding.status is Status.FAIL
    assert finding.severity.label == "info"
    assert "clear-text protocol" in finding.message
    assert "finding against the services requirement" in finding.message
    assert "Arch1veP4ss" not in finding.message
    assert all("Arch1veP4ss" not in e.text for e in finding.evidence)
    assert finding.remediation[0] == "archive"


def test_device_archive_fails_with_the_fix_when_ios_keeps_no_archive(tmp_path: Path) -> None:
    host = _ios_with(tmp_path, "")
    finding = scan_snapshot_dir(host)["backup.device_archive"]
    assert finding.status is Status.FAIL
    assert finding.message == "the device keeps no archive of its own configuration"
    assert finding.remediation == (
        "archive",
        " path flash:$h-archive",
        " maximum 14",
        " write-memory",
        " time-period 1440",
    )


@pytest.mark.parametrize("platform", ["cisco_nxos", "arista_eos"])
def test_device_archive_is_not_applicable_where_netcomply_reads_no_archive_setting(
    tmp_path: Path, platform: str
) -> None:
    host = tmp_path / "dev"
    shutil.copytree(FIXTURES / "platforms" / platform / "pass", host)
    finding = scan_snapshot_dir(host)["backup.device_archive"]
    assert finding.status is Status.NOT_APPLICABLE
    assert "does not read a configuration archive setting" in finding.message


def test_the_scan_compares_with_the_committed_backup_not_a_hand_edited_file(tmp_path: Path, snaps: Path) -> None:
    from tests.backuphelpers import git

    store = tmp_path / "store"
    run_backup(store, snaps, now=NOW)
    stored = store / "configs" / "hq-acc1.cfg"
    assert git(store, "hash-object", str(stored)).strip() == git_object_id(stored.read_bytes())
    stored.write_text(stored.read_text().replace("hostname hq-acc1", "hostname edited-by-hand"))
    assert current(scan(snaps, store))["hq-acc1"].status is Status.PASS


def _archive_finding(directory: Path) -> Finding:
    result = scan_one(load_snapshot(directory))
    return next(f for f in result.findings if f.check == "backup.device_archive")


def _lab_host(tmp_path: Path, host: str, old: str = "", new: str = "") -> Path:
    directory = tmp_path / host
    shutil.copytree(LAB / "snapshots" / host, directory)
    if old:
        config = next(directory.glob("*config*.txt"))
        text = config.read_text()
        assert old in text
        config.write_text(text.replace(old, new, 1))
    return directory


def test_device_archive_on_huawei_judges_the_transfer_protocol_it_names(tmp_path: Path) -> None:
    sftp = _archive_finding(_lab_host(tmp_path / "a", "plant-core1"))
    assert sftp.status is Status.PASS
    ftp = _lab_host(tmp_path / "b", "plant-core1", "transport-type sftp", "transport-type ftp")
    finding = _archive_finding(ftp)
    assert finding.status is Status.FAIL and "clear-text protocol" in finding.message
    assert all("gH4&T0w" not in e.text for e in finding.evidence), "the server password stays masked"


def test_device_archive_on_comware_without_an_archive_fails_with_the_comware_fix(tmp_path: Path) -> None:
    finding = _archive_finding(_lab_host(tmp_path, "hq-acc3"))
    assert finding.status is Status.FAIL
    assert finding.remediation[0] == "archive configuration location flash:/archive filename-prefix archive"


def test_device_archive_on_junos_over_ftp_is_a_finding(tmp_path: Path) -> None:
    scp = _archive_finding(_lab_host(tmp_path / "a", "hq-fw1"))
    assert scp.status is Status.PASS
    ftp = _lab_host(tmp_path / "b", "hq-fw1", '"scp://cfgbak@', '"ftp://cfgbak@')
    assert _archive_finding(ftp).status is Status.FAIL
