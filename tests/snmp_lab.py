"""Fixtures for the SNMP tests: the bundled lab network served by real SNMP agents on 127.0.0.1."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from scanner.model import HostInfo
from scanner.policy import Policy
from scanner.snapshot import discover
from scanner.snmp.lab import LAB_V3_CONTEXT, LabAgent, LabUser, SnmpLab, agent_from_snapshot, snmpsim_available
from testbed.udptap import TappedSnmpLab
from tests.conftest import LAB

V3_USER = LabUser("netcomply", auth_key="Auth-Key-4-lab", priv_key="Priv-Key-4-lab")
# hq-core1's agent also answers a community its saved configuration does not show.
HIDDEN_COMMUNITY = ("hq-core1", "monitor")


def fast_policy(**snmp: object) -> Policy:
    """The default policy with a short timeout and a high rate, so the tests run in seconds."""
    section = {"timeout": 0.5, "rate_per_host": 50.0, "concurrency": 20, **snmp}
    return Policy.from_text(yaml.safe_dump({"snmp": section}), "test policy")


def lab_agents() -> list[LabAgent]:
    agents = [agent_from_snapshot(source.load()) for source in discover(LAB / "snapshots")]
    for agent in agents:
        if agent.host == HIDDEN_COMMUNITY[0]:
            agent.add_community(HIDDEN_COMMUNITY[1])
        if agent.host in ("hq-core1", "dc-leaf1"):
            agent.users.append(V3_USER)
    return agents


def require_snmpsim() -> None:
    if not snmpsim_available():
        pytest.skip("snmpsim and pysmi are not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def snmp_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TappedSnmpLab]:
    require_snmpsim()
    agents = lab_agents()
    agents.append(LabAgent(host="blackhole", records=[], silent=True))
    with TappedSnmpLab(agents, tmp_path_factory.mktemp("snmplab"), tap=True) as lab:
        yield lab


@functools.cache
def _communities() -> dict[str, tuple[str, ...]]:
    return {a.host: tuple(a.communities) for a in lab_agents()}


def snmp_configured(host: str) -> bool:
    return bool(_communities().get(host))


def community_of(host: str) -> str:
    """The community a lab host's configuration holds that the inventory gives as its own (the longest)."""
    return max(_communities()[host], key=len)


def lab_hosts(lab: SnmpLab, env_prefix: str = "NETCOMPLY_TEST_SNMP_") -> tuple[dict[str, HostInfo], dict[str, str]]:
    """Inventory hosts at the lab's agents, each naming the variable that holds its own credential."""
    inventory = yaml.safe_load((LAB / "hosts.yaml").read_text())
    hosts: dict[str, HostInfo] = {}
    env: dict[str, str] = {}
    for name, port in lab.ports.items():
        entry = inventory.get(name, {"platform": "cisco_ios", "data": {}})
        data = dict(entry.get("data") or {})
        variable = env_prefix + name.upper().replace("-", "_")
        if name in ("hq-core1", "dc-leaf1"):
            data["snmp"] = {
                "version": "3",
                "user": V3_USER.user,
                "auth_protocol": "sha",
                "auth_key_env": variable + "_AUTH",
                "priv_protocol": "aes",
                "priv_key_env": variable + "_PRIV",
                "context": LAB_V3_CONTEXT,
                "port": port,
            }
            env[variable + "_AUTH"] = V3_USER.auth_key
            env[variable + "_PRIV"] = V3_USER.priv_key
        elif name == "blackhole" or not snmp_configured(name):
            # No credential: the blackhole never answers, and a device with no SNMP community in
            # its configuration has none to give.
            data["snmp"] = {"port": port}
        else:
            data["snmp"] = {"community_env": variable, "port": port}
            env[variable] = community_of(name)
        hosts[name] = HostInfo(name=name, platform=entry.get("platform"), address="127.0.0.1", data=data)
    return hosts, env


def write_inventory(lab: SnmpLab, directory: Path) -> dict[str, str]:
    """A Nornir inventory of the lab's agents in ``directory``; returns the environment it names."""
    hosts, env = lab_hosts(lab)
    directory.mkdir(parents=True, exist_ok=True)
    document = {
        name: {"hostname": host.address, "platform": host.platform, "data": dict(host.data)}
        for name, host in hosts.items()
    }
    (directory / "hosts.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return env
