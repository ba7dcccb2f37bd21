"""The simulated devices themselves: what an SSH client sees, and `netcomply lab serve`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import paramiko
import pytest
import yaml

from scanner.lab import LAB_PASSWORD, LAB_USERNAME, Lab, LabDevice, LabError, load_devices, parse_fault
from scanner.lab.faults import FaultError, FaultKind
from scanner.model import HostInfo
from scanner.platforms import get_platform
from scanner.platforms.base import CommandSet, Platform
from scanner.snapshot import Snapshot
from tests.conftest import LAB, ROOT, run_cli
from tests.labhelpers import make_network, running_lab


class VrpLike(Platform):
    """A platform with Huawei's CLI conventions, for the lab only (never registered)."""

    name = "vrp_like"
    display_name = "VRP-like"
    vendor = "test"
    ntc_platform = "huawei_vrp"
    commands = CommandSet(version="display version", config="display current-configuration")
    session_setup = ("screen-length 0 temporary",)
    cli_prompt = "<{hostname}>"
    cli_rejection = "Error: Unrecognized command found at '^' position."


class Shell:
    """A raw interactive SSH session, as a person at a terminal would have."""

    def __init__(self, port: int, password: str = LAB_PASSWORD) -> None:
        self.client = paramiko.SSHClient()
        self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(
            "127.0.0.1", port, LAB_USERNAME, password, look_for_keys=False, allow_agent=False, timeout=5
        )
        self.channel = self.client.invoke_shell()
        self.channel.settimeout(5)

    def read_until(self, marker: str) -> str:
        data = b""
        deadline = time.monotonic() + 5
        while not data.decode(errors="replace").endswith(marker):
            assert time.monotonic() < deadline, f"no {marker!r} in {data!r}"
            data += self.channel.recv(4096)
        return data.decode()

    def send(self, line: str, prompt: str) -> str:
        self.channel.sendall(f"{line}\n".encode())
        return self.read_until(prompt)

    def close(self) -> None:
        self.client.close()


def _device(name: str, platform: Platform, outputs: dict[str, str]) -> LabDevice:
    return LabDevice(name=name, platform=platform, snapshot=Snapshot(host=name, outputs=outputs), host=HostInfo(name))


def test_a_device_shows_its_prompt_echoes_accepts_paging_and_refuses_unknown_commands(tmp_path: Path) -> None:
    vrp = _device("acc9", VrpLike(), {"display version": "VRP (R) software, Version 8.180\n"})
    eos = _device("leaf9", get_platform("arista_eos"), {"show version": "Arista DCS-7050SX3\n"})
    with Lab([vrp, eos], tmp_path / "state") as lab:
        shell = Shell(lab.ports["acc9"])
        assert shell.read_until("<acc9>").endswith("\r\n<acc9>")
        assert shell.send("screen-length 0 temporary", "<acc9>").startswith("screen-length 0 temporary\r\nInfo:")
        assert shell.send("display version", "<acc9>") == "display version\r\nVRP (R) software, Version 8.180\r\n<acc9>"
        refused = shell.send("display foo", "<acc9>")
        assert refused == "display foo\r\n      ^\r\nError: Unrecognized command found at '^' position.\r\n\r\n<acc9>"
        shell.channel.sendall(b"quit\n")
        time.sleep(0.2)
        assert shell.channel.recv(100) == b"quit\r\n" and shell.channel.recv(100) == b""
        shell.close()

        shell = Shell(lab.ports["leaf9"])
        shell.read_until("leaf9#")
        assert "Width set to 511 columns." in shell.send("terminal width 511", "leaf9#")
        assert "Pagination disabled." in shell.send("terminal length 0", "leaf9#")
        assert "% Invalid input" in shell.send("show running", "leaf9#")
        shell.close()


def test_bad_password_fault_and_wrong_password_are_refused(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["p1", "p2"], p2={"lab_fault": "bad-password"})
    with running_lab(snapshots, tmp_path / "inventory") as lab:
        with pytest.raises(paramiko.AuthenticationException):
            Shell(lab.ports["p1"], password="wrong")
        with pytest.raises(paramiko.AuthenticationException):
            Shell(lab.ports["p2"])
        Shell(lab.ports["p1"]).close()
        assert lab.logins == {"p1": 2, "p2": 1}


def test_faults_parse_and_come_from_meta_or_flags(tmp_path: Path) -> None:
    assert parse_fault("slow:16:0.01") == parse_fault(" slow:16:0.01 ")
    slow = parse_fault("slow:16:0.01")
    assert (slow.kind, slow.chunk, slow.delay) == (FaultKind.SLOW, 16, 0.01)
    assert parse_fault("reject-password").kind is FaultKind.BAD_PASSWORD
    for bad in ("explode", "hang:3", "slow:0", "slow:x", "slow:1:2:3"):
        with pytest.raises(FaultError):
            parse_fault(bad)
    snapshots = make_network(tmp_path / "snapshots", ["m1", "m2"], m1={"lab_fault": "cut"})
    devices = {d.name: d for d in load_devices(snapshots, faults={"m2": parse_fault("stall")})}
    assert devices["m1"].fault == parse_fault("cut") and devices["m2"].fault == parse_fault("stall")
    with pytest.raises(LabError, match=r"not in the lab: nope"):
        load_devices(snapshots, faults={"nope": parse_fault("hang")})
    (snapshots / "m1" / "meta.yaml").write_text("platform: cisco_ios\nlab_fault: melt\n")
    with pytest.raises(LabError, match=r"m1: meta\.yaml lab_fault: unknown lab fault"):
        load_devices(snapshots)


def test_lab_inventory_keeps_groups_and_roles_but_not_how_to_reach_the_real_devices(tmp_path: Path) -> None:
    with running_lab(LAB / "snapshots", tmp_path / "inv", inventory=LAB) as lab:
        hosts = yaml.safe_load((tmp_path / "inv" / "hosts.yaml").read_text())
        groups = yaml.safe_load((tmp_path / "inv" / "groups.yaml").read_text())
        defaults = yaml.safe_load((tmp_path / "inv" / "defaults.yaml").read_text())
        source = yaml.safe_load((LAB / "hosts.yaml").read_text())
        assert set(hosts) == set(source) == set(lab.ports)
        for name, entry in hosts.items():
            assert entry["connection_options"] == {"netmiko": {"hostname": "127.0.0.1", "port": lab.ports[name]}}
            assert entry["hostname"] == source[name]["hostname"], "topology needs the real management address"
            assert entry["data"] == source[name]["data"] and entry["groups"] == source[name]["groups"]
        assert set(groups) == set(yaml.safe_load((LAB / "groups.yaml").read_text()))
        assert defaults["username"] == LAB_USERNAME and defaults["password"] == LAB_PASSWORD
        assert "password_env" not in (tmp_path / "inv" / "defaults.yaml").read_text()
        known = (tmp_path / "inv" / "known_hosts").read_text().splitlines()
        assert len(known) == len(hosts)


def _serve(*args: str, pythonpath: Path | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ, NO_COLOR="1")
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(pythonpath), env.get("PYTHONPATH", "")) if p)
    return subprocess.Popen(
        [sys.executable, "-m", "scanner", "lab", "serve", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_lab_serve_announces_when_listening_and_stops_on_interrupt(tmp_path: Path) -> None:
    process = _serve(
        "--inventory", str(LAB), "--inventory-out", str(tmp_path / "inv"), "--fault", "hq-acc1=hang", "--no-snmp"
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        hosts_count = len(yaml.safe_load((LAB / "hosts.yaml").read_text()))
        expected = f"netcomply lab: {hosts_count} device(s) listening on 127.0.0.1 ports "
        assert line.startswith(expected), process.stderr.read()  # type: ignore[union-attr]
        assert "(1 with faults)" in line
        hosts = yaml.safe_load((tmp_path / "inv" / "hosts.yaml").read_text())
        for entry in hosts.values():
            target = entry["connection_options"]["netmiko"]
            with socket.create_connection((target["hostname"], target["port"]), timeout=5) as conn:
                assert conn.recv(64).startswith(b"SSH-2.0-")
        first_keys = sorted((tmp_path / "inv" / ".lab-state" / "hostkeys").iterdir())
        assert len(first_keys) == hosts_count
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def test_lab_serve_says_snmp_simulation_is_off_when_snmpsim_is_missing(tmp_path: Path) -> None:
    """Without snmpsim the lab still serves SSH, and says why no SNMP agent answers (not silently)."""
    hidden = tmp_path / "no-snmpsim" / "snmpsim"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('snmpsim hidden by the test')\n")
    process = _serve("--inventory", str(LAB), "--inventory-out", str(tmp_path / "inv"), pythonpath=hidden.parent)
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert "device(s) listening" in line, process.stderr.read()  # type: ignore[union-attr]
        assert "SNMP simulation off: snmpsim is not installed (pip install 'netcomply[lab]')" in line, line
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    off = _serve("--inventory", str(LAB), "--inventory-out", str(tmp_path / "inv2"), "--no-snmp")
    try:
        line = off.stdout.readline()  # type: ignore[union-attr]
        assert "SNMP simulation off (--no-snmp)" in line, line
    finally:
        off.send_signal(signal.SIGINT)
        assert off.wait(timeout=10) == 0


def test_lab_serve_explains_a_busy_port_and_a_bad_fault(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _serve("-i", str(LAB), "-o", str(tmp_path / "inv"), "--base-port", str(port))
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err
    bad = _serve("-i", str(LAB), "-o", str(tmp_path / "inv"), "--fault", "hq-acc1=melt")
    _out, err = bad.communicate(timeout=30)
    assert bad.returncode == 2 and "unknown lab fault 'melt'" in err


def test_lab_serve_with_snmp_lets_a_live_scan_probe_every_agent(tmp_path: Path) -> None:
    """The whole live path against the bundled lab: SSH collection and the SNMP probe, over real sockets."""
    from scanner.snmp.lab import snmpsim_available

    if not snmpsim_available():
        pytest.skip("snmpsim is not installed (pip install -e '.[test]')")
    process = _serve("--inventory-out", str(tmp_path / "inv"), "--snmp")
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert "SNMP agents on UDP" in line, process.stderr.read()  # type: ignore[union-attr]
        hosts = yaml.safe_load((tmp_path / "inv" / "hosts.yaml").read_text())
        assert hosts["hq-core1"]["data"]["role"] == "core", "the bundled lab's inventory data is copied"
        assert hosts["hq-acc1"]["data"]["snmp"]["address"] == "127.0.0.1"
        policy = tmp_path / "policy.yaml"
        policy.write_text("snmp:\n  timeout: 0.5\n  rate_per_host: 100.0\n  concurrency: 20\n")
        out = tmp_path / "live.json"
        scan = run_cli(
            "scan",
            "-i",
            str(tmp_path / "inv"),
            "--snmp",
            "-p",
            str(policy),
            "--no-store",
            "-f",
            "json",
            "-o",
            str(out),
            env={"NETCOMPLY_PASSWORD": ""},
            timeout=300,
        )
        assert scan.returncode == 1, scan.stderr
        found = {(f["host"], f["check"]): f for f in json.loads(out.read_text())["findings"]}
        for host in ("hq-acc1", "hq-dist1", "hq-edge1"):
            assert found[(host, "snmp.live_weak_community")]["status"] == "fail", found[
                (host, "snmp.live_weak_community")
            ]
        assert found[("hq-core1", "snmp.live_weak_community")]["status"] == "pass"
        assert found[("hq-acc1", "services.telnet")]["status"] == "fail", "the configuration came over SSH"
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
