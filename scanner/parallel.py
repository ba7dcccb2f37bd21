"""The scan's per-host step on every core (``--jobs``) or on a Dask cluster (``--cluster``).

A host's step (read its snapshot, parse it, run the host checks: :meth:`Scanner.outcome`)
depends on nothing but the host and the scan's options, so it can run in another process
or on another machine. The process that runs the scan (the client) keeps the rest: it
hands the hosts out in shards, takes the outcomes back in input order, so the findings
come in the same order as in one process, records each one (:meth:`Scanner.accept`),
then runs the network-wide checks, the store and the reports itself.

Secrets met by a worker travel back with the host's outcome and join the client's
redactor (:meth:`scanner.masking.Redactor.collecting`) before anything is written.
Workers log through the same redacting filter. At most a few shards per worker are in
flight, so neither side holds the estate in memory.

Dask (``pip install 'netcomply[cluster]'``) is imported only for ``--cluster``.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sized
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import chain, islice
from typing import Any, Protocol

from scanner.engine import HostItem, HostOutcome, Scanner, ScanOptions, fewer_collections, load_item
from scanner.masking import REDACTOR, RedactingFilter

log = logging.getLogger("netcomply.parallel")

# Hosts per task: enough to make a task's overhead (pickling, a round trip) small beside
# a few milliseconds of scanning per host, few enough to keep every worker busy to the end.
POOL_SHARD = 8
CLUSTER_SHARD = 32
# Below this many hosts a process pool costs more to start than it saves.
MIN_HOSTS = 64


class ClusterError(Exception):
    """The Dask scheduler cannot be reached, distributed is not installed, or a worker died mid-scan."""


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_options(options: ScanOptions) -> ScanOptions:
    """The options a host's step reads: without what only the network checks and the summary need."""
    return replace(options, network_attachments={}, outside=[], notes=[])


# ---- the worker's side ---------------------------------------------------------------

_step_lock = threading.Lock()  # one shard at a time per process (Dask workers may run tasks in threads)
_cached: tuple[ScanOptions, Scanner] | None = None
_logs_redacted = False


def _scanner_for(options: ScanOptions) -> Scanner:
    global _cached
    if _cached is None or _cached[0] is not options:
        _cached = (options, Scanner(options))
    return _cached[1]


def scan_shard(options: ScanOptions, items: list[HostItem]) -> list[HostOutcome]:
    """Run the engine's per-host step on ``items``; each outcome carries the secrets its host gave."""
    _redact_logs()
    outcomes = []
    with _step_lock, fewer_collections():
        scanner = _scanner_for(options)
        with REDACTOR.collecting() as loaded_secrets:
            inputs = load_shard(items)
        for index, item in enumerate(inputs):
            with REDACTOR.collecting() as secrets:
                outcome = scanner.outcome(load_item(item))
            # Secrets met while loading the shard (an enable secret a worker logged in with) go back once.
            outcome.secrets = list(dict.fromkeys([*(loaded_secrets if index == 0 else ()), *secrets]))
            outcomes.append(outcome)
    return outcomes


def load_shard(items: list[HostItem]) -> list[HostItem]:
    """The shard's items, loaded together when their type can (``load_batch``: a shard of live hosts is
    collected at once, scanner.collect.remote), else left to be read one at a time."""
    kinds = {type(item) for item in items}
    batch = getattr(kinds.pop(), "load_batch", None) if len(kinds) == 1 else None
    return list(batch(items)) if batch is not None else items


def _redact_logs() -> None:
    """Every handler of this worker process scrubs secrets (a Dask worker has its own logging)."""
    global _logs_redacted
    if _logs_redacted:
        return
    _logs_redacted = True
    for name in ("", "netcomply", "distributed"):
        for handler in logging.getLogger(name).handlers:
            handler.addFilter(RedactingFilter())


def _init_pool_worker(options: ScanOptions, level: int) -> None:
    global _pool_options
    _pool_options = options
    logger = logging.getLogger("netcomply")
    logger.setLevel(level)
    logger.propagate = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.handlers[:] = [handler]


_pool_options: ScanOptions | None = None


def _scan_pool_shard(items: list[HostItem]) -> list[HostOutcome]:
    assert _pool_options is not None
    return scan_shard(_pool_options, items)


# ---- the client's side ---------------------------------------------------------------


class _Result(Protocol):
    def result(self) -> list[HostOutcome]: ...


def shards(items: Iterable[HostItem], size: int) -> Iterator[list[HostItem]]:
    iterator = iter(items)
    while shard := list(islice(iterator, size)):
        yield shard


def in_order(submitted: Iterable[_Result], window: int) -> Iterator[HostOutcome]:
    """The outcomes of ``submitted`` tasks in submission order, with at most ``window`` tasks in flight."""
    pending: deque[_Result] = deque()
    for task in submitted:
        pending.append(task)
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def pool_start_method() -> str:
    """How worker processes start: forked from this one while it runs a single thread (at once,
    with the checks already loaded: a fresh interpreter importing them took about a second),
    else from a fork server (forking a process with other threads can copy a held lock);
    spawned where there is no fork (macOS and Windows default to spawn)."""
    if not sys.platform.startswith("linux"):
        return "spawn"
    return "fork" if threading.active_count() == 1 else "forkserver"


class ProcessRunner:
    """``--jobs N``: N worker processes on this machine."""

    def __init__(self, jobs: int, shard: int = POOL_SHARD, min_hosts: int = MIN_HOSTS) -> None:
        self.jobs = jobs
        self.shard = shard
        self.min_hosts = min_hosts

    def outcomes(self, items: Iterable[HostItem], options: ScanOptions) -> Iterator[HostOutcome]:
        # Hosts are taken from ``items`` as they are scanned, never listed all at once: only the
        # first ``min_hosts`` are looked at ahead, to know whether a pool is worth starting.
        iterator = iter(items)
        head = list(islice(iterator, self.min_hosts)) if self.jobs > 1 else []
        if self.jobs <= 1 or len(head) < self.min_hosts:
            scanner = Scanner(options)
            yield from (scanner.outcome(load_item(item)) for item in chain(head, iterator))
            return
        listed = chain(head, iterator)
        context = multiprocessing.get_context(pool_start_method())
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["scanner.parallel", "checks"])
        level = logging.getLogger("netcomply").getEffectiveLevel()
        with ProcessPoolExecutor(
            self.jobs, mp_context=context, initializer=_init_pool_worker, initargs=(worker_options(options), level)
        ) as pool:
            submitted = (pool.submit(_scan_pool_shard, shard) for shard in shards(listed, self.shard))
            try:
                yield from in_order(submitted, window=self.jobs * 3)
            except BrokenProcessPool as exc:
                raise ClusterError(f"a worker process died during the scan: {exc}") from None


class DaskRunner:
    """``--cluster tcp://HOST:8786``: the workers of a Dask distributed cluster, through ``client``.

    ``owned``: close the client when the scan's hosts are done (the CLI's connection).
    """

    def __init__(self, client: Any, shard: int = CLUSTER_SHARD, owned: bool = False) -> None:
        self.client = client
        self.shard = shard
        self.owned = owned

    def outcomes(self, items: Iterable[HostItem], options: ScanOptions) -> Iterator[HostOutcome]:
        client = self.client
        try:
            shared = client.scatter(worker_options(options), broadcast=True)
            threads = sum(client.nthreads().values()) or 1
            size = self.shard
            if isinstance(items, Sized):  # a small estate still goes to every worker
                size = max(1, min(size, -(-len(items) // threads)))
            submitted = (client.submit(scan_shard, shared, shard, pure=False) for shard in shards(items, size))
            yield from in_order(submitted, window=threads * 3)
        except (OSError, TimeoutError) as exc:  # the scheduler went away
            raise ClusterError(f"the Dask cluster failed during the scan: {exc}") from None
        except Exception as exc:
            if type(exc).__name__ != "KilledWorker":
                raise
            raise ClusterError(f"Dask workers kept dying on a shard of hosts: {exc}") from None
        finally:
            if self.owned:
                client.close()


def connect(address: str) -> Any:
    """A Dask client of the scheduler at ``address``; ClusterError with the reason when there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("--cluster needs Dask distributed: pip install 'netcomply[cluster]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
