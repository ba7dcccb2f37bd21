"""A local WinRM endpoint that replays recorded WS-Management responses, for the WinRM collection tests.

Labelled plainly: this is not Windows. It is an HTTPS server on 127.0.0.1 with its own
CA (the certificate the client must trust, like a real listener on 5986), real NTLM
authentication over HTTP (pyspnego's NTLM acceptor checks the client's NTLMv2 answer
against the test password, and the TLS channel binding the client sends), and SOAP
answers taken from recorded exchanges (testbed/winrm_recorded/, from pywinrm's own test
suite, MIT): Create -> ShellId, Command -> CommandId, Receive -> the output streams and
the exit code, Signal, Delete. The output of each command is what the fixture host
(:class:`testbed.windowshost.FixtureAnswers`) gives for it. The server keeps a log of the
actions it answered, so a test can see the exchange the collector made.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import os
import re
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import spnego
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from testbed.windowshost import FixtureAnswers

RECORDED = Path(__file__).with_name("winrm_recorded")
USERNAME = "auditor"
# Protects a test server on 127.0.0.1 for one test.
PASSWORD = "Aud1tor-WinRM-8823"
_NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
}
_SHELL = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"
_RECORDED_SHELL = "11111111-1111-1111-1111-111111111113"
_RECORDED_COMMAND = re.compile(r"11111111-1111-1111-1111-1111111111(?:%s|1|2)4")
_RECORDED_RELATES = "uuid:11111111-1111-1111-1111-111111111111"
_STREAMS = re.compile(
    r"\s*<rsp:Stream\b[^>]*?(?:/>|>.*?</rsp:Stream>)|\s*<rsp:CommandState\b.*?</rsp:CommandState>", re.S
)
_CHUNK = 8192


def _recorded(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


@dataclass
class _Command:
    stdout: bytes
    stderr: bytes
    status: int
    hang: bool = False


@dataclass
class WinRMReplay:
    """``endpoint`` (https://127.0.0.1:<port>/wsman) and ``ca_file`` once started; :meth:`stop` ends it."""

    answers: FixtureAnswers
    workdir: Path
    password: str = PASSWORD
    actions: list[str] = field(default_factory=list)
    logins: int = 0

    def start(self) -> WinRMReplay:
        self.workdir.mkdir(parents=True, exist_ok=True)
        cert_file, key_file, self.ca_file, der = _certificates(self.workdir)
        self._binding = b"tls-server-end-point:" + hashlib.sha256(der).digest()
        users = self.workdir / "ntlm_users"
        users.write_text(f":{USERNAME}:{self.password}\n", encoding="utf-8")
        self._previous_users = os.environ.get("NTLM_USER_FILE")
        os.environ["NTLM_USER_FILE"] = str(users)
        self._commands: dict[str, _Command] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        replay = self

        class Handler(_Handler):
            server_replay = replay

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self.endpoint = f"https://127.0.0.1:{self.port}/wsman"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
        if self._previous_users is None:
            os.environ.pop("NTLM_USER_FILE", None)
        else:
            os.environ["NTLM_USER_FILE"] = self._previous_users

    def __enter__(self) -> WinRMReplay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- SOAP ------------------------------------------------------------------------------

    def soap(self, body: bytes) -> bytes:
        root = ET.fromstring(body)
        action = (root.findtext("s:Header/a:Action", namespaces=_NS) or "").rsplit("/", 1)[-1]
        message_id = root.findtext("s:Header/a:MessageID", namespaces=_NS) or _RECORDED_RELATES
        shell = root.findtext("s:Header/w:SelectorSet/w:Selector[@Name='ShellId']", namespaces=_NS) or ""
        self.actions.append(action)
        if action == "Create":
            text = _recorded("create_response.xml").replace(_RECORDED_SHELL, str(uuid.uuid4()).upper())
        elif action == "Command":
            text = self._command(root)
        elif action == "Receive":
            text = self._receive(root)
        elif action == "Signal":
            text = _recorded("signal_response.xml")
        elif action == "Delete":
            text = _recorded("delete_response.xml").replace(_RECORDED_SHELL, shell)
        else:
            raise ValueError(f"no recorded answer for {action}")
        return text.replace(_RECORDED_RELATES, message_id).encode("utf-8")

    def _command(self, root: ET.Element) -> str:
        line = root.find("s:Body/rsp:CommandLine", _NS)
        assert line is not None
        program = (line.findtext("rsp:Command", namespaces=_NS) or "").strip()
        arguments = [a.text or "" for a in line.findall("rsp:Arguments", _NS)]
        answer = self.answers.answer(" ".join([program, *arguments]))
        command_id = str(uuid.uuid4()).upper()
        with self._lock:
            self._commands[command_id] = _Command(b"", b"", 0, hang=True) if answer is None else _Command(*answer)
        return _RECORDED_COMMAND.sub(command_id, _recorded("command_response.xml"))

    def _receive(self, root: ET.Element) -> str:
        stream = root.find("s:Body/rsp:Receive/rsp:DesiredStream", _NS)
        command_id = stream.get("CommandId", "") if stream is not None else ""
        with self._lock:
            command = self._commands[command_id]
        if command.hang:  # no output yet: WinRM answers an operation timeout fault after OperationTimeout
            self._stopping.wait(1.0)
            raise _OperationTimeout
        parts = []
        for name, data in (("stdout", command.stdout), ("stderr", command.stderr)):
            for start in range(0, len(data), _CHUNK):
                chunk = base64.b64encode(data[start : start + _CHUNK]).decode("ascii")
                parts.append(f'<rsp:Stream CommandId="{command_id}" Name="{name}">{chunk}</rsp:Stream>')
            parts.append(f'<rsp:Stream CommandId="{command_id}" End="true" Name="{name}"/>')
        parts.append(
            f'<rsp:CommandState CommandId="{command_id}" State="{_SHELL}/CommandState/Done">'
            f"<rsp:ExitCode>{command.status}</rsp:ExitCode></rsp:CommandState>"
        )
        recorded = _recorded("receive_response.xml")
        body = _STREAMS.sub("", recorded)
        return body.replace("<rsp:ReceiveResponse>", "<rsp:ReceiveResponse>" + "".join(parts), 1)


class _OperationTimeout(Exception):
    """The Receive found no output within the operation timeout (WinRM's fault 2150858793)."""


_TIMEOUT_FAULT = f"""<s:Envelope xmlns:s="{_NS["s"]}" xmlns:a="{_NS["a"]}" xmlns:w="{_NS["w"]}"><s:Header>
<a:Action>http://schemas.dmtf.org/wbem/wsman/1/wsman/fault</a:Action></s:Header><s:Body><s:Fault>
<s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code>
<s:Reason><s:Text xml:lang="en-US">The WS-Management service cannot complete the operation within the time
specified in OperationTimeout.</s:Text></s:Reason><s:Detail>
<f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793"/>
</s:Detail></s:Fault></s:Body></s:Envelope>"""


class _Handler(BaseHTTPRequestHandler):
    """One TLS connection: NTLM authenticates the connection once, then every SOAP request on it is answered."""

    protocol_version = "HTTP/1.1"
    server_replay: WinRMReplay

    def setup(self) -> None:
        super().setup()
        self.context: spnego.ContextProxy | None = None
        self.authenticated = False

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        replay = self.server_replay
        if not self.authenticated:
            header = self.headers.get("Authorization", "")
            scheme, _, token = header.partition(" ")
            if scheme.lower() not in ("negotiate", "ntlm") or not token:
                self._reply(401, b"", {"WWW-Authenticate": "Negotiate"})
                return
            if self.context is None:
                from spnego.channel_bindings import GssChannelBindings

                bindings = GssChannelBindings(application_data=replay._binding)
                self.context = spnego.server(protocol="ntlm", channel_bindings=bindings)
            try:
                out = self.context.step(base64.b64decode(token))
            except Exception:
                self.context = None
                self._reply(401, b"", {"WWW-Authenticate": "Negotiate"})
                return
            if not self.context.complete:
                self._reply(401, b"", {"WWW-Authenticate": f"{scheme} {base64.b64encode(out or b'').decode()}"})
                return
            self.authenticated = True
            replay.logins += 1
        try:
            answer = replay.soap(body)
        except _OperationTimeout:
            self._reply(500, _TIMEOUT_FAULT.encode(), {"Content-Type": "application/soap+xml;charset=UTF-8"})
            return
        self._reply(200, answer, {"Content-Type": "application/soap+xml;charset=UTF-8"})

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


def _certificates(folder: Path) -> tuple[Path, Path, Path, bytes]:
    """A test CA and a server certificate for 127.0.0.1 signed by it: (cert, key, CA file, cert DER)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "netcomply WinRM test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file, ca_file = folder / "server.pem", folder / "server.key", folder / "ca.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return cert_file, key_file, ca_file, cert.public_bytes(serialization.Encoding.DER)
