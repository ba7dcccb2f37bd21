"""The store as a scan uses it: lock the scope, compare with the last run, save, notify.

``cmd_scan`` calls :class:`Recorder`; ``netcomply report`` calls :func:`render_options_for`
so a stored run renders with the same "new since last run" marks the scan wrote.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from scanner.masking import REDACTOR
from scanner.model import ScanResult
from scanner.store import Scope, Store, StoreError
from scanner.store.diff import RunDiff, diff_runs
from scanner.store.lock import scan_lock

log = logging.getLogger("netcomply.store")

HOOK_TIMEOUT = 300.0


@dataclass
class Recorder:
    """Saves the runs of one scope; ``store`` None (``--no-store``) records nothing."""

    store: Store | None
    scope: Scope
    lock_wait: float = 0.0

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the scope's scan lock (raises :class:`~scanner.store.lock.LockBusy`)."""
        if self.store is None:
            yield
            return
        with scan_lock(self.store, self.scope.key, wait=self.lock_wait):
            yield

    def record(self, result: ScanResult) -> RunDiff | None:
        """Compare with the scope's last run, then save ``result``; None without a store."""
        if self.store is None:
            return None
        try:
            previous_id = self.store.latest(self.scope.key)
            previous = self.store.load(previous_id) if previous_id else None
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the last run from {self.store.description}: {exc}") from None
        diff = diff_runs(previous, result)
        self.store.save(result, self.scope)
        log.info("saved run %s to %s", result.run.id, self.store.description)
        return diff


def run_on_change(command: str, diff: RunDiff, result: ScanResult) -> int | None:
    """Run ``command`` (a shell command line) with the diff summary on stdin; its exit status.

    The environment carries NETCOMPLY_RUN_ID, NETCOMPLY_PREVIOUS_RUN (empty for a first
    run) and NETCOMPLY_EXIT_CODE. A hook that fails or hangs is logged; it never changes
    the scan's own exit status.
    """
    env = dict(
        os.environ,
        NETCOMPLY_RUN_ID=result.run.id,
        NETCOMPLY_PREVIOUS_RUN=diff.old_run or "",
        NETCOMPLY_EXIT_CODE=str(result.summary.exit_code),
    )
    try:
        completed = subprocess.run(
            command,
            shell=True,
            input=REDACTOR.scrub(diff.summary_text()),
            text=True,
            env=env,
            timeout=HOOK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        log.error("--on-change command did not finish within %.0f s and was stopped", HOOK_TIMEOUT)
        return None
    except OSError as exc:
        log.error("--on-change command could not start: %s", exc)
        return None
    if completed.returncode != 0:
        log.error("--on-change command exited with status %d", completed.returncode)
    return completed.returncode


def open_recorder(
    db: str | None, no_store: bool, policy_database: str | None, scope: Scope, lock_wait: float = 0.0
) -> Recorder:
    """The recorder for a scan: the store from --db / $NETCOMPLY_DB / the policy / the default, or none."""
    from scanner.store import resolve_url

    if no_store:
        return Recorder(None, scope, lock_wait)
    return Recorder(Store(resolve_url(db, policy_database)), scope, lock_wait)
