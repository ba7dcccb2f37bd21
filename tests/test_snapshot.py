"""The snapshot folder contract (DESIGN.md) and reading what users actually have."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.snapshot import Snapshot, SnapshotError, discover, rejection, slugify, write_snapshot


@pytest.mark.parametrize(
    ("command", "slug"),
    [
        ("show running-config", "show_running-config"),
        ("show configuration | display set", "show_configuration_display_set"),
        ("display current-configuration", "display_current-configuration"),
        ("show environment power all", "show_environment_power_all"),
        ("display lldp neighbor-information list", "display_lldp_neighbor-information_list"),
        ("Show  Version", "show_version"),
    ],
)
def test_command_slugs_follow_the_contract(command: str, slug: str) -> None:
    assert slugify(command) == slug


def test_snapshot_folder_and_flat_configs_side_by_side(tmp_path: Path) -> None:
    (tmp_path / "sw1").mkdir()
    (tmp_path / "sw1" / "show_running-config.txt").write_text("hostname sw1\n")
    (tmp_path / "sw1" / "meta.yaml").write_text("platform: cisco_ios\n")
    (tmp_path / "rtr9.example.net").write_text("hostname rtr9\n")
    (tmp_path / "core2.cfg").write_text("hostname core2\n")
    (tmp_path / "README.md").write_text("not a config\n")
    (tmp_path / ".git").mkdir()
    sources = {s.host: s for s in discover(tmp_path)}
    assert set(sources) == {"sw1", "rtr9.example.net", "core2"}
    assert not sources["sw1"].flat and sources["core2"].flat
    snapshot = sources["sw1"].load()
    assert snapshot.platform == "cisco_ios"
    assert snapshot.output("show running-config") == "hostname sw1\n"
    assert snapshot.output("show version") is None


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="does not exist"):
        discover(tmp_path / "nope")


def test_chinese_descriptions_in_gb18030_are_read(tmp_path: Path) -> None:
    host = tmp_path / "plant-sw"
    host.mkdir()
    (host / "display_current-configuration.txt").write_bytes(
        "interface GigabitEthernet0/0/1\n description 生产控制区上联\n".encode("gb18030")
    )
    snapshot = discover(tmp_path)[0].load()
    assert "生产控制区上联" in (snapshot.output("display current-configuration") or "")


def test_corrupt_meta_yaml_is_reported_not_raised(tmp_path: Path) -> None:
    host = tmp_path / "sw1"
    host.mkdir()
    (host / "meta.yaml").write_text("platform: [unclosed\n")
    snapshot = discover(tmp_path)[0].load()
    assert "not valid YAML" in snapshot.meta["meta_error"]


@pytest.mark.parametrize(
    "text",
    [
        "show environment power all\n                     ^\n% Invalid input detected at '^' marker.\n",
        "% Invalid input detected at '^' marker.\n",
        "              ^\nError: Unrecognized command found at '^' position.\n",
        "syntax error, expecting <command>.\n",
    ],
)
def test_rejected_commands_are_recognised(text: str) -> None:
    assert rejection(text)


def test_real_output_is_not_a_rejection() -> None:
    assert rejection("Building configuration...\n\nhostname x\n") is None


def test_write_snapshot_round_trips_byte_for_byte(tmp_path: Path) -> None:
    outputs = {
        "show running-config": "Building configuration...\r\n\r\nhostname x\r\nend\r\n",
        "show configuration | display set": "set system host-name x\n",
    }
    write_snapshot(tmp_path, Snapshot(host="x", platform="cisco_ios", outputs=outputs, meta={"source": "test"}))
    assert (tmp_path / "x" / "show_running-config.txt").read_bytes() == outputs["show running-config"].encode()
    assert (tmp_path / "x" / "show_configuration_display_set.txt").exists()
    loaded = discover(tmp_path)[0].load()
    assert loaded.platform == "cisco_ios"
    for command, text in outputs.items():
        assert loaded.output(command) == text
    assert not [p for p in (tmp_path / "x").iterdir() if p.name.endswith(".tmp")]


def test_a_whole_collection_error_answers_for_every_missing_command() -> None:
    snapshot = Snapshot(
        host="sw1",
        outputs={"show version": "Cisco IOS Software\n"},
        meta={"collection_error": "authentication failed", "errors": {"show inventory": "timeout"}},
    )
    assert snapshot.error_for("show running-config") == "authentication failed"
    assert snapshot.error_for("show inventory") == "timeout"
    assert snapshot.error_for("show version") is None


def test_writing_to_a_device_writes_through_it_instead_of_replacing_it(tmp_path: Path) -> None:
    """`-o /dev/null` must never turn /dev/null into a regular file (a rename over it would)."""
    import os
    import stat

    from scanner.files import atomic_write

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, "through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    atomic_write(Path(os.devnull), "discarded")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
