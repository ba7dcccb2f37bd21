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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scanner.decoding import UndecodableError
from scanner.decoding import decode as decode_text
from scanner.files import atomic_write
from scanner.model import HostInfo

META_FILE = "meta.yaml"
FLAT_KEY = ""
FLAT_CONFIG_SUFFIXES = (".cfg", ".conf", ".txt")
_SLUG_RE = re.compile(r"[^a-z0-9-]+")
# Structured sources beside the command outputs: JSON (SNMP walks, a Windows host's state) and
# the INF text of a Windows security policy export (secedit).
DOCUMENT_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*\.(json|inf)$")
_NOT_CONFIG_NAMES = re.compile(r"^(readme|license|changelog|router\.db|hosts|groups|defaults)(\..*)?$", re.I)
_NOT_CONFIG_SUFFIXES = (".md", ".yaml", ".yml", ".json", ".db", ".log", ".gz", ".zip", ".tar", ".xml", ".csv")

# What devices print when they refuse a command, in the first lines of the output.
_REJECTION_RE = re.compile(
    r"^\s*(%\s*Invalid input|%\s*Incomplete command|%\s*Ambiguous command|% Unrecognized command"
    r"|Error: Unrecognized command|Error: Too many parameters|Error: Wrong parameter"
    r"|%\s*Wrong parameter|syntax error, expecting|unknown command|Invalid command"
    r"|\s*\^\s*$)",
    re.IGNORECASE | re.MULTILINE,
)


def slugify(command: str) -> str:
    """``show configuration | display set`` -> ``show_configuration_display_set``."""
    return _SLUG_RE.sub("_", command.lower())


def rejection(text: str) -> str | None:
    """The device's refusal message when ``text`` is a rejected command, else None."""
    head = text[:400]
    match = _REJECTION_RE.search(head)
    if match is None:
        return None
    for line in head.splitlines():
        if line.strip() and line.strip() != "^":
            return line.strip()
    return match.group(0).strip()


def decode(data: bytes) -> str:
    """Device output as text: UTF-8, else GB18030 (Chinese descriptions on Huawei/H3C), else Latin-1."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


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
    # Files of ``directory`` looked for and not found (so a missing file is not looked for twice).
    _absent: set[str] = field(default_factory=set, repr=False)
    # Files that exist but could not be read as text (name -> why, naming the file).
    unreadable: dict[str, str] = field(default_factory=dict)

    def output(self, command: str) -> str | None:
        """The decoded output of ``command``: a file is read and decoded once, then kept with the snapshot."""
        text = self.outputs.get(command)
        if text is not None or self.directory is None or command in self._absent:
            return text
        path = self.directory / f"{slugify(command)}.txt"
        try:
            text = decode(path.read_bytes())
        except FileNotFoundError:
            self._absent.add(command)
            return None
        self.outputs[command] = text
        return text

    def document(self, name: str) -> str | None:
        """The text of a structured source file (``snmp_entity.json``, ``secpol.inf``...), or None when there is none.

        Decoded like every snapshot file (:mod:`scanner.decoding`: a BOM, UTF-16 by its NULs,
        UTF-8, GB18030), since Windows tools write UTF-16 and the ANSI code page as often as
        UTF-8. A file that is not text is None too, with the reason in :attr:`unreadable`.
        """
        if not DOCUMENT_NAME_RE.match(name):
            raise ValueError(f"not a snapshot document name: {name!r}")
        text = self.documents.get(name)
        if text is not None or self.directory is None or name in self._absent or name in self.unreadable:
            return text
        path = self.directory / name
        try:
            text = decode_text(path.read_bytes())
        except FileNotFoundError:
            self._absent.add(name)
            return None
        except UndecodableError as exc:
            self.unreadable[name] = f"{path} is not text: {exc}"
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
    """A host found in a snapshot folder, not yet read."""

    host: str
    path: Path
    flat: bool

    def load(self) -> Snapshot:
        if self.flat:
            return Snapshot(
                host=self.host,
                outputs={FLAT_KEY: decode(self.path.read_bytes())},
                origin=str(self.path),
                meta={"source": f"file {self.path.name}"},
            )
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
        data = yaml.safe_load(decode(path.read_bytes()))
    except yaml.YAMLError as exc:
        return {"meta_error": f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}"}
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
    return list(sources.values())


def iter_snapshots(root: Path) -> Iterator[Snapshot]:
    for source in discover(root):
        yield source.load()


def write_snapshot(root: Path, snapshot: Snapshot) -> Path:
    """Save a snapshot in the contract layout, one atomic file at a time, meta.yaml last.

    Outputs are written byte for byte as received, so an offline replay parses exactly
    what the live scan parsed.
    """
    directory = root / snapshot.host
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
