"""Linux hosts offline: every host check on saved snapshots, kinds kept apart, secrets masked, bad input.

tests/fixtures/linux/linux-compliant and linux-violating were collected over real SSH
from the namespaced test hosts of testbed/linuxhost.py (their arranged state is written
there: which accounts, which listeners, which apt lists); rocky-user is written by hand
(a Rocky Linux server collected as an ordinary user without sudo). Dates in the hosts'
outputs are relative to their collection, so each is scanned "the day after".
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from checks import load_checks
from scanner.engine import ScanOptions, run_scan
from scanner.model import HostInfo, Status
from scanner.policy import Policy
from scanner.snapshot import HostInput, discover
from tests.conftest import FIXTURES, run_cli

LINUX = FIXTURES / "linux"
PASS, FAIL, ERROR, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
HOST_CHECKS = [
    "host.password_policy",
    "host.password_age",
    "host.empty_password",
    "host.stale_account",
    "host.antivirus",
    "host.patches",
    "host.insecure_services",
    "host.remote_syslog",
    "host.ssh_hardening",
    "host.account_lockout",
    "host.firewall",
]
EXPECTED = {
    "linux-compliant": dict.fromkeys(HOST_CHECKS, PASS),
    "linux-violating": dict.fromkeys(HOST_CHECKS, FAIL),
    "rocky-user": {
        "host.password_policy": FAIL,  # pwquality minlen 8 less dcredit 1 = 7 < 9 (admins root, histadm)
        "host.password_age": ERROR,  # chage -l: Permission denied (no root, no sudo)
        "host.empty_password": ERROR,
        "host.stale_account": ERROR,
        "host.antivirus": FAIL,  # nothing found
        "host.patches": FAIL,  # openssl RLSA pending
        "host.insecure_services": FAIL,  # vsftpd on 21, httpd on 80
        "host.remote_syslog": PASS,  # syslog-ng network("10.20.99.60")
        "host.ssh_hardening": FAIL,  # sshd_config.d/01-permitrootlogin.conf wins over the later "no"
        "host.account_lockout": FAIL,  # authselect's default profile: no pam_faillock in either auth stack
        "host.firewall": PASS,  # firewalld runs, zone public with target default (nft/iptables need root)
    },
}


def scan_host(directory: Path, policy: Policy | None = None, platform: str | None = None) -> dict:
    source = next(s for s in discover(directory.parent) if s.path == directory)
    snapshot = source.load()
    collected = datetime.fromisoformat(str(snapshot.meta["collected_at"]))
    options = ScanOptions(policy=policy or Policy.default(), now=collected + timedelta(days=1))
    host = HostInfo(name=directory.name, platform=platform, data={"role": "server"})
    result = run_scan([HostInput(host=host, snapshot=snapshot)], options)
    return {f.check: f for f in result.findings}


@pytest.fixture(scope="module")
def findings() -> dict[str, dict]:
    return {name: scan_host(LINUX / name) for name in EXPECTED}


@pytest.mark.parametrize(("host", "check"), [(h, c) for h in EXPECTED for c in HOST_CHECKS])
def test_host_check_verdict(findings, host: str, check: str) -> None:
    finding = findings[host][check]
    assert finding.status is EXPECTED[host][check], finding.message
    if finding.status is FAIL:
        assert finding.remediation, "a failure says how to fix it on the host"
        if check not in ("host.remote_syslog", "host.antivirus"):
            assert finding.evidence, "a failure shows the lines that cause it"


def test_network_checks_are_not_applicable_on_linux_hosts(findings) -> None:
    network = [s.id for s in load_checks() if s.kind == "network" and s.scope == "host"]
    assert network
    for check in network:
        finding = findings["linux-violating"][check]
        assert finding.status is NA
        assert "network-device" in finding.message


def test_host_checks_are_not_applicable_on_network_devices() -> None:
    device = FIXTURES / "platforms" / "cisco_ios" / "fail"
    source = next(s for s in discover(device.parent) if s.path == device)
    result = run_scan(
        [HostInput(HostInfo(name="r1", data={"role": "core"}), source.load())], ScanOptions(Policy.default())
    )
    by_check = {f.check: f for f in result.findings}
    for check in HOST_CHECKS:
        assert by_check[check].status is NA
        assert "server" in by_check[check].message
    assert by_check["services.http"].status is FAIL


def test_messages_name_what_is_wrong(findings) -> None:
    bad = findings["linux-violating"]
    assert "6 characters are accepted (pam_pwquality" in bad["host.password_policy"].message
    assert "PASS_MIN_LEN 12 in /etc/login.defs is ignored under PAM" in bad["host.password_policy"].message
    assert "legacy" in bad["host.password_policy"].message  # a hash left in /etc/passwd
    assert "carol" in bad["host.stale_account"].message and "alice" not in bad["host.stale_account"].message
    assert "dave" in bad["host.empty_password"].message
    assert "23/tcp" in bad["host.insecure_services"].message and "2121/tcp" in bad["host.insecure_services"].message
    assert "bash" in bad["host.patches"].message and "sudo" in bad["host.patches"].message
    assert (
        "31 days old" in bad["host.antivirus"].message
    )  # scanned the day after and "no scan is scheduled" in bad["host.antivirus"].message
    assert "PermitRootLogin yes" in bad["host.ssh_hardening"].message
    good = findings["linux-compliant"]
    assert "at least 12 characters" in good["host.password_policy"].message
    assert "10.20.99.50" in good["host.remote_syslog"].message
    rocky = findings["rocky-user"]
    assert "7 characters" in rocky["host.password_policy"].message
    assert "without sudo" in rocky["host.password_age"].message
    assert "openssl" in rocky["host.patches"].message and "tzdata" not in rocky["host.patches"].message


def test_remediation_in_the_hosts_own_terms(findings) -> None:
    bad = findings["linux-violating"]
    age = bad["host.password_age"].remediation
    assert "sed -i 's/^PASS_MAX_DAYS.*/PASS_MAX_DAYS 180/' /etc/login.defs" in age
    assert "chage -M 180 alice" in age and "chage -d 0 carol" in age
    policy = bad["host.password_policy"].remediation
    assert "sed -i 's/^PASS_MIN_LEN.*/PASS_MIN_LEN 9/' /etc/login.defs" in policy
    assert "sed -i -E 's/(pam_pwquality\\.so.*)minlen=[0-9]+/\\1minlen=9/' /etc/pam.d/common-password" in policy
    assert "passwd -l dave" in bad["host.empty_password"].remediation
    assert "usermod --lock --expiredate 1 carol" in bad["host.stale_account"].remediation
    assert "systemctl disable --now vsftpd" in bad["host.insecure_services"].remediation
    assert any("apt-get install --only-upgrade -y bash sudo" in line for line in bad["host.patches"].remediation)
    assert any("/etc/cron.d/clamscan-weekly" in line for line in bad["host.antivirus"].remediation)
    rocky = findings["rocky-user"]
    assert "dnf upgrade --security -y" in rocky["host.patches"].remediation
    assert any("dnf install -y clamav" in line for line in rocky["host.antivirus"].remediation)


def test_evidence_points_at_the_saved_output(findings) -> None:
    finding = findings["linux-violating"]["host.stale_account"]
    evidence = finding.evidence[0]
    assert evidence.source == "lastlog"
    lines = (LINUX / "linux-violating" / "lastlog.txt").read_text().splitlines()
    assert lines[evidence.line - 1].startswith("carol")


def test_policy_thresholds_change_verdicts(tmp_path: Path) -> None:
    strict = Policy.from_text(
        "hosts:\n  stale_account_days: 5\n  expected_ports: ['22/tcp']\n  password_max_age_days: 15\n", "strict"
    )
    found = scan_host(LINUX / "linux-compliant", strict)
    assert found["host.stale_account"].status is FAIL  # bob: last login 10 days ago
    assert "bob" in found["host.stale_account"].message
    assert found["host.insecure_services"].status is FAIL  # 8443 is not expected
    assert found["host.password_age"].status is FAIL
    lenient = Policy.from_text("hosts:\n  allowed_ports: ['21/tcp', 80]\n", "lenient")
    rocky = scan_host(LINUX / "rocky-user", lenient)
    assert rocky["host.insecure_services"].status is PASS


def test_no_secret_in_any_report(tmp_path: Path) -> None:
    """The hash left in legacy's /etc/passwd field is masked in evidence and scrubbed from every format."""
    secret = (LINUX / "linux-violating" / "getent_passwd.txt").read_text().split("legacy:", 1)[1].split(":", 1)[0]
    assert secret.startswith("$6$")
    formats = run_cli("formats").stdout.split()
    wanted = [f for f in ("console", "json", "csv", "junit", "sarif", "html") if f in formats]
    out = tmp_path / "reports"
    result = run_cli(
        "scan", "--snapshots", str(LINUX), "-f", ",".join(wanted), "-o", str(out), "--db", str(tmp_path / "r.db")
    )
    assert result.returncode == 2, result.stderr  # rocky-user's /etc/shadow was unreadable: incomplete beats failing
    texts = [p.read_text(errors="replace") for p in out.iterdir()]
    assert texts and all(secret not in text for text in texts)
    assert secret not in result.stdout + result.stderr
    assert any("legacy:***:1004" in text for text in texts)


def test_a_snapshot_with_almost_nothing_gives_errors_not_a_crash(tmp_path: Path) -> None:
    host = tmp_path / "snaps" / "bare"
    host.mkdir(parents=True)
    (host / "meta.yaml").write_text(yaml.safe_dump({"platform": "linux", "collected_at": "2026-01-01T00:00:00+00:00"}))
    (host / "cat_etc_os-release.txt").write_text("ID=debian\n")
    (host / "getent_passwd.txt").write_text("root:x:0:0\nthis is not passwd\n\x00\xff garbage\n")
    found = scan_host(host)
    assert {f.status for c, f in found.items() if c.startswith("host.")} <= {ERROR, FAIL}
    assert found["host.ssh_hardening"].status is ERROR
    assert "sshd -T: not in the snapshot" in found["host.ssh_hardening"].message
    assert found["host.patches"].status is ERROR


def test_replay_uses_the_same_second_phase(tmp_path: Path) -> None:
    """Phase two is computed from phase one's saved outputs: every saved command is one the replay reads."""
    from scanner.platforms import get_platform

    platform = get_platform("linux")
    snapshot = next(s for s in discover(LINUX) if s.host == "linux-violating").load()
    first = {c: snapshot.output(c) for c in platform.commands.all}
    follow = platform.commands.follow_up(first)
    assert follow == ("apt-get -s dist-upgrade",)  # no systemd timers on that host (systemctl cannot run)
    assert set(snapshot.meta["commands"]) == set(platform.commands.all) | set(follow)


def test_a_host_without_its_platform_in_meta_is_named_in_the_inventory(tmp_path: Path) -> None:
    copy = tmp_path / "snaps" / "srv1"
    shutil.copytree(LINUX / "linux-compliant", copy)
    meta = yaml.safe_load((copy / "meta.yaml").read_text())
    del meta["platform"]
    (copy / "meta.yaml").write_text(yaml.safe_dump(meta))
    found = scan_host(copy, platform="linux")
    assert found["host.patches"].status is PASS


# Fix keys tied to one platform's mechanism: a check asks for them only on that platform
# (password_policy picks the key of the module that decides the length; ssh_hardening and
# remote_syslog are checked on Linux only).
PLATFORM_ONLY_FIXES = {
    "linux": {"disable_reversible_encryption", "set_min_length_secpol"},
    "windows": {
        "set_min_length_pwquality",
        "set_min_length_pam_argument",
        "set_min_length_pam_unix",
        "set_min_length_login_defs",
        "move_hashes_to_shadow",
        "sshd_setting",
        "add_syslog_host",
    },
}


@pytest.mark.parametrize("name", sorted(PLATFORM_ONLY_FIXES))
def test_every_fix_key_the_host_checks_use_exists_on_each_host_platform(name: str) -> None:
    from scanner.platforms import get_platform

    platform = get_platform(name)
    params = {"length": 9, "file": "/etc/pam.d/common-password", "module": "pam_pwquality", "days": 180}
    params |= {"user": "u", "install": "apt-get install -y", "upgrade": "apt-get upgrade", "unit": "x"}
    params |= {"keyword": "PermitRootLogin", "value": "no", "tries": 5, "minutes": 15, "seconds": 900}
    params |= {"enable": "authselect enable-feature with-faillock", "profiles": "Public"}
    for spec in load_checks():
        if spec.kind != "host":
            continue
        for key in spec.fixes:
            if key in PLATFORM_ONLY_FIXES[name]:
                assert not platform.fix(key, **params), (name, key)
                continue
            lines = platform.fix(key, **params)
            assert lines and all(line.strip() for line in lines), (spec.id, key)
