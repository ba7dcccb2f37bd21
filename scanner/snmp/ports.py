"""Free UDP ports for the lab's agents, chosen where no client socket can take them first."""

from __future__ import annotations

import random
import socket
from pathlib import Path


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_udp_ports(count: int, address: str = "127.0.0.1") -> list[int]:
    """``count`` distinct UDP ports free right now, outside the kernel's ephemeral range.

    An agent binds its port a while after it was chosen (snmpsim takes seconds to start
    hundreds of engines). A port from the ephemeral range could meanwhile be handed to
    any client socket, the readiness probe's own among them, and that agent would never
    start; ports below the range are only ever taken by a deliberate bind.
    """
    low, _high = _ephemeral_range()
    pool = range(10000, low) if low - 10000 >= count else range(1024, low)
    sockets: list[socket.socket] = []
    try:
        if len(pool) >= count:
            offset = random.randrange(len(pool))
            for step in range(len(pool)):
                if len(sockets) == count:
                    break
                port = pool[(offset + step) % len(pool)]
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                try:
                    sock.bind((address, port))
                except OSError:
                    sock.close()
                    continue
                sockets.append(sock)
        while len(sockets) < count:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind((address, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()
