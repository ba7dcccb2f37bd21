"""The JSON files the SNMP collector saves in a host's snapshot folder, and reading them back.

Every file is valid JSON laid out one record per line, so an evidence line number points
at exactly one varbind or one answered community::

    {
      "format": "netcomply-snmp-walk/1",
      "agent": "10.10.99.2:161",
      ...
      "varbinds": [
        ["1.3.6.1.2.1.47.1.1.1.1.7.1003", "OctetString", "Switch 1 - Power Supply 0"],
        ["1.3.6.1.2.1.47.1.1.1.1.5.1003", "Integer", 6]
      ]
    }

A walk file keeps the raw varbinds (the agent's exact answer, like a CLI output), so a
better reader later re-reads old snapshots. The probe file never holds a community in
clear text: only its masked form, its length and where the word came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

PROBE_FILE = "snmp_probe.json"
SYSTEM_FILE = "snmp_system.json"
ENTITY_FILE = "snmp_entity.json"
LLDP_FILE = "snmp_lldp.json"

PROBE_FORMAT = "netcomply-snmp-probe/1"
WALK_FORMAT = "netcomply-snmp-walk/1"

# Value types of a varbind as saved: the SMI type names.
VALUE_TYPES = frozenset(
    {
        "Integer",
        "OctetString",
        "Hex",
        "OID",
        "IpAddress",
        "Counter32",
        "Gauge32",
        "TimeTicks",
        "Counter64",
        "Opaque",
        "Null",
    }
)
_RECORD_LINE = re.compile(r"^\s*[\[{]")


class DocumentError(ValueError):
    """A saved SNMP file that is not in the expected format."""


@dataclass(frozen=True, slots=True)
class Varbind:
    """One saved varbind: dotted OID, SMI type name, value (text, number, or hex text for ``Hex``)."""

    oid: str
    type: str
    value: str | int
    line: int = 0

    def as_text(self) -> str:
        return str(self.value)

    def as_int(self) -> int | None:
        if isinstance(self.value, int):
            return self.value
        try:
            return int(str(self.value))
        except ValueError:
            return None

    def index_after(self, prefix: str) -> str | None:
        """The instance part of the OID after the column ``prefix`` (``"1003"``), or None when outside it."""
        if self.oid.startswith(prefix + "."):
            return self.oid[len(prefix) + 1 :]
        return None


def _json_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _dump(header: Mapping[str, Any], key: str, records: Iterable[Any]) -> str:
    lines = ["{"]
    for name, value in header.items():
        lines.append(f"  {_json_line(name)}: {_json_line(value)},")
    items = [f"    {_json_line(r)}" for r in records]
    lines.append(f"  {_json_line(key)}: [")
    if items:
        lines.append(",\n".join(items))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dump_walk(header: Mapping[str, Any], varbinds: Iterable[tuple[str, str, str | int]]) -> str:
    return _dump({"format": WALK_FORMAT, **header}, "varbinds", [list(v) for v in varbinds])


def dump_probe(header: Mapping[str, Any], answered: Iterable[Mapping[str, Any]]) -> str:
    return _dump({"format": PROBE_FORMAT, **header}, "answered", list(answered))


def _load(text: str, expected_format: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise DocumentError("not a JSON object")
    found = data.get("format")
    if found != expected_format:
        raise DocumentError(f"format is {found!r}, netcomply reads {expected_format!r}")
    return data


def _record_lines(text: str, key: str, count: int) -> list[int]:
    """Line numbers of the records of the list ``key`` (one per line as written); the key's line otherwise."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith(f'"{key}"')), None)
    if start is None:
        return [1] * count
    numbers = [i + 1 for i in range(start + 1, len(lines)) if _RECORD_LINE.match(lines[i])][:count]
    if len(numbers) != count:
        return [start + 1] * count
    return numbers


def load_walk(text: str) -> tuple[dict[str, Any], list[Varbind]]:
    """The header and the varbinds of a walk file, each varbind with its line number."""
    data = _load(text, WALK_FORMAT)
    raw = data.pop("varbinds", None)
    if not isinstance(raw, list):
        raise DocumentError('no "varbinds" list')
    lines = _record_lines(text, "varbinds", len(raw))
    varbinds = []
    for number, item in zip(lines, raw, strict=True):
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str) and item[1] in VALUE_TYPES):
            raise DocumentError(f"line {number}: a varbind is [oid, type, value], found {item!r}")
        if not isinstance(item[2], (str, int)) or isinstance(item[2], bool):
            raise DocumentError(f"line {number}: a varbind value is text or a number")
        varbinds.append(Varbind(item[0], item[1], item[2], number))
    return data, varbinds


def load_probe(text: str) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
    """The header and the answered communities (line number, record) of a probe file."""
    data = _load(text, PROBE_FORMAT)
    raw = data.pop("answered", None)
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise DocumentError('no "answered" list of objects')
    lines = _record_lines(text, "answered", len(raw))
    return data, list(zip(lines, raw, strict=True))


def header_line(text: str, key: str) -> int:
    """The line of a header key (for evidence pointing at the probe's verdict)."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f'"{key}"'):
            return number
    return 1
