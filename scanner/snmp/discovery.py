"""Is anything listening? An SNMPv3 engine-ID discovery on a connected UDP socket.

RFC 3414 discovery is the unauthenticated request every SNMPv3 manager sends first: an
agent that speaks SNMPv3 answers it with a Report carrying its engine ID, whatever the
credentials. A wrong community, by contrast, is answered with silence. So the report is
how the probe tells "the agent is alive and refused every community" from "nothing
answers". The socket is connected, so a closed port comes back at once as an ICMP port
unreachable (``ConnectionRefusedError``) instead of a timeout.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Literal

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pysnmp.proto import rfc1905
from pysnmp.proto.mpmod.rfc3412 import SNMPv3Message
from pysnmp.proto.secmod.rfc3414.service import UsmSecurityParameters

DiscoveryStatus = Literal["answered", "closed", "silent", "error"]


@dataclass(frozen=True)
class Discovery:
    status: DiscoveryStatus
    engine_id: str | None = None
    detail: str = ""
    # Requests sent (retries after silence).
    attempts: int = 1


def discovery_message(msg_id: int) -> bytes:
    """An SNMPv3 GET with no varbinds, noAuthNoPriv, reportable, empty user and engine ID."""
    message = SNMPv3Message()
    message["msgVersion"] = 3
    header = message["msgGlobalData"]
    header["msgID"] = msg_id
    header["msgMaxSize"] = 65507
    header["msgFlags"] = b"\x04"
    header["msgSecurityModel"] = 3
    security = UsmSecurityParameters()
    security["msgAuthoritativeEngineId"] = b""
    security["msgAuthoritativeEngineBoots"] = 0
    security["msgAuthoritativeEngineTime"] = 0
    security["msgUserName"] = b""
    security["msgAuthenticationParameters"] = b""
    security["msgPrivacyParameters"] = b""
    message["msgSecurityParameters"] = encoder.encode(security)
    scoped = message["msgData"]["plaintext"]
    scoped["contextEngineId"] = b""
    scoped["contextName"] = b""
    pdu = rfc1905.GetRequestPDU()
    pdu["request-id"] = msg_id
    pdu["error-status"] = 0
    pdu["error-index"] = 0
    pdu["variable-bindings"].clear()
    scoped["data"]["get-request"] = pdu
    return encoder.encode(message)


def engine_id_of(data: bytes, msg_id: int) -> str | None:
    """The agent's engine ID (hex) from a discovery report, or None when ``data`` is not one."""
    try:
        message, _ = decoder.decode(data, asn1Spec=SNMPv3Message())
        if int(message["msgGlobalData"]["msgID"]) != msg_id:
            return None
        security, _ = decoder.decode(bytes(message["msgSecurityParameters"]), asn1Spec=UsmSecurityParameters())
    except (PyAsn1Error, ValueError, TypeError):
        return None
    return bytes(security["msgAuthoritativeEngineId"]).hex()


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, result: asyncio.Future[bytes | Exception]) -> None:
        self.result = result

    def datagram_received(self, data: bytes, addr: object) -> None:
        if not self.result.done():
            self.result.set_result(data)

    def error_received(self, exc: Exception) -> None:
        if not self.result.done():
            self.result.set_result(exc)


async def discover(
    address: str, port: int, timeout: float, retries: int = 0, pace: Callable[[], Awaitable[object]] | None = None
) -> Discovery:
    """Ask ``address:port`` for its engine ID, sending again up to ``retries`` times (each wait twice as long).

    ``pace`` is awaited before each request (the agent's token bucket).
    """
    found = Discovery("silent")
    for attempt in range(retries + 1):
        if pace is not None:
            await pace()
        found = replace(await _discover_once(address, port, timeout * 2**attempt), attempts=attempt + 1)
        if found.status != "silent":
            break
    return found


async def _discover_once(address: str, port: int, timeout: float) -> Discovery:
    """Send one discovery request to ``address:port`` and wait up to ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    result: asyncio.Future[bytes | Exception] = loop.create_future()
    msg_id = random.randrange(1, 2**31 - 1)
    try:
        transport, _ = await loop.create_datagram_endpoint(lambda: _Protocol(result), remote_addr=(address, port))
    except OSError as exc:
        return Discovery("error", detail=f"cannot open a UDP socket to {address}:{port}: {exc.strerror or exc}")
    try:
        transport.sendto(discovery_message(msg_id))
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return Discovery("silent")
            try:
                answer = await asyncio.wait_for(asyncio.shield(result), remaining)
            except TimeoutError:
                return Discovery("silent")
            if isinstance(answer, ConnectionRefusedError):
                return Discovery("closed", detail="ICMP port unreachable")
            if isinstance(answer, Exception):
                return Discovery("error", detail=str(answer))
            engine = engine_id_of(answer, msg_id)
            if engine is not None:
                return Discovery("answered", engine_id=engine)
            result = loop.create_future()
            transport.set_protocol(_Protocol(result))
    finally:
        transport.close()
