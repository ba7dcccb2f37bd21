"""Test and benchmark plumbing of the SNMP lab (never imported by the product).

UDP endpoints for the lab: a counting relay in front of an agent, and an agent that never answers.

A :class:`UdpTap` listens where a client sends, notes the arrival time of every datagram
and relays it to the real agent (and the answers back), so a test or a benchmark
measures what each agent received, at the agent. Without an upstream it drops everything:
an agent that never answers. A ``lossy`` tap drops the first request of each community
(and the first SNMPv3 one), as a lossy link or a busy agent would: only a client that
sends again is answered. The endpoints run in a child process (:class:`TapProcess`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scanner.snmp.lab import LabAgent, SnmpLab


@dataclass
class PacketLog:
    """Arrival times (``time.monotonic``) of the datagrams one endpoint received."""

    arrivals: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.arrivals)

    def max_in_window(self, seconds: float = 1.0) -> int:
        """The most datagrams that arrived within any ``seconds``-long window."""
        times = sorted(self.arrivals)
        best = start = 0
        for end, t in enumerate(times):
            while t - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

    def min_gap(self) -> float | None:
        times = sorted(self.arrivals)
        gaps = [b - a for a, b in itertools.pairwise(times)]
        return min(gaps) if gaps else None


class _Upstream(asyncio.DatagramProtocol):
    def __init__(self, reply: Callable[[bytes], None]) -> None:
        self.reply = reply

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.reply(data)


class _Front(asyncio.DatagramProtocol):
    def __init__(self, tap: UdpTap) -> None:
        self.tap = tap
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.tap.log.arrivals.append(time.monotonic())
        if self.tap.lossy and self.tap.first_of_its_kind(data, addr):
            return
        if self.tap.upstream is not None:
            task = asyncio.ensure_future(self.tap.relay(self, data, addr))
            self.tap.pending.add(task)
            task.add_done_callback(self.tap.pending.discard)


class UdpTap:
    """A listening UDP endpoint: relays to ``upstream`` (address, port), or drops everything when None."""

    def __init__(self, upstream: tuple[str, int] | None, lossy: bool = False) -> None:
        self.upstream = upstream
        self.lossy = lossy
        self._kinds: set[tuple[Any, bytes]] = set()
        self.log = PacketLog()
        self.port = 0
        self._clients: dict[Any, asyncio.Future[asyncio.DatagramTransport]] = {}
        self.pending: set[asyncio.Future[None]] = set()
        self._front: asyncio.DatagramTransport | None = None

    def first_of_its_kind(self, data: bytes, client: Any) -> bool:
        """True the first time a client sends a request with this community (SNMPv3: the first time at all;
        discovery uses a new socket for every attempt)."""
        community = request_kind(data)
        kind = (None if community == b"v3" else client, community)
        if kind in self._kinds:
            return False
        self._kinds.add(kind)
        return True

    async def open(self, address: str, port: int = 0) -> None:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: _Front(self), local_addr=(address, port))
        self._front = transport
        self.port = transport.get_extra_info("sockname")[1]

    async def relay(self, front: _Front, data: bytes, client: Any) -> None:
        upstream = self._clients.get(client)
        if upstream is None:
            upstream = self._clients[client] = asyncio.ensure_future(self._connect(front, client))
        transport = await upstream
        transport.sendto(data)

    async def _connect(self, front: _Front, client: Any) -> asyncio.DatagramTransport:
        loop = asyncio.get_running_loop()

        def back(answer: bytes) -> None:
            if front.transport is not None:
                front.transport.sendto(answer, client)

        transport, _ = await loop.create_datagram_endpoint(lambda: _Upstream(back), remote_addr=self.upstream)
        return transport

    def close(self) -> None:
        for upstream in self._clients.values():
            if upstream.done() and not upstream.exception():
                upstream.result().close()
        if self._front is not None:
            self._front.close()


def request_kind(data: bytes) -> bytes:
    """The community of a v1/v2c message (BER: SEQUENCE, INTEGER version, OCTET STRING community),
    ``b"v3"`` for SNMPv3, the raw bytes when they are neither."""

    def length(at: int) -> tuple[int, int]:
        first = data[at]
        if first < 0x80:
            return first, at + 1
        count = first & 0x7F
        return int.from_bytes(data[at + 1 : at + 1 + count], "big"), at + 1 + count

    try:
        if data[0] != 0x30:
            return data
        _, at = length(1)
        if data[at] != 0x02:
            return data
        size, at = length(at + 1)
        version, at = data[at : at + size], at + size
        if version == b"\x03":
            return b"v3"
        if data[at] != 0x04:
            return data
        size, at = length(at + 1)
        return data[at : at + size]
    except IndexError:
        return data


class TapProcess:
    """The taps run in a child process, as real agents would: the prober cannot skew their clocks.

    The child reads a JSON spec on stdin, answers the ports it bound, then dumps the
    arrival times (``time.monotonic``, the same clock in every process) on each ``dump``
    line and exits when stdin closes.
    """

    def __init__(
        self,
        taps: dict[str, tuple[str, int] | None],
        address: str = "127.0.0.1",
        ports: dict[str, int] | None = None,
        lossy: frozenset[str] = frozenset(),
    ) -> None:
        ports = ports or {}
        entries = {
            n: {"upstream": list(up) if up else None, "port": ports.get(n, 0), "lossy": n in lossy}
            for n, up in taps.items()
        }
        spec = {"address": address, "taps": entries}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "testbed.udptap"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(spec) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.close()
            raise OSError("the UDP tap process did not start")
        self.ports: dict[str, int] = json.loads(line)["ports"]

    def dump(self) -> dict[str, PacketLog]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("dump\n")
        self.process.stdin.flush()
        arrivals = json.loads(self.process.stdout.readline())["arrivals"]
        return {name: PacketLog(list(times)) for name, times in arrivals.items()}

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


async def _serve(spec: dict[str, Any]) -> None:
    loop = asyncio.get_running_loop()
    taps: dict[str, UdpTap] = {}
    for name, entry in spec["taps"].items():
        upstream = entry["upstream"]
        tap = UdpTap(tuple(upstream) if upstream else None, bool(entry.get("lossy")))  # type: ignore[arg-type]
        await tap.open(spec["address"], entry["port"])
        taps[name] = tap
    print(json.dumps({"ports": {name: tap.port for name, tap in taps.items()}}), flush=True)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        if line.strip() == "dump":
            arrivals = {name: list(tap.log.arrivals) for name, tap in taps.items()}
            print(json.dumps({"arrivals": arrivals}), flush=True)
    for tap in taps.values():
        tap.close()


def main() -> None:
    spec = json.loads(sys.stdin.readline())
    asyncio.run(_serve(spec))


class TappedSnmpLab(SnmpLab):
    """The SNMP lab with a :class:`TapProcess` in front of silent agents (and of every agent with ``tap=True``).

    Tests and benchmarks measure at the agent what a prober sent (``packet_logs``); the
    product's lab has no fronts.
    """

    def __init__(self, *args: Any, tap: bool = False, lossy: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tap = tap
        # Hosts whose front drops the first request of each community (see UdpTap).
        self.lossy = lossy
        self._taps: TapProcess | None = None

    def fronted(self) -> list[LabAgent]:
        return [a for a in self.agents if a.silent or self.tap or a.host in self.lossy]

    def start_fronts(self, upstreams: dict[str, tuple[str, int] | None], ports: dict[str, int]) -> dict[str, int]:
        self._taps = TapProcess(upstreams, self.address, ports, self.lossy)
        return self._taps.ports

    def stop_fronts(self) -> None:
        if self._taps is not None:
            self._taps.close()
            self._taps = None

    def packet_logs(self) -> dict[str, PacketLog]:
        """What each tapped agent received so far (``tap=True``, and silent agents)."""
        return self._taps.dump() if self._taps is not None else {}


if __name__ == "__main__":
    main()
