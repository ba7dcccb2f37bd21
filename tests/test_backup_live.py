"""`netcomply backup` against simulated devices over real SSH: the live path end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scanner.lab import parse_fault
from tests.backuphelpers import CONFIG, LAB_HOSTS, commits, copy_lab, edit_config, git, needs_git
from tests.conftest import LAB, run_cli
from tests.labhelpers import running_lab

pytestmark = needs_git


@pytest.fixture(scope="module")
def bundled_lab(tmp_path_factory: pytest.TempPathFactory):
    """The bundled lab network served over SSH for the whole module; yields its inventory folder."""
    out = tmp_path_factory.mktemp("backup-lab")
    with running_lab(LAB / "snapshots", out / "inventory", inventory=LAB):
        yield out / "inventory"


def test_live_backup_stores_what_the_offline_backup_stores_and_a_second_run_commits_nothing(
    bundled_lab: Path, tmp_path: Path
) -> None:
    live_store, offline_store = tmp_path / "live", tmp_path / "offline"
    live = run_cli("backup", "--inventory", str(bundled_lab), "--store", str(live_store))
    assert live.returncode == 0, live.stderr
    assert f"{len(LAB_HOSTS)} host(s): {len(LAB_HOSTS)} new" in live.stdout
    assert "live collection over SSH" in git(live_store, "log", "-1", "--format=%B")
    offline = run_cli("backup", "--snapshots", str(LAB / "snapshots"), "-i", str(LAB), "--store", str(offline_store))
    assert offline.returncode == 0, offline.stderr
    for host in LAB_HOSTS:
        stored = (live_store / "configs" / f"{host}.cfg").read_bytes()
        assert stored == (offline_store / "configs" / f"{host}.cfg").read_bytes(), host

    again = run_cli("backup", "--inventory", str(bundled_lab), "--store", str(live_store))
    assert again.returncode == 0, again.stderr
    assert "nothing changed, no commit" in again.stdout
    assert len(commits(live_store)) == 2

    report = tmp_path / "scan.json"
    scan = run_cli(
        "scan", "--inventory", str(bundled_lab), "--backup-store", str(live_store), "--no-store",
        "-f", "json", "-o", str(report),
    )  # fmt: skip
    assert scan.returncode in (0, 1), scan.stderr
    document = json.loads(report.read_text())
    assert document["run"]["inputs"]["mode"] == "live"
    current = {f["host"]: f["status"] for f in document["findings"] if f["check"] == "backup.current"}
    assert current == dict.fromkeys(LAB_HOSTS, "pass")


def test_live_backup_refuses_a_truncated_config_keeps_going_and_reports_an_unreachable_device(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    names = ["hq-core1", "hq-acc1", "plant-rtr1"]
    snaps = tmp_path / "snaps"
    lab_copy = copy_lab(tmp_path / "all")
    for name in names:
        shutil.copytree(lab_copy / name, snaps / name)
    first = run_cli(
        "backup", "--snapshots", str(snaps), "-i", str(LAB), "--hosts", ",".join(names), "--store", str(store)
    )
    assert first.returncode == 0, first.stderr
    good = (store / "configs" / "hq-core1.cfg").read_text()

    config = snaps / "hq-core1" / CONFIG
    lines = config.read_text().splitlines(keepends=True)
    config.write_text("".join(lines[:-30]))  # the device prints a config that stops before "end"
    edit_config(snaps, "plant-rtr1", "ntp server 10.20.99.2\n", "ntp server 10.20.99.2\nip http server\n")
    faults = {"hq-acc1": parse_fault("refuse")}
    with running_lab(snaps, tmp_path / "inventory", inventory=LAB, faults=faults):
        proc = run_cli(
            "backup", "--inventory", str(tmp_path / "inventory"), "--store", str(store), "--connect-timeout", "3"
        )
    assert proc.returncode == 2, proc.stderr
    lines_by_host = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("  ")}
    assert "refused" in lines_by_host["hq-core1"] and "truncated" in lines_by_host["hq-core1"]
    assert "failed" in lines_by_host["hq-acc1"] and "not collected" in lines_by_host["hq-acc1"]
    assert "changed" in lines_by_host["plant-rtr1"]
    assert (store / "configs" / "hq-core1.cfg").read_text() == good
    assert git(store, "show", "--name-only", "--format=", "HEAD").split() == ["configs/plant-rtr1.cfg"]
    assert len(commits(store)) == 3
