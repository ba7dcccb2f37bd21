"""Live collection over real SSH: the collectors against simulated devices on loopback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from checks import load_checks
from scanner.collect import CollectOptions, Reason, collect
from scanner.collect.cli import save_run
from scanner.lab import parse_fault
from scanner.snapshot import discover, rejection, slugify
from tests.conftest import LAB, run_cli
from tests.labhelpers import cisco_outputs, make_network, platform_commands, running_lab, snapshot_files, write_host

FAST = {"connect_timeout": 2.0, "command_timeout": 2.0}


def _everyone(_host: object) -> bool:
    return True


@pytest.fixture(scope="module")
def bundled_lab(tmp_path_factory: pytest.TempPathFactory):
    """The bundled lab network served over SSH for the whole module."""
    out = tmp_path_factory.mktemp("bundled-lab")
    with running_lab(LAB / "snapshots", out / "inventory", inventory=LAB) as lab:
        yield lab, out / "inventory"


def _findings(report: Path) -> list[dict]:
    data = json.loads(report.read_text())
    return [
        {**f, "evidence": [{k: v for k, v in e.items() if k != "path"} for e in f["evidence"]]}
        for f in data["findings"]
    ]


def test_collect_of_the_bundled_lab_equals_its_saved_snapshots_byte_for_byte(bundled_lab, tmp_path: Path) -> None:
    _lab, inventory = bundled_lab
    out = tmp_path / "collected"
    result = run_cli("collect", "--inventory", str(inventory), "--out", str(out))
    assert result.returncode == 0, result.stderr
    sources = discover(LAB / "snapshots")
    assert f"collected {len(sources)} of {len(sources)} host(s)" in result.stderr
    for source in sources:
        saved = snapshot_files(source.path)
        collected = snapshot_files(out / source.host)
        assert {name: collected.get(name) for name in saved} == saved, source.host
        meta = yaml.safe_load((out / source.host / "meta.yaml").read_text())
        assert meta["collected_at"] and meta["source"].startswith("ssh 127.0.0.1:")
        # A command of the platform that the saved device lacks is refused by the simulated one:
        # kept as the device printed it, and recorded as refused.
        refused = {f"{slugify(c)}.txt": c for c in (meta.get("errors") or {})}
        assert set(collected) - set(saved) == set(refused), source.host
        for name, command in refused.items():
            assert meta["errors"][command].startswith("rejected by the device: ")
            assert rejection(collected[name].decode()), name
    assert not list(out.rglob("*.tmp")), "no temporary file may be left behind"


def test_live_scan_gives_the_findings_of_the_offline_scan_and_its_saved_copy_replays_identically(
    bundled_lab, tmp_path: Path
) -> None:
    _lab, inventory = bundled_lab
    saved = tmp_path / "saved"
    live = run_cli(
        "scan", "--inventory", str(inventory), "--format", "json", "--output", str(tmp_path / "live.json"),
        "--save-snapshots", str(saved),
    )  # fmt: skip
    offline = run_cli("scan", "--inventory", str(LAB), "--format", "json", "--output", str(tmp_path / "offline.json"))
    replay = run_cli(
        "scan", "--inventory", str(inventory), "--snapshots", str(saved), "--format", "json",
        "--output", str(tmp_path / "replay.json"),
    )  # fmt: skip
    assert live.returncode == offline.returncode == replay.returncode, (live.stderr, offline.stderr)
    live_findings = _findings(tmp_path / "live.json")
    assert live_findings and live_findings == _findings(tmp_path / "offline.json")
    # The replay of the saved collection matches the live scan exactly, evidence paths included.
    live_raw = json.loads((tmp_path / "live.json").read_text())
    replay_raw = json.loads((tmp_path / "replay.json").read_text())
    assert live_raw["findings"] == replay_raw["findings"]
    assert live_raw["run"]["inputs"]["mode"] == "live"
    assert any(e.get("path", "").startswith(str(saved)) for f in live_raw["findings"] for e in f["evidence"])


def test_faulty_hosts_fail_with_their_reason_while_every_healthy_host_is_collected(tmp_path: Path) -> None:
    healthy = [f"ok{i}" for i in range(4)]
    faulty = {
        "refuse1": ("refuse", Reason.UNREACHABLE),
        "silent1": ("silent", Reason.TIMEOUT),
        "badpw1": ("bad-password", Reason.AUTHENTICATION),
        "hang1": ("hang", Reason.TIMEOUT),
        "stall1": ("stall", Reason.TIMEOUT),
        "cut1": ("cut", Reason.COMMAND),
    }
    snapshots = make_network(tmp_path / "snapshots", [*healthy, *faulty, "slow1"])
    faults = {name: parse_fault(spec) for name, (spec, _) in faulty.items()}
    faults["slow1"] = parse_fault("slow:64:0.001")
    with running_lab(snapshots, tmp_path / "inventory", faults=faults):
        started = time.monotonic()
        run = collect(tmp_path / "inventory", _everyone, CollectOptions(workers=20, **FAST))
        elapsed = time.monotonic() - started
    # Everyone runs at once: the slowest fault costs its own timeouts, not the sum of all of them.
    assert elapsed < FAST["connect_timeout"] + FAST["command_timeout"] + 3, elapsed
    for name in [*healthy, "slow1"]:
        outcome = run.results[name]
        assert outcome.error is None, f"{name}: {outcome.error}"
        assert outcome.snapshot is not None and outcome.snapshot.outputs == cisco_outputs(name)
    for name, (_spec, reason) in faulty.items():
        outcome = run.results[name]
        assert outcome.snapshot is None, name
        assert outcome.error is not None and outcome.error.reason is reason, f"{name}: {outcome.error}"
        assert outcome.seconds < FAST["connect_timeout"] + FAST["command_timeout"] + 1.5, (name, outcome.seconds)
    assert "partial output discarded" in str(run.results["stall1"].error)
    assert "closed the session" in str(run.results["cut1"].error)


def test_scan_turns_each_failed_host_into_error_findings_with_the_reason_and_exits_2(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["good1", "down1", "locked1"])
    faults = {"down1": parse_fault("refuse"), "locked1": parse_fault("bad-password")}
    with running_lab(snapshots, tmp_path / "inventory", faults=faults):
        result = run_cli(
            "scan", "--inventory", str(tmp_path / "inventory"), "--format", "json",
            "--output", str(tmp_path / "report.json"), "--connect-timeout", "3",
        )  # fmt: skip
    assert result.returncode == 2, result.stderr
    findings = json.loads((tmp_path / "report.json").read_text())["findings"]
    by_host: dict[str, list[dict]] = {}
    for finding in findings:
        by_host.setdefault(finding["host"], []).append(finding)
    assert all(f["status"] != "error" for f in by_host["good1"])
    host_checks = {spec.id for spec in load_checks() if spec.scope == "host" and spec.kind == "network"}
    server_checks = {spec.id for spec in load_checks() if spec.scope == "host" and spec.kind == "host"}
    for host, reason in (("down1", "unreachable"), ("locked1", "authentication failed")):
        judged = [f for f in by_host[host] if f["check"] in host_checks]
        assert {f["check"] for f in judged} == host_checks
        assert all(f["status"] == "error" and reason in f["message"] for f in judged), judged[0]["message"]
        others = [f for f in by_host[host] if f["check"] in server_checks]
        assert {f["check"] for f in others} == server_checks
        assert all(f["status"] == "not_applicable" for f in others)  # server checks on a network device


def test_output_sent_in_small_chunks_with_pauses_is_collected_complete(tmp_path: Path) -> None:
    """Bytes trickle in (a multi-byte character split across chunks, prompt text mid-line): nothing is cut."""
    outputs = cisco_outputs("trickle1", padding=60)
    assert len(outputs["show running-config"].encode()) > 5000
    snapshots = tmp_path / "snapshots"
    write_host(snapshots, "trickle1", outputs, lab_fault="slow:7:0.0005")
    with running_lab(snapshots, tmp_path / "inventory"):
        run = collect(
            tmp_path / "inventory", _everyone, CollectOptions(workers=1, connect_timeout=10, command_timeout=30)
        )
    outcome = run.results["trickle1"]
    assert outcome.error is None, outcome.error
    assert outcome.snapshot is not None
    assert outcome.snapshot.outputs == outputs
    save_run(run, tmp_path / "saved")
    assert snapshot_files(tmp_path / "saved" / "trickle1") == snapshot_files(snapshots / "trickle1")


def test_a_command_the_device_refuses_is_recorded_not_fatal(tmp_path: Path) -> None:
    outputs = cisco_outputs("old1")
    del outputs["show lldp neighbors detail"]  # an old IOS without LLDP
    snapshots = tmp_path / "snapshots"
    write_host(snapshots, "old1", outputs)
    with running_lab(snapshots, tmp_path / "inventory"):
        run = collect(tmp_path / "inventory", _everyone, CollectOptions(**FAST))
    outcome = run.results["old1"]
    assert outcome.error is None and outcome.snapshot is not None
    refused = outcome.snapshot.output("show lldp neighbors detail")
    assert refused is not None and "% Invalid input detected" in refused
    assert outcome.snapshot.meta["errors"] == {
        "show lldp neighbors detail": "rejected by the device: % Invalid input detected at '^' marker."
    }
    for command, text in outputs.items():
        assert outcome.snapshot.output(command) == text


def test_a_failed_host_keeps_its_earlier_snapshot_and_filters_limit_the_collection(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["a1", "b1", "c1"])
    out = tmp_path / "out"
    earlier = write_host(out, "b1", {"show version": "the earlier, good collection\n"})
    with running_lab(snapshots, tmp_path / "inventory", faults={"b1": parse_fault("hang")}):
        result = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(out), "--hosts", "a1,b1",
            "--connect-timeout", "1.5",
        )  # fmt: skip
    assert result.returncode == 2
    assert "b1: timeout:" in result.stderr and "collected 1 of 2 host(s)" in result.stderr
    assert (earlier / "show_version.txt").read_text() == "the earlier, good collection\n"
    assert snapshot_files(out / "a1") == snapshot_files(snapshots / "a1")
    assert not (out / "c1").exists()


def test_no_nornir_log_unless_asked_and_per_host_timing_with_v(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["n1"])
    with running_lab(snapshots, tmp_path / "inventory"):
        quiet = run_cli("collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o1"), cwd=tmp_path)
        verbose = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o2"), "-v",
            "--nornir-log", str(tmp_path / "logs" / "nornir.log"), cwd=tmp_path,
        )  # fmt: skip
    assert quiet.returncode == verbose.returncode == 0, quiet.stderr + verbose.stderr
    assert not (tmp_path / "nornir.log").exists()
    assert "n1: collected" not in quiet.stderr
    commands = len(platform_commands("cisco_ios"))
    assert f"n1: collected {commands} command(s) in" in verbose.stderr and "login" in verbose.stderr
    assert (tmp_path / "logs" / "nornir.log").exists()


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import ROOT

    snapshots = make_network(tmp_path / "snapshots", ["t1", "t2"])
    with running_lab(snapshots, tmp_path / "inventory"):
        master, slave = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "scanner", "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o")],
            cwd=ROOT,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(os.environ, TERM="xterm", COLUMNS="120"),
        )
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=30) == 0
        os.close(master)
    text = output.decode(errors="replace")
    assert "collecting" in text and "2/2" in text
    assert "collected 2 of 2 host(s)" in text


def test_live_options_that_contradict_an_offline_scan_are_refused(tmp_path: Path) -> None:
    save = run_cli("scan", "--inventory", str(LAB), "--save-snapshots", str(tmp_path / "s"))
    assert save.returncode == 2 and "--save-snapshots saves a live collection" in save.stderr
    both = run_cli("scan", "--live", "--snapshots", str(LAB / "snapshots"))
    assert both.returncode == 2 and "give --snapshots or --live, not both" in both.stderr
    assert not (tmp_path / "s").exists()
