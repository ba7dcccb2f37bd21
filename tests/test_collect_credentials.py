"""Credentials: environment, inventory, key; never written to a log, a report or a snapshot."""

from __future__ import annotations

from pathlib import Path

import yaml

from scanner.collect import CollectOptions, Reason, collect
from scanner.lab import LAB_PASSWORD
from tests.conftest import run_cli
from tests.labhelpers import make_network, running_lab

OPTIONS = {"connect_timeout": 3.0, "command_timeout": 3.0}


def _everyone(_host: object) -> bool:
    return True


def _use_password_env(inventory: Path, variable: str) -> None:
    """Make the lab inventory look like a real one: no password in the file, only the variable's name."""
    defaults_file = inventory / "defaults.yaml"
    defaults = yaml.safe_load(defaults_file.read_text())
    defaults.pop("password")
    defaults["data"] = {"password_env": variable}
    defaults_file.write_text(yaml.safe_dump(defaults))


def test_password_from_the_variable_named_in_the_inventory_never_appears_in_any_output(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["s1", "s2"])
    with running_lab(snapshots, tmp_path / "inventory"):
        _use_password_env(tmp_path / "inventory", "LAB_SSH_PASSWORD")
        env = {"LAB_SSH_PASSWORD": LAB_PASSWORD, "NETCOMPLY_PASSWORD": "not-the-lab-password"}
        scan = run_cli(
            "scan", "-i", str(tmp_path / "inventory"), "-vv", "--format", "json,console",
            "--output", str(tmp_path / "reports"), "--save-snapshots", str(tmp_path / "saved"),
            "--nornir-log", str(tmp_path / "nornir.log"), env=env,
        )  # fmt: skip
        wrong = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o2"), "-vv",
            env={"LAB_SSH_PASSWORD": "Wr0ng-Secret-Value", "NETCOMPLY_PASSWORD": ""},
        )  # fmt: skip
    assert scan.returncode in (0, 1), scan.stderr
    assert "collected 2 of 2 host(s)" in scan.stderr
    assert wrong.returncode == 2 and "authentication failed" in wrong.stderr
    written = [
        p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file() and ".lab-state" not in p.parts
    ]
    for text in [scan.stdout, scan.stderr, wrong.stdout, wrong.stderr, *written]:
        assert LAB_PASSWORD not in text
        assert "Wr0ng-Secret-Value" not in text


def test_netcomply_password_is_the_fallback_and_a_missing_password_is_explained(tmp_path: Path) -> None:
    snapshots = make_network(tmp_path / "snapshots", ["f1"])
    with running_lab(snapshots, tmp_path / "inventory"):
        _use_password_env(tmp_path / "inventory", "UNSET_VARIABLE_FOR_THIS_TEST")
        fallback = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o"),
            env={"NETCOMPLY_PASSWORD": LAB_PASSWORD},
        )  # fmt: skip
        missing = run_cli(
            "collect", "-i", str(tmp_path / "inventory"), "-o", str(tmp_path / "o2"),
            env={"NETCOMPLY_PASSWORD": "", "SSH_AUTH_SOCK": ""},
        )  # fmt: skip
    assert fallback.returncode == 0, fallback.stderr
    assert missing.returncode == 2
    assert "f1: authentication failed: no password or key: set NETCOMPLY_PASSWORD" in missing.stderr


def test_key_login_from_the_inventory_and_from_ssh_key(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("NETCOMPLY_PASSWORD", raising=False)
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    snapshots = make_network(tmp_path / "snapshots", ["key1"])
    with running_lab(snapshots, tmp_path / "inventory", key_login=True) as lab:
        assert "password" not in (tmp_path / "inventory" / "defaults.yaml").read_text()
        by_inventory = collect(tmp_path / "inventory", _everyone, CollectOptions(**OPTIONS))
        assert not by_inventory.failed, by_inventory.results["key1"].error
        # --ssh-key on an inventory that names no key
        (tmp_path / "inventory" / "defaults.yaml").write_text("username: netcomply\n")
        no_key = collect(tmp_path / "inventory", _everyone, CollectOptions(**OPTIONS))
        assert no_key.results["key1"].error is not None
        assert no_key.results["key1"].error.reason is Reason.AUTHENTICATION
        by_option = collect(
            tmp_path / "inventory", _everyone, CollectOptions(ssh_key=lab.keys.client_key_path, **OPTIONS)
        )
        assert not by_option.failed, by_option.results["key1"].error
