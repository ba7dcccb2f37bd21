"""Bad input gets one clear line and exit status 2, nothing written where it must not be (issue 13, section 3).

Every case goes through the real command line (``python -m scanner``), as a user or a
cron job would meet it: the message must be one line naming the file, the line and
the key, with no traceback.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from scanner.model import Status
from scanner.names import UnsafeName
from scanner.policy import Policy, PolicyError
from scanner.snapshot import Snapshot, write_snapshot
from tests.conftest import LAB, ROOT, run_cli
from tests.scanhelpers import scan_folder


def _one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("netcomply: error: ")
    return lines[0]


# ---- policy files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thresholds:\n  snmp_community_min_length: 12\n  password_min_length_admin: [\n", "not valid YAML"),
        ('thresholds:\n  snmp_community_min_length: "9"\n', "line 2: thresholds.snmp_community_min_length: must be"),
        ("weak_words: public\n", "line 1: weak_words: must be a list, found text"),
        ("weak_words:\n  - public\n  - [nested, list]\n", "line 3: weak_words[1]: must be text"),
        ("thresholds:\n  snmp_comunity_min_length: 12\n", "did you mean 'snmp_community_min_length'?"),
        (
            "checks:\n  disable:\n    - services.telnet\n    - servces.ftp\n",
            "line 4: checks.disable[1]: no check 'servces.ftp' (did you mean 'services.ftp'?)",
        ),
        ("checks:\n  severity:\n    snmp.comunity_write: high\n", "did you mean 'snmp.community_write'?"),
        ("checks:\n  enable: ['service.*']\n", "the pattern 'service.*' matches no check"),
        (
            "waivers:\n  - host: plant-rtr1\n    check: power.redundnat\n    reason: PSU ordered\n"
            "    expires: 2099-01-31\n",
            "line 3: waivers[0].check: no check 'power.redundnat' (did you mean 'power.redundant'?)",
        ),
        (
            "waivers:\n  - host: plant-rtr1\n    check: power.redundant\n    reason: PSU ordered\n"
            "    expire: 2099-01-31\n",
            "missing expires",
        ),
    ],
)
def test_a_bad_policy_is_one_line_with_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    policy = tmp_path / "site-policy.yaml"
    policy.write_text(text)
    line = _one_error_line(run_cli("policy", "--check", str(policy)))
    assert str(policy) in line and expected in line
    scan = _one_error_line(run_cli("scan", "--no-store", "-p", str(policy)))
    assert expected in scan


def test_scan_checks_option_refuses_an_unknown_id_with_a_suggestion() -> None:
    line = _one_error_line(run_cli("scan", "--no-store", "--checks", "services.telnet,snmp.comunity_strength"))
    assert "--checks: no check 'snmp.comunity_strength' (did you mean 'snmp.community_strength'?)" in line


def _alias_bomb(levels: int = 9) -> str:
    """The 'billion laughs' shape in weak_words: nine aliases of nine aliases of..."""
    lines = ["weak_words:", '  - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"  - &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_with_little_memory() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(PolicyError, match="alias bomb"):
            Policy.from_text(_alias_bomb(), "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"refusing the bomb took {peak / 1e6:.0f} MB"


def test_an_alias_bomb_policy_on_the_command_line_exits_2_under_a_memory_cap(tmp_path: Path) -> None:
    """With the address space capped at 1.5 GB, expanding the bomb (GBs) would die with MemoryError."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(_alias_bomb())

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    proc = subprocess.run(
        [sys.executable, "-m", "scanner", "policy", "--check", str(bomb)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=cap,
        env=dict(os.environ, NO_COLOR="1"),
    )
    line = _one_error_line(proc)
    assert "alias bomb" in line and str(bomb) in line


# ---- inventories --------------------------------------------------------------------------


def _inventory(tmp_path: Path, hosts: str, groups: str = "ios:\n  platform: cisco_ios\n") -> Path:
    folder = tmp_path / "inv"
    folder.mkdir()
    (folder / "hosts.yaml").write_text(hosts)
    (folder / "groups.yaml").write_text(groups)
    return folder


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        (
            'core1:\n  hostname: 10.0.0.1\n  groups: [ios]\n  data:\n    role: core\n    critical: "false"\n',
            "hosts.yaml, line 6: core1.data.critical: must be true or false, found the text 'false'",
        ),
        ("core1:\n  hostname: 10.0.0.1\n  groups: ios\n", "line 3: core1.groups: must be a list of group names"),
        ("core1:\n  hostname: 10.0.0.1\n  groups: [iso]\n", "no group 'iso' in groups.yaml (did you mean 'ios'?)"),
        ("core1:\n  hostname: 10.0.0.1\n  platfrom: cisco_ios\n", "core1.platfrom: unknown key (did you mean"),
        ("core1:\n  hostname: 10.0.0.1\n  port: ssh\n", "core1.port: must be a whole number"),
        ("core1:\n  hostname: [10.0.0.1\n", "not valid YAML"),
        # A Windows host's collection settings: a typo would silently mean the SSH default.
        (
            "w1:\n  hostname: 10.0.0.9\n  platform: windows\n  data:\n    windows:\n      transprot: winrm\n",
            "hosts.yaml, line 6: w1.data.windows.transprot: unknown key (did you mean 'transport'?)",
        ),
        (
            "w1:\n  hostname: 10.0.0.9\n  platform: windows\n  data:\n    windows: {transport: winmr}\n",
            "w1.data.windows.transport: 'winmr' is not one of ssh, winrm (did you mean 'winrm'?)",
        ),
        (
            "w1:\n  hostname: 10.0.0.9\n  data:\n    windows:\n      transport: winrm\n      auth: basic\n",
            "line 6: w1.data.windows.auth: 'basic' is not one of ntlm, kerberos",
        ),
        ("w1:\n  hostname: 10.0.0.9\n  data:\n    windows: {port: 70000}\n", "70000 is not a TCP port"),
        ("w1:\n  hostname: 10.0.0.9\n  data:\n    windows: {verify: 'no'}\n", "verify: must be true or false"),
        ("w1:\n  hostname: 10.0.0.9\n  data:\n    windows: winrm\n", "w1.data.windows: must be a mapping"),
        ("- core1\n- core2\n", "must be a mapping of names to settings"),
        (
            "core1:\n  hostname: 10.0.0.1\n  data:\n    zones:\n      office: [10.30.0.0/16, 10.300.0.0/16]\n",
            "hosts.yaml, line 5: core1.data.zones.office[1]: '10.300.0.0/16' is not a prefix",
        ),
        (
            "core1:\n  hostname: 10.0.0.1\n  data:\n    zones:\n      office: {net: 10.30.0.0/16}\n",
            "core1.data.zones.office: must be a list of prefixes",
        ),
    ],
)
def test_a_bad_inventory_is_one_line_with_file_line_and_key(tmp_path: Path, hosts: str, expected: str) -> None:
    inventory = _inventory(tmp_path, hosts)
    line = _one_error_line(run_cli("scan", "--no-store", "-i", str(inventory), "-s", str(LAB / "snapshots")))
    assert expected in line


@pytest.mark.parametrize("name", ["../..", "..", ".", "/etc", "a/../../b", "core1\\..\\..", "core1\x1b[2J"])
def test_a_host_name_that_is_no_file_name_is_refused_before_anything_is_written(tmp_path: Path, name: str) -> None:
    quoted = name.replace("\\", "\\\\").replace("\x1b", "\\e")
    inventory = _inventory(tmp_path, f'"{quoted}":\n  hostname: 127.0.0.1\n  platform: cisco_ios\n')
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = tmp_path / "out"
    collect = _one_error_line(run_cli("collect", "-i", str(inventory), "--out", str(out), timeout=60))
    assert "cannot be used as a file name" in collect and "hosts.yaml, line 1" in collect
    saved = _one_error_line(
        run_cli("scan", "--no-store", "--live", "-i", str(inventory), "--save-snapshots", str(out), timeout=60)
    )
    assert "cannot be used as a file name" in saved
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "cisco_ios").exists()


@pytest.mark.parametrize("name", ["../escaped", "..", "/tmp/abs", "a\x00b"])
def test_the_snapshot_writer_never_leaves_its_folder(tmp_path: Path, name: str) -> None:
    root = tmp_path / "snaps"
    with pytest.raises(UnsafeName):
        write_snapshot(root, Snapshot(host=name, platform="cisco_ios", outputs={"show version": "x"}))
    assert not any(tmp_path.rglob("*.txt")) and not any(tmp_path.rglob("meta.yaml"))


# ---- unreadable snapshot files ------------------------------------------------------------------


def _two_hosts(tmp_path: Path) -> Path:
    snaps = tmp_path / "snaps"
    for host in ("hq-acc1", "hq-core1"):
        shutil.copytree(LAB / "snapshots" / host, snaps / host)
    return snaps


def _errors_of(snaps: Path, host: str) -> dict[str, str]:
    return {f.check: f.message for f in scan_folder(snaps).findings if f.host == host and f.status is Status.ERROR}


def test_a_folder_in_place_of_the_config_is_an_error_for_that_host_only(tmp_path: Path) -> None:
    snaps = _two_hosts(tmp_path)
    config = snaps / "hq-acc1" / "show_running-config.txt"
    config.unlink()
    config.mkdir()
    errors = _errors_of(snaps, "hq-acc1")
    assert "services.telnet" in errors and "a folder is in its place" in errors["services.telnet"]
    assert str(config) in errors["services.telnet"]
    assert not {c for c in _errors_of(snaps, "hq-core1") if c.startswith("services.")}


def test_a_fifo_in_place_of_the_config_is_an_error_not_a_hang(tmp_path: Path) -> None:
    snaps = _two_hosts(tmp_path)
    config = snaps / "hq-acc1" / "show_running-config.txt"
    config.unlink()
    os.mkfifo(config)
    proc = run_cli("scan", "--no-store", "-s", str(snaps), "-f", "json", timeout=60)
    assert proc.returncode == 2
    assert "not a regular file" in proc.stdout


def test_a_config_the_scanning_user_cannot_read_is_an_error_for_that_host(tmp_path: Path) -> None:
    """Mode 000 on one host's config; as root the scan runs without the capabilities that bypass file modes."""
    snaps = _two_hosts(tmp_path)
    (snaps / "hq-acc1" / "show_running-config.txt").chmod(0o000)
    command = [sys.executable, "-m", "scanner", "scan", "--no-store", "-s", str(snaps), "-f", "json"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux): root reads every file whatever its mode")
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *command]
    proc = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ, NO_COLOR="1")
    )
    assert proc.returncode == 2, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    telnet = {f["host"]: f for f in findings if f["check"] == "services.telnet"}
    assert telnet["hq-acc1"]["status"] == "error"
    assert "Permission denied" in telnet["hq-acc1"]["message"]
    assert telnet["hq-core1"]["status"] in ("pass", "fail")


def test_check_ids_of_the_policys_own_rules_are_known_and_their_typos_refused(tmp_path: Path) -> None:
    rules = (
        "rules:\n  - id: site.no_source_route\n    platforms: [cisco_ios]\n    must_contain: '^no ip source-route$'\n"
    )
    good = tmp_path / "good.yaml"
    good.write_text(
        rules + "waivers:\n  - host: hq-acc1\n    check: site.no_source_route\n    reason: CHG-12\n"
        "    expires: 2099-01-31\n"
    )
    proc = run_cli("policy", "--check", str(good))
    assert proc.returncode == 0, proc.stderr
    typo = tmp_path / "typo.yaml"
    typo.write_text(rules + "checks:\n  disable: [site.no_source_rout]\n")
    line = _one_error_line(run_cli("policy", "--check", str(typo)))
    assert "line 6: checks.disable[0]: no check 'site.no_source_rout' (did you mean 'site.no_source_route'?)" in line
