"""Lynis and netcomply side by side on the same test hosts: which of the form's host items each covers.

    python -m bench.lynis_compare [--markdown]

Needs root and Lynis (Debian package ``lynis``). Starts the compliant and the violating
test hosts of testbed/linuxhost.py; on each, netcomply collects over SSH and scans, and
Lynis (``lynis audit system``, the groups that concern the form) runs inside the
host's namespaces while the host's sshd daemon runs, with repository refresh off (the
hosts have no network). Prints one row per requirement of the form: what Lynis and
netcomply conclude on each host, and whether they agree. Lynis's verdict for a row is
"flags" when one of its tests for that row left a warning or suggestion about it,
"ok" when the tests ran and left none, "not run" when Lynis skipped them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scanner.collect.hostkeys import KnownHosts
from scanner.collect.linux import HostTarget, collect_host
from scanner.engine import ScanOptions, run_scan
from scanner.model import Finding, HostInfo, Status
from scanner.policy import Policy
from scanner.snapshot import HostInput
from testbed.linuxhost import LOGIN_USER, LinuxTestHost, compliant_profile, skip_reason, violating_profile

# Whole groups, so Lynis's own prerequisite tests (SSH-7402 before SSH-7408...) run too.
LYNIS_GROUPS = "authentication malware ssh logging insecure_services ports_packages"
_SSH_OPTIONS = re.compile(r"PERMITROOTLOGIN|PERMITEMPTYPASSWORDS|PROTOCOL", re.I)


@dataclass
class LynisReport:
    executed: set[str] = field(default_factory=set)
    remarks: dict[str, list[str]] = field(default_factory=dict)  # test id -> warning/suggestion texts
    values: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> LynisReport:
        report = cls()
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if not sep:
                continue
            if key == "tests_executed":
                report.executed = {t for t in value.split("|") if t}
            elif key in ("warning[]", "suggestion[]"):
                test, _, rest = value.partition("|")
                report.remarks.setdefault(test, []).append(rest.rstrip("|-").replace("|-", "").replace("|", " "))
            else:
                report.values.setdefault(key.removesuffix("[]"), []).append(value)
        return report


@dataclass(frozen=True)
class Row:
    item: str
    requirement: str
    lynis_tests: tuple[str, ...]
    check: str
    # Which of the tests' remarks concern this requirement (None: all of them).
    relevant: Callable[[str], bool] | None = None
    lynis_note: str = ""
    # A verdict read from a report value instead of remarks (antivirus presence).
    lynis_value: Callable[[LynisReport], str] | None = None


def _scanner_installed(report: LynisReport) -> str:
    if not report.executed & {"MALW-3280", "MALW-3282", "MALW-3284"}:
        return "not run"
    return "ok" if report.values.get("malware_scanner_installed") == ["1"] else "flags"


ROWS = (
    Row(
        "5.1.5",
        "password length: admin > 8, user > 6",
        ("AUTH-9262",),
        "host.password_policy",
        lynis_note="checks only that a strength module is installed, never the length",
    ),
    Row("5.1.5", "passwords changed within 6 months", ("AUTH-9286", "AUTH-9288"), "host.password_age",
        relevant=lambda t: "maximum password age" in t.lower() or "expired" in t.lower(),
        lynis_note="PASS_MAX_DAYS set at all (no limit checked), expired passwords"),
    Row("5.1.5", "no account without a password", ("AUTH-9283",), "host.empty_password"),
    Row("5.1.5", "accounts of people who left removed", ("AUTH-9288",), "host.stale_account",
        relevant=lambda t: "no longer used" in t.lower(),
        lynis_note="only via expired passwords; no last-login age"),
    Row("5.1.3", "antivirus installed", ("MALW-3280", "MALW-3282", "MALW-3284"), "host.antivirus",
        lynis_value=_scanner_installed),
    Row("5.1.3", "signatures updated", ("MALW-3286",), "host.antivirus",
        lynis_note="freshclam running; no signature age"),
    Row("5.1.3", "scan at least weekly", (), "host.antivirus", lynis_note="no test"),
    Row("5.2.5", "security patches installed", ("PKGS-7392",), "host.patches"),
    Row("5.2.5", "no telnet/FTP/TFTP/rsh service", ("INSE-8016", "INSE-8304", "INSE-8320", "INSE-8322"),
        "host.insecure_services", lynis_note="installed packages and inetd, not listening sockets"),
    Row("5.2.5", "SSH: no root password login, no empty passwords", ("SSH-7408",), "host.ssh_hardening",
        relevant=lambda t: bool(_SSH_OPTIONS.search(t))),
    Row("logs", "logs kept on a remote server", ("LOGG-2154",), "host.remote_syslog",
        lynis_note="needs a running syslog daemon"),
)  # fmt: skip


def lynis_verdict(row: Row, report: LynisReport) -> str:
    if row.lynis_value is not None:
        return row.lynis_value(report)
    if not row.lynis_tests or not report.executed & set(row.lynis_tests):
        return "not run" if row.lynis_tests else "no test"
    texts = [t for test in row.lynis_tests for t in report.remarks.get(test, [])]
    if row.relevant is not None:
        texts = [t for t in texts if row.relevant(t)]
    return "flags" if texts else "ok"


def netcomply_verdict(row: Row, finding: Finding) -> str:
    if finding.status is not Status.FAIL:
        return finding.status.value
    message = finding.message.lower()
    if row.requirement == "signatures updated" and "days old" not in message and "no signature" not in message:
        return "pass"
    if row.requirement == "scan at least weekly" and "scan" not in message:
        return "pass"
    if row.requirement == "antivirus installed" and "no antivirus" not in message:
        return "pass"
    return "fail"


def run_lynis(host: LinuxTestHost, work: Path) -> LynisReport:
    host.run_inside("sh", "-c", "printf 'refresh-repositories=no\\nupload=no\\ncolors=no\\n' > /etc/lynis/custom.prf")
    daemon = host.popen_inside("/usr/sbin/sshd", "-D", "-o", "ListenAddress=127.0.0.1")
    report = work / f"{host.profile.name}-lynis.dat"
    try:
        result = host.run_inside(
            "lynis", "audit", "system", "--no-colors", "--quick", "--no-plugins",
            "--report-file", str(report), "--log-file", str(work / f"{host.profile.name}-lynis.log"),
            "--tests-from-group", LYNIS_GROUPS,
        )  # fmt: skip
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
    if not report.exists():
        raise RuntimeError(f"Lynis wrote no report: {result.stderr[-500:]}")
    return LynisReport.parse(report.read_text())


def run_netcomply(host: LinuxTestHost, work: Path) -> dict[str, Finding]:
    known = work / f"{host.profile.name}.known_hosts"
    known.write_text(host.known_hosts_line())
    target = HostTarget(host.profile.name, "127.0.0.1", host.port, LOGIN_USER, key_file=host.client_key)
    snapshot = collect_host(target, KnownHosts(known))
    result = run_scan(
        [HostInput(HostInfo(name=host.profile.name, platform="linux"), snapshot)], ScanOptions(Policy.default())
    )
    return {f.check: f for f in result.findings}


@dataclass
class Comparison:
    rows: list[tuple[Row, dict[str, str], dict[str, str]]]  # row, lynis by host, netcomply by host

    def disagreements(self) -> list[tuple[Row, str]]:
        out = []
        for row, lynis, ours in self.rows:
            for host in lynis:
                l_bad, n_bad = lynis[host] == "flags", ours[host] == "fail"
                if l_bad != n_bad:
                    out.append((row, host))
        return out

    def table(self) -> str:
        hosts = list(self.rows[0][1]) if self.rows else []
        head = "| form item | requirement | Lynis tests | " + " | ".join(f"Lynis: {h}" for h in hosts)
        head += " | netcomply check | " + " | ".join(f"netcomply: {h}" for h in hosts) + " | agree |"
        lines = [head, "|" + "---|" * (5 + 2 * len(hosts))]
        for row, lynis, ours in self.rows:
            agree = all((lynis[h] == "flags") == (ours[h] == "fail") for h in hosts)
            tests = ", ".join(row.lynis_tests) or "-"
            if row.lynis_note:
                tests += f" ({row.lynis_note})"
            lines.append(
                f"| {row.item} | {row.requirement} | {tests} | "
                + " | ".join(lynis[h] for h in hosts)
                + f" | {row.check} | "
                + " | ".join(ours[h] for h in hosts)
                + f" | {'yes' if agree else 'NO'} |"
            )
        return "\n".join(lines)


def compare(work: Path) -> Comparison:
    lynis: dict[str, LynisReport] = {}
    ours: dict[str, dict[str, Finding]] = {}
    for profile in (compliant_profile(), violating_profile()):
        with LinuxTestHost(profile, work / profile.name) as host:
            ours[profile.name] = run_netcomply(host, work)
            lynis[profile.name] = run_lynis(host, work)
    rows = []
    for row in ROWS:
        rows.append(
            (
                row,
                {h: lynis_verdict(row, r) for h, r in lynis.items()},
                {h: netcomply_verdict(row, f[row.check]) for h, f in ours.items()},
            )
        )
    return Comparison(rows)


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    reason = skip_reason()
    if reason is None and not Path("/usr/sbin/lynis").exists():
        reason = "lynis is not installed (Debian package lynis)"
    if reason:
        print(f"bench.lynis_compare cannot run here: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="netcomply-lynis-") as tmp:
        comparison = compare(Path(tmp))
    print(comparison.table())
    print()
    for row, host in comparison.disagreements():
        print(f"disagree on {host}: {row.item} {row.requirement}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
