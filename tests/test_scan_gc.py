"""A scan runs the cyclic garbage collector less often (engine.fewer_collections), and leaves it as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from scanner.engine import SCAN_GC_THRESHOLD, ScanOptions, run_scan
from scanner.model import Finding, HostInfo
from scanner.policy import Policy
from scanner.snapshot import HostInput
from tests.conftest import FIXTURES
from tests.scanhelpers import load_snapshot

PASS_IOS = FIXTURES / "platforms" / "cisco_ios" / "pass"


@pytest.fixture
def threshold() -> Iterator[None]:
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def _thresholds_seen_while_scanning() -> list[tuple[int, ...]]:
    seen: list[tuple[int, ...]] = []

    def note(host: HostInfo, findings: list[Finding]) -> None:
        seen.append(gc.get_threshold())

    host = HostInput(HostInfo(name="sw1"), load_snapshot(PASS_IOS))
    result = run_scan([host], ScanOptions(policy=Policy.default()), on_findings=note)
    assert result.summary.findings > 0
    return seen


@pytest.mark.usefixtures("threshold")
def test_a_scan_raises_the_threshold_and_restores_it() -> None:
    gc.set_threshold(700, 11, 12)
    assert _thresholds_seen_while_scanning() == [(SCAN_GC_THRESHOLD, 11, 12)]
    assert gc.get_threshold() == (700, 11, 12)


@pytest.mark.usefixtures("threshold")
def test_a_collector_switched_off_stays_off_and_a_higher_threshold_stays() -> None:
    gc.set_threshold(0)
    assert [t[0] for t in _thresholds_seen_while_scanning()] == [0]
    assert gc.get_threshold()[0] == 0
    gc.set_threshold(SCAN_GC_THRESHOLD * 3)
    assert [t[0] for t in _thresholds_seen_while_scanning()] == [SCAN_GC_THRESHOLD * 3]


@pytest.mark.usefixtures("threshold")
def test_blocks_overlapping_in_two_threads_restore_the_threshold_whatever_order_they_leave() -> None:
    """A client's scan and a Dask worker's shard in one process: the first in raises, the last out restores."""
    import threading

    from scanner.engine import fewer_collections

    gc.set_threshold(700, 11, 12)
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[tuple[int, ...]] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.get_threshold())  # the first has left; the second is still scanning

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [(SCAN_GC_THRESHOLD, 11, 12)]
    assert gc.get_threshold() == (700, 11, 12)
