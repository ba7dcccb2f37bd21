"""The allocation table as people keep it: CSV or xlsx, English or Chinese headers, and clear refusals."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from openpyxl import Workbook

from scanner.network.ipam.records import RecordsError, key_address
from scanner.network.ipam.table import read_table
from tests.conftest import FIXTURES

LAB_TABLE = FIXTURES / "ipam" / "lab_allocation_table.csv"


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_the_lab_table_with_a_title_row_and_chinese_headers() -> None:
    records = read_table(LAB_TABLE)
    assert len(records.prefixes) == 9
    assert len(records.allocations) == 83
    plan = {str(p.network): p for p in records.prefixes}
    assert plan["10.20.0.0/16"].zone == "生产控制大区"
    assert plan["10.10.99.0/24"].zone is None
    pc = next(a for a in records.allocations if str(a.address) == "10.10.20.11")
    assert (pc.host, pc.interface, pc.zone, pc.purpose) == ("张伟", "", "internal", "办公电脑")
    core = next(a for a in records.allocations if str(a.address) == "10.10.0.1")
    assert (core.host, core.interface) == ("hq-core1", "TenGigabitEthernet1/0/1")
    assert core.where.source == "lab_allocation_table.csv"
    assert core.where.line == 17
    assert "10.10.0.1" in core.where.text


def test_dhcp_prefixes_are_pools_and_gateways_shared_but_not_virtual_machines() -> None:
    records = read_table(LAB_TABLE)
    assert [r.label for r in records.ranges] == ["10.10.21.0/24 (访客无线 DHCP地址池)"]
    shared = {str(a.address) for a in records.allocations if a.shared}
    assert shared == {"10.10.110.1", "10.10.120.1", "10.10.130.1"}
    assert not next(a for a in records.allocations if str(a.address) == "10.10.110.50").shared


def test_english_headers_mask_column_ranges_and_semicolons(tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "ip-plan.csv",
        "IP Address;Netmask;Hostname;Port;Security Zone;Description;Gateway\n"
        "10.1.0.0;255.255.0.0;;;office;HQ office plan;\n"
        "10.1.5.20;255.255.255.0;printer-3f;;office;HP printer;10.1.5.1\n"
        "10.1.6.100-10.1.6.199;;;;office;DHCP scope;\n"
        "10.1.7.10-60;;;;office;lab PCs;\n"
        "2001:db8:1::/48;;;;office;IPv6 plan;\n"
        "2001:db8:1:5::20;;printer-3f;;office;;\n",
    )
    records = read_table(path)
    assert [str(p.network) for p in records.prefixes] == ["10.1.0.0/16", "2001:db8:1::/48"]
    printer = records.allocations[0]
    assert (str(printer.address), printer.prefixlen, printer.host, printer.zone) == (
        "10.1.5.20",
        24,
        "printer-3f",
        "office",
    )
    assert str(records.allocations[1].address) == "2001:db8:1:5::20"
    spans = [(str(key_address(r.first)), str(key_address(r.last))) for r in records.ranges]
    assert spans == [("10.1.6.100", "10.1.6.199"), ("10.1.7.10", "10.1.7.60")]


@pytest.mark.parametrize(
    ("address_header", "host_header"),
    [("IP地址（IPv4）", "使用人"), ("ip_address", "设备名"), ("地址", "主机名称"), ("IPv4 地址", "计算机名")],
)
def test_header_variants(tmp_path: Path, address_header: str, host_header: str) -> None:
    path = _csv(
        tmp_path / "t.csv",
        f"序号,{address_header},{host_header},接口名称,所属区域,备注\n1,10.3.0.9,王工,GE0/0/1,生产控制大区,工程师站\n",
    )
    allocation = read_table(path).allocations[0]
    assert (str(allocation.address), allocation.host, allocation.interface, allocation.zone, allocation.purpose) == (
        "10.3.0.9",
        "王工",
        "GE0/0/1",
        "生产控制大区",
        "工程师站",
    )


def test_gb18030_csv_as_chinese_excel_saves_it(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", "IP地址,设备名称,用途\n10.4.0.1,核心交换机,网关\n", encoding="gb18030")
    allocation = read_table(path).allocations[0]
    assert (allocation.host, allocation.purpose) == ("核心交换机", "网关")


def _workbook(path: Path) -> Path:
    """A workbook laid out like a real 《计算机IP地址分配表》: a merged title, a zone merged down its rows,
    one sheet per zone, and a notes sheet without any table."""
    book = Workbook()
    control = book.active
    assert control is not None
    control.title = "生产控制大区"
    control.append(["计算机IP地址分配表"])
    control.merge_cells("A1:F1")
    control.append(["区域", "网段", "IP地址", "设备名称", "接口", "用途"])
    control.append(["生产控制大区", "10.20.10.0/24", "", "", "", "控制网"])
    control.append(["", "", "10.20.10.11", "PLC-1", "", "1号机组PLC"])
    control.append(["", "", "10.20.10.12", "PLC-2", "", "2号机组PLC"])
    control.merge_cells("A3:A5")
    office = book.create_sheet("管理信息大区")
    office.append(["IP地址", "掩码", "使用人", "区域"])
    office.append(["10.30.1.0", "255.255.255.0", "", "管理信息大区"])
    office.append(["10.30.1.15", "24", "赵敏", "管理信息大区"])
    notes = book.create_sheet("说明")
    notes.append(["本表由信息中心维护，每季度核对一次。"])
    book.save(path)
    return path


def test_xlsx_with_chinese_headers_merged_cells_and_several_sheets(tmp_path: Path) -> None:
    records = read_table(_workbook(tmp_path / "IP地址分配表.xlsx"))
    assert {str(p.network): p.zone for p in records.prefixes} == {
        "10.20.10.0/24": "生产控制大区",
        "10.30.1.0/24": "管理信息大区",
    }
    by_address = {str(a.address): a for a in records.allocations}
    assert by_address["10.20.10.12"].zone == "生产控制大区"  # from the merged zone cell
    assert by_address["10.20.10.12"].host == "PLC-2"
    assert by_address["10.30.1.15"].prefixlen == 24
    assert by_address["10.30.1.15"].where.source == "IP地址分配表.xlsx [管理信息大区]"
    assert by_address["10.30.1.15"].where.line == 3


def test_a_bad_xlsx_cell_is_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "t.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["生产控制大区"]["C5"] = "10.20.10.300"
    book["管理信息大区"]["A3"] = "10.30.1.x"
    book.save(path)
    with pytest.raises(RecordsError) as caught:
        read_table(path)
    message = str(caught.value)
    assert str(path) in message
    assert "sheet '生产控制大区', row 5, column C (IP地址): '10.20.10.300' is not an IP address" in message
    assert "sheet '管理信息大区', row 3, column A (IP地址): '10.30.1.x' is not an IP address" in message


def test_a_bad_csv_cell_is_named_by_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", "IP地址,网段,设备名称\n10.1.1.1,,a\n,10.1.2.0/33,\n,10.1.3.5/24,\n")
    with pytest.raises(RecordsError) as caught:
        read_table(path)
    message = str(caught.value)
    assert message.startswith(f"allocation table {path}: ")
    assert "row 3, column 2 (网段): '10.1.2.0/33' is not a prefix" in message
    # A host address is not a prefix: 10.1.3.5/24 in the prefix column is refused, not planned.
    assert "row 4, column 2 (网段): '10.1.3.5/24' is not a prefix" in message


def test_many_bad_rows_are_counted_not_all_listed(tmp_path: Path) -> None:
    rows = "".join(f"10.1.1.{i}00,\n" for i in range(3, 10))
    with pytest.raises(RecordsError, match=r"and 2 more$"):
        read_table(_csv(tmp_path / "t.csv", "IP地址,用途\n" + rows))


def test_a_file_without_a_header_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RecordsError, match="no header row with an address or prefix column"):
        read_table(_csv(tmp_path / "t.csv", "name,owner\nprinter,IT\n"))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [("t.ods", b"x", "must be .csv or .xlsx"), ("t.xlsx", b"PK\x03\x04 not a zip", "not a readable xlsx")],
)
def test_unusable_files_are_refused(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(RecordsError, match=expected):
        read_table(path)


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(RecordsError, match=r"cannot read allocation table .*nowhere\.csv"):
        read_table(tmp_path / "nowhere.csv")


def test_prefix_rows_and_address_rows_are_told_apart_in_one_column(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", "IP地址,用途\n10.5.0.0/24,办公网段\n10.5.0.10/24,打印机\n10.5.1.0/31,互联\n")
    records = read_table(path)
    assert [p.network for p in records.prefixes] == [ipaddress.ip_network("10.5.0.0/24")]
    assert [str(a.address) for a in records.allocations] == ["10.5.0.10", "10.5.1.0"]
