"""``netcomply ipam export``: every address found on the network, as the first draft of an allocation table.

The hosts are parsed by the scan's own engine (no check runs) and the IP model is built
as a scan builds it, so the export lists exactly what the ipam checks compare: each
configured address (own, secondary, shared gateway) on its device and interface, then
each other host of the ARP tables once, on the device and interface where it was first
seen, with its MAC. The columns carry the names the table reader knows (``IP地址``,
``网段``, ``设备名称``...), so the file, once completed by hand, is read back by
``netcomply scan --ipam FILE``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime

from scanner.arptable import ipv4_text, mac_text
from scanner.engine import Scanner, ScanOptions
from scanner.network.ipam.model import IPAM, IpModel
from scanner.network.ipam.records import IPNetwork
from scanner.policy import Policy
from scanner.snapshot import HostInput

FORMATS = ("csv", "xlsx")
HEADERS = {
    "en": ("address", "prefix", "device", "interface", "vrf", "zone", "source", "mac", "purpose"),
    "zh": ("IP地址", "网段", "设备名称", "接口", "VRF", "区域", "来源", "MAC地址", "用途"),
}
_WORDS = {
    "en": {"config": "config", "arp": "ARP", "secondary": "secondary", "gateway": "shared gateway ({role})"},
    "zh": {"config": "配置", "arp": "ARP表", "secondary": "从地址", "gateway": "共享网关（{role}）"},
}


@dataclass(frozen=True)
class ExportRow:
    address: str
    prefix: str
    device: str
    interface: str
    vrf: str
    zone: str
    source: str
    mac: str
    purpose: str


@dataclass
class Export:
    rows: list[ExportRow]
    hosts: int
    host_errors: dict[str, str] = field(default_factory=dict)
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))


def collect_addresses(inputs: Iterable[HostInput], policy: Policy, lang: str = "en") -> Export:
    """Parse every host of ``inputs`` and list the addresses of the scan's IP model."""
    scanner = Scanner(ScanOptions(policy=policy), checks=[])
    for item in inputs:
        scanner.scan_host(item)
    scanner.finish()
    assert scanner.network_context is not None
    model: IpModel = scanner.network_context.models[IPAM]
    return Export(rows=rows_of(model, lang), hosts=len(scanner.hosts), host_errors=dict(scanner.host_errors))


def rows_of(model: IpModel, lang: str = "en") -> list[ExportRow]:
    words = _WORDS[lang]
    rows: list[ExportRow] = []
    for device in model.devices:
        zone = device.zone or ""
        subnets: dict[str, list[IPNetwork]] = {}
        # VRF keys are folded for comparison; show the name as the device spells it.
        vrf_names = {a.vrf: a.interface.vrf for a in device.addresses if a.interface.vrf}
        for item in device.addresses:
            interface = item.interface
            address = item.address
            if not item.virtual:
                subnets.setdefault(interface.name, []).append(item.network)
            purpose = (
                words["gateway"].format(role=address.virtual)
                if address.virtual
                else words["secondary"]
                if address.secondary
                else interface.description
            )
            rows.append(
                ExportRow(
                    address=str(address.address.ip),
                    prefix=str(item.network),
                    device=device.name,
                    interface=interface.name,
                    vrf=interface.vrf or "",
                    zone=zone,
                    source=words["config"],
                    mac="",
                    purpose=purpose,
                )
            )
        for sighting, vrf in device.sightings():
            key = sighting.address
            name = sighting.interface
            prefix = next(
                (str(n) for n in subnets.get(name, ()) if n.version == 4 and int(n[0]) <= key <= int(n[-1])), ""
            )
            rows.append(
                ExportRow(
                    address=ipv4_text(key),
                    prefix=prefix,
                    device=device.name,
                    interface=name,
                    vrf=vrf_names.get(vrf, vrf),
                    zone=zone,
                    source=words["arp"],
                    mac=mac_text(sighting.mac),
                    purpose="",
                )
            )
    return rows


def render_csv(rows: Iterable[ExportRow], lang: str = "en") -> str:
    """CSV with a byte-order mark, so a spreadsheet opens the Chinese headers as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS[lang])
    for row in rows:
        writer.writerow([_cell(v) for v in astuple(row)])
    return "\ufeff" + buffer.getvalue()


def render_xlsx(rows: Iterable[ExportRow], lang: str = "en") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "IP地址" if lang == "zh" else "addresses"
    sheet.append(list(HEADERS[lang]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) + 2 for h in HEADERS[lang]]
    for row in rows:
        values = astuple(row)
        sheet.append([_cell(v) for v in values])
        widths = [max(w, min(len(str(v)) + 2, 48)) for w, v in zip(widths, values, strict=True)]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(65 + index)].width = width * (2 if lang == "zh" and index in (2, 5, 8) else 1)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: str) -> str:
    """Device text never becomes a spreadsheet formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
