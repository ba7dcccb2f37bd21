"""The lab's SSH keys: a stable host key per simulated device, and one client key for key login.

Keys are made once into the lab's state folder and reused, so a known_hosts file
stays valid across restarts, and a test can replace one host's key to see the
collector refuse it. The lab's keys protect nothing: they are not secrets.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from scanner.files import atomic_write

HOSTKEYS_DIR = "hostkeys"
CLIENT_KEY = "client_ed25519"


def _new_private_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode("ascii")


def _load_or_create(path: Path) -> paramiko.PKey:
    if not path.exists():
        atomic_write(path, _new_private_key())
        path.chmod(0o600)
    return paramiko.Ed25519Key.from_private_key(io.StringIO(path.read_text(encoding="ascii")))


class LabKeys:
    """Host keys by device name and the client key, under ``state``."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self._lock = threading.Lock()
        self._cache: dict[str, paramiko.PKey] = {}

    def host_key_path(self, name: str) -> Path:
        return self.state / HOSTKEYS_DIR / f"{name}.key"

    def host_key(self, name: str) -> paramiko.PKey:
        return self._cached(name, self.host_key_path(name))

    def replace_host_key(self, name: str) -> paramiko.PKey:
        """A new key for ``name`` (what a replaced or impersonated device shows)."""
        with self._lock:
            self.host_key_path(name).unlink(missing_ok=True)
            self._cache.pop(name, None)
        return self.host_key(name)

    @property
    def client_key_path(self) -> Path:
        return self.state / CLIENT_KEY

    def client_key(self) -> paramiko.PKey:
        """The key the lab accepts from any user (its private half is in ``client_key_path``)."""
        return self._cached("\0client", self.client_key_path)

    def _cached(self, name: str, path: Path) -> paramiko.PKey:
        with self._lock:
            key = self._cache.get(name)
            if key is None:
                key = self._cache[name] = _load_or_create(path)
            return key
