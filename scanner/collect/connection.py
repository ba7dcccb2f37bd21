"""The SSH session to one device: Netmiko logs in, netcomply reads each command's output to the prompt.

Two things here go beyond what Nornir's stock netmiko plugin offers:

* host keys: the Netmiko driver class is extended so Paramiko asks a
  :class:`~scanner.collect.hostkeys.HostKeyPolicy` about every server key, before
  authentication (no password is sent to a device whose key does not match);
* reading: each output is read as bytes until the device's exact prompt ends the
  stream, then decoded once. Netmiko's default path finds the prompt again before
  every command, sleeps between reads and decodes packet by packet (dropping a
  multi-byte character split across two packets); this path waits on the socket,
  checks only the tail for the prompt, and fails the command rather than ever
  returning a truncated output.
"""

from __future__ import annotations

import re
import time
from functools import cache
from typing import Any

import netmiko
from netmiko.ssh_dispatcher import ssh_dispatcher
from nornir_netmiko.connections import Netmiko

from scanner.collect.errors import CollectError, Reason
from scanner.snapshot import decode

CONNECTION_NAME = "netcomply_netmiko"
_TAIL = 512
_READ_SIZE = 65536
_MAX_WAIT = 1.0


@cache
def _checked_class(base: type) -> type:
    """``base`` (a Netmiko driver) with host keys checked by the policy given to its constructor."""

    def __init__(self: Any, *args: Any, host_key_policy: Any, **kwargs: Any) -> None:
        self._netcomply_host_key_policy = host_key_policy
        base.__init__(self, *args, **kwargs)

    def _build_ssh_client(self: Any) -> Any:
        client = base._build_ssh_client(self)
        client.set_missing_host_key_policy(self._netcomply_host_key_policy)
        return client

    return type(
        f"HostKeyChecked{base.__name__}", (base,), {"__init__": __init__, "_build_ssh_client": _build_ssh_client}
    )


class CheckedNetmiko(Netmiko):
    """Nornir connection plugin: nornir_netmiko's, with netcomply's host-key check.

    ``extras`` carries the Netmiko arguments plus ``host_key_policy``; Paramiko's own
    host-key loading is switched off so that every key goes through the policy.
    """

    def open(
        self,
        hostname: str | None,
        username: str | None,
        password: str | None,
        port: int | None,
        platform: str | None,
        extras: dict[str, Any] | None = None,
        configuration: Any = None,
    ) -> None:
        params = dict(extras or {})
        policy = params.pop("host_key_policy")
        params.update(
            host=hostname,
            username=username,
            password=password,
            port=port,
            device_type=platform,
            system_host_keys=False,
            alt_host_keys=False,
            ssh_strict=True,
        )
        if platform not in netmiko.platforms:
            raise CollectError(Reason.SETUP, f"netmiko has no driver for platform {platform!r}")
        self.connection = _checked_class(ssh_dispatcher(platform))(host_key_policy=policy, **params)


def _prompt_pattern(prompt: str) -> re.Pattern[str]:
    return re.compile(r"[\r\n]" + re.escape(prompt) + r"[ \t]*\Z")


class Session:
    """Commands over one logged-in Netmiko connection, each output read whole to the prompt."""

    def __init__(self, connection: Any, timeout: float) -> None:
        self.conn = connection
        self.channel = connection.remote_conn
        self.prompt = self._discover_prompt(timeout)
        self._pattern = _prompt_pattern(self.prompt)

    def _discover_prompt(self, timeout: float) -> str:
        base = re.escape(self.conn.base_prompt or "")
        pattern = re.compile(r"[\r\n]([^\r\n]*" + base + r"[^\r\n]{0,40}?)[ \t]*\Z")
        self.conn.write_channel(self.conn.RETURN)
        try:
            _text, match = self._read_until(pattern, timeout)
        except CollectError as exc:
            raise CollectError(exc.reason, f"no prompt after login: {exc.detail}") from None
        return match.group(1).strip()

    def run(self, command: str, timeout: float) -> str:
        """The output of ``command`` exactly as the device printed it (line ends normalised), without echo or prompt."""
        self.conn.write_channel(self.conn.normalize_cmd(command))
        try:
            text, match = self._read_until(self._pattern, timeout)
        except CollectError as exc:
            raise CollectError(exc.reason, f"{command}: {exc.detail}") from None
        echo_end = text.find("\n") + 1
        if echo_end == 0 or command.split()[0] not in text[:echo_end]:
            raise CollectError(Reason.COMMAND, f"{command}: the device did not echo the command")
        return text[echo_end : match.start() + 1]

    def _read_until(self, pattern: re.Pattern[str], timeout: float) -> tuple[str, re.Match[str]]:
        raw = bytearray()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CollectError(
                    Reason.TIMEOUT,
                    f"no prompt within {timeout:g} s ({len(raw)} bytes received; partial output discarded)",
                )
            self.channel.settimeout(min(remaining, _MAX_WAIT))
            try:
                data = self.channel.recv(_READ_SIZE)
            except TimeoutError:
                continue
            except OSError as exc:
                raise CollectError(Reason.COMMAND, f"the session failed: {exc}") from None
            if not data:
                raise CollectError(
                    Reason.COMMAND,
                    f"the device closed the session after {len(raw)} bytes (partial output discarded)",
                )
            raw += data
            tail = self._clean(bytes(raw[-_TAIL:]).decode("latin-1"))
            if pattern.search(tail):
                text = self._clean(decode(bytes(raw)))
                match = pattern.search(text)
                if match is not None:
                    return text, match

    def _clean(self, text: str) -> str:
        text = self.conn.normalize_linefeeds(text)
        if self.conn.ansi_escape_codes and "\x1b" in text:  # every code Netmiko strips starts with ESC
            text = self.conn.strip_ansi_escape_codes(text)
        return text
