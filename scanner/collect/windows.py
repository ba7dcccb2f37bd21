"""Live collection of a Windows host: each snapshot file's PowerShell body, over OpenSSH or WinRM.

A Windows host answers the bodies of :mod:`scanner.platforms._windows.sources`, one
``powershell.exe -EncodedCommand`` command line per file (a command line holds no
character any shell could reinterpret, whether the remote shell is cmd.exe, Windows
OpenSSH's default, or PowerShell), run one after the other in one session:

* ``ssh`` (the default): OpenSSH Server for Windows, through paramiko, with the same
  credentials, known_hosts check and typed errors as every other platform
  (:mod:`scanner.collect.linux` connects); one channel per file;
* ``winrm``: WS-Management through pywinrm (``pip install 'netcomply[winrm]'``), HTTPS on
  5986 by default, NTLM (the password) or Kerberos (a ticket from ``kinit``); one shell,
  one command per file. The server's TLS certificate is verified (against ``ca_file`` when
  given); that is WinRM's host key.

Each file's text comes back on stdout as UTF-8 and is kept under its file name; a body
that fails (Defender not installed, secedit refused) leaves its file out and its error in
``meta.yaml``, like a device command that failed. The inventory chooses per host::

    win-app01:
      hostname: 10.20.30.41
      platform: windows
      username: CORP\\auditor
      data:
        windows: {transport: winrm, port: 5986, auth: ntlm, ca_file: /etc/netcomply/corp-ca.pem}
"""

from __future__ import annotations

import contextlib
import html
import importlib.metadata
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import paramiko

from scanner.collect.errors import CollectError, Reason
from scanner.collect.hostkeys import KnownHosts
from scanner.collect.linux import HostCollectOptions, HostTarget, connect, read_all
from scanner.decoding import UndecodableError, decode, decode_message
from scanner.inventory_check import WINDOWS_CHOICES, WINDOWS_KEYS
from scanner.masking import Secret
from scanner.platforms._windows.sources import SOURCES, Source, live_command
from scanner.snapshot import Snapshot

TRANSPORTS = WINDOWS_CHOICES["transport"]
WINRM_AUTH = WINDOWS_CHOICES["auth"]
WINRM_PORTS = {"https": 5986, "http": 5985}
_STDERR_KEEP = 2000
# What a shell prints when powershell.exe is not there: cmd.exe (exit 9009) or a POSIX shell (127).
_NO_POWERSHELL = (9009, 127)


@dataclass(frozen=True)
class WindowsTarget:
    """One Windows host to collect, and how (from the inventory's ``windows:`` host data)."""

    name: str
    address: str
    port: int
    username: str | None = None
    password: Secret | None = None
    key_file: Path | None = None
    allow_agent: bool = False
    transport: str = "ssh"
    scheme: str = "https"
    auth: str = "ntlm"
    ca_file: Path | None = None
    verify: bool = True
    # Passed to the bodies: update_cab (a wsusscn2.cab path on the host), skip_update_search.
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        if self.transport == "winrm":
            return f"{self.scheme}://{self.address}:{self.port}/wsman"
        return f"{self.address}:{self.port}"


def windows_target(
    name: str,
    address: str,
    ssh_port: int,
    username: str | None,
    password: Secret | None,
    key_file: Path | None,
    allow_agent: bool,
    data: Mapping[str, Any] | None,
) -> WindowsTarget:
    """The target the inventory describes; a :class:`CollectError` (SETUP) names a wrong value."""
    data = dict(data or {})
    # The inventory check (scanner.inventory_check) refuses these before a run; a host built
    # in code (a plugin, the tests) is held to the same table here.
    unknown = set(data) - set(WINDOWS_KEYS)
    if unknown:
        raise CollectError(Reason.SETUP, f"unknown key(s) in the host's windows data: {', '.join(sorted(unknown))}")
    transport = str(data.get("transport", "ssh")).lower()
    if transport not in TRANSPORTS:
        raise CollectError(Reason.SETUP, f"windows transport {transport!r}: use one of {', '.join(TRANSPORTS)}")
    scheme = str(data.get("scheme", "https")).lower()
    if scheme not in WINRM_PORTS:
        raise CollectError(Reason.SETUP, f"windows scheme {scheme!r}: use https (5986) or http (5985)")
    auth = str(data.get("auth", "ntlm")).lower()
    if auth not in WINRM_AUTH:
        raise CollectError(Reason.SETUP, f"windows auth {auth!r}: use one of {', '.join(WINRM_AUTH)}")
    port = data.get("port")
    if port is None:
        port = WINRM_PORTS[scheme] if transport == "winrm" else ssh_port
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise CollectError(Reason.SETUP, f"windows port {port!r} is not a TCP port")
    verify = data.get("verify", True)
    if not isinstance(verify, bool):
        raise CollectError(Reason.SETUP, "windows verify must be true or false")
    ca_file = Path(str(data["ca_file"])).expanduser() if data.get("ca_file") else None
    settings = {k: data[k] for k in ("update_cab", "skip_update_search") if k in data}
    return WindowsTarget(
        name,
        address,
        port,
        username,
        password,
        key_file,
        allow_agent,
        transport,
        scheme,
        auth,
        ca_file,
        verify,
        settings,
    )


@dataclass
class Run:
    stdout: bytes
    stderr: bytes
    status: int | None
    timed_out: bool = False


class _Runner(AbstractContextManager["_Runner"]):
    source: str

    def run(self, item: Source, command: str, timeout: float) -> Run:
        raise NotImplementedError


# ---- OpenSSH Server for Windows --------------------------------------------------------


class _SshRunner(_Runner):
    def __init__(self, target: WindowsTarget, known_hosts: KnownHosts, options: HostCollectOptions) -> None:
        self.target = target
        self.options = options
        host = HostTarget(
            target.name,
            target.address,
            target.port,
            target.username,
            target.password,
            target.key_file,
            target.allow_agent,
            "windows",
        )
        self.client = connect(host, known_hosts, options)
        version = self.client.get_transport().remote_version if self.client.get_transport() else "?"  # type: ignore[union-attr]
        self.source = (
            f"ssh {target.username or ''}@{target.where} ({version}; paramiko {paramiko.__version__}, windows)"
        )

    def run(self, item: Source, command: str, timeout: float) -> Run:
        transport = self.client.get_transport()
        assert transport is not None
        channel = transport.open_session(timeout=self.options.connect_timeout)
        try:
            channel.exec_command(command)
            channel.shutdown_write()
            try:
                out, err, status = read_all(channel, time.monotonic() + timeout, self.target.where)
            except CollectError:
                return Run(b"", b"", None, timed_out=True)
            return Run(out, err, status)
        finally:
            channel.close()

    def __exit__(self, *exc: object) -> None:
        self.client.close()


# ---- WinRM -------------------------------------------------------------------------------


class _WinRMRunner(_Runner):
    """One WinRM shell; each body a command in it (pywinrm's Protocol, its public calls only)."""

    def __init__(self, target: WindowsTarget, options: HostCollectOptions) -> None:
        try:
            import winrm  # noqa: F401
            from winrm.protocol import Protocol
        except ImportError:
            raise CollectError(
                Reason.SETUP, "collecting over WinRM needs pywinrm: pip install 'netcomply[winrm]'"
            ) from None
        if target.auth == "ntlm" and target.password is None:
            raise CollectError(Reason.AUTHENTICATION, f"{target.where}: WinRM with NTLM needs a password")
        self.target = target
        self.options = options
        operation = max(5, int(options.connect_timeout))
        self.protocol = Protocol(
            endpoint=target.where,
            transport=target.auth,  # type: ignore[arg-type]
            username=target.username,
            password=target.password.reveal() if target.password else None,
            server_cert_validation="validate" if target.verify else "ignore",
            ca_trust_path=str(target.ca_file) if target.ca_file else None,  # type: ignore[arg-type]
            operation_timeout_sec=operation,
            read_timeout_sec=operation + 10,
            proxy=None,
        )
        checked = "" if target.verify else ", certificate NOT verified"
        version = importlib.metadata.version("pywinrm")
        self.source = (
            f"winrm {target.username or ''} {target.where} ({target.auth}{checked}; pywinrm {version}, windows)"
        )
        self.shell_id = self._call(lambda: self.protocol.open_shell(codepage=65001))

    def _call(self, action: Any) -> Any:
        try:
            return action()
        except Exception as exc:
            raise classify_winrm(exc, self.target) from None

    def run(self, item: Source, command: str, timeout: float) -> Run:
        from winrm.exceptions import WinRMOperationTimeoutError

        program, *arguments = command.split(" ")
        command_id = self._call(lambda: self.protocol.run_command(self.shell_id, program, arguments))
        out, err = bytearray(), bytearray()
        deadline = time.monotonic() + timeout
        try:
            while True:
                if time.monotonic() > deadline:
                    return Run(bytes(out), bytes(err), None, timed_out=True)
                try:
                    chunk_out, chunk_err, status, done = self.protocol.get_command_output_raw(self.shell_id, command_id)
                except WinRMOperationTimeoutError:
                    continue
                except Exception as exc:
                    raise classify_winrm(exc, self.target) from None
                out += chunk_out
                err += chunk_err
                if done:
                    return Run(bytes(out), bytes(err), status)
        finally:
            # The command is over either way; a failed cleanup loses nothing.
            with contextlib.suppress(Exception):
                self.protocol.cleanup_command(self.shell_id, command_id)

    def __exit__(self, *exc: object) -> None:
        # Closing is best effort: the snapshot is already complete.
        with contextlib.suppress(Exception):
            self.protocol.close_shell(self.shell_id)


def classify_winrm(exc: BaseException, target: WindowsTarget) -> CollectError:
    """A WinRM failure as the collection step's typed reasons (the password is never in the text)."""
    import requests
    from winrm.exceptions import InvalidCredentialsError, WinRMError, WinRMTransportError

    where = target.where
    if isinstance(exc, CollectError):
        return exc
    if isinstance(exc, requests.exceptions.SSLError):
        hint = (
            f" (ca_file {target.ca_file})"
            if target.ca_file
            else "; name its CA with ca_file in the host's windows data"
        )
        return CollectError(Reason.HOSTKEY_UNKNOWN, f"{where}: the server's TLS certificate is not trusted{hint}")
    if isinstance(exc, InvalidCredentialsError):
        return CollectError(Reason.AUTHENTICATION, f"{where} rejected the credentials")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return CollectError(Reason.UNREACHABLE, f"{where} did not answer within the connect timeout")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return CollectError(Reason.TIMEOUT, f"{where} accepted the connection but did not answer in time")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return CollectError(Reason.UNREACHABLE, f"{where} cannot be reached ({_first_line(exc)})")
    if isinstance(exc, WinRMError) and "kerberos" in str(exc).lower() and "not installed" in str(exc).lower():
        return CollectError(
            Reason.SETUP, f"{where}: WinRM with Kerberos needs pip install 'pywinrm[kerberos]' and a ticket (kinit)"
        )
    if isinstance(exc, WinRMTransportError | WinRMError):
        return CollectError(Reason.COMMAND, f"{where}: WinRM refused the request ({_first_line(exc)})")
    return CollectError(Reason.COMMAND, f"{where}: {type(exc).__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


# ---- the collection --------------------------------------------------------------------

_CLIXML_STRING = re.compile(r'<S S="Error">(.*?)</S>', re.S)
_CLIXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def clean_stderr(data: bytes) -> str:
    """stderr as text; PowerShell's CLIXML error records (``#< CLIXML``) as their plain messages."""
    text = decode_message(data).strip()
    if not text.startswith("#< CLIXML"):
        return text
    parts = [
        html.unescape(_CLIXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)) for s in _CLIXML_STRING.findall(text)
    ]
    return "".join(parts).strip()


def _runner(target: WindowsTarget, known_hosts: KnownHosts, options: HostCollectOptions) -> _Runner:
    if target.transport == "winrm":
        return _WinRMRunner(target, options)
    return _SshRunner(target, known_hosts, options)


def commands(settings: Mapping[str, Any] | None = None) -> Iterator[tuple[Source, str]]:
    """Each source with the command line that runs it."""
    for item in SOURCES:
        yield item, live_command(item, settings)


def collect_windows(
    target: WindowsTarget, known_hosts: KnownHosts, options: HostCollectOptions | None = None
) -> Snapshot:
    """Collect one Windows host: log in once, run every source's body, keep each file's text."""
    options = options or HostCollectOptions()
    documents: dict[str, str] = {}
    errors: dict[str, str] = {}
    statuses: dict[str, int] = {}
    stderr: dict[str, str] = {}
    started = time.monotonic()
    with _runner(target, known_hosts, options) as runner:
        source = runner.source
        for item, command in commands(target.settings):
            budget = item.timeout or options.command_timeout
            remaining = options.phase_timeout + (item.timeout or 0) - (time.monotonic() - started)
            if remaining <= 0:
                errors[item.file] = "not run: the host's collection ran out of time"
                continue
            try:
                run = runner.run(item, command, min(budget, remaining))
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise CollectError(
                    Reason.COMMAND, f"{target.where}: the session failed ({type(exc).__name__}: {exc})"
                ) from None
            _keep(item, run, budget, documents, errors, statuses, stderr)
    if not documents and errors and all(statuses.get(f) in _NO_POWERSHELL for f in errors):
        first = next(iter(stderr.values()), "no output")
        raise CollectError(
            Reason.COMMAND, f"{target.where}: the host ran none of the commands: no powershell.exe ({first[:200]})"
        )
    meta: dict[str, Any] = {
        "collected_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "source": source,
        "commands": list(documents),
    }
    for key, value in (("exit_status", statuses), ("stderr", stderr), ("errors", errors)):
        if value:
            meta[key] = value
    return Snapshot(host=target.name, platform="windows", meta=meta, documents=documents)


def _keep(
    item: Source,
    run: Run,
    budget: float,
    documents: dict[str, str],
    errors: dict[str, str],
    statuses: dict[str, int],
    stderr: dict[str, str],
) -> None:
    message = clean_stderr(run.stderr)
    if message:
        stderr[item.file] = message[:_STDERR_KEEP]
    if run.timed_out:
        errors[item.file] = f"timed out after {budget:g} s"
        return
    if run.status:
        statuses[item.file] = run.status
        errors[item.file] = (message.splitlines()[0] if message else f"exit status {run.status}")[:500]
        return
    try:
        documents[item.file] = decode(run.stdout)
    except UndecodableError as exc:
        errors[item.file] = f"the output is not text: {exc}"
