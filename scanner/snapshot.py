"""Snapshots: the raw text of each command a host answered, and where it came from.

Every collector produces a :class:`Snapshot`; every later stage reads one. On disk
(the contract in DESIGN.md)::

    DIR/<host>/<command-slug>.txt      one file per command, exactly what the device printed
    DIR/<host>/meta.yaml               platform, collected_at, source (+ errors: {command: reason})
    DIR/<host>/<name>.json             optional structured sources (SNMP probe, walks): scanner.platforms._sources
    DIR/<host>.cfg | .conf | .txt      or a flat folder of single configs (RANCID, Oxidized)

A snapshot directory reads its files lazily, each once (read, decoded and kept with the
snapshot), so a scan reads every file once and holds one host's text at a time.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scanner.decoding import UndecodableError, decode
from scanner.files import atomic_write
from scanner.model import HostInfo
from scanner.names import child
from scanner.yamlfile import YamlFileError, load_yaml

__all__ = ["UndecodableError", "decode"]

META_FILE = "meta.yaml"
FLAT_KEY = ""
FLAT_CONFIG_SUFFIXES = (".cfg", ".conf", ".txt")
_SLUG_RE = re.compile(r"[^a-z0-9-]+")
# Structured sources beside the command outputs: JSON (SNMP walks, a Windows host's state) and
# the INF text of a Windows security policy export (secedit).
DOCUMENT_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(json|inf)$")
_NOT_CONFIG_NAMES = re.compile(r"^(readme|license|changelog|router\.db|hosts|groups|defaults)(\..*)?$", re.I)
_NOT_CONFIG_SUFFIXES = (".md", ".yaml", ".yml", ".json", ".db", ".log", ".gz", ".zip", ".tar", ".xml", ".csv")

# What devices print when they refuse a command: the first line of the output that is
# not the echoed command or the "^" marker under it. A line holding only "^" is no
# refusal by itself: an IOS banner may close with one.
_REJECTION_RE = re.compile(
    r"^\s*(%\s*Invalid input|%\s*Incomplete command|%\s*Ambiguous command|% Unrecognized command"
    r"|Error: Unrecognized command|Error: Too many parameters|Error: Wrong parameter|Error: Incomplete command"
    r"|%\s*Wrong parameter|syntax error, expecting|unknown command|Invalid command)",
    re.IGNORECASE,
)
_REJECTION_LINES = 3


def slugify(command: str) -> str:
    """``show configuration | display set`` -> ``show_configuration_display_set``."""
    return _SLUG_RE.sub("_", command.lower())


def rejection(text: str) -> str | None:
    """The device's refusal message when ``text`` is a rejected command, else None.

    Only the first lines count (the echoed command, the ``^`` marker, the message): a
    configuration that mentions "unknown command" in a banner further down is no refusal.
    """
    seen = 0
    for line in text[:2000].splitlines():
        stripped = line.strip()
        if not stripped or stripped == "^":
            continue
        if _REJECTION_RE.match(stripped):
            return stripped
        seen += 1
        if seen >= _REJECTION_LINES:
            return None
    return None


def read_text_file(path: Path, what: str = "a device output") -> str:
    """A snapshot file as text; raises :class:`UnreadableFile` naming the file and why (``what`` it is not)."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile(f"cannot read {path}: a folder is in its place")
        if not stat.S_ISREG(mode):
            raise UnreadableFile(f"cannot read {path}: not a regular file (a FIFO or a device would never end)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return decode(data)
    except UndecodableError as exc:
        raise UnreadableFile(f"{path} is not {what}: {exc}") from None


class UnreadableFile(Exception):
    """A snapshot file that exists but cannot be read as text (permissions, a folder, binary data)."""


@dataclass
class Snapshot:
    """One host's collected outputs. ``outputs`` holds text given in memory; a directory is read on demand."""

    host: str
    platform: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    directory: Path | None = None
    outputs: dict[str, str] = field(default_factory=dict)
    origin: str | None = None
    # Structured sources by file name ("snmp_probe.json"): text given in memory; a directory is read on demand.
    documents: dict[str, str] = field(default_factory=dict)
    # Outputs and documents that exist but could not be read (command or document name -> why,
    # naming the file); FLAT_KEY for a flat config.
    unreadable: dict[str, str] = field(default_factory=dict)
    # Files of ``directory`` looked for and not found (so a missing file is not looked for twice).
    _absent: set[str] = field(default_factory=set, repr=False)

    def output(self, command: str) -> str | None:
        """The decoded output of ``command``: a file is read and decoded once, then kept with the snapshot.

        None when there is none, or when it cannot be read (:meth:`error_for` says why).
        """
        text = self.outputs.get(command)
        if text is not None or self.directory is None or command in self._absent or command in self.unreadable:
            return text
        path = self.directory / f"{slugify(command)}.txt"
        try:
            text = read_text_file(path)
        except FileNotFoundError:
            self._absent.add(command)
            return None
        except UnreadableFile as exc:
            self.unreadable[command] = str(exc)
            return None
        self.outputs[command] = text
        return text

    def document(self, name: str) -> str | None:
        """The text of a structured source file (``snmp_entity.json``, ``secpol.inf``...), or None when there is none.

        Read and decoded like every snapshot file (:func:`read_text_file`, :mod:`scanner.decoding`:
        a BOM, UTF-16 by its NULs, UTF-8, GB18030), since Windows tools write UTF-16 and the ANSI
        code page as often as UTF-8. A file that cannot be read (binary, a folder, permissions)
        is None too, with the reason in :attr:`unreadable`.
        """
        if not DOCUMENT_NAME_RE.match(name):
            raise ValueError(f"not a snapshot document name: {name!r}")
        text = self.documents.get(name)
        if text is not None or self.directory is None or name in self._absent or name in self.unreadable:
            return text
        try:
            text = read_text_file(self.directory / name, what="text")
        except FileNotFoundError:
            self._absent.add(name)
            return None
        except UnreadableFile as exc:
            self.unreadable[name] = str(exc)
            return None
        self.documents[name] = text
        return text

    def document_path(self, name: str) -> str | None:
        if self.directory is not None:
            return str(self.directory / name)
        return self.origin

    @property
    def flat_config(self) -> str | None:
        """The text of a single config file read from a flat folder (before its platform is known)."""
        return self.outputs.get(FLAT_KEY)

    def bind_flat_config(self, command: str) -> None:
        """File a flat config under its platform's config command, once the platform is known."""
        text = self.outputs.pop(FLAT_KEY, None)
        if text is not None:
            self.outputs[command] = text
        reason = self.unreadable.pop(FLAT_KEY, None)
        if reason is not None:
            self.unreadable[command] = reason

    def path_of(self, command: str) -> str | None:
        """Where the output of ``command`` lives on disk, for evidence locations (SARIF)."""
        if self.directory is not None:
            return str(self.directory / f"{slugify(command)}.txt")
        return self.origin

    def error_for(self, command: str) -> str | None:
        """A collection error recorded for ``command`` in meta.yaml (timeout, rejected...).

        ``collection_error`` in the metadata is the reason the CLI collection as a whole
        failed (an SNMP-only snapshot of a host SSH could not reach): it answers for every
        command the snapshot lacks.
        """
        if self.output(command) is None and command in self.unreadable:
            return self.unreadable[command]
        errors = self.meta.get("errors") or {}
        if isinstance(errors, Mapping):
            reason = errors.get(command)
            if reason:
                return str(reason)
        whole = self.meta.get("collection_error")
        if whole and self.output(command) is None:
            return str(whole)
        return None


@dataclass
class HostInput:
    """One host to scan: its inventory data and, when collection worked, its snapshot."""

    host: HostInfo
    snapshot: Snapshot | None
    error: str | None = None


@dataclass(frozen=True)
class SnapshotSource:
    """A host found in a snapshot folder, not yet read.

    ``listed`` holds the fields after the host name in a device list beside a flat
    folder (RANCID ``router.db``, Oxidized CSV): the platform reader finds the type in them.
    """

    host: str
    path: Path
    flat: bool
    listed: tuple[str, ...] = ()

    def load(self) -> Snapshot:
        if self.flat:
            meta: dict[str, Any] = {"source": f"file {self.path.name}"}
            if self.listed:
                meta["listed_as"] = list(self.listed)
            snapshot = Snapshot(host=self.host, origin=str(self.path), meta=meta)
            try:
                snapshot.outputs[FLAT_KEY] = read_text_file(self.path)
            except UnreadableFile as exc:
                snapshot.unreadable[FLAT_KEY] = str(exc)
            except FileNotFoundError:
                snapshot.unreadable[FLAT_KEY] = f"cannot read {self.path}: the file is gone"
            return snapshot
        meta = read_meta(self.path)
        platform = meta.get("platform")
        return Snapshot(
            host=self.host,
            platform=str(platform) if platform else None,
            meta=meta,
            directory=self.path,
            origin=str(self.path),
        )


class SnapshotError(Exception):
    """A snapshot folder that cannot be read at all."""


def read_meta(directory: Path) -> dict[str, Any]:
    path = directory / META_FILE
    if not path.exists():
        return {}
    try:
        data = load_yaml(read_text_file(path), path.name).data
    except UnreadableFile as exc:
        return {"meta_error": str(exc)}
    except YamlFileError as exc:
        where, _, problem = str(exc).partition(": ")
        detail = where.removeprefix(path.name).lstrip(", ")
        problem = problem.removeprefix("not valid YAML: ")
        return {"meta_error": f"{path.name} is not valid YAML ({detail or 'refused'}): {problem}"}
    if data is None:
        return {}
    if not isinstance(data, dict):
        return {"meta_error": f"{path.name} must be a mapping, found {type(data).__name__}"}
    return data


def _is_flat_config(path: Path) -> bool:
    name = path.name
    if name.startswith(".") or _NOT_CONFIG_NAMES.match(name):
        return False
    return not name.lower().endswith(_NOT_CONFIG_SUFFIXES)


def host_name_of(path: Path) -> str:
    name = path.name
    for suffix in FLAT_CONFIG_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def discover(root: Path) -> list[SnapshotSource]:
    """Every host in a snapshot folder: subfolders in the snapshot layout and flat config files."""
    if not root.exists():
        raise SnapshotError(f"snapshot folder {root} does not exist")
    if not root.is_dir():
        return [SnapshotSource(host=host_name_of(root), path=root, flat=True)]
    sources: dict[str, SnapshotSource] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.name in {"CVS", "__pycache__"}:
            continue
        if entry.is_dir():
            sources[entry.name] = SnapshotSource(host=entry.name, path=entry, flat=False)
        elif entry.is_file() and _is_flat_config(entry):
            host = host_name_of(entry)
            sources.setdefault(host, SnapshotSource(host=host, path=entry, flat=True))
    listing = read_device_list(root)
    if listing:
        for host, source in sources.items():
            fields = listing.get(host) or listing.get(host.lower())
            if source.flat and fields:
                sources[host] = SnapshotSource(host=host, path=source.path, flat=True, listed=fields)
    return list(sources.values())


DEVICE_LIST = "router.db"


def read_device_list(root: Path) -> dict[str, tuple[str, ...]]:
    """Host -> the other fields of its row in the ``router.db`` beside a flat folder or one level up.

    RANCID keeps ``GROUP/router.db`` (``host;type;state``, ``:`` before RANCID 3) beside
    ``GROUP/configs/``; an Oxidized CSV source (``name:model`` or ``name:ip:model``) is
    often saved as ``router.db`` next to its output. An unreadable list is ignored.
    """
    for folder in (root, root.parent):
        path = folder / DEVICE_LIST
        try:
            text = read_text_file(path)
        except (OSError, UnreadableFile):
            continue
        rows: dict[str, tuple[str, ...]] = {}
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = [f.strip() for f in line.split(";" if ";" in line else ":")]
            if len(fields) >= 2 and fields[0]:
                rows[fields[0]] = tuple(fields[1:4])
                rows.setdefault(fields[0].lower(), tuple(fields[1:4]))
        return rows
    return {}


def iter_snapshots(root: Path) -> Iterator[Snapshot]:
    for source in discover(root):
        yield source.load()


def write_snapshot(root: Path, snapshot: Snapshot) -> Path:
    """Save a snapshot in the contract layout, one atomic file at a time, meta.yaml last.

    Outputs are written byte for byte as received, so an offline replay parses exactly
    what the live scan parsed.
    """
    directory = child(root, snapshot.host)
    for command, text in snapshot.outputs.items():
        if command == FLAT_KEY:
            continue
        atomic_write(directory / f"{slugify(command)}.txt", text.encode("utf-8"))
    for name, text in snapshot.documents.items():
        if not DOCUMENT_NAME_RE.match(name):
            raise ValueError(f"not a snapshot document name: {name!r}")
        atomic_write(directory / name, text.encode("utf-8"))
    meta = dict(snapshot.meta)
    if snapshot.platform:
        meta["platform"] = snapshot.platform
    meta.setdefault("commands", [c for c in snapshot.outputs if c != FLAT_KEY])
    atomic_write(
        directory / META_FILE,
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False).encode("utf-8"),
    )
    return directory
