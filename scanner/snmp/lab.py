"""Simulated SNMP agents serving what a snapshot says, for tests, the benchmark and the lab.

Each host of a snapshot folder becomes an SNMP agent on 127.0.0.1 answering:

* the communities of its configuration (clear-text ones; read-write ones accept a SET of
  sysLocation/sysContact), plus any extra community a test gives it;
* SNMPv3 users given to the lab (USM keys of a saved configuration cannot be recovered),
  in the context ``netcomply-lab-v3`` (snmpsim has no default context);
* sysDescr (the first line of the version output), sysObjectID (the vendor's
  enterprise), sysName, sysLocation and sysContact from the configuration;
* ENTITY-MIB: a chassis and one powerSupply row per supply the CLI reports, with its
  status where the platform's MIB gives one (CISCO-ENVMON-MIB on IOS,
  CISCO-ENTITY-FRU-CONTROL-MIB on IOS-XE/NX-OS, ENTITY-STATE-MIB elsewhere);
* LLDP-MIB: local ports and remote systems from the LLDP neighbour output.

The agents are snmpsim (PyPI ``snmpsim``): one ``snmpsim-command-responder`` process,
one SNMP engine per host, each with its own data directory, users and UDP port. The
community is the data file's name, as snmpsim selects data. A subclass may put endpoints
in front of agents (``fronted``/``start_fronts``): the tests' counting relay
(testbed/udptap.py) measures the rate at the agent and plays agents that never answer.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.facts import Facts
from scanner.platforms import get_platform
from scanner.snapshot import Snapshot
from scanner.snmp import aio
from scanner.snmp.discovery import discover
from scanner.snmp.ports import free_udp_ports
from scanner.snmpfiles import oids

log = logging.getLogger("netcomply.snmp.lab")

# The SNMPv3 context name the lab's agents serve their data in (inventory: snmp.context).
# snmpsim also answers it as a v1/v2c community: a lab-only word no dictionary holds.
LAB_V3_CONTEXT = "netcomply-lab-v3"
VARIATION_DIR = Path(__file__).resolve().parent / "lab_variation"
WRITABLE_VARIATION = "netcomply_writable"
ENTERPRISES = {"cisco": 9, "arista": 30065, "huawei": 2011, "juniper": 2636, "h3c": 25506}
_LOCATION_RE = re.compile(r"^\s*(?:snmp-server|snmp-agent sys-info)\s+location\s+(.+?)\s*$", re.M)
_CONTACT_RE = re.compile(r"^\s*(?:snmp-server|snmp-agent sys-info)\s+contact\s+(.+?)\s*$", re.M)
_SAFE_COMMUNITY = re.compile(r"^[^/\\\s\x00.][^/\\\x00]*$")


class SnmpLabError(Exception):
    """The lab's agents cannot start (snmpsim missing, a port in use, no answer)."""


@dataclass(frozen=True)
class LabUser:
    """An SNMPv3 user the agent accepts (authPriv SHA/AES by default)."""

    user: str
    auth_key: str
    priv_key: str
    auth_protocol: str = "SHA"
    priv_protocol: str = "AES"


@dataclass
class LabAgent:
    """What one simulated agent answers."""

    host: str
    records: list[tuple[str, str, str]]
    communities: dict[str, str] = field(default_factory=dict)
    users: list[LabUser] = field(default_factory=list)
    silent: bool = False

    def add_community(self, value: str, access: str = "ro") -> None:
        if not _SAFE_COMMUNITY.match(value) or value in ("self", "index"):
            log.warning("%s: community cannot be a simulator data file name; not served", self.host)
            return
        if self.communities.get(value) != "rw":
            self.communities[value] = access


# ---- data from a snapshot -------------------------------------------------------------


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(p) for p in oid.split("."))


def _text(value: str) -> tuple[str, str]:
    """An OctetString record value: text as is, hex (``4x``) when it has line breaks or '|'."""
    if value.isprintable() and "|" not in value:
        return "4", value
    return "4x", value.encode("utf-8").hex()


def agent_from_facts(host: str, facts: Facts, snapshot: Snapshot) -> LabAgent:
    platform = facts.platform
    config = snapshot.output(platform.commands.config) or snapshot.flat_config or ""
    version_text = snapshot.output(platform.commands.version) or ""
    descr = next((line.strip() for line in version_text.splitlines() if line.strip()), "")
    descr = descr or f"{platform.display_name} {facts.version or ''}".strip()
    location = _LOCATION_RE.search(config)
    contact = _CONTACT_RE.search(config)
    enterprise = ENTERPRISES.get(platform.vendor.lower(), 8072)
    records: list[tuple[str, str, str]] = [
        (oids.SYS_DESCR, *_text(descr)),
        (oids.SYS_OBJECT_ID, "6", f"1.3.6.1.4.1.{enterprise}.1.1"),
        (oids.SYS_UPTIME, "67", "8640000"),
        (oids.SYS_CONTACT, *_text(contact.group(1) if contact else "noc@lab.example.net")),
        (oids.SYS_NAME, *_text(facts.hostname or host)),
        (oids.SYS_LOCATION, *_text(location.group(1) if location else "netcomply lab")),
    ]
    records += _entity_records(facts)
    records += _lldp_records(facts)
    agent = LabAgent(host=host, records=records)
    for community in facts.snmp_communities:
        if community.measurable:
            agent.add_community(community.value.reveal(), community.access)
    if not agent.communities and facts.snmp_communities:
        # The configuration keeps its communities only as cipher text (Huawei), so the lab
        # cannot know them: it serves a stand-in the lab's own inventory gives instead.
        access = "rw" if any(c.access == "rw" for c in facts.snmp_communities) else "ro"
        agent.add_community(cipher_standin(host), access)
    return agent


def cipher_standin(host: str) -> str:
    """The community a lab agent serves for a device whose configured ones are cipher text only."""
    return f"nclab{zlib.crc32(host.encode()):08x}ro"


def _entity_records(facts: Facts) -> list[tuple[str, str, str]]:
    records = [
        (f"{oids.ENT_CLASS}.1", "2", "3"),
        (f"{oids.ENT_NAME}.1", *_text("Chassis")),
        (f"{oids.ENT_DESCR}.1", *_text(facts.model or facts.platform.display_name)),
        (f"{oids.ENT_MODEL}.1", *_text(facts.model or "")),
    ]
    platform = facts.platform.name
    for number, supply in enumerate(facts.power_supplies, 1):
        index = 1000 + number
        if platform == "cisco_ios":
            state = {"ok": "1", "failed": "3", "absent": "5"}.get(supply.status)
            records.append((f"{oids.ENVMON_SUPPLY_DESCR}.{number}", *_text(supply.name)))
            if state:
                records.append((f"{oids.ENVMON_SUPPLY_STATE}.{number}", "2", state))
        if supply.status == "absent":
            continue
        model = supply.detail.split()[0] if supply.detail.split() else ""
        records += [
            (f"{oids.ENT_CLASS}.{index}", "2", "6"),
            (f"{oids.ENT_NAME}.{index}", *_text(supply.name)),
            (f"{oids.ENT_DESCR}.{index}", *_text(supply.name)),
            (f"{oids.ENT_MODEL}.{index}", *_text(model)),
        ]
        if supply.status == "unknown" or platform == "cisco_ios":
            continue
        if facts.platform.vendor.lower() == "cisco":
            records.append((f"{oids.CEFC_POWER_OPER}.{index}", "2", "2" if supply.status == "ok" else "8"))
        else:
            records.append((f"{oids.ENT_STATE_OPER}.{index}", "2", "3" if supply.status == "ok" else "2"))
    return records


def _lldp_records(facts: Facts) -> list[tuple[str, str, str]]:
    records: list[tuple[str, str, str]] = []
    ports: dict[str, int] = {}
    for number, neighbor in enumerate((n for n in facts.neighbors if n.protocol == "lldp"), 1):
        port = ports.setdefault(neighbor.local_interface, len(ports) + 1)
        index = f"0.{port}.{number}"
        records += [
            (f"{oids.LLDP_REM_CHASSIS_SUBTYPE}.{index}", "2", "7"),
            (f"{oids.LLDP_REM_CHASSIS_ID}.{index}", *_text(neighbor.remote_name)),
            (f"{oids.LLDP_REM_PORT_SUBTYPE}.{index}", "2", "5"),
            (f"{oids.LLDP_REM_PORT_ID}.{index}", *_text(neighbor.remote_interface or "")),
            (f"{oids.LLDP_REM_PORT_DESC}.{index}", *_text("")),
            (f"{oids.LLDP_REM_SYS_NAME}.{index}", *_text(neighbor.remote_name)),
            (f"{oids.LLDP_REM_SYS_DESC}.{index}", *_text(neighbor.remote_platform or "")),
        ]
        address = neighbor.remote_address
        if address and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", address):
            records.append((f"{oids.LLDP_REM_MAN_ADDR_IF_SUBTYPE}.{index}.1.4.{address}", "2", "2"))
    for name, port in ports.items():
        records += [
            (f"{oids.LLDP_LOC_PORT_ID_SUBTYPE}.{port}", "2", "5"),
            (f"{oids.LLDP_LOC_PORT_ID}.{port}", *_text(name)),
            (f"{oids.LLDP_LOC_PORT_DESC}.{port}", *_text(name)),
        ]
    return records


def agent_from_snapshot(snapshot: Snapshot, platform_name: str | None = None) -> LabAgent:
    """Parse a host's snapshot with its platform and describe the agent it should be."""
    name = platform_name or snapshot.platform
    if not name:
        raise SnmpLabError(f"{snapshot.host}: no platform in meta.yaml or the inventory")
    platform = get_platform(name)
    snapshot.bind_flat_config(platform.commands.config)
    facts = platform.parse(snapshot)
    return agent_from_facts(snapshot.host, facts, snapshot)


# ---- running the agents ---------------------------------------------------------------


def snmpsim_available() -> bool:
    try:
        import pysmi  # noqa: F401  (snmpsim needs it without declaring it)
        import snmpsim  # noqa: F401
    except ImportError:
        return False
    return True


def _snmprec(records: list[tuple[str, str, str]], writable: bool) -> str:
    lines = []
    for oid, tag, value in sorted(records, key=lambda r: _oid_key(r[0])):
        if writable and oid in (oids.SYS_LOCATION, oids.SYS_CONTACT):
            hexed = value if tag == "4x" else value.encode("utf-8").hex()
            lines.append(f"{oid}|4:{WRITABLE_VARIATION}|{hexed}")
        else:
            lines.append(f"{oid}|{tag}|{value}")
    return "\n".join(lines) + "\n"


class SnmpLab:
    """Agents for ``agents`` on ``address``, one UDP port each; a context manager that stops them."""

    def __init__(self, agents: list[LabAgent], state: Path, address: str = "127.0.0.1") -> None:
        if not agents:
            raise SnmpLabError("no agent to simulate")
        self.agents = agents
        self.state = state
        self.address = address
        self.ports: dict[str, int] = {}
        self._internal: dict[str, int] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: Path = state / "snmpsim.log"

    def __enter__(self) -> SnmpLab:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _write_data(self) -> list[str]:
        if self.state.exists():
            shutil.rmtree(self.state / "data", ignore_errors=True)
        args: list[str] = []
        served = [a for a in self.agents if not a.silent]
        for position, agent in enumerate(served):
            directory = self.state / "data" / f"{position:04d}"
            directory.mkdir(parents=True, exist_ok=True)
            for community, access in agent.communities.items():
                (directory / f"{community}.snmprec").write_text(_snmprec(agent.records, access == "rw"))
            # snmpsim serves SNMPv3 only in a named context (a data file name), not the default empty one.
            (directory / f"{LAB_V3_CONTEXT}.snmprec").write_text(_snmprec(agent.records, False))
            args += [
                "--v3-engine-id=auto",
                f"--data-dir={directory}",
                f"--agent-udpv4-endpoint={self.address}:{self._internal[agent.host]}",
            ]
            for user in agent.users:
                args += [
                    f"--v3-user={user.user}",
                    f"--v3-auth-key={user.auth_key}",
                    f"--v3-auth-proto={user.auth_protocol}",
                    f"--v3-priv-key={user.priv_key}",
                    f"--v3-priv-proto={user.priv_protocol}",
                ]
        return args

    def start(self, timeout: float = 180.0) -> None:
        if not snmpsim_available():
            raise SnmpLabError("the SNMP lab needs snmpsim and pysmi: pip install 'netcomply[lab]'")
        self.state.mkdir(parents=True, exist_ok=True)
        served = [a for a in self.agents if not a.silent]
        fronted = self.fronted()
        # One allocation for the agents' and the fronts' ports, so no front takes an agent's port.
        ports = free_udp_ports(len(served) + len(fronted), self.address)
        self._internal = {a.host: p for a, p in zip(served, ports, strict=False)}
        front_ports = {a.host: p for a, p in zip(fronted, ports[len(served) :], strict=True)}
        upstreams = {a.host: None if a.silent else (self.address, self._internal[a.host]) for a in fronted}
        front = self.start_fronts(upstreams, front_ports) if upstreams else {}
        for agent in self.agents:
            self.ports[agent.host] = front.get(agent.host) or self._internal[agent.host]
        if not served:
            return
        args_file = self.state / "snmpsim.args"
        args_file.write_text("\n".join(self._write_data()) + "\n")
        args_file.chmod(0o600)
        command = [
            sys.executable,
            "-c",
            "import sys; from snmpsim.commands.responder import main; sys.exit(main())",
            f"--cache-dir={self.state / 'cache'}",
            f"--variation-modules-dir={VARIATION_DIR}",
            "--log-level=error",
            f"--args-from-file={args_file}",
        ]
        env = dict(os.environ, SNMPSIM_ALLOW_ROOT="true")
        with self._log_file.open("wb") as log_handle:
            self._process = subprocess.Popen(command, stdout=log_handle, stderr=subprocess.STDOUT, env=env)
        try:
            self._wait_ready(served, timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, served: list[LabAgent], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = {a.host: self._internal[a.host] for a in served}

        async def poll() -> None:
            while waiting:
                if self._process is not None and self._process.poll() is not None:
                    raise SnmpLabError(f"snmpsim exited with status {self._process.returncode}: {self._log_tail()}")
                if time.monotonic() > deadline:
                    raise SnmpLabError(
                        f"{len(waiting)} SNMP agent(s) did not start within {timeout:g} s "
                        f"(ports {sorted(waiting.values())}): {self._log_tail()}"
                    )
                results = await asyncio.gather(*(discover(self.address, p, 0.3) for p in waiting.values()))
                for host, found in zip(list(waiting), results, strict=True):
                    if found.status == "answered":
                        del waiting[host]
                if waiting:
                    await asyncio.sleep(0.2)

        aio.run(poll())

    def fronted(self) -> list[LabAgent]:
        """Agents reached through a front endpoint; silent agents have nothing else."""
        silent = [a.host for a in self.agents if a.silent]
        if silent:
            raise SnmpLabError(f"silent agents ({', '.join(silent)}) need a lab with front endpoints")
        return []

    def start_fronts(self, upstreams: dict[str, tuple[str, int] | None], ports: dict[str, int]) -> dict[str, int]:
        """Start the front endpoints (None upstream: never answers); their ports by host."""
        return {}

    def stop_fronts(self) -> None:
        """Stop what :meth:`start_fronts` started."""

    def _log_tail(self) -> str:
        try:
            return " | ".join(self._log_file.read_text(errors="replace").strip().splitlines()[-5:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
            self._process = None
        self.stop_fronts()


class RunningAgents:
    """The SNMP agents `netcomply lab serve` runs beside its SSH devices."""

    def __init__(self, lab: SnmpLab, agents: list[LabAgent]) -> None:
        self.lab = lab
        self.agents = agents

    def host_data(self) -> dict[str, dict[str, Any]]:
        """The ``snmp`` host data of each host: its agent's address and port, and a community it answers."""
        data: dict[str, dict[str, Any]] = {}
        for agent in self.agents:
            entry: dict[str, Any] = {"address": self.lab.address, "port": self.lab.ports[agent.host]}
            if agent.communities:
                entry["lab_community"] = max(agent.communities, key=len)
            data[agent.host] = entry
        return data

    def describe(self) -> str:
        ports = sorted(self.lab.ports.values())
        return f"{ports[0]}-{ports[-1]}" if ports else "(none)"

    def stop(self) -> None:
        self.lab.stop()


def start_snmp_agents(snapshots: Path, hosts: set[str], state: Path, address: str = "127.0.0.1") -> RunningAgents:
    """Start one agent per host of ``snapshots`` named in ``hosts``, with data from its snapshot."""
    from scanner.snapshot import discover

    agents = [agent_from_snapshot(source.load()) for source in discover(snapshots) if source.host in hosts]
    lab = SnmpLab(agents, state, address=address)
    lab.start()
    return RunningAgents(lab, agents)
