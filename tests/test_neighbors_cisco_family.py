"""CDP/LLDP neighbours of the Cisco-family parsers, with the evidence line that names each neighbour."""

from __future__ import annotations

import pytest

from scanner.platforms import get_platform
from scanner.snapshot import discover
from tests.conftest import LAB


def _neighbors(host: str) -> list:
    source = next(s for s in discover(LAB / "snapshots") if s.host == host)
    snapshot = source.load()
    return get_platform(snapshot.platform).parse(snapshot).neighbors


@pytest.mark.parametrize(
    ("host", "protocol", "local", "remote", "remote_interface", "marker"),
    [
        ("hq-dist1", "cdp", "Ethernet1/49", "hq-core1.lab.example.net", "TenGigabitEthernet1/0/2", "Device ID"),
        ("hq-dist1", "lldp", "Eth1/3", "hq-acc3", "GigabitEthernet1/0/49", "System Name"),
        ("hq-acc1", "cdp", "GigabitEthernet1/0/48", "hq-edge1.lab.example.net", "GigabitEthernet0/0/2", "Device ID"),
        ("dc-leaf1", "lldp", "Ethernet49/1", "hq-core1.lab.example.net", "Te1/0/4", "System Name"),
    ],
)
def test_neighbour_names_ports_and_evidence(
    host: str, protocol: str, local: str, remote: str, remote_interface: str, marker: str
) -> None:
    found = [n for n in _neighbors(host) if n.protocol == protocol and n.local_interface == local]
    assert len(found) == 1, [(n.protocol, n.local_interface) for n in _neighbors(host)]
    neighbor = found[0]
    assert neighbor.remote_name == remote
    assert neighbor.remote_interface == remote_interface
    assert marker in neighbor.evidence.text and remote in neighbor.evidence.text
    lines = (LAB / "snapshots" / host / neighbor.evidence.path.rsplit("/", 1)[-1]).read_text().splitlines()
    assert lines[neighbor.evidence.line - 1].strip() == neighbor.evidence.text.strip()
