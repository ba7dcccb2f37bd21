"""The allocation table as people keep it: a CSV or xlsx sheet, headers in English or Chinese.

A typical 《计算机IP地址分配表》 has a title row, then a header row, then one row per
address (IP地址, 设备名称 or 使用人, 接口, 区域, 用途) and often one row per planned
subnet (网段). The reader finds the header row among the first rows, knows the usual
names of each column (:data:`COLUMNS`), and reads every sheet of a workbook that has
such a header (a sheet per zone or per site is common). A zone column merged over
several rows (as spreadsheets are often laid out) gives each of them its value.

What a row is:

* a prefix (``10.1.20.0/24``, or a network address with a mask column) in the prefix
  column, or in the address column when it is a network address with a prefix length:
  a **planned prefix**. Its purpose naming DHCP (or 动态/地址池) makes it a pool too: its
  addresses are allocated dynamically, not one by one.
* an address (``10.1.20.5``, ``10.1.20.5/24``): an **allocation**. A prefix given on the
  same row joins the plan.
* a range (``10.1.20.100-10.1.20.199``): an allocated block (a DHCP pool and the like).

Rows with neither (blank lines, section titles) are skipped. A value that is not an
address, prefix or range is refused with the file, sheet, row and column, so a typo
never silently drops a record.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.arptable import ipv4_int
from scanner.network.ipam.records import (
    POOL_WORDS,
    SHARED_WORDS,
    AllocatedRange,
    Allocation,
    IpRecords,
    Origin,
    PlannedPrefix,
    RecordsError,
    address_key,
    mentions,
    network_bounds,
)
from scanner.snapshot import decode

# Column -> the header names it goes by (compared after normalising: case, spaces,
# punctuation and anything in brackets removed). The first name found wins per column;
# for "host", a device name is preferred over a person's.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "address": (
        "address",
        "ip",
        "ipaddress",
        "ipaddr",
        "ipv4",
        "ipv4address",
        "ipv6",
        "ipv6address",
        "ip地址",
        "ipv4地址",
        "ipv6地址",
        "地址",
        "主机地址",
        "分配地址",
        "设备地址",
        "管理地址",
    ),
    "prefix": (
        "prefix",
        "subnet",
        "network",
        "cidr",
        "网段",
        "ip网段",
        "地址段",
        "子网",
        "子网地址",
        "网络地址",
        "规划网段",
        "所属网段",
    ),
    "mask": ("mask", "netmask", "subnetmask", "prefixlength", "掩码", "子网掩码", "掩码长度"),
    "host": (
        "host",
        "hostname",
        "device",
        "devicename",
        "name",
        "设备名称",
        "设备名",
        "主机名",
        "主机名称",
        "计算机名",
        "设备",
        "使用人",
        "使用者",
        "用户",
        "责任人",
        "owner",
        "user",
    ),
    "interface": ("interface", "port", "ifname", "接口", "端口", "接口名称"),
    "zone": ("zone", "securityzone", "区域", "安全区域", "所属区域", "网络区域", "安全区"),
    "purpose": ("purpose", "description", "use", "usage", "用途", "说明", "描述", "备注", "comment", "comments"),
    "vrf": ("vrf", "vpninstance", "vpn实例", "routinginstance", "vrf名称"),
}
# The fields of a row, in the order Builder.row unpacks them.
_FIELDS = ("address", "prefix", "mask", "host", "interface", "zone", "purpose", "vrf")
HEADER_SEARCH_ROWS = 10
MAX_REPORTED = 5
_BRACKETS_RE = re.compile(r"[（(\[【].*?[)）\]】]")
_PUNCTUATION_RE = re.compile(r"[\s_\-/\\.:：、]+")
_RANGE_RE = re.compile(r"^\s*(\S+?)\s*(?:-|~|～|—|至|到)\s*(\S+)\s*$")


def normalise_header(text: str) -> str:
    """``"IP 地址（IPv4）"`` -> ``"ip地址"``."""
    return _PUNCTUATION_RE.sub("", _BRACKETS_RE.sub("", text)).casefold()


_ALIASES = {name: column for column, names in COLUMNS.items() for name in names}
_HEADER_PARTS_RE = re.compile(r"[/／、|,，]")


def header_column(cell: str) -> tuple[str, int] | None:
    """(column, rank) a header cell names: the whole cell, else its first part that is a known name
    (``"设备名称/使用人"`` is the host column)."""
    for text in (cell, *_HEADER_PARTS_RE.split(cell)):
        name = normalise_header(text)
        column = _ALIASES.get(name)
        if column is not None:
            return column, COLUMNS[column].index(name)
    return None


def column_letter(index: int) -> str:
    """0 -> A, 27 -> AB (how a spreadsheet user finds the column)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Sheet:
    """Rows of one sheet (or CSV file) as text, with what to call it in messages."""

    label: str
    path: str
    rows: Sequence[Sequence[str]]
    spreadsheet: bool


def read_table(path: Path) -> IpRecords:
    """The records of a CSV or xlsx file; :class:`RecordsError` names what is wrong and where."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            sheets = list(_xlsx_sheets(path))
        elif suffix in (".csv", ".txt", ".tsv"):
            sheets = [_csv_sheet(path)]
        else:
            found = path.suffix or "no suffix"
            raise RecordsError(f"{path}: an allocation table must be .csv or .xlsx (found {found})")
    except OSError as exc:
        raise RecordsError(f"cannot read allocation table {path}: {exc.strerror or exc}") from None
    builder = _Builder(str(path))
    found = False
    for sheet in sheets:
        found = _read_sheet(sheet, builder) or found
    if not found:
        wanted = ", ".join(COLUMNS["address"][:2] + COLUMNS["address"][8:9] + COLUMNS["prefix"][:1] + ("网段",))
        raise RecordsError(
            f"{path}: no header row with an address or prefix column in the first {HEADER_SEARCH_ROWS} rows "
            f"(expected a column named like {wanted})"
        )
    if builder.errors:
        more = len(builder.errors) - MAX_REPORTED
        listed = "; ".join(builder.errors[:MAX_REPORTED]) + (f"; and {more} more" if more > 0 else "")
        raise RecordsError(f"allocation table {path}: {listed}")
    return builder.build()


def _csv_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = decode(data)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Sheet(label=path.name, path=str(path), rows=rows, spreadsheet=False)


def _xlsx_sheets(path: Path) -> Iterator[Sheet]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RecordsError(f"{path}: not a readable xlsx workbook ({type(exc).__name__}: {exc})") from None
    for sheet in workbook.worksheets:
        values = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        # A merged range shows its value in its first cell only: spread it over the range.
        for merged in sheet.merged_cells.ranges:
            top = values[merged.min_row - 1][merged.min_col - 1] if merged.min_row - 1 < len(values) else ""
            for row in range(merged.min_row - 1, min(merged.max_row, len(values))):
                for col in range(merged.min_col - 1, min(merged.max_col, len(values[row]))):
                    values[row][col] = top
        yield Sheet(label=f"{path.name} [{sheet.title}]", path=str(path), rows=values, spreadsheet=True)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, dict[str, int]] | None:
    """(row index, column -> cell index) of the first row naming an address or prefix column."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ranks: dict[str, int] = {}
        for cell_index, cell in enumerate(row):
            found = header_column(cell or "")
            if found is None:
                continue
            column, rank = found
            if column not in columns or rank < ranks[column]:
                columns[column], ranks[column] = cell_index, rank
        if "address" in columns or "prefix" in columns:
            return index, columns
    return None


def _read_sheet(sheet: Sheet, builder: _Builder) -> bool:
    found = _header(sheet.rows)
    if found is None:
        return False
    header_index, columns = found
    header_row = sheet.rows[header_index]
    # Where each field is in a row (past the end when the table has no such column).
    order = tuple(columns.get(name, 1 << 30) for name in _FIELDS)
    for index in range(header_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(cell for cell in row):
            continue
        builder.row(sheet, index + 1, row, columns, order, header_row)
    return True


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.prefixes: dict[tuple[str | None, ipaddress.IPv4Network | ipaddress.IPv6Network], PlannedPrefix] = {}
        self.allocations: list[Allocation] = []
        self.ranges: list[AllocatedRange] = []
        self.errors: list[str] = []

    def build(self) -> IpRecords:
        return IpRecords(
            source=self.source,
            prefixes=tuple(self.prefixes.values()),
            allocations=tuple(self.allocations),
            ranges=tuple(self.ranges),
        )

    def _bad(self, sheet: Sheet, number: int, column: int, header: Sequence[str], value: str, what: str) -> None:
        name = header[column] if column < len(header) else ""
        if sheet.spreadsheet:
            title = sheet.label.split(" [", 1)[-1].rstrip("]")
            place = f"sheet {title!r}, row {number}, column {column_letter(column)}"
        else:
            place = f"row {number}, column {column + 1}"
        self.errors.append(f"{place} ({name}): {value!r} {what}")

    def row(
        self,
        sheet: Sheet,
        number: int,
        row: Sequence[str],
        columns: Mapping[str, int],
        order: tuple[int, ...],
        header: Sequence[str],
    ) -> None:
        """One row (cells already stripped by the sheet readers)."""
        width = len(row)
        address_text, prefix_text, mask, host, interface, zone_text, purpose, vrf_text = (
            (row[i] or "") if i < width else "" for i in order
        )
        if not address_text and not prefix_text:
            return
        if not prefix_text and not mask:
            # The common row, one IPv4 address: read without the ipaddress parser (a table may have 500,000 rows).
            value = ipv4_int(address_text)
            if value is not None:
                self.allocations.append(
                    Allocation(
                        address=ipaddress.IPv4Address(value),
                        host=host,
                        interface=interface,
                        zone=zone_text or None,
                        purpose=purpose,
                        vrf=vrf_text or None,
                        origin=Origin(sheet.label, number, sheet.path),
                        shared=mentions(purpose, SHARED_WORDS),
                    )
                )
                return
        where = Origin(sheet.label, number, sheet.path)
        zone = zone_text or None
        vrf = vrf_text or None
        if prefix_text:
            network = _network(prefix_text, mask if not address_text else "")
            if network is None:
                self._bad(sheet, number, columns["prefix"], header, prefix_text, "is not a prefix (e.g. 10.1.20.0/24)")
                return
            # On an address row the purpose is the address's, not the prefix's.
            self._plan(network, zone, "" if address_text else purpose, vrf, where)
        if not address_text:
            return
        span = _RANGE_RE.match(address_text)
        if span and "/" not in address_text:
            bounds = _range(span.group(1), span.group(2))
            if bounds is None:
                self._bad(sheet, number, columns["address"], header, address_text, "is not a range of addresses")
                return
            label = f"{address_text} ({purpose})" if purpose else address_text
            self.ranges.append(AllocatedRange(bounds[0], bounds[1], label, where, kind="range"))
            return
        parsed = _interface(address_text, mask)
        if parsed is None:
            self._bad(sheet, number, columns["address"], header, address_text, "is not an IP address")
            return
        has_length = "/" in address_text or bool(mask)
        network = parsed.network
        if has_length and parsed.ip == network.network_address and network.prefixlen < network.max_prefixlen - 1:
            if not prefix_text:
                self._plan(network, zone, purpose, vrf, where)
            return
        self.allocations.append(
            Allocation(
                address=parsed.ip,
                host=host,
                interface=interface,
                zone=zone,
                purpose=purpose,
                vrf=vrf,
                origin=where,
                shared=mentions(purpose, SHARED_WORDS),
                prefixlen=parsed.network.prefixlen if has_length else None,
            )
        )

    def _plan(
        self,
        network: ipaddress.IPv4Network | ipaddress.IPv6Network,
        zone: str | None,
        purpose: str,
        vrf: str | None,
        where: Origin,
    ) -> None:
        key = (vrf, network)
        if key not in self.prefixes:
            self.prefixes[key] = PlannedPrefix(network, zone, purpose, vrf, where)
            if mentions(purpose, POOL_WORDS):
                first, last = network_bounds(network)
                self.ranges.append(AllocatedRange(first, last, f"{network} ({purpose})", where))


def _interface(text: str, mask: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    text = text.strip()
    try:
        if mask and "/" not in text:
            return ipaddress.ip_interface(f"{text}/{mask.lstrip('/')}")
        return ipaddress.ip_interface(text)
    except ValueError:
        return None


def _network(text: str, mask: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    parsed = _interface(text, mask)
    if parsed is None or ("/" not in text and not mask):
        return None
    if parsed.ip != parsed.network.network_address:
        return None
    return parsed.network


def _range(first_text: str, last_text: str) -> tuple[int, int] | None:
    try:
        first = ipaddress.ip_address(first_text)
    except ValueError:
        return None
    try:
        last = ipaddress.ip_address(last_text)
    except ValueError:
        # "10.1.1.100-199": the last address given by its final part.
        if not last_text.isdigit() or first.version != 4:
            return None
        try:
            last = ipaddress.ip_address(".".join([*str(first).split(".")[:3], last_text]))
        except ValueError:
            return None
    if last.version != first.version or last < first:
        return None
    return address_key(first), address_key(last)


def records_from_rows(source: str, rows: Iterable[Sequence[str]]) -> IpRecords:
    """Records from rows already in memory (a header row first): the same reading as a file's."""
    sheet = Sheet(label=source, path=source, rows=[[str(c).strip() for c in r] for r in rows], spreadsheet=False)
    builder = _Builder(source)
    if not _read_sheet(sheet, builder):
        raise RecordsError(f"{source}: no header row with an address or prefix column")
    if builder.errors:
        raise RecordsError(f"{source}: " + "; ".join(builder.errors[:MAX_REPORTED]))
    return builder.build()
