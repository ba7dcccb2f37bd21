"""The CLI as a user runs it: offline scans, exit codes, the JSON contract, check listing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import FIXTURES, ROOT, run_cli

PLATFORMS = FIXTURES / "platforms"
SCHEMA = json.loads((ROOT / "reports" / "schema" / "netcomply-1.schema.json").read_text())


def _copy_host(dest: Path, platform: str, variant: str, name: str) -> None:
    shutil.copytree(PLATFORMS / platform / variant, dest / name)


def test_json_report_follows_the_netcomply_1_schema(tmp_path: Path) -> None:
    _copy_host(tmp_path / "snaps", "cisco_ios", "fail", "sw-bad")
    _copy_host(tmp_path / "snaps", "arista_eos", "pass", "leaf-good")
    out = tmp_path / "report.json"
    proc = run_cli("scan", "--snapshots", str(tmp_path / "snaps"), "--format", "json", "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    document = json.loads(out.read_text())
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert document["schema"] == "netcomply/1"
    assert {h["name"] for h in document["hosts"]} == {"sw-bad", "leaf-good"}
    http = next(f for f in document["findings"] if f["host"] == "sw-bad" and f["check"] == "services.http")
    assert http["status"] == "fail"
    assert http["evidence"][0]["source"] == "show running-config"
    assert http["evidence"][0]["text"] == "ip http server"
    assert http["remediation"] == ["no ip http server", "no ip http secure-server"]
    assert document["summary"]["exit_code"] == 1
    assert "wrote" in proc.stderr


def test_exit_0_when_everything_passes(tmp_path: Path) -> None:
    _copy_host(tmp_path, "arista_eos", "pass", "leaf-good")
    proc = run_cli("scan", "--snapshots", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "exit 0" in proc.stdout


def test_fail_on_threshold_chooses_what_fails_the_run(tmp_path: Path) -> None:
    """mgmt has only a medium failure (no syslog): exit 1 at --fail-on medium, 0 at --fail-on high."""
    _copy_host(tmp_path, "arista_eos", "pass", "leaf")
    config = tmp_path / "leaf" / "show_running-config.txt"
    config.write_text(config.read_text().replace("logging vrf MGMT host 10.10.99.20\n", ""))
    assert run_cli("scan", "--snapshots", str(tmp_path), "--fail-on", "medium").returncode == 1
    assert run_cli("scan", "--snapshots", str(tmp_path), "--fail-on", "high").returncode == 0


def test_exit_2_when_a_host_cannot_be_scanned_and_nothing_fails(tmp_path: Path) -> None:
    _copy_host(tmp_path, "arista_eos", "pass", "leaf")
    (tmp_path / "mystery.cfg").write_text("this is not\na configuration\nof any device\n")
    proc = run_cli("scan", "--snapshots", str(tmp_path))
    assert proc.returncode == 2, proc.stdout
    assert "cannot tell the platform" in proc.stdout


def test_an_incomplete_scan_exits_2_even_when_others_failed_and_says_both(tmp_path: Path) -> None:
    """DESIGN.md: 2 wins over 1, so cron can tell an incomplete scan from an ordinary failing one."""
    _copy_host(tmp_path, "cisco_ios", "fail", "bad")
    (tmp_path / "mystery.cfg").write_text("garbage\n")
    proc = run_cli("scan", "--snapshots", str(tmp_path))
    assert proc.returncode == 2, proc.stdout
    summary = proc.stdout.strip().splitlines()[-1]
    assert "exit 2" in summary and "1 host(s) not fully scanned (mystery)" in summary, summary
    failing = int(summary.split("fail ")[1].split()[0])
    info = 1  # backup.device_archive: info is below --fail-on low
    assert f"{failing - info} failure(s) at or above low" in summary, summary


def test_flat_folder_of_configs_detects_each_platform(tmp_path: Path) -> None:
    for platform in ("cisco_ios", "cisco_nxos", "arista_eos"):
        shutil.copy(PLATFORMS / platform / "fail" / "show_running-config.txt", tmp_path / f"{platform}-dev.cfg")
    out = tmp_path / "r.json"
    proc = run_cli("scan", "--snapshots", str(tmp_path), "-f", "json", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    hosts = {h["name"]: h["platform"] for h in json.loads(out.read_text())["hosts"]}
    assert hosts == {"cisco_ios-dev": "cisco_ios", "cisco_nxos-dev": "cisco_nxos", "arista_eos-dev": "arista_eos"}


def test_truncated_and_empty_outputs_become_errors_not_crashes(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    _copy_host(snaps, "cisco_ios", "pass", "empty")
    (snaps / "empty" / "show_running-config.txt").write_text("")
    _copy_host(snaps, "cisco_ios", "pass", "rejected")
    (snaps / "rejected" / "show_environment_power_all.txt").write_text(
        "show environment power all\n                ^\n% Invalid input detected at '^' marker.\n"
    )
    (snaps / "rejected" / "show_inventory.txt").unlink()
    _copy_host(snaps, "cisco_ios", "pass", "truncated")
    config = snaps / "truncated" / "show_running-config.txt"
    config.write_text(config.read_text().split("\nline con 0")[0] + "\n")
    inventory = tmp_path / "inv"
    inventory.mkdir()
    # Core devices: power.redundant applies, so the refused power output is read (and must be an error).
    (inventory / "hosts.yaml").write_text(
        "".join(f"{h}:\n  platform: cisco_ios\n  data: {{role: core}}\n" for h in ("empty", "rejected", "truncated"))
    )
    out = tmp_path / "r.json"
    proc = run_cli("scan", "-i", str(inventory), "--snapshots", str(snaps), "-f", "json", "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    findings = {(f["host"], f["check"]): f for f in json.loads(out.read_text())["findings"]}
    assert findings[("empty", "services.http")]["status"] == "error"
    assert "empty output" in findings[("empty", "services.http")]["message"]
    power = findings[("rejected", "power.redundant")]
    assert power["status"] == "error", power
    assert "rejected by the device (% Invalid input detected at '^' marker.)" in power["message"]
    assert findings[("rejected", "services.http")]["status"] == "pass"
    cut = findings[("truncated", "services.telnet")]
    assert cut["status"] == "error" and "does not end with 'end'" in cut["message"]


def test_inventory_and_snapshots_together(tmp_path: Path) -> None:
    inventory = tmp_path / "inv"
    inventory.mkdir()
    (inventory / "hosts.yaml").write_text(
        "core-a:\n  hostname: 10.0.0.1\n  platform: cisco_ios\n  data: {role: core, site: x}\n"
        "ghost:\n  hostname: 10.0.0.9\n  platform: cisco_ios\n"
    )
    _copy_host(tmp_path / "snaps", "cisco_ios", "fail", "core-a")
    out = tmp_path / "r.json"
    proc = run_cli("scan", "-i", str(inventory), "-s", str(tmp_path / "snaps"), "-f", "json", "-o", str(out))
    assert proc.returncode == 2, "ghost has no snapshot: the scan is incomplete, which outranks core-a's failures"
    findings = {(f["host"], f["check"]): f for f in json.loads(out.read_text())["findings"]}
    assert findings[("core-a", "power.redundant")]["status"] == "fail", "role core from the inventory applies"
    assert findings[("ghost", "services.http")]["status"] == "error"
    assert "no snapshot" in findings[("ghost", "services.http")]["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--inventory", "/nonexistent/inv"), "does not exist"),
        (("--policy", "/nonexistent/policy.yaml"), "cannot read policy"),
        (("--format", "pdfx"), "unknown report format"),
    ],
)
def test_bad_arguments_are_clear_errors_with_exit_2(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    _copy_host(tmp_path, "cisco_ios", "pass", "sw")
    proc = run_cli("scan", "--snapshots", str(tmp_path), *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_checks_lists_every_check_with_its_clauses() -> None:
    proc = run_cli("checks", "--json")
    assert proc.returncode == 0
    listed = {c["id"]: c for c in json.loads(proc.stdout)["checks"]}
    for check_id in (
        "services.http",
        "services.ftp",
        "services.tftp",
        "services.telnet",
        "snmp.community_strength",
        "snmp.community_write",
        "auth.local_password",
        "logging.remote",
        "power.redundant",
    ):
        assert check_id in listed
    assert listed["services.http"]["clauses"]["form"] == ["5.2.3"]
    assert "1.5.4" in listed["snmp.community_write"]["clauses"]["cis"]
    assert "cisco_ios" in listed["services.http"]["platforms"]
    assert "linux" not in listed["services.http"]["platforms"], "a device check does not run on servers"
    assert listed["host.patches"]["platforms"] == ["linux", "windows"], "a host check is not listed for switches"
    assert "cisco_ios" in listed["topology.firewall_bypass"]["platforms"]
    table = run_cli("checks").stdout
    assert "snmp.community_write" in table and "1.5.4" in table


def test_console_has_no_colour_codes_when_not_a_tty(tmp_path: Path) -> None:
    _copy_host(tmp_path, "cisco_ios", "fail", "sw")
    proc = run_cli("scan", "--snapshots", str(tmp_path), env={"NO_COLOR": ""})
    assert "\x1b[" not in proc.stdout
    assert "services.http" in proc.stdout and "ip http server" in proc.stdout
