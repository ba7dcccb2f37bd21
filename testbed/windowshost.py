"""A stand-in for a Windows host in tests: an SSH server answering as Windows OpenSSH would, from fixture files.

THIS IS NOT WINDOWS AND RUNS NO POWERSHELL. Tests cannot start a Windows host here, so
this server plays one at the level the collector sees: it accepts an SSH login (password
or key, its own host key, the banner of OpenSSH for Windows), takes each exec request as
cmd.exe would hand it to ``powershell.exe``, decodes the ``-EncodedCommand`` script,
recognises which snapshot source's body it runs, and answers what that body would print
on the host a fixture folder describes: the file's text as UTF-8 with exit status 0, or,
when the fixture has no such file, the error its ``meta.yaml`` records (or a generic one)
on stderr with exit status 1. A command that is not powershell.exe gets cmd.exe's
"is not recognized" and 9009. What is proven is netcomply's side: the command lines,
the transport, the host key and credential handling, the framing of outputs and
errors. Whether the PowerShell itself runs on Windows is checked separately (its syntax,
tests/test_windows_script.py) and on a real host by whoever has one.

:class:`FixtureAnswers` is shared with the WinRM replay server (testbed/winrm_replay.py).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import paramiko
import yaml

from scanner.decoding import decode
from scanner.platforms._windows.sources import decode_command, source_of_script

LOGIN_USER = "auditor"
# Protects a test server on 127.0.0.1 for one test.
LOGIN_PASSWORD = "Aud1tor-Win-4471"
BANNER = "SSH-2.0-OpenSSH_for_Windows_9.5"
_NOT_RECOGNIZED = (
    "'{program}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n"
)


@dataclass
class FixtureAnswers:
    """What the host of a fixture folder prints for each live command line. ``hang``: files whose body never ends."""

    folder: Path
    hang: set[str] = field(default_factory=set)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        meta_path = self.folder / "meta.yaml"
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        self.errors: dict[str, str] = dict((meta or {}).get("errors") or {})

    def answer(self, command: str) -> tuple[bytes, bytes, int] | None:
        """(stdout, stderr, exit status); None when the command hangs."""
        program = command.strip().split(" ", 1)[0]
        if program.lower() not in ("powershell.exe", "powershell"):
            return b"", _NOT_RECOGNIZED.format(program=program).encode(), 9009
        script = decode_command(command)
        item = source_of_script(script) if script else None
        if item is None:
            return b"", b"netcomply test host: not a script of netcomply's sources\r\n", 1
        self.seen.append(item.file)
        if item.file in self.hang:
            return None
        if item.file == "pending_updates.json" and "$SkipUpdateSearch = $true" in (script or ""):
            return b"", b"the update search was not run (-SkipUpdateSearch)", 1
        path = self.folder / item.file
        if path.exists():
            return decode(path.read_bytes()).encode("utf-8"), b"", 0
        message = self.errors.get(item.file) or f"{item.file}: the fixture host has no answer"
        return b"", message.encode("utf-8"), 1


class _Server(paramiko.ServerInterface):
    def __init__(self, host: WindowsTestHost) -> None:
        self.host = host

    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = username == LOGIN_USER and password == LOGIN_PASSWORD
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        ok = username == LOGIN_USER and key == self.host.client_key
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        text = command.decode("utf-8", errors="replace")
        threading.Thread(target=self.host._exec, args=(channel, text), daemon=True).start()
        return True


class WindowsTestHost:
    """The SSH server on 127.0.0.1 (``port``); ``known_hosts_line()`` trusts its key. Stops with :meth:`stop`."""

    def __init__(self, answers: FixtureAnswers, workdir: Path) -> None:
        self.answers = answers
        self.dir = workdir
        self.host_key = paramiko.ECDSAKey.generate()
        self.client_key = paramiko.ECDSAKey.generate()
        self.client_key_file = workdir / "client_key"
        self.port = 0
        self._server: socket.socket | None = None
        self._stopping = threading.Event()
        self._transports: list[paramiko.Transport] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def known_hosts_line(self) -> str:
        return f"[127.0.0.1]:{self.port} {self.host_key.get_name()} {self.host_key.get_base64()}\n"

    def start(self) -> WindowsTestHost:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.client_key.write_private_key_file(str(self.client_key_file))
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        self._server = server
        self.port = server.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                self._server.close()
        with self._lock:
            transports = list(self._transports)
        for transport in transports:
            transport.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> WindowsTestHost:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        assert self._server is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.local_version = BANNER
            transport.add_server_key(self.host_key)
            with self._lock:
                self._transports.append(transport)
            try:
                transport.start_server(server=_Server(self))
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def _exec(self, channel: paramiko.Channel, command: str) -> None:
        # Answer once the client closed its stdin: by then it has the exec request's success reply
        # (paramiko sends it after this request's check returns, from another thread).
        deadline = time.monotonic() + 5
        while not channel.eof_received and not channel.closed and time.monotonic() < deadline:
            time.sleep(0.005)
        answer = self.answers.answer(command)
        if answer is None:  # a body that never ends: keep the channel open until the client gives up
            while not channel.closed and not self._stopping.is_set():
                self._stopping.wait(0.2)
            return
        out, err, status = answer
        try:
            if out:
                channel.sendall(out)
            if err:
                channel.sendall_stderr(err)
            channel.send_exit_status(status)
            channel.shutdown_write()
        except (OSError, EOFError, paramiko.SSHException):
            pass
        finally:
            channel.close()
