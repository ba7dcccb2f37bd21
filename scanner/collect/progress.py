"""What a user sees while hosts are collected: a rich progress bar on a terminal, log lines elsewhere (cron)."""

from __future__ import annotations

import logging
import sys
import threading
from collections import Counter
from typing import Any

from scanner.collect.options import CollectRun, HostCollection
from scanner.masking import REDACTOR

log = logging.getLogger("netcomply.collect")


def describe(outcome: HostCollection) -> str:
    if outcome.error is not None:
        return f"{outcome.name}: {outcome.error} ({outcome.seconds:.2f} s)"
    assert outcome.snapshot is not None
    refused = len(outcome.snapshot.meta.get("errors") or {})
    login = f", login {outcome.login_seconds:.2f} s" if outcome.login_seconds is not None else ""
    note = f", {refused} refused by the device" if refused else ""
    return (
        f"{outcome.name}: collected {len(outcome.snapshot.outputs)} command(s) in {outcome.seconds:.2f} s{login}{note}"
    )


def summary(run: CollectRun, workers: int) -> str:
    total = len(run.hosts)
    failed = run.failed
    reasons = Counter(r.error.reason.value for r in failed if r.error is not None)
    text = (
        f"collected {total - len(failed)} of {total} host(s) in {run.seconds:.1f} s "
        f"({min(workers, total) or 1} worker(s))"
    )
    if failed:
        text += "; failed: " + ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
    if run.learned_hostkeys:
        text += f"; learned {len(run.learned_hostkeys)} new host key(s) into {run.known_hosts}"
    return text


class Reporter:
    """Per-host feedback. ``log_failures``: warn about each failed host here (``collect``), or leave it to the scan."""

    def __init__(self, verbose: int = 0, quiet: bool = False, log_failures: bool = True) -> None:
        self.verbose = verbose
        self.log_failures = log_failures
        self.bar: Any = None
        self.task: Any = None
        self._lock = threading.Lock()
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("collecting"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def start(self, total: int) -> None:
        log.info("collecting %d host(s)", total)
        if self.bar is not None:
            self.task = self.bar.add_task("collect", total=total, failed=0)
            self.bar.start()

    def host(self, outcome: HostCollection) -> None:
        line = REDACTOR.scrub(describe(outcome))
        with self._lock:
            if self.bar is not None:
                failed = self.bar.tasks[0].fields["failed"] + (outcome.error is not None)
                self.bar.update(self.task, advance=1, failed=failed)
                if (outcome.error is not None and self.log_failures) or self.verbose:
                    self.bar.console.print(line, markup=False, highlight=False)
                return
        if outcome.error is not None and self.log_failures:
            log.warning("%s", line)
        else:
            log.info("%s", line)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
