"""`netcomply fix` on the bundled lab: per device, one script in its own syntax that the device accepts.

The lab's failures (shipped checks) plus a policy rule that touches the same sections:
each device's commands are merged under their parents (one `line vty 0 4`, one `aaa`),
repeats dropped, sections left with the platform's exit (`exit`, `quit`), wrapped in the
commands that enter and leave configuration mode; Junos as set lines. No secret of the
lab's configurations appears; masked values are placeholders.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.platforms import get_platform
from scanner.remediation import fix_script
from tests.conftest import LAB, run_cli

RULES = """\
rules:
  - id: site.vty_ssh_only
    platforms: [cisco_ios, cisco_xe]
    within: '^line vty'
    must_contain: '^transport input ssh$'
    fix: transport input ssh
  - id: site.no_http
    must_not_contain: ['^ip http server', '^http server enable']
  - id: site.vty_timeout
    within: '^(line|user-interface) vty'
    must_contain: '^(exec-timeout|idle-timeout) 5 0$'
    fix:
      cisco_ios: exec-timeout 5 0
      cisco_xe: exec-timeout 5 0
      huawei: idle-timeout 5 0
      hp_comware: idle-timeout 5 0
"""
_SECRET_IN_LINE = re.compile(
    r"(?:secret|password|community|cipher|key|encrypted-password)\s+(?:\d\s+)?(?:irreversible-cipher\s+|cipher\s+|simple\s+)?\"?([^\s\"]+)"
)


def _lab_secrets() -> set[str]:
    found = set()
    for path in (LAB / "snapshots").glob("*/*config*.txt"):
        for match in _SECRET_IN_LINE.finditer(path.read_text()):
            value = match.group(1)
            # Keywords (expire, sha512, snmp-server) are letters and hyphens, or end in a few digits.
            if len(value) >= 6 and not re.fullmatch(r"[a-z-]+\d{0,3}(_[a-z]+)?", value):
                found.add(value)
    return found


def _devices(output: str, comments: bool = False) -> dict[str, list[str]]:
    """Device name -> its script lines (or its comment lines), each device starting with its header comment."""
    devices: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        header = re.match(r"^[!#] (\S+) \(.+\): \d+ failing check", line)
        if header:
            current = devices.setdefault(header.group(1), [])
        elif current is not None and line and line.startswith(("! ", "# ")) == comments:
            current.append(line)
    return devices


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fix") / "policy.yaml"
    path.write_text(RULES)
    return path


@pytest.fixture(scope="module")
def lab_fix(policy: Path) -> str:
    done = run_cli("fix", "-i", str(LAB), "-p", str(policy))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ios_fixes_of_several_checks_enter_a_section_once(lab_fix: str) -> None:
    script = _devices(lab_fix)["hq-acc1"]
    assert script[0] == "configure terminal" and script[-1] == "end"
    vty = script.index("line vty 0 4")
    block = script[vty : script.index("  exit", vty) + 1]
    # services.telnet, the two rules, access.management_acl and auth.idle_timeout all fix this section.
    assert {"  transport input ssh", "  exec-timeout 5 0", "  access-class MGMT-ACCESS in"} <= set(block)
    timeouts = [line for line in block if "exec-timeout" in line]
    assert timeouts[-1] == "  exec-timeout 5 0", "the device keeps the last: the site rule's stricter timeout"
    assert script.count("line vty 0 4") == 1, "services.telnet and two rules fix the same section"
    assert script.count("no ip http server") == 1, "services.http and site.no_http give the same command"
    assert "line vty 5 15" in script, "the other vty section lacks the timeout"


def test_huawei_and_h3c_scripts_use_system_view_undo_and_quit(lab_fix: str) -> None:
    devices = _devices(lab_fix)
    huawei = devices["hq-acc2"]
    assert huawei[0] == "system-view" and huawei[-1] == "return"
    assert huawei.count("aaa") == 1, "auth.local_password enters aaa twice in its own fix"
    aaa = huawei.index("aaa")
    assert huawei[aaa + 1].strip().startswith("local-user ops password irreversible-cipher")
    assert "undo http server enable" in huawei and huawei.count("undo http server enable") == 1
    vty = huawei.index("user-interface vty 0 4")
    block = huawei[vty : huawei.index("  quit", vty) + 1]
    # services.telnet, the timeout rule and access.management_acl fix this section, once.
    assert block == [
        "user-interface vty 0 4",
        "  acl 2999 inbound",
        "  protocol inbound ssh",
        "  idle-timeout 5 0",
        "  quit",
    ]
    assert huawei.count("user-interface vty 0 4") == 1
    comware = devices["hq-acc3"]
    assert comware[0] == "system-view" and comware[-1] == "return"
    assert "  quit" in comware and "  exit" not in comware, "Comware leaves a view with quit"


def test_junos_script_is_set_lines_between_configure_and_commit(lab_fix: str) -> None:
    junos = _devices(lab_fix)["hq-fw1"]
    assert junos[0] == "configure" and junos[-1] == "commit"
    assert all(line.startswith(("set ", "delete ")) for line in junos[1:-1])


def test_advice_waivers_and_errors_are_comments_not_commands(lab_fix: str) -> None:
    notes = _devices(lab_fix, comments=True)["hq-core2"]
    assert any(line.startswith("! power.redundant: not fixed by commands here: Install a second") for line in notes)
    script = _devices(lab_fix)["hq-core2"]
    assert script[0] == "configure terminal" and not any("power supply" in line for line in script)


def test_no_secret_of_the_lab_is_in_the_fixes_and_masked_ones_are_placeholders(lab_fix: str) -> None:
    secrets = _lab_secrets()
    assert len(secrets) >= 10, "the lab's configurations hold the secrets this test looks for"
    assert not [s for s in secrets if s in lab_fix]
    assert not re.search(r"community (?:read |write )?(?:simple )?(?:public|private)\b", lab_fix), "weak words too"
    edge = _devices(lab_fix)["hq-edge1"]
    removal = next(line for line in edge if line.startswith("no snmp-server community"))
    assert re.fullmatch(r"no snmp-server community <\w{0,3}\*\*\*>", removal), removal


def test_fix_takes_hosts_and_the_scan_options(policy: Path) -> None:
    done = run_cli("fix", "hq-acc2", "--hosts", "hq-fw1", "-i", str(LAB), "-p", str(policy))
    assert done.returncode == 0, done.stderr
    assert set(_devices(done.stdout)) == {"hq-acc2", "hq-fw1"}
    missing = run_cli("fix", "no-such-host", "-i", str(LAB))
    assert missing.returncode == 2 and "no host matched" in missing.stderr


def test_fix_refuses_a_bad_rule_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: site.x\n    must_contain: '(('\n")
    done = run_cli("fix", "-i", str(LAB), "-p", str(bad))
    assert done.returncode == 2
    assert f"{bad}:3: must_contain: bad regular expression" in done.stderr


def test_the_fixes_format_of_a_stored_run_is_the_same_script(policy: Path, lab_fix: str, tmp_path: Path) -> None:
    db = tmp_path / "runs.db"
    scanned = run_cli("scan", "-i", str(LAB), "-p", str(policy), "--db", str(db), "-f", "fixes")
    assert scanned.returncode == 1, scanned.stderr
    reported = run_cli("report", "latest", "--db", str(db), "-f", "fixes")
    assert reported.returncode == 0, reported.stderr
    assert _devices(scanned.stdout) == _devices(lab_fix)
    assert _devices(reported.stdout) == _devices(lab_fix), "advice stays a comment after the store round trip"


@pytest.mark.parametrize(
    ("platform", "blocks", "expected"),
    [
        (
            "cisco_nxos",
            [
                ["interface mgmt0", "  vrf member management"],
                ["no feature telnet"],
                ["interface mgmt0", "  no cdp enable"],
            ],
            ["interface mgmt0", "  vrf member management", "  no cdp enable", "  exit", "no feature telnet"],
        ),
        (
            "arista_eos",
            [["management api http-commands", "   no protocol http"], ["management api http-commands", "   shutdown"]],
            ["management api http-commands", "  no protocol http", "  shutdown", "  exit"],
        ),
        (
            "juniper_junos",
            [["delete system services telnet", "set system services ssh"], ["delete system services telnet"]],
            ["delete system services telnet", "set system services ssh"],
        ),
    ],
)
def test_fix_script_merges_snippets_per_platform(platform: str, blocks: list[list[str]], expected: list[str]) -> None:
    assert fix_script(get_platform(platform), blocks) == expected


def test_a_host_that_cannot_be_judged_is_named_and_exits_2(tmp_path: Path) -> None:
    snaps = tmp_path / "snaps"
    for name in ("hq-acc1",):
        (snaps / name).mkdir(parents=True)
        for source in (LAB / "snapshots" / name).iterdir():
            (snaps / name / source.name).write_bytes(source.read_bytes())
    (snaps / "broken1").mkdir()
    (snaps / "broken1" / "show_running-config.txt").write_text("\x00\x01 garbage that no platform recognises\n")
    done = run_cli("fix", "-s", str(snaps))
    assert done.returncode == 2, done.stderr
    assert "configure terminal" in _devices(done.stdout)["hq-acc1"]
    notes = _devices(done.stdout, comments=True)["broken1"]
    assert any(line.startswith("# could not be judged (no fix known until they can): ") for line in notes)
