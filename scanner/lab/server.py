"""SSH servers for the simulated devices: one listening port per device, on 127.0.0.1.

One acceptor thread watches every listening socket; each connection gets a thread
that runs a paramiko server transport and then the device's CLI session. Everything
stops with :meth:`Lab.stop` (or leaving the ``with`` block).
"""

from __future__ import annotations

import contextlib
import logging
import re
import selectors
import socket
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import paramiko

from scanner.lab.cli import Cli
from scanner.lab.devices import LabDevice, LabError
from scanner.lab.faults import FaultKind
from scanner.lab.keys import LabKeys

log = logging.getLogger("netcomply.lab")
logging.getLogger("paramiko").addHandler(logging.NullHandler())

LAB_USERNAME = "netcomply"
LAB_PASSWORD = "netcomply-lab"  # noqa: S105: the simulated devices protect nothing
LOGIN_GRACE = 30.0
_POLL = 0.25
_LINE_END = re.compile(r"\r\n|\r|\n")


class _DeviceServer(paramiko.ServerInterface):
    """Authentication and channel policy of one connection."""

    def __init__(self, lab: Lab, device: LabDevice) -> None:
        self.lab = lab
        self.device = device
        self.shell = threading.Event()
        self.username = lab.username

    def _refused(self) -> bool:
        return self.device.fault is not None and self.device.fault.kind is FaultKind.BAD_PASSWORD

    def get_allowed_auths(self, username: str) -> str:
        return "password,publickey"

    def check_auth_password(self, username: str, password: str) -> int:
        self.lab.count_login(self.device.name)
        if not self._refused() and username == self.lab.username and password == self.lab.password:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        self.lab.count_login(self.device.name)
        if not self._refused() and username == self.lab.username and key == self.lab.keys.client_key():
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args: object) -> bool:
        return True

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        self.shell.set()
        return True


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class _Session:
    """One interactive CLI session: echo, answer, prompt; faults applied on the way."""

    def __init__(self, channel: paramiko.Channel, cli: Cli, device: LabDevice, stopping: threading.Event) -> None:
        self.channel = channel
        self.cli = cli
        self.device = device
        self.fault = device.fault.kind if device.fault else None
        self.stopping = stopping

    def run(self) -> None:
        self.channel.settimeout(_POLL)
        if self.fault is FaultKind.HANG:
            self._drain()
            return
        self._send("\n" + self.cli.prompt)
        pending = ""
        after_cr = False
        while not self.stopping.is_set():
            data = self._recv()
            if data is None:
                continue
            if not data:
                return
            pending += data
            if after_cr and pending.startswith("\n"):
                pending = pending[1:]
            after_cr = False
            while True:
                match = _LINE_END.search(pending)
                if match is None:
                    break
                line, pending = pending[: match.start()], pending[match.end() :]
                after_cr = match.group() == "\r" and not pending
                if not self._line(line):
                    return

    def _line(self, line: str) -> bool:
        """Answer one line; False when the session is over."""
        reply = self.cli.answer(line)
        echo = line + "\n"
        if reply.close:
            self._send(echo)
            return False
        body = reply.text
        if body and not body.endswith("\n"):
            body += "\n"
        if reply.command_output and self.fault in (FaultKind.STALL, FaultKind.CUT) and self._is_config(line):
            self._send(echo + body[: len(body) // 2])
            if self.fault is FaultKind.STALL:
                self._drain()
            return False
        self._send(echo + body + self.cli.prompt)
        return True

    def _is_config(self, line: str) -> bool:
        return " ".join(line.split()) == self.device.platform.commands.config

    def _send(self, text: str) -> None:
        data = _crlf(text).encode("utf-8")
        fault = self.device.fault
        if fault is None or fault.kind is not FaultKind.SLOW:
            self.channel.sendall(data)
            return
        for start in range(0, len(data), fault.chunk):
            self.channel.sendall(data[start : start + fault.chunk])
            time.sleep(fault.delay)

    def _recv(self) -> str | None:
        """Text received, "" when the client closed, None when nothing came within the poll interval."""
        try:
            data = self.channel.recv(4096)
        except TimeoutError:
            return None
        return data.decode("utf-8", "replace")

    def _drain(self) -> None:
        """Read and ignore input until the client gives up or the lab stops."""
        while not self.stopping.is_set():
            data = self._recv()
            if data == "":
                return


class Lab:
    """The running lab: ``ports[name]`` is where each device listens (refusing ones too)."""

    def __init__(
        self,
        devices: Iterable[LabDevice],
        state: Path,
        *,
        address: str = "127.0.0.1",
        base_port: int | None = None,
        username: str = LAB_USERNAME,
        password: str = LAB_PASSWORD,
    ) -> None:
        self.devices = {d.name: d for d in devices}
        self.keys = LabKeys(state)
        self.address = address
        self.base_port = base_port
        self.username = username
        self.password = password
        self.ports: dict[str, int] = {}
        self.logins: dict[str, int] = dict.fromkeys(self.devices, 0)  # authentication attempts per device
        self._sockets: dict[socket.socket, LabDevice] = {}
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._acceptor: threading.Thread | None = None

    def count_login(self, name: str) -> None:
        with self._lock:
            self.logins[name] += 1

    # ---- lifecycle -----------------------------------------------------------------

    def start(self) -> Lab:
        for name in self.devices:
            self.keys.host_key(name)
        self.keys.client_key()
        try:
            for index, device in enumerate(self.devices.values()):
                self._bind(device, 0 if self.base_port is None else self.base_port + index)
        except BaseException:
            self._close_listeners()
            raise
        self._acceptor = threading.Thread(target=self._accept_loop, name="lab-acceptor", daemon=True)
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        self._close_listeners()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()

    def __enter__(self) -> Lab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _bind(self, device: LabDevice, port: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.address, port))
        except OSError as exc:
            sock.close()
            raise LabError(f"{device.name}: cannot listen on {self.address}:{port}: {exc.strerror or exc}") from None
        self.ports[device.name] = sock.getsockname()[1]
        if device.fault is not None and device.fault.kind is FaultKind.REFUSE:
            self._sockets[sock] = device  # bound, never listening: connections are refused
            return
        sock.listen(128)
        sock.setblocking(False)
        self._sockets[sock] = device

    def _close_listeners(self) -> None:
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    # ---- serving -------------------------------------------------------------------

    def _accept_loop(self) -> None:
        selector = selectors.DefaultSelector()
        for sock, device in self._sockets.items():
            if device.fault is None or device.fault.kind is not FaultKind.REFUSE:
                selector.register(sock, selectors.EVENT_READ, device)
        try:
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=_POLL):
                    try:
                        conn, _addr = key.fileobj.accept()  # type: ignore[union-attr]
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        continue
                    conn.setblocking(True)
                    with self._lock:
                        self._connections.add(conn)
                    threading.Thread(
                        target=self._serve, args=(key.data, conn), name=f"lab-{key.data.name}", daemon=True
                    ).start()
        finally:
            selector.close()

    def _serve(self, device: LabDevice, conn: socket.socket) -> None:
        transport: paramiko.Transport | None = None
        try:
            if device.fault is not None and device.fault.kind is FaultKind.SILENT:
                self._hold(conn)
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.keys.host_key(device.name))
            server = _DeviceServer(self, device)
            transport.start_server(server=server)
            channel = transport.accept(timeout=LOGIN_GRACE)
            if channel is None or not server.shell.wait(LOGIN_GRACE):
                return
            _Session(channel, Cli(device, server.username), device, self._stopping).run()
        except (paramiko.SSHException, OSError, EOFError) as exc:
            log.debug("%s: session ended: %s", device.name, exc)
        finally:
            if transport is not None:
                transport.close()
            with contextlib.suppress(OSError):
                conn.close()
            with self._lock:
                self._connections.discard(conn)

    def _hold(self, conn: socket.socket) -> None:
        conn.settimeout(_POLL)
        while not self._stopping.is_set():
            try:
                if not conn.recv(4096):
                    return
            except TimeoutError:
                continue
