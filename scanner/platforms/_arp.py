"""ARP tables of every platform: ntc-templates where a template reads the output, a tolerant reader otherwise.

The commands (``show ip arp``, ``show ip arp vrf all``, ``display arp``, ``show arp
no-resolve``) print one entry per line with the IPv4 address, the MAC and the interface
in columns whose order differs per vendor; some add a VRF (EOS ``VRF:`` sections, the
VRP ``VPN-INSTANCE`` column) or a VLAN (Comware). The template rows carry no line
numbers, so each row is found again in the text by walking forward (rows come in text
order): one pass, however long the table.

When the template refuses the output (an extra flag, a banner line, a release that prints
one more column) or the platform has none, the tolerant reader takes every line that holds
one IPv4 address and one MAC address, and the first interface-looking word after them.
Incomplete entries (no MAC yet) and ``0.0.0.0`` are left out: they are nobody's address.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scanner.arptable import ArpTable, ArpTableBuilder, ipv4_int, mac_int
from scanner.showparse import ShowParseError, parse_show

# Where a platform's ARP command has no template of its own but another command's template
# reads the same table: Huawei's ``display arp`` prints the columns of ``display arp all``
# (and the ntc-templates index would otherwise match it to the ``dir`` template).
_TEMPLATE_COMMAND: Mapping[tuple[str, str], str] = {("huawei_vrp", "display arp"): "display arp all"}

_INTERFACE_RE = re.compile(r"^(?![A-Z]-[-\d]*$)[A-Za-z][\w./:-]*\d[\w./:-]*$")
_SECTION_VRF_RE = re.compile(r"^\s*VRF:\s*(\S+)")
# Comware's header: the VLAN column follows the MAC, and the interface is the port.
_VLAN_AFTER_MAC_RE = re.compile(r"MAC\s+address\s+VLAN\b", re.IGNORECASE)
_FLAGS = "*+#"


def read_arp(ntc_platform: str, command: str, text: str, path: str | None) -> ArpTable:
    """The ARP table in ``text`` (never raises on odd output: unreadable lines are skipped)."""
    rows = _template_rows(ntc_platform, command, text)
    if rows is not None:
        table = _from_rows(rows, command, text, path)
        if table is not None:
            return table
    return _tolerant(command, text, path)


def _template_rows(ntc_platform: str, command: str, text: str) -> list[dict[str, str]] | None:
    template_command = _TEMPLATE_COMMAND.get((ntc_platform, command), command)
    try:
        return parse_show(ntc_platform, template_command, text)
    except ShowParseError:
        return None


def _row_interface(row: Mapping[str, str]) -> str | None:
    """The L3 interface an entry was learnt on: EOS prints "Vlan101, Port-Channel2" (SVI, then port);
    Comware prints the port and the VLAN, whose L3 interface is ``Vlan-interface<vlan>``."""
    vlan = (row.get("vlan_id") or "").strip()
    if vlan.isdigit():
        return f"Vlan-interface{vlan}"
    interface = (row.get("interface") or "").split(",")[0].strip()
    return interface or None


def _from_rows(rows: Iterable[Mapping[str, str]], command: str, text: str, path: str | None) -> ArpTable | None:
    """Rows with their line numbers; None when a row cannot be found in the text (then the tolerant reader runs)."""
    lines = text.splitlines()
    builder = ArpTableBuilder(command, path, text)
    position = 0
    for row in rows:
        address = ipv4_int(row.get("ip_address", ""))
        mac = mac_int(row.get("mac_address", ""))
        if address is None or mac is None or address == 0:
            continue
        raw_address, raw_mac = row["ip_address"], row["mac_address"]
        while position < len(lines) and not _holds(lines[position], raw_address, raw_mac):
            position += 1
        if position >= len(lines):
            return None
        vrf = (row.get("vrf") or row.get("vpn_instance") or "").strip() or None
        builder.add(address, mac, _row_interface(row), vrf, position + 1)
        position += 1
    return builder.build()


def _holds(line: str, address: str, mac: str) -> bool:
    """The line is the entry of ``address`` and ``mac`` (as words: 10.1.1.1 is not in 10.1.1.10)."""
    if mac not in line or address not in line:
        return False
    return any(word.rstrip(_FLAGS) == address for word in line.replace(",", " ").split())


def _tolerant(command: str, text: str, path: str | None) -> ArpTable:
    builder = ArpTableBuilder(command, path, text)
    vrf_column = vlan_after_mac = False
    section_vrf: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        section = _SECTION_VRF_RE.match(line)
        if section:
            section_vrf = section.group(1)
            continue
        if "VPN-INSTANCE" in line:
            vrf_column = True
            continue
        if _VLAN_AFTER_MAC_RE.search(line):
            vlan_after_mac = True
            continue
        entry = _entry(line.replace(",", " ").split(), vrf_column, vlan_after_mac)
        if entry is None:
            continue
        address, mac, interface, vrf = entry
        builder.add(address, mac, interface, vrf or section_vrf, number)
    return builder.build()


def _entry(words: list[str], vrf_column: bool, vlan_after_mac: bool) -> tuple[int, int, str | None, str | None] | None:
    address = mac = None
    last = mac_at = -1
    for position, word in enumerate(words):
        if address is None:
            found = ipv4_int(word.rstrip(_FLAGS))
            if found is not None:
                address, last = found, max(last, position)
                continue
        if mac is None:
            found = mac_int(word)
            if found is not None:
                mac, mac_at, last = found, position, max(last, position)
    if address is None or mac is None or address == 0:
        return None
    interface = vrf = None
    if vlan_after_mac and mac_at + 1 < len(words) and words[mac_at + 1].isdigit():
        return address, mac, f"Vlan-interface{words[mac_at + 1]}", None
    for position in range(last + 1, len(words)):
        if _INTERFACE_RE.match(words[position]):
            interface = words[position]
            if vrf_column and position + 1 < len(words) and not words[position + 1][0].isdigit():
                vrf = words[position + 1]
            break
    return address, mac, interface, vrf
