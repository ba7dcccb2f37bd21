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

import time
from collections.abc import Callable
from functools import cache
from typing import Any

import netmiko
from netmiko.ssh_dispatcher import ssh_dispatcher
from nornir_netmiko.connections import Netmiko

from scanner.collect.errors import CollectError, Reason
from scanner.decoding import UndecodableError, decode

CONNECTION_NAME = "netcomply_netmiko"
_TAIL = 512
_READ_SIZE = 65536
_MAX_WAIT = 1.0
_GOODBYE_TIMEOUT = 1.0


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

    def disconnect(self: Any) -> None:
        # Netmiko's goodbye reads one prompt (config-mode check) with the login timeout; from a device that
        # hangs or stalls that wait would double the host's cost, so it gets a second at most.
        if self.read_timeout_override is None or self.read_timeout_override > _GOODBYE_TIMEOUT:
            self.read_timeout_override = _GOODBYE_TIMEOUT
        base.disconnect(self)

    namespace = {"__init__": __init__, "_build_ssh_client": _build_ssh_client, "disconnect": disconnect}
    return type(f"HostKeyChecked{base.__name__}", (base,), namespace)


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


_PROMPT_ENDS = "#>$%]"


class Session:
    """Commands over one logged-in Netmiko connection, each output read whole to the prompt."""

    def __init__(self, connection: Any, timeout: float) -> None:
        self.conn = connection
        self.channel = connection.remote_conn
        self.prompt = self._discover_prompt(timeout)
        self._marker = "\n" + self.prompt

    def _discover_prompt(self, timeout: float) -> str:
        """The device's whole prompt, as the last line it prints after an empty line (Netmiko keeps only a stem)."""
        base = self.conn.base_prompt or ""

        def prompt_start(text: str) -> int | None:
            stripped = text.rstrip()
            start = stripped.rfind("\n") + 1
            line = stripped[start:]
            if start and line and line[-1] in _PROMPT_ENDS and base in line:
                return start
            return None

        self.conn.write_channel(self.conn.RETURN)
        try:
            text, start = self._read_until(prompt_start, timeout)
        except CollectError as exc:
            raise CollectError(exc.reason, f"no prompt after login: {exc.detail}") from None
        return text[start:].strip()

    def _prompt_start(self, text: str) -> int | None:
        """Where the prompt line starts when ``text`` ends with the prompt (only blanks after it)."""
        stripped = text.rstrip(" \t")
        if stripped.endswith(self._marker):
            return len(stripped) - len(self.prompt)
        return None

    def run(self, command: str, timeout: float) -> str:
        """The output of ``command`` exactly as the device printed it (line ends normalised), without echo or prompt."""
        self.conn.write_channel(self.conn.normalize_cmd(command))
        try:
            text, start = self._read_until(self._prompt_start, timeout)
        except CollectError as exc:
            raise CollectError(exc.reason, f"{command}: {exc.detail}") from None
        echo_end = text.find("\n") + 1
        if echo_end == 0 or echo_end > start or command.split()[0] not in text[:echo_end]:
            raise CollectError(Reason.COMMAND, f"{command}: the device did not echo the command")
        return text[echo_end:start]

    def _read_until(self, prompt_start: Callable[[str], int | None], timeout: float) -> tuple[str, int]:
        """Read until ``prompt_start`` finds the prompt at the end; the text (decoded once) and where the prompt is."""
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
            if prompt_start(self._clean(bytes(raw[-_TAIL:]).decode("latin-1"))) is None:
                continue
            try:
                text = self._clean(decode(bytes(raw)))
            except UndecodableError as exc:
                raise CollectError(Reason.COMMAND, f"the device's output is not text: {exc}") from None
            start = prompt_start(text)
            if start is not None:
                return text, start

    def _clean(self, text: str) -> str:
        text = self.conn.normalize_linefeeds(text)
        if self.conn.ansi_escape_codes and "\x1b" in text:  # every code Netmiko strips starts with ESC
            text = self.conn.strip_ansi_escape_codes(text)
        return text
