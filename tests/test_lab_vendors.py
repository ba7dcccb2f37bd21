"""Netmiko's own drivers for the vendors with other CLI conventions log in to the lab and read it whole.

Huawei VRP, H3C Comware and Junos platforms come as separate modules; their CLI traits
(prompt, refusal, paging command) are all the lab needs, so they are given here directly.
"""

from __future__ import annotations

from pathlib import Path

import netmiko
import pytest

from scanner.collect.connection import Session
from scanner.lab import LAB_PASSWORD, LAB_USERNAME, Lab, LabDevice
from scanner.model import HostInfo
from scanner.platforms.base import CommandSet, Platform
from scanner.snapshot import Snapshot

VENDORS = {
    "huawei": ("<{hostname}>", "Error: Unrecognized command found at '^' position.", "display version"),
    "hp_comware": ("<{hostname}>", "% Unrecognized command found at '^' position.", "display version"),
    "juniper_junos": ("{user}@{hostname}> ", "syntax error, expecting <command>.", "show version"),
}


def _platform(name: str) -> Platform:
    prompt, refusal, version = VENDORS[name]
    attributes = {
        "name": name,
        "display_name": name,
        "vendor": name,
        "ntc_platform": name,
        "commands": CommandSet(version=version, config="show configuration"),
        "cli_prompt": prompt,
        "cli_rejection": refusal,
    }
    return type(f"Lab_{name}", (Platform,), attributes)()


@pytest.mark.parametrize("device_type", sorted(VENDORS))
def test_netmiko_driver_logs_in_and_reads_outputs_and_refusals(device_type: str, tmp_path: Path) -> None:
    platform = _platform(device_type)
    text = f"{device_type} software\n 版本 1.0 (multi-byte)\n"
    device = LabDevice(
        name="lab-dev1",
        platform=platform,
        snapshot=Snapshot(host="lab-dev1", outputs={platform.commands.version: text}),
        host=HostInfo("lab-dev1"),
    )
    with Lab([device], tmp_path / "state") as lab:
        connection = netmiko.ConnectHandler(
            device_type=device_type,
            host="127.0.0.1",
            port=lab.ports["lab-dev1"],
            username=LAB_USERNAME,
            password=LAB_PASSWORD,
            global_delay_factor=0.1,
            read_timeout_override=5,
        )
        try:
            session = Session(connection, timeout=5)
            assert session.prompt == platform.cli_prompt.format(hostname="lab-dev1", user=LAB_USERNAME).strip()
            assert session.run(platform.commands.version, timeout=5) == text
            assert platform.cli_rejection in session.run("show bogus", timeout=5)
        finally:
            connection.disconnect()
