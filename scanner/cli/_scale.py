"""How a scan uses more than one core (``--jobs``) or machine (``--cluster``), and its progress bar."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

import click

from scanner.cli import ScanAbort
from scanner.engine import StepRunner
from scanner.model import Finding, HostInfo
from scanner.parallel import ClusterError, DaskRunner, ProcessRunner, connect, default_jobs


def scale_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add --jobs/--cluster; the command receives one ``runner`` (a StepRunner)."""

    @functools.wraps(func)
    def wrapper(*args: Any, jobs: int | None, cluster: str | None, **kwargs: Any) -> Any:
        runner: StepRunner
        if cluster:
            try:
                runner = DaskRunner(connect(cluster), owned=True)
            except ClusterError as exc:
                raise ScanAbort(str(exc)) from None
        else:
            runner = ProcessRunner(jobs or default_jobs())
        kwargs["runner"] = runner
        return func(*args, **kwargs)

    wrapper = click.option(
        "--cluster",
        metavar="tcp://HOST:8786",
        help="Parse and check hosts on the workers of this Dask scheduler (pip install 'netcomply[cluster]'); "
        "network checks, the store and the reports stay here.",
    )(wrapper)
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        help=f"Worker processes for the per-host step (default: the CPUs, {default_jobs()} here). "
        "The findings are the same, in the same order, whatever the number.",
    )(wrapper)


class ScanProgress:
    """A rich progress bar over the hosts of a scan on a terminal; nothing when stderr is not one (cron) or -q."""

    def __init__(self, total: int | None, quiet: bool = False) -> None:
        self.bar: Any = None
        self.task: Any = None
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[host]}"),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task("scan", total=total, host="")

    def __enter__(self) -> ScanProgress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, host: HostInfo, _findings: list[Finding]) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, host=host.name)
