"""SNMP collection of many hosts at once, and its seam with the rest of the pipeline.

:func:`collect_snmp` probes (and walks) every target concurrently, ``concurrency`` agents
at a time, each at most ``rate_per_host`` requests a second. :func:`with_snmp` is the
seam for any collector: it takes the :class:`~scanner.engine.HostInput` stream a scan
reads (offline snapshots today, the SSH collector's output tomorrow), adds each host's
SNMP files to its snapshot, saves them in the host's snapshot folder when there is one,
and makes an SNMP-only snapshot for an inventory host that has no CLI snapshot.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from scanner.files import atomic_write
from scanner.model import HostInfo
from scanner.names import UnsafeName, child
from scanner.snapshot import FLAT_CONFIG_SUFFIXES, META_FILE, HostInput, Snapshot, read_meta
from scanner.snmp import aio
from scanner.snmp.client import SnmpClient
from scanner.snmp.credentials import UsmUser, host_snmp
from scanner.snmp.probe import ProbeOutcome, ProbeTarget, probe_host
from scanner.snmp.ratelimit import RateLimiter
from scanner.snmp.settings import SnmpSettings
from scanner.snmp.walks import collect_walks
from scanner.snmpfiles import PROBE_FILE

log = logging.getLogger("netcomply.snmp")


@dataclass
class SnmpCollection:
    """What SNMP gave for one host: its files by name, and the probe's outcome."""

    host: str
    documents: dict[str, str] = field(default_factory=dict)
    outcome: ProbeOutcome | None = None
    error: str | None = None


@dataclass
class SnmpRun:
    collections: dict[str, SnmpCollection]
    seconds: float
    requests: int
    sent_per_agent: dict[tuple[str, int], int]


def _vendor(host: HostInfo) -> str | None:
    vendor = host.data.get("vendor")
    if vendor:
        return str(vendor)
    if host.platform:
        from scanner.platforms import UnknownPlatformError, get_platform

        try:
            return get_platform(host.platform).vendor
        except UnknownPlatformError:
            return None
    return None


def target_for(host: HostInfo, settings: SnmpSettings, environ: Mapping[str, str] | None = None) -> ProbeTarget:
    """The probe target of an inventory host: its address, port, dictionary and credential."""
    inventory = host_snmp(host.address, host.data, environ)
    hostname = host.data.get("hostname")
    words = settings.dictionary(name=host.name, hostname=str(hostname) if hostname else None, vendor=_vendor(host))
    return ProbeTarget(
        host=host.name,
        address=inventory.address,
        port=inventory.port or settings.port,
        words=tuple(words),
        credential=inventory.credential,
        problem=inventory.problem,
    )


async def collect_snmp_async(targets: Iterable[ProbeTarget], settings: SnmpSettings) -> SnmpRun:
    limiter = RateLimiter(settings.rate_per_host, settings.burst)
    client = SnmpClient(limiter, settings.timeout, settings.retries)
    targets = list(targets)
    client.prepare(v3=any(isinstance(t.credential, UsmUser) for t in targets))
    slots = asyncio.Semaphore(settings.concurrency)
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def one(target: ProbeTarget) -> SnmpCollection:
        async with slots:
            collection = SnmpCollection(target.host)
            try:
                outcome = await probe_host(client, target, settings)
                collection.outcome = outcome
                collection.documents[PROBE_FILE] = outcome.document(settings)
                if settings.walks and outcome.credential_ok and target.credential and outcome.address:
                    walks = await collect_walks(
                        client, outcome.address, target.port, target.credential, settings.max_repetitions
                    )
                    collection.documents.update(walks)
            except Exception as exc:  # one host's failure must not end the others' probes
                log.exception("SNMP collection of %s failed", target.host)
                collection.error = f"SNMP collection failed: {type(exc).__name__}: {exc}"
            log.info(
                "%s: SNMP %s%s",
                target.host,
                collection.outcome.status if collection.outcome else "error",
                f", {len(collection.outcome.answered)} weak community(ies) answered" if collection.outcome else "",
            )
            return collection

    try:
        results = await asyncio.gather(*(one(t) for t in targets))
    finally:
        client.close()
    sent = dict(client.sent_to)
    for key in limiter.sent():
        sent.setdefault(key, 0)
    return SnmpRun(
        collections={c.host: c for c in results},
        seconds=loop.time() - started,
        requests=client.sent + sum(1 for c in results if c.outcome and c.outcome.address),
        sent_per_agent=sent,
    )


def collect_snmp(targets: Iterable[ProbeTarget], settings: SnmpSettings) -> SnmpRun:
    """Probe and walk every target; returns when all are done (each request is bounded by the timeout)."""
    return aio.run(collect_snmp_async(list(targets), settings))


def _attach(snapshot: Snapshot, collection: SnmpCollection) -> None:
    snapshot.documents.update(collection.documents)
    if collection.error:
        errors = dict(snapshot.meta.get("errors") or {})
        errors["snmp"] = collection.error
        snapshot.meta["errors"] = errors


def save_documents(directory: Path, documents: Mapping[str, str], platform: str | None) -> None:
    """Write the SNMP files into a host's snapshot folder; make meta.yaml when the folder is new."""
    import yaml

    for name, text in documents.items():
        atomic_write(directory / name, text.encode("utf-8"))
    meta_path = directory / META_FILE
    if not meta_path.exists():
        meta = {
            "platform": platform,
            "collected_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "source": "netcomply SNMP (no CLI collected)",
        }
        atomic_write(meta_path, yaml.safe_dump(meta, sort_keys=False).encode("utf-8"))


def save_snmp_run(run: SnmpRun, root: Path, platforms: Mapping[str, str | None]) -> None:
    """Write each host's SNMP files into ``root/<host>/`` (the snapshot layout), before any scan reads them.

    A host kept as a flat single-file config in ``root`` is left alone: a folder beside it
    would hide its config. A host with no snapshot yet gets an SNMP-only one (meta.yaml).
    """
    for host, collection in run.collections.items():
        if not collection.documents:
            continue
        try:
            directory = child(root, host)
        except UnsafeName as exc:
            log.warning("%s; its SNMP files are not saved", exc)
            continue
        if not directory.is_dir() and any((root / f"{host}{suffix}").is_file() for suffix in FLAT_CONFIG_SUFFIXES):
            log.info("%s: a flat config in %s; its SNMP files are not saved beside it", host, root)
            continue
        try:
            save_documents(directory, collection.documents, platforms.get(host))
        except OSError as exc:
            log.warning("%s: cannot save the SNMP files in %s: %s", host, directory, exc)


def with_snmp(items: Iterable[HostInput], run: SnmpRun, root: Path | None = None) -> Iterator[HostInput]:
    """Add each host's SNMP files to its snapshot in memory; an SNMP-only snapshot where the CLI gave none.

    ``root`` is where :func:`save_snmp_run` saved them (evidence points there); nothing is written here.
    """
    for item in items:
        collection = run.collections.get(item.host.name)
        if collection is None or not (collection.documents or collection.error):
            yield item
            continue
        snapshot = item.snapshot
        if snapshot is None and collection.documents:
            snapshot = _snmp_only_snapshot(item.host, root)
            if item.error:
                snapshot.meta["collection_error"] = item.error
            item = HostInput(host=item.host, snapshot=snapshot, error=None)
        if snapshot is not None:
            _attach(snapshot, collection)
            saved = child(root, item.host.name) if root is not None else None
            if snapshot.directory is None and saved is not None and saved.is_dir() and collection.documents:
                snapshot.directory = saved
        yield item


def _snmp_only_snapshot(host: HostInfo, save_root: Path | None) -> Snapshot:
    directory = child(save_root, host.name) if save_root is not None else None
    meta = read_meta(directory) if directory is not None and directory.is_dir() else {}
    meta.setdefault("source", "netcomply SNMP (no CLI collected)")
    platform = host.platform or (str(meta["platform"]) if meta.get("platform") else None)
    return Snapshot(host=host.name, platform=platform, meta=meta, directory=None, origin=str(directory or host.name))
