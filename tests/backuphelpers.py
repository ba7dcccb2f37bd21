"""Backup tests: a copy of the lab's snapshots to change, runs with a clock the test sets, git as a user reads it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from scanner.backup.run import BackupReport, back_up, open_store
from scanner.backup.settings import BackupSettings
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory
from scanner.policy import Policy
from tests.conftest import LAB

CONFIG = "show_running-config.txt"
LAB_HOSTS = sorted(p.name for p in (LAB / "snapshots").iterdir() if p.is_dir())

needs_git = pytest.mark.skipif(
    shutil.which("git") is None,
    reason="git is not installed (tools/system-packages.txt): the store is a git repository",
)


def copy_lab(dest: Path) -> Path:
    shutil.copytree(LAB / "snapshots", dest)
    return dest


def edit_config(snapshots: Path, host: str, old: str, new: str, count: int = 1) -> None:
    path = snapshots / host / CONFIG
    text = path.read_text()
    assert old in text, f"{old!r} not in {host}'s config"
    path.write_text(text.replace(old, new, count))


def settings(store: Path, **policy: object) -> BackupSettings:
    section = {"backup": policy} if policy else {}
    return BackupSettings.from_policy(Policy.from_text(yaml.safe_dump(section), "test policy"), store)


def run_backup(
    store: Path,
    snapshots: Path,
    now: datetime | None = None,
    inventory: Path | None = LAB,
    accept_shrink: frozenset[str] = frozenset(),
    mask_secrets: bool | None = None,
    **policy: object,
) -> BackupReport:
    config = settings(store, **policy)
    if mask_secrets is not None:
        config = BackupSettings(config.store, config.max_age_days, config.max_shrink_fraction, mask_secrets)
    now = now or datetime.now(UTC)
    opened = open_store(config, now)
    hosts = load_inventory(inventory) if inventory else None
    return back_up(
        opened, offline_inputs(snapshots, hosts), config, source="test", now=now, accept_shrink=accept_shrink
    )


def git(store: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(store), *args], capture_output=True, text=True, check=True).stdout


def commits(store: Path) -> list[str]:
    return git(store, "rev-list", "HEAD").split()


def outcomes(report: BackupReport) -> dict[str, str]:
    return {h.host.name: h.outcome.value for h in report.hosts}
