"""Live collection of a Linux host over SSH (paramiko): the host command set, in two round trips.

Each phase of :class:`~scanner.platforms._linux.commands.HostCommandSet` is sent as one
``sh -s`` script on one SSH channel, so a host costs one login and two channels
however many commands it answers (a channel per command costs a process and a round
trip each). The script frames every command's stdout and stderr between markers
that carry a random boundary (so no output can forge one) and the command's exit
status; each output is cut out byte for byte, decoded once and saved under the
command's slug like a device command. Every command runs with ``LC_ALL=C`` (dates
and messages in one format), stdin from /dev/null, and (unless it only reads local
files) under ``timeout`` when the host has it. The commands that need root run
together in one sub-script: as is for root, else through a single ``sudo -n`` when the
user may; otherwise as the user, and the checks that need them say why they cannot judge.

A host ends collected (a :class:`~scanner.snapshot.Snapshot`) or failed with a
:class:`~scanner.collect.errors.CollectError` whose ``reason`` is one of the collection
step's typed reasons (unreachable, timeout, authentication failed, host key mismatch/unknown).

Credentials and the known_hosts check are the network collector's
(:mod:`scanner.collect.credentials`, :mod:`scanner.collect.hostkeys`): its Nornir task
hands a host whose platform is of kind ``host`` to :func:`collect_host`, so Linux
servers are collected in the same run, on the same workers, with the same errors.
"""

from __future__ import annotations

import re
import secrets
import select
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paramiko

from scanner.collect.errors import CollectError, Reason
from scanner.collect.hostkeys import HostKeyPolicy, KnownHosts
from scanner.decoding import UndecodableError, decode, decode_message
from scanner.masking import Secret
from scanner.platforms import get_platform
from scanner.platforms._linux.commands import HostCommandSet
from scanner.snapshot import Snapshot

_NOT_RUN = {124: "timed out", 126: "not executable", 127: "command not found"}
_STDERR_KEEP = 2000
# What sudo -n prints when it will not run a command (its other messages are warnings).
_SUDO_REFUSED = re.compile(
    r"^sudo: (?:a password is required|a terminal is required.*|.*is not in the sudoers file.*"
    r"|.*is not allowed to execute.*|.*may not run sudo.*)$",
    re.M,
)
_READ_SIZE = 65536


@dataclass(frozen=True)
class HostTarget:
    """One Linux host to collect: where, as whom, with what."""

    name: str
    address: str
    port: int = 22
    username: str | None = None
    password: Secret | None = None
    key_file: Path | None = None
    allow_agent: bool = False
    platform: str = "linux"


@dataclass(frozen=True)
class HostCollectOptions:
    connect_timeout: float = 15.0
    command_timeout: float = 60.0
    # The longest a whole phase may take (every command of it, one after the other).
    phase_timeout: float = 600.0


@dataclass
class _Run:
    stdout: bytes
    stderr: bytes
    status: int | None


@dataclass
class _Phase:
    runs: dict[str, _Run] = field(default_factory=dict)
    privilege: str = ""


# The channel's command; the script comes on its stdin.
LAUNCHER = "sh -s"


def _framed(index: int, command: str, guarded: bool) -> list[str]:
    """One command between its markers, on stdout and on stderr, with its exit status."""
    return [
        f'printf "%s begin {index}\\n" "$B"; printf "%s begin {index}\\n" "$B" >&2',
        f"{'$T ' if guarded else ''}{command} </dev/null",
        f'r=$?; printf "\\n%s end {index} %s\\n" "$B" "$r"; printf "\\n%s end {index}\\n" "$B" >&2',
    ]


def _script(commands: list[str], commands_set: HostCommandSet, boundary: str, timeout: float) -> str:
    """The phase as one shell script: ordinary commands as the login user, root's in one sub-script.

    The sub-script runs as is for root, else through a single ``sudo -n`` (one sudo per
    phase, and only what needs root runs as root); when sudo refuses, it runs as the
    user, and each of its commands fails or answers with what the user may read.
    """
    plain = [(i, c) for i, c in enumerate(commands) if not commands_set.privileged(c)]
    privileged = [(i, c) for i, c in enumerate(commands) if commands_set.privileged(c)]
    delimiter = f"{boundary}_ROOT"
    lines = [
        "export LC_ALL=C LANG=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH",
        f"export B={boundary}",
        f'if command -v timeout >/dev/null 2>&1; then T="timeout -k 5 {int(timeout)}"; else T=; fi; export T',
    ]
    for index, command in plain:
        lines += _framed(index, command, commands_set.may_hang(command))
    if privileged:
        lines.append(f"ROOT=$(cat <<'{delimiter}'")
        for index, command in privileged:
            lines += _framed(index, command, commands_set.may_hang(command))
        lines += [
            "exit 0",
            delimiter,
            ")",
            'if [ "$(id -u)" = 0 ]; then P=root; sh -c "$ROOT"',
            'elif sudo -n env LC_ALL=C B="$B" T="$T" PATH="$PATH" sh -c "$ROOT"; then P=sudo',
            'else P=user; sh -c "$ROOT"; fi',
        ]
    else:
        lines.append('if [ "$(id -u)" = 0 ]; then P=root; else P=user; fi')
    lines.append('printf "%s privilege %s\\n" "$B" "$P"')
    return "\n".join(lines) + "\n"


def _frames(data: bytes, boundary: str, count: int, with_status: bool) -> list[tuple[bytes, int | None] | None]:
    """Each command's bytes between its markers (None when its frame is missing or cut)."""
    frames: list[tuple[bytes, int | None] | None] = []
    for index in range(count):
        begin = f"{boundary} begin {index}\n".encode()
        start = data.find(begin)
        end_marker = f"\n{boundary} end {index}{' ' if with_status else chr(10)}".encode()
        end = data.find(end_marker, start + len(begin)) if start >= 0 else -1
        if start < 0 or end < 0:
            frames.append(None)
            continue
        status = None
        if with_status:
            tail = data[end + len(end_marker) : end + len(end_marker) + 16]
            match = re.match(rb"(\d+)\n", tail)
            status = int(match.group(1)) if match else None
        frames.append((data[start + len(begin) : end], status))
    return frames


def read_all(channel: paramiko.Channel, deadline: float, where: str) -> tuple[bytes, bytes, int]:
    out, err = bytearray(), bytearray()
    while True:
        while channel.recv_ready():
            out += channel.recv(_READ_SIZE)
        while channel.recv_stderr_ready():
            err += channel.recv_stderr(_READ_SIZE)
        drained = not channel.recv_ready() and not channel.recv_stderr_ready()
        if channel.exit_status_ready() and drained and (channel.eof_received or channel.closed):
            return bytes(out), bytes(err), channel.recv_exit_status()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CollectError(
                Reason.TIMEOUT, f"{where}: the commands did not finish in time ({len(out)} bytes received)"
            )
        select.select([channel], [], [], min(remaining, 0.5))


def _run_phase(
    client: paramiko.SSHClient,
    commands: list[str],
    command_set: HostCommandSet,
    options: HostCollectOptions,
    where: str,
) -> _Phase:
    boundary = f"NETCOMPLY-{secrets.token_hex(12)}"
    transport = client.get_transport()
    assert transport is not None
    channel = transport.open_session(timeout=options.connect_timeout)
    try:
        channel.exec_command(LAUNCHER)
        channel.sendall(_script(commands, command_set, boundary, options.command_timeout).encode())
        channel.shutdown_write()
        stdout, stderr, _ = read_all(channel, time.monotonic() + options.phase_timeout, where)
    finally:
        channel.close()
    phase = _Phase()
    match = re.search(rb"^" + boundary.encode() + rb" privilege (\w+)$", stdout, re.M)
    phase.privilege = match.group(1).decode() if match else ""
    outs = _frames(stdout, boundary, len(commands), True)
    errs = _frames(stderr, boundary, len(commands), False)
    for command, out, err in zip(commands, outs, errs, strict=True):
        if out is None:
            continue
        phase.runs[command] = _Run(out[0], err[0] if err else b"", out[1])
    if not phase.runs and commands:
        detail = decode_message(stderr).strip().splitlines()
        raise CollectError(
            Reason.COMMAND, f"{where}: the host ran none of the commands ({detail[-1] if detail else 'no output'})"
        )
    return phase


def connect(target: HostTarget, known_hosts: KnownHosts, options: HostCollectOptions) -> paramiko.SSHClient:
    where = f"{target.address}:{target.port}"
    client = paramiko.SSHClient()
    policy = HostKeyPolicy(known_hosts)
    client.set_missing_host_key_policy(policy)
    try:
        client.connect(
            hostname=target.address,
            port=target.port,
            username=target.username,
            password=target.password.reveal() if target.password else None,
            key_filename=str(target.key_file) if target.key_file else None,
            allow_agent=target.allow_agent,
            look_for_keys=False,
            timeout=options.connect_timeout,
            banner_timeout=options.connect_timeout,
            auth_timeout=options.connect_timeout,
        )
    except Exception as exc:
        # The transport thread keeps the first cause (no banner, reset...); connect() may
        # raise a later, vaguer one ("No existing session").
        transport = client.get_transport()
        saved = getattr(transport, "saved_exception", None) if transport is not None else None
        negotiating = transport is not None and not transport.initial_kex_done
        client.close()
        if saved is None and negotiating and policy.error is None and isinstance(exc, paramiko.SSHException):
            raise CollectError(
                Reason.TIMEOUT,
                f"{where} accepted the connection but the SSH handshake did not finish "
                f"within {options.connect_timeout:g} s",
            ) from None
        raise _classify(saved or exc, policy, where, options) from None
    return client


def _classify(exc: BaseException, policy: HostKeyPolicy, where: str, options: HostCollectOptions) -> CollectError:
    if policy.error is not None:
        return policy.error
    if isinstance(exc, paramiko.AuthenticationException):
        return CollectError(Reason.AUTHENTICATION, f"{where} rejected the credentials")
    if isinstance(exc, paramiko.ssh_exception.NoValidConnectionsError | ConnectionRefusedError):
        return CollectError(Reason.UNREACHABLE, f"{where} refused the connection")
    if isinstance(exc, socket.gaierror):
        return CollectError(Reason.UNREACHABLE, f"{where}: the name does not resolve")
    if isinstance(exc, TimeoutError):
        return CollectError(Reason.UNREACHABLE, f"{where} did not answer within {options.connect_timeout:g} s")
    text = str(exc)
    if "banner" in text.lower():
        return CollectError(
            Reason.TIMEOUT,
            f"{where} accepted the connection but sent no SSH banner within {options.connect_timeout:g} s",
        )
    if isinstance(exc, EOFError | OSError | paramiko.SSHException):
        return CollectError(Reason.UNREACHABLE, f"{where}: the SSH session failed ({type(exc).__name__}: {text})")
    return CollectError(Reason.COMMAND, f"{where}: {type(exc).__name__}: {text}")


def collect_host(target: HostTarget, known_hosts: KnownHosts, options: HostCollectOptions | None = None) -> Snapshot:
    """Collect one Linux host: log in once, run phase one, then the phase two it calls for."""
    options = options or HostCollectOptions()
    platform = get_platform(target.platform)
    command_set = platform.commands
    if not isinstance(command_set, HostCommandSet):
        raise CollectError(Reason.COMMAND, f"{platform.display_name} is not a host platform")
    where = f"{target.address}:{target.port}"
    client = connect(target, known_hosts, options)
    try:
        first = list(command_set.first)
        phase1 = _run_phase(client, first, command_set, options, where)
        texts = {c: decode_message(r.stdout) for c, r in phase1.runs.items()}
        second = [c for c in command_set.follow_up(texts) if c not in texts]
        phase2 = _run_phase(client, second, command_set, options, where) if second else _Phase()
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise CollectError(Reason.COMMAND, f"{where}: the SSH session failed ({type(exc).__name__}: {exc})") from None
    finally:
        client.close()
    runs = {**phase1.runs, **phase2.runs}
    outputs: dict[str, str] = {}
    errors: dict[str, str] = {}
    statuses: dict[str, int] = {}
    stderr: dict[str, str] = {}
    for command in [*first, *second]:
        run = runs.get(command)
        if run is None:
            errors[command] = "no output frame (the session ended before this command finished)"
            continue
        message = decode_message(run.stderr).strip()
        try:
            outputs[command] = decode(run.stdout)
        except UndecodableError as exc:
            errors[command] = f"the output is not text: {exc}"
            continue
        if message:
            stderr[command] = message[:_STDERR_KEEP]
        if run.status:
            statuses[command] = run.status
        if run.status in _NOT_RUN:
            errors[command] = _NOT_RUN[run.status] + (f" ({message.splitlines()[0]})" if message else "")
        elif run.status and (refusal := _SUDO_REFUSED.search(message)):
            errors[command] = f"sudo refused: {refusal.group(0)}"
    meta: dict[str, Any] = {
        "collected_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "source": f"ssh {target.username or ''}@{where} (paramiko {paramiko.__version__}, {platform.name})",
        "privilege": phase1.privilege or "unknown",
    }
    for key, value in (("exit_status", statuses), ("stderr", stderr), ("errors", errors)):
        if value:
            meta[key] = value
    return Snapshot(host=target.name, platform=platform.name, meta=meta, outputs=outputs)
