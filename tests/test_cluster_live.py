"""A live scan on a Dask cluster: the workers collect over SSH, parse and check; the client only writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scanner.lab import parse_fault
from scanner.snapshot import discover
from tests.conftest import LAB, run_cli
from tests.labhelpers import running_lab, snapshot_files

distributed = pytest.importorskip("distributed", reason="Dask distributed is in the test extra")

FAULTY = "plant-sw1"


def _collector_loaded() -> bool:
    return "scanner.collect.ssh" in sys.modules


def _findings(report: Path) -> list[dict]:
    data = json.loads(report.read_text())
    return [
        {**f, "evidence": [{k: v for k, v in e.items() if k != "path"} for e in f["evidence"]]}
        for f in data["findings"]
    ]


@pytest.fixture(scope="module")
def cluster_address():  # type: ignore[no-untyped-def]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_live_scan_on_the_cluster_collects_on_the_workers_with_the_findings_of_a_local_live_scan(
    cluster_address, tmp_path: Path
) -> None:
    client = cluster_address
    assert len(client.nthreads()) == 2
    assert not any(client.run(_collector_loaded).values())
    faults = {FAULTY: parse_fault("refuse")}
    with running_lab(LAB / "snapshots", tmp_path / "inventory", inventory=LAB, faults=faults) as lab:
        common = ["scan", "--inventory", str(tmp_path / "inventory"), "--no-store", "-f", "json", "--live"]
        local = run_cli(
            *common, "-o", str(tmp_path / "local.json"), "-j", "1", "--save-snapshots", str(tmp_path / "s1"),
        )  # fmt: skip
        clustered = run_cli(
            *common, "-o", str(tmp_path / "cluster.json"), "--cluster", client.scheduler.address,
            "--save-snapshots", str(tmp_path / "s2"),
        )  # fmt: skip
        password = lab.password
    # The faulty host is an error finding in both: exit 2, the same verdicts for every host.
    assert local.returncode == clustered.returncode == 2, clustered.stderr
    assert "on the cluster's workers" in clustered.stderr
    cluster_findings = _findings(tmp_path / "cluster.json")
    assert cluster_findings == _findings(tmp_path / "local.json")
    refused = [f for f in cluster_findings if f["host"] == FAULTY and f["status"] == "error"]
    assert refused and all("refused the connection" in f["message"] for f in refused)
    assert any(client.run(_collector_loaded).values())  # the workers logged in, not the client
    # The workers saved what they collected, as a local live scan does; evidence points at it.
    saved = {s.host for s in discover(tmp_path / "s2")}
    assert saved == {s.host for s in discover(LAB / "snapshots")} - {FAULTY}
    for host in saved:
        assert snapshot_files(tmp_path / "s2" / host) == snapshot_files(tmp_path / "s1" / host), host
    raw = json.loads((tmp_path / "cluster.json").read_text())
    assert raw["run"]["inputs"]["mode"] == "live"
    assert any(e.get("path", "").startswith(str(tmp_path / "s2")) for f in raw["findings"] for e in f["evidence"])
    for text in (clustered.stdout, clustered.stderr, (tmp_path / "cluster.json").read_text()):
        assert password not in text
