"""Structured sources of a snapshot: JSON files beside the CLI outputs, read into facts.

CLI outputs are vendor syntax and are parsed by the host's platform. A structured
source (the live SNMP probe, an SNMP walk of a standard MIB) reads the same whatever
the vendor, so one platform-independent reader, registered for its file name, turns
it into facts. :meth:`Platform.parse <scanner.platforms.base.Platform.parse>` calls
:func:`read_sources` after the CLI outputs: a reader fills what the CLI could not
provide (a device whose CLI is not allowed) and leaves alone what the CLI gave.

A reader that cannot use its file raises :class:`SourceError`; the reason is recorded
for the fact families it ``owns`` (only it provides them) and added to the reason of
the families it ``fills`` that the CLI could not provide, so the checks say why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from scanner.facts import Facts
from scanner.model import Evidence
from scanner.snapshot import Snapshot

log = logging.getLogger("netcomply.sources")

SourceEvidence = Callable[[int, str], Evidence]
SourceReader = Callable[[str, Facts, SourceEvidence], None]


class SourceError(Exception):
    """A structured source that is present but cannot be used (corrupt, wrong format)."""


@dataclass(frozen=True)
class _Registered:
    name: str
    reader: SourceReader
    fills: tuple[str, ...]
    owns: tuple[str, ...]
    label: str


_READERS: dict[str, _Registered] = {}


def source_reader(
    name: str, *, fills: tuple[str, ...] = (), owns: tuple[str, ...] = (), label: str = ""
) -> Callable[[SourceReader], SourceReader]:
    """Register a reader for the snapshot file ``name``; ``label`` is the evidence source it shows."""

    def register(reader: SourceReader) -> SourceReader:
        if name in _READERS and _READERS[name].reader is not reader:
            raise ValueError(f"source {name!r} registered twice")
        _READERS[name] = _Registered(name, reader, fills, owns, label or name)
        return reader

    return register


def registered_sources() -> list[str]:
    return list(_READERS)


def read_sources(snapshot: Snapshot, facts: Facts) -> None:
    """Read every registered structured source present in ``snapshot`` into ``facts``."""
    for entry in _READERS.values():
        try:
            text = snapshot.document(entry.name)
        except (OSError, UnicodeDecodeError) as exc:
            _unusable(facts, entry, f"cannot read it: {exc}")
            continue
        if text is None:
            continue
        path = snapshot.document_path(entry.name)

        def evidence(line: int, shown: str, _label: str = entry.label, _path: str | None = path) -> Evidence:
            return Evidence.of(_label, line, shown, _path)

        try:
            entry.reader(text, facts, evidence)
        except SourceError as exc:
            _unusable(facts, entry, str(exc))


def _unusable(facts: Facts, entry: _Registered, reason: str) -> None:
    message = f"{entry.name}: {reason}"
    log.warning("%s: %s", facts.host, message)
    facts.notes.append(message)
    for family in entry.owns:
        facts.missing(family, message)
    for family in entry.fills:
        if family in facts.unavailable:
            facts.unavailable[family] = f"{facts.unavailable[family]}; {message}"
