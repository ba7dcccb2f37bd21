"""The backup store with a real git repository: commits, volatile lines, safety rules, secrets, import."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from scanner.backup.diff import backup_diff
from scanner.backup.normalize import normalize
from scanner.backup.store import ConfigStore, StoreError
from scanner.platforms import get_platform
from tests.backuphelpers import CONFIG, LAB_HOSTS, commits, copy_lab, edit_config, git, needs_git, outcomes, run_backup
from tests.conftest import LAB

pytestmark = needs_git

CORE1_COMMUNITY = "N3tC0mply2026ro"
NEW_COMMUNITY = "Zq8Wx4Rt7Kp2vN"


@pytest.fixture()
def snaps(tmp_path: Path) -> Path:
    return copy_lab(tmp_path / "snapshots")


def test_first_backup_stores_every_device_in_one_commit_without_volatile_lines(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    report = run_backup(store, snaps)

    assert outcomes(report) == dict.fromkeys(outcomes(report), "new")
    assert sorted(outcomes(report)) == LAB_HOSTS
    assert report.revision is not None
    assert len(commits(store)) == 2, "the store's creation, then one commit for the whole run"
    assert git(store, "status", "--porcelain") == ""
    files = git(store, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(files) == [f"configs/{h}.cfg" for h in LAB_HOSTS]
    message = git(store, "log", "-1", "--format=%B")
    assert message.startswith(f"netcomply backup: {len(LAB_HOSTS)} new")
    assert "hq-core1" in message and "plant-rtr1" in message

    ios = (store / "configs" / "hq-acc1.cfg").read_text()
    assert "! Last configuration change" not in ios
    assert "! NVRAM config last updated" not in ios
    assert "Current configuration :" not in ios
    assert ios.rstrip().endswith("end")
    assert f"snmp-server community {CORE1_COMMUNITY}" in (store / "configs" / "hq-core1.cfg").read_text(), (
        "by default the store keeps secrets as shown: it is the restore source"
    )
    nxos = (store / "configs" / "hq-dist1.cfg").read_text()
    assert "!Time:" not in nxos and "!Running configuration last done at" not in nxos
    readme = (store / "README.md").read_text()
    assert "Secrets are kept as the devices show them" in readme


def test_a_run_with_only_volatile_changes_makes_no_commit(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    before = commits(store)
    edit_config(
        snaps,
        "hq-acc1",
        "! Last configuration change at 16:40:02 CST Wed Oct 28 2026 by admin",
        "! Last configuration change at 09:01:02 CST Fri Nov 20 2026 by netadmin",
    )
    edit_config(snaps, "hq-acc1", "Current configuration : 10281 bytes", "Current configuration : 10312 bytes")
    edit_config(snaps, "hq-acc1", "ntp server 10.10.99.26\n", "ntp clock-period 17179861\nntp server 10.10.99.26\n")
    edit_config(snaps, "hq-dist1", "!Time: Fri Nov 20 10:00:27 2026", "!Time: Sat Nov 21 02:00:03 2026")
    edit_config(
        snaps,
        "hq-dist1",
        "!Running configuration last done at: Mon Nov  9 15:21:07 2026",
        "!Running configuration last done at: Fri Nov 20 15:21:07 2026",
    )

    report = run_backup(store, snaps)

    assert set(outcomes(report).values()) == {"unchanged"}
    assert report.revision is None
    assert commits(store) == before
    assert git(store, "status", "--porcelain") == ""


def test_a_change_makes_one_commit_with_the_right_diff_and_secrets_masked(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    first = commits(store)[0]
    edit_config(snaps, "hq-core1", CORE1_COMMUNITY, NEW_COMMUNITY)
    edit_config(snaps, "plant-rtr1", "ntp server 10.20.99.2\n", "ntp server 10.20.99.2\nip http server\n")

    report = run_backup(store, snaps)

    assert outcomes(report)["hq-core1"] == "changed"
    assert outcomes(report)["plant-rtr1"] == "changed"
    assert outcomes(report)["hq-acc1"] == "unchanged"
    assert commits(store)[1] == first and len(commits(store)) == 3
    assert sorted(git(store, "show", "--name-only", "--format=", "HEAD").split()) == [
        "configs/hq-core1.cfg",
        "configs/plant-rtr1.cfg",
    ]
    message = git(store, "log", "-1", "--format=%B")
    assert message.startswith("netcomply backup: 2 changed")
    assert "hq-core1 (+1 -1)" in message and "plant-rtr1 (+1 -0)" in message
    assert NEW_COMMUNITY in (store / "configs" / "hq-core1.cfg").read_text()

    diff = backup_diff(store, "hq-core1")
    assert "1 line(s) added, 1 removed" in diff
    changed = [line for line in diff.splitlines() if line.startswith(("+", "-")) and line[:3] not in ("+++", "---")]
    assert changed == ["-snmp-server community N3t*** RO ACL-SNMP-RO", "+snmp-server community Zq8*** RO ACL-SNMP-RO"]
    assert CORE1_COMMUNITY not in diff and NEW_COMMUNITY not in diff

    added = backup_diff(store, "plant-rtr1")
    assert "+ip http server" in added.splitlines()


def test_truncated_output_is_refused_and_the_last_good_backup_stays(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    good = (store / "configs" / "hq-core1.cfg").read_text()
    head = commits(store)
    config = snaps / "hq-core1" / CONFIG
    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(lines[: len(lines) - 40]))  # a session cut 40 lines before "end"
    edit_config(snaps, "plant-rtr1", "ntp server 10.20.99.2\n", "ntp server 10.20.99.2\nip http server\n")

    report = run_backup(store, snaps)

    result = next(h for h in report.hosts if h.host.name == "hq-core1")
    assert result.outcome.value == "refused"
    assert "truncated" in result.detail and "'end'" in result.detail
    assert "the last good backup" in result.detail and head[0][:10] in result.detail
    assert not report.ok
    assert outcomes(report)["plant-rtr1"] == "changed", "the other hosts are still backed up"
    assert (store / "configs" / "hq-core1.cfg").read_text() == good
    assert git(store, "show", "--name-only", "--format=", "HEAD").split() == ["configs/plant-rtr1.cfg"]
    assert "not stored (last good backup kept): hq-core1" in git(store, "log", "-1", "--format=%B")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("show running-config\n                ^\n% Invalid input detected at '^' marker.\n", "refused the command"),
    ],
)
def test_empty_or_rejected_output_is_refused(tmp_path: Path, snaps: Path, text: str, reason: str) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    good = (store / "configs" / "mgmt-sw1.cfg").read_text()
    (snaps / "mgmt-sw1" / CONFIG).write_text(text)

    report = run_backup(store, snaps)

    result = next(h for h in report.hosts if h.host.name == "mgmt-sw1")
    assert result.outcome.value == "refused" and reason in result.detail
    assert report.revision is None
    assert (store / "configs" / "mgmt-sw1.cfg").read_text() == good


def test_a_first_truncated_output_stores_nothing(tmp_path: Path, snaps: Path) -> None:
    config = snaps / "hq-edge1" / CONFIG
    config.write_text(config.read_text().rsplit("end", 1)[0])
    report = run_backup(tmp_path / "store", snaps)
    result = next(h for h in report.hosts if h.host.name == "hq-edge1")
    assert result.outcome.value == "refused" and "nothing stored" in result.detail
    assert not (tmp_path / "store" / "configs" / "hq-edge1.cfg").exists()


def test_an_output_that_shrank_past_the_policy_is_refused_unless_accepted(tmp_path: Path, snaps: Path) -> None:
    """An output that lost sections but still closes as a whole NX-OS configuration does is caught by its size."""
    store = tmp_path / "store"
    run_backup(store, snaps)
    good = (store / "configs" / "hq-dist1.cfg").read_text()
    config = snaps / "hq-dist1" / CONFIG
    lines = config.read_text().splitlines(keepends=True)
    # Interfaces cut out, the closing sections kept: whole by its shape, yet far smaller.
    config.write_text("".join(lines[:100] + lines[-12:]))

    report = run_backup(store, snaps, max_shrink_fraction=0.5)
    result = next(h for h in report.hosts if h.host.name == "hq-dist1")
    assert result.outcome.value == "refused"
    assert "shrank by" in result.detail and "--accept-shrink" in result.detail
    assert (store / "configs" / "hq-dist1.cfg").read_text() == good

    relaxed = run_backup(store, snaps, max_shrink_fraction=0.9)
    assert outcomes(relaxed)["hq-dist1"] == "changed", "a policy that allows 90% shrinkage stores it"

    config.write_text("".join(lines[:30] + lines[-12:]))
    accepted = run_backup(store, snaps, accept_shrink=frozenset({"hq-dist1"}), max_shrink_fraction=0.5)
    assert outcomes(accepted)["hq-dist1"] == "changed"
    assert (store / "configs" / "hq-dist1.cfg").read_text().count("\n") < 42


def test_masked_store_keeps_no_secret_and_says_so(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps, mask_secrets=True)
    stored = (store / "configs" / "hq-core1.cfg").read_text()
    assert CORE1_COMMUNITY not in stored
    assert "snmp-server community N3t*** RO ACL-SNMP-RO" in stored
    assert "$9$j6/Mb64" not in stored, "hashes are masked too"
    assert "Secrets are masked" in (store / "README.md").read_text()
    assert ConfigStore.open(store).masked

    assert set(outcomes(run_backup(store, snaps)).values()) == {"unchanged"}, "the store's mode is kept"
    with pytest.raises(StoreError, match="keeps secrets masked"):
        run_backup(store, snaps, mask_secrets=False)


def test_masking_cannot_be_turned_on_for_a_store_that_keeps_secrets(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    with pytest.raises(StoreError, match="keeps secrets as the devices show them"):
        run_backup(store, snaps, mask_secrets=True)
    with pytest.raises(StoreError, match="keeps secrets as the devices show them"):
        run_backup(store, snaps, mask_secrets=True, max_age_days=7)


def test_uncommitted_changes_in_the_store_are_never_overwritten(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    hand_edit = (store / "configs" / "hq-core1.cfg").read_text() + "! edited by hand\n"
    (store / "configs" / "hq-core1.cfg").write_text(hand_edit)
    edit_config(snaps, "hq-core1", CORE1_COMMUNITY, NEW_COMMUNITY)

    with pytest.raises(StoreError, match="uncommitted changes"):
        run_backup(store, snaps)
    assert (store / "configs" / "hq-core1.cfg").read_text() == hand_edit


def test_when_git_cannot_commit_the_written_files_are_put_back(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    good = (store / "configs" / "hq-core1.cfg").read_text()
    head = commits(store)
    hook = store / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'rejected by policy hook' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    edit_config(snaps, "hq-core1", CORE1_COMMUNITY, NEW_COMMUNITY)
    (snaps / "new-sw").mkdir()
    (snaps / "new-sw" / CONFIG).write_text((snaps / "mgmt-sw1" / CONFIG).read_text())

    with pytest.raises(Exception, match="rejected by policy hook"):
        run_backup(store, snaps)

    assert commits(store) == head
    assert (store / "configs" / "hq-core1.cfg").read_text() == good
    assert not (store / "configs" / "new-sw.cfg").exists()
    assert git(store, "status", "--porcelain") == ""


def test_a_second_run_at_the_same_time_is_refused(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    with ConfigStore.open(store).locked(), pytest.raises(StoreError, match="another netcomply backup"):
        run_backup(store, snaps)


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path, snaps: Path) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a netcomply backup store"):
        run_backup(other, snaps)
    assert os.listdir(other) == ["notes.txt"]


def test_import_of_an_oxidized_style_flat_folder(tmp_path: Path) -> None:
    """Oxidized keeps <host> files without extension, RANCID <host> files too; router.db is its device list."""
    flat = tmp_path / "oxidized"
    flat.mkdir()
    (flat / "core-a").write_text((LAB / "snapshots" / "hq-core1" / CONFIG).read_text())
    (flat / "leaf-b.cfg").write_text((LAB / "snapshots" / "dc-leaf1" / CONFIG).read_text())
    (flat / "nexus-c.conf").write_text((LAB / "snapshots" / "hq-dist1" / CONFIG).read_text())
    (flat / "router.db").write_text("core-a:ios:up\nleaf-b:eos:up\n")
    (flat / "printer.txt").write_text("this is not\na device configuration\nat all\n")
    store = tmp_path / "store"

    report = run_backup(store, flat, inventory=None)

    assert outcomes(report) == {
        "core-a": "new",
        "leaf-b": "new",
        "nexus-c": "new",
        "printer": "failed",
    }
    platforms = {h.host.name: h.platform for h in report.hosts}
    assert platforms["core-a"] == "cisco_xe" and platforms["leaf-b"] == "arista_eos"
    assert platforms["nexus-c"] == "cisco_nxos"
    assert "cannot tell the platform" in next(h.detail for h in report.hosts if h.host.name == "printer")
    assert len(commits(store)) == 2
    assert sorted(ConfigStore.open(store).hosts()) == ["core-a", "leaf-b", "nexus-c"]
    assert "Current configuration :" not in (store / "configs" / "core-a.cfg").read_text()


def test_import_of_a_snapshot_folder_then_a_live_like_run_sees_no_change(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    imported = run_backup(store, snaps, inventory=None)
    assert set(outcomes(imported).values()) == {"new"}
    again = run_backup(store, snaps)
    assert set(outcomes(again).values()) == {"unchanged"}


def test_import_follows_the_safety_rules(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    run_backup(store, snaps)
    flat = tmp_path / "rancid"
    flat.mkdir()
    text = (snaps / "hq-core1" / CONFIG).read_text()
    (flat / "hq-core1.cfg").write_text(text.rsplit("end", 1)[0])
    report = run_backup(store, flat, inventory=None)
    assert outcomes(report) == {"hq-core1": "refused"}


def test_commit_dates_come_from_the_run_clock(tmp_path: Path, snaps: Path) -> None:
    when = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    store = tmp_path / "store"
    report = run_backup(store, snaps, now=when)
    assert report.revision is not None and report.revision.when == when
    assert git(store, "log", "-1", "--format=%ct").strip() == str(int(when.timestamp()))
    later = when + timedelta(days=3)
    run_backup(store, snaps, now=later)
    confirmed = ConfigStore.open(store).confirmed()
    assert confirmed["hq-core1"] == later, "an unchanged run confirms the backup without a commit"


def test_diff_between_dates_and_revisions(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    day1 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    run_backup(store, snaps, now=day1)
    edit_config(snaps, "hq-edge1", "hostname hq-edge1\n", "hostname hq-edge1\nip http server\n")
    run_backup(store, snaps, now=day1 + timedelta(days=1))
    edit_config(snaps, "hq-edge1", "ip http server\n", "ip http server\nip http secure-server\n")
    run_backup(store, snaps, now=day1 + timedelta(days=2))

    latest = backup_diff(store, "hq-edge1")
    assert "+ip http secure-server" in latest and "+ip http server" not in latest
    both = backup_diff(store, "hq-edge1", rev_from="2026-03-01")
    assert "+ip http secure-server" in both and "+ip http server" in both
    first = backup_diff(store, "hq-edge1", rev_from="2026-03-01", rev_to="2026-03-02")
    assert "+ip http server" in first and "secure-server" not in first
    assert "no change" in backup_diff(store, "hq-core1", rev_from="HEAD~2", rev_to="HEAD")
    with pytest.raises(StoreError, match="no revision"):
        backup_diff(store, "hq-edge1", rev_from="nonsense")
    with pytest.raises(StoreError, match="no backup of ghost"):
        backup_diff(store, "ghost")
    with pytest.raises(StoreError, match="cannot be used as a file name"):
        backup_diff(store, "../etc/passwd")


@pytest.mark.parametrize("host", ["hq-acc1", "hq-core1", "hq-dist1", "dc-leaf1"])
def test_normalize_keeps_line_origins(host: str) -> None:
    platform = get_platform(yaml.safe_load((LAB / "snapshots" / host / "meta.yaml").read_text())["platform"])
    raw = (LAB / "snapshots" / host / CONFIG).read_text()
    result = normalize(platform, raw)
    raw_lines = raw.splitlines()
    for index, line in enumerate(result.lines):
        assert raw_lines[result.origin(index + 1) - 1] == line


def test_normalize_removes_scattered_volatile_lines_and_maps_the_rest_back() -> None:
    raw = (
        "! Last configuration change at 10:00:00 UTC Mon Nov 2 2026\r\n"
        "Current configuration : 5120 bytes\r\n"
        "hostname a\r\n"
        "ntp clock-period 17179861\r\n"
        "!\r\n"
        "end\r\n\r\n"
    )
    result = normalize(get_platform("cisco_ios"), raw)
    assert result.text == "hostname a\n!\nend\n"
    assert result.removed == (1, 2, 4)
    assert [result.origin(n) for n in (1, 2, 3)] == [3, 5, 6]


def test_eos_startup_config_stamp_is_volatile() -> None:
    platform = get_platform("arista_eos")
    raw = (LAB / "snapshots" / "dc-leaf1" / CONFIG).read_text()
    stamped = raw.replace(
        "! boot system", "! Startup-config last modified at  Sun Sep 11 18:35:01 2026 by admin\n! boot system", 1
    )
    assert stamped != raw
    assert normalize(platform, stamped).text == normalize(platform, raw).text


def test_stored_masking_does_not_depend_on_secrets_seen_earlier_in_the_process() -> None:
    """The redactor scrubs every secret seen in the process; the store must not, or runs would differ."""
    from scanner.masking import Secret

    platform = get_platform("cisco_ios")
    text = "hostname sw1\ninterface Vlan1\n description uplink-Qw7erTy99xz\nend\n"
    before = normalize(platform, text, mask_secrets=True).text
    Secret("Qw7erTy99xz")
    assert normalize(platform, text, mask_secrets=True).text == before
    assert "Qw7erTy99xz" in before


def test_line_changes_report_exactly_the_lines_a_diff_adds_and_removes() -> None:
    from scanner.backup.diff import line_changes

    old = ["hostname a", "!", "interface X", " no shutdown", "!", "snmp-server community x", "!", "end"]
    new = ["hostname a", "!", "interface X", " shutdown", "!", "!", "logging host 10.0.0.1", "!", "end"]
    changes = line_changes(old, new)
    assert changes.removed == ((4, " no shutdown"), (6, "snmp-server community x"))
    assert changes.added == ((4, " shutdown"), (6, "!"), (7, "logging host 10.0.0.1"))
    assert changes.counts == "+3 -2"


def test_mask_text_masks_exactly_what_mask_line_masks_line_by_line(tmp_path: Path) -> None:
    from scanner.masking import mask_line, mask_text

    texts = [p.read_text() for p in (LAB / "snapshots").glob("*/*.txt")]
    texts.append(
        "username a password\nsecret XyZ12345\n  password 7 0822455D0A16\nsnmp-server community\n"
        "path ftp://u:Pa55w0rdQ@10.0.0.1/x\nend"
    )
    for text in texts:
        assert mask_text(text, scrub=False) == "\n".join(mask_line(line, scrub=False) for line in text.split("\n"))


def test_a_store_can_start_in_a_repository_prepared_with_git_init(tmp_path: Path, snaps: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    git(store, "init", "-q", "-b", "main")
    git(store, "remote", "add", "origin", "https://git.example.org/netops/configs.git")
    report = run_backup(store, snaps)
    assert set(outcomes(report).values()) == {"new"}
    assert git(store, "remote").split() == ["origin"]


def test_a_run_that_breaks_midway_leaves_the_store_as_it_was(tmp_path: Path, snaps: Path) -> None:
    from scanner.backup.run import back_up, open_store
    from scanner.hostsource import offline_inputs
    from tests.backuphelpers import settings

    store = tmp_path / "store"
    run_backup(store, snaps)
    head = commits(store)
    edit_config(snaps, "hq-core1", CORE1_COMMUNITY, NEW_COMMUNITY)
    edit_config(snaps, "hq-core2", "hostname hq-core2\n", "hostname hq-core2\nip http server\n")

    def interrupted():  # type: ignore[no-untyped-def]
        for count, item in enumerate(offline_inputs(snaps, None)):
            if count == 4:
                raise KeyboardInterrupt
            yield item

    config = settings(store)
    with pytest.raises(KeyboardInterrupt):
        back_up(open_store(config, datetime.now(UTC)), interrupted(), config, source="test")
    assert commits(store) == head
    assert git(store, "status", "--porcelain") == ""
    assert CORE1_COMMUNITY in (store / "configs" / "hq-core1.cfg").read_text()
    assert set(outcomes(run_backup(store, snaps)).values()) >= {"changed"}
