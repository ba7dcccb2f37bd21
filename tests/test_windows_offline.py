"""Windows hosts offline: the snapshot contract read in every encoding PowerShell 5.1 writes, every host check.

tests/fixtures/windows/ holds three hosts, written by hand in the exact layout Windows
PowerShell 5.1's ConvertTo-Json prints (4-space indents, ``"key":  value``, CRLF, dates
as ``\\/Date(ms)\\/`` or ``{value, DateTime}``, enums as numbers) and secedit's INF:

* win-compliant: UTF-16LE with a BOM, as the collection script writes it;
* win-violating: UTF-8, with a BOM (Out-File -Encoding UTF8) on two files and without
  on the others; hotfixes.json is one object, not an array;
* win-cn-gbk: a Chinese Windows whose files are in the ANSI code page (GBK), with
  Chinese account, program and error text; no Defender, no update search (its error in
  meta.yaml), a third-party antivirus (Huorong).

Each host is also re-encoded into every other encoding and must give the same findings.
Dates are scanned "the day after" the snapshot's collected_at, so the fixtures never age.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from checks import load_checks
from scanner.decoding import decode
from scanner.engine import ScanOptions, run_scan
from scanner.model import HostInfo, Status
from scanner.platforms._windows import psjson
from scanner.policy import Policy
from scanner.snapshot import HostInput, discover
from tests.conftest import FIXTURES, run_cli

WINDOWS = FIXTURES / "windows"
PASS, FAIL, ERROR, NA = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
JUDGED = [
    "host.password_policy",
    "host.password_age",
    "host.empty_password",
    "host.stale_account",
    "host.antivirus",
    "host.patches",
    "host.insecure_services",
    "host.account_lockout",
    "host.firewall",
]
EXPECTED = {
    "win-compliant": dict.fromkeys(JUDGED, PASS),
    "win-violating": dict.fromkeys(JUDGED, FAIL),
    "win-cn-gbk": {
        "host.password_policy": FAIL,  # MinimumPasswordLength 8, Administrator enabled: 9 required
        "host.password_age": PASS,
        "host.empty_password": PASS,
        "host.stale_account": FAIL,  # 李娜: last logon 2026-05-06
        "host.antivirus": PASS,  # 火绒安全软件 installed (managed in its console)
        "host.patches": PASS,  # no catalogue; newest hotfix 18 days old (at most 45)
        "host.insecure_services": PASS,
        "host.account_lockout": FAIL,  # LockoutBadCount 10 > 5
        "host.firewall": PASS,
    },
}
ENCODINGS = ("utf-16-bom", "utf-16-le", "utf-8-bom", "utf-8", "gbk")


def scan_folder(directory: Path, policy: Policy | None = None) -> dict:
    source = next(s for s in discover(directory.parent) if s.path == directory)
    snapshot = source.load()
    collected = datetime.fromisoformat(str(snapshot.meta["collected_at"]))
    options = ScanOptions(policy=policy or Policy.default(), now=collected + timedelta(days=1))
    result = run_scan([HostInput(HostInfo(name=directory.name, data={"role": "server"}), snapshot)], options)
    return {f.check: f for f in result.findings}


@pytest.fixture(scope="module")
def findings() -> dict[str, dict]:
    return {name: scan_folder(WINDOWS / name) for name in EXPECTED}


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


def reencoded(host: str, encoding: str, root: Path) -> Path:
    """The host's snapshot with every file rewritten in ``encoding`` (meta.yaml as is)."""
    from scanner.decoding import decode

    target = root / host
    shutil.copytree(WINDOWS / host, target)
    for path in target.iterdir():
        if path.name != "meta.yaml":
            path.write_bytes(encode(decode(path.read_bytes()), encoding))
    return target


def test_the_fixtures_are_in_the_encodings_they_claim() -> None:
    compliant = (WINDOWS / "win-compliant" / "local_users.json").read_bytes()
    assert compliant.startswith(b"\xff\xfe") and b"\r\x00\n\x00" in compliant
    assert (WINDOWS / "win-violating" / "os.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (WINDOWS / "win-violating" / "firewall.json").read_bytes().startswith(b"[")
    gbk = (WINDOWS / "win-cn-gbk" / "local_users.json").read_bytes()
    assert "张伟".encode("gbk") in gbk
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    assert (WINDOWS / "win-cn-gbk" / "secpol.inf").read_bytes().startswith(b"\xff\xfe")  # secedit writes UTF-16


@pytest.mark.parametrize(("host", "check"), [(h, c) for h in EXPECTED for c in JUDGED])
def test_host_check_verdict(findings, host: str, check: str) -> None:
    finding = findings[host][check]
    assert finding.status is EXPECTED[host][check], finding.message
    assert finding.platform == "windows"
    if finding.status is FAIL:
        assert finding.remediation, "a failure says how to fix it on the host"
        assert finding.evidence, "a failure shows the lines that cause it"


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("host", sorted(EXPECTED))
def test_every_encoding_gives_the_same_findings(findings, tmp_path: Path, host: str, encoding: str) -> None:
    again = scan_folder(reencoded(host, encoding, tmp_path))
    assert {c: (f.status, f.message) for c, f in again.items()} == {
        c: (f.status, f.message) for c, f in findings[host].items()
    }


def test_linux_only_checks_and_network_checks_are_not_applicable(findings) -> None:
    found = findings["win-violating"]
    for check in ("host.ssh_hardening", "host.remote_syslog"):
        assert found[check].status is NA and "not checked on Windows" in found[check].message
    network = [s.id for s in load_checks() if s.kind == "network" and s.scope == "host"]
    assert network and all(found[c].status is NA for c in network)


def test_messages_name_what_is_wrong(findings) -> None:
    bad = findings["win-violating"]
    assert "6 characters are accepted" in bad["host.password_policy"].message
    assert "ClearTextPassword = 1" in bad["host.password_policy"].message
    assert "PasswordComplexity 0" in bad["host.password_policy"].message
    assert "MaximumPasswordAge: passwords never expire" in bad["host.password_age"].message
    assert "Administrator (never expires" in bad["host.password_age"].message
    assert "Guest (the Guest account, enabled" in bad["host.empty_password"].message
    assert "bob (PasswordRequired false)" in bad["host.empty_password"].message
    assert "carol" in bad["host.stale_account"].message and "dave" not in bad["host.stale_account"].message
    assert "real-time protection is off" in bad["host.antivirus"].message
    assert "KB5046612" in bad["host.patches"].message and "KB890830" not in bad["host.patches"].message
    services = bad["host.insecure_services"].message
    assert all(f"{port}/" in services for port in (21, 23, 80, 69)) and "3389" not in services
    assert "never lock" in bad["host.account_lockout"].message
    assert "Private profile on, inbound default Allow" in bad["host.firewall"].message
    assert "Public profile off" in bad["host.firewall"].message
    good = findings["win-compliant"]
    assert "Windows Update Agent" in good["host.patches"].message
    assert "DefaultInboundAction NotConfigured: the Windows default (Block) applies" in good["host.firewall"].message
    assert "administrator accounts: Administrator, alice" in good["host.password_policy"].message
    cn = findings["win-cn-gbk"]
    assert "李娜" in cn["host.stale_account"].message and "张伟" not in cn["host.stale_account"].message
    assert "Huorong" in cn["host.antivirus"].message
    patches = cn["host.patches"].message
    assert "catalogue was not consulted" in patches and "KB5046612" in patches and "0x8024402C" in patches


def test_remediation_in_windows_syntax(findings) -> None:
    bad = findings["win-violating"]
    assert "net accounts /minpwlen:9" in bad["host.password_policy"].remediation
    assert any("ClearTextPassword = 0" in line for line in bad["host.password_policy"].remediation)
    assert "net accounts /maxpwage:180" in bad["host.password_age"].remediation
    assert "Set-LocalUser -Name 'carol' -PasswordNeverExpires $false" in bad["host.password_age"].remediation
    assert "Disable-LocalUser -Name 'Guest'" in bad["host.empty_password"].remediation
    assert "Disable-LocalUser -Name 'carol'" in bad["host.stale_account"].remediation
    assert "Set-MpPreference -DisableRealtimeMonitoring $false" in bad["host.antivirus"].remediation
    assert "Stop-Service -Name 'TlntSvr' -Force" in bad["host.insecure_services"].remediation
    assert "Set-Service -Name 'ftpsvc' -StartupType Disabled" in bad["host.insecure_services"].remediation
    assert any("Microsoft.Update.Session" in line for line in bad["host.patches"].remediation)
    assert bad["host.account_lockout"].remediation == (
        "net accounts /lockoutthreshold:5 /lockoutduration:15 /lockoutwindow:15",
    )
    assert bad["host.firewall"].remediation == (
        "Set-NetFirewallProfile -Profile Private,Public -Enabled True -DefaultInboundAction Block",
    )


def test_a_quote_in_a_user_name_cannot_break_out_of_the_fix() -> None:
    from scanner.platforms import get_platform

    fix = get_platform("windows").fix("lock_stale_account", user="o'brien'; Remove-Item C:\\ -Recurse; '")
    assert fix == ("Disable-LocalUser -Name 'o''brien''; Remove-Item C:\\ -Recurse; '''",)


def test_evidence_points_at_the_line_in_the_saved_file(findings) -> None:
    from scanner.decoding import decode

    finding = findings["win-cn-gbk"]["host.stale_account"]
    evidence = finding.evidence[0]
    assert evidence.source == "local_users.json (Get-LocalUser)"
    assert evidence.path and evidence.path.endswith("win-cn-gbk/local_users.json")
    lines = decode(Path(evidence.path).read_bytes()).splitlines()
    assert '"Name":  "李娜"' in lines[evidence.line - 1]
    policy = findings["win-violating"]["host.password_policy"].evidence
    text = decode((WINDOWS / "win-violating" / "secpol.inf").read_bytes()).splitlines()
    assert all(text[e.line - 1].strip() == e.text for e in policy)


def test_policy_thresholds_change_verdicts() -> None:
    strict = Policy.from_text("hosts:\n  patch_max_age_days: 10\n  lockout_max_tries: 3\n", "strict")
    found = scan_folder(WINDOWS / "win-cn-gbk", strict)
    assert found["host.patches"].status is FAIL
    assert "18 days old, at most 10 allowed" in found["host.patches"].message
    compliant = scan_folder(WINDOWS / "win-compliant", strict)
    assert compliant["host.account_lockout"].status is FAIL  # 5 tries allowed by the host, 3 by the policy


# ---- hostile and broken inputs ------------------------------------------------------------


def edited(tmp_path: Path, host: str, **files: object) -> Path:
    """A copy of a fixture host with files replaced (JSON-encoded when not str), or removed (None)."""
    target = tmp_path / host
    shutil.copytree(WINDOWS / host, target)
    for name, content in files.items():
        path = target / name.replace("_json", ".json").replace("_inf", ".inf")
        if content is None:
            path.unlink()
        else:
            text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=4)
            path.write_text(text, encoding="utf-8")
    return target


def test_defender_in_passive_mode_alone_is_no_protection(tmp_path: Path) -> None:
    status = psjson.records((WINDOWS / "win-compliant" / "defender.json").read_bytes().decode("utf-16"))[0].data
    found = scan_folder(edited(tmp_path, "win-compliant", defender_json=dict(status, AMRunningMode="Passive Mode")))
    assert found["host.antivirus"].status is FAIL
    assert "Passive Mode" in found["host.antivirus"].message


def test_another_program_of_an_antivirus_vendor_is_no_antivirus(findings) -> None:
    """win-violating has "360 Zip" installed; only 360's antivirus programs count."""
    assert "360" not in findings["win-violating"]["host.antivirus"].message


def test_no_defender_and_no_antivirus_fails_naming_what_was_looked_for(tmp_path: Path) -> None:
    host = edited(tmp_path, "win-cn-gbk", installed_json=[{"DisplayName": "WPS Office", "Publisher": "Kingsoft"}])
    found = scan_folder(host)
    assert found["host.antivirus"].status is FAIL
    assert "Microsoft Defender" in found["host.antivirus"].message and "Huorong" in found["host.antivirus"].message


def test_an_unread_installed_list_is_no_verdict_without_defender(tmp_path: Path) -> None:
    found = scan_folder(edited(tmp_path, "win-cn-gbk", installed_json=None))
    assert found["host.antivirus"].status is ERROR
    assert "installed.json: not in the snapshot" in found["host.antivirus"].message


def test_defender_service_stopped_is_a_failure_not_absence(tmp_path: Path) -> None:
    host = edited(tmp_path, "win-compliant", defender_json=None)
    meta = yaml.safe_load((host / "meta.yaml").read_text())
    meta["errors"] = {"defender.json": "0x800106ba: The Microsoft Defender Antivirus service is not running"}
    (host / "meta.yaml").write_text(yaml.safe_dump(meta))
    found = scan_folder(host)
    assert found["host.antivirus"].status is FAIL
    assert "antimalware service is not running" in found["host.antivirus"].message


def test_enabled_guest_fails_even_with_a_password_required(tmp_path: Path) -> None:
    users = psjson.records((WINDOWS / "win-compliant" / "local_users.json").read_bytes().decode("utf-16"))
    data = [r.data for r in users]
    for user in data:
        if user["Name"] == "Guest":
            user.update(Enabled=True, PasswordRequired=True)
    found = scan_folder(edited(tmp_path, "win-compliant", local_users_json=data))
    assert found["host.empty_password"].status is FAIL
    assert "Guest (the Guest account, enabled)" in found["host.empty_password"].message


def test_guest_enabled_by_the_security_policy_fails_though_listed_disabled(tmp_path: Path) -> None:
    policy = decode((WINDOWS / "win-compliant" / "secpol.inf").read_bytes())
    assert "EnableGuestAccount = 0" in policy
    found = scan_folder(
        edited(tmp_path, "win-compliant", secpol_inf=policy.replace("EnableGuestAccount = 0", "EnableGuestAccount = 1"))
    )
    empty = found["host.empty_password"]
    assert empty.status is FAIL
    assert "Guest (the Guest account, EnableGuestAccount = 1)" in empty.message
    assert any(e.text == "EnableGuestAccount = 1" and e.path.endswith("secpol.inf") for e in empty.evidence)


def _cut(policy: str, before: str) -> str:
    return policy[: policy.index(before)]


def test_a_security_policy_cut_short_gives_no_pass(tmp_path: Path) -> None:
    policy = decode((WINDOWS / "win-compliant" / "secpol.inf").read_bytes())
    # Cut before ClearTextPassword: what followed might have failed host.password_policy.
    found = scan_folder(edited(tmp_path / "a", "win-compliant", secpol_inf=_cut(policy, "ClearTextPassword")))
    for check in ("host.password_policy", "host.password_age", "host.account_lockout"):
        assert found[check].status is ERROR, found[check].message
        assert "cut short" in found[check].message
    assert found["host.empty_password"].status is PASS, "local_users.json alone decides it"
    # A failure shown by a line that is there stands.
    weak = _cut(policy, "[Event Audit]").replace("MinimumPasswordLength = 12", "MinimumPasswordLength = 4")
    found = scan_folder(edited(tmp_path / "b", "win-compliant", secpol_inf=weak))
    assert found["host.password_policy"].status is FAIL
    assert any(e.text == "MinimumPasswordLength = 4" for e in found["host.password_policy"].evidence)


def test_unknown_administrators_membership_asks_the_administrator_length(tmp_path: Path) -> None:
    users = [
        {"Name": "ops", "SID": "S-1-5-21-1-2-3-1001", "Enabled": True, "PasswordRequired": True, "Administrator": None}
    ]
    access = "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 8\r\n"
    found = scan_folder(edited(tmp_path, "win-compliant", local_users_json=users, secpol_inf=access))
    assert found["host.password_policy"].status is FAIL
    assert "9 required (administrator accounts: ops)" in found["host.password_policy"].message


def test_an_export_without_system_access_is_no_verdict(tmp_path: Path) -> None:
    found = scan_folder(edited(tmp_path, "win-compliant", secpol_inf="[Unicode]\r\nUnicode=yes\r\n[Version]\r\n"))
    for check in ("host.password_policy", "host.account_lockout"):
        assert found[check].status is ERROR
        assert "not a secedit /export" in found[check].message


def test_truncated_json_is_an_error_naming_the_file(tmp_path: Path) -> None:
    text = (WINDOWS / "win-violating" / "local_users.json").read_bytes().decode("utf-8-sig")
    found = scan_folder(edited(tmp_path, "win-violating", local_users_json=text[: len(text) // 2]))
    for check in ("host.empty_password", "host.stale_account"):
        assert found[check].status is ERROR
        assert "local_users.json" in found[check].message
    # The policy's MaximumPasswordAge (unlimited here) fails on its own; the accounts are said unread.
    age = found["host.password_age"]
    assert age.status is FAIL
    assert "MaximumPasswordAge" in age.message and "local_users.json: not valid JSON" in age.message
    assert found["host.firewall"].status is FAIL  # the other files still judged


def test_unreadable_users_with_a_good_policy_is_no_pass(tmp_path: Path) -> None:
    text = decode((WINDOWS / "win-compliant" / "local_users.json").read_bytes())  # UTF-16LE there
    found = scan_folder(edited(tmp_path, "win-compliant", local_users_json=text[: len(text) // 2]))
    assert found["host.password_age"].status is ERROR
    assert "local_users.json" in found["host.password_age"].message


def test_binary_garbage_is_an_error_not_a_pass(tmp_path: Path) -> None:
    host = edited(tmp_path, "win-compliant")
    (host / "firewall.json").write_bytes(bytes(range(256)) * 8)
    found = scan_folder(host)
    assert found["host.firewall"].status is ERROR
    assert "firewall.json" in found["host.firewall"].message


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_an_unreadable_file_is_an_error_naming_it_and_the_rest_is_judged(tmp_path: Path, kind: str) -> None:
    host = edited(tmp_path, "win-compliant")
    secpol = host / "secpol.inf"
    if kind == "folder":
        secpol.unlink()
        secpol.mkdir()
    else:
        secpol.unlink()
        os.mkfifo(secpol)  # read naively, it would never end
    found = scan_folder(host)
    for check in ("host.password_policy", "host.account_lockout"):
        assert found[check].status is ERROR, (kind, found[check].message)
        assert str(secpol) in found[check].message
    assert found["host.firewall"].status is PASS, "the other files are still judged"


def test_a_missing_profile_is_no_verdict(tmp_path: Path) -> None:
    found = scan_folder(
        edited(tmp_path, "win-compliant", firewall_json={"Name": "Domain", "Enabled": 1, "DefaultInboundAction": 4})
    )
    assert found["host.firewall"].status is ERROR
    assert "Private, Public" in found["host.firewall"].message


@pytest.mark.parametrize("order", ["off-first", "off-last"])
def test_a_profile_listed_twice_counts_its_open_record(tmp_path: Path, order: str) -> None:
    good = [{"Name": n, "Enabled": 1, "DefaultInboundAction": 4} for n in ("Domain", "Private", "Public")]
    off = {"Name": "Public", "Enabled": 0, "DefaultInboundAction": 2}
    profiles = [off, *good] if order == "off-first" else [*good, off]
    found = scan_folder(edited(tmp_path, "win-compliant", firewall_json=profiles))
    assert found["host.firewall"].status is FAIL
    assert "Public" in found["host.firewall"].message


def test_an_empty_snapshot_is_an_error_for_every_check(tmp_path: Path) -> None:
    host = tmp_path / "snaps" / "bare-win"
    host.mkdir(parents=True)
    meta = {"platform": "windows", "collected_at": "2026-11-20T00:00:00+00:00"}
    (host / "meta.yaml").write_text(yaml.safe_dump(meta))
    found = scan_folder(host)
    assert {f.status for c, f in found.items() if c in JUDGED} == {ERROR}
    assert "none of a Windows host's files" in found["host.firewall"].message


# ---- ConvertTo-Json's quirks ---------------------------------------------------------------


def test_records_single_object_array_and_empty() -> None:
    assert [r.data["a"] for r in psjson.records('{\r\n    "a":  1\r\n}\r\n')] == [1]
    mixed = psjson.records('[\r\n    {\r\n        "a":  1\r\n    },\r\n    {"a": 2}\r\n]')
    assert [r.data["a"] for r in mixed] == [1, 2]
    assert psjson.records("") == [] and psjson.records("[]") == [] and psjson.records("null\r\n") == []
    two = psjson.records('[\r\n    {\r\n        "a":  1\r\n    },\r\n    {\r\n        "a":  2\r\n    }\r\n]')
    assert [r.line for r in two] == [2, 5]
    with pytest.raises(psjson.PsJsonError):
        psjson.records('[{"a": 1},')
    with pytest.raises(psjson.PsJsonError):
        psjson.records('["text"]')


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/Date(1705276800000)/", "2024-01-15T00:00:00+00:00"),
        ("/Date(1705276800000+0800)/", "2024-01-15T00:00:00+00:00"),
        ({"value": "/Date(1705276800000)/", "DateTime": "2024年1月15日 8:00:00"}, "2024-01-15T00:00:00+00:00"),
        ("20240115080000.000000+480", "2024-01-15T00:00:00+00:00"),
        ("2024-01-15T08:00:00+08:00", "2024-01-15T00:00:00+00:00"),
        (None, None),
        ("", None),
        ("not a date", None),
    ],
)
def test_dates(value: object, expected: str | None) -> None:
    parsed = psjson.date_value(value)
    assert (parsed.isoformat() if parsed else None) == expected


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("/Date(1793635200000)/", "2026-11-03"),  # local midnight at UTC+8 (China): 16:00 UTC the day before
        ("/Date(1793682000000)/", "2026-11-03"),  # local midnight at UTC-5: 05:00 UTC the same day
        ({"value": "/Date(1793664000000)/", "DateTime": "2026年11月3日 0:00:00"}, "2026-11-03"),
        (None, None),
    ],
)
def test_an_install_day_is_the_day_the_host_names(value: object, day: str | None) -> None:
    found = psjson.calendar_day(value)
    assert (found.isoformat() if found else None) == day


def test_a_chinese_hosts_hotfix_age_counts_from_its_own_day(findings) -> None:
    """win-cn-gbk's newest hotfix is KB5046612 of 2026年11月3日, written as /Date/ of 2026-11-02 16:00 UTC."""
    patches = findings["win-cn-gbk"]["host.patches"]
    assert patches.status is PASS
    assert "KB5046612, is from 2026-11-03 (18 days old" in patches.message


def _hotfixes(*rows: tuple[str, str | None]) -> list[dict]:
    return [{"HotFixID": kb, "Description": "Security Update", "InstalledOn": on} for kb, on in rows]


def test_hotfixes_dated_after_the_scan_prove_nothing_recent(tmp_path: Path) -> None:
    # The scan runs on 2026-11-21; a day/month swap made 2026-03-11 read as 2026-11-03 -> here 2027-03-11.
    only_future = _hotfixes(("KB5046612", "/Date(1804723200000)/"))
    found = scan_folder(edited(tmp_path / "a", "win-cn-gbk", hotfixes_json=only_future))
    assert found["host.patches"].status is FAIL
    assert "dated after the scan (KB5046612 2027-03-11)" in found["host.patches"].message
    mixed = _hotfixes(("KB5046612", "/Date(1804723200000)/"), ("KB4049065", "/Date(1511107200000)/"))
    found = scan_folder(edited(tmp_path / "b", "win-cn-gbk", hotfixes_json=mixed))
    assert found["host.patches"].status is FAIL, "judged on the plausible date, 2017"
    assert "KB4049065, is from 2017-11-20" in found["host.patches"].message


def test_defender_signatures_dated_after_the_scan_are_no_pass(tmp_path: Path) -> None:
    status = psjson.records((WINDOWS / "win-compliant" / "defender.json").read_bytes().decode("utf-16"))[0].data
    future = dict(status, AntivirusSignatureLastUpdated="/Date(1804723200000)/")  # 2027-03-11
    found = scan_folder(edited(tmp_path, "win-compliant", defender_json=future))
    assert found["host.antivirus"].status is FAIL
    assert "signatures dated 2027-03-11, after the scan" in found["host.antivirus"].message


def test_enums_and_booleans_as_numbers_or_names() -> None:
    actions = {0: "NotConfigured", 2: "Allow", 4: "Block"}
    assert [psjson.enum_name(v, actions) for v in (4, "4", "Block", "block", 0, 7)] == [
        "Block",
        "Block",
        "Block",
        "Block",
        "NotConfigured",
        "7",
    ]
    assert [psjson.bool_value(v) for v in (True, 1, "True", "false", 0, 2, None)] == [
        True,
        True,
        True,
        False,
        False,
        None,
        None,
    ]


def test_scan_cli_reads_the_folder_as_windows_hosts(tmp_path: Path) -> None:
    result = run_cli("scan", "--snapshots", str(WINDOWS), "-f", "json", "-o", str(tmp_path / "out.json"), "--no-store")
    assert result.returncode == 1, result.stderr
    document = json.loads((tmp_path / "out.json").read_text())
    assert {h["name"]: h["platform"] for h in document["hosts"]} == dict.fromkeys(EXPECTED, "windows")
    statuses = {(f["host"], f["check"]): f["status"] for f in document["findings"]}
    assert statuses[("win-violating", "host.firewall")] == "fail"
    assert statuses[("win-compliant", "host.firewall")] == "pass"
