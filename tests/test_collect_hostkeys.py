"""SSH host keys: checked against known_hosts before any password is sent; learned only on request."""

from __future__ import annotations

from pathlib import Path

from scanner.collect import CollectOptions, Reason, collect
from scanner.lab import KNOWN_HOSTS_FILE
from tests.conftest import run_cli
from tests.labhelpers import make_network, running_lab

OPTIONS = {"connect_timeout": 3.0, "command_timeout": 3.0}


def _everyone(_host: object) -> bool:
    return True


def test_unknown_keys_fail_until_accepted_then_are_remembered(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["k1", "k2"])
    known_hosts = tmp_path / "ssh" / "known_hosts"
    with running_lab(snapshots, tmp_path / "inventory") as lab:
        first = collect(tmp_path / "inventory", _everyone, CollectOptions(known_hosts=known_hosts, **OPTIONS))
        assert {r.error.reason for r in first.results.values() if r.error} == {Reason.HOSTKEY_UNKNOWN}
        assert "--accept-new-hostkeys" in str(first.results["k1"].error)
        assert not known_hosts.exists()
        assert lab.logins == {"k1": 0, "k2": 0}, "no credentials may be sent to an unverified device"

        learned = collect(
            tmp_path / "inventory",
            _everyone,
            CollectOptions(known_hosts=known_hosts, accept_new_hostkeys=True, **OPTIONS),
        )
        assert not learned.failed
        assert sorted(learned.learned_hostkeys) == sorted(f"[127.0.0.1]:{p}" for p in lab.ports.values())
        lines = known_hosts.read_text().splitlines()
        assert len(lines) == 2 and all(" ssh-ed25519 " in line for line in lines)

        again = collect(tmp_path / "inventory", _everyone, CollectOptions(known_hosts=known_hosts, **OPTIONS))
        assert not again.failed and not again.learned_hostkeys


def test_a_changed_key_fails_that_host_only_with_a_clear_message(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["stable1", "moved1"])
    with running_lab(snapshots, tmp_path / "inventory") as lab:
        known_hosts = tmp_path / "inventory" / KNOWN_HOSTS_FILE  # the lab's own, used by default
        before = known_hosts.read_text()
        lab.keys.replace_host_key("moved1")
        logins_before = dict(lab.logins)
        result = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "out"), "--accept-new-hostkeys"
        )
        assert lab.logins["moved1"] == logins_before["moved1"], "the password went to a device with a changed key"
    assert result.returncode == 2
    assert "moved1: host key mismatch:" in result.stderr
    assert "remove its line from" in result.stderr and "SHA256:" in result.stderr
    assert (tmp_path / "out" / "stable1").is_dir() and not (tmp_path / "out" / "moved1").exists()
    assert known_hosts.read_text() == before, "--accept-new-hostkeys must never overwrite a known key"


def test_known_hosts_reads_hashed_names_and_tells_a_changed_key_from_an_unknown_one(tmp_path: Path) -> None:
    import paramiko
    import pytest

    from scanner.collect.errors import CollectError
    from scanner.collect.hostkeys import KnownHosts
    from scanner.lab.keys import LabKeys

    keys = LabKeys(tmp_path / "keys")
    known, other = keys.host_key("a"), keys.host_key("b")
    hashed = paramiko.HostKeys.hash_host("[127.0.0.1]:2201")
    path = tmp_path / "known_hosts"
    path.write_text(f"# comment kept\n{hashed} {known.get_name()} {known.get_base64()}\n")
    store = KnownHosts(path, accept_new=True)
    store.verify("[127.0.0.1]:2201", known)
    with pytest.raises(CollectError) as mismatch:
        store.verify("[127.0.0.1]:2201", other)
    assert mismatch.value.reason is Reason.HOSTKEY_MISMATCH and other.fingerprint in str(mismatch.value)
    store.verify("[127.0.0.1]:2202", other)
    assert path.read_text().startswith("# comment kept\n") and path.read_text().endswith(
        f"[127.0.0.1]:2202 {other.get_name()} {other.get_base64()}\n"
    )
