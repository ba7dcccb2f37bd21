"""SNMP requests over pysnmp's asyncio API, retried with backoff, at a per-agent rate.

Two pysnmp front ends, each created once and reused for the whole run:

* v1/v2c go through one ``hlapi.v1arch`` :class:`SnmpDispatcher`. It encodes the
  community into each message and keeps no per-target configuration. The ``v3arch``
  :class:`SnmpEngine` instead writes a community entry and a target-address entry
  into its local configuration datastore for every (community, agent) pair, which
  was measured at about 2 ms per pair: 11 s of set-up before the first packet for
  200 agents and 30 words.
* SNMPv3 (a USM user from the inventory) goes through one ``v3arch`` SnmpEngine,
  created on first use; it holds one entry per v3 host.

Every request first takes a token from its agent's bucket (:mod:`scanner.snmp.ratelimit`).
A request that times out is sent again up to ``retries`` times, each attempt waiting
twice as long as the one before and taking a token of its own: an agent answers a wrong
community with silence, so only an answer, or silence to every attempt, means anything.
"""

from __future__ import annotations

import asyncio
import string
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pyasn1.type import univ
from pysnmp.proto import rfc1902, rfc1905

from scanner.snmp.credentials import Community, Credential, UsmUser
from scanner.snmp.ratelimit import RateLimiter

# SNMP error-status names (RFC 3416).
ERROR_STATUS = {
    0: "noError",
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
    7: "wrongType",
    8: "wrongLength",
    9: "wrongEncoding",
    10: "wrongValue",
    11: "noCreation",
    12: "inconsistentValue",
    13: "resourceUnavailable",
    14: "commitFailed",
    15: "undoFailed",
    16: "authorizationError",
    17: "notWritable",
    18: "inconsistentName",
}
EXCEPTION_TYPES = ("noSuchObject", "noSuchInstance", "endOfMibView")
_PRINTABLE = set(string.printable) - {"\x0b", "\x0c"}

VarbindValue = tuple[str, str, str | int]


@dataclass
class Reply:
    """What one request got: ``error`` (None when the agent answered), the error-status, the varbinds."""

    error: str | None = None
    status: int = 0
    index: int = 0
    varbinds: list[VarbindValue] = field(default_factory=list)
    # How many times the request was sent (retries after a timeout).
    attempts: int = 1

    @property
    def answered(self) -> bool:
        return self.error is None

    @property
    def timed_out(self) -> bool:
        return self.error == "timeout"

    @property
    def status_name(self) -> str:
        return ERROR_STATUS.get(self.status, f"error {self.status}")


def convert(oid: Any, value: Any) -> VarbindValue:
    """A pysnmp varbind as (dotted OID, SMI type name, JSON-friendly value)."""
    name = str(univ.ObjectIdentifier(oid)) if not isinstance(oid, str) else oid
    tag = value.tagSet
    if tag == rfc1905.NoSuchObject.tagSet:
        return name, "noSuchObject", ""
    if tag == rfc1905.NoSuchInstance.tagSet:
        return name, "noSuchInstance", ""
    if tag == rfc1905.EndOfMibView.tagSet:
        return name, "endOfMibView", ""
    if tag == rfc1902.IpAddress.tagSet:
        return name, "IpAddress", ".".join(str(b) for b in value.asOctets())
    if tag == rfc1902.Counter32.tagSet:
        return name, "Counter32", int(value)
    if tag == rfc1902.Gauge32.tagSet:
        return name, "Gauge32", int(value)
    if tag == rfc1902.TimeTicks.tagSet:
        return name, "TimeTicks", int(value)
    if tag == rfc1902.Counter64.tagSet:
        return name, "Counter64", int(value)
    if tag == rfc1902.Opaque.tagSet:
        return name, "Opaque", "0x" + value.asOctets().hex()
    if tag == univ.Integer.tagSet:
        return name, "Integer", int(value)
    if tag == univ.ObjectIdentifier.tagSet:
        return name, "OID", str(value)
    if tag == univ.Null.tagSet:
        return name, "Null", ""
    if tag == univ.OctetString.tagSet:
        return (name, *octets(value.asOctets()))
    return name, "OctetString", str(value)


def octets(data: bytes) -> tuple[str, str]:
    """Printable text as ``OctetString``, anything else (MAC addresses, binary) as ``Hex``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "Hex", "0x" + data.hex()
    if all(c in _PRINTABLE or ord(c) > 127 for c in text):
        return "OctetString", text
    return "Hex", "0x" + data.hex()


class SnmpClient:
    """GET, SET and GETBULK to agents, paced by the agents' token buckets."""

    def __init__(self, limiter: RateLimiter, timeout: float, retries: int = 0) -> None:
        from pysnmp.hlapi.v1arch.asyncio import SnmpDispatcher

        self.limiter = limiter
        self.timeout = timeout
        self.retries = retries
        self.dispatcher = SnmpDispatcher()
        self._engine: Any = None
        self._targets: dict[tuple[str, int, int, float], Any] = {}
        self.sent = 0
        self.sent_to: Counter[tuple[str, int]] = Counter()
        self._v3_discovered: set[tuple[str, int]] = set()

    async def _target(self, address: str, port: int, v3: bool, timeout: float) -> Any:
        key = (address, port, 3 if v3 else 1, timeout)
        target = self._targets.get(key)
        if target is None:
            if v3:
                from pysnmp.hlapi.v3arch.asyncio import UdpTransportTarget
            else:
                from pysnmp.hlapi.v1arch.asyncio import UdpTransportTarget
            target = await UdpTransportTarget.create((address, port), timeout=timeout, retries=0)
            self._targets[key] = target
        return target

    def _engine_get(self) -> Any:
        if self._engine is None:
            from pysnmp.hlapi.v3arch.asyncio import ObjectIdentity, ObjectType, SnmpEngine
            from pysnmp.hlapi.v3arch.asyncio.cmdgen import VB_PROCESSOR

            self._engine = SnmpEngine()
            # Load the MIB modules the engine resolves varbinds with now, not in the middle of a run.
            VB_PROCESSOR.make_varbinds(self._engine.cache, (ObjectType(ObjectIdentity("1.3.6.1.2.1.1.1.0")),))
        return self._engine

    def prepare(self, v3: bool) -> None:
        """Do the slow set-up (about a second of CPU for SNMPv3) before any request is timed."""
        if v3:
            self._engine_get()

    async def get(
        self, address: str, port: int, credential: Credential, oids: list[str], skip: asyncio.Event | None = None
    ) -> Reply:
        """GET ``oids``; when ``skip`` is set by the time the agent's token comes, nothing is sent."""
        return await self._request("get", address, port, credential, [(o, None) for o in oids], skip=skip)

    async def set(self, address: str, port: int, credential: Credential, values: list[tuple[str, bytes]]) -> Reply:
        return await self._request("set", address, port, credential, values)

    async def bulk(self, address: str, port: int, credential: Credential, oid: str, repetitions: int) -> Reply:
        if credential.version == "1":
            return await self._request("next", address, port, credential, [(oid, None)])
        return await self._request("bulk", address, port, credential, [(oid, None)], repetitions)

    async def _request(
        self,
        kind: str,
        address: str,
        port: int,
        credential: Credential,
        varbinds: list[tuple[str, bytes | None]],
        repetitions: int = 0,
        skip: asyncio.Event | None = None,
    ) -> Reply:
        reply = Reply(error="timeout")
        for attempt in range(self.retries + 1):
            reply = await self._attempt(
                kind, address, port, credential, varbinds, repetitions, skip, self.timeout * 2**attempt
            )
            reply.attempts = attempt + 1
            if not reply.timed_out:
                break
        return reply

    async def _attempt(
        self,
        kind: str,
        address: str,
        port: int,
        credential: Credential,
        varbinds: list[tuple[str, bytes | None]],
        repetitions: int,
        skip: asyncio.Event | None,
        timeout: float,
    ) -> Reply:
        bucket = self.limiter.bucket(address, port)
        await bucket.acquire()
        if skip is not None and skip.is_set():
            return Reply(error="skipped")
        first_v3 = isinstance(credential, UsmUser) and (address, port) not in self._v3_discovered
        if first_v3:
            self._v3_discovered.add((address, port))
            self._count(address, port)
        self._count(address, port)
        try:
            if isinstance(credential, Community):
                call = self._v1arch(kind, address, port, credential, varbinds, repetitions, timeout)
            else:
                call = self._v3arch(kind, address, port, credential, varbinds, repetitions, timeout)
            # pysnmp times the request out itself; this bound only guards against a lost callback.
            pending = asyncio.ensure_future(asyncio.wait_for(call, timeout + 2.0))
            if first_v3:
                # pysnmp sends the engine-ID discovery and the request back to back on one token:
                # the second packet's token is taken now, so the next request waits for its slot.
                await bucket.acquire()
            error, status, index, answer = await pending
        except TimeoutError:
            return Reply(error="timeout")
        except Exception as exc:  # pysnmp raises its own errors for bad addresses and encodings
            return Reply(error=f"{type(exc).__name__}: {exc}")
        if error:
            text = str(error)
            return Reply(error="timeout" if "timeout" in text.lower() else text)
        return Reply(status=int(status or 0), index=int(index or 0), varbinds=[convert(o, v) for o, v in answer])

    def _count(self, address: str, port: int) -> None:
        self.sent += 1
        self.sent_to[(address, port)] += 1

    async def _v1arch(
        self,
        kind: str,
        address: str,
        port: int,
        credential: Community,
        varbinds: list[tuple[str, bytes | None]],
        repetitions: int,
        timeout: float,
    ) -> tuple[Any, Any, Any, Any]:
        from pysnmp.hlapi.v1arch.asyncio import CommunityData, bulk_cmd, get_cmd, next_cmd, set_cmd

        auth = CommunityData(credential.value.reveal(), mpModel=0 if credential.version == "1" else 1)
        target = await self._target(address, port, False, timeout)
        binds = [(oid, rfc1902.OctetString(v) if v is not None else univ.Null()) for oid, v in varbinds]
        if kind == "get":
            return await get_cmd(self.dispatcher, auth, target, *binds, lookupMib=False)
        if kind == "set":
            return await set_cmd(self.dispatcher, auth, target, *binds, lookupMib=False)
        if kind == "next":
            return await next_cmd(self.dispatcher, auth, target, *binds, lookupMib=False)
        return await bulk_cmd(self.dispatcher, auth, target, 0, repetitions, *binds, lookupMib=False)

    async def _v3arch(
        self,
        kind: str,
        address: str,
        port: int,
        credential: UsmUser,
        varbinds: list[tuple[str, bytes | None]],
        repetitions: int,
        timeout: float,
    ) -> tuple[Any, Any, Any, Any]:
        from pysnmp.hlapi.v3arch.asyncio import (
            ContextData,
            ObjectIdentity,
            ObjectType,
            bulk_cmd,
            get_cmd,
            set_cmd,
        )

        engine = self._engine_get()
        target = await self._target(address, port, True, timeout)
        auth = usm_data(credential)
        context = ContextData(contextName=credential.context.encode())
        binds = [
            ObjectType(ObjectIdentity(oid), rfc1902.OctetString(v) if v is not None else univ.Null())
            for oid, v in varbinds
        ]
        if kind == "get":
            return await get_cmd(engine, auth, target, context, *binds, lookupMib=False)
        if kind == "set":
            return await set_cmd(engine, auth, target, context, *binds, lookupMib=False)
        return await bulk_cmd(engine, auth, target, context, 0, repetitions, *binds, lookupMib=False)

    def close(self) -> None:
        self.dispatcher.close()
        if self._engine is not None:
            self._engine.close_dispatcher()


def usm_data(user: UsmUser) -> Any:
    from pysnmp.hlapi.v3arch import asyncio as v3

    auth_protocols = {
        "md5": v3.usmHMACMD5AuthProtocol,
        "sha": v3.usmHMACSHAAuthProtocol,
        "sha224": v3.usmHMAC128SHA224AuthProtocol,
        "sha256": v3.usmHMAC192SHA256AuthProtocol,
        "sha384": v3.usmHMAC256SHA384AuthProtocol,
        "sha512": v3.usmHMAC384SHA512AuthProtocol,
    }
    priv_protocols = {
        "des": v3.usmDESPrivProtocol,
        "3des": v3.usm3DESEDEPrivProtocol,
        "aes": v3.usmAesCfb128Protocol,
        "aes128": v3.usmAesCfb128Protocol,
        "aes192": v3.usmAesCfb192Protocol,
        "aes256": v3.usmAesCfb256Protocol,
    }
    return v3.UsmUserData(
        user.user,
        authKey=user.auth_key.reveal() if user.auth_key else None,
        privKey=user.priv_key.reveal() if user.priv_key else None,
        authProtocol=auth_protocols[user.auth_protocol] if user.auth_protocol else v3.usmNoAuthProtocol,
        privProtocol=priv_protocols[user.priv_protocol] if user.priv_protocol else v3.usmNoPrivProtocol,
    )
