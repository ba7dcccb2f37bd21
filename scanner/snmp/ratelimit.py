"""A token bucket per agent address, so no agent receives more than the configured rate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up; one token per request.

    Waiters are served in arrival order (an :class:`asyncio.Lock` is fair), so the
    dictionary, the write test and the walks of one agent share its rate.
    """

    def __init__(self, rate: float, burst: int = 1, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.clock = clock
        self.updated = clock()
        self.taken = 0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    self.taken += 1
                    return
                await asyncio.sleep((1.0 - self.tokens) / self.rate)


class RateLimiter:
    """One bucket per agent (address, port), made on first use."""

    def __init__(self, rate: float, burst: int = 1) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[tuple[str, int], TokenBucket] = {}

    def bucket(self, address: str, port: int) -> TokenBucket:
        key = (address, port)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst)
        return bucket

    def sent(self) -> dict[tuple[str, int], int]:
        return {key: b.taken for key, b in self._buckets.items()}
