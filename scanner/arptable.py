"""A device's ARP table, kept compact: it travels in the host's record for the whole scan.

A network of 10,000 devices holds about half a million ARP entries, and the IP address
model reads all of them at the end of the scan. One Python object per entry (with its
own :class:`~scanner.model.Evidence`) would cost some 300 bytes each; here an entry is
one slot in each of a few typed arrays (about 26 bytes) plus its line in the output's
text, and the evidence line is cut from that text only when a verdict cites the entry.
"""

from __future__ import annotations

import socket
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from scanner.model import Evidence


class ArpEntry(NamedTuple):
    """One row of an ARP table: the IPv4 address and MAC as integers, names as printed."""

    address: int
    mac: int
    interface: str
    vrf: str | None
    line: int
    index: int


@dataclass(frozen=True, eq=False)
class ArpTable:
    """The IPv4 ARP entries one device reported, from one command's output.

    ``vrf`` of an entry is what the output says (a VRF column or section); None when the
    output does not say (the IP model then takes the VRF of the interface it was learnt on).
    """

    command: str
    path: str | None
    text: str
    addresses: array[int] = field(default_factory=lambda: array("I"))
    macs: array[int] = field(default_factory=lambda: array("Q"))
    interfaces: array[int] = field(default_factory=lambda: array("I"))
    vrfs: array[int] = field(default_factory=lambda: array("I"))
    lines: array[int] = field(default_factory=lambda: array("I"))
    starts: array[int] = field(default_factory=lambda: array("I"))
    # Interface and VRF names, each once; index 0 is "" (no name).
    names: list[str] = field(default_factory=lambda: [""])

    def __len__(self) -> int:
        return len(self.addresses)

    def entry(self, index: int) -> ArpEntry:
        vrf = self.names[self.vrfs[index]]
        return ArpEntry(
            self.addresses[index],
            self.macs[index],
            self.names[self.interfaces[index]],
            vrf or None,
            self.lines[index],
            index,
        )

    def __iter__(self) -> Iterator[ArpEntry]:
        return (self.entry(i) for i in range(len(self.addresses)))

    def line_text(self, index: int) -> str:
        start = self.starts[index]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")

    def evidence(self, index: int) -> Evidence:
        return Evidence.of(self.command, self.lines[index], self.line_text(index), self.path)


class ArpTableBuilder:
    """Fills an :class:`ArpTable` entry by entry (names interned, so repeated interfaces cost nothing)."""

    def __init__(self, command: str, path: str | None, text: str) -> None:
        self.table = ArpTable(command=command, path=path, text=text)
        self._index: dict[str, int] = {"": 0}
        self._starts: list[int] | None = None

    def _name(self, name: str | None) -> int:
        if not name:
            return 0
        found = self._index.get(name)
        if found is None:
            found = self._index[name] = len(self.table.names)
            self.table.names.append(name)
        return found

    def _line_start(self, line: int) -> int:
        if self._starts is None:
            starts = [0]
            text = self.table.text
            position = text.find("\n")
            while position >= 0:
                starts.append(position + 1)
                position = text.find("\n", position + 1)
            self._starts = starts
        return self._starts[line - 1]

    def add(self, address: int, mac: int, interface: str | None, vrf: str | None, line: int) -> None:
        table = self.table
        table.addresses.append(address)
        table.macs.append(mac)
        table.interfaces.append(self._name(interface))
        table.vrfs.append(self._name(vrf))
        table.lines.append(line)
        table.starts.append(self._line_start(line))

    def build(self) -> ArpTable:
        """The table, its arrays cut to their length (an array grows by over-allocating)."""
        table = self.table
        return ArpTable(
            command=table.command,
            path=table.path,
            text=table.text,
            addresses=array("I", table.addresses),
            macs=array("Q", table.macs),
            interfaces=array("I", table.interfaces),
            vrfs=array("I", table.vrfs),
            lines=array("I", table.lines),
            starts=array("I", table.starts),
            names=table.names,
        )


def ipv4_int(text: str) -> int | None:
    """``"10.1.2.3"`` as an integer; None when it is not a dotted-quad IPv4 address."""
    if text.count(".") != 3:
        return None
    try:
        return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except OSError:
        return None


def ipv4_text(value: int) -> str:
    return socket.inet_ntop(socket.AF_INET, value.to_bytes(4, "big"))


_HEX = frozenset("0123456789abcdefABCDEF")


def mac_int(text: str) -> int | None:
    """A MAC address written the Cisco (``0000.0c07.ac01``), Huawei/H3C (``00e0-fc12-3456``) or
    colon (``00:00:5e:00:01:0a``) way, as an integer; None for anything else (``Incomplete``)."""
    digits = text.replace(".", "").replace("-", "").replace(":", "")
    if len(digits) != 12 or not _HEX.issuperset(digits):
        return None
    separators = len(text) - 12
    if separators not in (0, 2, 5):
        return None
    return int(digits, 16)


def mac_text(value: int) -> str:
    """``00:00:5e:00:01:0a``."""
    raw = f"{value:012x}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))
