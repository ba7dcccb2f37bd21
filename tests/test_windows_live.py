"""Windows hosts live, over OpenSSH and over WinRM, against stand-ins labelled as such.

No Windows host can run here. Over SSH the host is testbed/windowshost.py: a real SSH
server (paramiko) with the banner of OpenSSH for Windows that answers each
``powershell.exe -EncodedCommand`` command line with what the body prints on the host a
fixture folder describes. Over WinRM it is testbed/winrm_replay.py: a real HTTPS
endpoint with real NTLM authentication that replays recorded WS-Management responses
(pywinrm's own recordings) around the fixture outputs. What these tests prove is
netcomply's side of the exchange: command lines, credentials, host keys and
certificates, framing, errors, and that a live scan gives the offline verdicts.
"""

from __future__ import annotations

import importlib.util
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from scanner.collect import CollectOptions, collect
from scanner.collect.errors import CollectError, Reason
from scanner.collect.hostkeys import KnownHosts
from scanner.collect.linux import HostCollectOptions
from scanner.collect.windows import collect_windows, windows_target
from scanner.engine import ScanOptions, run_scan
from scanner.masking import Secret
from scanner.model import HostInfo, Status
from scanner.policy import Policy
from scanner.snapshot import HostInput, SnapshotSource, write_snapshot
from testbed import windowshost, winrm_replay
from testbed.windowshost import FixtureAnswers, WindowsTestHost
from testbed.winrm_replay import WinRMReplay
from tests.conftest import run_cli
from tests.test_windows_offline import EXPECTED, JUDGED, WINDOWS, scan_folder

# The WinRM tests need pywinrm (the [winrm] extra, and a test dependency); the SSH ones do not.
needs_winrm = pytest.mark.skipif(
    importlib.util.find_spec("winrm") is None, reason="pywinrm is not installed (pip install 'netcomply[winrm]')"
)


@pytest.fixture(scope="module")
def ssh_hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, WindowsTestHost]]:
    root = tmp_path_factory.mktemp("winssh")
    started = {name: WindowsTestHost(FixtureAnswers(WINDOWS / name), root / name).start() for name in EXPECTED}
    try:
        yield started
    finally:
        for host in started.values():
            host.stop()


@pytest.fixture(scope="module")
def winrm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WinRMReplay]:
    replay = WinRMReplay(FixtureAnswers(WINDOWS / "win-cn-gbk"), tmp_path_factory.mktemp("winrm")).start()
    try:
        yield replay
    finally:
        replay.stop()


def known(tmp_path: Path, *hosts: WindowsTestHost) -> KnownHosts:
    path = tmp_path / "known_hosts"
    path.write_text("".join(h.known_hosts_line() for h in hosts))
    return KnownHosts(path)


def ssh_target(host: WindowsTestHost, name: str, **changes: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "username": windowshost.LOGIN_USER,
        "password": None,
        "key_file": host.client_key_file,
        "data": {},
    }
    values.update(changes)
    return windows_target(
        name,
        "127.0.0.1",
        host.port,
        values["username"],  # type: ignore[arg-type]
        values["password"],  # type: ignore[arg-type]
        values["key_file"],  # type: ignore[arg-type]
        False,
        values["data"],  # type: ignore[arg-type]
    )


def winrm_target(replay: WinRMReplay, password: str = winrm_replay.PASSWORD, **data: object):  # type: ignore[no-untyped-def]
    settings = {"transport": "winrm", "port": replay.port, "ca_file": str(replay.ca_file), **data}
    return windows_target("win-cn-gbk", "127.0.0.1", 22, winrm_replay.USERNAME, Secret(password), None, False, settings)


def verdicts(snapshot, name: str) -> dict:  # type: ignore[no-untyped-def]
    """Scan a live snapshot the day after the fixture's collection (the fixtures' dates are fixed)."""
    from datetime import datetime, timedelta

    meta = yaml.safe_load((WINDOWS / name / "meta.yaml").read_text())
    now = datetime.fromisoformat(str(meta["collected_at"])) + timedelta(days=1)
    result = run_scan(
        [HostInput(HostInfo(name=name, data={"role": "server"}), snapshot)], ScanOptions(Policy.default(), now=now)
    )
    return {f.check: f for f in result.findings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_live_over_ssh_gives_the_offline_verdicts(ssh_hosts, tmp_path: Path, name: str) -> None:
    host = ssh_hosts[name]
    snapshot = collect_windows(ssh_target(host, name), known(tmp_path, host))
    assert snapshot.platform == "windows"
    assert "OpenSSH_for_Windows" in snapshot.meta["source"]
    live = verdicts(snapshot, name)
    offline = scan_folder(WINDOWS / name)
    assert {c: (live[c].status, live[c].message) for c in JUDGED} == {
        c: (offline[c].status, offline[c].message) for c in JUDGED
    }
    expected_errors = yaml.safe_load((WINDOWS / name / "meta.yaml").read_text()).get("errors") or {}
    assert set(snapshot.meta.get("errors") or {}) == set(expected_errors)


def test_offline_replay_of_a_live_snapshot_gives_the_same_findings(ssh_hosts, tmp_path: Path) -> None:
    snapshot = collect_windows(
        ssh_target(ssh_hosts["win-cn-gbk"], "win-cn-gbk"), known(tmp_path, ssh_hosts["win-cn-gbk"])
    )
    folder = write_snapshot(tmp_path / "snaps", snapshot)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*snapshot.documents, "meta.yaml"])
    assert "李娜" in (folder / "local_users.json").read_text(encoding="utf-8")
    replayed = verdicts(SnapshotSource(host="win-cn-gbk", path=folder, flat=False).load(), "win-cn-gbk")
    live = verdicts(snapshot, "win-cn-gbk")
    assert {c: (f.status, f.message) for c, f in live.items()} == {
        c: (f.status, f.message) for c, f in replayed.items()
    }


def test_password_login_and_the_password_never_shows(ssh_hosts, tmp_path: Path) -> None:
    host = ssh_hosts["win-compliant"]
    password = Secret(windowshost.LOGIN_PASSWORD)
    snapshot = collect_windows(ssh_target(host, "w", key_file=None, password=password), known(tmp_path, host))
    assert "os.json" in snapshot.documents
    assert windowshost.LOGIN_PASSWORD not in yaml.safe_dump(snapshot.meta)
    wrong = "Wr0ng-Passw0rd-2231"
    with pytest.raises(CollectError) as caught:
        collect_windows(ssh_target(host, "w", key_file=None, password=Secret(wrong)), known(tmp_path, host))
    assert caught.value.reason is Reason.AUTHENTICATION
    assert wrong not in str(caught.value) and windowshost.LOGIN_PASSWORD not in str(caught.value)


def test_host_keys_are_checked_as_for_every_platform(ssh_hosts, tmp_path: Path) -> None:
    compliant, violating = ssh_hosts["win-compliant"], ssh_hosts["win-violating"]
    other = tmp_path / "other"
    other.write_text(f"[127.0.0.1]:{compliant.port} " + violating.known_hosts_line().split(" ", 1)[1])
    with pytest.raises(CollectError) as changed:
        collect_windows(ssh_target(compliant, "w"), KnownHosts(other))
    assert changed.value.reason is Reason.HOSTKEY_MISMATCH
    with pytest.raises(CollectError) as unknown:
        collect_windows(ssh_target(compliant, "w"), KnownHosts(tmp_path / "empty"))
    assert unknown.value.reason is Reason.HOSTKEY_UNKNOWN
    collect_windows(ssh_target(compliant, "w"), KnownHosts(tmp_path / "learned", accept_new=True))
    assert compliant.host_key.get_base64() in (tmp_path / "learned").read_text()


def test_a_hanging_source_times_out_alone(tmp_path: Path) -> None:
    answers = FixtureAnswers(WINDOWS / "win-violating", hang={"installed.json"})
    with WindowsTestHost(answers, tmp_path / "host") as host:
        options = HostCollectOptions(connect_timeout=5, command_timeout=1)
        snapshot = collect_windows(ssh_target(host, "w"), known(tmp_path, host), options)
    assert snapshot.meta["errors"] == {"installed.json": "timed out after 1 s"}
    assert "installed.json" not in snapshot.documents and "firewall.json" in snapshot.documents
    found = verdicts(snapshot, "win-violating")
    # Defender is off and the installed programs are unknown: no verdict either way.
    assert found["host.antivirus"].status is Status.ERROR
    assert "installed.json: timed out after 1 s" in found["host.antivirus"].message
    assert found["host.firewall"].status is Status.FAIL


def test_a_host_without_powershell_is_a_command_failure(tmp_path: Path) -> None:
    """A Linux host mistaken for Windows (or a shell without powershell.exe): every command 'not found'."""

    class NotWindows(FixtureAnswers):
        def answer(self, command: str) -> tuple[bytes, bytes, int]:
            return b"", b"sh: 1: powershell.exe: not found\n", 127

    host = WindowsTestHost(NotWindows(WINDOWS / "win-compliant"), tmp_path / "host")
    with host, pytest.raises(CollectError) as caught:
        collect_windows(ssh_target(host, "w"), known(tmp_path, host))
    assert caught.value.reason is Reason.COMMAND
    assert "no powershell.exe" in caught.value.detail


def test_skip_update_search_is_passed_to_the_host(ssh_hosts, tmp_path: Path) -> None:
    host = ssh_hosts["win-compliant"]
    snapshot = collect_windows(ssh_target(host, "w", data={"skip_update_search": True}), known(tmp_path, host))
    assert snapshot.meta["errors"] == {"pending_updates.json": "the update search was not run (-SkipUpdateSearch)"}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"transport": "telnet"}, "windows transport 'telnet'"),
        ({"transport": "winrm", "auth": "basic"}, "windows auth 'basic'"),
        ({"port": "5986"}, "is not a TCP port"),
        ({"verify": "no"}, "verify must be true or false"),
        ({"trasport": "winrm"}, "unknown key(s) in the host's windows data: trasport"),
    ],
)
def test_bad_windows_data_is_refused_with_its_name(data: dict, fragment: str) -> None:
    with pytest.raises(CollectError) as caught:
        windows_target("w", "127.0.0.1", 22, "u", None, None, False, data)
    assert caught.value.reason is Reason.SETUP and fragment in caught.value.detail


# ---- WinRM -------------------------------------------------------------------------------


@needs_winrm
def test_live_over_winrm_gives_the_offline_verdicts(winrm: WinRMReplay, tmp_path: Path) -> None:
    before = len(winrm.actions)
    snapshot = collect_windows(winrm_target(winrm), KnownHosts(tmp_path / "unused"))
    assert snapshot.meta["source"].startswith(f"winrm auditor https://127.0.0.1:{winrm.port}/wsman (ntlm; pywinrm")
    live = verdicts(snapshot, "win-cn-gbk")
    offline = scan_folder(WINDOWS / "win-cn-gbk")
    assert {c: (live[c].status, live[c].message) for c in JUDGED} == {
        c: (offline[c].status, offline[c].message) for c in JUDGED
    }
    exchange = winrm.actions[before:]
    assert exchange[0] == "Create" and exchange[-1] == "Delete"
    assert exchange.count("Command") == 9 and exchange.count("Signal") == 9
    assert set(exchange) == {"Create", "Command", "Receive", "Signal", "Delete"}


@needs_winrm
def test_winrm_wrong_password_is_authentication_failed(winrm: WinRMReplay, tmp_path: Path) -> None:
    wrong = "Wr0ng-WinRM-1177"
    with pytest.raises(CollectError) as caught:
        collect_windows(winrm_target(winrm, password=wrong), KnownHosts(tmp_path / "kh"))
    assert caught.value.reason is Reason.AUTHENTICATION
    assert wrong not in str(caught.value)


@needs_winrm
def test_winrm_untrusted_certificate_is_refused(winrm: WinRMReplay, tmp_path: Path) -> None:
    """Without the endpoint's CA the TLS certificate cannot be verified: WinRM's 'host key unknown'."""
    target = windows_target(
        "w", "127.0.0.1", 22, winrm_replay.USERNAME, Secret(winrm_replay.PASSWORD), None, False,
        {"transport": "winrm", "port": winrm.port},
    )  # fmt: skip
    logins = winrm.logins
    with pytest.raises(CollectError) as caught:
        collect_windows(target, KnownHosts(tmp_path / "kh"))
    assert caught.value.reason is Reason.HOSTKEY_UNKNOWN
    assert "ca_file" in caught.value.detail
    assert winrm.logins == logins, "no credential is sent to an unverified server"


@needs_winrm
def test_winrm_closed_port_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = windows_target("w", "127.0.0.1", 22, "u", Secret("x"), None, False, {"transport": "winrm", "port": port})
    with pytest.raises(CollectError) as caught:
        collect_windows(target, KnownHosts(tmp_path / "kh"), HostCollectOptions(connect_timeout=3))
    assert caught.value.reason is Reason.UNREACHABLE


@needs_winrm
def test_winrm_needs_a_password_for_ntlm(winrm: WinRMReplay, tmp_path: Path) -> None:
    target = windows_target("w", "127.0.0.1", 22, "u", None, None, False, {"transport": "winrm", "port": winrm.port})
    with pytest.raises(CollectError) as caught:
        collect_windows(target, KnownHosts(tmp_path / "kh"))
    assert caught.value.reason is Reason.AUTHENTICATION and "needs a password" in caught.value.detail


@needs_winrm
def test_winrm_kerberos_without_its_library_says_what_to_install(winrm: WinRMReplay, tmp_path: Path) -> None:
    pytest.importorskip("requests", reason="pywinrm's transport")
    try:
        import requests_kerberos  # noqa: F401

        pytest.skip("requests-kerberos is installed here: the missing-library message cannot show")
    except ImportError:
        pass
    target = winrm_target(winrm, auth="kerberos")
    with pytest.raises(CollectError) as caught:
        collect_windows(target, KnownHosts(tmp_path / "kh"))
    assert caught.value.reason is Reason.SETUP and "pywinrm[kerberos]" in caught.value.detail


# ---- through the collection step and the command line ------------------------------------


def windows_inventory(folder: Path, hosts: dict[str, dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    return folder


@needs_winrm
def test_the_collection_step_hands_windows_hosts_to_their_collector(ssh_hosts, winrm, tmp_path: Path) -> None:
    ssh = ssh_hosts["win-violating"]
    over_winrm = {"transport": "winrm", "port": winrm.port, "ca_file": str(winrm.ca_file)}
    inventory = windows_inventory(
        tmp_path / "inventory",
        {
            "win-ssh": {
                "hostname": "127.0.0.1", "port": ssh.port, "username": windowshost.LOGIN_USER, "platform": "windows",
                "data": {"role": "server"},
            },
            "win-winrm": {
                "hostname": "127.0.0.1", "username": winrm_replay.USERNAME, "platform": "windows",
                "password": winrm_replay.PASSWORD,
                "data": {"role": "server", "windows": over_winrm},
            },
        },
    )  # fmt: skip
    (inventory / "known_hosts").write_text(ssh.known_hosts_line())
    options = CollectOptions(workers=2, known_hosts=inventory / "known_hosts", ssh_key=ssh.client_key_file)
    run = collect(inventory, lambda host: True, options)
    assert run.results["win-ssh"].error is None, run.results["win-ssh"].error
    assert run.results["win-winrm"].error is None, run.results["win-winrm"].error
    ssh_found = verdicts(run.results["win-ssh"].snapshot, "win-violating")
    assert {c: ssh_found[c].status for c in JUDGED} == EXPECTED["win-violating"]
    winrm_found = verdicts(run.results["win-winrm"].snapshot, "win-cn-gbk")
    assert {c: winrm_found[c].status for c in JUDGED} == EXPECTED["win-cn-gbk"]


def test_live_scan_from_the_command_line_never_prints_the_password(ssh_hosts, tmp_path: Path) -> None:
    host = ssh_hosts["win-violating"]
    inventory = windows_inventory(
        tmp_path / "inventory",
        {"win-legacy02": {"hostname": "127.0.0.1", "port": host.port, "username": windowshost.LOGIN_USER,
                          "platform": "windows", "data": {"role": "server"}}},
    )  # fmt: skip
    (inventory / "known_hosts").write_text(host.known_hosts_line())
    out = tmp_path / "reports"
    result = run_cli(
        "scan", "--inventory", str(inventory), "--live", "--no-store", "-v", "-f", "json,console,html",
        "-o", str(out), "--save-snapshots", str(tmp_path / "snaps"),
        env={"NETCOMPLY_PASSWORD": windowshost.LOGIN_PASSWORD},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads((out / "netcomply-json-latest.json").read_text())
    statuses = {f["check"]: f["status"] for f in report["findings"] if f["host"] == "win-legacy02"}
    assert {c: statuses[c] for c in ("host.firewall", "host.patches", "host.empty_password")} == dict.fromkeys(
        ("host.firewall", "host.patches", "host.empty_password"), "fail"
    )
    assert statuses["services.http"] == "not_applicable"
    saved = tmp_path / "snaps" / "win-legacy02"
    assert (saved / "secpol.inf").exists() and yaml.safe_load((saved / "meta.yaml").read_text())[
        "platform"
    ] == "windows"
    texts = [result.stdout, result.stderr, *(p.read_text() for p in out.iterdir())]
    texts += [p.read_text(errors="replace") for p in saved.iterdir()]
    assert all(windowshost.LOGIN_PASSWORD not in text for text in texts)
