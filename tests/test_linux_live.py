"""Linux hosts live: real sshd, real commands, arranged state, typed collection errors.

Each host is a LinuxTestHost (testbed/linuxhost.py): mount, network and UTS namespaces
of its own with /etc, /var and /home overlaid, so the machine is never changed. The
verdicts expected here are the ones the offline fixtures give: those fixtures were
collected from these same hosts.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scanner.collect import CollectOptions, collect
from scanner.collect.errors import CollectError, Reason
from scanner.collect.hostkeys import KnownHosts
from scanner.collect.linux import HostCollectOptions, HostTarget, collect_host
from scanner.engine import ScanOptions, run_scan
from scanner.masking import Secret
from scanner.model import HostInfo, Status
from scanner.platforms._linux.commands import FIREWALLD_STATE, FIREWALLD_ZONE
from scanner.policy import Policy
from scanner.snapshot import HostInput, SnapshotSource, write_snapshot
from testbed.linuxhost import (
    LOGIN_PASSWORD,
    LOGIN_USER,
    LinuxTestHost,
    compliant_profile,
    skip_reason,
    violating_profile,
    write_inventory,
)
from tests.test_linux_offline import EXPECTED, HOST_CHECKS

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, LinuxTestHost]]:
    root = tmp_path_factory.mktemp("linuxhosts")
    started = {}
    try:
        for profile in (compliant_profile(), violating_profile()):
            started[profile.name] = LinuxTestHost(profile, root / profile.name).start()
        yield started
    finally:
        for host in started.values():
            host.stop()


def target(host: LinuxTestHost, **changes: object) -> HostTarget:
    values: dict[str, object] = {
        "name": host.profile.name,
        "address": "127.0.0.1",
        "port": host.port,
        "username": LOGIN_USER,
        "key_file": host.client_key,
    }
    values.update(changes)
    return HostTarget(**values)  # type: ignore[arg-type]


def known(tmp_path: Path, *hosts: LinuxTestHost) -> KnownHosts:
    path = tmp_path / "known_hosts"
    path.write_text("".join(h.known_hosts_line(p) for h in hosts for p in h.ports))
    return KnownHosts(path)


def scan(snapshot, name: str) -> dict:
    result = run_scan(
        [HostInput(HostInfo(name=name, data={"role": "server"}), snapshot)], ScanOptions(Policy.default())
    )
    return {f.check: f for f in result.findings}


@pytest.mark.parametrize("name", ["linux-compliant", "linux-violating"])
def test_live_verdicts_match_the_form(hosts, tmp_path: Path, name: str) -> None:
    host = hosts[name]
    snapshot = collect_host(target(host), known(tmp_path, host))
    assert snapshot.meta["privilege"] == "sudo"
    errors = dict(snapshot.meta.get("errors") or {})
    # firewalld is not installed on the Debian test hosts: its commands are recorded as not found.
    for command in (FIREWALLD_STATE, FIREWALLD_ZONE):
        assert errors.pop(command, "command not found").startswith("command not found")
    assert not errors, errors
    found = scan(snapshot, name)
    assert {c: found[c].status for c in HOST_CHECKS} == EXPECTED[name]


def test_offline_replay_gives_the_same_findings(hosts, tmp_path: Path) -> None:
    host = hosts["linux-violating"]
    snapshot = collect_host(target(host), known(tmp_path, host))
    live = scan(snapshot, "h")
    folder = write_snapshot(tmp_path / "snaps", snapshot)
    replayed = scan(SnapshotSource(host="h", path=folder, flat=False).load(), "h")
    assert {c: (f.status, f.message) for c, f in live.items()} == {
        c: (f.status, f.message) for c, f in replayed.items()
    }
    assert "carol:P:" in (folder / "awk_-f_-v_ofs_2_2_np_2_l_p_print_etc_shadow.txt").read_text()


def test_the_arranged_state_is_what_the_host_reports(hosts, tmp_path: Path) -> None:
    host = hosts["linux-violating"]
    snapshot = collect_host(target(host), known(tmp_path, host))
    assert snapshot.output("hostname").strip() == "linux-violating"
    listening = snapshot.output("ss -tulpn")
    assert '"vsftpd"' in listening and ":2121" in listening and ":23 " in listening
    assert "Inst bash" in snapshot.output("apt-get -s dist-upgrade")
    from scanner.platforms._linux.commands import SHADOW

    shadow = snapshot.output(SHADOW)
    assert "dave:NP:" in shadow and "$6$" not in shadow  # states, never hashes
    assert "permitrootlogin yes" in snapshot.output("sshd -T")


def test_password_login_works_and_the_password_never_shows(hosts, tmp_path: Path) -> None:
    host = hosts["linux-compliant"]
    snapshot = collect_host(target(host, key_file=None, password=Secret(LOGIN_PASSWORD)), known(tmp_path, host))
    assert snapshot.output("getent passwd").startswith("root:")
    wrong = "Wr0ng-Password-5512"
    with pytest.raises(CollectError) as caught:
        collect_host(target(host, key_file=None, password=Secret(wrong)), known(tmp_path, host))
    assert caught.value.reason is Reason.AUTHENTICATION
    assert wrong not in str(caught.value) and LOGIN_PASSWORD not in str(caught.value)


def test_wrong_key_is_authentication_failed(hosts, tmp_path: Path) -> None:
    host = hosts["linux-compliant"]
    with pytest.raises(CollectError) as caught:
        collect_host(target(host, key_file=host.host_key), known(tmp_path, host))
    assert caught.value.reason is Reason.AUTHENTICATION
    assert "rejected the credentials" in caught.value.detail


def test_changed_host_key_is_refused_before_login(hosts, tmp_path: Path) -> None:
    compliant, violating = hosts["linux-compliant"], hosts["linux-violating"]
    path = tmp_path / "known_hosts"
    other = violating.known_hosts_line().split(" ", 1)[1]
    path.write_text(f"[127.0.0.1]:{compliant.port} {other}")
    with pytest.raises(CollectError) as caught:
        collect_host(target(compliant), KnownHosts(path))
    assert caught.value.reason is Reason.HOSTKEY_MISMATCH
    with pytest.raises(CollectError) as unknown:
        collect_host(target(compliant), KnownHosts(tmp_path / "empty_known_hosts"))
    assert unknown.value.reason is Reason.HOSTKEY_UNKNOWN
    learned = KnownHosts(tmp_path / "learned", accept_new=True)
    collect_host(target(compliant), learned)
    assert f"[127.0.0.1]:{compliant.port} ssh-ed25519" in (tmp_path / "learned").read_text()


def test_closed_port_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CollectError) as caught:
        collect_host(HostTarget("gone", "127.0.0.1", port, LOGIN_USER), KnownHosts(tmp_path / "kh"))
    assert caught.value.reason is Reason.UNREACHABLE


def test_a_server_that_never_speaks_is_a_timeout(tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        silent = HostTarget("silent", "127.0.0.1", server.getsockname()[1], LOGIN_USER)
        with pytest.raises(CollectError) as caught:
            collect_host(silent, KnownHosts(tmp_path / "kh"), HostCollectOptions(connect_timeout=1.0))
        assert caught.value.reason is Reason.TIMEOUT
    finally:
        stop.set()
        thread.join()
        server.close()
        for conn in held:
            conn.close()


def test_the_collection_step_collects_servers_beside_a_failing_one(hosts, tmp_path: Path) -> None:
    """Nornir's threaded runner (netcomply's collection step) hands Linux hosts to their collector."""
    compliant, violating = hosts["linux-compliant"], hosts["linux-violating"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    inventory = write_inventory(
        tmp_path / "inventory", [("srv-a", compliant.port), ("gone", closed), ("srv-b", violating.port)]
    )
    known = tmp_path / "known_hosts"
    known.write_text(compliant.known_hosts_line() + violating.known_hosts_line())
    options = CollectOptions(workers=3, known_hosts=known, ssh_key=compliant.client_key)
    run = collect(inventory, lambda host: True, options)
    assert run.results["srv-a"].snapshot is not None
    assert run.results["gone"].error is not None and run.results["gone"].error.reason is Reason.UNREACHABLE
    # The two hosts have their own client keys: the second one refuses the first host's key.
    assert run.results["srv-b"].error is not None and run.results["srv-b"].error.reason is Reason.AUTHENTICATION
    found = scan(run.results["srv-a"].snapshot, "srv-a")
    assert {c: found[c].status for c in HOST_CHECKS} == EXPECTED["linux-compliant"]


def test_live_scan_from_the_command_line(hosts, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    host = hosts["linux-violating"]
    inventory = write_inventory(tmp_path / "inventory", [("srv-legacy", host.port)])
    (inventory / "known_hosts").write_text(host.known_hosts_line())
    result = run_cli(
        "scan", "--inventory", str(inventory), "--live", "--ssh-key", str(host.client_key),
        "--no-store", "-f", "json", "-o", str(tmp_path / "r.json"), "--save-snapshots", str(tmp_path / "snaps"),
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    import json

    report = json.loads((tmp_path / "r.json").read_text())
    statuses = {f["check"]: f["status"] for f in report["findings"] if f["host"] == "srv-legacy"}
    assert all(statuses[c] == "fail" for c in HOST_CHECKS)
    assert statuses["services.http"] == "not_applicable"
    assert (tmp_path / "snaps" / "srv-legacy" / "apt-get_-s_dist-upgrade.txt").exists()


def test_an_uncollected_host_gets_errors_on_host_checks_only(tmp_path: Path) -> None:
    result = run_scan(
        [HostInput(HostInfo(name="gone", platform="linux"), None, error="unreachable: 127.0.0.1:1 refused")],
        ScanOptions(Policy.default(), now=datetime.now(UTC)),
    )
    by_check = {f.check: f for f in result.findings}
    assert all(by_check[c].status is Status.ERROR for c in HOST_CHECKS)
    assert by_check["services.http"].status is Status.NOT_APPLICABLE
    assert result.summary.exit_code == 2


def test_a_live_scan_with_a_password_never_prints_it(hosts, tmp_path: Path) -> None:
    from tests.conftest import run_cli

    host = hosts["linux-compliant"]
    inventory = write_inventory(tmp_path / "inventory", [("srv-app", host.port)])
    (inventory / "known_hosts").write_text(host.known_hosts_line())
    out = tmp_path / "reports"
    result = run_cli(
        "scan", "--inventory", str(inventory), "--live", "--no-store", "-v", "-f", "json,console,html",
        "-o", str(out), env={"NETCOMPLY_PASSWORD": LOGIN_PASSWORD},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    texts = [result.stdout, result.stderr, *(p.read_text() for p in out.iterdir())]
    assert all(LOGIN_PASSWORD not in text for text in texts)
