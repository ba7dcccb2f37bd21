"""The live probe: which weak or default communities does a host's agent answer?

For one host, in this order through the agent's token bucket: an SNMPv3 discovery
(proves the agent is alive, or finds the port closed), a GET with the inventory's own
credential when there is one, then one GET of sysName/sysLocation/sysContact per word
of the dictionary and SNMP version. Wrong communities are answered with silence, so
each word costs one timeout at most, and the words are sent back to back at the
agent's rate rather than one after the other's timeout. With ``write_test``, every
community that answered is tried with a SET of sysLocation (or sysContact) to its own
current value: harmless, and verified (and restored if it somehow changed).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from scanner.masking import mask_value
from scanner.snmp.client import EXCEPTION_TYPES, Reply, SnmpClient
from scanner.snmp.credentials import Community, Credential
from scanner.snmp.discovery import Discovery, discover
from scanner.snmp.settings import SnmpSettings, Word
from scanner.snmpfiles import dump_probe
from scanner.snmpfiles.oids import SYS_CONTACT, SYS_DESCR, SYS_LOCATION, SYS_NAME

log = logging.getLogger("netcomply.snmp")

PROBE_OIDS = [SYS_NAME, SYS_LOCATION, SYS_CONTACT]
_WRITABLE = ((SYS_LOCATION, "sysLocation.0"), (SYS_CONTACT, "sysContact.0"))

ProbeStatus = Literal["alive", "silent", "closed", "unresolved", "no_address", "error"]


@dataclass(frozen=True)
class ProbeTarget:
    """One host to probe: its agent, the dictionary, and its own credential (if the inventory names one)."""

    host: str
    address: str | None
    port: int
    words: tuple[Word, ...]
    credential: Credential | None = None
    problem: str | None = None


@dataclass
class Answered:
    word: Word
    version: str
    reply: Reply
    write: bool | None = None
    write_detail: str = ""

    def record(self) -> dict[str, Any]:
        value = self.word.value.reveal()
        sys_name = next((str(v) for o, t, v in self.reply.varbinds if o == SYS_NAME and t == "OctetString"), None)
        record: dict[str, Any] = {
            "community": mask_value(value),
            "length": len(value),
            "origin": self.word.origin,
            "version": self.version,
            "write": self.write,
            "write_detail": self.write_detail,
        }
        if sys_name is not None:
            record["sysName"] = sys_name
        return record


@dataclass
class ProbeOutcome:
    target: ProbeTarget
    status: ProbeStatus
    reason: str
    address: str | None = None
    engine_id: str | None = None
    credential_reply: Reply | None = None
    answered: list[Answered] = field(default_factory=list)
    tried: int = 0
    requests: int = 0
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0
    write_tested: bool = False

    @property
    def alive(self) -> bool:
        return self.status == "alive"

    @property
    def credential_ok(self) -> bool:
        return self.credential_reply is not None and self.credential_reply.answered

    @property
    def agent(self) -> str:
        return f"{self.address or self.target.address or '?'}:{self.target.port}"

    def document(self, settings: SnmpSettings) -> str:
        credential = self.target.credential
        header: dict[str, Any] = {
            "host": self.target.host,
            "agent": self.agent,
            "probed_at": self.started.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "seconds": round(self.seconds, 3),
            "status": self.status,
            "alive": self.alive,
            "reason": self.reason,
            "engine_id": self.engine_id,
            "credential": credential.describe() if credential else None,
            "credential_answered": self.credential_ok if credential else None,
            "tried": self.tried,
            "versions": list(settings.versions),
            "timeout": settings.timeout,
            "rate_per_host": settings.rate_per_host,
            "requests": self.requests,
            "write_test": self.write_tested,
        }
        return dump_probe(header, [a.record() for a in self.answered])


async def resolve(address: str, port: int) -> str:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(address, port, family=socket.AF_INET, type=socket.SOCK_DGRAM)
    return str(infos[0][4][0])


async def probe_host(client: SnmpClient, target: ProbeTarget, settings: SnmpSettings) -> ProbeOutcome:
    started = datetime.now(UTC)
    clock = time.perf_counter()
    outcome = await _probe(client, target, settings)
    outcome.started = started
    outcome.seconds = time.perf_counter() - clock
    return outcome


async def _probe(client: SnmpClient, target: ProbeTarget, settings: SnmpSettings) -> ProbeOutcome:
    if not target.address:
        return ProbeOutcome(target, "no_address", "the inventory gives no address (hostname) for this host")
    try:
        address = await resolve(target.address, target.port)
    except (OSError, UnicodeError) as exc:
        return ProbeOutcome(target, "unresolved", f"cannot resolve {target.address}: {exc}")
    port = target.port
    bucket = client.limiter.bucket(address, port)
    sent_before = client.sent_to[(address, port)]
    closed = asyncio.Event()

    async def discovery() -> Discovery:
        await bucket.acquire()
        found = await discover(address, port, settings.timeout)
        if found.status == "closed":
            closed.set()
        return found

    async def with_credential(credential: Credential) -> Reply:
        return await client.get(address, port, credential, [SYS_NAME, SYS_DESCR], skip=closed)

    async def word(item: Word, version: str) -> tuple[Word, str, Reply]:
        reply = await client.get(address, port, Community(item.value, version, item.origin), PROBE_OIDS, skip=closed)
        return item, version, reply

    pending_discovery = asyncio.ensure_future(discovery())
    pending_credential = asyncio.ensure_future(with_credential(target.credential)) if target.credential else None
    words = [asyncio.ensure_future(word(w, v)) for v in settings.versions for w in target.words]
    found = await pending_discovery
    if found.status == "closed":
        # Nothing listens: the queued dictionary is dropped, not paced out.
        for pending in [*words, pending_credential]:
            if pending is not None:
                pending.cancel()
    credential_result = await asyncio.gather(*(p for p in [pending_credential] if p), return_exceptions=True)
    credential_reply = next((r for r in credential_result if isinstance(r, Reply)), None)
    results = await asyncio.gather(*words, return_exceptions=True)
    replies = [r for r in results if isinstance(r, tuple)]
    answered = [Answered(w, v, r) for w, v, r in replies if r.answered]
    tried = sum(1 for _, _, r in replies if r.error != "skipped")
    outcome = ProbeOutcome(
        target,
        "silent",
        "",
        address=address,
        engine_id=found.engine_id,
        credential_reply=credential_reply,
        answered=answered,
        tried=tried,
    )
    outcome.status, outcome.reason = _verdict(outcome, found, settings)
    if settings.write_test and answered:
        outcome.write_tested = True
        for item in answered:
            await write_test(client, address, port, item)
    outcome.requests = client.sent_to[(address, port)] - sent_before + 1
    return outcome


def _verdict(outcome: ProbeOutcome, found: Discovery, settings: SnmpSettings) -> tuple[ProbeStatus, str]:
    target = outcome.target
    credential = target.credential
    notes = []
    if target.problem:
        notes.append(f"inventory credential not used: {target.problem}")
    if credential is not None and not outcome.credential_ok and outcome.credential_reply is not None:
        reply = outcome.credential_reply
        error = f"no answer within {settings.timeout:g} s" if reply.timed_out else reply.error
        notes.append(f"the inventory's {credential.describe()} got {error}")
    lives = []
    if found.status == "answered":
        lives.append(f"SNMPv3 discovery answered (engine ID {found.engine_id})")
    if outcome.credential_ok and credential is not None:
        lives.append(f"the inventory's {credential.describe()} answered")
    if outcome.answered:
        lives.append(f"{len(outcome.answered)} tried community(ies) answered")
    suffix = f"; {'; '.join(notes)}" if notes else ""
    if lives:
        return "alive", "; ".join(lives) + suffix
    agent = outcome.agent
    if found.status == "closed":
        return "closed", f"{agent} refused the request ({found.detail}): no SNMP agent listens there{suffix}"
    if found.status == "error":
        return "error", f"{agent}: {found.detail}{suffix}"
    asked = ["SNMPv3 discovery"]
    if credential is not None:
        asked.append("the inventory's credential")
    asked.append(f"{outcome.tried} communities")
    reason = (
        f"no answer from {agent} within {settings.timeout:g} s to any request ({', '.join(asked)}): "
        "the agent is down, filtered, or refuses every community tried"
    )
    if credential is None:
        reason += (
            "; name the host's own community or SNMPv3 user in the inventory (host data snmp:) "
            "so netcomply can tell these apart"
        )
    return "silent", reason + suffix


async def write_test(client: SnmpClient, address: str, port: int, item: Answered) -> None:
    """SET sysLocation.0 (else sysContact.0) to the value just read; record whether the agent accepted it."""
    credential = Community(item.word.value, item.version, item.word.origin)
    current = {oid: (kind, value) for oid, kind, value in item.reply.varbinds}
    for oid, label in _WRITABLE:  # noqa: B007 (the loop's last values are used after it)
        kind, value = current.get(oid, ("noSuchObject", ""))
        if kind in ("OctetString", "Hex"):
            break
    else:
        item.write_detail = "no sysLocation.0 or sysContact.0 readable with this community to test a write with"
        return
    original = bytes.fromhex(str(value)[2:]) if kind == "Hex" else str(value).encode("utf-8")
    reply = await client.set(address, port, credential, [(oid, original)])
    if reply.timed_out:
        item.write_detail = f"no answer to a SET of {label} to its own value: write access unknown"
        return
    if not reply.answered:
        item.write_detail = f"SET of {label} failed: {reply.error}"
        return
    if reply.status != 0:
        item.write, item.write_detail = False, f"SET of {label} refused ({reply.status_name})"
        return
    returned = next((t for o, t, _ in reply.varbinds if o == oid), "noSuchObject")
    if returned in EXCEPTION_TYPES:
        item.write, item.write_detail = False, f"SET of {label} refused ({returned})"
        return
    item.write, item.write_detail = True, f"SET of {label} to its own value accepted"
    check = await client.get(address, port, credential, [oid])
    now = next(((t, v) for o, t, v in check.varbinds if o == oid), None)
    if check.answered and now != (kind, value):
        restored = await client.set(address, port, credential, [(oid, original)])
        item.write_detail += (
            "; value changed, restored"
            if restored.answered and restored.status == 0
            else ("; value changed and could not be restored")
        )
