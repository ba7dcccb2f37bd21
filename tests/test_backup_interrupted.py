"""A backup run killed mid-way leaves a store the next run repairs, with a warning (issue 13, section 3).

The run is a real process, killed with SIGKILL at two moments: after writing some
configurations and before its commit, and inside ``git commit`` itself (a pre-commit
hook holds git there, with its ``index.lock`` taken). The next ``netcomply backup``
must repair the store, say what it did, and back up every host; hand edits without a
run's journal are still refused, never discarded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.backuphelpers import LAB_HOSTS, copy_lab, needs_git
from tests.conftest import LAB, ROOT, run_cli

pytestmark = needs_git

# A backup run whose host list pauses after the third host, once that host's file is written.
RUNNER = """
import sys, time
from pathlib import Path
from scanner.backup.run import back_up, open_store
from scanner.backup.settings import BackupSettings
from scanner.hostsource import offline_inputs
from scanner.inventory import load_inventory

store, snaps, inventory, ready = (Path(a) for a in sys.argv[1:5])
settings = BackupSettings(store=store, max_age_days=7, max_shrink_fraction=0.5, mask_secrets=None)
opened = open_store(settings, __import__("datetime").datetime.now(__import__("datetime").UTC))

def items():
    for index, item in enumerate(offline_inputs(snaps, load_inventory(inventory))):
        if index == 3:
            ready.write_text("3 hosts written")
            time.sleep(600)
        yield item

back_up(opened, items(), settings, source="test")
"""


def _backup_cli(store: Path, snaps: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("backup", "-i", str(LAB), "-s", str(snaps), "--store", str(store))


def _git(store: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(store), *args], capture_output=True, text=True, check=True).stdout


def _wait_for(path: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert proc.poll() is None, "the backup run ended before it reached the point to kill it"
        assert time.monotonic() < deadline, "the backup run never reached the point to kill it"
        time.sleep(0.05)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture
def changed_lab(tmp_path: Path) -> tuple[Path, Path]:
    """A store holding the lab, and snapshots where every host's configuration then gained an NTP server."""
    store, snaps = tmp_path / "store", copy_lab(tmp_path / "snaps")
    assert _backup_cli(store, snaps).returncode == 0
    for host in LAB_HOSTS:
        path = next(p for p in (snaps / host).iterdir() if "config" in p.name)
        text = path.read_text().rstrip("\n")
        if text.endswith("\nend"):
            text = text[: -len("end")] + "ntp server 10.10.99.6\nend"
        elif text.endswith("\nreturn"):
            text = text[: -len("return")] + "ntp-service unicast-server 10.10.99.6\n#\nreturn"
        elif text.startswith("set "):
            text += "\nset system ntp server 10.10.99.6"
        else:
            text += "\nntp server 10.10.99.6"
        path.write_text(text + "\n")
    return store, snaps


def test_a_run_killed_before_its_commit_is_repaired_by_the_next_run(changed_lab: tuple[Path, Path], tmp_path: Path):
    store, snaps = changed_lab
    head = _git(store, "rev-parse", "HEAD").strip()
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(store), str(snaps), str(LAB), str(ready)],
        cwd=ROOT,
        start_new_session=True,
    )
    _wait_for(ready, proc)
    _kill(proc)
    assert _git(store, "status", "--porcelain").strip(), "the killed run left uncommitted files"
    assert (store / ".git" / "netcomply-run.json").exists()

    repaired = _backup_cli(store, snaps)
    assert repaired.returncode == 0, repaired.stderr
    assert "warning: the backup run started at" in repaired.stderr and "was interrupted" in repaired.stderr
    assert "discarded its uncommitted files" in repaired.stderr
    assert _git(store, "status", "--porcelain").strip() == ""
    assert _git(store, "rev-list", "--count", f"{head}..HEAD").strip() == "1"
    assert "ntp server 10.10.99.6" in (store / "configs" / "hq-core1.cfg").read_text()
    again = _backup_cli(store, snaps)
    assert again.returncode == 0 and "warning" not in again.stderr


def _pause_git(store: Path, ready: Path, where: str) -> None:
    """Make the next backup's git stop at ``where`` until killed: in ``git add`` (a clean filter, run while
    git holds its index.lock) or in ``git commit`` (a pre-commit hook, the changes already staged)."""
    stop = f"echo paused > {ready}; sleep 600"
    if where == "add":
        # git runs a clean filter through sh, itself its parent: pause only under `git add`, pass content on.
        parent = "$(tr '\\0' ' ' < /proc/$PPID/cmdline)"
        (store / ".git" / "info").mkdir(exist_ok=True)
        (store / ".git" / "info" / "attributes").write_text("*.cfg filter=pause\n")
        _git(store, "config", "filter.pause.clean", f'case "{parent}" in *" add "*) {stop};; esac; cat')
    else:
        hook = store / ".git" / "hooks" / "pre-commit"
        hook.parent.mkdir(exist_ok=True)
        hook.write_text(f"#!/bin/sh\n{stop}\n")
        hook.chmod(0o755)


def _unpause_git(store: Path) -> None:
    (store / ".git" / "info" / "attributes").unlink(missing_ok=True)
    (store / ".git" / "hooks" / "pre-commit").unlink(missing_ok=True)
    subprocess.run(["git", "-C", str(store), "config", "--unset", "filter.pause.clean"], check=False)


@pytest.mark.parametrize(("where", "left"), [("add", "removed git's stale index.lock"), ("commit", "discarded")])
def test_a_run_killed_inside_git_is_repaired_by_the_next_run(
    changed_lab: tuple[Path, Path], tmp_path: Path, where: str, left: str
) -> None:
    store, snaps = changed_lab
    ready = tmp_path / "ready"
    _pause_git(store, ready, where)
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanner", "backup", "-i", str(LAB), "-s", str(snaps), "--store", str(store)],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(ready, proc)
    _kill(proc)
    if where == "add":
        assert (store / ".git" / "index.lock").exists(), "git was killed holding its index lock"
    _unpause_git(store)

    repaired = _backup_cli(store, snaps)
    assert repaired.returncode == 0, repaired.stderr
    assert "was interrupted" in repaired.stderr and left in repaired.stderr
    assert not (store / ".git" / "index.lock").exists()
    assert _git(store, "status", "--porcelain").strip() == ""
    assert "ntp server 10.10.99.6" in (store / "configs" / "hq-core1.cfg").read_text()


def test_hand_edits_without_a_journal_are_still_refused_and_kept(changed_lab: tuple[Path, Path]) -> None:
    store, snaps = changed_lab
    edited = store / "configs" / "hq-core1.cfg"
    edited.write_text(edited.read_text() + "! edited by hand during an incident\n")
    refused = _backup_cli(store, snaps)
    assert refused.returncode == 2 and "uncommitted changes" in refused.stderr
    assert edited.read_text().endswith("! edited by hand during an incident\n")


def test_a_store_creation_killed_before_its_first_commit_is_finished_by_the_next_run(tmp_path: Path) -> None:
    store, snaps = tmp_path / "store", copy_lab(tmp_path / "snaps")
    subprocess.run(["git", "init", "-q", "-b", "main", str(store)], check=True)  # an empty repository is a fresh store
    ready = tmp_path / "ready"
    _pause_git(store, ready, "commit")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanner", "backup", "-i", str(LAB), "-s", str(snaps), "--store", str(store)],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(ready, proc)
    _kill(proc)
    assert (store / "netcomply-store.yaml").exists() and not _git_ok(store, "rev-parse", "--verify", "HEAD")
    _unpause_git(store)

    finished = _backup_cli(store, snaps)
    assert finished.returncode == 0, finished.stderr
    assert "create the backup store" in _git(store, "log", "--format=%s")
    assert (store / "configs" / "hq-core1.cfg").is_file()


def _git_ok(store: Path, *args: str) -> bool:
    return subprocess.run(["git", "-C", str(store), *args], capture_output=True, check=False).returncode == 0
