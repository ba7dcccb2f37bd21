"""Why a host could not be collected: one typed reason per failed host, with a message a user can act on."""

from __future__ import annotations

import enum


class Reason(enum.StrEnum):
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    AUTHENTICATION = "authentication failed"
    HOSTKEY_MISMATCH = "host key mismatch"
    HOSTKEY_UNKNOWN = "host key unknown"
    COMMAND = "command failed"
    SETUP = "cannot collect"  # the inventory does not say enough to try (no platform, unknown platform)


class CollectError(Exception):
    """A host that ends uncollected. ``str()`` is ``"<reason>: <detail>"``; the detail never holds a secret."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason
        self.detail = detail
