"""``can A reach B?``: where the scanned devices filter one packet, and what decides it.

A device sees the packet where its connected subnets put it: it enters on the interface
whose subnet holds the source and leaves on the one whose subnet holds the destination
(both: the device routes it between them and every stage on the way is evaluated). A
device that owns the destination address receives the packet itself: its login lists
(SSH/Telnet), SNMP lists (UDP 161) and control-plane filter (Junos lo0) decide. Devices
with neither subnet are not on a path netcomply can see from configurations alone and
are not listed.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from scanner.aclfacts import AclLine, Action
from scanner.aclnames import PROTOCOLS, protocol_number
from scanner.headerspace import Cube
from scanner.network.acl.lines import Decision, decide
from scanner.network.acl.model import AclModel, DeviceFilters, Stage

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_LOGIN_PORTS = {22, 23}
_SNMP_PORTS = {161}


@dataclass(frozen=True)
class Packet:
    source: Address
    destination: Address
    protocol: int
    port: int | None = None
    source_port: int | None = None
    icmp_type: int | None = None

    def point(self) -> Cube:
        width = 32 if self.source.version == 4 else 128
        full = (1 << width) - 1
        port = self.port if self.port is not None else 0
        sport = self.source_port if self.source_port is not None else 49152
        icmp = self.icmp_type if self.icmp_type is not None else 8
        # A new TCP connection: SYN set, ACK clear (established-only lines do not match it).
        flags = 0b000010 if self.protocol == 6 else 0
        return (
            self.protocol,
            self.protocol,
            int(self.source),
            full,
            int(self.destination),
            full,
            sport,
            sport,
            port,
            port,
            icmp,
            icmp,
            0,
            0,
            flags,
            0x3F,
        )


def packet(source: str, destination: str, protocol: str, port: int | None, source_port: int | None = None) -> Packet:
    """A packet from the query's words; ``ValueError`` with the reason when they do not make one."""
    src, dst = ipaddress.ip_address(source), ipaddress.ip_address(destination)
    if src.version != dst.version:
        raise ValueError("--from and --to must both be IPv4 or both IPv6")
    number = protocol_number(protocol)
    if number is None:
        raise ValueError(f"unknown protocol {protocol!r} (tcp, udp, icmp, or a number)")
    if port is not None and number not in (6, 17, 132):
        if number in (1, 58):
            return Packet(src, dst, number, icmp_type=port)
        raise ValueError("--port applies to tcp, udp and sctp (for icmp it is the ICMP type)")
    return Packet(src, dst, number, port, source_port)


def describe(packet: Packet) -> str:
    """``tcp 10.1.1.5 -> 10.2.2.9 port 502``."""
    names = {number: name for name, number in PROTOCOLS.items()}
    protocol = names.get(packet.protocol, str(packet.protocol))
    if packet.port is not None:
        return f"{protocol} {packet.source} -> {packet.destination} port {packet.port}"
    if packet.icmp_type is not None:
        return f"{protocol} {packet.source} -> {packet.destination} type {packet.icmp_type}"
    return f"{protocol} {packet.source} -> {packet.destination}"


@dataclass(frozen=True)
class StageDecision:
    stage: Stage
    decision: Decision

    @property
    def line(self) -> AclLine | None:
        return self.decision.line


@dataclass
class DeviceAnswer:
    """What one device does with the packet."""

    device: str
    role: str  # "routes", "enters", "leaves", "receives"
    ingress: str | None
    egress: str | None
    decisions: list[StageDecision] = field(default_factory=list)
    note: str = ""

    @property
    def action(self) -> Action:
        return "deny" if any(d.decision.action == "deny" for d in self.decisions) else "permit"

    @property
    def filtered(self) -> bool:
        return bool(self.decisions)


def query(model: AclModel, packet: Packet, device: str | None = None) -> list[DeviceAnswer]:
    answers = []
    for found in model:
        if device is not None and found.name != device:
            continue
        answer = _device_answer(found, packet)
        if answer is not None:
            if found.incomplete is not None:
                note = f"configuration not recognisably whole ({found.incomplete}): decided on the part read only"
                answer.note = f"{answer.note}; {note}" if answer.note else note
            answers.append(answer)
    return answers


def _device_answer(device: DeviceFilters, packet: Packet) -> DeviceAnswer | None:
    point = packet.point()
    owner = device.owns(packet.destination)
    ingress = next(iter(device.connected(packet.source)), None)
    if owner is not None:
        answer = DeviceAnswer(device.name, "receives", ingress.name if ingress else None, owner.name)
        if ingress is not None:
            answer.decisions.extend(_evaluate(device.interface_stages(ingress, "in"), point))
        answer.decisions.extend(_evaluate(_local_stages(device, packet), point))
        return answer
    egress = next(iter(device.connected(packet.destination)), None)
    if ingress is None and egress is None:
        return None
    if ingress is not None and egress is not None and ingress.name != egress.name:
        if not device.transit(ingress) or not device.transit(egress) or ingress.vrf != egress.vrf:
            note = "the device does not route between these interfaces (routing off, or different VRFs)"
            return DeviceAnswer(device.name, "routes", ingress.name, egress.name, note=note)
        answer = DeviceAnswer(device.name, "routes", ingress.name, egress.name)
        answer.decisions.extend(_evaluate(device.stages(ingress, egress), point))
        return answer
    if ingress is not None:
        answer = DeviceAnswer(device.name, "enters", ingress.name, None)
        answer.decisions.extend(_evaluate(device.interface_stages(ingress, "in"), point))
        return answer
    assert egress is not None
    answer = DeviceAnswer(device.name, "leaves", None, egress.name)
    answer.decisions.extend(_evaluate(device.interface_stages(egress, "out"), point))
    return answer


def _local_stages(device: DeviceFilters, packet: Packet) -> list[Stage]:
    stages = []
    for use in device.access.uses:
        if use.family != ("ipv4" if packet.source.version == 4 else "ipv6"):
            continue
        if use.context == "control-plane":
            stages.append(device.use_stage(use, use.target))
        elif (packet.protocol, packet.port) in _context_ports(use.context, use.target):
            stages.append(device.use_stage(use))
    return stages


_SERVICES = (
    ("https", ((6, 443),)),
    ("http", ((6, 80), (6, 443))),
    ("ftp", ((6, 21),)),
    ("sftp", ((6, 22),)),
    ("scp", ((6, 22),)),
    ("netconf", ((6, 830), (6, 22))),
    ("ntp", ((17, 123),)),
)


def _context_ports(context: str, target: str) -> tuple[tuple[int | None, int | None], ...]:
    """The (protocol, port) pairs a login, SNMP or management use protects (``ip http``, ``ntp``...)."""
    if context == "login":
        return tuple((6, port) for port in _LOGIN_PORTS)
    if context == "snmp":
        return tuple((17, port) for port in _SNMP_PORTS)
    if context != "management":
        return ()
    for word, ports in _SERVICES:
        if word in target:
            return ports
    return ()


def _evaluate(stages: list[Stage], point: Cube) -> list[StageDecision]:
    decisions = []
    for stage in stages:
        decision = decide(stage.lines, point, stage.default)
        decisions.append(StageDecision(stage, decision))
        if decision.action == "deny":
            break
    return decisions
