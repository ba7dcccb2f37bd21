"""Scans at scale: --jobs and --cluster give what one process gives, secrets included; nothing grows per host."""

from __future__ import annotations

import gc
import json
import os
import pty
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from bench.genconfigs import generate
from checks import load_checks
from reports import render
from scanner.checkapi import CheckSpec, HostRecord, NetworkContext, Result
from scanner.configtree import ConfigTree
from scanner.engine import Scanner, ScanOptions, run_scan
from scanner.hostsource import offline_inputs, offline_tasks
from scanner.masking import REDACTOR
from scanner.model import Severity, Status, summarize
from scanner.packedlist import PackedList, Pickled
from scanner.parallel import ClusterError, DaskRunner, ProcessRunner
from scanner.policy import Policy
from tests.conftest import ROOT, run_cli

HOSTS = 72
# A community only this test module knows, on one host; another host's description quotes it.
PLANTED = "Pl4nted" + secrets.token_hex(6)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated ~1,500-line configurations, an unreadable one, and a secret that leaks across hosts."""
    folder = tmp_path_factory.mktemp("estate")
    paths = generate(folder, HOSTS, seed=15)
    ios = [path for path in paths if "-ios-" in path.name]
    owner, other = ios[2], ios[-2]
    owner.write_text(owner.read_text().replace("\nend\n", f"\nsnmp-server community {PLANTED} RO\nend\n"))
    other.write_text(other.read_text().replace("!\nend\n", f"!\ninterface Loopback9\n description {PLANTED}\n!\nend\n"))
    assert PLANTED in owner.read_text() and PLANTED in other.read_text()
    (folder / "mystery.cfg").write_text("this is no configuration of any platform\n")
    return folder


def _scan(folder: Path, runner=None):  # type: ignore[no-untyped-def]
    return run_scan(offline_tasks(folder, None), ScanOptions(policy=Policy.default()), runner=runner)


def test_jobs_give_the_same_findings_in_the_same_order(estate: Path) -> None:
    assert PLANTED not in REDACTOR  # only the workers parse: the secret must come back with their outcomes
    parallel = _scan(estate, ProcessRunner(2, shard=5, min_hosts=0))
    assert PLANTED in REDACTOR
    single = _scan(estate)
    assert len(single.findings) > HOSTS * 10
    assert list(parallel.findings) == list(single.findings)
    assert list(parallel.hosts) == list(single.hosts)
    assert parallel.summary == single.summary
    # The summary is counted as findings are made (in the workers): it must be what they say.
    assert parallel.summary == summarize(parallel.findings, parallel.checks, parallel.fail_on, parallel.summary.notes)
    assert parallel.summary.exit_code == 2 and parallel.summary.by_status["fail"] > 0
    assert any(f.host == "mystery" and f.status.value == "error" for f in parallel.findings)


class _DiesInTheWorker:
    """A host whose reading kills the worker process (as a crash in native code would)."""

    def __call__(self) -> NoReturn:
        os._exit(3)


def test_a_dead_worker_stops_the_scan_with_its_reason(estate: Path) -> None:
    items = [*list(offline_tasks(estate, None))[:4], _DiesInTheWorker()]
    with pytest.raises(ClusterError, match="worker process died"):
        run_scan(items, ScanOptions(policy=Policy.default()), runner=ProcessRunner(2, shard=1, min_hosts=0))


def test_no_secret_of_a_worker_in_a_report(estate: Path) -> None:
    result = _scan(estate, ProcessRunner(2, shard=5, min_hosts=0))
    text = render("json", result)
    assert f"snmp-server community {PLANTED[:3]}***" in text  # the host's own evidence, masked in the worker
    assert PLANTED not in text


def test_tree_is_released_after_each_host(estate: Path) -> None:
    """Memory flat in the estate: no configuration tree outlives its host's checks.

    Trees are counted after every 8th host and the last (a full heap walk each time): a tree
    kept by any host, even one host late, is still alive at the next count.
    """
    seen: list[int] = []
    hosts = 0

    def count(_host, _findings) -> None:  # type: ignore[no-untyped-def]
        nonlocal hosts
        hosts += 1
        if hosts % 8 and hosts != HOSTS + 1:
            return
        gc.collect()
        seen.append(sum(isinstance(o, ConfigTree) for o in gc.get_objects()))

    result = run_scan(offline_inputs(estate, None), ScanOptions(policy=Policy.default()), count)
    assert hosts == HOSTS + 1
    assert len(seen) == (HOSTS + 1) // 8 + 1
    assert max(seen) == 0
    assert isinstance(result.findings, PackedList)


def test_redactor_work_per_host_does_not_grow_through_the_engine(tmp_path: Path) -> None:
    """The quadratic case of issue 15 (many hosts, each with secrets of its own), counted, not timed."""

    def work_per_host(hosts: int) -> float:
        folder = tmp_path / f"hosts-{hosts}"
        folder.mkdir()
        for number in range(hosts):
            own = secrets.token_hex(8)
            (folder / f"r{number:05d}.cfg").write_text(
                "Building configuration...\n\nCurrent configuration : 900 bytes\n!\nversion 15.2\n"
                "service timestamps log datetime msec\n"
                f"hostname r{number:05d}\nenable secret 9 $9${own}$Qx{number:05d}hashpart\n"
                f"username ops secret 9 $9$u{own}$Zy{number:05d}hashpart\n"
                f"snmp-server community C{own}x RO\ntacacs-server key 0 Tk{own}9\nend\n"
            )
        matcher = REDACTOR.matcher
        before = matcher.built + matcher.compiled
        result = run_scan(
            offline_inputs(folder, None), ScanOptions(policy=Policy.default()), lambda h, f: REDACTOR.scrub(h.name)
        )
        assert {h.platform for h in result.hosts} == {"cisco_ios"}
        assert f"C{own}x" not in render("json", result)  # the last host's community, scrubbed from the report
        return (matcher.built + matcher.compiled - before) / hosts

    small, large = work_per_host(150), work_per_host(900)
    assert large <= small * 1.25 + 1, (small, large)


def test_lists_pickled_elsewhere_join_a_packed_list_in_order() -> None:
    """A worker's findings arrive pickled (Pickled) and join the client's list as they are."""
    items = [(n, f"finding {n}") for n in range(3000)]
    packed: PackedList[tuple[int, str]] = PackedList()
    packed.extend(items[:10])
    packed.extend(Pickled(items[10:20]))
    packed.extend(Pickled(items[20:1000]))  # more than one slice, kept as it was pickled
    packed.extend(items[1000:1001])
    packed.extend(Pickled([]))
    for start in range(1001, 3000, 40):
        packed.extend(Pickled(items[start : start + 40]))
    assert len(packed) == len(items)
    assert list(packed) == items
    assert packed[15] == items[15] and packed[2999] == items[2999]


def test_packed_list_is_a_sequence() -> None:
    items = [(n, "x" * (n % 300)) for n in range(5000)]
    packed: PackedList[tuple[int, str]] = PackedList()
    for start in range(0, len(items), 7):
        packed.extend(items[start : start + 7])
    assert len(packed) == len(items)
    assert list(packed) == items
    assert packed == items
    assert packed[0] == items[0] and packed[-1] == items[-1] and packed[2500] == items[2500]
    assert packed[10:20] == items[10:20]
    assert packed.stored_bytes < sum(len(s) for _, s in items) / 4
    import pickle

    assert list(pickle.loads(pickle.dumps(packed))) == items
    with pytest.raises(IndexError):
        packed[len(items)]


def test_packed_list_reads_the_items_added_after_a_read() -> None:
    """Reading an item keeps its batch decoded (the IP model reads rows back from the records):
    items added after the read, sealed or not, are read as they are, not from that copy."""
    packed: PackedList[tuple[int, str]] = PackedList()
    expected: list[tuple[int, str]] = []
    for n in range(4000):
        item = (n, f"record {n} " + "z" * (n % 50))
        packed.append(item)
        expected.append(item)
        at = n * 7919 % len(expected)
        assert packed[n] == item and packed[at] == expected[at]
        assert packed[-1] == item
    assert packed == expected


def test_cli_progress_bar_only_on_a_terminal(estate: Path, tmp_path: Path) -> None:
    args = ["scan", "--no-store", "--snapshots", str(estate), "-f", "json", "-o", str(tmp_path / "r.json"), "-j", "1"]
    piped = run_cli(*args)
    assert piped.returncode == 2, piped.stderr  # the unreadable host: exit 2 wins over failures
    assert "scanning" not in piped.stderr
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="120", TERM="xterm")
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 2
    assert b"scanning" in shown


@pytest.fixture(scope="module")
def dask_client():  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed", reason="Dask distributed is in the test extra")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_local_cluster_gives_the_same_findings(estate: Path, dask_client) -> None:  # type: ignore[no-untyped-def]
    assert len(dask_client.nthreads()) == 2
    clustered = _scan(estate, DaskRunner(dask_client, shard=6))
    single = _scan(estate)
    assert list(clustered.findings) == list(single.findings)
    assert list(clustered.hosts) == list(single.hosts)
    assert PLANTED in REDACTOR


def test_cli_cluster_stores_in_the_same_database(estate: Path, dask_client, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "runs.db"
    address = dask_client.scheduler.address
    common = ["--snapshots", str(estate), "--db", str(db), "-q", "-f", "json"]
    local = run_cli("scan", *common, "-o", str(tmp_path / "local.json"), "-j", "1")
    clustered = run_cli("scan", *common, "-o", str(tmp_path / "cluster.json"), "--cluster", address)
    assert local.returncode == clustered.returncode == 2, clustered.stderr
    first, second = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("local", "cluster"))
    assert first["findings"] == second["findings"]
    assert PLANTED not in (tmp_path / "cluster.json").read_text()
    runs = run_cli("runs", "--db", str(db))
    assert runs.returncode == 0
    assert first["run"]["id"] in runs.stdout and second["run"]["id"] in runs.stdout
    diff = run_cli("diff", "--db", str(db), "--json")
    assert diff.returncode == 0, diff.stdout + diff.stderr  # the same findings: no change between the two runs


def _network_check(
    check_id: str, func: Callable[[NetworkContext], Iterator[Result]], models: tuple[str, ...] | None = None
) -> CheckSpec:
    return CheckSpec(
        id=check_id,
        title=check_id,
        severity=Severity.LOW,
        rationale="",
        func=func,
        messages={"seen": "host number {number}"},
        scope="network",
        models=models,
    )


def _network_spec(check_id: str, count: int, crash: bool) -> CheckSpec:
    def every_host(ctx: NetworkContext) -> Iterator[Result]:
        for n in range(count):
            yield Result.fail("seen", number=n).on_host(f"host-{n:04d}")
        if crash:
            raise RuntimeError("the model broke half-way")

    return _network_check(check_id, every_host)


def test_a_network_checks_many_verdicts_are_packed_in_order_and_a_crash_keeps_none() -> None:
    """Verdicts of a network check become findings slice by slice; one that raises half-way is one error."""
    specs = [_network_spec("bench.many", 1000, crash=False), _network_spec("bench.broken", 700, crash=True)]
    findings = Scanner(ScanOptions(policy=Policy.default()), checks=specs).finish()
    many = [f for f in findings if f.check == "bench.many"]
    assert [f.message for f in many] == [f"host number {n}" for n in range(1000)]
    assert [f.host for f in many] == [f"host-{n:04d}" for n in range(1000)]
    broken = [f for f in findings if f.check == "bench.broken"]
    assert [(f.host, f.status) for f in broken] == [("(network)", Status.ERROR)]
    assert "the model broke half-way" in broken[0].message


def test_the_summary_counts_only_the_network_findings_kept() -> None:
    """The verdicts a crashed check gave before it raised are dropped: the run's counts leave them out too."""
    specs = [_network_spec("bench.many", 300, crash=False), _network_spec("bench.broken", 700, crash=True)]
    scanner = Scanner(ScanOptions(policy=Policy.default()), checks=specs)
    findings = scanner.finish()
    assert len(findings) == 301
    summary = scanner.tally.summary(scanner.check_infos(), Severity.LOW, [])
    assert summary == summarize(findings, scanner.check_infos(), Severity.LOW, [])
    assert (summary.findings, summary.hosts, summary.by_status["error"]) == (301, 301, 1)


def _model_spy(
    check_id: str, models: tuple[str, ...] | None, seen: dict[str, bool], read: str | None = None
) -> CheckSpec:
    def spy(ctx: NetworkContext) -> Iterator[Result]:
        seen[check_id] = ctx.models.built("ipam")
        if read is not None:
            ctx.models[read]
        return iter(())

    return _network_check(check_id, spy, models)


def test_a_network_model_goes_after_the_last_check_that_declares_it() -> None:
    """The IP model is released once no later check may read it; a check that does not say what
    it reads keeps every model; a check reading a model it did not declare is an error."""
    [duplicate] = [spec for spec in load_checks() if spec.id == "ipam.duplicate_address"]
    assert duplicate.models == ("ipam",)
    seen: dict[str, bool] = {}
    checks_after = [duplicate, _model_spy("z.declares", (), seen), _model_spy("z.says_nothing", None, seen)]
    Scanner(ScanOptions(policy=Policy.default()), checks=checks_after).finish()
    assert seen == {"z.declares": True, "z.says_nothing": True}, "a later undeclared reader keeps the model"
    seen.clear()
    released = Scanner(ScanOptions(policy=Policy.default()), checks=checks_after[:2])
    assert "ipam" in released.collectors, "the address table is gathered as hosts are accepted"
    released.finish()
    assert seen == {"z.declares": False}, "no later reader: the model went after ipam.duplicate_address"
    assert released.collectors == {}, "and the table it gathered went with it"
    assert Scanner(ScanOptions(policy=Policy.default()), checks=checks_after[1:2]).collectors == {}, "no reader"
    seen.clear()
    Scanner(ScanOptions(policy=Policy.default()), checks=checks_after[:2], keep_models=True).finish()
    assert seen == {"z.declares": True}
    sneaky = Scanner(ScanOptions(policy=Policy.default()), checks=[_model_spy("z.sneaky", (), seen, read="ipam")])
    [error] = sneaky.finish()
    assert error.status is Status.ERROR and "without declaring it" in error.message


def test_every_shipped_network_check_declares_the_models_it_reads() -> None:
    from scanner.network import model_builders

    network = [spec for spec in load_checks() if spec.scope == "network"]
    assert network
    for spec in network:
        assert spec.models is not None and set(spec.models) <= set(model_builders()), spec.id


def test_a_records_interfaces_are_decoded_when_first_read_and_only_by_the_models_that_read_them(
    estate: Path,
) -> None:
    """A scan keeps its host records packed; each network model decodes every record, but only the IP
    and ACL models read the interfaces (most of a record's decoding): a record comes back with its
    interfaces still pickled, equal to the original once read, and the topology graph and the ACL
    model's first pass leave them so."""
    import pickle
    from dataclasses import replace

    from scanner.network.acl.model import build_from_records
    from scanner.network.acl.zones import Zones
    from scanner.network.topology.graph import build_topology

    scanner = Scanner(ScanOptions(policy=Policy.default()), checks=[])
    originals = []
    for item in offline_inputs(estate, None):
        outcome = scanner.outcome(item)
        scanner.accept(outcome)
        if outcome.record is not None:
            originals.append(outcome.record)
    addressed = [r for r in originals if r.interfaces]
    assert len(addressed) > HOSTS // 2

    def undecoded(records: list) -> list[bool]:  # type: ignore[type-arg]
        return ["interfaces" not in vars(r) for r in records]

    records = list(scanner.records)
    assert all(undecoded(records))
    build_topology(records, scanner.hosts)
    build_from_records(records, Zones())
    assert all(undecoded(records))

    def comparable(record: HostRecord) -> HostRecord:  # a platform object unpickles as another, equal in name
        return replace(record, platform_info=None)

    assert [comparable(r) for r in records] == [comparable(r) for r in originals]  # reads the interfaces
    assert not any(undecoded(records))
    assert [r.interfaces for r in records] == [r.interfaces for r in originals]
    assert [r.platform_info.name for r in records if r.platform_info] == [
        r.platform_info.name for r in originals if r.platform_info
    ]
    again = pickle.loads(pickle.dumps(next(iter(scanner.records))))
    twice = pickle.loads(pickle.dumps(again))  # pickled again before its interfaces were read
    assert comparable(twice) == comparable(originals[0]) and twice.interfaces == originals[0].interfaces
