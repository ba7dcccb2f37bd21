"""SSH host keys: a known_hosts file checked before any password is sent, learned into on request.

Paramiko compares keys itself only for keys it loaded; netcomply loads none into the
client and answers every host-key question here instead, so one known_hosts file is
shared safely by all the worker threads, a new key is learned only with
``--accept-new-hostkeys``, and a changed key fails that host (and only that host)
with the fingerprints and the line to remove.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import paramiko

from scanner.collect.errors import CollectError, Reason
from scanner.files import atomic_write

log = logging.getLogger("netcomply.collect")


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Held while ``path`` is re-read and rewritten: several processes (a cluster's workers) may learn keys at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class KnownHostsError(Exception):
    """A known_hosts file that cannot be read."""


class KnownHosts:
    """One known_hosts file (OpenSSH format, hashed names too), shared by every connection of a run."""

    def __init__(self, path: Path, accept_new: bool = False) -> None:
        self.path = path
        self.accept_new = accept_new
        self.learned: list[str] = []
        self._lock = threading.Lock()
        self._keys = paramiko.HostKeys()
        if path.exists():
            try:
                self._keys.load(str(path))
            except (OSError, UnicodeDecodeError) as exc:
                raise KnownHostsError(f"cannot read known_hosts file {path}: {exc}") from None
        # paramiko's lookup scans every entry for every host: index the plain names once (hashed names,
        # or a paramiko without the entry list, still go through lookup)
        self._plain: dict[str, dict[str, paramiko.PKey]] = {}
        entries = getattr(self._keys, "_entries", None)
        self._hashed = entries is None
        for entry in entries or ():
            for name in entry.hostnames:
                if name.startswith("|1|"):
                    self._hashed = True
                elif entry.key is not None:
                    self._plain.setdefault(name, {})[entry.key.get_name()] = entry.key

    def verify(self, hostname: str, key: paramiko.PKey) -> None:
        """Accept ``key`` for ``hostname`` (paramiko's ``[addr]:port`` form) or raise :class:`CollectError`."""
        with self._lock:
            known = self._plain.get(hostname)
            if known is None and self._hashed:
                known = self._keys.lookup(hostname)
            if known:
                stored = known.get(key.get_name())
                if stored is not None and stored == key:
                    return
                expected = ", ".join(f"{k.get_name()} {k.fingerprint}" for k in known.values())
                raise CollectError(
                    Reason.HOSTKEY_MISMATCH,
                    f"{hostname} now offers {key.get_name()} {key.fingerprint}, but {self.path} has {expected}. "
                    "The device was replaced or re-keyed, or something is impersonating it: nothing was sent to it. "
                    f"If the change is expected, remove its line from {self.path} and collect again "
                    "with --accept-new-hostkeys.",
                )
            if not self.accept_new:
                raise CollectError(
                    Reason.HOSTKEY_UNKNOWN,
                    f"{hostname} ({key.get_name()} {key.fingerprint}) is not in {self.path}; "
                    "check the fingerprint, then collect with --accept-new-hostkeys to learn it",
                )
            self._learn(hostname, key)

    def _learn(self, hostname: str, key: paramiko.PKey) -> None:
        self._keys.add(hostname, key.get_name(), key)
        self._plain.setdefault(hostname, {})[key.get_name()] = key
        line = f"{hostname} {key.get_name()} {key.get_base64()}\n"
        try:
            with _file_lock(self.path):
                try:
                    existing = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
                except OSError:
                    existing = ""
                if existing and not existing.endswith("\n"):
                    existing += "\n"
                atomic_write(self.path, existing + line)
        except OSError as exc:
            log.warning("cannot save the host key of %s to %s: %s", hostname, self.path, exc.strerror or exc)
        self.learned.append(hostname)
        log.info("learned the host key of %s: %s %s", hostname, key.get_name(), key.fingerprint)


class HostKeyPolicy(paramiko.MissingHostKeyPolicy):
    """Paramiko's hook for one connection; remembers why it refused, since Netmiko rewraps the exception."""

    def __init__(self, known_hosts: KnownHosts) -> None:
        self.known_hosts = known_hosts
        self.error: CollectError | None = None

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        try:
            self.known_hosts.verify(hostname, key)
        except CollectError as exc:
            self.error = exc
            raise paramiko.SSHException(str(exc)) from None
