"""The live probe: which weak or default communities does a host's agent answer?

An agent answers a wrong community with silence, so silence only means "refused" when
the agent is known to be answering at the time. For one host, through the agent's
token bucket:

1. liveness first: an SNMPv3 discovery (proves an SNMP engine answers, or finds the
   port closed) and a GET with the inventory's own credential when there is one (proves
   the community service answers);
2. one GET of sysName/sysLocation/sysContact per word of the dictionary and SNMP
   version, sent back to back at the agent's rate;
3. liveness again with the inventory's credential: an agent that stopped answering
   during the dictionary (overloaded, rate-limited) leaves its silences unexplained.

Every request is retried with backoff (policy ``snmp.retries``, default 2). The verdict
(:func:`_verdict`): a word that answered is a finding; silence counts as refusal only
when the inventory's credential answered before and after the dictionary ("alive"),
or, without a credential, when the SNMPv3 engine answered, and then the report says
that the community service itself could not be shown alive. An agent that answered
nothing at all is ``silent`` (an error for the check, never a pass); one whose port is
closed has no agent (``closed``).

With ``write_test``, every community that answered is tried with a SET of sysLocation
(or sysContact) to its own current value: harmless, and verified (and restored if it
somehow changed).
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

ProbeStatus = Literal["alive", "unproven", "silent", "closed", "unresolved", "no_address", "error"]


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
    # The inventory's credential asked again after the dictionary: still answering?
    credential_after: Reply | None = None
    answered: list[Answered] = field(default_factory=list)
    tried: int = 0
    retried: int = 0
    # SNMPv3 discovery requests (sent outside the client, so not in its per-agent count).
    discovery_requests: int = 0
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
            "retries": settings.retries,
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

    async def discovery() -> Discovery:
        return await discover(address, port, settings.timeout, settings.retries, pace=bucket.acquire)

    async def with_credential() -> Reply | None:
        if target.credential is None:
            return None
        return await client.get(address, port, target.credential, [SYS_NAME, SYS_DESCR])

    async def word(item: Word, version: str) -> tuple[Word, str, Reply]:
        reply = await client.get(address, port, Community(item.value, version, item.origin), PROBE_OIDS)
        return item, version, reply

    found, credential_reply = await asyncio.gather(discovery(), with_credential())
    outcome = ProbeOutcome(
        target, "silent", "", address=address, engine_id=found.engine_id, credential_reply=credential_reply
    )
    if found.status == "closed":
        # Nothing listens: the dictionary is not sent at all.
        outcome.status, outcome.reason = _verdict(outcome, found, settings)
        outcome.requests = client.sent_to[(address, port)] - sent_before + found.attempts
        outcome.discovery_requests = found.attempts
        return outcome
    results = await asyncio.gather(
        *(word(w, v) for v in settings.versions for w in target.words), return_exceptions=True
    )
    replies = [r for r in results if isinstance(r, tuple)]
    outcome.answered = [Answered(w, v, r) for w, v, r in replies if r.answered]
    outcome.tried = sum(1 for _, _, r in replies if r.error != "skipped")
    outcome.retried = sum(1 for _, _, r in replies if r.attempts > 1)
    if outcome.credential_ok:
        outcome.credential_after = await with_credential()
    outcome.status, outcome.reason = _verdict(outcome, found, settings)
    if settings.write_test and outcome.answered:
        outcome.write_tested = True
        for item in outcome.answered:
            await write_test(client, address, port, item)
    outcome.requests = client.sent_to[(address, port)] - sent_before + found.attempts
    outcome.discovery_requests = found.attempts
    return outcome


def _verdict(outcome: ProbeOutcome, found: Discovery, settings: SnmpSettings) -> tuple[ProbeStatus, str]:
    """Whether the silences of the dictionary mean "refused" (``alive``), and why (see the module doc)."""
    target = outcome.target
    credential = target.credential
    agent = outcome.agent
    waited = _waits(settings)
    notes = []
    if target.problem:
        notes.append(f"inventory credential not used: {target.problem}")
    if outcome.retried:
        notes.append(f"{outcome.retried} request(s) needed more than one attempt")
    suffix = f"; {'; '.join(notes)}" if notes else ""
    if found.status == "closed":
        return "closed", f"{agent} refused the request ({found.detail}): no SNMP agent listens there{suffix}"
    if outcome.answered:
        return "alive", f"{len(outcome.answered)} tried community(ies) answered{suffix}"
    if credential is not None:
        own = f"the inventory's {credential.describe()}"
        if not outcome.credential_ok:
            got = _failure(outcome.credential_reply, waited)
            return (
                "unproven",
                f"{own} got {got}, so the agent was not shown to be answering: the silence of the "
                f"{outcome.tried} communities tried proves nothing{suffix}",
            )
        if outcome.credential_after is None or not outcome.credential_after.answered:
            got = _failure(outcome.credential_after, waited)
            return (
                "unproven",
                f"{own} answered before the dictionary but got {got} after it: the agent stopped answering "
                f"(overloaded or rate-limited?), so the silence of the {outcome.tried} communities tried proves "
                f"nothing{suffix}",
            )
        return "alive", f"{own} answered before and after the {outcome.tried} communities tried{suffix}"
    if found.status == "answered":
        return (
            "alive",
            f"SNMPv3 discovery answered (engine ID {found.engine_id}); liveness of the community service could "
            "not be shown: no community of the host's own in the inventory (host data snmp:) to prove the "
            f"agent answers v1/v2c at all{suffix}",
        )
    if found.status == "error":
        return "error", f"{agent}: {found.detail}{suffix}"
    asked = ["SNMPv3 discovery", f"{outcome.tried} communities"]
    return (
        "silent",
        f"no answer from {agent} to any request ({', '.join(asked)}; {waited} each): the agent is down, "
        "filtered, or refuses every community tried; name the host's own community or SNMPv3 user in the "
        f"inventory (host data snmp:) so netcomply can tell these apart{suffix}",
    )


def _waits(settings: SnmpSettings) -> str:
    waits = [settings.timeout * 2**attempt for attempt in range(settings.retries + 1)]
    return f"{len(waits)} attempt(s) waiting {', '.join(f'{w:g}' for w in waits)} s"


def _failure(reply: Reply | None, waited: str) -> str:
    if reply is None or reply.timed_out:
        return f"no answer ({waited})"
    return str(reply.error)


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
