"""Running the SNMP coroutines from synchronous code, whatever the calling thread is doing."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` here, or in a worker thread when this thread already runs an event loop
    (a caller inside asyncio, or a library such as Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="netcomply-snmp") as pool:
        return pool.submit(asyncio.run, coroutine).result()
