"""Real show outputs (the ntc-templates test captures in the shared corpus) through the vendor parsers."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.facts import Facts
from scanner.model import Evidence
from scanner.platforms import get_platform
from scanner.snapshot import decode


def _ev(line: int, text: str) -> Evidence:
    return Evidence.of("test", line, text)


def _samples(corpus: Path, platform: str, command: str) -> list[Path]:
    found = sorted((corpus / "ntc-templates" / platform / command.replace(" ", "_")).glob("*.raw"))
    assert found, f"no {platform} {command} samples in the corpus"
    return found


def _facts(name: str) -> Facts:
    return Facts(host="t", platform=get_platform(name))


def test_huawei_display_device_samples(corpus: Path) -> None:
    platform = get_platform("huawei")
    supplies = {}
    for path in _samples(corpus, "huawei_vrp", "display device"):
        facts = _facts("huawei")
        platform.parse_power("display device", decode(path.read_bytes()), facts, _ev)
        supplies[path.name] = [(p.name, p.status) for p in facts.power_supplies]
        assert all(p.evidence.line and "PWR" in p.evidence.text for p in facts.power_supplies)
    assert supplies["huawei_vrp_display_device.raw"] == [(f"PWR{i}", "ok") for i in range(1, 5)]
    assert supplies["huawei_vrp_display_device_all.raw"] == [("1/PWR2", "ok")]
    assert supplies["huawei_vrp_display_device_card.raw"] == []


def test_huawei_version_and_lldp_samples(corpus: Path) -> None:
    platform = get_platform("huawei")
    models = set()
    for path in _samples(corpus, "huawei_vrp", "display version"):
        facts = _facts("huawei")
        platform.parse_version(decode(path.read_bytes()), facts, _ev)
        assert facts.version and facts.model, path.name
        models.add(facts.model)
    assert {"NE40E-X2-M8A", "AR6280", "S7706"} <= models
    for path in _samples(corpus, "huawei_vrp", "display lldp neighbor"):
        facts = _facts("huawei")
        platform.parse_neighbors("display lldp neighbor", decode(path.read_bytes()), facts, _ev)
        assert facts.neighbors, path.name
        for neighbor in facts.neighbors:
            assert neighbor.local_interface and neighbor.evidence.line >= 1
            assert neighbor.local_interface in neighbor.evidence.text


def test_comware_lldp_list_samples(corpus: Path) -> None:
    platform = get_platform("hp_comware")
    names = []
    for path in _samples(corpus, "hp_comware", "display lldp neighbor-information list"):
        facts = _facts("hp_comware")
        platform.parse_neighbors("display lldp neighbor-information list", decode(path.read_bytes()), facts, _ev)
        names.extend((n.local_interface, n.remote_name, n.remote_interface) for n in facts.neighbors)
    assert ("Ten-GigabitEthernet1/0/1", "SW-TEST-001", "Ten-GigabitEthernet1/0/30") in names
    assert ("GigabitEthernet2/0/45", "SEP0000000000A0", "Port 1") in names


def test_junos_chassis_hardware_and_version_samples(corpus: Path) -> None:
    platform = get_platform("juniper_junos")
    counts = {}
    for path in _samples(corpus, "juniper_junos", "show chassis hardware"):
        facts = _facts("juniper_junos")
        text = decode(path.read_bytes())
        platform.parse_power("show chassis hardware", text, facts, _ev)
        counts[path.name] = len(facts.power_supplies)
        lines = [e.evidence.line for e in facts.power_supplies]
        assert len(set(lines)) == len(lines), path.name
        assert all(p.status == "unknown" for p in facts.power_supplies)
    assert counts["juniper_junos_show_chassis_hardware.raw"] == 2
    assert counts["juniper_junos_show_chassis_hardware4.raw"] == 6  # PEM 0-3, then PEM 0-1 of a second chassis
    for path in _samples(corpus, "juniper_junos", "show version"):
        facts = _facts("juniper_junos")
        platform.parse_version(decode(path.read_bytes()), facts, _ev)
        assert facts.hostname and facts.model, path.name


@pytest.mark.parametrize("name", ["huawei", "hp_comware", "juniper_junos"])
def test_the_device_refusal_is_recognised_and_timestamps_are_volatile(name: str) -> None:
    import re

    from scanner.snapshot import rejection

    platform = get_platform(name)
    assert rejection(platform.cli_rejection)
    assert platform.cli_prompt.format(hostname="sw1", user="netcomply") in ("<sw1>", "netcomply@sw1>")
    stamped = {
        "huawei": "!Last configuration was updated at 2026-11-18 16:42:07+08:00 by ops",
        "hp_comware": None,
        "juniper_junos": "## Last commit: 2026-11-19 02:11:09 UTC by admin",
    }[name]
    if stamped:
        assert any(re.search(p, stamped) for p in platform.volatile)
    for line in ("sysname sw1", "set system host-name fw1", "!Software Version V200R019C10SPC500"):
        assert not any(re.search(p, line) for p in platform.volatile)
