"""Faults a simulated device can be told to show, so the collectors' error paths are tested for real.

A fault is written ``KIND[:ARG[:ARG]]``, per host in the snapshot's ``meta.yaml``
(``lab_fault: slow:64:0.01``) or on the command line (``--fault HOST=KIND``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class FaultKind(enum.StrEnum):
    REFUSE = "refuse"  # the port is bound but does not listen: connection refused
    SILENT = "silent"  # TCP is accepted, SSH never answers (no banner)
    BAD_PASSWORD = "bad-password"  # every password and key is rejected
    HANG = "hang"  # logs in, then never prints a prompt
    STALL = "stall"  # stops half-way through the configuration and goes quiet
    CUT = "cut"  # stops half-way through the configuration and closes the session
    SLOW = "slow"  # every output in small chunks with pauses between them


DESCRIPTIONS = {
    FaultKind.REFUSE: "refuse TCP connections",
    FaultKind.SILENT: "accept TCP, never send the SSH banner",
    FaultKind.BAD_PASSWORD: "reject every password and key",
    FaultKind.HANG: "log in, then never print a prompt",
    FaultKind.STALL: "stop half-way through the configuration output and go quiet",
    FaultKind.CUT: "stop half-way through the configuration output and close the session",
    FaultKind.SLOW: "send every output in CHUNK-byte pieces DELAY seconds apart (slow:CHUNK:DELAY)",
}

_ALIASES = {"reject-password": FaultKind.BAD_PASSWORD, "badpass": FaultKind.BAD_PASSWORD}


class FaultError(ValueError):
    """A fault specification that cannot be read."""


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    chunk: int = 64
    delay: float = 0.005

    def __str__(self) -> str:
        if self.kind is FaultKind.SLOW:
            return f"slow:{self.chunk}:{self.delay:g}"
        return self.kind.value


def parse_fault(spec: str) -> Fault:
    """``slow:16:0.01`` -> Fault(SLOW, chunk=16, delay=0.01); ``hang`` -> Fault(HANG)."""
    name, *args = [part.strip() for part in str(spec).strip().split(":")]
    try:
        kind = _ALIASES.get(name.lower()) or FaultKind(name.lower())
    except ValueError:
        known = ", ".join(k.value for k in FaultKind)
        raise FaultError(f"unknown lab fault {spec!r} (known: {known})") from None
    if kind is not FaultKind.SLOW:
        if args:
            raise FaultError(f"lab fault {kind.value!r} takes no arguments (got {spec!r})")
        return Fault(kind)
    try:
        chunk = int(args[0]) if args and args[0] else Fault.chunk
        delay = float(args[1]) if len(args) > 1 and args[1] else Fault.delay
    except ValueError:
        raise FaultError(f"lab fault {spec!r}: expected slow:CHUNK:DELAY (bytes, seconds)") from None
    if chunk < 1 or delay < 0 or len(args) > 2:
        raise FaultError(f"lab fault {spec!r}: CHUNK must be >= 1 byte and DELAY >= 0 seconds")
    return Fault(kind, chunk=chunk, delay=delay)
